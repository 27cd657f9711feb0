package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.BackwardRule;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.UnaryKernel;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
import dev.jtensor.internal.layout.Promotion;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What every elementwise op shares, written once (PyTorch's structured {@code out} kernels): the output
 * (fresh, an {@code out} argument checked as PyTorch checks it, or {@code self} for in-place forms),
 * the iteration plan, holding storages for the kernel's duration, Java scalars as 0-d operands, and the
 * in-place protocol (castability, shape, leaf check, version bump, history rebase).
 */
final class Elementwise {
    private Elementwise() {}

    // ---------------- operands ----------------

    /** A 0-d tensor of {@code type} holding {@code v}; wraps heap memory (no storage allocation is counted). */
    static Tensor scalar(double v, DType type) { return HostData.scalar(v, type); }

    /** A 0-d tensor of {@code type} holding the integer {@code v} exactly. */
    static Tensor scalar(long v, DType type) { return HostData.scalar(v, type); }

    /** {@code torch.result_type(a, b)} of two tensors (0-d tensors rank below dimensioned ones). */
    static DType resultType(Tensor a, Tensor b) {
        return Promotion.resultType(a.dtype(), Promotion.rankOf(a.dim()), b.dtype(), Promotion.rankOf(b.dim()));
    }

    /** {@code torch.result_type(t, scalar)}: a Java double is the default float type, a long INT64. */
    static DType resultType(Tensor t, boolean floatingScalar) {
        return Promotion.resultType(t.dtype(), Promotion.rankOf(t.dim()), Promotion.scalarType(floatingScalar),
                Promotion.Rank.SCALAR);
    }

    // ---------------- kernels with their output ----------------

    /**
     * Runs {@code out = a (k) b} with broadcasting, computing in {@code compute}; allocates a contiguous
     * output of {@code result} type when {@code out} is null, else writes into {@code out} (checked).
     */
    static Tensor binary(String op, BinaryKernel k, double alpha, Tensor a, Tensor b, Tensor out, DType compute, DType result) {
        Layout la = Tensors.layout(a), lb = Tensors.layout(b);
        DType t = a.dtype();
        if (t == compute && t == result && b.dtype() == t && (t == DType.FLOAT32 || t == DType.FLOAT64) && la.isContiguous()
                && lb.isContiguous() && (out == null || out.dtype() == t && out.isContiguous())) {
            // the trivial cases (tiny ops): no plan when b has a's shape or is one element broadcast over it
            boolean sameShape = Arrays.equals(la.shape(), lb.shape());
            if (sameShape || lb.numel() == 1 && lb.rank() <= la.rank()) {
                long[] shape = la.shape();
                Tensor z = out == null ? Tensors.empty(t, shape.clone(), Dispatch.deviceOf(a, b)) : output(op, out, shape, result, a);
                flat(op, k, alpha, t, z, a, la, b, lb, sameShape ? 1 : 0);
                return z;
            }
        }
        long[] shape = Broadcast.shapes(op, la.shape(), lb.shape());
        Tensor z = output(op, out, shape, result, Dispatch.deviceOf(a, b));
        Layout lz = Tensors.layout(z), ea = la.expand(shape), eb = lb.expand(shape);
        Dispatch.run(op, z, a, b, (backend, bz, ba, bb) -> backend.binary(k, alpha, compute, new Operand(bz, z.dtype(), lz),
                new Operand(ba, a.dtype(), ea), new Operand(bb, b.dtype(), eb)));
        return z;
    }

    private static void flat(String op, BinaryKernel k, double alpha, DType t, Tensor z, Tensor a, Layout la, Tensor b, Layout lb,
                             int bStride) {
        long zo = Tensors.layout(z).offset();
        Dispatch.run(op, z, a, b, (backend, bz, ba, bb) ->
                backend.binaryFlat(k, alpha, t, bz, zo, ba, la.offset(), bb, lb.offset(), bStride, la.numel()));
    }

    /** Runs {@code out = k(x)} computing in {@code compute}; output as in {@link #binary}. */
    static Tensor unary(String op, UnaryKernel k, double p0, double p1, double p2, Tensor x, Tensor out,
                        DType compute, DType result) {
        Layout lx = Tensors.layout(x);
        Tensor z = output(op, out, lx.shape(), result, x);
        DType t = x.dtype();
        if (t == compute && t == result && z.dtype() == t && (t == DType.FLOAT32 || t == DType.FLOAT64) && lx.isContiguous()
                && z.isContiguous()) {
            long zo = Tensors.layout(z).offset();
            Dispatch.run(op, z, x, (backend, bz, bx) -> backend.unaryFlat(k, p0, p1, p2, t, bz, zo, bx, lx.offset(), lx.numel()));
            return z;
        }
        Layout lz = Tensors.layout(z);
        Dispatch.run(op, z, x, (backend, bz, bx) -> backend.unary(k, p0, p1, p2, compute, new Operand(bz, z.dtype(), lz),
                new Operand(bx, x.dtype(), lx)));
        return z;
    }

    /**
     * The output tensor: fresh on {@code operand}'s device when {@code out} is null; else {@code out} after PyTorch's checks (its
     * dtype must be castable from the result type, its shape the broadcast shape).
     */
    static Tensor output(String op, Tensor out, long[] shape, DType result, Tensor operand) {
        return output(op, out, shape, result, operand.device());
    }

    /** {@link #output(String, Tensor, long[], DType, Tensor)} with a fresh output on {@code device}. */
    static Tensor output(String op, Tensor out, long[] shape, DType result, Device device) {
        if (out == null) return Tensors.empty(result, shape.clone(), device);
        Promotion.checkCast(result, out.dtype());
        Tensors.resizeOutIfEmpty(out, shape);
        long[] have = Tensors.layout(out).shape();
        if (!Arrays.equals(have, shape)) {
            // PyTorch resizes an out holding elements with a deprecation warning; jtensor refuses (empty outs are resized)
            throw new IllegalArgumentException(op + ": out has shape " + Arrays.toString(have) + " but the result has shape "
                    + Arrays.toString(shape) + "; jtensor resizes only empty out tensors: pass an empty one or one of the result's shape");
        }
        return out;
    }

    /** PyTorch refuses {@code out=} when autograd would have to record. */
    static void checkOutNoGrad(String op, Tensor out, Tensor... inputs) {
        if (!GradMode.isEnabled()) return;
        boolean any = out.requiresGrad();
        for (Tensor t : inputs) any |= t != null && t.requiresGrad();
        if (any) {
            throw new IllegalArgumentException(op + "(): functions with out=... arguments don't support automatic "
                    + "differentiation, but one of the arguments requires grad.");
        }
    }

    // ---------------- in place ----------------

    /**
     * Applies an op in place on {@code self}: checks that its result type casts to self's dtype and its
     * broadcast shape is self's shape, then either runs {@code intoSelf} (no grad needed) or computes
     * {@code functional} on a copy of self (so saved tensors stay valid), writes the result into self and
     * moves self's history to the op's node. Bumps self's version either way.
     */
    static Tensor inPlace(String op, Tensor self, DType result, long[] shape, boolean needsGrad,
                          Function<Tensor, Tensor> functional, Runnable intoSelf) {
        Promotion.checkCast(result, self.dtype());
        long[] have = Tensors.layout(self).shape();
        if (!Arrays.equals(have, shape)) {
            throw new IllegalArgumentException("output with shape " + Arrays.toString(have)
                    + " doesn't match the broadcast shape " + Arrays.toString(shape));
        }
        if (!needsGrad) {
            intoSelf.run();
            Tensors.bumpVersion(self);
            return self;
        }
        checkInPlace(self);
        return writeTracked(self, functional.apply(self.clone()));
    }

    /**
     * The one in-place protocol's last step: {@code x[...] = result} outside the tape, x's version bumped, and
     * x's history moved to {@code result}'s (a view's base gets CopySlices). Returns x.
     */
    static Tensor writeTracked(Tensor x, Tensor result) {
        try (var guard = GradMode.set(false)) {
            copyInto(x, result);
        }
        Tensors.bumpVersion(x);
        Autograd.rebaseHistory(x, result);
        return x;
    }

    /** The in-place protocol's first step: x is open and not a leaf requiring grad (PyTorch's error, word for word). */
    static void checkInPlace(Tensor x) {
        Tensors.checkOpen(x);
        if (x.isLeaf() && x.requiresGrad() && GradMode.isEnabled()) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
        }
    }

    /** {@code dst[...] = src[...]} (src broadcast to dst, converted to dst's dtype); no autograd, no version bump. */
    static void copyInto(Tensor dst, Tensor src) {
        Layout ld = Tensors.layout(dst);
        long[] shape = ld.shape();
        Broadcast.shapes("copy_", shape, Tensors.layout(src).shape());
        Layout ls = Tensors.layout(src).expand(shape);
        Dispatch.run("copy_", dst, src, (backend, bd, bs) -> backend.copy(new Operand(bd, dst.dtype(), ld), new Operand(bs, src.dtype(), ls)));
    }

    /** Records {@code name} on a fresh result unless the op wrote into an {@code out} argument. */
    static Tensor record(String name, Tensor z, Tensor out, List<Tensor> inputs, List<Tensor> toSave, BackwardRule rule) {
        if (out != null || !z.dtype().isFloatingPoint() || !Autograd.needsGrad(inputs)) return z;
        return Autograd.record(name, z, inputs, toSave, rule);
    }

}
