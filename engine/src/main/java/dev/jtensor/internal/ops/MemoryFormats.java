package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.MemoryFormat;
import dev.jtensor.Tensor;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Memory formats as strides (PyTorch's {@code memory_format}): a channels-last tensor is a permuted view
 * of a row-major {@code [N, H, W, C]} block, so every op reads it through its strides as any other view.
 */
public final class MemoryFormats {
    private MemoryFormats() {}

    /** The order of the dims from outermost to innermost in memory ({@code [0, 2, 3, 1]} for channels last). */
    private static int[] memoryOrder(MemoryFormat f, int rank) {
        return switch (f) {
            case CHANNELS_LAST -> { requireRank(f, rank, 4); yield new int[] {0, 2, 3, 1}; }
            case CHANNELS_LAST_3D -> { requireRank(f, rank, 5); yield new int[] {0, 2, 3, 4, 1}; }
            case CONTIGUOUS_FORMAT, PRESERVE_FORMAT -> IntStream.range(0, rank).toArray();
        };
    }

    private static void requireRank(MemoryFormat f, int rank, int expected) {
        if (rank != expected) {
            throw new IllegalArgumentException("required rank " + expected + " tensor to use " + f.name().toLowerCase() + " format (got rank " + rank + ")");
        }
    }

    private static int[] inverse(int[] order) {
        int[] inv = new int[order.length];
        for (int i = 0; i < order.length; i++) inv[order[i]] = i;
        return inv;
    }

    /**
     * True when x's strides are those of {@code f} (PyTorch's rule: size-1 dims may have any stride;
     * {@code PRESERVE_FORMAT} is not a layout and throws).
     */
    public static boolean isContiguous(Tensor x, MemoryFormat f) {
        if (f == MemoryFormat.PRESERVE_FORMAT) throw new IllegalArgumentException("is_contiguous: preserve_format is not a memory format to test");
        int[] order = memoryOrder(f, x.dim());
        long expected = 1;
        for (int k = order.length - 1; k >= 0; k--) {
            long size = x.size(order[k]);
            if (size == 1) continue;
            if (x.stride(order[k]) != expected) return false;
            expected *= size;
        }
        return true;
    }

    /** x in format {@code f}: x itself when it already is, else a copy (differentiable, as a clone). */
    public static Tensor contiguous(Tensor x, MemoryFormat f) {
        if (f == MemoryFormat.PRESERVE_FORMAT) {
            throw new IllegalArgumentException("contiguous: preserve memory format is unsupported by the contiguous operator");
        }
        if (isContiguous(x, f)) return x;
        return clone(x, f);
    }

    /** A copy of x laid out in {@code f} ({@code clone(memory_format=f)}); PRESERVE keeps x's dense layout. */
    public static Tensor clone(Tensor x, MemoryFormat f) {
        int[] order = f == MemoryFormat.PRESERVE_FORMAT ? preservedOrder(x) : memoryOrder(f, x.dim());
        return x.permute(order).clone().permute(inverse(order));
    }

    /**
     * An uninitialized (here: zero-filled) tensor of x's shape, {@code dtype} and device in format {@code f};
     * PRESERVE keeps x's stride order when x is dense (channels last stays channels last, a transpose stays
     * transposed), else row-major, as PyTorch's empty_like.
     */
    public static Tensor emptyLike(Tensor x, DType dtype, MemoryFormat f) {
        int[] order = f == MemoryFormat.PRESERVE_FORMAT ? preservedOrder(x) : memoryOrder(f, x.dim());
        long[] shape = x.shape().toArray(), permuted = new long[shape.length];
        for (int i = 0; i < order.length; i++) permuted[i] = shape[order[i]];
        return Creation.full(permuted, 0, dtype, x.device()).permute(inverse(order));
    }

    /** x's dims by decreasing stride when x is dense and non-overlapping, else the row-major order. */
    private static int[] preservedOrder(Tensor x) {
        int rank = x.dim();
        Integer[] dims = IntStream.range(0, rank).boxed().toArray(Integer[]::new);
        Arrays.sort(dims, Comparator.comparingLong((Integer d) -> -x.stride(d))); // stable: ties keep dim order
        long expected = 1;
        for (int k = rank - 1; k >= 0; k--) {
            long size = x.size(dims[k]);
            if (size == 1) continue;
            if (x.stride(dims[k]) != expected) return IntStream.range(0, rank).toArray();
            expected *= size;
        }
        return Arrays.stream(dims).mapToInt(Integer::intValue).toArray();
    }
}
