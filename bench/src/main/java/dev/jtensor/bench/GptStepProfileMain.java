package dev.jtensor.bench;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.models.CharGpt;
import dev.jtensor.nn.F;
import dev.jtensor.nn.GradClipping;
import dev.jtensor.optim.AdamW;
import java.util.ArrayList;
import java.util.List;

/**
 * GptBench's training step outside JMH, for a profile (the figures to report come from {@link GptBench}): the same model
 * and optimizer, {@code steps} steps at {@code batch}, each step's forward, backward, clipping and optimizer times printed.
 * Run under JFR and read the shares with {@code bench/jfr_shares.py}:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx4g \
 *     -XX:StartFlightRecording=filename=gpt.jfr,settings=profile -cp CLASSPATH dev.jtensor.bench.GptStepProfileMain 4 12
 * jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 64 gpt.jfr > gpt.json
 * python3 bench/jfr_shares.py gpt.json
 * </pre>
 */
public final class GptStepProfileMain {
    private GptStepProfileMain() {}

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 4, steps = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Jt.manualSeed(0);
        CharGpt model = new CharGpt(GptBench.VOCAB, GptBench.BLOCK, GptBench.EMBD, GptBench.HEADS, GptBench.LAYERS);
        List<Tensor> decay = new ArrayList<>(), noDecay = new ArrayList<>();
        for (Tensor p : model.parameters()) (p.dim() >= 2 ? decay : noDecay).add(p);
        AdamW decayed = (AdamW) new AdamW(decay, 1e-3).betas(0.9, 0.99).weightDecay(0.1);
        AdamW plain = (AdamW) new AdamW(noDecay, 1e-3).betas(0.9, 0.99).weightDecay(0.0);
        Tensor x = Jt.randint(0, GptBench.VOCAB, new long[] {batch, GptBench.BLOCK}), y = Jt.randint(0, GptBench.VOCAB, new long[] {batch, GptBench.BLOCK});
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            Tensor loss = F.crossEntropy(model.forward(x).view(-1, GptBench.VOCAB), y.view(-1));
            long t1 = System.nanoTime();
            decayed.zeroGrad();
            plain.zeroGrad();
            loss.backward();
            long t2 = System.nanoTime();
            GradClipping.clipGradNorm_(model.parameters(), 1.0);
            long t3 = System.nanoTime();
            decayed.step();
            plain.step();
            long t4 = System.nanoTime();
            System.out.printf("step %d loss %.4f forward %d ms, backward %d ms, clip %d ms, AdamW %d ms%n", s, loss.item(), (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
        }
    }
}
