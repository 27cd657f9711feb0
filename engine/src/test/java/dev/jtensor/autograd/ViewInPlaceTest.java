package dev.jtensor.autograd;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.backend.cpu.CpuCopy;
import dev.jtensor.internal.Tensors;
import org.junit.jupiter.api.Test;

/**
 * In-place ops on views (CopySlices). {@code inPlaceAdd} performs the in-place protocol the elementwise
 * family follows (out-of-place value on a copy, written back, version bumped, history rebased).
 */
class ViewInPlaceTest {
    static Tensor inPlaceAdd(Tensor self, Tensor other) {
        Tensor r = self.clone().add(other);
        try (var g = GradMode.set(false)) {
            CpuCopy.copy(Tensors.storage(r).segment(), r.dtype(), Tensors.layout(r), Tensors.storage(self).segment(), self.dtype(),
                    Tensors.layout(self));
        }
        Tensors.bumpVersion(self);
        Autograd.rebaseHistory(self, r);
        return self;
    }

    @Test
    void gradientFlowsThroughCopySlicesToBaseHistoryAndOperand() {
        Tensor a = tensor(new double[] {1, 2, 3, 4}, DType.FLOAT32, true);
        Tensor w = tensor(new double[] {10, 20}, DType.FLOAT32, true);
        Tensor x = a.add(zeros(4));
        Tensor v = x.slice(0, 1, 3);
        inPlaceAdd(v, w);
        assertArrayEquals(new double[] {1, 12, 23, 4}, x.toDoubleArray());
        assertEquals("CopySlices", x.gradFn().name());
        assertEquals("AsStridedBackward0", v.gradFn().name());
        // loss = x.sum() + x[1] + x[1]: weights 1, 3, 1, 1
        Tensor loss = x.sum().add(x.get(1)).add(x.get(1));
        loss.backward();
        assertArrayEquals(new double[] {1, 3, 1, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {3, 1}, w.grad().toDoubleArray());
    }

    @Test
    void gradientThroughTheModifiedViewItself() {
        Tensor a = tensor(new double[][] {{1, 2}, {3, 4}}, DType.FLOAT32, true);
        Tensor w = tensor(5.0, true);
        Tensor x = a.add(zeros(2, 2));
        Tensor row = x.get(0);
        inPlaceAdd(row, w);
        row.sum().add(x.sum()).backward(); // weights: row 2, other row 1
        assertArrayEquals(new double[] {2, 2, 1, 1}, a.grad().toDoubleArray());
        assertEquals(4.0, w.grad().item());
    }

    @Test
    void baseThatNeededNoGradStartsRequiringIt() {
        Tensor x = zeros(3);
        Tensor w = tensor(new double[] {7}, DType.FLOAT32, true);
        inPlaceAdd(x.slice(0, 2, 3), w);
        assertEquals(true, x.requiresGrad());
        x.sum().backward();
        assertArrayEquals(new double[] {1}, w.grad().toDoubleArray());
    }

    @Test
    void viewOfALeafThatRequiresGradIsRefused() {
        Tensor leaf = zeros(3).requiresGrad_(true);
        Tensor v = leaf.slice(0, 0, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inPlaceAdd(v, ones(2)));
        assertEquals("a view of a leaf Variable that requires grad is being used in an in-place operation.", e.getMessage());
    }

    @Test
    void underNoGradTheHistoryIsLeftAlone() {
        Tensor leaf = zeros(3).requiresGrad_(true);
        try (var g = GradMode.set(false)) {
            inPlaceAdd(leaf.slice(0, 0, 2), ones(2));
        }
        assertArrayEquals(new double[] {1, 1, 0}, leaf.toDoubleArray());
        assertEquals(true, leaf.isLeaf());
    }

    @Test
    void realInPlaceOpsOnViewsMatchPyTorch() {
        // PyTorch: a = tensor([1., 2., 3., 4.], requires_grad=True); x = a * 2; x[1:3].mul_(w); (x * x).sum().backward()
        Tensor a = tensor(new double[] {1, 2, 3, 4}, DType.FLOAT32, true);
        Tensor w = tensor(3.0, true);
        Tensor x = a.mul(2);
        x.slice(0, 1, 3).mul_(w);
        assertEquals("CopySlices", x.gradFn().name());
        assertArrayEquals(new double[] {2, 12, 18, 8}, x.toDoubleArray());
        x.mul(x).sum().backward();
        // d/da: 2 * x * dx/da = [2*2*2, 2*12*6, 2*18*6, 2*8*2]; d/dw = sum over the slice of 2 * x * (2a)
        assertArrayEquals(new double[] {8, 144, 216, 32}, a.grad().toDoubleArray());
        assertEquals(2 * 12 * 4 + 2 * 18 * 6, w.grad().item());
    }

    @Test
    void savedTensorModifiedThroughAViewIsDetected() {
        Tensor a = tensor(new double[] {1, 2}, DType.FLOAT32, true);
        Tensor x = a.add(0.0);
        Tensor y = x.mul(x);
        x.get(0).add_(1.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().startsWith("one of the variables needed for gradient computation has been modified by an inplace operation"),
                e.getMessage());
    }
}
