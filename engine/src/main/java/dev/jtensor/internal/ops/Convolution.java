package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.Saved;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.internal.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.conv2d} with zero padding as one op (issue 22): im2col + GEMM, batched over groups, with
 * {@code ConvolutionBackward0} recomputing the columns instead of keeping them. The batch runs in chunks of
 * samples whose columns fit {@link #COLUMN_BYTES}, through one reused column buffer, so a convolution holds at
 * most that much beside its input and output whatever the batch (forward and backward), and autograd saves only
 * the input and the weight, as PyTorch does. A 1x1 convolution with stride 1 and no padding is a GEMM on the
 * input itself. The columns' products are split over the intra-op pool by {@code Backend.gemm}: whole samples
 * when a chunk holds several, else blocks of each product.
 */
public final class Convolution {
    private Convolution() {}

    /** The column buffer's default budget per convolution (32 MiB); at least one sample's columns are always used. */
    static final long COLUMN_BYTES = 32L << 20;

    private static volatile long columnBytes = COLUMN_BYTES;

    /** Sets the column budget (tests: several chunks on small inputs); returns the previous one. */
    static long setColumnBytes(long bytes) {
        long old = columnBytes;
        columnBytes = Math.max(1, bytes);
        return old;
    }

    /** One convolution's sizes: input {@code [n, c, h, w]}, {@code o} output channels, {@code groups}, the windows of one sample. */
    private record Geometry(long n, long c, long o, int groups, WindowShape sample) {
        long k() { return c / groups * sample.kH() * sample.kW(); }

        long l() { return sample.oH() * sample.oW(); }

        boolean pointwise() {
            return sample.kH() == 1 && sample.kW() == 1 && sample.sH() == 1 && sample.sW() == 1 && sample.pH() == 0 && sample.pW() == 0;
        }

        WindowShape windows(long samples) {
            WindowShape s = sample;
            return new WindowShape(samples * c, s.h(), s.w(), s.kH(), s.kW(), s.sH(), s.sW(), s.pH(), s.pW(), s.dH(), s.dW(), s.oH(), s.oW());
        }

        /** Samples per chunk: as many as the column budget holds, at least one. */
        long chunk(DType t) {
            long perSample = Math.max(1, c * sample.kH() * sample.kW() * l() * t.byteSize());
            return Math.max(1, Math.min(n, columnBytes / perSample));
        }
    }

    /**
     * {@code x [N, C, H, W]} convolved with {@code w [O, C / groups, kH, kW]} plus {@code bias [O]} (may be null), zero
     * padding {@code padding} per side (h, w): {@code [N, O, OH, OW]}. Shapes must already be checked by the caller
     * ({@code nn.Convolutions}); the same dtype and device for all operands.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        if (x.dim() != 4 || w.dim() != 4 || x.size(1) != w.size(1) * groups || w.size(0) % groups != 0) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " and weight " + w.shape() + " do not match for groups=" + groups);
        }
        Im2Col.checkArgs("conv2d", new int[] {(int) w.size(2), (int) w.size(3)}, dilation, padding, stride);
        int kH = (int) w.size(2), kW = (int) w.size(3);
        long h = x.size(2), wd = x.size(3);
        long oH = Im2Col.grid(h, kH, dilation[0], padding[0], stride[0]), oW = Im2Col.grid(wd, kW, dilation[1], padding[1], stride[1]);
        if (oH <= 0 || oW <= 0) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " with padding " + Arrays.toString(padding)
                    + " is smaller than the kernel " + w.shape() + " with dilation " + Arrays.toString(dilation));
        }
        var sample = new WindowShape(x.size(1), h, wd, kH, kW, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], oH, oW);
        var geo = new Geometry(x.size(0), x.size(1), w.size(0), groups, sample);
        Tensor xd = x.detach().contiguous(), wd2 = w.detach().contiguous();
        Tensor y = forward(xd, wd2, geo);
        if (bias != null) y.view(geo.n(), geo.o(), geo.l()).add_(bias.detach().view(geo.o(), 1));
        List<Tensor> inputs = new ArrayList<>(Arrays.asList(x, w, bias));
        if (!Autograd.needsGrad(inputs)) return y;
        return Autograd.record("ConvolutionBackward0", y, inputs, List.of(x, w), (g, s) -> backward(g, s, geo, bias != null));
    }

    private static Tensor forward(Tensor x, Tensor w, Geometry geo) {
        long n = geo.n(), o = geo.o(), k = geo.k(), l = geo.l(), g = geo.groups();
        Tensor y = Tensors.empty(x.dtype(), new long[] {n, o, geo.sample().oH(), geo.sample().oW()}, x.device());
        long chunk = geo.chunk(x.dtype());
        Tensor cols = geo.pointwise() ? null : Tensors.empty(x.dtype(), new long[] {chunk, geo.c(), (long) geo.sample().kH() * geo.sample().kW(),
                geo.sample().oH(), geo.sample().oW()}, x.device());
        Tensor wm = w.view(g, o / g, k);
        try {
            for (long n0 = 0; n0 < n; n0 += chunk) {
                long m = Math.min(chunk, n - n0);
                Tensor colsM = columns(x.narrow(0, n0, m), cols, geo, m).view(m, g, k, l);
                Tensor yM = y.narrow(0, n0, m).view(m, g, o / g, l);
                MatmulForward.productInto(wm, Tensors.layout(wm), colsM, Tensors.layout(colsM), new long[] {m, g}, yM, 1, 0);
            }
        } finally {
            if (cols != null) cols.close();
        }
        return y;
    }

    /** The columns of samples {@code xs [m, C, H, W]} (the input itself for a pointwise convolution), in {@code buffer}. */
    private static Tensor columns(Tensor xs, Tensor buffer, Geometry geo, long m) {
        if (geo.pointwise()) return xs;
        Tensor out = buffer.narrow(0, 0, m);
        Im2Col.im2colInto(xs, geo.windows(m), out);
        return out;
    }

    private static List<Tensor> backward(Tensor g, Saved s, Geometry geo, boolean hasBias) {
        Tensor x = s.get(0), w = s.get(1);
        if (Autograd.needsGrad(List.of(g, x, w))) return differentiableBackward(g, s, x, w, geo, hasBias); // create_graph
        Tensor gy = g.detach().contiguous(), xd = x.detach().contiguous(), wd = w.detach().contiguous();
        boolean needX = s.needsInputGrad(0), needW = s.needsInputGrad(1), needB = hasBias && s.needsInputGrad(2);
        long n = geo.n(), o = geo.o(), k = geo.k(), l = geo.l(), groups = geo.groups(), chunk = geo.chunk(gy.dtype());
        Tensor gx = needX ? Tensors.empty(gy.dtype(), xd.shape().toArray(), gy.device()) : null;
        Tensor gw = needW ? Tensors.empty(gy.dtype(), wd.shape().toArray(), gy.device()) : null;
        Tensor cols = geo.pointwise() || !(needX || needW) ? null : Tensors.empty(gy.dtype(), new long[] {chunk, geo.c(),
                (long) geo.sample().kH() * geo.sample().kW(), geo.sample().oH(), geo.sample().oW()}, gy.device());
        Tensor wm = wd.view(groups, o / groups, k);
        try {
            for (long n0 = 0; n0 < n && (needX || needW); n0 += chunk) {
                long m = Math.min(chunk, n - n0);
                Tensor gyM = gy.narrow(0, n0, m).view(m, groups, o / groups, l);
                if (needW) {
                    Tensor colsM = columns(xd.narrow(0, n0, m), cols, geo, m).view(m, groups, k, l);
                    weightGradient(gyM, colsM, gw.view(groups, o / groups, k), n0 > 0);
                }
                if (needX) {
                    Tensor target = geo.pointwise() ? gx.narrow(0, n0, m) : cols.narrow(0, 0, m);
                    Tensor gcols = target.view(m, groups, k, l), wt = wm.transpose(1, 2);
                    MatmulForward.productInto(wt, Tensors.layout(wt), gyM, Tensors.layout(gyM), new long[] {m, groups}, gcols, 1, 0);
                    if (!geo.pointwise()) Im2Col.col2imInto(target, geo.windows(m), gx.narrow(0, n0, m));
                }
            }
        } finally {
            if (cols != null) cols.close();
        }
        Tensor gb = needB ? gy.sum(new int[] {0, 2, 3}, false) : null;
        return Arrays.asList(gx, gw, gb);
    }

    /**
     * {@code gw [g, O/g, K] (+)= sum over samples of gy_i [g, O/g, L] @ cols_i^T [g, L, K]}: one product per sample where
     * the grid is large, else one product over the chunk's samples side by side (copies of both operands).
     */
    private static void weightGradient(Tensor gyM, Tensor colsM, Tensor gw, boolean accumulate) {
        long m = gyM.size(0), groups = gyM.size(1), og = gyM.size(2), k = colsM.size(2), l = colsM.size(3);
        long[] batch = {groups};
        if (m == 1 || l >= 256) {
            for (long i = 0; i < m; i++) {
                Tensor a = gyM.select(0, i), b = colsM.select(0, i).transpose(1, 2);
                MatmulForward.productInto(a, Tensors.layout(a), b, Tensors.layout(b), batch, gw, 1, accumulate || i > 0 ? 1 : 0);
            }
            return;
        }
        try (Tensor a = gyM.permute(1, 2, 0, 3).contiguous(); Tensor bt = colsM.permute(1, 2, 0, 3).contiguous()) {
            Tensor av = a.view(groups, og, m * l), bv = bt.view(groups, k, m * l).transpose(1, 2);
            MatmulForward.productInto(av, Tensors.layout(av), bv, Tensors.layout(bv), batch, gw, 1, accumulate ? 1 : 0);
        }
    }

    /** Double backward: the same gradients by differentiable tensor ops (whole-batch columns; not memory-bounded). */
    private static List<Tensor> differentiableBackward(Tensor g, Saved s, Tensor x, Tensor w, Geometry geo, boolean hasBias) {
        long n = geo.n(), o = geo.o(), k = geo.k(), l = geo.l(), groups = geo.groups();
        WindowShape all = geo.windows(n);
        Tensor gy = g.reshape(n, groups, o / groups, l);
        Tensor wm = w.reshape(groups, o / groups, k);
        Tensor gx = null, gw = null, gb = null;
        if (s.needsInputGrad(0)) {
            Tensor gcols = wm.transpose(1, 2).matmul(gy).reshape(n, geo.c(), (long) geo.sample().kH() * geo.sample().kW(),
                    geo.sample().oH(), geo.sample().oW());
            gx = Im2Col.col2im(gcols, all);
        }
        if (s.needsInputGrad(1)) {
            Tensor cols = Im2Col.im2col(x, all).reshape(n, groups, k, l);
            gw = gy.matmul(cols.transpose(2, 3)).sum(0).reshape(w.shape().toArray());
        }
        if (hasBias && s.needsInputGrad(2)) gb = g.sum(new int[] {0, 2, 3}, false);
        return Arrays.asList(gx, gw, gb);
    }
}
