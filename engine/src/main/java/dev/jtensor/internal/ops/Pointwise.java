package dev.jtensor.internal.ops;


import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.BackwardRule;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Promotion;
import java.util.List;

/**
 * Unary elementwise ops {@code y = f(x)}, each with its backward in tensor ops and PyTorch's node name.
 * Result types as PyTorch: transcendental ops ({@code exp log sqrt sin sigmoid ...}) turn integer and
 * bool inputs into the default float type; {@code neg abs sign square relu floor ceil round trunc}
 * keep the dtype (bool rejected where PyTorch rejects it); {@code isnan isinf isfinite logicalNot} give
 * BOOL. Each op has a fresh, an {@code out} (null: fresh) and an in-place ({@code op_}) form.
 */
public final class Pointwise {
    private Pointwise() {}

    private static final String[] NAMES = new String[UnaryKernel.values().length];
    static {
        for (UnaryKernel k : UnaryKernel.values()) NAMES[k.ordinal()] = k.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The lower-case op name for messages, without allocating per call. */
    static String nameOf(UnaryKernel k) { return NAMES[k.ordinal()]; }

    /** The result dtype of {@code k} on {@code t}, or an exception where PyTorch has no kernel. */
    static DType resultType(UnaryKernel k, DType t) {
        return switch (k) {
            case EXP, EXPM1, LOG, LOG1P, LOG2, SQRT, RSQRT, RECIPROCAL, SIN, COS, TAN, TANH, SIGMOID, ERF -> Promotion.toFloating(t);
            case GELU, GELU_TANH, SILU -> {
                if (!t.isFloatingPoint()) throw notFor(k, t);
                yield t;
            }
            case NEG -> {
                if (t == DType.BOOL) {
                    throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                            + "trying to invert a mask, use the `~` or `logical_not()` operator instead.");
                }
                yield t;
            }
            case RELU -> {
                if (t == DType.BOOL) throw new UnsupportedOperationException("Boolean inputs not supported for relu");
                yield t;
            }
            case ABS, FLOOR, CEIL, ROUND, TRUNC, CLAMP -> {
                if (t == DType.BOOL) throw notFor(k, t);
                yield t;
            }
            case SQUARE -> t == DType.BOOL ? DType.INT64 : t;
            case SIGN, NAN_TO_NUM, IDENTITY, FILL -> t;
            case ISNAN, ISINF, ISFINITE, LOGICAL_NOT -> DType.BOOL;
        };
    }

    private static UnsupportedOperationException notFor(UnaryKernel k, DType t) {
        return new UnsupportedOperationException(k.name().toLowerCase(java.util.Locale.ROOT) + ": not implemented for '"
                + Promotion.cTypeName(t) + "' (dtype " + t + ")");
    }

    /** Forward of {@code k} on {@code x} into {@code out} (null: fresh). Records nothing. */
    static Tensor forward(String op, UnaryKernel k, double p0, double p1, double p2, Tensor x, Tensor out, DType result) {
        if (out != null) Elementwise.checkOutNoGrad(op, out, x);
        DType compute = k.isPredicate() ? x.dtype() : result;
        return Elementwise.unary(op, k, p0, p1, p2, x, out, compute, result);
    }

    /** One unary op: forward, then record {@code node} saving the output ({@code saveOutput}) or the input. */
    private static Tensor op(String node, UnaryKernel k, Tensor x, Tensor out, boolean saveOutput, BackwardRule rule) {
        Tensor y = forward(nameOf(k), k, 0, 0, 0, x, out, resultType(k, x.dtype()));
        if (out != null || !y.dtype().isFloatingPoint() || !Autograd.needsGrad(x)) return y;
        return Autograd.record(node, y, List.of(x), List.of(saveOutput ? y : x), rule);
    }

    /** {@code op} applied in place: {@code self = f(self)}, with PyTorch's castability and leaf checks. */
    static Tensor inPlace(UnaryKernel k, double p0, double p1, double p2, DType result, Tensor self,
                          java.util.function.Function<Tensor, Tensor> functional) {
        String name = k.name().toLowerCase(java.util.Locale.ROOT) + "_";
        return Elementwise.inPlace(name, self, result, Tensors.layout(self).shape(), Autograd.needsGrad(self), functional,
                () -> forward(name, k, p0, p1, p2, self, self, result));
    }

    /** {@code f_(self)} for the parameterless ops. */
    public static Tensor apply_(UnaryKernel k, Tensor self) {
        return inPlace(k, 0, 0, 0, resultType(k, self.dtype()), self, x -> apply(k, x, null));
    }

    /**
     * {@code y = f(x)} for every parameterless unary kernel, with its backward (PyTorch's formula in
     * derivatives.yaml, "result" being y).
     */
    public static Tensor apply(UnaryKernel k, Tensor x, Tensor out) {
        if (out == null && Autocast.isEnabled(x.device())) x = Autocast.input(k.name().toLowerCase(java.util.Locale.ROOT), x);
        return switch (k) {
            case NEG -> op("NegBackward0", k, x, out, false, (g, s) -> List.of(g.neg()));
            case ABS -> op("AbsBackward0", k, x, out, false, (g, s) -> List.of(g.mul(s.get(0).sign())));
            // backward of sign, floor, ceil, round, trunc is 0, as torch
            case SIGN -> op("SignBackward0", k, x, out, false, (g, s) -> List.of(g.mul(0.0)));
            case EXP -> op("ExpBackward0", k, x, out, true, (g, s) -> List.of(g.mul(s.get(0))));
            case EXPM1 -> op("Expm1Backward0", k, x, out, true, (g, s) -> List.of(g.mul(s.get(0).add(1.0))));
            case LOG -> op("LogBackward0", k, x, out, false, (g, s) -> List.of(g.div(s.get(0))));
            case LOG1P -> op("Log1PBackward0", k, x, out, false, (g, s) -> List.of(g.div(s.get(0).add(1.0))));
            case LOG2 -> op("Log2Backward0", k, x, out, false, (g, s) -> List.of(g.div(s.get(0).mul(Math.log(2)))));
            case SQRT -> op("SqrtBackward0", k, x, out, true, (g, s) -> List.of(g.div(s.get(0).mul(2.0))));
            case RSQRT -> op("RsqrtBackward0", k, x, out, true,
                    (g, s) -> List.of(g.mul(s.get(0).pow(3.0)).mul(-0.5)));
            case SQUARE -> op("PowBackward0", k, x, out, false, (g, s) -> List.of(g.mul(s.get(0)).mul(2.0)));
            case RECIPROCAL -> op("ReciprocalBackward0", k, x, out, true,
                    (g, s) -> List.of(g.neg().mul(s.get(0).square())));
            case SIN -> op("SinBackward0", k, x, out, false, (g, s) -> List.of(g.mul(s.get(0).cos())));
            case COS -> op("CosBackward0", k, x, out, false, (g, s) -> List.of(g.mul(s.get(0).sin()).neg()));
            case TAN -> op("TanBackward0", k, x, out, true, (g, s) -> List.of(g.mul(s.get(0).square().add(1.0))));
            case TANH -> op("TanhBackward0", k, x, out, true, (g, s) -> List.of(g.mul(s.get(0).square().rsub(1.0))));
            case SIGMOID -> op("SigmoidBackward0", k, x, out, true,
                    (g, s) -> List.of(g.mul(s.get(0)).mul(s.get(0).rsub(1.0))));
            case RELU -> op("ReluBackward0", k, x, out, true, (g, s) -> List.of(reluBackward(g, s.get(0))));
            case ERF -> op("ErfBackward0", k, x, out, false, // 2/sqrt(pi) e^{-x^2}
                    (g, s) -> List.of(g.mul(s.get(0).square().neg().exp()).mul(2 / Math.sqrt(Math.PI))));
            case GELU -> op("GeluBackward0", k, x, out, false, (g, s) -> List.of(geluBackward(g, s.get(0), false)));
            case GELU_TANH -> op("GeluBackward0", k, x, out, false, (g, s) -> List.of(geluBackward(g, s.get(0), true)));
            case SILU -> op("SiluBackward0", k, x, out, false, (g, s) -> {
                Tensor v = s.get(0), sig = v.sigmoid();
                return List.of(g.mul(sig).mul(v.mul(sig.rsub(1.0)).add(1.0)));
            });
            case FLOOR -> op("FloorBackward0", k, x, out, false, (g, s) -> List.of(g.mul(0.0)));
            case CEIL -> op("CeilBackward0", k, x, out, false, (g, s) -> List.of(g.mul(0.0)));
            case ROUND -> op("RoundBackward0", k, x, out, false, (g, s) -> List.of(g.mul(0.0)));
            case TRUNC -> op("TruncBackward0", k, x, out, false, (g, s) -> List.of(g.mul(0.0)));
            case ISNAN, ISINF, ISFINITE, LOGICAL_NOT, IDENTITY -> op("", k, x, out, false, null); // BOOL/no-grad results
            case CLAMP, NAN_TO_NUM, FILL -> throw new IllegalArgumentException(k + " takes parameters");
        };
    }

    /**
     * ReLU's backward as PyTorch's {@code threshold_backward(g, y, 0)}: {@code y <= 0 ? 0 : g} (a NaN
     * {@code y} passes g), one kernel into a fresh tensor of g's dtype. When g itself needs a gradient
     * ({@code createGraph}) the same value comes from differentiable ops, {@code g * !(y <= 0)} (whose
     * zeros may be -0.0); its derivative in y is zero, as PyTorch's {@code ThresholdBackwardBackward0}.
     */
    static Tensor reluBackward(Tensor g, Tensor y) {
        if (Autograd.needsGrad(g)) return g.mul(y.le(0.0).logicalNot());
        return Elementwise.binary("threshold_backward", BinaryKernel.THRESHOLD_BACKWARD, 1, g, y, null,
                g.dtype(), g.dtype());
    }

    /** The GELU kernel for PyTorch's {@code approximate} argument: "none" (erf) or "tanh". */
    public static UnaryKernel geluKernel(String approximate) {
        return switch (approximate) {
            case "none" -> UnaryKernel.GELU;
            case "tanh" -> UnaryKernel.GELU_TANH;
            default -> throw new IllegalArgumentException("approximate argument must be either none or tanh, got '" + approximate + "'");
        };
    }

    /** {@code g gelu'(x)}: one kernel in a backward that does not record (LayerNorms.geluBackward), else the composite. */
    private static Tensor geluBackward(Tensor g, Tensor x, boolean tanh) {
        Tensor fused = LayerNorms.geluBackward(g, x, tanh);
        if (fused != null) return fused;
        return g.mul(tanh ? geluTanhDerivative(x) : geluDerivative(x));
    }

    /** d/dx of x Phi(x) = Phi(x) + x phi(x). */
    private static Tensor geluDerivative(Tensor x) {
        Tensor cdf = x.mul(Math.sqrt(0.5)).erf().add(1.0).mul(0.5);
        Tensor pdf = x.square().mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
        return cdf.add(x.mul(pdf));
    }

    /** d/dx of 0.5x(1 + tanh u), u = sqrt(2/pi)(x + 0.044715x^3). */
    private static Tensor geluTanhDerivative(Tensor x) {
        double k = Math.sqrt(2 / Math.PI);
        Tensor t = x.add(x.pow(3.0).mul(0.044715)).mul(k).tanh();
        Tensor du = x.square().mul(3 * 0.044715).add(1.0).mul(k);
        return t.add(1.0).mul(0.5).add(x.mul(0.5).mul(t.square().rsub(1.0)).mul(du));
    }

    // ---------------- ops with parameters ----------------

    /**
     * {@code y = min(max(x, min), max)}; a NaN bound means "none" ({@code clamp(min=None)}). The result type
     * is {@code result_type(x, min, max)} ({@code floating}: the bounds are Java doubles). Backward
     * (ClampBackward1): g where {@code min <= x <= max}, else 0 (subgradient 1 at the bounds, as PyTorch).
     */
    public static Tensor clamp(Tensor x, double min, double max, boolean floating, Tensor out) {
        DType result = resultType(UnaryKernel.CLAMP, Elementwise.resultType(x, floating));
        Tensor y = forward("clamp", UnaryKernel.CLAMP, min, max, 0, x, out, result);
        if (out != null || !y.dtype().isFloatingPoint() || !Autograd.needsGrad(x)) return y;
        String node = min == min && max == max || floating ? "ClampBackward1" : min == min ? "ClampMinBackward0" : "ClampMaxBackward0";
        return Autograd.record(node, y, List.of(x), List.of(x), (g, s) -> {
            Tensor v = s.get(0);
            Tensor mask = min == min ? v.ge(min) : null;
            if (max == max) mask = mask == null ? v.le(max) : mask.logicalAnd(v.le(max));
            return List.of(mask == null ? g : g.mul(mask));
        });
    }

    public static Tensor clamp_(Tensor self, double min, double max, boolean floating) {
        DType result = resultType(UnaryKernel.CLAMP, Elementwise.resultType(self, floating));
        return inPlace(UnaryKernel.CLAMP, min, max, 0, result, self, x -> clamp(x, min, max, floating, null));
    }

    /**
     * {@code torch.nan_to_num}: NaN to {@code nan}, +inf to {@code posinf}, -inf to {@code neginf}; null
     * infinities mean the dtype's largest finite values. Integer tensors are returned unchanged (copied).
     * Backward (NanToNumBackward0): g where x is finite, else 0.
     */
    public static Tensor nanToNum(Tensor x, double nan, Double posinf, Double neginf, Tensor out) {
        double[] p = nanToNumParams(x.dtype(), nan, posinf, neginf);
        Tensor y = forward("nanToNum", UnaryKernel.NAN_TO_NUM, p[0], p[1], p[2], x, out, x.dtype());
        if (out != null || !y.dtype().isFloatingPoint() || !Autograd.needsGrad(x)) return y;
        return Autograd.record("NanToNumBackward0", y, List.of(x), List.of(x), (g, s) -> List.of(g.mul(s.get(0).isfinite())));
    }

    public static Tensor nanToNum_(Tensor self, double nan, Double posinf, Double neginf) {
        double[] p = nanToNumParams(self.dtype(), nan, posinf, neginf);
        return inPlace(UnaryKernel.NAN_TO_NUM, p[0], p[1], p[2], self.dtype(), self, x -> nanToNum(x, nan, posinf, neginf, null));
    }

    private static double[] nanToNumParams(DType t, double nan, Double posinf, Double neginf) {
        double big = switch (t) {
            case FLOAT32 -> Float.MAX_VALUE;
            case FLOAT16 -> 65504.0;
            case BFLOAT16 -> 3.3895313892515355e38;
            case FLOAT64, INT8, UINT8, INT16, INT32, INT64, BOOL -> Double.MAX_VALUE;
        };
        return new double[] {nan, posinf == null ? big : posinf, neginf == null ? -big : neginf};
    }
}
