package dev.jtensor.bench.peers;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DJL's column of {@link dev.jtensor.bench.GptBench}: the same nanoGPT model (6 layers, 384 wide, 6 heads, context
 * 256, vocabulary 65) as a TorchScript trace run by DJL 0.32's PyTorch engine (libtorch 2.5.1, offline). The trace is
 * made at benchmark time, not committed: {@code /usr/bin/python3 bench/torch_gpt_bench.py 2 --trace bench/target/gpt_trace.pt}
 * (or {@code -Djtensor.bench.gptTrace=PATH}).
 * <ul>
 *   <li>{@code trainStep}: batch 16 x 256, DJL's training API on the trace loaded with {@code trainParam=true}: forward,
 *       softmax cross entropy, backward, AdamW at lr 1e-3 (betas 0.9/0.99). DJL has neither weight-decay groups nor
 *       norm clipping, so its AdamW decays every parameter by 0.1 and no clipping runs (a few elementwise passes less
 *       than jtensor's and PyTorch's steps).</li>
 *   <li>{@code generateUncached}: greedy, 128 tokens after a 16-token prompt, each forward over the whole sequence (a
 *       trace has no KV cache). Time per token.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g", "-Dai.djl.offline=true", "-Dai.djl.default_engine=PyTorch"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class DjlGptBench {
    static final int VOCAB = 65, BLOCK = 256, BATCH = 16, PROMPT = 16, NEW_TOKENS = 128;

    Model model, inference;
    Trainer trainer;
    Predictor<NDList, NDList> predictor;
    NDManager manager;
    NDArray x, y, prompt;

    @Setup(Level.Trial)
    public void setup() throws IOException, MalformedModelException, TranslateException {
        Path trace = Path.of(System.getProperty("jtensor.bench.gptTrace", "bench/target/gpt_trace.pt")).toAbsolutePath();
        if (!Files.isRegularFile(trace)) {
            throw new IllegalStateException("no TorchScript trace at " + trace
                    + ": run /usr/bin/python3 bench/torch_gpt_bench.py 2 --trace bench/target/gpt_trace.pt first");
        }
        String name = trace.getFileName().toString().replaceFirst("\\.pt$", "");
        model = Model.newInstance(name, "PyTorch");
        model.load(trace.getParent(), name, Map.of("trainParam", "true"));
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-3f)).optBeta1(0.9f).optBeta2(0.99f)
                        .optWeightDecays(0.1f).build()));
        // generation runs on the trace loaded a second time for inference (no trainParam): DJL's predictor makes
        // inference tensors, which a module with trainable parameters refuses as inputs
        inference = Model.newInstance(name, "PyTorch");
        inference.load(trace.getParent(), name);
        predictor = inference.newPredictor(new NoopTranslator());
        manager = NDManager.newBaseManager("PyTorch");
        java.util.Random r = new java.util.Random(0);
        x = manager.create(randomTokens(r, BATCH * BLOCK), new Shape(BATCH, BLOCK));
        y = manager.create(randomTokens(r, BATCH * BLOCK), new Shape(BATCH, BLOCK));
        prompt = manager.create(randomTokens(r, PROMPT), new Shape(1, PROMPT));
        float loss = trainStep();
        if (!(Math.abs(loss - Math.log(VOCAB)) < 0.5)) throw new IllegalStateException("DJL first loss " + loss + ", expected about ln 65");
    }

    private static long[] randomTokens(java.util.Random r, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = r.nextInt(VOCAB);
        return out;
    }

    @Benchmark
    public float trainStep() {
        try (NDManager step = trainer.getManager().newSubManager()) {
            x.tempAttach(step);
            y.tempAttach(step);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList logits = trainer.forward(new NDList(x));
                NDArray value = trainer.getLoss().evaluate(new NDList(y.reshape(-1)), new NDList(logits.head().reshape(-1, VOCAB)));
                collector.backward(value);
                loss = value.getFloat();
            }
            trainer.step();
            return loss;
        }
    }

    @Benchmark
    @OperationsPerInvocation(NEW_TOKENS)
    public long[] generateUncached() throws TranslateException {
        try (NDManager gen = manager.newSubManager()) {
            NDArray idx = prompt.duplicate();
            idx.attach(gen);
            for (int i = 0; i < NEW_TOKENS; i++) {
                NDArray logits = predictor.predict(new NDList(idx)).head();
                logits.attach(gen);
                NDArray next = logits.get(":, -1, :").argMax(-1).reshape(1, 1).toType(DataType.INT64, false);
                idx = idx.concat(next, 1);
            }
            return idx.toLongArray();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        predictor.close();
        trainer.close();
        manager.close();
        model.close();
        inference.close();
    }

    /** Not a benchmark: a two-step smoke run of the setup, for checking the trace loads ({@code java ... DjlGptBench}). */
    public static void main(String[] args) throws Exception {
        DjlGptBench b = new DjlGptBench();
        b.setup();
        System.out.println("DJL GPT: second step loss " + b.trainStep() + ", tokens " + java.util.Arrays.toString(b.generateUncached()));
        b.close();
    }

}
