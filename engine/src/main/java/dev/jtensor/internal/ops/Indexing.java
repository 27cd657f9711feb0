package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.IndexTensor;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
import java.util.Arrays;
import java.util.List;

/**
 * Indexing along one dim: {@code gather scatter scatterAdd indexSelect} (and the {@code indexAdd} their
 * backward rules use), and {@code maskedFill}. Each op is one backend call on the index tensor itself (its
 * values are read by the kernel, never on the host); the kernel checks every value against the size of the dim
 * it addresses and throws {@link IndexOutOfBoundsException} naming index, dim and size. Functional forms copy; {@code _} forms
 * write in place and bump the version counter.
 */
public final class Indexing {
    private Indexing() {}

    // ---------------- index checking ----------------

    /**
     * The index tensor of {@code op} checked for dtype (int64, int32 too if {@code allowInt32}) and on
     * {@code device} (an upload when it is elsewhere): its values are read by the kernel, never on the host.
     */
    static Tensor indexOn(String op, Tensor index, boolean allowInt32, Device device) {
        DType t = index.dtype();
        if (t != DType.INT64 && !(allowInt32 && t == DType.INT32)) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64" + (allowInt32 ? " or int32" : "")
                    + " for index, got " + t);
        }
        Tensor i = index.detach();
        return i.device().equals(device) ? i : Movement.toDevice(i, device);
    }

    /** The backend operand of an index tensor pinned as {@code b}. */
    static IndexTensor operand(Tensor index, Buffer b) { return new IndexTensor(b, index.dtype(), Tensors.layout(index)); }

    /** gather/scatter's shape rule: same rank, and index no larger than {@code other} in every dim but {@code dim}. */
    static void checkIndexShape(String op, Tensor x, int dim, Tensor index, Tensor src) {
        if (index.dim() != x.dim() && !(index.dim() <= 1 && x.dim() <= 1)) {
            throw new IllegalArgumentException(op + "(): Index tensor must have the same number of dimensions as input tensor"
                    + " (index shape " + index.shape() + ", input shape " + x.shape() + ")");
        }
        for (int d = 0; d < index.dim(); d++) {
            if (d != dim && index.size(d) > x.size(d)) {
                throw new IllegalArgumentException(op + "(): Size does not match at dimension " + d + " expected index "
                        + index.shape() + " to be smaller than self " + x.shape() + " apart from dimension " + dim);
            }
            if (src != null && index.size(d) > src.size(d)) {
                throw new IllegalArgumentException(op + "(): Expected index " + index.shape() + " to be smaller than src "
                        + src.shape() + " at dimension " + d);
            }
        }
    }

    // ---------------- gather, scatter ----------------

    /**
     * {@code out[i][j][k] = x[i][index[i][j][k]][k]} (for dim 1): the result has index's shape and x's dtype.
     * Backward (GatherBackward0): {@code zeros(x).scatterAdd(dim, index, g)}.
     */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = Layout.wrapDim(dim, x.dim());
        if (index.numel() == 0) return emptyLike(x, index); // PyTorch returns at once: no dtype or shape checks
        if (x.dim() == 0) return gather(x.reshape(1), 0, index.reshape(-1)).reshape(index.shape().toArray()); // one element
        checkIndexShape("gather", x, d, index, null);
        Tensor idx = indexOn("gather", index, false, x.device());
        Tensor out = Tensors.empty(x.dtype(), Tensors.layout(index).shape().clone(), x.device());
        Layout xl = Tensors.layout(x);
        Dispatch.run("gather", out, x, idx, (backend, bo, bx, bi) -> backend.gather(Dispatch.operand(bo, out), new Operand(bx, x.dtype(), xl), d,
                operand(idx, bi)));
        if (!Autograd.needsGrad(x)) return out;
        long[] in0 = Tensors.layout(x).shape();
        return Autograd.record("GatherBackward0", out, List.of(x), List.of(),
                (g, s) -> List.of(scatterAdd(Creation.full(in0, 0, g.dtype(), g.device()), d, index, g)));
    }

    /**
     * A copy of x with {@code out[i][index[i][j][k]][k] = src[i][j][k]} (for dim 1); src has x's dtype.
     * Backward (ScatterBackward0): x gets {@code g.scatter(dim, index, 0)}, src gets {@code g.gather(dim, index)}.
     */
    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src) {
        Tensor out = scatterInto(x.detach().clone(), dim, index, src, 0, false, "scatter");
        if (!Autograd.needsGrad(x, src)) return out;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("ScatterBackward0", out, List.of(x, src), List.of(),
                (g, s) -> grads(s.needsInputGrad(0) ? scatter(g, d, index, 0) : null, s.needsInputGrad(1) ? gather(g, d, index) : null));
    }

    /** A copy of x with {@code value} written at the scattered positions. Backward (ScatterBackward1): {@code g.scatter(dim, index, 0)}. */
    public static Tensor scatter(Tensor x, int dim, Tensor index, double value) {
        Tensor out = scatterInto(x.detach().clone(), dim, index, null, value, false, "scatter");
        if (!Autograd.needsGrad(x)) return out;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("ScatterBackward1", out, List.of(x), List.of(), (g, s) -> List.of(scatter(g, d, index, 0)));
    }

    /**
     * A copy of x with {@code out[i][index[i][j][k]][k] += src[i][j][k]} (duplicates all add). Backward
     * (ScatterAddBackward0): x gets g, src gets {@code g.gather(dim, index)}.
     */
    public static Tensor scatterAdd(Tensor x, int dim, Tensor index, Tensor src) {
        Tensor out = scatterInto(x.detach().clone(), dim, index, src, 0, true, "scatter_add");
        if (!Autograd.needsGrad(x, src)) return out;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("ScatterAddBackward0", out, List.of(x, src), List.of(), (g, s) -> grads(
                s.needsInputGrad(0) ? g : null, s.needsInputGrad(1) ? gather(g, d, index) : null));
    }

    private static Tensor scatterInto(Tensor out, int dim, Tensor index, Tensor src, double value, boolean accumulate, String op) {
        int d = Layout.wrapDim(dim, out.dim());
        if (index.numel() == 0) return out;
        if (out.dim() == 0 || (src != null && src.dim() == 0)) { // a 0-d tensor is one element (PyTorch)
            scatterInto(out.view(1), 0, index.reshape(-1), src == null ? null : src.reshape(-1), value, accumulate, op);
            return out;
        }
        if (src != null && src.dtype() != out.dtype()) {
            throw new IllegalArgumentException(op + "(): Expected self.dtype to be equal to src.dtype (got " + out.dtype()
                    + " and " + src.dtype() + ")");
        }
        checkIndexShape(op, out, d, index, src);
        Tensor idx = indexOn(op, index, false, out.device());
        Layout ol = Tensors.layout(out);
        if (src == null) {
            Dispatch.run(op, out, idx,
                    (backend, bo, bi) -> backend.scatter(new Operand(bo, out.dtype(), ol), d, operand(idx, bi), null, value, false));
            return out;
        }
        Layout sl = Tensors.layout(src);
        Dispatch.run(op, out, src, idx,
                (backend, bo, bs, bi) -> backend.scatter(new Operand(bo, out.dtype(), ol), d, operand(idx, bi), new Operand(bs, out.dtype(), sl),
                        0, accumulate));
        return out;
    }

    // ---------------- indexSelect, indexAdd ----------------

    /**
     * The slices {@code index[0], index[1], ...} of x along {@code dim} (index: 1-d or 0-d, int64 or int32;
     * negative values are not allowed, as PyTorch). A copy. Backward (IndexSelectBackward0):
     * {@code zeros(x).indexAdd(dim, index, g)}.
     */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_select(): Index is supposed to be a vector, got shape " + index.shape());
        }
        int d = Layout.wrapDim(dim, x.dim());
        Tensor idx = indexOn("index_select", index, true, x.device());
        if (x.dim() == 0 && idx.numel() > 1) {
            throw new IllegalArgumentException("index_select(): Index to scalar can have only 1 value, got " + idx.numel() + " value(s)");
        }
        Layout xl = Tensors.layout(x).rank() == 0 ? new Layout(new long[] {1}, new long[] {1}, Tensors.layout(x).offset()) : Tensors.layout(x);
        long[] shape = xl.shape().clone();
        shape[d] = idx.numel();
        Tensor out = Tensors.empty(x.dtype(), shape, x.device());
        Layout ol = Tensors.layout(out);
        Dispatch.run("index_select", out, x, idx,
                (backend, bo, bx, bi) -> backend.indexSelect(new Operand(bo, x.dtype(), ol), new Operand(bx, x.dtype(), xl), d, operand(idx, bi)));
        if (x.dim() == 0) out = idx.numel() > 0 ? out.reshape(1).select(0, 0) : out; // PyTorch: 0-d in, 0-d out
        if (!Autograd.needsGrad(x)) return out;
        long[] in0 = Tensors.layout(x).shape();
        return Autograd.record("IndexSelectBackward0", out, List.of(x), List.of(),
                (g, s) -> List.of(indexAdd(Creation.full(in0, 0, g.dtype(), g.device()), d, index, g)));
    }

    /**
     * A copy of x with {@code out.select(dim, index[j]) += src.select(dim, j)}. Backward (IndexAddBackward0):
     * x gets g, src gets {@code g.indexSelect(dim, index)}.
     */
    public static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src) { return indexAdd(x, dim, index, src, 1); }

    /**
     * {@code out.select(dim, index[j]) += alpha * src.select(dim, j)} ({@code index_add(..., alpha=)}); a 0-d x
     * is one element (PyTorch). Backward (IndexAddBackward0): x gets g, src gets {@code alpha * g.indexSelect(dim, index)}.
     */
    public static Tensor indexAdd(Tensor x, int dim, Tensor index, Tensor src, double alpha) {
        int d = Layout.wrapDim(dim, x.dim());
        if (x.dim() == 0) return indexAdd(x.reshape(1), 0, index.reshape(-1), src.reshape(-1), alpha).reshape();
        if (src.dim() == 0 && x.dim() == 1) src = src.reshape(1);
        Tensor out = addInto(x.detach().clone(), d, index, src, alpha);
        if (!Autograd.needsGrad(x, src)) return out;
        return Autograd.record("IndexAddBackward0", out, List.of(x, src), List.of(), (g, s) -> grads(
                s.needsInputGrad(0) ? g : null, s.needsInputGrad(1) ? scaled(indexSelect(g, d, index), alpha) : null));
    }

    /** {@code out.select(d, index[j]) += alpha * src.select(d, j)} in place: one index_add kernel; returns out. */
    private static Tensor addInto(Tensor out, int d, Tensor index, Tensor src, double alpha) {
        if (index.dim() > 1) throw new IllegalArgumentException("index_add_(): Index is supposed to be a vector, got shape " + index.shape());
        Tensor idx = indexOn("index_add", index, true, out.device());
        Tensor sc = src.dim() == 0 && out.dim() == 1 ? src.detach().reshape(1) : src.detach();
        DType t = out.dtype();
        if (sc.dtype() != t) {
            throw new IllegalArgumentException("index_add_(): self (" + t + ") and source (" + sc.dtype() + ") must have the same dtype");
        }
        checkIndexAddShape(out, d, idx.numel(), sc);
        Layout ol = Tensors.layout(out), sl = Tensors.layout(sc);
        Dispatch.run("index_add", out, sc, idx,
                (backend, bo, bs, bi) -> backend.indexAdd(new Operand(bo, t, ol), d, operand(idx, bi), new Operand(bs, t, sl), alpha));
        return out;
    }

    /** index_add's shape rule: source has self's shape with {@code n} (the index's length) at {@code dim}. */
    private static void checkIndexAddShape(Tensor out, int dim, long n, Tensor src) {
        long[] expect = Tensors.layout(out).shape().clone();
        expect[dim] = n;
        if (!Arrays.equals(expect, Tensors.layout(src).shape())) {
            throw new IllegalArgumentException("index_add_(): source of shape " + src.shape() + " does not match self of shape "
                    + out.shape() + " with " + n + " indices at dimension " + dim);
        }
    }

    /**
     * A start or length given as a tensor ({@code narrow(x, dim, start_t, n)}): a 0-d integer tensor, read on
     * the host (a named synchronization, as PyTorch's {@code start.item()}).
     */
    public static long hostIndex(String op, Tensor t) {
        if (t.dim() != 0 || t.dtype().isFloatingPoint() || t.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + "(): start must be an 0-dim integral Tensor (got " + t.dtype() + " of shape "
                    + t.shape() + ")");
        }
        return t.itemLong();
    }

    /** {@code x.index_add_(dim, index, src, alpha=alpha)}: in place, returns x (the in-place protocol of Elementwise). */
    public static Tensor indexAdd_(Tensor x, int dim, Tensor index, Tensor src, double alpha) {
        Elementwise.checkInPlace(x);
        if (x.dim() > 0 && !Autograd.needsGrad(x, src)) { // no history to record: the kernel writes x itself
            addInto(x, Layout.wrapDim(dim, x.dim()), index, src, alpha);
            Tensors.bumpVersion(x);
            return x;
        }
        return Elementwise.writeTracked(x, indexAdd(x.clone(), dim, index, src, alpha));
    }

    private static Tensor scaled(Tensor g, double alpha) { return alpha == 1 ? g : g.mul(alpha); }

    /** An empty result of index's shape and x's dtype, with gather's backward when x requires grad. */
    private static Tensor emptyLike(Tensor x, Tensor index) {
        Tensor out = Tensors.empty(x.dtype(), Tensors.layout(index).shape().clone(), x.device());
        if (!Autograd.needsGrad(x)) return out;
        long[] in0 = Tensors.layout(x).shape();
        return Autograd.record("GatherBackward0", out, List.of(x), List.of(),
                (g, s) -> List.of(Creation.full(in0, 0, g.dtype(), g.device())));
    }

    // ---------------- maskedFill ----------------

    /**
     * A copy of x with {@code value} where {@code mask} (bool, broadcastable to x's shape) is true.
     * Backward (MaskedFillBackward0): {@code g.maskedFill(mask, 0)}.
     */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        long[] shape = Broadcast.shapes("masked_fill", Tensors.layout(x).shape(), Tensors.layout(mask).shape());
        if (!Arrays.equals(shape, Tensors.layout(x).shape())) x = x.expand(shape); // the out-of-place form broadcasts x too
        Tensor out = x.detach().clone();
        fillMasked(out, mask, value);
        if (!Autograd.needsGrad(x)) return out;
        return Autograd.record("MaskedFillBackward0", out, List.of(x), List.of(), (g, s) -> List.of(maskedFill(g, mask, 0)));
    }

    /**
     * {@code x.masked_fill(mask, value)} with a 0-d tensor value (converted to x's dtype), broadcast as the
     * number form. Backward (as {@code where(mask, value, x)}): x gets g where the mask is false, value the
     * sum of g where it is true.
     */
    public static Tensor maskedFill(Tensor x, Tensor mask, Tensor value) {
        if (value.dim() != 0) {
            throw new IllegalArgumentException("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                    + value.dim() + " dimension(s).");
        }
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype " + mask.dtype());
        }
        return Comparison.where(mask, value.to(x.dtype()), x);
    }

    /** {@code x.masked_fill_(mask, value)} with a 0-d tensor value: in place, returns x. */
    public static Tensor maskedFill_(Tensor x, Tensor mask, Tensor value) {
        Broadcast.shapes("masked_fill_", Tensors.layout(x).shape(), Tensors.layout(mask).shape());
        Tensor result = maskedFill(x.clone(), mask, value);
        if (!Arrays.equals(Tensors.layout(result).shape(), Tensors.layout(x).shape())) {
            throw new IllegalArgumentException("masked_fill_: mask of shape " + mask.shape() + " does not broadcast to the "
                    + "shape of the tensor " + x.shape());
        }
        Elementwise.checkInPlace(x);
        return Elementwise.writeTracked(x, result);
    }

    /**
     * {@code x[mask] = value} in place (mask broadcast to x's shape); returns x. Backward as
     * {@link #maskedFill}; on a view, the base's history moves too (CopySlices), as PyTorch.
     */
    public static Tensor maskedFill_(Tensor x, Tensor mask, double value) {
        Elementwise.checkInPlace(x);
        if (!Autograd.needsGrad(x)) {
            fillMasked(x, mask, value);
            Tensors.bumpVersion(x);
            return x;
        }
        return Elementwise.writeTracked(x, maskedFill(x.clone(), mask, value));
    }

    private static void fillMasked(Tensor x, Tensor mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype " + mask.dtype());
        }
        long[] shape = Tensors.layout(x).shape();
        Broadcast.shapes("masked_fill", shape, Tensors.layout(mask).shape());
        Layout ml;
        try {
            ml = Tensors.layout(mask).expand(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("masked_fill: mask of shape " + mask.shape() + " does not broadcast to the "
                    + "shape of the tensor " + Arrays.toString(shape), e);
        }
        Layout xl = Tensors.layout(x);
        Dispatch.run("masked_fill", x, mask,
                (backend, bx, bm) -> backend.maskedFill(new Operand(bx, x.dtype(), xl), new Operand(bm, DType.BOOL, ml), value));
    }

}
