package dev.jtensor.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.F;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ResNet-18 against torchvision 0.14's {@code resnet18} ({@code golden/cnn/resnet18.npz}, made by
 * {@code make_cnn.py}): both models take the same formula weights (the full weights are too big to commit), so the
 * eval-mode logits of a 2x3x64x64 batch, one train-mode loss (batch statistics), the running mean it leaves and the
 * gradient norms of parameters across the network must equal PyTorch's.
 */
class ResNetTest {
    /** make_cnn.py's {@code resnet_weights}: entry k, element i from {@code s = sin(0.37 i + 1.3 k)}. */
    static void formulaWeights(ResNet model) {
        int k = 0;
        try (GradMode g = Jt.noGrad()) {
            for (var e : model.stateDict().entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                int kk = k++;
                if (name.endsWith("num_batches_tracked")) continue;
                double[] v = new double[Math.toIntExact(t.numel())];
                double fanIn = (double) t.numel() / t.size(0);
                for (int i = 0; i < v.length; i++) {
                    double s = Math.sin(i * 0.37 + kk * 1.3);
                    v[i] = name.endsWith("running_mean") ? 0.1 * s : name.endsWith("running_var") ? 1 + 0.3 * s : name.endsWith("bias") ? 0.1 * s
                            : t.dim() == 1 ? 1 + 0.2 * s : s * Math.sqrt(2.0 / fanIn);
                }
                t.copy_(Jt.tensor(v, DType.FLOAT64).to(DType.FLOAT32).reshape(t.shape().toArray()));
            }
        }
    }

    static Tensor input() {
        int n = 2 * 3 * 64 * 64;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.sin(i * 0.013) + 0.5 * Math.cos(i * 0.007);
        return Jt.tensor(x, DType.FLOAT64).to(DType.FLOAT32).reshape(2, 3, 64, 64);
    }

    static Map<String, Tensor> golden() throws IOException {
        Path tmp = Files.createTempFile("resnet18", ".npz");
        try (InputStream in = ResNetTest.class.getResourceAsStream("/golden/cnn/resnet18.npz")) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            return Npz.load(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    void stateDictKeysAreTorchvisions() {
        var keys = List.copyOf(ResNet.resnet18().stateDict().keySet());
        assertEquals(122, keys.size(), "entries of torchvision's resnet18 state dict");
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
                "layer1.0.conv1.weight"), keys.subList(0, 7));
        assertTrue(keys.contains("layer2.0.downsample.0.weight") && keys.contains("layer4.1.bn2.num_batches_tracked"), keys.toString());
        assertEquals(List.of("fc.weight", "fc.bias"), keys.subList(120, 122));
        assertEquals(11_689_512L, ResNet.resnet18().parameters().stream().mapToLong(Tensor::numel).sum(), "parameters");
    }

    @Test
    void evalLogitsAndOneTrainStepEqualTorchvisions() throws IOException {
        Map<String, Tensor> g = golden();
        ResNet model = ResNet.resnet18();
        formulaWeights(model);
        Tensor x = input();
        model.eval();
        Tensor logits;
        try (GradMode m = Jt.noGrad()) {
            logits = model.forward(x);
        }
        assertArrayEquals(new long[] {2, 1000}, logits.shape().toArray());
        float[] e = g.get("logits").toFloatArray(), a = logits.toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-4, "logit " + i);

        model.train();
        Tensor loss = F.crossEntropy(model.forward(x), Jt.tensor(new long[] {3, 7}));
        assertEquals(g.get("loss").item(), loss.item(), 1e-4, "train-mode loss");
        float[] rm = g.get("bn1.running_mean").toFloatArray(), ourRm = model.stateDict().get("bn1.running_mean").toFloatArray();
        for (int i = 0; i < rm.length; i++) assertEquals(rm[i], ourRm[i], 1e-5, "bn1.running_mean " + i);
        assertEquals(1L, model.stateDict().get("bn1.num_batches_tracked").toLongArray()[0]);
        loss.backward();
        Map<String, Tensor> params = model.namedParameters();
        for (var entry : g.entrySet()) {
            if (!entry.getKey().startsWith("gradnorm.")) continue;
            String name = entry.getKey().substring("gradnorm.".length());
            double expected = entry.getValue().item(), actual = params.get(name).grad().to(DType.FLOAT64).norm().item();
            assertEquals(expected, actual, 1e-3 * expected + 1e-6, "gradient norm of " + name);
        }
    }
}
