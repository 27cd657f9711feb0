package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.autograd.GradMode;
import java.util.Arrays;

/**
 * Max, average and adaptive pooling over the last two dims of {@code [N, C, H, W]} (or {@code [C, H, W]}), with
 * PyTorch's output sizes, padding and ceil-mode rules. Max pooling is {@link Jt#maxPool2dWithIndices} (backend
 * kernels where there are some; indices are PyTorch's flat positions in each {@code H x W} plane, first maximum in
 * window order); the others are written with tensor ops (windows, matmuls by averaging matrices).
 */
final class Pooling {
    private Pooling() {}

    /** PyTorch's pooling output size along one dim, including its ceil-mode rule (no window starting in the right padding). */
    static long outSize(long size, int k, int s, int p, int d, boolean ceil) {
        long span = size + 2L * p - (long) d * (k - 1) - 1;
        long out = Math.floorDiv(span + (ceil ? s - 1 : 0), s) + 1;
        if (ceil && (out - 1) * s >= size + p) out--;
        return out;
    }

    /** Max pooling; {@code result[1]} holds the int64 indices. */
    static Tensor[] maxPool2d(Tensor x, int[] k, int[] s, int[] p, int[] d, boolean ceil) {
        if (x.dim() == 3) {
            Tensor[] r = maxPool2d(x.unsqueeze(0), k, s, p, d, ceil);
            return new Tensor[] {r[0].squeeze(0), r[1].squeeze(0)};
        }
        checkPool(x, k, s, p, d, "max_pool2d");
        long h = x.size(2), w = x.size(3);
        long oH = outSize(h, k[0], s[0], p[0], d[0], ceil), oW = outSize(w, k[1], s[1], p[1], d[1], ceil);
        checkOutput(x, oH, oW);
        ValuesIndices m = Jt.maxPool2dWithIndices(x, k, s, p, d, ceil);
        return new Tensor[] {m.values(), m.indices()};
    }

    /** Average pooling with PyTorch's divisor rules (count_include_pad counts padding, never the ceil-mode overhang). */
    static Tensor avgPool2d(Tensor x, int[] k, int[] s, int[] p, boolean ceil, boolean countIncludePad, Integer divisorOverride) {
        if (x.dim() == 3) return avgPool2d(x.unsqueeze(0), k, s, p, ceil, countIncludePad, divisorOverride).squeeze(0);
        checkPool(x, k, s, p, new int[] {1, 1}, "avg_pool2d");
        if (divisorOverride != null && divisorOverride == 0) throw new IllegalArgumentException("divisor must be not zero");
        long h = x.size(2), w = x.size(3);
        long oH = outSize(h, k[0], s[0], p[0], 1, ceil), oW = outSize(w, k[1], s[1], p[1], 1, ceil);
        checkOutput(x, oH, oW);
        var geo = new Windows.Geometry(k[0], k[1], s[0], s[1], 1, 1, oH, oW);
        Tensor sum = Windows.im2col(padForWindows(x, geo, p, 0), geo).sum(2);
        if (divisorOverride != null) return sum.div((double) divisorOverride);
        double[] ch = counts(h, oH, k[0], s[0], p[0], countIncludePad), cw = counts(w, oW, k[1], s[1], p[1], countIncludePad);
        double[] div = new double[Math.toIntExact(oH * oW)];
        for (int i = 0; i < oH; i++) for (int j = 0; j < oW; j++) div[(int) (i * oW + j)] = ch[i] * cw[j];
        return sum.div(Jt.tensor(div, DType.FLOAT64).view(oH, oW).to(x.dtype()).to(x.device()));
    }

    /** Per output position along one dim: the elements a window covers (padding counted or not). */
    private static double[] counts(long size, long out, int k, int s, int p, boolean includePad) {
        double[] c = new double[Math.toIntExact(out)];
        for (int o = 0; o < out; o++) {
            long start = (long) o * s - p, end = Math.min(start + k, size + p);
            long all = end - start;
            c[o] = includePad ? all : Math.min(end, size) - Math.max(start, 0);
        }
        return c;
    }

    /** {@code x} padded by {@code p} before and as much after as the windows reach (ceil mode), with {@code value}. */
    private static Tensor padForWindows(Tensor x, Windows.Geometry geo, int[] p, double value) {
        long right = Math.max(0, geo.spanH() - p[0] - x.size(2)), bottomW = Math.max(0, geo.spanW() - p[1] - x.size(3));
        if (p[0] == 0 && p[1] == 0 && right == 0 && bottomW == 0) return x;
        return Padding.pad(x, new long[] {p[1], bottomW, p[0], right}, "constant", value);
    }

    private static void checkPool(Tensor x, int[] k, int[] s, int[] p, int[] d, String op) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": Expected 3D or 4D (batch mode) tensor for input, but got input of size " + x.shape());
        }
        for (int i = 0; i < 2; i++) {
            if (k[i] <= 0) throw new IllegalArgumentException(op + ": kernel_size must be greater than zero, but got " + Arrays.toString(k));
            if (s[i] <= 0) throw new IllegalArgumentException(op + ": stride must be greater than zero, but got " + Arrays.toString(s));
            if (d[i] <= 0) throw new IllegalArgumentException(op + ": dilation must be greater than zero, but got " + Arrays.toString(d));
            if (p[i] < 0 || p[i] > k[i] / 2) {
                throw new IllegalArgumentException("pad should be at most half of effective kernel size, but got pad=" + p[i]
                        + ", kernel_size=" + k[i] + " and dilation=" + d[i]);
            }
        }
    }

    private static void checkOutput(Tensor x, long oH, long oW) {
        if (oH < 1 || oW < 1) {
            throw new IllegalArgumentException("Given input size: (" + x.size(1) + "x" + x.size(2) + "x" + x.size(3)
                    + "). Calculated output size: (" + x.size(1) + "x" + oH + "x" + oW + "). Output size is too small");
        }
    }

    // ---------------- adaptive ----------------

    static long start(long i, long in, long out) { return Math.floorDiv(i * in, out); }

    static long end(long i, long in, long out) { return -Math.floorDiv(-(i + 1) * in, out); }

    /** {@code [out, in]}: row i averages input positions [start(i), end(i)). */
    private static Tensor averaging(long in, long out, Tensor like) {
        double[] m = new double[Math.toIntExact(in * out)];
        for (long i = 0; i < out; i++) {
            long a = start(i, in, out), b = end(i, in, out);
            for (long j = a; j < b; j++) m[(int) (i * in + j)] = 1.0 / (b - a);
        }
        return Jt.tensor(m, DType.FLOAT64).view(out, in).to(like.dtype()).to(like.device());
    }

    /** Adaptive average pooling to {@code (oH, oW)}: separable, {@code A_h @ x @ A_w^T}; a global mean for (1, 1). */
    static Tensor adaptiveAvgPool2d(Tensor x, long oH, long oW) {
        checkAdaptive(x, oH, oW, "adaptive_avg_pool2d");
        int hd = x.dim() - 2, wd = x.dim() - 1;
        long h = x.size(hd), w = x.size(wd);
        if (oH == 1 && oW == 1) return x.mean(new int[] {hd, wd}, true);
        Tensor y = oH == h ? x : averaging(h, oH, x).matmul(x);
        return oW == w ? y : y.matmul(averaging(w, oW, x).t());
    }

    /** Adaptive max pooling to {@code (oH, oW)}; {@code result[1]} holds the int64 indices. */
    static Tensor[] adaptiveMaxPool2d(Tensor x, long oH, long oW) {
        checkAdaptive(x, oH, oW, "adaptive_max_pool2d");
        int hd = x.dim() - 2, wd = x.dim() - 1;
        long h = x.size(hd), w = x.size(wd);
        int kh = maxWindow(h, oH), kw = maxWindow(w, oW);
        Tensor rows = table(h, oH, kh, x), cols = table(w, oW, kw, x);
        long[] lead = Arrays.copyOf(x.shape().toArray(), x.dim() - 2);
        Tensor g = x.indexSelect(hd, rows.flatten()).indexSelect(wd, cols.flatten());
        long[] six = concat(lead, oH, kh, oW, kw);
        int r = lead.length;
        Tensor win = g.reshape(six).transpose(r + 1, r + 2).reshape(concat(lead, oH, oW, (long) kh * kw));
        ValuesIndices m = win.max(-1);
        Tensor idx;
        try (GradMode gm = GradMode.set(false)) {
            Tensor local = m.indices();
            Tensor hi = local.floorDiv(kw).minimum(bounds(h, oH, x, true).view(oH, 1)).add(bounds(h, oH, x, false).view(oH, 1));
            Tensor wi = local.remainder(kw).minimum(bounds(w, oW, x, true)).add(bounds(w, oW, x, false));
            idx = hi.mul(w).add(wi);
        }
        return new Tensor[] {m.values(), idx};
    }

    /** Per window of an adaptive pool: its last offset ({@code last}) or its start, int64 on x's device. */
    private static Tensor bounds(long in, long out, Tensor like, boolean last) {
        long[] v = new long[Math.toIntExact(out)];
        for (int i = 0; i < out; i++) v[i] = last ? end(i, in, out) - start(i, in, out) - 1 : start(i, in, out);
        return Jt.tensor(v).to(like.device());
    }

    private static long[] concat(long[] lead, long... tail) {
        long[] out = Arrays.copyOf(lead, lead.length + tail.length);
        System.arraycopy(tail, 0, out, lead.length, tail.length);
        return out;
    }

    private static int maxWindow(long in, long out) {
        long k = 0;
        for (long i = 0; i < out; i++) k = Math.max(k, end(i, in, out) - start(i, in, out));
        return Math.toIntExact(k);
    }

    /** {@code [out * k]} int64: window i's positions, the last one repeated to fill k (a repeat never changes a max). */
    private static Tensor table(long in, long out, int k, Tensor like) {
        long[] t = new long[Math.toIntExact(out * k)];
        for (long i = 0; i < out; i++) {
            long a = start(i, in, out), b = end(i, in, out);
            for (int j = 0; j < k; j++) t[(int) (i * k + j)] = Math.min(a + j, b - 1);
        }
        return Jt.tensor(t).to(like.device());
    }

    private static void checkAdaptive(Tensor x, long oH, long oW, String op) {
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException(op + "(): Expected 3D or 4D tensor, but got " + x.shape());
        }
        for (int i = 1; i < x.dim(); i++) {
            if (x.size(i) == 0) {
                throw new IllegalArgumentException(op + "(): Expected input to have non-zero size for non-batch dimensions, but input has sizes "
                        + x.shape() + " with dimension " + i + " being empty");
            }
        }
        if (oH < 1 || oW < 1) throw new IllegalArgumentException(op + ": output size must be positive, got (" + oH + ", " + oW + ")");
    }

    /** Max unpooling: {@code x} scattered at {@code indices} into zeros of {@code [N, C, outH, outW]}. */
    static Tensor maxUnpool2d(Tensor x, Tensor indices, long outH, long outW) {
        if (x.dim() == 3) return maxUnpool2d(x.unsqueeze(0), indices.unsqueeze(0), outH, outW).squeeze(0);
        if (x.dim() != 4 || !x.shape().equals(indices.shape())) {
            throw new IllegalArgumentException("max_unpool2d: expected input and indices of equal 3-d or 4-d shape, got " + x.shape()
                    + " and " + indices.shape());
        }
        if (indices.dtype() != DType.INT64) throw new IllegalArgumentException("max_unpool2d: indices must be INT64, got " + indices.dtype());
        long n = x.size(0), c = x.size(1);
        Tensor flat = indices.reshape(n, c, -1);
        try (GradMode g = GradMode.set(false)) {
            if (flat.numel() > 0 && (flat.min().item() < 0 || flat.max().item() >= outH * outW)) {
                throw new IndexOutOfBoundsException("max_unpool2d: found an invalid max index " + (long) flat.max().item()
                        + " (output volumes are of size " + outH + "x" + outW + ")");
            }
        }
        Tensor zeros = Jt.zeros(new long[] {n, c, outH * outW}, x.dtype(), x.device());
        return zeros.scatter(2, flat, x.reshape(n, c, -1)).view(n, c, outH, outW);
    }
}
