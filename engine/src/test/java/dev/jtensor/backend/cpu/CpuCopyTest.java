package dev.jtensor.backend.cpu;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import org.junit.jupiter.api.Test;

/** The copy/cast kernel against per-element conversion: contiguous casts, strided and broadcast sources, large parallel copies. */
class CpuCopyTest {
    @Test
    void everyDtypePairCastsLikeTheElementwiseConversion() {
        double[] v = {-3.7, -1.5, -0.0, 0.4, 1.5, 2.5, 126.9, 65504.0};
        for (DType from : DType.values()) {
            Tensor src = tensor(v, DType.FLOAT64).to(from);
            for (DType to : DType.values()) {
                Tensor contiguous = src.to(to);
                Tensor strided = src.view(2, 4).t().contiguous().t().to(to);   // column-major source
                double[] expected = new double[v.length];
                double[] s = src.toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    expected[i] = tensor(new double[] {s[i]}, from).to(to).toDoubleArray()[0];
                }
                assertArrayEquals(expected, contiguous.toDoubleArray(), from + " -> " + to);
                assertArrayEquals(expected, strided.reshape(8).toDoubleArray(), from + " -> " + to + " strided");
            }
        }
    }

    @Test
    void largeStridedAndBroadcastCopies() {
        Tensor m = randn(700, 900);
        Tensor t = m.t().contiguous();          // 630k elements: parallel strided move
        float[] mv = m.toFloatArray(), tv = t.toFloatArray();
        for (int r = 0; r < 700; r += 37) {
            for (int c = 0; c < 900; c += 41) assertEquals(mv[r * 900 + c], tv[c * 700 + r]);
        }
        Tensor d = zeros(new long[] {700, 900}, DType.FLOAT64);
        d.copy_(m.select(0, 3));                // broadcast row, float32 -> float64
        assertEquals((double) mv[3 * 900 + 5], d.toDoubleArray()[600 * 900 + 5]);
        Tensor big = randn(1 << 20);
        assertArrayEquals(big.toFloatArray(), big.clone().toFloatArray());
    }
}
