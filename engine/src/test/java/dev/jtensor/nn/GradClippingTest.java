package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenSeq;
import java.util.List;
import org.junit.jupiter.api.Test;

/** clip_grad_norm_ (2, 1, inf norms) and clip_grad_value_ against PyTorch (golden/seq/ops.npz). */
class GradClippingTest {
    private static final GoldenSeq G = GoldenSeq.of("ops.npz");

    @Test
    void clipGradNormScalesEveryGradientAndReturnsTheTotalNorm() {
        for (String norm : new String[] {"2.0", "1.0", "inf"}) {
            Tensor p1 = Jt.zeros(3, 4).requiresGrad_(), p2 = Jt.zeros(5).requiresGrad_(), p3 = Jt.zeros(2).requiresGrad_();
            p1.setGrad(G.get("clip.g1"));
            p2.setGrad(G.get("clip.g2"));
            double type = norm.equals("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(norm);
            Tensor total = GradClipping.clipGradNorm_(List.of(p1, p2, p3), 1.5, type, true);
            G.assertClose("clip.norm." + norm + ".total", total, 1e-6, 1e-6);
            G.assertClose("clip.norm." + norm + ".g1", p1.grad(), 1e-6, 1e-7);
            G.assertClose("clip.norm." + norm + ".g2", p2.grad(), 1e-6, 1e-7);
        }
    }

    @Test
    void clipGradValueClampsAndNonFiniteNormsThrowWhenAsked() {
        Tensor p = Jt.zeros(3, 4).requiresGrad_();
        p.setGrad(G.get("clip.g1"));
        GradClipping.clipGradValue_(List.of(p), 0.5);
        G.assertClose("clip.value.g1", p.grad(), 0, 0);
        p.setGrad(Jt.full(new long[] {3, 4}, Double.NaN));
        assertThrows(IllegalStateException.class, () -> GradClipping.clipGradNorm_(List.of(p), 1.0, 2.0, true));
    }
}
