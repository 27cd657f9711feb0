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
    public void copyBytes(Buffer src, long srcOffset, Buffer dst, long dstOffset, long byteSize) {
        MemorySegment.copy(host(src), srcOffset, host(dst), dstOffset, byteSize);
    }

    @Override
    public void synchronize() {} // the CPU's kernels return when done

    // ---------------- elementwise ----------------

    @Override
    public void unary(UnaryKernel k, double p0, double p1, double p2, DType compute, IterPlan plan,
                      Buffer out, DType outType, Buffer x, DType xType) {
        CpuLoops.unary(k, p0, p1, p2, compute, plan, host(out), outType, host(x), xType);
    }

    @Override
    public void unaryFlat(UnaryKernel k, double p0, double p1, double p2, DType type, Buffer out, long outOffset,
                          Buffer x, long xOffset, long n) {
        CpuLoops.unaryFlat(k, p0, p1, p2, type, host(out), outOffset, host(x), xOffset, n);
    }

    @Override
    public void binary(BinaryKernel k, double alpha, DType compute, IterPlan plan,
                       Buffer out, DType outType, Buffer a, DType aType, Buffer b, DType bType) {
        CpuLoops.binary(k, alpha, compute, plan, host(out), outType, host(a), aType, host(b), bType);
    }

    @Override
    public void binaryFlat(BinaryKernel k, double alpha, DType type, Buffer out, long outOffset,
                           Buffer a, long aOffset, Buffer b, long bOffset, int bStride, long n) {
        CpuLoops.binaryFlat(k, alpha, type, host(out), outOffset, host(a), aOffset, host(b), bOffset, bStride, n);
    }

    @Override
    public void where(IterPlan plan, Buffer out, DType outType, Buffer cond, DType condType, Buffer a, DType aType,
                      Buffer b, DType bType) {
        CpuLoops.where(plan, host(out), outType, host(cond), condType, host(a), aType, host(b), bType);
    }

    @Override
    public void copy(Operand dst, Operand src) {
        CpuCopy.copy(host(src.buffer()), src.type(), src.layout(), host(dst.buffer()), dst.type(), dst.layout());
    }

    @Override
    public void fill(Buffer dst, DType type, Layout layout, double value) {
        CpuCopy.fill(host(dst), type, layout, value);
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
    public void gather(Buffer out, Operand x, int dim, IndexTensor index) {
        CpuIndexing.gather(host(x.buffer()), x.type(), x.layout(), dim, index(index), host(out));
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
    public void take(Buffer dst, long dstOffset, Operand src, IndexTensor index) {
        CpuIndexing.take(host(src.buffer()), src.type(), src.layout(), index(index), host(dst), dstOffset);
    }

    @Override
    public void put(Operand dst, Buffer src, long srcOffset, IndexTensor index) {
        CpuIndexing.put(host(src), dst.type(), srcOffset, host(dst.buffer()), dst.layout(), index(index));
    }

    @Override
    public void nonzero(Buffer out, long count, Buffer mask, Layout ml) { CpuIndexing.nonzero(host(mask), ml, host(out), count); }

    private CpuIndexing.Index index(IndexTensor t) { return new CpuIndexing.Index(host(t.buffer()), t); }

    @Override
    public void random(RandomDraw draw, DType type, Buffer out, long offset, long n, RandomSource source) {
        synchronized (source.lock()) { // one unbroken run of the stream (a generator is shared across threads)
            CpuRandom.fill(draw, type, host(out), offset, n, source);
        }
    }

    @Override
    public void optimizerStep(OptimizerStep step, DType type, long n, Buffer param, Buffer grad, Buffer... state) {
        MemorySegment[] s = new MemorySegment[state.length];
        for (int i = 0; i < s.length; i++) s[i] = host(state[i]);
        if (KernelChoice.stepInC(n) && NativeSteps.optimizerStep(step, type, n, host(param), host(grad), s)) return;
        CpuOptimizerSteps.run(step, type, Math.toIntExact(n), host(param), host(grad), s);
    }

    @Override
    public boolean hasFusedAttention(DType type) { return type == DType.FLOAT32; }

    @Override
    public void attentionForward(AttentionShape shape, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out, Buffer lse) {
        CpuAttention.forward(shape, host(q), host(k), host(v), bias == null ? null : host(bias), host(out), host(lse));
    }

    @Override
    public void attentionBackward(AttentionShape shape, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out,
                                  Buffer lse, Buffer dout, Buffer dq, Buffer dk, Buffer dv) {
        CpuAttention.backward(shape, host(q), host(k), host(v), bias == null ? null : host(bias), host(out), host(lse), host(dout),
                host(dq), host(dk), host(dv));
    }

    @Override
    public boolean hasRnnCellKernels(DType type) { return type.isFloatingPoint(); }

    @Override
    public void lstmCell(DType type, long n, long hidden, Buffer igates, Buffer hgates, Buffer biasIh, Buffer biasHh, Buffer cx,
                         Buffer hy, Buffer cy, Buffer workspace) {
        CpuRnnCells.lstm(type, n, hidden, host(igates), host(hgates), hostOrNull(biasIh), hostOrNull(biasHh), host(cx), host(hy), host(cy),
                host(workspace));
    }

    @Override
    public void lstmCellBackward(DType type, long n, long hidden, Buffer gradHy, Buffer gradCy, Buffer cx, Buffer cy, Buffer workspace,
                                 Buffer gradGates, Buffer gradCx) {
        CpuRnnCells.lstmBackward(type, n, hidden, hostOrNull(gradHy), hostOrNull(gradCy), host(cx), host(cy), host(workspace), host(gradGates),
                host(gradCx));
    }

    @Override
    public void gruCell(DType type, long n, long hidden, Buffer igates, Buffer hgates, Buffer biasIh, Buffer biasHh, Buffer hx,
                        Buffer hy, Buffer workspace) {
        CpuRnnCells.gru(type, n, hidden, host(igates), host(hgates), hostOrNull(biasIh), hostOrNull(biasHh), host(hx), host(hy), host(workspace));
    }

    @Override
    public void gruCellBackward(DType type, long n, long hidden, Buffer gradHy, Buffer workspace, Buffer gradIgates, Buffer gradHgates,
                                Buffer gradHx) {
        CpuRnnCells.gruBackward(type, n, hidden, host(gradHy), host(workspace), host(gradIgates), host(gradHgates), host(gradHx));
    }

    @Override
    public boolean layerNorm(DType type, long rows, long cols, double eps, Buffer x, Buffer w, Buffer b, Buffer y, Buffer mean, Buffer rstd) {
        if (type != DType.FLOAT32 && type != DType.FLOAT64) return false;
        CpuNorms.layerNorm(type, rows, cols, eps, host(x), hostOrNull(w), hostOrNull(b), host(y), host(mean), host(rstd));
        return true;
    }

    @Override
    public boolean layerNormBackward(DType type, long rows, long cols, Buffer g, Buffer x, Buffer mean, Buffer rstd, Buffer w, Buffer dx,
                                     Buffer gxhat) {
        if (type != DType.FLOAT32 && type != DType.FLOAT64) return false;
        CpuNorms.layerNormBackward(type, rows, cols, host(g), host(x), host(mean), host(rstd), hostOrNull(w), host(dx), hostOrNull(gxhat));
        return true;
    }

    @Override
    public boolean geluBackward(DType type, long n, boolean tanh, Buffer g, Buffer x, Buffer dx) {
        if (type != DType.FLOAT32 && type != DType.FLOAT64) return false;
        CpuNorms.geluBackward(type, n, tanh, host(g), host(x), host(dx));
        return true;
    }

    @Override
    public boolean hasWindowKernels(DType type) { return type == DType.FLOAT32 || type == DType.FLOAT64; }

    @Override
    public void im2col(DType type, WindowShape shape, Buffer in, Buffer cols) {
        CpuWindows.im2col(type, shape, host(in), host(cols));
    }

    @Override
    public void col2im(DType type, WindowShape shape, Buffer cols, Buffer out) {
        CpuWindows.col2im(type, shape, host(cols), host(out));
    }

    @Override
    public void maxPool2d(DType type, WindowShape shape, Buffer in, Buffer out, Buffer indices) {
        CpuWindows.maxPool2d(type, shape, host(in), host(out), host(indices));
    }

    @Override
    public void maxPool2dBackward(DType type, WindowShape shape, Buffer gradOut, Buffer indices, Buffer gradIn) {
        CpuWindows.maxPool2dBackward(type, shape, host(gradOut), host(indices), host(gradIn));
    }

    @Override
    public void batchNormStats(DType type, long n, long c, long inner, double eps, Buffer x, Buffer mean, Buffer invstd) {
        CpuBatchNorm.stats(type, n, c, inner, eps, host(x), host(mean), host(invstd));
    }

    @Override
    public void batchNormElemt(DType type, long n, long c, long inner, Buffer x, Buffer scale, Buffer shift, Buffer out) {
        CpuBatchNorm.elemt(type, n, c, inner, host(x), host(scale), host(shift), host(out));
    }

    @Override
    public boolean batchNormElemtAct(DType type, long n, long c, long inner, Buffer x, Buffer scale, Buffer shift, Buffer residual,
            boolean relu, Buffer out) {
        CpuBatchNorm.elemtAct(type, n, c, inner, host(x), host(scale), host(shift), residual == null ? null : host(residual), relu, host(out));
        return true;
    }

    @Override
    public boolean batchNormBackwardReduce(DType type, long n, long c, long inner, Buffer x, Buffer g, Buffer out, Buffer gMasked, Buffer mean,
            Buffer sumG, Buffer dotp) {
        return NativeWindows.batchNormBackwardReduce(type, n, c, inner, host(x), host(g), out == null ? null : host(out),
                gMasked == null ? null : host(gMasked), host(mean), host(sumG), host(dotp));
    }

    @Override
    public boolean batchNormBackwardElemt(DType type, long n, long c, long inner, Buffer x, Buffer g, Buffer mean, Buffer k, Buffer gmean,
            Buffer scale, Buffer gx) {
        return NativeWindows.batchNormBackwardElemt(type, n, c, inner, host(x), host(g), host(mean), host(k), host(gmean), host(scale), host(gx));
    }

    @Override
    public boolean unscaleGrad(DType type, long n, Buffer grad, float invScale, Buffer foundInf) {
        CpuGradUnscale.run(type, n, host(grad), invScale, host(foundInf));
        return true;
    }

    /** The host memory of a buffer; the CPU computes on nothing else. */
    final MemorySegment host(Buffer b) {
        // instanceof, not a pattern switch: this runs three times per op, and a type switch costs a bootstrap call
        if (b instanceof Buffer.HostMemory h) return h.segment();
        return deviceMemory((Buffer.DeviceMemory) b);
    }

    private MemorySegment hostOrNull(Buffer b) { return b == null ? null : host(b); }

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
