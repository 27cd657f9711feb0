package dev.jtensor.autograd;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenRepr;
import org.junit.jupiter.api.Test;

/** Issue 14: torch.autograd.Function as the tutorial's LegendrePolynomial3 uses it. */
class CustomFunctionTest {
    static final GoldenRepr R = GoldenRepr.of("parity_repr.txt");

    static final class LegendrePolynomial3 extends Function {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].pow(3).mul(5).sub(in[0].mul(3)).mul(0.5);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gradOutput) {
            Tensor x = ctx.savedTensors().get(0);
            return new Tensor[] {gradOutput.mul(1.5).mul(x.pow(2).mul(5).sub(1))};
        }
    }

    /** a * b, recording which inputs wanted a gradient. */
    static final class Mul extends Function {
        boolean[] asked = new boolean[2];

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            ctx.set("k", 2.0);
            assertFalse(isGradEnabled(), "forward runs with grad mode off");
            return in[0].mul(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            asked[0] = ctx.needsInputGrad(0);
            asked[1] = ctx.needsInputGrad(1);
            double k = ctx.get("k");
            var s = ctx.savedTensors();
            return new Tensor[] {g.mul(s.get(1)).mul(k / 2), g.mul(s.get(0))};
        }
    }

    @Test
    void legendreMatchesTorch() {
        Tensor x = linspace(-1, 1, 5).requiresGrad_(true);
        Tensor y = new LegendrePolynomial3().apply(x);
        assertEquals(R.get("legendre_y"), y.toString());
        assertEquals("LegendrePolynomial3Backward", y.gradFn().name());
        y.sum().backward();
        assertEquals(R.get("legendre_grad"), x.grad().toString());
    }

    @Test
    void onlyInputsThatNeedGradGetOne() {
        Tensor a = tensor(new double[] {1, 2}, true), b = tensor(new double[] {3, 4});
        Mul mul = new Mul();
        mul.apply(a, b).sum().backward();
        assertTrue(mul.asked[0]);
        assertFalse(mul.asked[1]);
        assertEquals("tensor([3., 4.])", a.grad().toString());
        assertNull(b.grad());
    }

    @Test
    void noRecordingWithoutGradAndSavedVersionsAreChecked() {
        Tensor plain = new LegendrePolynomial3().apply(ones(2));
        assertNull(plain.gradFn());
        Tensor x = ones(2).requiresGrad_(true);
        Tensor x2 = x.mul(1);
        Tensor y = new LegendrePolynomial3().apply(x2);
        x2.add_(1);
        assertThrows(IllegalStateException.class, () -> y.sum().backward());
    }

    @Test
    void wrongGradientCountIsAClearError() {
        Function bad = new Function() {
            @Override
            public Tensor forward(FunctionCtx ctx, Tensor... in) { return in[0].mul(2); }

            @Override
            public Tensor[] backward(FunctionCtx ctx, Tensor g) { return new Tensor[0]; }
        };
        Tensor y = bad.apply(ones(1).requiresGrad_(true));
        assertEquals("FunctionBackward", y.gradFn().name());
        var e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("incorrect number of gradients"), e.getMessage());
    }
}
