package dev.jtensor;

/** What the factories' {@code device=} and {@code requires_grad=} keyword arguments do, in one place. */
final class Factories {
    private Factories() {}

    /**
     * {@code t} moved to {@code device} (null: stay on the CPU) and marked to require grad when asked.
     *
     * @throws IllegalArgumentException if {@code requiresGrad} and t's dtype is not floating point (as PyTorch)
     */
    static Tensor on(Tensor t, Device device, boolean requiresGrad) {
        Tensor out = device == null ? t : t.to(device);
        return requiresGrad ? out.requiresGrad_(true) : out;
    }
}
