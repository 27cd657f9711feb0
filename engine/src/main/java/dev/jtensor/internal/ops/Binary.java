package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.BackwardRule;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
import dev.jtensor.internal.layout.Promotion;
import java.util.Arrays;
import java.util.List;

/**
 * Binary arithmetic with NumPy broadcasting and {@code torch.result_type} promotion: add, sub, mul,
 * div, floorDiv, remainder, pow, atan2. Each op is one forward (a kernel into a fresh, {@code out} or
 * in-place output, see {@link Elementwise}) and its backward in tensor ops, recorded with PyTorch's node
 * name; gradients come back in the output's broadcast shape (the engine sums them to each input's).
 *
 * <p>Scalar operands ({@code t.add(2.0)}, {@code t.mul(3L)}) are wrapped numbers: they do not widen a
 * tensor's category (float16 + 2.5 stays float16, int8 + 1000L stays int8 and wraps as PyTorch), but
 * promote integer tensors to the default float type when floating. PyTorch (Python) wraps scalars into
 * tensors, so the node names are those of the tensor overloads ({@code AddBackward0} for {@code x + 2}).
 */
public final class Binary {
    private Binary() {}

    /** One binary op: forward into {@code out} (null: fresh) and record; {@code scalarB}: b is a wrapped Java number. */
    @FunctionalInterface
    interface Op {
        Tensor apply(Tensor a, Tensor b, boolean scalarB, Tensor out);
    }

    // ---------------- types ----------------

    /** The result type: {@code torch.result_type}, floated for true division and atan2. */
    static DType resultOf(BinaryKernel k, Tensor a, Tensor b, boolean scalarB) {
        DType promoted = a.dtype() == b.dtype() ? a.dtype() : scalarB
                ? Promotion.resultType(a.dtype(), Promotion.rankOf(a.dim()), b.dtype(), Promotion.Rank.SCALAR)
                : Elementwise.resultType(a, b);
        return k == BinaryKernel.DIV || k == BinaryKernel.ATAN2 ? Promotion.toFloating(promoted) : promoted;
    }

    /** A Java double as an operand with tensor {@code t}: a 0-d tensor of {@code result_type(t, double)}. */
    public static Tensor wrap(Tensor t, double v) {
        return Elementwise.scalar(v, Elementwise.resultType(t, true));
    }

    /** A Java long as an operand: exact in the promoted integer type (int8 + 1000L wraps, as PyTorch). */
    public static Tensor wrap(Tensor t, long v) {
        return Elementwise.scalar(v, Elementwise.resultType(t, false));
    }

    /** Forward of {@code k}: checks, output, kernel. Records nothing. */
    static Tensor forward(String op, BinaryKernel k, double alpha, Tensor a, Tensor b, boolean scalarB, Tensor out) {
        DType result = resultOf(k, a, b, scalarB);
        if (out != null) Elementwise.checkOutNoGrad(op, out, a, scalarB ? null : b);
        if (k == BinaryKernel.SUB && a.dtype() == DType.BOOL && b.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        }
        if ((k == BinaryKernel.FLOOR_DIV || k == BinaryKernel.REMAINDER) && result == DType.BOOL) {
            throw new UnsupportedOperationException(op + ": not implemented for 'Bool'");
        }
        if ((k == BinaryKernel.ADD || k == BinaryKernel.SUB) && !result.isFloatingPoint() && alpha != Math.rint(alpha)) {
            throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
        }
        if (k == BinaryKernel.POW && scalarB && !result.isFloatingPoint() && b.item() < 0) {
            throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
        }
        return Elementwise.binary(op, k, alpha, a, b, out, result, result);
    }

    /** Runs {@code op} in place on {@code self} (see {@link Elementwise#inPlace}). */
    static Tensor inPlace(String name, BinaryKernel k, double alpha, Tensor self, Tensor b, boolean scalarB, Op op) {
        DType result = resultOf(k, self, b, scalarB);
        long[] shape = Broadcast.shapes(name, Tensors.layout(self).shape(), Tensors.layout(b).shape());
        boolean grad = Autograd.needsGrad(self, scalarB ? null : b);
        return Elementwise.inPlace(name, self, result, shape, grad, copy -> op.apply(copy, b, scalarB, null),
                () -> forward(name, k, alpha, self, b, scalarB, self));
    }

    private static Tensor record(String name, Tensor z, Tensor out, Tensor a, Tensor b, boolean scalarB, List<Tensor> toSave,
                                 BackwardRule rule) {
        return Elementwise.record(name, z, out, scalarB ? List.of(a) : List.of(a, b), toSave, rule);
    }

    /** False when the op records nothing (the common inference case: checked before building the rule). */
    private static boolean recording(Tensor z, Tensor out, Tensor a, Tensor b, boolean scalarB) {
        return out == null && z.dtype().isFloatingPoint() && Autograd.needsGrad(a, scalarB ? null : b);
    }

    // ---------------- add / sub ----------------

    /** {@code z = a + alpha * b} ({@code torch.add}). Backward: {@code (g, alpha g)}. */
    public static Tensor add(Tensor a, Tensor b, boolean scalarB, double alpha, Tensor out) {
        Tensor z = forward("add", BinaryKernel.ADD, alpha, a, b, scalarB, out);
        if (!recording(z, out, a, b, scalarB)) return z;
        return record("AddBackward0", z, out, a, b, scalarB, List.of(),
                (g, s) -> grads(s.needsInputGrad(0) ? g : null,
                        !scalarB && s.needsInputGrad(1) ? alpha == 1 ? g : g.mul(alpha) : null));
    }

    public static Tensor add_(Tensor a, Tensor b, boolean scalarB, double alpha) {
        return inPlace("add_", BinaryKernel.ADD, alpha, a, b, scalarB, (x, y, s, o) -> add(x, y, s, alpha, o));
    }

    /** {@code z = a - alpha * b} ({@code torch.sub}). Backward: {@code (g, -alpha g)}. */
    public static Tensor sub(Tensor a, Tensor b, boolean scalarB, double alpha, Tensor out) {
        Tensor z = forward("sub", BinaryKernel.SUB, alpha, a, b, scalarB, out);
        if (!recording(z, out, a, b, scalarB)) return z;
        return record("SubBackward0", z, out, a, b, scalarB, List.of(), (g, s) -> grads(
                s.needsInputGrad(0) ? g : null, !scalarB && s.needsInputGrad(1) ? g.mul(-alpha) : null));
    }

    public static Tensor sub_(Tensor a, Tensor b, boolean scalarB, double alpha) {
        return inPlace("sub_", BinaryKernel.SUB, alpha, a, b, scalarB, (x, y, s, o) -> sub(x, y, s, alpha, o));
    }

    /** {@code z = s - a} ({@code torch.rsub}, Python's {@code 2 - x}). Backward: {@code -g}. */
    public static Tensor rsub(Tensor a, double s) {
        Tensor z = forward("rsub", BinaryKernel.SUB, 1, wrap(a, s), a, false, null);
        return Elementwise.record("RsubBackward1", z, null, List.of(a), List.of(), (g, sv) -> List.of(g.neg()));
    }

    // ---------------- mul / div ----------------

    /** {@code z = a * b}. Backward: {@code (g b, g a)}. */
    public static Tensor mul(Tensor a, Tensor b, boolean scalarB, Tensor out) {
        Tensor z = forward("mul", BinaryKernel.MUL, 1, a, b, scalarB, out);
        if (!recording(z, out, a, b, scalarB)) return z;
        if (scalarB) {
            double v = b.item();
            return record("MulBackward0", z, out, a, b, true, List.of(), (g, s) -> Arrays.asList(g.mul(v)));
        }
        return record("MulBackward0", z, out, a, b, false, savedIf(a, b),
                (g, s) -> grads(s.needsInputGrad(0) ? g.mul(s.get(1)) : null,
                        s.needsInputGrad(1) ? g.mul(s.get(0)) : null));
    }

    public static Tensor mul_(Tensor a, Tensor b, boolean scalarB) {
        return inPlace("mul_", BinaryKernel.MUL, 1, a, b, scalarB, Binary::mul);
    }

    /** {@code z = a / b}, true division (integers give the default float type; x/0 is ±inf or nan). Backward: {@code (g/b, -g a / b^2)}. */
    public static Tensor div(Tensor a, Tensor b, boolean scalarB, Tensor out) {
        Tensor z = forward("div", BinaryKernel.DIV, 1, a, b, scalarB, out);
        if (!recording(z, out, a, b, scalarB)) return z;
        if (scalarB) {
            double v = b.item();
            return record("DivBackward0", z, out, a, b, true, List.of(), (g, s) -> Arrays.asList(g.div(v)));
        }
        // the divisor is needed for both gradients; the dividend only for the divisor's
        return record("DivBackward0", z, out, a, b, false, Arrays.asList(b.requiresGrad() ? a : null, b), (g, s) -> {
            Tensor bb = s.get(1);
            return grads(s.needsInputGrad(0) ? g.div(bb) : null,
                    s.needsInputGrad(1) ? g.neg().mul(s.get(0)).div(bb.mul(bb)) : null);
        });
    }

    public static Tensor div_(Tensor a, Tensor b, boolean scalarB) {
        return inPlace("div_", BinaryKernel.DIV, 1, a, b, scalarB, Binary::div);
    }

    /**
     * {@code z = floor(a / b)} (Python's {@code //}, {@code torch.floor_divide}); integer division by zero
     * throws ArithmeticException. Not differentiable: PyTorch records {@code NotImplemented}.
     */
    public static Tensor floorDiv(Tensor a, Tensor b, boolean scalarB, Tensor out) {
        Tensor z = forward("floorDiv", BinaryKernel.FLOOR_DIV, 1, a, b, scalarB, out);
        return record("torch::autograd::NotImplemented", z, out, a, b, scalarB, List.of(), (g, s) -> {
            throw new UnsupportedOperationException("the derivative for 'floor_divide' is not implemented.");
        });
    }

    public static Tensor floorDiv_(Tensor a, Tensor b, boolean scalarB) {
        return inPlace("floorDiv_", BinaryKernel.FLOOR_DIV, 1, a, b, scalarB, Binary::floorDiv);
    }

    /** {@code z = a - floor(a/b) b}: Python's {@code %} (sign of the divisor). Backward: {@code (g, -g floor(a/b))}. */
    public static Tensor remainder(Tensor a, Tensor b, boolean scalarB, Tensor out) {
        Tensor z = forward("remainder", BinaryKernel.REMAINDER, 1, a, b, scalarB, out);
        if (scalarB) return record("RemainderBackward0", z, out, a, b, true, List.of(), (g, s) -> Arrays.asList(g));
        return record("RemainderBackward1", z, out, a, b, false, List.of(a, b), (g, s) -> grads(s.needsInputGrad(0) ? g : null,
                s.needsInputGrad(1) ? g.neg().mul(s.get(0).floorDiv(s.get(1))) : null));
    }

    public static Tensor remainder_(Tensor a, Tensor b, boolean scalarB) {
        return inPlace("remainder_", BinaryKernel.REMAINDER, 1, a, b, scalarB, Binary::remainder);
    }

    // ---------------- pow / atan2 ----------------

    /**
     * {@code z = a ^ b}. Integer tensors to negative scalar powers throw, as PyTorch. Backward
     * (tensor exponent e, PowBackward0): {@code g e a^(e-1)} (0 where e = 0); with a tensor exponent
     * (PowBackward1) also {@code g z log a} for b (0 where a = 0 and b &gt;= 0).
     */
    public static Tensor pow(Tensor a, Tensor b, boolean scalarB, Tensor out) {
        if (out == null) {
            Tensor[] cast = Autocast.inputs("pow", a, scalarB ? null : b);
            a = cast[0];
            if (!scalarB) b = cast[1];
        }
        Tensor z = forward("pow", BinaryKernel.POW, 1, a, b, scalarB, out);
        if (scalarB) {
            double e = b.item();
            return record("PowBackward0", z, out, a, b, true, List.of(a),
                    (g, s) -> Arrays.asList(e == 0 ? g.mul(0.0) : g.mul(s.get(0).pow(e - 1).mul(e))));
        }
        return record("PowBackward1", z, out, a, b, false, List.of(a, b, z), (g, s) -> {
            Tensor x = s.get(0), e = s.get(1);
            Tensor ga = s.needsInputGrad(0) ? Comparison.where(e.eq(0.0), g.mul(0.0), g.mul(e.mul(x.pow(e.sub(1.0))))) : null;
            Tensor gb = s.needsInputGrad(1) ? g.mul(Comparison.where(x.eq(0.0).logicalAnd(e.ge(0.0)), g.mul(0.0), s.get(2).mul(x.log()))) : null;
            return grads(ga == null ? null : ga, gb == null ? null : gb);
        });
    }

    public static Tensor pow_(Tensor a, Tensor b, boolean scalarB) {
        return inPlace("pow_", BinaryKernel.POW, 1, a, b, scalarB, Binary::pow);
    }

    /** {@code z = base ^ e} for a Java base (Python's {@code 2 ** x}). Backward: {@code g z ln(base)}. */
    public static Tensor pow(double base, Tensor e) {
        Tensor z = forward("pow", BinaryKernel.POW, 1, wrap(e, base), e, false, null);
        double lnBase = Math.log(base);
        return Elementwise.record("PowBackward1", z, null, List.of(e), List.of(z),
                (g, s) -> Arrays.asList(base == 0 ? g.mul(0.0) : g.mul(s.get(0)).mul(lnBase)));
    }

    /** {@code z = atan2(a, b)} (float result). Backward: {@code (g b, -g a) / (a^2 + b^2)}. */
    public static Tensor atan2(Tensor a, Tensor b, boolean scalarB, Tensor out) {
        Tensor z = forward("atan2", BinaryKernel.ATAN2, 1, a, b, scalarB, out);
        return record("Atan2Backward0", z, out, a, b, scalarB, List.of(a, b), (g, s) -> {
            Tensor x = s.get(0), y = s.get(1);
            Tensor r = g.div(x.mul(x).add(y.mul(y)));
            return grads(s.needsInputGrad(0) ? r.mul(y) : null,
                    !scalarB && s.needsInputGrad(1) ? r.mul(x).neg() : null);
        });
    }

    public static Tensor atan2_(Tensor a, Tensor b, boolean scalarB) {
        return inPlace("atan2_", BinaryKernel.ATAN2, 1, a, b, scalarB, Binary::atan2);
    }

    // ---------------- helpers ----------------


    /** Save only what the backward reads: b when a needs a gradient, a when b does. */
    private static List<Tensor> savedIf(Tensor a, Tensor b) {
        return Arrays.asList(b.requiresGrad() ? a : null, a.requiresGrad() ? b : null);
    }
}
