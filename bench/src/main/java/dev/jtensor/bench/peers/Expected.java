package dev.jtensor.bench.peers;

import static dev.jtensor.bench.peers.Workloads.BATCH;
import static dev.jtensor.bench.peers.Workloads.CLASSES;
import static dev.jtensor.bench.peers.Workloads.HIDDEN;
import static dev.jtensor.bench.peers.Workloads.IN;
import static dev.jtensor.bench.peers.Workloads.LR;

/**
 * The oracle every library's rows are checked against in their {@code @Setup} (a benchmark whose library
 * computes something else fails before it is timed): plain Java loops over the {@link Workloads} arrays,
 * accumulating in double. Elementwise results must match exactly; reductions, softmax, matmul and the
 * MLP's losses within float32 rounding of differently ordered sums.
 */
final class Expected {
    private Expected() {}

    /** Exact equality, element by element (float add and copies round the same in every library). */
    static void same(String what, float[] want, float[] got) {
        if (want.length != got.length) fail(what, "length " + got.length + ", expected " + want.length);
        for (int i = 0; i < want.length; i++) {
            if (Float.compare(want[i], got[i]) != 0) fail(what, "element " + i + " is " + got[i] + ", expected " + want[i]);
        }
    }

    static float[] add(float[] a, float[] b) {
        float[] c = new float[a.length];
        for (int i = 0; i < c.length; i++) c[i] = a[i] + b[i];
        return c;
    }

    static void sum(String what, float[] x, double got) {
        double s = 0;
        for (float v : x) s += v;
        near(what, s, got, 1e-4 * Math.abs(s));
    }

    /** Sums of the {@code n x n} matrix {@code m} along {@code dim}. */
    static void sumAlong(String what, float[] m, int n, int dim, float[] got) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) s[dim == 0 ? j : i] += m[i * n + j];
        }
        if (got.length != n) fail(what, "length " + got.length + ", expected " + n);
        for (int k = 0; k < n; k++) near(what + "[" + k + "]", s[k], got[k], 1e-5 * Math.abs(s[k]));
    }

    /** Softmax along dim 1 of the {@code n x n} matrix. */
    static void softmax(String what, float[] x, int n, float[] got) {
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY, total = 0;
            for (int j = 0; j < n; j++) max = Math.max(max, x[i * n + j]);
            for (int j = 0; j < n; j++) total += Math.exp(x[i * n + j] - max);
            for (int j = 0; j < n; j++) {
                double p = Math.exp(x[i * n + j] - max) / total;
                near(what + "[" + i + "," + j + "]", p, got[i * n + j], 1e-6 + 1e-4 * p);
            }
        }
    }

    /** {@code x @ y} of {@code n x n} matrices, checked at 64 entries spread over the result. */
    static void matmul(String what, float[] x, float[] y, int n, float[] got) {
        for (int s = 0; s < 64; s++) {
            int i = (s * 337) % n, j = (s * 541 + 17) % n;
            double dot = 0;
            for (int k = 0; k < n; k++) dot += (double) x[i * n + k] * y[k * n + j];
            near(what + "[" + i + "," + j + "]", dot, got[i * n + j], 1e-3);
        }
    }

    /**
     * The MLP's losses on its first two steps from {@link Workloads.Mlp}'s parameters: the first checks the
     * forward and the loss, the second the backward and the SGD update of the first.
     */
    static void mlpLosses(String what, Workloads.Mlp mlp, double first, double second) {
        double[] w1 = toDouble(mlp.w1()), b1 = toDouble(mlp.b1()), w2 = toDouble(mlp.w2()), b2 = toDouble(mlp.b2());
        double loss1 = mlpStep(mlp, w1, b1, w2, b2), loss2 = mlpStep(mlp, w1, b1, w2, b2);
        near(what + " step 1", loss1, first, 1e-4 * loss1);
        near(what + " step 2", loss2, second, 1e-4 * loss2);
    }

    /** One step in double: returns the loss before the update, and updates the parameters in place. */
    private static double mlpStep(Workloads.Mlp mlp, double[] w1, double[] b1, double[] w2, double[] b2) {
        float[] x = mlp.data();
        double[] h = new double[BATCH * HIDDEN], dLogits = new double[BATCH * CLASSES];
        double loss = 0;
        for (int r = 0; r < BATCH; r++) {
            for (int o = 0; o < HIDDEN; o++) {
                double z = b1[o];
                for (int k = 0; k < IN; k++) z += x[r * IN + k] * w1[o * IN + k];
                h[r * HIDDEN + o] = Math.max(z, 0);
            }
            double[] logits = new double[CLASSES];
            double max = Double.NEGATIVE_INFINITY, total = 0;
            for (int c = 0; c < CLASSES; c++) {
                double z = b2[c];
                for (int k = 0; k < HIDDEN; k++) z += h[r * HIDDEN + k] * w2[c * HIDDEN + k];
                logits[c] = z;
                max = Math.max(max, z);
            }
            for (int c = 0; c < CLASSES; c++) total += Math.exp(logits[c] - max);
            int label = (int) mlp.labels()[r];
            loss += (max + Math.log(total) - logits[label]) / BATCH;
            for (int c = 0; c < CLASSES; c++) {
                dLogits[r * CLASSES + c] = (Math.exp(logits[c] - max) / total - (c == label ? 1 : 0)) / BATCH;
            }
        }
        double[] dh = new double[BATCH * HIDDEN];
        for (int r = 0; r < BATCH; r++) {
            for (int k = 0; k < HIDDEN; k++) {
                if (h[r * HIDDEN + k] <= 0) continue;
                for (int c = 0; c < CLASSES; c++) dh[r * HIDDEN + k] += dLogits[r * CLASSES + c] * w2[c * HIDDEN + k];
            }
        }
        for (int c = 0; c < CLASSES; c++) {
            for (int k = 0; k < HIDDEN; k++) {
                double g = 0;
                for (int r = 0; r < BATCH; r++) g += dLogits[r * CLASSES + c] * h[r * HIDDEN + k];
                w2[c * HIDDEN + k] -= LR * g;
            }
            double g = 0;
            for (int r = 0; r < BATCH; r++) g += dLogits[r * CLASSES + c];
            b2[c] -= LR * g;
        }
        for (int o = 0; o < HIDDEN; o++) {
            double[] g = new double[IN];
            double gb = 0;
            for (int r = 0; r < BATCH; r++) {
                double d = dh[r * HIDDEN + o];
                if (d == 0) continue;
                gb += d;
                for (int k = 0; k < IN; k++) g[k] += d * x[r * IN + k];
            }
            for (int k = 0; k < IN; k++) w1[o * IN + k] -= LR * g[k];
            b1[o] -= LR * gb;
        }
        return loss;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static void near(String what, double want, double got, double tolerance) {
        if (!(Math.abs(want - got) <= tolerance)) fail(what, got + ", expected " + want + " (tolerance " + tolerance + ")");
    }

    private static void fail(String what, String detail) {
        throw new IllegalStateException("sanity check failed, " + what + ": " + detail);
    }
}
