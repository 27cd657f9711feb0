package dev.jtensor.backend.cpu;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Keeps the JVM alive when a mapped file shrinks underneath its mapping (issue 24): registers the mapping
 * with the C library's SIGBUS guard ({@code native/cpu/guard.c}), which absorbs a fault in the range on any
 * thread by mapping zero pages over the lost part and marking the range. {@link #check()} (run by the
 * storage before and after every op and read, see {@code Storage.wrapMapped}) then throws
 * {@link IllegalStateException} naming the file and its sizes: the op fails, the JVM lives, and the tensors
 * over this mapping stay unusable (their data is gone). Without the C library ({@code -Djtensor.native=false},
 * another platform) or with all 4,096 slots taken, a mapping is not guarded: a BLAS call touching a lost
 * page then still crashes the JVM; the Java loops' {@link InternalError} is replaced by the same
 * {@link IllegalStateException}, as {@link #check()} then compares the file's size (same file key) with
 * what the mapping needs, before and after every op.
 */
public final class FileMappingGuard {
    private final Path file;
    private final long neededBytes;
    private final int slot;
    private final Object fileKey;
    private volatile boolean faulted;
    private static final java.util.concurrent.atomic.AtomicLong ABSORBED = new java.util.concurrent.atomic.AtomicLong();

    private FileMappingGuard(Path file, long neededBytes, int slot) {
        this.file = file;
        this.neededBytes = neededBytes;
        this.slot = slot;
        this.fileKey = slot >= 0 ? null : keyOf(file);
    }

    private static Object keyOf(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Unguarded mappings: whether the same file (not one renamed over it, not a deleted one) is now too short. */
    private boolean shrunk() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return fileKey != null && fileKey.equals(a.fileKey()) && a.size() < neededBytes;
        } catch (IOException e) {
            return false; // deleted: a mapping keeps an unlinked file's pages
        }
    }

    /**
     * Guards {@code mapping}, which maps {@code file} up to byte {@code neededBytes} of it.
     *
     * @return the guard; {@link #isActive()} says whether the C library took it
     */
    public static FileMappingGuard register(MemorySegment mapping, boolean writable, Path file, long neededBytes) {
        return new FileMappingGuard(file, neededBytes, mapping.byteSize() == 0 ? -1 : NativeKernels.guardAdd(mapping, writable));
    }

    /** How many guarded mappings absorbed a SIGBUS in this JVM (for tests and diagnostics). */
    public static long absorbedCount() { return ABSORBED.get(); }

    /** Whether faults in the mapping are absorbed (the C library is loaded and had a free slot). */
    public boolean isActive() { return slot >= 0; }

    /** Throws {@link IllegalStateException} if a fault was absorbed in the mapping: its file changed size. */
    public void check() {
        if (!faulted) {
            if (slot >= 0 ? !NativeKernels.guardFaulted(slot) : !shrunk()) return;
            if (slot >= 0 && !faulted) ABSORBED.incrementAndGet();
            faulted = true;
        }
        String now;
        try {
            now = Files.size(file) + " bytes";
        } catch (IOException e) {
            now = "unreadable: " + e.getMessage();
        }
        throw new IllegalStateException(file + " changed size underneath its mapping (it is now " + now + "; the mapped"
                + " data needs " + neededBytes + "): the pages past its end were lost, so the tensors mapped from it no longer"
                + " hold its data and this op's result was discarded. Map or load the file again once it is complete.");
    }

    /** Stops guarding; call only once nothing uses the mapping any more, just before it is unmapped. */
    public void unregister() {
        if (slot >= 0) NativeKernels.guardRemove(slot);
    }
}
