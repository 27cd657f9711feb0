package dev.jtensor.backend.cuda;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.IndexTensor;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.cpu.CpuBackend;
import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.MatmulPlan;
import dev.jtensor.backend.plan.ReducePlan;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CUDA device emulated in host memory, for testing the device plumbing on machines without a GPU
 * ({@code -Djtensor.cuda.emulate=true}, PyTorch's fake/meta devices serve the same purpose). Tensors on it
 * are {@code cuda:N} tensors whose storage is {@link Buffer.DeviceMemory}: every host read that forgets
 * to copy to the CPU first fails exactly as on a real GPU, every op must keep its operands on one device,
 * and transfers go through {@link #copyBytes}. The arithmetic is the CPU backend's, so results equal the
 * CPU's bit for bit: what this checks is where memory lives, not the CUDA kernels (the GPU check does).
 */
public final class EmulatedCudaBackend implements Backend {
    private final Device device;
    private final AtomicLong allocated = new AtomicLong();
    /** Live blocks, base address to size: a device address this backend did not hand out is refused, never read. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, Long> blocks = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    EmulatedCudaBackend(int index) { this.device = Device.cuda(index); }

    @Override
    public Device device() { return device; }

    /** Bytes held by live allocations. */
    long memoryAllocated() { return allocated.get(); }

    @Override
    public Allocation allocate(long byteSize, boolean zero) {
        if (byteSize < 0) throw new IllegalArgumentException("negative storage size: " + byteSize + " bytes");
        Arena arena = Arena.ofShared();
        MemorySegment block = arena.allocate(Math.max(byteSize, 1), 256); // zero-filled by allocate
        if (!zero) block.fill((byte) 0x7f); // unspecified contents look like garbage, as cudaMalloc's do
        allocated.addAndGet(byteSize);
        blocks.put(block.address(), byteSize);
        return new Allocation(new Buffer.DeviceMemory(block.address(), device.index(), byteSize), () -> {
            blocks.remove(block.address());
            allocated.addAndGet(-byteSize);
            arena.close();
        });
    }

    @Override
    public void copyBytes(Buffer src, long srcOffset, Buffer dst, long dstOffset, long byteSize) {
        MemorySegment.copy(host(src), srcOffset, host(dst), dstOffset, byteSize);
    }

    @Override
    public void synchronize() {}

    @Override
    public void unary(UnaryKernel k, double p0, double p1, double p2, DType compute, IterPlan plan, Buffer out, DType outType,
                      Buffer x, DType xType) {
        CPU.unary(k, p0, p1, p2, compute, plan, hostBuffer(out), outType, hostBuffer(x), xType);
    }

    @Override
    public void unaryFlat(UnaryKernel k, double p0, double p1, double p2, DType type, Buffer out, long outOffset, Buffer x,
                          long xOffset, long n) {
        CPU.unaryFlat(k, p0, p1, p2, type, hostBuffer(out), outOffset, hostBuffer(x), xOffset, n);
    }

    @Override
    public void binary(BinaryKernel k, double alpha, DType compute, IterPlan plan, Buffer out, DType outType, Buffer a,
                       DType aType, Buffer b, DType bType) {
        CPU.binary(k, alpha, compute, plan, hostBuffer(out), outType, hostBuffer(a), aType, hostBuffer(b), bType);
    }

    @Override
    public void binaryFlat(BinaryKernel k, double alpha, DType type, Buffer out, long outOffset, Buffer a, long aOffset,
                           Buffer b, long bOffset, int bStride, long n) {
        CPU.binaryFlat(k, alpha, type, hostBuffer(out), outOffset, hostBuffer(a), aOffset, hostBuffer(b), bOffset, bStride, n);
    }

    @Override
    public void where(IterPlan plan, Buffer out, DType outType, Buffer cond, DType condType, Buffer a, DType aType, Buffer b,
                      DType bType) {
        CPU.where(plan, hostBuffer(out), outType, hostBuffer(cond), condType, hostBuffer(a), aType, hostBuffer(b), bType);
    }

    @Override
    public void copy(Buffer src, DType srcType, Layout srcLayout, Buffer dst, DType dstType, Layout dstLayout) {
        CPU.copy(hostBuffer(src), srcType, srcLayout, hostBuffer(dst), dstType, dstLayout);
    }

    @Override
    public void fill(Buffer dst, DType type, Layout layout, double value) { CPU.fill(hostBuffer(dst), type, layout, value); }

    @Override
    public void reduce(ReduceKernel kernel, double param, Buffer in, DType inType, ReducePlan plan, Buffer out, DType outType,
                       Buffer indices) {
        CPU.reduce(kernel, param, hostBuffer(in), inType, plan, hostBuffer(out), outType, indices == null ? null : hostBuffer(indices));
    }

    @Override
    public void scan(boolean prod, Buffer in, DType inType, ReducePlan plan, long length, long after, Buffer out, DType outType) {
        CPU.scan(prod, hostBuffer(in), inType, plan, length, after, hostBuffer(out), outType);
    }

    @Override
    public void softmax(boolean log, Buffer in, DType type, ReducePlan plan, long length, long after, long inStride, Buffer out) {
        CPU.softmax(log, hostBuffer(in), type, plan, length, after, inStride, hostBuffer(out));
    }

    @Override
    public void gemm(DType dtype, MatmulPlan plan, double alpha, Buffer a, Buffer b, double beta, Buffer c) {
        CPU.gemm(dtype, plan, alpha, hostBuffer(a), hostBuffer(b), beta, hostBuffer(c));
    }

    @Override
    public boolean gemmTakesHalf() { return true; }

    @Override
    public void gather(Buffer x, DType type, Layout xl, int dim, IndexTensor index, Buffer out) {
        CPU.gather(hostBuffer(x), type, xl, dim, onHost(index), hostBuffer(out));
    }

    @Override
    public void scatter(Buffer out, DType type, Layout ol, int dim, IndexTensor index, Buffer src, Layout sl,
                        double value, boolean accumulate) {
        CPU.scatter(hostBuffer(out), type, ol, dim, onHost(index), src == null ? null : hostBuffer(src), sl, value, accumulate);
    }

    @Override
    public void indexSelect(Buffer x, DType type, Layout xl, int dim, IndexTensor index, Buffer out, Layout ol) {
        CPU.indexSelect(hostBuffer(x), type, xl, dim, onHost(index), hostBuffer(out), ol);
    }

    @Override
    public void indexAdd(Buffer out, DType type, Layout ol, int dim, IndexTensor index, Buffer src, Layout sl, double alpha) {
        CPU.indexAdd(hostBuffer(out), type, ol, dim, onHost(index), hostBuffer(src), sl, alpha);
    }

    @Override
    public void maskedFill(Buffer x, DType type, Layout xl, Buffer mask, Layout ml, double value) {
        CPU.maskedFill(hostBuffer(x), type, xl, hostBuffer(mask), ml, value);
    }

    @Override
    public void scatterReduce(dev.jtensor.backend.ScatterReduce reduce, boolean includeSelf, Buffer out, DType type, Layout ol,
                              int dim, IndexTensor index, Buffer src, Layout sl) {
        CPU.scatterReduce(reduce, includeSelf, hostBuffer(out), type, ol, dim, onHost(index), hostBuffer(src), sl);
    }

    @Override
    public void take(Buffer src, DType type, Layout sl, IndexTensor index, Buffer dst, long dstOffset) {
        CPU.take(hostBuffer(src), type, sl, onHost(index), hostBuffer(dst), dstOffset);
    }

    @Override
    public void put(Buffer src, DType type, long srcOffset, Buffer dst, Layout dl, IndexTensor index) {
        CPU.put(hostBuffer(src), type, srcOffset, hostBuffer(dst), dl, onHost(index));
    }

    private IndexTensor onHost(IndexTensor t) { return t.on(hostBuffer(t.buffer())); }

    @Override
    public void random(dev.jtensor.backend.RandomDraw draw, DType type, Buffer out, long offset, long n, dev.jtensor.Generator g) {
        CPU.random(draw, type, hostBuffer(out), offset, n, g);
    }

    @Override
    public void optimizerStep(OptimizerStep step, DType type, long n, Buffer param, Buffer grad, Buffer... state) {
        Buffer[] s = new Buffer[state.length];
        for (int i = 0; i < s.length; i++) s[i] = hostBuffer(state[i]);
        CPU.optimizerStep(step, type, n, hostBuffer(param), hostBuffer(grad), s);
    }

    @Override
    public boolean hasFusedAttention(DType type) { return CPU.hasFusedAttention(type); }

    @Override
    public void attentionForward(dev.jtensor.backend.AttentionShape shape, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out, Buffer lse) {
        CPU.attentionForward(shape, hostBuffer(q), hostBuffer(k), hostBuffer(v), bias == null ? null : hostBuffer(bias), hostBuffer(out),
                hostBuffer(lse));
    }

    @Override
    public void attentionBackward(dev.jtensor.backend.AttentionShape shape, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out,
                                  Buffer lse, Buffer dout, Buffer dq, Buffer dk, Buffer dv) {
        CPU.attentionBackward(shape, hostBuffer(q), hostBuffer(k), hostBuffer(v), bias == null ? null : hostBuffer(bias), hostBuffer(out),
                hostBuffer(lse), hostBuffer(dout), hostBuffer(dq), hostBuffer(dk), hostBuffer(dv));
    }

    @Override
    public boolean hasWindowKernels(DType type) { return CPU.hasWindowKernels(type); }

    @Override
    public void im2col(DType type, dev.jtensor.backend.WindowShape shape, Buffer in, Buffer cols) {
        CPU.im2col(type, shape, hostBuffer(in), hostBuffer(cols));
    }

    @Override
    public void col2im(DType type, dev.jtensor.backend.WindowShape shape, Buffer cols, Buffer out) {
        CPU.col2im(type, shape, hostBuffer(cols), hostBuffer(out));
    }

    @Override
    public void maxPool2d(DType type, dev.jtensor.backend.WindowShape shape, Buffer in, Buffer out, Buffer indices) {
        CPU.maxPool2d(type, shape, hostBuffer(in), hostBuffer(out), hostBuffer(indices));
    }

    @Override
    public void maxPool2dBackward(DType type, dev.jtensor.backend.WindowShape shape, Buffer gradOut, Buffer indices, Buffer gradIn) {
        CPU.maxPool2dBackward(type, shape, hostBuffer(gradOut), hostBuffer(indices), hostBuffer(gradIn));
    }

    @Override
    public void batchNormStats(DType type, long n, long c, long inner, double eps, Buffer x, Buffer mean, Buffer invstd) {
        CPU.batchNormStats(type, n, c, inner, eps, hostBuffer(x), hostBuffer(mean), hostBuffer(invstd));
    }

    @Override
    public void batchNormElemt(DType type, long n, long c, long inner, Buffer x, Buffer scale, Buffer shift, Buffer out) {
        CPU.batchNormElemt(type, n, c, inner, hostBuffer(x), hostBuffer(scale), hostBuffer(shift), hostBuffer(out));
    }

    @Override
    public boolean unscaleGrad(DType type, long n, Buffer grad, float invScale, Buffer foundInf) {
        return CPU.unscaleGrad(type, n, hostBuffer(grad), invScale, hostBuffer(foundInf));
    }

    private Buffer hostBuffer(Buffer b) { return new Buffer.HostMemory(host(b)); }

    /** The host memory behind an emulated device buffer (or a host buffer as it is). */
    private MemorySegment host(Buffer b) {
        return switch (b) {
            case Buffer.HostMemory h -> h.segment();
            case Buffer.DeviceMemory d -> {
                if (d.deviceIndex() != device.index()) {
                    throw new IllegalArgumentException("the backend of " + device + " was handed memory on cuda:" + d.deviceIndex());
                }
                var block = blocks.floorEntry(d.address());
                if (block == null || d.address() + d.byteSize() > block.getKey() + block.getValue()) {
                    throw new IllegalArgumentException("the emulated " + device + " was handed " + d.byteSize() + " bytes at 0x"
                            + Long.toHexString(d.address()) + ", which no live block of it holds");
                }
                yield MemorySegment.ofAddress(d.address()).reinterpret(d.byteSize());
            }
        };
    }
}
