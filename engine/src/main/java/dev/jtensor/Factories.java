package dev.jtensor;

/** What the factories' {@code device=} and {@code requires_grad=} keyword arguments do, in one place. */
final class Factories {
    private Factories() {}

    /**
     * {@code t} moved to {@code device} (null: stay on the CPU) and marked to require grad when asked.
     *
     * @throws IllegalArgumentException if {@code requiresGrad} and t's dtype is not floating point (as PyTorch)
     */
    /** The device asked for; null (not given) is the CPU. */
    static Device orCpu(Device device) { return device == null ? Device.CPU : device; }

    /**
     * A random tensor for {@code device}, drawn on the host from that device's default generator (the CPU's,
     * or the CUDA device's: {@link Cuda#generator}); the caller moves it there.
     */
    static Tensor random(Device device, java.util.function.Function<Generator, Tensor> draw) {
        if (device == null || device.isCpu()) return draw.apply(Generator.defaultGenerator());
        dev.jtensor.backend.Backend.of(device); // a clear error before drawing, when the device cannot be used
        return draw.apply(Cuda.INSTANCE.generator(device.index()));
    }

    static Tensor on(Tensor t, Device device, boolean requiresGrad) {
        Tensor out = device == null ? t : t.to(device);
        return requiresGrad ? out.requiresGrad_(true) : out;
    }
}
