package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.internal.Tensors;
import java.util.List;
import java.util.function.DoubleBinaryOperator;

/**
 * TEMPORARY (branch ops-reduce): the few elementwise ops the reduction backward rules need, until the
 * elementwise family (branch ops-elementwise) is merged. Each call here is replaced by the method of
 * the same name on Tensor ({@code ReduceTemp.mul(a, b)} becomes {@code a.mul(b)}) and this file is deleted.
 * Reference loops in double, differentiable, broadcasting.
 */
final class ReduceTemp {
    private ReduceTemp() {}

    private static Tensor map(Tensor a, Tensor b, DoubleBinaryOperator f, DType type) {
        long[] shape = Reference.broadcastShapes("op", Tensors.layout(a).shape(), Tensors.layout(b).shape());
        Tensor z = Tensors.empty(type, shape);
        Reference.binary(a, Tensors.layout(a).expand(shape), b, Tensors.layout(b).expand(shape), z, Tensors.layout(z), f);
        return z;
    }

    private static DType promote(Tensor a, Tensor b) {
        if (a.dtype() == b.dtype()) return a.dtype();
        if (a.dtype().isFloatingPoint() && b.dtype().isFloatingPoint()) return a.dtype() == DType.FLOAT64 ? a.dtype() : b.dtype();
        return a.dtype().isFloatingPoint() ? a.dtype() : b.dtype().isFloatingPoint() ? b.dtype() : DType.INT64;
    }

    static Tensor scalar(double v, DType t) { return Reduce.filled(t, new long[0], v); }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor z = map(a, b, (x, y) -> x * y, promote(a, b));
        return Autograd.record("MulBackward0", z, List.of(a, b), List.of(a, b), (g, s) -> List.of(mul(g, s.get(1)), mul(g, s.get(0))));
    }

    static Tensor mul(Tensor a, double v) { return mul(a, scalar(v, a.dtype())); }

    static Tensor div(Tensor a, Tensor b) {
        Tensor z = map(a, b, (x, y) -> x / y, promote(a, b));
        return Autograd.record("DivBackward0", z, List.of(a, b), List.of(a, b),
                (g, s) -> List.of(div(g, s.get(1)), neg(div(mul(g, s.get(0)), mul(s.get(1), s.get(1))))));
    }

    static Tensor div(Tensor a, double v) { return div(a, scalar(v, a.dtype())); }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor z = map(a, b, (x, y) -> x - y, promote(a, b));
        return Autograd.record("SubBackward0", z, List.of(a, b), List.of(), (g, s) -> List.of(g, neg(g)));
    }

    static Tensor neg(Tensor a) { return mul(a, -1.0); }

    static Tensor eq(Tensor a, Tensor b) { return map(a, b, (x, y) -> x == y ? 1 : 0, DType.BOOL); }

    static Tensor exp(Tensor a) {
        Tensor z = map(a, a, (x, y) -> Math.exp(x), a.dtype());
        return Autograd.record("ExpBackward0", z, List.of(a), List.of(z), (g, s) -> List.of(mul(g, s.get(0))));
    }

    static Tensor log(Tensor a) {
        Tensor z = map(a, a, (x, y) -> Math.log(x), a.dtype());
        return Autograd.record("LogBackward0", z, List.of(a), List.of(a), (g, s) -> List.of(div(g, s.get(0))));
    }

    static Tensor sign(Tensor a) { return map(a, a, (x, y) -> Math.signum(x), a.dtype()); }

    static Tensor abs(Tensor a) {
        Tensor z = map(a, a, (x, y) -> Math.abs(x), a.dtype());
        return Autograd.record("AbsBackward0", z, List.of(a), List.of(a), (g, s) -> List.of(mul(g, sign(s.get(0)))));
    }

    static Tensor pow(Tensor a, double p) {
        Tensor z = map(a, a, (x, y) -> Math.pow(x, p), a.dtype());
        return Autograd.record("PowBackward0", z, List.of(a), List.of(a),
                (g, s) -> List.of(mul(mul(g, pow(s.get(0), p - 1)), p)));
    }

    static Tensor toType(Tensor a, DType t) { return a.to(t); }
}
