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
 * for every element j of every input. Then, by default, the same function runs with every non-empty
 * proper subset of its inputs requiring grad ({@link #checkSubsets}): PyTorch's rule that any subset of an
 * op's inputs may require grad. Keep the API small: other test suites use it.
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
        checkFirstOrder(f, float64Inputs);
        checkSubsets(f, float64Inputs);
    }

    /** The finite-difference part of {@link #check} alone (all inputs require grad). */
    public static void checkFirstOrder(Function<List<Tensor>, Tensor> f, Tensor... float64Inputs) {
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

    /**
     * Runs {@code f} once with every input requiring grad and then once per non-empty proper subset of
     * the inputs requiring grad, each time through {@code out.backward(w)} (the path user code takes).
     * Each subset run must not throw, must give every input in the subset the same gradient as the
     * all-inputs run (same ops on the same float64 values: equal to the last bit, up to {@code 1e-12}
     * relative in case a BLAS kernel splits its work differently), and must leave {@code grad()} null on
     * the other inputs. Inputs may be of any floating dtype.
     *
     * @throws AssertionError naming the subset and the input on a mismatch
     */
    public static void checkSubsets(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        int n = inputs.length;
        int all = (1 << n) - 1;
        List<Tensor> reference = backwardWith(f, inputs, all);
        for (int mask = 1; mask < all; mask++) {
            List<Tensor> leaves = leavesFor(inputs, mask);
            Tensor out;
            try {
                out = f.apply(leaves);
                if (!out.requiresGrad()) {
                    throw new AssertionError("inputs " + subsetName(mask, n) + " require grad but the output does not");
                }
                out.backward(weights(out.shape().toArray()).to(out.dtype()));
            } catch (RuntimeException e) {
                throw new AssertionError("backward failed with inputs " + subsetName(mask, n) + " requiring grad: " + e, e);
            }
            for (int i = 0; i < n; i++) {
                Tensor g = leaves.get(i).grad();
                if ((mask & (1 << i)) == 0) {
                    if (g != null) throw new AssertionError("input " + i + " does not require grad but got a grad() (inputs "
                            + subsetName(mask, n) + " require grad)");
                    continue;
                }
                compareExactly(reference.get(i), g, "input " + i + " with inputs " + subsetName(mask, n) + " requiring grad");
            }
        }
    }

    private static List<Tensor> backwardWith(Function<List<Tensor>, Tensor> f, Tensor[] inputs, int mask) {
        List<Tensor> leaves = leavesFor(inputs, mask);
        Tensor out = f.apply(leaves);
        out.backward(weights(out.shape().toArray()).to(out.dtype()));
        List<Tensor> grads = new ArrayList<>();
        for (Tensor t : leaves) grads.add(t.grad());
        return grads;
    }

    private static List<Tensor> leavesFor(Tensor[] inputs, int mask) {
        List<Tensor> leaves = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            leaves.add(inputs[i].detach().clone().requiresGrad_((mask & (1 << i)) != 0));
        }
        return leaves;
    }

    private static void compareExactly(Tensor expected, Tensor actual, String what) {
        if (expected == null) {
            if (actual != null) throw new AssertionError(what + ": got a gradient where the all-inputs run got none");
            return;
        }
        if (actual == null) throw new AssertionError(what + ": got no gradient (the all-inputs run got one)");
        if (!expected.shape().equals(actual.shape())) {
            throw new AssertionError(what + ": gradient shape " + actual.shape() + ", expected " + expected.shape());
        }
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int j = 0; j < e.length; j++) {
            boolean same = Double.compare(e[j], a[j]) == 0 || Math.abs(e[j] - a[j]) <= 1e-12 * Math.abs(e[j]);
            if (!same) throw new AssertionError(what + ": element " + j + " is " + a[j] + ", all-inputs run gave " + e[j]);
        }
    }

    private static String subsetName(int mask, int n) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            if ((mask & (1 << i)) == 0) continue;
            if (b.length() > 1) b.append(", ");
            b.append(i);
        }
        return b.append("}").toString();
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
