package dev.jtensor;

import static dev.jtensor.testing.Parity2Golden.check;
import static dev.jtensor.testing.Parity2Golden.grads;
import static dev.jtensor.testing.Parity2Golden.in;
import static dev.jtensor.testing.Parity2Golden.leaf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.testing.GradCheck;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 20, "wrong or failing today": each case against PyTorch 1.13's values and gradients
 * (golden/nn/parity2.tsv), the Jt function and the Tensor method, on every available device; gradients
 * also by finite differences in float64 over every subset of inputs requiring grad (GradCheck, with the
 * op run on the device under test).
 */
class Parity2FixesTest {
    static final String DEVICES = "dev.jtensor.testing.Devices#available";

    /** GradCheck of f run on {@code device}: inputs moved there, the output brought back. */
    static void gradCheck(Device device, Function<List<Tensor>, Tensor> f, Tensor... float64Inputs) {
        GradCheck.check(xs -> f.apply(xs.stream().map(t -> t.to(device)).toList()).to(Device.CPU), float64Inputs);
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void gatherIndexSelectAndIndexAddTreatAZeroDimTensorAsOneElement(Device d) {
        Tensor x = in("gather0d/x", d);
        check("gather0d/out_scalar_index", Jt.gather(x, 0, Jt.tensor(0L).to(d)).cpu());
        check("gather0d/out_scalar_index", x.gather(-1, Jt.tensor(0L).to(d)).cpu());
        check("gather0d/out_vector_index", x.gather(0, Jt.tensor(new long[] {0, 0}).to(d)).cpu());
        check("index_select0d/out", Jt.indexSelect(x, 0, Jt.tensor(new long[] {0}).to(d)).cpu());
        check("index_select0d/out", x.indexSelect(0, Jt.tensor(0L).to(d)).cpu());
        Tensor src = Jt.tensor(new double[] {2, 3}, DType.FLOAT64).to(d);
        check("index_add0d/out", Jt.indexAdd(x, 0, Jt.tensor(new long[] {0, 0}).to(d), src).cpu());
        check("index_add0d/out", x.indexAdd(0, Jt.tensor(new long[] {0, 0}).to(d), src).cpu());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> x.gather(0, Jt.tensor(1L).to(d)).cpu()); // a GPU: at the download
        assertTrue(e.getMessage().startsWith("index 1 is out of bounds for dimension 0 with size 1"), e.getMessage());
        Tensor idx = Jt.tensor(new long[] {0, 0, 0});
        gradCheck(d, xs -> xs.get(0).gather(0, idx.to(xs.get(0).device())).mul(xs.get(0)), Jt.tensor(1.5, DType.FLOAT64));
        gradCheck(d, xs -> xs.get(0).indexAdd(0, Jt.tensor(new long[] {0, 0}).to(xs.get(0).device()), xs.get(1)).mul(xs.get(0)),
                Jt.tensor(1.5, DType.FLOAT64), Jt.tensor(new double[] {0.5, -2}, DType.FLOAT64));
        gradCheck(d, xs -> xs.get(0).indexSelect(0, Jt.tensor(0L).to(xs.get(0).device())).mul(xs.get(0)), Jt.tensor(-0.7, DType.FLOAT64));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void gatherWithAnEmptyIndexOfAnyIntegerTypeIsEmpty(Device d) {
        Tensor x = Jt.ones(3, 4).to(d);
        check("gather_empty/out", Jt.gather(x, 1, Jt.empty(new long[] {3, 0}, DType.INT32).to(d)).cpu());
        check("gather_empty/out", x.gather(1, Jt.empty(new long[] {3, 0}, DType.INT32).to(d)).cpu());
        assertArrayEquals(new long[] {0}, x.gather(1, Jt.empty(new long[] {0}, DType.INT64).to(d)).shape().toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> x.gather(1, Jt.ones(new long[] {3, 1}, DType.INT32).to(d)));
        assertEquals(true, e.getMessage().startsWith("gather(): Expected dtype int64 for index"), e.getMessage());
        Tensor leaf = Jt.ones(3, 4).to(d).requiresGrad_(true);
        leaf.gather(1, Jt.empty(new long[] {3, 0}, DType.INT32).to(d)).sum().backward();
        assertEquals(0.0, leaf.grad().abs().sum().item());
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void maskedFillBroadcastsTheInputToTheMasksShape(Device d) {
        Tensor x = leaf("masked_fill_bcast/x", d), mask = in("masked_fill_bcast/mask", d);
        Tensor out = x.maskedFill(mask, -1.5);
        check("masked_fill_bcast/out", out.cpu());
        check("masked_fill_bcast/out", Jt.maskedFill(x, mask, -1.5).cpu());
        check("masked_fill_bcast/grad_x", grads(out, x).get(0).cpu());
        var e = assertThrows(IllegalArgumentException.class, () -> x.detach().clone().maskedFill_(mask, 0));
        assertEquals(true, e.getMessage().contains("[2, 1, 3]"), e.getMessage());
        gradCheck(d, xs -> xs.get(0).maskedFill(mask.to(xs.get(0).device()), 2.0), in("masked_fill_bcast/x", Device.CPU));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void outerAndGerOfBoolIsLogicalAnd(Device d) {
        Tensor a = in("outer_bool/a", d), b = in("outer_bool/b", d);
        check("outer_bool/out", Jt.outer(a, b).cpu());
        check("outer_bool/out", a.outer(b).cpu());
        check("outer_bool/out", Jt.ger(a, b).cpu());
        check("outer_bool/out", a.ger(b).cpu());
        Tensor bf = Jt.tensor(new double[] {1.5, -2.0}, DType.FLOAT32).to(d);
        check("ger_bool_float/out", Jt.tensor(new boolean[] {true, false}).to(d).ger(bf).cpu());
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void integerArangeTruncatesTheBoundsAsPyTorch(Device d) {
        double[][] cases = {{0.0, -8.000001, -4.0}, {0.0, -8.000001, -4.0}, {0, 7.5, 2}, {0.5, 7.5, 2.5}, {0.5, 7.5, 2.5},
                {-0.5, 7.5, 2.5}, {-3.7, 4.2, 1.9}, {10.9, 0.2, -3.3}};
        DType[] types = {DType.INT64, DType.INT32, DType.INT64, DType.INT64, DType.INT32, DType.INT32, DType.INT64, DType.INT64};
        for (int i = 0; i < cases.length; i++) {
            check("arange/" + i, Jt.arange(cases[i][0], cases[i][1], cases[i][2], types[i]));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Jt.arange(0, 3, 0.5, DType.INT64));
        assertEquals("arange: step must be nonzero", e.getMessage());
        assertEquals(2, Jt.arange(0.0, -8.000001, -4.0, DType.INT64).numel());
        assertEquals(3, Jt.arange(0.0, -8.000001, -4.0, DType.FLOAT32).numel());
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void maximumAndMinimumPassTheGradientToBothSidesOfANaN(Device d) {
        for (String op : new String[] {"maximum", "minimum"}) {
            Tensor a = Jt.tensor(new double[] {1, Double.NaN, 3, 2, Double.NaN}, DType.FLOAT64).to(d).requiresGrad_(true);
            Tensor b = Jt.tensor(new double[] {2, 0, 3, 1, Double.NaN}, DType.FLOAT64).to(d).requiresGrad_(true);
            Tensor out = op.equals("maximum") ? a.maximum(b) : Jt.minimum(a, b);
            check(op + "_nan/out", out.cpu());
            List<Tensor> g = grads(out, a, b);
            check(op + "_nan/grad_a", g.get(0).cpu());
            check(op + "_nan/grad_b", g.get(1).cpu());
            Tensor viaMax = op.equals("maximum") ? Jt.max(a, b) : a.min(b);
            check(op + "_nan/out", viaMax.cpu());
            check(op + "_nan/grad_a", grads(viaMax, a, b).get(0).cpu());
        }
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void cumprodBackwardIsExactThroughZeros(Device d) {
        for (int dim = 0; dim < 2; dim++) {
            Tensor x = leaf("cumprod_zeros/x", d);
            Tensor out = dim == 0 ? x.cumprod(0) : Jt.cumprod(x, 1);
            check("cumprod_zeros/out" + dim, out.cpu());
            check("cumprod_zeros/d" + dim + "/grad_x", grads(out, x).get(0).cpu(), 1e-12, 1e-12);
            int dd = dim;
            gradCheck(d, xs -> xs.get(0).cumprod(dd), in("cumprod_zeros/x", Device.CPU));
        }
        gradCheck(d, xs -> xs.get(0).cumprod(0), Jt.tensor(new double[] {0, 0, 2, 3}, DType.FLOAT64));
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void matmulBackwardWithZeroSizedDims(Device d) {
        long[][][] shapes = {{{2, 3, 0}, {0, 4}}, {{2, 0, 3}, {3, 4}}, {{2, 3, 5}, {5, 0}}, {{0, 2, 3}, {3, 4}}};
        String[] names = {"inner0", "outer0", "n0", "batch0"};
        for (int i = 0; i < names.length; i++) {
            Tensor a = Jt.randn(shapes[i][0], DType.FLOAT64).to(d).requiresGrad_(true);
            Tensor b = Jt.randn(shapes[i][1], DType.FLOAT64).to(d).requiresGrad_(true);
            Tensor out = i % 2 == 0 ? a.matmul(b) : Jt.matmul(a, b);
            check("matmul0/" + names[i] + "_out", out.cpu());
            if (out.numel() > 0) {
                List<Tensor> g = grads(out, a, b);
                check("matmul0/" + names[i] + "/grad_a", g.get(0).cpu()); // zeros: the other operand is empty
                assertArrayEquals(shapes[i][1], g.get(1).shape().toArray());
                assertEquals(0.0, g.get(1).abs().sum().item());
            } else {
                out.sum().backward();
                assertArrayEquals(shapes[i][0], a.grad().shape().toArray(), names[i]);
                assertArrayEquals(shapes[i][1], b.grad().shape().toArray(), names[i]);
                check("matmul0/" + names[i] + "/grad_b", b.grad().cpu());
            }
        }
        for (String name : new String[] {"mm_inner0", "mm_outer0"}) { // the 2-D path
            long[][] sh = name.equals("mm_inner0") ? new long[][] {{3, 0}, {0, 4}} : new long[][] {{0, 3}, {3, 4}};
            Tensor a = Jt.randn(sh[0], DType.FLOAT64).to(d).requiresGrad_(true), b = Jt.randn(sh[1], DType.FLOAT64).to(d).requiresGrad_(true);
            Tensor out = Jt.mm(a, b);
            check("matmul0/" + name + "_out", out.cpu());
            out.sum().backward();
            check("matmul0/" + name + "/grad_a", a.grad().cpu());
            check("matmul0/" + name + "/grad_b", b.grad().cpu());
        }
    }
}
