package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
import dev.jtensor.internal.layout.IterPlan;
import dev.jtensor.internal.layout.Layout;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's advanced indexing with one tensor: {@code t[mask]} (a bool mask over the leading dims),
 * {@code t[idx]} (an int64/int32 index tensor into dim 0, negative values counting from the end), the
 * assignment {@code t[mask] = v} / {@code t[idx] = v} ({@code indexPut_}), and {@code maskedSelect}.
 * Selections copy. Every index is checked before memory is addressed.
 */
public final class AdvancedIndexing {
    private AdvancedIndexing() {}

    /** The rows an index tensor selects: positions over the first {@code k} dims of x, and the result shape. */
    record Selection(long[][] positions, int k, long[] resultShape) {
        int count() { return positions.length; }

        /** Layout of selected row {@code j} inside {@code l}. */
        Layout row(Layout l, int j) {
            Layout r = l;
            for (long i : positions[j]) r = r.select(0, i);
            return r;
        }
    }

    static Selection select(Tensor x, Tensor indices) {
        long[] xs = Tensors.layout(x).shape();
        DType t = indices.dtype();
        if (t == DType.BOOL) {
            long[] ms = Tensors.layout(indices).shape();
            if (ms.length > xs.length) {
                throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + xs.length
                        + " (got a mask of shape " + Arrays.toString(ms) + ")");
            }
            for (int d = 0; d < ms.length; d++) {
                if (ms[d] != xs[d]) {
                    throw new IndexOutOfBoundsException("The shape of the mask " + Arrays.toString(ms) + " at index " + d
                            + " does not match the shape of the indexed tensor " + Arrays.toString(xs) + " at index " + d);
                }
            }
            long[][] pos = truePositions(indices, ms);
            return new Selection(pos, ms.length, concat(new long[] {pos.length}, Arrays.copyOfRange(xs, ms.length, xs.length)));
        }
        if (t != DType.INT64 && t != DType.INT32) {
            throw new IllegalArgumentException("tensors used as indices must be long, int or bool tensors, got " + t);
        }
        if (xs.length == 0) throw new IndexOutOfBoundsException("too many indices for tensor of dimension 0");
        long[] idx = Indexing.checkRange(indices.toLongArray(), 0, xs[0], true);
        long[][] pos = new long[idx.length][];
        for (int i = 0; i < idx.length; i++) pos[i] = new long[] {idx[i]};
        return new Selection(pos, 1, concat(Tensors.layout(indices).shape(), Arrays.copyOfRange(xs, 1, xs.length)));
    }

    /**
     * The row-major positions where the bool {@code mask}, viewed with {@code shape} (broadcast), is true: a
     * named host synchronisation (the mask's values are read on the host, as PyTorch's nonzero()).
     */
    static long[][] truePositions(Tensor mask, long[] shape) {
        long[] flags = mask.expand(shape).toLongArray();
        int count = 0;
        for (long f : flags) if (f != 0) count++;
        long[][] pos = new long[count][];
        long[] p = new long[shape.length];
        for (int k = 0, n = 0; k < flags.length; k++) {
            if (flags[k] != 0) pos[n++] = p.clone();
            for (int d = shape.length - 1; d >= 0 && ++p[d] == shape[d]; d--) p[d] = 0;
        }
        return pos;
    }

    /** Element offsets in {@code l} of the given positions. */
    static long[] offsetsOf(Layout l, long[][] positions) {
        long[] out = new long[positions.length];
        for (int k = 0; k < positions.length; k++) {
            long off = l.offset();
            for (int d = 0; d < positions[k].length; d++) off += positions[k][d] * l.stride(d);
            out[k] = off;
        }
        return out;
    }

    static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The rows of a selection as a contiguous layout {@code [count, rest...]} over {@code resultShape}'s memory. */
    private static Layout rowsLayout(Selection s, long[] xs) {
        return Layout.contiguous(concat(new long[] {s.count()}, Arrays.copyOfRange(xs, s.k, xs.length)));
    }

    /**
     * {@code x[indices]}: a bool mask over x's leading dims selects the true positions (result
     * {@code [count, rest...]}); an int index tensor selects rows of dim 0 (result {@code indices.shape + rest}).
     * A copy. Backward (IndexBackward0): {@code zeros(x).indexPut(indices, g, accumulate=true)}.
     */
    public static Tensor index(Tensor x, Tensor indices) {
        Tensors.checkOpen(x);
        Selection sel = select(x, indices);
        Tensor out = Tensors.empty(x.dtype(), sel.resultShape, x.device());
        Layout xl = Tensors.layout(x), rows = rowsLayout(sel, xl.shape());
        Dispatch.run("index", out, x, (backend, bo, bx) -> {
            for (int j = 0; j < sel.count(); j++) backend.copy(bx, x.dtype(), sel.row(xl, j), bo, x.dtype(), rows.select(0, j));
        });
        if (!Autograd.needsGrad(x)) return out;
        long[] shape = xl.shape();
        return Autograd.record("IndexBackward0", out, List.of(x), List.of(),
                (g, s) -> List.of(indexPut(Creation.full(shape, 0, g.dtype(), g.device()), indices, g, true)));
    }

    /** A copy of x with {@code x[indices] = values} (or {@code +=}); see {@link #indexPut_}. */
    public static Tensor indexPut(Tensor x, Tensor indices, Tensor values, boolean accumulate) {
        Tensor out = put(x.detach().clone(), indices, values, accumulate);
        return recordPut(out, x, indices, values, accumulate);
    }

    /**
     * {@code x[indices] = values} in place ({@code +=} when {@code accumulate}, duplicates adding up); values
     * broadcast to the selection's shape and convert to x's dtype. Returns x. Backward (IndexPutBackward0):
     * x gets g with the written positions zeroed (g itself when accumulating), values get {@code g[indices]};
     * on a view, the base's history moves too (CopySlices).
     */
    public static Tensor indexPut_(Tensor x, Tensor indices, Tensor values, boolean accumulate) {
        Elementwise.checkInPlace(x);
        if (!Autograd.needsGrad(x, values)) {
            put(x, indices, values, accumulate);
            Tensors.bumpVersion(x);
            return x;
        }
        return Elementwise.writeTracked(x, indexPut(x.clone(), indices, values, accumulate));
    }

    private static Tensor recordPut(Tensor out, Tensor x, Tensor indices, Tensor values, boolean accumulate) {
        if (!Autograd.needsGrad(x, values)) return out;
        Tensor zero = Creation.full(new long[0], 0, DType.FLOAT64);
        return Autograd.record("IndexPutBackward0", out, List.of(x, values), List.of(), (g, s) -> grads(
                !s.needsInputGrad(0) ? null : accumulate ? g : indexPut(g, indices, zero.to(g.dtype()), false),
                s.needsInputGrad(1) ? index(g, indices) : null));
    }

    private static Tensor put(Tensor x, Tensor indices, Tensor values, boolean accumulate) {
        Selection sel = select(x, indices);
        Layout xl = Tensors.layout(x), rows = rowsLayout(sel, xl.shape());
        Tensor v;
        try {
            Tensor onDevice = values.device().equals(x.device()) ? values.detach() : Movement.toDevice(values.detach(), x.device());
            v = onDevice.expand(sel.resultShape).contiguous().to(x.dtype());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("shape mismatch: value tensor of shape " + values.shape()
                    + " cannot be broadcast to indexing result of shape " + Arrays.toString(sel.resultShape), e);
        }
        Layout vl = new Layout(rows.shape(), rows.strides(), Tensors.layout(v).offset());
        DType t = x.dtype();
        Dispatch.run("index_put_", x, v, (backend, bx, bv) -> {
            for (int j = 0; j < sel.count(); j++) { // duplicates: the last write wins, or every value adds up
                Layout target = sel.row(xl, j), from = vl.select(0, j);
                if (accumulate) backend.binary(BinaryKernel.ADD, 1, t, IterPlan.of(target.shape(), target, target, from), bx, t, bx, t, bv, t);
                else backend.copy(bv, t, from, bx, t, target);
            }
        });
        return x;
    }

    /**
     * The elements of x where {@code mask} is true, as a 1-d tensor (x and mask broadcast together).
     * Backward (MaskedSelectBackward0): g scattered back into zeros at the masked positions.
     */
    public static Tensor maskedSelect(Tensor x, Tensor mask) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_select: expected BoolTensor for mask, got " + mask.dtype());
        }
        long[] shape = Broadcast.shapes("masked_select", Tensors.layout(x).shape(), Tensors.layout(mask).shape());
        Layout xl = Tensors.layout(x).expand(shape);
        long[] offsets = offsetsOf(xl, truePositions(mask, shape));
        Tensor out = Tensors.empty(x.dtype(), new long[] {offsets.length}, x.device());
        Dispatch.run("masked_select", out, x, (backend, bo, bx) -> backend.take(bx, x.dtype(), offsets, bo, 0));
        if (!Autograd.needsGrad(x)) return out;
        return Autograd.record("MaskedSelectBackward0", out, List.of(x), List.of(),
                (g, s) -> List.of(maskedScatter(Creation.full(shape, 0, g.dtype(), g.device()), mask, g)));
    }

    /**
     * A copy of x with its masked positions (row-major) filled by the leading elements of {@code src}
     * (PyTorch's {@code masked_scatter}). Backward (MaskedScatterBackward0): x gets g zeroed at the mask,
     * src gets {@code g.maskedSelect(mask)} (padded with nothing: src must have exactly that many elements here).
     */
    public static Tensor maskedScatter(Tensor x, Tensor mask, Tensor src) {
        Tensor out = x.detach().clone();
        Layout ol = Tensors.layout(out);
        long[] offsets = offsetsOf(ol, truePositions(mask, ol.shape()));
        if (src.numel() < offsets.length) {
            throw new IllegalArgumentException("masked_scatter: expected src to have at least " + offsets.length
                    + " elements, got " + src.numel());
        }
        Tensor sc = src.detach().to(out.dtype()).contiguous();
        long so = Tensors.layout(sc).offset();
        Dispatch.run("masked_scatter", out, sc, (backend, bo, bs) -> backend.put(bs, out.dtype(), so, bo, offsets));
        if (!Autograd.needsGrad(x, src)) return out;
        return Autograd.record("MaskedScatterBackward0", out, List.of(x, src), List.of(),
                (g, s2) -> grads(s2.needsInputGrad(0) ? Indexing.maskedFill(g, mask, 0) : null,
                        s2.needsInputGrad(1) ? maskedSelect(g, mask) : null));
    }
}
