package dev.jtensor.nn;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.Tensor;
import dev.jtensor.testing.GoldenNn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module.save/load as .npz state dicts, and weights moving from PyTorch (np.savez of a state_dict). */
class StateFilesTest {
    @Test
    void loadsAPyTorchStateDictAndComputesTheSameOutput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("torch_state.npz");
        try (var in = StateFilesTest.class.getResourceAsStream("/golden/nn/torch_state.npz")) {
            Files.copy(in, file);
        }
        Sequential net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        net.load(file);
        GoldenNn g = GoldenNn.of("state.tsv");
        g.assertClose("out", net.forward(g.tensor("probe")), 1e-6, 1e-6);
    }

    @Test
    void saveThenLoadRoundTrips(@TempDir Path dir) throws Exception {
        manualSeed(5);
        Sequential a = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        Sequential b = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        Path file = dir.resolve("model.npz");
        a.save(file);
        b.load(file);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(b.stateDict().keySet()));
        for (String k : a.stateDict().keySet()) {
            assertArrayEquals(a.stateDict().get(k).toDoubleArray(), b.stateDict().get(k).toDoubleArray(), k);
        }
        Tensor x = randn(5, 3);
        assertArrayEquals(a.forward(x).toDoubleArray(), b.forward(x).toDoubleArray());
    }
}
