package dev.jtensor.backend.plan;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Layout is pure: no memory involved. */
class LayoutTest {
    static Layout c(long... shape) { return Layout.contiguous(shape); }

    @Test
    void contiguousStridesAndChecks() {
        assertArrayEquals(new long[] {12, 4, 1}, c(2, 3, 4).strides());
        assertTrue(c(2, 3, 4).isContiguous());
        assertFalse(c(2, 3).transpose(0, 1).isContiguous());
        assertTrue(c(2, 3).transpose(0, 1).isFortranContiguous());
        assertTrue(c().isContiguous());
        assertTrue(c(0, 5).isContiguous());
        assertTrue(c(3, 1).expand(new long[] {3, 1}).isContiguous());
    }

    @Test
    void sliceSelectNarrowPermute() {
        Layout s = c(4, 6).slice(1, 1, 6, 2);
        assertArrayEquals(new long[] {4, 3}, s.shape());
        assertArrayEquals(new long[] {6, 2}, s.strides());
        assertEquals(1, s.offset());
        Layout neg = c(10).slice(0, -3, Long.MAX_VALUE, 1);
        assertEquals(7, neg.offset());
        assertEquals(3, neg.numel());
        assertEquals(0, c(10).slice(0, 8, 2, 1).numel());
        Layout sel = c(4, 6).select(0, -1);
        assertEquals(18, sel.offset());
        assertArrayEquals(new long[] {6}, sel.shape());
        Layout p = c(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new long[] {4, 2, 3}, p.shape());
        assertArrayEquals(new long[] {1, 12, 4}, p.strides());
        assertThrows(IndexOutOfBoundsException.class, () -> c(4).narrow(0, 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> c(4).select(1, 0));
    }

    @Test
    void expandAndBroadcastStrides() {
        Layout e = c(3, 1).expand(new long[] {2, 3, 5});
        assertArrayEquals(new long[] {2, 3, 5}, e.shape());
        assertArrayEquals(new long[] {0, 1, 0}, e.strides());
        assertArrayEquals(new long[] {3, 1}, c(3, 1).expand(new long[] {-1, -1}).shape());
        var ex = assertThrows(IllegalArgumentException.class, () -> c(3, 2).expand(new long[] {3, 4}));
        assertTrue(ex.getMessage().contains("(4)") && ex.getMessage().contains("(2)"), ex.getMessage());
    }

    @Test
    void viewStridesFollowPyTorch() {
        assertArrayEquals(new long[] {4, 1}, c(2, 2, 2).viewStrides(new long[] {2, 4}));
        assertNull(c(2, 3).transpose(0, 1).viewStrides(new long[] {6}));
        // a transposed matrix can still be split along its non-merged dims
        assertArrayEquals(new long[] {1, 6, 3}, c(2, 3).transpose(0, 1).viewStrides(new long[] {3, 1, 2})); // torch: (1, 6, 3)
        assertArrayEquals(new long[] {0, 0}, c(1).expand(new long[] {4}).unsqueeze(0).viewStrides(new long[] {1, 4}));
        assertArrayEquals(new long[] {1}, c().viewStrides(new long[] {1}));
    }

    @Test
    void unsqueezeSqueezeIndexRange() {
        Layout u = c(2, 3).unsqueeze(2);
        assertArrayEquals(new long[] {2, 3, 1}, u.shape());
        assertArrayEquals(new long[] {2, 3}, u.squeeze().shape());
        assertArrayEquals(new long[] {2, 3, 1}, u.squeeze(0).shape());
        Layout t = c(2, 3).transpose(0, 1);
        assertEquals(0, t.minIndex());
        assertEquals(5, t.maxIndex());
        assertEquals(1, Layout.wrapDim(-2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Layout.wrapDim(3, 3));
    }
}
