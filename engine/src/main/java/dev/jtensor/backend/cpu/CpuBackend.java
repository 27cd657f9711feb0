package dev.jtensor.backend.cpu;

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
import dev.jtensor.backend.ScatterReduce;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.backend.cuda.EmulatedCudaBackend;
import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.MatmulPlan;
import dev.jtensor.backend.plan.ReducePlan;
import dev.jtensor.internal.Config;
import java.lang.foreign.MemorySegment;

/**
 * The CPU's kernels behind {@link Backend}: Java loops, the C kernels of {@code libjtensor_cpu.so}, the Vector API
 * paths and BLAS ({@link KernelChoice} says which runs).
 *
 * <h2>Where the bytes live (decided by JMH, see bench/RESULTS.md)</h2>
 * Blocks of at most {@link #HEAP_MAX_BYTES} live on the Java heap, in a {@code long[]} wrapped by
 * {@link MemorySegment#ofArray(long[])}: allocation is a plain {@code new}, the GC frees them, and no
 * {@code Cleaner} is needed (native calls take them through {@code Linker.Option.critical} or a copy;
 * {@code Blas} decides). Larger blocks come from {@link NativeMemory}: 64-byte aligned blocks recycled
 * through a size-bucketed pool, with off-heap accounting that runs the GC before the limit is reached.
 *
 * <p>Sealed for the emulated CUDA device, which computes with these kernels on host memory that it hands out as
 * device memory: it overrides the device, allocation and {@link #deviceMemory} (where a device buffer's bytes are),
 * and inherits every verb, so a verb added here reaches it without an edit there.
 */
public sealed class CpuBackend implements Backend permits EmulatedCudaBackend {
    /** The one instance. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    static {
        NativePreload.start();
    }

    /** Blocks up to this size live on the Java heap (a 16x16 float32 matrix is 1 KiB). */
    public static final long HEAP_MAX_BYTES = Config.bytes("jtensor.heapMaxBytes", 1024, 0);

    /** The CPU's one instance, or (from the emulated device) one that also reads emulated device memory. */
    protected CpuBackend() {}

    @Override
    public Device device() { return Device.CPU; }

    @Override
    public Allocation allocate(long byteSize, boolean zero) {
        if (byteSize < 0) throw new IllegalArgumentException("negative storage size: " + byteSize + " bytes");
        if (byteSize <= HEAP_MAX_BYTES) { // a new long[] is zero already
            MemorySegment heap = MemorySegment.ofArray(new long[(int) ((byteSize + 7) >>> 3)]).asSlice(0, byteSize);
            return new Allocation(new Buffer.HostMemory(heap), null);
        }
        NativeMemory.Block block = NativeMemory.allocate(byteSize, zero);
        return new Allocation(new Buffer.HostMemory(block.segment()), block::free);
    }

    @Override
    public void transfer(Operand dst, Operand src) {
        long bytes = Backend.transferBytes(dst, src), es = dst.type().byteSize();
        MemorySegment.copy(host(src.buffer()), src.layout().offset() * es, host(dst.buffer()), dst.layout().offset() * es, bytes);
    }

    @Override
    public void synchronize() {} // the CPU's kernels return when done

    // ---------------- elementwise ----------------

    @Override
    public void unary(UnaryKernel k, double p0, double p1, double p2, DType compute, Operand out, Operand x) {
        CpuLoops.unary(k, p0, p1, p2, compute, IterPlan.of(out.layout().shape(), out.layout(), x.layout()), host(out.buffer()), out.type(),
                host(x.buffer()), x.type());
    }

    @Override
    public void unaryFlat(UnaryKernel k, double p0, double p1, double p2, Operand out, Operand x) {
        CpuLoops.unaryFlat(k, p0, p1, p2, out.type(), host(out.buffer()), out.layout().offset(), host(x.buffer()), x.layout().offset(),
                out.layout().numel());
    }

    @Override
    public void binary(BinaryKernel k, double alpha, DType compute, Operand out, Operand a, Operand b) {
        CpuLoops.binary(k, alpha, compute, IterPlan.of(out.layout().shape(), out.layout(), a.layout(), b.layout()), host(out.buffer()),
                out.type(), host(a.buffer()), a.type(), host(b.buffer()), b.type());
    }

    @Override
    public void binaryFlat(BinaryKernel k, double alpha, Operand out, Operand a, Operand b) {
        long n = out.layout().numel();
        CpuLoops.binaryFlat(k, alpha, out.type(), host(out.buffer()), out.layout().offset(), host(a.buffer()), a.layout().offset(),
                host(b.buffer()), b.layout().offset(), Backend.flatStride(b, n), n);
    }

    @Override
    public void where(Operand out, Operand cond, Operand a, Operand b) {
        CpuLoops.where(IterPlan.of(out.layout().shape(), out.layout(), cond.layout(), a.layout(), b.layout()), host(out.buffer()),
                out.type(), host(cond.buffer()), cond.type(), host(a.buffer()), a.type(), host(b.buffer()), b.type());
    }

    @Override
    public void copy(Operand dst, Operand src) {
        CpuCopy.copy(host(src.buffer()), src.type(), src.layout(), host(dst.buffer()), dst.type(), dst.layout());
    }

    @Override
    public void fill(Operand dst, double value) {
        CpuCopy.fill(host(dst.buffer()), dst.type(), dst.layout(), value);
    }

    // ---------------- reductions and scans ----------------

    @Override
    public void reduce(ReduceKernel kernel, double param, ReducePlan plan, Buffer out, DType outType, Buffer indices, Buffer in,
                       DType inType) {
        CpuReduce.reduce(kernel, param, host(in), inType, plan, host(out), outType, indices == null ? null : host(indices));
    }

    @Override
    public void scan(boolean prod, ReducePlan plan, long length, long after, Buffer out, DType outType, Buffer in, DType inType) {
        CpuReduce.scan(prod, host(in), inType, plan, length, after, host(out), outType);
    }

    @Override
    public void softmax(boolean log, DType type, ReducePlan plan, long length, long after, long inStride, Buffer out, Buffer in) {
        CpuSoftmax.rows(log, host(in), type, plan, length, after, inStride, host(out));
    }

    @Override
    public void gemm(DType dtype, MatmulPlan plan, Buffer c, Buffer a, Buffer b, double alpha, double beta) {
        CpuLinalg.gemm(dtype, plan, alpha, host(a), host(b), beta, host(c));
    }

    @Override
    public boolean gemmTakesHalf() { return true; }

    // ---------------- indexing ----------------

    @Override
    public void gather(Operand out, Operand x, int dim, IndexTensor index) {
        CpuIndexing.gather(host(x.buffer()), x.type(), x.layout(), dim, index(index), contiguous(out));
    }

    @Override
    public void scatter(Operand out, int dim, IndexTensor index, Operand src, double value, boolean accumulate) {
        CpuIndexing.scatter(host(out.buffer()), out.type(), out.layout(), dim, index(index), src == null ? null : host(src.buffer()),
                src == null ? null : src.layout(), value, accumulate);
    }

    @Override
    public void indexSelect(Operand out, Operand x, int dim, IndexTensor index) {
        CpuIndexing.indexSelect(host(x.buffer()), x.type(), x.layout(), dim, index(index), host(out.buffer()), out.layout());
    }

    @Override
    public void indexAdd(Operand out, int dim, IndexTensor index, Operand src, double alpha) {
        CpuIndexing.indexAdd(host(out.buffer()), out.type(), out.layout(), dim, index(index), host(src.buffer()), src.layout(), alpha);
    }

    @Override
    public void maskedFill(Operand x, Operand mask, double value) {
        CpuIndexing.maskedFill(host(x.buffer()), x.type(), x.layout(), host(mask.buffer()), mask.layout(), value);
    }

    @Override
    public void scatterReduce(ScatterReduce reduce, boolean includeSelf, Operand out, int dim, IndexTensor index, Operand src) {
        CpuScatterReduce.run(reduce, includeSelf, host(out.buffer()), out.type(), out.layout(), dim, index(index), host(src.buffer()),
                src.layout());
    }

    @Override
    public void nonzero(Operand out, Operand mask) {
        CpuIndexing.nonzero(host(mask.buffer()), mask.layout(), contiguous(out), out.layout().numel());
    }

    private CpuIndexing.Index index(IndexTensor t) { return new CpuIndexing.Index(host(t.buffer()), t); }

    @Override
    public void random(RandomDraw draw, Operand out, RandomSource source) {
        Layout l = contiguousLayout(out);
        synchronized (source.lock()) { // one unbroken run of the stream (a generator is shared across threads)
            CpuRandom.fill(draw, out.type(), host(out.buffer()), l.offset(), l.numel(), source);
        }
    }

    @Override
    public void optimizerStep(OptimizerStep step, Operand param, Operand grad, Operand... state) {
        long n = param.layout().numel();
        MemorySegment[] s = new MemorySegment[state.length];
        for (int i = 0; i < s.length; i++) s[i] = contiguous(state[i]);
        MemorySegment p = contiguous(param), g = contiguous(grad);
        if (KernelChoice.stepInC(n) && NativeSteps.optimizerStep(step, param.type(), n, p, g, s)) return;
        CpuOptimizerSteps.run(step, param.type(), Math.toIntExact(n), p, g, s);
    }

    @Override
    public boolean hasFusedAttention(DType type) { return type == DType.FLOAT32; }

    @Override
    public void attentionForward(AttentionShape shape, Operand out, Operand lse, Operand q, Operand k, Operand v, Operand bias) {
        CpuAttention.forward(shape, contiguous(q), contiguous(k), contiguous(v), bias == null ? null : contiguous(bias), contiguous(out),
                contiguous(lse));
    }

    @Override
    public void attentionBackward(AttentionShape shape, Operand dq, Operand dk, Operand dv, Operand q, Operand k, Operand v, Operand bias,
                                  Operand out, Operand lse, Operand dout) {
        CpuAttention.backward(shape, contiguous(q), contiguous(k), contiguous(v), bias == null ? null : contiguous(bias), contiguous(out),
                contiguous(lse), contiguous(dout), contiguous(dq), contiguous(dk), contiguous(dv));
    }

    @Override
    public boolean hasRnnCellKernels(DType type) { return type.isFloatingPoint(); }

    @Override
    public void lstmCell(long n, long hidden, Operand hy, Operand cy, Operand workspace, Operand igates, Operand hgates, Operand biasIh,
                         Operand biasHh, Operand cx) {
        CpuRnnCells.lstm(igates.type(), n, hidden, contiguous(igates), contiguous(hgates), contiguousOrNull(biasIh), contiguousOrNull(biasHh),
                contiguous(cx), contiguous(hy), contiguous(cy), contiguous(workspace));
    }

    @Override
    public void lstmCellBackward(long n, long hidden, Operand gradGates, Operand gradCx, Operand gradHy, Operand gradCy, Operand cx, Operand cy,
                                 Operand workspace) {
        CpuRnnCells.lstmBackward(cx.type(), n, hidden, contiguousOrNull(gradHy), contiguousOrNull(gradCy), contiguous(cx), contiguous(cy),
                contiguous(workspace), contiguous(gradGates), contiguous(gradCx));
    }

    @Override
    public void gruCell(long n, long hidden, Operand hy, Operand workspace, Operand igates, Operand hgates, Operand biasIh, Operand biasHh,
                        Operand hx) {
        CpuRnnCells.gru(igates.type(), n, hidden, contiguous(igates), contiguous(hgates), contiguousOrNull(biasIh), contiguousOrNull(biasHh),
                contiguous(hx), contiguous(hy), contiguous(workspace));
    }

    @Override
    public void gruCellBackward(long n, long hidden, Operand gradIgates, Operand gradHgates, Operand gradHx, Operand gradHy, Operand workspace) {
        CpuRnnCells.gruBackward(gradHy.type(), n, hidden, contiguous(gradHy), contiguous(workspace), contiguous(gradIgates),
                contiguous(gradHgates), contiguous(gradHx));
    }

    @Override
    public boolean layerNorm(long rows, long cols, double eps, Operand y, Operand mean, Operand rstd, Operand x, Operand w, Operand b) {
        DType type = x.type();
        if (type != DType.FLOAT32 && type != DType.FLOAT64) return false;
        CpuNorms.layerNorm(type, rows, cols, eps, contiguous(x), contiguousOrNull(w), contiguousOrNull(b), contiguous(y), contiguous(mean),
                contiguous(rstd));
        return true;
    }

    @Override
    public boolean layerNormBackward(long rows, long cols, Operand dx, Operand gxhat, Operand g, Operand x, Operand mean, Operand rstd,
                                     Operand w) {
        DType type = x.type();
        if (type != DType.FLOAT32 && type != DType.FLOAT64) return false;
        CpuNorms.layerNormBackward(type, rows, cols, contiguous(g), contiguous(x), contiguous(mean), contiguous(rstd), contiguousOrNull(w),
                contiguous(dx), contiguousOrNull(gxhat));
        return true;
    }

    @Override
    public boolean geluBackward(long n, boolean tanh, Operand dx, Operand g, Operand x) {
        DType type = x.type();
        if (type != DType.FLOAT32 && type != DType.FLOAT64) return false;
        CpuNorms.geluBackward(type, n, tanh, contiguous(g), contiguous(x), contiguous(dx));
        return true;
    }

    @Override
    public boolean hasWindowKernels(DType type) { return type == DType.FLOAT32 || type == DType.FLOAT64; }

    @Override
    public void im2col(WindowShape shape, Operand cols, Operand in) {
        CpuWindows.im2col(in.type(), shape, contiguous(in), contiguous(cols));
    }

    @Override
    public void col2im(WindowShape shape, Operand out, Operand cols) {
        CpuWindows.col2im(cols.type(), shape, contiguous(cols), contiguous(out));
    }

    @Override
    public void maxPool2d(WindowShape shape, Operand out, Operand indices, Operand in) {
        CpuWindows.maxPool2d(in.type(), shape, contiguous(in), contiguous(out), contiguous(indices));
    }

    @Override
    public void maxPool2dBackward(WindowShape shape, Operand gradIn, Operand gradOut, Operand indices) {
        CpuWindows.maxPool2dBackward(gradOut.type(), shape, contiguous(gradOut), contiguous(indices), contiguous(gradIn));
    }

    @Override
    public void batchNormStats(long n, long c, long inner, double eps, Operand mean, Operand invstd, Operand x) {
        CpuBatchNorm.stats(x.type(), n, c, inner, eps, contiguous(x), contiguous(mean), contiguous(invstd));
    }

    @Override
    public void batchNormElemt(long n, long c, long inner, Operand out, Operand x, Operand scale, Operand shift) {
        CpuBatchNorm.elemt(x.type(), n, c, inner, contiguous(x), contiguous(scale), contiguous(shift), contiguous(out));
    }

    @Override
    public boolean batchNormElemtAct(long n, long c, long inner, boolean relu, Operand out, Operand x, Operand scale, Operand shift,
            Operand residual) {
        CpuBatchNorm.elemtAct(x.type(), n, c, inner, contiguous(x), contiguous(scale), contiguous(shift),
                residual == null ? null : contiguous(residual), relu, contiguous(out));
        return true;
    }

    @Override
    public boolean batchNormBackwardReduce(long n, long c, long inner, Operand sumG, Operand dotp, Operand gMasked, Operand x, Operand g,
            Operand out, Operand mean) {
        return NativeWindows.batchNormBackwardReduce(x.type(), n, c, inner, contiguous(x), contiguous(g), out == null ? null : contiguous(out),
                gMasked == null ? null : contiguous(gMasked), contiguous(mean), contiguous(sumG), contiguous(dotp));
    }

    @Override
    public boolean batchNormBackwardElemt(long n, long c, long inner, Operand gx, Operand x, Operand g, Operand mean, Operand k,
            Operand gmean, Operand scale) {
        return NativeWindows.batchNormBackwardElemt(x.type(), n, c, inner, contiguous(x), contiguous(g), contiguous(mean), contiguous(k),
                contiguous(gmean), contiguous(scale), contiguous(gx));
    }

    @Override
    public boolean unscaleGrad(Operand grad, Operand foundInf, float invScale) {
        CpuGradUnscale.run(grad.type(), grad.layout().numel(), contiguous(grad), invScale, contiguous(foundInf));
        return true;
    }

    /** The bytes of a contiguous operand: its elements from its layout's offset. */
    private MemorySegment contiguous(Operand o) {
        Layout l = contiguousLayout(o);
        long es = o.type().byteSize();
        return host(o.buffer()).asSlice(l.offset() * es, l.numel() * es);
    }

    private MemorySegment contiguousOrNull(Operand o) { return o == null ? null : contiguous(o); }

    private static Layout contiguousLayout(Operand o) {
        Layout l = o.layout();
        if (!l.isContiguous()) throw new IllegalArgumentException("this kernel takes contiguous operands, got " + o.type() + " " + l);
        return l;
    }

    /** The host memory of a buffer; the CPU computes on nothing else. */
    final MemorySegment host(Buffer b) {
        // instanceof, not a pattern switch: this runs three times per op, and a type switch costs a bootstrap call
        if (b instanceof Buffer.HostMemory h) return h.segment();
        return deviceMemory((Buffer.DeviceMemory) b);
    }

    /**
     * The host memory behind device memory: the CPU has none (operands on different devices reached a kernel); the
     * emulated CUDA device answers with its own blocks.
     *
     * @throws IllegalArgumentException naming the device whose memory reached the CPU
     */
    protected MemorySegment deviceMemory(Buffer.DeviceMemory d) {
        throw new IllegalArgumentException("the CPU backend was handed memory on cuda:" + d.deviceIndex()
                + " (operands on different devices reached a kernel)");
    }
}
