package dev.jtensor.demo;

import static dev.jtensor.Jt.*;

import dev.jtensor.Tensor;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.optim.SGD;
import java.io.IOException;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The tutorial's linear regression: {@code X = rand(100, 1) * 10}, {@code Y = 2X + 1 + randn(100, 1)},
 * fitted by {@code nn.Linear(1, 1)} with SGD (lr 0.01) on MSELoss for 100 epochs, then charted. With
 * {@code manualSeed(42)} the data, the initial weights and each printed loss are PyTorch's
 * ({@code bench/torch_tutorial.py}).
 */
public final class Regression {
    private Regression() {}

    /** The fitted model and the loss of each epoch. */
    public record Result(Linear model, double[] losses, Tensor x, Tensor y) {}

    /** Trains as the tutorial does; logs every 10th epoch when {@code log}. */
    public static Result train(int epochs, boolean log) {
        manualSeed(42);
        Tensor x = rand(100, 1).mul(10);
        Tensor y = x.mul(2).add(1).add(randn(100, 1));
        Linear model = new Linear(1, 1);
        MSELoss criterion = new MSELoss();
        SGD optimizer = new SGD(model.parameters(), 0.01);
        if (log) {
            System.out.printf("initial weight %.4f, bias %.4f%n", model.weight().item(), model.bias().item());
        }
        double[] losses = new double[epochs];
        try (ProgressBar bar = log ? bar(epochs) : null) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                Tensor outputs = model.forward(x);
                Tensor loss = criterion.forward(outputs, y);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                losses[epoch] = loss.item();
                if (bar == null) continue;
                bar.step();
                bar.setExtraMessage(String.format(" loss %.4f", losses[epoch]));
                if ((epoch + 1) % 10 == 0) {
                    // "\r" and padding: the line replaces the bar's line when both share a terminal
                    System.out.printf("\r%-90s%n", String.format("Epoch [%d/%d], Loss: %.4f", epoch + 1, epochs, losses[epoch]));
                }
            }
        }
        return new Result(model, losses, x, y);
    }

    private static ProgressBar bar(int epochs) {
        return new ProgressBarBuilder().setTaskName("training").setInitialMax(epochs).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(20).build();
    }

    static void run(Path out) throws IOException {
        Tutorial.section("Linear regression: Y = 2X + 1 + noise, nn.Linear(1, 1), SGD(lr=0.01), MSELoss");
        long t0 = System.nanoTime();
        Result r = train(100, true);
        System.out.printf("learned weight %.4f, bias %.4f (true: 2, 1) in %.0f ms%n", r.model().weight().item(),
                r.model().bias().item(), (System.nanoTime() - t0) / 1e6);
        Tensor predicted;
        try (var g = noGrad()) {
            predicted = r.model().forward(r.x()).detach();
        }
        Path fit = Charts.fittedLine(out.resolve("regression_fit.png"), r.x(), r.y(), predicted);
        Path curve = Charts.lossCurve(out.resolve("regression_loss.png"), r.losses());
        System.out.println("chart of the data and the fitted line: " + fit.toAbsolutePath());
        System.out.println("chart of the loss curve:               " + curve.toAbsolutePath());
    }
}
