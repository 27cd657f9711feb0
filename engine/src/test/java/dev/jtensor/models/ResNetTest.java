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
 * {@code make_cnn.py}): both models take the same formula weights (the full weights are too big to commit: a splitmix64 hash of
 * (element, entry), computed identically in Python and Java), so the
 * eval-mode logits of a 2x3x64x64 batch, one train-mode loss (batch statistics), the running mean it leaves and the
 * gradient norms of parameters across the network must equal PyTorch's.
 */
class ResNetTest {
    /** make_cnn.py's {@code uniform}: n values in [-1, 1) from splitmix64 of (i, k), bit-exact with numpy's uint64 arithmetic. */
    static double[] uniform(int n, long k) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long z = i * 0x9E3779B97F4A7C15L + k * 0xD1B54A32D192ED03L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            out[i] = (z >>> 40) / (double) (1 << 24) * 2 - 1;
        }
        return out;
    }

    /** make_cnn.py's {@code resnet_weights}: state-dict entry k from {@code s = uniform(numel, k)}. */
    static void formulaWeights(ResNet model) {
        int k = 0;
        try (GradMode g = Jt.noGrad()) {
            for (var e : model.stateDict().entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                int kk = k++;
                if (name.endsWith("num_batches_tracked")) continue;
                double[] s = uniform(Math.toIntExact(t.numel()), kk);
                float[] v = new float[s.length];
                double fanIn = (double) t.numel() / t.size(0);
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) formula(name, t.dim(), s[i], fanIn);
                }
                t.copy_(Jt.tensor(v).reshape(t.shape().toArray()));
            }
        }
    }

    private static double formula(String name, int dim, double s, double fanIn) {
        return name.endsWith("running_mean") ? 0.1 * s : name.endsWith("running_var") ? 1 + 0.3 * s : name.endsWith("bias") ? 0.1 * s
                : dim == 1 ? 1 + 0.2 * s : s * Math.sqrt(3.0 / fanIn);
    }

    static Tensor input() {
        double[] s = uniform(2 * 3 * 64 * 64, 1000);
        float[] v = new float[s.length];
        for (int i = 0; i < v.length; i++) v[i] = (float) s[i];
        return Jt.tensor(v).reshape(2, 3, 64, 64);
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

    private static final ResNet MODEL = ResNet.resnet18(); // one model for both tests: 11.7M parameters to initialise

    @Test
    void stateDictKeysAreTorchvisions() {
        var keys = List.copyOf(MODEL.stateDict().keySet());
        assertEquals(122, keys.size(), "entries of torchvision's resnet18 state dict");
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked",
                "layer1.0.conv1.weight"), keys.subList(0, 7));
        assertTrue(keys.contains("layer2.0.downsample.0.weight") && keys.contains("layer4.1.bn2.num_batches_tracked"), keys.toString());
        assertEquals(List.of("fc.weight", "fc.bias"), keys.subList(120, 122));
        assertEquals(11_689_512L, MODEL.parameters().stream().mapToLong(Tensor::numel).sum(), "parameters");
    }

    @Test
    void evalLogitsAndOneTrainStepEqualTorchvisions() throws IOException {
        Map<String, Tensor> g = golden();
        ResNet model = MODEL;
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
            assertEquals(expected, actual, 1e-4 * expected + 1e-7, "gradient norm of " + name);
        }
    }
}
