package dev.jtensor.internal.ops;

import dev.jtensor.Tensor;
import dev.jtensor.amp.Autocast;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.backend.plan.ReducePlan;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Promotion;
import java.util.List;

/**
 * {@code softmax} and {@code logSoftmax} along one dim, numerically stable: each row is shifted by its
 * maximum before exponentiating ({@code softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m)},
 * {@code logSoftmax(x)_i = x_i - m - log sum_j exp(x_j - m)}), by the backend's row kernel. Floating dtypes
 * only; the result is a fresh contiguous tensor of x's shape and dtype.
 */
public final class Softmax {
    private Softmax() {}

    /** Softmax along {@code dim}. Backward (SoftmaxBackward0): {@code y * (g - sum(g * y, dim))}. */
    public static Tensor softmax(Tensor x, int dim) {
        x = Autocast.input("softmax", x);
        Tensor y = forward(x, dim, false, "softmax");
        if (!Autograd.needsGrad(x)) return y;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("SoftmaxBackward0", y, List.of(x), List.of(y), (g, s) -> {
            Tensor out = s.get(0);
            Tensor dot = Reduce.sum(g.mul(out), new int[] {d}, true);
            return List.of(out.mul(g.sub(dot)));
        });
    }

    /** Log-softmax along {@code dim}. Backward (LogSoftmaxBackward0): {@code g - exp(y) * sum(g, dim)}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        x = Autocast.input("log_softmax", x);
        Tensor y = forward(x, dim, true, "log_softmax");
        if (!Autograd.needsGrad(x)) return y;
        int d = Layout.wrapDim(dim, x.dim());
        return Autograd.record("LogSoftmaxBackward0", y, List.of(x), List.of(y), (g, s) ->
                List.of(g.sub(s.get(0).exp().mul(Reduce.sum(g, new int[] {d}, true)))));
    }

    private static Tensor forward(Tensor x, int dim, boolean log, String op) {
        if (!x.dtype().isFloatingPoint()) {
            throw new UnsupportedOperationException(op + "(): not implemented for '" + Promotion.cTypeName(x.dtype())
                    + "' (floating dtypes only)");
        }
        Tensors.checkOpen(x);
        Layout l = Tensors.layout(x);
        ReducePlan.AlongDim along = ReducePlan.alongDim(l, dim);
        ReducePlan plan = along.plan();
        long length = along.length(), after = along.after();
        long inStride = l.rank() == 0 ? 0 : l.stride(along.dim());
        Tensor y = Tensors.empty(x.dtype(), l.shape().clone(), x.device());
        Dispatch.run(op, y, x, (backend, by, bx) -> backend.softmax(log, x.dtype(), plan, length, after, inStride, by, bx));
        return y;
    }
}
