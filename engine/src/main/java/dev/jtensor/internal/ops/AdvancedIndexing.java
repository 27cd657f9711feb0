package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.IndexTensor;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
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

    /**
     * The rows an index tensor selects, as a 1-d int64 (or int32) index into dim 0 of {@code rows} (x with its
     * first {@code k} dims merged into one), and the result shape.
     */
    record Selection(Tensor index, int k, long[] resultShape) {
        /** x's first k dims as one (a view when x's layout allows, else a copy). */
        Tensor rows(Tensor x) {
            long[] xs = Tensors.layout(x).shape();
            return x.reshape(concat(new long[] {-1}, Arrays.copyOfRange(xs, k, xs.length)));
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
            Tensor pos = nonzeroFlat(onDevice(indices, x.device()));
            return new Selection(pos, ms.length, concat(new long[] {pos.numel()}, Arrays.copyOfRange(xs, ms.length, xs.length)));
        }
        if (t != DType.INT64 && t != DType.INT32) {
            throw new IllegalArgumentException("tensors used as indices must be long, int or bool tensors, got " + t);
        }
        if (xs.length == 0) throw new IndexOutOfBoundsException("too many indices for tensor of dimension 0");
        Tensor idx = onDevice(indices, x.device()).reshape(-1);
        Tensor negative = idx.lt(0L).logicalAnd(idx.ge(-xs[0])); // negative values count from the end, on the device
        return new Selection(Comparison.where(negative, idx.add(xs[0]), idx), 1,
                concat(Tensors.layout(indices).shape(), Arrays.copyOfRange(xs, 1, xs.length)));
    }

    private static Tensor onDevice(Tensor t, Device device) {
        return t.device().equals(device) ? t.detach() : Movement.toDevice(t.detach(), device);
    }

    /**
     * The row-major flat positions where the bool {@code mask} is true, as an int64 tensor on mask's device: one
     * named host synchronisation (the count, as PyTorch's {@code nonzero}), then the backend's nonzero kernel.
     */
    static Tensor nonzeroFlat(Tensor mask) {
        long count = mask.sum().itemLong(); // the named host synchronisation: how many are true
        Tensor out = Tensors.empty(DType.INT64, new long[] {count}, mask.device());
        Dispatch.run("nonzero", out, mask, (backend, bo, bm) -> backend.nonzero(Dispatch.operand(bo, out), Dispatch.operand(bm, mask)));
        return out;
    }

    static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * {@code x[indices]}: a bool mask over x's leading dims selects the true positions (result
     * {@code [count, rest...]}); an int index tensor selects rows of dim 0 (result {@code indices.shape + rest}).
     * A copy. Backward (IndexBackward0): {@code zeros(x).indexPut(indices, g, accumulate=true)}.
     */
    public static Tensor index(Tensor x, Tensor indices) {
        Tensors.checkOpen(x);
        Selection sel = select(x, indices);
        Tensor out = Indexing.indexSelect(sel.rows(x.detach()), 0, sel.index()).view(sel.resultShape); // one gather
        Layout xl = Tensors.layout(x);
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
        Tensor v;
        try {
            v = onDevice(values, x.device()).expand(sel.resultShape).contiguous().to(x.dtype());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("shape mismatch: value tensor of shape " + values.shape()
                    + " cannot be broadcast to indexing result of shape " + Arrays.toString(sel.resultShape), e);
        }
        Tensor rows = sel.rows(x);
        boolean isView = Tensors.storage(rows) == Tensors.storage(x);
        Tensor target = isView ? rows : rows.contiguous();
        Layout tl = Tensors.layout(target);
        Tensor idx = sel.index();
        Layout vl = Tensors.layout(v.view(concat(new long[] {idx.numel()}, Arrays.copyOfRange(tl.shape(), 1, tl.rank()))));
        DType t = x.dtype();
        Dispatch.run("index_put_", target, v, idx, (backend, bx, bv, bi) -> {
            IndexTensor it = Indexing.operand(idx, bi);
            if (accumulate) backend.indexAdd(new Operand(bx, t, tl), 0, it, new Operand(bv, t, vl), 1); // duplicates add up
            else backend.scatter(new Operand(bx, t, tl), 0, it.withLayout(broadcast(Tensors.layout(idx), vl.shape())), new Operand(bv, t, vl),
                    0, false);
        });
        if (!isView) x.detach().copy_(target.view(Tensors.layout(x).shape()));
        return x;
    }

    /** A 1-d index layout broadcast along dim 0 of {@code shape} (stride 0 elsewhere): index_copy as a scatter. */
    private static Layout broadcast(Layout index, long[] shape) {
        long[] strides = new long[shape.length];
        strides[0] = index.stride(0);
        return new Layout(shape, strides, index.offset());
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
        Tensor xc = x.detach().expand(shape).contiguous();
        Tensor positions = nonzeroFlat(onDevice(mask, x.device()).expand(shape));
        Layout xl = Tensors.layout(xc);
        Tensor out = Tensors.empty(x.dtype(), new long[] {positions.numel()}, x.device());
        Dispatch.run("masked_select", out, xc, positions,
                (backend, bo, bx, bi) -> backend.take(bo, 0, new Operand(bx, x.dtype(), xl), Indexing.operand(positions, bi)));
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
        Tensor positions = nonzeroFlat(onDevice(mask, x.device()).expand(ol.shape()));
        if (src.numel() < positions.numel()) {
            throw new IllegalArgumentException("masked_scatter: expected src to have at least " + positions.numel()
                    + " elements, got " + src.numel());
        }
        Tensor sc = onDevice(src, x.device()).to(out.dtype()).contiguous();
        long so = Tensors.layout(sc).offset();
        Dispatch.run("masked_scatter", out, sc, positions,
                (backend, bo, bs, bi) -> backend.put(new Operand(bo, out.dtype(), ol), bs, so, Indexing.operand(positions, bi)));
        if (!Autograd.needsGrad(x, src)) return out;
        return Autograd.record("MaskedScatterBackward0", out, List.of(x, src), List.of(),
                (g, s2) -> grads(s2.needsInputGrad(0) ? Indexing.maskedFill(g, mask, 0) : null,
                        s2.needsInputGrad(1) ? maskedSelect(g, mask) : null));
    }
}
