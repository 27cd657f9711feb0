package dev.jtensor.internal.ops;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ReLU's backward as PyTorch's {@code threshold_backward(g, y, 0)}: {@code y <= 0 ? 0 : g}, NaN outputs
 * (either sign bit) pass g; the float32 bit loop, the float64 loop, the pooled (large) and strided
 * paths agree with the scalar oracle, and under createGraph the result stays differentiable in g.
 */
class ReluBackwardTest {
    private static final float NEG_NAN = Float.intBitsToFloat(0xffc00000); // x86's default NaN has the sign bit set

    private static float[] inputs() {
        return new float[] {-1f, -0f, 0f, 2f, Float.NaN, NEG_NAN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, 1e30f, -3.5f};
    }

    /** What PyTorch gives for x.relu().backward(g): g where relu(x) is NaN or positive, else 0. */
    private static float expected(float x, float g) {
        float y = x <= 0 ? 0 : x;
        return y <= 0 ? 0f : g;
    }

    @Test
    void edgeValuesFloat32AndFloat64() {
        float[] xs = inputs();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = tensor(xs).to(dt).requiresGrad_(true);
            Tensor g = arange(1, xs.length + 1).to(dt);
            x.relu().backward(g);
            float[] got = x.grad().toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                assertEquals(expected(xs[i], i + 1), got[i], dt + " at x = " + xs[i]);
            }
        }
    }

    @Test
    void fastLoopsAgreeWithTheOracleOnLargeAndStridedInputs() {
        manualSeed(3);
        Tensor y = randn(300, 257).relu(); // 77,100 elements: above the pool's grain, an odd row length
        Tensor g = randn(300, 257);
        float[] yv = y.toFloatArray(), gv = g.toFloatArray();
        float[] want = new float[yv.length];
        for (int i = 0; i < yv.length; i++) want[i] = yv[i] <= 0 ? 0f : gv[i];
        assertArrayEquals(want, Pointwise.reluBackward(g, y).toFloatArray());
        Tensor gt = g.t().contiguous().t(); // same values, column-major: the planned (strided) path
        assertArrayEquals(want, Pointwise.reluBackward(gt, y).toFloatArray());
    }

    @Test
    void underCreateGraphTheGradientIsDifferentiableInG() {
        Tensor x = tensor(new float[] {-1f, 2f, 3f}).requiresGrad_(true);
        Tensor gOut = tensor(new float[] {5f, 6f, 7f}).requiresGrad_(true);
        Tensor gx = Autograd.grad(List.of(x.relu()), List.of(x), List.of(gOut), true, true).get(0);
        assertArrayEquals(new float[] {0f, 6f, 7f}, gx.toFloatArray());
        gx.sum().backward();
        assertArrayEquals(new float[] {0f, 1f, 1f}, gOut.grad().toFloatArray());
        assertNull(x.grad());
    }
}
