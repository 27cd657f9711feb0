package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.internal.Tensors;
import java.util.Arrays;
import java.util.List;

/**
 * 2-d max pooling with indices (issue 22), PyTorch's {@code max_pool2d_with_indices}: the backend's kernels where it
 * has them (the CPU: float32, float64; {@code native/cpu/conv.c} or its Java loops; backward
 * {@code MaxPool2DWithIndicesBackward0} adds each output gradient at its index), else {@link #composite} (windows of
 * a {@code -inf}-padded copy, max along the taps, values gathered at the indices so that autograd differentiates them).
 */
public final class MaxPool {
    private MaxPool() {}

    /** {@code x [N, C, H, W]}; output sizes by PyTorch's rules, ceil mode included; indices flat in each {@code H x W} plane. */
    public static ValuesIndices maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceil) {
        Im2Col.checkArgs("max_pool2d", kernel, dilation, padding, stride);
        if (x.dim() != 4) throw new IllegalArgumentException("max_pool2d: expected a 4-d input [N, C, H, W], got " + x.shape());
        for (int i = 0; i < 2; i++) {
            if (padding[i] > kernel[i] / 2) {
                throw new IllegalArgumentException("pad should be at most half of effective kernel size, but got pad=" + padding[i]
                        + ", kernel_size=" + kernel[i] + " and dilation=" + dilation[i]);
            }
        }
        long h = x.size(2), w = x.size(3);
        long oH = outSize(h, kernel[0], stride[0], padding[0], dilation[0], ceil), oW = outSize(w, kernel[1], stride[1], padding[1], dilation[1], ceil);
        if (oH <= 0 || oW <= 0) {
            throw new IllegalArgumentException("max_pool2d: given input " + x.shape() + ", kernel_size " + Arrays.toString(kernel)
                    + " and padding " + Arrays.toString(padding) + " give an output of (" + oH + ", " + oW + "): too small");
        }
        var sh = new WindowShape(x.size(0) * x.size(1), h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], oH, oW);
        if (x.numel() > 0 && Backend.of(x.device()).hasWindowKernels(x.dtype())) return kernel(x, sh);
        return composite(x, sh);
    }

    /** PyTorch's pooling output size along one dim, including its ceil-mode rule (no window starting in the right padding). */
    static long outSize(long size, int k, int s, int p, int d, boolean ceil) {
        long span = size + 2L * p - (long) d * (k - 1) - 1;
        long out = Math.floorDiv(span + (ceil ? s - 1 : 0), s) + 1;
        if (ceil && (out - 1) * s >= size + p) out--;
        return out;
    }

    private static ValuesIndices kernel(Tensor x, WindowShape sh) {
        DType t = x.dtype();
        Tensor xc = x.detach().contiguous();
        long[] outShape = {x.size(0), x.size(1), sh.oH(), sh.oW()};
        Tensor out = Tensors.empty(t, outShape, x.device()), idx = Tensors.empty(DType.INT64, outShape, x.device());
        Dispatch.run("max_pool2d", new Tensor[] {out, idx}, new Tensor[] {xc}, (b, w, r) -> b.maxPool2d(sh, operand(w[0], out), operand(w[1], idx),
                operand(r[0], xc)));
        if (!Autograd.needsGrad(x)) return new ValuesIndices(out, idx);
        Tensor values = Autograd.record("MaxPool2DWithIndicesBackward0", out, List.of(x), List.of(idx), (g, sv) -> List.of(backward(g, sv.get(0), sh)));
        return new ValuesIndices(values, idx);
    }

    /** The gradient of x: the kernel, or (when g itself needs a gradient: double backward) a differentiable scatter-add. */
    static Tensor backward(Tensor g, Tensor idx, WindowShape sh) {
        long n = g.size(0), c = g.size(1);
        if (Autograd.needsGrad(g) || !Backend.of(g.device()).hasWindowKernels(g.dtype())) {
            Tensor zeros = Creation.full(new long[] {n, c, sh.h() * sh.w()}, 0, g.dtype(), g.device());
            return zeros.scatterAdd(2, idx.reshape(n, c, sh.oH() * sh.oW()), g.reshape(n, c, sh.oH() * sh.oW())).view(n, c, sh.h(), sh.w());
        }
        DType t = g.dtype();
        Tensor gc = g.contiguous(), gin = Tensors.empty(t, new long[] {n, c, sh.h(), sh.w()}, g.device());
        Dispatch.run("max_pool2d backward", new Tensor[] {gin}, new Tensor[] {gc, idx}, (b, w, r) ->
                b.maxPool2dBackward(sh, operand(w[0], gin), operand(r[0], gc), operand(r[1], idx)));
        return gin;
    }

    /** By tensor ops, any dtype and device: indices from the taps of a {@code -inf}-padded copy, values gathered from x. */
    public static ValuesIndices composite(Tensor x, WindowShape sh) {
        long n = x.size(0), c = x.size(1);
        long ch = Math.max(sh.h() + 2L * sh.pH(), (sh.oH() - 1) * sh.sH() + (long) sh.dH() * (sh.kH() - 1) + 1);
        long cw = Math.max(sh.w() + 2L * sh.pW(), (sh.oW() - 1) * sh.sW() + (long) sh.dW() * (sh.kW() - 1) + 1);
        Tensor canvas = Creation.full(new long[] {n, c, ch, cw}, Double.NEGATIVE_INFINITY, x.dtype(), x.device());
        canvas.narrow(2, sh.pH(), sh.h()).narrow(3, sh.pW(), sh.w()).copy_(x.detach());
        var onCanvas = new WindowShape(sh.planes(), ch, cw, sh.kH(), sh.kW(), sh.sH(), sh.sW(), 0, 0, sh.dH(), sh.dW(), sh.oH(), sh.oW());
        Tensor local = Im2Col.im2colComposite(canvas, onCanvas).max(2).indices();
        Tensor ki = local.floorDiv(sh.kW()).mul(sh.dH()), kj = local.remainder(sh.kW()).mul(sh.dW());
        Tensor rows = Movement.toDevice(Creation.arange(0, sh.oH(), 1, DType.INT64).mul(sh.sH()).sub(sh.pH()).view(sh.oH(), 1), x.device());
        Tensor cols = Movement.toDevice(Creation.arange(0, sh.oW(), 1, DType.INT64).mul(sh.sW()).sub(sh.pW()), x.device());
        Tensor idx = ki.add(rows).mul(sh.w()).add(kj.add(cols));
        Tensor values = x.reshape(n, c, sh.h() * sh.w()).gather(2, idx.reshape(n, c, sh.oH() * sh.oW())).view(n, c, sh.oH(), sh.oW());
        return new ValuesIndices(values, idx);
    }

}
