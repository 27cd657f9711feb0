package dev.jtensor;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.testing.GoldenRepr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14: Python-style indexing, T, tolist, against what PyTorch prints (golden/nn/parity_repr.txt). */
class ParityIndexingTest {
    static final GoldenRepr R = GoldenRepr.of("parity_repr.txt");

    static Tensor x() { return arange(24.0).reshape(2, 3, 4); }

    static Tensor m() { return arange(20.0).reshape(4, 5); }

    @Test
    void readsAsPythonIndexes() {
        assertEquals(R.get("x_:,1"), x().get(":, 1").toString());
        assertEquals(R.get("x_...,-1"), x().get("..., -1").toString());
        assertEquals(R.get("m_1:3,::2"), m().get("1:3, ::2").toString());
        assertEquals(R.shape("m_None,:"), m().get("None, :").shape().toString());
        assertEquals(R.get("m_-1"), m().get("-1").toString());
        assertEquals(R.get("m_:,-2:"), m().get(":, -2:").toString());
        assertEquals(R.shape("x_1,...,None"), x().get("1, ..., None").shape().toString());
        Tensor m = m();
        assertEquals(R.get("m_mask_gt_10"), m.get(m.gt(10)).toString());
        assertEquals(R.get("m_:,idx"), m.index(Slice.all(), Slice.tensor(tensor(new long[] {0, 2}))).toString());
        assertEquals(R.get("x_:,rowmask"), x().index(Slice.all(), Slice.tensor(tensor(new boolean[] {true, false, true}))).toString());
        assertEquals(R.get("m_idx_rows"), m.get(tensor(new long[] {3, 0})).toString());
        assertEquals(m.get("1:3, ::2").toString(), m.index(Slice.of(1L, 3L), Slice.of(null, null, 2L)).toString());
    }

    /** d2l's cross-entropy from scratch: {@code y_hat[range(len(y_hat)), y]}. */
    @Test
    void severalIndexTensorsPickPoints() {
        Tensor m = m(), x = x();
        assertEquals(R.get("m_arange,idx"), m.index(Slice.tensor(arange(4)), Slice.indices(0, 2, 4, 1)).toString());
        assertEquals(R.get("x_:,i,j"), x.index(Slice.all(), Slice.indices(0, 2), Slice.indices(1, 3)).toString());
        assertEquals(R.get("x_i,:,j_nonadjacent"),
                x.index(Slice.indices(1, 0), Slice.all(), Slice.tensor(tensor(new long[][] {{3}, {0}}))).toString());
        Tensor yHat = tensor(new double[][] {{0.1, 0.3, 0.6}, {0.3, 0.2, 0.5}}, true);
        Tensor picked = yHat.index(Slice.indices(0, 1), Slice.tensor(tensor(new long[] {0, 2})));
        assertEquals(R.get("yhat_pick"), picked.toString());
        picked.log().neg().sum().backward();
        assertEquals(R.get("yhat_pick_grad"), yHat.grad().toString());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> m.index(Slice.indices(0), Slice.indices(5)));
        assertTrue(e.getMessage().startsWith("index 5 is out of bounds for dimension 1 with size 5"), e.getMessage());
        assertEquals(R.get("set_points_dup"), m().set(new Slice[] {Slice.indices(0, 3, 0), Slice.indices(1, 4, 1)},
                tensor(new double[] {7, 8, 9})).toString());
        assertEquals(R.get("set_:,i,j"), x().set(new Slice[] {Slice.all(), Slice.indices(0, 2), Slice.indices(1, 3)}, -1).toString());
        assertEquals(R.get("set_i,:,j"), x().set(new Slice[] {Slice.indices(1, 0), Slice.all(), Slice.indices(3, 0)},
                tensor(new double[] {100, 200, 300})).toString());
    }

    @Test
    void basicIndexesAreViews() {
        Tensor m = m();
        Tensor col = m.get(":, 1");
        col.fill_(-7);
        assertEquals(-7.0, m.get(2, 1).item());
        assertSame(m.get("").getClass(), Tensor.class);
        assertEquals(m.toString(), m.get("").toString());
    }

    @Test
    void writesAsPythonAssignments() {
        assertEquals(R.get("set_:,1_0"), m().set(":, 1", 0).toString());
        Tensor a = m();
        assertEquals(R.get("set_mask_-1"), a.set(a.gt(10), -1).toString());
        assertEquals(R.get("set_1:3,::2_row"), m().set("1:3, ::2", tensor(new double[] {7, 8, 9})).toString());
        Tensor col = tensor(new double[][] {{1}, {2}, {3}, {4}});
        Slice[] items = {Slice.all(), Slice.tensor(tensor(new long[] {0, 4}))};
        assertEquals(R.get("set_:,idx_col"), m().set(items, col).toString());
        assertEquals(R.get("set_...,-1_5"), x().set("..., -1", 5).toString());
    }

    @Test
    void transposesAndLists() {
        assertEquals(R.get("m_T"), m().T().toString());
        assertEquals(R.shape("x_T_shape"), x().T().shape().toString());
        assertEquals(R.shape("x_mT_shape"), x().mT().shape().toString());
        assertEquals(R.get("tolist"), tensor(new double[][] {{1, 2.5}, {3, 4}}).tolist().toString());
        assertEquals(R.get("tolist_long"), tensor(new long[][] {{1, 2}, {3, 4}}).tolist().toString());
        assertEquals(List.of(true, false), tensor(new boolean[] {true, false}).tolist());
        assertThrows(IllegalStateException.class, () -> tensor(1.0).tolist());
    }

    @Test
    void gradientsFlowThroughIndexViews() {
        Tensor w = tensor(new double[][] {{1, 2}, {3, 4}}, true);
        Tensor y = w.get(":, 1").mul(3);
        assertEquals(R.get("grad_of_slice_y"), y.toString());
        y.sum().backward();
        assertEquals(R.get("grad_of_slice"), w.grad().toString());
    }

    @Test
    void gradientsFlowThroughTensorIndexesAtAnyDim() {
        Tensor w = arange(20.0).reshape(4, 5).requiresGrad_(true);
        w.index(Slice.all(), Slice.tensor(tensor(new long[] {0, 2, 2}))).sum().backward();
        assertEquals("[1.0, 0.0, 2.0, 0.0, 0.0]", w.grad().get("0").tolist().toString());
        assertEquals("[1.0, 0.0, 2.0, 0.0, 0.0]", w.grad().get("-1").tolist().toString());
        Tensor v = arange(20.0).reshape(4, 5).requiresGrad_(true);
        v.get("1:3, ::2").mul(2).sum().backward();
        assertEquals("[[0.0, 0.0, 0.0, 0.0, 0.0], [2.0, 0.0, 2.0, 0.0, 2.0], [2.0, 0.0, 2.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0]]",
                v.grad().tolist().toString());
    }

    @Test
    void errorsNameTheOffendingIndex() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> m().get(":, 5"));
        assertTrue(e.getMessage().contains("index 5 is out of bounds for dimension 1 with size 5"), e.getMessage());
        var second = assertThrows(IndexOutOfBoundsException.class, () -> m().get("0, 5"));
        assertTrue(second.getMessage().startsWith("index 5 is out of bounds for dimension 1 with size 5"), second.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> m().get(":, x"));
        assertTrue(bad.getMessage().contains("invalid index 'x' at position 1"), bad.getMessage());
        var many = assertThrows(IndexOutOfBoundsException.class, () -> m().get("0, 0, 0"));
        assertTrue(many.getMessage().contains("too many indices for tensor of dimension 2"), many.getMessage());
        var step = assertThrows(IllegalArgumentException.class, () -> m().get("::-1"));
        assertTrue(step.getMessage().contains("step must be greater than zero"), step.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m().get("..., ..."));
    }

    @Test
    void factoriesTakeDtypeDeviceAndRequiresGrad() {
        assertEquals(R.get("arange_4.0"), arange(4.0).toString());
        assertEquals(R.get("arange_12_float32"), arange(12, DType.FLOAT32).toString());
        assertEquals(R.get("arange_1.0_4.0"), arange(1.0, 4.0).toString());
        assertEquals(R.get("zeros_2_3_float64"), zeros(new long[] {2, 3}, DType.FLOAT64, Device.CPU).toString());
        assertEquals(R.get("ones_like_int64"), onesLike(rand(2, 2), DType.INT64).toString());
        assertEquals(R.get("full_0d"), full(3.5).toString());
        assertEquals(R.get("scalar_tensor"), scalarTensor(3.5).toString());
        assertEquals(R.get("tensor_2x2_requires_grad"), tensor(new double[][] {{1, 2}, {3, 4}}, true).toString());
        assertEquals(R.get("tensor_2x2_float64_requires_grad"),
                tensor(new double[][] {{1, 2}, {3, 4}}, DType.FLOAT64, true).toString());
        assertEquals(R.get("zeros_requires_grad"), zeros(new long[] {2}, DType.FLOAT32, true).toString());
        manualSeed(0);
        assertEquals(R.get("randn_0d_seed0"), randn().toString());
        manualSeed(0);
        assertEquals(R.get("rand_like_float64_seed0"), randLike(zeros(2, 2), DType.FLOAT64).toString());
        assertThrows(IllegalArgumentException.class, () -> tensor(new long[] {1, 2}, true));
        assertEquals("tensor([[7., 7.]], dtype=torch.float64)", full(new long[] {1, 2}, 7, DType.FLOAT64, Device.CPU).toString());
        assertEquals("tensor([[0., 0.]], dtype=torch.float64, requires_grad=True)",
                zerosLike(ones(1, 2), DType.FLOAT64, Device.CPU, true).toString());
        assertEquals(DType.FLOAT64, randn(new long[] {2}, DType.FLOAT64, Device.CPU).dtype());
        assertEquals(DType.INT32, randintLike(zeros(new long[] {3}, DType.INT32), 0, 5).dtype());
        assertEquals("tensor([0, 1, 2], dtype=torch.int32)", arange(3, DType.INT32).toString());
        assertEquals("tensor(-1., requires_grad=True)", full(shape(), -1.0, DType.FLOAT32, Device.CPU, true).toString());
        assertEquals(0, randn(shape(), DType.FLOAT32, Device.CPU, true).dim());
        if (!cuda().isAvailable()) assertThrows(IllegalStateException.class, () -> zeros(new long[] {2}, DType.FLOAT32, Device.cuda(0)));
    }
}
