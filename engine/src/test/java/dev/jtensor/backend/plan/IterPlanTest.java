package dev.jtensor.backend.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.internal.layout.Promotion;
import org.junit.jupiter.api.Test;

/** IterPlan and Promotion are pure functions of layouts and dtypes: no memory involved. */
class IterPlanTest {
    @Test
    void contiguousOperandsMergeIntoOneFlatRun() {
        long[] s = {4, 5, 6};
        IterPlan p = IterPlan.of(s, Layout.contiguous(s), Layout.contiguous(s), Layout.contiguous(s));
        assertArrayEquals(new long[] {120}, p.shape());
        assertTrue(p.isContiguous());
    }

    @Test
    void rowBroadcastBecomesContiguousRowsWithAStrideZeroOuterDim() {
        long[] s = {1000, 1000};
        IterPlan p = IterPlan.of(s, Layout.contiguous(s), Layout.contiguous(s), Layout.contiguous(new long[] {1000}).expand(s));
        assertArrayEquals(new long[] {1000, 1000}, p.shape());
        assertArrayEquals(new long[] {0, 1}, p.strides(2));
    }

    @Test
    void transposedOutputIsWalkedInMemoryOrderAndSizeOneDimsDrop() {
        Layout t = Layout.contiguous(new long[] {3, 4}).transpose(0, 1);   // shape [4, 3], strides [1, 4]
        IterPlan p = IterPlan.of(new long[] {4, 3}, t, t);
        assertArrayEquals(new long[] {12}, p.shape());                      // sorted, then merged
        IterPlan q = IterPlan.of(new long[] {1, 5, 1}, Layout.contiguous(new long[] {1, 5, 1}));
        assertArrayEquals(new long[] {5}, q.shape());
        IterPlan zeroD = IterPlan.of(new long[0], Layout.contiguous(new long[0]));
        assertEquals(1, zeroD.numel());
        assertEquals(0, IterPlan.of(new long[] {0, 3}, Layout.contiguous(new long[] {0, 3})).numel());
    }

    @Test
    void anOutputWithStrideZeroIsRejected() {
        Layout e = Layout.contiguous(new long[] {1, 3}).expand(new long[] {4, 3});
        assertThrows(IllegalArgumentException.class, () -> IterPlan.of(new long[] {4, 3}, e));
    }

    @Test
    void promotionFollowsTorchResultType() {
        assertEquals(DType.INT16, Promotion.promote(DType.UINT8, DType.INT8));
        assertEquals(DType.FLOAT32, Promotion.promote(DType.FLOAT16, DType.BFLOAT16));
        assertEquals(DType.FLOAT32, Promotion.promote(DType.INT64, DType.FLOAT32));
        assertEquals(DType.INT64, Promotion.promote(DType.BOOL, DType.INT64));
        var dim = Promotion.Rank.DIMENSIONED;
        assertEquals(DType.INT8, Promotion.resultType(DType.INT8, dim, DType.INT64, Promotion.Rank.ZERO_DIM));
        assertEquals(DType.FLOAT16, Promotion.resultType(DType.FLOAT16, dim, DType.FLOAT32, Promotion.Rank.SCALAR));
        assertEquals(DType.BOOL, Promotion.resultType(DType.BOOL, dim, DType.BOOL, Promotion.Rank.SCALAR));
        assertEquals(DType.FLOAT64, Promotion.resultType(DType.UINT8, dim, DType.FLOAT64, Promotion.Rank.ZERO_DIM));
        assertTrue(Promotion.canCast(DType.INT64, DType.FLOAT16));
        assertTrue(!Promotion.canCast(DType.FLOAT32, DType.INT64) && !Promotion.canCast(DType.INT8, DType.BOOL));
    }
}
