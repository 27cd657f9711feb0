package dev.jtensor.backend.cpu;

import dev.jtensor.internal.Config;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The intra-op thread pool (PyTorch's {@code set_num_threads}): a large kernel splits its index range
 * into at most {@link #numThreads()} chunks, and the calling thread runs them together with whichever
 * pool workers are idle at that moment.
 *
 * <p><b>Adapting to concurrent callers.</b> A service calls ops from many request threads at once. Each
 * call borrows only idle workers, and no more than the cores that other calling threads leave free: with
 * as many callers as threads (or more), every call runs on its own caller's thread and nothing competes
 * with the request threads. Idle workers park (no spinning), and OpenBLAS runs single-threaded inside each
 * call (its own pthreads pool would spin beside ours): jtensor splits large matrix products itself
 * ({@code CpuLinalg}).
 *
 * <p><b>Same bits whatever the load.</b> The chunk borders depend only on the range, the grain and the
 * thread setting, never on how many workers happened to be free, so a result (a split sum, say) has the
 * same bits whether the call ran alone or beside fifteen others.
 *
 * <p>A call from inside a chunk (nested parallelism) or from a {@link ForkJoinWorkerThread} (a parallel
 * stream that is already parallel) runs inline.
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
    /** Threads now inside {@link #forRange} with more than one chunk (callers, not workers). */
    private static final AtomicInteger activeCallers = new AtomicInteger();
    private static final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger started = new AtomicInteger();
    private static final ThreadLocal<Boolean> IN_CHUNK = new ThreadLocal<>();

    public static int numThreads() { return numThreads; }

    /** Sets the intra-op thread count (&gt;= 1); workers beyond the new count retire when next idle. */
    public static synchronized void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("number of threads must be positive, got " + n);
        numThreads = n;
    }

    /**
     * Runs {@code body} over [0, n), split into at most numThreads chunks of at least {@code grain}
     * indices each; returns when all chunks are done. An exception from a chunk is rethrown here (the
     * first one; the other chunks still finish).
     */
    public static void forRange(long n, long grain, RangeBody body) {
        int threads = numThreads;
        if (threads == 1 || n <= grain || runsInline()) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(threads, Math.max(1, n / Math.max(grain, 1)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        activeCallers.incrementAndGet();
        try {
            new Job(body, n, chunks, Thread.currentThread()).run(threads);
        } finally {
            activeCallers.decrementAndGet();
        }
    }

    private static boolean runsInline() {
        return IN_CHUNK.get() != null || Thread.currentThread() instanceof ForkJoinWorkerThread;
    }

    /** Chunk {@code c} of {@code chunks} over [0, n): borders on 16-element (64-byte float) lines. */
    static long border(long n, int chunks, int c) {
        if (c >= chunks) return n;
        long b = n * c / chunks;
        b = (b + 15) & ~15L;
        return Math.min(b, n);
    }

    /** One parallel call: chunks handed out by a counter to the caller and the workers it borrowed. */
    private static final class Job {
        final RangeBody body;
        final long n;
        final int chunks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger pending;
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(RangeBody body, long n, int chunks, Thread caller) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.caller = caller;
            this.pending = new AtomicInteger(chunks);
        }

        void run(int threads) {
            // Cores the other callers leave free, beyond the one this caller runs on.
            int free = threads - activeCallers.get();
            int borrow = Math.min(chunks - 1, free);
            for (int i = 0; i < borrow; i++) {
                Worker w = borrowWorker(threads);
                if (w == null) break;
                w.assign(this);
            }
            work();
            boolean interrupted = false;
            while (pending.get() > 0) {
                LockSupport.park(this);
                if (Thread.interrupted()) interrupted = true; // finish waiting; the flag is restored below
            }
            if (interrupted) Thread.currentThread().interrupt();
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }

        /** Takes chunks until none is left; the thread finishing the last one wakes the caller. */
        void work() {
            IN_CHUNK.set(Boolean.TRUE);
            try {
                int c;
                while ((c = next.getAndIncrement()) < chunks) {
                    try {
                        body.run(border(n, chunks, c), border(n, chunks, c + 1));
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                    if (pending.decrementAndGet() == 0) LockSupport.unpark(caller);
                }
            } finally {
                IN_CHUNK.remove();
            }
        }
    }

    /** An idle worker, or a new one while fewer than {@code threads - 1} exist; null if none is free. */
    private static Worker borrowWorker(int threads) {
        Worker w = idle.pollFirst();
        if (w != null) return w;
        while (true) {
            int s = started.get();
            if (s >= threads - 1) return null;
            if (started.compareAndSet(s, s + 1)) return Worker.start(s);
        }
    }

    /** A parked daemon thread that runs the chunks of one job at a time. */
    private static final class Worker implements Runnable {
        private volatile Job job;
        private Thread thread;

        static Worker start(int index) {
            Worker w = new Worker();
            w.thread = Thread.ofPlatform().daemon().name("jtensor-intraop-" + index).unstarted(w);
            w.thread.start();
            return w;
        }

        void assign(Job j) {
            job = j;
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (true) {
                Job j;
                while ((j = job) == null) LockSupport.park(this);
                job = null;
                j.work();
                if (started.get() > numThreads - 1 && retire()) return;
                idle.offerFirst(this);
            }
        }

        private boolean retire() {
            int s = started.get();
            return s > numThreads - 1 && started.compareAndSet(s, s - 1);
        }
    }
}
