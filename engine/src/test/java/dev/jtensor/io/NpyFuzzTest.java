package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

/**
 * Seeded, time-bounded fuzzing of the readers (issue 24 item 3), structure-aware: besides random bytes it
 * sets the zip fields (end record, central entries, local headers) and the .npy length field to boundary
 * values, truncates and splices. Oracles: nothing but {@link NpyFormatException} ever escapes; an archive
 * that loads gives back <em>every</em> member with its original values (CRC-32 checks make any change to
 * a member's bytes a refusal, and a loader that drops or renames members fails here); an .npy that loads
 * reads the same through {@code load} and {@code map}. Runs about {@value #BUDGET_MS} ms.
 */
class NpyFuzzTest {
    private static final long BUDGET_MS = 3000;
    private static final int MIN_ROUNDS = 150;
    private static final long SEED = 0x24_03;
    @TempDir Path dir;

    private record Seed(String name, byte[] bytes, Map<String, double[]> members) {}

    private static Seed seed(Path fixtures, String name) throws Exception {
        Path p = fixtures.resolve(name);
        Map<String, double[]> members = new java.util.LinkedHashMap<>();
        if (name.endsWith(".npz")) {
            for (Map.Entry<String, Tensor> e : Npz.load(p).entrySet()) {
                try (Tensor t = e.getValue()) { members.put(e.getKey(), t.toDoubleArray()); }
            }
        }
        return new Seed(name, Files.readAllBytes(p), members);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutatedFilesLoadWholeOrThrowNpyFormatException() throws Exception {
        Path fixtures = NpyManifest.staticFixtures();
        List<Seed> seeds = new ArrayList<>();
        for (String n : List.of("le_float32.npy", "be_float64.npy", "fortran_f4.npy", "version2_f4.npy", "version3_f4.npy",
                "stored.npz", "compressed.npz", "descriptors.npz")) {
            seeds.add(seed(fixtures, n));
        }
        Random rnd = new Random(SEED);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MS);
        int rounds = 0, loaded = 0, refused = 0;
        List<String> failures = new ArrayList<>();
        while (rounds < MIN_ROUNDS || System.nanoTime() < deadline) {
            Seed s = seeds.get(rnd.nextInt(seeds.size()));
            String how = mutate(s.bytes(), rnd);
            byte[] b = lastMutation;
            Path p = Files.write(dir.resolve("fuzz-" + s.name()), b);
            rounds++;
            try {
                if (s.name().endsWith(".npz")) checkArchive(p, s);
                else checkArray(p);
                loaded++;
            } catch (NpyFormatException e) {
                refused++;
                if (!e.getMessage().contains(p.toString())) failures.add(s.name() + " " + how + ": message without the file: " + e.getMessage());
            } catch (Throwable t) {
                failures.add(s.name() + " " + how + ": " + t);
            }
            if (failures.size() >= 5) break;
        }
        if (!failures.isEmpty()) fail("seed " + SEED + ", " + failures.size() + " failures, e.g. " + failures);
        assertTrue(loaded > 0 && refused > 0, rounds + " rounds: " + loaded + " loaded, " + refused + " refused");
    }

    /** An archive that loads must give back all its members, in order, with their values. */
    private static void checkArchive(Path p, Seed s) throws Exception {
        Map<String, Tensor> got = Npz.load(p);
        try {
            assertEquals(List.copyOf(s.members().keySet()), List.copyOf(got.keySet()), "members of a loaded archive");
            for (var e : s.members().entrySet()) assertArrayEquals(e.getValue(), got.get(e.getKey()).toDoubleArray(), e.getKey());
        } finally {
            for (Tensor t : got.values()) t.close();
        }
    }

    /** An .npy that loads must map to the same shape and values. */
    private static void checkArray(Path p) throws Exception {
        try (Tensor a = Npy.load(p); Tensor m = Npy.map(p)) {
            assertEquals(a.shape(), m.shape());
            assertEquals(a.dtype(), m.dtype());
            assertArrayEquals(a.toDoubleArray(), m.toDoubleArray());
        }
    }

    private byte[] lastMutation;

    /** Mutates a copy of {@code original} into {@link #lastMutation}; returns what it did, for failure messages. */
    private String mutate(byte[] original, Random rnd) {
        byte[] b = original.clone();
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> fields = zipFields(b, le);
        String how;
        int kind = rnd.nextInt(6);
        if (kind == 0) {
            int n = rnd.nextInt(b.length);
            lastMutation = java.util.Arrays.copyOf(b, n);
            return "truncated to " + n;
        } else if (kind == 1 && !fields.isEmpty()) {
            int at = fields.get(rnd.nextInt(fields.size()));
            long v = boundary(rnd, at + 4 <= b.length ? le.getInt(at) & 0xffffffffL : 0);
            if (rnd.nextBoolean() && at + 4 <= b.length) le.putInt(at, (int) v);
            else if (at + 2 <= b.length) le.putShort(at, (short) v);
            how = "zip field at " + at + " := " + v;
        } else if (kind == 2 && b.length > 12 && b[0] == (byte) 0x93) {
            long v = boundary(rnd, le.getShort(8) & 0xffff);
            le.putShort(8, (short) v);
            how = ".npy header length := " + (v & 0xffff);
        } else if (kind == 3 && b.length > 16) {
            int from = rnd.nextInt(b.length - 8), to = rnd.nextInt(b.length - 8), n = 1 + rnd.nextInt(8);
            System.arraycopy(original, from, b, to, n);
            how = "copied " + n + " bytes from " + from + " to " + to;
        } else {
            int at = rnd.nextInt(b.length);
            b[at] = (byte) rnd.nextInt(256);
            how = "byte " + at + " := " + (b[at] & 0xff);
        }
        lastMutation = b;
        return how;
    }

    private static long boundary(Random rnd, long current) {
        long[] picks = {0, 1, 2, 0x7fff, 0xffff, 0x10000, 0x7fffffffL, 0xffffffffL, current + 1, current - 1, current + 46, current * 2};
        return rnd.nextInt(4) == 0 ? rnd.nextInt() & 0xffffffffL : picks[rnd.nextInt(picks.length)];
    }

    /** Offsets of the 16- and 32-bit fields of every zip record in {@code b} (none for an .npy). */
    private static List<Integer> zipFields(byte[] b, ByteBuffer le) {
        List<Integer> out = new ArrayList<>();
        for (int at = 0; at + 4 <= b.length; at++) {
            int sig = le.getInt(at);
            int[] offsets = switch (sig) {
                case ZipDirectory.END_SIG -> new int[] {4, 6, 8, 10, 12, 16, 20};
                case ZipDirectory.CENTRAL_SIG -> new int[] {4, 6, 8, 10, 16, 20, 24, 28, 30, 32, 34, 42};
                case ZipDirectory.LOCAL_SIG -> new int[] {4, 6, 8, 14, 18, 22, 26, 28};
                case ZipDirectory.ZIP64_LOCATOR_SIG -> new int[] {4, 8, 16};
                default -> new int[0];
            };
            for (int o : offsets) if (at + o + 2 <= b.length) out.add(at + o);
        }
        return out;
    }
}
