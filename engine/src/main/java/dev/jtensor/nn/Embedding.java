package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;

/**
 * A lookup table of {@code num} vectors of size {@code dim}, as {@code nn.Embedding}: {@code forward}
 * takes int64 indices of any shape and returns their rows (shape {@code indices.shape + [dim]}). The
 * weight is initialised N(0, 1) from the default generator, as PyTorch.
 */
public final class Embedding extends Module {
    private final Tensor weight;

    public Embedding(long numEmbeddings, long embeddingDim) { this(numEmbeddings, embeddingDim, DType.FLOAT32); }

    /** With a table of {@code dtype} (a floating type), as {@code nn.Embedding(num, dim, dtype=...)}. */
    public Embedding(long numEmbeddings, long embeddingDim, DType dtype) {
        this.weight = registerParameter("weight", Jt.zeros(new long[] {numEmbeddings, embeddingDim}, dtype));
        Init.normal_(weight, 0, 1);
    }

    @Override
    public Tensor forward(Tensor indices) { return F.embedding(indices, weight); }

    /** The table {@code [num, dim]}. */
    public Tensor weight() { return weight; }

    @Override
    protected String extraRepr() { return weight.size(0) + ", " + weight.size(1); }
}
