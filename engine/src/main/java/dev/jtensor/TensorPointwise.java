package dev.jtensor;

import dev.jtensor.backend.Storage;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.Fill;
import dev.jtensor.internal.ops.Pointwise;

/**
 * Unary elementwise math and element writes (one-line delegates to {@code internal.ops.Pointwise} and
 * {@code Fill}). Transcendental ops give integer inputs the default float type; {@code op_} forms modify
 * this tensor in place (through views) and return it.
 */
abstract class TensorPointwise extends TensorViews {
    TensorPointwise(Storage s, DType d, Layout l, Device dev, boolean owns) {
        super(s, d, l, dev, owns);
    }

    /** {@code -x} elementwise (a new tensor). */
    public Tensor neg() { return Pointwise.apply(UnaryKernel.NEG, self(), null); }

    /** In-place {@code neg}; returns this. */
    public Tensor neg_() { return Pointwise.apply_(UnaryKernel.NEG, self()); }

    /** {@code |x|} elementwise (a new tensor). */
    public Tensor abs() { return Pointwise.apply(UnaryKernel.ABS, self(), null); }

    /** In-place {@code abs}; returns this. */
    public Tensor abs_() { return Pointwise.apply_(UnaryKernel.ABS, self()); }

    /** {@code sign(x)} (-1, 0 or 1} elementwise (a new tensor). */
    public Tensor sign() { return Pointwise.apply(UnaryKernel.SIGN, self(), null); }

    /** In-place {@code sign}; returns this. */
    public Tensor sign_() { return Pointwise.apply_(UnaryKernel.SIGN, self()); }

    /** {@code e^x} elementwise (a new tensor). */
    public Tensor exp() { return Pointwise.apply(UnaryKernel.EXP, self(), null); }

    /** In-place {@code exp}; returns this. */
    public Tensor exp_() { return Pointwise.apply_(UnaryKernel.EXP, self()); }

    /** {@code e^x - 1} elementwise (a new tensor). */
    public Tensor expm1() { return Pointwise.apply(UnaryKernel.EXPM1, self(), null); }

    /** In-place {@code expm1}; returns this. */
    public Tensor expm1_() { return Pointwise.apply_(UnaryKernel.EXPM1, self()); }

    /** {@code ln x} elementwise (a new tensor). */
    public Tensor log() { return Pointwise.apply(UnaryKernel.LOG, self(), null); }

    /** In-place {@code log}; returns this. */
    public Tensor log_() { return Pointwise.apply_(UnaryKernel.LOG, self()); }

    /** {@code ln(1 + x)} elementwise (a new tensor). */
    public Tensor log1p() { return Pointwise.apply(UnaryKernel.LOG1P, self(), null); }

    /** In-place {@code log1p}; returns this. */
    public Tensor log1p_() { return Pointwise.apply_(UnaryKernel.LOG1P, self()); }

    /** {@code log2 x} elementwise (a new tensor). */
    public Tensor log2() { return Pointwise.apply(UnaryKernel.LOG2, self(), null); }

    /** In-place {@code log2}; returns this. */
    public Tensor log2_() { return Pointwise.apply_(UnaryKernel.LOG2, self()); }

    /** {@code sqrt x} elementwise (a new tensor). */
    public Tensor sqrt() { return Pointwise.apply(UnaryKernel.SQRT, self(), null); }

    /** In-place {@code sqrt}; returns this. */
    public Tensor sqrt_() { return Pointwise.apply_(UnaryKernel.SQRT, self()); }

    /** {@code 1 / sqrt x} elementwise (a new tensor). */
    public Tensor rsqrt() { return Pointwise.apply(UnaryKernel.RSQRT, self(), null); }

    /** In-place {@code rsqrt}; returns this. */
    public Tensor rsqrt_() { return Pointwise.apply_(UnaryKernel.RSQRT, self()); }

    /** {@code x^2} elementwise (a new tensor). */
    public Tensor square() { return Pointwise.apply(UnaryKernel.SQUARE, self(), null); }

    /** In-place {@code square}; returns this. */
    public Tensor square_() { return Pointwise.apply_(UnaryKernel.SQUARE, self()); }

    /** {@code 1 / x} elementwise (a new tensor). */
    public Tensor reciprocal() { return Pointwise.apply(UnaryKernel.RECIPROCAL, self(), null); }

    /** In-place {@code reciprocal}; returns this. */
    public Tensor reciprocal_() { return Pointwise.apply_(UnaryKernel.RECIPROCAL, self()); }

    /** {@code sin x} elementwise (a new tensor). */
    public Tensor sin() { return Pointwise.apply(UnaryKernel.SIN, self(), null); }

    /** In-place {@code sin}; returns this. */
    public Tensor sin_() { return Pointwise.apply_(UnaryKernel.SIN, self()); }

    /** {@code cos x} elementwise (a new tensor). */
    public Tensor cos() { return Pointwise.apply(UnaryKernel.COS, self(), null); }

    /** In-place {@code cos}; returns this. */
    public Tensor cos_() { return Pointwise.apply_(UnaryKernel.COS, self()); }

    /** {@code tan x} elementwise (a new tensor). */
    public Tensor tan() { return Pointwise.apply(UnaryKernel.TAN, self(), null); }

    /** In-place {@code tan}; returns this. */
    public Tensor tan_() { return Pointwise.apply_(UnaryKernel.TAN, self()); }

    /** {@code tanh x} elementwise (a new tensor). */
    public Tensor tanh() { return Pointwise.apply(UnaryKernel.TANH, self(), null); }

    /** In-place {@code tanh}; returns this. */
    public Tensor tanh_() { return Pointwise.apply_(UnaryKernel.TANH, self()); }

    /** {@code 1 / (1 + e^-x)} elementwise (a new tensor). */
    public Tensor sigmoid() { return Pointwise.apply(UnaryKernel.SIGMOID, self(), null); }

    /** In-place {@code sigmoid}; returns this. */
    public Tensor sigmoid_() { return Pointwise.apply_(UnaryKernel.SIGMOID, self()); }

    /** {@code max(x, 0)} elementwise (a new tensor). */
    public Tensor relu() { return Pointwise.apply(UnaryKernel.RELU, self(), null); }

    /** In-place {@code relu}; returns this. */
    public Tensor relu_() { return Pointwise.apply_(UnaryKernel.RELU, self()); }

    /** {@code erf x} elementwise (a new tensor). */
    public Tensor erf() { return Pointwise.apply(UnaryKernel.ERF, self(), null); }

    /** In-place {@code erf}; returns this. */
    public Tensor erf_() { return Pointwise.apply_(UnaryKernel.ERF, self()); }

    /** {@code x sigmoid(x)} elementwise (a new tensor). */
    public Tensor silu() { return Pointwise.apply(UnaryKernel.SILU, self(), null); }

    /** In-place {@code silu}; returns this. */
    public Tensor silu_() { return Pointwise.apply_(UnaryKernel.SILU, self()); }

    /** {@code floor x} elementwise (a new tensor). */
    public Tensor floor() { return Pointwise.apply(UnaryKernel.FLOOR, self(), null); }

    /** In-place {@code floor}; returns this. */
    public Tensor floor_() { return Pointwise.apply_(UnaryKernel.FLOOR, self()); }

    /** {@code ceil x} elementwise (a new tensor). */
    public Tensor ceil() { return Pointwise.apply(UnaryKernel.CEIL, self(), null); }

    /** In-place {@code ceil}; returns this. */
    public Tensor ceil_() { return Pointwise.apply_(UnaryKernel.CEIL, self()); }

    /** {@code round x} (half to even, as torch.round} elementwise (a new tensor). */
    public Tensor round() { return Pointwise.apply(UnaryKernel.ROUND, self(), null); }

    /** In-place {@code round}; returns this. */
    public Tensor round_() { return Pointwise.apply_(UnaryKernel.ROUND, self()); }

    /** {@code trunc x} elementwise (a new tensor). */
    public Tensor trunc() { return Pointwise.apply(UnaryKernel.TRUNC, self(), null); }

    /** In-place {@code trunc}; returns this. */
    public Tensor trunc_() { return Pointwise.apply_(UnaryKernel.TRUNC, self()); }

    /** GELU, exact erf form: {@code x Phi(x)}. */
    public Tensor gelu() { return Pointwise.apply(UnaryKernel.GELU, self(), null); }

    /** GELU with {@code approximate} "none" (erf) or "tanh". */
    public Tensor gelu(String approximate) { return Pointwise.apply(Pointwise.geluKernel(approximate), self(), null); }

    /** {@code isnan} as BOOL. */
    public Tensor isnan() { return Pointwise.apply(UnaryKernel.ISNAN, self(), null); }

    /** {@code isinf} as BOOL. */
    public Tensor isinf() { return Pointwise.apply(UnaryKernel.ISINF, self(), null); }

    /** {@code isfinite} as BOOL. */
    public Tensor isfinite() { return Pointwise.apply(UnaryKernel.ISFINITE, self(), null); }

    /** {@code min(max(this, min), max)}; float bounds float integer tensors. */
    public Tensor clamp(double min, double max) { return Pointwise.clamp(self(), min, max, true, null); }

    /** {@code clamp} with integer bounds (keeps an integer dtype). */
    public Tensor clamp(long min, long max) { return Pointwise.clamp(self(), min, max, false, null); }

    /** {@code clamp} with optional bounds (null: none). */
    public Tensor clamp(Double min, Double max) { return Pointwise.clamp(self(), min == null ? Double.NaN : min, max == null ? Double.NaN : max, true, null); }

    /** {@code max(this, min)} ({@code clamp(min=...)}). */
    public Tensor clampMin(double min) { return Pointwise.clamp(self(), min, Double.NaN, true, null); }

    /** {@code min(this, max)} ({@code clamp(max=...)}). */
    public Tensor clampMax(double max) { return Pointwise.clamp(self(), Double.NaN, max, true, null); }

    /** In-place clamp; returns this. */
    public Tensor clamp_(double min, double max) { return Pointwise.clamp_(self(), min, max, true); }

    /** In-place clamp with optional bounds; returns this. */
    public Tensor clamp_(Double min, Double max) { return Pointwise.clamp_(self(), min == null ? Double.NaN : min, max == null ? Double.NaN : max, true); }

    /** In-place clampMin; returns this. */
    public Tensor clampMin_(double min) { return Pointwise.clamp_(self(), min, Double.NaN, true); }

    /** In-place clampMax; returns this. */
    public Tensor clampMax_(double max) { return Pointwise.clamp_(self(), Double.NaN, max, true); }

    /** NaN to 0, infinities to the dtype's extreme finite values. */
    public Tensor nanToNum() { return Pointwise.nanToNum(self(), 0, null, null, null); }

    /** NaN to {@code nan}, +inf to {@code posinf}, -inf to {@code neginf} (null: the dtype's extremes). */
    public Tensor nanToNum(double nan, Double posinf, Double neginf) { return Pointwise.nanToNum(self(), nan, posinf, neginf, null); }

    /** In-place nanToNum; returns this. */
    public Tensor nanToNum_() { return Pointwise.nanToNum_(self(), 0, null, null); }

    /** Sets every element to {@code value} (converted to this dtype); returns this. */
    public Tensor fill_(double value) { return Fill.fill_(self(), value); }

    /**
     * {@code t.uniform_(from, to, generator=g)}: every element drawn from U(from, to) in place (bounds rounded to
     * float32 for a float32 tensor, as PyTorch's kernel); the CPU's mt19937 stream or the device's Philox stream.
     */
    public Tensor uniform_(double from, double to, Generator g) { return Fill.uniform_(self(), from, to, g); }

    /** {@code t.uniform_(from, to)} from the default generator. */
    public Tensor uniform_(double from, double to) { return uniform_(from, to, Generator.defaultGenerator()); }

    /** {@code t.normal_(mean, std, generator=g)}: every element drawn from N(mean, std^2) in place. */
    public Tensor normal_(double mean, double std, Generator g) { return Fill.normal_(self(), mean, std, g); }

    /** {@code t.normal_(mean, std)} from the default generator. */
    public Tensor normal_(double mean, double std) { return normal_(mean, std, Generator.defaultGenerator()); }

    /** Sets every element to 0; returns this. */
    public Tensor zero_() { return Fill.zero_(self()); }

    /** Copies {@code src} into this (broadcast, converted to this dtype), through views; returns this. */
    public Tensor copy_(Tensor src) { return Fill.copy_(self(), src); }
}
