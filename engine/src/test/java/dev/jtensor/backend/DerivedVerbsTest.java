package dev.jtensor.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.DType;
import dev.jtensor.backend.plan.IterPlan;
import dev.jtensor.backend.plan.Layout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: unaryFlat, binaryFlat and fill are derived in {@link Backend} (rank-1 layouts and the FILL kernel of
 * unary; what the CUDA backend runs). The CPU keeps its own paths; here the derivations, run through the CPU's
 * plan verbs, give exactly what the CPU's own paths give.
 */
class DerivedVerbsTest {
    private static final Backend CPU = Backend.cpu();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private static Buffer floats(float... v) {
        Buffer b = CPU.allocate(4L * v.length, true).buffer();
        MemorySegment s = ((Buffer.HostMemory) b).segment();
        for (int i = 0; i < v.length; i++) s.setAtIndex(F, i, v[i]);
        return b;
    }

    private static float[] values(Buffer b) { return ((Buffer.HostMemory) b).segment().toArray(F); }

    @Test
    void flatLayoutsPlanAsRankOneWithTheGivenOffsetsAndStrides() {
        IterPlan p = IterPlan.of(new long[] {7}, Layout.flat(7, 2, 1), Layout.flat(7, 5, 0));
        assertArrayEquals(new long[] {7}, p.shape());
        assertEquals(7, p.numel());
        assertEquals(2, p.operands());
        assertEquals(2, p.offset(0));
        assertEquals(5, p.offset(1));
        assertArrayEquals(new long[] {0}, p.strides(1));
    }

    @Test
    void unaryFlatAsARankOnePlan() {
        Buffer x = floats(-1, 2, -3, 4, -5, 6), viaFlat = floats(new float[6]), viaPlan = floats(new float[6]);
        CPU.unaryFlat(UnaryKernel.RELU, 0, 0, 0, DType.FLOAT32, viaFlat, 1, x, 2, 4);
        CPU.unary(UnaryKernel.RELU, 0, 0, 0, DType.FLOAT32, new Operand(viaPlan, DType.FLOAT32, Layout.flat(4, 1, 1)),
                new Operand(x, DType.FLOAT32, Layout.flat(4, 2, 1)));
        assertArrayEquals(new float[] {0, 0, 4, 0, 6, 0}, values(viaPlan));
        assertArrayEquals(values(viaFlat), values(viaPlan));
    }

    @Test
    void binaryFlatAsARankOnePlanWithABroadcastOrAContiguousB() {
        Buffer a = floats(1, 2, 3, 4), b = floats(10, 20, 30, 40);
        for (int bStride : new int[] {0, 1}) {
            Buffer viaFlat = floats(new float[4]), viaPlan = floats(new float[4]);
            CPU.binaryFlat(BinaryKernel.SUB, 2, DType.FLOAT32, viaFlat, 0, a, 0, b, 1, bStride, 3);
            CPU.binary(BinaryKernel.SUB, 2, DType.FLOAT32, new Operand(viaPlan, DType.FLOAT32, Layout.flat(3, 0, 1)),
                    new Operand(a, DType.FLOAT32, Layout.flat(3, 0, 1)), new Operand(b, DType.FLOAT32, Layout.flat(3, 1, bStride)));
            float[] expected = bStride == 0 ? new float[] {-39, -38, -37, 0} : new float[] {-39, -58, -77, 0};
            assertArrayEquals(expected, values(viaPlan), "bStride " + bStride);
            assertArrayEquals(values(viaFlat), values(viaPlan), "bStride " + bStride);
        }
    }

    @Test
    void fillAsTheFillKernelOfUnaryOnAStridedLayout() {
        Layout everyOther = new Layout(new long[] {3}, new long[] {2}, 1);
        Buffer viaFill = floats(new float[7]), viaUnary = floats(new float[7]);
        CPU.fill(new Operand(viaFill, DType.FLOAT32, everyOther), 2.5);
        CPU.unary(UnaryKernel.FILL, 2.5, 0, 0, DType.FLOAT32, new Operand(viaUnary, DType.FLOAT32, everyOther),
                new Operand(viaUnary, DType.FLOAT32, everyOther));
        assertArrayEquals(new float[] {0, 2.5f, 0, 2.5f, 0, 2.5f, 0}, values(viaUnary));
        assertArrayEquals(values(viaFill), values(viaUnary));
    }
}
