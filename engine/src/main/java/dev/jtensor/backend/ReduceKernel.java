package dev.jtensor.backend;

/**
 * The reduction kernels a backend implements. Each folds the elements of one reduction group (see
 * {@code ReducePlan}) into one output element; the op layer ({@code internal.ops.Reduce}) chooses
 * output dtypes, checks arguments, and writes composites (mean, std, softmax) in tensor ops.
 * Backends dispatch with a {@code switch} expression without {@code default}, so a new kernel fails to
 * compile until every backend handles it.
 */
public enum ReduceKernel {
    /** {@code scale * sum x} (scale is the parameter: 1 for sum, 1/n for mean); 0 for an empty group. Integer inputs accumulate exactly in int64 (scale ignored). */
    SUM,
    /** {@code prod x}; 1 for an empty group. */
    PROD,
    /** Largest element, NaN if any is NaN. */
    AMAX,
    /** Smallest element, NaN if any is NaN. */
    AMIN,
    /** Largest element and the index (within the group, row-major) of its first occurrence (of the first NaN). */
    MAX,
    /** Smallest element and the index of its first occurrence. */
    MIN,
    /** True if every element is nonzero; true for an empty group. */
    ALL,
    /** True if any element is nonzero. */
    ANY,
    /** {@code (sum |x|^p)^(1/p)}; p = +inf: max |x|; p = -inf: min |x|; p = 0: count of nonzeros. */
    NORM,
    /** {@code sum (x - mean)^2 / (n - correction)} in two passes (mean, then squared deviations); the parameter is the correction. */
    VAR,
    /** {@code log sum exp x}, computed as {@code m + log sum exp(x - m)} with {@code m} the running max. */
    LOGSUMEXP
}
