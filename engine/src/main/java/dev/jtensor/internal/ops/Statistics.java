package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.ReduceKernel;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.plan.ReducePlan;
import dev.jtensor.internal.Tensors;
import java.util.List;

/**
 * {@code var std norm logsumexp}: reductions computed in double by one kernel each (two passes for the
 * variance: mean, then squared deviations; a running max for logsumexp), with backward rules in tensor
 * ops. Floating inputs only
 * (logsumexp converts integer inputs to the default float type, as PyTorch 2).
 */
public final class Statistics {
    private Statistics() {}

    /**
     * {@code sum (x - mean)^2 / (N - correction)} over {@code dims} (all if empty); PyTorch's default
     * correction is 1 (Bessel). Backward (VarBackward0): {@code g * 2 (x - mean) / (N - correction)}.
     */
    public static Tensor var(Tensor x, int[] dims, double correction, boolean keepdim) {
        Reduce.Result r = variance(x, dims, correction, keepdim, "var");
        if (!Autograd.needsGrad(x)) return r.values();
        double scale = 2 / Math.max(r.innerCount() - correction, 0);
        return Autograd.record("VarBackward0", r.values(), List.of(x), List.of(x),
                (g, s) -> List.of(Reduce.kept(g, r.keptShape()).mul(centered(s.get(0), dims)).mul(scale)));
    }

    /**
     * {@code sqrt(var)}; backward (StdBackward0): {@code g * (x - mean) / ((N - correction) * std)}.
     */
    public static Tensor std(Tensor x, int[] dims, double correction, boolean keepdim) {
        Reduce.Result r = variance(x, dims, correction, keepdim, "std");
        Tensor out = r.values();
        sqrtInPlace(out);
        if (!Autograd.needsGrad(x)) return out;
        double dof = Math.max(r.innerCount() - correction, 0);
        return Autograd.record("StdBackward0", out, List.of(x), List.of(x, out),
                (g, s) -> List.of(Reduce.kept(g, r.keptShape()).mul(centered(s.get(0), dims)).div(Reduce.kept(s.get(1), r.keptShape()).mul(dof))));
    }

    private static Reduce.Result variance(Tensor x, int[] dims, double correction, boolean keepdim, String op) {
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException(op + "(): std and var only support floating point and complex dtypes, got "
                    + x.dtype());
        }
        return Reduce.run(ReduceKernel.VAR, correction, x, Reduce.flags(x, dims, op), keepdim, x.dtype(), false);
    }

    /** {@code x - mean(x, dims, keepdim=true)}. */
    private static Tensor centered(Tensor x, int[] dims) { return x.sub(Reduce.mean(x, dims, true)); }

    /** {@code t = sqrt(t)} in place, outside the tape (t is a fresh result). */
    private static void sqrtInPlace(Tensor t) {
        Elementwise.unary("std", UnaryKernel.SQRT, 0, 0, 0, t, t, t.dtype(), t.dtype());
    }

    /**
     * The vector p-norm {@code (sum |x|^p)^(1/p)} over {@code dims} (all if empty): p = 2 is the Frobenius
     * norm, p = inf the max |x|, p = -inf the min |x|, p = 0 the count of nonzeros. Backward (NormBackward1):
     * p = 1: {@code g sign(x)}; p = 2: {@code g x / norm} (0 where norm is 0); p = +-inf: g shared evenly
     * among the elements with |x| = norm, times sign(x); other p: {@code g x |x|^(p-2) / norm^(p-1)}.
     */
    public static Tensor norm(Tensor x, double p, int[] dims, boolean keepdim) {
        Reduce.requireFloating("norm", x);
        if (Double.isNaN(p)) throw new IllegalArgumentException("norm(): p must not be NaN");
        Reduce.Result r = Reduce.run(ReduceKernel.NORM, p, x, Reduce.flags(x, dims, "norm"), keepdim, x.dtype(), false);
        if (!Autograd.needsGrad(x)) return r.values();
        int[] all = Extremes.allFlagged(ReducePlan.flags(dims, x.dim(), "norm"));
        return Autograd.record("NormBackward1", r.values(), List.of(x), List.of(x, r.values()),
                (g, s) -> List.of(normBackward(Reduce.kept(g, r.keptShape()), s.get(0), Reduce.kept(s.get(1), r.keptShape()), p, all)));
    }

    /** p given by name: {@code "fro"} is 2, {@code "inf"}/{@code "-inf"} the infinities, else a number; {@code "nuc"} is unsupported. */
    public static double normOrder(String p) {
        return switch (p) {
            case "fro" -> 2;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nuc" -> throw new UnsupportedOperationException("norm(): the nuclear norm needs singular values; use linalg");
            default -> {
                try {
                    yield Double.parseDouble(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("norm(): unknown p '" + p + "' (expected a number, inf, -inf or fro)");
                }
            }
        };
    }

    private static Tensor normBackward(Tensor g, Tensor x, Tensor norm, double p, int[] dims) {
        if (p == 0) return Creation.full(Tensors.layout(x).shape(), 0, x.dtype(), x.device());
        if (p == 1) return g.mul(x.sign());
        if (Double.isInfinite(p)) {
            Tensor mask = x.detach().abs().eq(norm.detach()).to(x.dtype());
            Tensor share = mask.div(Reduce.sum(mask, dims, true));
            return g.mul(x.sign()).mul(share);
        }
        Tensor zero = norm.eq(0.0);
        Tensor scaled = p == 2
                ? g.mul(x).div(norm)
                : g.mul(x).mul(x.abs().pow(p - 2)).div(norm.pow(p - 1));
        return Indexing.maskedFill(scaled, zero.expand(Tensors.layout(scaled).shape()), 0);
    }

    /**
     * {@code log sum exp x} over {@code dims} (all if empty), stable for large |x|. Integer inputs are
     * converted to float32 first. Backward (LogsumexpBackward0): {@code g * exp(x - result)}.
     */
    public static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) x = x.to(DType.defaultFloat());
        Reduce.Result r = Reduce.run(ReduceKernel.LOGSUMEXP, 0, x, Reduce.flags(x, dims, "logsumexp"), keepdim, x.dtype(), false);
        if (!Autograd.needsGrad(x)) return r.values();
        return Autograd.record("LogsumexpBackward0", r.values(), List.of(x), List.of(x, r.values()),
                (g, s) -> List.of(Reduce.kept(g, r.keptShape()).mul(s.get(0).sub(Reduce.kept(s.get(1), r.keptShape())).exp())));
    }
}
