package dev.jtensor;

import static dev.jtensor.Parity2FixesTest.gradCheck;
import static dev.jtensor.testing.Parity2Golden.check;
import static dev.jtensor.testing.Parity2Golden.grads;
import static dev.jtensor.testing.Parity2Golden.in;
import static dev.jtensor.testing.Parity2Golden.leaf;
import static dev.jtensor.testing.Parity2Golden.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 20: {@code scatter_reduce} (sum, prod, mean, amax, amin; include_self either way) and
 * {@code scatter(..., reduce=)} against PyTorch 1.13 with gradients, and memory formats as strides
 * ({@code contiguous(channels_last)}, {@code empty_like(memory_format=)}, {@code is_contiguous(format)}).
 */
class Parity2ScatterTest {
    static final String DEVICES = "dev.jtensor.testing.Devices#available";
    static final String[] REDUCTIONS = {"sum", "prod", "mean", "amax", "amin"};

    @ParameterizedTest @MethodSource(DEVICES)
    void scatterReduceMatchesPyTorchWithGradients(Device d) {
        Tensor index = in("scatter_reduce/index", d);
        for (String red : REDUCTIONS) {
            for (boolean inc : new boolean[] {true, false}) {
                String name = "scatter_reduce/" + red + "_" + (inc ? "True" : "False");
                Tensor x = leaf("scatter_reduce/x", d), src = leaf("scatter_reduce/src", d);
                Tensor out = inc && red.equals("sum") ? x.scatterReduce(1, index, src, red) : Jt.scatterReduce(x, 1, index, src, red, inc);
                check(name, out.cpu(), 1e-12, 1e-12);
                List<Tensor> g = grads(out, x, src);
                check(name + "/grad_x", g.get(0).cpu(), 1e-12, 1e-12);
                check(name + "/grad_src", g.get(1).cpu(), 1e-12, 1e-12);
                gradCheck(d, xs -> xs.get(0).scatterReduce(1, index.to(xs.get(0).device()), xs.get(1), red, inc),
                        in("scatter_reduce/x", Device.CPU), in("scatter_reduce/src", Device.CPU));
            }
        }
        for (boolean inc : new boolean[] {true, false}) { // prod through zeros in x and in src
            Tensor x = leaf("scatter_reduce_zero/x", d), src = leaf("scatter_reduce_zero/src", d);
            Tensor out = x.scatterReduce(1, index, src, "prod", inc);
            String name = "scatter_reduce_zero/" + (inc ? "True" : "False");
            check(name, out.cpu(), 1e-12, 1e-12);
            List<Tensor> g = grads(out, x, src);
            check(name + "/grad_x", g.get(0).cpu(), 1e-12, 1e-12);
            check(name + "/grad_src", g.get(1).cpu(), 1e-12, 1e-12);
        }
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void scatterReduceWithASourceLargerThanItsIndexDifferentiatesTheReadBlockOnly(Device d) {
        // PyTorch reads src only where index has elements: src [3, 5] with index [2, 3] uses src[:2, :3];
        // the rest of src gets a zero gradient (checked by finite differences in float64, every reduction; no ties).
        Tensor index = Jt.tensor(new long[][] {{0, 2, 0}, {1, 1, 3}}).to(d);
        Tensor x = Jt.tensor(new double[][] {{1.5, -2, 0.5, 3}, {2, 0.25, -1, 4.5}}, DType.FLOAT64);
        Tensor src = Jt.tensor(new double[][] {{0.5, 2, -3, 7, 9}, {1.25, -0.5, 4, 8, 6}, {3, 2, 1, 5, 4}}, DType.FLOAT64);
        for (String red : REDUCTIONS) {
            for (boolean inc : new boolean[] {true, false}) {
                gradCheck(d, xs -> xs.get(0).scatterReduce(1, index.to(xs.get(0).device()), xs.get(1), red, inc), x, src);
                Tensor leafSrc = src.to(d).requiresGrad_(true);
                x.to(d).scatterReduce(1, index, leafSrc, red, inc).sum().backward();
                Tensor outside = leafSrc.grad().cpu().slice(0, 2, 3);
                assertEquals(0.0, outside.abs().sum().item(), red + " row outside the index block");
                assertEquals(0.0, leafSrc.grad().cpu().slice(1, 3, 5).abs().sum().item(), red + " columns outside the block");
            }
        }
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void scatterReduceOfIntegersAndTheLegacyReduceArgument(Device d) {
        Tensor index = in("scatter_reduce/index", d);
        Tensor ix = Jt.arange(12).reshape(3, 4).to(d);
        Tensor isrc = Jt.tensor(new long[][] {{5, -7, 2, 9}, {1, 1, -3, 4}, {8, -2, 6, 0}}).to(d);
        for (String red : REDUCTIONS) {
            for (boolean inc : new boolean[] {true, false}) {
                check("scatter_reduce_int/" + red + "_" + (inc ? "True" : "False"), ix.scatterReduce(1, index, isrc, red, inc).cpu());
            }
        }
        Tensor x = in("scatter_reduce/x", d), src = in("scatter_reduce/src", d);
        check("scatter_legacy/add", x.scatter(1, index, src, "add").cpu(), 1e-12, 1e-12);
        check("scatter_legacy/multiply", Jt.scatter(x, 1, index, src, "multiply").cpu(), 1e-12, 1e-12);
        check("scatter_legacy/add_value", Jt.scatter(x, 1, index, 2.5, "add").cpu(), 1e-12, 1e-12);
        check("scatter_legacy/multiply_value", x.scatter(1, index, 2.5, "multiply").cpu(), 1e-12, 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> x.scatterReduce(1, index, src, "max"));
        assertTrue(e.getMessage().contains("sum, prod, mean, amax or amin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.scatter(1, index, src, "sum"));
        assertThrows(IllegalArgumentException.class, () -> x.scatterReduce(1, index, src.to(DType.FLOAT32), "sum"));
        var oob = assertThrows(IndexOutOfBoundsException.class, () -> x.scatterReduce(1, index.add(1L), src, "amax"));
        assertTrue(oob.getMessage().contains("out of bounds"), oob.getMessage());
    }

    @ParameterizedTest @MethodSource(DEVICES)
    void channelsLastIsAStrideOrder(Device d) {
        Tensor x = Jt.arange(24.0).reshape(1, 2, 3, 4).to(d);
        Tensor y = x.contiguous(MemoryFormat.CHANNELS_LAST);
        assertArrayEquals(new long[] {24, 1, 8, 2}, y.stride());
        assertFalse(y.isContiguous());
        assertTrue(y.isContiguous(MemoryFormat.CHANNELS_LAST));
        assertFalse(x.isContiguous(MemoryFormat.CHANNELS_LAST));
        assertTrue(x.isContiguous(MemoryFormat.CONTIGUOUS_FORMAT));
        assertTrue(x.equal(y), "same values, other strides");
        assertSame(y, y.contiguous(MemoryFormat.CHANNELS_LAST));
        assertArrayEquals(new long[] {24, 12, 4, 1}, y.contiguous(MemoryFormat.CONTIGUOUS_FORMAT).stride());
        assertArrayEquals(new long[] {24, 1, 8, 2}, Jt.emptyLike(x, MemoryFormat.CHANNELS_LAST).stride());
        assertArrayEquals(new long[] {24, 1, 8, 2}, Jt.emptyLike(y, MemoryFormat.PRESERVE_FORMAT).stride());
        assertArrayEquals(new long[] {24, 12, 4, 1}, Jt.emptyLike(y, DType.FLOAT64, MemoryFormat.CONTIGUOUS_FORMAT).stride());
        assertArrayEquals(new long[] {1, 5}, Jt.emptyLike(Jt.zeros(3, 5).t(), MemoryFormat.PRESERVE_FORMAT).stride());
        assertEquals(d, Jt.emptyLike(y, MemoryFormat.PRESERVE_FORMAT).device());
        assertArrayEquals(new long[] {24, 1, 8, 2}, x.clone(MemoryFormat.CHANNELS_LAST).stride());
        assertTrue(Jt.zeros(2, 3, 1, 1).isContiguous(MemoryFormat.CHANNELS_LAST), "size-1 dims take any stride, as PyTorch");
        assertArrayEquals(new long[] {360, 1, 90, 18, 3},
                Jt.zeros(2, 3, 4, 5, 6).to(d).contiguous(MemoryFormat.CHANNELS_LAST_3D).stride());
        var e = assertThrows(IllegalArgumentException.class, () -> Jt.zeros(2, 3, 4).contiguous(MemoryFormat.CHANNELS_LAST));
        assertTrue(e.getMessage().contains("required rank 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.contiguous(MemoryFormat.PRESERVE_FORMAT));
        Tensor leaf = Jt.arange(24.0, DType.FLOAT64, d, false).reshape(1, 2, 3, 4).requiresGrad_(true);
        Tensor cl = leaf.contiguous(MemoryFormat.CHANNELS_LAST).mul(2.0);
        assertTrue(cl.add(1.0).sum(1, false).allclose(x.mul(2.0).add(1.0).sum(1, false).to(DType.FLOAT64)), "ops read the strides");
        assertTrue(grads(cl, leaf).get(0).allclose(weights(cl).mul(2.0)), "the gradient flows back through the permuted copy");
    }
}
