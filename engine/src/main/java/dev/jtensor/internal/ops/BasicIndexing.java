package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Slice;
import dev.jtensor.Tensor;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Python-style indexing, {@code x[:, 1]}, {@code x[..., -1]}, {@code x[1:3, ::2]}, {@code x[mask]}, as
 * PyTorch's {@code Tensor.__getitem__} / {@code __setitem__}: integers select, ranges slice, {@code None}
 * unsqueezes, {@code ...} stands for the unnamed dims, all of these as views (Movement's ops, so autograd
 * records SelectBackward0, SliceBackward0, UnsqueezeBackward0); one tensor item (int index or bool mask)
 * makes a copy (AdvancedIndexing, IndexBackward0). Writes go through the same views ({@code copy_},
 * {@code fill_}) or through {@code index_put_}.
 */
public final class BasicIndexing {
    private BasicIndexing() {}

    /**
     * The basic items applied ({@code view}), and the tensor items: each tensor, the dim of the view where
     * it applies, how many dims it covers (a bool mask: its rank; an int index: 1), and the dim of x it
     * indexes (for messages).
     */
    private record Applied(Tensor view, List<Tensor> indices, List<Integer> at, List<Integer> covers, List<Integer> origDims) {
        Tensor index() { return indices.isEmpty() ? null : indices.get(0); }

        int at0() { return at.get(0); }

        int covers0() { return covers.get(0); }
    }

    /** {@code x[items]}. */
    public static Tensor get(Tensor x, Slice... items) {
        Applied a = apply(x, items);
        if (a.indices.isEmpty()) return a.view;
        if (a.indices.size() > 1) return gatherPoints(a, items);
        if (a.at0() == 0) return AdvancedIndexing.index(a.view, a.index());
        Tensor front = a.view.permute(toFront(a.view.dim(), a.at0(), a.covers0()));
        Tensor r = AdvancedIndexing.index(front, a.index());
        int produced = a.index().dtype() == DType.BOOL ? 1 : a.index().dim();
        return r.permute(fromFront(r.dim(), a.at0(), produced));
    }

    /** {@code x[items] = value} in place; value broadcasts to {@code x[items]}'s shape. Returns x. */
    public static Tensor set(Tensor x, Slice[] items, Tensor value) {
        Applied a = apply(x, items);
        if (a.indices.isEmpty()) {
            a.view.copy_(value);
            return x;
        }
        if (a.indices.size() > 1) {
            putPoints(a, items, x, value);
            return x;
        }
        long[] target = get(x.detach(), items).shape().toArray();
        Tensor v = value.expand(target);
        Tensor front = a.view;
        if (a.at0() != 0) {
            int produced = a.index().dtype() == DType.BOOL ? 1 : a.index().dim();
            front = a.view.permute(toFront(a.view.dim(), a.at0(), a.covers0()));
            v = v.permute(toFront(v.dim(), a.at0(), produced));
        }
        AdvancedIndexing.indexPut_(front, a.index(), v, false);
        return x;
    }

    /** {@code x[items] = value} in place. */
    public static Tensor set(Tensor x, Slice[] items, double value) {
        Applied a = apply(x, items);
        if (a.indices.isEmpty()) {
            a.view.fill_(value);
            return x;
        }
        return set(x, items, Jt.tensor(value, x.dtype()));
    }

    /**
     * Where several int index tensors point: they broadcast to one shape {@code b}; point {@code i} is
     * {@code view[idx_1[i], ..., idx_k[i], ...]}, {@code linear[i]} (an int64 tensor of shape b on the view's device)
     * its row-major position over the indexed dims ({@code sizes}, {@code cells} of them), which {@code dimOrder}
     * moves to the front of the view; a point outside some dim has linear position {@code cells} (out of range, so
     * the one gather or scatter that reads it throws). {@code adjacent}: the tensor items were next to each other
     * (then B stands where they were, else first).
     */
    private record Points(long[] b, long[] sizes, long cells, Tensor linear, int[] dimOrder, boolean adjacent, int at) {
        /** The view with its indexed dims moved to the front and merged into one of {@code cells}: {@code [cells, rest...]}. */
        long[] flatShape(long[] frontShape) {
            long[] flat = new long[frontShape.length - sizes.length + 1];
            flat[0] = cells;
            System.arraycopy(frontShape, sizes.length, flat, 1, flat.length - 1);
            return flat;
        }
    }

    /**
     * The points of the index tensors, computed on the view's device with tensor ops (each index wrapped when
     * negative, checked against its dim, scaled by the row-major stride of its dim and summed): no index value is
     * read on the host.
     */
    private static Points points(Applied a, Slice[] items) {
        int k = a.indices.size();
        long[] b = new long[0];
        for (Tensor t : a.indices) {
            if (t.dtype() == DType.BOOL) {
                throw new UnsupportedOperationException("a bool mask together with other index tensors is not supported yet: "
                        + spell(items));
            }
            if (t.dtype() != DType.INT64 && t.dtype() != DType.INT32) {
                throw new IllegalArgumentException("tensors used as indices must be long, int or bool tensors, got " + t.dtype()
                        + " in " + spell(items));
            }
            b = Broadcast.shapes("index", b, t.shape().toArray());
        }
        int rank = a.view.dim();
        int[] order = new int[rank];
        boolean[] taken = new boolean[rank];
        boolean adjacent = true;
        for (int j = 0; j < k; j++) {
            order[j] = a.at.get(j);
            taken[order[j]] = true;
            if (j > 0 && order[j] != order[j - 1] + 1) adjacent = false;
        }
        for (int i = 0, n = k; i < rank; i++) if (!taken[i]) order[n++] = i;
        long[] sizes = new long[k];
        for (int j = 0; j < k; j++) sizes[j] = a.view.size(order[j]);
        long cells = 1;
        for (long size : sizes) cells = Math.multiplyExact(cells, size);
        Tensor linear = null, inside = null;
        long stride = 1;
        for (int j = k - 1; j >= 0; j--) { // index tensors are integers: nothing here records a gradient
            Tensor idx = Movement.toDevice(a.indices.get(j).detach(), a.view.device()).to(DType.INT64);
            Tensor in = idx.ge(-sizes[j]).logicalAnd(idx.lt(sizes[j]));
            Tensor wrapped = sizes[j] == 0 ? idx : idx.remainder(sizes[j]); // -size..-1 count from the end
            Tensor term = stride == 1 ? wrapped : wrapped.mul(stride);
            linear = linear == null ? term : linear.add(term);
            inside = inside == null ? in : inside.logicalAnd(in);
            stride *= sizes[j];
        }
        linear = linear.where(inside, cells).expand(b);
        return new Points(b, sizes, cells, linear, order, adjacent, a.at.get(0));
    }

    /**
     * Runs {@code op} on the points; when the gather or scatter finds a point outside the indexed dims, the error
     * names the dim and its size: the index tensors are read on the host then, on that error path only.
     */
    private static <T> T checked(Applied a, Slice[] items, Supplier<T> op) {
        try {
            return op.get();
        } catch (IndexOutOfBoundsException e) {
            for (int j = 0; j < a.indices.size(); j++) {
                long size = a.view.size(a.at.get(j));
                for (long v : a.indices.get(j).toLongArray()) {
                    if (v < -size || v >= size) {
                        throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + a.origDims.get(j)
                                + " with size " + size + " (index tensor " + j + " of " + spell(items) + ")");
                    }
                }
            }
            throw e;
        }
    }

    /**
     * Several int index tensors, as NumPy/PyTorch advanced indexing ({@code y_hat[range(n), y]}): B
     * replaces the indexed dims where they were when they are adjacent, else it comes first. A copy: the indexed
     * dims moved to the front and merged, then one gather of the linear positions; differentiable (permute,
     * reshape, IndexBackward0, whose backward is one accumulating scatter).
     */
    private static Tensor gatherPoints(Applied a, Slice[] items) {
        Points p = points(a, items);
        Tensor front = a.view.permute(p.dimOrder);
        Tensor out = checked(a, items, () -> AdvancedIndexing.index(front.reshape(p.flatShape(front.shape().toArray())), p.linear));
        return p.adjacent && p.at > 0 ? out.permute(fromFront(out.dim(), p.at, p.b.length)) : out;
    }

    /**
     * {@code view[idx_1, ..., idx_k] = value}: one scatter of the values at the linear positions into the view with
     * its indexed dims moved to the front and merged (a view of x where its layout allows, else a copy written back);
     * where several points coincide the last one's value is written on the CPU (PyTorch leaves that order
     * unspecified).
     */
    private static void putPoints(Applied a, Slice[] items, Tensor x, Tensor value) {
        Points p = points(a, items);
        Tensor front = a.view.permute(p.dimOrder);
        long[] frontShape = front.shape().toArray(), flatShape = p.flatShape(frontShape);
        // x[items]'s shape: B then the other dims, B where the index tensors stood when they were adjacent
        int k = p.sizes.length, at = p.adjacent ? p.at : 0, nb = p.b.length;
        long[] target = new long[nb + frontShape.length - k];
        System.arraycopy(frontShape, k, target, 0, at);
        System.arraycopy(p.b, 0, target, at, nb);
        System.arraycopy(frontShape, k + at, target, at + nb, frontShape.length - k - at);
        Tensor v;
        try {
            v = value.expand(target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("shape mismatch: value tensor of shape " + value.shape()
                    + " cannot be broadcast to indexing result of shape " + Arrays.toString(target), e);
        }
        Tensor values = at > 0 ? v.permute(toFront(v.dim(), at, nb)) : v;
        boolean isView = Tensors.layout(front).viewStrides(flatShape) != null;
        Tensor flat = isView ? front.view(flatShape) : front.reshape(flatShape);
        checked(a, items, () -> AdvancedIndexing.indexPut_(flat, p.linear, values, false));
        if (!isView) front.copy_(flat.view(front.shape().toArray()));
    }

    private static Applied apply(Tensor x, Slice[] items) {
        int rank = x.dim(), consumed = 0, ellipses = 0;
        for (Slice s : items) {
            switch (s.kind()) {
                case INDEX, RANGE -> consumed++;
                case TENSOR -> consumed += s.indexTensor().dtype() == DType.BOOL ? Math.max(1, s.indexTensor().dim()) : 1;
                case ELLIPSIS -> ellipses++;
                case NEW_AXIS -> { }
            }
        }
        if (ellipses > 1) throw new IllegalArgumentException("an index can only have a single ellipsis ('...'): " + spell(items));
        if (consumed > rank) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + rank + " (index " + spell(items)
                    + " names " + consumed + " dims)");
        }
        Tensor r = x;
        List<Tensor> indices = new ArrayList<>();
        List<Integer> at = new ArrayList<>(), covers = new ArrayList<>(), origDims = new ArrayList<>();
        int d = 0, orig = 0; // d: dim in the result so far; orig: dim of x (for messages)
        for (int i = 0; i < items.length; i++) {
            Slice s = items[i];
            switch (s.kind()) {
                case INDEX -> r = selectNamed(r, d, orig++, s.start(), i, items);
                case RANGE -> {
                    r = Movement.slice(r, d++, s.start(), s.end(), s.step());
                    orig++;
                }
                case NEW_AXIS -> r = Movement.unsqueeze(r, d++);
                case ELLIPSIS -> {
                    d += rank - consumed;
                    orig += rank - consumed;
                }
                case TENSOR -> {
                    Tensor index = s.indexTensor();
                    int c = index.dtype() == DType.BOOL ? Math.max(1, index.dim()) : 1;
                    indices.add(index);
                    at.add(d);
                    covers.add(c);
                    origDims.add(orig);
                    d += c;
                    orig += c;
                }
            }
        }
        return new Applied(r, indices, at, covers, origDims);
    }

    private static Tensor selectNamed(Tensor r, int d, int origDim, long i, int position, Slice[] items) {
        long size = r.size(d);
        if (i < -size || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + " is out of bounds for dimension " + origDim + " with size " + size
                    + " (item " + position + " of " + spell(items) + ")");
        }
        return Movement.select(r, d, i);
    }

    /** The permutation moving dims [at, at+count) to the front, the others keeping their order. */
    static int[] toFront(int rank, int at, int count) {
        List<Integer> order = new ArrayList<>();
        for (int i = at; i < at + count; i++) order.add(i);
        for (int i = 0; i < rank; i++) if (i < at || i >= at + count) order.add(i);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The permutation moving the first {@code count} dims to position {@code at}. */
    static int[] fromFront(int rank, int at, int count) {
        int[] order = new int[rank];
        int k = 0;
        for (int i = 0; i < at; i++) order[k++] = count + i;
        for (int i = 0; i < count; i++) order[k++] = i;
        for (int i = at + count; i < rank; i++) order[k++] = i;
        return order;
    }

    private static String spell(Slice[] items) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < items.length; i++) b.append(i == 0 ? "" : ", ").append(items[i]);
        return b.append(']').toString();
    }

    /**
     * {@code t.tolist()}: nested lists of Double (floating), Long (integers) or Boolean (bool).
     *
     * @throws IllegalStateException for a 0-d tensor (PyTorch returns the bare number: use {@code item()})
     */
    public static List<?> tolist(Tensor t) {
        if (t.dim() == 0) {
            throw new IllegalStateException("tolist() of a 0-d tensor is a number in PyTorch, not a list: use item() "
                    + "(or itemLong()) for " + t);
        }
        long[] shape = t.shape().toArray();
        if (t.dtype() == DType.BOOL || !t.dtype().isFloatingPoint()) {
            long[] v = t.toLongArray();
            boolean bool = t.dtype() == DType.BOOL;
            return (List<?>) nest(shape, 0, new int[] {0}, i -> bool ? (Object) (v[i] != 0) : (Object) v[i]);
        }
        double[] v = t.toDoubleArray();
        return (List<?>) nest(shape, 0, new int[] {0}, i -> v[i]);
    }

    private static Object nest(long[] shape, int dim, int[] next, java.util.function.IntFunction<Object> value) {
        if (dim == shape.length) return value.apply(next[0]++);
        List<Object> out = new ArrayList<>(Math.toIntExact(shape[dim]));
        for (long i = 0; i < shape[dim]; i++) out.add(nest(shape, dim + 1, next, value));
        return out;
    }

    /** {@code x.T}: all dims reversed (a view), as PyTorch's {@code Tensor.T}. */
    public static Tensor reversedDims(Tensor x) {
        int[] order = new int[x.dim()];
        for (int i = 0; i < order.length; i++) order[i] = order.length - 1 - i;
        return Movement.permute(x, order);
    }
}
