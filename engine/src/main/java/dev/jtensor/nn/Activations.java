package dev.jtensor.nn;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import java.util.List;

/** The layer functions of {@link F} that are more than one op: dropout, layer norm, embedding. */
final class Activations {
    private Activations() {}


    static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        double[] mask = new double[Math.toIntExact(x.numel())];
        double scale = 1 / (1 - p);
        synchronized (gen) { // one unbroken run of the stream (Generator is shared across threads)
            for (int i = 0; i < mask.length; i++) mask[i] = gen.uniformDouble(0, 1) < p ? 0 : scale;
        }
        return x.mul(Jt.tensor(mask, DType.FLOAT64).to(x.dtype()).to(x.device()).reshape(x.shape().toArray()));
    }

    static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Jt.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    static Tensor embedding(Tensor indices, Tensor weight) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("embedding: indices must be INT64 or INT32 (got " + indices.dtype() + ")");
        }
        if (weight.dim() != 2) throw new IllegalArgumentException("embedding: weight must be 2-d (got " + weight.shape() + ")");
        long dim = weight.size(1), n = indices.numel();
        long[] outShape = java.util.Arrays.copyOf(indices.shape().toArray(), indices.dim() + 1);
        outShape[indices.dim()] = dim;
        Tensor rowIndex = indices.detach().to(weight.device()).reshape(-1); // read by the kernel, never on the host
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            out = weight.indexSelect(0, rowIndex).view(outShape); // one index_select kernel
        } catch (IndexOutOfBoundsException e) {
            throw new IndexOutOfBoundsException("embedding: index out of range in self (" + e.getMessage() + ")");
        }
        if (!Autograd.needsGrad(weight)) return out;
        long[] wShape = weight.shape().toArray();
        // one index_add kernel into fresh zeros (in place: no copy of the [rows, dim] gradient); deterministic on the CPU,
        // and on CUDA under Jt.useDeterministicAlgorithms(true)
        return Autograd.record("EmbeddingBackward0", out, List.of(weight), List.of(), (g, s) ->
                List.of(Jt.zeros(wShape, g.dtype(), g.device()).indexAdd_(0, rowIndex, g.reshape(n, dim))));
    }
}
