package dev.jtensor;

import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.Binary;
import dev.jtensor.internal.ops.Comparison;
import dev.jtensor.internal.ops.Pointwise;

/**
 * Elementwise math (one-line delegates to {@code internal.ops}): broadcasting as NumPy, result types as
 * {@code torch.result_type}. Methods without {@code _} return a new tensor; {@code op_} forms modify this
 * tensor in place (through views: the base sees the change) and return it. Java double operands are
 * wrapped numbers: they turn integer tensors into float32 and keep a floating tensor's dtype; long operands
 * keep an integer dtype.
 */
abstract class TensorMath extends TensorPointwise {
    TensorMath(Storage s, DType d, Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    /** {@code this + other}, broadcasting, promoting as {@code torch.result_type}. */
    public Tensor add(Tensor other) { return Binary.add(self(), other, false, 1, null); }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) { return Binary.add(self(), other, false, alpha, null); }

    /** {@code this + value} (a Java double: floats integer tensors, keeps a float tensor's dtype). */
    public Tensor add(double value) { return Binary.add(self(), Binary.wrap(self(), value), true, 1, null); }

    /** {@code this + value} (a Java long: keeps an integer tensor's dtype). */
    public Tensor add(long value) { return Binary.add(self(), Binary.wrap(self(), value), true, 1, null); }

    /** {@code this += other} in place (other broadcast to this shape); returns this. */
    public Tensor add_(Tensor other) { return Binary.add_(self(), other, false, 1); }

    /** {@code this += alpha * other} in place; returns this. */
    public Tensor add_(Tensor other, double alpha) { return Binary.add_(self(), other, false, alpha); }

    /** {@code this += value} in place; returns this. */
    public Tensor add_(double value) { return Binary.add_(self(), Binary.wrap(self(), value), true, 1); }

    /** {@code this += value} in place; returns this. */
    public Tensor add_(long value) { return Binary.add_(self(), Binary.wrap(self(), value), true, 1); }

    /** {@code this - other}, broadcasting, promoting as {@code torch.result_type}. */
    public Tensor sub(Tensor other) { return Binary.sub(self(), other, false, 1, null); }

    /** {@code this - alpha * other}. */
    public Tensor sub(Tensor other, double alpha) { return Binary.sub(self(), other, false, alpha, null); }

    /** {@code this - value} (a Java double: floats integer tensors, keeps a float tensor's dtype). */
    public Tensor sub(double value) { return Binary.sub(self(), Binary.wrap(self(), value), true, 1, null); }

    /** {@code this - value} (a Java long: keeps an integer tensor's dtype). */
    public Tensor sub(long value) { return Binary.sub(self(), Binary.wrap(self(), value), true, 1, null); }

    /** {@code this -= other} in place (other broadcast to this shape); returns this. */
    public Tensor sub_(Tensor other) { return Binary.sub_(self(), other, false, 1); }

    /** {@code this -= alpha * other} in place; returns this. */
    public Tensor sub_(Tensor other, double alpha) { return Binary.sub_(self(), other, false, alpha); }

    /** {@code this -= value} in place; returns this. */
    public Tensor sub_(double value) { return Binary.sub_(self(), Binary.wrap(self(), value), true, 1); }

    /** {@code this -= value} in place; returns this. */
    public Tensor sub_(long value) { return Binary.sub_(self(), Binary.wrap(self(), value), true, 1); }

    /** {@code value - this} ({@code torch.rsub}). */
    public Tensor rsub(double value) { return Binary.rsub(self(), value); }

    /** {@code this * other}, broadcasting. */
    public Tensor mul(Tensor other) { return Binary.mul(self(), other, false, null); }

    /** Scalar form of {@code mul}. */
    public Tensor mul(double value) { return Binary.mul(self(), Binary.wrap(self(), value), true, null); }

    /** Integer-scalar form of {@code mul}. */
    public Tensor mul(long value) { return Binary.mul(self(), Binary.wrap(self(), value), true, null); }

    /** In-place {@code mul}; returns this. */
    public Tensor mul_(Tensor other) { return Binary.mul_(self(), other, false); }

    /** In-place scalar {@code mul}; returns this. */
    public Tensor mul_(double value) { return Binary.mul_(self(), Binary.wrap(self(), value), true); }

    /** In-place integer-scalar {@code mul}; returns this. */
    public Tensor mul_(long value) { return Binary.mul_(self(), Binary.wrap(self(), value), true); }

    /** {@code this / other} (true division: integers give float32; x/0 is inf or nan}, broadcasting. */
    public Tensor div(Tensor other) { return Binary.div(self(), other, false, null); }

    /** Scalar form of {@code div}. */
    public Tensor div(double value) { return Binary.div(self(), Binary.wrap(self(), value), true, null); }

    /** Integer-scalar form of {@code div}. */
    public Tensor div(long value) { return Binary.div(self(), Binary.wrap(self(), value), true, null); }

    /** In-place {@code div}; returns this. */
    public Tensor div_(Tensor other) { return Binary.div_(self(), other, false); }

    /** In-place scalar {@code div}; returns this. */
    public Tensor div_(double value) { return Binary.div_(self(), Binary.wrap(self(), value), true); }

    /** In-place integer-scalar {@code div}; returns this. */
    public Tensor div_(long value) { return Binary.div_(self(), Binary.wrap(self(), value), true); }

    /** {@code floor(this / other)} (Python {@code //}; integer division by zero throws ArithmeticException}, broadcasting. */
    public Tensor floorDiv(Tensor other) { return Binary.floorDiv(self(), other, false, null); }

    /** Scalar form of {@code floorDiv}. */
    public Tensor floorDiv(double value) { return Binary.floorDiv(self(), Binary.wrap(self(), value), true, null); }

    /** Integer-scalar form of {@code floorDiv}. */
    public Tensor floorDiv(long value) { return Binary.floorDiv(self(), Binary.wrap(self(), value), true, null); }

    /** In-place {@code floorDiv}; returns this. */
    public Tensor floorDiv_(Tensor other) { return Binary.floorDiv_(self(), other, false); }

    /** In-place scalar {@code floorDiv}; returns this. */
    public Tensor floorDiv_(double value) { return Binary.floorDiv_(self(), Binary.wrap(self(), value), true); }

    /** In-place integer-scalar {@code floorDiv}; returns this. */
    public Tensor floorDiv_(long value) { return Binary.floorDiv_(self(), Binary.wrap(self(), value), true); }

    /** {@code this mod other} with the divisor's sign (Python {@code %}}, broadcasting. */
    public Tensor remainder(Tensor other) { return Binary.remainder(self(), other, false, null); }

    /** Scalar form of {@code remainder}. */
    public Tensor remainder(double value) { return Binary.remainder(self(), Binary.wrap(self(), value), true, null); }

    /** Integer-scalar form of {@code remainder}. */
    public Tensor remainder(long value) { return Binary.remainder(self(), Binary.wrap(self(), value), true, null); }

    /** In-place {@code remainder}; returns this. */
    public Tensor remainder_(Tensor other) { return Binary.remainder_(self(), other, false); }

    /** In-place scalar {@code remainder}; returns this. */
    public Tensor remainder_(double value) { return Binary.remainder_(self(), Binary.wrap(self(), value), true); }

    /** In-place integer-scalar {@code remainder}; returns this. */
    public Tensor remainder_(long value) { return Binary.remainder_(self(), Binary.wrap(self(), value), true); }

    /** {@code this ^ other}, broadcasting. */
    public Tensor pow(Tensor other) { return Binary.pow(self(), other, false, null); }

    /** Scalar form of {@code pow}. */
    public Tensor pow(double value) { return Binary.pow(self(), Binary.wrap(self(), value), true, null); }

    /** Integer-scalar form of {@code pow}. */
    public Tensor pow(long value) { return Binary.pow(self(), Binary.wrap(self(), value), true, null); }

    /** In-place {@code pow}; returns this. */
    public Tensor pow_(Tensor other) { return Binary.pow_(self(), other, false); }

    /** In-place scalar {@code pow}; returns this. */
    public Tensor pow_(double value) { return Binary.pow_(self(), Binary.wrap(self(), value), true); }

    /** In-place integer-scalar {@code pow}; returns this. */
    public Tensor pow_(long value) { return Binary.pow_(self(), Binary.wrap(self(), value), true); }

    /** {@code atan2(this, other)}, broadcasting. */
    public Tensor atan2(Tensor other) { return Binary.atan2(self(), other, false, null); }

    /** Scalar form of {@code atan2}. */
    public Tensor atan2(double value) { return Binary.atan2(self(), Binary.wrap(self(), value), true, null); }

    /** In-place {@code atan2}; returns this. */
    public Tensor atan2_(Tensor other) { return Binary.atan2_(self(), other, false); }

    /** In-place scalar {@code atan2}; returns this. */
    public Tensor atan2_(double value) { return Binary.atan2_(self(), Binary.wrap(self(), value), true); }

    /** Elementwise max (NaN propagates), {@code torch.maximum}. */
    public Tensor maximum(Tensor other) { return Comparison.maximum(self(), other, null); }

    /** Elementwise min (NaN propagates), {@code torch.minimum}. */
    public Tensor minimum(Tensor other) { return Comparison.minimum(self(), other, null); }

    /** In-place {@code maximum}; returns this. */
    public Tensor maximum_(Tensor other) { return Comparison.maximum_(self(), other); }

    /** In-place {@code minimum}; returns this. */
    public Tensor minimum_(Tensor other) { return Comparison.minimum_(self(), other); }

    /** {@code this eq other} elementwise as BOOL, compared in the promoted type. */
    public Tensor eq(Tensor other) { return Comparison.compare(BinaryKernel.EQ, self(), other, false, null); }

    /** {@code this eq value} as BOOL. */
    public Tensor eq(double value) { return Comparison.compare(BinaryKernel.EQ, self(), Binary.wrap(self(), value), true, null); }

    /** {@code this eq value} as BOOL. */
    public Tensor eq(long value) { return Comparison.compare(BinaryKernel.EQ, self(), Binary.wrap(self(), value), true, null); }

    /** In place: {@code this = (this eq other)} as 1/0 in this dtype; returns this. */
    public Tensor eq_(Tensor other) { return Comparison.compare_(BinaryKernel.EQ, self(), other, false); }

    /** In place: {@code this = (this eq value)}; returns this. */
    public Tensor eq_(double value) { return Comparison.compare_(BinaryKernel.EQ, self(), Binary.wrap(self(), value), true); }

    /** {@code this ne other} elementwise as BOOL, compared in the promoted type. */
    public Tensor ne(Tensor other) { return Comparison.compare(BinaryKernel.NE, self(), other, false, null); }

    /** {@code this ne value} as BOOL. */
    public Tensor ne(double value) { return Comparison.compare(BinaryKernel.NE, self(), Binary.wrap(self(), value), true, null); }

    /** {@code this ne value} as BOOL. */
    public Tensor ne(long value) { return Comparison.compare(BinaryKernel.NE, self(), Binary.wrap(self(), value), true, null); }

    /** In place: {@code this = (this ne other)} as 1/0 in this dtype; returns this. */
    public Tensor ne_(Tensor other) { return Comparison.compare_(BinaryKernel.NE, self(), other, false); }

    /** In place: {@code this = (this ne value)}; returns this. */
    public Tensor ne_(double value) { return Comparison.compare_(BinaryKernel.NE, self(), Binary.wrap(self(), value), true); }

    /** {@code this lt other} elementwise as BOOL, compared in the promoted type. */
    public Tensor lt(Tensor other) { return Comparison.compare(BinaryKernel.LT, self(), other, false, null); }

    /** {@code this lt value} as BOOL. */
    public Tensor lt(double value) { return Comparison.compare(BinaryKernel.LT, self(), Binary.wrap(self(), value), true, null); }

    /** {@code this lt value} as BOOL. */
    public Tensor lt(long value) { return Comparison.compare(BinaryKernel.LT, self(), Binary.wrap(self(), value), true, null); }

    /** In place: {@code this = (this lt other)} as 1/0 in this dtype; returns this. */
    public Tensor lt_(Tensor other) { return Comparison.compare_(BinaryKernel.LT, self(), other, false); }

    /** In place: {@code this = (this lt value)}; returns this. */
    public Tensor lt_(double value) { return Comparison.compare_(BinaryKernel.LT, self(), Binary.wrap(self(), value), true); }

    /** {@code this le other} elementwise as BOOL, compared in the promoted type. */
    public Tensor le(Tensor other) { return Comparison.compare(BinaryKernel.LE, self(), other, false, null); }

    /** {@code this le value} as BOOL. */
    public Tensor le(double value) { return Comparison.compare(BinaryKernel.LE, self(), Binary.wrap(self(), value), true, null); }

    /** {@code this le value} as BOOL. */
    public Tensor le(long value) { return Comparison.compare(BinaryKernel.LE, self(), Binary.wrap(self(), value), true, null); }

    /** In place: {@code this = (this le other)} as 1/0 in this dtype; returns this. */
    public Tensor le_(Tensor other) { return Comparison.compare_(BinaryKernel.LE, self(), other, false); }

    /** In place: {@code this = (this le value)}; returns this. */
    public Tensor le_(double value) { return Comparison.compare_(BinaryKernel.LE, self(), Binary.wrap(self(), value), true); }

    /** {@code this gt other} elementwise as BOOL, compared in the promoted type. */
    public Tensor gt(Tensor other) { return Comparison.compare(BinaryKernel.GT, self(), other, false, null); }

    /** {@code this gt value} as BOOL. */
    public Tensor gt(double value) { return Comparison.compare(BinaryKernel.GT, self(), Binary.wrap(self(), value), true, null); }

    /** {@code this gt value} as BOOL. */
    public Tensor gt(long value) { return Comparison.compare(BinaryKernel.GT, self(), Binary.wrap(self(), value), true, null); }

    /** In place: {@code this = (this gt other)} as 1/0 in this dtype; returns this. */
    public Tensor gt_(Tensor other) { return Comparison.compare_(BinaryKernel.GT, self(), other, false); }

    /** In place: {@code this = (this gt value)}; returns this. */
    public Tensor gt_(double value) { return Comparison.compare_(BinaryKernel.GT, self(), Binary.wrap(self(), value), true); }

    /** {@code this ge other} elementwise as BOOL, compared in the promoted type. */
    public Tensor ge(Tensor other) { return Comparison.compare(BinaryKernel.GE, self(), other, false, null); }

    /** {@code this ge value} as BOOL. */
    public Tensor ge(double value) { return Comparison.compare(BinaryKernel.GE, self(), Binary.wrap(self(), value), true, null); }

    /** {@code this ge value} as BOOL. */
    public Tensor ge(long value) { return Comparison.compare(BinaryKernel.GE, self(), Binary.wrap(self(), value), true, null); }

    /** In place: {@code this = (this ge other)} as 1/0 in this dtype; returns this. */
    public Tensor ge_(Tensor other) { return Comparison.compare_(BinaryKernel.GE, self(), other, false); }

    /** In place: {@code this = (this ge value)}; returns this. */
    public Tensor ge_(double value) { return Comparison.compare_(BinaryKernel.GE, self(), Binary.wrap(self(), value), true); }

    /** {@code logicalAnd}: truthiness (nonzero) of both, as BOOL. */
    public Tensor logicalAnd(Tensor other) { return Comparison.logical(BinaryKernel.LOGICAL_AND, self(), other, null); }

    /** In place {@code logicalAnd} stored as 1/0 in this dtype; returns this. */
    public Tensor logicalAnd_(Tensor other) { return Comparison.compare_(BinaryKernel.LOGICAL_AND, self(), other, false); }

    /** {@code logicalOr}: truthiness (nonzero) of both, as BOOL. */
    public Tensor logicalOr(Tensor other) { return Comparison.logical(BinaryKernel.LOGICAL_OR, self(), other, null); }

    /** In place {@code logicalOr} stored as 1/0 in this dtype; returns this. */
    public Tensor logicalOr_(Tensor other) { return Comparison.compare_(BinaryKernel.LOGICAL_OR, self(), other, false); }

    /** {@code logicalXor}: truthiness (nonzero) of both, as BOOL. */
    public Tensor logicalXor(Tensor other) { return Comparison.logical(BinaryKernel.LOGICAL_XOR, self(), other, null); }

    /** In place {@code logicalXor} stored as 1/0 in this dtype; returns this. */
    public Tensor logicalXor_(Tensor other) { return Comparison.compare_(BinaryKernel.LOGICAL_XOR, self(), other, false); }

    /** {@code this == 0} as BOOL. */
    public Tensor logicalNot() { return Pointwise.apply(UnaryKernel.LOGICAL_NOT, self(), null); }

    /** {@code cond ? this : other} ({@code x.where(cond, y)}). */
    public Tensor where(Tensor cond, Tensor other) { return Comparison.where(cond, self(), other, false, null); }

    /** {@code cond ? this : value}. */
    public Tensor where(Tensor cond, double value) { return Comparison.where(cond, self(), Binary.wrap(self(), value), true, null); }
}
