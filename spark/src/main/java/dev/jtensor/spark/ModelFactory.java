package dev.jtensor.spark;

import dev.jtensor.nn.Module;
import java.io.Serializable;

/** Builds the model's architecture inside a task (weights come from a state dict or rank 0's broadcast). */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /** A new model; it must have the same parameters, in the same order, on every call. */
    Module create();
}
