package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Promotion;
import java.util.Arrays;
import java.util.List;

/**
 * The pointwise overloads PyTorch code reaches beyond the plain forms: a Java number as the first operand
 * ({@code torch.add(2.5, t)}, {@code torch.where(cond, 2.0, t)}), {@code rsub/rdiv/rpow} with tensors and
 * {@code alpha}, tensor bounds for {@code clamp}, {@code round(decimals)} and {@code div(rounding_mode)}.
 * A Java number keeps PyTorch's promotion of a wrapped number: a double makes an integer tensor the default
 * float type, a long keeps an integer tensor's type (a bool tensor becomes int64), a boolean keeps every
 * tensor's type (bool + True is a logical or).
 */
public final class PointwiseForms {
    private PointwiseForms() {}

    // ---------------- a number as the first operand ----------------

    /** {@code torch.add(value, t, alpha)}: {@code value + alpha * t}. Backward: {@code alpha g}. */
    public static Tensor add(double value, Tensor t, double alpha) {
        return Binary.add(Binary.wrap(t, value), t, false, alpha, null);
    }

    /** {@code torch.add(value, t)} for an integer value (stays in t's integer type). */
    public static Tensor add(long value, Tensor t) { return Binary.add(Binary.wrap(t, value), t, false, 1, null); }

    /** {@code torch.sub(value, t, alpha)}: {@code value - alpha * t}. */
    public static Tensor sub(double value, Tensor t, double alpha) {
        return Binary.sub(Binary.wrap(t, value), t, false, alpha, null);
    }

    public static Tensor sub(long value, Tensor t) { return sub(value, t, 1); }

    /** {@code torch.sub(value, t, alpha)} for integers: t's integer type is kept. */
    public static Tensor sub(long value, Tensor t, long alpha) { return Binary.sub(Binary.wrap(t, value), t, false, alpha, null); }

    public static Tensor mul(double value, Tensor t) { return Binary.mul(Binary.wrap(t, value), t, false, null); }

    public static Tensor mul(long value, Tensor t) { return Binary.mul(Binary.wrap(t, value), t, false, null); }

    /** {@code torch.div(value, t)}: true division, so integer tensors give the default float type. */
    public static Tensor div(double value, Tensor t) { return Binary.div(Binary.wrap(t, value), t, false, null); }

    public static Tensor pow(long base, Tensor e) { return Binary.pow(Binary.wrap(e, base), e, false, null); }

    // ---------------- a boolean operand ----------------

    /**
     * A Java boolean as an operand with t: a 0-d tensor of {@code result_type(t, True)}, which is t's own
     * type (a bool is the lowest category: int + True stays int, bool + True stays bool).
     */
    static Tensor wrap(Tensor t, boolean v) {
        return Elementwise.scalar(v ? 1L : 0L, Promotion.resultType(t.dtype(), Promotion.rankOf(t.dim()), DType.BOOL, Promotion.Rank.SCALAR));
    }

    /** {@code t + value} for a boolean value (PyTorch's {@code t + True}; bool + bool is a logical or). */
    public static Tensor add(Tensor t, boolean value) { return Binary.add(t, wrap(t, value), true, 1, null); }

    /** {@code t * value} for a boolean value. */
    public static Tensor mul(Tensor t, boolean value) { return Binary.mul(t, wrap(t, value), true, null); }

    /** {@code torch.where(cond, a, value)} for a boolean value: a's type is kept. */
    public static Tensor where(Tensor cond, Tensor a, boolean value) { return Comparison.where(cond, a, wrap(a, value), true, null); }

    /** {@code torch.where(cond, value, b)} for a boolean value. */
    public static Tensor where(Tensor cond, boolean value, Tensor b) {
        return Comparison.where(cond.logicalNot(), b, wrap(b, value), true, null);
    }

    // ---------------- rsub, rdiv, rpow ----------------

    /** {@code torch.rsub(a, b, alpha)}: {@code b - alpha * a}. Backward (RsubBackward0): {@code -alpha g}, {@code g}. */
    public static Tensor rsub(Tensor a, Tensor b, double alpha) {
        Tensor z = Binary.forward("rsub", BinaryKernel.SUB, alpha, b, a, false, null);
        return Elementwise.record("RsubBackward0", z, null, List.of(a, b), List.of(), (g, s) -> grads(
                s.needsInputGrad(0) ? g.mul(-alpha) : null, s.needsInputGrad(1) ? g : null));
    }

    /** {@code torch.rsub(a, value, alpha)}: {@code value - alpha * a}. */
    public static Tensor rsub(Tensor a, double value, double alpha) { return rsubNumber(a, Binary.wrap(a, value), alpha); }

    /** {@code torch.rsub(a, value, alpha)} for integers: an integer tensor stays integer. */
    public static Tensor rsub(Tensor a, long value, long alpha) { return rsubNumber(a, Binary.wrap(a, value), alpha); }

    /** {@code value - alpha * a} for a wrapped number (RsubBackward1: {@code -alpha g}). */
    private static Tensor rsubNumber(Tensor a, Tensor value, double alpha) {
        Tensor z = Binary.forward("rsub", BinaryKernel.SUB, alpha, value, a, false, null);
        return Elementwise.record("RsubBackward1", z, null, List.of(a), List.of(), (g, s) -> List.of(g.mul(-alpha)));
    }

    /** {@code a.__rtruediv__(b)}: {@code b / a}. */
    public static Tensor rdiv(Tensor a, Tensor b) { return Binary.div(b, a, false, null); }

    /** {@code value / a}. */
    public static Tensor rdiv(Tensor a, double value) { return div(value, a); }

    /** {@code a.__rpow__(b)}: {@code b ** a}. */
    public static Tensor rpow(Tensor a, Tensor b) { return Binary.pow(b, a, false, null); }

    /** {@code value ** a} ({@code torch.pow(value, a)}). */
    public static Tensor rpow(Tensor a, double value) { return Binary.pow(value, a); }

    // ---------------- where with numbers ----------------

    /** {@code torch.where(cond, value, b)}: b where cond is false; the type of {@code result_type(b, value)}. */
    public static Tensor where(Tensor cond, double value, Tensor b) {
        return Comparison.where(cond.logicalNot(), b, Binary.wrap(b, value), true, null);
    }

    public static Tensor where(Tensor cond, long value, Tensor b) {
        return Comparison.where(cond.logicalNot(), b, Binary.wrap(b, value), true, null);
    }

    /** {@code torch.where(cond, a, value)} for an integer value: stays in a's integer type. */
    public static Tensor where(Tensor cond, Tensor a, long value) {
        return Comparison.where(cond, a, Binary.wrap(a, value), true, null);
    }

    /** {@code torch.where(cond, x, y)} of two numbers: the default float type (two longs: int64), on cond's device. */
    public static Tensor where(Tensor cond, double x, double y) {
        DType type = Promotion.scalarType(true); // the default float type
        return whereScalars(cond, Elementwise.scalar(x, type), Elementwise.scalar(y, type));
    }

    public static Tensor where(Tensor cond, long x, long y) {
        return whereScalars(cond, Elementwise.scalar(x, DType.INT64), Elementwise.scalar(y, DType.INT64));
    }

    private static Tensor whereScalars(Tensor cond, Tensor x, Tensor y) {
        return Comparison.where(cond, x.to(cond.device()), y.to(cond.device()), false, null);
    }

    // ---------------- clamp with tensor bounds ----------------

    /**
     * {@code torch.clamp(x, min, max)} with tensor bounds (either may be null): {@code min(max(x, lo), hi)}
     * broadcast together, in {@code result_type(x, lo, hi)}; NaN in any operand gives NaN. Backward
     * (ClampBackward0), as PyTorch's clamp_backward_min_max: x gets g where {@code lo <= x <= hi}; lo where
     * {@code x < lo} (and {@code lo < hi}); hi where {@code x > hi} (or {@code hi < lo}).
     */
    public static Tensor clamp(Tensor x, Tensor lo, Tensor hi) { return clamp(x, lo, hi, "ClampBackward0"); }

    /** {@code torch.clamp_min(x, lo)} (ClampMinBackward1). */
    public static Tensor clampMin(Tensor x, Tensor lo) { return clamp(x, lo, null, "ClampMinBackward1"); }

    /** {@code torch.clamp_max(x, hi)} (ClampMaxBackward1). */
    public static Tensor clampMax(Tensor x, Tensor hi) { return clamp(x, null, hi, "ClampMaxBackward1"); }

    /** {@code x.clamp_(min, max)} with tensor bounds: in place (the result must keep x's shape and dtype), returns x. */
    public static Tensor clamp_(Tensor x, Tensor lo, Tensor hi) {
        Elementwise.checkInPlace(x);
        Tensor result = clamp(x.clone(), lo, hi);
        Promotion.checkCast(result.dtype(), x.dtype());
        if (!Arrays.equals(Tensors.layout(result).shape(), Tensors.layout(x).shape())) {
            throw new IllegalArgumentException("output with shape " + x.shape() + " doesn't match the broadcast shape " + result.shape());
        }
        return Elementwise.writeTracked(x, result);
    }

    private static Tensor clamp(Tensor x, Tensor lo, Tensor hi, String node) {
        if (lo == null && hi == null) throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        DType type = resultType(x, lo, hi);
        Tensor y;
        try (GradMode m = GradMode.set(false)) {
            y = x.to(type);
            if (lo != null) y = y.maximum(lo.to(type));
            if (hi != null) y = y.minimum(hi.to(type));
        }
        List<Tensor> inputs = Arrays.asList(x, lo, hi);
        if (!type.isFloatingPoint() || !Autograd.needsGrad(inputs)) return y;
        return Autograd.record(node, y, inputs, inputs, (g, s) -> {
            Tensor v = s.get(0), l = s.get(1), h = s.get(2), zero = g.mul(0.0);
            Tensor inside = l == null ? v.le(h) : h == null ? v.ge(l) : v.ge(l).logicalAnd(v.le(h));
            Tensor gl = null, gh = null;
            if (l != null && s.needsInputGrad(1)) {
                Tensor below = h == null ? v.lt(l) : v.lt(l).logicalAnd(l.lt(h));
                gl = Comparison.where(below, g, zero);
            }
            if (h != null && s.needsInputGrad(2)) {
                Tensor above = l == null ? v.gt(h) : v.gt(h).logicalOr(h.lt(l));
                gh = Comparison.where(above, g, zero);
            }
            return grads(s.needsInputGrad(0) ? Comparison.where(inside, g, zero) : null, gl, gh);
        });
    }

    private static DType resultType(Tensor x, Tensor lo, Tensor hi) {
        Tensor acc = x;
        DType type = x.dtype();
        for (Tensor b : new Tensor[] {lo, hi}) {
            if (b == null) continue;
            type = Promotion.resultType(type, Promotion.rankOf(acc.dim()),
                    b.dtype(), Promotion.rankOf(b.dim()));
            acc = acc.dim() >= b.dim() ? acc : b;
        }
        return type;
    }

    // ---------------- rounding ----------------

    /**
     * {@code torch.round(x, decimals=d)}: {@code rint(x * 10^d) / 10^d} (for negative d, {@code rint(x / 10^-d) * 10^-d}),
     * each step in x's dtype as PyTorch; ties to even. Backward (RoundBackward1): zero.
     */
    public static Tensor round(Tensor x, int decimals) {
        if (decimals == 0) return Pointwise.apply(UnaryKernel.ROUND, x, null);
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException("round with decimals is not implemented for " + x.dtype());
        }
        double ten = Math.pow(10, Math.abs(decimals));
        Tensor y;
        try (GradMode m = GradMode.set(false)) {
            y = decimals > 0 ? x.mul(ten).round().div(ten) : x.div(ten).round().mul(ten);
        }
        if (!Autograd.needsGrad(x)) return y;
        return Autograd.record("RoundBackward1", y, List.of(x), List.of(), (g, s) -> List.of(g.mul(0.0)));
    }

    /**
     * {@code torch.div(a, b, rounding_mode=mode)}: mode null is true division; {@code "trunc"} rounds the
     * quotient toward zero and {@code "floor"} toward minus infinity, both in {@code result_type(a, b)} (so
     * integer operands stay integers, exact). Backward (DivBackward2/3): zero for the rounding modes.
     */
    public static Tensor div(Tensor a, Tensor b, String mode) {
        if (mode == null) return Binary.div(a, b, false, null);
        Tensor y;
        try (GradMode m = GradMode.set(false)) {
            y = switch (mode) {
                case "floor" -> Binary.forward("div", BinaryKernel.FLOOR_DIV, 1, a, b, false, null);
                case "trunc" -> truncDiv(a, b);
                default -> throw new IllegalArgumentException("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '"
                        + mode + "'");
            };
        }
        List<Tensor> inputs = List.of(a, b);
        if (!y.dtype().isFloatingPoint() || !Autograd.needsGrad(inputs)) return y;
        return Autograd.record("DivBackward2", y, inputs, List.of(), (g, s) -> {
            Tensor zero = g.mul(0.0);
            return grads(s.needsInputGrad(0) ? zero : null, s.needsInputGrad(1) ? zero : null);
        });
    }

    /** {@code div(a, value, rounding_mode=mode)}. */
    public static Tensor div(Tensor a, double value, String mode) { return div(a, Binary.wrap(a, value), mode); }

    /** {@code div(a, value, rounding_mode=mode)} for an integer value: integer tensors stay integer. */
    public static Tensor div(Tensor a, long value, String mode) { return div(a, Binary.wrap(a, value), mode); }

    private static Tensor truncDiv(Tensor a, Tensor b) {
        DType type = Elementwise.resultType(a, b);
        if (type.isFloatingPoint()) return Binary.forward("div", BinaryKernel.DIV, 1, a, b, false, null).to(type).trunc();
        Tensor q = Binary.forward("div", BinaryKernel.FLOOR_DIV, 1, a, b, false, null);
        Tensor inexact = a.sub(q.mul(b)).ne(0L), signsDiffer = a.lt(0L).logicalXor(b.lt(0L));
        return q.add(inexact.logicalAnd(signsDiffer).to(type)); // floor + 1 where the quotient was negative and inexact
    }
}
