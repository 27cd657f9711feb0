package dev.jtensor.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.NativeMemory;
import dev.jtensor.nn.CrossEntropyLoss;
import dev.jtensor.nn.GradClipping;
import dev.jtensor.nn.Linear;
import dev.jtensor.nn.ReLU;
import dev.jtensor.nn.Sequential;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code zero_grad(set_to_none)} gives a gradient's memory back at once when no one outside the engine can
 * hold it (PyTorch frees it when its last reference goes), and never when user code may: a gradient read
 * through {@code grad()}, seen by a hook or set by {@code setGrad} stays valid.
 * Sizes are above the heap threshold, so the gradients live in counted native memory.
 */
class DroppedGradientTest {
    private static final long WEIGHT_BYTES = 512L * 512 * 4;

    /** A training loop in a scope per step, no GC: native memory stays flat instead of growing by a step's gradients. */
    @Test
    void droppedGradientsGoBackAtOnceInATrainingLoop() {
        Jt.manualSeed(3);
        var model = new Sequential(new Linear(256, 512), new ReLU(), new Linear(512, 512));
        var opt = new SGD(model.parameters(), 0.01).momentum(0.9);
        var loss = new CrossEntropyLoss();
        Tensor x = Jt.randn(64, 256), y = Jt.randint(0, 512, 64);
        long afterWarmUp = 0;
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            try (var s = Jt.scope()) {
                opt.zeroGrad();
                Tensor l = loss.forward(model.forward(x), y);
                l.backward();
                GradClipping.clipGradNorm_(model.parameters(), 10.0); // the engine's own read: not a hand-out
                opt.step();
                losses.add(l.item());
            }
            if (step == 4) afterWarmUp = inUse();
        }
        long grown = inUse() - afterWarmUp;
        // without the release every step leaves ~1.5 MiB of dropped gradients for the GC: 55 steps = 80 MiB
        assertTrue(grown < 4 * WEIGHT_BYTES, "native memory grew " + grown + " bytes over 55 steps");
        assertTrue(losses.getLast() < losses.getFirst(), "the loop trains: " + losses.getFirst() + " -> " + losses.getLast());
    }

    @Test
    void zeroGradReleasesAPrivateGradientNow() {
        Linear lin = new Linear(512, 512);
        lin.forward(Jt.randn(4, 512)).sum().backward();
        long before = inUse();
        new SGD(lin.parameters(), 0.1).zeroGrad();
        assertTrue(before - inUse() >= WEIGHT_BYTES, "the weight's gradient returned: " + before + " -> " + inUse());
        assertNull(lin.weight().grad());
    }

    @Test
    void aGradientReadByUserCodeStaysValidAfterZeroGrad() {
        Linear lin = new Linear(512, 512);
        Tensor x = Jt.randn(4, 512);
        lin.forward(x).sum().backward();
        Tensor held = lin.weight().grad();
        float[] values = held.toFloatArray();
        lin.zeroGrad();
        assertNull(lin.weight().grad());
        assertArrayEquals(values, held.toFloatArray(), "the held gradient keeps its values");
        assertEquals(held.sum().item(), Jt.tensor(values).sum().item(), 1e-3);
    }

    @Test
    void aGradientSeenByAHookStaysValid() {
        Tensor w = Jt.randn(512, 512).requiresGrad_(true);
        List<Tensor> seen = new ArrayList<>();
        w.registerHook(g -> {
            seen.add(g);
            return null;
        });
        w.mul(2).sum().backward();
        new SGD(List.of(w), 0.1).zeroGrad();
        assertEquals(2.0 * 512 * 512, seen.getFirst().sum().item(), 1e-3);
    }

    @Test
    void aGradientSetByUserCodeIsNotReleased() {
        Tensor w = Jt.zeros(512, 512).requiresGrad_(true);
        Tensor mine = Jt.ones(512, 512);
        w.setGrad(mine);
        new SGD(List.of(w), 0.1).zeroGrad();
        assertNull(w.grad());
        assertEquals(512.0 * 512, mine.sum().item(), 1e-3);
    }

    @Test
    void zeroGradInPlaceKeepsTheSameMemory() {
        Linear lin = new Linear(512, 512);
        lin.forward(Jt.randn(4, 512)).sum().backward();
        Tensor held = lin.weight().grad();
        lin.zeroGrad(false);
        assertEquals(0.0, held.abs().sum().item());
        lin.forward(Jt.randn(4, 512)).sum().backward();
        assertTrue(held.abs().sum().item() > 0, "the next backward accumulates into the same gradient");
    }

    /** Native bytes held by tensors (live minus what waits in the pool). */
    private static long inUse() { return NativeMemory.liveBytes() - NativeMemory.pooledBytes(); }
}
