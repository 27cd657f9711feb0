package dev.jtensor.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A zip central-directory reader over a mapped archive (PKWARE APPNOTE 4.3): finds the end record
 * (and the Zip64 end record through its locator), then lists each member with its sizes, CRC and the
 * offset of its data, computed from the member's <em>local</em> header (whose extra field may differ
 * from the central one). Sizes always come from the central directory, so data-descriptor archives
 * (flag bit 3, what CPython writes to unseekable streams) need nothing special. Every field is
 * bounds-checked against the file: a hostile archive gets {@link NpyFormatException}, never an
 * out-of-bounds access.
 *
 * <p>As strict as Python's {@code zipfile} (which NumPy reads {@code .npz} with), never silently short:
 * every entry of the central directory is listed, however many the end record claims (a record that
 * claims <em>more</em> than the directory holds is refused); the directory must end where the end record
 * starts; multi-disk archives, versions past 6.3, compressed-patched (flag bit 5) and strongly encrypted
 * (bit 6) members are refused, as are members whose local header names another file or whose data runs
 * into the next member or the directory (Python's "overlapped entries").
 */
final class ZipDirectory {
    /** One member. {@code dataOffset} is the absolute file offset of its (possibly compressed) bytes. */
    record Entry(String name, int method, long crc32, long compressedSize, long size, long dataOffset, long localOffset) {
        static final int STORED = 0;
        static final int DEFLATED = 8;
    }

    static final int LOCAL_SIG = 0x04034b50, CENTRAL_SIG = 0x02014b50, END_SIG = 0x06054b50;
    static final int ZIP64_END_SIG = 0x06064b50, ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Python's zipfile.MAX_EXTRACT_VERSION: "version needed to extract" past 6.3 is refused. */
    private static final int MAX_EXTRACT_VERSION = 63;
    private static final Charset CP437_APPROX = StandardCharsets.ISO_8859_1; // names without the UTF-8 flag

    private final MemorySegment zip;
    private final String file;

    private ZipDirectory(MemorySegment zip, String file) {
        this.zip = zip;
        this.file = file;
    }

    /** Lists the members of the archive mapped in {@code zip}, in central-directory order. */
    static List<Entry> read(MemorySegment zip, String file) throws NpyFormatException {
        return new ZipDirectory(zip, file).entries();
    }

    private List<Entry> entries() throws NpyFormatException {
        long end = findEnd();
        long count = u16(end + 10), cdSize = u32(end + 12), cdOffset = u32(end + 16), cdEnd = end;
        long locator = end - 20;
        if (locator >= 0 && u32(locator) == ZIP64_LOCATOR_SIG) {
            if (u32(locator + 4) != 0 || u32(locator + 16) > 1) throw multiDisk(locator + 4);
            long z64 = u64(locator + 8);
            if (u32(z64) != ZIP64_END_SIG) throw error(z64, "Zip64 end record not found where its locator points");
            if (u32(z64 + 16) != 0 || u32(z64 + 20) != 0) throw multiDisk(z64 + 16);
            count = u64(z64 + 32);
            cdSize = u64(z64 + 40);
            cdOffset = u64(z64 + 48);
            cdEnd = z64;
        } else if (u16(end + 4) != 0 || u16(end + 6) != 0) {
            throw multiDisk(end + 4);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > cdEnd || cdSize != cdEnd - cdOffset) {
            throw error(end, "central directory (offset " + cdOffset + ", " + cdSize + " bytes) does not end where the end record"
                    + " starts (" + cdEnd + ")");
        }
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long at = cdOffset; at < cdEnd; ) {
            if (cdEnd - at < 46) throw error(at, "central directory ends inside an entry");
            long next = at + 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
            if (next > cdEnd) throw error(at, "central directory entry runs past the directory's end");
            Entry e = central(at);
            if (!names.add(e.name())) throw error(at, "member name '" + e.name() + "' appears twice");
            out.add(e);
            at = next;
        }
        // fewer entries than claimed: the archive lost some, refused; more: all are read, as Python's zipfile
        if (count < 0 || out.size() < count) {
            throw error(end + 10, "the end record claims " + Long.toUnsignedString(count) + " entries but the central directory holds "
                    + out.size());
        }
        checkNoOverlap(out, cdOffset);
        return out;
    }

    /** Python's zipfile: each member's data ends before the next local header (or the directory) starts. */
    private void checkNoOverlap(List<Entry> entries, long cdOffset) throws NpyFormatException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(java.util.Comparator.comparingLong(Entry::localOffset));
        for (int i = 0; i < byOffset.size(); i++) {
            Entry e = byOffset.get(i);
            long limit = i + 1 < byOffset.size() ? byOffset.get(i + 1).localOffset() : cdOffset;
            if (e.dataOffset() > limit || e.compressedSize() > limit - e.dataOffset()) {
                throw error(e.dataOffset(), "overlapped entries: member '" + e.name() + "' (" + e.compressedSize()
                        + " bytes) runs into the next member or the central directory at " + limit + " (possible zip bomb)");
            }
        }
    }

    private NpyFormatException multiDisk(long at) {
        return error(at, "archives that span multiple disks are not supported (as Python's zipfile)");
    }

    /** The end-of-central-directory record: the last signature within the final 65 557 bytes. */
    private long findEnd() throws NpyFormatException {
        long size = zip.byteSize();
        long stop = Math.max(0, size - 22 - 65535);
        for (long at = size - 22; at >= stop; at--) {
            if (zip.get(LE32, at) == END_SIG) return at;
        }
        throw error(Math.max(0, size - 22), "not a zip archive (no end-of-central-directory record)");
    }

    private Entry central(long at) throws NpyFormatException {
        if (u32(at) != CENTRAL_SIG) throw error(at, "bad central directory entry signature");
        int flags = u16(at + 8), method = u16(at + 10), needed = zip.get(ValueLayout.JAVA_BYTE, at + 6) & 0xff;
        long crc = u32(at + 16), csize = u32(at + 20), size = u32(at + 24);
        int nameLen = u16(at + 28), extraLen = u16(at + 30);
        long local = u32(at + 42);
        String name = name(at + 46, nameLen, (flags & 0x800) != 0);
        // Zip64 extra (0x0001): the fields that were 0xFFFFFFFF, in the order size, csize, offset
        long x = at + 46 + nameLen, xEnd = x + extraLen;
        while (x + 4 <= xEnd) {
            int id = u16(x), len = u16(x + 2);
            long p = x + 4;
            if (p + len > xEnd) throw error(x, "extra field runs past its entry");
            if (id == 1) {
                if (size == 0xFFFFFFFFL) { size = u64(p); p += 8; }
                if (csize == 0xFFFFFFFFL) { csize = u64(p); p += 8; }
                if (local == 0xFFFFFFFFL) { local = u64(p); }
            }
            x += 4 + len;
        }
        if (needed > MAX_EXTRACT_VERSION) {
            throw error(at + 6, "member '" + name + "' needs zip version " + needed / 10 + "." + needed % 10 + " (at most 6.3 is read)");
        }
        if ((flags & 1) != 0) throw error(at, "member '" + name + "' is encrypted");
        if ((flags & 0x20) != 0) throw error(at + 8, "member '" + name + "' holds compressed patched data (flag bit 5), not supported");
        if ((flags & 0x40) != 0) throw error(at + 8, "member '" + name + "' uses strong encryption (flag bit 6), not supported");
        if (method != Entry.STORED && method != Entry.DEFLATED) {
            throw error(at, "member '" + name + "' uses compression method " + method + " (only stored and deflated are supported)");
        }
        if (size < 0 || csize < 0) throw error(at, "member '" + name + "' has a size past 2^63");
        long data = dataOffset(local, name);
        if (csize > zip.byteSize() - data) throw error(data, "member '" + name + "' (" + csize + " bytes) runs past the end of the file");
        return new Entry(name, method, crc, csize, size, data, local);
    }

    /**
     * Data start = local header + 30 + its name length + its (local) extra length. The local header must
     * name the same file as the directory (Python's "File name in directory ... and header ... differ").
     */
    private long dataOffset(long local, String name) throws NpyFormatException {
        if (local < 0 || local > zip.byteSize() - 30) throw error(local, "local header of '" + name + "' lies outside the file");
        if (u32(local) != LOCAL_SIG) throw error(local, "bad local header signature for '" + name + "'");
        int nameLen = u16(local + 26);
        check(local + 30, nameLen);
        byte[] raw = zip.asSlice(local + 30, nameLen).toArray(ValueLayout.JAVA_BYTE);
        String localName = new String(raw, (u16(local + 6) & 0x800) != 0 ? StandardCharsets.UTF_8 : CP437_APPROX);
        if (!localName.equals(name)) {
            throw error(local + 30, "file name in the directory '" + name + "' and in the local header '"
                    + localName.replaceAll("\\p{Cntrl}", "?") + "' differ");
        }
        return local + 30 + nameLen + u16(local + 28);
    }

    /** Decodes and sanitises a member name: no absolute paths, no {@code ..}, no control characters. */
    private String name(long at, int len, boolean utf8) throws NpyFormatException {
        check(at, len);
        byte[] b = zip.asSlice(at, len).toArray(ValueLayout.JAVA_BYTE);
        String n = new String(b, utf8 ? StandardCharsets.UTF_8 : CP437_APPROX);
        boolean bad = n.isEmpty() || n.startsWith("/") || n.startsWith("\\") || n.matches("^[A-Za-z]:.*");
        for (String part : n.split("[/\\\\]")) bad |= part.equals("..");
        for (int i = 0; i < n.length(); i++) bad |= n.charAt(i) < 0x20;
        if (bad) throw error(at, "unsafe member name '" + n.replaceAll("\\p{Cntrl}", "?") + "'");
        return n;
    }

    private void check(long at, long len) throws NpyFormatException {
        if (at < 0 || len < 0 || at > zip.byteSize() - len) throw error(Math.max(at, 0), "truncated archive: field runs past the end of the file");
    }

    private int u16(long at) throws NpyFormatException {
        check(at, 2);
        return zip.get(LE16, at) & 0xffff;
    }

    private long u32(long at) throws NpyFormatException {
        check(at, 4);
        return zip.get(LE32, at) & 0xffffffffL;
    }

    private long u64(long at) throws NpyFormatException {
        check(at, 8);
        return zip.get(LE64, at);
    }

    private NpyFormatException error(long at, String detail) { return new NpyFormatException(file, at, detail); }
}
