package dev.jtensor.spark;

import dev.jtensor.Tensor;
import java.io.Serializable;

/**
 * The training loss of a batch, shipped to tasks, e.g. {@code (out, y) -> new MSELoss().forward(out, y)}.
 * With a mean reduction, averaging the ranks' gradients gives the gradient of the whole batch's mean.
 */
@FunctionalInterface
public interface LossFunction extends Serializable {
    /** The scalar loss of {@code output} against {@code target}. */
    Tensor apply(Tensor output, Tensor target);
}
