package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Layout;
import java.util.List;

/** Reductions. (Bootstrap version: sum only, through the reference loop.) */
public final class Reduce {
    private Reduce() {}

    /** Sum over {@code dims}; integer and bool inputs sum to int64, as PyTorch. Backward: g expanded back. */
    public static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        Layout l = Tensors.layout(x);
        boolean[] reduce = new boolean[l.rank()];
        if (dims.length == 0) java.util.Arrays.fill(reduce, true);
        for (int d : dims) reduce[Layout.wrapDim(d, l.rank())] = true;
        DType outType = x.dtype().isFloatingPoint() ? x.dtype() : DType.INT64;
        Tensor kept = Reference.sum(x, reduce, outType);
        Tensor out = kept;
        if (!keepdim) {
            for (int d = reduce.length - 1; d >= 0; d--) if (reduce[d]) out = out.squeeze(d);
        }
        if (!Autograd.needsGrad(x)) return out;
        long[] in = l.shape();
        long[] keptShape = Tensors.layout(kept).shape();
        return Autograd.record("SumBackward" + (dims.length == 0 ? "0" : "1"), out, List.of(x), List.of(),
                (g, s) -> List.of(g.reshape(keptShape).expand(in)));
    }
}
