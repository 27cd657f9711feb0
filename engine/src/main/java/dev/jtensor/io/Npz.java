package dev.jtensor.io;

import dev.jtensor.Tensor;
import dev.jtensor.internal.HostData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * NumPy {@code .npz} archives ({@code np.savez}, {@code np.savez_compressed}, {@code np.load}).
 *
 * <p><b>Reading</b> uses jtensor's own zip central-directory reader (Zip64, data descriptors, sizes
 * from the central directory, member names sanitised). STORED little-endian members are <em>mapped,
 * not copied</em>: they are read-only tensors over one shared mapping of the archive, unmapped when
 * the last of them is closed or unreachable (call {@code clone()} on a member to get writable memory).
 * DEFLATED and big-endian members are copied into fresh memory. Every member's CRC-32 is checked, as
 * NumPy's (Python's zipfile) does: copies while they are copied, mapped members by one read of their
 * bytes when the archive is opened ({@link NpyReadOptions#withVerifyCrc} {@code false} skips that read,
 * for trusted files, and keeps loading lazy). The reader is as strict as Python's zipfile (see
 * {@link NpyReadOptions} and the package-private ZipDirectory's class comment). Keys are member names
 * with the {@code .npy} suffix stripped, as NumPy's; non-{@code .npy} members come back as 1-D UINT8
 * tensors of their bytes. Malformed archives throw {@link NpyFormatException}.
 *
 * <p><b>Writing</b> is atomic (temporary file + rename, as {@link Npy#save}); arrays are written as
 * {@link Npy#save} writes them (BFLOAT16 refused). STORED archives put every array's data on a 64-byte
 * boundary of the file, so they map with aligned access in jtensor and in NumPy alike.
 */
public final class Npz {
    private Npz() {}

    /**
     * The archive's arrays in archive order ({@code dict(np.load(path))}). The map is a fresh
     * {@link LinkedHashMap}; its tensors are independent of each other's lifetimes.
     */
    public static Map<String, Tensor> load(Path path) throws IOException {
        return load(path, NpyReadOptions.defaults());
    }

    /** {@link #load(Path)} with explicit {@link NpyReadOptions} (header limit, CRC checking of mapped members). */
    public static Map<String, Tensor> load(Path path, NpyReadOptions options) throws IOException {
        String file = path.toString();
        Arena arena = Arena.ofShared();
        SharedMapping mapping = new SharedMapping(arena);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() < 22) throw new NpyFormatException(file, 0, "not a zip archive (" + ch.size() + " bytes)");
            MemorySegment zip = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            mapping.guard(zip, path);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (ZipDirectory.Entry e : ZipDirectory.read(zip, file)) {
                String key = e.name().endsWith(".npy") ? e.name().substring(0, e.name().length() - 4) : e.name();
                if (out.containsKey(key)) throw new NpyFormatException(file, e.dataOffset(), "two members map to the key '" + key + "'");
                out.put(key, NpzMember.read(zip, e, mapping, file, options));
            }
            return out;
        } finally {
            mapping.release(); // the loader's own reference: the mapping now lives as long as its mapped members
        }
    }

    /** Writes the tensors uncompressed ({@code np.savez(path, **arrays)}); keys become {@code key.npy}. */
    public static void save(Path path, Map<String, Tensor> arrays) throws IOException {
        write(path, arrays, false);
    }

    /** Writes the tensors deflated ({@code np.savez_compressed}); loading them always copies. */
    public static void saveCompressed(Path path, Map<String, Tensor> arrays) throws IOException {
        write(path, arrays, true);
    }

    private static void write(Path path, Map<String, Tensor> arrays, boolean deflate) throws IOException {
        for (String key : arrays.keySet()) {
            if (key.isEmpty() || key.startsWith("/") || key.contains("..") || key.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException("npz key '" + key + "' is not a safe archive member name");
            }
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true); // raw deflate, zlib level 6 as Python's zipfile
        ByteBuffer out = ByteBuffer.allocateDirect(1 << 16);
        try {
            AtomicFile.write(path, ch -> writeMembers(ch, arrays, deflate ? deflater : null, out));
        } finally {
            deflater.end();
        }
    }

    private static void writeMembers(FileChannel ch, Map<String, Tensor> arrays, Deflater deflater, ByteBuffer out) throws IOException {
        boolean deflate = deflater != null;
        ZipWriter zip = new ZipWriter(ch);
        for (Map.Entry<String, Tensor> a : arrays.entrySet()) {
            NpyData.Payload p = NpyData.payload(a.getValue());
            long size = p.header().length + p.data().numel() * p.data().dtype().byteSize();
            zip.add(a.getKey() + ".npy", deflate, size,
                    c -> deflate ? deflated(c, p.header(), p.data(), deflater, out) : stored(c, p.header(), p.data()));
        }
        zip.finish();
    }

    private static long[] stored(FileChannel ch, byte[] header, Tensor src) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(header);
        return HostData.read(src, bytes -> {
            MemorySegment data = bytes.elements();
            NpyData.updateCrc(crc, data);
            ch.write(ByteBuffer.wrap(header));
            NpyData.writeFully(ch, data);
            long size = header.length + data.byteSize();
            return new long[] {crc.getValue(), size, size};
        });
    }

    private static long[] deflated(FileChannel ch, byte[] header, Tensor src, Deflater deflater, ByteBuffer out) throws IOException {
        CRC32 crc = new CRC32();
        deflater.reset();
        long start = ch.position();
        return HostData.read(src, bytes -> {
            feed(deflater, crc, ByteBuffer.wrap(header), ch, out);
            MemorySegment data = bytes.elements();
            if (!data.isNative()) {
                feed(deflater, crc, ByteBuffer.wrap(data.toArray(ValueLayout.JAVA_BYTE)), ch, out);
            } else {
                for (long at = 0; at < data.byteSize(); at += 1 << 30) {
                    feed(deflater, crc, data.asSlice(at, Math.min(1 << 30, data.byteSize() - at)).asByteBuffer(), ch, out);
                }
            }
            deflater.finish();
            while (!deflater.finished()) drain(deflater, ch, out);
            return new long[] {crc.getValue(), ch.position() - start, header.length + data.byteSize()};
        });
    }

    private static void feed(Deflater d, CRC32 crc, ByteBuffer in, FileChannel ch, ByteBuffer out) throws IOException {
        crc.update(in.duplicate());
        d.setInput(in);
        while (!d.needsInput()) drain(d, ch, out);
    }

    private static void drain(Deflater d, FileChannel ch, ByteBuffer out) throws IOException {
        d.deflate(out);
        out.flip();
        while (out.hasRemaining()) ch.write(out);
        out.clear();
    }
}
