package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Jt#batchNormStats} and {@link Jt#batchNormElemt} (the {@link BatchNormKernels} op family): the kernels against
 * float64 formulas (statistics) and against the composite bit for bit (the affine), a hand-checked channel, the
 * differentiable composite under autograd, and argument checks.
 */
class BatchNormKernelsTest {
    @Test
    void statsAgreeWithTheFloat64Formula() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (long[] shape : new long[][] {{2, 3}, {4, 5, 7, 3}, {3, 6, 33}, {1, 2, 1, 1}}) {
                Tensor x = Jt.randn(shape, t, Device.CPU).mul(3).add(1);
                List<Tensor> s = Jt.batchNormStats(x, 1e-5);
                int[] dims = new int[shape.length - 1];
                for (int i = 1; i < dims.length; i++) dims[i] = i + 1;
                Tensor x64 = x.to(DType.FLOAT64), mean = x64.mean(dims, true);
                Tensor invstd = x64.sub(mean).square().mean(dims, false).add(1e-5).rsqrt();
                assertEquals(t, s.get(0).dtype());
                double tol = t == DType.FLOAT32 ? 1e-6 : 1e-13;
                assertTrue(s.get(0).to(DType.FLOAT64).allclose(mean.reshape(shape[1]), tol, tol), "mean " + t);
                assertTrue(s.get(1).to(DType.FLOAT64).allclose(invstd, tol, tol), "invstd " + t);
            }
        }
    }

    @Test
    void handCheckedChannel() {
        Tensor x = Jt.tensor(new double[] {1, 2, 3, 4, 10, 20, 30, 40}, DType.FLOAT64).view(2, 2, 2); // channel 0: 1 2 10 20
        List<Tensor> s = Jt.batchNormStats(x, 0);
        assertEquals(8.25, s.get(0).select(0, 0).item(), 1e-15);
        assertEquals(1 / Math.sqrt(58.1875), s.get(1).select(0, 0).item(), 1e-15); // var (52.5625 + 39.0625 + 3.0625 + 138.0625) / 4
    }

    @Test
    void elemtKernelEqualsTheCompositeBitForBit() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Jt.randn(new long[] {3, 5, 4, 7}, t, Device.CPU), w = Jt.randn(new long[] {5}, t, Device.CPU);
            Tensor b = Jt.randn(new long[] {5}, t, Device.CPU), m = Jt.randn(new long[] {5}, t, Device.CPU);
            Tensor inv = Jt.rand(new long[] {5}, t, Device.CPU).add(0.5);
            Tensor got = Jt.batchNormElemt(x, w, b, m, inv);
            Tensor scale = w.mul(inv), shift = m.mul(scale).neg().add(b);
            assertTrue(got.equal(x.mul(scale.view(1, 5, 1, 1)).add(shift.view(1, 5, 1, 1))), t.toString());
            Tensor plain = Jt.batchNormElemt(x, null, null, m, inv);
            assertTrue(plain.allclose(x.sub(m.view(1, 5, 1, 1)).mul(inv.view(1, 5, 1, 1)), 1e-5, 1e-5), t.toString());
        }
    }

    @Test
    void gradientsThroughTheComposite() {
        Tensor x = Jt.randn(new long[] {2, 3, 4}, DType.FLOAT64, Device.CPU), w = Jt.randn(new long[] {3}, DType.FLOAT64, Device.CPU);
        GradCheck.check(in -> {
            List<Tensor> s = Jt.batchNormStats(in.get(0), 1e-5);
            return Jt.batchNormElemt(in.get(0), in.get(1), null, s.get(0), s.get(1));
        }, x, w);
    }

    @Test
    void badInputsThrow() {
        var e = assertThrows(IllegalArgumentException.class, () -> Jt.batchNormStats(Jt.arange(6).view(2, 3), 1e-5));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
        Tensor x = Jt.randn(new long[] {2, 3, 4}, DType.FLOAT32, Device.CPU), v = Jt.randn(new long[] {4}, DType.FLOAT32, Device.CPU);
        var m = assertThrows(IllegalArgumentException.class, () -> Jt.batchNormElemt(x, null, null, v, v));
        assertTrue(m.getMessage().contains("[3]"), m.getMessage());
    }
}
