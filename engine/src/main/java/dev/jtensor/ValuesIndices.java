package dev.jtensor;

/**
 * The values and their indices along a reduced dim, as PyTorch's {@code torch.return_types.max}:
 * {@code var r = x.max(1); r.values(); r.indices()} (indices are int64).
 */
public record ValuesIndices(Tensor values, Tensor indices) {
    @Override
    public String toString() {
        return "torch.return_types(\nvalues=" + values + ",\nindices=" + indices + ")";
    }
}
