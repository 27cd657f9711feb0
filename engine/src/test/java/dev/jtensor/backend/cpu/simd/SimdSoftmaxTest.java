package dev.jtensor.backend.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.CpuSoftmax;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SimdSoftmax} against its scalar twin {@link CpuSoftmax#normalizeRow}; the accuracy of the vector exp. */
class SimdSoftmaxTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @BeforeAll
    static void needsModule() {
        assumeTrue(Simd.ENABLED, "jdk.incubator.vector not in the boot layer or jtensor.simd=false");
    }

    /** Max relative error of lanewise(EXP) against Math.exp over [-88, 88] (float32's finite exp range). */
    @Test
    void vectorExpIsWithinTwoUlpsOfMathExp() {
        int lanes = FloatVector.SPECIES_PREFERRED.length(), n = 1 << 20;
        float[] x = new float[n], e = new float[n];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) x[i] = i < 1000 ? -20 + i * 0.02f : (r.nextFloat() * 176 - 88);
        for (int i = 0; i < n; i += lanes) {
            FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i).lanewise(VectorOperators.EXP).intoArray(e, i);
        }
        double worstUlps = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.exp(x[i]);
            worstUlps = Math.max(worstUlps, Math.abs(e[i] - exact) / Math.ulp((float) exact));
        }
        assertTrue(worstUlps <= 2, "max error " + worstUlps + " ulp");
        System.out.println("vector exp: max error " + worstUlps + " float32 ulp over " + n + " values");
    }

    @Test
    void rowsMatchScalarTwinOnOddLengthsOffsetsHeapAndNative() {
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {1, 2, 15, 16, 17, 33, 1000, 1023, 1024, 1025, 5001}) {
                for (long pad : new long[] {0, 4, 1, 6}) {
                    for (boolean log : new boolean[] {false, true}) {
                        MemorySegment in = n % 2 == 0 ? arena.allocate(pad + 4L * n) : MemorySegment.ofArray(new byte[(int) (pad + 4L * n)]);
                        double[] row = new double[n];
                        Random r = new Random(n + pad);
                        for (int i = 0; i < n; i++) { row[i] = (float) (r.nextGaussian() * 4); in.set(F32, pad + 4L * i, (float) row[i]); }
                        MemorySegment out = arena.allocate(4L * n + 8);
                        long q = (pad * 3) % 8; // output offsets 0, 4, 3, 2 bytes: aligned and unaligned
                        SimdSoftmax.rowF32(in.asSlice(pad), 0, out, q, n, log);
                        double max = java.util.Arrays.stream(row).max().orElseThrow();
                        double[] x = row.clone();
                        CpuSoftmax.normalizeRow(row, log);
                        for (int i = 0; i < n; i++) {
                            float want = (float) row[i], got = out.get(F32, q + 4L * i);
                            // float32 x - max rounds by up to ulp(x - max) / 2, which exp turns into that relative
                            // error; the exp, the sum and the scaling add a few float ulps (bound doubled for margin)
                            double rounding = Math.ulp((float) (x[i] - max)) + 8 * 0x1p-24;
                            double tol = log ? 4 * Math.ulp(want) + Math.ulp((float) (x[i] - max)) + 2 * Math.ulp((float) Math.log(n) + 1)
                                    : Math.ulp(want) + Math.abs(want) * rounding;
                            assertEquals(want, got, tol, "n=" + n + " pad=" + pad + " log=" + log + " i=" + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void specialValuesAsThePyTorchRules() {
        float inf = Float.POSITIVE_INFINITY, nan = Float.NaN;
        float[][] rows = {{-inf, -inf, -inf}, {0, -inf, 0}, {1, nan, 2}, {inf, 0, 1}};
        for (float[] values : rows) {
            for (boolean log : new boolean[] {false, true}) {
                int n = values.length;
                MemorySegment in = MemorySegment.ofArray(values.clone()), out = MemorySegment.ofArray(new float[n]);
                double[] row = new double[n];
                for (int i = 0; i < n; i++) row[i] = values[i];
                SimdSoftmax.rowF32(in, 0, out, 0, n, log);
                CpuSoftmax.normalizeRow(row, log);
                float[] want = new float[n];
                for (int i = 0; i < n; i++) want[i] = (float) row[i];
                assertArrayEquals(want, out.toArray(ValueLayout.JAVA_FLOAT), java.util.Arrays.toString(values) + " log=" + log);
            }
        }
    }

    @Test
    void tensorSoftmaxRowsSumToOne() {
        Jt.manualSeed(3);
        try (Tensor x = Jt.randn(37, 1001); Tensor y = x.softmax(1); Tensor s = y.sum(1)) {
            for (float v : s.toFloatArray()) assertEquals(1f, v, 2e-6f);
        }
    }
}
