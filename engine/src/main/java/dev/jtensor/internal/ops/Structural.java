package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.plan.Layout;
import java.util.List;

/**
 * {@code tril triu repeatInterleave}: ops that keep, repeat or encode elements by their position.
 * Composites of where/expand/indexSelect/eq, so they run on every device and differentiate through
 * those ops (tril and triu record PyTorch's node names).
 */
public final class Structural {
    private Structural() {}

    /**
     * The lower triangle of the last two dims: {@code x[..., i, j]} kept where {@code j - i <= diagonal},
     * zero elsewhere (a copy), as {@code torch.tril}. Any dtype, bool included. Backward (TrilBackward0):
     * {@code tril(g, diagonal)}.
     */
    public static Tensor tril(Tensor x, long diagonal) { return triangle(x, diagonal, true); }

    /** The upper triangle: kept where {@code j - i >= diagonal}, as {@code torch.triu}. Backward TriuBackward0. */
    public static Tensor triu(Tensor x, long diagonal) { return triangle(x, diagonal, false); }

    private static Tensor triangle(Tensor x, long diagonal, boolean lower) {
        String op = lower ? "tril" : "triu";
        if (x.dim() < 2) throw new IllegalArgumentException(op + ": input tensor must have at least 2 dimensions, got shape " + x.shape());
        Device dev = x.device();
        Tensor rows = Movement.toDevice(Creation.arange(0, x.size(-2), 1, DType.INT64), dev).unsqueeze(1);
        Tensor cols = Movement.toDevice(Creation.arange(0, x.size(-1), 1, DType.INT64), dev).unsqueeze(0);
        Tensor diff = cols.sub(rows);
        Tensor mask = lower ? diff.le(diagonal) : diff.ge(diagonal);
        Tensor y = Comparison.where(mask, x.detach(), Creation.full(new long[0], 0, x.dtype(), dev));
        if (!Autograd.needsGrad(x)) return y;
        return Autograd.record(lower ? "TrilBackward0" : "TriuBackward0", y, List.of(x), List.of(),
                (g, s) -> List.of(triangle(g, diagonal, lower)));
    }

    /**
     * Each slice along {@code dim} repeated {@code repeats} times in place ({@code [a, b] -> [a, a, b, b]}),
     * as {@code torch.repeat_interleave(x, repeats, dim)}; {@code dim} null flattens first. A copy.
     */
    public static Tensor repeatInterleave(Tensor x, long repeats, Integer dim) {
        if (repeats < 0) throw new IllegalArgumentException("repeat_interleave: repeats can not be negative, got " + repeats);
        Tensor src = dim == null ? x.reshape(-1) : x;
        int d = dim == null ? 0 : Layout.wrapDim(dim, Math.max(1, src.dim()));
        if (src.dim() == 0) src = src.reshape(1);
        Tensor u = src.unsqueeze(d + 1);
        long[] expanded = u.shape().toArray();
        expanded[d + 1] = repeats;
        long[] result = src.shape().toArray();
        result[d] *= repeats;
        return u.expand(expanded).reshape(result);
    }

    /**
     * Slice {@code i} along {@code dim} repeated {@code repeats[i]} times ({@code repeats}: int64, 1-d of the
     * dim's size, or one element for all), as {@code torch.repeat_interleave(x, repeats_tensor, dim)}. The
     * counts are read on the host (the output's size depends on them).
     */
    public static Tensor repeatInterleave(Tensor x, Tensor repeats, Integer dim) {
        Tensor src = dim == null ? x.reshape(-1) : x;
        int d = dim == null ? 0 : Layout.wrapDim(dim, src.dim());
        long n = src.size(d);
        long[] counts = repeats.reshape(-1).to(DType.INT64).toLongArray();
        if (counts.length == 1 && n != 1) counts = java.util.Collections.nCopies((int) n, counts[0]).stream().mapToLong(Long::longValue).toArray();
        if (repeats.dim() > 1 || counts.length != n) {
            throw new IllegalArgumentException("repeat_interleave: repeats must have the same size as input along dim " + d
                    + " (" + n + "), got shape " + repeats.shape());
        }
        return Indexing.indexSelect(src, d, Movement.toDevice(indexOfCounts(counts), x.device()));
    }

    /** {@code torch.repeat_interleave(counts)}: {@code i} repeated {@code counts[i]} times (int64). */
    public static Tensor repeatInterleave(Tensor counts) {
        if (counts.dim() > 1 || counts.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("repeat_interleave: repeats must be a 0-d or 1-d integer tensor, got " + counts.dtype() + counts.shape());
        }
        return Movement.toDevice(indexOfCounts(counts.reshape(-1).to(DType.INT64).toLongArray()), counts.device());
    }

    private static Tensor indexOfCounts(long[] counts) {
        long total = 0;
        for (long c : counts) {
            if (c < 0) throw new IllegalArgumentException("repeat_interleave: repeats can not be negative, got " + c);
            total += c;
        }
        long[] idx = new long[Math.toIntExact(total)];
        for (int i = 0, k = 0; i < counts.length; i++) for (long c = 0; c < counts[i]; c++) idx[k++] = i;
        return Creation.fromData(idx, DType.INT64);
    }
}
