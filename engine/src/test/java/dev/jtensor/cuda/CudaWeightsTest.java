package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import dev.jtensor.io.TorchFiles;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mapped checkpoints load straight into a module on the device; a device module saves a checkpoint the CPU reads. */
class CudaWeightsTest {
    @TempDir Path tmp;

    @BeforeEach
    void cuda() { CudaTestSupport.requireCuda(); }

    private static Path fixture(String name) throws Exception {
        return Path.of(CudaWeightsTest.class.getResource("/weights/" + name).toURI());
    }

    @Test
    void pytorchsCheckpointsLoadIntoParametersOnTheDevice() throws Exception {
        Map<String, Tensor> io = Npz.load(fixture("expected.npz"));
        Tensor x = io.get("seq_io.x").to(DType.FLOAT32).to(CUDA), y = io.get("seq_io.y");
        for (String f : List.of("seq.safetensors", "seq.pt")) {
            Sequential m = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
            m.to(CUDA);
            Tensor w = m.stateDict().get("0.weight");
            m.load(fixture(f));
            assertSame(w, m.stateDict().get("0.weight"), "loaded in place");
            assertEquals(CUDA, w.device(), f);
            assertTrue(m.forward(x).cpu().to(DType.FLOAT64).allclose(y, 1e-5, 1e-6), f);
            Path back = tmp.resolve(f + ".pt");
            m.save(back);
            Map<String, Tensor> sd = TorchFiles.loadStateDict(back);
            assertTrue(sd.get("2.bias").allclose(m.stateDict().get("2.bias").cpu()), f);
        }
    }
}
