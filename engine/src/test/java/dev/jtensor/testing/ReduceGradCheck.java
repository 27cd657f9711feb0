package dev.jtensor.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference gradient checks in float64 for the reduction/indexing family: the first derivative
 * ({@code gradcheck}) and, through {@code createGraph}, the second ({@code gradgradcheck}). Central
 * differences with step 1e-6; an output is reduced to a scalar by a fixed random weighting.
 */
public final class ReduceGradCheck {
    private ReduceGradCheck() {}

    private static final double H = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    /** Checks first and second derivatives of {@code f} at {@code inputs} (converted to float64 leaves). */
    public static void check(Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        check(f, true, inputs);
    }

    /** As {@link #check(Function, Tensor...)}; {@code secondOrder} false checks the first derivative only. */
    public static void check(Function<List<Tensor>, Tensor> f, boolean secondOrder, Tensor... inputs) {
        List<double[]> data = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (Tensor t : inputs) {
            data.add(t.to(DType.FLOAT64).toDoubleArray());
            shapes.add(t.shape().toArray());
        }
        Random rnd = new Random(7);
        List<Tensor> xs = leaves(data, shapes, true);
        Tensor y = f.apply(xs);
        double[] w = rnd.doubles(y.numel(), -1, 1).toArray();
        Tensor wt = Jt.tensor(w, DType.FLOAT64).reshape(y.shape().toArray());
        List<Tensor> grads = Autograd.grad(List.of(y), xs, List.of(wt), true, secondOrder);
        for (int i = 0; i < inputs.length; i++) {
            double[] numeric = numericGradient(data, shapes, i, d -> dot(f.apply(leaves(d, shapes, false)).toDoubleArray(), w));
            compare("gradient of input " + i, grads.get(i).toDoubleArray(), numeric);
        }
        GradCheck.checkSubsets(f, leaves(data, shapes, false).toArray(new Tensor[0]));
        if (!secondOrder) return;
        List<double[]> v = new ArrayList<>();
        for (double[] d : data) v.add(rnd.doubles(d.length, -1, 1).toArray());
        for (int i = 0; i < inputs.length; i++) {
            double[] analytic = secondDerivative(grads, xs, v, i, shapes);
            double[] numeric = numericGradient(data, shapes, i, d -> {
                List<Tensor> ls = leaves(d, shapes, true);
                List<Tensor> gs = Autograd.grad(List.of(f.apply(ls)), ls, List.of(wt), false, false);
                double s = 0;
                for (int k = 0; k < gs.size(); k++) s += dot(gs.get(k).toDoubleArray(), v.get(k));
                return s;
            });
            compare("second derivative of input " + i, analytic, numeric);
        }
    }

    /** d/dx_i of sum_k <grads_k, v_k>, by autograd (zeros where a gradient does not depend on x_i). */
    private static double[] secondDerivative(List<Tensor> grads, List<Tensor> xs, List<double[]> v, int i, List<long[]> shapes) {
        double[] total = new double[(int) xs.get(i).numel()];
        for (int k = 0; k < grads.size(); k++) {
            Tensor g = grads.get(k);
            if (!g.requiresGrad()) continue;
            Tensor vk = Jt.tensor(v.get(k), DType.FLOAT64).reshape(shapes.get(k));
            try {
                double[] h = Autograd.grad(List.of(g), List.of(xs.get(i)), List.of(vk), true, false).get(0).toDoubleArray();
                for (int j = 0; j < total.length; j++) total[j] += h[j];
            } catch (IllegalArgumentException unused) {
                // gradient k does not depend on input i
            }
        }
        return total;
    }

    private static List<Tensor> leaves(List<double[]> data, List<long[]> shapes, boolean requiresGrad) {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            Tensor t = Jt.tensor(data.get(i), DType.FLOAT64).reshape(shapes.get(i));
            xs.add(requiresGrad ? t.requiresGrad_(true) : t);
        }
        return xs;
    }

    private static double[] numericGradient(List<double[]> data, List<long[]> shapes, int i,
                                            Function<List<double[]>, Double> scalar) {
        double[] x = data.get(i);
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double keep = x[j];
            x[j] = keep + H;
            double plus = scalar.apply(data);
            x[j] = keep - H;
            double minus = scalar.apply(data);
            x[j] = keep;
            out[j] = (plus - minus) / (2 * H);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void compare(String what, double[] analytic, double[] numeric) {
        assertTrue(analytic.length == numeric.length, what + ": " + analytic.length + " vs " + numeric.length + " elements");
        for (int j = 0; j < analytic.length; j++) {
            double a = analytic[j], n = numeric[j];
            assertTrue(Math.abs(a - n) <= ATOL + RTOL * Math.abs(n),
                    what + " element " + j + ": autograd " + a + " vs finite difference " + n);
        }
    }
}
