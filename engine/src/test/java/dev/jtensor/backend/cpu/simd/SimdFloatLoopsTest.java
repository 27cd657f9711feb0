package dev.jtensor.backend.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SimdFloatLoops} against the scalar formula (one rounding per element, so bit for bit). */
class SimdFloatLoopsTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    @BeforeAll
    static void needsModule() {
        assumeTrue(Simd.ENABLED, "jdk.incubator.vector not in the boot layer or jtensor.simd=false");
    }

    @Test
    void addAndMulMatchTheScalarLoopOnOddLengthsOffsetsHeapAndNative() {
        Random r = new Random(9);
        try (Arena arena = Arena.ofConfined()) {
            for (int n : new int[] {0, 1, 15, 16, 17, 100, 1027}) {
                for (long pad : new long[] {0, 1, 4, 7}) {
                    MemorySegment a = arena.allocate(pad + 4L * n), b = MemorySegment.ofArray(new byte[(int) (pad + 4L * n)]);
                    for (int i = 0; i < n; i++) { a.set(F32, pad + 4L * i, r.nextFloat() - 0.5f); b.set(F32, pad + 4L * i, r.nextFloat() * 3); }
                    MemorySegment o = arena.allocate(4L * n + 4);
                    SimdFloatLoops.add(o, 4, a, pad, b, pad, n, 1f);
                    for (int i = 0; i < n; i++) assertEquals(a.get(F32, pad + 4L * i) + b.get(F32, pad + 4L * i), o.get(F32, 4 + 4L * i));
                    SimdFloatLoops.add(o, 4, a, pad, b, pad, n, -2.5f);
                    for (int i = 0; i < n; i++) assertEquals(a.get(F32, pad + 4L * i) + -2.5f * b.get(F32, pad + 4L * i), o.get(F32, 4 + 4L * i));
                    SimdFloatLoops.mul(o, 4, a, pad, b, pad, n);
                    for (int i = 0; i < n; i++) assertEquals(a.get(F32, pad + 4L * i) * b.get(F32, pad + 4L * i), o.get(F32, 4 + 4L * i));
                    float[] before = a.asSlice(pad).toArray(F32);
                    SimdFloatLoops.mul(a, pad, a, pad, a, pad, n); // in place
                    for (int i = 0; i < n; i++) assertEquals(before[i] * before[i], a.get(F32, pad + 4L * i));
                }
            }
        }
    }

    @Test
    void fmaMatchesMathFmaBitForBit() {
        Random r = new Random(11);
        for (int n : new int[] {0, 1, 7, 16, 17, 1029}) {
            float[] x = new float[n], y = new float[n];
            for (int i = 0; i < n; i++) { x[i] = (float) r.nextGaussian(); y[i] = (float) r.nextGaussian(); }
            MemorySegment ys = MemorySegment.ofArray(y.clone());
            SimdFloatLoops.fma(-0.0123f, MemorySegment.ofArray(x), ys, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(Math.fma(-0.0123f, x[i], y[i])), Float.floatToRawIntBits(ys.get(F32, 4L * i)), "element " + i);
            }
        }
    }
}
