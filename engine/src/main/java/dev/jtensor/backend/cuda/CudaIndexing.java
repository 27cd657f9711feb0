package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.*;

import dev.jtensor.DType;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.Determinism;
import dev.jtensor.backend.IndexTensor;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.plan.Layout;
import java.lang.foreign.MemorySegment;

/**
 * The index verbs of one CUDA device ({@link CudaBackend} forwards them here): each is one launch of the
 * gather/scatter/take/put launchers of {@code index.cu} on the index tensor's own device memory, plus at most
 * one device-side copy making the index contiguous int64 (an int32 index, a strided view, or the broadcast
 * index that index_select/index_add hand to gather/scatter) and, for {@code index_add} with alpha, one scaling
 * launch. No index value is read on the host. The launchers do not yet check index bounds on the device
 * (PyTorch asserts inside its kernels): an out-of-range index is undefined there until {@code index.cu}
 * gains that check. Accumulation uses atomics; with {@link Determinism#enabled()} index_add and scatter_add of
 * floating types run the CPU kernel on host copies instead (index order, deterministic).
 */
final class CudaIndexing {
    private final CudaBackend b;

    CudaIndexing(CudaBackend b) { this.b = b; }

    /** A device pointer to the values of {@code index} viewed through {@code view}, as contiguous int64. */
    private MemorySegment int64(CudaOperands o, IndexTensor index, Layout view) {
        if (index.type() == DType.INT64 && view.isContiguous()) return MemorySegment.ofAddress(o.address(index.buffer()) + view.offset() * 8);
        long bytes = view.numel() * 8;
        MemorySegment w = o.workspace(bytes);
        b.copy(new Operand(new Buffer.DeviceMemory(w.address(), b.device().index(), bytes), DType.INT64, Layout.contiguous(view.shape())),
                new Operand(index.buffer(), index.type(), view));
        return w;
    }

    /** {@code index} (1-d or 0-d) broadcast over {@code shape}: its values along {@code dim}, stride 0 elsewhere. */
    private static Layout along(IndexTensor index, long[] shape, int dim) {
        long[] strides = new long[shape.length];
        Layout il = index.layout();
        strides[dim] = il.rank() == 0 ? 0 : il.stride(0);
        return new Layout(shape, strides, il.offset());
    }

    /** One gather launch into the contiguous {@code out}. */
    void gather(Buffer x, DType type, Layout xl, int dim, IndexTensor index, Layout indexView, Operand out) {
        if (indexView.numel() == 0) return;
        if (!out.layout().isContiguous()) throw new IllegalArgumentException("gather on CUDA writes a contiguous output, got " + out.layout());
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment idx = int64(o, index, indexView); // before the structs: its copy launch uses the scratch slots
            b.launched("gather", jt_gather(o.ptr(x), CudaCodes.code(type), CudaStructs.layout(0, xl), dim, idx,
                    CudaStructs.shapeOnly(1, indexView.shape()),
                    MemorySegment.ofAddress(o.address(out.buffer()) + out.layout().offset() * type.byteSize()), b.stream()));
        }
    }

    void scatter(Buffer out, DType type, Layout ol, int dim, IndexTensor index, Layout indexView, Buffer src, Layout sl, double value,
                 boolean accumulate) {
        if (indexView.numel() == 0) return;
        if (accumulate && Determinism.enabled() && type.isFloatingPoint()) {
            onHost(out, ol, src, sl, index,
                    (cpu, ho, hs, hi) -> cpu.scatter(new Operand(ho, type, ol), dim, hi, new Operand(hs, type, sl), value, true));
            return;
        }
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment idx = int64(o, index, indexView);
            b.launched("scatter", jt_scatter(o.ptr(out), CudaCodes.code(type), CudaStructs.layout(0, ol), dim, idx,
                    CudaStructs.shapeOnly(1, indexView.shape()), src == null ? MemorySegment.NULL : o.ptr(src),
                    src == null ? MemorySegment.NULL : CudaStructs.layout(2, sl), value, accumulate ? 1 : 0, b.stream()));
        }
    }

    /** index_select as one gather with the index broadcast over out's shape. */
    void indexSelect(Buffer x, DType type, Layout xl, int dim, IndexTensor index, Buffer out, Layout ol) {
        gather(x, type, xl, dim, index, along(index, ol.shape(), dim), new Operand(out, type, ol));
    }

    /** index_add as one accumulating scatter with the index broadcast over src's shape (src scaled first when alpha is not 1). */
    void indexAdd(Buffer out, DType type, Layout ol, int dim, IndexTensor index, Buffer src, Layout sl, double alpha) {
        if (Determinism.enabled() && type.isFloatingPoint()) {
            onHost(out, ol, src, sl, index, (cpu, ho, hs, hi) -> cpu.indexAdd(new Operand(ho, type, ol), dim, hi, new Operand(hs, type, sl), alpha));
            return;
        }
        if (alpha == 1) {
            scatter(out, type, ol, dim, index, along(index, sl.shape(), dim), src, sl, 0, true);
            return;
        }
        Layout cl = Layout.contiguous(sl.shape());
        Backend.Allocation scaled = b.allocate(cl.numel() * type.byteSize(), true);
        try {
            b.binary(BinaryKernel.ADD, alpha, type, new Operand(scaled.buffer(), type, cl), new Operand(scaled.buffer(), type, cl), new Operand(src, type, sl));
            scatter(out, type, ol, dim, index, along(index, cl.shape(), dim), scaled.buffer(), cl, 0, true);
        } finally {
            scaled.free().run(); // stream-ordered: the scatter has read it by the time the block is reused
        }
    }

    /** torch.take: one take launch on the offsets {@code index + sl.offset()} of a contiguous source. */
    void take(Buffer src, DType type, Layout sl, IndexTensor index, Buffer dst, long dstOffset) {
        if (index.count() == 0) return;
        requireContiguous("take", sl);
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment idx = int64(o, index, index.layout());
            MemorySegment base = MemorySegment.ofAddress(o.address(src) + sl.offset() * type.byteSize());
            b.launched("take", jt_take(base, CudaCodes.code(type), idx, index.count(), o.ptr(dst), dstOffset, b.stream()));
        }
    }

    /** torch.put_: one put launch into a contiguous destination. */
    void put(Buffer src, DType type, long srcOffset, Buffer dst, Layout dl, IndexTensor index) {
        if (index.count() == 0) return;
        requireContiguous("put", dl);
        try (CudaOperands o = new CudaOperands(b)) {
            MemorySegment idx = int64(o, index, index.layout());
            MemorySegment base = MemorySegment.ofAddress(o.address(dst) + dl.offset() * type.byteSize());
            b.launched("put", jt_put(o.ptr(src), CudaCodes.code(type), srcOffset, base, idx, index.count(), b.stream()));
        }
    }

    private static void requireContiguous(String op, Layout l) {
        if (!l.isContiguous()) throw new IllegalArgumentException(op + " on CUDA takes a contiguous tensor (the op layer makes one)");
    }

    private interface HostKernel {
        void run(Backend cpu, Buffer out, Buffer src, IndexTensor index);
    }

    /** Runs {@code k} on host copies of out, src and the index, then uploads out: the deterministic path. */
    private void onHost(Buffer out, Layout ol, Buffer src, Layout sl, IndexTensor index, HostKernel k) {
        Backend cpu = Backend.cpu();
        long ob = out.byteSize(), sb = src.byteSize(), ib = index.buffer().byteSize();
        Backend.Allocation ho = cpu.allocate(ob, false), hs = cpu.allocate(sb, false), hi = cpu.allocate(ib, false);
        b.transfer(Backend.bytes(ho.buffer(), ob), Backend.bytes(out, ob));
        b.transfer(Backend.bytes(hs.buffer(), sb), Backend.bytes(src, sb));
        b.transfer(Backend.bytes(hi.buffer(), ib), Backend.bytes(index.buffer(), ib));
        k.run(cpu, ho.buffer(), hs.buffer(), index.on(hi.buffer()));
        b.transfer(Backend.bytes(out, ob), Backend.bytes(ho.buffer(), ob));
    }
}
