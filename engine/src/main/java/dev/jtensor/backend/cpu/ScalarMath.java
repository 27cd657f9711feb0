package dev.jtensor.backend.cpu;

import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.UnaryKernel;

/**
 * The math of every elementwise kernel on one element, in double (floating compute types) and in long
 * (integer and bool compute types). The scalar loops of {@link CpuLoops} apply these; they are the
 * oracle the fast loops are tested against (STYLE G13). Conventions follow PyTorch's CPU kernels and
 * are noted where they differ from Java's {@link Math}.
 */
public final class ScalarMath {
    private ScalarMath() {}

    private static final double LN2 = Math.log(2);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    /** {@code a (op) b} in double; predicates return 1 or 0. */
    public static double binary(BinaryKernel k, double a, double b, double alpha) {
        return switch (k) {
            case ADD -> a + alpha * b;
            case SUB -> a - alpha * b;
            case MUL -> a * b;
            case DIV -> a / b;
            case FLOOR_DIV -> floorDivide(a, b);
            case REMAINDER -> remainder(a, b);
            case POW -> Math.pow(a, b);
            case MAXIMUM -> a != a || b != b ? Double.NaN : Math.max(a, b);
            case MINIMUM -> a != a || b != b ? Double.NaN : Math.min(a, b);
            case ATAN2 -> Math.atan2(a, b);
            case THRESHOLD_BACKWARD -> b <= 0 ? 0 : a;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0) ? 1 : 0;
        };
    }

    /** {@code a (op) b} in long, wrapping as C integer arithmetic does. */
    public static long binaryLong(BinaryKernel k, long a, long b, long alpha) {
        return switch (k) {
            case ADD -> a + alpha * b;
            case SUB -> a - alpha * b;
            case MUL -> a * b;
            case DIV -> throw new UnsupportedOperationException("integer true division has a floating result");
            case FLOOR_DIV -> { checkNonZero(b, "floorDiv"); yield Math.floorDiv(a, b); }
            case REMAINDER -> { checkNonZero(b, "remainder"); yield Math.floorMod(a, b); }
            case POW -> powLong(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case ATAN2 -> throw new UnsupportedOperationException("atan2 has a floating result");
            case THRESHOLD_BACKWARD -> b <= 0 ? 0 : a;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0) ? 1 : 0;
        };
    }

    private static void checkNonZero(long b, String op) {
        // PyTorch raises "ZeroDivisionError" for integer division by zero
        if (b == 0) throw new ArithmeticException(op + ": ZeroDivisionError (integer division by zero)");
    }

    /** Integer power by squaring; negative exponents give 0 except for bases 1 and -1 (as PyTorch). */
    static long powLong(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) == 0 ? 1 : -1;
            return 0;
        }
        long result = 1;
        while (exp > 0) {
            if ((exp & 1) != 0) result *= base;
            base *= base;
            exp >>= 1;
        }
        return result;
    }

    /** Python's {@code a // b} for floats, computed as PyTorch's {@code div_floor_floating} (exact near integers). */
    static double floorDivide(double a, double b) {
        if (b == 0) return a / b;
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
        if (div == 0) return Math.copySign(0, a / b);
        double floorDiv = Math.floor(div);
        if (div - floorDiv > 0.5) floorDiv += 1;
        return floorDiv;
    }

    /** Python's {@code a % b}: the result takes the divisor's sign. */
    static double remainder(double a, double b) {
        double mod = a % b;
        if (mod != 0 && (b < 0) != (mod < 0)) mod += b;
        return mod;
    }

    /** {@code f(x)} in double; predicates return 1 or 0. */
    public static double unary(UnaryKernel k, double x, double p0, double p1, double p2) {
        return switch (k) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : 0; // sign(NaN) = 0, as PyTorch's CPU kernel
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case LOG2 -> log2(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TAN -> Math.tan(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> x <= 0 ? 0 : x;  // NaN stays NaN
            case ERF -> erf(x);
            case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case SILU -> x / (1 + Math.exp(-x));
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);  // half to even, as torch.round
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case CLAMP -> clamp(x, p0, p1);
            case NAN_TO_NUM -> x != x ? p0 : x == Double.POSITIVE_INFINITY ? p1 : x == Double.NEGATIVE_INFINITY ? p2 : x;
            case ISNAN -> x != x ? 1 : 0;
            case ISINF -> Double.isInfinite(x) ? 1 : 0;
            case ISFINITE -> Double.isFinite(x) ? 1 : 0;
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case IDENTITY -> x;
            case FILL -> p0;
        };
    }

    /** {@code f(x)} in long for integer and bool compute types; floating-only kernels throw. */
    public static long unaryLong(UnaryKernel k, long x, double p0, double p1) {
        return switch (k) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case SQUARE -> x * x;
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND, TRUNC, NAN_TO_NUM, IDENTITY -> x;
            case CLAMP -> {
                long r = p0 == p0 ? Math.max(x, (long) p0) : x;
                yield p1 == p1 ? Math.min(r, (long) p1) : r;
            }
            case ISNAN, ISINF -> 0;
            case ISFINITE -> 1;
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case FILL -> (long) p0;
            case EXP, EXPM1, LOG, LOG1P, LOG2, SQRT, RSQRT, RECIPROCAL, SIN, COS, TAN, TANH, SIGMOID, ERF, GELU, GELU_TANH, SILU ->
                    throw new UnsupportedOperationException(k + " has a floating result; it is not computed in an integer type");
        };
    }

    /** {@code min(max(x, lo), hi)} where a NaN bound is absent; a NaN x stays NaN (as torch.clamp). */
    static double clamp(double x, double lo, double hi) {
        if (x != x) return x;
        double r = lo == lo ? Math.max(x, lo) : x;
        return hi == hi ? Math.min(r, hi) : r;
    }

    /** log2 exact on powers of two. */
    static double log2(double x) {
        if (x > 0 && x < Double.POSITIVE_INFINITY) {
            int e = Math.getExponent(x);
            if (e >= Double.MIN_EXPONENT && x == Math.scalb(1.0, e)) return e;
        }
        return Math.log(x) / LN2;
    }

    /**
     * The error function to about 1e-15 relative: for |x| &lt;= 3 the all-positive series
     * {@code erf x = 2/sqrt(pi) e^{-x^2} sum 2^n x^{2n+1} / (1*3*...*(2n+1))} (no cancellation); above,
     * {@code 1 - erfc x} with erfc's continued fraction evaluated by Lentz's method.
     */
    public static double erf(double x) {
        if (x != x) return x;
        double ax = Math.abs(x);
        if (ax > 6) return Math.copySign(1, x);
        if (ax <= 3) {
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            return 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
        }
        return Math.copySign(1 - erfcContinuedFraction(ax), x);
    }

    /** erfc(x) for x &gt; 3: {@code e^{-x^2}/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}. */
    private static double erfcContinuedFraction(double x) {
        double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 300; n++) {
            double an = n * 0.5;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
