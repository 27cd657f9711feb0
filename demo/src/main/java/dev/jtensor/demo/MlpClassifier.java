package dev.jtensor.demo;

import static dev.jtensor.Jt.*;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.data.DataLoader;
import dev.jtensor.data.TensorDataset;
import dev.jtensor.nn.CrossEntropyLoss;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.Adam;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The second example: a small MLP (2-64-64-3, ReLU) classifying a synthetic three-arm spiral, trained
 * with CrossEntropyLoss and Adam on shuffled mini-batches, printing the loss and the train and held-out
 * accuracy. Run: {@code java -cp ... dev.jtensor.demo.MlpClassifier}.
 */
public final class MlpClassifier {
    private MlpClassifier() {}

    static final int CLASSES = 3, PER_CLASS = 300;

    /** Points of a three-arm spiral with Gaussian angle noise, shuffled: x {@code [900, 2]} float32, y {@code [900]} int64. */
    static Tensor[] spiral(Generator g) {
        double[][] x = new double[CLASSES * PER_CLASS][2];
        long[] y = new long[CLASSES * PER_CLASS];
        for (int k = 0; k < CLASSES; k++) {
            for (int i = 0; i < PER_CLASS; i++) {
                double r = (double) i / (PER_CLASS - 1);
                double t = k * 4.0 + 4.0 * r + g.normal(0, 0.2);
                int row = k * PER_CLASS + i;
                x[row][0] = r * Math.sin(t);
                x[row][1] = r * Math.cos(t);
                y[row] = k;
            }
        }
        long[] perm = DataLoader.randperm(y.length, g);
        double[][] xs = new double[y.length][];
        long[] ys = new long[y.length];
        for (int i = 0; i < y.length; i++) {
            xs[i] = x[(int) perm[i]];
            ys[i] = y[(int) perm[i]];
        }
        return new Tensor[] {tensor(xs), tensor(ys)};
    }

    /** Fraction of rows whose largest logit is at the label. */
    static double accuracy(Tensor logits, Tensor labels) {
        float[] z = logits.toFloatArray();
        long[] y = labels.toLongArray();
        int c = (int) logits.size(1), hits = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int j = 1; j < c; j++) if (z[i * c + j] > z[i * c + best]) best = j;
            if (best == y[i]) hits++;
        }
        return (double) hits / y.length;
    }

    public static void main(String[] args) {
        manualSeed(0);
        Generator g = new Generator(0);
        Tensor[] data = spiral(g);
        Tensor x = data[0], y = data[1];
        Tensor xTrain = x.slice(0, 0, 720), yTrain = y.slice(0, 0, 720), xTest = x.slice(0, 720, 900), yTest = y.slice(0, 720, 900);

        Sequential model = new Sequential(new Linear(2, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, CLASSES));
        System.out.println(model);
        Adam optimizer = new Adam(model.parameters(), 0.01);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        DataLoader loader = new DataLoader(new TensorDataset(xTrain, yTrain), 32, true, false, new Generator(1));
        int epochs = 60;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("training").setInitialMax(epochs)
                .setStyle(ProgressBarStyle.ASCII).build()) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                double total = 0;
                for (List<Tensor> batch : loader) {
                    Tensor loss = criterion.forward(model.forward(batch.get(0)), batch.get(1));
                    optimizer.zeroGrad();
                    loss.backward();
                    optimizer.step();
                    total += loss.item() * batch.get(1).size(0);
                }
                bar.step();
                if (epoch % 10 == 0) {
                    double acc;
                    try (var ng = noGrad()) {
                        acc = accuracy(model.forward(xTrain), yTrain);
                    }
                    System.out.printf("\r%-90s%n", String.format("Epoch [%d/%d], Loss: %.4f, train accuracy %.1f%%", epoch, epochs, total / 720, 100 * acc));
                }
            }
        }
        try (var ng = noGrad()) {
            model.eval();
            System.out.printf("held-out accuracy: %.1f%% (%d points, %s)%n", 100 * accuracy(model.forward(xTest), yTest), 180,
                    DType.FLOAT32);
        }
    }
}
