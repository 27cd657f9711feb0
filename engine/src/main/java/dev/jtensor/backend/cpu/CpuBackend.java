package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.IndexTensor;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.internal.layout.IterPlan;
import dev.jtensor.internal.layout.Layout;
import dev.jtensor.internal.layout.MatmulPlan;
import dev.jtensor.internal.layout.ReducePlan;
import java.lang.foreign.MemorySegment;

/**
 * The CPU's kernels behind {@link Backend}: today's loops, BLAS and SIMD paths.
 *
 * <h2>Where the bytes live (decided by JMH, see bench/RESULTS.md)</h2>
 * Blocks of at most {@link #HEAP_MAX_BYTES} live on the Java heap, in a {@code long[]} wrapped by
 * {@link MemorySegment#ofArray(long[])}: allocation is a plain {@code new}, the GC frees them, and no
 * {@code Cleaner} is needed (native calls take them through {@code Linker.Option.critical} or a copy;
 * {@code Blas} decides). Larger blocks come from {@link NativeMemory}: 64-byte aligned blocks recycled
 * through a size-bucketed pool, with off-heap accounting that runs the GC before the limit is reached.
 */
public final class CpuBackend implements Backend {
    /** The one instance. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    /** Blocks up to this size live on the Java heap (a 16x16 float32 matrix is 1 KiB). */
    public static final long HEAP_MAX_BYTES = dev.jtensor.internal.Config.bytes("jtensor.heapMaxBytes", 1024, 0);

    private CpuBackend() {}

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

    // ---------------- elementwise: today's loops over host segments ----------------

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
    public void copy(Buffer src, DType srcType, Layout srcLayout, Buffer dst, DType dstType, Layout dstLayout) {
        CpuCopy.copy(host(src), srcType, srcLayout, host(dst), dstType, dstLayout);
    }

    @Override
    public void fill(Buffer dst, DType type, Layout layout, double value) {
        CpuCopy.fill(host(dst), type, layout, value);
    }

    // ---------------- reductions and scans ----------------

    @Override
    public void reduce(ReduceKernel kernel, double param, Buffer in, DType inType, ReducePlan plan, Buffer out, DType outType,
                       Buffer indices) {
        CpuReduce.reduce(kernel, param, host(in), inType, plan, host(out), outType, indices == null ? null : host(indices));
    }

    @Override
    public void scan(boolean prod, Buffer in, DType inType, ReducePlan plan, long length, long after, Buffer out, DType outType) {
        CpuReduce.scan(prod, host(in), inType, plan, length, after, host(out), outType);
    }

    @Override
    public void softmax(boolean log, Buffer in, DType type, ReducePlan plan, long length, long after, long inStride, Buffer out) {
        CpuSoftmax.rows(log, host(in), type, plan, length, after, inStride, host(out));
    }

    @Override
    public void gemm(DType dtype, MatmulPlan plan, double alpha, Buffer a, Buffer b, double beta, Buffer c) {
        CpuLinalg.gemm(dtype, plan, alpha, host(a), host(b), beta, host(c));
    }

    @Override
    public boolean gemmTakesHalf() { return true; }

    // ---------------- indexing ----------------

    @Override
    public void gather(Buffer x, DType type, Layout xl, int dim, IndexTensor index, Buffer out) {
        CpuIndexing.gather(host(x), type, xl, dim, index(index), host(out));
    }

    @Override
    public void scatter(Buffer out, DType type, Layout ol, int dim, IndexTensor index, Buffer src, Layout sl,
                        double value, boolean accumulate) {
        CpuIndexing.scatter(host(out), type, ol, dim, index(index), src == null ? null : host(src), sl, value, accumulate);
    }

    @Override
    public void indexSelect(Buffer x, DType type, Layout xl, int dim, IndexTensor index, Buffer out, Layout ol) {
        CpuIndexing.indexSelect(host(x), type, xl, dim, index(index), host(out), ol);
    }

    @Override
    public void indexAdd(Buffer out, DType type, Layout ol, int dim, IndexTensor index, Buffer src, Layout sl, double alpha) {
        CpuIndexing.indexAdd(host(out), type, ol, dim, index(index), host(src), sl, alpha);
    }

    @Override
    public void maskedFill(Buffer x, DType type, Layout xl, Buffer mask, Layout ml, double value) {
        CpuIndexing.maskedFill(host(x), type, xl, host(mask), ml, value);
    }

    @Override
    public void scatterReduce(dev.jtensor.backend.ScatterReduce reduce, boolean includeSelf, Buffer out, DType type, Layout ol,
                              int dim, IndexTensor index, Buffer src, Layout sl) {
        CpuScatterReduce.run(reduce, includeSelf, host(out), type, ol, dim, index(index), host(src), sl);
    }

    @Override
    public void take(Buffer src, DType type, Layout sl, IndexTensor index, Buffer dst, long dstOffset) {
        CpuIndexing.take(host(src), type, sl, index(index), host(dst), dstOffset);
    }

    @Override
    public void put(Buffer src, DType type, long srcOffset, Buffer dst, Layout dl, IndexTensor index) {
        CpuIndexing.put(host(src), type, srcOffset, host(dst), dl, index(index));
    }

    @Override
    public void nonzero(Buffer mask, Layout ml, Buffer out, long count) { CpuIndexing.nonzero(host(mask), ml, host(out), count); }

    private static CpuIndexing.Index index(IndexTensor t) { return new CpuIndexing.Index(host(t.buffer()), t); }

    @Override
    public void random(dev.jtensor.backend.RandomDraw draw, DType type, Buffer out, long offset, long n, dev.jtensor.Generator g) {
        synchronized (g) { // one unbroken run of the stream (Generator is shared across threads)
            CpuRandom.fill(draw, type, host(out), offset, n, g);
        }
    }

    @Override
    public void optimizerStep(OptimizerStep step, DType type, long n, Buffer param, Buffer grad, Buffer... state) {
        MemorySegment[] s = new MemorySegment[state.length];
        for (int i = 0; i < s.length; i++) s[i] = host(state[i]);
        if (n >= NativeKernels.STEP_MIN && NativeSteps.optimizerStep(step, type, n, host(param), host(grad), s)) return;
        CpuOptimizerSteps.run(step, type, Math.toIntExact(n), host(param), host(grad), s);
    }

    @Override
    public boolean hasFusedAttention(DType type) { return type == DType.FLOAT32; }

    @Override
    public void attentionForward(dev.jtensor.backend.AttentionShape shape, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out, Buffer lse) {
        CpuAttention.forward(shape, host(q), host(k), host(v), bias == null ? null : host(bias), host(out), host(lse));
    }

    @Override
    public void attentionBackward(dev.jtensor.backend.AttentionShape shape, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out,
                                  Buffer lse, Buffer dout, Buffer dq, Buffer dk, Buffer dv) {
        CpuAttention.backward(shape, host(q), host(k), host(v), bias == null ? null : host(bias), host(out), host(lse), host(dout),
                host(dq), host(dk), host(dv));
    }

    @Override
    public boolean hasWindowKernels(DType type) { return type == DType.FLOAT32 || type == DType.FLOAT64; }

    @Override
    public void im2col(DType type, dev.jtensor.backend.WindowShape shape, Buffer in, Buffer cols) {
        CpuWindows.im2col(type, shape, host(in), host(cols));
    }

    @Override
    public void col2im(DType type, dev.jtensor.backend.WindowShape shape, Buffer cols, Buffer out) {
        CpuWindows.col2im(type, shape, host(cols), host(out));
    }

    @Override
    public void maxPool2d(DType type, dev.jtensor.backend.WindowShape shape, Buffer in, Buffer out, Buffer indices) {
        CpuWindows.maxPool2d(type, shape, host(in), host(out), host(indices));
    }

    @Override
    public void maxPool2dBackward(DType type, dev.jtensor.backend.WindowShape shape, Buffer gradOut, Buffer indices, Buffer gradIn) {
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
    private static MemorySegment host(Buffer b) {
        // instanceof, not a pattern switch: this runs three times per op, and a type switch costs a bootstrap call
        if (b instanceof Buffer.HostMemory h) return h.segment();
        throw new IllegalArgumentException("the CPU backend was handed memory on cuda:" + ((Buffer.DeviceMemory) b).deviceIndex()
                + " (operands on different devices reached a kernel)");
    }
}
