package dev.jtensor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import java.util.List;

/**
 * Issue 20's goldens ({@code golden/nn/parity2.tsv} from {@code make_parity2.py}): inputs on a device,
 * value and gradient comparisons with NaN equal to NaN, and GradCheck's output weights (the script
 * back-propagates the same weights, so gradients compare directly).
 */
public final class Parity2Golden {
    public static final GoldenNn G = GoldenNn.of("parity2.tsv");

    private Parity2Golden() {}

    /** The golden tensor {@code name} on {@code device}. */
    public static Tensor in(String name, Device device) { return G.tensor(name).to(device); }

    /** The golden tensor {@code name} on {@code device}, a leaf requiring grad. */
    public static Tensor leaf(String name, Device device) { return in(name, device).requiresGrad_(true); }

    /** Asserts actual has the golden dtype, shape and values within {@code atol + rtol |e|} (NaN matches NaN). */
    public static void check(String name, Tensor actual, double rtol, double atol) {
        Tensor e = G.tensor(name);
        assertEquals(e.dtype(), actual.dtype(), () -> name + ": dtype");
        assertArrayEquals(e.shape().toArray(), actual.shape().toArray(), () -> name + ": shape");
        double[] ev = e.toDoubleArray(), av = actual.toDoubleArray();
        for (int i = 0; i < ev.length; i++) {
            if (Double.isNaN(ev[i]) && Double.isNaN(av[i])) continue;
            if (ev[i] == av[i]) continue;
            double tol = atol + rtol * Math.abs(ev[i]);
            if (!(Math.abs(av[i] - ev[i]) <= tol)) {
                throw new AssertionError(name + ": element " + i + " of " + ev.length + " expected " + ev[i] + " but was " + av[i]);
            }
        }
    }

    /** Exact (up to float64 rounding) check of integer, bool and float64 results. */
    public static void check(String name, Tensor actual) { check(name, actual, 1e-12, 1e-12); }

    /** GradCheck's output weights {@code 0.5 + (k * 0.618...) % 1} in out's shape, dtype and device. */
    public static Tensor weights(Tensor out) {
        int n = (int) out.numel();
        double[] w = new double[n];
        for (int k = 0; k < n; k++) w[k] = 0.5 + ((k * 0.6180339887498949) % 1.0);
        return Jt.tensor(w, DType.FLOAT64).reshape(out.shape().toArray()).to(out.dtype()).to(out.device());
    }

    /** The gradients of {@code sum(weights * out)} with respect to {@code inputs} (null where none). */
    public static List<Tensor> grads(Tensor out, Tensor... inputs) {
        return Autograd.grad(List.of(out), List.of(inputs), List.of(weights(out)), false, false);
    }
}
