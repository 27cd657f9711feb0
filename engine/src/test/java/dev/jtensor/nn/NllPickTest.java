package dev.jtensor.nn;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * nll_loss reads only {@code logp[i, t_i]}, as PyTorch's kernel: a -inf or NaN at another class does
 * not reach the loss (torch: {@code F.nll_loss(tensor([[-inf, -1.]]), tensor([1]))} is 1.0), and it
 * reads strided inputs where they are.
 */
class NllPickTest {
    @Test
    void otherClassesDoNotReachTheLoss() {
        Tensor logp = tensor(new float[][] {{Float.NEGATIVE_INFINITY, -1f}, {Float.NaN, -3f}}).requiresGrad_(true);
        Tensor loss = F.nllLoss(logp, tensor(new long[] {1, 1}));
        assertEquals(2.0, loss.item(), 0.0);
        loss.backward();
        assertArrayEquals(new float[] {0f, -0.5f, 0f, -0.5f}, logp.grad().toFloatArray());
    }

    @Test
    void stridedInputAndEveryReduction() {
        Tensor base = tensor(new double[][] {{-1, -2, -3}, {-4, -5, -6}}, DType.FLOAT64); // logp = base.t(): [3, 2]
        Tensor logp = base.t();
        Tensor target = tensor(new long[] {0, 1, -100});
        assertArrayEquals(new double[] {1, 5, 0}, F.nllLoss(logp, target, Reduction.NONE).toDoubleArray());
        assertEquals(6.0, F.nllLoss(logp, target, Reduction.SUM).item(), 0.0);
        assertEquals(3.0, F.nllLoss(logp, target, Reduction.MEAN).item(), 0.0);
        assertEquals(DType.FLOAT64, F.nllLoss(logp, target).dtype());
    }
}
