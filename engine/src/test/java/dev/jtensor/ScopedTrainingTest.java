package dev.jtensor;

import static dev.jtensor.Jt.noGrad;
import static dev.jtensor.Jt.randn;
import static dev.jtensor.Jt.scope;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.backend.cpu.NativeMemory;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.MSELoss;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import dev.jtensor.optim.Adam;
import dev.jtensor.optim.AdamW;
import dev.jtensor.optim.Optimizer;
import dev.jtensor.optim.SGD;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A training step per {@code Jt.scope()} (DESIGN section 4): gradients and optimizer state belong to the
 * parameters made outside the scope, whatever created them inside it. Sizes are above the heap threshold
 * (1 KiB) so that every tensor here lives in native memory, whose live bytes are counted.
 */
class ScopedTrainingTest {
    private static final int STEPS = 1000;

    /** The loop, written with raw tensors: w.grad() is made by the first step's backward, inside its scope. */
    @Test
    void rawTensorLoopWithAScopePerStep() {
        Jt.manualSeed(1);
        Tensor x = randn(256, 64), trueW = randn(64, 16), y = x.matmul(trueW).add(randn(256, 16).mul(0.01));
        Tensor w = Jt.zeros(64, 16).requiresGrad_(true); // 4 KiB: native memory, so a leak would be counted
        double lr = 1.0, first = Double.NaN, last = Double.NaN; // the mean over 16 outputs scales the gradient down
        long[] live = new long[2];
        for (int step = 0; step < STEPS; step++) {
            try (var s = scope()) {
                Tensor loss = x.matmul(w).sub(y).pow(2).mean();
                loss.backward();
                try (var g = noGrad()) {
                    w.sub_(w.grad().mul(lr));
                }
                w.grad().zero_();
                if (step == 0) first = loss.item();
                last = loss.item();
            }
            if (step == 99) live[0] = settledLiveBytes();
        }
        live[1] = settledLiveBytes();
        assertNotNull(w.grad(), "the gradient outlives every step's scope");
        assertEquals(0.0, w.grad().abs().sum().item(), "and keeps its zeroed values");
        assertTrue(last < first * 1e-3, "loss falls: " + first + " -> " + last);
        assertTrue(w.allclose(trueW, 0, 0.01), "w recovers the true weights: " + w + " vs " + trueW);
        assertTrue(live[1] <= live[0] + (256 << 10), "native memory after step 100 " + live[0] + ", after step " + STEPS + " " + live[1]);
    }

    /** Every optimizer, nn model, zero_grad both ways, a scope per step. */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "sgdMomentum", "sgdNesterov", "adam", "adamAmsgrad", "adamw"})
    void nnModelAndOptimizerWithAScopePerStep(String name) {
        Jt.manualSeed(2);
        Tensor x = randn(128, 16), y = x.narrow(1, 0, 1).mul(2).sub(x.narrow(1, 1, 1));
        var model = new Sequential(new Linear(16, 32), new ReLU(), new Linear(32, 1));
        Function<Sequential, Optimizer> make = switch (name) {
            case "sgd" -> m -> new SGD(m.parameters(), 0.05);
            case "sgdMomentum" -> m -> new SGD(m.parameters(), 0.02).momentum(0.9);
            case "sgdNesterov" -> m -> new SGD(m.parameters(), 0.02).momentum(0.9).nesterov(true).weightDecay(1e-4);
            case "adam" -> m -> new Adam(m.parameters(), 0.01);
            case "adamAmsgrad" -> m -> new Adam(m.parameters(), 0.01).amsgrad(true);
            case "adamw" -> m -> new AdamW(m.parameters(), 0.01);
            default -> throw new IllegalArgumentException(name);
        };
        Optimizer opt = make.apply(model);
        var criterion = new MSELoss();
        double first = Double.NaN, last = Double.NaN;
        long live100 = 0;
        for (int step = 0; step < STEPS; step++) {
            try (var s = scope()) {
                opt.zeroGrad(step % 2 == 0); // set to none and zero in place, alternately
                Tensor loss = criterion.forward(model.forward(x), y);
                loss.backward();
                opt.step();
                if (step == 0) first = loss.item();
                last = loss.item();
            }
            if (step == 99) live100 = settledLiveBytes();
        }
        assertTrue(last < first * 0.05, name + ": loss falls: " + first + " -> " + last);
        for (Tensor p : model.parameters()) assertFalse(Double.isNaN(p.sum().item()));
        long live1000 = settledLiveBytes();
        // a gradient or state kept per step would add >= 2 KiB x 4 tensors x 900 steps (7 MB); 256 KiB of slack
        // absorbs size-class rounding and a cleaner that has not run yet on a loaded machine
        assertTrue(live1000 <= live100 + (256 << 10),
                name + ": native memory grew from " + live100 + " (step 100) to " + live1000 + " (step 1000)");
    }

    /** Scopes nest: a gradient made in an inner scope for a tensor of the outer one lives until the outer one closes. */
    @Test
    void gradientJoinsTheScopeOfItsOwner() {
        Tensor w;
        try (var outer = scope()) {
            w = randn(64, 64).requiresGrad_(true);
            try (var inner = scope()) {
                w.mul(2).sum().backward();
            }
            assertEquals(2.0 * 64 * 64, w.grad().sum().item(), "the gradient survives the inner scope");
            Tensor g = w.grad();
            assertSame(g, w.grad());
        }
        Tensor released = w;
        assertThrows(IllegalStateException.class, released::sum, "the outer scope released w");
        assertThrows(IllegalStateException.class, () -> released.grad().sum(), "and its gradient with it");
    }

    /** A gradient set by hand inside a scope, and an empty out= resized inside one, belong to their owners too. */
    @Test
    void setGradAndResizedOutOutliveTheScope() {
        Tensor w = randn(32, 32), out = Jt.empty(0);
        try (var s = scope()) {
            w.setGrad(Jt.ones(32, 32));
            Jt.add(Jt.ones(600), Jt.ones(600), out);
        }
        assertEquals(32.0 * 32, w.grad().sum().item());
        assertEquals(1200.0, out.sum().item());
    }

    /**
     * Native bytes in tensors (not idle in the pool) once the garbage of earlier steps has been collected:
     * the least reading over repeated GCs (garbage waiting for the GC or its cleaner only adds to a reading,
     * and cleaners may lag behind on a loaded machine).
     */
    private static long settledLiveBytes() {
        long least = inUse();
        int sameInARow = 0;
        for (int i = 0; i < 25 && sameInARow < 3; i++) {
            System.gc();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long now = inUse();
            sameInARow = now >= least ? sameInARow + 1 : 0;
            least = Math.min(least, now);
        }
        return least;
    }

    private static long inUse() { return NativeMemory.liveBytes() - NativeMemory.pooledBytes(); }
}
