package dev.jtensor;

import dev.jtensor.backend.RandomSource;
import dev.jtensor.internal.RandomSources;
import java.util.function.Supplier;

/**
 * A random number generator producing the same streams as PyTorch's CPU generator: a 32-bit
 * Mersenne Twister (mt19937) seeded the same way, with PyTorch's transformations on top (see
 * {@code internal.ops.Random}). So {@code manualSeed(42); rand(3)} gives the numbers
 * {@code torch.manual_seed(42); torch.rand(3)} gives.
 *
 * <p>Thread-safe, as PyTorch's: every method locks the generator, and an op that draws many numbers
 * (a whole {@code rand}, {@code randn}, dropout mask, permutation) holds the lock for all its draws
 * ({@link #locked}), so its numbers are one unbroken run of the stream however many threads share the
 * generator. {@link #defaultGenerator()} is one process-wide generator (PyTorch's default CPU
 * generator): {@code manualSeed(0)} on one thread and {@code rand(3)} on another give PyTorch's numbers
 * (JShell runs each snippet on a fresh thread). For per-thread or per-stream determinism, give ops an
 * explicit {@code new Generator(seed)}. The stream itself is the backend's {@code RandomSource}, which
 * this generator hands to the backends that draw from it.
 */
public final class Generator {
    static {
        RandomSources.install(g -> g.source);
    }

    /** PyTorch's default seed ({@code default_rng_seed_val}), used until {@link #manualSeed} is called. */
    public static final long DEFAULT_SEED = 67280421310721L;
    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    /** The stream itself, below the seam; its draws lock this generator. */
    private final RandomSource source;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) { this.source = new RandomSource(seed, this); }

    /** The process-wide default generator (what {@code Jt.manualSeed} seeds and factories draw from). */
    public static Generator defaultGenerator() { return DEFAULT; }

    /**
     * Runs {@code draws} holding this generator's lock, so that no other thread draws in between
     * (PyTorch holds its generator's mutex for a whole op). Returns what {@code draws} returns.
     */
    public synchronized <T> T locked(Supplier<T> draws) { return draws.get(); }

    /** Re-seeds; the stream restarts exactly as PyTorch's after {@code manual_seed(seed)}. */
    public Generator manualSeed(long seed) {
        source.manualSeed(seed);
        return this;
    }

    /**
     * Where a counter-based device stream (CUDA's Philox, keyed by {@link #initialSeed()}) continues: the
     * next counter a CUDA random op of this generator uses ({@code torch.Generator.get_offset()}); 0 after
     * {@link #manualSeed}. CPU draws (mt19937) do not move it.
     */
    public long offset() { return source.offset(); }

    /** Sets {@link #offset()} ({@code torch.Generator.set_offset}): device ops advance it by what they used. */
    public void setOffset(long offset) { source.setOffset(offset); }

    /** The seed last set. */
    public long initialSeed() { return source.initialSeed(); }

    /** The next 32 random bits, as an unsigned value in a long. */
    public long random() { return source.random(); }

    /** 64 random bits from two draws, high word first (PyTorch's random64). */
    public long random64() { return source.random64(); }

    /** PyTorch's uniform_real_distribution&lt;float&gt;: 24 random bits scaled to [from, to). */
    public double uniformFloat(double from, double to) { return source.uniformFloat(from, to); }

    /** PyTorch's uniform_real_distribution&lt;double&gt;: 53 random bits scaled to [from, to). */
    public double uniformDouble(double from, double to) { return source.uniformDouble(from, to); }

    /** PyTorch's scalar normal_distribution&lt;double&gt; (Box-Muller, caching the second value). */
    public double normal(double mean, double std) { return source.normal(mean, std); }
}
