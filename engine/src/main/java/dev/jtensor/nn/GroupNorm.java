package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * Group normalisation, as {@code nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)}: per sample, the
 * statistics of each group of {@code num_channels / num_groups} channels; weight ones and bias zeros at first.
 */
public final class GroupNorm extends Module {
    private final int numGroups;
    private final long numChannels;
    private final double eps;
    private final Tensor weight, bias;

    public GroupNorm(int numGroups, long numChannels) { this(numGroups, numChannels, 1e-5, true); }

    public GroupNorm(int numGroups, long numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels % numGroups != 0) throw new IllegalArgumentException("num_channels must be divisible by num_groups");
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Jt.ones(new long[] {numChannels}, DType.FLOAT32)) : null;
        this.bias = affine ? registerParameter("bias", Jt.zeros(new long[] {numChannels}, DType.FLOAT32)) : null;
    }

    @Override
    public Tensor forward(Tensor x) { return F.groupNorm(x, numGroups, weight, bias, eps); }

    public Tensor weight() { return weight; }

    public Tensor bias() { return bias; }

    @Override
    protected String extraRepr() { return numGroups + ", " + numChannels + ", eps=" + Pools.py(eps) + ", affine=" + (weight != null ? "True" : "False"); }
}
