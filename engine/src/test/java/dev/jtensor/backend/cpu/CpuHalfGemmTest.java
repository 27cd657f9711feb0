package dev.jtensor.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.function.BinaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * float16/bfloat16 products on the CPU ({@link CpuHalfGemm}): equal to the float32-copy path (operands
 * converted whole, multiplied in float32, rounded once) within one rounding of the half type, for shapes
 * that cross the tile edge, transposed operands, batches, {@code beta != 0} (addmm, baddbmm-like), vectors,
 * and with no scratch larger than three tiles however large the operands.
 */
class CpuHalfGemmTest {
    /** One rounding step of the half type relative to the value (2^-8 bfloat16, 2^-11 float16) times 2, plus a small floor. */
    private static double rtol(DType t) { return t == DType.BFLOAT16 ? 0x1p-7 : 0x1p-10; }

    private static Tensor rand(DType t, Generator g, long... shape) { return Jt.randn(shape, DType.FLOAT32, g).to(t); }

    /** {@code op} on half operands against the same op on float32 copies rounded to the half type. */
    private static void check(DType t, String what, BinaryOperator<Tensor> op, Tensor a, Tensor b) {
        long blocks = CpuHalfGemm.blocks();
        Tensor got = op.apply(a, b);
        assertTrue(CpuHalfGemm.blocks() > blocks, what + ": ran the blockwise kernel");
        Tensor want = op.apply(a.to(DType.FLOAT32), b.to(DType.FLOAT32)).to(t);
        assertEquals(t, got.dtype(), what + ": dtype");
        assertEquals(want.shape(), got.shape(), what + ": shape");
        double[] e = want.toDoubleArray(), x = got.toDoubleArray();
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            double tol = rtol(t) * Math.abs(e[i]) + 1e-6 * scale;
            if (!(Math.abs(e[i] - x[i]) <= tol)) {
                throw new AssertionError(what + " " + t + ": element " + i + " expected " + e[i] + " but was " + x[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void equalsTheFloat32CopyPath(DType t) {
        Generator g = new Generator(26);
        check(t, "mm 300x520 @ 520x270 (tiles cut)", Tensor::mm, rand(t, g, 300, 520), rand(t, g, 520, 270));
        check(t, "mm A^T @ B^T", (a, b) -> a.t().mm(b.t()), rand(t, g, 290, 70), rand(t, g, 40, 290));
        check(t, "bmm", Tensor::bmm, rand(t, g, 3, 17, 33), rand(t, g, 3, 33, 9));
        check(t, "matmul broadcast", Tensor::matmul, rand(t, g, 2, 5, 12), rand(t, g, 12, 7));
        check(t, "mv", Tensor::matmul, rand(t, g, 9, 31), rand(t, g, 31));
        check(t, "vector @ matrix", Tensor::matmul, rand(t, g, 31), rand(t, g, 31, 6));
        Tensor bias = rand(t, g, 270);
        check(t, "addmm beta 0.5 alpha 2", (a, b) -> Jt.addmm(bias.to(a.dtype()), a, b, 0.5, 2.0),
                rand(t, g, 260, 30), rand(t, g, 30, 270));
        Tensor w = rand(t, g, 10, 40), bl = rand(t, g, 10);
        check(t, "linear", (x, ww) -> dev.jtensor.nn.F.linear(x, ww, bl.to(x.dtype())), rand(t, g, 8, 40), w);
        check(t, "k = 0", Tensor::mm, rand(t, g, 4, 0), rand(t, g, 0, 3));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT16", "BFLOAT16"})
    void noFullFloat32CopyOfAnOperand(DType t) {
        Generator g = new Generator(3);
        Tensor a = rand(t, g, 700, 900), b = rand(t, g, 900, 800);
        Tensor c = a.mm(b);
        long tileBytes = 3L * CpuHalfGemm.TILE * CpuHalfGemm.TILE * 4;
        assertTrue(CpuHalfGemm.largestScratchBytes() <= tileBytes,
                "scratch " + CpuHalfGemm.largestScratchBytes() + " bytes per block, at most three float32 tiles");
        assertTrue(tileBytes < 700L * 900 * 4 / 3, "three tiles are far smaller than a float32 copy of A (2.5 MB)");
        // spot check one element against a float64 dot product of the half values
        double[] av = a.select(0, 123).toDoubleArray(), bv = b.select(1, 456).toDoubleArray();
        double dot = 0;
        for (int i = 0; i < av.length; i++) dot += av[i] * bv[i];
        assertEquals(dot, c.get(123, 456).item(), Math.abs(dot) * rtol(t) + 1e-3);
    }
}
