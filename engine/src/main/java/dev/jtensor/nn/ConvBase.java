package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What {@link Conv1d}, {@link Conv2d}, {@link ConvTranspose1d} and {@link ConvTranspose2d} share, as PyTorch's
 * {@code _ConvNd}: the checked hyper-parameters, weight {@code [out, in / groups, k...]} (transposed:
 * {@code [in, out / groups, k...]}) and bias {@code [out]}, initialised as PyTorch does
 * ({@code kaiming_uniform_(a = sqrt 5)}, bias U(-1/sqrt(fan_in), 1/sqrt(fan_in))), and the repr.
 */
abstract class ConvBase extends Module {
    final long inChannels, outChannels;
    final int[] kernelSize, stride, dilation, padding, outputPadding;
    final String paddingString, paddingMode;
    final int groups;
    final Tensor weight, bias;

    ConvBase(long in, long out, int[] kernel, int[] stride, int[] padding, String paddingString, int[] dilation, int[] outputPadding,
            int groups, boolean bias, String paddingMode, boolean transposed) {
        int n = kernel.length;
        this.kernelSize = expand(kernel, n, "kernel_size");
        this.stride = expand(stride, n, "stride");
        this.dilation = expand(dilation, n, "dilation");
        this.padding = paddingString != null ? new int[n] : expand(padding, n, "padding");
        this.outputPadding = expand(outputPadding, n, "output_padding");
        if (groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (in % groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (out % groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        if (!Arrays.asList("zeros", "reflect", "replicate", "circular").contains(paddingMode)) {
            throw new IllegalArgumentException("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='"
                    + paddingMode + "'");
        }
        if (transposed && !paddingMode.equals("zeros")) {
            throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for " + getClass().getSimpleName());
        }
        if (paddingString != null && !paddingString.equals("same") && !paddingString.equals("valid")) {
            throw new IllegalArgumentException("Invalid padding string '" + paddingString + "', should be one of {'valid', 'same'}");
        }
        if ("same".equals(paddingString) && Arrays.stream(this.stride).anyMatch(s -> s != 1)) {
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
        }
        this.inChannels = in;
        this.outChannels = out;
        this.paddingString = paddingString;
        this.paddingMode = paddingMode;
        this.groups = groups;
        long[] shape = new long[2 + n];
        shape[0] = transposed ? in : out;
        shape[1] = transposed ? out / groups : in / groups;
        for (int i = 0; i < n; i++) shape[2 + i] = this.kernelSize[i];
        this.weight = registerParameter("weight", Jt.zeros(shape, DType.FLOAT32));
        this.bias = bias ? registerParameter("bias", Jt.zeros(new long[] {out}, DType.FLOAT32)) : null;
        resetParameters();
    }

    private static int[] expand(int[] v, int n, String what) {
        if (v.length == n) return v.clone();
        if (v.length == 1) {
            int[] out = new int[n];
            Arrays.fill(out, v[0]);
            return out;
        }
        throw new IllegalArgumentException(what + " must have 1 or " + n + " values, got " + Arrays.toString(v));
    }

    /** Redraws weight and bias as the constructor does. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5));
        if (bias != null) {
            long fanIn = Init.fanIn(weight);
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound);
        }
    }

    /** The weight. */
    public Tensor weight() { return weight; }

    /** The bias {@code [out]}, or null without one. */
    public Tensor bias() { return bias; }

    /** Explicit padding per side, (top, bottom, left, right) for 2-d; "same" resolved as PyTorch does. */
    long[] sidePadding() {
        int[] k = kernelSize.length == 2 ? kernelSize : new int[] {1, kernelSize[0]};
        int[] s = stride.length == 2 ? stride : new int[] {1, stride[0]};
        int[] d = dilation.length == 2 ? dilation : new int[] {1, dilation[0]};
        if (paddingString != null) return Convolutions.namedPadding(paddingString, k, s, d);
        int[] p = padding.length == 2 ? padding : new int[] {0, padding[0]};
        return new long[] {p[0], p[0], p[1], p[1]};
    }

    private static String tuple(int[] v) {
        return "(" + Arrays.stream(v).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + (v.length == 1 ? ",)" : ")");
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(inChannels + ", " + outChannels + ", kernel_size=" + tuple(kernelSize) + ", stride=" + tuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (Arrays.stream(padding).anyMatch(p -> p != 0)) s.append(", padding=").append(tuple(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) s.append(", dilation=").append(tuple(dilation));
        if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) s.append(", output_padding=").append(tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        if (!paddingMode.equals("zeros")) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }
}
