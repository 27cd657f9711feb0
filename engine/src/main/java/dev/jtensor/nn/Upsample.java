package dev.jtensor.nn;

import dev.jtensor.Tensor;

/**
 * Resizes the spatial dims, as {@code nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None)}:
 * modes nearest, linear (3-d input) and bilinear (4-d input).
 */
public final class Upsample extends Module {
    private final long[] size;
    private final double[] scaleFactor;
    private final String mode;
    private final Boolean alignCorners;

    /** By a scale factor, nearest. */
    public Upsample(double scaleFactor) { this(null, new double[] {scaleFactor}, "nearest", null); }

    /** By a scale factor with {@code mode}. */
    public Upsample(double scaleFactor, String mode, Boolean alignCorners) { this(null, new double[] {scaleFactor}, mode, alignCorners); }

    /** Exactly one of {@code size} and {@code scaleFactor} non-null; {@code alignCorners} null for nearest. */
    public Upsample(long[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
        if ((size == null) == (scaleFactor == null)) throw new IllegalArgumentException("only one of size or scale_factor should be defined");
        this.size = size == null ? null : size.clone();
        this.scaleFactor = scaleFactor == null ? null : scaleFactor.clone();
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    @Override
    public Tensor forward(Tensor input) { return Resampling.interpolate(input, size, scaleFactor, mode, alignCorners); }

    @Override
    protected String extraRepr() {
        String s = size != null ? "size=" + java.util.Arrays.toString(size) : "scale_factor=" + (scaleFactor.length == 1 ? scaleFactor[0]
                : java.util.Arrays.toString(scaleFactor));
        return s + ", mode=" + mode;
    }
}
