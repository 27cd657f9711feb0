package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.Movement;
import java.util.List;

/**
 * Autograd of in-place ops on views (PyTorch's {@code CopySlices}). After {@code v.op_(...)} where
 * {@code v} views {@code base}, the base's new value is "old base with v's region replaced by the op's
 * result": the base gets a {@code CopySlices} node sending the gradient outside the region to its old
 * history and the gradient inside the region to the op's result; {@code v} becomes the region of the
 * new base ({@code AsStridedBackward0}). Other views of the same base taken before the write keep their
 * old history (PyTorch regenerates theirs; documented limitation).
 */
final class ViewInPlace {
    private ViewInPlace() {}

    static void rebase(Tensor view, Tensor base, Tensor result) {
        if (base.isLeaf() && base.requiresGrad()) {
            throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        }
        Layout lb = Tensors.layout(base), lv = Tensors.layout(view);
        if (!lb.isContiguous()) {
            throw new UnsupportedOperationException("autograd of an in-place op on a view needs a contiguous base; base has shape "
                    + base.shape() + " and strides " + java.util.Arrays.toString(lb.strides()));
        }
        long[] baseShape = lb.shape().clone();
        Layout region = new Layout(lv.shape().clone(), lv.strides().clone(), lv.offset() - lb.offset());
        Autograd.record("CopySlices", base, List.of(base, result), List.of(), (g, s) -> BackwardRule.grads(
                s.needsInputGrad(0) ? outside(g, region) : null, s.needsInputGrad(1) ? regionOf(g, region, baseShape) : null));
        Autograd.record("AsStridedBackward0", view, List.of(base), List.of(), (g, s) ->
                List.of(scatter(g, region, baseShape)));
    }

    /** {@code g} viewed at {@code region} (g has the base's shape). Backward: scatter. */
    static Tensor regionOf(Tensor g, Layout region, long[] baseShape) {
        Tensor gc = g.contiguous();
        Tensor r = Tensors.view(gc, new Layout(region.shape(), region.strides(), region.offset() + Tensors.layout(gc).offset()));
        if (!Autograd.needsGrad(g)) return r;
        return Autograd.record("AsStridedBackward0", r, List.of(g), List.of(), (gg, s) -> List.of(scatter(gg, region, baseShape)));
    }

    /** Zeros of the base's shape with {@code g} written at {@code region}. Backward: the region. */
    static Tensor scatter(Tensor g, Layout region, long[] baseShape) {
        return Movement.scatterRegion(g, baseShape, region, "AsStridedScatterBackward0",
                gg -> regionOf(gg, region, baseShape));
    }

    /** A copy of {@code g} with the region zeroed (the gradient of the base's untouched part). Backward: the same. */
    static Tensor outside(Tensor g, Layout region) {
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            out = g.detach().clone().contiguous();
            Tensors.view(out, region).zero_();
        }
        if (!Autograd.needsGrad(g)) return out;
        return Autograd.record("CopySlices", out, List.of(g), List.of(), (gg, s) -> List.of(outside(gg, region)));
    }

}
