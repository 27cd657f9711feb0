package dev.jtensor.backend.cuda;

import static dev.jtensor.backend.cuda.CudaCodes.code;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.*;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.backend.AttentionShape;
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
import dev.jtensor.backend.WindowShape;
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
 * and their codes come from {@link CudaCodes}. The CNN window verbs and fused attention live in {@link CudaWindows}
 * (opt-in: {@code -Djtensor.cuda.fusedKernels=true} until verified on a GPU). Every element offset and stride handed to a launcher was bounds-checked
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
    private final CudaWindows windows = new CudaWindows(this);
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
    public void transfer(Operand dstOperand, Operand srcOperand) {
        long byteSize = Backend.transferBytes(dstOperand, srcOperand), es = dstOperand.type().byteSize();
        Buffer src = srcOperand.buffer(), dst = dstOperand.buffer();
        long srcOffset = srcOperand.layout().offset() * es, dstOffset = dstOperand.layout().offset() * es;
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
    public void synchronize() {
        check("cudaStreamSynchronize", jt_cuda_stream_synchronize(stream));
        CudaIndexing.throwRecordedError(index, stream, false); // an index kernel's out-of-range value, reported here
    }

    // ---------------- elementwise ----------------

    @Override
    public void unary(UnaryKernel k, double p0, double p1, double p2, DType compute, Operand out, Operand x) {
        if (out.layout().numel() == 0) return;
        IterPlan plan = IterPlan.of(out.layout().shape(), out.layout(), x.layout());
        try (CudaOperands o = new CudaOperands(this)) {
            launched("unary " + k, jt_unary(code(k), code(compute), p0, p1, p2, CudaStructs.iterPlan(plan), o.ptr(out.buffer()),
                    code(out.type()), k == UnaryKernel.FILL ? o.ptr(out.buffer()) : o.ptr(x.buffer()), code(x.type()), stream));
        }
    }

    @Override
    public void binary(BinaryKernel k, double alpha, DType compute, Operand out, Operand a, Operand b) {
        if (out.layout().numel() == 0) return;
        IterPlan plan = IterPlan.of(out.layout().shape(), out.layout(), a.layout(), b.layout());
        try (CudaOperands o = new CudaOperands(this)) {
            launched("binary " + k, jt_binary(code(k), code(compute), alpha, CudaStructs.iterPlan(plan), o.ptr(out.buffer()), code(out.type()),
                    o.ptr(a.buffer()), code(a.type()), o.ptr(b.buffer()), code(b.type()), stream));
        }
    }

    @Override
    public void where(Operand out, Operand cond, Operand a, Operand b) {
        if (out.layout().numel() == 0) return;
        IterPlan plan = IterPlan.of(out.layout().shape(), out.layout(), cond.layout(), a.layout(), b.layout());
        try (CudaOperands o = new CudaOperands(this)) {
            launched("where", jt_where(CudaStructs.iterPlan(plan), o.ptr(out.buffer()), code(out.type()), o.ptr(cond.buffer()), code(cond.type()),
                    o.ptr(a.buffer()), code(a.type()), o.ptr(b.buffer()), code(b.type()), stream));
        }
    }

    @Override
    public void copy(Operand dst, Operand src) {
        // a cast to bool tests the source value itself (0.5 is true), every other cast converts into the target type
        DType compute = dst.type() == DType.BOOL ? (src.type().isFloatingPoint() ? DType.FLOAT64 : DType.INT64) : dst.type();
        unary(UnaryKernel.IDENTITY, 0, 0, 0, compute, dst, src);
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
    public void gather(Operand out, Operand x, int dim, IndexTensor index) {
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
    public void maskedFill(Operand x, Operand mask, double value) {
        if (x.layout().numel() == 0) return;
        try (CudaOperands o = new CudaOperands(this)) {
            launched("masked_fill", jt_masked_fill(o.ptr(x.buffer()), code(x.type()), CudaStructs.layout(0, x.layout()), o.ptr(mask.buffer()),
                    CudaStructs.layout(1, mask.layout()), value, stream));
        }
    }

    // ---------------- random numbers ----------------

    @Override
    public void random(RandomDraw draw, Operand out, RandomSource source) {
        Layout l = contiguous(out);
        long n = l.numel(), offset = l.offset();
        DType type = out.type();
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
            MemorySegment base = MemorySegment.ofAddress(o.address(out.buffer()) + offset * type.byteSize());
            launched("random", jt_random(dist, code(type), n, base, seed, counter, a, b, stream));
        }
    }

    // ---------------- fused optimizer steps ----------------

    @Override
    public void optimizerStep(OptimizerStep step, Operand paramOperand, Operand gradOperand, Operand... stateOperands) {
        DType type = paramOperand.type();
        long n = contiguous(paramOperand).numel();
        if (n == 0) return;
        if (type != DType.FLOAT32 && type != DType.FLOAT64) {
            throw new IllegalArgumentException("fused optimizer steps on CUDA take float32 or float64 parameters, got " + type);
        }
        int t = code(type);
        try (CudaOperands o = new CudaOperands(this)) {
            MemorySegment p = elements(o, paramOperand), g = elements(o, gradOperand);
            MemorySegment[] state = new MemorySegment[stateOperands.length];
            for (int i = 0; i < state.length; i++) state[i] = elements(o, stateOperands[i]);
            int err = switch (step) {
                case OptimizerStep.Sgd s -> jt_sgd_step(t, n, p, g, state.length > 0 ? state[0] : MemorySegment.NULL, s.lr(),
                        s.momentum(), s.dampening(), s.weightDecay(), s.nesterov() ? 1 : 0, s.maximize() ? 1 : 0, s.first() ? 1 : 0, stream);
                case OptimizerStep.Adam s -> jt_adam_step(t, n, p, g, state[0], state[1],
                        s.amsgrad() ? state[2] : MemorySegment.NULL, s.lr(), s.beta1(), s.beta2(), s.eps(), s.weightDecay(),
                        s.decoupled() ? 1 : 0, s.amsgrad() ? 1 : 0, s.maximize() ? 1 : 0, s.stepSize(), s.bc2Sqrt(), stream);
                case OptimizerStep.RMSprop s -> {
                    int next = 1;
                    MemorySegment gradAvg = s.centered() ? state[next++] : MemorySegment.NULL;
                    MemorySegment mom = s.momentum() > 0 ? state[next] : MemorySegment.NULL;
                    yield jt_rmsprop_step(t, n, p, g, state[0], gradAvg, mom, s.lr(), s.alpha(), s.eps(), s.weightDecay(),
                            s.momentum(), s.centered() ? 1 : 0, s.maximize() ? 1 : 0, stream);
                }
                case OptimizerStep.Adagrad s -> jt_adagrad_step(t, n, p, g, state[0], s.clr(), s.eps(), s.weightDecay(),
                        s.maximize() ? 1 : 0, stream);
            };
            launched("optimizer step " + step.getClass().getSimpleName(), err);
        }
    }

    // ---------------- fused attention and CNN windows (CudaWindows; opt-in until verified on a GPU) ----------------

    /** The contiguous elements of operand {@code o} (null for none) as a buffer of their own, sliced (bounds-checked) from its storage. */
    private static Buffer span(Operand o, DType type) {
        if (o == null) return null;
        if (o.type() != type) throw new IllegalArgumentException("expected a " + type + " operand, got " + o.type() + " " + o.layout());
        Layout l = contiguous(o);
        return o.buffer().slice(l.offset() * type.byteSize(), l.numel() * type.byteSize());
    }

    @Override public boolean hasFusedAttention(DType type) { return windows.hasFusedAttention(type); }

    @Override
    public void attentionForward(AttentionShape shape, Operand out, Operand lse, Operand q, Operand k, Operand v, Operand bias) {
        DType f = DType.FLOAT32;
        windows.attentionForward(shape, span(q, f), span(k, f), span(v, f), span(bias, f), span(out, f), span(lse, f));
    }

    @Override
    public void attentionBackward(AttentionShape shape, Operand dq, Operand dk, Operand dv, Operand q, Operand k, Operand v, Operand bias,
                                  Operand out, Operand lse, Operand dout) {
        DType f = DType.FLOAT32;
        windows.attentionBackward(shape, span(q, f), span(k, f), span(v, f), span(bias, f), span(out, f), span(lse, f), span(dout, f), span(dq, f),
                span(dk, f), span(dv, f));
    }

    @Override public boolean hasWindowKernels(DType type) { return windows.hasWindowKernels(type); }

    @Override
    public void im2col(WindowShape shape, Operand cols, Operand in) { windows.im2col(in.type(), shape, span(in, in.type()), span(cols, in.type())); }

    @Override
    public void col2im(WindowShape shape, Operand out, Operand cols) {
        windows.col2im(cols.type(), shape, span(cols, cols.type()), span(out, cols.type()));
    }

    @Override
    public void maxPool2d(WindowShape shape, Operand out, Operand indices, Operand in) {
        windows.maxPool2d(in.type(), shape, span(in, in.type()), span(out, in.type()), span(indices, DType.INT64));
    }

    @Override
    public void maxPool2dBackward(WindowShape shape, Operand gradIn, Operand gradOut, Operand indices) {
        DType t = gradOut.type();
        windows.maxPool2dBackward(t, shape, span(gradOut, t), span(indices, DType.INT64), span(gradIn, t));
    }

    @Override
    public void batchNormStats(long n, long c, long inner, double eps, Operand mean, Operand invstd, Operand x) {
        DType t = x.type();
        windows.batchNormStats(t, n, c, inner, eps, span(x, t), span(mean, t), span(invstd, t));
    }

    @Override
    public void batchNormElemt(long n, long c, long inner, Operand out, Operand x, Operand scale, Operand shift) {
        if (!batchNormElemtAct(n, c, inner, false, out, x, scale, shift, null)) Backend.super.batchNormElemt(n, c, inner, out, x, scale, shift);
    }

    @Override
    public boolean batchNormElemtAct(long n, long c, long inner, boolean relu, Operand out, Operand x, Operand scale, Operand shift,
                                     Operand residual) {
        DType t = x.type();
        if (!windows.hasWindowKernels(t)) return false;
        return windows.batchNormElemt(t, n, c, inner, span(x, t), span(scale, t), span(shift, t), span(residual, t), relu, span(out, t));
    }

    @Override
    public boolean batchNormBackwardReduce(long n, long c, long inner, Operand sumG, Operand dotp, Operand gMasked, Operand x, Operand g,
                                           Operand out, Operand mean) {
        DType t = x.type();
        if (!windows.hasWindowKernels(t)) return false;
        return windows.batchNormBackwardReduce(t, n, c, inner, span(x, t), span(g, t), span(out, t), span(gMasked, t), span(mean, t),
                span(sumG, t), span(dotp, t));
    }

    @Override
    public boolean batchNormBackwardElemt(long n, long c, long inner, Operand gx, Operand x, Operand g, Operand mean, Operand k,
                                          Operand gmean, Operand scale) {
        DType t = x.type();
        if (!windows.hasWindowKernels(t)) return false;
        return windows.batchNormBackwardElemt(t, n, c, inner, span(x, t), span(g, t), span(mean, t), span(k, t), span(gmean, t), span(scale, t),
                span(gx, t));
    }

    /** The layout of an operand a kernel walks as one contiguous run. */
    private static Layout contiguous(Operand o) {
        if (!o.layout().isContiguous()) throw new IllegalArgumentException("this kernel takes contiguous operands, got " + o.type() + " " + o.layout());
        return o.layout();
    }

    /** The device address of a contiguous operand's first element (staged by {@code o} when it is in host memory). */
    private static MemorySegment elements(CudaOperands o, Operand operand) {
        return MemorySegment.ofAddress(o.address(operand.buffer()) + contiguous(operand).offset() * operand.type().byteSize());
    }

    // ---------------- fused recurrent cells (native/cuda/rnn.cu) ----------------

    @Override
    public boolean hasRnnCellKernels(DType type) { return type == DType.FLOAT32 || type == DType.FLOAT64; }

    @Override
    public void lstmCell(long n, long hidden, Operand hyOp, Operand cyOp, Operand workspaceOp, Operand igatesOp, Operand hgatesOp,
                         Operand biasIhOp, Operand biasHhOp, Operand cxOp) {
        DType type = igatesOp.type();
        Buffer igates = span(igatesOp, type), hgates = span(hgatesOp, type), biasIh = span(biasIhOp, type), biasHh = span(biasHhOp, type);
        Buffer cx = span(cxOp, type), hy = span(hyOp, type), cy = span(cyOp, type), workspace = span(workspaceOp, type);
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
    public void lstmCellBackward(long n, long hidden, Operand gradGatesOp, Operand gradCxOp, Operand gradHyOp, Operand gradCyOp, Operand cxOp,
                                 Operand cyOp, Operand workspaceOp) {
        DType type = cxOp.type();
        Buffer gradHy = span(gradHyOp, type), gradCy = span(gradCyOp, type), cx = span(cxOp, type), cy = span(cyOp, type);
        Buffer workspace = span(workspaceOp, type), gradGates = span(gradGatesOp, type), gradCx = span(gradCxOp, type);
        long s = n * hidden;
        sized("lstm cell backward", type, s, gradHy, gradCy, cx, cy, gradCx);
        sized("lstm cell backward", type, s * 4, workspace, gradGates);
        try (CudaOperands o = new CudaOperands(this)) {
            launched("lstm cell backward", jt_lstm_cell_backward(code(type), n, hidden, o.ptr(gradHy), o.ptr(gradCy), o.ptr(cx), o.ptr(cy),
                    o.ptr(workspace), o.ptr(gradGates), o.ptr(gradCx), stream));
        }
    }

    @Override
    public void gruCell(long n, long hidden, Operand hyOp, Operand workspaceOp, Operand igatesOp, Operand hgatesOp, Operand biasIhOp,
                        Operand biasHhOp, Operand hxOp) {
        DType type = igatesOp.type();
        Buffer igates = span(igatesOp, type), hgates = span(hgatesOp, type), biasIh = span(biasIhOp, type), biasHh = span(biasHhOp, type);
        Buffer hx = span(hxOp, type), hy = span(hyOp, type), workspace = span(workspaceOp, type);
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
    public void gruCellBackward(long n, long hidden, Operand gradIgatesOp, Operand gradHgatesOp, Operand gradHxOp, Operand gradHyOp,
                                Operand workspaceOp) {
        DType type = gradHyOp.type();
        Buffer gradHy = span(gradHyOp, type), workspace = span(workspaceOp, type), gradIgates = span(gradIgatesOp, type);
        Buffer gradHgates = span(gradHgatesOp, type), gradHx = span(gradHxOp, type);
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
