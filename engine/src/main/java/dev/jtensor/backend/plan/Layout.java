package dev.jtensor.backend.plan;

import java.util.Arrays;

/**
 * A view's geometry: sizes, strides and offset, all counted in elements (never bytes), with the pure
 * functions that make new views. Element {@code (i0, i1, ...)} lives at
 * {@code offset + i0*strides[0] + i1*strides[1] + ...} in the storage.
 *
 * <p>Immutable; arrays are owned (callers pass fresh arrays and never modify them afterwards).
 *
 * <p>Every layout's element count is overflow-checked when it is made ({@link #checkedNumel}), so no view,
 * reshape, expand or creation can wrap a size product: the product of the <em>non-zero</em> sizes must fit
 * in a long (NumPy's rule, which keeps contiguous strides representable too), else
 * {@link IllegalArgumentException} as PyTorch's "numel: integer multiplication overflow". The extent a view
 * reaches ({@link #minIndex}, {@link #maxIndex}) is computed exactly as well.
 */
public final class Layout {
    private final long[] shape;
    private final long[] strides;
    private final long offset;
    private final long numel;

    public Layout(long[] shape, long[] strides, long offset) {
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.numel = checkedNumel(shape);
    }

    /**
     * The element count of {@code shape}; throws {@link IllegalArgumentException} for a negative size or
     * when the product of the non-zero sizes overflows a long (so {@code [0, 2^62, 2^62]} is refused too,
     * whatever the order of its sizes, as NumPy refuses it: its strides could not be represented).
     */
    public static long checkedNumel(long[] shape) {
        long n = 1;
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            long d = shape[i];
            if (d <= 1) {
                if (d == 0) empty = true;
                else if (d < 0) throw new IllegalArgumentException("negative size " + d + " at dim " + i + " in shape " + Arrays.toString(shape));
                continue;
            }
            long p = n * d;
            if (Math.multiplyHigh(n, d) != 0 || p < 0) {
                throw new IllegalArgumentException("numel: integer multiplication overflow: shape " + Arrays.toString(shape)
                        + " has more elements than a long can count");
            }
            n = p;
        }
        return empty ? 0 : n;
    }

    /** A C-contiguous (row-major) layout of {@code shape}, offset 0. */
    public static Layout contiguous(long[] shape) {
        return new Layout(shape, contiguousStrides(shape), 0);
    }

    /** The rank-1 layout of {@code n} elements {@code stride} apart from {@code offset} (stride 0 repeats one element). */
    public static Layout flat(long n, long offset, long stride) {
        return new Layout(new long[] {n}, new long[] {stride}, offset);
    }

    /** Row-major strides: the last dim moves fastest. */
    public static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    public long[] shape() { return shape; }

    public long[] strides() { return strides; }

    public long offset() { return offset; }

    public int rank() { return shape.length; }

    public long numel() { return numel; }

    public long size(int dim) { return shape[dim]; }

    public long stride(int dim) { return strides[dim]; }

    /** True if elements are laid out row-major without gaps (size-1 dims may have any stride, as in PyTorch). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (shape[i] == 0) return true;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** True if the transpose of every dim order is contiguous, i.e. column-major (Fortran) order. */
    public boolean isFortranContiguous() {
        long expected = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) continue;
            if (shape[i] == 0) return true;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** The smallest and largest element index (relative to the storage start) this view can touch. */
    public long minIndex() {
        if (numel == 0) return offset;
        long lo = offset;
        try {
            for (int i = 0; i < shape.length; i++) if (strides[i] < 0) lo = Math.addExact(lo, Math.multiplyExact(strides[i], shape[i] - 1));
        } catch (ArithmeticException e) {
            throw extentOverflow();
        }
        return lo;
    }

    public long maxIndex() {
        if (numel == 0) return offset;
        long hi = offset;
        try {
            for (int i = 0; i < shape.length; i++) if (strides[i] > 0) hi = Math.addExact(hi, Math.multiplyExact(strides[i], shape[i] - 1));
        } catch (ArithmeticException e) {
            throw extentOverflow();
        }
        return hi;
    }

    private IllegalArgumentException extentOverflow() {
        return new IllegalArgumentException("Storage size calculation overflowed with sizes=" + Arrays.toString(shape)
                + " and strides=" + Arrays.toString(strides) + " (offset " + offset + ")");
    }

    /** Wraps a possibly negative dim into {@code [0, rank)}; {@code rank} is the rank it indexes. */
    public static int wrapDim(int dim, int rank) {
        int r = Math.max(rank, 1); // PyTorch lets 0-d tensors take dim 0 and -1
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** {@code t[index]} along {@code dim}: drops the dim. */
    public Layout select(int dim, long index) {
        int d = wrapDim(dim, rank());
        if (rank() == 0) throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor");
        long size = shape[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + d
                    + " with size " + size);
        }
        long i = index < 0 ? index + size : index;
        return new Layout(remove(shape, d), remove(strides, d), offset + i * strides[d]);
    }

    /**
     * {@code t[start:end:step]} along {@code dim}, with Python's clamping of start/end (negative values
     * count from the end). Step must be positive, as in PyTorch.
     */
    public Layout slice(int dim, long start, long end, long step) {
        int d = wrapDim(dim, rank());
        if (rank() == 0) throw new IndexOutOfBoundsException("slice() cannot be applied to a 0-dim tensor");
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
        long size = shape[d];
        long s = clampIndex(start, size);
        long e = clampIndex(end, size);
        long len = e > s ? (e - s - 1) / step + 1 : 0; // ceil((e - s) / step) without overflowing for a huge step
        long[] newShape = shape.clone();
        long[] newStrides = strides.clone();
        newShape[d] = len;
        newStrides[d] = len <= 1 ? strides[d] : strides[d] * step; // len >= 2: step < size, so the product stays in the extent
        return new Layout(newShape, newStrides, offset + (len == 0 ? 0 : s * strides[d]));
    }

    private static long clampIndex(long i, long size) {
        if (i < 0) i += size;
        return Math.min(Math.max(i, 0), size);
    }

    /** {@code narrow(dim, start, length)}: a checked slice without clamping. */
    public Layout narrow(int dim, long start, long length) {
        int d = wrapDim(dim, rank());
        long size = shape[d];
        long s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || s > size - length) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " + length " + length
                    + " exceeds dimension " + d + " of size " + size);
        }
        return slice(d, s, s + length, 1);
    }

    /** Reorders dims: {@code out.shape[i] = shape[dims[i]]}. */
    public Layout permute(int... dims) {
        if (dims.length != rank()) {
            throw new IllegalArgumentException("permute: number of dims " + dims.length + " (" + Arrays.toString(dims)
                    + ") does not match tensor rank " + rank());
        }
        long[] newShape = new long[dims.length];
        long[] newStrides = new long[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = wrapDim(dims[i], rank());
            if (seen[d]) throw new IllegalArgumentException("permute: dim " + d + " repeats in " + Arrays.toString(dims));
            seen[d] = true;
            newShape[i] = shape[d];
            newStrides[i] = strides[d];
        }
        return new Layout(newShape, newStrides, offset);
    }

    /** Swaps two dims. */
    public Layout transpose(int dim0, int dim1) {
        if (rank() == 0) return this;
        int a = wrapDim(dim0, rank()), b = wrapDim(dim1, rank());
        long[] newShape = shape.clone();
        long[] newStrides = strides.clone();
        newShape[a] = shape[b]; newShape[b] = shape[a];
        newStrides[a] = strides[b]; newStrides[b] = strides[a];
        return new Layout(newShape, newStrides, offset);
    }

    /** Inserts a size-1 dim at {@code dim} (which may equal rank). */
    public Layout unsqueeze(int dim) {
        int d = wrapDim(dim, rank() + 1);
        long stride = d < rank() ? shape[d] * strides[d] : 1;
        return new Layout(insert(shape, d, 1), insert(strides, d, stride), offset);
    }

    /** Drops every size-1 dim. */
    public Layout squeeze() {
        int keep = 0;
        for (long s : shape) if (s != 1) keep++;
        long[] newShape = new long[keep], newStrides = new long[keep];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (shape[i] != 1) { newShape[j] = shape[i]; newStrides[j++] = strides[i]; }
        }
        return new Layout(newShape, newStrides, offset);
    }

    /** Drops {@code dim} if its size is 1 (PyTorch: otherwise a no-op). */
    public Layout squeeze(int dim) {
        if (rank() == 0) return this;
        int d = wrapDim(dim, rank());
        return shape[d] != 1 ? this : new Layout(remove(shape, d), remove(strides, d), offset);
    }

    /**
     * Broadcasts to {@code target} by giving new or size-1 dims stride 0; -1 in target keeps a size.
     */
    public Layout expand(long[] target) {
        if (target.length < rank()) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + target.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + rank() + ")");
        }
        long[] newShape = new long[target.length];
        long[] newStrides = new long[target.length];
        int lead = target.length - rank();
        for (int i = 0; i < target.length; i++) {
            long t = target[i];
            if (i < lead) {
                if (t < 0) throw new IllegalArgumentException("expand: size " + t + " is not allowed for a new leading dim in "
                        + Arrays.toString(target));
                newShape[i] = t;
                newStrides[i] = 0;
                continue;
            }
            long s = shape[i - lead];
            if (t == -1 || t == s) {
                newShape[i] = s;
                newStrides[i] = strides[i - lead];
            } else if (s == 1 && t >= 0) {
                newShape[i] = t;
                newStrides[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + t + ") must match the existing size ("
                        + s + ") at non-singleton dimension " + i + ".  Target sizes: " + Arrays.toString(target)
                        + ".  Tensor sizes: " + Arrays.toString(shape));
            }
        }
        return new Layout(newShape, newStrides, offset);
    }

    /**
     * The strides a view of this layout with {@code newShape} would have, or null when no such view
     * exists (PyTorch's {@code computeStride}: each run of merged dims must be contiguous within itself).
     */
    public long[] viewStrides(long[] newShape) {
        long[] newStrides = new long[newShape.length];
        if (numel == 0) return contiguousStrides(newShape);
        int viewD = newShape.length - 1;
        long chunkBase = strides.length == 0 ? 1 : strides[strides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int tensorD = shape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= shape[tensorD];
            if (tensorD == 0 || (shape[tensorD - 1] != 1 && strides[tensorD - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = viewNumel * chunkBase;
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (tensorD > 0) {
                    chunkBase = strides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            while (viewD >= 0) { newStrides[viewD] = viewNumel * chunkBase; viewD--; } // trailing size-1 dims
        }
        return newStrides;
    }

    /** Calls {@code action} with the element index of every element, in row-major order. */
    public void forEachOffset(java.util.function.LongConsumer action) {
        if (numel == 0) return;
        int rank = shape.length;
        long[] idx = new long[rank];
        long off = offset;
        for (long k = 0; k < numel; k++) {
            action.accept(off);
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) { off += strides[d]; break; }
                off -= strides[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }

    static long[] remove(long[] a, int i) {
        long[] out = new long[a.length - 1];
        System.arraycopy(a, 0, out, 0, i);
        System.arraycopy(a, i + 1, out, i, a.length - i - 1);
        return out;
    }

    static long[] insert(long[] a, int i, long v) {
        long[] out = new long[a.length + 1];
        System.arraycopy(a, 0, out, 0, i);
        out[i] = v;
        System.arraycopy(a, i, out, i + 1, a.length - i);
        return out;
    }

    @Override
    public String toString() {
        return "Layout(shape=" + Arrays.toString(shape) + ", strides=" + Arrays.toString(strides) + ", offset=" + offset + ")";
    }
}
