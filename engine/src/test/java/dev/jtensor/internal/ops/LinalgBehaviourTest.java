package dev.jtensor.internal.ops;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.Blas;
import dev.jtensor.backend.cpu.Blas.Transpose;
import dev.jtensor.internal.Tensors;
import dev.jtensor.testing.LinalgGradCheck;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Linalg beyond the golden values: no hidden copies, out= forms, errors, gradient checks, the BLAS path vs a loop. */
class LinalgBehaviourTest {

    static Tensor random(long seed, DType d, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(9) - 4 + (d.isFloatingPoint() ? r.nextDouble() : 0);
        return tensor(v, DType.FLOAT64).to(d).reshape(shape).detach();
    }

    /** {@code a @ b} by a Java triple loop in double over any layouts (2-D). */
    static double[] loop(Tensor a, Tensor b) {
        long m = a.size(0), k = a.size(1), n = b.size(1);
        double[] x = a.toDoubleArray(), y = b.toDoubleArray(), out = new double[(int) (m * n)];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) s += x[(int) (i * k + p)] * y[(int) (p * n + j)];
            out[(int) (i * n + j)] = s;
        }
        return out;
    }

    static void assertNear(double[] want, double[] have, double rel) {
        assertEquals(want.length, have.length);
        double scale = 1;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.length; i++) assertEquals(want[i], have[i], rel * scale, "element " + i);
    }

    // ---------------- no hidden copies ----------------

    @Test
    void transposedAndRowStridedOperandsReachBlasWithoutACopy() {
        Tensor a = random(1, DType.FLOAT32, 96, 64), b = random(2, DType.FLOAT32, 80, 96), wide = random(3, DType.FLOAT32, 200, 96);
        long before = MatmulForward.operandCopies();
        Tensor r1 = a.t().matmul(b.t());                  // both transposed: [64, 96] @ [96, 80]
        Tensor r2 = wide.slice(0, 0, 200, 2).mm(a);        // rows with step 2: row stride 192 >= 96
        Tensor r3 = b.slice(1, 10, 74).mm(a.t());         // a column window: row stride 96 >= 64
        Tensor r4 = a.t().expand(3, 64, 96).matmul(b.t()); // expanded batch: stride 0 in a batch dim
        assertEquals(before, MatmulForward.operandCopies(), "no operand was copied");
        assertNear(loop(a.t().contiguous(), b.t().contiguous()), r1.toDoubleArray(), 1e-5);
        assertNear(loop(wide.slice(0, 0, 200, 2).contiguous(), a), r2.toDoubleArray(), 1e-5);
        assertNear(loop(b.slice(1, 10, 74).contiguous(), a.t().contiguous()), r3.toDoubleArray(), 1e-5);
        assertNear(r1.toDoubleArray(), r4.get(2).toDoubleArray(), 0);
    }

    @Test
    void columnStepAndExpandedMatrixDimsAreCopiedOnceThenMultiplied() {
        Tensor a = random(4, DType.FLOAT64, 8, 12), b = random(5, DType.FLOAT64, 6, 5);
        long before = MatmulForward.operandCopies();
        Tensor r = a.slice(1, 0, 12, 2).mm(b);                        // column stride 2: BLAS cannot read it
        Tensor row = random(6, DType.FLOAT64, 1, 6);
        Tensor e = row.expand(4, 6).mm(b);                             // row stride 0
        assertEquals(before + 2, MatmulForward.operandCopies());
        assertNear(loop(a.slice(1, 0, 12, 2).contiguous(), b), r.toDoubleArray(), 1e-12);
        assertNear(loop(row.expand(4, 6).contiguous(), b), e.toDoubleArray(), 1e-12);
    }

    // ---------------- out= ----------------

    @Test
    void outFormsWriteIntoTheGivenTensorAndReturnIt() {
        Tensor a = random(7, DType.FLOAT32, 5, 4), b = random(8, DType.FLOAT32, 4, 3);
        Tensor out = zeros(5, 3);
        assertSame(out, mm(a, b, out));
        assertNear(loop(a, b), out.toDoubleArray(), 1e-6);
        Tensor outT = zeros(3, 5).t();                    // a transposed out: computed, then copied in
        assertSame(outT, matmul(a, b, outT));
        assertNear(loop(a, b), outT.toDoubleArray(), 1e-6);
        Tensor sq = random(9, DType.FLOAT32, 4, 4), expected = sq.mm(sq);
        mm(sq, sq.clone(), sq);                           // out aliases an input
        assertNear(expected.toDoubleArray(), sq.toDoubleArray(), 0);
        Tensor batched = zeros(2, 5, 3);
        matmul(a.expand(2, 5, 4), b, batched);
        assertNear(loop(a, b), batched.get(1).toDoubleArray(), 1e-6);
    }

    @Test
    void outOfTheWrongShapeOrDtypeOrRequiringGradIsRejected() {
        Tensor a = random(7, DType.FLOAT32, 5, 4), b = random(8, DType.FLOAT32, 4, 3);
        var shape = assertThrows(IllegalArgumentException.class, () -> mm(a, b, zeros(3, 5)));
        assertTrue(shape.getMessage().contains("[3, 5]") && shape.getMessage().contains("[5, 3]"), shape.getMessage());
        var dtype = assertThrows(IllegalArgumentException.class, () -> mm(a, b, zeros(new long[] {5, 3}, DType.FLOAT64)));
        assertTrue(dtype.getMessage().contains("torch.float64"), dtype.getMessage());
        Tensor w = random(9, DType.FLOAT32, 4, 3).requiresGrad_();
        assertThrows(IllegalStateException.class, () -> matmul(a, w, zeros(5, 3)));
        ByteBuffer ro = ByteBuffer.allocateDirect(60).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        var readOnly = assertThrows(IllegalStateException.class, () -> mm(a, b, Tensor.fromBuffer(ro, DType.FLOAT32, 5, 3)));
        assertTrue(readOnly.getMessage().contains("read-only"), readOnly.getMessage());
    }

    // ---------------- errors ----------------

    @Test
    void shapeErrorsNameTheShapesAsPyTorch() {
        Tensor a = zeros(2, 3), b = zeros(4, 5);
        assertEquals("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)",
                assertThrows(IllegalArgumentException.class, () -> a.mm(b)).getMessage());
        assertEquals("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)",
                assertThrows(IllegalArgumentException.class, () -> a.matmul(b)).getMessage());
        assertEquals("mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)",
                assertThrows(IllegalArgumentException.class, () -> zeros(3).matmul(b)).getMessage());
        assertEquals("both arguments to matmul need to be at least 1D, but they are 0D and 1D",
                assertThrows(IllegalArgumentException.class, () -> tensor(1.0).matmul(zeros(4))).getMessage());
        var batch = assertThrows(IllegalArgumentException.class, () -> zeros(5, 2, 3).matmul(zeros(4, 3, 4)));
        assertTrue(batch.getMessage().contains("[5]") && batch.getMessage().contains("[4]"), batch.getMessage());
        var mv = assertThrows(IllegalArgumentException.class, () -> a.mv(zeros(4)));
        assertTrue(mv.getMessage().contains("2x3") && mv.getMessage().contains("(4)"), mv.getMessage());
        assertThrows(IllegalArgumentException.class, () -> zeros(3).dot(zeros(4)));
        assertThrows(IllegalArgumentException.class, () -> zeros(3, 1).dot(zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> zeros(2, 3, 1).mm(zeros(3, 2)));
        var bmm = assertThrows(IllegalArgumentException.class, () -> zeros(2, 2, 3).bmm(zeros(3, 3, 3)));
        assertTrue(bmm.getMessage().contains("[2, 3] but got: [3, 3]"), bmm.getMessage());
        assertThrows(IllegalArgumentException.class, () -> zeros(2, 3).bmm(zeros(2, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> zeros(2, 1).outer(zeros(3)));
        var bias = assertThrows(IllegalArgumentException.class, () -> addmm(zeros(4), zeros(2, 4), zeros(4, 3)));
        assertTrue(bias.getMessage().contains("[2, 3]"), bias.getMessage());
    }

    @Test
    void boolAndMixedDtypesAreRejectedAsPyTorch() {
        Tensor t = ones(new long[] {2, 2}, DType.BOOL);
        var e = assertThrows(UnsupportedOperationException.class, () -> t.mm(t));
        assertTrue(e.getMessage().contains("not implemented for 'Bool'"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> t.matmul(t));
        assertThrows(UnsupportedOperationException.class, () -> t.get(0).dot(t.get(1)));
        var mixed = assertThrows(IllegalArgumentException.class, () -> zeros(2, 3).mm(zeros(new long[] {3, 2}, DType.FLOAT64)));
        assertTrue(mixed.getMessage().contains("torch.float32") && mixed.getMessage().contains("torch.float64"), mixed.getMessage());
    }

    // ---------------- integers ----------------

    @Test
    void integerMatmulIsExactAndWrapsAsInt64() {
        long big = 3_000_000_000L;
        Tensor a = tensor(new long[][] {{big, 1}, {2, -big}}), b = tensor(new long[][] {{big}, {5}});
        assertArrayEquals(new long[] {big * big + 5, 2 * big - 5 * big}, a.mm(b).toLongArray());
        Tensor i32 = tensor(new long[][] {{65536, 0}}, DType.INT32);
        assertArrayEquals(new long[] {0}, i32.mm(i32.t()).toLongArray(), "int32 wraps as PyTorch: 2^32 -> 0");
    }

    // ---------------- gradients (finite differences, float64) ----------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({"dot", "mv", "mm", "mmTransposed", "bmm", "outer", "addmm", "baddbmm", "matmulBroadcast",
            "matmulVecBatch", "matmulBatchVec", "matmulFold"})
    void backwardMatchesFiniteDifferences(String op) {
        switch (op) {
            case "dot" -> LinalgGradCheck.check(x -> x.get(0).dot(x.get(1)), new long[] {5}, new long[] {5});
            case "mv" -> LinalgGradCheck.check(x -> x.get(0).mv(x.get(1)), new long[] {3, 4}, new long[] {4});
            case "mm" -> LinalgGradCheck.check(x -> x.get(0).mm(x.get(1)), new long[] {3, 4}, new long[] {4, 2});
            case "mmTransposed" -> LinalgGradCheck.check(x -> x.get(0).t().mm(x.get(1).t()), new long[] {4, 3}, new long[] {2, 4});
            case "bmm" -> LinalgGradCheck.check(x -> x.get(0).bmm(x.get(1)), new long[] {2, 3, 4}, new long[] {2, 4, 2});
            case "outer" -> LinalgGradCheck.check(x -> x.get(0).outer(x.get(1)), new long[] {3}, new long[] {4});
            case "addmm" -> LinalgGradCheck.check(x -> addmm(x.get(0), x.get(1), x.get(2), 0.5, 2),
                    new long[] {3}, new long[] {2, 4}, new long[] {4, 3});
            case "baddbmm" -> LinalgGradCheck.check(x -> baddbmm(x.get(0), x.get(1), x.get(2), 2, 0.5),
                    new long[] {1, 2, 3}, new long[] {2, 2, 4}, new long[] {2, 4, 3});
            case "matmulBroadcast" -> LinalgGradCheck.check(x -> x.get(0).matmul(x.get(1)), new long[] {2, 1, 3, 4}, new long[] {3, 4, 2});
            case "matmulVecBatch" -> LinalgGradCheck.check(x -> x.get(0).matmul(x.get(1)), new long[] {4}, new long[] {3, 4, 2});
            case "matmulBatchVec" -> LinalgGradCheck.check(x -> x.get(0).matmul(x.get(1)), new long[] {3, 2, 4}, new long[] {4});
            case "matmulFold" -> LinalgGradCheck.check(x -> x.get(0).matmul(x.get(1)), new long[] {3, 2, 4}, new long[] {4, 5});
            default -> throw new IllegalArgumentException(op);
        }
    }

    @Test
    void mmBackwardIsDifferentiableAgain() {
        Tensor a = random(11, DType.FLOAT64, 3, 3).requiresGrad_(), b = random(12, DType.FLOAT64, 3, 3).requiresGrad_();
        Tensor out = a.mm(b);
        out.backward(ones(new long[] {3, 3}, DType.FLOAT64), true, true);
        Tensor ga = a.grad(); // = ones @ b^T, a function of b
        assertTrue(ga.requiresGrad(), "createGraph keeps the gradient on the tape");
        assertEquals("MmBackward0", ga.gradFn().name());
    }

    // ---------------- BLAS itself, heap memory ----------------

    @Test
    void blasSgemmOnSegmentsMatchesATripleLoop() {
        int m = 37, n = 29, k = 41;
        Random r = new Random(3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(4L * k * m), b = arena.allocate(4L * k * n), c = arena.allocate(4L * m * n);
            float[] x = new float[k * m], y = new float[k * n];
            for (int i = 0; i < x.length; i++) a.setAtIndex(ValueLayout.JAVA_FLOAT, i, x[i] = r.nextFloat() - 0.5f);
            for (int i = 0; i < y.length; i++) b.setAtIndex(ValueLayout.JAVA_FLOAT, i, y[i] = r.nextFloat() - 0.5f);
            // a stored k x m (transposed), b stored k x n
            Blas.sgemm(Transpose.YES, Transpose.NO, m, n, k, 1f, a, 0, m, b, 0, n, 0f, c, 0, n);
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) x[p * m + i] * y[p * n + j];
                assertEquals(s, c.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * n + j), 1e-5, "c[" + i + "," + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2} {3}")
    @CsvSource({"4,4,4,FLOAT32", "1,256,2048,FLOAT32", "300,1,200,FLOAT64", "2,2,300,FLOAT64", "17,130,3,FLOAT32"})
    void heapAndNativeOperandsGiveTheLoopsResult(int m, int k, int n, DType d) {
        // 4x4 and a 1x256 row live on the Java heap; the 256x2048 matrix is native: a heap operand in a call too
        // large for the critical path (Blas copies it)
        Tensor a = random(m * 31L + k, d, m, k), b = random(n * 17L + k, d, k, n);
        assertNear(loop(a, b), a.matmul(b).toDoubleArray(), d == DType.FLOAT32 ? 1e-5 : 1e-12);
        assertNear(loop(b.t().contiguous(), a.t().contiguous()), b.t().matmul(a.t()).toDoubleArray(), d == DType.FLOAT32 ? 1e-5 : 1e-12);
        assertEquals((long) m * k * d.byteSize() > 1024, Tensors.storage(a).isNative());
    }

    @Test
    void kZeroGivesZerosEvenInReusedNativeMemory() {
        for (int round = 0; round < 3; round++) {
            Tensor garbage = full(new long[] {128, 128}, Double.NaN, DType.FLOAT32);
            garbage.close(); // its block returns to the pool and may be handed to the next result
            Tensor r = zeros(128, 0).mm(zeros(0, 128));
            for (double v : r.toDoubleArray()) assertEquals(0.0, v, "k = 0 must give zeros");
        }
    }
}
