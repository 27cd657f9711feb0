package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * {@code F.interpolate} (nearest, linear, bilinear with or without align_corners), {@code pixel_shuffle} and
 * its inverse, and channel dropout. Resizing is separable: nearest gathers rows and columns by index tables,
 * (bi)linear multiplies by an interpolation matrix per spatial dim, so both are differentiable on any device.
 */
final class Resampling {
    private Resampling() {}

    /**
     * Resizes the spatial dims (all dims past 1) of {@code x} to {@code size}, or by {@code scaleFactor} (one of the
     * two non-null, one value per spatial dim or one for all).
     */
    static Tensor interpolate(Tensor x, long[] size, double[] scaleFactor, String mode, Boolean alignCorners) {
        int spatial = x.dim() - 2;
        if (spatial < 1 || spatial > 2) {
            throw new IllegalArgumentException("interpolate: expected 3-d or 4-d input (batch, channels, spatial...), got " + x.shape());
        }
        if ((size == null) == (scaleFactor == null)) throw new IllegalArgumentException("only one of size or scale_factor should be defined");
        boolean linear = switch (mode) {
            case "nearest" -> false;
            case "linear", "bilinear" -> true;
            default -> throw new IllegalArgumentException("interpolate: unsupported mode '" + mode + "' (nearest, linear, bilinear)");
        };
        if (linear && (mode.equals("linear") ? 1 : 2) != spatial) {
            throw new IllegalArgumentException("Got " + x.dim() + "D input, but " + mode + " mode needs " + (mode.equals("linear") ? 3 : 4) + "D input");
        }
        if (!linear && alignCorners != null) {
            throw new IllegalArgumentException("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        }
        boolean corners = alignCorners != null && alignCorners;
        Tensor y = x;
        for (int i = 0; i < spatial; i++) {
            int dim = 2 + i;
            long in = x.size(dim);
            long out;
            double scale; // input positions per output position, as PyTorch's kernels compute it
            if (size != null) {
                out = size.length == 1 ? size[0] : size[i];
                scale = (double) in / out;
            } else {
                double f = scaleFactor.length == 1 ? scaleFactor[0] : scaleFactor[i];
                out = (long) Math.floor(in * f);
                scale = 1 / f;
            }
            if (out <= 0) throw new IllegalArgumentException("interpolate: output size must be positive, got " + out + " for input " + x.shape());
            if (out == in && (size != null || scale == 1)) continue;
            y = linear ? linearAlong(y, dim, in, out, scale, corners) : nearestAlong(y, dim, in, out, scale);
        }
        return y;
    }

    private static Tensor nearestAlong(Tensor x, int dim, long in, long out, double scale) {
        long[] idx = new long[Math.toIntExact(out)];
        float s = (float) scale; // PyTorch computes the nearest source index in float
        for (int o = 0; o < out; o++) idx[o] = Math.min((long) Math.floor(o * s), in - 1);
        return x.indexSelect(dim, Jt.tensor(idx).to(x.device()));
    }

    private static Tensor linearAlong(Tensor x, int dim, long in, long out, double scale, boolean corners) {
        double[] m = new double[Math.toIntExact(out * in)];
        double s = corners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0) : scale;
        for (int o = 0; o < out; o++) {
            double src = corners ? o * s : Math.max((o + 0.5) * s - 0.5, 0);
            long i0 = Math.min((long) Math.floor(src), in - 1), i1 = Math.min(i0 + 1, in - 1);
            double l1 = src - i0;
            m[(int) (o * in + i0)] += 1 - l1;
            m[(int) (o * in + i1)] += l1;
        }
        Tensor mat = Jt.tensor(m, DType.FLOAT64).view(out, in).to(x.dtype()).to(x.device());
        if (dim == x.dim() - 1) return x.matmul(mat.t());
        return mat.matmul(x);
    }

    /** {@code [N, C r^2, H, W]} to {@code [N, C, H r, W r]}. */
    static Tensor pixelShuffle(Tensor x, int r) {
        if (x.dim() < 3) throw new IllegalArgumentException("pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                + x.dim() + " dimension(s)");
        if (r <= 0) throw new IllegalArgumentException("pixel_shuffle expects a positive upscale_factor, but got " + r);
        int d = x.dim();
        long c = x.size(d - 3), h = x.size(d - 2), w = x.size(d - 1);
        if (c % ((long) r * r) != 0) {
            throw new IllegalArgumentException("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, "
                    + "but input.size(-3)=" + c + " is not divisible by " + (long) r * r);
        }
        long[] lead = java.util.Arrays.copyOf(x.shape().toArray(), d - 3);
        long n = 1;
        for (long v : lead) n *= v;
        long oc = c / r / r;
        Tensor y = x.reshape(n, oc, r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, oc, h * r, w * r);
        return y.reshape(concat(lead, oc, h * r, w * r));
    }

    /** {@code [N, C, H r, W r]} to {@code [N, C r^2, H, W]}. */
    static Tensor pixelUnshuffle(Tensor x, int r) {
        if (x.dim() < 3) throw new IllegalArgumentException("pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                + x.dim() + " dimension(s)");
        if (r <= 0) throw new IllegalArgumentException("pixel_unshuffle expects a positive downscale_factor, but got " + r);
        int d = x.dim();
        long c = x.size(d - 3), h = x.size(d - 2), w = x.size(d - 1);
        if (h % r != 0 || w % r != 0) {
            throw new IllegalArgumentException("pixel_unshuffle expects height and width to be divisible by downscale_factor, but input "
                    + x.shape() + " is not divisible by " + r);
        }
        long[] lead = java.util.Arrays.copyOf(x.shape().toArray(), d - 3);
        long n = 1;
        for (long v : lead) n *= v;
        Tensor y = x.reshape(n, c, h / r, r, w / r, r).permute(0, 1, 3, 5, 2, 4).reshape(n, c * r * r, h / r, w / r);
        return y.reshape(concat(lead, c * r * r, h / r, w / r));
    }

    private static long[] concat(long[] lead, long... tail) {
        long[] out = java.util.Arrays.copyOf(lead, lead.length + tail.length);
        System.arraycopy(tail, 0, out, lead.length, tail.length);
        return out;
    }

    /**
     * Channel dropout ({@code F.dropout2d}): zeroes whole channels of {@code [N, C, H, W]} (or {@code [C, H, W]})
     * with probability {@code p}, scaling the kept ones by {@code 1 / (1 - p)}.
     */
    static Tensor dropoutChannels(Tensor x, double p, boolean training, Generator gen) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("dropout2d: expected 3-d (unbatched) or 4-d input, got " + x.shape());
        }
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        long[] mshape = x.shape().toArray();
        int spatialFrom = x.dim() == 4 ? 2 : 1;
        for (int i = spatialFrom; i < mshape.length; i++) mshape[i] = 1;
        long count = 1;
        for (long v : mshape) count *= v;
        double[] mask = new double[Math.toIntExact(count)];
        double scale = 1 / (1 - p);
        synchronized (gen) {
            for (int i = 0; i < mask.length; i++) mask[i] = gen.uniformDouble(0, 1) < p ? 0 : scale;
        }
        return x.mul(Jt.tensor(mask, DType.FLOAT64).to(x.dtype()).to(x.device()).reshape(mshape));
    }
}
