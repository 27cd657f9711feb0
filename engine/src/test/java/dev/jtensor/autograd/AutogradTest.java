package dev.jtensor.autograd;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The tape's contract: leaves, accumulation, errors as PyTorch's, grad mode, Autograd.grad, hooks. */
class AutogradTest {
    @Test
    void leavesAccumulateUntilCleared() {
        Tensor w = tensor(4.0, true);
        assertTrue(w.isLeaf());
        assertNull(w.grad());
        w.add(w).backward();
        assertEquals(2.0, w.grad().item());
        w.add(tensor(1.0)).backward();
        assertEquals(3.0, w.grad().item());
        w.setGrad(null);
        w.add(tensor(1.0)).backward();
        assertEquals(1.0, w.grad().item());
    }

    @Test
    void nonScalarNeedsAGradient() {
        Tensor x = ones(3).requiresGrad_(true);
        Tensor y = x.add(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("grad can be implicitly created only for scalar outputs"), e.getMessage());
        y.backward(tensor(new double[] {1, 2, 3}));
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> x.add(x).backward(ones(2)));
    }

    @Test
    void secondBackwardWithoutRetainGraphThrows() {
        Tensor x = ones(2, 2).requiresGrad_(true);
        Tensor y = x.get(0).sum();
        // a node that saves its input, as MulBackward0 does
        Tensor z = Autograd.record("TestBackward0", y.detach().clone(), List.of(y), List.of(y), (g, s) -> {
            s.get(0);
            return List.of(g);
        });
        z.backward(null, true, false);
        z.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time"), e.getMessage());
    }

    @Test
    void backwardOnATensorWithoutGradThrows() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ones(1).backward());
        assertEquals("element 0 of tensors does not require grad and does not have a grad_fn", e.getMessage());
    }

    @Test
    void noGradStopsRecordingAndNests() {
        Tensor w = tensor(1.0, true);
        try (var g = noGrad()) {
            assertFalse(isGradEnabled());
            assertFalse(w.add(w).requiresGrad());
            try (var e = enableGrad()) {
                assertTrue(w.add(w).requiresGrad());
            }
            assertFalse(isGradEnabled());
        }
        assertTrue(isGradEnabled());
        try (var g = setGradEnabled(false)) {
            assertNull(w.add(w).gradFn());
        }
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (var g = noGrad()) {
            Future<Boolean> other = pool.submit(() -> {
                Tensor w = tensor(2.0, true);
                Tensor y = w.add(w);
                y.backward();
                return isGradEnabled() && w.grad().item() == 2.0;
            });
            assertTrue(other.get());
            assertFalse(isGradEnabled());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void detachSharesMemoryAndLeavesTheTape() {
        Tensor w = ones(3).requiresGrad_(true);
        Tensor y = w.add(w);
        Tensor d = y.detach();
        assertFalse(d.requiresGrad());
        assertNull(d.gradFn());
        assertEquals(y.toString().replace(", grad_fn=<AddBackward0>", ""), d.toString());
        y.detach_();
        assertTrue(y.isLeaf());
        assertFalse(y.requiresGrad());
    }

    @Test
    void gradReturnsWithoutAccumulating() {
        Tensor a = tensor(2.0, true), b = tensor(3.0, true);
        Tensor y = a.add(a).add(b);
        List<Tensor> g = Autograd.grad(List.of(y), List.of(a, b), null, false, false);
        assertEquals(2.0, g.get(0).item());
        assertEquals(1.0, g.get(1).item());
        assertNull(a.grad());
        Tensor unused = tensor(1.0, true);
        Tensor y2 = a.add(b);
        assertThrows(IllegalArgumentException.class, () -> Autograd.grad(List.of(y2), List.of(unused), null, false, false));
    }

    @Test
    void hooksSeeAndReplaceGradients() {
        Tensor w = ones(2).requiresGrad_(true);
        List<Tensor> seen = new ArrayList<>();
        w.registerHook(g -> { seen.add(g); return g.add(g); });
        Tensor mid = w.add(w);
        mid.registerHook(g -> { seen.add(g); return null; });
        mid.retainGrad();
        mid.sum().backward();
        assertEquals(2, seen.size());
        assertArrayEquals(new double[] {1, 1}, mid.grad().toDoubleArray());
        assertArrayEquals(new double[] {4, 4}, w.grad().toDoubleArray()); // (1 + 1) doubled by the leaf hook
        assertThrows(IllegalStateException.class, () -> ones(1).registerHook(g -> g));
    }

    @Test
    void requiresGradOnlyForFloatingLeaves() {
        assertThrows(IllegalArgumentException.class, () -> arange(3).requiresGrad_(true));
        Tensor y = ones(1).requiresGrad_(true).add(ones(1));
        assertThrows(IllegalStateException.class, () -> y.requiresGrad_(false));
        assertEquals(DType.FLOAT32, y.dtype());
    }

    @Test
    void broadcastGradientsAreSummedBackToInputShapes() {
        Tensor a = ones(2, 3).requiresGrad_(true), b = ones(3).requiresGrad_(true), c = ones(2, 1).requiresGrad_(true);
        a.add(b).add(c).sum().backward();
        assertArrayEquals(new long[] {3}, b.grad().shape().toArray());
        assertArrayEquals(new double[] {2, 2, 2}, b.grad().toDoubleArray());
        assertArrayEquals(new double[] {3, 3}, c.grad().toDoubleArray());
    }
}
