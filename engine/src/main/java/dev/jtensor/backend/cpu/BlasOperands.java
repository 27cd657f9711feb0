package dev.jtensor.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * How one {@link Blas} call reaches native code: which downcall handle, and which pointers.
 *
 * <p>The rule (one place, used by every BLAS call):
 * <ul>
 *   <li><b>Small calls</b> (at most {@link #CRITICAL_MAX_WORK} multiply-adds or elements) go through a
 *       {@code Linker.Option.critical(true)} handle, which skips the Java-to-native thread transition and
 *       may be given heap segments ({@code MemorySegment.ofArray}) directly: small tensors live on the
 *       heap (see {@code Storage}), and copying them would cost more than the call.</li>
 *   <li><b>Larger calls</b> use the ordinary handle. A critical call holds off safepoints, so every GC
 *       pause of every thread waits for it; the {@code Linker} documentation limits it to calls of
 *       "extremely short running time". Heap operands of a larger call are copied into native memory of
 *       a confined arena (and written back if BLAS writes them); native ones are passed in place.</li>
 *   <li>An operand not aligned to its element size (a {@code byte[]}-backed heap segment, an odd native
 *       address) is always copied to aligned native memory, on either path.</li>
 * </ul>
 * The limit, 2^18 = 64^3, is also where OpenBLAS 0.3.28 stops threading gemm (m*n*k at most
 * SMP_THRESHOLD_MIN 65536 * GEMM_MULTITHREAD_THRESHOLD 4 runs on the calling thread), so a critical
 * call never waits on OpenBLAS's worker threads. Measured on the 2-core Cooperlake box (throwaway timing
 * loop, JDK 25): sgemm 64x64x64 on heap segments 4.6 us per call; sdot of 16 floats 25-50 ns through
 * this class against 13 ns for a bare critical handle and 17-27 ns for the generated (non-critical) one.
 */
final class BlasOperands implements AutoCloseable {
    /** Largest work (m*n*k for gemm, m*n for gemv/ger, n for BLAS-1) run through a critical handle. */
    static final long CRITICAL_MAX_WORK = 1L << 18;

    private final int elemBytes;
    private final boolean critical;
    private Arena arena;                                      // created on the first copy
    private List<MemorySegment[]> writeBacks;                 // {copy, original view}

    private BlasOperands(int elemBytes, boolean critical) {
        this.elemBytes = elemBytes;
        this.critical = critical;
    }

    /** {@code m * n * k}, saturating at {@link Long#MAX_VALUE} instead of overflowing. */
    static long work(int m, int n, int k) {
        long mn = (long) m * n;
        return k == 0 || mn <= Long.MAX_VALUE / k ? mn * k : Long.MAX_VALUE;
    }

    /** Chooses the path for a call of {@code work} over operands {@code a}, {@code b}, {@code c} (null: absent). */
    static BlasOperands of(long work, int elemBytes, MemorySegment a, MemorySegment b, MemorySegment c) {
        boolean critical = work <= CRITICAL_MAX_WORK
                && aligned(a, elemBytes) && aligned(b, elemBytes) && aligned(c, elemBytes);
        return new BlasOperands(elemBytes, critical);
    }

    private static boolean aligned(MemorySegment s, int elemBytes) {
        return s == null || s.maxByteAlignment() >= elemBytes;
    }

    /** Whether the call goes through the critical handle (and operands are passed in place). */
    boolean critical() {
        return critical;
    }

    /** An operand BLAS only reads: elements {@code [offset, offset + span)} of {@code s}. */
    MemorySegment in(MemorySegment s, long offset, long span) {
        MemorySegment view = s.asSlice(offset * elemBytes, span * elemBytes);
        return critical || passable(s) ? view : copy(view);
    }

    /** An operand BLAS writes (and may read): its contents are copied in and, after the call, back. */
    MemorySegment inOut(MemorySegment s, long offset, long span) {
        MemorySegment view = s.asSlice(offset * elemBytes, span * elemBytes);
        if (critical || passable(s)) return view;
        MemorySegment copy = copy(view);
        if (writeBacks == null) writeBacks = new ArrayList<>(2);
        writeBacks.add(new MemorySegment[] {copy, view});
        return copy;
    }

    private boolean passable(MemorySegment s) {
        return s.isNative() && s.maxByteAlignment() >= elemBytes;
    }

    private MemorySegment copy(MemorySegment view) {
        if (arena == null) arena = Arena.ofConfined();
        MemorySegment copy = arena.allocate(Math.max(view.byteSize(), 1), 64);
        MemorySegment.copy(view, 0, copy, 0, view.byteSize());
        return copy;
    }

    /** Writes copied outputs back and frees the copies. */
    @Override public void close() {
        if (arena == null) return;
        try {
            if (writeBacks != null) {
                for (MemorySegment[] wb : writeBacks) MemorySegment.copy(wb[0], 0, wb[1], 0, wb[1].byteSize());
            }
        } finally {
            arena.close();
        }
    }
}
