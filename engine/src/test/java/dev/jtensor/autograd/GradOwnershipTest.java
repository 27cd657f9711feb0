package dev.jtensor.autograd;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.internal.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A leaf keeps the gradient a backward pass made without copying it, and never memory another tensor
 * sees: leaves never share a gradient, and neither the caller's gradient, a hook's view nor a
 * retained gradient becomes a leaf's {@code grad} (each checked by writing into one and reading the other).
 */
class GradOwnershipTest {
    private static double[] values(Tensor t) { return t.toDoubleArray(); }

    /** Native allocations of one {@code (w * 2).sum()} backward, with or without a hook on w. */
    private static long allocationsOfBackward(boolean hooked) {
        Tensor w = ones(64, 64).requiresGrad_(true); // 16 KiB: native memory
        if (hooked) w.registerHook(g -> null);
        Tensor y = w.mul(2.0).sum();
        long before = Storage.allocationCount();
        y.backward();
        return Storage.allocationCount() - before;
    }

    @Test
    void aFreshGradientIsKeptWithoutACopy() {
        allocationsOfBackward(false); // warm up (class loading)
        // the hooked pass copies (its hook saw the gradient); the plain one keeps it: one allocation fewer
        assertEquals(allocationsOfBackward(true) - 1, allocationsOfBackward(false));
        Tensor w = ones(64, 64).requiresGrad_(true);
        w.mul(2.0).sum().backward();
        assertArrayEquals(values(full(new long[] {64, 64}, 2.0)), values(w.grad()));
    }

    @Test
    void twoLeavesFedOneGradientDoNotShareIt() {
        Tensor a = ones(3).requiresGrad_(true), b = ones(3).requiresGrad_(true);
        a.add(b).mul(3.0).sum().backward(); // AddBackward0 passes the same fresh tensor to both
        assertNotSame(Tensors.storage(a.grad()), Tensors.storage(b.grad()));
        a.grad().add_(100.0);
        assertArrayEquals(new double[] {3, 3, 3}, values(b.grad()));
        a.add(b).mul(3.0).sum().backward(); // accumulation in place stays per leaf
        assertArrayEquals(new double[] {106, 106, 106}, values(a.grad()));
        assertArrayEquals(new double[] {6, 6, 6}, values(b.grad()));
    }

    @Test
    void oneLeafUsedTwiceGetsTheSum() {
        Tensor x = tensor(new double[] {1, 2}).requiresGrad_(true);
        x.add(x).mul(x).sum().backward(); // d/dx 2x^2 = 4x
        assertArrayEquals(new double[] {4, 8}, values(x.grad()));
    }

    @Test
    void theCallersGradientIsCopied() {
        Tensor a = ones(3).requiresGrad_(true), b = ones(3).requiresGrad_(true);
        Tensor gradient = tensor(new double[] {1, 2, 3});
        a.add(b).backward(gradient);
        assertNotSame(Tensors.storage(gradient), Tensors.storage(a.grad()));
        assertNotSame(Tensors.storage(gradient), Tensors.storage(b.grad()));
        gradient.mul_(10.0);
        assertArrayEquals(new double[] {1, 2, 3}, values(a.grad()));
        assertArrayEquals(new double[] {1, 2, 3}, values(b.grad()));
    }

    @Test
    void whatAHookSawIsCopied() {
        List<Tensor> seen = new ArrayList<>();
        Tensor w = ones(64, 64).requiresGrad_(true);
        Tensor mid = w.mul(2.0);
        mid.registerHook(g -> { seen.add(g); return null; });
        w.registerHook(g -> { seen.add(g); return null; });
        mid.sum().backward();
        for (Tensor s : seen) assertNotSame(Tensors.storage(s), Tensors.storage(w.grad()));
        seen.get(seen.size() - 1).fill_(-1.0);
        assertEquals(2.0, w.grad().get(0, 0).item());
    }

    @Test
    void aHooksResultIsCopied() {
        List<Tensor> made = new ArrayList<>();
        Tensor w = ones(3).requiresGrad_(true);
        w.registerHook(g -> { Tensor r = g.mul(5.0); made.add(r); return r; });
        w.mul(2.0).sum().backward();
        assertArrayEquals(new double[] {10, 10, 10}, values(w.grad()));
        made.get(0).fill_(0.0);
        assertArrayEquals(new double[] {10, 10, 10}, values(w.grad()));
    }

    @Test
    void aRetainedGradientAndTheLeafsDoNotShareMemory() {
        Tensor w = ones(3).requiresGrad_(true);
        Tensor mid = w.add(0.0); // AddBackward0 passes mid's gradient to w unchanged
        mid.retainGrad();
        mid.mul(4.0).sum().backward();
        assertNotSame(Tensors.storage(mid.grad()), Tensors.storage(w.grad()));
        mid.grad().fill_(0.0);
        assertArrayEquals(new double[] {4, 4, 4}, values(w.grad()));
    }

    @Test
    void slicesOfOneGradientAreCopied() {
        Tensor a = ones(2).requiresGrad_(true), b = ones(3).requiresGrad_(true);
        cat(List.of(a, b), 0).mul(2.0).sum().backward(); // both leaves get slices of one tensor
        a.grad().fill_(7.0);
        assertArrayEquals(new double[] {2, 2, 2}, values(b.grad()));
    }

    @Test
    void aTransposedLeafGetsACopyInItsLayout() {
        Tensor w = ones(4, 3).requiresGrad_(true);
        Tensor wt = w.t().contiguous().t().detach().requiresGrad_(true); // a column-major leaf
        wt.mul(3.0).sum().backward();
        assertArrayEquals(values(full(new long[] {4, 3}, 3.0)), values(wt.grad()));
    }
}
