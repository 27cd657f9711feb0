package dev.jtensor.bench;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.models.CharGpt;
import dev.jtensor.nn.F;
import dev.jtensor.nn.GradClipping;
import dev.jtensor.nn.KVCache;
import dev.jtensor.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 23's GPT rows on the CPU, float32: nanoGPT's model ({@link CharGpt}) at nanoGPT's Shakespeare-char size
 * (6 layers, 384 wide, 6 heads, context 256, vocabulary 65; 10.7M parameters).
 * <ul>
 *   <li>{@code trainStep}: one training step at batch 16 x 256 tokens: forward, cross entropy, backward, gradient
 *       clipping at 1, AdamW (weight decay 0.1 on matrices and embeddings, none on biases and norms). Time per step.</li>
 *   <li>{@code generateCached}: greedy generation of 128 tokens after a 16-token prompt, batch 1, with one KV cache per
 *       block (the prompt once, then one token per forward). Time per generated token (tokens/s = 1000 / ms).</li>
 *   <li>{@code generateUncached}: the same tokens, each forward over the whole sequence so far (what a model without a
 *       cache, e.g. a TorchScript trace, does). Time per generated token.</li>
 * </ul>
 * PyTorch 1.13's figures for the same rows: {@code bench/torch_gpt_bench.py}; DJL's (a TorchScript trace of the same
 * model): {@link dev.jtensor.bench.peers.DjlGptBench}. Run: {@code ./jt bench GptBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class GptBench {
    static final int VOCAB = 65, BLOCK = 256, EMBD = 384, HEADS = 6, LAYERS = 6, BATCH = 16, PROMPT = 16, NEW_TOKENS = 128;

    CharGpt model;
    AdamW decayed, plain;
    Tensor x, y, prompt;

    @Setup(Level.Trial)
    public void setup() {
        Jt.manualSeed(0);
        model = new CharGpt(VOCAB, BLOCK, EMBD, HEADS, LAYERS);
        List<Tensor> decay = new ArrayList<>(), noDecay = new ArrayList<>();
        for (Tensor p : model.parameters()) (p.dim() >= 2 ? decay : noDecay).add(p);
        decayed = (AdamW) new AdamW(decay, 1e-3).betas(0.9, 0.99).weightDecay(0.1);
        plain = (AdamW) new AdamW(noDecay, 1e-3).betas(0.9, 0.99).weightDecay(0.0);
        x = Jt.randint(0, VOCAB, new long[] {BATCH, BLOCK});
        y = Jt.randint(0, VOCAB, new long[] {BATCH, BLOCK});
        prompt = Jt.randint(0, VOCAB, new long[] {1, PROMPT});
        double loss = trainStep();
        if (!(Math.abs(loss - Math.log(VOCAB)) < 0.5)) throw new IllegalStateException("first loss " + loss + ", expected about ln 65");
        if (!java.util.Arrays.equals(generate(true, 8), generate(false, 8))) throw new IllegalStateException("cached != uncached tokens");
    }

    @Benchmark
    public double trainStep() {
        model.train();
        Tensor loss = F.crossEntropy(model.forward(x).view(-1, VOCAB), y.view(-1));
        decayed.zeroGrad();
        plain.zeroGrad();
        loss.backward();
        GradClipping.clipGradNorm_(model.parameters(), 1.0);
        decayed.step();
        plain.step();
        return loss.item();
    }

    @Benchmark
    @OperationsPerInvocation(NEW_TOKENS)
    public long[] generateCached() { return generate(true, NEW_TOKENS); }

    @Benchmark
    @OperationsPerInvocation(NEW_TOKENS)
    public long[] generateUncached() { return generate(false, NEW_TOKENS); }

    /** Greedy: appends the argmax token {@code tokens} times after the prompt. */
    long[] generate(boolean cached, int tokens) {
        model.eval();
        try (var g = Jt.noGrad(); var scope = Jt.scope()) {
            List<KVCache> caches = cached ? model.newCaches() : null;
            Tensor idx = prompt, input = prompt;
            for (int i = 0; i < tokens; i++) {
                if (cached) {
                    Tensor logits = model.forward(input, caches); // the caches grow across tokens: one scope for the whole run
                    input = logits.select(1, logits.size(1) - 1).argmax(-1, true);
                    idx = Jt.cat(List.of(idx, input), 1);
                } else {
                    try (var token = Jt.scope()) { // a scope per forward, as a training loop has one per step
                        Tensor logits = model.forward(idx);
                        idx = token.keep(Jt.cat(List.of(idx, logits.select(1, logits.size(1) - 1).argmax(-1, true)), 1));
                    }
                }
            }
            return idx.toLongArray();
        }
    }
}
