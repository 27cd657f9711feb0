package dev.jtensor.io;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Scopes;
import dev.jtensor.internal.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns one member of a mapped {@code .npz} into a tensor: STORED little-endian arrays are zero-copy
 * read-only views of the archive mapping (at whatever alignment the archive put them: jtensor's element
 * access is unaligned-safe, and the slice starts the tensor's own segment so the layout offset is 0);
 * big-endian arrays are swapped into fresh memory; DEFLATED members are inflated straight into the
 * tensor's memory. Every copy is CRC-32 checked, mapped members too unless the options say not to.
 * Members that are not {@code .npy} come back as a 1-D
 * UINT8 tensor of their bytes, as NumPy returns {@code bytes} for them.
 */
final class NpzMember {
    private NpzMember() {}

    /** Deflate expands at most 1032:1; a larger declared size is a hostile header, refused before allocating. */
    private static final long MAX_DEFLATE_RATIO = 1032;
    private static final long CHUNK_BYTES = 1L << 30;

    static Tensor read(MemorySegment zip, ZipDirectory.Entry e, SharedMapping mapping, String archive, NpyReadOptions options)
            throws NpyFormatException {
        String file = archive + "!" + e.name();
        if (e.method() == ZipDirectory.Entry.STORED) {
            if (e.compressedSize() != e.size()) {
                throw new NpyFormatException(file, e.dataOffset(), "stored member sizes differ (" + e.compressedSize() + " vs " + e.size() + ")");
            }
            return stored(zip.asSlice(e.dataOffset(), e.size()), e, mapping, file, options);
        }
        if (e.size() > e.compressedSize() * MAX_DEFLATE_RATIO + 1024) {
            throw new NpyFormatException(file, e.dataOffset(), "declared size " + e.size() + " is impossible for "
                    + e.compressedSize() + " deflated bytes");
        }
        return deflated(zip.asSlice(e.dataOffset(), e.compressedSize()), e, file, options);
    }

    private static Tensor stored(MemorySegment member, ZipDirectory.Entry e, SharedMapping mapping, String file, NpyReadOptions options)
            throws NpyFormatException {
        if (!hasMagic(member)) return rawBytes(member, e, file);
        NpyHeader h = readHeader(NpyData.source(member), e, file, options);
        MemorySegment data = member.asSlice(h.dataOffset(), h.dataBytes());
        if (h.bigEndian() || options.verifyCrc()) checkCrc(member, e, file);
        if (h.bigEndian()) {
            Tensor t = NpyData.fresh(h);
            NpyData.swapCopy(data, Tensors.storage(t).segment(), h.dtype().byteSize());
            return t;
        }
        if (h.dataBytes() == 0) return NpyData.tensorOver(Storage.allocate(0), h);
        return NpyData.tensorOver(Storage.wrapMapped(data, true, "mapped from " + file + " (mode r)", mapping.retain(),
                mapping.guard()::check), h);
    }

    private static Tensor deflated(MemorySegment compressed, ZipDirectory.Entry e, String file, NpyReadOptions options)
            throws NpyFormatException {
        Inflation in = new Inflation(compressed, file, e.dataOffset());
        try {
            byte[] probe = new byte[(int) Math.min(NpyHeader.MAGIC.length, e.size())];
            in.fill(probe, 0, probe.length);
            Tensor t;
            if (!hasMagic(MemorySegment.ofArray(probe))) {
                t = fresh1d(DType.UINT8, e.size());
                MemorySegment dst = Tensors.storage(t).segment();
                MemorySegment.copy(MemorySegment.ofArray(probe), 0, dst, 0, probe.length);
                in.fill(dst.asSlice(probe.length));
            } else {
                byte[][] prefix = {probe};
                NpyHeader h = readHeader((pos, into) -> {
                    long end = Math.min(pos + into.length, e.size());
                    if (end > prefix[0].length) {
                        byte[] grown = Arrays.copyOf(prefix[0], (int) end);
                        in.fill(grown, prefix[0].length, grown.length - prefix[0].length);
                        prefix[0] = grown;
                    }
                    int n = (int) Math.max(0, end - pos);
                    System.arraycopy(prefix[0], (int) pos, into, 0, n);
                    return n;
                }, e, file, options);
                t = NpyData.fresh(h);
                MemorySegment dst = Tensors.storage(t).segment();
                int extra = (int) (prefix[0].length - h.dataOffset()); // bytes already inflated past the header
                MemorySegment.copy(MemorySegment.ofArray(prefix[0]), h.dataOffset(), dst, 0, Math.max(extra, 0));
                in.fill(dst.asSlice(Math.max(extra, 0)));
                if (h.bigEndian()) NpyData.swapInPlace(dst, h.dtype().byteSize());
            }
            in.finish(e);
            return t;
        } finally {
            in.close();
        }
    }

    private static NpyHeader readHeader(NpyHeader.Source src, ZipDirectory.Entry e, String file, NpyReadOptions options)
            throws NpyFormatException {
        try {
            return NpyHeader.read(src, e.size(), file, e.dataOffset(), options.maxHeaderSize());
        } catch (NpyFormatException x) {
            throw x;
        } catch (java.io.IOException x) {
            throw new NpyFormatException(file, e.dataOffset(), "cannot read member: " + x.getMessage());
        }
    }

    private static boolean hasMagic(MemorySegment s) {
        if (s.byteSize() < NpyHeader.MAGIC.length) return false;
        for (int i = 0; i < NpyHeader.MAGIC.length; i++) if (s.get(ValueLayout.JAVA_BYTE, i) != NpyHeader.MAGIC[i]) return false;
        return true;
    }

    private static Tensor rawBytes(MemorySegment member, ZipDirectory.Entry e, String file) throws NpyFormatException {
        checkCrc(member, e, file);
        Tensor t = fresh1d(DType.UINT8, member.byteSize());
        MemorySegment.copy(member, 0, Tensors.storage(t).segment(), 0, member.byteSize());
        return t;
    }

    private static Tensor fresh1d(DType dtype, long n) {
        Storage s = Storage.allocateUninitialized(n * dtype.byteSize());
        Scopes.register(s);
        return Tensors.make(s, dtype, Layout.contiguous(new long[] {n}), Device.CPU, true);
    }

    private static void checkCrc(MemorySegment member, ZipDirectory.Entry e, String file) throws NpyFormatException {
        CRC32 crc = new CRC32();
        NpyData.updateCrc(crc, member);
        if (crc.getValue() != e.crc32()) {
            throw new NpyFormatException(file, e.dataOffset(), "CRC-32 mismatch (stored " + Long.toHexString(e.crc32())
                    + ", computed " + Long.toHexString(crc.getValue()) + "): the member is corrupt");
        }
    }

    /** A raw-deflate stream over a mapped member, filling byte arrays or segments exactly, with a running CRC. */
    private static final class Inflation {
        private final Inflater inflater = new Inflater(true);
        private final CRC32 crc = new CRC32();
        private final MemorySegment input;
        private final String file;
        private final long base;
        private long fed;
        private long produced;

        Inflation(MemorySegment input, String file, long base) {
            this.input = input;
            this.file = file;
            this.base = base;
        }

        void fill(byte[] dst, int off, int len) throws NpyFormatException {
            fill(MemorySegment.ofArray(dst).asSlice(off, len), ByteBuffer.wrap(dst, off, len));
        }

        void fill(MemorySegment dst) throws NpyFormatException {
            if (!dst.isNative()) {
                byte[] tmp = new byte[(int) dst.byteSize()];
                fill(tmp, 0, tmp.length);
                MemorySegment.copy(MemorySegment.ofArray(tmp), 0, dst, 0, tmp.length);
                return;
            }
            for (long at = 0; at < dst.byteSize(); at += CHUNK_BYTES) {
                MemorySegment part = dst.asSlice(at, Math.min(CHUNK_BYTES, dst.byteSize() - at));
                fill(part, part.asByteBuffer());
            }
        }

        private void fill(MemorySegment seg, ByteBuffer out) throws NpyFormatException {
            ByteBuffer forCrc = out.duplicate();
            try {
                while (out.hasRemaining()) {
                    if (inflater.needsInput()) {
                        if (fed >= input.byteSize()) throw truncated();
                        long n = Math.min(CHUNK_BYTES, input.byteSize() - fed);
                        inflater.setInput(input.asSlice(fed, n).asByteBuffer());
                        fed += n;
                    }
                    int n = inflater.inflate(out);
                    if (n == 0 && (inflater.finished() || inflater.needsDictionary())) throw truncated();
                }
            } catch (DataFormatException x) {
                throw new NpyFormatException(file, base + fed - inflater.getRemaining(), "corrupt deflate data: " + x.getMessage());
            }
            crc.update(forCrc);
            produced += seg.byteSize();
        }

        /** Checks that the stream ends here and the CRC matches the directory's. */
        void finish(ZipDirectory.Entry e) throws NpyFormatException {
            if (produced != e.size()) throw truncated();
            if (crc.getValue() != e.crc32()) {
                throw new NpyFormatException(file, base, "CRC-32 mismatch (stored " + Long.toHexString(e.crc32())
                        + ", computed " + Long.toHexString(crc.getValue()) + "): the member is corrupt");
            }
        }

        private NpyFormatException truncated() {
            return new NpyFormatException(file, base + fed, "deflated data ends before the declared size");
        }

        void close() { inflater.end(); }
    }
}
