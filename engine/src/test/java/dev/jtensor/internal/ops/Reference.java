package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.function.DoubleBinaryOperator;

/**
 * Scalar reference loops in double precision over any layouts: the oracle the fast kernels are
 * tested against (STYLE G13). Test code only.
 */
public final class Reference {
    private Reference() {}

    /** {@code out[i] = f(a[i], b[i])} elementwise over already-broadcast layouts of one shape. */
    public static void binary(Tensor a, Layout la, Tensor b, Layout lb, Tensor out, Layout lo, DoubleBinaryOperator f) {
        MemorySegment sa = Tensors.storage(a).segment(), sb = Tensors.storage(b).segment();
        MemorySegment so = Tensors.storage(out).writableSegment();
        DType ta = a.dtype(), tb = b.dtype(), to = out.dtype();
        long[] shape = lo.shape();
        long n = lo.numel();
        int rank = shape.length;
        long[] idx = new long[rank];
        long oa = la.offset(), ob = lb.offset(), oo = lo.offset();
        for (long k = 0; k < n; k++) {
            double v = f.applyAsDouble(Elements.getDouble(sa, ta, oa * ta.byteSize()), Elements.getDouble(sb, tb, ob * tb.byteSize()));
            Elements.setDouble(so, to, oo * to.byteSize(), v);
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    oa += la.stride(d); ob += lb.stride(d); oo += lo.stride(d);
                    break;
                }
                oa -= la.stride(d) * (shape[d] - 1);
                ob -= lb.stride(d) * (shape[d] - 1);
                oo -= lo.stride(d) * (shape[d] - 1);
                idx[d] = 0;
            }
        }
    }

    /** Sum over {@code dims} (kept as size 1) into a fresh tensor of {@code outType}, accumulating in double. */
    public static Tensor sum(Tensor x, boolean[] reduce, DType outType) {
        Layout l = Tensors.layout(x);
        long[] outShape = l.shape().clone();
        for (int d = 0; d < outShape.length; d++) if (reduce[d]) outShape[d] = 1;
        Tensor out = Tensors.zeros(outType, outShape);
        Layout lo = Tensors.layout(out);
        long[] outStrides = lo.strides().clone();
        for (int d = 0; d < outStrides.length; d++) if (reduce[d]) outStrides[d] = 0;
        Layout acc = new Layout(l.shape(), outStrides, 0);
        double[] sums = new double[(int) lo.numel()];
        MemorySegment s = Tensors.storage(x).segment();
        DType t = x.dtype();
        long[] shape = l.shape();
        long n = l.numel();
        long[] idx = new long[shape.length];
        long oi = l.offset(), oa = 0;
        for (long k = 0; k < n; k++) {
            sums[(int) oa] += Elements.getDouble(s, t, oi * t.byteSize());
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) { oi += l.stride(d); oa += acc.stride(d); break; }
                oi -= l.stride(d) * (shape[d] - 1);
                oa -= acc.stride(d) * (shape[d] - 1);
                idx[d] = 0;
            }
        }
        MemorySegment so = Tensors.storage(out).segment();
        for (int i = 0; i < sums.length; i++) Elements.setDouble(so, outType, (long) i * outType.byteSize(), sums[i]);
        return out;
    }
}
