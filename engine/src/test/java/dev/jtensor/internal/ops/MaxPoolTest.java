package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * {@link Jt#maxPool2dWithIndices} (the {@link MaxPool} op family): the backend kernels against the composite (equal
 * values and indices on tie-free inputs, floor and ceil mode, padding, dilation), a hand-checked case, gradients by
 * finite differences (kernel backward) and through the composite's double-backward path, and argument checks.
 */
class MaxPoolTest {
    /** {N, C, H, W, kH, kW, sH, sW, pH, pW, dH, dW}. */
    private static final int[][] CASES = {
        {2, 3, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1}, {1, 2, 9, 11, 3, 2, 2, 3, 1, 1, 1, 2}, {3, 1, 5, 5, 2, 3, 3, 2, 0, 1, 2, 1},
        {1, 4, 8, 8, 2, 2, 2, 2, 0, 0, 1, 1}, {2, 2, 10, 7, 5, 4, 3, 1, 2, 2, 1, 1},
    };

    private static int[] k(int[] c) { return new int[] {c[4], c[5]}; }
    private static int[] s(int[] c) { return new int[] {c[6], c[7]}; }
    private static int[] p(int[] c) { return new int[] {c[8], c[9]}; }
    private static int[] d(int[] c) { return new int[] {c[10], c[11]}; }

    @Test
    void kernelEqualsTheComposite() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean ceil : new boolean[] {false, true}) {
                for (int[] c : CASES) {
                    Tensor x = Jt.randn(new long[] {c[0], c[1], c[2], c[3]}, t, Device.CPU);
                    ValuesIndices got = Jt.maxPool2dWithIndices(x, k(c), s(c), p(c), d(c), ceil);
                    var sh = new WindowShape((long) c[0] * c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11],
                            got.values().size(2), got.values().size(3));
                    ValuesIndices want = MaxPool.composite(x, sh);
                    String what = t + " ceil=" + ceil + " " + sh;
                    assertTrue(got.indices().equal(want.indices()), what);
                    assertTrue(got.values().equal(want.values()), what);
                    assertEquals(MaxPool.outSize(c[2], c[4], c[6], c[8], c[10], ceil), got.values().size(2), what);
                }
            }
        }
    }

    /** A 1 x 1 x 3 x 4 plane, 2 x 2 windows, stride 2, padding 1, ceil mode: each maximum and its flat index by hand. */
    @Test
    void handCheckedWindows() {
        Tensor x = Jt.tensor(new double[] {1, 9, 2, 3, 4, 5, 8, 7, 6, 0, 10, 11}, DType.FLOAT64).view(1, 1, 3, 4);
        ValuesIndices m = Jt.maxPool2dWithIndices(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true);
        // window rows {-1, 0}, {1, 2}; columns {-1, 0}, {1, 2}, {3, 4}
        assertTrue(m.values().equal(Jt.tensor(new double[] {1, 9, 3, 6, 10, 11}, DType.FLOAT64).view(1, 1, 2, 3)), m.values().toString());
        assertTrue(m.indices().equal(Jt.tensor(new long[] {0, 1, 3, 8, 10, 11}).view(1, 1, 2, 3)), m.indices().toString());
    }

    @Test
    void gradientsByFiniteDifferences() {
        int[] c = CASES[1];
        Tensor x = Jt.randn(new long[] {1, 2, 6, 7}, DType.FLOAT64, Device.CPU);
        GradCheck.check(in -> Jt.maxPool2dWithIndices(in.get(0), k(c), s(c), p(c), d(c), true).values(), x);
        // overlapping windows: several outputs add into one input position
        GradCheck.check(in -> Jt.maxPool2dWithIndices(in.get(0), new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false)
                .values().mul(in.get(0).sum()), x);
    }

    @Test
    void badArgumentsThrow() {
        Tensor x = Jt.randn(new long[] {1, 1, 4, 4}, DType.FLOAT32, Device.CPU);
        int[] one = {1, 1};
        var pad = assertThrows(IllegalArgumentException.class, () -> Jt.maxPool2dWithIndices(x, new int[] {2, 2}, one, new int[] {2, 0}, one, false));
        assertTrue(pad.getMessage().contains("pad should be at most half"), pad.getMessage());
        var small = assertThrows(IllegalArgumentException.class, () -> Jt.maxPool2dWithIndices(x, new int[] {5, 2}, one, new int[] {0, 0}, one, false));
        assertTrue(small.getMessage().contains("[1, 1, 4, 4]"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Jt.maxPool2dWithIndices(x.view(4, 4), new int[] {2, 2}, one, new int[] {0, 0}, one, false));
    }
}
