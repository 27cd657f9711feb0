package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import java.util.List;

/**
 * A backward formula: given the gradient of the output, the gradients of the inputs, in input order
 * (an entry may be null where an input needs none). Written in tensor ops, so that it is itself
 * differentiable ({@code createGraph}). Gradients may have the output's broadcast shape: the engine
 * sums them back to each input's shape.
 */
@FunctionalInterface
public interface BackwardRule {
    List<Tensor> apply(Tensor gradOutput, Saved saved);
}
