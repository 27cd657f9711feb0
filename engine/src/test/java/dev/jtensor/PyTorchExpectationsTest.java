package dev.jtensor;

import static dev.jtensor.Jt.arange;
import static dev.jtensor.Jt.manualSeed;
import static dev.jtensor.Jt.ones;
import static dev.jtensor.Jt.rand;
import static dev.jtensor.Jt.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.autograd.GradMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Small PyTorch expectations: {@code data_ptr()}, a process-wide thread-safe default generator, thread-local grad mode. */
class PyTorchExpectationsTest {

    /** The tutorial's "did this op write into the same memory?", for heap-backed (small) and native (large) tensors. */
    @ParameterizedTest
    @ValueSource(ints = {4, 100_000})
    void dataPtrTellsWhetherAnOpWroteIntoTheSameMemory(int n) {
        Tensor x = ones(n), y = ones(n);
        long before = y.dataPtr();
        y = x.add(y);                                   // y = x + y: new memory
        assertNotEquals(before, y.dataPtr());
        Tensor z = Jt.zerosLike(y);
        long zPtr = z.dataPtr();
        z.copy_(x.add(y));                              // z[:] = x + y: same memory
        assertEquals(zPtr, z.dataPtr());
        long xPtr = x.dataPtr();
        x.add_(y);                                      // x += y: same memory
        assertEquals(xPtr, x.dataPtr());
        Jt.add(x, y, z);                                // torch.add(x, y, out=z): same memory
        assertEquals(zPtr, z.dataPtr());
        assertNotEquals(x.dataPtr(), z.dataPtr());
    }

    @Test
    void viewsShareMemoryAndDifferByTheirOffsetInBytes() {
        for (long rows : new long[] {2, 1000}) {
            Tensor m = arange(rows * 3).reshape(rows, 3).to(DType.FLOAT32);
            assertEquals(m.dataPtr(), m.view(-1).dataPtr());
            assertEquals(m.dataPtr(), m.t().dataPtr());
            assertEquals(m.dataPtr() + 3 * 4, m.get(1).dataPtr());
            assertEquals(m.dataPtr() + 3 * 4 + 2 * 4, m.get(1, 2).dataPtr());
            assertEquals(m.dataPtr() + 4, m.narrow(1, 1, 2).dataPtr());
            assertNotEquals(m.dataPtr(), m.clone().dataPtr());
        }
        Tensor big = ones(100_000);
        assertTrue(big.dataPtr() > 0 && big.dataPtr() < (1L << 62), "native tensors report their real address");
        assertEquals(0, big.dataPtr() % 64, "pooled native blocks are 64-byte aligned");
        List<Long> small = new ArrayList<>();
        for (int i = 0; i < 100; i++) small.add(ones(2).dataPtr());
        assertEquals(100, small.stream().distinct().count(), "heap-backed tensors get distinct values");
        Tensor closed = ones(3);
        closed.close();
        assertThrows(IllegalStateException.class, closed::dataPtr);
    }

    /** {@code torch.manual_seed(0); torch.rand(3)} / {@code torch.randn(3)} (torch 1.13). */
    private static final float[] TORCH_RAND_SEED0 = {0.49625658988952637f, 0.7682217955589294f, 0.08847743272781372f};
    private static final float[] TORCH_RANDN_SEED0 = {1.5409960746765137f, -0.293428897857666f, -2.1787893772125244f};

    /** JShell evaluates each snippet on a fresh thread: seeding on one and drawing on another gives PyTorch's numbers. */
    @Test
    void manualSeedOnOneThreadRandOnAnother() throws Exception {
        manualSeed(0);
        float[][] drawn = new float[2][];
        Thread t = new Thread(() -> {
            drawn[0] = rand(3).toFloatArray();
            drawn[1] = randn(3).toFloatArray();
        });
        t.start();
        t.join();
        assertArrayEquals(TORCH_RAND_SEED0, drawn[0]);
        manualSeed(0);
        Thread t2 = new Thread(() -> drawn[1] = randn(3).toFloatArray());
        t2.start();
        t2.join();
        assertArrayEquals(TORCH_RANDN_SEED0, drawn[1], 1e-6f); // PyTorch's float32 normal uses SLEEF
        assertTrue(Generator.defaultGenerator() == Generator.defaultGenerator(), "one process-wide default");
    }

    /**
     * Threads drawing from the shared default at once: no draw is lost or repeated, and each op's numbers
     * are one unbroken run of the stream (the generator is locked for the whole op, as PyTorch's mutex).
     */
    @Test
    void concurrentDrawsAreWholeRunsOfTheStream() throws Exception {
        int threads = 8, perOp = 1000, opsPerThread = 20;
        manualSeed(123);
        List<float[]> reference = new ArrayList<>();
        for (int i = 0; i < threads * opsPerThread; i++) reference.add(rand(perOp).toFloatArray());
        manualSeed(123);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<float[]>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                List<float[]> mine = new ArrayList<>();
                for (int i = 0; i < opsPerThread; i++) mine.add(rand(perOp).toFloatArray());
                return mine;
            }));
        }
        start.countDown();
        List<float[]> drawn = new ArrayList<>();
        for (var f : futures) drawn.addAll(f.get(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        boolean[] used = new boolean[reference.size()];
        for (float[] d : drawn) {
            int match = -1;
            for (int i = 0; i < reference.size() && match < 0; i++) if (!used[i] && Arrays.equals(reference.get(i), d)) match = i;
            assertTrue(match >= 0, "a concurrent rand(" + perOp + ") is not one run of the seeded stream");
            used[match] = true;
        }
    }

    @Test
    void explicitGeneratorsStayIndependentOfTheDefault() {
        Generator g = new Generator(0);
        manualSeed(99);
        rand(5);
        assertArrayEquals(TORCH_RAND_SEED0, rand(new long[] {3}, DType.FLOAT32, g).toFloatArray());
    }

    /** Grad mode stays per thread, as PyTorch's: noGrad on one thread does not stop recording on another. */
    @Test
    void gradModeIsThreadLocal() throws Exception {
        Tensor w = Jt.tensor(2.0, true);
        try (GradMode off = GradMode.set(false)) {
            assertNull(w.mul(3).gradFn());
            boolean[] recorded = new boolean[1];
            Thread t = new Thread(() -> recorded[0] = w.mul(3).gradFn() != null);
            t.start();
            t.join();
            assertTrue(recorded[0], "another thread still records");
        }
        assertFalse(w.mul(3).gradFn() == null);
    }
}
