package dev.jtensor.backend;

import dev.jtensor.backend.cpu.NativeMemory;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

/**
 * One block of tensor memory; every view of a tensor shares its base's storage.
 *
 * <h2>Where the bytes live (decided by JMH, see bench/RESULTS.md)</h2>
 * <ul>
 *   <li>Blocks of at most {@link #HEAP_MAX_BYTES} live on the Java heap, in a {@code long[]} wrapped by
 *       {@link MemorySegment#ofArray(long[])}: allocation is a plain {@code new}, the GC frees them,
 *       and no {@link Cleaner} is needed. Native calls take them through {@code Linker.Option.critical}
 *       or a copy ({@code Blas} decides).</li>
 *   <li>Larger blocks come from {@link NativeMemory}: 64-byte aligned {@code aligned_alloc} blocks,
 *       recycled through a size-bucketed pool (fresh pages cost a page fault each, reused ones do not),
 *       with off-heap accounting that runs the GC before the limit is reached.</li>
 *   <li>Memory owned elsewhere: a mapped file or a caller's segment ({@link #wrap}), released by the
 *       given action (unmapping) or not at all (borrowed).</li>
 * </ul>
 *
 * <h2>Lifetime</h2>
 * A storage is released either explicitly ({@link #close()}, idempotent) or by its {@link Cleaner} once
 * unreachable; never both, never early. Every kernel holds a reference for its duration
 * ({@link #acquire()}/{@link #release()}), so a concurrent {@code close()} only takes effect when the
 * last running op lets go: memory is never freed under a running kernel, and any later use throws
 * {@link IllegalStateException} instead of touching freed memory.
 */
public final class Storage {
    /** Blocks up to this size live on the Java heap (a 16x16 float32 matrix is 1 KiB). */
    public static final long HEAP_MAX_BYTES = Long.getLong("jtensor.heapMaxBytes", 1024);

    private static final Cleaner CLEANER = Cleaner.create();
    /** Storages allocated by {@link #allocate}/{@link #allocateUninitialized} (tests prove out= forms allocate none). */
    private static final java.util.concurrent.atomic.LongAdder ALLOCATIONS = new java.util.concurrent.atomic.LongAdder();
    /** Numbers every storage in creation order (see {@link #serial()}). */
    private static final java.util.concurrent.atomic.AtomicLong SERIALS = new java.util.concurrent.atomic.AtomicLong();
    private static final VarHandle STATE;
    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Storage.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Set in {@link #state} once close() was called; the low bits count the holders. */
    private static final int CLOSED = 1 << 30;

    private final MemorySegment segment;
    private final long byteSize;
    private final boolean readOnly;
    private final String origin;
    private final Cleaner.Cleanable cleanable; // null: nothing to free (heap, borrowed)
    private final long serial = SERIALS.incrementAndGet();
    /** Holder count (the owner counts as one) plus the CLOSED bit. */
    @SuppressWarnings("unused") private volatile int state = 1;
    /** Bumped by every in-place write through any view, for autograd's saved-tensor checks. */
    private int version;

    private Storage(MemorySegment segment, boolean readOnly, String origin, Runnable free) {
        this.segment = segment;
        this.byteSize = segment.byteSize();
        this.readOnly = readOnly;
        this.origin = origin;
        this.cleanable = free == null ? null : CLEANER.register(this, free);
    }

    /** A zero-filled block of {@code byteSize} bytes, on the heap or from the native pool. */
    public static Storage allocate(long byteSize) {
        if (byteSize < 0) throw new IllegalArgumentException("negative storage size: " + byteSize + " bytes");
        ALLOCATIONS.increment();
        if (byteSize <= HEAP_MAX_BYTES) {
            return new Storage(MemorySegment.ofArray(new long[(int) ((byteSize + 7) >>> 3)]).asSlice(0, byteSize),
                    false, null, null);
        }
        NativeMemory.Block block = NativeMemory.allocate(byteSize, true);
        return new Storage(block.segment(), false, null, block::free);
    }

    /** Like {@link #allocate} but the contents are unspecified (every byte is about to be written). */
    public static Storage allocateUninitialized(long byteSize) {
        if (byteSize <= HEAP_MAX_BYTES) return allocate(byteSize);
        ALLOCATIONS.increment();
        NativeMemory.Block block = NativeMemory.allocate(byteSize, false);
        return new Storage(block.segment(), false, null, block::free);
    }

    /**
     * Memory owned elsewhere. {@code onRelease} (may be null) runs once, on close or when unreachable;
     * {@code origin} names the memory in error messages (e.g. the mapped file).
     */
    public static Storage wrap(MemorySegment segment, boolean readOnly, String origin, Runnable onRelease) {
        return new Storage(segment, readOnly || segment.isReadOnly(), origin, onRelease);
    }

    /** How many storages {@link #allocate}/{@link #allocateUninitialized} made so far, in this JVM. */
    public static long allocationCount() { return ALLOCATIONS.sum(); }

    /**
     * This storage's creation number: storages made later have larger ones. Autograd compares it with
     * {@link #lastSerial()} taken when a backward pass began, to tell the gradients that pass made (and
     * may keep without a copy) from memory that existed before it.
     */
    public long serial() { return serial; }

    /** The serial of the most recently created storage (0 before the first). */
    public static long lastSerial() { return SERIALS.get(); }

    /** The block's size in bytes. */
    public long byteSize() { return byteSize; }

    public boolean isReadOnly() { return readOnly; }

    /** Where the memory came from, for messages; null for ordinary allocations. */
    public String origin() { return origin; }

    public boolean isNative() { return segment.isNative(); }

    /** True once close() was called (memory may still be held by a running op). */
    public boolean isClosed() { return ((int) STATE.getVolatile(this) & CLOSED) != 0; }

    /**
     * The memory, for a caller that holds a reference ({@link #acquire()}) or accepts that
     * {@code close()} may race with it (single-threaded use).
     *
     * @throws IllegalStateException if the storage was released
     */
    public MemorySegment segment() {
        if (isClosed()) throw released();
        return segment;
    }

    /** The memory for writing: also throws if the storage is read-only (e.g. a file mapped with mode r). */
    public MemorySegment writableSegment() {
        MemorySegment s = segment();
        if (readOnly) {
            throw new IllegalStateException("tensor memory is read-only" + (origin == null ? "" : " (" + origin + ")")
                    + ": writes are not allowed; map it with a writable mode or clone() it first");
        }
        return s;
    }

    /** Takes a reference for the duration of an op; memory stays valid until {@link #release()}. */
    public MemorySegment acquire() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) throw released();
            if (STATE.compareAndSet(this, s, s + 1)) return segment;
        }
    }

    /** Returns a reference taken by {@link #acquire()}; frees the memory if it was the last one after close. */
    public void release() {
        int s = (int) STATE.getAndAdd(this, -1) - 1;
        if ((s & ~CLOSED) == 0) free();
    }

    /** Releases the memory now (or when the last running op finishes). Idempotent. */
    public void close() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) return;
            if (STATE.compareAndSet(this, s, (s | CLOSED) - 1)) {
                if (((s - 1) & ~CLOSED) == 0) free();
                return;
            }
        }
    }

    private void free() {
        if (cleanable != null) cleanable.clean(); // runs the free action once, and never again from the GC
    }

    /** The version counter shared by all views (PyTorch's {@code _version}). */
    public int version() { return version; }

    /** Records an in-place write. */
    public void bumpVersion() { version++; }

    private IllegalStateException released() {
        return new IllegalStateException("tensor memory was released (close() or scope end)"
                + (origin == null ? "" : " (" + origin + ")") + "; it can no longer be used");
    }
}
