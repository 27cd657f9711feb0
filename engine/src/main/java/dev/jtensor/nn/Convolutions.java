package dev.jtensor.nn;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
import java.util.Arrays;

/**
 * Convolutions: {@link Jt#conv2d} (one op: im2col + GEMM in bounded chunks of the batch, batched over groups,
 * 1x1 stride-1 kernels straight to GEMM, a backward that recomputes the columns) after explicit padding for the
 * modes other than zeros; transposed convolutions as matmul + col2im in tensor ops ({@link Windows}), so their
 * gradients come from autograd on any device. 1-d forms run as 2-d over a height of one.
 */
final class Convolutions {
    private Convolutions() {}

    /** {@code [a, b]} from one value or two. */
    static int[] pair(String what, int... v) {
        if (v.length == 1) return new int[] {v[0], v[0]};
        if (v.length != 2) throw new IllegalArgumentException(what + " must be one int or two, got " + Arrays.toString(v));
        return v.clone();
    }

    /** Padding "same" (stride 1 only, extra on the right as PyTorch) or "valid" as explicit (top, bottom, left, right). */
    static long[] namedPadding(String padding, int[] kernel, int[] stride, int[] dilation) {
        return switch (padding) {
            case "valid" -> new long[4];
            case "same" -> {
                if (stride[0] != 1 || stride[1] != 1) {
                    throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
                }
                long th = (long) dilation[0] * (kernel[0] - 1), tw = (long) dilation[1] * (kernel[1] - 1);
                yield new long[] {th / 2, th - th / 2, tw / 2, tw - tw / 2};
            }
            default -> throw new IllegalArgumentException("Invalid padding string '" + padding + "', should be one of {'valid', 'same'}");
        };
    }

    /**
     * 2-d convolution of {@code x [N, C, H, W]} (or unbatched {@code [C, H, W]}) with {@code w [O, C / groups, kH, kW]};
     * {@code pad} is (top, bottom, left, right), applied with {@code paddingMode} (zeros, reflect, replicate, circular).
     */
    static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, long[] pad, int[] dilation, int groups, String paddingMode) {
        Tensor[] ac = Autocast.inputs("conv2d", x, w, bias); // the autocast scope's low type (PyTorch's op list)
        x = ac[0];
        w = ac[1];
        bias = ac[2];
        if (x.dim() == 3) return conv2d(x.unsqueeze(0), w, bias, stride, pad, dilation, groups, paddingMode).squeeze(0);
        checkConvArgs(x, w, bias, stride, dilation, groups, 4, "conv2d");
        if (x.size(1) != w.size(1) * groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + w.shape() + ", expected input" + x.shape()
                    + " to have " + w.size(1) * groups + " channels, but got " + x.size(1) + " channels instead");
        }
        boolean zeros = paddingMode == null || paddingMode.equals("zeros");
        boolean symmetric = zeros && pad[0] == pad[1] && pad[2] == pad[3] && pad[0] <= Integer.MAX_VALUE && pad[2] <= Integer.MAX_VALUE;
        Tensor xp = symmetric ? x : padded(x, pad, paddingMode);
        int[] p = symmetric ? new int[] {(int) pad[0], (int) pad[2]} : new int[2];
        int kH = (int) w.size(2), kW = (int) w.size(3);
        long h = xp.size(2) + 2L * p[0], wd = xp.size(3) + 2L * p[1];
        if (h < (long) dilation[0] * (kH - 1) + 1 || wd < (long) dilation[1] * (kW - 1) + 1) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + h + " x " + wd + "). Kernel size: ("
                    + ((long) dilation[0] * (kH - 1) + 1) + " x " + ((long) dilation[1] * (kW - 1) + 1)
                    + "). Kernel size can't be greater than actual input size");
        }
        return Jt.conv2d(xp, w, bias, stride, p, dilation, groups);
    }

    /** 1-d convolution: {@code x [N, C, L]} or {@code [C, L]}, {@code w [O, C / groups, k]}, {@code pad} (left, right). */
    static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, long[] pad, int dilation, int groups, String paddingMode) {
        Tensor[] ac = Autocast.inputs("conv1d", x, w, bias); // the autocast scope's low type (PyTorch's op list)
        x = ac[0];
        w = ac[1];
        bias = ac[2];
        if (x.dim() == 2) return conv1d(x.unsqueeze(0), w, bias, stride, pad, dilation, groups, paddingMode).squeeze(0);
        checkConvArgs(x, w, bias, new int[] {stride}, new int[] {dilation}, groups, 3, "conv1d");
        if (x.size(1) != w.size(1) * groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + w.shape() + ", expected input" + x.shape()
                    + " to have " + w.size(1) * groups + " channels, but got " + x.size(1) + " channels instead");
        }
        Tensor xp = padded(x, new long[] {0, 0, pad[0], pad[1]}, paddingMode);
        return conv2d(xp.unsqueeze(2), w.unsqueeze(2), bias, new int[] {1, stride}, new long[4], new int[] {1, dilation}, groups, "zeros")
                .squeeze(2);
    }

    private static Tensor padded(Tensor x, long[] pad, String mode) {
        if (Arrays.stream(pad).allMatch(p -> p == 0)) return x;
        String m = mode == null || mode.equals("zeros") ? "constant" : mode;
        return Padding.pad(x, new long[] {pad[2], pad[3], pad[0], pad[1]}, m, 0);
    }

    private static void checkConvArgs(Tensor x, Tensor w, Tensor bias, int[] stride, int[] dilation, int groups, int rank, String op) {
        if (x.dim() != rank) {
            throw new IllegalArgumentException("Expected " + (rank - 1) + "D (unbatched) or " + rank + "D (batched) input to " + op
                    + ", but got input of size: " + x.shape());
        }
        if (w.dim() != rank) {
            throw new IllegalArgumentException(op + ": weight must be " + rank + "-d, got weight of size " + w.shape());
        }
        if (groups <= 0) throw new IllegalArgumentException("non-positive groups is not supported (got " + groups + ")");
        if (w.size(0) % groups != 0) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + w.shape() + " instead");
        }
        for (int s : stride) if (s <= 0) throw new IllegalArgumentException("non-positive stride is not supported (got " + s + ")");
        for (int d : dilation) if (d <= 0) throw new IllegalArgumentException("dilation should be greater than zero (got " + d + ")");
        if (bias != null && (bias.dim() != 1 || bias.size(0) != w.size(0))) {
            throw new IllegalArgumentException("Given weight of size " + w.shape() + ", expected bias to be 1-dimensional with "
                    + w.size(0) + " elements, but got bias of size " + bias.shape() + " instead");
        }
        if (x.dtype() != w.dtype()) {
            throw new IllegalArgumentException("Input type (" + x.dtype() + ") and weight type (" + w.dtype() + ") should be the same");
        }
    }

    /**
     * Transposed 2-d convolution of {@code x [N, Cin, H, W]} with {@code w [Cin, O / groups, kH, kW]}: output size
     * {@code (H - 1) stride - 2 padding + dilation (k - 1) + outputPadding + 1}.
     */
    static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] outputPadding, int groups,
            int[] dilation) {
        Tensor[] ac = Autocast.inputs("conv_transpose2d", x, w, bias); // the autocast scope's low type (PyTorch's op list)
        x = ac[0];
        w = ac[1];
        bias = ac[2];
        if (x.dim() == 3) return convTranspose2d(x.unsqueeze(0), w, bias, stride, padding, outputPadding, groups, dilation).squeeze(0);
        if (x.dim() != 4 || w.dim() != 4) {
            throw new IllegalArgumentException("conv_transpose2d: expected 4-d input and weight, got input " + x.shape() + " and weight " + w.shape());
        }
        if (groups <= 0 || x.size(1) != w.size(0) || w.size(0) % groups != 0) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + w.shape() + ", expected input" + x.shape()
                    + " to have " + w.size(0) + " channels, but got " + x.size(1) + " channels instead");
        }
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw new IllegalArgumentException("output padding must be smaller than either stride or dilation, but got output_padding="
                        + Arrays.toString(outputPadding) + ", stride=" + Arrays.toString(stride) + ", dilation=" + Arrays.toString(dilation));
            }
        }
        long n = x.size(0), cin = x.size(1), h = x.size(2), wd = x.size(3);
        int kH = (int) w.size(2), kW = (int) w.size(3);
        long o = w.size(1) * groups, cg = cin / groups, k = w.size(1) * kH * kW;
        long outH = (h - 1) * stride[0] - 2L * padding[0] + (long) dilation[0] * (kH - 1) + outputPadding[0] + 1;
        long outW = (wd - 1) * stride[1] - 2L * padding[1] + (long) dilation[1] * (kW - 1) + outputPadding[1] + 1;
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("conv_transpose2d: output size (" + outH + " x " + outW + ") is too small for input " + x.shape());
        }
        Tensor cols = w.reshape(groups, cg, k).transpose(1, 2).matmul(x.reshape(n, groups, cg, h * wd));
        var geo = new Windows.Geometry(kH, kW, stride[0], stride[1], dilation[0], dilation[1], h, wd);
        long canvasH = Math.max(geo.spanH(), padding[0] + outH), canvasW = Math.max(geo.spanW(), padding[1] + outW);
        Tensor y = Windows.col2im(cols.reshape(n, o, (long) kH * kW, h, wd), geo, canvasH, canvasW)
                .narrow(2, padding[0], outH).narrow(3, padding[1], outW);
        return bias == null ? y : y.add(bias.view(o, 1, 1));
    }

    /** Transposed 1-d convolution: {@code x [N, Cin, L]}, {@code w [Cin, O / groups, k]}. */
    static Tensor convTranspose1d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int outputPadding, int groups, int dilation) {
        Tensor[] ac = Autocast.inputs("conv_transpose1d", x, w, bias); // the autocast scope's low type (PyTorch's op list)
        x = ac[0];
        w = ac[1];
        bias = ac[2];
        if (x.dim() == 2) return convTranspose1d(x.unsqueeze(0), w, bias, stride, padding, outputPadding, groups, dilation).squeeze(0);
        if (x.dim() != 3 || w.dim() != 3) {
            throw new IllegalArgumentException("conv_transpose1d: expected 3-d input and weight, got input " + x.shape() + " and weight " + w.shape());
        }
        return convTranspose2d(x.unsqueeze(2), w.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding},
                new int[] {0, outputPadding}, groups, new int[] {1, dilation}).squeeze(2);
    }

    /** {@code F.unfold}: {@code [N, C, H, W]} to {@code [N, C * kH * kW, L]}. */
    static Tensor unfold(Tensor x, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (x.dim() != 4 && x.dim() != 3) {
            throw new IllegalArgumentException("Input Error: Only 3D or 4D input Tensors are supported (got " + x.dim() + "D)");
        }
        if (x.dim() == 3) return unfold(x.unsqueeze(0), kernel, dilation, padding, stride).squeeze(0);
        Tensor xp = padded(x, new long[] {padding[0], padding[0], padding[1], padding[1]}, "zeros");
        long oH = Windows.outSize(xp.size(2), kernel[0], stride[0], dilation[0]);
        long oW = Windows.outSize(xp.size(3), kernel[1], stride[1], dilation[1]);
        if (oH <= 0 || oW <= 0) {
            throw new IllegalArgumentException("Given input with spatial size (" + x.size(2) + ", " + x.size(3) + "), kernel_size "
                    + Arrays.toString(kernel) + ", dilation " + Arrays.toString(dilation) + ", padding " + Arrays.toString(padding)
                    + ", calculated shape of the array of sliding blocks as (" + oH + ", " + oW + "), but its components must be at least one.");
        }
        var geo = new Windows.Geometry(kernel[0], kernel[1], stride[0], stride[1], dilation[0], dilation[1], oH, oW);
        return Windows.im2col(xp, geo).view(x.size(0), x.size(1) * kernel[0] * kernel[1], oH * oW);
    }

    /** {@code F.fold}: {@code [N, C * kH * kW, L]} summed back into {@code [N, C, outH, outW]}. */
    static Tensor fold(Tensor cols, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (cols.dim() == 2) return fold(cols.unsqueeze(0), outputSize, kernel, dilation, padding, stride).squeeze(0);
        if (cols.dim() != 3) throw new IllegalArgumentException("Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got "
                + cols.dim() + "D)");
        long taps = (long) kernel[0] * kernel[1];
        long ph = outputSize[0] + 2L * padding[0], pw = outputSize[1] + 2L * padding[1];
        long oH = Windows.outSize(ph, kernel[0], stride[0], dilation[0]), oW = Windows.outSize(pw, kernel[1], stride[1], dilation[1]);
        if (cols.size(1) % taps != 0 || oH <= 0 || oW <= 0 || cols.size(2) != oH * oW) {
            throw new IllegalArgumentException("Given output_size=" + Arrays.toString(outputSize) + ", kernel_size=" + Arrays.toString(kernel)
                    + ", dilation=" + Arrays.toString(dilation) + ", padding=" + Arrays.toString(padding) + ", stride=" + Arrays.toString(stride)
                    + ", expected size of input's dimension 1 divisible by " + taps + " and dimension 2 equal to " + oH * oW
                    + ", but got input of size " + cols.shape());
        }
        var geo = new Windows.Geometry(kernel[0], kernel[1], stride[0], stride[1], dilation[0], dilation[1], oH, oW);
        long c = cols.size(1) / taps;
        return Windows.col2im(cols.reshape(cols.size(0), c, taps, oH, oW), geo, ph, pw)
                .narrow(2, padding[0], outputSize[0]).narrow(3, padding[1], outputSize[1]);
    }
}
