package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.WindowShape;
import dev.jtensor.internal.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sliding windows of 2-d convolution and pooling (issue 22): {@code im2col} copies every window of
 * {@code x [N, C, H, W]} into {@code [N, C, kH * kW, OH, OW]} (zeros in the padding; PyTorch's
 * {@code aten::im2col} matrix {@code [N, C * kH * kW, OH * OW]} by a free reshape), {@code col2im} sums such
 * columns back; each is the other's backward ({@code Im2ColBackward0}, {@code Col2ImBackward0}). The backend's
 * kernels where it has them (the CPU: float32, float64, {@code native/cpu/conv.c} or its Java loops), else
 * {@link #im2colComposite}/{@link #col2imComposite} (strided views, stack and in-place adds: any dtype, any
 * device), which are also the kernels' test oracle.
 */
public final class Im2Col {
    private Im2Col() {}

    /** {@code x [N, C, H, W]} to its windows {@code [N, C, kH * kW, OH, OW]}, OH and OW by floor rounding. */
    public static Tensor im2col(Tensor x, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        checkArgs("im2col", kernel, dilation, padding, stride);
        if (x.dim() != 4) throw new IllegalArgumentException("im2col: expected a 4-d input [N, C, H, W], got " + x.shape());
        long h = x.size(2), w = x.size(3);
        long oH = grid(h, kernel[0], dilation[0], padding[0], stride[0]), oW = grid(w, kernel[1], dilation[1], padding[1], stride[1]);
        if (oH <= 0 || oW <= 0) {
            throw new IllegalArgumentException("im2col: input " + x.shape() + " with kernel_size " + Arrays.toString(kernel) + ", dilation "
                    + Arrays.toString(dilation) + ", padding " + Arrays.toString(padding) + " and stride " + Arrays.toString(stride)
                    + " gives a grid of (" + oH + ", " + oW + ") windows; both must be at least one");
        }
        return im2col(x, shape(x.size(0) * x.size(1), h, w, kernel, dilation, padding, stride, oH, oW));
    }

    /**
     * Columns {@code [N, C, kH * kW, OH, OW]} summed into {@code [N, C, outputSize[0], outputSize[1]]}: the adjoint
     * of {@link #im2col} for the grid the columns carry, which must fit the padded output.
     */
    public static Tensor col2im(Tensor cols, long[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        checkArgs("col2im", kernel, dilation, padding, stride);
        if (cols.dim() != 5 || cols.size(2) != (long) kernel[0] * kernel[1] || outputSize.length != 2 || outputSize[0] < 0 || outputSize[1] < 0) {
            throw new IllegalArgumentException("col2im: expected columns [N, C, " + (long) kernel[0] * kernel[1] + ", OH, OW] and a 2-element output size, got "
                    + cols.shape() + " and " + Arrays.toString(outputSize));
        }
        WindowShape sh = shape(cols.size(0) * cols.size(1), outputSize[0], outputSize[1], kernel, dilation, padding, stride, cols.size(3), cols.size(4));
        if (sh.oH() > 0 && sh.oW() > 0 && (grid(sh.h(), sh.kH(), sh.dH(), sh.pH(), sh.sH()) < sh.oH() || grid(sh.w(), sh.kW(), sh.dW(), sh.pW(), sh.sW()) < sh.oW())) {
            throw new IllegalArgumentException("col2im: a grid of (" + sh.oH() + ", " + sh.oW() + ") windows does not fit output size "
                    + Arrays.toString(outputSize) + " with padding " + Arrays.toString(padding));
        }
        return col2im(cols, sh);
    }

    /** PyTorch's floor-rounded output size along one dim; at most 0 when no window fits. */
    static long grid(long size, int k, int d, int p, int s) {
        long span = size + 2L * p - (long) d * (k - 1) - 1;
        return span < 0 ? 0 : span / s + 1;
    }

    private static WindowShape shape(long planes, long h, long w, int[] k, int[] d, int[] p, int[] s, long oH, long oW) {
        return new WindowShape(planes, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], oH, oW);
    }

    static void checkArgs(String op, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (kernel.length != 2 || dilation.length != 2 || padding.length != 2 || stride.length != 2) {
            throw new IllegalArgumentException(op + ": kernel_size, dilation, padding and stride must have 2 elements each");
        }
        for (int i = 0; i < 2; i++) {
            if (kernel[i] < 1 || dilation[i] < 1 || stride[i] < 1 || padding[i] < 0) {
                throw new IllegalArgumentException(op + ": kernel_size " + Arrays.toString(kernel) + ", dilation " + Arrays.toString(dilation)
                        + " and stride " + Arrays.toString(stride) + " must be positive and padding " + Arrays.toString(padding) + " non-negative");
            }
        }
    }

    static Tensor im2col(Tensor x, WindowShape sh) {
        Tensor in = x.detach(), out;
        DType t = x.dtype();
        if (in.numel() > 0 && sh.columnElements() > 0 && Backend.of(x.device()).hasWindowKernels(t)) {
            Tensor xc = in.contiguous();
            out = Tensors.empty(t, new long[] {x.size(0), x.size(1), (long) sh.kH() * sh.kW(), sh.oH(), sh.oW()}, x.device());
            Dispatch.run("im2col", new Tensor[] {out}, new Tensor[] {xc}, (backend, w, r) -> backend.im2col(sh, operand(w[0], out), operand(r[0], xc)));
        } else {
            out = im2colComposite(in, sh);
        }
        if (!Autograd.needsGrad(x)) return out;
        return Autograd.record("Im2ColBackward0", out, List.of(x), List.of(), (g, s) -> List.of(col2im(g, sh)));
    }

    static Tensor col2im(Tensor cols, WindowShape sh) {
        Tensor in = cols.detach(), out;
        DType t = cols.dtype();
        if (sh.imageElements() > 0 && in.numel() > 0 && Backend.of(cols.device()).hasWindowKernels(t)) {
            Tensor cc = in.contiguous();
            out = Tensors.empty(t, new long[] {cols.size(0), cols.size(1), sh.h(), sh.w()}, cols.device());
            Dispatch.run("col2im", new Tensor[] {out}, new Tensor[] {cc}, (backend, w, r) -> backend.col2im(sh, operand(w[0], out), operand(r[0], cc)));
        } else {
            out = col2imComposite(in, sh);
        }
        if (!Autograd.needsGrad(cols)) return out;
        return Autograd.record("Col2ImBackward0", out, List.of(cols), List.of(), (g, s) -> List.of(im2col(g, sh)));
    }

    /**
     * im2col of {@code x [N, C, H, W]} (no autograd) written into {@code out}, a contiguous {@code [N, C, kH * kW, OH, OW]}
     * (a view into a larger buffer, say): the backend's kernel where it has one, else the composite copied in.
     */
    static void im2colInto(Tensor x, WindowShape sh, Tensor out) {
        DType t = x.dtype();
        Tensor xc = x.detach().contiguous();
        if (xc.numel() > 0 && sh.columnElements() > 0 && Backend.of(x.device()).hasWindowKernels(t)) {
            Dispatch.run("im2col", new Tensor[] {out}, new Tensor[] {xc}, (backend, w, r) -> backend.im2col(sh, operand(w[0], out), operand(r[0], xc)));
        } else {
            out.copy_(im2colComposite(xc, sh));
        }
        Tensors.bumpVersion(out);
    }

    /** col2im (no autograd) of contiguous {@code cols} written into {@code out}, a contiguous {@code [N, C, H, W]} (a view, say). */
    static void col2imInto(Tensor cols, WindowShape sh, Tensor out) {
        DType t = cols.dtype();
        Tensor cc = cols.detach().contiguous();
        if (sh.imageElements() > 0 && cc.numel() > 0 && Backend.of(cols.device()).hasWindowKernels(t)) {
            Dispatch.run("col2im", new Tensor[] {out}, new Tensor[] {cc}, (backend, w, r) -> backend.col2im(sh, operand(w[0], out), operand(r[0], cc)));
        } else {
            out.copy_(col2imComposite(cc, sh));
        }
        Tensors.bumpVersion(out);
    }

    /** im2col of {@code x [N, C, H, W]} by tensor ops (no autograd): zero-padded copy, one strided view per tap, stacked. */
    public static Tensor im2colComposite(Tensor x, WindowShape sh) {
        if (sh.oH() == 0 || sh.oW() == 0) {
            return Creation.full(new long[] {x.size(0), x.size(1), (long) sh.kH() * sh.kW(), sh.oH(), sh.oW()}, 0, x.dtype(), x.device());
        }
        Tensor xp = x;
        if (sh.pH() > 0 || sh.pW() > 0) {
            xp = Creation.full(new long[] {x.size(0), x.size(1), sh.h() + 2L * sh.pH(), sh.w() + 2L * sh.pW()}, 0, x.dtype(), x.device());
            xp.narrow(2, sh.pH(), sh.h()).narrow(3, sh.pW(), sh.w()).copy_(x);
        }
        List<Tensor> taps = new ArrayList<>(sh.kH() * sh.kW());
        for (int i = 0; i < sh.kH(); i++) {
            for (int j = 0; j < sh.kW(); j++) taps.add(tap(xp, sh, i, j));
        }
        return Join.stack(taps, 2);
    }

    /** col2im of {@code cols [N, C, kH * kW, OH, OW]} by tensor ops (no autograd): taps added in order onto a zero canvas. */
    public static Tensor col2imComposite(Tensor cols, WindowShape sh) {
        long ch = sh.h() + 2L * sh.pH(), cw = sh.w() + 2L * sh.pW();
        Tensor canvas = Creation.full(new long[] {cols.size(0), cols.size(1), ch, cw}, 0, cols.dtype(), cols.device());
        for (int i = 0; i < sh.kH() && sh.oH() > 0 && sh.oW() > 0; i++) {
            for (int j = 0; j < sh.kW(); j++) tap(canvas, sh, i, j).add_(cols.select(2, (long) i * sh.kW() + j));
        }
        if (sh.pH() == 0 && sh.pW() == 0) return canvas;
        return canvas.narrow(2, sh.pH(), sh.h()).narrow(3, sh.pW(), sh.w()).contiguous();
    }

    /** The strided view of padded {@code x} that tap (i, j) of every window reads: {@code [N, C, OH, OW]}. */
    private static Tensor tap(Tensor x, WindowShape sh, int i, int j) {
        long h0 = (long) i * sh.dH(), w0 = (long) j * sh.dW();
        return x.slice(2, h0, h0 + (sh.oH() - 1) * sh.sH() + 1, sh.sH()).slice(3, w0, w0 + (sh.oW() - 1) * sh.sW() + 1, sh.sW());
    }

}
