package dev.jtensor.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a zip archive to a seekable channel (no data descriptors): each member's local header is
 * written first with placeholder CRC and sizes, the data is streamed, then the header is patched in
 * place. STORED members get their data start padded to 64 bytes (an extra field, id {@code 0xD935}
 * as Android's zipalign uses), so the {@code .npy} inside, itself 64-byte aligned, is mappable with
 * aligned element access. Zip64 records are written only where a size, offset or count needs them.
 */
final class ZipWriter {
    private static final long MAX32 = 0xFFFFFFFFL;
    private static final int ALIGN = 64;
    private static final int PAD_ID = 0xD935;
    /** 1980-01-01 00:00, the zip epoch: archives are reproducible byte for byte. */
    private static final int DOS_DATE = (1 << 5) | 1, DOS_TIME = 0;

    private record Written(byte[] name, int method, long crc, long csize, long size, long localOffset) {}

    private final FileChannel ch;
    private final List<Written> written = new ArrayList<>();

    ZipWriter(FileChannel ch) { this.ch = ch; }

    /** Streams one member's bytes; returns its CRC-32, compressed and uncompressed sizes. */
    interface MemberBody {
        long[] write(FileChannel ch) throws IOException;
    }

    /**
     * Adds a member. {@code sizeHint} is its uncompressed size, used to decide whether the local header
     * needs a Zip64 extra before the data is written.
     */
    void add(String name, boolean deflate, long sizeHint, MemberBody body) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        long local = ch.position();
        boolean zip64 = sizeHint + sizeHint / 1000 + 1024 >= MAX32; // deflate can grow data slightly
        int baseExtra = zip64 ? 20 : 0;
        int pad = 0;
        if (!deflate) {
            pad = (int) Math.floorMod(-(local + 30 + n.length + baseExtra), (long) ALIGN);
            if (pad > 0 && pad < 4) pad += ALIGN; // an extra field needs 4 header bytes
        }
        ByteBuffer h = le(30 + n.length + baseExtra + pad);
        h.putInt(ZipDirectory.LOCAL_SIG).putShort((short) (zip64 ? 45 : 20)).putShort(flags(name))
                .putShort((short) (deflate ? 8 : 0)).putShort((short) DOS_TIME).putShort((short) DOS_DATE)
                .putInt(0).putInt(zip64 ? -1 : 0).putInt(zip64 ? -1 : 0)
                .putShort((short) n.length).putShort((short) (baseExtra + pad)).put(n);
        if (zip64) h.putShort((short) 1).putShort((short) 16).putLong(0).putLong(0);
        if (pad > 0) h.putShort((short) PAD_ID).putShort((short) (pad - 4)).put(new byte[pad - 4]);
        writeAll(h.flip());
        long[] r = body.write(ch);
        long crc = r[0], csize = r[1], size = r[2];
        if (!zip64 && (csize >= MAX32 || size >= MAX32)) throw new IOException("zip member '" + name + "' grew past 4 GiB unexpectedly");
        ByteBuffer patch = le(12).putInt((int) crc).putInt(zip64 ? -1 : (int) csize).putInt(zip64 ? -1 : (int) size).flip();
        writeAll(patch, local + 14);
        if (zip64) writeAll(le(16).putLong(size).putLong(csize).flip(), local + 30 + n.length + 4);
        written.add(new Written(n, deflate ? 8 : 0, crc, csize, size, local));
    }

    /** Writes the central directory and end records. */
    void finish() throws IOException {
        long cdStart = ch.position();
        for (Written w : written) writeAll(central(w).flip());
        long cdSize = ch.position() - cdStart;
        int count = written.size();
        boolean zip64 = count > 0xFFFF || cdStart >= MAX32 || cdSize >= MAX32;
        if (zip64) {
            long z64 = ch.position();
            writeAll(le(56).putInt(ZipDirectory.ZIP64_END_SIG).putLong(44).putShort((short) 45).putShort((short) 45)
                    .putInt(0).putInt(0).putLong(count).putLong(count).putLong(cdSize).putLong(cdStart).flip());
            writeAll(le(20).putInt(ZipDirectory.ZIP64_LOCATOR_SIG).putInt(0).putLong(z64).putInt(1).flip());
        }
        writeAll(le(22).putInt(ZipDirectory.END_SIG).putShort((short) 0).putShort((short) 0)
                .putShort((short) Math.min(count, 0xFFFF)).putShort((short) Math.min(count, 0xFFFF))
                .putInt(zip64 ? -1 : (int) cdSize).putInt(zip64 ? -1 : (int) cdStart).putShort((short) 0).flip());
    }

    private ByteBuffer central(Written w) {
        boolean bigSize = w.size() >= MAX32, bigCsize = w.csize() >= MAX32, bigOffset = w.localOffset() >= MAX32;
        int extra = (bigSize ? 8 : 0) + (bigCsize ? 8 : 0) + (bigOffset ? 8 : 0);
        int extraLen = extra == 0 ? 0 : extra + 4;
        String name = new String(w.name(), StandardCharsets.UTF_8);
        ByteBuffer c = le(46 + w.name().length + extraLen);
        c.putInt(ZipDirectory.CENTRAL_SIG).putShort((short) (extra > 0 ? 45 : 20)).putShort((short) (extra > 0 ? 45 : 20))
                .putShort(flags(name)).putShort((short) w.method()).putShort((short) DOS_TIME).putShort((short) DOS_DATE)
                .putInt((int) w.crc()).putInt(bigCsize ? -1 : (int) w.csize()).putInt(bigSize ? -1 : (int) w.size())
                .putShort((short) w.name().length).putShort((short) extraLen).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0x81A4 << 16) // external attrs: -rw-r--r-- regular file
                .putInt(bigOffset ? -1 : (int) w.localOffset()).put(w.name());
        if (extra > 0) {
            c.putShort((short) 1).putShort((short) extra);
            if (bigSize) c.putLong(w.size());
            if (bigCsize) c.putLong(w.csize());
            if (bigOffset) c.putLong(w.localOffset());
        }
        return c;
    }

    /** General-purpose flags: bit 11 (names are UTF-8) for non-ASCII names. */
    private static short flags(String name) {
        return (short) (name.chars().allMatch(ch -> ch < 0x80) ? 0 : 0x800);
    }

    private static ByteBuffer le(int size) { return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN); }

    private void writeAll(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private void writeAll(ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) position += ch.write(b, position);
    }
}
