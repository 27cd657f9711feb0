package dev.jtensor.spark;

import dev.jtensor.Tensor;
import dev.jtensor.optim.Optimizer;
import java.io.Serializable;
import java.util.List;

/** Builds the optimizer over a model's parameters inside a task, e.g. {@code params -> new SGD(params, 0.1)}. */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** A new optimizer over {@code parameters}. */
    Optimizer create(List<Tensor> parameters);
}
