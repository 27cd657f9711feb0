package dev.jtensor.bench.peers;

import java.util.SplittableRandom;

/**
 * The workloads of issue 12's side-by-side table, defined once for every library: sizes, and the input
 * data as plain Java arrays drawn from fixed seeds, so that jtensor, DJL and ND4J start from the very
 * same float32 values ({@link JtensorRows}, {@link DjlRows}, {@link Nd4jRows} copy them in). The results
 * each library computes are checked against the plain-Java oracle in {@link Expected}.
 */
final class Workloads {
    /** Flat rows: 16M float32 (64 MiB per operand), as ElementwiseBench and ReduceBench. */
    static final int FLAT = 16 * 1024 * 1024;
    /** Sums along each dim of a SQUARE x SQUARE matrix (16M float32). */
    static final int SQUARE = 4096;
    /** Softmax along dim 1 of SOFTMAX x SOFTMAX. */
    static final int SOFTMAX = 1000;
    /** Matrix product of two MATMUL x MATMUL matrices. */
    static final int MATMUL = 1024;
    /** Creation of a tensor from a Java float[] of this length (4M float32, 16 MiB). */
    static final int CREATE = 4 * 1024 * 1024;
    /** The MLP of MlpTrainBench: IN-HIDDEN-CLASSES with ReLU, cross entropy, SGD at LR, BATCH rows. */
    static final int IN = 784, HIDDEN = 256, CLASSES = 10, BATCH = 256;
    static final float LR = 0.01f;

    static final float[] TINY_A = {1, 2, 3, 4}, TINY_B = {5, 6, 7, 8};

    private Workloads() {}

    /** The two operands of the flat rows, U[0, 1). */
    static float[] flatA() { return uniform(1, FLAT, 0, 1); }

    static float[] flatB() { return uniform(2, FLAT, 0, 1); }

    /** The SQUARE x SQUARE matrix, row-major, U[0, 1). */
    static float[] square() { return uniform(3, SQUARE * SQUARE, 0, 1); }

    /** The softmax logits, SOFTMAX x SOFTMAX, standard normal. */
    static float[] logits() {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[SOFTMAX * SOFTMAX];
        for (int i = 0; i < x.length; i++) x[i] = (float) gaussian(r);
        return x;
    }

    /** The matmul operands, U[-0.5, 0.5), as MatmulBench. */
    static float[] matmulLeft() { return uniform(5, MATMUL * MATMUL, -0.5f, 0.5f); }

    static float[] matmulRight() { return uniform(6, MATMUL * MATMUL, -0.5f, 0.5f); }

    /** The Java array tensors are created from. */
    static float[] source() { return uniform(7, CREATE, 0, 1); }

    /**
     * The MLP's batch and initial parameters, drawn as PyTorch's nn.Linear draws them (U(-1/sqrt(in), 1/sqrt(in))
     * for weight and bias), weights in PyTorch's {@code [out, in]} layout, row-major.
     */
    record Mlp(float[] w1, float[] b1, float[] w2, float[] b2, float[] data, long[] labels) {
        static Mlp create() {
            float bound1 = (float) (1 / Math.sqrt(IN)), bound2 = (float) (1 / Math.sqrt(HIDDEN));
            SplittableRandom r = new SplittableRandom(8);
            float[] data = new float[BATCH * IN];
            for (int i = 0; i < data.length; i++) data[i] = (float) gaussian(r);
            long[] labels = new long[BATCH];
            for (int i = 0; i < BATCH; i++) labels[i] = r.nextInt(CLASSES);
            return new Mlp(uniform(9, HIDDEN * IN, -bound1, bound1), uniform(10, HIDDEN, -bound1, bound1),
                    uniform(11, CLASSES * HIDDEN, -bound2, bound2), uniform(12, CLASSES, -bound2, bound2), data, labels);
        }

        /** The labels as one-hot float rows {@code [BATCH, CLASSES]} (ND4J's loss takes those). */
        float[] oneHot() {
            float[] y = new float[BATCH * CLASSES];
            for (int i = 0; i < BATCH; i++) y[i * CLASSES + (int) labels[i]] = 1;
            return y;
        }
    }

    /** {@code w} of shape {@code [rows, cols]} transposed, row-major (ND4J's layers multiply {@code x @ w}). */
    static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j];
        }
        return t;
    }

    static float[] uniform(long seed, int n, float low, float high) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = low + (high - low) * (float) r.nextDouble();
        return x;
    }

    /** Box-Muller: SplittableRandom has no nextGaussian of its own that is stable across JDKs. */
    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
