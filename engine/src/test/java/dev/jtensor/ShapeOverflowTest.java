package dev.jtensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.backend.plan.Layout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Issue 24 item 4: no shape product wraps; every path refuses with PyTorch's kind of message. */
class ShapeOverflowTest {
    private static final long BIG = 1L << 62;

    private static void overflows(Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains("overflow"), x.getMessage());
    }

    @Test
    void expandPastALongThrowsInsteadOfReportingNumelZero() {
        try (Tensor one = Jt.ones(1, 1)) {
            overflows(() -> one.expand(BIG, BIG));
            overflows(() -> one.expand(3, BIG, BIG));
            overflows(() -> one.expand(BIG, 4)); // 2^64 elements
            Tensor fits = one.expand(BIG, 1); // 2^62 elements of one value: a legal view
            assertEquals(BIG, fits.numel());
            assertArrayEquals(new long[] {0, 1}, fits.stride());
            assertEquals(1.0, fits.get(BIG - 1, 0).item());
        }
    }

    @Test
    void creationRefusesOverflowingShapesWhateverTheOrderOfAZeroSize() {
        overflows(() -> Jt.zeros(BIG, BIG));
        overflows(() -> Jt.ones(0, BIG, BIG));
        overflows(() -> Jt.empty(BIG, BIG, 0));
        overflows(() -> Shape.of(1, 0, Long.MAX_VALUE, 2));
        overflows(() -> Jt.zeros(new long[] {BIG, 2}, DType.FLOAT32)); // 2^63 elements
        overflows(() -> Jt.zeros(new long[] {BIG}, DType.FLOAT64)); // fits as elements, not as bytes
        assertEquals(0, Shape.of(0, Long.MAX_VALUE).numel()); // NumPy and PyTorch accept this one
        assertEquals(0, Jt.empty(0, BIG).numel());
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> Jt.zeros(2, -1));
        assertTrue(neg.getMessage().contains("negative size -1"), neg.getMessage());
    }

    @Test
    void viewReshapeAndFlattenOfEmptyTensorsCannotSmuggleOverflowingSizes() {
        try (Tensor empty = Jt.zeros(0)) {
            overflows(() -> empty.view(0, BIG, BIG));
            overflows(() -> empty.view(BIG, BIG, 0));
            overflows(() -> empty.reshape(BIG, 0, BIG));
            assertArrayEquals(new long[] {0, BIG}, empty.reshape(-1, BIG).shape().toArray());
            Tensor wide = empty.view(0, BIG);
            overflows(() -> wide.unsqueeze(0).expand(4, 0, BIG));
        }
    }

    @Test
    void broadcastingMatmulCatAndSplitRefuseOverflowingResults() {
        try (Tensor a = Jt.ones(1, 1); Tensor b = Jt.ones(1)) {
            Tensor col = a.expand(1L << 40, 1), row = a.expand(1, 1L << 40);
            overflows(() -> col.add(row)); // broadcast result 2^80 elements
            overflows(() -> col.matmul(row));
            Tensor half = b.expand(Long.MAX_VALUE / 2 + 1);
            overflows(() -> Jt.cat(List.of(half, half), 0));
            Tensor ten = Jt.arange(10);
            overflows(() -> ten.split(new long[] {Long.MAX_VALUE, Long.MAX_VALUE, 12}, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> ten.narrow(0, Long.MAX_VALUE, Long.MAX_VALUE));
        }
    }

    @Test
    void layoutExtentsAreExact() {
        Layout l = new Layout(new long[] {3, 2}, new long[] {Long.MAX_VALUE / 2 + 1, 1}, 0);
        overflows(l::maxIndex);
        Layout neg = new Layout(new long[] {3}, new long[] {Long.MIN_VALUE / 2 - 1}, 0);
        overflows(neg::minIndex);
        Layout sliced = Layout.contiguous(new long[] {10, 3}).slice(0, 0, 10, Long.MAX_VALUE);
        assertArrayEquals(new long[] {1, 3}, sliced.shape());
        assertArrayEquals(new long[] {3, 1}, sliced.strides()); // a length-1 slice keeps its stride, never step * stride
    }
}
