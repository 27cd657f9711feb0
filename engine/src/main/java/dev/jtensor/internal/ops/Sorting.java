package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.backend.plan.Layout;
import java.util.Arrays;
import java.util.Comparator;

/**
 * {@code sort argsort topk multinomial}: the ops that order or draw along the last (or a given) dim.
 *
 * <p>They compute the order on the host: the values are read once (a named synchronisation, like
 * {@code item()}), every line is ordered there, and the int64 indices go back to the tensor's device;
 * the values are then gathered on the device ({@code gather}), so their gradient is the gather's
 * (scatter g back to the chosen positions). Lines are short in the models this serves (vocabularies,
 * beams); a device sort kernel can replace the host step behind the same signatures.
 *
 * <p>Order follows PyTorch: NaN sorts above {@code +inf}, {@code -0.0} equals {@code 0.0}, and equal
 * elements keep their input order (PyTorch's {@code stable=True}; this implementation is always stable,
 * which is also a valid answer for {@code stable=False}).
 */
public final class Sorting {
    private Sorting() {}

    /** Values and int64 indices of {@code x} sorted along {@code dim}, as {@code torch.sort(x, dim, descending, stable)}. */
    public static ValuesIndices sort(Tensor x, int dim, boolean descending) {
        if (x.dim() == 0) {
            Layout.wrapDim(dim, 1);
            return new ValuesIndices(x.clone(), Creation.full(new long[0], 0, DType.INT64, x.device()));
        }
        int d = Layout.wrapDim(dim, x.dim());
        Tensor indices = order(x, d, descending, x.size(d));
        return new ValuesIndices(Indexing.gather(x, d, indices), indices);
    }

    /** The int64 indices that sort {@code x} along {@code dim}, as {@code torch.argsort}. */
    public static Tensor argsort(Tensor x, int dim, boolean descending) { return sort(x.detach(), dim, descending).indices(); }

    /**
     * The {@code k} largest ({@code largest}) or smallest elements along {@code dim} and their indices, in
     * sorted order (best first), as {@code torch.topk}; {@code sorted=False} is served sorted too.
     *
     * @throws IllegalArgumentException when k is negative or larger than the dim
     */
    public static ValuesIndices topk(Tensor x, long k, int dim, boolean largest) {
        long n = x.dim() == 0 ? 1 : x.size(Layout.wrapDim(dim, x.dim()));
        if (k < 0 || k > n) throw new IllegalArgumentException("topk: k (" + k + ") out of range for dim of size " + n
                + " (shape " + x.shape() + ")");
        if (x.dim() == 0) return sort(x, dim, largest);
        int d = Layout.wrapDim(dim, x.dim());
        Tensor indices = order(x, d, largest, k);
        return new ValuesIndices(Indexing.gather(x, d, indices), indices);
    }

    /** The first {@code keep} positions of every line of x along d in sorted order, as an int64 tensor on x's device. */
    private static Tensor order(Tensor x, int d, boolean descending, long keep) {
        Tensor lines = x.detach().transpose(d, -1).contiguous();
        long n = x.size(d);
        long[] shape = lines.shape().toArray();
        int rows = (int) (n == 0 ? 0 : lines.numel() / n);
        long[] out = new long[Math.toIntExact(rows * keep)];
        Comparator<Integer> cmp;
        if (x.dtype().isFloatingPoint()) {
            double[] v = lines.toDoubleArray();
            int[] base = {0};
            cmp = (i, j) -> compare(v[base[0] + i], v[base[0] + j]);
            sortLines(rows, (int) n, keep, descending ? cmp.reversed() : cmp, base, out);
        } else {
            long[] v = lines.to(DType.INT64).toLongArray();
            int[] base = {0};
            cmp = (i, j) -> Long.compare(v[base[0] + i], v[base[0] + j]);
            sortLines(rows, (int) n, keep, descending ? cmp.reversed() : cmp, base, out);
        }
        shape[shape.length - 1] = keep;
        Tensor idx = Creation.fromData(out, DType.INT64).reshape(shape);
        return Movement.toDevice(idx, x.device()).transpose(d, -1).contiguous();
    }

    /** Stable sort of each line's positions by {@code cmp} (which reads the line starting at {@code base[0]}). */
    private static void sortLines(int rows, int n, long keep, Comparator<Integer> cmp, int[] base, long[] out) {
        Integer[] pos = new Integer[n];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) pos[i] = i;
            base[0] = r * n;
            Arrays.sort(pos, cmp); // TimSort: stable
            for (int i = 0; i < keep; i++) out[(int) (r * keep + i)] = pos[i];
        }
    }

    /** PyTorch's order: NaN above everything, -0.0 equal to 0.0. */
    private static int compare(double a, double b) {
        if (a < b) return -1;
        if (a > b) return 1;
        boolean na = Double.isNaN(a), nb = Double.isNaN(b);
        return na == nb ? 0 : na ? 1 : -1;
    }

    /**
     * {@code numSamples} category indices drawn from each row of the non-negative weights {@code probs}
     * (1-d or 2-d; rows need not sum to 1), as {@code torch.multinomial}. With the same generator state it
     * draws PyTorch's CPU numbers: with replacement by inverse-CDF binary search on the row's cumulative
     * sums (one 53-bit uniform per sample); without replacement (or one sample) as {@code argmax}/{@code topk}
     * of {@code p / q} with {@code q ~ Exp(1)} drawn for every element (the Gumbel trick PyTorch uses).
     *
     * @throws IllegalArgumentException for a bad shape, negative/non-finite weights, a row summing to 0, or
     *         more samples than categories without replacement
     */
    public static Tensor multinomial(Tensor probs, long numSamples, boolean replacement, Generator g) {
        if (!probs.dtype().isFloatingPoint()) throw new IllegalArgumentException("multinomial only supports floating-point dtypes for input, got " + probs.dtype());
        if (probs.dim() < 1 || probs.dim() > 2) throw new IllegalArgumentException("prob_dist must be 1 or 2 dim, got shape " + probs.shape());
        long cats = probs.size(-1);
        if (numSamples <= 0) throw new IllegalArgumentException("cannot sample n_sample <= 0 samples (got " + numSamples + ")");
        if (!replacement && numSamples > cats) {
            throw new IllegalArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement ("
                    + numSamples + " > " + cats + ")");
        }
        boolean f32 = probs.dtype() != DType.FLOAT64;
        Tensor rows = probs.detach().reshape(-1, cats);
        int nRows = (int) rows.size(0);
        double[] p = rows.to(f32 ? DType.FLOAT32 : DType.FLOAT64).toDoubleArray();
        for (int r = 0; r < nRows; r++) {
            double sum = 0;
            for (int j = 0; j < cats; j++) {
                double v = p[(int) (r * cats + j)];
                if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("probability tensor contains either `inf`, `nan` or element < 0");
                sum += v;
            }
            if (sum <= 0) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
        }
        long[] out = g.locked(() -> replacement && numSamples > 1
                ? MultinomialDraws.withReplacement(p, nRows, (int) cats, (int) numSamples, f32, g)
                : MultinomialDraws.gumbel(p, nRows, (int) cats, (int) numSamples, f32, g));
        long[] shape = probs.dim() == 1 ? new long[] {numSamples} : new long[] {nRows, numSamples};
        return Movement.toDevice(Creation.fromData(out, DType.INT64).reshape(shape), probs.device());
    }
}
