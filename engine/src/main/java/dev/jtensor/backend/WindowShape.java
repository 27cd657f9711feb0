package dev.jtensor.backend;

/**
 * The sizes of one im2col/col2im call (issue 22): {@code planes} (batch x channels) contiguous planes
 * {@code [h, w]}, a {@code kH x kW} window read with stride, zero padding and dilation per dim, and the output
 * grid {@code [oH, oW]} (every window starting inside the padded input; its end may hang over, as in ceil-mode
 * pooling: taps outside read as padding); the columns are contiguous {@code [planes, kH * kW, oH, oW]}. Window tap (i, j) of grid
 * cell (y, x) reads input row {@code y * sH - pH + i * dH}, column {@code x * sW - pW + j * dW}.
 */
public record WindowShape(long planes, long h, long w, int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, long oH, long oW) {
    public WindowShape {
        if (planes < 0 || h < 0 || w < 0 || oH < 0 || oW < 0 || kH < 1 || kW < 1 || sH < 1 || sW < 1 || dH < 1 || dW < 1 || pH < 0 || pW < 0) {
            throw new IllegalArgumentException("im2col: sizes, padding must be non-negative and kernel, stride, dilation positive: " + this);
        }
        if (oH > 0 && oW > 0 && ((oH - 1) * sH >= h + 2L * pH || (oW - 1) * sW >= w + 2L * pW)) {
            throw new IllegalArgumentException("im2col: a grid of " + oH + " x " + oW + " windows does not fit the padded input (a window starts past it): " + this);
        }
    }

    /** The elements of the planes: {@code planes * h * w}. */
    public long imageElements() { return Math.multiplyExact(Math.multiplyExact(planes, h), w); }

    /** The elements of the columns: {@code planes * kH * kW * oH * oW}. */
    public long columnElements() { return Math.multiplyExact(Math.multiplyExact(planes, (long) kH * kW), Math.multiplyExact(oH, oW)); }
}
