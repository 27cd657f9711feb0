package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broken and hostile files: always NpyFormatException naming file and offset; never a crash, hang or huge allocation. */
class NpyHostileTest {
    @TempDir Path dir;

    /** An .npy v1 with the given header dict text, padded to 64, followed by {@code dataBytes} zero bytes. */
    private Path npy(String name, String dict, int dataBytes) throws Exception {
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        int total = (10 + text.length + 1 + 63) / 64 * 64;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(NpyHeader.MAGIC);
        out.write(new byte[] {1, 0, (byte) (total - 10), (byte) ((total - 10) >> 8)});
        out.write(text);
        out.write(" ".repeat(total - 10 - text.length - 1).getBytes(StandardCharsets.ISO_8859_1));
        out.write('\n');
        out.write(new byte[dataBytes]);
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private static NpyFormatException refused(Path p) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.load(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("byte offset"), e.getMessage());
        assertThrows(NpyFormatException.class, () -> Npy.map(p));
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unterminated dict      | {'descr': '<f4', 'fortran_order': False, 'shape': (2,)",
        "bare word              | {'descr': <f4, 'fortran_order': False, 'shape': (2,), }",
        "float in shape         | {'descr': '<f4', 'fortran_order': False, 'shape': (2.0,), }",
        "missing key            | {'descr': '<f4', 'shape': (2,), }",
        "extra key              | {'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1, }",
        "repeated key           | {'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
        "non-bool fortran_order | {'descr': '<f4', 'fortran_order': 1, 'shape': (2,), }",
        "shape not a tuple      | {'descr': '<f4', 'fortran_order': False, 'shape': [2], }",
        "negative shape         | {'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }",
        "overflowing shape      | {'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
        "integer past int64     | {'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
        "shape far past file    | {'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }",
        "object dtype           | {'descr': '|O', 'fortran_order': False, 'shape': (2,), }",
        "complex dtype          | {'descr': '<c8', 'fortran_order': False, 'shape': (2,), }",
        "unicode dtype          | {'descr': '<U2', 'fortran_order': False, 'shape': (2,), }",
        "bytes dtype            | {'descr': '|S3', 'fortran_order': False, 'shape': (2,), }",
        "datetime dtype         | {'descr': '<M8[D]', 'fortran_order': False, 'shape': (2,), }",
        "uint32 dtype           | {'descr': '<u4', 'fortran_order': False, 'shape': (2,), }",
        "structured dtype       | {'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }",
        "bar order multi-byte   | {'descr': '|f4', 'fortran_order': False, 'shape': (2,), }",
        "not a dict             | ('descr', '<f4')",
        "call expression        | dict(descr='<f4')",
    })
    void malformedOrRefusedHeadersThrowNpyFormatException(String what, String dict) throws Exception {
        NpyFormatException e = refused(npy("bad.npy", dict.strip(), 64));
        assertTrue(e.byteOffset() >= 10 && e.byteOffset() <= 128, what + ": offset " + e.byteOffset());
    }

    @Test
    void deeplyNestedLiteralIsAnErrorNotAStackOverflow() throws Exception {
        refused(npy("deep.npy", "{'descr': " + "(".repeat(5000) + ")".repeat(5000) + "}", 0));
    }

    @Test
    void objectArraysAreRefusedNeverUnpickled() throws Exception {
        NpyFormatException e = refused(npy("obj.npy", "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 16));
        assertTrue(e.getMessage().contains("pickle"), e.getMessage());
    }

    @Test
    void badMagicUnknownVersionTruncationsAndHeaderPastEof() throws Exception {
        Path good = npy("good.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", 16);
        byte[] b = Files.readAllBytes(good);
        byte[] magic = b.clone();
        magic[1] = 'X';
        assertEquals(1, refused(Files.write(dir.resolve("magic.npy"), magic)).byteOffset());
        byte[] version = b.clone();
        version[6] = 4;
        assertEquals(6, refused(Files.write(dir.resolve("v4.npy"), version)).byteOffset());
        byte[] minor = b.clone();
        minor[7] = 1;
        refused(Files.write(dir.resolve("v11.npy"), minor));
        refused(Files.write(dir.resolve("short.npy"), java.util.Arrays.copyOf(b, 8)));
        refused(Files.write(dir.resolve("cut-header.npy"), java.util.Arrays.copyOf(b, 40)));
        NpyFormatException data = refused(Files.write(dir.resolve("cut-data.npy"), java.util.Arrays.copyOf(b, b.length - 1)));
        assertTrue(data.getMessage().contains("truncated data"), data.getMessage());
        byte[] longHeader = b.clone();
        longHeader[8] = (byte) 0xff;
        longHeader[9] = (byte) 0xff; // 65535 bytes of header in a 80-byte file
        assertEquals(8, refused(Files.write(dir.resolve("hlen.npy"), longHeader)).byteOffset());
        Path empty = Files.write(dir.resolve("empty.npy"), new byte[0]);
        refused(empty);
    }

    @Test
    void unsafeOrCorruptNpzMembersAreRefused() throws Exception {
        Path src = NpyManifest.staticFixtures().resolve("stored.npz");
        byte[] z = Files.readAllBytes(src);
        byte[] evil = replace(z, "x.npy", "../xy");
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.load(Files.write(dir.resolve("evil.npz"), evil)));
        assertTrue(e.getMessage().contains("unsafe member name"), e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(z, z.length - 30);
        assertThrows(NpyFormatException.class, () -> Npz.load(Files.write(dir.resolve("cut.npz"), cut)));
        assertThrows(NpyFormatException.class, () -> Npz.load(Files.write(dir.resolve("none.npz"), new byte[100])));
        // a flipped bit in a deflated member is caught by the inflater or by the CRC
        byte[] c = Files.readAllBytes(NpyManifest.staticFixtures().resolve("compressed.npz"));
        c[120] ^= 0x10;
        assertThrows(NpyFormatException.class, () -> Npz.load(Files.write(dir.resolve("flip.npz"), c)));
    }

    private static byte[] replace(byte[] b, String from, String to) {
        String s = new String(b, StandardCharsets.ISO_8859_1).replace(from, to);
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Seeded random byte mutations and truncations of valid files: only success or NpyFormatException may come out. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void randomlyMutatedFilesOnlyEverThrowNpyFormatException() throws Exception {
        Path fixtures = NpyManifest.staticFixtures();
        List<String> names = List.of("le_float32.npy", "be_float64.npy", "fortran_be_f8_3d.npy", "hand_reordered.npy",
                "stored.npz", "compressed.npz", "descriptors.npz");
        Random rnd = new Random(20240611);
        int outcomes[] = new int[2];
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            byte[] original = Files.readAllBytes(fixtures.resolve(name));
            for (int round = 0; round < 300; round++) {
                byte[] b = mutate(original, rnd);
                Path p = Files.write(dir.resolve("fuzz-" + name), b);
                try {
                    if (name.endsWith(".npz")) {
                        for (Tensor t : Npz.load(p).values()) { t.toDoubleArray(); t.close(); }
                    } else {
                        try (Tensor t = Npy.load(p)) { t.toDoubleArray(); }
                        try (Tensor t = Npy.map(p)) { t.toDoubleArray(); }
                    }
                    outcomes[0]++;
                } catch (NpyFormatException e) {
                    outcomes[1]++;
                } catch (Throwable t) {
                    failures.add(name + " round " + round + ": " + t);
                }
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " unexpected exceptions, e.g. " + failures.subList(0, Math.min(5, failures.size())));
        assertTrue(outcomes[0] > 0 && outcomes[1] > 0, "both outcomes seen: " + outcomes[0] + " loaded, " + outcomes[1] + " refused");
    }

    private static byte[] mutate(byte[] original, Random rnd) {
        byte[] b = original.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> { return java.util.Arrays.copyOf(b, rnd.nextInt(b.length)); }
            case 1 -> b[rnd.nextInt(Math.min(b.length, 128))] = (byte) rnd.nextInt(256); // header region
            default -> {
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
        }
        return b;
    }

    @Test
    void npzMembersSurviveTheLoadersMappingReferenceEndingFirst() throws Exception {
        Map<String, Tensor> z = Npz.load(NpyManifest.staticFixtures().resolve("stored.npz"));
        z.get("x").close(); // closing one member must not unmap the others
        assertEquals(7, z.get("y").toLongArray().length);
    }
}
