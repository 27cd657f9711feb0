package dev.jtensor.backend.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ReducePlan is a pure value: these tests involve no memory. */
class ReducePlanTest {
    private static ReducePlan plan(Layout l, int... dims) { return ReducePlan.of(l, ReducePlan.flags(dims, l.rank(), "test")); }

    @Test
    void fullReductionOfAContiguousTensorIsOneRun() {
        ReducePlan p = plan(Layout.contiguous(new long[] {2, 3, 4}));
        assertEquals(1, p.outputCount);
        assertEquals(24, p.innerCount);
        assertTrue(p.innerContiguous());
        assertArrayEquals(new long[] {1, 1, 1}, p.keptShape);
    }

    @Test
    void lastDimReductionIsContiguousRowsAndFirstDimIsVertical() {
        Layout l = Layout.contiguous(new long[] {4096, 4096});
        ReducePlan rows = plan(l, 1), cols = plan(l, 0);
        assertTrue(rows.innerContiguous());
        assertEquals(4096 * 5, rows.base(5));
        assertFalse(cols.innerContiguous());
        assertTrue(cols.outerContiguous());
        assertArrayEquals(new long[] {4096}, cols.innerStrides);
    }

    @Test
    void adjacentReducedDimsCoalesce() {
        ReducePlan p = plan(Layout.contiguous(new long[] {2, 3, 4, 5}), 2, 3);
        assertArrayEquals(new long[] {20}, p.innerShape);
        assertArrayEquals(new long[] {1}, p.innerStrides);
        assertArrayEquals(new long[] {6}, p.outerShape);
        assertArrayEquals(new long[] {20}, p.outerStrides);
    }

    @Test
    void transposedAndExpandedLayouts() {
        Layout t = Layout.contiguous(new long[] {3, 4}).transpose(0, 1); // shape [4, 3], strides [1, 4]
        ReducePlan p = plan(t, 1);
        assertArrayEquals(new long[] {4}, p.innerStrides);
        assertEquals(2, p.base(2));
        Layout e = Layout.contiguous(new long[] {1, 5}).expand(new long[] {7, 5});
        ReducePlan q = plan(e, 0);
        assertArrayEquals(new long[] {0}, q.innerStrides);
        assertEquals(7, q.innerCount);
    }

    @Test
    void emptyAndZeroDim() {
        ReducePlan empty = plan(Layout.contiguous(new long[] {0, 3}), 0);
        assertEquals(3, empty.outputCount);
        assertEquals(0, empty.innerCount);
        ReducePlan scalar = plan(Layout.contiguous(new long[0]));
        assertEquals(1, scalar.outputCount);
        assertEquals(1, scalar.innerCount);
    }

    @Test
    void dimsAreCheckedAndWrapped() {
        assertArrayEquals(new boolean[] {false, true}, ReducePlan.flags(new int[] {-1}, 2, "sum"));
        assertThrows(IndexOutOfBoundsException.class, () -> ReducePlan.flags(new int[] {2}, 2, "sum"));
        assertThrows(IllegalArgumentException.class, () -> ReducePlan.flags(new int[] {0, -2}, 2, "sum"));
    }
}
