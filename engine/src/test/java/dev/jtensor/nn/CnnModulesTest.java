package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CNN modules' PyTorch behaviour: initial weights under a seed, state-dict keys and buffers, batch norm's
 * running statistics (momentum and the cumulative average) and eval mode, channel dropout, the reprs, and
 * PyTorch's error messages ({@code golden/cnn/modules.npz} from {@code make_cnn.py}).
 */
class CnnModulesTest {
    static Map<String, Tensor> golden() throws IOException {
        Path tmp = Files.createTempFile("modules", ".npz");
        try (InputStream in = CnnModulesTest.class.getResourceAsStream("/golden/cnn/modules.npz")) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            return Npz.load(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    private static void close(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + " shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], tol, what + " element " + i);
    }

    @Test
    void initialWeightsUnderASeedArePyTorchs() throws IOException {
        Map<String, Tensor> g = golden();
        Jt.manualSeed(0);
        Module conv = new Conv2d(3, 4, 3);
        Module convt = new ConvTranspose2d(4, 6, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {0}, 2, true, new int[] {1});
        Module conv1 = new Conv1d(2, 3, 5, 1, 0, 1, 1, false, "zeros");
        for (var e : Map.of("conv2d", conv, "conv_transpose2d", convt, "conv1d", conv1).entrySet()) {
            for (var p : e.getValue().stateDict().entrySet()) {
                close(g.get(e.getKey() + "." + p.getKey()), p.getValue(), 1e-7, e.getKey() + "." + p.getKey());
            }
        }
        assertEquals(List.of("weight"), List.copyOf(conv1.stateDict().keySet()));
    }

    @Test
    void batchNormKeepsPyTorchsBuffersAndCumulativeAverage() throws IOException {
        Map<String, Tensor> g = golden();
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, null, true, true);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        assertEquals(List.of("weight", "bias"), List.copyOf(bn.namedParameters().keySet()));
        bn.forward(g.get("bn_x1"));
        bn.forward(g.get("bn_x2"));
        for (String k : List.of("running_mean", "running_var")) close(g.get("bn_cumulative." + k), bn.stateDict().get(k), 1e-6, k);
        assertEquals(2L, bn.numBatchesTracked().toLongArray()[0]);
        bn.eval();
        close(g.get("bn_eval_y"), bn.forward(g.get("bn_x1")), 1e-5, "eval output");
        assertEquals(2L, bn.numBatchesTracked().toLongArray()[0], "eval mode counts no batch");
        assertEquals("BatchNorm2d(3, eps=1e-05, momentum=None, affine=True, track_running_stats=True)", bn.toString());
        BatchNorm1d plain = new BatchNorm1d(4, 1e-5, 0.1, false, false);
        assertTrue(plain.stateDict().isEmpty(), "no affine and no running statistics: an empty state dict");
        Tensor x = Jt.randn(6, 4);
        Tensor y = plain.eval().forward(x);
        close(x.sub(x.mean(0, true)).div(x.var(new int[] {0}, 0, true).add(1e-5).sqrt()), y, 1e-5, "batch statistics without running ones");
    }

    @Test
    void dropout2dZeroesWholeChannels() {
        Jt.manualSeed(3);
        Dropout2d d = new Dropout2d(0.5);
        Tensor y = d.forward(Jt.ones(8, 16, 3, 3));
        double[] v = y.toDoubleArray();
        int zeros = 0;
        for (int ch = 0; ch < 8 * 16; ch++) {
            double first = v[ch * 9];
            for (int i = 1; i < 9; i++) assertEquals(first, v[ch * 9 + i], "channel " + ch + " is all kept or all dropped");
            assertTrue(first == 0 || first == 2.0, "kept channels are scaled by 1/(1-p): " + first);
            if (first == 0) zeros++;
        }
        assertTrue(zeros > 40 && zeros < 88, "about half the channels dropped: " + zeros);
        Tensor x = Jt.randn(2, 3, 4, 4);
        assertTrue(d.eval().forward(x).equal(x), "identity in eval mode");
    }

    @Test
    void errorsSpeakLikePyTorch() {
        Conv2d conv = new Conv2d(4, 8, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Jt.zeros(1, 3, 32, 32)));
        assertEquals("Given groups=1, weight of size [8, 4, 3, 3], expected input[1, 3, 32, 32] to have 4 channels, but got 3 channels instead",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Jt.zeros(1, 4, 2, 2)));
        assertTrue(e.getMessage().startsWith("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, new int[] {3}, new int[] {2}, "same", new int[] {1}, 1, true, "zeros"));
        assertEquals("padding='same' is not supported for strided convolutions", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 1, 0, 1, 2, true, "zeros"));
        assertEquals("in_channels must be divisible by groups", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Jt.zeros(2, 3, 4)));
        assertEquals("expected 4D input (got 3D input)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(4).forward(Jt.zeros(2, 3, 4, 4)));
        assertEquals("running_mean should contain 3 elements not 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Jt.zeros(1, 3)));
        assertEquals("Expected more than 1 value per channel when training, got input size [1, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2).forward(Jt.zeros(1, 1, 4, 4)));
        assertTrue(e.getMessage().startsWith("pad should be at most half of effective kernel size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.pad(Jt.zeros(1, 1, 3, 3), new long[] {3, 3}, "reflect", 0));
        assertTrue(e.getMessage().startsWith("Argument #4: Padding size should be less than the corresponding input dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        assertEquals("num_channels must be divisible by num_groups", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxUnpool2d(2).forward(Jt.zeros(1, 1, 2, 2)));
        assertTrue(e.getMessage().contains("forward(input, indices)"), e.getMessage());
    }

    @Test
    void modulesAreTheirFunctionalFormsAndTakeUnbatchedInput() {
        Jt.manualSeed(11);
        Tensor x = Jt.randn(2, 4, 6, 8), x1 = Jt.randn(2, 4, 9);
        assertTrue(new Upsample(null, new double[] {2}, "bilinear", true).forward(x)
                .equal(F.interpolate(x, new double[] {2}, "bilinear", true)));
        assertArrayEquals(new long[] {2, 4, 12, 16}, new Upsample(2).forward(x).shape().toArray());
        assertTrue(new PixelShuffle(2).forward(x).equal(F.pixelShuffle(x, 2)));
        assertTrue(F.pixelUnshuffle(F.pixelShuffle(x, 2), 2).equal(x), "pixel_unshuffle inverts pixel_shuffle");
        Tensor cols = new Unfold(new int[] {2, 3}, new int[] {1}, new int[] {1}, new int[] {2}).forward(x);
        assertArrayEquals(new long[] {2, 4 * 6, 4 * 4}, cols.shape().toArray());
        assertTrue(new Fold(new int[] {6, 8}, new int[] {2, 3}, new int[] {1}, new int[] {1}, new int[] {2}).forward(cols)
                .equal(F.fold(cols, new int[] {6, 8}, new int[] {2, 3}, new int[] {1}, new int[] {1}, new int[] {2})));
        Tensor ones = Jt.ones(1, 1, 4, 4);
        Tensor counts = F.fold(F.unfold(ones, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1}), new int[] {4, 4}, new int[] {2},
                new int[] {1}, new int[] {0}, new int[] {1});
        assertArrayEquals(new double[] {1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1}, counts.toDoubleArray(), "fold(unfold(1)) counts overlaps");
        assertTrue(new MaxPool1d(3, 2, 1, 1, false).forward(x1).equal(F.maxPool1d(x1, 3, 2, 1, 1, false)));
        assertTrue(new AvgPool1d(2).forward(x1).equal(F.avgPool1d(x1, 2)));
        assertTrue(new AdaptiveAvgPool1d(3).forward(x1).allclose(x1.reshape(2, 4, 3, 3).mean(-1), 1e-6, 1e-6));
        assertTrue(new AdaptiveMaxPool2d(3, 4).forward(x).equal(F.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, false)),
                "adaptive max pooling by an even split is max pooling");
        assertTrue(new MaxPool2d(2).forward(x.get(0)).equal(new MaxPool2d(2).forward(x).get(0)), "unbatched [C, H, W]");
        assertTrue(new AvgPool2d(3, 2, 1).forward(x.get(1)).allclose(new AvgPool2d(3, 2, 1).forward(x).get(1), 1e-6, 1e-6), "unbatched");
        assertTrue(new AdaptiveAvgPool2d(2, 3).forward(x.get(0)).allclose(F.adaptiveAvgPool2d(x, 2, 3).get(0), 1e-6, 1e-6), "unbatched");
        assertTrue(new InstanceNorm2d(4).forward(x.get(0)).allclose(new InstanceNorm2d(4).forward(x).get(0), 1e-5, 1e-5), "unbatched");
        var pooled = new MaxPool2d(2).forwardWithIndices(x.abs().add(0.1)); // positive: the zeros around never win
        Tensor back = new MaxUnpool2d(2).forward(pooled.values(), pooled.indices());
        assertTrue(new MaxPool2d(2).forward(back).equal(pooled.values()), "unpooled maxima pool back to themselves");
    }

    @Test
    void reprsAreTorchs() {
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)",
                new Conv2d(3, 16, 3, 2, 1, 1, 1, false, "zeros").toString());
        assertEquals("Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=same, dilation=(2, 2), groups=4, padding_mode=reflect)",
                new Conv2d(4, 4, new int[] {3}, new int[] {1}, "same", new int[] {2}, 4, true, "reflect").toString());
        assertEquals("MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)", new MaxPool2d(3, 2, 1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
        assertEquals("GroupNorm(2, 4, eps=1e-05, affine=True)", new GroupNorm(2, 4).toString());
        assertEquals(DType.FLOAT32, new Conv1d(2, 2, 3).weight().dtype());
    }
}
