package dev.jtensor.internal.ops;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.testing.GradCheck;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Backward rules by finite differences (float64), PyTorch's node names, and in-place autograd semantics. */
class ElementwiseAutogradTest {
    static Tensor f64(double... v) { return tensor(v, DType.FLOAT64); }

    /** [3, 1] and [4] values away from kinks, ties and domain edges. */
    static Tensor a31() { return f64(0.7, 1.3, 2.1).reshape(3, 1); }

    static Tensor b4() { return f64(0.4, 1.7, 0.9, 2.6); }

    static void binary(Function<List<Tensor>, Tensor> f) { GradCheck.check(f, a31(), b4()); }

    static void unary(UnaryOperator<Tensor> f, double... at) { GradCheck.check(x -> f.apply(x.get(0)), f64(at)); }

    @Test
    void binaryBackwardsMatchFiniteDifferencesAndSumBroadcastGradientsBack() {
        binary(x -> x.get(0).add(x.get(1)));
        binary(x -> x.get(0).add(x.get(1), 2.5));
        binary(x -> x.get(0).sub(x.get(1), 0.5));
        binary(x -> x.get(0).mul(x.get(1)));
        binary(x -> x.get(0).div(x.get(1)));
        binary(x -> x.get(0).pow(x.get(1)));
        binary(x -> x.get(0).atan2(x.get(1)));
        binary(x -> x.get(0).maximum(x.get(1)));
        binary(x -> x.get(0).minimum(x.get(1)));
        binary(x -> x.get(0).remainder(x.get(1)));
        binary(x -> where(x.get(0).gt(1.0), x.get(0), x.get(1)));
    }

    @Test
    void scalarOperandBackwards() {
        unary(x -> x.add(2.0), 0.5, -1.0);
        unary(x -> x.sub(2.0), 0.5, -1.0);
        unary(x -> x.rsub(2.0), 0.5, -1.0);
        unary(x -> x.mul(3.0), 0.5, -1.0);
        unary(x -> x.div(4.0), 0.5, -1.0);
        unary(x -> x.pow(3.0), 0.5, -1.0);
        unary(x -> x.pow(0.0), 0.5, -1.0);
        unary(x -> pow(2.0, x), 0.5, -1.0);
        unary(x -> x.remainder(0.75), 0.5, -1.3);
        unary(x -> x.where(x.gt(0.0), 5.0), 0.5, -1.0);
    }

    @Test
    void unaryBackwardsMatchFiniteDifferences() {
        double[] any = {-1.3, -0.4, 0.3, 1.1, 2.2};
        double[] positive = {0.3, 0.8, 1.7, 2.9};
        for (UnaryOperator<Tensor> f : List.<UnaryOperator<Tensor>>of(Tensor::neg, Tensor::abs, Tensor::sign, Tensor::exp,
                Tensor::expm1, Tensor::square, Tensor::sin, Tensor::cos, Tensor::tan, Tensor::tanh, Tensor::sigmoid,
                Tensor::relu, Tensor::erf, Tensor::gelu, x -> x.gelu("tanh"), Tensor::silu, Tensor::floor, Tensor::ceil,
                Tensor::round, Tensor::trunc, x -> x.clamp(-0.5, 1.5), x -> x.clampMin(0.0), x -> x.clampMax(0.5),
                Tensor::nanToNum)) {
            unary(f, any);
        }
        for (UnaryOperator<Tensor> f : List.<UnaryOperator<Tensor>>of(Tensor::log, Tensor::log1p, Tensor::log2, Tensor::sqrt,
                Tensor::rsqrt, Tensor::reciprocal)) {
            unary(f, positive);
        }
    }

    @Test
    void secondDerivativesFlowThroughBackwardRulesWrittenInTensorOps() {
        Tensor x = f64(0.5, 1.5).requiresGrad_(true);
        Tensor y = x.mul(x).mul(x).sum();                       // y = sum x^3
        Tensor g = dev.jtensor.autograd.Autograd.grad(List.of(y), List.of(x), null, true, true).get(0); // 3x^2
        g.sum().backward();                                     // d/dx sum 3x^2 = 6x
        assertArrayEquals(new double[] {3.0, 9.0}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void nodeNamesAreTorchs() {
        Tensor x = tensor(new double[] {0.6, 0.8}).requiresGrad_(true);
        Tensor y = tensor(new double[] {0.3, 0.9}).requiresGrad_(true);
        assertEquals("AddBackward0", x.add(y).gradFn().name());
        assertEquals("AddBackward0", x.add(2.0).gradFn().name());
        assertEquals("SubBackward0", x.sub(y).gradFn().name());
        assertEquals("RsubBackward1", x.rsub(2.0).gradFn().name());
        assertEquals("MulBackward0", x.mul(2.0).gradFn().name());
        assertEquals("DivBackward0", x.div(y).gradFn().name());
        assertEquals("PowBackward0", x.pow(2.0).gradFn().name());
        assertEquals("PowBackward1", x.pow(y).gradFn().name());
        assertEquals("MaximumBackward0", x.maximum(y).gradFn().name());
        assertEquals("WhereBackward0", where(x.gt(0.7), x, y).gradFn().name());
        assertEquals("ClampBackward1", x.clamp(0.1, 0.7).gradFn().name());
        assertEquals("ExpBackward0", x.exp().gradFn().name());
        assertEquals("PowBackward0", x.square().gradFn().name());
        assertEquals("ReluBackward0", x.relu().gradFn().name());
        assertEquals("SigmoidBackward0", x.sigmoid().gradFn().name());
        assertEquals("RemainderBackward1", x.remainder(y).gradFn().name());
        assertEquals("RemainderBackward0", x.remainder(0.5).gradFn().name());
        assertEquals("tensor([1.6000, 1.8000], grad_fn=<AddBackward0>)", x.add(1.0).toString());
    }

    @Test
    void integerAndBoolResultsNeverRequireGrad() {
        Tensor x = tensor(new double[] {0.6, 0.8}).requiresGrad_(true);
        assertFalse(x.gt(0.7).requiresGrad());
        assertNull(x.isnan().gradFn());
        assertFalse(x.eq(x).logicalAnd(x.lt(1.0)).requiresGrad());
    }

    @Test
    void inPlaceOnALeafThatRequiresGradThrows() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_(true);
        var e = assertThrows(IllegalStateException.class, () -> x.add_(1.0));
        assertEquals("a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
        assertThrows(IllegalStateException.class, () -> x.exp_());
        try (var g = noGrad()) {
            x.add_(1.0); // allowed without grad mode, as PyTorch
        }
        assertArrayEquals(new double[] {2, 3}, x.toDoubleArray());
    }

    @Test
    void inPlaceOnANonLeafRebasesItsHistory() {
        Tensor x = f64(1.5, -2.0).requiresGrad_(true);
        Tensor y = x.mul(2.0);
        y.mul_(x);                                      // y = 2x^2
        assertEquals("MulBackward0", y.gradFn().name());
        y.exp_();                                       // y = exp(2x^2)
        assertEquals("ExpBackward0", y.gradFn().name());
        y.sum().backward();
        double[] xv = {1.5, -2.0};
        for (int i = 0; i < 2; i++) {
            assertEquals(Math.exp(2 * xv[i] * xv[i]) * 4 * xv[i], x.grad().toDoubleArray()[i], 1e-9 * Math.exp(8));
        }
    }

    @Test
    void inPlaceOnATensorWithoutGradTakesTheOthersHistory() {
        Tensor w = f64(3.0, 4.0).requiresGrad_(true);
        Tensor acc = zeros(new long[] {2}, DType.FLOAT64);
        acc.add_(w.mul(w));
        assertTrue(acc.requiresGrad());
        acc.sum().backward();
        assertArrayEquals(new double[] {6, 8}, w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void modifyingASavedTensorInPlaceMakesBackwardThrow() {
        Tensor x = f64(0.5, 1.0).requiresGrad_(true);
        Tensor y = x.exp();            // ExpBackward0 saves y
        Tensor z = y.mul(2.0).sum();
        y.add_(1.0);
        var e = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());

        Tensor a = x.mul(1.0);
        Tensor b = a.mul(a);           // MulBackward0 saves a
        a.select(0, 1).fill_(3.0);     // through a view: same storage, version bumped
        assertThrows(IllegalStateException.class, () -> b.sum().backward());
    }

    @Test
    void copyAndFillBackward() {
        Tensor src = f64(1, 2, 3).requiresGrad_(true);
        Tensor dst = zeros(new long[] {2, 3}, DType.FLOAT64).requiresGrad_(true).mul(1.0);
        dst.copy_(src);                // broadcast [3] -> [2, 3]
        assertEquals("torch::autograd::CopyBackwards", dst.gradFn().name());
        dst.sum().backward();
        assertArrayEquals(new double[] {2, 2, 2}, src.grad().toDoubleArray());
    }

    @Test
    void outFormsRefuseAutograd() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_(true);
        var e = assertThrows(IllegalArgumentException.class, () -> add(x, x, zeros(2)));
        assertEquals("add(): functions with out=... arguments don't support automatic differentiation, but one of the "
                + "arguments requires grad.", e.getMessage());
    }

    @Test
    void floorDivideIsNotDifferentiable() {
        Tensor x = f64(3, 4).requiresGrad_(true);
        Tensor q = x.floorDiv(2.0);
        assertEquals("torch::autograd::NotImplemented", q.gradFn().name());
        assertThrows(UnsupportedOperationException.class, () -> q.sum().backward());
    }
}
