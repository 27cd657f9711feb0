package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A backward formula: given the gradient of the output, the gradients of the inputs, in input order.
 * Any subset of an op's inputs may require grad: a rule computes a gradient only where
 * {@link Saved#needsInputGrad} is true and returns {@code null} in the other places (build the list with
 * {@link #grads}, which accepts nulls; {@code List.of} does not). The engine ignores an entry for an input
 * that needs no gradient and treats a missing one as zero. Written in tensor ops, so that it is itself
 * differentiable ({@code createGraph}). Gradients may have the output's broadcast shape: the engine sums
 * them back to each input's shape.
 */
@FunctionalInterface
public interface BackwardRule {
    List<Tensor> apply(Tensor gradOutput, Saved saved);

    /** The gradients of the inputs, in input order; {@code null} entries mean "no gradient for this input". */
    static List<Tensor> grads(Tensor... perInput) { return Arrays.asList(perInput); }
}
