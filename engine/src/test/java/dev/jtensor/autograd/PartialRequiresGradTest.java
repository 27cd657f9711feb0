package dev.jtensor.autograd;

import static dev.jtensor.Jt.randn;
import static dev.jtensor.Jt.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.nn.F;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any subset of an op's inputs may require grad (DESIGN section 4): the first line of every linear model
 * written without {@code nn} ({@code x.matmul(w)} with a plain input and a parameter) and the engine's
 * contract that a rule returns no gradient for an input that needs none.
 */
class PartialRequiresGradTest {

    /** The user-facing cases, in float32 as a tutorial writes them: a plain input x and a parameter w. */
    @ParameterizedTest
    @ValueSource(strings = {"matmul", "mm", "bmm", "linearNoBias", "linearBias", "divBroadcast", "mulBroadcast", "mv", "dot"})
    void plainInputTimesParameterBackpropagatesToTheParameterOnly(String op) {
        Jt.manualSeed(3);
        boolean batched = op.equals("bmm");
        boolean vector = op.equals("mv") || op.equals("dot");
        Tensor x = batched ? randn(2, 4, 3) : op.equals("dot") ? randn(3) : randn(4, 3);
        Tensor w = batched ? randn(2, 3, 2) : op.startsWith("linear") ? randn(2, 3) : op.endsWith("Broadcast") ? randn(3).abs().add(0.5)
                : vector ? randn(3) : randn(3, 2);
        Tensor b = randn(2);
        BinaryOperator<Tensor> f = switch (op) {
            case "matmul" -> Tensor::matmul;
            case "mm" -> Tensor::mm;
            case "bmm" -> Tensor::bmm;
            case "linearNoBias" -> (p, q) -> F.linear(p, q, null);
            case "linearBias" -> (p, q) -> F.linear(p, q, b);
            case "divBroadcast" -> Tensor::div;
            case "mulBroadcast" -> Tensor::mul;
            case "mv" -> Tensor::mv;
            case "dot" -> Tensor::dot;
            default -> throw new IllegalArgumentException(op);
        };
        for (int mask = 1; mask <= 3; mask++) {
            Tensor xl = x.clone().requiresGrad_((mask & 1) != 0), wl = w.clone().requiresGrad_((mask & 2) != 0);
            f.apply(xl, wl).sum().backward();
            Tensor xa = x.clone().requiresGrad_(true), wa = w.clone().requiresGrad_(true);
            f.apply(xa, wa).sum().backward();
            check(xl, xa, (mask & 1) != 0, op + " x");
            check(wl, wa, (mask & 2) != 0, op + " w");
        }
    }

    /** Same gradient as when every input requires grad (same float32 ops on the same values), or none. */
    private static void check(Tensor partial, Tensor all, boolean requires, String what) {
        if (!requires) {
            assertNull(partial.grad(), what + " does not require grad: no grad()");
            return;
        }
        assertNotNull(partial.grad(), what);
        // the same float32 ops on the same values, but BLAS computes the products and some of its kernels
        // take another path for operands at another alignment: equal to a few ulps, not bit for bit
        float[] want = all.grad().toFloatArray(), got = partial.grad().toFloatArray();
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-6f * (1 + Math.abs(want[i])), what + " [" + i + "]");
    }

    /** The linear model of the seed tutorial without nn: only w and b get gradients, x and y none. */
    @Test
    void linearRegressionByHand() {
        Jt.manualSeed(0);
        Tensor x = randn(16, 3), y = randn(16, 1);
        Tensor w = Jt.zeros(3, 1).requiresGrad_(true), bias = Jt.zeros(1).requiresGrad_(true);
        Tensor loss = x.matmul(w).add(bias).sub(y).pow(2).mean();
        loss.backward();
        assertNull(x.grad());
        assertNull(y.grad());
        float[] expected = x.t().matmul(y).mul(-2.0 / 16).toFloatArray(); // d/dw mean((xw - y)^2) at w = 0
        float[] got = w.grad().toFloatArray();
        for (int i = 0; i < 3; i++) assertEquals(expected[i], got[i], 1e-5, "w.grad[" + i + "]");
        assertEquals(y.sum().item() * -2.0 / 16, bias.grad().item(), 1e-5);
    }

    /**
     * A rule is not asked for what nobody needs: with only one operand requiring grad, the backward of
     * mm, bmm, matmul, mul and div allocates less than with both (the other product is never computed).
     */
    @ParameterizedTest
    @ValueSource(strings = {"mm", "bmm", "matmul", "mul", "div"})
    void gradientsOfInputsThatNeedNoneAreNotComputed(String op) {
        Tensor a = randn(op.equals("bmm") ? new long[] {2, 5, 5} : new long[] {5, 5}).add(3.0);
        Tensor b = randn(op.equals("bmm") ? new long[] {2, 5, 5} : new long[] {5, 5}).add(3.0);
        BinaryOperator<Tensor> f = switch (op) {
            case "mm" -> Tensor::mm;
            case "bmm" -> Tensor::bmm;
            case "matmul" -> Tensor::matmul;
            case "mul" -> Tensor::mul;
            case "div" -> Tensor::div;
            default -> throw new IllegalArgumentException(op);
        };
        long both = backwardAllocations(f, a.clone().requiresGrad_(true), b.clone().requiresGrad_(true));
        long onlyB = backwardAllocations(f, a.clone(), b.clone().requiresGrad_(true));
        long onlyA = backwardAllocations(f, a.clone().requiresGrad_(true), b.clone());
        assertTrue(onlyB < both, op + ": backward with only b requiring grad allocated " + onlyB + " blocks, with both " + both);
        assertTrue(onlyA < both, op + ": backward with only a requiring grad allocated " + onlyA + " blocks, with both " + both);
    }

    private static long backwardAllocations(BinaryOperator<Tensor> f, Tensor a, Tensor b) {
        Tensor loss = f.apply(a, b).sum();
        long before = Storage.allocationCount();
        loss.backward();
        return Storage.allocationCount() - before;
    }

    /** The contract seen from a custom op: needsInputGrad says which inputs want a gradient; null is fine for the others. */
    @Test
    void customRuleSeesNeedsInputGradAndMayReturnNull() {
        AtomicInteger computed = new AtomicInteger();
        Tensor a = tensor(new double[] {1, 2}), b = tensor(new double[] {3, 4}).requiresGrad_(true);
        Tensor out = Autograd.record("MyMulBackward", a.detach().mul(b.detach()), List.of(a, b), List.of(a, b), (g, s) -> {
            assertEquals(2, s.inputCount());
            Tensor ga = null, gb = null;
            if (s.needsInputGrad(0)) { computed.incrementAndGet(); ga = g.mul(s.get(1)); }
            if (s.needsInputGrad(1)) { computed.incrementAndGet(); gb = g.mul(s.get(0)); }
            return BackwardRule.grads(ga, gb);
        });
        assertEquals("MyMulBackward", out.gradFn().name());
        out.sum().backward();
        assertEquals(1, computed.get(), "only b's gradient is computed");
        assertNull(a.grad());
        assertArrayEquals(new float[] {1, 2}, b.grad().toFloatArray());
        assertThrows(IndexOutOfBoundsException.class, () -> Autograd.record("Bad", a.detach().add(b.detach()), List.of(a, b), List.of(),
                (g, s) -> BackwardRule.grads(s.needsInputGrad(2) ? g : null)).sum().backward());
    }

    @Test
    void aRuleReturningMoreGradientsThanInputsIsNamed() {
        Tensor b = tensor(new double[] {3, 4}).requiresGrad_(true);
        Tensor out = Autograd.record("TooManyBackward", b.detach().mul(2.0), List.of(b), List.of(), (g, s) -> List.of(g, g));
        var e = assertThrows(IllegalStateException.class, () -> out.sum().backward());
        assertTrue(e.getMessage().contains("TooManyBackward") && e.getMessage().contains("2 gradients for 1 inputs"), e.getMessage());
    }

    /** Multi-input ops the other suites check only with every input requiring grad. */
    @Test
    void remainingMultiInputOpsUnderEverySubset() {
        Tensor x = Jt.tensor(new double[] {0.3, -1.2, 2.5, 0.7, 1.1, -0.4}, DType.FLOAT64).reshape(2, 3);
        Tensor v = Jt.tensor(new double[] {1.5, -0.5, 0.25}, DType.FLOAT64);
        Tensor rows = Jt.tensor(new double[] {0.5, 1.5, 2.5, -1, -2, -3}, DType.FLOAT64).reshape(2, 3);
        Tensor mask = Jt.tensor(new boolean[][] {{true, false, true}, {false, true, false}});
        GradCheck.check(in -> in.get(0).indexAdd(0, Jt.tensor(new long[] {1, 0}), in.get(1)), x, rows);
        GradCheck.check(in -> in.get(0).indexPut(mask, in.get(1), false), x, v);       // MaskedScatterBackward0
        GradCheck.check(in -> in.get(0).indexPut(mask, in.get(1), true), x, v);
        GradCheck.check(in -> in.get(0).mul(1.0).copy_(in.get(1)), x, v);            // CopyBackwards, broadcast source
        GradCheck.check(in -> in.get(0).mul(2.0).add_(in.get(1)), x, v);             // in place on a non-leaf
        GradCheck.check(in -> in.get(0).mul(2.0).mul_(in.get(1)), x, v);
        GradCheck.check(in -> {
            Tensor y = in.get(0).mul(1.0);
            y.select(0, 1).div_(in.get(1));                                          // in place on a view: CopySlices
            return y;
        }, x, v.abs().add(0.5));
        GradCheck.check(in -> F.linear(in.get(0), in.get(1), null), x, rows);
        GradCheck.check(in -> F.linear(in.get(0), in.get(1), in.get(2)), x, rows, v.narrow(0, 0, 2));
        GradCheck.check(in -> Jt.addmm(in.get(0), in.get(1), in.get(2), 0.5, 2), v.narrow(0, 0, 2), x, rows.t());
        GradCheck.check(in -> Jt.where(mask, in.get(0), in.get(1)), x, v);
        GradCheck.check(in -> Jt.cat(List.of(in.get(0), in.get(1), in.get(2)), 0), x, rows, v.reshape(1, 3));
    }
}
