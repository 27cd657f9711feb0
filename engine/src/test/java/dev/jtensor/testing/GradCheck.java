package dev.jtensor.testing;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Gradient checks by central finite differences in float64, as {@code torch.autograd.gradcheck}:
 * the backward of {@code f} (through {@link Autograd#grad}, with a fixed pseudo-random output gradient
 * {@code w}) must match {@code (L(x + eps e_j) - L(x - eps e_j)) / 2 eps} for {@code L(x) = sum(w * f(x))},
 * for every element j of every input. Keep the API small: other test suites use it.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;

    /**
     * Checks {@code f}'s gradients at {@code float64Inputs} (values only are used: the inputs are copied
     * into fresh leaves that require grad).
     *
     * @throws AssertionError naming the input, element, analytic and numeric values on a mismatch
     */
    public static void check(Function<List<Tensor>, Tensor> f, Tensor... float64Inputs) {
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor t : float64Inputs) {
            if (t.dtype() != DType.FLOAT64) throw new IllegalArgumentException("GradCheck needs FLOAT64 inputs, got " + t.dtype());
            leaves.add(t.detach().clone().requiresGrad_(true));
        }
        Tensor out = f.apply(leaves);
        Tensor w = weights(out.shape().toArray());
        List<Tensor> analytic = Autograd.grad(List.of(out), leaves, List.of(w), false, false);
        double[] wv = w.toDoubleArray();
        for (int i = 0; i < leaves.size(); i++) {
            double[] x = float64Inputs[i].toDoubleArray();
            double[] ga = analytic.get(i).toDoubleArray();
            if (ga.length != x.length) throw new AssertionError("input " + i + ": gradient has " + ga.length + " elements, input " + x.length);
            for (int j = 0; j < x.length; j++) {
                double numeric = (loss(f, float64Inputs, i, j, x[j] + EPS, wv) - loss(f, float64Inputs, i, j, x[j] - EPS, wv)) / (2 * EPS);
                if (!(Math.abs(numeric - ga[j]) <= ATOL + RTOL * Math.abs(numeric))) {
                    throw new AssertionError("gradient mismatch for input " + i + " element " + j + " (x = " + x[j] + "): analytic "
                            + ga[j] + ", numeric " + numeric + "\n analytic " + Arrays.toString(ga));
                }
            }
        }
    }

    /** {@code sum(w * f(inputs with input i's element j set to v))}, without autograd. */
    private static double loss(Function<List<Tensor>, Tensor> f, Tensor[] inputs, int i, int j, double v, double[] w) {
        List<Tensor> xs = new ArrayList<>();
        for (int k = 0; k < inputs.length; k++) {
            double[] vals = inputs[k].toDoubleArray();
            if (k == i) vals[j] = v;
            xs.add(Jt.tensor(vals, DType.FLOAT64).reshape(inputs[k].shape().toArray()));
        }
        try (var g = Jt.noGrad()) {
            double[] out = f.apply(xs).toDoubleArray();
            double s = 0;
            for (int k = 0; k < out.length; k++) s += w[k] * out[k];
            return s;
        }
    }

    /** Fixed output weights in [0.5, 1.5), so that every output element matters and none cancel. */
    private static Tensor weights(long[] shape) {
        int n = (int) dev.jtensor.Shape.numelOf(shape);
        double[] w = new double[n];
        for (int k = 0; k < n; k++) w[k] = 0.5 + ((k * 0.6180339887498949) % 1.0);
        return Jt.tensor(w, DType.FLOAT64).reshape(shape);
    }
}
