package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.cpu.NativeMemory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fused CPU attention's memory is O(L), not O(L^2): causal attention at length 4096 runs forward and backward
 * under a native-memory budget of 8 MiB over what is live (pool off, so every allocation is counted), where one
 * {@code [L, L]} float32 matrix alone is 64 MiB. The same budget refuses the composite's first step, {@code q @ k^T},
 * which proves the budget would catch an L x L intermediate.
 */
class AttentionMemoryTest {
    private static final long L = 4096, D = 16, BUDGET = 8L << 20;

    @Test
    void fusedAttentionAtLength4096StaysFarBelowAnLByLMatrix() {
        Jt.manualSeed(0);
        Tensor q = Jt.randn(new long[] {1, 1, L, D}, DType.FLOAT32).requiresGrad_();
        Tensor k = Jt.randn(new long[] {1, 1, L, D}, DType.FLOAT32).requiresGrad_();
        Tensor v = Jt.randn(new long[] {1, 1, L, D}, DType.FLOAT32).requiresGrad_();
        Tensor g = Jt.randn(new long[] {1, 1, L, D}, DType.FLOAT32);
        long limit = NativeMemory.limitBytes(), poolCap = NativeMemory.poolCapBytes();
        NativeMemory.setPoolCapBytes(0);
        NativeMemory.trimPool();
        long before = NativeMemory.liveBytes();
        NativeMemory.setLimitBytes(before + BUDGET);
        try {
            Tensor out = F.scaledDotProductAttention(q, k, v, null, true);
            long afterForward = NativeMemory.liveBytes() - before;
            List<Tensor> grads = Autograd.grad(List.of(out), List.of(q, k, v), List.of(g), false, false);
            long afterBackward = NativeMemory.liveBytes() - before;
            System.out.println("AttentionMemory L=" + L + ": forward keeps " + afterForward + " bytes, backward " + afterBackward
                    + " bytes, under a budget of " + BUDGET + "; an L x L float32 matrix is " + L * L * 4 + " bytes");
            assertEquals(3, grads.size());
            assertTrue(Double.isFinite(grads.get(0).sum().item()) && Double.isFinite(out.sum().item()));
            // row 0 attends to key 0 alone (causal): its output is v's row 0
            assertEquals(v.get(0).get(0).get(0).get(3).item(), out.get(0).get(0).get(0).get(3).item(), 1e-6);
            assertThrows(OutOfMemoryError.class, () -> q.detach().matmul(k.detach().transpose(-2, -1)), "an [L, L] product exceeds the budget");
        } finally {
            NativeMemory.setLimitBytes(limit);
            NativeMemory.setPoolCapBytes(poolCap);
        }
    }
}
