package dev.jtensor.nn;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.io.MappedWeights;
import dev.jtensor.io.Npz;
import dev.jtensor.io.Safetensors;
import dev.jtensor.io.TorchFiles;
import dev.jtensor.io.WeightFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** load_state_dict's semantics, persistent buffers, and checkpoints of every format reproducing PyTorch's outputs. */
class StateDictTest {
    @TempDir Path tmp;

    static Path fixture(String name) throws Exception {
        return Path.of(StateDictTest.class.getResource("/weights/" + name).toURI());
    }

    static final class Stats extends Module {
        Stats() {
            registerParameter("weight", ones(2));
            registerBuffer("running_mean", zeros(2));
            registerBuffer("cache", zeros(3), false);
        }

        @Override
        public Tensor forward(Tensor input) { return input.mul(namedParameters().get("weight")); }
    }

    static Sequential pytorchsSequential() { return new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3)); }

    @Test
    void nonPersistentBuffersAreBuffersButNotState() {
        Stats s = new Stats();
        assertEquals(List.of("weight", "running_mean"), List.copyOf(s.stateDict().keySet()));
        assertEquals(List.of("running_mean", "cache"), List.copyOf(s.namedBuffers().keySet()));
        s.loadStateDict(Map.of("weight", full(new long[] {2}, 3.0), "running_mean", ones(2)));
        assertArrayEquals(new double[] {3, 3}, s.namedParameters().get("weight").toDoubleArray());
    }

    @Test
    void strictReportsEveryProblemInOneErrorAndNonStrictReturnsTheKeys() {
        Stats s = new Stats();
        Tensor w = s.namedParameters().get("weight");
        Map<String, Tensor> extra = new LinkedHashMap<>();
        extra.put("weight", full(new long[] {2}, 5.0).to(DType.FLOAT64));
        extra.put("bogus", zeros(1));
        var e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(extra, true));
        assertEquals("Error(s) in loading state_dict for Stats:\n\tMissing key(s) in state_dict: \"running_mean\". \n\t"
                + "Unexpected key(s) in state_dict: \"bogus\". ", e.getMessage());
        assertArrayEquals(new double[] {1, 1}, w.toDoubleArray(), "nothing copied on error");
        IncompatibleKeys k = s.loadStateDict(extra, false);
        assertEquals(List.of("running_mean"), k.missingKeys());
        assertEquals(List.of("bogus"), k.unexpectedKeys());
        assertSame(w, s.namedParameters().get("weight"), "copied in place");
        assertEquals(DType.FLOAT32, w.dtype(), "converted to the parameter's dtype");
        assertArrayEquals(new double[] {5, 5}, w.toDoubleArray());
        assertEquals("<All keys matched successfully>", s.loadStateDict(s.stateDict(), true).toString());
        Map<String, Tensor> wrong = Map.of("weight", zeros(3));
        e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(wrong, false));
        assertTrue(e.getMessage().contains("size mismatch for weight: copying a param with shape torch.Size([3]) from checkpoint,"
                + " the shape in current model is torch.Size([2])."), e.getMessage());
    }

    @Test
    void pytorchsCheckpointsReproduceItsOutputsInEveryFormat() throws Exception {
        Map<String, Tensor> io = Npz.load(fixture("expected.npz"));
        Tensor x = io.get("seq_io.x").to(DType.FLOAT32), y = io.get("seq_io.y");
        Map<String, Tensor> torchSd = TorchFiles.loadStateDict(fixture("seq.pt"));
        Sequential model = pytorchsSequential();
        assertEquals(List.copyOf(torchSd.keySet()), List.copyOf(model.stateDict().keySet()), "state dict keys are PyTorch's");
        for (String f : List.of("seq.pt", "seq.safetensors")) {
            Sequential m = pytorchsSequential();
            m.load(fixture(f));
            assertTrue(m.forward(x).to(DType.FLOAT64).allclose(y, 1e-5, 1e-6), f);
            for (String fmt : List.of("a.pt", "a.safetensors", "a.npz")) {
                Path p = tmp.resolve(f + fmt);
                m.save(p);
                Sequential back = pytorchsSequential();
                back.load(p);
                assertTrue(back.forward(x).to(DType.FLOAT64).allclose(y, 1e-5, 1e-6), f + " -> " + fmt);
            }
        }
        assertEquals(WeightFiles.Format.TORCH, WeightFiles.detect(tmp.resolve("seq.pta.pt")));
        assertEquals(WeightFiles.Format.SAFETENSORS, WeightFiles.detect(tmp.resolve("seq.pta.safetensors")));
        assertEquals(WeightFiles.Format.NPZ, WeightFiles.detect(tmp.resolve("seq.pta.npz")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jtLoadAndSavePickTheFormat() throws Exception {
        Tensor a = arange(6).reshape(2, 3).to(DType.FLOAT32);
        Jt.save(a, tmp.resolve("a.npy"));
        assertArrayEquals(a.toDoubleArray(), ((Tensor) Jt.load(tmp.resolve("a.npy"))).toDoubleArray());
        Map<String, Tensor> m = Map.of("a", a);
        for (String name : List.of("m.npz", "m.safetensors", "m.pt", "m.bin")) {
            Jt.save(m, tmp.resolve(name));
            Object back = Jt.load(tmp.resolve(name));
            assertArrayEquals(a.toDoubleArray(), ((Map<String, Tensor>) back).get("a").toDoubleArray(), name);
            if (back instanceof MappedWeights w) w.close();
        }
        Jt.save(Map.of("epoch", 3, "w", a), tmp.resolve("ckpt.pth"));
        assertEquals(3L, ((Map<String, Object>) Jt.load(tmp.resolve("ckpt.pth"))).get("epoch"));
        assertThrows(IllegalArgumentException.class, () -> Jt.save(m, tmp.resolve("x.npy")));
        assertThrows(IllegalArgumentException.class, () -> Jt.save(a, tmp.resolve("x.safetensors")));
        java.nio.file.Files.writeString(tmp.resolve("notes.bin"), "hello, not weights");
        var e = assertThrows(dev.jtensor.io.NpyFormatException.class, () -> Jt.load(tmp.resolve("notes.bin")));
        assertTrue(e.getMessage().contains("not a file jtensor reads"), e.getMessage());
        try (MappedWeights w = Safetensors.map(fixture("seq.safetensors"))) {
            assertEquals("pt", w.metadata().get("format"));
        }
    }
}
