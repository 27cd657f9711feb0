package dev.jtensor.backend;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;

/**
 * One block of tensor memory, on any device; every view of a tensor shares its base's storage. It holds a
 * {@link Buffer} (host memory or device memory), a reference count, a version counter and the action that
 * frees the memory. Memory is allocated by the device's {@link Backend} ({@link #allocate(Backend, long,
 * boolean)}; where the CPU puts its bytes is {@code CpuBackend}'s decision), or wraps memory owned
 * elsewhere: a mapped file or a caller's segment ({@link #wrap}), released by the given action
 * (unmapping) or not at all (borrowed).
 *
 * <h2>Lifetime</h2>
 * A storage is released either explicitly ({@link #close()}, idempotent) or by its {@link Cleaner} once
 * unreachable; never both, never early. Every kernel holds a reference for its duration
 * ({@link #acquire()}/{@link #release()}), so a concurrent {@code close()} only takes effect when the
 * last running op lets go: memory is never freed under a running kernel, and any later use throws
 * {@link IllegalStateException} instead of touching freed memory.
 */
public final class Storage {
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

    private final Buffer buffer;
    /** The host memory, or null for device memory. */
    private final MemorySegment segment;
    /** Native or device memory: a kernel takes a reference ({@link #pin}); heap memory is GC-owned. */
    private final boolean counted;
    private final long byteSize;
    private final boolean readOnly;
    private final String origin;
    /** Throws when the memory went bad underneath (a mapped file that shrank); null for memory that cannot. */
    private final Runnable intactCheck;
    private final Cleaner.Cleanable cleanable; // null: nothing to free (heap, borrowed)
    private final long serial = SERIALS.incrementAndGet();
    /** Holder count (the owner counts as one) plus the CLOSED bit. */
    @SuppressWarnings("unused") private volatile int state = 1;
    /** Bumped by every in-place write through any view, for autograd's saved-tensor checks. */
    private int version;

    private Storage(Buffer buffer, boolean readOnly, String origin, Runnable free) {
        this(buffer, readOnly, origin, free, null);
    }

    private Storage(Buffer buffer, boolean readOnly, String origin, Runnable free, Runnable intactCheck) {
        this.intactCheck = intactCheck;
        this.buffer = buffer;
        this.segment = buffer instanceof Buffer.HostMemory h ? h.segment() : null;
        this.counted = segment == null || segment.isNative();
        this.byteSize = buffer.byteSize();
        this.readOnly = readOnly;
        this.origin = origin;
        this.cleanable = free == null ? null : CLEANER.register(this, free);
    }

    /** A block of {@code byteSize} bytes from {@code backend}, zero-filled when {@code zero}. */
    public static Storage allocate(Backend backend, long byteSize, boolean zero) {
        Storage s = of(backend.allocate(byteSize, zero));
        ALLOCATIONS.increment();
        return s;
    }

    /** The storage owning a backend's allocation: its free action runs once, on close or when unreachable. */
    public static Storage of(Backend.Allocation allocation) {
        return new Storage(allocation.buffer(), false, null, allocation.free());
    }

    /** A zero-filled block of {@code byteSize} bytes in host memory. */
    public static Storage allocate(long byteSize) { return allocate(Backend.cpu(), byteSize, true); }

    /** Like {@link #allocate(long)} but the contents are unspecified (every byte is about to be written). */
    public static Storage allocateUninitialized(long byteSize) { return allocate(Backend.cpu(), byteSize, false); }

    /**
     * Memory owned elsewhere. {@code onRelease} (may be null) runs once, on close or when unreachable;
     * {@code origin} names the memory in error messages (e.g. the mapped file).
     */
    public static Storage wrap(MemorySegment segment, boolean readOnly, String origin, Runnable onRelease) {
        return new Storage(new Buffer.HostMemory(segment), readOnly || segment.isReadOnly(), origin, onRelease);
    }

    /**
     * {@link #wrap(MemorySegment, boolean, String, Runnable)} for memory that can go bad underneath (a file
     * mapping whose file may shrink): {@code intactCheck} throws {@link IllegalStateException} once it has.
     * It runs when a reference is taken ({@link #acquire}, {@link #pin}) and when it is given back
     * ({@link #release}, after the count dropped), so an op that read or wrote lost pages fails, and so does
     * every later use.
     */
    public static Storage wrapMapped(MemorySegment segment, boolean readOnly, String origin, Runnable onRelease, Runnable intactCheck) {
        return new Storage(new Buffer.HostMemory(segment), readOnly || segment.isReadOnly(), origin, onRelease, intactCheck);
    }

    /** Throws {@link IllegalStateException} if the memory went bad underneath (see {@link #wrapMapped}). */
    public void checkIntact() {
        if (intactCheck != null) intactCheck.run();
    }

    private void checkIntactHeld() {
        try {
            intactCheck.run();
        } catch (RuntimeException e) {
            release();
            throw e;
        }
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

    public boolean isNative() { return segment != null && segment.isNative(); }

    /**
     * True for memory a kernel must hold a reference on ({@link #pin}): native host memory and device
     * memory. Heap memory cannot be freed under a running kernel (the GC keeps it while referenced).
     */
    public boolean isCounted() { return counted; }

    /** Where the bytes are. */
    public Buffer buffer() { return buffer; }

    /** True once close() was called (memory may still be held by a running op). */
    public boolean isClosed() { return ((int) STATE.getVolatile(this) & CLOSED) != 0; }

    /** Throws {@link IllegalStateException} if the storage was released (close() or scope end). */
    public void checkLive() {
        if (isClosed()) throw released();
    }

    /**
     * The memory, for a caller that holds a reference ({@link #acquire()}) or accepts that
     * {@code close()} may race with it (single-threaded use). Above the backend seam only
     * the one door for host bytes above the seam (internal {@code HostData}) calls this and {@link #acquire()}.
     *
     * @throws IllegalStateException if the storage was released
     */
    public MemorySegment segment() {
        if (isClosed()) throw released();
        if (segment == null) throw notOnHost();
        return segment;
    }

    /** The memory for writing: also throws if the storage is read-only (e.g. a file mapped with mode r). */
    public MemorySegment writableSegment() {
        checkWritable();
        return segment();
    }

    /** Takes a reference for the duration of an op; memory stays valid until {@link #release()}. */
    public MemorySegment acquire() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) throw released();
            if (STATE.compareAndSet(this, s, s + 1)) {
                if (segment == null) {
                    release();
                    throw notOnHost();
                }
                if (intactCheck != null) checkIntactHeld();
                return segment;
            }
        }
    }

    /**
     * Takes a reference for the duration of a kernel, on any device (the device-neutral twin of
     * {@link #acquire()}); give it back with {@link #release()}.
     *
     * @throws IllegalStateException if the storage was released
     */
    public Buffer pin() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) throw released();
            if (STATE.compareAndSet(this, s, s + 1)) {
                if (intactCheck != null) checkIntactHeld();
                return buffer;
            }
        }
    }

    /** Throws if this memory may not be written (e.g. a file mapped with mode r) or was released. */
    public void checkWritable() {
        if (isClosed()) throw released();
        if (readOnly) {
            throw new IllegalStateException("tensor memory is read-only" + (origin == null ? "" : " (" + origin + ")")
                    + ": writes are not allowed; map it with a writable mode or clone() it first");
        }
    }

    /** Returns a reference taken by {@link #acquire()}; frees the memory if it was the last one after close. */
    public void release() {
        RuntimeException bad = null;
        if (intactCheck != null) { // checked while the reference is still held (the guard is dropped on free)
            try {
                intactCheck.run();
            } catch (RuntimeException e) {
                bad = e;
            }
        }
        int s = (int) STATE.getAndAdd(this, -1) - 1;
        if ((s & ~CLOSED) == 0) free();
        if (bad != null) throw bad;
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

    private IllegalStateException notOnHost() {
        Buffer.DeviceMemory d = (Buffer.DeviceMemory) buffer;
        return new IllegalStateException("tensor memory is on cuda:" + d.deviceIndex() + ", not in host memory; "
                + "copy it to the host with cpu() first");
    }

    private IllegalStateException released() {
        return new IllegalStateException("tensor memory was released (close() or scope end)"
                + (origin == null ? "" : " (" + origin + ")") + "; it can no longer be used");
    }
}
