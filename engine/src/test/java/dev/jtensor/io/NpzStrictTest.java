package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24 item 3: the .npz reader is as strict as Python's zipfile (what NumPy reads archives with), and
 * never silently short. Each case patches one field of an archive that jtensor wrote (fields located by
 * parsing it here), then expects all members back or an NpyFormatException naming file and offset.
 */
class NpzStrictTest {
    @TempDir Path dir;
    private byte[] zip;
    private ByteBuffer le;
    private int end, cd;
    private final List<Integer> central = new ArrayList<>();

    private static Map<String, Tensor> four() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Jt.arange(6).view(2, 3));
        m.put("b", Jt.tensor(new float[] {1.5f, -2f, 3f}));
        m.put("c", Jt.arange(4).to(DType.INT32));
        m.put("d", Jt.tensor(new double[] {0.25}));
        return m;
    }

    @BeforeEach
    void writeArchive() throws Exception {
        Path p = dir.resolve("four.npz");
        Npz.save(p, four());
        zip = Files.readAllBytes(p);
        le = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (end = zip.length - 22; le.getInt(end) != ZipDirectory.END_SIG; end--) { }
        cd = le.getInt(end + 16);
        for (int at = cd; at < end; at += 46 + u16(at + 28) + u16(at + 30) + u16(at + 32)) central.add(at);
        assertEquals(4, central.size());
    }

    private int u16(int at) { return le.getShort(at) & 0xffff; }

    private int local(int member) { return le.getInt(central.get(member) + 42); }

    private Path write(String name) throws Exception { return Files.write(dir.resolve(name), zip); }

    private NpyFormatException refused(String name, String detail) throws Exception {
        Path p = write(name);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.load(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("byte offset") && e.getMessage().contains(detail),
                e.getMessage());
        return e;
    }

    private void assertAllFour(Map<String, Tensor> got) {
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(got.keySet()));
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, got.get("a").toLongArray());
        assertArrayEquals(new float[] {1.5f, -2f, 3f}, got.get("b").toFloatArray());
        assertArrayEquals(new long[] {0, 1, 2, 3}, got.get("c").toLongArray());
        assertEquals(0.25, got.get("d").item());
    }

    @Test
    void anEndRecordClaimingFewerEntriesStillGivesEveryMember() throws Exception {
        le.putShort(end + 8, (short) 2).putShort(end + 10, (short) 2); // NumPy reads all four too
        assertAllFour(Npz.load(write("fewer.npz")));
        le.putShort(end + 8, (short) 4).putShort(end + 10, (short) 1);
        assertAllFour(Npz.load(write("fewer-total.npz")));
        le.putShort(end + 8, (short) 5).putShort(end + 10, (short) 5);
        assertEquals(end + 10, refused("more.npz", "claims 5 entries but the central directory holds 4").byteOffset());
    }

    @Test
    void aDirectoryThatDoesNotEndAtTheEndRecordIsRefused() throws Exception {
        le.putInt(end + 12, le.getInt(end + 12) - 46 - u16(central.get(3) + 28)); // size leaves out the last entry
        refused("short-size.npz", "does not end where the end record starts");
    }

    @Test
    void storedMembersAreCrcCheckedUnlessTheCallerOptsOut() throws Exception {
        int dataB = local(1) + 30 + u16(local(1) + 26) + u16(local(1) + 28);
        int firstFloat = dataB + le.getInt(central.get(1) + 24) - 12; // b.npy ends with its three floats
        assertEquals(1.5f, le.getFloat(firstFloat));
        le.putFloat(firstFloat, 7f);
        NpyFormatException e = refused("crc.npz", "CRC-32 mismatch");
        assertTrue(e.file().endsWith("crc.npz!b.npy") && e.byteOffset() == dataB, e.getMessage());
        Map<String, Tensor> trusted = Npz.load(write("crc.npz"), NpyReadOptions.defaults().withVerifyCrc(false));
        assertArrayEquals(new float[] {7f, -2f, 3f}, trusted.get("b").toFloatArray()); // lazily mapped, as asked
        System.setProperty("jtensor.npz.verifyCrc", "false");
        try {
            assertEquals(7f, Npz.load(write("crc.npz")).get("b").toFloatArray()[0]);
            System.setProperty("jtensor.npz.verifyCrc", "sometimes");
            assertThrows(IllegalArgumentException.class, () -> Npz.load(write("crc.npz")));
        } finally {
            System.clearProperty("jtensor.npz.verifyCrc");
        }
    }

    @Test
    void aLocalHeaderNamingAnotherFileIsRefused() throws Exception {
        zip[local(2) + 30] = 'q'; // local header says q.npy, the directory c.npy
        NpyFormatException e = refused("renamed.npz", "differ");
        assertEquals(local(2) + 30, e.byteOffset());
        assertTrue(e.getMessage().contains("'c.npy'") && e.getMessage().contains("'q.npy'"), e.getMessage());
    }

    @Test
    void multiDiskArchivesAreRefused() throws Exception {
        le.putShort(end + 4, (short) 1);
        assertEquals(end + 4, refused("disk.npz", "span multiple disks").byteOffset());
        le.putShort(end + 4, (short) 0).putShort(end + 6, (short) 2);
        refused("cd-disk.npz", "span multiple disks");
    }

    @Test
    void versionsPast63CompressedPatchedAndStrongEncryptionAreRefused() throws Exception {
        zip[central.get(0) + 6] = 63;
        assertAllFour(Npz.load(write("v63.npz")));
        zip[central.get(0) + 6] = 64;
        assertEquals(central.get(0) + 6, refused("v64.npz", "needs zip version 6.4").byteOffset());
        zip[central.get(0) + 6] = 20;
        le.putShort(central.get(1) + 8, (short) (u16(central.get(1) + 8) | 0x20));
        refused("patched.npz", "compressed patched data");
        le.putShort(central.get(1) + 8, (short) (u16(central.get(1) + 8) & ~0x20 | 0x40));
        refused("strong.npz", "strong encryption");
    }

    @Test
    void membersOverlappingTheNextOneAreRefused() throws Exception {
        int grown = le.getInt(central.get(0) + 20) + 64; // a.npy now claims the first 64 bytes of b.npy's local header and more
        le.putInt(central.get(0) + 20, grown).putInt(central.get(0) + 24, grown);
        refused("overlap.npz", "overlapped entries");
    }

    @Test
    void npyHeadersFollowNumpysMaxHeaderSize() throws Exception {
        Path ok = npyWithHeaderText(10_000), tooLong = npyWithHeaderText(10_001);
        try (Tensor t = Npy.load(ok)) { assertArrayEquals(new float[] {0f, 0f}, t.toFloatArray()); }
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.load(tooLong));
        assertTrue(e.getMessage().contains("max_header_size 10000") && e.byteOffset() == 8, e.getMessage());
        assertThrows(NpyFormatException.class, () -> Npy.map(tooLong));
        NpyReadOptions trusted = NpyReadOptions.defaults().withMaxHeaderSize(20_000);
        try (Tensor t = Npy.load(tooLong, trusted); Tensor m = Npy.map(tooLong, Npy.Mode.READ_ONLY, trusted)) {
            assertEquals(2, t.numel());
            assertEquals(2, m.numel());
        }
        Path z = storedArchive("long-member.npz", Files.readAllBytes(tooLong));
        assertTrue(assertThrows(NpyFormatException.class, () -> Npz.load(z)).getMessage().contains("max_header_size"));
        assertEquals(2, Npz.load(z, trusted).get("x").numel());
    }

    /** An .npy v1 of two float32 zeros whose header text (dict, spaces, newline) is exactly {@code length} chars. */
    private Path npyWithHeaderText(int length) throws Exception {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        String text = dict + " ".repeat(length - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) length).put(text.getBytes(StandardCharsets.ISO_8859_1));
        return Files.write(dir.resolve("h" + length + ".npy"), b.array());
    }

    /** A one-member stored archive (the JDK's writer) holding {@code npy} as x.npy. */
    private Path storedArchive(String name, byte[] npy) throws Exception {
        Path p = dir.resolve(name);
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(p))) {
            var e = new java.util.zip.ZipEntry("x.npy");
            e.setMethod(java.util.zip.ZipEntry.STORED);
            e.setSize(npy.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(npy);
            e.setCrc(crc.getValue());
            out.putNextEntry(e);
            out.write(npy);
            out.closeEntry();
        }
        return p;
    }

    @Test
    void shapesWhoseByteCountOverflowsAreRefusedAsNumpyRefusesThem() throws Exception {
        for (String shape : List.of("(1, 0, 9223372036854775807)", "(0, 4611686018427387904)", "(3037000500, 3037000500)")) {
            Path p = npyWithDict("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }");
            NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.load(p), shape);
            assertTrue(e.getMessage().contains("array is too big"), e.getMessage());
        }
        try (Tensor t = Npy.load(npyWithDict("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1152921504606846976), }"))) {
            assertArrayEquals(new long[] {0, 1L << 60}, t.shape().toArray()); // 2^60 x 4 bytes fits: NumPy loads it too
        }
    }

    private Path npyWithDict(String dict) throws Exception {
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String text = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) (total - 10)).put(text.getBytes(StandardCharsets.ISO_8859_1));
        return Files.write(dir.resolve("shape" + dict.hashCode() + ".npy"), b.array());
    }
}
