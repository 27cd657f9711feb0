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
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The index verbs of one CUDA device ({@link CudaBackend} forwards them here): each is one launch of the
 * gather/scatter launchers of {@code index.cu} on the index tensor's own device memory, plus at most
 * one device-side copy making the index contiguous int64 (an int32 index, a strided view, or the broadcast
 * index that index_select/index_add hand to gather/scatter) and, for {@code index_add} with alpha, one scaling
 * launch. No index value is read on the host, and no call waits for the device.
 *
 * <p>Index bounds are checked on the device, as PyTorch's kernels assert: a value outside {@code [0, size)} of the
 * dim it addresses (the CPU kernels' rule) skips its element, and the first such value is kept in the device's
 * error record ({@code index.cu}). The record is taken ({@link #throwRecordedError}) wherever the host already waits
 * for the device: every download to host memory (item(), printing, {@code cpu()}, nonzero's count, the HostData
 * reads), {@code Jt.cuda().synchronize()} and stream synchronization, and an event's synchronize when nothing was
 * queued after it. It is thrown there as the CPU's {@link IndexOutOfBoundsException} ("index 4 is out of bounds for
 * dimension 0 with size 4 (reported by an earlier CUDA kernel; the tensors it wrote are unspecified)"): the
 * launch that met it returned long before, and the output of that launch and of anything computed from it since
 * is unspecified (never memory outside the tensors). Accumulation uses atomics; with {@link Determinism#enabled()} index_add and scatter_add of
 * floating types run the CPU kernel on host copies instead (index order, deterministic).
 */
final class CudaIndexing {
    private final CudaBackend b;

    CudaIndexing(CudaBackend b) { this.b = b; }

    /**
     * Throws the index error a kernel of {@code device} recorded since the last take, if any (taken in the order of
     * {@code stream}, which the callers have waited for; with {@code onlyIfIdle} nothing is taken while work is still
     * queued, and a later take reports it).
     */
    static void throwRecordedError(int device, MemorySegment stream, boolean onlyIfIdle) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment record = arena.allocate(ValueLayout.JAVA_LONG, 3), found = arena.allocate(ValueLayout.JAVA_INT);
            CudaBackend.check("jt_cuda_take_index_error on cuda:" + device,
                    jt_cuda_take_index_error(device, stream, onlyIfIdle ? 1 : 0, record, found));
            if (found.get(ValueLayout.JAVA_INT, 0) != 0) {
                throw new IndexOutOfBoundsException("index " + record.getAtIndex(ValueLayout.JAVA_LONG, 0) + " is out of bounds for dimension "
                        + record.getAtIndex(ValueLayout.JAVA_LONG, 1) + " with size " + record.getAtIndex(ValueLayout.JAVA_LONG, 2)
                        + " (reported by an earlier CUDA kernel; the tensors it wrote are unspecified)");
            }
        }
    }

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
