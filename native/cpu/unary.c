/*
 * jt_cpu_unary_f32/f64 (jtensor_cpu.h): out = f(x) over strided element ranges, computed as the Java loops
 * do (CpuFloatLoops.unary, ScalarMath.unary): float32 is widened to float64, computed, and rounded once.
 * The exactly rounded kernels are the same IEEE operations as Java's, so the same bits; exp, log, tanh
 * (and sigmoid, silu through exp) are polynomials written here in float64 (Java's Math versions are not
 * vectorisable), accurate to about 1 float64 ulp; erf and gelu repeat ScalarMath.erf's iterations in every lane
 * with this exp. Float32 results equal Java's but for rare ties within 1 float32 ulp, float64 results are
 * within a few float64 ulp (the bounds are in the header, asserted by NativeElementwiseTest).
 */
#include "elementwise.h"

static const double LOG2E = 1.4426950408889634;
static const double LN2_HI = 6.93147180369123816490e-01; /* ln 2 to 32 bits: n * LN2_HI is exact for |n| < 2^11 */
static const double LN2_LO = 1.90821492927058770002e-10;
static const double ROUND_MAGIC = 0x1.8p52;               /* adding it rounds |v| < 2^51 to an integer, half to even */

/* rint, half to even (Java's Math.rint), exact: |x| >= 2^52, infinities and NaN are their own. */
JT_INLINE vf64 rint_f64(vf64 x) {
    vf64 ax = abs_f64(x);
    vf64 r = copysign_f64((ax + 0x1p52) - 0x1p52, x);
    return select_f64(ax < 0x1p52, r, x);
}

/* floor, ceil and trunc from rint; every result carries x's sign (Java: ceil(-0.5) = -0.0). */
JT_INLINE vf64 floor_f64(vf64 x) {
    vf64 r = rint_f64(x);
    return copysign_f64(select_f64(r > x, r - 1.0, r), x);
}

JT_INLINE vf64 ceil_f64(vf64 x) {
    vf64 r = rint_f64(x);
    return copysign_f64(select_f64(r < x, r + 1.0, r), x);
}

JT_INLINE vf64 trunc_f64(vf64 x) { return copysign_f64(floor_f64(abs_f64(x)), x); }

JT_INLINE vf64 sqrt_f64(vf64 x) {
    double a[8];
    memcpy(a, &x, sizeof a);
    for (int j = 0; j < 8; j++) a[j] = __builtin_sqrt(a[j]);
    memcpy(&x, a, sizeof a);
    return x;
}

/* 2^n for integer lanes n in [-2044, 2046], as two factors (each a normal double) so that y * f1 * f2 rounds once. */
JT_INLINE vf64 scale_f64(vf64 y, vi64 n) {
    vi64 n1 = n >> 1, n2 = n - n1;
    return y * from_bits_f64((n1 + 1023) << 52) * from_bits_f64((n2 + 1023) << 52);
}

/* e^r - 1 for |r| <= ln2 / 2 + a little: r + r^2 p(r), p Taylor's 1/2! + r/3! + ... + r^12/14! (the rest is below
   1e-17 relative) evaluated by Estrin's scheme (pairs, then r^2, r^4, r^8), which has a quarter of Horner's
   latency: the loop is latency-bound otherwise. */
JT_INLINE vf64 expm1_reduced(vf64 r) {
    vf64 r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    vf64 q0 = 1.0 / 2 + r * (1.0 / 6), q1 = 1.0 / 24 + r * (1.0 / 120), q2 = 1.0 / 720 + r * (1.0 / 5040);
    vf64 q3 = 1.0 / 40320 + r * (1.0 / 362880), q4 = 1.0 / 3628800 + r * (1.0 / 39916800);
    vf64 q5 = 1.0 / 479001600 + r * (1.0 / 6227020800.0);
    vf64 s0 = q0 + r2 * q1, s1 = q2 + r2 * q3, s2 = q4 + r2 * q5;
    vf64 t0 = s0 + r4 * s1, t1 = s2 + r4 * (1.0 / 87178291200.0);
    return r + r2 * (t0 + r8 * t1);
}

/* x = n ln2 + r (Cody-Waite, n = rint(x / ln2)); n returned as integer lanes. */
JT_INLINE vf64 reduce_ln2(vf64 x, vi64 *n) {
    vf64 t = x * LOG2E + ROUND_MAGIC;
    vf64 nd = t - ROUND_MAGIC;
    *n = bits_f64(t) - bits_f64(splat_f64(ROUND_MAGIC));
    return (x - nd * LN2_HI) - nd * LN2_LO;
}

/* e^x: 2^n (1 + expm1(r)); overflow to inf above 709.78, 0 below -745.2 (subnormals rounded once), NaN stays. */
JT_INLINE vf64 exp_f64(vf64 x) {
    vf64 c = select_f64(x > 710.0, splat_f64(710.0), select_f64(x < -746.0, splat_f64(-746.0), x));
    vi64 n;
    vf64 r = reduce_ln2(c, &n);
    vf64 y = scale_f64(1.0 + expm1_reduced(r), n);
    return select_f64(isnan_f64(x), x, y);
}

/* ln x: x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f / (2 + f), ln(1 + f) = 2 atanh s written
   as fdlibm does, f - (f^2/2 - s (f^2/2 + R)), R the atanh series in z = s^2 (|z| < 0.0295) to z^11. */
JT_INLINE vf64 log_f64(vf64 x) {
    vi64 tiny = x < 0x1p-1022;
    vf64 xs = select_f64(tiny, x * 0x1p54, x);
    vi64 b = bits_f64(xs);
    vi64 k = ((b >> 52) & 0x7ff) - 1023 - (tiny & 54);
    vf64 m = from_bits_f64((b & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);
    vi64 big = m > 1.4142135623730951;
    m = select_f64(big, m * 0.5, m);
    k = k - big; /* big is -1 where set */
    vf64 kd = __builtin_convertvector(k, vf64);
    vf64 f = m - 1.0;
    vf64 s = f / (2.0 + f);
    vf64 z = s * s;
    vf64 z2 = z * z, z4 = z2 * z2, z8 = z4 * z4; /* R = z (2/3 + 2/5 z + ... + 2/23 z^10), Estrin's scheme */
    vf64 q0 = 2.0 / 3 + z * (2.0 / 5), q1 = 2.0 / 7 + z * (2.0 / 9), q2 = 2.0 / 11 + z * (2.0 / 13);
    vf64 q3 = 2.0 / 15 + z * (2.0 / 17), q4 = 2.0 / 19 + z * (2.0 / 21);
    vf64 R = z * ((q0 + z2 * q1) + z4 * (q2 + z2 * q3) + z8 * (q4 + z2 * (2.0 / 23)));
    vf64 hfsq = 0.5 * f * f;
    vf64 y = kd * LN2_HI - ((hfsq - (s * (hfsq + R) + kd * LN2_LO)) - f);
    y = select_f64(x == 0.0, splat_f64(-__builtin_inf()), y);
    y = select_f64(x < 0.0, splat_f64(__builtin_nan("")), y);
    y = select_f64(x == __builtin_inf(), x, y);
    return select_f64(isnan_f64(x), x, y);
}

/* tanh x = sign(x) e / (e + 2) with e = expm1(2|x|) (|x| clamped to 20, where tanh is 1 in float64). */
JT_INLINE vf64 tanh_f64(vf64 x) {
    vf64 ax = abs_f64(x);
    vf64 y = 2.0 * select_f64(ax > 20.0, splat_f64(20.0), ax);
    vi64 n;
    vf64 r = reduce_ln2(y, &n);
    vf64 q = expm1_reduced(r);
    vf64 p2n = scale_f64(splat_f64(1.0), n);
    vf64 e = select_f64(n == 0, q, p2n * q + (p2n - 1.0)); /* 2^n (1 + q) - 1; 2^n - 1 is exact for n <= 53 */
    vf64 t = copysign_f64(e / (e + 2.0), x);
    return select_f64(isnan_f64(x), x, t);
}

/* As ScalarMath: 1 / (1 + e^-x) and x / (1 + e^-x). */
JT_INLINE vf64 sigmoid_f64(vf64 x) { return 1.0 / (1.0 + exp_f64(-x)); }
JT_INLINE vf64 silu_f64(vf64 x) { return x / (1.0 + exp_f64(-x)); }

JT_INLINE int any_f64(vi64 m) {
    int64_t a[8];
    memcpy(a, &m, sizeof a);
    return (a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7]) != 0;
}

/* erf as ScalarMath.erf, operation for operation in every lane (the iterations run until every lane has stopped
   where Java's loop stops; a stopped lane keeps its values), with exp_f64 for Math.exp: the series
   2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (1*3*...*(2n+1)) for |x| <= 3, 1 - erfc by Lentz's continued fraction
   for 3 < |x| <= 6, sign(x) above. */
JT_INLINE vf64 erf_f64(vf64 x) {
    const double two_over_sqrt_pi = 2 / __builtin_sqrt(3.141592653589793), sqrt_pi = __builtin_sqrt(3.141592653589793);
    vf64 ax = abs_f64(x), x2 = x * x, term = x, sum = x;
    vi64 small = ax <= 3.0, act = small & (abs_f64(term) > 1e-17 * abs_f64(sum));
    for (int n = 1; n < 200 && any_f64(act); n++) {
        vf64 t = term * ((2.0 * x2) / (double) (2 * n + 1));
        vf64 s = sum + t;
        term = select_f64(act, t, term);
        sum = select_f64(act, s, sum);
        act = act & (abs_f64(term) > 1e-17 * abs_f64(sum));
    }
    vf64 y = select_f64(ax > 6.0, copysign_f64(splat_f64(1.0), x), two_over_sqrt_pi * exp_f64(-x2) * sum);
    vi64 mid = (ax > 3.0) & (ax <= 6.0);
    if (any_f64(mid)) {
        vf64 f = ax, c = ax, d = splat_f64(0.0);
        vi64 on = mid;
        for (int n = 1; n < 300 && any_f64(on); n++) {
            double an = n * 0.5;
            vf64 dn = ax + an * d;
            dn = select_f64(dn == 0.0, splat_f64(1e-300), dn);
            vf64 cn = ax + an / c;
            cn = select_f64(cn == 0.0, splat_f64(1e-300), cn);
            dn = 1.0 / dn;
            vf64 delta = cn * dn;
            f = select_f64(on, f * delta, f);
            d = select_f64(on, dn, d);
            c = select_f64(on, cn, c);
            on = on & ~(abs_f64(delta - 1.0) < 1e-16);
        }
        vf64 erfc = exp_f64(-ax * ax) / sqrt_pi / f;
        y = select_f64(mid, copysign_f64(1.0 - erfc, x), y);
    }
    return select_f64(isnan_f64(x), x, y);
}

/* As ScalarMath: 0.5 x (1 + erf(x / sqrt 2)). */
JT_INLINE vf64 gelu_f64(vf64 x) { return 0.5 * x * (1.0 + erf_f64(x / 1.4142135623730951)); }

/* As ScalarMath.clamp: a NaN x stays NaN, a NaN bound is no bound (has_lo/has_hi), Java's max/min on zeros. */
JT_INLINE vf64 clamp_f64(vf64 x, double lo, double hi, int has_lo, int has_hi) {
    vf64 r = x;
    if (has_lo) r = max_f64(r, splat_f64(lo));
    if (has_hi) r = min_f64(r, splat_f64(hi));
    return select_f64(isnan_f64(x), x, r);
}

#define F_NEG(v) (-(v))
#define F_ABS(v) abs_f64(v)
#define F_SQUARE(v) ((v) * (v))
#define F_RELU(v) select_f64((v) <= 0.0, splat_f64(0.0), (v))
#define F_SQRT(v) sqrt_f64(v)
#define F_RSQRT(v) (1.0 / sqrt_f64(v))
#define F_RECIPROCAL(v) (1.0 / (v))
#define F_FLOOR(v) floor_f64(v)
#define F_CEIL(v) ceil_f64(v)
#define F_TRUNC(v) trunc_f64(v)
#define F_ROUND(v) rint_f64(v)
#define F_CLAMP(v) clamp_f64(v, p0, p1, has_lo, has_hi)
#define F_EXP(v) exp_f64(v)
#define F_LOG(v) log_f64(v)
#define F_SIGMOID(v) sigmoid_f64(v)
#define F_TANH(v) tanh_f64(v)
#define F_SILU(v) silu_f64(v)
#define F_ERF(v) erf_f64(v)
#define F_GELU(v) gelu_f64(v)

/* One loop per kernel (a switch inside would keep gcc from unrolling): 8 lanes per step where both operands
   are contiguous, else (and for the tail) 8 elements gathered into a buffer, computed, and scattered, so every
   element goes through the same lane-wise code. */
#define UNARY_LOOP(T, LOAD, STORE, FN)                                                  \
    do {                                                                                \
        int64_t i = 0;                                                                  \
        if (out_stride == 1 && x_stride == 1) {                                         \
            for (; i + 8 <= n; i += 8) STORE(out + i, FN(LOAD(x + i)));                 \
        }                                                                               \
        for (; i < n; i += 8) {                                                         \
            int64_t m = n - i < 8 ? n - i : 8;                                          \
            double buf[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                   \
            for (int64_t j = 0; j < m; j++) buf[j] = x[(i + j) * x_stride];             \
            vf64 v = load_f64(buf);                                                     \
            store_f64(buf, FN(v));                                                      \
            for (int64_t j = 0; j < m; j++) out[(i + j) * out_stride] = (T) buf[j];     \
        }                                                                               \
    } while (0)

#define UNARY_SWITCH(T, LOAD, STORE)                                                    \
    switch (op) {                                                                       \
        case JT_CPU_NEG: UNARY_LOOP(T, LOAD, STORE, F_NEG); break;                      \
        case JT_CPU_ABS: UNARY_LOOP(T, LOAD, STORE, F_ABS); break;                      \
        case JT_CPU_SQUARE: UNARY_LOOP(T, LOAD, STORE, F_SQUARE); break;                \
        case JT_CPU_RELU: UNARY_LOOP(T, LOAD, STORE, F_RELU); break;                    \
        case JT_CPU_SQRT: UNARY_LOOP(T, LOAD, STORE, F_SQRT); break;                    \
        case JT_CPU_RSQRT: UNARY_LOOP(T, LOAD, STORE, F_RSQRT); break;                  \
        case JT_CPU_RECIPROCAL: UNARY_LOOP(T, LOAD, STORE, F_RECIPROCAL); break;        \
        case JT_CPU_FLOOR: UNARY_LOOP(T, LOAD, STORE, F_FLOOR); break;                  \
        case JT_CPU_CEIL: UNARY_LOOP(T, LOAD, STORE, F_CEIL); break;                    \
        case JT_CPU_TRUNC: UNARY_LOOP(T, LOAD, STORE, F_TRUNC); break;                  \
        case JT_CPU_ROUND: UNARY_LOOP(T, LOAD, STORE, F_ROUND); break;                  \
        case JT_CPU_CLAMP: UNARY_LOOP(T, LOAD, STORE, F_CLAMP); break;                  \
        case JT_CPU_EXP: UNARY_LOOP(T, LOAD, STORE, F_EXP); break;                      \
        case JT_CPU_LOG: UNARY_LOOP(T, LOAD, STORE, F_LOG); break;                      \
        case JT_CPU_SIGMOID: UNARY_LOOP(T, LOAD, STORE, F_SIGMOID); break;              \
        case JT_CPU_TANH: UNARY_LOOP(T, LOAD, STORE, F_TANH); break;                    \
        case JT_CPU_SILU: UNARY_LOOP(T, LOAD, STORE, F_SILU); break;                    \
        case JT_CPU_ERF: UNARY_LOOP(T, LOAD, STORE, F_ERF); break;                      \
        case JT_CPU_GELU: UNARY_LOOP(T, LOAD, STORE, F_GELU); break;                    \
        default: break;                                                                 \
    }

JT_CLONES void jt_cpu_unary_f32(int32_t op, double p0, double p1, float *out, int64_t out_stride, const float *x,
                                int64_t x_stride, int64_t from, int64_t n) {
    int has_lo = p0 == p0, has_hi = p1 == p1;
    out += from * out_stride;
    x += from * x_stride;
    UNARY_SWITCH(float, widen_f32, narrow_f32)
}

JT_CLONES void jt_cpu_unary_f64(int32_t op, double p0, double p1, double *out, int64_t out_stride, const double *x,
                                int64_t x_stride, int64_t from, int64_t n) {
    int has_lo = p0 == p0, has_hi = p1 == p1;
    out += from * out_stride;
    x += from * x_stride;
    UNARY_SWITCH(double, load_f64, store_f64)
}
