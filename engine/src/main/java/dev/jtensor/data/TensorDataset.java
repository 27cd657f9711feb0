package dev.jtensor.data;

import dev.jtensor.Tensor;
import java.util.List;

/**
 * Samples made by indexing tensors along their first dim, as {@code torch.utils.data.TensorDataset}:
 * sample {@code i} is {@code [t0.get(i), t1.get(i), ...]} (views).
 */
public final class TensorDataset {
    private final List<Tensor> tensors;

    /**
     * @throws IllegalArgumentException if no tensor is given, one is 0-d, or their first sizes differ
     */
    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        for (Tensor t : tensors) {
            if (t.dim() == 0) throw new IllegalArgumentException("TensorDataset tensors need a first dim (got a 0-d tensor)");
            if (t.size(0) != tensors[0].size(0)) {
                throw new IllegalArgumentException("Size mismatch between tensors: first dims " + tensors[0].shape()
                        + " and " + t.shape());
            }
        }
        this.tensors = List.of(tensors);
    }

    /** Number of samples (the common first size). */
    public long size() { return tensors.get(0).size(0); }

    /** Sample {@code index}: one view per tensor. */
    public List<Tensor> get(long index) {
        return tensors.stream().map(t -> t.get(index)).toList();
    }

    /** The tensors, in order. */
    public List<Tensor> tensors() { return tensors; }
}
