package dev.jtensor.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The intra-op thread pool (PyTorch's {@code set_num_threads}): large kernels split their index range
 * into one chunk per thread. Small ranges run on the caller's thread, since handing work to the pool
 * costs microseconds. OpenBLAS is set to the same thread count ({@code Jt.setNumThreads}).
 */
public final class Parallel {
    private Parallel() {}

    /** A body over the half-open index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(long from, long to);
    }

    private static volatile int numThreads = Math.max(1, Config.intValue("jtensor.numThreads",
            Runtime.getRuntime().availableProcessors(), 1));
    private static volatile ForkJoinPool pool;

    public static int numThreads() { return numThreads; }

    /** Sets the intra-op thread count (&gt;= 1); the pool is rebuilt lazily. */
    public static synchronized void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("number of threads must be positive, got " + n);
        if (n == numThreads) return;
        numThreads = n;
        ForkJoinPool old = pool;
        pool = null;
        if (old != null) old.shutdown();
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new ForkJoinPool(numThreads, pool -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setName("jtensor-intraop-" + t.getPoolIndex());
                        t.setDaemon(true);
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over [0, n), split into at most numThreads chunks of at least {@code grain}
     * indices each; returns when all chunks are done.
     */
    public static void forRange(long n, long grain, RangeBody body) {
        int threads = numThreads;
        if (threads == 1 || n <= grain || Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(threads, Math.max(1, n / Math.max(grain, 1)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        pool().invoke(new Chunk(body, 0, n, chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private final RangeBody body;
        private final long from, to;
        private final int chunks;

        Chunk(RangeBody body, long from, long to, int chunks) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.chunks = chunks;
        }

        @Override
        protected void compute() {
            if (chunks == 1) {
                body.run(from, to);
                return;
            }
            int left = chunks / 2;
            long mid = from + (to - from) * left / chunks;
            mid = (mid + 15) & ~15L; // chunk borders on 16-element (64-byte float) lines
            if (mid > to) mid = to;
            invokeAll(new Chunk(body, from, mid, left), new Chunk(body, mid, to, chunks - left));
        }
    }
}
