package dev.jtensor.backend;

/**
 * The process-wide switch of {@code torch.use_deterministic_algorithms} as the backends read it
 * ({@code Jt.useDeterministicAlgorithms} sets it). The CPU index kernels are deterministic either way (one
 * thread, index order); on CUDA the accumulating index verbs ({@code index_add}, {@code scatter_add}, the
 * embedding backward) use atomics, whose float sums may differ run to run in the last bits, unless this is on:
 * then they accumulate in index order (on the host until a sorted kernel lands).
 */
public final class Determinism {
    private static volatile boolean enabled;

    private Determinism() {}

    /** Whether deterministic algorithms are required. */
    public static boolean enabled() { return enabled; }

    /** Requires ({@code true}) or releases deterministic algorithms. */
    public static void set(boolean on) { enabled = on; }
}
