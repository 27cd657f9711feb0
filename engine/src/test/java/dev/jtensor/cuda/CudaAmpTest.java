package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static dev.jtensor.cuda.CudaTestSupport.assertClose;
import static dev.jtensor.cuda.CudaTestSupport.requireCuda;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.amp.AmpTraining;
import dev.jtensor.amp.GradScaler;
import dev.jtensor.nn.F;
import dev.jtensor.optim.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Half precision on the device (issue 26): float16/bfloat16 matmuls against the CPU's, autocast with
 * PyTorch's CUDA op lists, GradScaler's fused unscale on device memory, and MLP training under autocast
 * close to float32 training. Runs on the emulated device in CI and on a GPU in the GPU check.
 */
class CudaAmpTest {
    private static Tensor rand(Generator g, long... shape) { return Jt.randn(shape, DType.FLOAT32, g); }

    @Test
    void halfMatmulsMatchTheCpu() {
        requireCuda();
        Generator g = new Generator(5);
        for (DType t : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
            Tensor a = rand(g, 70, 300).to(t), b = rand(g, 300, 40).to(t);
            double tol = t == DType.BFLOAT16 ? 0x1p-7 : 0x1p-10;
            assertClose(a.mm(b), a.to(CUDA).mm(b.to(CUDA)), tol, 1e-3, t + " mm");
            Tensor x = rand(g, 3, 9, 16).to(t), y = rand(g, 3, 16, 5).to(t);
            assertClose(x.bmm(y), x.to(CUDA).bmm(y.to(CUDA)), tol, 1e-3, t + " bmm");
        }
    }

    @Test
    void autocastFollowsPyTorchsCudaLists() {
        requireCuda();
        Generator g = new Generator(6);
        Tensor a = rand(g, 4, 8).to(CUDA), w = rand(g, 3, 8).to(CUDA), bias = rand(g, 3).to(CUDA);
        try (var ac = Jt.autocast(CUDA, DType.FLOAT16)) {
            Tensor y = F.linear(a, w, bias);
            assertEquals(DType.FLOAT16, y.dtype(), "linear: float16");
            assertEquals(DType.FLOAT16, a.mm(w.t()).dtype(), "mm: float16");
            assertEquals(DType.FLOAT16, y.relu().dtype(), "relu: input type");
            assertEquals(DType.FLOAT32, y.softmax(1).dtype(), "softmax: float32");
            assertEquals(DType.FLOAT32, y.logSoftmax(1).dtype(), "log_softmax: float32");
            assertEquals(DType.FLOAT32, y.sum().dtype(), "sum: float32");
            assertEquals(DType.FLOAT32, y.exp().dtype(), "exp: float32");
            assertEquals(DType.FLOAT32, y.pow(2.0).dtype(), "pow: float32");
            assertEquals(DType.FLOAT32, F.layerNorm(y, new long[] {3}, null, null, 1e-5).dtype(), "layer_norm: float32");
            assertEquals(DType.FLOAT32, F.mseLoss(y, y.detach()).dtype(), "mse_loss: float32");
            assertEquals(DType.FLOAT32, y.add(a.sum(1, true)).dtype(), "float16 + float32 promotes");
            // a CPU tensor is outside the CUDA scope
            assertEquals(DType.FLOAT32, a.cpu().mm(w.cpu().t()).dtype(), "CPU op under a CUDA scope");
            assertClose(a.cpu().to(DType.FLOAT16).mm(w.cpu().to(DType.FLOAT16).t()), a.mm(w.t()), 0x1p-10, 1e-3, "values");
        }
    }

    @Test
    void gradScalerOnDeviceGradients() {
        requireCuda();
        Tensor p = Jt.tensor(new double[] {1, 2}, DType.FLOAT32).to(CUDA).requiresGrad_(true);
        SGD opt = new SGD(List.of(p), 1.0);
        GradScaler s = new GradScaler(4.0, 2.0, 0.5, 1, true);
        s.scale(p.mul(Jt.tensor(new double[] {0.5, 1}, DType.FLOAT32).to(CUDA)).sum()).backward();
        assertTrue(s.step(opt));
        s.update();
        assertEquals(8.0, s.getScale());
        assertEquals(CUDA, p.grad().device());
        assertClose(Jt.tensor(new double[] {0.5, 1}, DType.FLOAT32), p.grad(), 0, 0, "unscaled on the device");
        opt.zeroGrad();
        s.scale(p.mul(Jt.tensor(new double[] {Double.NaN, 1}, DType.FLOAT32).to(CUDA)).sum()).backward();
        assertTrue(!s.step(opt), "NaN: skipped");
        s.update();
        assertEquals(4.0, s.getScale());
        assertClose(Jt.tensor(new double[] {0.5, 1}, DType.FLOAT32), p.detach(), 0, 0, "one step taken");
    }

    @Test
    void mixedPrecisionTrainingFollowsFloat32() {
        requireCuda();
        int steps = 12;
        double[] f32 = AmpTraining.losses(CUDA, null, steps);
        double[][] low = {AmpTraining.losses(CUDA, DType.BFLOAT16, steps), AmpTraining.losses(CUDA, DType.FLOAT16, steps)};
        double[] tol = {0.01, 0.002}; // as AmpTrainingTest (CPU: 0.17% and 0.011% measured)
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < steps; i++) {
                double rel = Math.abs(low[k][i] - f32[i]) / f32[i];
                assertTrue(rel <= tol[k], (k == 0 ? "bf16" : "fp16") + " step " + i + ": " + low[k][i] + " vs " + f32[i]);
            }
            assertTrue(low[k][steps - 1] < 0.5 * low[k][0], "the loss falls");
        }
        double[] cpu = AmpTraining.losses(Device.cpu(), null, steps);
        assertEquals(cpu[0], f32[0], 1e-4 * cpu[0], "same data and weights as on the CPU");
    }
}
