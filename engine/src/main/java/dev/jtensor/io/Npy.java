package dev.jtensor.io;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.cpu.FileMappingGuard;
import dev.jtensor.internal.HostData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * NumPy {@code .npy} files: {@code np.load}, {@code np.load(mmap_mode=...)}, {@code np.save} and
 * {@code np.lib.format.open_memmap} for jtensor.
 *
 * <h2>Formats read</h2>
 * Versions 1.0, 2.0 and 3.0; the header dict in any key order, with trailing commas and Python 2
 * {@code L} suffixes; any header padding (the data offset need not be aligned). Dtypes {@code b1 i1 u1
 * i2 i4 i8 f2 f4 f8} in {@code <}, {@code >}, {@code |} or {@code =} byte order. {@code fortran_order}
 * arrays come back as a column-major strided tensor over the same bytes (no copy; {@code contiguous()}
 * makes a C-order copy). Object, string, structured, complex, datetime and wider unsigned dtypes are
 * refused with {@link NpyFormatException} (object arrays are never unpickled). Every header is checked
 * against the file size before anything is allocated or mapped.
 *
 * <h2>Big-endian data</h2>
 * jtensor kernels are little-endian, so {@code >} data is always converted: {@link #load} swaps into
 * its fresh memory, and {@link #map} returns a <b>byte-swapped copy</b> (not a mapping) for modes
 * {@code READ_ONLY} and {@code COPY_ON_WRITE}; {@code READ_WRITE} of a big-endian file is refused.
 *
 * <h2>Strictness</h2>
 * As NumPy's: headers longer than 10,000 characters ({@code max_header_size}), shapes whose byte count
 * overflows, truncated data and unknown versions are refused; {@link NpyReadOptions} relaxes the header
 * limit for trusted files.
 *
 * <h2>bfloat16</h2>
 * NumPy has no bfloat16 dtype. jtensor refuses to write one (UnsupportedOperationException) rather than
 * invent a convention that NumPy would read as something else; save {@code t.to(DType.FLOAT32)} (exact).
 */
public final class Npy {
    private Npy() {}

    /** How {@link #map(Path, Mode)} maps a file, as NumPy's {@code mmap_mode}. */
    public enum Mode {
        /** {@code 'r'}: read-only; writes through the tensor throw {@link IllegalStateException}. */
        READ_ONLY,
        /** {@code 'c'}: copy-on-write; writes change the tensor's pages only, never the file. */
        COPY_ON_WRITE,
        /** {@code 'r+'}: writes go to the file (through the page cache, as {@code np.memmap}). */
        READ_WRITE;

        String numpyName() {
            return switch (this) {
                case READ_ONLY -> "r";
                case COPY_ON_WRITE -> "c";
                case READ_WRITE -> "r+";
            };
        }
    }

    /**
     * Reads an array into fresh off-heap memory ({@code np.load(path)}): the file bytes are read
     * straight into the tensor's storage. The result does not depend on the file afterwards.
     *
     * @throws NpyFormatException if the file is malformed or holds a refused dtype
     */
    public static Tensor load(Path path) throws IOException {
        return load(path, NpyReadOptions.defaults());
    }

    /** {@link #load(Path)} with explicit {@link NpyReadOptions} ({@code np.load(path, max_header_size=...)}). */
    public static Tensor load(Path path, NpyReadOptions options) throws IOException {
        String file = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            NpyHeader h = NpyHeader.read(NpyData.source(ch), ch.size(), file, 0, options.maxHeaderSize());
            return NpyData.fresh(h, dst -> {
                NpyData.readFully(ch, h.dataOffset(), dst.memory(), file);
                if (h.bigEndian()) NpyData.swapInPlace(dst.memory(), h.dtype().byteSize());
            });
        }
    }

    /** {@link #map(Path, Mode)} with {@link Mode#READ_ONLY}: {@code np.load(path, mmap_mode='r')}. */
    public static Tensor map(Path path) throws IOException {
        return map(path, Mode.READ_ONLY);
    }

    /**
     * Maps the array's data into memory without reading it ({@code np.load(path, mmap_mode=...)}):
     * zero-copy, returns in microseconds whatever the size, and pages are read on first touch. The
     * mapping lives exactly as long as the returned tensor or any view of it is reachable and not
     * closed; {@code close()} on the returned tensor unmaps at once (its views then throw).
     *
     * <p>Copies instead of mapping, as documented on the class: big-endian data (a swapped copy),
     * {@code COPY_ON_WRITE} of a file this process may not open for writing (the JDK needs a writable
     * channel for private mappings; a fresh copy behaves the same), and arrays with zero elements.
     *
     * @throws UnsupportedOperationException for {@code READ_WRITE} of big-endian data
     */
    public static Tensor map(Path path, Mode mode) throws IOException {
        return map(path, mode, NpyReadOptions.defaults());
    }

    /** {@link #map(Path, Mode)} with explicit {@link NpyReadOptions}. */
    public static Tensor map(Path path, Mode mode, NpyReadOptions options) throws IOException {
        String file = path.toString();
        boolean writable = mode != Mode.READ_ONLY;
        FileChannel ch;
        try {
            ch = writable ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            if (mode == Mode.COPY_ON_WRITE) return load(path, options);
            throw e;
        }
        try (ch) {
            NpyHeader h = NpyHeader.read(NpyData.source(ch), ch.size(), file, 0, options.maxHeaderSize());
            if (h.bigEndian()) {
                if (mode == Mode.READ_WRITE) {
                    throw new UnsupportedOperationException(file + ": big-endian data ('>' descr) cannot be mapped read-write,"
                            + " since jtensor kernels are little-endian; load() it and save() it back instead");
                }
                return swappedCopy(ch, h);
            }
            if (h.dataBytes() == 0) return NpyData.tensorOver(Storage.allocate(0), h);
            return mapData(ch, h, mode, path, "mapped from " + file + " (mode " + mode.numpyName() + ")");
        }
    }

    private static Tensor mapData(FileChannel ch, NpyHeader h, Mode mode, Path path, String origin) throws IOException {
        FileChannel.MapMode m = switch (mode) {
            case READ_ONLY -> FileChannel.MapMode.READ_ONLY;
            case COPY_ON_WRITE -> FileChannel.MapMode.PRIVATE;
            case READ_WRITE -> FileChannel.MapMode.READ_WRITE;
        };
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg = ch.map(m, h.dataOffset(), h.dataBytes(), arena);
            // a file truncated underneath fails the ops on it (IllegalStateException), never crashes the JVM
            FileMappingGuard guard = FileMappingGuard.register(seg, mode != Mode.READ_ONLY, path, h.dataOffset() + h.dataBytes());
            Runnable unmap = () -> {
                guard.unregister();
                arena.close();
            };
            // Storage's Cleaner unmaps once the tensor and all its views are unreachable
            return NpyData.tensorOver(HostData.wrapMapped(seg, mode == Mode.READ_ONLY, origin, unmap, guard::check), h);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Big-endian data: mapped just long enough to swap it into fresh little-endian memory. */
    private static Tensor swappedCopy(FileChannel ch, NpyHeader h) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset(), h.dataBytes(), arena);
            return NpyData.fresh(h, dst -> NpyData.swapCopy(src, dst.memory(), h.dtype().byteSize()));
        }
    }

    /**
     * Creates (or truncates) {@code path} as a zero-filled array and maps it read-write, as NumPy's
     * {@code open_memmap(path, mode='w+', dtype, shape)}: the file is sized sparsely (no data is written),
     * writes through the tensor go to the file. Not atomic (the file is the array being built).
     */
    public static Tensor create(Path path, DType dtype, long... shape) throws IOException {
        for (long s : shape) if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
        byte[] header = NpyHeader.encode(dtype, shape, false);
        long bytes = NpyHeader.byteCount(shape, dtype);
        if (bytes < 0) throw new IllegalArgumentException("array is too big: shape " + java.util.Arrays.toString(shape) + " of " + dtype
                + " has a byte count (of its non-zero dims) past 2^63 - 1");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(header));
            if (bytes > 0) ch.write(ByteBuffer.wrap(new byte[1]), header.length + bytes - 1); // sparse: sizes the file
        }
        return map(path, Mode.READ_WRITE);
    }

    /**
     * Writes {@code t} as an {@code .npy} ({@code np.save}): header version 1.0 padded so the data starts
     * 64-byte aligned, then the elements. A tensor that is Fortran-contiguous but not C-contiguous is
     * written with {@code fortran_order: True} (as NumPy does); any other non-contiguous tensor is written
     * in C order. Atomic: the bytes go to a temporary file in the same directory, are forced to disk,
     * then renamed over {@code path}, so a crash never leaves a half-written array under that name.
     * {@code t} is not modified.
     *
     * @throws UnsupportedOperationException for BFLOAT16 (see the class comment)
     */
    public static void save(Path path, Tensor t) throws IOException {
        NpyData.Payload p = NpyData.payload(t);
        AtomicFile.write(path, ch -> {
            ch.write(ByteBuffer.wrap(p.header()));
            writeData(ch, p.data());
        });
    }

    /**
     * Writes a contiguous (C or F) tensor's element bytes, holding its storage for the duration; a device
     * tensor comes down in one transfer.
     */
    static void writeData(FileChannel ch, Tensor contiguous) throws IOException {
        HostData.read(contiguous, bytes -> {
            NpyData.writeFully(ch, bytes.elements());
            return null;
        });
    }
}
