package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * Root-mean-square layer normalisation, as {@code nn.RMSNorm(normalized_shape, eps, elementwise_affine)} (PyTorch 2.4):
 * {@code y = x / sqrt(mean(x^2) + eps) * weight} over the last {@code normalizedShape.length} dims, weight ones at
 * first (key {@code weight}). {@code eps} null means the machine epsilon of the input's dtype, as PyTorch.
 */
public final class RMSNorm extends Module {
    private final long[] normalizedShape;
    private final Double eps;
    private final Tensor weight;

    /** eps from the dtype, with a learnable weight. */
    public RMSNorm(long... normalizedShape) { this(normalizedShape, null, true); }

    public RMSNorm(long[] normalizedShape, Double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Jt.ones(normalizedShape.clone(), DType.FLOAT32)) : null;
    }

    @Override
    public Tensor forward(Tensor input) { return F.rmsNorm(input, normalizedShape, weight, eps); }

    public Tensor weight() { return weight; }

    @Override
    protected String extraRepr() {
        return java.util.Arrays.toString(normalizedShape).replace('[', '(').replace(']', ')') + ", eps=" + (eps == null ? "None" : eps)
                + ", elementwise_affine=" + (weight != null ? "True" : "False");
    }
}
