package dev.jtensor.internal;

import dev.jtensor.Tensor;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Which tensors are module parameters ({@code nn.Parameter}): they print as PyTorch prints a parameter,
 * {@code Parameter containing:} above the tensor. Weakly held (Tensor keeps Object's identity
 * equality), so marking never keeps a tensor alive.
 */
public final class ParameterMarks {
    private static final Set<Tensor> MARKED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<Tensor, Boolean>()));

    private ParameterMarks() {}

    public static void mark(Tensor t) { MARKED.add(t); }

    public static boolean isMarked(Tensor t) { return !MARKED.isEmpty() && MARKED.contains(t); }
}
