package dev.jtensor.bench;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.Embedding;
import dev.jtensor.nn.F;
import dev.jtensor.nn.LSTM;
import dev.jtensor.nn.Linear;
import dev.jtensor.optim.Adam;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 23's recurrent rows on the CPU, float32: a character LSTM (embedding 128, a 2-layer LSTM of 256 units, a linear
 * head over 65 characters), batch 32 x 64 steps, batch first.
 * <ul>
 *   <li>{@code trainStep}: forward, cross entropy, backward, Adam (lr 1e-3). Time per step.</li>
 *   <li>{@code forward}: the same forward without grad. Time per batch.</li>
 * </ul>
 * With {@code -jvmArgsAppend -Djtensor.fusedRnn=false} the cells are composed of elementwise ops, as before the fused
 * cell kernels (the before/after pair on one machine). PyTorch 1.13's figures for the same rows: {@code bench/torch_lstm_bench.py}.
 * Run: {@code ./jt bench LstmBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class LstmBench {
    static final int VOCAB = 65, EMBED = 128, HIDDEN = 256, LAYERS = 2, BATCH = 32, STEPS = 64;

    Embedding embed;
    LSTM lstm;
    Linear head;
    Adam opt;
    Tensor x, y;

    @Setup(Level.Trial)
    public void setup() {
        Jt.manualSeed(0);
        embed = new Embedding(VOCAB, EMBED);
        lstm = new LSTM(EMBED, HIDDEN, LAYERS, true, true, 0.0, false);
        head = new Linear(HIDDEN, VOCAB);
        List<Tensor> params = new java.util.ArrayList<>(embed.parameters());
        params.addAll(lstm.parameters());
        params.addAll(head.parameters());
        opt = new Adam(params, 1e-3);
        x = Jt.randint(0, VOCAB, new long[] {BATCH, STEPS});
        y = Jt.randint(0, VOCAB, new long[] {BATCH, STEPS});
        double loss = trainStep();
        if (!(Math.abs(loss - Math.log(VOCAB)) < 0.5)) throw new IllegalStateException("first loss " + loss + ", expected about ln 65");
    }

    Tensor logits() { return head.forward(lstm.forward(embed.forward(x))); }

    @Benchmark
    public double trainStep() {
        Tensor loss = F.crossEntropy(logits().reshape(-1, VOCAB), y.reshape(-1));
        opt.zeroGrad();
        loss.backward();
        opt.step();
        return loss.item();
    }

    @Benchmark
    public Tensor forward() {
        try (var g = Jt.noGrad()) {
            return logits();
        }
    }
}
