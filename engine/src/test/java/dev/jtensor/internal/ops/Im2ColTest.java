package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.nn.F;
import dev.jtensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * {@link Jt#im2col}/{@link Jt#col2im} (the {@link Im2Col} op family): the backend kernels against the composite
 * of views (equal bits: copies, and the same adds in the same order), against {@code F.unfold}/{@code F.fold}
 * (explicit padding vs padding in the kernel), the adjoint identity, gradients by finite differences for every
 * subset, the composite path of other dtypes, and the argument checks.
 */
class Im2ColTest {
    /** {N, C, H, W, kH, kW, dH, dW, pH, pW, sH, sW}. */
    private static final int[][] CASES = {
        {2, 3, 7, 6, 3, 3, 1, 1, 1, 1, 1, 1}, {1, 2, 9, 11, 3, 2, 1, 2, 1, 2, 2, 3}, {3, 1, 5, 5, 2, 3, 2, 1, 0, 3, 3, 2},
        {1, 4, 4, 3, 1, 1, 1, 1, 0, 0, 1, 1}, {2, 2, 3, 4, 2, 2, 1, 1, 3, 3, 5, 7},
    };

    private static int[] k(int[] c) { return new int[] {c[4], c[5]}; }
    private static int[] d(int[] c) { return new int[] {c[6], c[7]}; }
    private static int[] p(int[] c) { return new int[] {c[8], c[9]}; }
    private static int[] s(int[] c) { return new int[] {c[10], c[11]}; }

    private static Tensor input(int[] c, DType t) { return Jt.randn(new long[] {c[0], c[1], c[2], c[3]}, t, Device.CPU); }

    private static WindowShape shape(int[] c, Tensor cols) {
        return new WindowShape((long) c[0] * c[1], c[2], c[3], c[4], c[5], c[10], c[11], c[8], c[9], c[6], c[7], cols.size(3), cols.size(4));
    }

    @Test
    void kernelsEqualTheCompositeBitForBit() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] c : CASES) {
                Tensor x = input(c, t), cols = Jt.im2col(x, k(c), d(c), p(c), s(c));
                WindowShape sh = shape(c, cols);
                assertTrue(cols.equal(Im2Col.im2colComposite(x, sh)), () -> "im2col " + t + " " + sh);
                Tensor g = Jt.randn(cols.shape().toArray(), t, Device.CPU);
                Tensor back = Jt.col2im(g, new long[] {c[2], c[3]}, k(c), d(c), p(c), s(c));
                assertTrue(back.equal(Im2Col.col2imComposite(g, sh)), () -> "col2im " + t + " " + sh);
            }
        }
    }

    @Test
    void agreesWithUnfoldAndFold() {
        for (int[] c : CASES) {
            Tensor x = input(c, DType.FLOAT64), cols = Jt.im2col(x, k(c), d(c), p(c), s(c));
            long taps = (long) c[4] * c[5], l = cols.size(3) * cols.size(4);
            Tensor unfolded = F.unfold(x, k(c), d(c), p(c), s(c));
            assertTrue(cols.reshape(c[0], c[1] * taps, l).equal(unfolded), () -> "unfold " + unfolded.shape());
            Tensor folded = F.fold(unfolded, new int[] {c[2], c[3]}, k(c), d(c), p(c), s(c));
            assertTrue(Jt.col2im(cols, new long[] {c[2], c[3]}, k(c), d(c), p(c), s(c)).allclose(folded, 1e-12, 1e-12), "fold");
        }
    }

    /** {@code <im2col(x), g> = <x, col2im(g)>} in float64. */
    @Test
    void col2imIsTheAdjointOfIm2col() {
        for (int[] c : CASES) {
            Tensor x = input(c, DType.FLOAT64), cols = Jt.im2col(x, k(c), d(c), p(c), s(c));
            Tensor g = Jt.randn(cols.shape().toArray(), DType.FLOAT64, Device.CPU);
            double lhs = cols.mul(g).sum().item(), rhs = x.mul(Jt.col2im(g, new long[] {c[2], c[3]}, k(c), d(c), p(c), s(c))).sum().item();
            assertEquals(lhs, rhs, 1e-10 * (1 + Math.abs(lhs)));
        }
    }

    @Test
    void gradientsByFiniteDifferences() {
        int[] c = CASES[1];
        Tensor x = Jt.randn(new long[] {1, 1, 5, 6}, DType.FLOAT64, Device.CPU);
        GradCheck.check(in -> Jt.im2col(in.get(0), k(c), d(c), p(c), s(c)), x);
        Tensor cols = Jt.im2col(x, k(c), d(c), p(c), s(c)).detach();
        GradCheck.check(in -> Jt.col2im(in.get(0), new long[] {5, 6}, k(c), d(c), p(c), s(c)), Jt.randn(cols.shape().toArray(), DType.FLOAT64, Device.CPU));
        // the round trip col2im(im2col(x) * sum(x)): both backward rules in one graph
        GradCheck.check(in -> Jt.col2im(Jt.im2col(in.get(0), k(c), d(c), p(c), s(c)).mul(in.get(0).sum()), new long[] {5, 6}, k(c), d(c), p(c), s(c)), x);
    }

    @Test
    void otherDtypesTakeTheComposite() {
        int[] c = CASES[2];
        Tensor x = Jt.arange(c[0] * c[1] * c[2] * c[3], DType.INT64).reshape(c[0], c[1], c[2], c[3]);
        Tensor want = Jt.im2col(x.to(DType.FLOAT64), k(c), d(c), p(c), s(c));
        Tensor got = Jt.im2col(x, k(c), d(c), p(c), s(c));
        assertEquals(DType.INT64, got.dtype());
        assertTrue(got.to(DType.FLOAT64).equal(want));
        Tensor back = Jt.col2im(got, new long[] {c[2], c[3]}, k(c), d(c), p(c), s(c));
        assertTrue(back.to(DType.FLOAT64).equal(Jt.col2im(want, new long[] {c[2], c[3]}, k(c), d(c), p(c), s(c))));
    }

    @Test
    void badArgumentsThrowNamingShapes() {
        Tensor x = Jt.randn(new long[] {1, 2, 4, 4}, DType.FLOAT32, Device.CPU);
        int[] one = {1, 1}, zero = {0, 0};
        var e3 = assertThrows(IllegalArgumentException.class, () -> Jt.im2col(x.squeeze(0), new int[] {2, 2}, one, zero, one));
        assertTrue(e3.getMessage().contains("[2, 4, 4]"), e3.getMessage());
        var grid = assertThrows(IllegalArgumentException.class, () -> Jt.im2col(x, new int[] {5, 2}, one, zero, one));
        assertTrue(grid.getMessage().contains("(0, 3)"), grid.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Jt.im2col(x, new int[] {2}, one, zero, one));
        assertThrows(IllegalArgumentException.class, () -> Jt.im2col(x, new int[] {2, 2}, one, new int[] {-1, 0}, one));
        Tensor cols = Jt.im2col(x, new int[] {2, 2}, one, zero, one);
        var taps = assertThrows(IllegalArgumentException.class, () -> Jt.col2im(cols, new long[] {4, 4}, new int[] {3, 2}, one, zero, one));
        assertTrue(taps.getMessage().contains(cols.shape().toString()), taps.getMessage());
        var fit = assertThrows(IllegalArgumentException.class, () -> Jt.col2im(cols, new long[] {3, 4}, new int[] {2, 2}, one, zero, one));
        assertTrue(fit.getMessage().contains("does not fit"), fit.getMessage());
        assertArrayEquals(new long[] {1, 2, 4, 3, 3}, cols.shape().toArray());
    }
}
