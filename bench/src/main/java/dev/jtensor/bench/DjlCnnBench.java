package dev.jtensor.bench;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DJL's ResNet-18 rows beside {@link CnnBench} (issue 22): eval forward on 224x224 at batch 1 and 32 through DJL 0.32's
 * PyTorch engine (libtorch 2.5.1, offline) running a TorchScript trace of torchvision's resnet18, which
 * {@code bench/make_resnet_trace.py} writes to {@code bench/target/resnet18_traced.pt} at benchmark time (not committed):
 * <pre>
 * /usr/bin/python3 bench/make_resnet_trace.py
 * java -jar bench/target/benchmarks.jar DjlCnnBench -p threads=2   (OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset)
 * </pre>
 * libtorch's intra-op threads are set from {@code threads} ({@code ai.djl.pytorch.num_threads}). No training row: a
 * trace fixes batch norm's mode, and DJL trains TorchScript modules only through its own blocks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g", "-Dai.djl.offline=true", "-Dai.djl.default_engine=PyTorch"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class DjlCnnBench {
    @Param({"2"})
    int threads;

    /** Where make_resnet_trace.py wrote the trace (override with -Djtensor.bench.resnetTrace=...). */
    static final Path TRACE = Path.of(System.getProperty("jtensor.bench.resnetTrace", "bench/target/resnet18_traced.pt"));

    ZooModel<NDList, NDList> model;
    Predictor<NDList, NDList> predictor;
    NDManager manager;
    NDArray image1, images32;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        if (!Files.isRegularFile(TRACE)) {
            throw new IllegalStateException(TRACE.toAbsolutePath() + " is missing: run /usr/bin/python3 bench/make_resnet_trace.py first");
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        model = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(TRACE).optEngine("PyTorch")
                .optTranslator(new NoopTranslator()).build().loadModel();
        predictor = model.newPredictor();
        manager = NDManager.newBaseManager("PyTorch");
        image1 = manager.randomNormal(new Shape(1, 3, 224, 224));
        images32 = manager.randomNormal(new Shape(32, 3, 224, 224));
        try (NDList out = predictor.predict(new NDList(image1))) {
            if (!out.singletonOrThrow().getShape().equals(new Shape(1, 1000))) {
                throw new IllegalStateException("resnet18 trace gave " + out.singletonOrThrow().getShape());
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        predictor.close();
        model.close();
        manager.close();
    }

    /** ResNet-18 eval forward, one 224x224 image (3.6 GFLOP). */
    @Benchmark
    public float resnet18Batch1() throws Exception {
        try (NDList out = predictor.predict(new NDList(image1))) {
            return out.singletonOrThrow().getFloat(0, 0);
        }
    }

    /** ResNet-18 eval forward, 32 images. */
    @Benchmark
    public float resnet18Batch32() throws Exception {
        try (NDList out = predictor.predict(new NDList(images32))) {
            return out.singletonOrThrow().getFloat(0, 0);
        }
    }
}
