package dev.jtensor.amp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.internal.ops.AmpSteps;
import dev.jtensor.optim.SGD;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GradScaler against PyTorch's documented algorithm (torch 1.13's GradScaler needs CUDA, so the expected
 * sequences are computed by hand from {@code _amp_update_scale_}): scale, growth every interval of clean
 * steps, backoff and a skipped step after inf/NaN gradients, the state dict, the error states; and the fused
 * unscale verb on each floating dtype, contiguous and strided.
 */
class GradScalerTest {
    /** loss = sum(p * c), so p.grad = scale * c after scaler.scale(loss).backward(). */
    private static void backward(GradScaler s, Tensor p, double[] c) {
        s.scale(p.mul(Jt.tensor(c)).sum()).backward();
    }

    @Test
    void scaleSequenceWithInjectedInfs() {
        Tensor p = Jt.tensor(new double[] {1, 2}, DType.FLOAT32).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), 1.0);
        GradScaler s = new GradScaler(8.0, 2.0, 0.5, 3, true);
        boolean[] inf = {false, false, false, true, false, false, true, false, false, false};
        double[] scales = {8, 8, 16, 8, 8, 8, 4, 4, 4, 8};
        int[] trackers = {1, 2, 0, 0, 1, 2, 0, 1, 2, 0};
        for (int i = 0; i < inf.length; i++) {
            opt.zeroGrad();
            double scaleBefore = s.getScale();
            backward(s, p, inf[i] ? new double[] {Double.POSITIVE_INFINITY, 1} : new double[] {0.25, -0.5});
            if (!inf[i]) assertEquals(scaleBefore * 0.25, p.grad().toDoubleArray()[0], "scaled grad, step " + i);
            s.unscale_(opt);
            if (!inf[i]) assertArrayEquals(new double[] {0.25, -0.5}, p.grad().toDoubleArray(), "unscaled grad, step " + i);
            assertEquals(!inf[i], s.step(opt), "stepped, step " + i);
            s.update();
            assertEquals(scales[i], s.getScale(), "scale after step " + i);
            assertEquals(trackers[i], s.growthTracker(), "growth tracker after step " + i);
        }
        // 8 clean steps of p -= c
        assertArrayEquals(new double[] {1 - 8 * 0.25, 2 + 8 * 0.5}, p.detach().toDoubleArray());
    }

    @Test
    void nanGradientSkipsAndStepUnscalesItself() {
        Tensor p = Jt.tensor(new double[] {1, 2}, DType.FLOAT32).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), 1.0);
        GradScaler s = new GradScaler(1024.0, 2.0, 0.25, 100, true);
        backward(s, p, new double[] {Double.NaN, 1});
        assertFalse(s.step(opt), "NaN grad: skipped (step called unscale_ itself)");
        assertArrayEquals(new double[] {1, 2}, p.detach().toDoubleArray(), "parameters untouched");
        s.update();
        assertEquals(256.0, s.getScale());
        opt.zeroGrad();
        backward(s, p, new double[] {1, 1});
        assertTrue(s.step(opt));
        s.update();
        assertEquals(256.0, s.getScale());
        assertEquals(1, s.growthTracker());
        assertArrayEquals(new double[] {0, 1}, p.detach().toDoubleArray());
    }

    @Test
    void factorsRoundToFloat32AndGrowthStopsBeforeInfinity() {
        Tensor p = Jt.tensor(new double[] {1}, DType.FLOAT32).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), 0.0);
        GradScaler s = new GradScaler(1000.0, 2.0, 0.3, 1, true);
        backward(s, p, new double[] {Double.NEGATIVE_INFINITY});
        s.step(opt);
        s.update();
        assertEquals((double) (float) (1000.0 * 0.3), s.getScale(), "1000 * 0.3 in float64 rounded to float32");
        assertEquals(300.0, s.getScale(), 0);
        GradScaler big = new GradScaler(3e38, 2.0, 0.5, 1, true);
        opt.zeroGrad();
        backward(big, p, new double[] {0});
        big.step(opt);
        big.update();
        assertEquals((double) 3e38f, big.getScale(), "not grown past float32's range");
        assertEquals(0, big.growthTracker());
    }

    @Test
    void errorStatesAsPyTorch() {
        Tensor p = Jt.tensor(new double[] {1}, DType.FLOAT32).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), 0.1);
        GradScaler s = new GradScaler();
        backward(s, p, new double[] {1});
        s.unscale_(opt);
        var twice = assertThrows(IllegalStateException.class, () -> s.unscale_(opt));
        assertTrue(twice.getMessage().contains("already been called"), twice.getMessage());
        s.step(opt);
        var stepTwice = assertThrows(IllegalStateException.class, () -> s.step(opt));
        assertTrue(stepTwice.getMessage().contains("step() has already been called"), stepTwice.getMessage());
        assertThrows(IllegalStateException.class, () -> s.unscale_(opt));
        s.update();
        var none = assertThrows(IllegalStateException.class, s::update);
        assertEquals("No inf checks were recorded prior to update.", none.getMessage());
        Tensor h = Jt.tensor(new double[] {1}, DType.FLOAT16).requiresGrad_(true);
        SGD optH = new SGD(List.of(h), 0.1);
        s.scale(h.sum()).backward();
        var fp16 = assertThrows(IllegalArgumentException.class, () -> s.unscale_(optH));
        assertEquals("Attempting to unscale FP16 gradients.", fp16.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GradScaler(1, 0.9, 0.5, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new GradScaler(1, 2, 1.5, 1, true));
    }

    @Test
    void stateDictHasPyTorchsKeysAndRoundTrips() {
        GradScaler s = new GradScaler(512.0, 4.0, 0.125, 7, true);
        Map<String, Object> d = s.stateDict();
        assertEquals(List.of("scale", "growth_factor", "backoff_factor", "growth_interval", "_growth_tracker"), List.copyOf(d.keySet()));
        assertEquals(512.0, d.get("scale"));
        assertEquals(7, d.get("growth_interval"));
        GradScaler t = new GradScaler();
        t.loadStateDict(Map.of("scale", 64.0, "growth_factor", 3.0, "backoff_factor", 0.25, "growth_interval", 5, "_growth_tracker", 4));
        assertEquals(64.0, t.getScale());
        assertEquals(3.0, t.getGrowthFactor());
        assertEquals(0.25, t.getBackoffFactor());
        assertEquals(5, t.getGrowthInterval());
        assertEquals(4, t.growthTracker());
        assertThrows(IllegalArgumentException.class, () -> t.loadStateDict(Map.of()));
        GradScaler off = new GradScaler(1, 2, 0.5, 1, false);
        assertTrue(off.stateDict().isEmpty());
        Tensor x = Jt.ones(2);
        assertSame(x, off.scale(x));
        assertEquals(1.0, off.getScale());
    }

    @Test
    void fusedUnscaleOnEachFloatingType() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.BFLOAT16, DType.FLOAT16}) {
            Tensor g = Jt.tensor(new double[] {2, -4, 8, 1}, DType.FLOAT32).to(t);
            Tensor found = Jt.zeros(1);
            AmpSteps.unscale(g, 0.5f, found);
            assertArrayEquals(new double[] {1, -2, 4, 0.5}, g.toDoubleArray(), t.toString());
            assertEquals(0.0, found.item(), t + ": all finite");
            Tensor bad = Jt.tensor(new double[] {1, Double.NaN, 3}, DType.FLOAT32).to(t);
            AmpSteps.unscale(bad, 2f, found);
            assertEquals(1.0, found.item(), t + ": NaN found");
            assertEquals(6.0, bad.toDoubleArray()[2], t.toString());
            Tensor clean = Jt.ones(3).to(t);
            AmpSteps.unscale(clean, 1f, found);
            assertEquals(1.0, found.item(), t + ": never cleared");
        }
        // a strided gradient takes the composed path: same result
        Tensor base = Jt.tensor(new double[][] {{1, 2}, {Double.POSITIVE_INFINITY, 4}}, DType.FLOAT32);
        Tensor col = base.t().select(0, 1); // [2, 4], stride 2
        Tensor found = Jt.zeros(1);
        AmpSteps.unscale(col, 0.25f, found);
        assertArrayEquals(new double[] {1, 0.5, Double.POSITIVE_INFINITY, 1}, base.toDoubleArray());
        assertEquals(0.0, found.item());
        AmpSteps.unscale(base.t().select(0, 0), 1f, found);
        assertEquals(1.0, found.item());
    }
}
