package dev.jtensor.backend.cpu;

import dev.jtensor.internal.Config;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * jtensor's native allocator: 64-byte aligned blocks from libc's {@code aligned_alloc}, a size-bucketed
 * pool of freed blocks, and accounting of every live byte.
 *
 * <p>Why a pool: a fresh 64 MiB block costs 16,384 page faults on first touch (glibc serves it with
 * {@code mmap} and unmaps it on {@code free}); a recycled one costs none. Sizes are rounded up to a
 * size class (4 KiB steps below 1 MiB, then eight classes per power of two, at most 12.5% slack) so that
 * repeated ops of one shape reuse exactly fitting blocks. At most {@link #poolCapBytes()} are kept idle.
 *
 * <p>Why stripes: request threads of a service allocate and free a few blocks per request each. One lock and
 * shared counters over the pool made every core write the same cache lines per block; so the pool is split in
 * stripes (a power of two, at least twice the cores), each thread keeps to its own stripe (dealt round robin on
 * first use), counters that every block touches are {@link LongAdder}s, and a stripe that runs dry takes from the
 * others before asking libc. Blocks freed on another thread (a cleaner) go to that thread's stripe.
 *
 * <p>Why accounting: memory behind unreachable tensors is freed by a {@code Cleaner}, which runs only
 * after a GC, and the GC does not see native bytes. As {@code java.nio.Bits} does for direct buffers,
 * an allocation that would pass {@link #limitBytes()} first runs the GC and waits for cleaners, and only
 * then fails with an {@link OutOfMemoryError} that says how to raise the limit.
 *
 * <p>Why a collection well before the limit: a program that allocates few Java objects (a training
 * loop's tensors are small objects over big native blocks) may run no GC for gigabytes of native
 * allocation, so no block returns to the pool and every new tensor gets fresh pages (a page fault per
 * 4 KiB: measured 1.2 ms for a 256x256 float32 relu, 10 us with a recycled block). So once the bytes
 * the pool could not serve since the last GC pass both {@link #gcFloorBytes()} and the bytes in use before
 * them (the heap's doubling rule), and no GC ran meanwhile, {@code allocate} asks for one ({@code System.gc()});
 * the unreachable tensors' blocks then come back to the pool, and the next allocations reuse them.
 *
 * <p>Why 256 MiB and not less: a lower floor means more full GCs in a steady loop. A 64 MiB floor, tried when
 * {@code zeroGrad()}'s dropped gradients were still garbage for the GC, cut the MLP 784-256-10's first 300 steps by
 * 10-15% but, at one full GC per ~80 steps, made its steady step 40% slower
 * ({@code bench/results/round3/cold-start-gc-floor-interleaved.txt}). The garbage is now avoided where it was made:
 * {@code zero_grad} gives a gradient no user code holds back to the pool at once ({@code internal.LeafGrads}), so
 * that loop holds 2 MiB after 300 steps instead of 234 MiB.
 */
public final class NativeMemory {
    /** Alignment of every block: one cache line, and the widest AVX-512 vector. */
    public static final long ALIGNMENT_BYTES = 64;

    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;
    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        ALIGNED_ALLOC = linker.downcallHandle(libc.find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(libc.find("free").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    private static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final LongAdder POOLED_BYTES = new LongAdder();
    private static final AtomicLong PEAK_BYTES = new AtomicLong();
    private static final LongAdder ALLOCATIONS = new LongAdder();
    private static volatile long limitBytes = Config.bytes("jtensor.memory.limitBytes",
            Math.max(Runtime.getRuntime().maxMemory(), 1L << 30), 0);
    private static volatile long poolCapBytes = Config.bytes("jtensor.memory.poolCapBytes", 1L << 30, 0);
    private static final Stripe[] STRIPES = new Stripe[Math.min(64, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors())) * 4)];
    private static final AtomicInteger NEXT_STRIPE = new AtomicInteger();
    private static final ThreadLocal<Stripe> HOME = ThreadLocal.withInitial(
            () -> STRIPES[NEXT_STRIPE.getAndIncrement() & (STRIPES.length - 1)]);
    static {
        for (int i = 0; i < STRIPES.length; i++) STRIPES[i] = new Stripe();
    }
    /**
     * Bytes of pool misses (requests the pool could not serve) since the last GC this class knows of. Pool
     * hits do not count: a loop that closes its results reuses one block forever, and counting that reuse
     * ran a full GC (15-40 ms, measured on the 2-core box in JMH) about every 2 s of 1024^2 matmuls.
     */
    private static final AtomicLong SINCE_GC = new AtomicLong();
    /** Cleared by the first GC after it was made: tells whether a GC ran since the window opened. */
    private static volatile WeakReference<Object> gcSentinel = new WeakReference<>(new Object());
    private static volatile long gcFloorBytes = Config.bytes("jtensor.memory.gcFloorBytes", 256L << 20, 0);
    private static final AtomicLong REQUESTED_GCS = new AtomicLong();

    private NativeMemory() {}

    /** A live native block; {@link #free()} returns it to the pool (or to libc past the cap). */
    public record Block(MemorySegment segment, long address, long classBytes) {
        public void free() { NativeMemory.free(address, classBytes); }
    }

    /**
     * A block of at least {@code byteSize} bytes (the segment is exactly {@code byteSize} long).
     *
     * @param zero whether to zero it (pooled blocks hold old data; fresh ones are zero already only by chance)
     */
    public static Block allocate(long byteSize, boolean zero) {
        long classBytes = sizeClass(byteSize);
        ALLOCATIONS.increment();
        long address = takePooled(classBytes);
        if (address == 0) { // only pool misses count: a hit means blocks are coming back (close() or cleaners)
            collectIfDue(classBytes);
            address = takePooled(classBytes);
        }
        if (address == 0) {
            reserve(classBytes);
            address = mallocAligned(classBytes);
        }
        MemorySegment segment = MemorySegment.ofAddress(address).reinterpret(byteSize);
        if (zero) segment.fill((byte) 0);
        return new Block(segment, address, classBytes);
    }

    /**
     * Counts {@code classBytes} into the window since the last GC and runs a GC when the window passed
     * the floor and the bytes in use before it (see the class comment).
     */
    private static void collectIfDue(long classBytes) {
        long since = SINCE_GC.addAndGet(classBytes);
        if (since < gcFloorBytes) return;
        if (gcSentinel.refersTo(null)) { // a GC ran meanwhile: its cleaners refill the pool
            restartWindow();
            return;
        }
        long inUse = LIVE_BYTES.get() - POOLED_BYTES.sum();
        if (since < inUse - since) return;
        restartWindow();
        REQUESTED_GCS.incrementAndGet();
        System.gc();
    }

    private static void restartWindow() {
        SINCE_GC.set(0);
        gcSentinel = new WeakReference<>(new Object());
    }

    /** The size class a request is rounded up to. */
    static long sizeClass(long byteSize) {
        long n = Math.max(byteSize, 1);
        if (n <= (1L << 20)) return (n + 4095) & ~4095L;
        long pow = Long.highestOneBit(n - 1);           // n is in (pow, 2 pow]
        long step = pow >>> 3;
        return (n + step - 1) / step * step;
    }

    /**
     * The index of a size class (see {@link #sizeClass}): 0-255 for the 4 KiB steps up to 1 MiB, then eight per
     * power of two.
     */
    static int classIndex(long classBytes) {
        if (classBytes <= (1L << 20)) return (int) (classBytes >>> 12) - 1;
        long pow = Long.highestOneBit(classBytes - 1);
        return 256 + (Long.numberOfTrailingZeros(pow) - 20) * 8 + (int) (classBytes / (pow >>> 3)) - 9;
    }

    /** A pooled block of {@code classBytes}, from this thread's stripe or else any other; 0 when none is idle. */
    private static long takePooled(long classBytes) {
        int index = classIndex(classBytes);
        Stripe home = HOME.get();
        long address = home.take(index);
        if (address == 0) {
            for (Stripe other : STRIPES) {
                if (other != home && (address = other.take(index)) != 0) break;
            }
        }
        if (address != 0) POOLED_BYTES.add(-classBytes);
        return address;
    }

    private static void free(long address, long classBytes) {
        if (POOLED_BYTES.sum() + classBytes <= poolCapBytes) {
            POOLED_BYTES.add(classBytes);
            HOME.get().put(classIndex(classBytes), address);
            return;
        }
        freeToLibc(address, classBytes);
    }

    private static void freeToLibc(long address, long classBytes) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
        LIVE_BYTES.addAndGet(-classBytes);
    }

    private static long mallocAligned(long classBytes) {
        MemorySegment p;
        try {
            p = (MemorySegment) ALIGNED_ALLOC.invokeExact(ALIGNMENT_BYTES, classBytes);
        } catch (Throwable t) {
            throw new IllegalStateException("aligned_alloc failed", t);
        }
        if (p.address() == 0) {
            LIVE_BYTES.addAndGet(-classBytes);
            throw new OutOfMemoryError("aligned_alloc(" + classBytes + " bytes) returned NULL: the system is out of memory");
        }
        return p.address();
    }

    /** Counts {@code bytes} as live, running the GC first (as java.nio.Bits does) if that would pass the limit. */
    private static void reserve(long bytes) {
        if (tryReserve(bytes)) return;
        trimPool();
        if (tryReserve(bytes)) return;
        long sleepMillis = 1;
        for (int attempt = 0; attempt < 10; attempt++) {
            System.gc();
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleepMillis <<= 1;
            trimPool();
            if (tryReserve(bytes)) return;
        }
        throw new OutOfMemoryError("jtensor native memory limit reached: " + LIVE_BYTES.get() + " bytes live, "
                + bytes + " more requested, limit " + limitBytes + " bytes; close() tensors you no longer need, "
                + "or raise -Djtensor.memory.limitBytes");
    }

    private static boolean tryReserve(long bytes) {
        while (true) {
            long live = LIVE_BYTES.get();
            if (live + bytes > limitBytes) return false;
            if (LIVE_BYTES.compareAndSet(live, live + bytes)) {
                PEAK_BYTES.accumulateAndGet(live + bytes, Math::max);
                return true;
            }
        }
    }

    /** Frees every idle pooled block back to libc ({@code torch.cuda.empty_cache}'s CPU twin). */
    public static void trimPool() {
        for (Stripe stripe : STRIPES) stripe.drain();
    }

    /** Bytes held from libc: in live tensors plus idle in the pool. */
    public static long liveBytes() { return LIVE_BYTES.get(); }

    /** The most {@link #liveBytes} has been since the start or {@link #resetPeakLiveBytes} (a high-water mark, as {@code torch.cuda.max_memory_allocated}). */
    public static long peakLiveBytes() { return PEAK_BYTES.get(); }

    /** Restarts {@link #peakLiveBytes} from the bytes held now. */
    public static void resetPeakLiveBytes() { PEAK_BYTES.set(LIVE_BYTES.get()); }

    /** Bytes idle in the pool. */
    public static long pooledBytes() { return POOLED_BYTES.sum(); }

    /** Number of native allocations served so far (pooled or fresh); tests use it to prove an op allocates nothing. */
    public static long allocationCount() { return ALLOCATIONS.sum(); }

    /** How many GCs {@code allocate} asked for (see the class comment). */
    public static long requestedGcCount() { return REQUESTED_GCS.get(); }

    /** The least native allocation between two GCs {@code allocate} asks for. */
    public static long gcFloorBytes() { return gcFloorBytes; }

    public static void setGcFloorBytes(long bytes) { gcFloorBytes = bytes; }

    public static long limitBytes() { return limitBytes; }

    public static void setLimitBytes(long bytes) { limitBytes = bytes; }

    public static long poolCapBytes() { return poolCapBytes; }

    public static void setPoolCapBytes(long bytes) {
        poolCapBytes = bytes;
        trimPool();
    }

    /** One lock's share of the pool: stacks of idle block addresses by size-class index (the latest freed on top). */
    private static final class Stripe {
        private long[][] stacks = new long[0][];
        private int[] heights = new int[0];

        synchronized long take(int index) {
            if (index >= heights.length || heights[index] == 0) return 0;
            return stacks[index][--heights[index]]; // the most recently freed block is the likeliest to be in cache
        }

        synchronized void put(int index, long address) {
            if (index >= heights.length) {
                int n = Math.max(index + 1, heights.length * 2);
                stacks = Arrays.copyOf(stacks, n);
                heights = Arrays.copyOf(heights, n);
            }
            long[] stack = stacks[index];
            if (stack == null) stacks[index] = stack = new long[4];
            else if (heights[index] == stack.length) stacks[index] = stack = Arrays.copyOf(stack, stack.length * 2);
            stack[heights[index]++] = address;
        }

        /** Frees every idle block of this stripe to libc. */
        synchronized void drain() {
            for (int index = 0; index < heights.length; index++) {
                for (int i = 0; i < heights[index]; i++) {
                    long classBytes = classBytesOf(index);
                    POOLED_BYTES.add(-classBytes);
                    freeToLibc(stacks[index][i], classBytes);
                }
                heights[index] = 0;
            }
        }
    }

    /** The size class whose {@link #classIndex} is {@code index}. */
    static long classBytesOf(int index) {
        if (index < 256) return (index + 1L) << 12;
        int octave = (index - 256) / 8, k = (index - 256) % 8 + 9;
        return (1L << (20 + octave)) / 8 * k;
    }
}
