package dev.jtensor.demo;

import static dev.jtensor.Jt.*;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.data.DataLoader;
import dev.jtensor.data.TensorDataset;
import dev.jtensor.io.Npz;
import dev.jtensor.nn.AvgPool2d;
import dev.jtensor.nn.BatchNorm2d;
import dev.jtensor.nn.Conv2d;
import dev.jtensor.nn.F;
import dev.jtensor.nn.Flatten;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MaxPool2d;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.SGD;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A LeNet-style CNN on scikit-learn's 8x8 digits (1,797 images, shipped with the engine's tests as
 * {@code lenet.npz}): Conv2d, BatchNorm2d, pooling and Linear layers trained with SGD + momentum and a progress
 * bar, then the held-out accuracy and a confusion-matrix picture ({@code out/digits_confusion.png}).
 * Run with {@code ./jt demo cnn [outDir]}.
 */
public final class DigitsCnn {
    private DigitsCnn() {}

    static final int TRAIN = 1437, EPOCHS = 10;

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of(args.length > 0 ? args[0] : "out");
        Files.createDirectories(out);
        Map<String, Tensor> data = digits();
        Tensor x = data.get("images").to(DType.FLOAT32).div(16.0).sub(0.5).div(0.5).unsqueeze(1), y = data.get("labels").to(DType.INT64);
        Tensor xTrain = x.slice(0, 0, TRAIN), yTrain = y.slice(0, 0, TRAIN), xTest = x.slice(0, TRAIN, x.size(0)), yTest = y.slice(0, TRAIN, y.size(0));
        manualSeed(0);
        Sequential model = new Sequential(new Conv2d(1, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
                new Conv2d(16, 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(), new AvgPool2d(2), new Flatten(),
                new Linear(128, 64), new ReLU(), new Linear(64, 10));
        System.out.println(model);
        SGD opt = new SGD(model.parameters(), 0.05).momentum(0.9);
        DataLoader loader = new DataLoader(new TensorDataset(xTrain, yTrain), 32, true, false, new Generator(1));
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("training").setInitialMax(EPOCHS).setStyle(ProgressBarStyle.ASCII).build()) {
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                model.train();
                double total = 0;
                for (List<Tensor> batch : loader) {
                    try (var scope = scope()) {
                        Tensor loss = F.crossEntropy(model.forward(batch.get(0)), batch.get(1));
                        opt.zeroGrad();
                        loss.backward();
                        opt.step();
                        total += loss.item() * batch.get(1).size(0);
                    }
                }
                bar.step();
                bar.setExtraMessage(String.format("loss %.4f", total / TRAIN));
            }
        }
        model.eval();
        long[] pred;
        try (var g = noGrad()) {
            pred = model.forward(xTest).argmax(1).toLongArray();
        }
        long[] truth = yTest.toLongArray();
        int[][] confusion = new int[10][10];
        int hits = 0;
        for (int i = 0; i < pred.length; i++) {
            confusion[(int) truth[i]][(int) pred[i]]++;
            if (pred[i] == truth[i]) hits++;
        }
        System.out.printf("held-out accuracy: %.1f%% (%d of %d digits)%n", 100.0 * hits / pred.length, hits, pred.length);
        System.out.println("confusion matrix (rows: true digit, columns: predicted):");
        for (int[] row : confusion) {
            StringBuilder s = new StringBuilder();
            for (int v : row) s.append(String.format("%4d", v));
            System.out.println(s);
        }
        Path png = out.resolve("digits_confusion.png");
        ImageIO.write(picture(confusion), "png", png.toFile());
        System.out.println("wrote " + png);
    }

    static Map<String, Tensor> digits() throws IOException {
        Path tmp = Files.createTempFile("digits", ".npz");
        try (InputStream in = DigitsCnn.class.getResourceAsStream("/lenet.npz")) {
            if (in == null) throw new IOException("lenet.npz (the digits) is not on the class path");
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Npz.load(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** The confusion matrix as a 10 x 10 grid of blue shades with the counts written in. */
    static BufferedImage picture(int[][] m) {
        int cell = 48, margin = 40, size = margin + 10 * cell + 10;
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        int max = 1;
        for (int[] row : m) for (int v : row) max = Math.max(max, v);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int r = 0; r < 10; r++) {
            g.setColor(Color.BLACK);
            g.drawString(Integer.toString(r), 15, margin + r * cell + cell / 2 + 5);
            g.drawString(Integer.toString(r), margin + r * cell + cell / 2 - 4, 25);
            for (int c = 0; c < 10; c++) {
                float shade = (float) m[r][c] / max;
                g.setColor(new Color(1 - 0.8f * shade, 1 - 0.6f * shade, 1f));
                g.fillRect(margin + c * cell, margin + r * cell, cell, cell);
                g.setColor(shade > 0.5f ? Color.WHITE : Color.BLACK);
                if (m[r][c] > 0) g.drawString(Integer.toString(m[r][c]), margin + c * cell + cell / 2 - 8, margin + r * cell + cell / 2 + 5);
            }
        }
        g.dispose();
        return img;
    }
}
