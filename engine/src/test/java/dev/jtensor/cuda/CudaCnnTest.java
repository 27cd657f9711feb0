package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static dev.jtensor.cuda.CudaTestSupport.assertClose;
import static dev.jtensor.cuda.CudaTestSupport.assertSame;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.BatchNorm2d;
import dev.jtensor.nn.Conv2d;
import dev.jtensor.nn.F;
import dev.jtensor.nn.Flatten;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MaxPool2d;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CNN layers on a CUDA device against the CPU: convolutions, pooling (with indices), normalisation, padding,
 * resizing, folding, values and gradients, and a small CNN's training step with its batch-norm buffers moved by
 * {@code Module.to(device)}. On the emulated device in CI, on a GPU by the GPU check.
 */
class CudaCnnTest {
    @BeforeEach
    void cuda() { CudaTestSupport.requireCuda(); }

    /** f on CPU leaves and on their CUDA copies: outputs and the gradients of every input equal. */
    private static void same(String what, Function<List<Tensor>, Tensor> f, Tensor... cpuInputs) {
        List<Tensor> cpu = new ArrayList<>(), dev = new ArrayList<>();
        for (Tensor t : cpuInputs) {
            cpu.add(t.detach().clone().requiresGrad_(true));
            dev.add(t.detach().to(CUDA).requiresGrad_(true));
        }
        Tensor yc = f.apply(cpu), yd = f.apply(dev);
        assertClose(yc, yd, 1e-5, 1e-5, what);
        Tensor g = Jt.randn(yc.shape().toArray());
        yc.backward(g);
        yd.backward(g.to(CUDA));
        for (int i = 0; i < cpu.size(); i++) assertClose(cpu.get(i).grad(), dev.get(i).grad(), 1e-5, 1e-5, what + " gradient " + i);
    }

    @Test
    void convolutionsMatchTheCpu() {
        Jt.manualSeed(5);
        same("conv2d", in -> F.conv2d(in.get(0), in.get(1), in.get(2), new int[] {2, 1}, new int[] {1}, new int[] {1, 2}, 2),
                Jt.randn(2, 4, 9, 8), Jt.randn(6, 2, 3, 3), Jt.randn(6));
        same("conv2d same", in -> F.conv2d(in.get(0), in.get(1), null, new int[] {1}, "same", new int[] {1}, 1), Jt.randn(1, 3, 6, 7),
                Jt.randn(2, 3, 4, 3));
        same("conv1d", in -> F.conv1d(in.get(0), in.get(1), in.get(2), 2, 1, 1, 1), Jt.randn(2, 3, 11), Jt.randn(4, 3, 3), Jt.randn(4));
        same("conv_transpose2d", in -> F.convTranspose2d(in.get(0), in.get(1), in.get(2), new int[] {2}, new int[] {1}, new int[] {1}, 1,
                new int[] {1}), Jt.randn(2, 3, 4, 5), Jt.randn(3, 2, 3, 3), Jt.randn(2));
        same("unfold/fold", in -> F.fold(F.unfold(in.get(0), new int[] {2, 3}, new int[] {1}, new int[] {1}, new int[] {1, 2}), new int[] {5, 6},
                new int[] {2, 3}, new int[] {1}, new int[] {1}, new int[] {1, 2}), Jt.randn(2, 2, 5, 6));
    }

    @Test
    void poolingMatchesTheCpu() {
        Jt.manualSeed(6);
        Tensor x = Jt.randn(2, 3, 9, 10);
        same("max_pool2d", in -> F.maxPool2d(in.get(0), new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true), x);
        var rc = F.maxPool2dWithIndices(x, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true);
        var rd = F.maxPool2dWithIndices(x.to(CUDA), new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true);
        assertSame(rc.indices(), rd.indices(), "max_pool2d indices");
        same("max_unpool2d", in -> F.maxUnpool2d(in.get(0), rd.indices().to(in.get(0).device()), new int[] {3}, new int[] {2}, new int[] {1},
                new long[] {9, 10}), rc.values().detach());
        same("avg_pool2d", in -> F.avgPool2d(in.get(0), new int[] {3}, new int[] {2}, new int[] {1}, true, false, null), x);
        same("adaptive_avg_pool2d", in -> F.adaptiveAvgPool2d(in.get(0), 4, 3), x);
        same("adaptive_max_pool2d", in -> F.adaptiveMaxPool2d(in.get(0), 4, 3), x);
    }

    @Test
    void normalisationPaddingAndResizingMatchTheCpu() {
        Jt.manualSeed(7);
        Tensor x = Jt.randn(3, 4, 5, 6);
        same("batch_norm", in -> F.batchNorm(in.get(0), null, null, in.get(1), in.get(2), true, 0.1, 1e-5), x, Jt.randn(4), Jt.randn(4));
        same("group_norm", in -> F.groupNorm(in.get(0), 2, in.get(1), in.get(2), 1e-5), x, Jt.randn(4), Jt.randn(4));
        same("instance_norm", in -> F.instanceNorm(in.get(0), null, null, null, null, true, 0.1, 1e-5), x);
        same("pad reflect", in -> F.pad(in.get(0), new long[] {2, 1, 1, 3}, "reflect", 0), x);
        same("pad circular", in -> F.pad(in.get(0), new long[] {2, 1, 1, 3}, "circular", 0), x);
        same("bilinear", in -> F.interpolate(in.get(0), new long[] {7, 9}, "bilinear", false), x);
        same("nearest", in -> F.interpolate(in.get(0), new double[] {2}, "nearest", null), x);
        same("pixel_shuffle", in -> F.pixelShuffle(in.get(0), 2), x);
    }

    @Test
    void aSmallCnnTrainsOnTheDeviceAsOnTheCpu() {
        Jt.manualSeed(8);
        Sequential cpu = net(), dev = net();
        dev.loadStateDict(cpu.stateDict());
        dev.to(CUDA);
        Tensor x = Jt.randn(4, 1, 8, 8), target = Jt.tensor(new long[] {1, 0, 2, 1});
        Tensor lc = F.crossEntropy(cpu.forward(x), target), ld = F.crossEntropy(dev.forward(x.to(CUDA)), target.to(CUDA));
        assertClose(lc, ld, 1e-5, 1e-6, "loss");
        lc.backward();
        ld.backward();
        for (var e : cpu.namedParameters().entrySet()) {
            assertClose(e.getValue().grad(), dev.namedParameters().get(e.getKey()).grad(), 1e-4, 1e-5, "gradient of " + e.getKey());
        }
        for (var e : cpu.namedBuffers().entrySet()) {
            Tensor d = dev.namedBuffers().get(e.getKey());
            if (e.getValue().dtype() == DType.INT64) assertSame(e.getValue(), d, e.getKey());
            else assertClose(e.getValue(), d, 1e-5, 1e-6, e.getKey());
        }
    }

    private static Sequential net() {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(64, 3));
    }
}
