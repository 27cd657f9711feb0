package dev.jtensor.amp;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.CrossEntropyLoss;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.Module;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.SGD;

/**
 * The MLP 784-256-10 trained on a small synthetic problem (128 samples, labels from a fixed random
 * teacher), full batch, SGD with momentum: in float32, or under autocast in a low type with a GradScaler
 * (float16) or without (bfloat16). The same seed gives the same initial weights and data every time. Test
 * support shared by the CPU and the device suites.
 */
public final class AmpTraining {
    private AmpTraining() {}

    /** Losses of {@code steps} steps; {@code low} null trains in float32. */
    public static double[] losses(Device device, DType low, int steps) {
        Generator g = new Generator(2026);
        Tensor x = Jt.randn(new long[] {128, 784}, DType.FLOAT32, g);
        Tensor teacher = Jt.randn(new long[] {784, 10}, DType.FLOAT32, g);
        Tensor y = x.mm(teacher).argmax(1);
        Jt.manualSeed(26);
        Module model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10)).to(device);
        x = x.to(device);
        y = y.to(device);
        SGD opt = new SGD(model.parameters(), 0.05).momentum(0.9);
        GradScaler scaler = new GradScaler(65536.0, 2.0, 0.5, 2000, low == DType.FLOAT16);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Tensor loss;
            try (var ac = Jt.autocast(device, low == null ? DType.BFLOAT16 : low, low != null)) {
                loss = lossFn.forward(model.forward(x), y);
            }
            if (low != null && loss.dtype() != DType.FLOAT32) {
                throw new AssertionError("cross entropy under autocast must be float32, got " + loss.dtype());
            }
            out[i] = loss.item();
            scaler.scale(loss).backward();
            for (Tensor p : model.parameters()) {
                if (p.grad().dtype() != DType.FLOAT32) throw new AssertionError("grad of a float32 parameter is " + p.grad().dtype());
            }
            scaler.step(opt);
            scaler.update();
        }
        return out;
    }
}
