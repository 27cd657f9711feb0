package dev.jtensor.backend;

import dev.jtensor.DType;
import dev.jtensor.backend.plan.Layout;

/**
 * One operand of a verb: its buffer, the dtype of its elements and the view the verb reads or writes (offset and
 * strides in elements). Verbs that take operands take the output first.
 */
public record Operand(Buffer buffer, DType type, Layout layout) {}
