package dev.jtensor;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.autograd.InferenceMode;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The serving contract (README "Concurrency"): a module in eval mode is shared by request threads, each
 * running forwards on its own input, and every thread gets the bits a lone caller gets, whatever the
 * load (the matmul split does not depend on how many workers are free). Also inference mode's rules.
 */
class ConcurrentServingTest {

    private static float[] forward(Sequential model, Tensor x) {
        try (var g = inferenceMode()) {
            return model.forward(x).toFloatArray();
        }
    }

    @Test
    void sharedEvalMlpGivesEveryPlatformAndVirtualThreadTheLoneCallersBits() throws Exception {
        manualSeed(7);
        Sequential model = new Sequential(new Linear(256, 512), new ReLU(), new Linear(512, 10));
        model.eval();
        int requests = 48;
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> alone = new ArrayList<>();
        for (int r = 0; r < requests; r++) {
            inputs.add(randn(32, 256));
            alone.add(forward(model, inputs.get(r)));
        }
        for (boolean virtual : new boolean[] {false, true}) {
            var start = new CountDownLatch(1);
            try (ExecutorService pool = virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(16)) {
                List<Future<float[]>> got = new ArrayList<>();
                for (int r = 0; r < requests; r++) {
                    Tensor x = inputs.get(r);
                    got.add(pool.submit(() -> { start.await(); return forward(model, x); }));
                }
                start.countDown();
                for (int r = 0; r < requests; r++) assertArrayEquals(alone.get(r), got.get(r).get(), "request " + r);
            }
        }
    }

    @Test
    void splitMatmulsEqualTheUnsplitProductForEveryOperandForm() {
        int before = getNumThreads();
        long[][] shapes = {{333, 517, 129}, {1, 2049, 700}, {2049, 1, 700}, {40, 40, 2000}, {17, 3000, 400}};
        try {
            for (long[] s : shapes) {
                int m = (int) s[0], n = (int) s[1], k = (int) s[2];
                Tensor a = randn(new long[] {m, k}, DType.FLOAT64, Generator.defaultGenerator()), b = randn(new long[] {k, n}, DType.FLOAT64, Generator.defaultGenerator());
                Tensor at = randn(new long[] {k, m}, DType.FLOAT64, Generator.defaultGenerator()).t(), bt = randn(new long[] {n, k}, DType.FLOAT64, Generator.defaultGenerator()).t();
                setNumThreads(1);
                Tensor[] ref = {a.matmul(b), at.matmul(bt), a.to(DType.FLOAT32).matmul(bt.to(DType.FLOAT32))};
                setNumThreads(4);
                Tensor[] split = {a.matmul(b), at.matmul(bt), a.to(DType.FLOAT32).matmul(bt.to(DType.FLOAT32))};
                for (int i = 0; i < ref.length; i++) { // float64 forms tight; float32 sums of k products within 1e-4
                    double tol = ref[i].dtype() == DType.FLOAT64 ? 1e-10 : 1e-4;
                    assertTrue(split[i].allclose(ref[i], tol, tol), "shape " + java.util.Arrays.toString(s) + " form " + i);
                }
            }
            // batched: more batches than threads go whole to the workers
            Tensor x = randn(9, 70, 300), w = randn(9, 300, 80);
            setNumThreads(1);
            Tensor ref = x.bmm(w);
            setNumThreads(4);
            assertTrue(x.bmm(w).allclose(ref, 1e-4, 1e-5));
        } finally {
            setNumThreads(before);
        }
    }

    @Test
    void inferenceModeRecordsNoTapeAndItsTensorsRefuseAutogradOutsideIt() {
        Tensor w = randn(3, 3).requiresGrad_(true);
        Tensor y;
        try (var g = inferenceMode()) {
            assertTrue(InferenceMode.isEnabled());
            assertFalse(dev.jtensor.autograd.GradMode.isEnabled());
            y = w.matmul(ones(3, 3));
            assertNull(y.gradFn());
            assertFalse(y.requiresGrad());
            assertTrue(y.isInference());
            y.add_(1); // no version counter inside
        }
        assertFalse(InferenceMode.isEnabled());
        assertTrue(dev.jtensor.autograd.GradMode.isEnabled());
        assertFalse(w.isInference());
        Tensor inf = y;
        var e1 = assertThrows(IllegalStateException.class, () -> inf.add_(1));
        assertTrue(e1.getMessage().contains("Inplace update to inference tensor outside InferenceMode"), e1.getMessage());
        var e2 = assertThrows(IllegalStateException.class, () -> inf.requiresGrad_(true));
        assertTrue(e2.getMessage().contains("inference tensor"), e2.getMessage());
        var e3 = assertThrows(IllegalStateException.class, () -> w.mul(inf));
        assertTrue(e3.getMessage().contains("Inference tensors cannot be saved for backward"), e3.getMessage());
        // a clone is a normal tensor
        Tensor normal = inf.clone();
        assertFalse(normal.isInference());
        w.mul(normal).sum().backward();
        assertArrayEquals(normal.toFloatArray(), w.grad().toFloatArray());
        // a plain op without autograd may read it
        assertEquals(9, inf.add(1).numel());
    }

    @Test
    void inferenceModeNestsAndCanBeSwitchedOffForAScope() {
        try (var outer = inferenceMode()) {
            try (var off = InferenceMode.set(false)) {
                assertFalse(InferenceMode.isEnabled());
                assertFalse(zeros(2).isInference());
            }
            assertTrue(InferenceMode.isEnabled());
            try (var inner = inferenceMode()) {
                assertTrue(zeros(2).isInference());
            }
            assertTrue(InferenceMode.isEnabled());
        }
        assertFalse(InferenceMode.isEnabled());
    }
}
