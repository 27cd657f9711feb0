package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The sliding windows of a 2-d convolution or pooling over the last two dims of {@code [N, C, H, W]}
 * (im2col) and their inverse sum (col2im), each written with tensor ops on any device and each the other's
 * backward. Windows are read at {@code (oh * strideH + i * dilationH, ow * strideW + j * dilationW)}; padding
 * is applied by the caller ({@link Padding}). The window layout {@code [N, C, kH * kW, OH, OW]} is the
 * matrix {@code [N, C * kH * kW, OH * OW]} of PyTorch's {@code unfold} by a free reshape.
 */
final class Windows {
    private Windows() {}

    /** A window geometry: kernel, stride and dilation per spatial dim, and the output grid. */
    record Geometry(int kH, int kW, int sH, int sW, int dH, int dW, long oH, long oW) {
        int taps() { return kH * kW; }

        /** The extent of input rows the windows read: {@code (oH - 1) sH + dH (kH - 1) + 1}. */
        long spanH() { return (oH - 1) * sH + (long) dH * (kH - 1) + 1; }

        long spanW() { return (oW - 1) * sW + (long) dW * (kW - 1) + 1; }
    }

    /** The output grid size along one dim of length {@code size} (already padded), floor rounding. */
    static long outSize(long size, int k, int s, int d) { return (size - (long) d * (k - 1) - 1) / s + 1; }

    /** {@code x [N, C, H, W]} to its windows {@code [N, C, kH * kW, OH, OW]} (a fresh tensor); {@code Im2ColBackward0}. */
    static Tensor im2col(Tensor x, Geometry g) {
        long h = x.size(2), w = x.size(3);
        if (g.spanH() > h || g.spanW() > w) {
            throw new IllegalArgumentException("windows of span (" + g.spanH() + " x " + g.spanW() + ") do not fit input " + x.shape());
        }
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            if (g.taps() == 1 && g.sH() == 1 && g.sW() == 1 && g.oH() == h && g.oW() == w) {
                out = x.unsqueeze(2).contiguous();
            } else {
                List<Tensor> taps = new ArrayList<>(g.taps());
                for (int i = 0; i < g.kH(); i++) {
                    for (int j = 0; j < g.kW(); j++) taps.add(tap(x, g, i, j));
                }
                out = Jt.stack(taps, 2);
            }
        }
        if (!Autograd.needsGrad(x)) return out;
        return Autograd.record("Im2ColBackward0", out, List.of(x), List.of(), (gr, s) -> List.of(col2im(gr, g, h, w)));
    }

    /**
     * The inverse sum of {@link #im2col}: {@code cols [N, C, kH * kW, OH, OW]} added into zeros of {@code [N, C, H, W]}
     * at the positions each window read; {@code Col2ImBackward0}.
     */
    static Tensor col2im(Tensor cols, Geometry g, long h, long w) {
        if (g.spanH() > h || g.spanW() > w) {
            throw new IllegalArgumentException("windows of span (" + g.spanH() + " x " + g.spanW() + ") do not fit output (" + h + " x " + w + ")");
        }
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            out = Jt.zeros(new long[] {cols.size(0), cols.size(1), h, w}, cols.dtype(), cols.device());
            for (int i = 0; i < g.kH(); i++) {
                for (int j = 0; j < g.kW(); j++) tap(out, g, i, j).add_(cols.select(2, (long) i * g.kW() + j));
            }
        }
        if (!Autograd.needsGrad(cols)) return out;
        return Autograd.record("Col2ImBackward0", out, List.of(cols), List.of(), (gr, s) -> List.of(im2col(gr, g)));
    }

    /** The strided view of {@code x [N, C, H, W]} that tap (i, j) of every window reads: {@code [N, C, OH, OW]}. */
    private static Tensor tap(Tensor x, Geometry g, int i, int j) {
        long h0 = (long) i * g.dH(), w0 = (long) j * g.dW();
        return x.slice(2, h0, h0 + (g.oH() - 1) * g.sH() + 1, g.sH()).slice(3, w0, w0 + (g.oW() - 1) * g.sW() + 1, g.sW());
    }
}
