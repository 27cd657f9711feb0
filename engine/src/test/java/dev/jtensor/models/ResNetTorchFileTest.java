package dev.jtensor.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.io.Npz;
import dev.jtensor.io.TorchFiles;
import dev.jtensor.nn.F;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 22's proof with a real {@code torch.save} file: {@code golden/cnn/resnet18_views.pt} is the state dict of
 * torchvision 0.14's {@code resnet18} as PyTorch 1.13 saved it ({@code make_resnet_file.py}; its float tensors are
 * overlapping strided views into one small storage, so 11.7M parameters take 254 KB). It loads through
 * {@link TorchFiles#loadStateDict} into {@link ResNet#resnet18()}, and the eval logits of a 2x3x64x64 batch, one
 * train-mode loss, every parameter gradient's norm, gradient slices and the updated running statistics equal what
 * torchvision's model computes after {@code load_state_dict} of the same file ({@code resnet18_views.npz}).
 */
class ResNetTorchFileTest {
    private static Path pt;
    private static Map<String, Tensor> expected;

    @BeforeAll
    static void files() throws IOException {
        pt = copy("resnet18_views.pt");
        Path npz = copy("resnet18_views.npz");
        try {
            expected = Npz.load(npz);
        } finally {
            Files.delete(npz);
        }
    }

    @AfterAll
    static void delete() throws IOException { Files.deleteIfExists(pt); }

    private static Path copy(String name) throws IOException {
        Path tmp = Files.createTempFile("resnet18_views", name.substring(name.lastIndexOf('.')));
        try (InputStream in = ResNetTorchFileTest.class.getResourceAsStream("/golden/cnn/" + name)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        return tmp;
    }

    private static void assertClose(String key, Tensor actual, double atol, double rtol) {
        float[] e = expected.get(key).toFloatArray(), a = actual.to(DType.FLOAT32).contiguous().toFloatArray();
        assertEquals(e.length, a.length, key + " length");
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], atol + rtol * Math.abs(e[i]), key + " element " + i);
    }

    /** Gradient slices: within {@code rtol} of the slice's largest magnitude (small elements carry float32 noise of the whole sum). */
    private static void assertSliceClose(String key, Tensor actual, double rtol) {
        assertClose(key, actual, rtol * expected.get(key).abs().max().item(), 0);
    }

    @Test
    void theFileHoldsOverlappingViewsOfOneStorage() throws IOException {
        Map<String, Tensor> state = TorchFiles.loadStateDict(pt);
        assertEquals(122, state.size());
        Tensor w = state.get("layer4.1.conv2.weight");
        assertArrayEquals(new long[] {512, 512, 3, 3}, w.shape().toArray());
        assertTrue(w.stride(0) < 512 * 9 && w.stride(1) < 9, "overlapping strides " + java.util.Arrays.toString(w.stride()));
        // element (o, c, i, j) sits at offset + o * s0 + c * s1 + 3 i + j: rows o and o + s1, columns c and c + s0 meet
        long s0 = w.stride(0), s1 = w.stride(1);
        assertEquals(w.get(0, s0, 0, 0).item(), w.get(s1, 0, 0, 0).item(), 0.0, "the same storage element through two indices");
        assertEquals(DType.INT64, state.get("bn1.num_batches_tracked").dtype());
    }

    @Test
    void evalLogitsAndOneTrainStepEqualTorchvisionsFromTheSameFile() throws IOException {
        ResNet model = ResNet.resnet18();
        model.loadStateDict(TorchFiles.loadStateDict(pt));
        Tensor x = ResNetTest.input();
        model.eval();
        Tensor logits;
        try (GradMode m = Jt.noGrad()) {
            logits = model.forward(x);
        }
        assertArrayEquals(new long[] {2, 1000}, logits.shape().toArray());
        assertClose("logits", logits, 1e-4, 0);

        model.train();
        Tensor loss = F.crossEntropy(model.forward(x), Jt.tensor(new long[] {3, 7}));
        assertEquals(expected.get("loss").item(), loss.item(), 1e-4, "train-mode loss");
        loss.backward();
        List<Tensor> norms = new ArrayList<>();
        for (Tensor p : model.namedParameters().values()) norms.add(p.grad().to(DType.FLOAT64).norm());
        assertClose("grad_norms", Jt.stack(norms, 0), 1e-6, 1e-4);
        Map<String, Tensor> p = model.namedParameters();
        assertSliceClose("conv1.weight.grad", p.get("conv1.weight").grad().narrow(0, 0, 2).flatten(0, -1), 1e-4);
        assertSliceClose("layer3.0.downsample.0.weight.grad", p.get("layer3.0.downsample.0.weight").grad().narrow(0, 0, 4).narrow(1, 0, 16)
                .flatten(0, -1), 1e-4);
        assertSliceClose("layer4.1.bn2.weight.grad", p.get("layer4.1.bn2.weight").grad().narrow(0, 0, 32), 1e-4);
        assertSliceClose("fc.weight.grad", p.get("fc.weight").grad().narrow(0, 0, 8).narrow(1, 0, 32).flatten(0, -1), 1e-4);
        assertSliceClose("fc.bias.grad", p.get("fc.bias").grad(), 1e-4);
        Map<String, Tensor> state = model.stateDict();
        assertClose("bn1.running_mean", state.get("bn1.running_mean"), 1e-5, 1e-5);
        assertClose("bn1.running_var", state.get("bn1.running_var"), 1e-5, 1e-5);
        assertClose("layer4.1.bn2.running_var", state.get("layer4.1.bn2.running_var"), 1e-5, 1e-5);
        assertEquals(1L, state.get("layer4.1.bn2.num_batches_tracked").toLongArray()[0]);
    }
}
