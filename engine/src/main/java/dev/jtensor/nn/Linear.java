package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * {@code y = x @ weight^T + bias}, as {@code nn.Linear(in, out)}: weight {@code [out, in]}, bias
 * {@code [out]}, FLOAT32. Initialised as PyTorch does, from the default generator: weight by
 * {@code kaiming_uniform_(a = sqrt 5)}, i.e. U(-1/sqrt(in), 1/sqrt(in)), then bias from the same
 * range, so {@code manualSeed(s); new Linear(...)} holds what {@code torch.manual_seed(s); nn.Linear(...)} does.
 */
public class Linear extends Module {
    private final long inFeatures, outFeatures;
    private final Tensor weight, bias;

    /** With a bias. */
    public Linear(long inFeatures, long outFeatures) { this(inFeatures, outFeatures, true); }

    public Linear(long inFeatures, long outFeatures, boolean bias) { this(inFeatures, outFeatures, bias, DType.FLOAT32); }

    /** With parameters of {@code dtype} (a floating type), as {@code nn.Linear(in, out, bias, dtype=...)}. */
    public Linear(long inFeatures, long outFeatures, boolean bias, DType dtype) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: sizes must be non-negative (got " + inFeatures + ", " + outFeatures + ")");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Jt.zeros(new long[] {outFeatures, inFeatures}, dtype));
        this.bias = bias ? registerParameter("bias", Jt.zeros(new long[] {outFeatures}, dtype)) : null;
        resetParameters();
    }

    /** Redraws weight and bias as the constructor does. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5));
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor input) { return F.linear(input, weight, bias); }

    /** The weight {@code [out, in]}. */
    public Tensor weight() { return weight; }

    /** The bias {@code [out]}, or null without one. */
    public Tensor bias() { return bias; }

    public long inFeatures() { return inFeatures; }

    public long outFeatures() { return outFeatures; }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
