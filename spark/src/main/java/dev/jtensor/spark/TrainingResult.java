package dev.jtensor.spark;

import dev.jtensor.Tensor;
import java.util.Map;

/**
 * What data-parallel training returns to the driver.
 *
 * @param stateDict rank 0's final state dict (every rank holds the same), ready for {@code Module.loadStateDict}
 *     or {@code Npz.save}
 * @param losses the loss of each step, averaged over the ranks: with equal local batches and a mean
 *     loss, the loss of the whole global batch
 */
public record TrainingResult(Map<String, Tensor> stateDict, double[] losses) {}
