package dev.jtensor.amp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import org.junit.jupiter.api.Test;

/**
 * Mixed-precision training of the MLP 784-256-10 on the CPU ({@link AmpTraining}): under autocast the loss
 * of every step stays within {@link #BF16_TOL} (bfloat16) or {@link #FP16_TOL} (float16 with a GradScaler)
 * relative of float32 training from the same weights and data, and training works (the loss falls by half).
 */
class AmpTrainingTest {
    static final int STEPS = 12;
    /** Relative per-step loss tolerance for bfloat16 (8 significand bits); measured: at most 0.17% over the 12 steps. */
    static final double BF16_TOL = 0.01;
    /** float16 (11 bits) with a GradScaler; measured: at most 0.011%. */
    static final double FP16_TOL = 0.002;

    static void assertCloseLosses(double[] f32, double[] low, double tol, String what) {
        for (int i = 0; i < f32.length; i++) {
            double rel = Math.abs(low[i] - f32[i]) / Math.abs(f32[i]);
            assertTrue(rel <= tol, what + " step " + i + ": loss " + low[i] + " vs float32 " + f32[i] + " (relative " + rel + " > " + tol + ")");
        }
        assertTrue(low[low.length - 1] < 0.5 * low[0], what + ": the loss falls (" + low[0] + " -> " + low[low.length - 1] + ")");
    }

    @Test
    void bf16AndFp16TrainingFollowFloat32OnTheCpu() {
        double[] f32 = AmpTraining.losses(Device.cpu(), null, STEPS);
        assertCloseLosses(f32, AmpTraining.losses(Device.cpu(), DType.BFLOAT16, STEPS), BF16_TOL, "cpu bf16");
        assertCloseLosses(f32, AmpTraining.losses(Device.cpu(), DType.FLOAT16, STEPS), FP16_TOL, "cpu fp16 + GradScaler");
    }
}
