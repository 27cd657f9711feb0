package dev.jtensor;

import static dev.jtensor.Parity2FixesTest.gradCheck;
import static dev.jtensor.testing.Parity2Golden.check;
import static dev.jtensor.testing.Parity2Golden.grads;
import static dev.jtensor.testing.Parity2Golden.in;
import static dev.jtensor.testing.Parity2Golden.leaf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 20, "not expressible today": tensor clamp bounds, a number as the first operand, where with
 * numbers, rsub/rdiv/rpow, round(decimals), div(rounding_mode), index_add(alpha), narrow with a tensor
 * start, dtype= arguments. Values and gradients against PyTorch 1.13 (golden/nn/parity2.tsv), the Jt
 * function and the Tensor method, on every available device; finite differences in float64.
 */
class Parity2OverloadsTest {
    static final String DEVICES = "dev.jtensor.testing.Devices#available";

    @ParameterizedTest @MethodSource(DEVICES)
    void clampTakesTensorBounds(Device d) {
        String[] names = {"both", "min", "max"};
        for (int i = 0; i < 3; i++) {
            Tensor x = leaf("clamp_t/x", d), lo = leaf("clamp_t/lo", d), hi = leaf("clamp_t/hi", d);
            Tensor out = switch (i) {
                case 0 -> x.clamp(lo, hi);
                case 1 -> Jt.clampMin(x, lo);
                default -> x.clampMax(hi);
            };
            check("clamp_t/" + names[i], out.cpu());
            List<Tensor> g = grads(out, x, i == 2 ? hi : lo);
            check("clamp_t/" + names[i] + "/grad_x", g.get(0).cpu());
            check("clamp_t/" + names[i] + (i == 2 ? "/grad_hi" : "/grad_lo"), g.get(1).cpu());
            if (i == 0) check("clamp_t/both/grad_hi", grads(x.clamp(lo, hi), hi).get(0).cpu());
        }
        assertEquals("ClampBackward0", Jt.clamp(leaf("clamp_t/x", d), in("clamp_t/lo", d), null).gradFn().name());
        check("clamp_t/both", Jt.clamp(in("clamp_t/x", d), in("clamp_t/lo", d), in("clamp_t/hi", d)).cpu());
        check("clamp_t/int_float_max", Jt.tensor(new long[] {1, 5, -3}).to(d)
                .clamp(null, Jt.tensor(new double[] {2, 0, 0.5}).to(d)).cpu(), 1e-7, 0);
        gradCheck(d, xs -> xs.get(0).clamp(xs.get(1), xs.get(2)),
                in("clamp_t/x", Device.CPU), in("clamp_t/lo", Device.CPU), in("clamp_t/hi", Device.CPU));
        assertThrows(IllegalArgumentException.class, () -> in("clamp_t/x", d).clamp((Tensor) null, (Tensor) null));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void aNumberFirstKeepsPyTorchsPromotion(Device d) {
        Tensor it = Jt.tensor(new long[] {1, 2, -3}).to(d), ft = Jt.tensor(new float[] {1.5f, -2f, 4f}).to(d);
        check("scalar_first/add_2.5_int", Jt.add(2.5, it).cpu());
        check("scalar_first/add_2_int", Jt.add(2, it).cpu());
        check("scalar_first/sub_2.5_float_alpha", Jt.sub(2.5, ft, 2).cpu());
        check("scalar_first/mul_3_int", Jt.mul(3, it).cpu());
        check("scalar_first/div_3_int", Jt.div(3.0, it).cpu(), 1e-7, 0);
        check("scalar_first/pow_2_int", Jt.pow(2, it.abs()).cpu());
        Tensor cond = Jt.tensor(new boolean[] {true, false, true}).to(d);
        check("where_s/2.0_int", Jt.where(cond, 2.0, it).cpu());
        check("where_s/int_0", Jt.where(cond, it, 0).cpu());
        check("where_s/int_0", it.where(cond, 0L).cpu());
        check("where_s/int_0.5", Jt.where(cond, it, 0.5).cpu());
        check("where_s/1.0_0.5", Jt.where(cond, 1.0, 0.5).cpu());
        check("where_s/1_0", Jt.where(cond, 1, 0).cpu());
        Tensor bt = Jt.tensor(new boolean[] {true, false}).to(d), i2 = Jt.tensor(new long[] {1, 2}).to(d);
        Tensor f2 = Jt.tensor(new float[] {1.5f, 2f}).to(d);
        check("bool_scalar/bool_add_true", bt.add(true).cpu());
        check("bool_scalar/int_add_true", Jt.add(i2, true).cpu());
        check("bool_scalar/int_add_true", Jt.add(true, i2).cpu());
        check("bool_scalar/float_add_true", f2.add(true).cpu());
        check("bool_scalar/bool_mul_false", Jt.mul(bt, false).cpu());
        check("bool_scalar/int_mul_true", i2.mul(true).cpu());
        check("bool_scalar/where_int_false", Jt.where(bt, i2, false).cpu());
        check("bool_scalar/where_int_false", i2.where(bt, false).cpu());
        check("bool_scalar/where_true_float", Jt.where(bt, true, f2).cpu());
        check("bool_scalar/where_bool_false", Jt.where(bt, bt, false).cpu());
        Tensor five = Jt.tensor(new float[] {5, 5, 5}).to(d);
        check("rsub/tt_alpha", Jt.rsub(ft, five, 2).cpu());
        check("rsub/tt_alpha", ft.rsub(five, 2).cpu());
        check("rsub/int_s_alpha", it.rsub(5, 2).cpu());
        check("rsub/int_s_alpha", Jt.rsub(it, 5, 2).cpu());
        check("rdiv/float", ft.rdiv(2.0).cpu(), 1e-7, 0);
        check("rdiv/float", Jt.rdiv(ft, Jt.full(new long[] {3}, 2.0).to(d)).cpu(), 1e-7, 0);
        check("rpow/float", Jt.rpow(ft, 2.0).cpu(), 1e-6, 0);
        check("rpow/tt", ft.rpow(Jt.tensor(new float[] {2, 3, 0.5f}).to(d)).cpu(), 1e-6, 0);
        Tensor leafF = Jt.tensor(new double[] {1.5, -2}, DType.FLOAT64).to(d).requiresGrad_(true);
        assertEquals("RsubBackward0", leafF.rsub(leafF.mul(2.0)).gradFn().name());
        assertEquals("RsubBackward1", Jt.rsub(leafF, 2.0, 3.0).gradFn().name());
        assertEquals("WhereBackward0", Jt.where(cond.get("0:2"), 2.0, leafF).gradFn().name());
        Tensor x64 = Jt.tensor(new double[] {0.5, -1.25, 2}, DType.FLOAT64);
        gradCheck(d, xs -> Jt.where(cond.to(xs.get(0).device()), 2.0, xs.get(0)).mul(Jt.add(2.5, xs.get(0), 3)), x64);
        gradCheck(d, xs -> xs.get(0).rsub(xs.get(1), 1.5).mul(xs.get(0).rdiv(3.0)).add(xs.get(1).rpow(xs.get(0)))
                        .add(xs.get(0).rsub(2.0, -0.5)).add(Jt.sub(1.5, xs.get(1), 2.0)).add(Jt.rdiv(xs.get(0), xs.get(1))),
                x64.abs(), Jt.tensor(new double[] {1.5, 0.25, 3}, DType.FLOAT64));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void roundToDecimalsAndDivideWithRoundingModes(Device d) {
        Tensor f32 = Jt.tensor(new float[] {1.2345f, -2.5f, 0.125f, 1234.5f, -0.0051f, 2.675f}).to(d);
        for (int dec : new int[] {0, 1, 2, 3, -1, -2}) {
            check("round/f32_" + dec, f32.round(dec).cpu(), 0, 0);
            check("round/f64_" + dec, Jt.round(f32.to(DType.FLOAT64), dec).cpu(), 0, 0);
        }
        Tensor na = Jt.tensor(new long[] {7, -7, 6, -6, 0, 9}).to(d), nb = Jt.tensor(new long[] {2, 2, -4, -4, 3, -2}).to(d);
        for (String mode : new String[] {"trunc", "floor"}) {
            check("div_mode/int_" + mode, na.div(nb, mode).cpu());
            check("div_mode/float_" + mode, Jt.div(na.to(DType.FLOAT64).add(0.5), nb.to(DType.FLOAT64), mode).cpu());
            check("div_mode/int_scalar_" + mode, Jt.div(na, 4, mode).cpu()); // an integer number keeps the integer type
            check("div_mode/float_scalar_" + mode, na.to(DType.FLOAT32).div(-2.5, mode).cpu());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> na.div(nb, "round"));
        assertTrue(e.getMessage().contains("'round'"), e.getMessage());
        Tensor x = Jt.tensor(new double[] {1.26, -3.5}, DType.FLOAT64).to(d).requiresGrad_(true);
        Tensor y = x.round(1).add(x.div(2.0, "floor"));
        assertEquals(0.0, grads(y, x).get(0).abs().sum().item());
        assertEquals("RoundBackward1", x.round(1).gradFn().name());
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void indexAddTakesAlphaAndNarrowATensorStart(Device d) {
        Tensor x = leaf("index_add_alpha/x", d), src = leaf("index_add_alpha/src", d);
        Tensor idx = Jt.tensor(new long[] {2, 0, 2}).to(d);
        Tensor out = x.indexAdd(0, idx, src, -1.5);
        check("index_add_alpha/out", out.cpu());
        List<Tensor> g = grads(out, x, src);
        check("index_add_alpha/grad_x", g.get(0).cpu());
        check("index_add_alpha/grad_src", g.get(1).cpu());
        check("index_add_alpha/out", Jt.indexAdd(x, 0, idx, src, -1.5).cpu());
        check("index_add_alpha/int", Jt.tensor(new long[] {1, 2}).to(d).indexAdd(0, Jt.tensor(new long[] {1, 1}).to(d),
                Jt.tensor(new long[] {1, 1}).to(d), 3).cpu());
        gradCheck(d, xs -> xs.get(0).indexAdd(0, idx.to(xs.get(0).device()), xs.get(1), -1.5),
                in("index_add_alpha/x", Device.CPU), in("index_add_alpha/src", Device.CPU));
        check("narrow_t/out", Jt.narrow(Jt.arange(10).to(d), 0, Jt.tensor(-3L), 2).cpu());
        check("narrow_t/out", Jt.arange(10).to(d).narrow(0, Jt.tensor(7L).to(d), 2).cpu());
        assertThrows(IllegalArgumentException.class, () -> Jt.arange(10).narrow(0, Jt.tensor(1.0), 2));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void dtypeArgumentsCastTheInputFirst(Device d) {
        Tensor x = in("dtype/x", d);
        check("dtype/softmax_f64", Jt.softmax(x, 1, DType.FLOAT64).cpu(), 1e-7, 1e-9);
        check("dtype/softmax_f64", x.softmax(1, DType.FLOAT64).cpu(), 1e-7, 1e-9);
        check("dtype/log_softmax_f64", x.logSoftmax(0, DType.FLOAT64).cpu(), 1e-7, 1e-9);
        Tensor di = Jt.tensor(new long[][] {{1, 2, 3}, {4, -5, 6}}).to(d);
        check("dtype/sum_int_f32", Jt.sum(di, 1, false, DType.FLOAT32).cpu());
        check("dtype/sum_f_i64", Jt.tensor(new float[] {1.5f, 2.7f, -0.5f}).to(d).sum(0, false, DType.INT64).cpu());
        check("dtype/prod_int_f64", di.prod(DType.FLOAT64).cpu());
        check("dtype/prod_dim_int_f64", Jt.prod(di, 0, true, DType.FLOAT64).cpu());
        check("dtype/cumsum_int_f32", di.cumsum(1, DType.FLOAT32).cpu());
        check("dtype/cumprod_int_f64", Jt.cumprod(di, 0, DType.FLOAT64).cpu());
        check("dtype/mean_int_f64", di.mean(1, true, DType.FLOAT64).cpu());
        check("dtype/sum_int_f32", di.sum(1, DType.FLOAT32).cpu());
        check("dtype/mean_int_f64", Jt.mean(di, 1, DType.FLOAT64).unsqueeze(1).cpu());
        var e = assertThrows(IllegalArgumentException.class, () -> Jt.mean(x, 0, DType.INT64));
        assertTrue(e.getMessage().contains("Optional dtype must be either a floating point"), e.getMessage());
        Tensor r = Jt.randintLike(x, 3, 7, DType.INT64);
        assertEquals(DType.INT64, r.dtype());
        assertEquals(d, r.device());
        assertTrue(r.min().item() >= 3 && r.max().item() < 7, r.toString());
        assertEquals(DType.FLOAT32, Jt.randintLike(x, 5).dtype());
        Tensor leaf = in("dtype/x", d).requiresGrad_(true);
        Tensor s = leaf.softmax(1, DType.FLOAT64);
        assertEquals(DType.FLOAT32, grads(s, leaf).get(0).dtype());
        gradCheck(d, xs -> xs.get(0).logSoftmax(1, DType.FLOAT64).mul(xs.get(0).cumprod(0, DType.FLOAT64)),
                in("dtype/x", Device.CPU).to(DType.FLOAT64));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void inPlaceFormsAndATensorFillValue(Device d) {
        Tensor mask = Jt.tensor(new boolean[] {true, false, true}).to(d);
        Tensor x = leaf("inplace/x", d), value = Jt.tensor(-2.5, DType.FLOAT64).to(d).requiresGrad_(true);
        Tensor out = x.maskedFill(mask, value);
        check("inplace/masked_fill_t", out.cpu());
        check("inplace/masked_fill_t", Jt.maskedFill(x, mask, value).cpu());
        List<Tensor> g = grads(out, x, value);
        check("inplace/masked_fill_t/grad_x", g.get(0).cpu());
        check("inplace/masked_fill_t/grad_value", g.get(1).cpu());
        assertThrows(IllegalArgumentException.class, () -> x.maskedFill(mask, Jt.ones(1).to(d)));
        check("inplace/masked_fill_t", in("inplace/x", d).maskedFill_(mask, Jt.tensor(-2.5).to(d)).cpu());
        Tensor y = in("inplace/x", d);
        assertSame(y, y.indexAdd_(0, Jt.tensor(new long[] {1, 1}).to(d), Jt.ones(new long[] {2, 3}, DType.FLOAT64).to(d), 2));
        check("inplace/index_add_", y.cpu());
        check("inplace/clamp_", in("inplace/x", d).clamp_(Jt.tensor(new double[] {1, 2, 3}, DType.FLOAT64).to(d),
                Jt.tensor(new double[] {4}, DType.FLOAT64).to(d)).cpu());
        check("inplace/scatter_reduce_", in("inplace/x", d).scatterReduce_(1, Jt.tensor(new long[][] {{0, 0, 2}, {1, 1, 1}}).to(d),
                Jt.tensor(new double[][] {{9, 8, 7}, {1, 2, 3}}, DType.FLOAT64).to(d), "amax", false).cpu());
        assertThrows(IllegalStateException.class, () -> leaf("inplace/x", d).clamp_(null, in("inplace/x", d)));
        Tensor idx = Jt.tensor(new long[][] {{0, 0, 2}, {1, 1, 1}});
        gradCheck(d, xs -> {
            Tensor t = xs.get(0).mul(1.0); // a non-leaf, written in place: the history moves to the in-place result
            t.scatterReduce_(1, idx.to(t.device()), xs.get(1), "prod", true);
            t.indexAdd_(0, Jt.tensor(new long[] {1, 0}).to(t.device()), xs.get(1), 0.5);
            return t.clamp_(xs.get(1).mul(0.1), null);
        }, in("inplace/x", Device.CPU).add(1.0), Jt.tensor(new double[][] {{0.9, 1.8, -0.7}, {1.1, 2.2, 3.3}}, DType.FLOAT64));
    }
}
