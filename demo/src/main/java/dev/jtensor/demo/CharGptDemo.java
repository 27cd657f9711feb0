package dev.jtensor.demo;

import static dev.jtensor.Jt.*;

import dev.jtensor.Scope;
import dev.jtensor.Tensor;
import dev.jtensor.models.CharGpt;
import dev.jtensor.nn.F;
import dev.jtensor.nn.GradClipping;
import dev.jtensor.nn.KVCache;
import dev.jtensor.optim.AdamW;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Issue 23's example: a character-level GPT (nanoGPT's model, 2 layers, 64 wide, context 32) trained with AdamW
 * (weight decay on matrices only) and gradient clipping on the opening of "Alice's Adventures in Wonderland" (Lewis
 * Carroll, 1865, public domain), with a progress bar; it saves the loss curve as a chart and prints a sample drawn
 * with top-k sampling through the KV cache. Run: {@code java -cp ... dev.jtensor.demo.CharGptDemo [steps]}.
 */
public final class CharGptDemo {
    private CharGptDemo() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        String text;
        try (InputStream in = CharGptDemo.class.getResourceAsStream("/alice.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Character> vocab = new ArrayList<>(new TreeSet<>(text.chars().mapToObj(c -> (char) c).toList()));
        long[] ids = text.chars().mapToLong(c -> vocab.indexOf((char) c)).toArray();
        Tensor data = tensor(ids);
        long block = 32, batch = 16;
        manualSeed(1337);
        CharGpt model = new CharGpt(vocab.size(), block, 64, 4, 2);
        List<Tensor> decay = new ArrayList<>(), noDecay = new ArrayList<>();
        for (Tensor p : model.parameters()) (p.dim() >= 2 ? decay : noDecay).add(p);
        AdamW decayed = (AdamW) new AdamW(decay, 3e-3).betas(0.9, 0.95).weightDecay(0.1);
        AdamW plain = (AdamW) new AdamW(noDecay, 3e-3).betas(0.9, 0.95).weightDecay(0.0);
        double[] losses = new double[steps];
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("training").setInitialMax(steps).setStyle(ProgressBarStyle.ASCII).build()) {
            for (int step = 0; step < steps; step++) {
                try (Scope scope = scope()) {
                    Tensor offsets = randint(0, ids.length - block - 1, batch);
                    List<Tensor> xs = new ArrayList<>(), ys = new ArrayList<>();
                    for (long o : offsets.toLongArray()) {
                        xs.add(data.narrow(0, o, block));
                        ys.add(data.narrow(0, o + 1, block));
                    }
                    Tensor logits = model.forward(stack(xs, 0));
                    Tensor loss = F.crossEntropy(logits.view(-1, vocab.size()), stack(ys, 0).view(-1));
                    decayed.zeroGrad();
                    plain.zeroGrad();
                    loss.backward();
                    GradClipping.clipGradNorm_(model.parameters(), 1.0);
                    decayed.step();
                    plain.step();
                    losses[step] = loss.item();
                }
                bar.step();
                bar.setExtraMessage(String.format("loss %.3f", losses[step]));
            }
        }
        System.out.println("loss curve: " + Charts.lossCurve(Path.of("char-gpt-loss.png"), losses));
        model.eval();
        System.out.println(sample(model, data.narrow(0, 0, 8), vocab, block));
    }

    /** Top-5 sampling through the KV cache: the prompt once, then one token per step. */
    static String sample(CharGpt model, Tensor prompt, List<Character> vocab, long block) {
        StringBuilder out = new StringBuilder();
        for (long id : prompt.toLongArray()) out.append(vocab.get((int) id));
        try (var g = noGrad()) {
            List<KVCache> caches = model.newCaches();
            Tensor input = prompt.view(1, -1);
            for (long t = prompt.size(0); t < block; t++) {
                Tensor logits = model.forward(input, caches);
                logits = logits.select(1, logits.size(1) - 1);
                Tensor kth = logits.topk(5).values().narrow(-1, 4, 1);
                Tensor next = F.softmax(logits.maskedFill(logits.lt(kth), Double.NEGATIVE_INFINITY), -1).multinomial(1, false);
                out.append(vocab.get((int) next.item()));
                input = next;
            }
        }
        return out.toString();
    }
}
