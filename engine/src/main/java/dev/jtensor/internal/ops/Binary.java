package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Layout;
import java.util.List;

/**
 * Binary elementwise ops with broadcasting. (Bootstrap version: add only, through the reference
 * loop; the full family with promotion and fast kernels replaces it.)
 */
public final class Binary {
    private Binary() {}

    /** z = a + b with broadcasting. Backward: g to both (the engine sums back to each shape). */
    public static Tensor add(Tensor a, Tensor b) {
        long[] shape = Reference.broadcastShapes("add", Tensors.layout(a).shape(), Tensors.layout(b).shape());
        DType t = a.dtype() == b.dtype() ? a.dtype() : (a.dtype().isFloatingPoint() ? a.dtype() : b.dtype());
        Tensor z = Tensors.empty(t, shape);
        Reference.binary(a, Tensors.layout(a).expand(shape), b, Tensors.layout(b).expand(shape), z, Tensors.layout(z), Double::sum);
        if (!Autograd.needsGrad(a, b)) return z;
        return Autograd.record("AddBackward0", z, List.of(a, b), List.of(), (g, s) -> List.of(g, g));
    }

    /** a += b in place (b broadcast to a's shape). */
    public static Tensor add_(Tensor a, Tensor b) {
        Layout la = Tensors.layout(a);
        Reference.broadcastShapes("add_", la.shape(), Tensors.layout(b).shape());
        Reference.binary(a, la, b, Tensors.layout(b).expand(la.shape()), a, la, Double::sum);
        Tensors.bumpVersion(a);
        return a;
    }
}
