package dev.jtensor;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PyTorch's out= rule: an empty out is resized to the result; one holding elements must match. */
class OutResizeTest {
    @Test
    void emptyOutIsResizedLikePyTorch() {
        Tensor out = empty(0);
        add(tensor(new double[] {1, 2}), tensor(new double[] {3, 4}), out);
        assertEquals(Shape.of(2), out.shape());
        assertArrayEquals(new double[] {4, 6}, out.toDoubleArray());
        Tensor mm = empty(0);
        matmul(ones(2, 3), ones(3, 4), mm);
        assertEquals(Shape.of(2, 4), mm.shape());
        assertEquals(3.0, mm.get(1, 3).item());
        Tensor c = empty(0);
        cat(List.of(ones(2), zeros(1)), 0, c);
        assertArrayEquals(new double[] {1, 1, 0}, c.toDoubleArray());
    }

    @Test
    void outWithElementsOfAnotherShapeIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> add(ones(2), ones(2), zeros(3)));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> matmul(ones(2, 3), ones(3, 4), zeros(4, 2)));
    }

    @Test
    void anEmptyViewIsNotResized() {
        Tensor base = ones(4);
        Tensor emptyView = base.slice(0, 2, 2);
        assertThrows(IllegalStateException.class, () -> add(ones(2), ones(2), emptyView));
    }
}
