package dev.jtensor.backend;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.backend.cpu.CpuBackend;
import dev.jtensor.backend.cuda.CudaBackend;
import dev.jtensor.backend.cuda.CudaDevices;
import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.MatmulPlan;
import dev.jtensor.backend.plan.ReducePlan;

/**
 * The kernels of one kind of device (DESIGN section 4, STYLE G2/G3): op families decide semantics (shapes,
 * dtypes, autograd) and hand resolved plans and {@link Buffer}s to their device's backend, which never
 * sees a {@code Tensor}. Sealed: a new backend is added here and in every exhaustive switch (the emulated CUDA
 * device is a {@link CpuBackend} on emulated device memory).
 *
 * <p>The verbs by family: memory (allocation, byte copies, synchronisation: what makes {@link Storage}
 * device-neutral), elementwise, reductions and scans, linear algebra, indexing, random numbers, fused optimizer
 * steps, fused attention, fused recurrent cells and the sliding windows of convolution and pooling. Offsets and strides are in elements
 * (in bytes for {@link #copyBytes}); every buffer is pinned by the caller for the call's duration.
 */
public sealed interface Backend permits CpuBackend, CudaBackend {
    /** A block of memory and the action that frees it (null when the GC owns it, as for heap blocks). */
    record Allocation(Buffer buffer, Runnable free) {}

    /** The device this backend computes on. */
    Device device();

    /**
     * A block of {@code byteSize} bytes on this backend's device, zero-filled when {@code zero} (else its
     * contents are unspecified: every byte is about to be written).
     *
     * @throws IllegalArgumentException for a negative size
     */
    Allocation allocate(long byteSize, boolean zero);

    /**
     * Copies {@code byteSize} bytes from {@code src} at {@code srcOffset} to {@code dst} at {@code dstOffset}
     * (offsets in bytes), each buffer on the host or on this backend's device: uploads, downloads and
     * device-to-device copies. Returns when {@code dst} holds the bytes and {@code src} may be reused.
     *
     * @throws IndexOutOfBoundsException naming the buffer when a range falls outside it
     */
    void copyBytes(Buffer src, long srcOffset, Buffer dst, long dstOffset, long byteSize);

    /** Waits until every kernel queued on this backend's device has finished ({@code torch.cuda.synchronize}). */
    void synchronize();

    // ---------------- elementwise (operands in plan order: the output first) ----------------

    /** {@code out = k(x)} over {@code plan} computing in {@code compute}; {@code p0..p2} as the kernel says. */
    void unary(UnaryKernel k, double p0, double p1, double p2, DType compute, IterPlan plan,
               Buffer out, DType outType, Buffer x, DType xType);

    /**
     * {@link #unary} for contiguous {@code out} and {@code x} of one float dtype (offsets in elements): a rank-1
     * plan. The CPU overrides it with its tiny-op path (no plan, nothing allocated).
     */
    default void unaryFlat(UnaryKernel k, double p0, double p1, double p2, DType type, Buffer out, long outOffset,
                           Buffer x, long xOffset, long n) {
        if (n == 0) return;
        unary(k, p0, p1, p2, type, IterPlan.flat(n, outOffset, 1, xOffset, 1), out, type, x, type);
    }

    /** {@code out = a (k) b} over {@code plan} computing in {@code compute}; {@code alpha} scales b for ADD/SUB. */
    void binary(BinaryKernel k, double alpha, DType compute, IterPlan plan,
                Buffer out, DType outType, Buffer a, DType aType, Buffer b, DType bType);

    /**
     * {@link #binary} for contiguous {@code out} and {@code a} of one float dtype, {@code b} contiguous
     * ({@code bStride} 1) or one broadcast element ({@code bStride} 0); offsets in elements: a rank-1 plan. The
     * CPU overrides it with its tiny-op path (no plan, nothing allocated).
     */
    default void binaryFlat(BinaryKernel k, double alpha, DType type, Buffer out, long outOffset,
                            Buffer a, long aOffset, Buffer b, long bOffset, int bStride, long n) {
        if (n == 0) return;
        binary(k, alpha, type, IterPlan.flat(n, outOffset, 1, aOffset, 1, bOffset, bStride), out, type, a, type, b, type);
    }

    /** {@code out = cond ? a : b} over {@code plan}; a and b are converted to out's type. */
    void where(IterPlan plan, Buffer out, DType outType, Buffer cond, DType condType, Buffer a, DType aType, Buffer b, DType bType);

    /** {@code dst = src} converted to dst's type (layouts of one shape; the strided copy and cast). */
    void copy(Operand dst, Operand src);

    /**
     * Every element of {@code layout} in {@code dst} set to {@code value} converted to {@code type}: the FILL kernel
     * of {@link #unary} (the CPU overrides it with its byte fills).
     */
    default void fill(Buffer dst, DType type, Layout layout, double value) {
        if (layout.numel() == 0) return;
        unary(UnaryKernel.FILL, value, 0, 0, type, IterPlan.of(layout.shape(), layout, layout), dst, type, dst, type);
    }

    // ---------------- reductions and scans (the plan, then the outputs, then the input) ----------------

    /**
     * {@code out = kernel(in)} over the dims {@code plan} reduces, in {@code outType}; {@code indices}
     * (int64, may be null) receives the arg position for the kernels that have one; {@code param} as the
     * kernel says (the p of a norm).
     */
    void reduce(ReduceKernel kernel, double param, ReducePlan plan, Buffer out, DType outType, Buffer indices, Buffer in,
                DType inType);

    /**
     * Inclusive cumulative sum ({@code prod} false) or product along one dim: {@code plan} walks the lines,
     * each {@code length} long with elements {@code after} apart.
     */
    void scan(boolean prod, ReducePlan plan, long length, long after, Buffer out, DType outType, Buffer in, DType inType);

    /**
     * Softmax ({@code log} false) or log-softmax of every line of {@code in} along one dim: {@code plan}
     * walks the lines, each {@code length} long with elements {@code inStride} apart; {@code out} is
     * contiguous of the same shape (elements {@code after} apart along the dim).
     */
    void softmax(boolean log, DType type, ReducePlan plan, long length, long after, long inStride, Buffer out, Buffer in);

    // ---------------- linear algebra ----------------

    /**
     * {@code c = alpha * op(a) @ op(b) + beta * c} for every batch of {@code plan} (transposes, leading
     * dims and batch strides resolved in the plan; BLAS on the CPU, cuBLAS on CUDA). The output first.
     */
    void gemm(DType dtype, MatmulPlan plan, Buffer c, Buffer a, Buffer b, double alpha, double beta);

    /**
     * Whether {@link #gemm} takes float16/bfloat16 operands itself (float32 accumulation, no float32 copy of
     * an operand); where false the op layer converts half operands to float32 copies first.
     */
    default boolean gemmTakesHalf() { return false; }

    // ---------------- indexing (output first; one kernel per call; index values read and checked in the kernel) ----------------

    /**
     * {@code out[p] = x[p with p[dim] := index[p]]} for every position p of the index's shape (row-major,
     * {@code out} contiguous of that shape, of x's type).
     *
     * @throws IndexOutOfBoundsException naming index, dim and size for a value outside {@code [0, x.size(dim))}
     */
    void gather(Buffer out, Operand x, int dim, IndexTensor index);

    /**
     * {@code out[p with p[dim] := index[p]] = src[p]} ({@code +=} when {@code accumulate}) for every position
     * p of the index's shape; {@code src} (of out's type) null writes {@code value} instead.
     *
     * @throws IndexOutOfBoundsException naming index, dim and size for a value outside {@code [0, out.size(dim))}
     */
    void scatter(Operand out, int dim, IndexTensor index, Operand src, double value, boolean accumulate);

    /**
     * {@code out.select(dim, j) = x.select(dim, index[j])} for every j of the 1-d (or 0-d) index: the slices of
     * {@code x} along {@code dim} into {@code out} (of x's type and shape with {@code index.count()} at dim).
     *
     * @throws IndexOutOfBoundsException naming index, dim and size for a value outside {@code [0, x.size(dim))}
     */
    void indexSelect(Operand out, Operand x, int dim, IndexTensor index);

    /**
     * {@code out.select(dim, index[j]) += alpha * src.select(dim, j)} for every j of the 1-d index, in index
     * order (duplicates add up; integer types exactly). The CPU kernel is deterministic; CUDA's accumulates
     * with atomics unless {@link Determinism#enabled()}.
     *
     * @throws IndexOutOfBoundsException naming index, dim and size for a value outside {@code [0, out.size(dim))}
     */
    void indexAdd(Operand out, int dim, IndexTensor index, Operand src, double alpha);

    /** {@code x[p] = value} wherever the bool {@code mask[p]} is true (both layouts of one shape). */
    void maskedFill(Operand x, Operand mask, double value);

    /**
     * {@code torch.take}: {@code dst[dstOffset + k] = src[index[k]]} where {@code index[k]} is a row-major
     * position in src's layout; the k run over the index row-major ({@code dst} contiguous, of src's type).
     *
     * @throws IndexOutOfBoundsException for a position outside {@code [0, src.numel())}
     */
    void take(Buffer dst, long dstOffset, Operand src, IndexTensor index);

    /**
     * {@code torch.put_}: {@code dst[index[k]] = src[srcOffset + k]} where {@code index[k]} is a row-major
     * position in dst's layout ({@code src} contiguous, of dst's type).
     *
     * @throws IndexOutOfBoundsException for a position outside {@code [0, dst.numel())}
     */
    void put(Operand dst, Buffer src, long srcOffset, IndexTensor index);

    /**
     * {@code nonzero} of a bool mask: the row-major positions (int64) of its true elements into {@code out}, which
     * holds exactly {@code count} of them (the op layer counted them first: nonzero's named host synchronisation,
     * as PyTorch's). By default (the CUDA devices, which have no kernel for it yet) the mask's bytes go to the host,
     * the CPU kernel runs there and the positions come back: the place for a device kernel later.
     *
     * @throws IllegalStateException when the mask holds another number of true elements than {@code count}
     */
    default void nonzero(Buffer out, long count, Buffer mask, Layout ml) {
        long maskBytes = ml.numel() == 0 ? 0 : ml.maxIndex() + 1;
        Allocation hostMask = cpu().allocate(maskBytes, false), hostOut = cpu().allocate(count * 8, false);
        copyBytes(mask, 0, hostMask.buffer(), 0, maskBytes);
        cpu().nonzero(hostOut.buffer(), count, hostMask.buffer(), ml);
        copyBytes(hostOut.buffer(), 0, out, 0, count * 8);
    }

    /**
     * {@code out[p with p[dim] := index[p]] = reduce(out[...], src[p])} for every position p of the index's
     * shape, in index order ({@code scatter_reduce_}): positions that receive a value first drop what
     * {@code out} held unless {@code includeSelf}; MEAN divides each such position by its count (floor
     * division for integer types); AMAX/AMIN propagate NaN.
     *
     * The CPU runs its loop; by default (the CUDA devices, which have no kernel for it yet) the bytes of
     * {@code out}, {@code src} and the index that the layouts reach go to the host, the CPU loop runs there and
     * {@code out} comes back: correct on every device, and the place for a kernel later.
     */
    default void scatterReduce(ScatterReduce reduce, boolean includeSelf, Operand out, int dim, IndexTensor index, Operand src) {
        DType type = out.type();
        long outBytes = (out.layout().maxIndex() + 1) * type.byteSize(), srcBytes = (src.layout().maxIndex() + 1) * type.byteSize();
        long idxBytes = (index.layout().maxIndex() + 1) * index.type().byteSize();
        Allocation hostOut = cpu().allocate(outBytes, false), hostSrc = cpu().allocate(srcBytes, false);
        Allocation hostIdx = cpu().allocate(idxBytes, false);
        try {
            copyBytes(out.buffer(), 0, hostOut.buffer(), 0, outBytes);
            copyBytes(src.buffer(), 0, hostSrc.buffer(), 0, srcBytes);
            copyBytes(index.buffer(), 0, hostIdx.buffer(), 0, idxBytes);
            cpu().scatterReduce(reduce, includeSelf, new Operand(hostOut.buffer(), type, out.layout()), dim, index.on(hostIdx.buffer()),
                    new Operand(hostSrc.buffer(), type, src.layout()));
            copyBytes(hostOut.buffer(), 0, out.buffer(), 0, outBytes);
        } finally {
            for (Allocation a : new Allocation[] {hostOut, hostSrc, hostIdx}) if (a.free() != null) a.free().run();
        }
    }

    // ---------------- random numbers ----------------

    /**
     * Fills the {@code n} contiguous elements of {@code out} from element {@code offset} with {@code draw}'s
     * numbers from {@code source} (its mt19937 stream on the CPU, PyTorch's Philox stream at
     * {@code source.offset()} on CUDA), holding its lock so that the draws of one op are one unbroken run.
     */
    void random(RandomDraw draw, DType type, Buffer out, long offset, long n, RandomSource source);

    // ---------------- fused optimizer steps ----------------

    /**
     * One optimizer update of {@code n} contiguous elements: {@code param} and the {@code state} buffers (in
     * the order the step's record names them) are updated in place from {@code grad}; all of {@code type}.
     */
    void optimizerStep(OptimizerStep step, DType type, long n, Buffer param, Buffer grad, Buffer... state);

    // ---------------- fused attention (issue 23) ----------------

    /**
     * True when {@link #attentionForward}/{@link #attentionBackward} take {@code type} on this backend (the CPU: float32;
     * CUDA: not yet, the op runs its composite there).
     */
    default boolean hasFusedAttention(DType type) { return false; }

    /**
     * Scaled dot-product attention of every slice of {@code shape}: {@code out = softmax(scale q k^T + bias) v} and
     * each row's log-sum-exp into {@code lse}, without storing the score matrix; all buffers contiguous float32 at
     * offset 0, {@code bias} null for none.
     *
     * @throws UnsupportedOperationException where {@link #hasFusedAttention} is false
     */
    default void attentionForward(AttentionShape shape, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out, Buffer lse) {
        throw new UnsupportedOperationException("fused scaled_dot_product_attention: no kernel on " + device());
    }

    /** The gradients {@code dq, dk, dv} (overwritten) of {@link #attentionForward} from its {@code out}, {@code lse} and {@code dout}. */
    default void attentionBackward(AttentionShape shape, Buffer q, Buffer k, Buffer v, Buffer bias, Buffer out, Buffer lse, Buffer dout,
                                   Buffer dq, Buffer dk, Buffer dv) {
        throw new UnsupportedOperationException("fused scaled_dot_product_attention backward: no kernel on " + device());
    }

    // ---------------- fused recurrent cells (issue 23) ----------------

    /**
     * True when {@link #lstmCell}, {@link #gruCell} and their backwards take {@code type} on this backend (the CPU: every
     * floating type; CUDA: float32 and float64); else the op layer composes the cells from elementwise verbs.
     */
    default boolean hasRnnCellKernels(DType type) { return false; }

    /**
     * PyTorch's {@code _thnn_fused_lstm_cell} over {@code n} rows of {@code hidden} units: the gate pre-activations
     * {@code igates + hgates (+ biasIh) (+ biasHh)} ({@code [n, 4 hidden]}, gates i, f, g, o; biases {@code [4 hidden]}
     * or null) give {@code cy = sigmoid(f) cx + sigmoid(i) tanh(g)}, {@code hy = sigmoid(o) tanh(cy)} ({@code [n, hidden]})
     * and the activated gates in {@code workspace [n, 4 hidden]}. All contiguous at offset 0, of {@code type}.
     *
     * @throws UnsupportedOperationException where {@link #hasRnnCellKernels} is false
     */
    default void lstmCell(DType type, long n, long hidden, Buffer igates, Buffer hgates, Buffer biasIh, Buffer biasHh, Buffer cx,
                          Buffer hy, Buffer cy, Buffer workspace) {
        throw new UnsupportedOperationException("fused lstm cell: no " + type + " kernel on " + device());
    }

    /**
     * The backward of {@link #lstmCell} from its {@code cx}, {@code cy} and {@code workspace}: {@code gradGates [n, 4 hidden]}
     * (the gradient of the summed pre-activations, so of igates, hgates and, summed over n, each bias) and
     * {@code gradCx [n, hidden]}, overwritten; {@code gradHy} or {@code gradCy} null for zero.
     */
    default void lstmCellBackward(DType type, long n, long hidden, Buffer gradHy, Buffer gradCy, Buffer cx, Buffer cy, Buffer workspace,
                                  Buffer gradGates, Buffer gradCx) {
        throw new UnsupportedOperationException("fused lstm cell backward: no " + type + " kernel on " + device());
    }

    /**
     * PyTorch's {@code _thnn_fused_gru_cell}: gates r, z, n of {@code igates}/{@code hgates [n, 3 hidden]}, each plus its
     * bias ({@code [3 hidden]} or null); {@code r = sigmoid(ir + hr)}, {@code z = sigmoid(iz + hz)},
     * {@code m = tanh(in + r hn)}, {@code hy = m + z (hx - m)}; {@code workspace [n, 5 hidden]} receives r, z, m, hx, hn.
     */
    default void gruCell(DType type, long n, long hidden, Buffer igates, Buffer hgates, Buffer biasIh, Buffer biasHh, Buffer hx,
                         Buffer hy, Buffer workspace) {
        throw new UnsupportedOperationException("fused gru cell: no " + type + " kernel on " + device());
    }

    /** The backward of {@link #gruCell}: {@code gradIgates}, {@code gradHgates [n, 3 hidden]} and {@code gradHx [n, hidden]}, overwritten. */
    default void gruCellBackward(DType type, long n, long hidden, Buffer gradHy, Buffer workspace, Buffer gradIgates, Buffer gradHgates,
                                 Buffer gradHx) {
        throw new UnsupportedOperationException("fused gru cell backward: no " + type + " kernel on " + device());
    }

    // ---------------- layer norm and GELU backward (issue 23, the GPT step) ----------------

    /**
     * Layer norm of the {@code rows} contiguous rows of {@code cols} of {@code x}: per row its mean and
     * {@code rstd = 1 / sqrt(biased variance + eps)} (accumulated in double; stored in {@code mean}, {@code rstd} {@code [rows]})
     * and {@code y = (x - mean) rstd w + b} ({@code w}, {@code b} {@code [cols]} or null), each element rounded once. All of
     * {@code type}, contiguous at offset 0. Returns false, touching nothing, where the backend has no such kernel (the op
     * layer composes it).
     */
    default boolean layerNorm(DType type, long rows, long cols, double eps, Buffer x, Buffer w, Buffer b, Buffer y, Buffer mean, Buffer rstd) {
        return false;
    }

    /**
     * The input gradient of {@link #layerNorm} from its {@code mean} and {@code rstd}: with {@code xh = (x - mean) rstd} and
     * {@code gw = g w}, {@code dx = rstd (gw - mean(gw) - xh mean(gw xh))} per row; {@code gxhat} (null for none) receives
     * {@code g xh}, whose column sums are the weight's gradient. Returns false, touching nothing, where there is no kernel.
     */
    default boolean layerNormBackward(DType type, long rows, long cols, Buffer g, Buffer x, Buffer mean, Buffer rstd, Buffer w, Buffer dx,
                                      Buffer gxhat) {
        return false;
    }

    /**
     * GELU's backward over {@code n} contiguous elements: {@code dx = g gelu'(x)} ({@code tanh}: of the tanh approximation),
     * computed in double and rounded once. Returns false, touching nothing, where the backend has no such kernel.
     */
    default boolean geluBackward(DType type, long n, boolean tanh, Buffer g, Buffer x, Buffer dx) { return false; }

    // ---------------- sliding windows of convolution and pooling (issue 22) ----------------

    /**
     * True when the CNN kernels ({@link #im2col}, {@link #col2im}, {@link #maxPool2d}, {@link #batchNormStats} and their
     * kin) take {@code type} on this backend (the CPU: float32 and float64; CUDA: not yet, the ops compose there).
     */
    default boolean hasWindowKernels(DType type) { return false; }

    /**
     * Copies every window tap of the contiguous planes {@code in [planes, h, w]} into {@code cols
     * [planes, kH * kW, oH, oW]} (zeros where a tap lies in the padding); both of {@code type}, at offset 0.
     *
     * @throws UnsupportedOperationException where {@link #hasWindowKernels} is false
     */
    default void im2col(DType type, WindowShape shape, Buffer in, Buffer cols) {
        throw new UnsupportedOperationException("im2col: no " + type + " kernel on " + device());
    }

    /** The adjoint of {@link #im2col}: {@code out [planes, h, w]} overwritten with the sum of the columns each position fed. */
    default void col2im(DType type, WindowShape shape, Buffer cols, Buffer out) {
        throw new UnsupportedOperationException("col2im: no " + type + " kernel on " + device());
    }

    /**
     * Max pooling of the contiguous planes {@code in [planes, h, w]} over the windows of {@code shape} (padding never
     * read): {@code out [planes, oH, oW]} of {@code type} and the int64 flat {@code h * w} position of each maximum in
     * {@code indices} (first in tap order, NaN winning, as PyTorch's CPU kernel).
     *
     * @throws UnsupportedOperationException where {@link #hasWindowKernels} is false
     */
    default void maxPool2d(DType type, WindowShape shape, Buffer in, Buffer out, Buffer indices) {
        throw new UnsupportedOperationException("max_pool2d: no " + type + " kernel on " + device());
    }

    /** The backward of {@link #maxPool2d}: {@code gradIn [planes, h, w]} overwritten with each {@code gradOut} element added at its index. */
    default void maxPool2dBackward(DType type, WindowShape shape, Buffer gradOut, Buffer indices, Buffer gradIn) {
        throw new UnsupportedOperationException("max_pool2d backward: no " + type + " kernel on " + device());
    }

    /**
     * Batch-norm statistics of contiguous {@code x [n, c, inner]}: per channel its {@code mean} and
     * {@code invstd = 1 / sqrt(biased variance + eps)} ({@code [c]}, of {@code type}), accumulated in double.
     *
     * @throws UnsupportedOperationException where {@link #hasWindowKernels} is false
     */
    default void batchNormStats(DType type, long n, long c, long inner, double eps, Buffer x, Buffer mean, Buffer invstd) {
        throw new UnsupportedOperationException("batch_norm_stats: no " + type + " kernel on " + device());
    }

    /** Batch-norm's per-channel affine: {@code out[b, ch, i] = x[b, ch, i] * scale[ch] + shift[ch]}, all contiguous. */
    default void batchNormElemt(DType type, long n, long c, long inner, Buffer x, Buffer scale, Buffer shift, Buffer out) {
        throw new UnsupportedOperationException("batch_norm_elemt: no " + type + " kernel on " + device());
    }

    /**
     * Batch-norm inference fused with what follows it in a residual block: {@code out = x * scale + shift}, then
     * {@code + residual} (all {@code [n, c, inner]}, contiguous) when {@code residual} is not null, then relu when
     * {@code relu}; each step rounded as the separate ops round it. Returns false, touching nothing, where the backend
     * has no such kernel; the op layer then composes it from other verbs.
     */
    default boolean batchNormElemtAct(DType type, long n, long c, long inner, Buffer x, Buffer scale, Buffer shift, Buffer residual,
            boolean relu, Buffer out) {
        return false;
    }

    /**
     * Batch-norm training backward, first pass, over contiguous {@code x} and {@code g} {@code [n, c, inner]}: per channel
     * {@code sumG = sum g} and {@code dotp = sum g (x - mean)} ({@code [c]}, of {@code type}), accumulated in double.
     * With {@code out} (not null: the output of a relu that followed, as {@code x}) {@code g} is first masked as relu's
     * backward masks it (g where out &gt; 0, else 0) and written to {@code gMasked}. Returns false, touching nothing,
     * where the backend has no such kernel (the op layer composes it).
     */
    default boolean batchNormBackwardReduce(DType type, long n, long c, long inner, Buffer x, Buffer g, Buffer out, Buffer gMasked, Buffer mean,
            Buffer sumG, Buffer dotp) {
        return false;
    }

    /**
     * Batch-norm training backward, second pass: {@code gx = ((g - gmean) - (x - mean) k) scale} with per-channel
     * {@code mean}, {@code k}, {@code gmean}, {@code scale} ({@code [c]}). Returns false, touching nothing, where the
     * backend has no such kernel.
     */
    default boolean batchNormBackwardElemt(DType type, long n, long c, long inner, Buffer x, Buffer g, Buffer mean, Buffer k, Buffer gmean,
            Buffer scale, Buffer gx) {
        return false;
    }

    /**
     * GradScaler's fused unscale: {@code grad[i] = grad[i] * invScale} over {@code n} contiguous elements of a
     * floating {@code type}, and {@code foundInf} (one float32) set to 1 if any {@code grad[i]} was not finite
     * before scaling (never cleared: it gathers over several calls). Returns false, touching nothing, where the
     * backend has no such kernel; the op layer then composes it from other verbs.
     */
    default boolean unscaleGrad(DType type, long n, Buffer grad, float invScale, Buffer foundInf) { return false; }

    /** The CPU backend. */
    static Backend cpu() { return CpuBackend.INSTANCE; }

    /**
     * The backend of {@code device}.
     *
     * @throws IllegalStateException naming what is missing (driver, device, cuBLAS, the CUDA library of this
     *         build) and where it looked, when the device cannot be used
     */
    static Backend of(Device device) {
        if (device == Device.CPU) return CpuBackend.INSTANCE; // the common case, without the switch
        return switch (device.type()) {
            case CPU -> CpuBackend.INSTANCE;
            case CUDA -> CudaDevices.backend(device.index());
        };
    }
}
