package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Scope;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.io.Npz;
import dev.jtensor.optim.SGD;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LeNet-5 on scikit-learn's 1,797 digits ({@code golden/cnn/lenet.npz}, made by {@code make_cnn.py}): PyTorch's
 * initial weights, its per-epoch sample orders, 2 epochs of SGD with momentum at batch 16; every step's loss
 * equals PyTorch's within 1e-4 and the test predictions (the last 360 images) give the same accuracy.
 */
class LeNetDigitsTest {
    static final int TRAIN = 1437, BATCH = 16;

    /** The network of make_cnn.py's {@code lenet()}. */
    static Sequential lenet() {
        return new Sequential(new Conv2d(1, 6, 3, 1, 1), new ReLU(), new AvgPool2d(2), new Conv2d(6, 16, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
    }

    static Map<String, Tensor> fixture() throws IOException {
        Path tmp = Files.createTempFile("lenet", ".npz");
        try (InputStream in = LeNetDigitsTest.class.getResourceAsStream("/golden/cnn/lenet.npz")) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            return Npz.load(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** The images as make_cnn.py feeds them: {@code [N, 1, 8, 8]} float32 scaled from 0..16 to [-1, 1]. */
    static Tensor images(Map<String, Tensor> f) {
        return f.get("images").to(DType.FLOAT32).div(16.0).sub(0.5).div(0.5).unsqueeze(1);
    }

    @Test
    void trainsStepForStepAsPyTorch() throws IOException {
        Map<String, Tensor> f = fixture();
        Tensor x = images(f), y = f.get("labels").to(DType.INT64);
        Sequential model = lenet();
        Map<String, Tensor> state = new LinkedHashMap<>();
        f.forEach((k, v) -> { if (k.startsWith("state.")) state.put(k.substring(6), v); });
        model.loadStateDict(state);
        SGD opt = new SGD(model.parameters(), 0.03).momentum(0.9);
        float[] expected = f.get("losses").toFloatArray();
        Tensor orders = f.get("orders").to(DType.INT64);
        int step = 0;
        double worst = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            Tensor order = orders.select(0, epoch);
            for (int s = 0; s < TRAIN; s += BATCH) {
                try (Scope scope = Jt.scope()) {
                    Tensor idx = order.slice(0, s, Math.min(s + BATCH, TRAIN));
                    opt.zeroGrad();
                    Tensor loss = F.crossEntropy(model.forward(x.indexSelect(0, idx)), y.indexSelect(0, idx));
                    loss.backward();
                    opt.step();
                    double diff = Math.abs(loss.item() - expected[step]);
                    worst = Math.max(worst, diff);
                    assertTrue(diff <= 1e-4, "step " + step + ": loss " + loss.item() + ", PyTorch " + expected[step]);
                }
                step++;
            }
        }
        assertEquals(expected.length, step, "steps");
        model.eval();
        long[] pred;
        try (GradMode g = Jt.noGrad()) {
            pred = model.forward(x.slice(0, TRAIN, x.size(0))).argmax(1).toLongArray();
        }
        long[] torchPred = f.get("test_pred").to(DType.INT64).toLongArray();
        long[] labels = y.slice(0, TRAIN, y.size(0)).toLongArray();
        int ours = 0, theirs = 0, agree = 0;
        for (int i = 0; i < pred.length; i++) {
            ours += pred[i] == labels[i] ? 1 : 0;
            theirs += torchPred[i] == labels[i] ? 1 : 0;
            agree += pred[i] == torchPred[i] ? 1 : 0;
        }
        assertEquals(theirs, ours, "test accuracy (correct of " + pred.length + "), worst loss difference " + worst);
        assertEquals(pred.length, agree, "predictions equal PyTorch's");
    }
}
