package dev.jtensor;

import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.internal.ops.Binary;
import dev.jtensor.internal.ops.Comparison;
import dev.jtensor.internal.ops.Pointwise;

/**
 * Elementwise math statics of the {@code torch.} namespace (part of {@link Jt}): broadcasting as NumPy,
 * result types as {@code torch.result_type}. A trailing {@code Tensor out} argument is PyTorch's
 * {@code out=}: the result is written into it (nothing is allocated) and it is returned; its shape
 * must be the result's and the result type must cast to its dtype.
 */
abstract class JtMath extends JtCreation {
    JtMath() {}

    /** {@code torch.add(a, b)}. */
    public static Tensor add(Tensor a, Tensor b) { return Binary.add(a, b, false, 1, null); }

    /** {@code torch.add(a, b, alpha=alpha)}. */
    public static Tensor add(Tensor a, Tensor b, double alpha) { return Binary.add(a, b, false, alpha, null); }

    /** {@code torch.add(a, b, out=out)}: writes into {@code out} (allocates nothing); returns out. */
    public static Tensor add(Tensor a, Tensor b, Tensor out) { return Binary.add(a, b, false, 1, out); }

    /** {@code torch.add(a, b, alpha=alpha, out=out)}. */
    public static Tensor add(Tensor a, Tensor b, double alpha, Tensor out) { return Binary.add(a, b, false, alpha, out); }

    /** {@code torch.add(a, value)}. */
    public static Tensor add(Tensor a, double value) { return Binary.add(a, Binary.wrap(a, value), true, 1, null); }

    /** {@code torch.add(a, value, out=out)}. */
    public static Tensor add(Tensor a, double value, Tensor out) { return Binary.add(a, Binary.wrap(a, value), true, 1, out); }

    /** {@code torch.sub(a, b)}. */
    public static Tensor sub(Tensor a, Tensor b) { return Binary.sub(a, b, false, 1, null); }

    /** {@code torch.sub(a, b, alpha=alpha)}. */
    public static Tensor sub(Tensor a, Tensor b, double alpha) { return Binary.sub(a, b, false, alpha, null); }

    /** {@code torch.sub(a, b, out=out)}: writes into {@code out} (allocates nothing); returns out. */
    public static Tensor sub(Tensor a, Tensor b, Tensor out) { return Binary.sub(a, b, false, 1, out); }

    /** {@code torch.sub(a, b, alpha=alpha, out=out)}. */
    public static Tensor sub(Tensor a, Tensor b, double alpha, Tensor out) { return Binary.sub(a, b, false, alpha, out); }

    /** {@code torch.sub(a, value)}. */
    public static Tensor sub(Tensor a, double value) { return Binary.sub(a, Binary.wrap(a, value), true, 1, null); }

    /** {@code torch.sub(a, value, out=out)}. */
    public static Tensor sub(Tensor a, double value, Tensor out) { return Binary.sub(a, Binary.wrap(a, value), true, 1, out); }

    /** {@code torch.rsub(a, value)}: {@code value - a}. */
    public static Tensor rsub(Tensor a, double value) { return Binary.rsub(a, value); }

    /** {@code mul(a, b)} with broadcasting. */
    public static Tensor mul(Tensor a, Tensor b) { return Binary.mul(a, b, false, null); }

    /** {@code mul(a, b, out=out)}: writes into {@code out}; returns out. */
    public static Tensor mul(Tensor a, Tensor b, Tensor out) { return Binary.mul(a, b, false, out); }

    /** {@code mul(a, value)}. */
    public static Tensor mul(Tensor a, double value) { return Binary.mul(a, Binary.wrap(a, value), true, null); }

    /** {@code mul(a, value, out=out)}. */
    public static Tensor mul(Tensor a, double value, Tensor out) { return Binary.mul(a, Binary.wrap(a, value), true, out); }

    /** {@code div(a, b)} with broadcasting. */
    public static Tensor div(Tensor a, Tensor b) { return Binary.div(a, b, false, null); }

    /** {@code div(a, b, out=out)}: writes into {@code out}; returns out. */
    public static Tensor div(Tensor a, Tensor b, Tensor out) { return Binary.div(a, b, false, out); }

    /** {@code div(a, value)}. */
    public static Tensor div(Tensor a, double value) { return Binary.div(a, Binary.wrap(a, value), true, null); }

    /** {@code div(a, value, out=out)}. */
    public static Tensor div(Tensor a, double value, Tensor out) { return Binary.div(a, Binary.wrap(a, value), true, out); }

    /** {@code floorDiv(a, b)} with broadcasting. */
    public static Tensor floorDiv(Tensor a, Tensor b) { return Binary.floorDiv(a, b, false, null); }

    /** {@code floorDiv(a, b, out=out)}: writes into {@code out}; returns out. */
    public static Tensor floorDiv(Tensor a, Tensor b, Tensor out) { return Binary.floorDiv(a, b, false, out); }

    /** {@code floorDiv(a, value)}. */
    public static Tensor floorDiv(Tensor a, double value) { return Binary.floorDiv(a, Binary.wrap(a, value), true, null); }

    /** {@code floorDiv(a, value, out=out)}. */
    public static Tensor floorDiv(Tensor a, double value, Tensor out) { return Binary.floorDiv(a, Binary.wrap(a, value), true, out); }

    /** {@code remainder(a, b)} with broadcasting. */
    public static Tensor remainder(Tensor a, Tensor b) { return Binary.remainder(a, b, false, null); }

    /** {@code remainder(a, b, out=out)}: writes into {@code out}; returns out. */
    public static Tensor remainder(Tensor a, Tensor b, Tensor out) { return Binary.remainder(a, b, false, out); }

    /** {@code remainder(a, value)}. */
    public static Tensor remainder(Tensor a, double value) { return Binary.remainder(a, Binary.wrap(a, value), true, null); }

    /** {@code remainder(a, value, out=out)}. */
    public static Tensor remainder(Tensor a, double value, Tensor out) { return Binary.remainder(a, Binary.wrap(a, value), true, out); }

    /** {@code pow(a, b)} with broadcasting. */
    public static Tensor pow(Tensor a, Tensor b) { return Binary.pow(a, b, false, null); }

    /** {@code pow(a, b, out=out)}: writes into {@code out}; returns out. */
    public static Tensor pow(Tensor a, Tensor b, Tensor out) { return Binary.pow(a, b, false, out); }

    /** {@code pow(a, value)}. */
    public static Tensor pow(Tensor a, double value) { return Binary.pow(a, Binary.wrap(a, value), true, null); }

    /** {@code pow(a, value, out=out)}. */
    public static Tensor pow(Tensor a, double value, Tensor out) { return Binary.pow(a, Binary.wrap(a, value), true, out); }

    /** {@code atan2(a, b)} with broadcasting. */
    public static Tensor atan2(Tensor a, Tensor b) { return Binary.atan2(a, b, false, null); }

    /** {@code atan2(a, b, out=out)}: writes into {@code out}; returns out. */
    public static Tensor atan2(Tensor a, Tensor b, Tensor out) { return Binary.atan2(a, b, false, out); }

    /** {@code atan2(a, value)}. */
    public static Tensor atan2(Tensor a, double value) { return Binary.atan2(a, Binary.wrap(a, value), true, null); }

    /** {@code atan2(a, value, out=out)}. */
    public static Tensor atan2(Tensor a, double value, Tensor out) { return Binary.atan2(a, Binary.wrap(a, value), true, out); }

    /** {@code torch.pow(base, e)}: a Java base to tensor powers. */
    public static Tensor pow(double base, Tensor e) { return Binary.pow(base, e); }

    /** {@code torch.maximum} (NaN propagates). */
    public static Tensor maximum(Tensor a, Tensor b) { return Comparison.maximum(a, b, null); }

    /** {@code torch.maximum(a, b, out=out)}. */
    public static Tensor maximum(Tensor a, Tensor b, Tensor out) { return Comparison.maximum(a, b, out); }

    /** {@code torch.minimum} (NaN propagates). */
    public static Tensor minimum(Tensor a, Tensor b) { return Comparison.minimum(a, b, null); }

    /** {@code torch.minimum(a, b, out=out)}. */
    public static Tensor minimum(Tensor a, Tensor b, Tensor out) { return Comparison.minimum(a, b, out); }

    /** {@code torch.eq} as BOOL. */
    public static Tensor eq(Tensor a, Tensor b) { return Comparison.compare(BinaryKernel.EQ, a, b, false, null); }

    /** {@code torch.eq(a, b, out=out)}. */
    public static Tensor eq(Tensor a, Tensor b, Tensor out) { return Comparison.compare(BinaryKernel.EQ, a, b, false, out); }

    /** {@code torch.eq(a, value)}. */
    public static Tensor eq(Tensor a, double value) { return Comparison.compare(BinaryKernel.EQ, a, Binary.wrap(a, value), true, null); }

    /** {@code torch.ne} as BOOL. */
    public static Tensor ne(Tensor a, Tensor b) { return Comparison.compare(BinaryKernel.NE, a, b, false, null); }

    /** {@code torch.ne(a, b, out=out)}. */
    public static Tensor ne(Tensor a, Tensor b, Tensor out) { return Comparison.compare(BinaryKernel.NE, a, b, false, out); }

    /** {@code torch.ne(a, value)}. */
    public static Tensor ne(Tensor a, double value) { return Comparison.compare(BinaryKernel.NE, a, Binary.wrap(a, value), true, null); }

    /** {@code torch.lt} as BOOL. */
    public static Tensor lt(Tensor a, Tensor b) { return Comparison.compare(BinaryKernel.LT, a, b, false, null); }

    /** {@code torch.lt(a, b, out=out)}. */
    public static Tensor lt(Tensor a, Tensor b, Tensor out) { return Comparison.compare(BinaryKernel.LT, a, b, false, out); }

    /** {@code torch.lt(a, value)}. */
    public static Tensor lt(Tensor a, double value) { return Comparison.compare(BinaryKernel.LT, a, Binary.wrap(a, value), true, null); }

    /** {@code torch.le} as BOOL. */
    public static Tensor le(Tensor a, Tensor b) { return Comparison.compare(BinaryKernel.LE, a, b, false, null); }

    /** {@code torch.le(a, b, out=out)}. */
    public static Tensor le(Tensor a, Tensor b, Tensor out) { return Comparison.compare(BinaryKernel.LE, a, b, false, out); }

    /** {@code torch.le(a, value)}. */
    public static Tensor le(Tensor a, double value) { return Comparison.compare(BinaryKernel.LE, a, Binary.wrap(a, value), true, null); }

    /** {@code torch.gt} as BOOL. */
    public static Tensor gt(Tensor a, Tensor b) { return Comparison.compare(BinaryKernel.GT, a, b, false, null); }

    /** {@code torch.gt(a, b, out=out)}. */
    public static Tensor gt(Tensor a, Tensor b, Tensor out) { return Comparison.compare(BinaryKernel.GT, a, b, false, out); }

    /** {@code torch.gt(a, value)}. */
    public static Tensor gt(Tensor a, double value) { return Comparison.compare(BinaryKernel.GT, a, Binary.wrap(a, value), true, null); }

    /** {@code torch.ge} as BOOL. */
    public static Tensor ge(Tensor a, Tensor b) { return Comparison.compare(BinaryKernel.GE, a, b, false, null); }

    /** {@code torch.ge(a, b, out=out)}. */
    public static Tensor ge(Tensor a, Tensor b, Tensor out) { return Comparison.compare(BinaryKernel.GE, a, b, false, out); }

    /** {@code torch.ge(a, value)}. */
    public static Tensor ge(Tensor a, double value) { return Comparison.compare(BinaryKernel.GE, a, Binary.wrap(a, value), true, null); }

    /** {@code torch.logicalAnd} as BOOL. */
    public static Tensor logicalAnd(Tensor a, Tensor b) { return Comparison.logical(BinaryKernel.LOGICAL_AND, a, b, null); }

    /** {@code logicalAnd(a, b, out=out)}. */
    public static Tensor logicalAnd(Tensor a, Tensor b, Tensor out) { return Comparison.logical(BinaryKernel.LOGICAL_AND, a, b, out); }

    /** {@code torch.logicalOr} as BOOL. */
    public static Tensor logicalOr(Tensor a, Tensor b) { return Comparison.logical(BinaryKernel.LOGICAL_OR, a, b, null); }

    /** {@code logicalOr(a, b, out=out)}. */
    public static Tensor logicalOr(Tensor a, Tensor b, Tensor out) { return Comparison.logical(BinaryKernel.LOGICAL_OR, a, b, out); }

    /** {@code torch.logicalXor} as BOOL. */
    public static Tensor logicalXor(Tensor a, Tensor b) { return Comparison.logical(BinaryKernel.LOGICAL_XOR, a, b, null); }

    /** {@code logicalXor(a, b, out=out)}. */
    public static Tensor logicalXor(Tensor a, Tensor b, Tensor out) { return Comparison.logical(BinaryKernel.LOGICAL_XOR, a, b, out); }

    /** {@code torch.logical_not} as BOOL. */
    public static Tensor logicalNot(Tensor x) { return Pointwise.apply(UnaryKernel.LOGICAL_NOT, x, null); }

    /** {@code logical_not(x, out=out)}. */
    public static Tensor logicalNot(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.LOGICAL_NOT, x, out); }

    /** {@code torch.where(cond, a, b)}: {@code cond ? a : b}, the three broadcast together. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Comparison.where(cond, a, b, false, null); }

    /** {@code torch.where(cond, a, value)}. */
    public static Tensor where(Tensor cond, Tensor a, double value) { return Comparison.where(cond, a, Binary.wrap(a, value), true, null); }

    /** {@code torch.where(cond, a, b, out=out)}. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b, Tensor out) { return Comparison.where(cond, a, b, false, out); }

    /** {@code torch.neg(x)}. */
    public static Tensor neg(Tensor x) { return Pointwise.apply(UnaryKernel.NEG, x, null); }

    /** {@code torch.neg(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor neg(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.NEG, x, out); }

    /** {@code torch.abs(x)}. */
    public static Tensor abs(Tensor x) { return Pointwise.apply(UnaryKernel.ABS, x, null); }

    /** {@code torch.abs(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor abs(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.ABS, x, out); }

    /** {@code torch.sign(x)}. */
    public static Tensor sign(Tensor x) { return Pointwise.apply(UnaryKernel.SIGN, x, null); }

    /** {@code torch.sign(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor sign(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.SIGN, x, out); }

    /** {@code torch.exp(x)}. */
    public static Tensor exp(Tensor x) { return Pointwise.apply(UnaryKernel.EXP, x, null); }

    /** {@code torch.exp(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor exp(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.EXP, x, out); }

    /** {@code torch.expm1(x)}. */
    public static Tensor expm1(Tensor x) { return Pointwise.apply(UnaryKernel.EXPM1, x, null); }

    /** {@code torch.expm1(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor expm1(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.EXPM1, x, out); }

    /** {@code torch.log(x)}. */
    public static Tensor log(Tensor x) { return Pointwise.apply(UnaryKernel.LOG, x, null); }

    /** {@code torch.log(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor log(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.LOG, x, out); }

    /** {@code torch.log1p(x)}. */
    public static Tensor log1p(Tensor x) { return Pointwise.apply(UnaryKernel.LOG1P, x, null); }

    /** {@code torch.log1p(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor log1p(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.LOG1P, x, out); }

    /** {@code torch.log2(x)}. */
    public static Tensor log2(Tensor x) { return Pointwise.apply(UnaryKernel.LOG2, x, null); }

    /** {@code torch.log2(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor log2(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.LOG2, x, out); }

    /** {@code torch.sqrt(x)}. */
    public static Tensor sqrt(Tensor x) { return Pointwise.apply(UnaryKernel.SQRT, x, null); }

    /** {@code torch.sqrt(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor sqrt(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.SQRT, x, out); }

    /** {@code torch.rsqrt(x)}. */
    public static Tensor rsqrt(Tensor x) { return Pointwise.apply(UnaryKernel.RSQRT, x, null); }

    /** {@code torch.rsqrt(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor rsqrt(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.RSQRT, x, out); }

    /** {@code torch.square(x)}. */
    public static Tensor square(Tensor x) { return Pointwise.apply(UnaryKernel.SQUARE, x, null); }

    /** {@code torch.square(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor square(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.SQUARE, x, out); }

    /** {@code torch.reciprocal(x)}. */
    public static Tensor reciprocal(Tensor x) { return Pointwise.apply(UnaryKernel.RECIPROCAL, x, null); }

    /** {@code torch.reciprocal(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor reciprocal(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.RECIPROCAL, x, out); }

    /** {@code torch.sin(x)}. */
    public static Tensor sin(Tensor x) { return Pointwise.apply(UnaryKernel.SIN, x, null); }

    /** {@code torch.sin(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor sin(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.SIN, x, out); }

    /** {@code torch.cos(x)}. */
    public static Tensor cos(Tensor x) { return Pointwise.apply(UnaryKernel.COS, x, null); }

    /** {@code torch.cos(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor cos(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.COS, x, out); }

    /** {@code torch.tan(x)}. */
    public static Tensor tan(Tensor x) { return Pointwise.apply(UnaryKernel.TAN, x, null); }

    /** {@code torch.tan(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor tan(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.TAN, x, out); }

    /** {@code torch.tanh(x)}. */
    public static Tensor tanh(Tensor x) { return Pointwise.apply(UnaryKernel.TANH, x, null); }

    /** {@code torch.tanh(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor tanh(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.TANH, x, out); }

    /** {@code torch.sigmoid(x)}. */
    public static Tensor sigmoid(Tensor x) { return Pointwise.apply(UnaryKernel.SIGMOID, x, null); }

    /** {@code torch.sigmoid(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor sigmoid(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.SIGMOID, x, out); }

    /** {@code torch.relu(x)}. */
    public static Tensor relu(Tensor x) { return Pointwise.apply(UnaryKernel.RELU, x, null); }

    /** {@code torch.relu(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor relu(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.RELU, x, out); }

    /** {@code torch.erf(x)}. */
    public static Tensor erf(Tensor x) { return Pointwise.apply(UnaryKernel.ERF, x, null); }

    /** {@code torch.erf(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor erf(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.ERF, x, out); }

    /** {@code torch.gelu(x)}. */
    public static Tensor gelu(Tensor x) { return Pointwise.apply(UnaryKernel.GELU, x, null); }

    /** {@code torch.gelu(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor gelu(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.GELU, x, out); }

    /** {@code torch.silu(x)}. */
    public static Tensor silu(Tensor x) { return Pointwise.apply(UnaryKernel.SILU, x, null); }

    /** {@code torch.silu(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor silu(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.SILU, x, out); }

    /** {@code torch.floor(x)}. */
    public static Tensor floor(Tensor x) { return Pointwise.apply(UnaryKernel.FLOOR, x, null); }

    /** {@code torch.floor(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor floor(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.FLOOR, x, out); }

    /** {@code torch.ceil(x)}. */
    public static Tensor ceil(Tensor x) { return Pointwise.apply(UnaryKernel.CEIL, x, null); }

    /** {@code torch.ceil(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor ceil(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.CEIL, x, out); }

    /** {@code torch.round(x)}. */
    public static Tensor round(Tensor x) { return Pointwise.apply(UnaryKernel.ROUND, x, null); }

    /** {@code torch.round(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor round(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.ROUND, x, out); }

    /** {@code torch.trunc(x)}. */
    public static Tensor trunc(Tensor x) { return Pointwise.apply(UnaryKernel.TRUNC, x, null); }

    /** {@code torch.trunc(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor trunc(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.TRUNC, x, out); }

    /** {@code torch.isnan(x)}. */
    public static Tensor isnan(Tensor x) { return Pointwise.apply(UnaryKernel.ISNAN, x, null); }

    /** {@code torch.isnan(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor isnan(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.ISNAN, x, out); }

    /** {@code torch.isinf(x)}. */
    public static Tensor isinf(Tensor x) { return Pointwise.apply(UnaryKernel.ISINF, x, null); }

    /** {@code torch.isinf(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor isinf(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.ISINF, x, out); }

    /** {@code torch.isfinite(x)}. */
    public static Tensor isfinite(Tensor x) { return Pointwise.apply(UnaryKernel.ISFINITE, x, null); }

    /** {@code torch.isfinite(x, out=out)}: writes into {@code out}; returns out. */
    public static Tensor isfinite(Tensor x, Tensor out) { return Pointwise.apply(UnaryKernel.ISFINITE, x, out); }

    /** {@code gelu(x, approximate="tanh" or "none")}. */
    public static Tensor gelu(Tensor x, String approximate) { return Pointwise.apply(Pointwise.geluKernel(approximate), x, null); }

    /** {@code torch.clamp(x, min, max)}. */
    public static Tensor clamp(Tensor x, double min, double max) { return Pointwise.clamp(x, min, max, true, null); }

    /** {@code torch.clamp(x, min, max)} with optional bounds (null: none). */
    public static Tensor clamp(Tensor x, Double min, Double max) { return Pointwise.clamp(x, min == null ? Double.NaN : min, max == null ? Double.NaN : max, true, null); }

    /** {@code torch.clamp(x, min, max, out=out)}. */
    public static Tensor clamp(Tensor x, double min, double max, Tensor out) { return Pointwise.clamp(x, min, max, true, out); }

    /** {@code torch.nan_to_num(x)}. */
    public static Tensor nanToNum(Tensor x) { return Pointwise.nanToNum(x, 0, null, null, null); }

    /** {@code torch.nan_to_num(x, nan, posinf, neginf)} (null: the dtype's extremes). */
    public static Tensor nanToNum(Tensor x, double nan, Double posinf, Double neginf) { return Pointwise.nanToNum(x, nan, posinf, neginf, null); }

    // ---------------- the function forms of Tensor methods (JtTensorParityTest) ----------------

    /** {@code this + value} (a Java long: keeps an integer tensor's dtype). */
    public static Tensor add(Tensor x, long value) { return Binary.add(x, Binary.wrap(x, value), true, 1, null); }

    /** {@code clamp} with integer bounds (keeps an integer dtype). */
    public static Tensor clamp(Tensor x, long min, long max) { return Pointwise.clamp(x, min, max, false, null); }

    /** Integer-scalar form of {@code div}. */
    public static Tensor div(Tensor x, long value) { return Binary.div(x, Binary.wrap(x, value), true, null); }

    /** {@code this eq value} as BOOL. */
    public static Tensor eq(Tensor x, long value) { return Comparison.compare(BinaryKernel.EQ, x, Binary.wrap(x, value), true, null); }

    /** Integer-scalar form of {@code floorDiv}. */
    public static Tensor floorDiv(Tensor x, long value) { return Binary.floorDiv(x, Binary.wrap(x, value), true, null); }

    /** {@code this ge value} as BOOL. */
    public static Tensor ge(Tensor x, long value) { return Comparison.compare(BinaryKernel.GE, x, Binary.wrap(x, value), true, null); }

    /** {@code this gt value} as BOOL. */
    public static Tensor gt(Tensor x, long value) { return Comparison.compare(BinaryKernel.GT, x, Binary.wrap(x, value), true, null); }

    /** {@code this le value} as BOOL. */
    public static Tensor le(Tensor x, long value) { return Comparison.compare(BinaryKernel.LE, x, Binary.wrap(x, value), true, null); }

    /** {@code this lt value} as BOOL. */
    public static Tensor lt(Tensor x, long value) { return Comparison.compare(BinaryKernel.LT, x, Binary.wrap(x, value), true, null); }

    /** Integer-scalar form of {@code mul}. */
    public static Tensor mul(Tensor x, long value) { return Binary.mul(x, Binary.wrap(x, value), true, null); }

    /** {@code this ne value} as BOOL. */
    public static Tensor ne(Tensor x, long value) { return Comparison.compare(BinaryKernel.NE, x, Binary.wrap(x, value), true, null); }

    /** Integer-scalar form of {@code remainder}. */
    public static Tensor remainder(Tensor x, long value) { return Binary.remainder(x, Binary.wrap(x, value), true, null); }

    /** {@code this - value} (a Java long: keeps an integer tensor's dtype). */
    public static Tensor sub(Tensor x, long value) { return Binary.sub(x, Binary.wrap(x, value), true, 1, null); }
}
