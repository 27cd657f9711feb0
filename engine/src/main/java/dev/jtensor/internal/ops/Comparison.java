package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
import dev.jtensor.internal.layout.Promotion;
import java.util.List;

/**
 * Comparisons ({@code eq ne lt le gt ge}, BOOL results computed in the promoted type), logical ops
 * (truthiness: nonzero and NaN are true), {@code maximum}/{@code minimum} (NaN propagates) and
 * {@code where}. Broadcasting as NumPy; comparisons and logical ops are not differentiable.
 */
public final class Comparison {
    private Comparison() {}

    private static final String[] NAMES = new String[BinaryKernel.values().length];
    static {
        for (BinaryKernel k : BinaryKernel.values()) NAMES[k.ordinal()] = k.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code z = a (k) b} as BOOL, comparing in {@code torch.result_type(a, b)}; into {@code out} when given. */
    public static Tensor compare(BinaryKernel k, Tensor a, Tensor b, boolean scalarB, Tensor out) {
        String op = NAMES[k.ordinal()];
        if (out != null) Elementwise.checkOutNoGrad(op, out, a, scalarB ? null : b);
        DType compute = Binary.resultOf(k, a, b, scalarB);
        return Elementwise.binary(op, k, 1, a, b, out, compute, DType.BOOL);
    }

    /** In-place comparison: {@code self = self (k) b} stored as 1/0 in self's dtype (PyTorch's {@code eq_}). */
    public static Tensor compare_(BinaryKernel k, Tensor self, Tensor b, boolean scalarB) {
        String op = k.name().toLowerCase(java.util.Locale.ROOT) + "_";
        DType compute = Binary.resultOf(k, self, b, scalarB);
        long[] shape = Broadcast.shapes(op, Tensors.layout(self).shape(), Tensors.layout(b).shape());
        Elementwise.checkInPlace(self);
        return Elementwise.inPlace(op, self, DType.BOOL, shape, false, null,
                () -> Elementwise.binary(op, k, 1, self, b, self, compute, DType.BOOL));
    }

    /** {@code logical_and/or/xor}: BOOL {@code (a != 0) (op) (b != 0)}. */
    public static Tensor logical(BinaryKernel k, Tensor a, Tensor b, Tensor out) {
        String op = k.name().toLowerCase(java.util.Locale.ROOT);
        if (out != null) Elementwise.checkOutNoGrad(op, out, a, b);
        return Elementwise.binary(op, k, 1, a, b, out, DType.FLOAT64, DType.BOOL);
    }

    // ---------------- maximum / minimum ----------------

    /**
     * {@code z = max(a, b)} elementwise (NaN if either is NaN). Backward (MaximumBackward0): g to the
     * larger input, split in halves on ties, and to both where either is NaN (PyTorch's masked_fill of the
     * smaller side: a NaN comparison masks nothing).
     */
    public static Tensor maximum(Tensor a, Tensor b, Tensor out) {
        Tensor z = forward("maximum", BinaryKernel.MAXIMUM, a, b, out);
        return Elementwise.record("MaximumBackward0", z, out, List.of(a, b), List.of(a, b), (g, s) -> {
            Tensor x = s.get(0), y = s.get(1);
            Tensor split = where(x.eq(y), g.div(2.0), g);
            return grads(s.needsInputGrad(0) ? split.maskedFill(x.lt(y), 0) : null,
                    s.needsInputGrad(1) ? split.maskedFill(x.gt(y), 0) : null);
        });
    }

    /** {@code z = min(a, b)} elementwise (NaN if either is NaN). Backward (MinimumBackward0) as maximum's, mirrored. */
    public static Tensor minimum(Tensor a, Tensor b, Tensor out) {
        Tensor z = forward("minimum", BinaryKernel.MINIMUM, a, b, out);
        return Elementwise.record("MinimumBackward0", z, out, List.of(a, b), List.of(a, b), (g, s) -> {
            Tensor x = s.get(0), y = s.get(1);
            Tensor split = where(x.eq(y), g.div(2.0), g);
            return grads(s.needsInputGrad(0) ? split.maskedFill(x.gt(y), 0) : null,
                    s.needsInputGrad(1) ? split.maskedFill(x.lt(y), 0) : null);
        });
    }

    private static Tensor forward(String op, BinaryKernel k, Tensor a, Tensor b, Tensor out) {
        if (out != null) Elementwise.checkOutNoGrad(op, out, a, b);
        DType result = Elementwise.resultType(a, b);
        return Elementwise.binary(op, k, 1, a, b, out, result, result);
    }

    public static Tensor maximum_(Tensor self, Tensor b) {
        return Binary.inPlace("maximum_", BinaryKernel.MAXIMUM, 1, self, b, false, (x, y, s, o) -> maximum(x, y, o));
    }

    public static Tensor minimum_(Tensor self, Tensor b) {
        return Binary.inPlace("minimum_", BinaryKernel.MINIMUM, 1, self, b, false, (x, y, s, o) -> minimum(x, y, o));
    }

    // ---------------- where ----------------

    /**
     * {@code z = cond ? a : b} with the three broadcast together; the result type is
     * {@code result_type(a, b)}; {@code cond} must be BOOL (or UINT8, deprecated in PyTorch). Backward
     * (WhereBackward0): {@code (where(cond, g, 0), where(cond, 0, g))}.
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b, boolean scalarB, Tensor out) {
        if (cond.dtype() != DType.BOOL && cond.dtype() != DType.UINT8) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + Promotion.cTypeName(cond.dtype()));
        }
        if (out != null) Elementwise.checkOutNoGrad("where", out, a, scalarB ? null : b);
        DType result = scalarB ? Binary.resultOf(BinaryKernel.ADD, a, b, true) : Elementwise.resultType(a, b);
        long[] ab = Broadcast.shapes("where", Tensors.layout(a).shape(), Tensors.layout(b).shape());
        long[] shape = Broadcast.shapes("where", Tensors.layout(cond).shape(), ab);
        Tensor z = Elementwise.output("where", out, shape, result, a);
        Layout lz = Tensors.layout(z), lc = Tensors.layout(cond).expand(shape), la = Tensors.layout(a).expand(shape),
                lb = Tensors.layout(b).expand(shape);
        Dispatch.run("where", z, cond, a, b, (backend, bz, bc, ba, bb) -> backend.where(new Operand(bz, z.dtype(), lz),
                new Operand(bc, cond.dtype(), lc), new Operand(ba, a.dtype(), la), new Operand(bb, b.dtype(), lb)));
        List<Tensor> inputs = scalarB ? List.of(a) : List.of(a, b);
        if (out != null || !Autograd.needsGrad(inputs)) return z;
        return Autograd.record("WhereBackward0", z, inputs, List.of(cond), (g, s) -> {
            Tensor c = s.get(0), zero = g.mul(0.0);
            return grads(s.needsInputGrad(0) ? where(c, g, zero) : null,
                    !scalarB && s.needsInputGrad(1) ? where(c, zero, g) : null);
        });
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return where(cond, a, b, false, null); }
}
