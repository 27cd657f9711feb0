package dev.jtensor;

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
 * explicit {@code new Generator(seed)}.
 */
public final class Generator {
    /** PyTorch's default seed ({@code default_rng_seed_val}), used until {@link #manualSeed} is called. */
    public static final long DEFAULT_SEED = 67280421310721L;
    /** The counter of the Philox stream device backends draw from (see {@link #offset()}). */
    private long offset;
    private static final int N = 624, M = 397;
    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    private final int[] mt = new int[N];
    private int index;
    private long seed;
    /** Box-Muller's second value, cached between scalar normal samples as PyTorch's generator does. */
    private double nextNormal;
    private boolean hasNextNormal;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) { manualSeed(seed); }

    /** The process-wide default generator (what {@code Jt.manualSeed} seeds and factories draw from). */
    public static Generator defaultGenerator() { return DEFAULT; }

    /**
     * Runs {@code draws} holding this generator's lock, so that no other thread draws in between
     * (PyTorch holds its generator's mutex for a whole op). Returns what {@code draws} returns.
     */
    public synchronized <T> T locked(java.util.function.Supplier<T> draws) { return draws.get(); }

    /** Re-seeds; the stream restarts exactly as PyTorch's after {@code manual_seed(seed)}. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        index = N;
        hasNextNormal = false;
        offset = 0;
        return this;
    }

    /**
     * Where a counter-based device stream (CUDA's Philox, keyed by {@link #initialSeed()}) continues: the
     * next counter a CUDA random op of this generator uses ({@code torch.Generator.get_offset()}); 0 after
     * {@link #manualSeed}. CPU draws (mt19937) do not move it.
     */
    public synchronized long offset() { return offset; }

    /** Sets {@link #offset()} ({@code torch.Generator.set_offset}): device ops advance it by what they used. */
    public synchronized void setOffset(long offset) {
        if (offset < 0) throw new IllegalArgumentException("generator offset must be >= 0, got " + offset);
        this.offset = offset;
    }

    /** The seed last set. */
    public synchronized long initialSeed() { return seed; }

    /** The next 32 random bits, as an unsigned value in a long. */
    public synchronized long random() {
        if (index >= N) twist();
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** 64 random bits from two draws, high word first (PyTorch's random64). */
    public synchronized long random64() {
        long hi = random(), lo = random();
        return (hi << 32) | lo;
    }

    /** PyTorch's uniform_real_distribution&lt;float&gt;: 24 random bits scaled to [from, to). */
    public synchronized double uniformFloat(double from, double to) {
        double x = (random() & ((1 << 24) - 1)) * 0x1p-24;
        return x * (to - from) + from;
    }

    /** PyTorch's uniform_real_distribution&lt;double&gt;: 53 random bits scaled to [from, to). */
    public synchronized double uniformDouble(double from, double to) {
        double x = (random64() & ((1L << 53) - 1)) * 0x1p-53;
        return x * (to - from) + from;
    }

    /** PyTorch's scalar normal_distribution&lt;double&gt; (Box-Muller, caching the second value). */
    public synchronized double normal(double mean, double std) {
        if (hasNextNormal) {
            hasNextNormal = false;
            return nextNormal * std + mean;
        }
        double u1 = uniformDouble(0, 1), u2 = uniformDouble(0, 1);
        double r = Math.sqrt(-2.0 * Math.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        nextNormal = r * Math.sin(theta);
        hasNextNormal = true;
        return r * Math.cos(theta) * std + mean;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) v ^= 0x9908b0df;
            mt[i] = v;
        }
        index = 0;
    }
}
