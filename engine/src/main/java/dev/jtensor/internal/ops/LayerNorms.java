package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.BackwardRule;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.internal.Tensors;
import java.util.Arrays;
import java.util.List;

/**
 * Layer norm over the last {@code k} dims ({@code torch.layer_norm}) and GELU's backward, each one backend kernel where
 * the backend has one (the CPU: float32 and float64, {@code native/cpu/norm.c}), else composed of elementwise ops
 * ({@link #composite}, also the kernels' test oracle). The fused layer norm is one autograd node
 * ({@code NativeLayerNormBackward0}) whose backward is one kernel plus the column sums of the affine parameters' gradients;
 * when the backward pass itself records ({@code createGraph}) it computes the same formula in tensor ops from the saved input,
 * so double backward stays exact. {@code -Djtensor.fusedNorm=false} turns both fused paths off.
 */
public final class LayerNorms {
    private LayerNorms() {}

    private static final boolean FUSED = !"false".equalsIgnoreCase(System.getProperty("jtensor.fusedNorm", "true"));

    /**
     * {@code (x - mean) / sqrt(var + eps) * weight + bias} over the trailing dims {@code normalizedShape} (biased variance);
     * weight, bias may be null.
     *
     * @throws IllegalArgumentException when {@code normalizedShape} is not x's trailing shape (PyTorch's message)
     */
    public static Tensor layerNorm(Tensor x, long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        long[] shape = x.shape().toArray();
        if (k == 0 || k > shape.length) {
            throw new IllegalArgumentException("layer_norm: normalized_shape " + java.util.Arrays.toString(normalizedShape)
                    + " does not fit input of shape " + x.shape());
        }
        for (int i = 0; i < k; i++) {
            if (shape[shape.length - k + i] != normalizedShape[i]) {
                throw new IllegalArgumentException("Given normalized_shape=" + java.util.Arrays.toString(normalizedShape)
                        + ", expected input with shape [*, " + java.util.Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                        + "], but got input of size " + x.shape());
            }
        }
        int dims = k;
        DType t = x.dtype();
        boolean fusable = FUSED && (t == DType.FLOAT32 || t == DType.FLOAT64) && x.numel() > 0 && (weight == null || weight.dtype() == t)
                && (bias == null || bias.dtype() == t);
        if (fusable) {
            Tensor y = fused(x, dims, weight, bias, eps);
            if (y != null) return y;
        }
        return composite(x, dims, weight, bias, eps);
    }

    /** The composite of elementwise ops (differentiable to any order). */
    public static Tensor composite(Tensor x, int dims, Tensor weight, Tensor bias, double eps) {
        int[] d = new int[dims];
        for (int i = 0; i < dims; i++) d[i] = x.dim() - dims + i;
        Tensor mean = x.mean(d, true);
        Tensor centered = x.sub(mean);
        Tensor var = centered.mul(centered).mean(d, true);
        Tensor y = centered.div(var.add(eps).sqrt());
        if (weight != null) y = y.mul(weight);
        if (bias != null) y = y.add(bias);
        return y;
    }

    /** Null when the backend has no kernel. */
    private static Tensor fused(Tensor x, int dims, Tensor weight, Tensor bias, double eps) {
        DType t = x.dtype();
        long cols = 1;
        for (int i = x.dim() - dims; i < x.dim(); i++) cols *= x.size(i);
        long rows = x.numel() / cols, c = cols;
        if ((weight != null && weight.numel() != cols) || (bias != null && bias.numel() != cols)) return null;
        Tensor xc = x.detach().contiguous(), w = weight == null ? null : weight.detach().contiguous(), b = bias == null ? null : bias.detach().contiguous();
        Tensor y = Tensors.empty(t, x.shape().toArray(), x.device());
        Tensor mean = Tensors.empty(t, new long[] {rows}, x.device()), rstd = Tensors.empty(t, new long[] {rows}, x.device());
        Tensor[] reads = w == null ? (b == null ? new Tensor[] {xc} : new Tensor[] {xc, b}) : b == null ? new Tensor[] {xc, w} : new Tensor[] {xc, w, b};
        boolean[] done = new boolean[1];
        Dispatch.run("layer_norm", new Tensor[] {y, mean, rstd}, reads, (backend, wr, r) -> done[0] = backend.layerNorm(rows, c, eps,
                operand(wr[0], y), operand(wr[1], mean), operand(wr[2], rstd), operand(r[0], xc), w == null ? null : operand(r[1], w),
                b == null ? null : operand(r[w == null ? 1 : 2], b)));
        if (!done[0]) return null;
        List<Tensor> inputs = Arrays.asList(x, weight, bias);
        if (!Autograd.needsGrad(inputs)) return y;
        List<Tensor> toSave = weight == null ? List.of(x, mean, rstd) : List.of(x, mean, rstd, weight);
        return Autograd.record("NativeLayerNormBackward0", y, inputs, toSave, (g, sv) -> {
            Tensor sx = sv.get(0), sm = sv.get(1), sr = sv.get(2), sw = weight == null ? null : sv.get(3);
            boolean nx = sv.needsInputGrad(0), nw = sw != null && sv.needsInputGrad(1), nb = bias != null && sv.needsInputGrad(2);
            if (GradMode.isEnabled()) return formulaGrads(sx, dims, sw, eps, g, nx, nw, nb);
            Tensor gc = g.contiguous(), xk = sx.detach().contiguous(), wk = sw == null ? null : sw.detach().contiguous();
            Tensor dx = Tensors.empty(t, xk.shape().toArray(), g.device()), gxhat = nw ? Tensors.empty(t, xk.shape().toArray(), g.device()) : null;
            Tensor[] bwReads = wk == null ? new Tensor[] {gc, xk, sm, sr} : new Tensor[] {gc, xk, sm, sr, wk};
            Tensor[] writes = gxhat == null ? new Tensor[] {dx} : new Tensor[] {dx, gxhat};
            boolean[] ok = new boolean[1];
            Dispatch.run("layer_norm backward", writes, bwReads, (backend, wr, r) -> ok[0] = backend.layerNormBackward(rows, c, operand(wr[0], dx),
                    gxhat == null ? null : operand(wr[1], gxhat), operand(r[0], gc), operand(r[1], xk), operand(r[2], sm), operand(r[3], sr),
                    wk == null ? null : operand(r[4], wk)));
            if (!ok[0]) return formulaGrads(sx, dims, sw, eps, g, nx, nw, nb);
            Tensor gw = gxhat == null ? null : gxhat.reshape(rows, c).sum(0).reshape(sw.shape().toArray());
            Tensor gb = nb ? gc.reshape(rows, c).sum(0).reshape(bias.shape().toArray()) : null;
            return BackwardRule.grads(nx ? dx : null, gw, gb);
        });
    }

    /**
     * The gradients in tensor ops from the input itself (PyTorch's layer_norm backward formula): differentiable again, for
     * a backward that records. {@code dx = rstd (gw - mean(gw) - xh mean(gw xh))}, {@code dw = g xh}, {@code db = g}
     * (the last two summed back to the parameters' shape by the engine).
     */
    private static List<Tensor> formulaGrads(Tensor x, int dims, Tensor w, double eps, Tensor g, boolean nx, boolean nw, boolean nb) {
        int[] d = new int[dims];
        for (int i = 0; i < dims; i++) d[i] = x.dim() - dims + i;
        Tensor centered = x.sub(x.mean(d, true));
        Tensor rstd = centered.mul(centered).mean(d, true).add(eps).rsqrt();
        Tensor xh = centered.mul(rstd), gw = w == null ? g : g.mul(w);
        Tensor dx = nx ? gw.sub(gw.mean(d, true)).sub(xh.mul(gw.mul(xh).mean(d, true))).mul(rstd) : null;
        return BackwardRule.grads(dx, nw ? g.mul(xh) : null, nb ? g : null);
    }

    /**
     * {@code g * gelu'(x)} in one kernel where the backend has one and the pass does not record (float32/float64), else
     * null: the caller composes it.
     */
    static Tensor geluBackward(Tensor g, Tensor x, boolean tanh) {
        DType t = x.dtype();
        if (!FUSED || GradMode.isEnabled() || (t != DType.FLOAT32 && t != DType.FLOAT64) || g.dtype() != t || x.numel() == 0
                || !g.shape().equals(x.shape())) {
            return null;
        }
        Tensor gc = g.contiguous(), xc = x.contiguous(), dx = Tensors.empty(t, x.shape().toArray(), x.device());
        boolean[] ok = new boolean[1];
        Dispatch.run("gelu backward", new Tensor[] {dx}, new Tensor[] {gc, xc}, (backend, w, r) ->
                ok[0] = backend.geluBackward(xc.numel(), tanh, operand(w[0], dx), operand(r[0], gc), operand(r[1], xc)));
        return ok[0] ? dx : null;
    }

}
