package dev.jtensor.backend;

/**
 * The binary elementwise kernels every backend implements: {@code out[i] = a[i] (op) b[i]} over an
 * {@code IterPlan}. Semantics (broadcasting, promotion, autograd) live in {@code internal.ops.Binary};
 * a kernel only computes in the compute dtype it is given. Adding a constant breaks compilation in
 * every backend's exhaustive switch, on purpose.
 */
public enum BinaryKernel {
    /** {@code a + alpha * b}. */
    ADD,
    /** {@code a - alpha * b}. */
    SUB,
    MUL,
    /** True division (floating compute types only). */
    DIV,
    /** {@code floor(a / b)} (Python's {@code //}); integer division by zero is an error. */
    FLOOR_DIV,
    /** {@code a - floor(a / b) * b}: the result has the divisor's sign (Python's {@code %}). */
    REMAINDER,
    POW,
    /** Elementwise max; NaN propagates. */
    MAXIMUM,
    /** Elementwise min; NaN propagates. */
    MINIMUM,
    ATAN2,
    /**
     * ReLU's backward, PyTorch's {@code threshold_backward(grad, result, 0)}: {@code b <= 0 ? 0 : a}
     * ({@code a} the incoming gradient, {@code b} the saved output; a NaN {@code b} passes {@code a}).
     */
    THRESHOLD_BACKWARD,
    EQ, NE, LT, LE, GT, GE,
    /** Truthiness of both operands (nonzero), BOOL result. */
    LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR;

    /** True for the kernels whose result is BOOL whatever the compute type. */
    public boolean isPredicate() { return ordinal() >= EQ.ordinal(); }
}
