package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and hostile safetensors files get a WeightsFormatException naming the file, tensor and offset; never a crash. */
class SafetensorsHostileTest {
    @TempDir Path tmp;

    static byte[] file(long headerLength, String json, int dataBytes) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).put(h).array();
    }

    static byte[] file(String json, int dataBytes) { return file(json.getBytes(StandardCharsets.UTF_8).length, json, dataBytes); }

    private WeightsFormatException refused(byte[] bytes) throws Exception {
        Path p = tmp.resolve("bad.safetensors");
        Files.write(p, bytes);
        var e = assertThrows(WeightsFormatException.class, () -> Safetensors.map(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("(at byte offset " + e.byteOffset() + ")"), e.getMessage());
        return e;
    }

    private static String t(String name, String dtype, String shape, long b, long e) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + b + "," + e + "]}";
    }

    @Test
    void headerProblemsAreNamedWithTheirOffset() throws Exception {
        var e = refused(file(1000, "{}", 0));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
        e = refused(file(200_000_000L, "{}", 0));
        assertTrue(e.getMessage().contains("100000000"), e.getMessage());
        e = refused(file(-1L, "{}", 0));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        e = refused(new byte[5]);
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        e = refused(file("{\"a\":{\"dtype\":\"F32\",", 0));
        assertTrue(e.getMessage().contains("JSON ends early"), e.getMessage());
        String trailingComma = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},}";
        e = refused(file(trailingComma, 4));
        assertEquals(8 + trailingComma.indexOf(",}") + 1, e.byteOffset(), e.getMessage());
        e = refused(file("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", 0));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    @Test
    void tensorProblemsNameTheTensor() throws Exception {
        var e = refused(file("{" + t("w", "F32", "[2]", 0, 400) + "}", 8));
        assertEquals("w", e.tensor());
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        e = refused(file("{" + t("w", "F32", "[100]", 0, 400) + "}", 8));
        assertTrue(e.getMessage().contains("run past the end") && "w".equals(e.tensor()), e.getMessage());
        e = refused(file("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12));
        assertTrue(e.getMessage().contains("overlaps") && "b".equals(e.tensor()), e.getMessage());
        e = refused(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}", 12));
        assertTrue(e.getMessage().contains("gap") && "b".equals(e.tensor()), e.getMessage());
        String json = "{" + t("a", "F32", "[3]", 0, 8) + "}";
        e = refused(file(json, 8));
        assertTrue(e.getMessage().contains("shape [3] of F32 does not match its 8 bytes") && "a".equals(e.tensor()), e.getMessage());
        assertEquals(8 + 1, e.byteOffset());
        e = refused(file("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8));
        assertTrue(e.getMessage().contains("repeats the key \"a\""), e.getMessage());
        e = refused(file("{" + t("a", "F32", "[2]", 0, 8) + "}", 5));
        assertTrue(e.getMessage().contains("truncated") && "a".equals(e.tensor()), e.getMessage());
        e = refused(file("{" + t("a", "F32", "[2]", 0, 8) + "}", 12));
        assertTrue(e.getMessage().contains("holds 12 data bytes"), e.getMessage());
        e = refused(file("{" + t("a", "F32", "[-2]", 0, 8) + "}", 8));
        assertTrue(e.getMessage().contains("not a non-negative integer"), e.getMessage());
        e = refused(file("{" + t("a", "F32", "[4294967296,4294967296,4294967296]", 0, 8) + "}", 8));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
        e = refused(file("{" + t("a", "F32", "[2]", 8, 0) + "}", 8));
        assertTrue(e.getMessage().contains("end before they begin"), e.getMessage());
        e = refused(file("{\"__metadata__\":{\"a\":1}}", 0));
        assertTrue(e.getMessage().contains("not a string"), e.getMessage());
    }

    /** Seeded mutations of a real file: thousands of them, through files, then many more through the header parser. */
    @Test
    void fuzzedFilesNeverEscapeAsAnythingButAFormatError() throws Exception {
        byte[] good = Files.readAllBytes(WeightFixtures.file("st_dtypes.safetensors"));
        long headerEnd = 8 + ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        Random rnd = new Random(19);
        Path p = Mutations.scratchFile(tmp, "fuzz.safetensors");
        // Fixed counts, not a time bound: the same mutations on every machine, whatever its load (~2 s here).
        int files = 0, parses = 0, accepted = 0;
        for (; files < 1000; files++) {
            byte[] b = Mutations.mutate(good, (int) headerEnd, rnd);
            Files.write(p, b);
            try (MappedWeights m = Safetensors.map(p)) {
                accepted++;
                for (String k : m.keySet()) {
                    try {
                        Tensor t = m.get(k);
                        t.sum().item();
                        t.close();
                    } catch (UnsupportedOperationException expectedForFp8) {
                        // a dtype jtensor lacks
                    }
                }
            } catch (NpyFormatException expected) {
                // the point
            } catch (RuntimeException | Error x) {
                fail("mutation " + files + " escaped as " + x, x);
            }
        }
        for (; parses < 10000; parses++) {
            byte[] b = Mutations.mutate(good, (int) headerEnd, rnd);
            try {
                SafetensorsHeader.parse(MemorySegment.ofArray(b), "mem");
            } catch (WeightsFormatException expected) {
                // the point
            } catch (RuntimeException | Error x) {
                fail("header mutation " + parses + " escaped as " + x, x);
            }
        }
        assertTrue(accepted > 0 && accepted < files, accepted + " of " + files + " accepted");
    }
}
