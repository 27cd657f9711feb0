package dev.jtensor.io;

import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.Scopes;
import dev.jtensor.internal.Tensors;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Moving {@code .npy} element bytes between files, mappings and tensors: channel reads and writes
 * straight into/out of tensor memory (no whole-array {@code byte[]}), big-endian conversion, and the
 * tensors themselves (C or Fortran strides over fresh or mapped memory).
 */
final class NpyData {
    private NpyData() {}

    /** FileChannel/ByteBuffer calls take at most 2 GiB; larger ranges go in chunks. */
    private static final long CHUNK_BYTES = 1L << 30;

    /** The layout of an array in its file: C order, or column-major strides for {@code fortran_order}. */
    static Layout layoutOf(NpyHeader h) {
        if (!h.fortranOrder()) return Layout.contiguous(h.shape());
        long[] shape = h.shape();
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = 0; i < shape.length; i++) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return new Layout(shape, strides, 0);
    }

    /** A tensor owning {@code storage} (registered with the current scope) with the file's layout. */
    static Tensor tensorOver(Storage storage, NpyHeader h) {
        Scopes.register(storage);
        return Tensors.make(storage, h.dtype(), layoutOf(h), Device.CPU, true);
    }

    /** A fresh tensor in its own memory with the file's layout, its bytes (in file order) written by {@code fill}. */
    static <X extends Exception> Tensor fresh(NpyHeader h, HostData.Writer<X> fill) throws X {
        return HostData.write(h.dtype(), layoutOf(h), Device.CPU, fill);
    }

    /** What an .npy holds for a tensor: its header and a tensor whose memory-order bytes are the data. */
    record Payload(byte[] header, Tensor data) {}

    /**
     * C-contiguous tensors are written as they are, Fortran-contiguous ones (not C) with
     * {@code fortran_order: True} (NumPy's rule), anything else as a C-order copy.
     */
    static Payload payload(Tensor t) {
        Tensor cpu = HostData.onHost(t);
        Layout l = Tensors.layout(cpu);
        boolean fortran = !l.isContiguous() && l.isFortranContiguous();
        Tensor src = l.isContiguous() || fortran ? cpu : cpu.contiguous();
        return new Payload(NpyHeader.encode(src.dtype(), l.shape(), fortran), src);
    }

    /** A little-endian copy of big-endian elements of {@code itemBytes} bytes each. */
    static void swapCopy(MemorySegment src, MemorySegment dst, int itemBytes) {
        ValueLayout le = switch (itemBytes) {
            case 2 -> ValueLayout.JAVA_SHORT_UNALIGNED;
            case 4 -> ValueLayout.JAVA_INT_UNALIGNED;
            case 8 -> ValueLayout.JAVA_LONG_UNALIGNED;
            default -> null;
        };
        if (le == null) {
            MemorySegment.copy(src, 0, dst, 0, src.byteSize());
            return;
        }
        // MemorySegment.copy swaps bytes when the two element layouts' orders differ
        MemorySegment.copy(src, le.withOrder(ByteOrder.BIG_ENDIAN), 0, dst, le.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                src.byteSize() / itemBytes);
    }

    /** Swaps every element of {@code seg} in place, through a small scratch buffer. */
    static void swapInPlace(MemorySegment seg, int itemBytes) {
        if (itemBytes == 1) return;
        long step = 1 << 20;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment scratch = a.allocate(Math.min(step, seg.byteSize()));
            for (long at = 0; at < seg.byteSize(); at += step) {
                long n = Math.min(step, seg.byteSize() - at);
                MemorySegment part = seg.asSlice(at, n);
                swapCopy(part, scratch, itemBytes);
                MemorySegment.copy(scratch, 0, part, 0, n);
            }
        }
    }

    /** Fills {@code dst} from the channel at {@code position}; a short file is a format error. */
    static void readFully(FileChannel ch, long position, MemorySegment dst, String file) throws IOException {
        if (!dst.isNative()) { // heap storage (small tensors): ByteBuffer views of long[] memory do not exist
            byte[] tmp = new byte[(int) dst.byteSize()];
            readFully(ch, position, ByteBuffer.wrap(tmp), file);
            MemorySegment.copy(MemorySegment.ofArray(tmp), 0, dst, 0, tmp.length);
            return;
        }
        for (long done = 0; done < dst.byteSize(); done += CHUNK_BYTES) {
            long n = Math.min(CHUNK_BYTES, dst.byteSize() - done);
            readFully(ch, position + done, dst.asSlice(done, n).asByteBuffer(), file);
        }
    }

    private static void readFully(FileChannel ch, long position, ByteBuffer bb, String file) throws IOException {
        long start = position - bb.position();
        while (bb.hasRemaining()) {
            if (ch.read(bb, start + bb.position()) < 0) {
                throw new NpyFormatException(file, start + bb.position(), "truncated data: the file ended early");
            }
        }
    }

    /** Writes all of {@code src} to the channel at its current position. */
    static void writeFully(FileChannel ch, MemorySegment src) throws IOException {
        if (!src.isNative()) {
            byte[] tmp = src.toArray(ValueLayout.JAVA_BYTE);
            ByteBuffer bb = ByteBuffer.wrap(tmp);
            while (bb.hasRemaining()) ch.write(bb);
            return;
        }
        for (long done = 0; done < src.byteSize(); done += CHUNK_BYTES) {
            ByteBuffer bb = src.asSlice(done, Math.min(CHUNK_BYTES, src.byteSize() - done)).asByteBuffer();
            while (bb.hasRemaining()) ch.write(bb);
        }
    }

    /** Adds {@code seg}'s bytes to a running CRC-32 (in chunks: a ByteBuffer holds at most 2 GiB). */
    static void updateCrc(java.util.zip.CRC32 crc, MemorySegment seg) {
        if (!seg.isNative()) {
            crc.update(seg.toArray(ValueLayout.JAVA_BYTE));
            return;
        }
        for (long at = 0; at < seg.byteSize(); at += CHUNK_BYTES) {
            crc.update(seg.asSlice(at, Math.min(CHUNK_BYTES, seg.byteSize() - at)).asByteBuffer());
        }
    }

    /** A {@link NpyHeader.Source} over a file channel. */
    static NpyHeader.Source source(FileChannel ch) {
        return (pos, into) -> {
            ByteBuffer bb = ByteBuffer.wrap(into);
            while (bb.hasRemaining()) {
                if (ch.read(bb, pos + bb.position()) < 0) break;
            }
            return bb.position();
        };
    }

    /** A {@link NpyHeader.Source} over a segment (a mapped or inflated {@code .npy}). */
    static NpyHeader.Source source(MemorySegment seg) {
        return (pos, into) -> {
            int n = (int) Math.max(0, Math.min(into.length, seg.byteSize() - pos));
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, into, 0, n);
            return n;
        };
    }
}
