package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shape and index errors, out-forms and in-place forms of joining and indexing (values: ReduceGoldenTest). */
class JoinIndexingTest {
    private static <T extends Throwable> String message(Class<T> type, org.junit.jupiter.api.function.Executable e) {
        return assertThrows(type, e).getMessage();
    }

    @Test
    void catShapeErrorsNameTheTensor() {
        Tensor a = Jt.zeros(2, 3), b = Jt.zeros(2, 4);
        String m = message(IllegalArgumentException.class, () -> Jt.cat(List.of(a, b), 0));
        assertTrue(m.contains("Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor "
                + "number 1 in the list"), m);
        assertTrue(m.contains("[2, 3] and [2, 4]"), m);
        assertEquals(7, Jt.cat(List.of(a, b), 1).size(1));
        m = message(IllegalArgumentException.class, () -> Jt.cat(List.of(a, Jt.zeros(6)), 0));
        assertTrue(m.contains("same number of dimensions"), m);
        m = message(IllegalArgumentException.class, () -> Jt.cat(List.of(), 0));
        assertTrue(m.contains("non-empty"), m);
        m = message(IllegalArgumentException.class, () -> Jt.stack(List.of(a, b), 0));
        assertTrue(m.contains("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1"), m);
    }

    @Test
    void catOutForm() {
        Tensor out = Jt.zeros(4, 3);
        assertSame(out, Jt.cat(List.of(Jt.ones(1, 3), Jt.full(new long[] {3, 3}, 2)), 0, out));
        assertEquals(1 * 3 + 2 * 9, out.sum().item());
        String m = message(IllegalArgumentException.class, () -> Jt.cat(List.of(Jt.ones(1, 3)), 0, out));
        assertTrue(m.contains("out has shape [4, 3] but the result has shape [1, 3]"), m);
        m = message(IllegalArgumentException.class, () -> Jt.cat(List.of(Jt.ones(4, 3)), 0, Jt.zeros(new long[] {4, 3}, DType.INT64)));
        assertTrue(m.contains("dtype"), m);
    }

    @Test
    void indicesAreCheckedBeforeMemoryIsTouched() {
        Tensor x = Jt.zeros(3, 4);
        String m = message(IndexOutOfBoundsException.class, () -> x.gather(1, Jt.tensor(new long[][] {{0, 4}})));
        assertEquals("index 4 is out of bounds for dimension 1 with size 4", m);
        m = message(IndexOutOfBoundsException.class, () -> x.gather(0, Jt.tensor(new long[][] {{-1}})));
        assertEquals("index -1 is out of bounds for dimension 0 with size 3", m);
        m = message(IndexOutOfBoundsException.class, () -> x.scatter(0, Jt.tensor(new long[][] {{1_000_000_000_000L}}), 1.0));
        assertTrue(m.contains("index 1000000000000 is out of bounds for dimension 0 with size 3"), m);
        m = message(IndexOutOfBoundsException.class, () -> x.indexSelect(1, Jt.tensor(new long[] {Long.MIN_VALUE})));
        assertTrue(m.contains("for dimension 1 with size 4"), m);
        m = message(IndexOutOfBoundsException.class, () -> x.index(Jt.tensor(new long[] {3})));
        assertEquals("index 3 is out of bounds for dimension 0 with size 3", m);
        m = message(IndexOutOfBoundsException.class, () -> x.index(Jt.tensor(new long[] {-4})));
        assertTrue(m.contains("index -4"), m);
        m = message(IndexOutOfBoundsException.class, () -> x.indexPut_(Jt.tensor(new long[] {5}), 1.0));
        assertTrue(m.contains("index 5"), m);
        assertEquals(0.0, x.sum().item(), "nothing was written");
        m = message(IllegalArgumentException.class, () -> x.gather(0, Jt.tensor(new int[][] {{0}}, DType.INT32)));
        assertTrue(m.contains("Expected dtype int64 for index"), m);
        m = message(IllegalArgumentException.class, () -> x.gather(0, Jt.tensor(new long[] {0})));
        assertTrue(m.contains("same number of dimensions"), m);
        m = message(IndexOutOfBoundsException.class, () -> x.index(Jt.tensor(new boolean[] {true, false})));
        assertTrue(m.contains("The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0"), m);
    }

    @Test
    void inPlaceForms() {
        Tensor x = Jt.zeros(2, 3);
        Tensor mask = Jt.tensor(new boolean[] {true, false, true});
        assertSame(x, x.maskedFill_(mask, 5));
        assertArrayEquals(new double[] {5, 0, 5, 5, 0, 5}, x.toDoubleArray());
        x.indexPut_(Jt.tensor(new long[] {-1}), Jt.tensor(new double[] {1, 2, 3}, DType.FLOAT32));
        assertArrayEquals(new double[] {5, 0, 5, 1, 2, 3}, x.toDoubleArray());
        x.indexPut_(Jt.tensor(new long[] {0, 0}), Jt.ones(2, 3), true);
        assertArrayEquals(new double[] {7, 2, 7, 1, 2, 3}, x.toDoubleArray());
        Tensor view = x.t();
        view.maskedFill_(Jt.tensor(new boolean[] {false, true}), -1);
        assertArrayEquals(new double[] {7, 2, 7, -1, -1, -1}, x.toDoubleArray(), "writes go through views");
        Tensor leaf = Jt.zeros(2).requiresGrad_(true);
        String m = message(IllegalStateException.class, () -> leaf.maskedFill_(Jt.tensor(new boolean[] {true, true}), 1));
        assertTrue(m.contains("leaf Variable that requires grad"), m);
    }

    @Test
    void readOnlyTensorsRejectWrites() {
        var buf = java.nio.ByteBuffer.allocateDirect(8).asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Tensor ro = Tensor.fromBuffer(buf, DType.FLOAT32, 2);
        assertThrows(IllegalStateException.class, () -> ro.maskedFill_(Jt.tensor(new boolean[] {true, true}), 1));
        assertEquals(0.0, ro.maskedFill(Jt.tensor(new boolean[] {true, false}), 1).get(1).item());
    }
}
