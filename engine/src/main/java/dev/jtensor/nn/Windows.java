package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * The sliding windows of a 2-d convolution or pooling over the last two dims of {@code [N, C, H, W]}
 * (im2col) and their inverse sum (col2im), each the other's backward: {@link Jt#im2col} and {@link Jt#col2im}
 * (backend kernels where there are some, else tensor ops). Windows are read at
 * {@code (oh * strideH + i * dilationH, ow * strideW + j * dilationW)}; padding is applied by the caller ({@link Padding}). The window layout {@code [N, C, kH * kW, OH, OW]} is the
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
        // Jt.im2col's grid is the floor grid of its input: rows and columns past the last window are cut off first
        Tensor in = g.spanH() < h || g.spanW() < w ? x.narrow(2, 0, g.spanH()).narrow(3, 0, g.spanW()) : x;
        return Jt.im2col(in, kernel(g), dilation(g), new int[2], stride(g));
    }

    /**
     * The inverse sum of {@link #im2col}: {@code cols [N, C, kH * kW, OH, OW]} added into zeros of {@code [N, C, H, W]}
     * at the positions each window read; {@code Col2ImBackward0}.
     */
    static Tensor col2im(Tensor cols, Geometry g, long h, long w) {
        if (g.spanH() > h || g.spanW() > w) {
            throw new IllegalArgumentException("windows of span (" + g.spanH() + " x " + g.spanW() + ") do not fit output (" + h + " x " + w + ")");
        }
        return Jt.col2im(cols, new long[] {h, w}, kernel(g), dilation(g), new int[2], stride(g));
    }

    private static int[] kernel(Geometry g) { return new int[] {g.kH(), g.kW()}; }

    private static int[] dilation(Geometry g) { return new int[] {g.dH(), g.dW()}; }

    private static int[] stride(Geometry g) { return new int[] {g.sH(), g.sW()}; }
}
