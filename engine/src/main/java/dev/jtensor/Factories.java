package dev.jtensor;

/** What the factories' {@code device=} and {@code requires_grad=} keyword arguments do, in one place. */
final class Factories {
    private Factories() {}

    /** The device asked for; null (not given) is the CPU. */
    static Device orCpu(Device device) { return device == null ? Device.CPU : device; }

    /**
     * A random tensor drawn on {@code device} (null: the CPU) from that device's default generator: the CPU's
     * mt19937 stream, or the CUDA device's Philox stream ({@link Cuda#generator}), as PyTorch's factories do.
     */
    static Tensor random(Device device, java.util.function.BiFunction<Generator, Device, Tensor> draw) {
        if (device == null || device.isCpu()) return draw.apply(Generator.defaultGenerator(), Device.CPU);
        return draw.apply(Cuda.INSTANCE.generator(device.index()), device);
    }

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
