package dev.jtensor.backend.cuda;

import static dev.jtensor.backend.cuda.CudaCodes.code;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.*;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.IndexTensor;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.backend.RandomDraw;
import dev.jtensor.backend.RandomSource;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.MatmulPlan;
import dev.jtensor.backend.plan.ReducePlan;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One CUDA device's kernels behind {@link Backend} (STYLE G8): each verb fills the launcher's plain structs
 * from the op layer's plans and calls our {@code extern "C"} launcher in {@code libjtensor_cuda.so}, which
 * computes the grid and launches on this device's stream; matrix products go to {@link Cublas}. Memory
 * comes from the device's {@link CudaAllocator}; host memory moves through {@link CudaTransfers}. Launches
 * are asynchronous, as PyTorch's: an error inside a kernel surfaces at the next synchronizing call.
 *
 * <p>Read operands in host memory (0-d CPU tensors taking part as scalars, PyTorch's rule) are uploaded to
 * a temporary block for the launch ({@link CudaOperands}); the launchers' structs are filled by {@link CudaStructs}
 * and their codes come from {@link CudaCodes}. Every element offset and stride handed to a launcher was bounds-checked
 * by the op layer against its storage (Layout and IterPlan are built from checked views).
 */
public final class CudaBackend implements Backend {

    private final int index;
    private final Device device;
    private final MemorySegment stream;
    private final CudaAllocator allocator;
    private final CudaTransfers transfers;
    private volatile Cublas cublas;
    private final CudaIndexing indexing = new CudaIndexing(this);
    private final boolean multiDevice;

    CudaBackend(int index) {
        this.index = index;
        this.device = Device.cuda(index);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(ValueLayout.ADDRESS);
            check("cudaStreamCreate", jt_cuda_stream_create(index, p));
            this.stream = p.get(ValueLayout.ADDRESS, 0);
        }
        this.multiDevice = CudaLibrary.probe().deviceCount() > 1;
        this.allocator = new CudaAllocator(index);
        this.transfers = new CudaTransfers(index, stream);
    }

    @Override
    public Device device() { return device; }

    CudaAllocator allocator() { return allocator; }

    MemorySegment stream() { return stream; }

    CudaTransfers transfers() { return transfers; }

    /** Whether launches must first make this device current (more than one device in the process). */
    boolean multiDevice() { return multiDevice; }

    /** An error of {@code call} as an exception naming the CUDA error. */
    static IllegalStateException failure(String call, int err) {
        return new IllegalStateException(call + " failed: " + CudaLibrary.errorString(err) + " (CUDA error " + err + ")");
    }

    static void check(String call, int err) {
        if (err != 0) throw failure(call, err);
    }

    void launched(String kernel, int err) {
        if (err != 0) throw failure(kernel + " on " + device, err);
    }

    // ---------------- memory ----------------

    @Override
    public Allocation allocate(long byteSize, boolean zero) {
        if (byteSize < 0) throw new IllegalArgumentException("negative storage size: " + byteSize + " bytes");
        long address = allocator.allocate(byteSize);
        if (zero && byteSize > 0) check("cudaMemsetAsync", jt_cuda_memset_async(MemorySegment.ofAddress(address), 0, byteSize, stream));
        return new Allocation(new Buffer.DeviceMemory(address, index, byteSize), () -> allocator.free(address, byteSize));
    }

    @Override
    public void copyBytes(Buffer src, long srcOffset, Buffer dst, long dstOffset, long byteSize) {
        checkRange("source", src, srcOffset, byteSize);
        checkRange("destination", dst, dstOffset, byteSize);
        if (byteSize == 0) return;
        switch (src) {
            case Buffer.HostMemory h -> {
                switch (dst) {
                    case Buffer.HostMemory hd -> MemorySegment.copy(h.segment(), srcOffset, hd.segment(), dstOffset, byteSize);
                    case Buffer.DeviceMemory d -> transfers.upload(h.segment().asSlice(srcOffset, byteSize), own(d).address() + dstOffset);
                }
            }
            case Buffer.DeviceMemory s -> {
                switch (dst) {
                    case Buffer.HostMemory hd -> transfers.download(own(s).address() + srcOffset, hd.segment().asSlice(dstOffset, byteSize));
                    case Buffer.DeviceMemory d -> check("cudaMemcpyAsync", jt_cuda_memcpy_async(
                            MemorySegment.ofAddress(own(d).address() + dstOffset), MemorySegment.ofAddress(own(s).address() + srcOffset),
                            byteSize, 3, stream));
                }
            }
        }
    }

    private static void checkRange(String what, Buffer b, long offset, long bytes) {
        if (offset < 0 || bytes < 0 || offset + bytes > b.byteSize()) {
            throw new IndexOutOfBoundsException("copy " + what + ": " + bytes + " bytes at offset " + offset + " fall outside a buffer of "
                    + b.byteSize() + " bytes");
        }
    }

    /** {@code d}, checked to be memory of this device. */
    Buffer.DeviceMemory own(Buffer.DeviceMemory d) {
        if (d.deviceIndex() != index) {
            throw new IllegalArgumentException("the backend of " + device + " was handed memory on cuda:" + d.deviceIndex());
        }
        return d;
    }

    @Override
    public void synchronize() { check("cudaStreamSynchronize", jt_cuda_stream_synchronize(stream)); }

    // ---------------- elementwise ----------------

    @Override
    public void unary(UnaryKernel k, double p0, double p1, double p2, DType compute, IterPlan plan, Buffer out, DType outType,
                      Buffer x, DType xType) {
        if (plan.numel() == 0) return;
        try (CudaOperands o = new CudaOperands(this)) {
            launched("unary " + k, jt_unary(code(k), code(compute), p0, p1, p2, CudaStructs.iterPlan(plan), o.ptr(out), code(outType),
                    k == UnaryKernel.FILL ? o.ptr(out) : o.ptr(x), code(xType), stream));
        }
    }

    @Override
    public void binary(BinaryKernel k, double alpha, DType compute, IterPlan plan, Buffer out, DType outType, Buffer a, DType aType,
                       Buffer b, DType bType) {
        if (plan.numel() == 0) return;
        try (CudaOperands o = new CudaOperands(this)) {
            launched("binary " + k, jt_binary(code(k), code(compute), alpha, CudaStructs.iterPlan(plan), o.ptr(out), code(outType), o.ptr(a),
                    code(aType), o.ptr(b), code(bType), stream));
        }
    }

    @Override
    public void where(IterPlan plan, Buffer out, DType outType, Buffer cond, DType condType, Buffer a, DType aType, Buffer b,
                      DType bType) {
        if (plan.numel() == 0) return;
        try (CudaOperands o = new CudaOperands(this)) {
            launched("where", jt_where(CudaStructs.iterPlan(plan), o.ptr(out), code(outType), o.ptr(cond), code(condType), o.ptr(a), code(aType),
                    o.ptr(b), code(bType), stream));
        }
    }

    @Override
    public void copy(Operand dst, Operand src) {
        if (dst.layout().numel() == 0) return;
        IterPlan plan = IterPlan.of(dst.layout().shape(), dst.layout(), src.layout());
        // a cast to bool tests the source value itself (0.5 is true), every other cast converts into the target type
        DType compute = dst.type() == DType.BOOL ? (src.type().isFloatingPoint() ? DType.FLOAT64 : DType.INT64) : dst.type();
        unary(UnaryKernel.IDENTITY, 0, 0, 0, compute, plan, dst.buffer(), dst.type(), src.buffer(), src.type());
    }

    // ---------------- reductions ----------------

    @Override
    public void reduce(ReduceKernel kernel, double param, ReducePlan plan, Buffer out, DType outType, Buffer indices, Buffer in,
                       DType inType) {
        if (plan.outputCount == 0) return;
        try (CudaOperands o = new CudaOperands(this)) {
            MemorySegment p = CudaStructs.reducePlan(plan);
            MemorySegment ws = o.workspace(jt_reduce_workspace_bytes(p));
            launched("reduce " + kernel, jt_reduce(code(kernel), param, o.ptr(in), code(inType), p, o.ptr(out), code(outType),
                    o.ptr(indices), ws, stream));
        }
    }

    @Override
    public void scan(boolean prod, ReducePlan plan, long length, long after, Buffer out, DType outType, Buffer in, DType inType) {
        if (plan.outputCount == 0 || length == 0) return;
        try (CudaOperands o = new CudaOperands(this)) {
            launched(prod ? "cumprod" : "cumsum", jt_scan(prod ? 1 : 0, o.ptr(in), code(inType), CudaStructs.reducePlan(plan), length,
                    lineStride(plan), after, o.ptr(out), code(outType), stream));
        }
    }

    /** The stride of a line along the one reduced dim (any value serves a line of length 1). */
    private static long lineStride(ReducePlan plan) { return plan.innerStrides.length == 0 ? 1 : plan.innerStrides[0]; }

    @Override
    public void softmax(boolean log, DType type, ReducePlan plan, long length, long after, long inStride, Buffer out, Buffer in) {
        if (plan.outputCount == 0 || length == 0) return;
        try (CudaOperands o = new CudaOperands(this)) {
            launched(log ? "log_softmax" : "softmax", jt_softmax(log ? 1 : 0, o.ptr(in), code(type), CudaStructs.reducePlan(plan), length, inStride,
                    after, o.ptr(out), stream));
        }
    }

    // ---------------- linear algebra ----------------

    @Override
    public void gemm(DType dtype, MatmulPlan plan, Buffer c, Buffer a, Buffer b, double alpha, double beta) {
        try (CudaOperands o = new CudaOperands(this)) {
            cublas().gemm(dtype, plan, alpha, o.address(a), o.address(b), beta, o.address(c));
        }
    }

    @Override public boolean gemmTakesHalf() { return true; } // half types on cublasGemmEx, float32 compute (Cublas)

    private Cublas cublas() {
        Cublas c = cublas;
        if (c == null) {
            synchronized (this) {
                if (cublas == null) {
                    if (multiDevice) check("cudaSetDevice", jt_cuda_set_device(index));
                    cublas = new Cublas(stream);
                }
                c = cublas;
            }
        }
        return c;
    }

    // ---------------- indexing ----------------

    @Override
    public void gather(Buffer out, Operand x, int dim, IndexTensor index) {
        indexing.gather(x.buffer(), x.type(), x.layout(), dim, index, index.layout(), out);
    }

    @Override
    public void scatter(Operand out, int dim, IndexTensor index, Operand src, double value, boolean accumulate) {
        indexing.scatter(out.buffer(), out.type(), out.layout(), dim, index, index.layout(), src == null ? null : src.buffer(),
                src == null ? null : src.layout(), value, accumulate);
    }

    @Override
    public void indexSelect(Operand out, Operand x, int dim, IndexTensor index) {
        indexing.indexSelect(x.buffer(), x.type(), x.layout(), dim, index, out.buffer(), out.layout());
    }

    @Override
    public void indexAdd(Operand out, int dim, IndexTensor index, Operand src, double alpha) {
        indexing.indexAdd(out.buffer(), out.type(), out.layout(), dim, index, src.buffer(), src.layout(), alpha);
    }

    @Override
    public void take(Buffer dst, long dstOffset, Operand src, IndexTensor index) {
        indexing.take(src.buffer(), src.type(), src.layout(), index, dst, dstOffset);
    }

    @Override
    public void put(Operand dst, Buffer src, long srcOffset, IndexTensor index) {
        indexing.put(src, dst.type(), srcOffset, dst.buffer(), dst.layout(), index);
    }

    @Override
    public void maskedFill(Operand x, Operand mask, double value) {
        if (x.layout().numel() == 0) return;
        try (CudaOperands o = new CudaOperands(this)) {
            launched("masked_fill", jt_masked_fill(o.ptr(x.buffer()), code(x.type()), CudaStructs.layout(0, x.layout()), o.ptr(mask.buffer()),
                    CudaStructs.layout(1, mask.layout()), value, stream));
        }
    }

    // ---------------- random numbers ----------------

    @Override
    public void random(RandomDraw draw, DType type, Buffer out, long offset, long n, RandomSource source) {
        if (n == 0) return;
        long seed, counter;
        synchronized (source.lock()) { // this op's counters: [offset, offset + n), whatever other threads draw
            seed = source.initialSeed();
            counter = source.offset();
            source.setOffset(counter + n);
        }
        int dist;
        double a, b;
        switch (draw) {
            case RandomDraw.Uniform u -> { dist = 0; a = u.from(); b = u.to(); }
            case RandomDraw.Normal nd -> { dist = 1; a = nd.mean(); b = nd.std(); }
            case RandomDraw.Integers r -> { dist = 2; a = r.low(); b = r.high(); }
        }
        try (CudaOperands o = new CudaOperands(this)) {
            MemorySegment base = MemorySegment.ofAddress(o.address(out) + offset * type.byteSize());
            launched("random", jt_random(dist, code(type), n, base, seed, counter, a, b, stream));
        }
    }

    // ---------------- fused optimizer steps ----------------

    @Override
    public void optimizerStep(OptimizerStep step, DType type, long n, Buffer param, Buffer grad, Buffer... state) {
        if (n == 0) return;
        if (type != DType.FLOAT32 && type != DType.FLOAT64) {
            throw new IllegalArgumentException("fused optimizer steps on CUDA take float32 or float64 parameters, got " + type);
        }
        int t = code(type);
        try (CudaOperands o = new CudaOperands(this)) {
            MemorySegment p = o.ptr(param), g = o.ptr(grad);
            int err = switch (step) {
                case OptimizerStep.Sgd s -> jt_sgd_step(t, n, p, g, state.length > 0 ? o.ptr(state[0]) : MemorySegment.NULL, s.lr(),
                        s.momentum(), s.dampening(), s.weightDecay(), s.nesterov() ? 1 : 0, s.maximize() ? 1 : 0, s.first() ? 1 : 0, stream);
                case OptimizerStep.Adam s -> jt_adam_step(t, n, p, g, o.ptr(state[0]), o.ptr(state[1]),
                        s.amsgrad() ? o.ptr(state[2]) : MemorySegment.NULL, s.lr(), s.beta1(), s.beta2(), s.eps(), s.weightDecay(),
                        s.decoupled() ? 1 : 0, s.amsgrad() ? 1 : 0, s.maximize() ? 1 : 0, s.stepSize(), s.bc2Sqrt(), stream);
                case OptimizerStep.RMSprop s -> {
                    int next = 1;
                    MemorySegment gradAvg = s.centered() ? o.ptr(state[next++]) : MemorySegment.NULL;
                    MemorySegment mom = s.momentum() > 0 ? o.ptr(state[next]) : MemorySegment.NULL;
                    yield jt_rmsprop_step(t, n, p, g, o.ptr(state[0]), gradAvg, mom, s.lr(), s.alpha(), s.eps(), s.weightDecay(),
                            s.momentum(), s.centered() ? 1 : 0, s.maximize() ? 1 : 0, stream);
                }
                case OptimizerStep.Adagrad s -> jt_adagrad_step(t, n, p, g, o.ptr(state[0]), s.clr(), s.eps(), s.weightDecay(),
                        s.maximize() ? 1 : 0, stream);
            };
            launched("optimizer step " + step.getClass().getSimpleName(), err);
        }
    }

    // ---------------- fused recurrent cells (native/cuda/rnn.cu) ----------------

    @Override
    public boolean hasRnnCellKernels(DType type) { return type == DType.FLOAT32 || type == DType.FLOAT64; }

    @Override
    public void lstmCell(DType type, long n, long hidden, Buffer igates, Buffer hgates, Buffer biasIh, Buffer biasHh, Buffer cx,
                         Buffer hy, Buffer cy, Buffer workspace) {
        long s = n * hidden;
        sized("lstm cell", type, s * 4, igates, hgates, workspace);
        sized("lstm cell", type, hidden * 4, biasIh, biasHh);
        sized("lstm cell", type, s, cx, hy, cy);
        try (CudaOperands o = new CudaOperands(this)) {
            launched("lstm cell", jt_lstm_cell(code(type), n, hidden, o.ptr(igates), o.ptr(hgates), o.ptr(biasIh), o.ptr(biasHh), o.ptr(cx),
                    o.ptr(hy), o.ptr(cy), o.ptr(workspace), stream));
        }
    }

    @Override
    public void lstmCellBackward(DType type, long n, long hidden, Buffer gradHy, Buffer gradCy, Buffer cx, Buffer cy, Buffer workspace,
                                 Buffer gradGates, Buffer gradCx) {
        long s = n * hidden;
        sized("lstm cell backward", type, s, gradHy, gradCy, cx, cy, gradCx);
        sized("lstm cell backward", type, s * 4, workspace, gradGates);
        try (CudaOperands o = new CudaOperands(this)) {
            launched("lstm cell backward", jt_lstm_cell_backward(code(type), n, hidden, o.ptr(gradHy), o.ptr(gradCy), o.ptr(cx), o.ptr(cy),
                    o.ptr(workspace), o.ptr(gradGates), o.ptr(gradCx), stream));
        }
    }

    @Override
    public void gruCell(DType type, long n, long hidden, Buffer igates, Buffer hgates, Buffer biasIh, Buffer biasHh, Buffer hx,
                        Buffer hy, Buffer workspace) {
        long s = n * hidden;
        sized("gru cell", type, s * 3, igates, hgates);
        sized("gru cell", type, hidden * 3, biasIh, biasHh);
        sized("gru cell", type, s, hx, hy);
        sized("gru cell", type, s * 5, workspace);
        try (CudaOperands o = new CudaOperands(this)) {
            launched("gru cell", jt_gru_cell(code(type), n, hidden, o.ptr(igates), o.ptr(hgates), o.ptr(biasIh), o.ptr(biasHh), o.ptr(hx),
                    o.ptr(hy), o.ptr(workspace), stream));
        }
    }

    @Override
    public void gruCellBackward(DType type, long n, long hidden, Buffer gradHy, Buffer workspace, Buffer gradIgates, Buffer gradHgates,
                                Buffer gradHx) {
        long s = n * hidden;
        sized("gru cell backward", type, s, gradHy, gradHx);
        sized("gru cell backward", type, s * 3, gradIgates, gradHgates);
        sized("gru cell backward", type, s * 5, workspace);
        try (CudaOperands o = new CudaOperands(this)) {
            launched("gru cell backward", jt_gru_cell_backward(code(type), n, hidden, o.ptr(gradHy), o.ptr(workspace), o.ptr(gradIgates),
                    o.ptr(gradHgates), o.ptr(gradHx), stream));
        }
    }

    /** Each buffer (null ones skipped) holds at least {@code elements} of {@code type}. */
    private static void sized(String kernel, DType type, long elements, Buffer... buffers) {
        if (type != DType.FLOAT32 && type != DType.FLOAT64) throw new IllegalArgumentException(kernel + " on CUDA takes float32 or float64, got " + type);
        for (Buffer b : buffers) {
            if (b != null && b.byteSize() < elements * type.byteSize()) {
                throw new IndexOutOfBoundsException(kernel + ": an operand of " + b.byteSize() + " bytes, needs " + elements * type.byteSize());
            }
        }
    }
}
