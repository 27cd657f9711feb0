package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Jt#batchNorm} in training mode (the {@link BatchNorm} op, {@code NativeBatchNormBackward0}) against the
 * formulas in tensor ops: values, running statistics, the gradients of input, weight and bias (every subset by finite
 * differences in float64) and double backward; and the fused inference step {@link Jt#batchNormElemt} with a residual
 * and relu against elemt, add and relu one after another (equal bits), for per-channel vectors on the heap (up to
 * 1 KiB) and in native memory.
 */
class BatchNormTest {
    private static Tensor reference(Tensor x, Tensor w, Tensor b, double eps) {
        int[] dims = {0, 2, 3};
        Tensor mean = x.mean(dims, true), xmu = x.sub(mean);
        Tensor y = xmu.mul(xmu.square().mean(dims, true).add(eps).rsqrt());
        return y.mul(w.view(1, -1, 1, 1)).add(b.view(1, -1, 1, 1));
    }

    private static void assertClose(Tensor e, Tensor a, double tol, String what) {
        assertArrayEquals(e.shape().toArray(), a.shape().toArray(), what);
        double[] ev = e.toDoubleArray(), av = a.toDoubleArray();
        for (int i = 0; i < ev.length; i++) assertEquals(ev[i], av[i], tol * (1 + Math.abs(ev[i])), what + " element " + i);
    }

    @Test
    void trainingModeEqualsTheFormulasWithGradientsAndRunningStatistics() {
        Jt.manualSeed(5);
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Tensor x = Jt.randn(new long[] {4, 6, 5, 7}, t, Device.CPU).mul(2).add(0.5).requiresGrad_(true);
            Tensor w = Jt.randn(new long[] {6}, t, Device.CPU).requiresGrad_(true), b = Jt.randn(new long[] {6}, t, Device.CPU).requiresGrad_(true);
            Tensor rm = Jt.zeros(new long[] {6}, t), rv = Jt.ones(new long[] {6}, t);
            Tensor y = Jt.batchNorm(x, w, b, rm, rv, true, 0.1, 1e-5);
            assertEquals("NativeBatchNormBackward0", y.gradFn().name());
            Tensor e = reference(x, w, b, 1e-5);
            double tol = t == DType.FLOAT32 ? 2e-5 : 1e-12;
            assertClose(e, y, tol, "values " + t);
            try (GradMode g = GradMode.set(false)) {
                Tensor mean = x.mean(new int[] {0, 2, 3}, false), var = x.sub(mean.view(1, 6, 1, 1)).square().sum(new int[] {0, 2, 3}, false).div(139);
                assertClose(mean.mul(0.1), rm, tol, "running mean");
                assertClose(var.mul(0.1).add(0.9), rv, tol * 10, "running var (unbiased)");
            }
            Tensor gy = Jt.randnLike(y);
            List<Tensor> ge = Autograd.grad(List.of(e), List.of(x, w, b), List.of(gy), false, false);
            List<Tensor> ga = Autograd.grad(List.of(y), List.of(x, w, b), List.of(gy), false, false);
            for (int i = 0; i < 3; i++) assertClose(ge.get(i), ga.get(i), tol * 10, "gradient " + i + " " + t);
        }
    }

    @Test
    void trainingAddReluIsOneOpWithTheSeparateOpsValuesAndGradients() {
        Jt.manualSeed(12);
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (boolean withResidual : new boolean[] {false, true}) {
                Tensor x = Jt.randn(new long[] {3, 5, 4, 6}, t, Device.CPU).requiresGrad_(true);
                Tensor r = withResidual ? Jt.randn(new long[] {3, 5, 4, 6}, t, Device.CPU).requiresGrad_(true) : null;
                Tensor w = Jt.randn(new long[] {5}, t, Device.CPU).requiresGrad_(true), b = Jt.randn(new long[] {5}, t, Device.CPU).requiresGrad_(true);
                Tensor rm = Jt.zeros(new long[] {5}, t), rv = Jt.ones(new long[] {5}, t);
                Tensor y = Jt.batchNormAddRelu(x, w, b, rm, rv, true, 0.1, 1e-5, r);
                assertEquals("NativeBatchNormAddReluBackward0", y.gradFn().name());
                Tensor e = reference(x, w, b, 1e-5);
                if (r != null) e = e.add(r);
                e = e.relu();
                double tol = t == DType.FLOAT32 ? 2e-5 : 1e-12;
                assertClose(e, y, tol, "values " + t);
                Tensor rm2 = Jt.zeros(new long[] {5}, t), rv2 = Jt.ones(new long[] {5}, t);
                Jt.batchNorm(x.detach(), w.detach(), b.detach(), rm2, rv2, true, 0.1, 1e-5);
                assertClose(rm2, rm, 0, "running mean as batch_norm's");
                assertClose(rv2, rv, 0, "running var as batch_norm's");
                Tensor gy = Jt.randnLike(y);
                List<Tensor> leaves = r == null ? List.of(x, w, b) : List.of(x, w, b, r);
                List<Tensor> ge = Autograd.grad(List.of(e), leaves, List.of(gy), false, false);
                List<Tensor> ga = Autograd.grad(List.of(y), leaves, List.of(gy), false, false);
                for (int i = 0; i < leaves.size(); i++) assertClose(ge.get(i), ga.get(i), tol * 10, "gradient " + i + " " + t);
            }
        }
        Jt.manualSeed(13);
        Tensor x = Jt.randn(new long[] {3, 2, 3, 2}, DType.FLOAT64, Device.CPU), r = Jt.randn(new long[] {3, 2, 3, 2}, DType.FLOAT64, Device.CPU);
        Tensor w = Jt.randn(new long[] {2}, DType.FLOAT64, Device.CPU), b = Jt.randn(new long[] {2}, DType.FLOAT64, Device.CPU);
        GradCheck.check(v -> Jt.batchNormAddRelu(v.get(0), v.get(1), v.get(2), null, null, true, 0.1, 1e-5, v.get(3)), x, w, b, r);
        assertThrows(IllegalArgumentException.class, () -> Jt.batchNormAddRelu(x, w, b, null, null, true, 0.1, 1e-5, Jt.zeros(3, 2, 3, 3)));
    }

    @Test
    void gradientsByFiniteDifferencesForEverySubset() {
        Jt.manualSeed(6);
        Tensor x = Jt.randn(new long[] {3, 2, 3, 2}, DType.FLOAT64, Device.CPU);
        Tensor w = Jt.randn(new long[] {2}, DType.FLOAT64, Device.CPU), b = Jt.randn(new long[] {2}, DType.FLOAT64, Device.CPU);
        GradCheck.check(v -> Jt.batchNorm(v.get(0), v.get(1), v.get(2), null, null, true, 0.1, 1e-5), x, w, b);
        GradCheck.check(v -> Jt.batchNorm(v.get(0), null, null, null, null, true, 0.1, 1e-5), x);
    }

    /** {@code t} itself when it requires grad (GradCheck's analytic pass), else a leaf that does (its finite-difference passes). */
    static Tensor leaf(Tensor t) { return t.requiresGrad() ? t : t.detach().requiresGrad_(true); }

    @Test
    void doubleBackwardByFiniteDifferences() {
        Jt.manualSeed(8);
        Tensor x = Jt.randn(new long[] {2, 2, 3, 2}, DType.FLOAT64, Device.CPU), w = Jt.randn(new long[] {2}, DType.FLOAT64, Device.CPU);
        Tensor gy = Jt.randn(new long[] {2, 2, 3, 2}, DType.FLOAT64, Device.CPU);
        // the input gradient as a function of (x, w): differentiable again through the backward's tensor-op form
        GradCheck.checkFirstOrder(v -> {
            try (GradMode m = GradMode.set(true)) { // GradCheck's finite-difference passes run without grad
                Tensor xv = leaf(v.get(0)), y = Jt.batchNorm(xv, leaf(v.get(1)), null, null, null, true, 0.1, 1e-5);
                return Autograd.grad(List.of(y), List.of(xv), List.of(gy), true, true).get(0);
            }
        }, x, w);
    }

    @Test
    void fusedInferenceStepHasTheBitsOfTheSeparateSteps() {
        Jt.manualSeed(9);
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (long c : new long[] {3, 300}) { // 3 channels: heap-backed vectors; 300 float64: native
                Tensor x = Jt.randn(new long[] {2, c, 4, 5}, t, Device.CPU), r = Jt.randn(new long[] {2, c, 4, 5}, t, Device.CPU);
                Tensor w = Jt.randn(new long[] {c}, t, Device.CPU), b = Jt.randn(new long[] {c}, t, Device.CPU);
                Tensor mean = Jt.randn(new long[] {c}, t, Device.CPU), invstd = Jt.rand(new long[] {c}, t, Device.CPU).add(0.5);
                for (Tensor res : new Tensor[] {null, r}) {
                    for (boolean relu : new boolean[] {false, true}) {
                        Tensor e = Jt.batchNormElemt(x, w, b, mean, invstd);
                        if (res != null) e = e.add(res);
                        if (relu) e = e.relu();
                        Tensor a = Jt.batchNormElemt(x, w, b, mean, invstd, res, relu);
                        assertArrayEquals(e.toDoubleArray(), a.toDoubleArray(), t + " c=" + c + " residual " + (res != null) + " relu " + relu);
                    }
                }
            }
        }
        Tensor x = Jt.randn(2, 3, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> Jt.batchNormElemt(x, null, null, Jt.zeros(3), Jt.ones(3), Jt.zeros(2, 3, 4, 5), true));
    }

    @Test
    void fusedInferenceStepKeepsGradientsThroughTheSeparateSteps() {
        Jt.manualSeed(10);
        Tensor x = Jt.randn(new long[] {2, 3, 2, 2}, DType.FLOAT64, Device.CPU), r = Jt.randn(new long[] {2, 3, 2, 2}, DType.FLOAT64, Device.CPU);
        Tensor w = Jt.randn(new long[] {3}, DType.FLOAT64, Device.CPU), b = Jt.randn(new long[] {3}, DType.FLOAT64, Device.CPU);
        Tensor mean = Jt.randn(new long[] {3}, DType.FLOAT64, Device.CPU), invstd = Jt.ones(new long[] {3}, DType.FLOAT64);
        GradCheck.check(v -> Jt.batchNormElemt(v.get(0), v.get(1), b, mean, invstd, v.get(2), true), x, w, r);
    }
}
