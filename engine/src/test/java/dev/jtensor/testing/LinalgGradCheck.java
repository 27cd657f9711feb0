package dev.jtensor.testing;

import static dev.jtensor.Jt.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference gradient check in FLOAT64 (as {@code torch.autograd.gradcheck}): for a random weight
 * {@code w} of the output's shape, compares backprop of {@code f} with {@code w} as the output gradient
 * against central differences of {@code sum(f(x) * w)}, element by element, then every subset of the inputs
 * requiring grad ({@link GradCheck#checkSubsets}). Inputs are seeded random values of the given shapes.
 */
public final class LinalgGradCheck {
    private LinalgGradCheck() {}

    /** Checks {@code f} at inputs of the given shapes filled with seeded random values. */
    public static void check(Function<List<Tensor>, Tensor> f, long[]... shapes) {
        Random random = new Random(42);
        List<double[]> values = new ArrayList<>();
        for (long[] s : shapes) {
            double[] v = new double[(int) numel(s)];
            for (int i = 0; i < v.length; i++) v[i] = random.nextGaussian();
            values.add(v);
        }
        List<Tensor> inputs = build(values, shapes, true);
        Tensor out = f.apply(inputs);
        double[] w = new double[(int) out.numel()];
        for (int i = 0; i < w.length; i++) w[i] = random.nextGaussian();
        out.backward(tensor(w, DType.FLOAT64).reshape(out.shape().toArray()));
        double eps = 1e-6;
        for (int in = 0; in < shapes.length; in++) {
            Tensor grad = inputs.get(in).grad();
            double[] analytic = grad == null ? new double[values.get(in).length] : grad.toDoubleArray();
            if (values.get(in).length > 0) assertNotNull(grad, "input " + in + " got no gradient");
            for (int j = 0; j < values.get(in).length; j++) {
                double keep = values.get(in)[j];
                values.get(in)[j] = keep + eps;
                double plus = weighted(f.apply(build(values, shapes, false)), w);
                values.get(in)[j] = keep - eps;
                double minus = weighted(f.apply(build(values, shapes, false)), w);
                values.get(in)[j] = keep;
                double numeric = (plus - minus) / (2 * eps);
                assertEquals(numeric, analytic[j], 1e-6 * Math.max(1, Math.abs(numeric)),
                        "d out / d input " + in + "[" + j + "]");
            }
        }
        GradCheck.checkSubsets(f, build(values, shapes, false).toArray(new Tensor[0]));
    }

    private static List<Tensor> build(List<double[]> values, long[][] shapes, boolean requiresGrad) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            out.add(tensor(values.get(i), DType.FLOAT64).reshape(shapes[i]).detach().requiresGrad_(requiresGrad));
        }
        return out;
    }

    private static double weighted(Tensor out, double[] w) {
        double[] o = out.toDoubleArray();
        double s = 0;
        for (int i = 0; i < o.length; i++) s += o[i] * w[i];
        return s;
    }

    private static long numel(long[] s) {
        long n = 1;
        for (long d : s) n *= d;
        return n;
    }
}
