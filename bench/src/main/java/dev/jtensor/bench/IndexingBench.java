package dev.jtensor.bench;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.nn.F;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 21's indexing rows: an embedding of 4,096 tokens (dim 512, vocabulary 50k) forward, and forward plus
 * backward (one index_select, one index_add into the [50k, 512] gradient); cross entropy over 4,096 x 8k logits
 * (forward and forward plus backward; 8k classes rather than 50k keeps the logits and their gradient at 128 MiB
 * each); {@code x[mask]} on 16M float32 with about half the mask true (one nonzero synchronisation, one gather).
 * Run: {@code flock /tmp/jtensor-bench.lock ./jt bench IndexingBench -f 1 -wi 3 -w 1s -i 5 -r 1s}; to compare
 * before/after, run the same command on both commits in one session (the rows do not exist before issue 21's
 * branch: there, run this class file copied onto the old tree).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class IndexingBench {
    static final int TOKENS = 4096, DIM = 512, VOCAB = 50_000, CLASSES = 8192, MASKED = 16 * 1024 * 1024;

    Tensor weight, tokens, embGrad, logits, targets, x, mask;

    @Setup(Level.Trial)
    public void setup() {
        Jt.manualSeed(0);
        weight = Jt.randn(VOCAB, DIM).requiresGrad_(true);
        tokens = Jt.randint(0, VOCAB, TOKENS);
        embGrad = Jt.ones(TOKENS, DIM);
        logits = Jt.randn(TOKENS, CLASSES).requiresGrad_(true);
        targets = Jt.randint(0, CLASSES, TOKENS);
        x = Jt.rand(MASKED);
        mask = Jt.rand(MASKED).gt(0.5);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Tensor t : new Tensor[] {weight, tokens, embGrad, logits, targets, x, mask}) t.close();
    }

    @Benchmark
    public Tensor embeddingForward() {
        try (var g = Jt.noGrad()) {
            return F.embedding(tokens, weight);
        }
    }

    @Benchmark
    public Tensor embeddingForwardBackward() {
        weight.setGrad(null);
        F.embedding(tokens, weight).backward(embGrad);
        return weight.grad();
    }

    @Benchmark
    public Tensor crossEntropyForward() {
        try (var g = Jt.noGrad()) {
            return F.crossEntropy(logits, targets);
        }
    }

    @Benchmark
    public Tensor crossEntropyForwardBackward() {
        logits.setGrad(null);
        F.crossEntropy(logits, targets).backward();
        return logits.grad();
    }

    @Benchmark
    public Tensor maskIndex16M() { return x.index(mask); }
}
