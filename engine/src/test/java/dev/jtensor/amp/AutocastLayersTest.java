package dev.jtensor.amp;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.nn.Conv2d;
import dev.jtensor.nn.F;
import org.junit.jupiter.api.Test;

/** The convolution and attention layers consult the autocast table (PyTorch: both in the low-precision list). */
class AutocastLayersTest {

    @Test
    void convolutionAndAttentionRunInTheScopesLowTypeAndGradientsComeBackInFloat32() {
        manualSeed(3);
        Conv2d conv = new Conv2d(3, 4, 3);
        Tensor x = randn(2, 3, 8, 8);
        Tensor q = randn(1, 2, 5, 8), k = randn(1, 2, 6, 8), v = randn(1, 2, 6, 8);
        Tensor plain = conv.forward(x);
        try (var ac = autocast(Device.CPU, DType.BFLOAT16)) {
            Tensor y = conv.forward(x);
            assertEquals(DType.BFLOAT16, y.dtype());
            assertTrue(y.to(DType.FLOAT32).allclose(plain, 5e-2, 5e-2), "bf16 conv close to float32");
            assertEquals(DType.BFLOAT16, F.scaledDotProductAttention(q, k, v, null, true).dtype());
            assertEquals(DType.FLOAT32, F.groupNorm(x, 1, null, null, 1e-5).dtype());
            y.to(DType.FLOAT32).sum().backward();
        }
        assertEquals(DType.FLOAT32, conv.weight().grad().dtype());
        assertEquals(DType.FLOAT32, F.scaledDotProductAttention(q, k, v, null, true).dtype());
    }
}
