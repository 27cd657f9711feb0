package dev.jtensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.cpu.NativeMemory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A backward pass inside {@code Jt.scope()} releases what it made and no longer needs at once (autograd's GradRelease):
 * every consumed gradient, and every built-in rule's temporaries, instead of holding them all to the scope's end (issue
 * 23: a GPT step in a scope ran out of 4 GiB). Memory in use (live native bytes less the allocator's pool) is sampled by
 * hooks during the pass. Also: gradients a hook kept, {@code Autograd.grad} results and one tensor handed to two inputs
 * stay intact.
 */
class ScopedBackwardMemoryTest {
    private static final int LAYERS = 20;
    private static final long N = 1 << 20; // 4 MiB of float32 per tensor

    private static long inUse() { return NativeMemory.liveBytes() - NativeMemory.pooledBytes(); }

    /**
     * 20 x (tanh, then * 1.1): the nodes save the 20 tanh outputs (80 MiB). Each TanhBackward makes 3 temporaries and a
     * gradient (16 MiB), each MulBackward a gradient (4 MiB): 400 MiB held to the scope's end before; now a few tensors at
     * a time.
     */
    @Test
    void aScopedBackwardHoldsOnlyWhatIsLive() {
        Tensor x0 = Jt.randn(new long[] {N}, DType.FLOAT32, new Generator(1));
        Tensor expected;
        {
            Tensor x = x0.detach().requiresGrad_(true);
            chain(x, new ArrayList<>(), new long[1]).sum().backward();
            expected = x.grad();
        }
        try (Scope scope = Jt.scope()) {
            Tensor x = x0.detach().requiresGrad_(true);
            long[] peak = new long[1];
            List<Tensor> probes = new ArrayList<>();
            Tensor loss = chain(x, probes, peak).sum();
            long before = inUse();
            peak[0] = before;
            loss.backward();
            long grown = peak[0] - before;
            assertTrue(grown < 48L << 20, "in use during backward grew by " + (grown >> 20) + " MiB (320 MiB when everything stayed to the scope's end)");
            assertTrue(expected.allclose(x.grad(), 0, 0), "the same gradient as without a scope");
            for (Tensor p : probes) assertEquals(N, p.grad().numel(), "retained gradients stay readable");
            scope.keep(x.grad());
        }
    }

    private static Tensor chain(Tensor x, List<Tensor> probes, long[] peak) {
        Tensor y = x;
        for (int i = 0; i < LAYERS; i++) {
            y = y.tanh().mul(1.1);
            if (i % 5 == 0) {
                y.retainGrad(); // a few hooks sample memory in use mid-pass (and keep their gradients: they saw them)
                y.registerHook(g -> {
                    peak[0] = Math.max(peak[0], inUse());
                    return null;
                });
                probes.add(y);
            }
        }
        return y;
    }

    @Test
    void keptHookedAndReturnedGradientsStayIntact() {
        try (Scope scope = Jt.scope()) {
            Tensor a = Jt.randn(new long[] {512}, DType.FLOAT32, new Generator(2)).requiresGrad_(true);
            Tensor b = a.mul(2);
            Tensor[] stash = new Tensor[1];
            b.registerHook(g -> {
                stash[0] = g;
                return null;
            });
            Tensor c = b.add(b).mul(3); // AddBackward hands one gradient to both of its inputs
            List<Tensor> ga = Autograd.grad(List.of(c.sum()), List.of(a, b), null, true, false);
            assertTrue(ga.get(0).allclose(Jt.fullLike(a, 12.0)), "d/da");
            assertTrue(ga.get(1).allclose(Jt.fullLike(a, 6.0)), "d/db, an Autograd.grad result");
            assertTrue(stash[0].allclose(Jt.fullLike(a, 6.0)), "the gradient a hook kept");
            c.sum().backward();
            assertTrue(a.grad().allclose(Jt.fullLike(a, 12.0)), "a leaf's gradient");
        }
    }
}
