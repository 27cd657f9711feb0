package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and hostile PyTorch checkpoints get a format error naming file and offset; never a crash or a call. */
class TorchFilesHostileTest {
    @TempDir Path tmp;

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void aViewPastItsStorageAndAMissingRecordAreRefused() throws Exception {
        byte[] tied = Files.readAllBytes(WeightFixtures.file("torch_tied.pt"));
        int at = indexOf(tied, new byte[] {'K', 5, 'K', 3, (byte) 0x86}); // size (5, 3) of emb.weight
        assertTrue(at > 0);
        byte[] b = tied.clone();
        b[at + 1] = 9;
        Path p = tmp.resolve("big.pt");
        Files.write(p, b);
        var e = assertThrows(WeightsFormatException.class, () -> TorchFiles.load(p));
        assertTrue(e.getMessage().contains("reaches element") && e.getMessage().contains("data.pkl"), e.getMessage());
        b = tied.clone();
        for (int name; (name = indexOf(b, "torch_tied/data/0".getBytes())) >= 0; ) b[name + "torch_tied/data/".length()] = '7';
        Files.write(p, b);
        e = assertThrows(WeightsFormatException.class, () -> TorchFiles.load(p));
        assertTrue(e.getMessage().contains("is missing") || e.getMessage().contains("no jtensor dtype"), e.getMessage());
        Files.write(p, new byte[] {'P', 'K', 3, 4});
        assertThrows(NpyFormatException.class, () -> TorchFiles.load(p));
        Files.write(p, new byte[0]);
        assertThrows(WeightsFormatException.class, () -> TorchFiles.load(p));
    }

    @Test
    void fuzzedCheckpointsNeverEscapeAsAnythingButAFormatError() throws Exception {
        byte[] good = Files.readAllBytes(WeightFixtures.file("torch_dtypes.pt"));
        int pickleEnd = indexOf(good, "torch_dtypes/data/0".getBytes()); // the pickle precedes the first storage record
        int centralStart = indexOf(good, new byte[] {'P', 'K', 1, 2}); // and the central directory ends it
        Random rnd = new Random(1913);
        Path p = Mutations.scratchFile(tmp, "fuzz.pt");
        // Fixed count, not a time bound: the same mutations on every machine, whatever its load.
        int n = 0, accepted = 0;
        for (; n < 1500; n++) {
            byte[] b = n % 2 == 0 ? Mutations.mutate(good, pickleEnd, rnd) : Mutations.mutate(good, centralStart, good.length, rnd);
            Files.write(p, b);
            try {
                touch(TorchFiles.load(p), java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
                accepted++;
            } catch (NpyFormatException expected) {
                // the point
            } catch (RuntimeException | Error x) {
                fail("mutation " + n + " escaped as " + x, x);
            }
        }
        assertTrue(accepted > 0 && accepted < n, accepted + " of " + n + " accepted");
    }

    /** Reads every element of every tensor in what was loaded (each container once: a list may hold itself). */
    private static void touch(Object o, java.util.Set<Object> seen) {
        if (o == null || !seen.add(o)) return;
        if (o instanceof Tensor t) t.sum().item();
        else if (o instanceof Map<?, ?> m) for (var e : m.entrySet()) { touch(e.getKey(), seen); touch(e.getValue(), seen); }
        else if (o instanceof Collection<?> c) for (Object x : c) touch(x, seen);
    }
}
