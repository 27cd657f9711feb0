package dev.jtensor.backend;

/**
 * The unary elementwise kernels every backend implements: {@code out[i] = f(x[i])} over an
 * {@code IterPlan}, computed in the compute dtype given. Parameters {@code p0, p1, p2} are read by
 * the kernels that need them (named at each constant). Semantics live in {@code internal.ops.Pointwise}.
 */
public enum UnaryKernel {
    NEG, ABS, SIGN, EXP, EXPM1, LOG, LOG1P, LOG2, SQRT, RSQRT, SQUARE, RECIPROCAL,
    SIN, COS, TAN, TANH, SIGMOID, RELU,
    /** The error function. */
    ERF,
    /** {@code x * Phi(x)} with the exact erf form. */
    GELU,
    /** GELU's tanh approximation {@code 0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x^3)))}. */
    GELU_TANH,
    SILU, FLOOR, CEIL,
    /** Round half to even, as {@code torch.round}. */
    ROUND,
    TRUNC,
    /** {@code min(max(x, p0), p1)}; a NaN bound means "no bound"; NaN inputs stay NaN. */
    CLAMP,
    /** NaN to p0, +inf to p1, -inf to p2. */
    NAN_TO_NUM,
    /** BOOL results. */
    ISNAN, ISINF, ISFINITE, LOGICAL_NOT,
    /** {@code out = x} converted (the copy/cast kernel as a unary, for strided generic copies). */
    IDENTITY,
    /** {@code out = p0} (fill). */
    FILL;

    /** True for the kernels whose result is BOOL. */
    public boolean isPredicate() { return this == ISNAN || this == ISINF || this == ISFINITE || this == LOGICAL_NOT; }
}
