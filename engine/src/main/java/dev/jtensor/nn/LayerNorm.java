package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * Normalises over the last dims, as {@code nn.LayerNorm(normalizedShape)}:
 * {@code (x - mean) / sqrt(var + eps) * weight + bias}, biased variance, weight ones and bias zeros at first.
 */
public final class LayerNorm extends Module {
    private final long[] normalizedShape;
    private final double eps;
    private final Tensor weight, bias;

    /** eps 1e-5 with a learnable affine transform, as PyTorch's defaults. */
    public LayerNorm(long... normalizedShape) { this(normalizedShape, 1e-5, true); }

    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine) { this(normalizedShape, eps, elementwiseAffine, DType.FLOAT32); }

    /** With weight and bias of {@code dtype} (a floating type), as {@code nn.LayerNorm(shape, eps, affine, dtype=...)}. */
    public LayerNorm(long[] normalizedShape, double eps, boolean elementwiseAffine, DType dtype) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Jt.ones(normalizedShape.clone(), dtype)) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", Jt.zeros(normalizedShape.clone(), dtype)) : null;
    }

    @Override
    public Tensor forward(Tensor input) { return F.layerNorm(input, normalizedShape, weight, bias, eps); }

    public Tensor weight() { return weight; }

    public Tensor bias() { return bias; }

    @Override
    protected String extraRepr() {
        return "(" + java.util.Arrays.stream(normalizedShape).mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(", "))
                + (normalizedShape.length == 1 ? "," : "") + "), eps=" + eps + ", elementwise_affine=" + (weight != null ? "True" : "False");
    }
}
