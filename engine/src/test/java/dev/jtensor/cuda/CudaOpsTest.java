package dev.jtensor.cuda;

import static dev.jtensor.cuda.CudaTestSupport.CUDA;
import static dev.jtensor.cuda.CudaTestSupport.assertClose;
import static dev.jtensor.cuda.CudaTestSupport.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Generator;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every op family on a CUDA device against the CPU backend on the same inputs: elementwise (every unary and
 * binary kernel, broadcasting, strided views, scalars, dtype mixes), reductions along dims, softmax, scans,
 * indexing, joins, copies/casts, matmuls, random numbers and factories. Skipped, with the reason, where no
 * CUDA device is usable; run on the emulated device in CI (the plumbing) and on a GPU by the GPU check.
 */
class CudaOpsTest {
    private static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16);

    @BeforeEach
    void cuda() { CudaTestSupport.requireCuda(); }

    /** Relative tolerance per dtype: transcendental functions differ by a few ulps between libm and CUDA's. */
    static double rtol(DType t) {
        return switch (t) {
            case FLOAT64 -> 1e-12;
            case FLOAT32 -> 2e-6;
            case FLOAT16 -> 2e-3;
            case BFLOAT16 -> 1.6e-2;
            default -> 0;
        };
    }

    /**
     * Absolute tolerance per dtype, for results near zero that come out of cancellation (gelu's {@code 1 + erf} for
     * negative inputs, log-softmax's {@code x - m - log sum}): CUDA computes float32 in float, the CPU in double
     * rounded once, so a few float32 ulps of the inputs' magnitude (about 3) separate them, as they separate
     * PyTorch's CUDA and CPU results.
     */
    static double atol(DType t) {
        return switch (t) {
            case FLOAT64 -> 1e-13;
            case FLOAT32 -> 4e-6;
            case FLOAT16 -> 4e-3;
            case BFLOAT16 -> 3e-2;
            default -> 0;
        };
    }

    /** Inputs that cover signs, zero, halves (rounding), large and small magnitudes. */
    private static Tensor values(DType t, long... shape) {
        Generator g = new Generator(1234);
        Tensor x = Jt.randn(shape, DType.FLOAT64, g).mul(3.0);
        return t.isFloatingPoint() ? x.to(t) : x.round().to(t);
    }

    private static Tensor positive(DType t, long... shape) {
        return Jt.rand(shape, DType.FLOAT64, new Generator(99)).mul(4.0).add(0.05).to(t);
    }

    private static void check(String what, Tensor cpuIn, UnaryOperator<Tensor> op, double rtol, double atol) {
        Tensor expected = op.apply(cpuIn);
        Tensor actual = op.apply(cpuIn.to(CUDA));
        assertClose(expected, actual, rtol, atol, what);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "FLOAT16", "BFLOAT16"})
    void unaryKernelsOnEveryFloatType(DType t) {
        Map<String, UnaryOperator<Tensor>> ops = new LinkedHashMap<>();
        ops.put("neg", Tensor::neg);
        ops.put("abs", Tensor::abs);
        ops.put("sign", Tensor::sign);
        ops.put("exp", x -> x.div(4.0).exp());
        ops.put("expm1", x -> x.div(4.0).expm1());
        ops.put("square", Tensor::square);
        ops.put("sin", Tensor::sin);
        ops.put("cos", Tensor::cos);
        ops.put("tan", x -> x.div(3.0).tan());
        ops.put("tanh", Tensor::tanh);
        ops.put("sigmoid", Tensor::sigmoid);
        ops.put("relu", Tensor::relu);
        ops.put("erf", Tensor::erf);
        ops.put("gelu", Tensor::gelu);
        ops.put("silu", Tensor::silu);
        ops.put("floor", Tensor::floor);
        ops.put("ceil", Tensor::ceil);
        ops.put("round", x -> x.mul(2.0).round());
        ops.put("trunc", Tensor::trunc);
        ops.put("clamp", x -> x.clamp(-1.0, 2.0));
        ops.put("isnan", Tensor::isnan);
        ops.put("isfinite", Tensor::isfinite);
        ops.put("logicalNot", Tensor::logicalNot);
        Tensor x = values(t, 7, 33);
        for (var e : ops.entrySet()) check(e.getKey() + " " + t, x, e.getValue(), rtol(t), atol(t));
        // on a transposed, sliced view
        Tensor v = values(t, 40, 30).t().slice(0, 1, 29, 2);
        for (var e : ops.entrySet()) check(e.getKey() + " (strided) " + t, v, e.getValue(), rtol(t), atol(t));
        Map<String, UnaryOperator<Tensor>> domain = new LinkedHashMap<>();
        domain.put("log", Tensor::log);
        domain.put("log1p", Tensor::log1p);
        domain.put("log2", Tensor::log2);
        domain.put("sqrt", Tensor::sqrt);
        domain.put("rsqrt", Tensor::rsqrt);
        domain.put("reciprocal", Tensor::reciprocal);
        Tensor p = positive(t, 5, 21);
        for (var e : domain.entrySet()) check(e.getKey() + " " + t, p, e.getValue(), rtol(t), atol(t));
    }

    @Test
    void specialValuesPropagate() {
        Tensor x = Jt.tensor(new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 2.5, -2.5, 0.5});
        check("nanToNum", x, y -> y.nanToNum(0.0, 7.0, -7.0), 0, 0);
        check("isinf", x, Tensor::isinf, 0, 0);
        check("round half even", x, Tensor::round, 0, 0);
        check("clamp keeps NaN", x, y -> y.clamp(-1.0, 1.0), 0, 0);
        check("maximum NaN", x, y -> y.maximum(Jt.zerosLike(y)), 0, 0);
        check("minimum NaN", x, y -> y.minimum(Jt.zerosLike(y)), 0, 0);
        check("sign", x, Tensor::sign, 0, 0);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "FLOAT16", "BFLOAT16", "INT32", "INT64", "INT8", "UINT8"})
    void binaryKernelsWithBroadcasting(DType t) {
        Tensor a = values(t, 6, 1, 9), b = values(t, 5, 1).add(t.isFloatingPoint() ? 0.0 : 0.0);
        Tensor nz = t.isFloatingPoint() ? positive(t, 5, 1) : positive(DType.FLOAT64, 5, 1).ceil().to(t);
        Map<String, BinaryOperator<Tensor>> ops = new LinkedHashMap<>();
        ops.put("add", Tensor::add);
        ops.put("sub", Tensor::sub);
        ops.put("mul", Tensor::mul);
        ops.put("maximum", Tensor::maximum);
        ops.put("minimum", Tensor::minimum);
        ops.put("eq", Tensor::eq);
        ops.put("ne", Tensor::ne);
        ops.put("lt", Tensor::lt);
        ops.put("le", Tensor::le);
        ops.put("gt", Tensor::gt);
        ops.put("ge", Tensor::ge);
        ops.put("logicalAnd", Tensor::logicalAnd);
        ops.put("logicalOr", Tensor::logicalOr);
        ops.put("logicalXor", Tensor::logicalXor);
        for (var e : ops.entrySet()) {
            Tensor expected = e.getValue().apply(a, b);
            Tensor actual = e.getValue().apply(a.to(CUDA), b.to(CUDA));
            assertClose(expected, actual, rtol(t), atol(t), e.getKey() + " " + t);
        }
        Map<String, BinaryOperator<Tensor>> divisions = new LinkedHashMap<>();
        divisions.put("div", Tensor::div);
        divisions.put("floorDiv", Tensor::floorDiv);
        divisions.put("remainder", Tensor::remainder);
        for (var e : divisions.entrySet()) {
            Tensor expected = e.getValue().apply(a, nz);
            Tensor actual = e.getValue().apply(a.to(CUDA), nz.to(CUDA));
            assertClose(expected, actual, rtol(t) * 4, atol(t), e.getKey() + " " + t);
        }
    }

    @Test
    void powAtan2AndAlpha() {
        Tensor a = positive(DType.FLOAT32, 4, 8), b = values(DType.FLOAT32, 4, 8).div(3.0);
        assertClose(a.pow(b), a.to(CUDA).pow(b.to(CUDA)), 1e-5, 1e-6, "pow");
        assertClose(b.atan2(a), b.to(CUDA).atan2(a.to(CUDA)), 1e-5, 1e-6, "atan2");
        assertClose(a.add(b, 2.5), a.to(CUDA).add(b.to(CUDA), 2.5), 1e-6, 1e-6, "add alpha");
        Tensor i = Jt.arange(-6, 6).reshape(3, 4);
        assertSame(i.pow(Jt.tensor(new long[] {0, 1, 2, 3})), i.to(CUDA).pow(Jt.tensor(new long[] {0, 1, 2, 3}).to(CUDA)), "int pow");
    }

    @Test
    void scalarsAndZeroDimCpuTensorsJoinCudaOps() {
        Tensor x = values(DType.FLOAT32, 3, 4);
        Tensor c = x.to(CUDA);
        assertClose(x.mul(2.0).add(1.0), c.mul(2.0).add(1.0), 0, 0, "scalar ops");
        assertClose(x.mul(Jt.tensor(3.0)), c.mul(Jt.tensor(3.0)), 0, 0, "0-d CPU tensor operand");
        assertClose(Jt.tensor(3.0).mul(x), Jt.tensor(3.0).mul(c), 0, 0, "0-d CPU tensor first");
        assertClose(x.rsub(1.0), c.rsub(1.0), 0, 0, "rsub");
        assertEquals(x.sum().item(), c.sum().item(), 1e-5, "item of a CUDA tensor");
        assertTrue(Jt.cuda().deviceCount() >= 1);
    }

    @Test
    void mixedDevicesFailWithPyTorchsMessage() {
        Tensor c = Jt.ones(3).to(CUDA), h = Jt.ones(3);
        var e = assertThrows(IllegalArgumentException.class, () -> c.add(h));
        assertTrue(e.getMessage().startsWith("Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Jt.ones(2, 2).to(CUDA).matmul(Jt.ones(2, 2)));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64", "FLOAT16", "BFLOAT16"})
    void reductionsAlongDims(DType t) {
        Tensor x = values(t, 4, 37, 6);
        double r = t == DType.FLOAT64 ? 1e-12 : t == DType.FLOAT32 ? 1e-5 : rtol(t) * 2;
        check("sum all " + t, x, Tensor::sum, r, r);
        check("sum dim1 " + t, x, y -> y.sum(1), r, r);
        check("sum dims keepdim " + t, x, y -> y.sum(new int[] {0, 2}, true), r, r);
        check("mean " + t, x, y -> y.mean(1), r, r);
        check("prod " + t, x.div(3.0), y -> y.prod(2), r * 10, r);
        check("amax " + t, x, y -> y.amax(1), 0, 0);
        check("amin " + t, x, y -> y.amin(new int[] {0, 1}, false), 0, 0);
        check("max values " + t, x, y -> y.max(1).values(), 0, 0);
        check("max indices " + t, x, y -> y.max(1).indices(), 0, 0);
        check("min indices " + t, x, y -> y.min(2, true).indices(), 0, 0);
        check("argmax " + t, x, y -> y.argmax(), 0, 0);
        check("norm " + t, x, y -> y.norm(), r * 2, r);
        check("var " + t, x, y -> y.var(1), r * 10, r);
        check("std " + t, x, y -> y.std(new int[] {0, 2}, 0, true), r * 10, r);
        check("logsumexp " + t, x, y -> y.logsumexp(1), r * 2, r);
        check("all " + t, x, y -> y.gt(-2.0).all(), 0, 0);
        check("any " + t, x, y -> y.gt(7.0).any(2), 0, 0);
        check("sum of transposed " + t, x.transpose(0, 2), y -> y.sum(0), r, r);
    }

    @Test
    void largeSumsAreExactToFloat32RoundingOfTheFloat64Sum() {
        long n = 3_000_017;
        Tensor x = Jt.rand(new long[] {n}, DType.FLOAT32, new Generator(5));
        double reference = x.to(DType.FLOAT64).sum().item();
        float onDevice = (float) x.to(CUDA).sum().item();
        assertEquals((float) reference, onDevice, 0f, "sum of " + n + " float32 values");
        Tensor ints = Jt.arange(0, 1_000_000).to(CUDA);
        assertEquals(499_999_500_000L, ints.sum().itemLong(), "int64 sum");
        Tensor rows = Jt.rand(new long[] {3, 1 << 20}, DType.FLOAT32, new Generator(6));
        assertClose(rows.sum(1), rows.to(CUDA).sum(1), 1e-6, 0, "long rows");
    }

    @Test
    void softmaxAndScans() {
        for (DType t : FLOATS) {
            Tensor x = values(t, 5, 13, 7);
            check("softmax -1 " + t, x, y -> y.softmax(-1), rtol(t) * 4, atol(t));
            check("softmax 1 " + t, x, y -> y.softmax(1), rtol(t) * 4, atol(t));
            check("logSoftmax 0 " + t, x, y -> y.logSoftmax(0), rtol(t) * 4, atol(t) * 10);
            check("cumsum " + t, x, y -> y.cumsum(1), rtol(t) * 20, atol(t) * 10);
            check("cumprod " + t, x.div(2.0), y -> y.cumprod(2), rtol(t) * 20, atol(t) * 10);
        }
        Tensor wide = values(DType.FLOAT32, 3, 4096);
        check("softmax wide rows", wide, y -> y.softmax(1), 1e-5, 1e-7);
        Tensor inf = Jt.tensor(new double[][] {{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, {1, Double.NaN}});
        check("softmax -inf rows and NaN", inf, y -> y.softmax(1), 0, 0);
        check("cumsum int64", Jt.arange(0, 20).reshape(4, 5), y -> y.cumsum(0), 0, 0);
    }

    @Test
    void indexingGatherScatterMasks() {
        Tensor x = values(DType.FLOAT32, 6, 5);
        Tensor idx = Jt.tensor(new long[][] {{0, 4, 2}, {1, 1, 3}, {4, 0, 0}, {2, 2, 2}, {3, 1, 0}, {0, 0, 4}});
        check("gather", x, y -> y.gather(1, y.device().isCpu() ? idx : idx.to(CUDA)), 0, 0);
        Tensor src = values(DType.FLOAT32, 6, 3);
        check("scatterAdd (duplicates)", x, y -> y.scatterAdd(1, y.device().isCpu() ? idx : idx.to(CUDA),
                y.device().isCpu() ? src : src.to(CUDA)), 1e-6, 1e-6);
        Tensor rows = Jt.tensor(new long[] {4, 0, 4, 2});
        check("indexSelect", x, y -> y.indexSelect(0, y.device().isCpu() ? rows : rows.to(CUDA)), 0, 0);
        check("maskedFill", x, y -> y.maskedFill(y.gt(0.5), -9.0), 0, 0);
        check("boolean mask get", x, y -> y.maskedSelect(y.gt(0.0)), 0, 0);
        check("where", x, y -> Jt.where(y.gt(0.0), y, y.mul(0.1)), 0, 0);
        check("advanced index", x, y -> y.index(y.device().isCpu() ? rows : rows.to(CUDA)), 0, 0);
        check("slice expression", x, y -> y.get("1:5:2, ::-1".replace("::-1", "::2")), 0, 0);
        check("indexAdd", x, y -> y.indexAdd(0, y.device().isCpu() ? rows : rows.to(CUDA),
                y.device().isCpu() ? Jt.ones(4, 5) : Jt.ones(4, 5).to(CUDA)), 1e-6, 1e-6);
        Tensor c = x.clone().to(CUDA);
        Tensor h = x.clone();
        h.set("1, :", Jt.tensor(7.0));
        c.set("1, :", Jt.tensor(7.0));
        h.set(h.lt(-1.0), 0.0);
        c.set(c.lt(-1.0), 0.0);
        assertClose(h, c, 0, 0, "index assignment and mask assignment");
    }

    @Test
    void joinsCopiesAndCasts() {
        Tensor a = values(DType.FLOAT32, 3, 4), b = values(DType.FLOAT32, 3, 2);
        assertClose(Jt.cat(List.of(a, b), 1), Jt.cat(List.of(a.to(CUDA), b.to(CUDA)), 1), 0, 0, "cat");
        assertClose(Jt.stack(List.of(a, a.neg()), 0), Jt.stack(List.of(a.to(CUDA), a.neg().to(CUDA)), 0), 0, 0, "stack");
        for (DType from : DType.values()) {
            Tensor x = values(from, 4, 5);
            for (DType to : DType.values()) {
                assertClose(x.to(to), x.to(CUDA).to(to), 0, 0, "cast " + from + " -> " + to);
            }
            assertClose(x.t().contiguous(), x.to(CUDA).t().contiguous(), 0, 0, "contiguous copy " + from);
        }
        Tensor half = Jt.tensor(new double[] {0.5, -0.5, 0.0, 1e-3});
        assertClose(half.to(DType.BOOL), half.to(CUDA).to(DType.BOOL), 0, 0, "0.5 casts to true");
        Tensor dst = Jt.zeros(3, 4).to(CUDA);
        dst.copy_(a);
        assertClose(a, dst, 0, 0, "copy_ from the CPU into a CUDA tensor");
        Tensor back = Jt.zeros(3, 4);
        back.copy_(dst);
        assertClose(a, back.to(CUDA), 0, 0, "copy_ from CUDA into a CPU tensor");
    }

    @Test
    void matmulFamilyOnCublas() {
        Tensor a = values(DType.FLOAT32, 33, 17), b = values(DType.FLOAT32, 17, 9);
        double r = 1e-5, at = 1e-4;
        assertClose(a.mm(b), a.to(CUDA).mm(b.to(CUDA)), r, at, "mm");
        assertClose(a.t().t().matmul(b), a.to(CUDA).matmul(b.to(CUDA)), r, at, "matmul");
        Tensor at2 = values(DType.FLOAT32, 17, 33);
        assertClose(at2.t().mm(b), at2.to(CUDA).t().mm(b.to(CUDA)), r, at, "transposed operand, no copy");
        assertClose(a.mm(b.t().contiguous().t()), a.to(CUDA).mm(b.t().contiguous().t().to(CUDA)), r, at, "transposed B");
        Tensor x = values(DType.FLOAT32, 4, 5, 6), y = values(DType.FLOAT32, 4, 6, 3);
        assertClose(x.bmm(y), x.to(CUDA).bmm(y.to(CUDA)), r, at, "bmm (strided batched)");
        assertClose(x.matmul(b.narrow(0, 0, 6)), x.to(CUDA).matmul(b.narrow(0, 0, 6).to(CUDA)), r, at, "batched @ matrix");
        Tensor v = values(DType.FLOAT32, 17);
        assertClose(a.mv(v), a.to(CUDA).mv(v.to(CUDA)), r, at, "mv");
        assertClose(v.dot(v), v.to(CUDA).dot(v.to(CUDA)), r, at, "dot");
        Tensor bias = values(DType.FLOAT32, 9);
        assertClose(bias.addmm(a, b), bias.to(CUDA).addmm(a.to(CUDA), b.to(CUDA)), r, at, "addmm");
        Tensor d = values(DType.FLOAT64, 20, 30), e = values(DType.FLOAT64, 30, 10);
        assertClose(d.mm(e), d.to(CUDA).mm(e.to(CUDA)), 1e-12, 1e-12, "dgemm");
        Tensor z = Jt.zeros(0, 5).to(CUDA);
        assertEquals(0, z.mm(Jt.zeros(5, 3).to(CUDA)).numel(), "empty matmul");
    }

    @Test
    void factoriesAndRandomNumbersOnTheDevice() {
        assertEquals(CUDA, Jt.zeros(new long[] {2, 3}, DType.FLOAT32, CUDA).device());
        assertClose(Jt.full(new long[] {2, 2}, 3.5, DType.FLOAT64, CUDA, false).cpu(), Jt.full(new long[] {2, 2}, 3.5, DType.FLOAT64, CUDA, false),
                0, 0, "full");
        Tensor c = Jt.ones(new long[] {4}, DType.INT32, CUDA);
        assertEquals(CUDA, Jt.zerosLike(c).device(), "zerosLike keeps the device");
        assertEquals(CUDA, Jt.randnLike(Jt.zeros(new long[] {3}, DType.FLOAT32, CUDA)).device(), "randnLike keeps the device");
        Jt.cuda().manualSeed(7);
        Tensor r1 = Jt.randn(new long[] {1000}, DType.FLOAT32, CUDA);
        Jt.cuda().manualSeed(7);
        Tensor r2 = Jt.randn(new long[] {1000}, DType.FLOAT32, CUDA);
        assertClose(r1.cpu(), r2, 0, 0, "seeded CUDA randn is reproducible");
        if (CudaTestSupport.emulated()) {
            assertClose(Jt.randn(new long[] {1000}, DType.FLOAT32, new Generator(7)), r1, 0, 0, "emulated: the CPU's stream");
        } else { // PyTorch's CUDA stream: Philox4x32-10 keyed by the seed, 24-bit uniforms; checked against a host Philox
            Jt.cuda().manualSeed(11);
            Tensor u = Jt.rand(new long[] {1003}, DType.FLOAT32, CUDA);
            float[] got = u.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                int word = philox(i / 4, 11)[i % 4];
                float want = (float) ((word >>> 8) * (1.0 / 16777216.0));
                assertEquals(want, got[i], 0f, "Philox uniform element " + i);
            }
            assertEquals(1003, Jt.cuda().generator(0).offset(), "the offset advances by what the op used");
        }
        Tensor u = Jt.rand(new long[] {200_000}, DType.FLOAT32, CUDA);
        double mean = u.mean().item(), var = u.var().item();
        assertEquals(0.5, mean, 0.005, "uniform mean");
        assertEquals(1.0 / 12, var, 0.002, "uniform variance");
        assertTrue(u.min().item() >= 0 && u.max().item() < 1, "uniform range");
        Tensor nrm = Jt.randn(new long[] {200_000}, DType.FLOAT64, CUDA);
        assertEquals(0, nrm.mean().item(), 0.01, "normal mean");
        assertEquals(1, nrm.std().item(), 0.01, "normal std");
    }

    /** Philox4x32-10 of (counter, key) as Random123 defines it: the reference for the device stream. */
    static int[] philox(long counter, long key) {
        int c0 = (int) counter, c1 = (int) (counter >>> 32), c2 = 0, c3 = 0, k0 = (int) key, k1 = (int) (key >>> 32);
        for (int r = 0; r < 10; r++) {
            long p0 = (0xD2511F53L) * Integer.toUnsignedLong(c0), p1 = (0xCD9E8D57L) * Integer.toUnsignedLong(c2);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0, hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            int n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
            c0 = n0;
            c1 = lo1;
            c2 = n2;
            c3 = lo0;
            k0 += 0x9E3779B9;
            k1 += 0xBB67AE85;
        }
        return new int[] {c0, c1, c2, c3};
    }

    @Test
    void randomIntegersAndOffsetsOnTheDevice() {
        Jt.cuda().manualSeed(3);
        Tensor a = Jt.randint(-5, 5, new long[] {10_000}, DType.INT64, CUDA);
        assertEquals(CUDA, a.device());
        assertTrue(a.min().itemLong() == -5 && a.max().itemLong() == 4, "randint covers [low, high)");
        assertEquals(-0.5, a.to(DType.FLOAT64).mean().item(), 0.1, "randint mean");
        Tensor i32 = Jt.randint(0, 3, new long[] {1000}, DType.INT32, CUDA);
        assertTrue(i32.min().itemLong() == 0 && i32.max().itemLong() == 2, "int32 randint");
        Tensor w = Jt.zeros(new long[] {4096}, DType.FLOAT32, CUDA);
        dev.jtensor.nn.Init.uniform_(w, -0.5, 0.5);
        assertTrue(w.min().item() >= -0.5 && w.max().item() < 0.5 && w.abs().sum().item() > 100, "uniform_ in place on the device");
    }

    @Test
    void printingNamesTheDevice() {
        Tensor c = Jt.tensor(new double[] {1, 2}).to(CUDA);
        assertEquals("tensor([1., 2.], device='cuda:0')", c.toString());
        Tensor g = Jt.tensor(new double[] {1, 2}).to(CUDA).requiresGrad_(true);
        assertEquals("tensor([1., 2.], device='cuda:0', requires_grad=True)", g.toString());
        assertEquals("tensor([2., 4.], device='cuda:0', grad_fn=<MulBackward0>)", g.mul(2.0).toString());
        assertTrue(c.dataPtr() != 0);
        assertEquals(CUDA, Device.of("cuda"));
    }
}
