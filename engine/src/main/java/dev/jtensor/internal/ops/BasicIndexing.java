package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Slice;
import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.List;

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

    /** The basic items applied, and where the (single) tensor item sits in the result. */
    private record Applied(Tensor view, Tensor index, int at, int covers) {}

    /** {@code x[items]}. */
    public static Tensor get(Tensor x, Slice... items) {
        Applied a = apply(x, items);
        if (a.index == null) return a.view;
        if (a.at == 0) return AdvancedIndexing.index(a.view, a.index);
        Tensor front = a.view.permute(toFront(a.view.dim(), a.at, a.covers));
        Tensor r = AdvancedIndexing.index(front, a.index);
        int produced = a.index.dtype() == DType.BOOL ? 1 : a.index.dim();
        return r.permute(fromFront(r.dim(), a.at, produced));
    }

    /** {@code x[items] = value} in place; value broadcasts to {@code x[items]}'s shape. Returns x. */
    public static Tensor set(Tensor x, Slice[] items, Tensor value) {
        Applied a = apply(x, items);
        if (a.index == null) {
            a.view.copy_(value);
            return x;
        }
        long[] target = get(x.detach(), items).shape().toArray();
        Tensor v = value.expand(target);
        Tensor front = a.view;
        if (a.at != 0) {
            int produced = a.index.dtype() == DType.BOOL ? 1 : a.index.dim();
            front = a.view.permute(toFront(a.view.dim(), a.at, a.covers));
            v = v.permute(toFront(v.dim(), a.at, produced));
        }
        AdvancedIndexing.indexPut_(front, a.index, v, false);
        return x;
    }

    /** {@code x[items] = value} in place. */
    public static Tensor set(Tensor x, Slice[] items, double value) {
        Applied a = apply(x, items);
        if (a.index == null) {
            a.view.fill_(value);
            return x;
        }
        return set(x, items, Jt.tensor(value, x.dtype()));
    }

    private static Applied apply(Tensor x, Slice[] items) {
        int rank = x.dim(), consumed = 0, ellipses = 0, tensors = 0;
        for (Slice s : items) {
            switch (s.kind()) {
                case INDEX, RANGE -> consumed++;
                case TENSOR -> {
                    consumed += s.indexTensor().dtype() == DType.BOOL ? Math.max(1, s.indexTensor().dim()) : 1;
                    tensors++;
                }
                case ELLIPSIS -> ellipses++;
                case NEW_AXIS -> { }
            }
        }
        if (ellipses > 1) throw new IllegalArgumentException("an index can only have a single ellipsis ('...'): " + spell(items));
        if (tensors > 1) {
            throw new UnsupportedOperationException("indexing with more than one tensor is not supported yet: " + spell(items));
        }
        if (consumed > rank) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + rank + " (index " + spell(items)
                    + " names " + consumed + " dims)");
        }
        Tensor r = x, index = null;
        int d = 0, at = -1, covers = 0, orig = 0; // d: dim in the result so far; orig: dim of x (for messages)
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
                    index = s.indexTensor();
                    at = d;
                    covers = index.dtype() == DType.BOOL ? Math.max(1, index.dim()) : 1;
                    d += covers;
                    orig += covers;
                }
            }
        }
        return new Applied(r, index, at, covers);
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
