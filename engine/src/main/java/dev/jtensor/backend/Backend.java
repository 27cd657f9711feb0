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
 * <p>The verbs by family: memory (allocation, transfers, synchronisation: what makes {@link Storage}
 * device-neutral), elementwise, reductions and scans, linear algebra, indexing, random numbers, fused optimizer
 * steps, fused attention, fused recurrent cells, layer norm and the sliding windows of convolution and pooling. Every verb
 * takes its output first; offsets and strides count elements and travel in the operands' layouts; every buffer is
 * pinned by the caller for the call's duration.
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
     * {@code dst = src} between the host and this backend's device, each buffer on either (uploads, downloads and
     * device-to-device copies): the {@code numel} elements of src's contiguous layout to dst's, of one dtype, each
     * from its layout's offset. Returns when {@code dst} holds them and {@code src} may be reused.
     *
     * @throws IllegalArgumentException when the layouts are not contiguous or differ in dtype or element count
     * @throws IndexOutOfBoundsException naming the buffer when a range falls outside it
     */
    void transfer(Operand dst, Operand src);

    /**
     * How many bytes a {@link #transfer} from {@code src} to {@code dst} moves: the operands checked as it takes them
     * (for the backends' implementations).
     *
     * @throws IllegalArgumentException when the operands are not contiguous or differ in dtype or element count
     */
    static long transferBytes(Operand dst, Operand src) {
        Layout d = dst.layout(), s = src.layout();
        if (dst.type() != src.type() || d.numel() != s.numel() || !d.isContiguous() || !s.isContiguous()) {
            throw new IllegalArgumentException("transfer takes contiguous operands of one dtype and element count, got " + dst.type() + " "
                    + d + " and " + src.type() + " " + s);
        }
        return d.numel() * dst.type().byteSize();
    }

    /** The first {@code byteSize} bytes of {@code b} as a transfer operand (raw bytes: uint8 elements). */
    static Operand bytes(Buffer b, long byteSize) { return new Operand(b, DType.UINT8, Layout.flat(byteSize, 0, 1)); }

    /** Waits until every kernel queued on this backend's device has finished ({@code torch.cuda.synchronize}). */
    void synchronize();

    // ---------------- elementwise (the output first; inputs broadcast to its shape) ----------------

    /**
     * {@code out = k(x)} computing in {@code compute}; {@code p0..p2} as the kernel says. {@code x}'s layout has
     * out's shape (broadcast: stride 0 where it repeats); the backend plans the walk ({@link IterPlan#of}).
     *
     * @throws IllegalArgumentException when out writes one memory location twice (a stride-0 dim of size &gt; 1)
     */
    void unary(UnaryKernel k, double p0, double p1, double p2, DType compute, Operand out, Operand x);

    /**
     * {@link #unary} for contiguous {@code out} and {@code x} of one float dtype and element count, each in its own
     * layout (the tensors' layouts, no broadcast one made): the tiny-op path, computing in their dtype. Derived as
     * rank-1 layouts; the CPU overrides it with its flat loops (no plan).
     */
    default void unaryFlat(UnaryKernel k, double p0, double p1, double p2, Operand out, Operand x) {
        long n = out.layout().numel();
        if (n == 0) return;
        unary(k, p0, p1, p2, out.type(), new Operand(out.buffer(), out.type(), Layout.flat(n, out.layout().offset(), 1)),
                new Operand(x.buffer(), x.type(), Layout.flat(n, x.layout().offset(), 1)));
    }

    /**
     * {@code out = a (k) b} computing in {@code compute}; {@code alpha} scales b for ADD/SUB. {@code a} and {@code b}
     * have out's shape (broadcast); the backend plans the walk.
     *
     * @throws IllegalArgumentException when out writes one memory location twice
     */
    void binary(BinaryKernel k, double alpha, DType compute, Operand out, Operand a, Operand b);

    /**
     * {@link #binary} for contiguous {@code out} and {@code a} of one float dtype and element count, and {@code b} of
     * that dtype, contiguous with as many elements or one element (broadcast over a), each in its own layout: the
     * tiny-op path, as {@link #unaryFlat}.
     */
    default void binaryFlat(BinaryKernel k, double alpha, Operand out, Operand a, Operand b) {
        long n = out.layout().numel();
        if (n == 0) return;
        DType t = out.type();
        binary(k, alpha, t, new Operand(out.buffer(), t, Layout.flat(n, out.layout().offset(), 1)),
                new Operand(a.buffer(), t, Layout.flat(n, a.layout().offset(), 1)),
                new Operand(b.buffer(), t, Layout.flat(n, b.layout().offset(), flatStride(b, n))));
    }

    /** The stride along a flat walk of {@code n} elements of a flat verb's {@code b}: 1, or 0 for one broadcast element. */
    static int flatStride(Operand b, long n) { return b.layout().numel() == n ? 1 : 0; }

    /**
     * {@code out = cond ? a : b}; a and b are converted to out's type. {@code cond}, {@code a} and {@code b} have out's
     * shape (broadcast); the backend plans the walk.
     */
    void where(Operand out, Operand cond, Operand a, Operand b);

    /** {@code dst = src} converted to dst's type (layouts of one shape; the strided copy and cast). */
    void copy(Operand dst, Operand src);

    /**
     * Every element of {@code dst}'s layout set to {@code value} converted to its type: the FILL kernel of
     * {@link #unary} (the CPU overrides it with its byte fills).
     */
    default void fill(Operand dst, double value) {
        if (dst.layout().numel() == 0) return;
        unary(UnaryKernel.FILL, value, 0, 0, dst.type(), dst, dst);
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
    void gather(Operand out, Operand x, int dim, IndexTensor index);

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

    /**
     * {@code x[p] = value} wherever the bool {@code mask[p]} is true (both layouts of one shape). A verb of its own,
     * not derived: as {@link #where} (out = x, a = value, b = x) it would need {@code value} in the device's memory,
     * one upload (or one fill launch into a scratch block) per call on CUDA, where this is one launch.
     */
    void maskedFill(Operand x, Operand mask, double value);

    /**
     * {@code torch.take}: {@code out[k] = src[index[k]]} where {@code index[k]} is a row-major position in the
     * contiguous {@code src}; the k run over the index row-major ({@code out} contiguous, of src's type). Derived: one
     * {@link #gather} along dim 0 of src's elements as one row (stride 0 along the index's other dims).
     *
     * @throws IndexOutOfBoundsException naming index, dim 0 and src's element count for a position outside it
     */
    default void take(Operand out, Operand src, IndexTensor index) {
        IndexTensor idx = atLeastOneDim(index);
        gather(out, new Operand(src.buffer(), src.type(), asRow(src.layout(), idx.layout().shape())), 0, idx);
    }

    /**
     * {@code torch.put_}: {@code out[index[k]] = src[k]} where {@code index[k]} is a row-major position in the
     * contiguous {@code out} ({@code src} contiguous, of out's type, one element per index value). Derived: one
     * {@link #scatter} along dim 0 of out's elements as one row.
     *
     * @throws IndexOutOfBoundsException naming index, dim 0 and out's element count for a position outside it
     */
    default void put(Operand out, Operand src, IndexTensor index) {
        IndexTensor idx = atLeastOneDim(index);
        long[] shape = idx.layout().shape();
        Layout srcView = new Layout(shape, Layout.contiguousStrides(shape), src.layout().offset());
        if (!src.layout().isContiguous() || src.layout().numel() != idx.count()) {
            throw new IllegalArgumentException("put takes a contiguous source of " + idx.count() + " elements, got " + src.layout());
        }
        scatter(new Operand(out.buffer(), out.type(), asRow(out.layout(), shape)), 0, idx, new Operand(src.buffer(), src.type(), srcView), 0,
                false);
    }

    /** An index of rank 0 as rank 1 (one value). */
    private static IndexTensor atLeastOneDim(IndexTensor index) {
        Layout l = index.layout();
        return l.rank() > 0 ? index : index.withLayout(new Layout(new long[] {1}, new long[] {1}, l.offset()));
    }

    /**
     * The elements of the contiguous {@code l} as one row along dim 0, with the index's other dims (of
     * {@code indexShape}) reading it at stride 0: the layout through which gather and scatter address row-major
     * positions.
     */
    private static Layout asRow(Layout l, long[] indexShape) {
        if (!l.isContiguous()) throw new IllegalArgumentException("take/put address a contiguous tensor (the op layer makes one), got " + l);
        long[] shape = indexShape.clone(), strides = new long[shape.length];
        shape[0] = l.numel();
        strides[0] = 1;
        return new Layout(shape, strides, l.offset());
    }

    /**
     * {@code nonzero} of a bool mask: the row-major positions (int64) of its true elements into the contiguous
     * {@code out}, which holds exactly as many as it has elements (the op layer counted them first: nonzero's named
     * host synchronisation, as PyTorch's). By default (the CUDA devices, which have no kernel for it yet) the mask's
     * bytes go to the host, the CPU kernel runs there and the positions come back: the place for a device kernel later.
     *
     * @throws IllegalStateException when the mask holds another number of true elements than {@code out} has elements
     */
    default void nonzero(Operand out, Operand mask) {
        Layout ml = mask.layout();
        long maskBytes = ml.numel() == 0 ? 0 : ml.maxIndex() + 1, count = out.layout().numel();
        Allocation hostMask = cpu().allocate(maskBytes, false), hostOut = cpu().allocate(count * 8, false);
        transfer(bytes(hostMask.buffer(), maskBytes), bytes(mask.buffer(), maskBytes));
        cpu().nonzero(new Operand(hostOut.buffer(), DType.INT64, Layout.flat(count, 0, 1)), new Operand(hostMask.buffer(), DType.BOOL, ml));
        transfer(out, new Operand(hostOut.buffer(), DType.INT64, Layout.flat(count, 0, 1)));
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
            transfer(bytes(hostOut.buffer(), outBytes), bytes(out.buffer(), outBytes));
            transfer(bytes(hostSrc.buffer(), srcBytes), bytes(src.buffer(), srcBytes));
            transfer(bytes(hostIdx.buffer(), idxBytes), bytes(index.buffer(), idxBytes));
            cpu().scatterReduce(reduce, includeSelf, new Operand(hostOut.buffer(), type, out.layout()), dim, index.on(hostIdx.buffer()),
                    new Operand(hostSrc.buffer(), type, src.layout()));
            transfer(bytes(out.buffer(), outBytes), bytes(hostOut.buffer(), outBytes));
        } finally {
            for (Allocation a : new Allocation[] {hostOut, hostSrc, hostIdx}) if (a.free() != null) a.free().run();
        }
    }

    // ---------------- random numbers ----------------

    /**
     * Fills the contiguous {@code out} with {@code draw}'s numbers from {@code source} (its mt19937 stream on the CPU,
     * PyTorch's Philox stream at {@code source.offset()} on CUDA), holding its lock so that the draws of one op are one
     * unbroken run.
     */
    void random(RandomDraw draw, Operand out, RandomSource source);

    // ---------------- fused optimizer steps ----------------

    /**
     * One optimizer update of the contiguous {@code param}: it and the {@code state} operands (in the order the step's
     * record names them) are updated in place from {@code grad}; all of one type and element count.
     */
    void optimizerStep(OptimizerStep step, Operand param, Operand grad, Operand... state);

    // ---------------- fused attention (issue 23) ----------------

    /**
     * True when {@link #attentionForward}/{@link #attentionBackward} take {@code type} on this backend (the CPU: float32;
     * CUDA: float32 with {@code -Djtensor.cuda.fusedKernels=true}, else the op runs its composite there).
     */
    default boolean hasFusedAttention(DType type) { return false; }

    /**
     * Scaled dot-product attention of every slice of {@code shape}: {@code out = softmax(scale q k^T + bias) v} and
     * each row's log-sum-exp into {@code lse}, without storing the score matrix; every operand contiguous float32,
     * {@code bias} null for none.
     *
     * @throws UnsupportedOperationException where {@link #hasFusedAttention} is false
     */
    default void attentionForward(AttentionShape shape, Operand out, Operand lse, Operand q, Operand k, Operand v, Operand bias) {
        throw new UnsupportedOperationException("fused scaled_dot_product_attention: no kernel on " + device());
    }

    /** The gradients {@code dq, dk, dv} (overwritten) of {@link #attentionForward} from its {@code out}, {@code lse} and {@code dout}. */
    default void attentionBackward(AttentionShape shape, Operand dq, Operand dk, Operand dv, Operand q, Operand k, Operand v, Operand bias,
                                   Operand out, Operand lse, Operand dout) {
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
     * and the activated gates in {@code workspace [n, 4 hidden]}. Every operand contiguous, of one floating type.
     *
     * @throws UnsupportedOperationException where {@link #hasRnnCellKernels} is false
     */
    default void lstmCell(long n, long hidden, Operand hy, Operand cy, Operand workspace, Operand igates, Operand hgates, Operand biasIh,
                          Operand biasHh, Operand cx) {
        throw new UnsupportedOperationException("fused lstm cell: no " + igates.type() + " kernel on " + device());
    }

    /**
     * The backward of {@link #lstmCell} from its {@code cx}, {@code cy} and {@code workspace}: {@code gradGates [n, 4 hidden]}
     * (the gradient of the summed pre-activations, so of igates, hgates and, summed over n, each bias) and
     * {@code gradCx [n, hidden]}, overwritten; {@code gradHy} or {@code gradCy} null for zero.
     */
    default void lstmCellBackward(long n, long hidden, Operand gradGates, Operand gradCx, Operand gradHy, Operand gradCy, Operand cx, Operand cy,
                                  Operand workspace) {
        throw new UnsupportedOperationException("fused lstm cell backward: no " + cx.type() + " kernel on " + device());
    }

    /**
     * PyTorch's {@code _thnn_fused_gru_cell}: gates r, z, n of {@code igates}/{@code hgates [n, 3 hidden]}, each plus its
     * bias ({@code [3 hidden]} or null); {@code r = sigmoid(ir + hr)}, {@code z = sigmoid(iz + hz)},
     * {@code m = tanh(in + r hn)}, {@code hy = m + z (hx - m)}; {@code workspace [n, 5 hidden]} receives r, z, m, hx, hn.
     */
    default void gruCell(long n, long hidden, Operand hy, Operand workspace, Operand igates, Operand hgates, Operand biasIh, Operand biasHh,
                         Operand hx) {
        throw new UnsupportedOperationException("fused gru cell: no " + igates.type() + " kernel on " + device());
    }

    /** The backward of {@link #gruCell}: {@code gradIgates}, {@code gradHgates [n, 3 hidden]} and {@code gradHx [n, hidden]}, overwritten. */
    default void gruCellBackward(long n, long hidden, Operand gradIgates, Operand gradHgates, Operand gradHx, Operand gradHy, Operand workspace) {
        throw new UnsupportedOperationException("fused gru cell backward: no " + gradHy.type() + " kernel on " + device());
    }

    // ---------------- layer norm and GELU backward (issue 23, the GPT step) ----------------

    /**
     * Layer norm of the {@code rows} contiguous rows of {@code cols} of {@code x}: per row its mean and
     * {@code rstd = 1 / sqrt(biased variance + eps)} (accumulated in double; stored in {@code mean}, {@code rstd} {@code [rows]})
     * and {@code y = (x - mean) rstd w + b} ({@code w}, {@code b} {@code [cols]} or null), each element rounded once. All of
     * one floating type, contiguous. Returns false, touching nothing, where the backend has no such kernel (the op
     * layer composes it).
     */
    default boolean layerNorm(long rows, long cols, double eps, Operand y, Operand mean, Operand rstd, Operand x, Operand w, Operand b) {
        return false;
    }

    /**
     * The input gradient of {@link #layerNorm} from its {@code mean} and {@code rstd}: with {@code xh = (x - mean) rstd} and
     * {@code gw = g w}, {@code dx = rstd (gw - mean(gw) - xh mean(gw xh))} per row; {@code gxhat} (null for none) receives
     * {@code g xh}, whose column sums are the weight's gradient. Returns false, touching nothing, where there is no kernel.
     */
    default boolean layerNormBackward(long rows, long cols, Operand dx, Operand gxhat, Operand g, Operand x, Operand mean, Operand rstd,
                                      Operand w) {
        return false;
    }

    /**
     * GELU's backward over {@code n} contiguous elements: {@code dx = g gelu'(x)} ({@code tanh}: of the tanh approximation),
     * computed in double and rounded once. Returns false, touching nothing, where the backend has no such kernel.
     */
    default boolean geluBackward(long n, boolean tanh, Operand dx, Operand g, Operand x) { return false; }

    // ---------------- sliding windows of convolution and pooling (issue 22; every operand contiguous, of one float type) ----------------

    /**
     * True when the CNN kernels ({@link #im2col}, {@link #col2im}, {@link #maxPool2d}, {@link #batchNormStats} and their
     * kin) take {@code type} on this backend (the CPU: float32 and float64; CUDA: the same with
     * {@code -Djtensor.cuda.fusedKernels=true}, else the ops compose there).
     */
    default boolean hasWindowKernels(DType type) { return false; }

    /**
     * Copies every window tap of the planes {@code in [planes, h, w]} into {@code cols [planes, kH * kW, oH, oW]} (zeros
     * where a tap lies in the padding).
     *
     * @throws UnsupportedOperationException where {@link #hasWindowKernels} is false
     */
    default void im2col(WindowShape shape, Operand cols, Operand in) {
        throw new UnsupportedOperationException("im2col: no " + in.type() + " kernel on " + device());
    }

    /** The adjoint of {@link #im2col}: {@code out [planes, h, w]} overwritten with the sum of the columns each position fed. */
    default void col2im(WindowShape shape, Operand out, Operand cols) {
        throw new UnsupportedOperationException("col2im: no " + cols.type() + " kernel on " + device());
    }

    /**
     * Max pooling of the planes {@code in [planes, h, w]} over the windows of {@code shape} (padding never read):
     * {@code out [planes, oH, oW]} and the int64 flat {@code h * w} position of each maximum in {@code indices} (first
     * in tap order, NaN winning, as PyTorch's CPU kernel).
     *
     * @throws UnsupportedOperationException where {@link #hasWindowKernels} is false
     */
    default void maxPool2d(WindowShape shape, Operand out, Operand indices, Operand in) {
        throw new UnsupportedOperationException("max_pool2d: no " + in.type() + " kernel on " + device());
    }

    /** The backward of {@link #maxPool2d}: {@code gradIn [planes, h, w]} overwritten with each {@code gradOut} element added at its index. */
    default void maxPool2dBackward(WindowShape shape, Operand gradIn, Operand gradOut, Operand indices) {
        throw new UnsupportedOperationException("max_pool2d backward: no " + gradOut.type() + " kernel on " + device());
    }

    /**
     * Batch-norm statistics of {@code x [n, c, inner]}: per channel its {@code mean} and
     * {@code invstd = 1 / sqrt(biased variance + eps)} ({@code [c]}, of x's type), accumulated in double.
     *
     * @throws UnsupportedOperationException where {@link #hasWindowKernels} is false
     */
    default void batchNormStats(long n, long c, long inner, double eps, Operand mean, Operand invstd, Operand x) {
        throw new UnsupportedOperationException("batch_norm_stats: no " + x.type() + " kernel on " + device());
    }

    /** Batch-norm's per-channel affine: {@code out[b, ch, i] = x[b, ch, i] * scale[ch] + shift[ch]}. */
    default void batchNormElemt(long n, long c, long inner, Operand out, Operand x, Operand scale, Operand shift) {
        throw new UnsupportedOperationException("batch_norm_elemt: no " + x.type() + " kernel on " + device());
    }

    /**
     * Batch-norm inference fused with what follows it in a residual block: {@code out = x * scale + shift}, then
     * {@code + residual} (all {@code [n, c, inner]}) when {@code residual} is not null, then relu when {@code relu};
     * each step rounded as the separate ops round it. Returns false, touching nothing, where the backend has no such
     * kernel; the op layer then composes it from other verbs.
     */
    default boolean batchNormElemtAct(long n, long c, long inner, boolean relu, Operand out, Operand x, Operand scale, Operand shift,
            Operand residual) {
        return false;
    }

    /**
     * Batch-norm training backward, first pass, over {@code x} and {@code g} {@code [n, c, inner]}: per channel
     * {@code sumG = sum g} and {@code dotp = sum g (x - mean)} ({@code [c]}), accumulated in double. With {@code out}
     * (not null: the output of a relu that followed, as {@code x}) {@code g} is first masked as relu's backward masks
     * it (g where out &gt; 0, else 0) and written to {@code gMasked}. Returns false, touching nothing, where the backend
     * has no such kernel (the op layer composes it).
     */
    default boolean batchNormBackwardReduce(long n, long c, long inner, Operand sumG, Operand dotp, Operand gMasked, Operand x, Operand g,
            Operand out, Operand mean) {
        return false;
    }

    /**
     * Batch-norm training backward, second pass: {@code gx = ((g - gmean) - (x - mean) k) scale} with per-channel
     * {@code mean}, {@code k}, {@code gmean}, {@code scale} ({@code [c]}). Returns false, touching nothing, where the
     * backend has no such kernel.
     */
    default boolean batchNormBackwardElemt(long n, long c, long inner, Operand gx, Operand x, Operand g, Operand mean, Operand k,
            Operand gmean, Operand scale) {
        return false;
    }

    /**
     * GradScaler's fused unscale: {@code grad[i] = grad[i] * invScale} over the contiguous {@code grad} of a floating
     * type, and {@code foundInf} (one float32) set to 1 if any {@code grad[i]} was not finite before scaling (never
     * cleared: it gathers over several calls). Returns false, touching nothing, where the backend has no such kernel;
     * the op layer then composes it from other verbs.
     */
    default boolean unscaleGrad(Operand grad, Operand foundInf, float invScale) { return false; }

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
