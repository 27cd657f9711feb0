package dev.jtensor.spark;

import dev.jtensor.Tensor;
import java.io.Serializable;

/** A function from a batch of rows to a batch of results, shipped to Spark tasks (so serializable). */
@FunctionalInterface
public interface TensorFunction extends Serializable {
    /** The result for {@code batch}, whose first dimension counts rows; the result has as many rows. */
    Tensor apply(Tensor batch);
}
