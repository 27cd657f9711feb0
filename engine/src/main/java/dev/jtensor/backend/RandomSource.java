package dev.jtensor.backend;

/**
 * The backend's random source: PyTorch's CPU generator state (a 32-bit Mersenne Twister, mt19937, seeded as
 * PyTorch seeds it, with its scalar transformations) and the counter of the Philox stream that device backends
 * draw from. The public {@code Generator} hands one to the backends (through
 * {@code internal.RandomSources}) and answers its own methods from it, so the numbers are one stream whichever
 * side draws.
 *
 * <p>Thread-safe: every method holds {@link #lock()}, the monitor of the object that owns this source (the public
 * generator), and an op that draws many numbers holds it for all its draws, so that they are one unbroken run of the
 * stream however many threads share the generator.
 */
public final class RandomSource {
    private static final int N = 624, M = 397;

    private final Object lock;
    private final int[] mt = new int[N];
    private int index;
    private long seed;
    /** The counter of the Philox stream device backends draw from (see {@link #offset()}). */
    private long offset;
    /** Box-Muller's second value, cached between scalar normal samples as PyTorch's generator does. */
    private double nextNormal;
    private boolean hasNextNormal;

    /** A source seeded with {@code seed} whose draws lock {@code lock}. */
    public RandomSource(long seed, Object lock) {
        this.lock = lock;
        manualSeed(seed);
    }

    /** The monitor every draw holds; a backend holds it across one op's draws. */
    public Object lock() { return lock; }

    /** Re-seeds; the stream restarts exactly as PyTorch's after {@code manual_seed(seed)}. */
    public void manualSeed(long seed) {
        synchronized (lock) {
            this.seed = seed;
            mt[0] = (int) seed;
            for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
            index = N;
            hasNextNormal = false;
            offset = 0;
        }
    }

    /**
     * Where a counter-based device stream (CUDA's Philox, keyed by {@link #initialSeed()}) continues: the next
     * counter a device random op uses; 0 after {@link #manualSeed}. CPU draws (mt19937) do not move it.
     */
    public long offset() {
        synchronized (lock) {
            return offset;
        }
    }

    /** Sets {@link #offset()}: device ops advance it by what they used. */
    public void setOffset(long offset) {
        if (offset < 0) throw new IllegalArgumentException("generator offset must be >= 0, got " + offset);
        synchronized (lock) {
            this.offset = offset;
        }
    }

    /** The seed last set. */
    public long initialSeed() {
        synchronized (lock) {
            return seed;
        }
    }

    /** The next 32 random bits, as an unsigned value in a long. */
    public long random() {
        synchronized (lock) {
            if (index >= N) twist();
            int y = mt[index++];
            y ^= y >>> 11;
            y ^= (y << 7) & 0x9d2c5680;
            y ^= (y << 15) & 0xefc60000;
            y ^= y >>> 18;
            return y & 0xffffffffL;
        }
    }

    /** 64 random bits from two draws, high word first (PyTorch's random64). */
    public long random64() {
        synchronized (lock) {
            long hi = random(), lo = random();
            return (hi << 32) | lo;
        }
    }

    /** PyTorch's uniform_real_distribution&lt;float&gt;: 24 random bits scaled to [from, to). */
    public double uniformFloat(double from, double to) {
        double x = (random() & ((1 << 24) - 1)) * 0x1p-24;
        return x * (to - from) + from;
    }

    /** PyTorch's uniform_real_distribution&lt;double&gt;: 53 random bits scaled to [from, to). */
    public double uniformDouble(double from, double to) {
        double x = (random64() & ((1L << 53) - 1)) * 0x1p-53;
        return x * (to - from) + from;
    }

    /** PyTorch's scalar normal_distribution&lt;double&gt; (Box-Muller, caching the second value). */
    public double normal(double mean, double std) {
        synchronized (lock) {
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
