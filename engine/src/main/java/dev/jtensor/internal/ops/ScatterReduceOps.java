package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.ScatterReduce;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import java.util.List;

/**
 * {@code scatter_reduce(dim, index, src, reduce, include_self)} and {@code scatter(..., reduce=)}: a copy of
 * x where every position {@code p with p[dim] := index[p]} combines {@code src[p]} by sum, prod, mean, amax or
 * amin (in index order), starting from x's value when {@code includeSelf}, else from the first value
 * scattered there. Sum and mean are composed of the scatter-add verb (a kernel on every device); prod, amax
 * and amin use the {@code scatterReduce} verb (the CPU's loop; other devices go through the host for now). Backward (ScatterReduceBackward0) is
 * PyTorch 1.13's scatter_reduce_backward, in tensor ops.
 */
public final class ScatterReduceOps {
    private ScatterReduceOps() {}

    /** {@code x.scatter_reduce(dim, index, src, reduce, include_self=includeSelf)}. */
    public static Tensor scatterReduce(Tensor x, int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        ScatterReduce r = ScatterReduce.of(reduce);
        if (x.dim() == 0) { // one element, as PyTorch
            return scatterReduce(x.reshape(1), 0, index.reshape(-1), src.reshape(-1), reduce, includeSelf).reshape();
        }
        int d = Layout.wrapDim(dim, x.dim());
        Tensor out;
        try (GradMode m = GradMode.set(false)) {
            out = forward(r, includeSelf, x, d, index, src);
        }
        if (!x.dtype().isFloatingPoint() || !Autograd.needsGrad(x, src)) return out;
        return Autograd.record("ScatterReduceBackward0", out, List.of(x, src), List.of(x, src, out), (g, s) -> {
            Tensor[] gs = backward(r, includeSelf, g, s.get(0), d, index, s.get(1), s.get(2));
            return grads(s.needsInputGrad(0) ? gs[0] : null, s.needsInputGrad(1) ? gs[1] : null);
        });
    }

    /** {@code x.scatter_reduce_(dim, index, src, reduce, include_self=includeSelf)}: in place, returns x. */
    public static Tensor scatterReduce_(Tensor x, int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        Elementwise.checkInPlace(x);
        return Elementwise.writeTracked(x, scatterReduce(x.clone(), dim, index, src, reduce, includeSelf));
    }

    /**
     * {@code x.scatter(dim, index, src, reduce=)} with PyTorch's {@code "add"} or {@code "multiply"}: the sum or
     * product scattered onto x's values.
     */
    public static Tensor scatter(Tensor x, int dim, Tensor index, Tensor src, String reduce) {
        return scatterReduce(x, dim, index, src, legacy(reduce), true);
    }

    /** {@code x.scatter(dim, index, value, reduce=)}: {@code value} at every position of index. */
    public static Tensor scatter(Tensor x, int dim, Tensor index, double value, String reduce) {
        Tensor src = Creation.full(index.shape().toArray(), value, x.dtype(), x.device());
        return scatterReduce(x, dim, index, src, legacy(reduce), true);
    }

    private static String legacy(String reduce) {
        return switch (reduce) {
            case "add" -> "sum";
            case "multiply" -> "prod";
            default -> throw new IllegalArgumentException("reduce argument must be either add or multiply, got " + reduce);
        };
    }

    private static Tensor forward(ScatterReduce r, boolean includeSelf, Tensor x, int d, Tensor index, Tensor src) {
        if (src.dtype() != x.dtype()) {
            throw new IllegalArgumentException("scatter_reduce(): Expected self.dtype to be equal to src.dtype (got " + x.dtype()
                    + " and " + src.dtype() + ")");
        }
        if (index.numel() == 0) return x.clone();
        Indexing.checkIndexShape("scatter_reduce", x, d, index, src);
        Tensor base = includeSelf ? x : Indexing.scatter(x, d, index, 0); // the receiving positions start from 0
        switch (r) {
            case SUM -> { return Indexing.scatterAdd(base, d, index, src); }
            case MEAN -> {
                Tensor sum = Indexing.scatterAdd(base, d, index, src);
                Tensor count = Creation.full(x.shape().toArray(), includeSelf ? 1 : 0, x.dtype(), x.device())
                        .scatterAdd(d, index, Creation.full(src.shape().toArray(), 1, x.dtype(), x.device()));
                count = count.maskedFill(count.eq(0.0), 1);
                return x.dtype().isFloatingPoint() ? sum.div(count) : sum.floorDiv(count);
            }
            default -> {
                Tensor idx = Indexing.indexOn("scatter_reduce", index, false, x.device());
                Tensor out = x.clone();
                Layout ol = Tensors.layout(out), sl = Tensors.layout(src);
                Dispatch.run("scatter_reduce", out, src, idx, (backend, bo, bs, bi) ->
                        backend.scatterReduce(r, includeSelf, new Operand(bo, out.dtype(), ol), d, Indexing.operand(idx, bi),
                                new Operand(bs, out.dtype(), sl)));
                return out;
            }
        }
    }

    /** PyTorch 1.13's scatter_reduce_backward: {grad of self, grad of src}. */
    private static Tensor[] backward(ScatterReduce r, boolean includeSelf, Tensor g, Tensor self, int d, Tensor index, Tensor fullSrc,
                                     Tensor result) {
        // The forward reads only src's leading index.shape block (src may be larger, as PyTorch allows): the rules
        // below work on that block, and its gradient is placed back into zeros of src's shape.
        Tensor src = fullSrc;
        for (int i = 0; i < index.dim(); i++) if (src.size(i) != index.size(i)) src = src.narrow(i, 0, index.size(i));
        Tensor[] grads = blockBackward(r, includeSelf, g, self, d, index, src, result);
        if (src != fullSrc && grads[1] != null) {
            Tensor padded = Creation.full(fullSrc.shape().toArray(), 0, grads[1].dtype(), g.device());
            Tensor block = padded;
            for (int i = 0; i < index.dim(); i++) block = block.narrow(i, 0, index.size(i));
            block.copy_(grads[1]);
            grads[1] = padded;
        }
        return grads;
    }

    private static Tensor[] blockBackward(ScatterReduce r, boolean includeSelf, Tensor g, Tensor self, int d, Tensor index, Tensor src,
                                          Tensor result) {
        DType t = g.dtype();
        Tensor gSelf, gSrc;
        switch (r) {
            case SUM -> {
                gSelf = g;
                gSrc = g.gather(d, index);
            }
            case MEAN -> {
                Tensor n = Creation.full(g.shape().toArray(), includeSelf ? 1 : 0, t, g.device())
                        .scatterAdd(d, index, Creation.full(src.shape().toArray(), 1, t, g.device()));
                n = n.maskedFill(n.eq(0.0), 1);
                gSelf = g.div(n);
                gSrc = g.gather(d, index).div(n.gather(d, index));
            }
            case PROD -> {
                Tensor maskedSelf = self.maskedFill(self.eq(0.0), 1);
                gSelf = g.mul(scatterReduce(maskedSelf, d, index, src, "prod", includeSelf)).div(maskedSelf);
                Tensor srcZero = src.eq(0.0);
                Tensor zerosPerTarget = Creation.full(self.shape().toArray(), 0, t, g.device()).scatterAdd(d, index, srcZero.to(t))
                        .gather(d, index);
                Tensor singleZero = srcZero.logicalAnd(zerosPerTarget.eq(1.0));
                Tensor withoutThatZero = scatterReduce(self, d, index, src.maskedFill(singleZero, 1), "prod", includeSelf);
                gSrc = Comparison.where(singleZero, g.mul(withoutThatZero).gather(d, index),
                        g.mul(result).gather(d, index).div(src.maskedFill(srcZero, 1)));
            }
            case AMAX, AMIN -> { // the gradient is shared evenly among the elements equal to the result
                Tensor value = result.gather(d, index);
                Tensor selfIs = self.eq(result).to(t), srcIs = src.eq(value).to(t);
                Tensor distributed = g.div(selfIs.scatterAdd(d, index, srcIs));
                gSelf = selfIs.mul(distributed);
                gSrc = srcIs.mul(distributed.gather(d, index));
            }
            default -> throw new AssertionError(r);
        }
        if (!includeSelf) gSelf = Indexing.scatter(gSelf, d, index, 0);
        return new Tensor[] {gSelf, gSrc};
    }
}
