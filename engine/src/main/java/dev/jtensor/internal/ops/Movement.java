package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Shape;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Movement ops: views (select, slice, view, permute, expand, ...) and the copies that change layout,
 * dtype or device. Each op's backward sits under it and records PyTorch's node name.
 */
public final class Movement {
    private Movement() {}

    /** Makes a view with {@code layout} and records {@code name} whose backward is {@code backward}(g). */
    private static Tensor viewOf(Tensor x, Layout layout, String name, UnaryOperator<Tensor> backward) {
        Tensor y = Tensors.view(x, layout);
        if (!Autograd.needsGrad(x)) return y;
        return Autograd.record(name, y, List.of(x), List.of(), (g, s) -> List.of(backward.apply(g)));
    }

    /** The gradient of a narrowing view: zeros of the input's shape with g written where the view looked. */
    private static Tensor scatterBack(Tensor g, long[] inputShape, UnaryOperator<Layout> view, UnaryOperator<Tensor> viewOp) {
        return scatterRegion(g, inputShape, view.apply(Layout.contiguous(inputShape)), "ViewScatterBackward0", viewOp);
    }

    /**
     * Zeros of {@code baseShape} (on g's device) with {@code g} written at {@code region} of them: the gradient
     * of a view, and of a view written in place (autograd's CopySlices). Differentiable for double backward:
     * node {@code name}, whose gradient is {@code regionOfGrad} (the region read back out).
     */
    public static Tensor scatterRegion(Tensor g, long[] baseShape, Layout region, String name, UnaryOperator<Tensor> regionOfGrad) {
        Tensor out = Tensors.fresh(g.dtype(), baseShape, g.device(), true);
        Tensor gc = g.contiguous();
        Layout lg = Tensors.layout(gc);
        Dispatch.run("view backward", out, gc,
                (backend, bo, bg) -> backend.copy(new Operand(bo, out.dtype(), region), new Operand(bg, gc.dtype(), lg)));
        if (!Autograd.needsGrad(g)) return out;
        return Autograd.record(name, out, List.of(g), List.of(), (gg, s) -> List.of(regionOfGrad.apply(gg)));
    }

    // ---------------- indexing views ----------------

    public static Tensor get(Tensor x, long... indices) {
        Tensor r = x;
        for (long i : indices) r = select(r, 0, i);
        return r;
    }

    public static Tensor select(Tensor x, int dim, long index) {
        Layout l = Tensors.layout(x);
        long[] in = l.shape();
        return viewOf(x, l.select(dim, index), "SelectBackward0",
                g -> scatterBack(g, in, v -> v.select(dim, index), gg -> select(gg, dim, index)));
    }

    public static Tensor slice(Tensor x, int dim, long start, long end, long step) {
        Layout l = Tensors.layout(x);
        long[] in = l.shape();
        return viewOf(x, l.slice(dim, start, end, step), "SliceBackward0",
                g -> scatterBack(g, in, v -> v.slice(dim, start, end, step), gg -> slice(gg, dim, start, end, step)));
    }

    public static Tensor narrow(Tensor x, int dim, long start, long length) {
        Layout l = Tensors.layout(x);
        long[] in = l.shape();
        return viewOf(x, l.narrow(dim, start, length), "SliceBackward0",
                g -> scatterBack(g, in, v -> v.narrow(dim, start, length), gg -> narrow(gg, dim, start, length)));
    }

    // ---------------- shape views ----------------

    /** Resolves one -1 in {@code shape} against {@code numel}, checking the counts match. */
    static long[] inferShape(long[] shape, long numel, long[] from) {
        long[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred in " + Arrays.toString(shape));
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + out[i] + " in " + Arrays.toString(shape));
            } else if (out[i] != 0) {
                known = Layout.checkedNumel(new long[] {known, out[i]});
            } else {
                known = 0; // a 0 size: nothing to infer from (below), and the product check is the layout's
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException("shape '" + Arrays.toString(shape) + "' is invalid for input of size " + numel);
            }
            out[infer] = numel / known;
        } else if (known != numel) {
            throw new IllegalArgumentException("shape '" + Arrays.toString(shape) + "' is invalid for input of size " + numel
                    + " (input shape " + Arrays.toString(from) + ")");
        }
        return out;
    }

    public static Tensor view(Tensor x, long[] shape) {
        Layout l = Tensors.layout(x);
        long[] target = inferShape(shape, l.numel(), l.shape());
        long[] strides = l.viewStrides(target);
        if (strides == null) {
            throw new IllegalArgumentException("view size " + Arrays.toString(target) + " is not compatible with input tensor's "
                    + "size " + Arrays.toString(l.shape()) + " and stride " + Arrays.toString(l.strides())
                    + " (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        long[] in = l.shape();
        return viewOf(x, new Layout(target, strides, l.offset()), "ViewBackward0", g -> g.reshape(in));
    }

    public static Tensor reshape(Tensor x, long[] shape) {
        Layout l = Tensors.layout(x);
        long[] target = inferShape(shape, l.numel(), l.shape());
        if (l.viewStrides(target) != null) return view(x, target);
        return view(copyAs(x, x.dtype(), "CloneBackward0"), target);
    }

    public static Tensor flatten(Tensor x, int startDim, int endDim) {
        Layout l = Tensors.layout(x);
        if (l.rank() == 0) return reshape(x, new long[] {1});
        int s = Layout.wrapDim(startDim, l.rank()), e = Layout.wrapDim(endDim, l.rank());
        if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim " + startDim + " cannot come after end_dim " + endDim);
        if (s == e) return x;
        long[] in = l.shape();
        long[] out = new long[in.length - (e - s)];
        System.arraycopy(in, 0, out, 0, s);
        long m = 1;
        for (int i = s; i <= e; i++) m *= in[i];
        out[s] = m;
        System.arraycopy(in, e + 1, out, s + 1, in.length - e - 1);
        return reshape(x, out);
    }

    public static Tensor squeeze(Tensor x) {
        long[] in = Tensors.layout(x).shape();
        return viewOf(x, Tensors.layout(x).squeeze(), "SqueezeBackward0", g -> g.reshape(in));
    }

    public static Tensor squeeze(Tensor x, int dim) {
        long[] in = Tensors.layout(x).shape();
        return viewOf(x, Tensors.layout(x).squeeze(dim), "SqueezeBackward1", g -> g.reshape(in));
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        long[] in = Tensors.layout(x).shape();
        return viewOf(x, Tensors.layout(x).unsqueeze(dim), "UnsqueezeBackward0", g -> g.reshape(in));
    }

    public static Tensor permute(Tensor x, int[] dims) {
        Layout l = Tensors.layout(x);
        Layout p = l.permute(dims);
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) inverse[Layout.wrapDim(dims[i], l.rank())] = i;
        return viewOf(x, p, "PermuteBackward0", g -> permute(g, inverse));
    }

    public static Tensor transpose(Tensor x, int d0, int d1) {
        return viewOf(x, Tensors.layout(x).transpose(d0, d1), "TransposeBackward0", g -> transpose(g, d0, d1));
    }

    public static Tensor t(Tensor x) {
        int r = x.dim();
        if (r > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + r + "D");
        return viewOf(x, r < 2 ? Tensors.layout(x) : Tensors.layout(x).transpose(0, 1), "TBackward0", Movement::t);
    }

    public static Tensor expand(Tensor x, long[] shape) {
        long[] in = Tensors.layout(x).shape();
        return viewOf(x, Tensors.layout(x).expand(shape), "ExpandBackward0", g -> Tensors.sumToShape(g, in));
    }

    // ---------------- copies ----------------

    public static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : copyAs(x, x.dtype(), "CloneBackward0");
    }

    /** A contiguous copy converted to {@code dtype}; backward converts the gradient back. */
    public static Tensor copyAs(Tensor x, DType dtype, String name) {
        Tensors.checkOpen(x);
        Layout l = Tensors.layout(x);
        Tensor y = Tensors.empty(dtype, l.shape().clone(), x.device());
        Layout ly = Tensors.layout(y);
        Dispatch.run("copy", y, x, (backend, by, bx) -> backend.copy(new Operand(by, dtype, ly), new Operand(bx, x.dtype(), l)));
        if (!Autograd.needsGrad(x) || !dtype.isFloatingPoint()) return y;
        DType from = x.dtype();
        return Autograd.record(name, y, List.of(x), List.of(), (g, s) -> List.of(g.to(from)));
    }

    /**
     * A copy of {@code x} on {@code device} ({@code x} itself when it is there already), contiguous, with the
     * same dtype; backward moves the gradient back to x's device ({@code ToCopyBackward0}). The bytes move in
     * one {@link Backend#transfer} between the host and the device (a strided source is
     * made contiguous on its own device first).
     *
     * @throws IllegalStateException naming what is missing when the device cannot be used
     */
    public static Tensor toDevice(Tensor x, Device device) {
        if (device.equals(x.device())) return x;
        Tensors.checkOpen(x);
        Backend target = Backend.of(device); // throws, naming what is missing
        Tensor src;
        try (var ignored = Jt.noGrad()) {
            src = x.isContiguous() ? x : contiguous(x);
        }
        Layout ls = Tensors.layout(src);
        Tensor y = Tensors.empty(x.dtype(), ls.shape().clone(), device);
        Layout ly = Tensors.layout(y);
        // the backend of the device side does the copy (the CPU's backend knows no device memory)
        Backend mover = device.isCpu() ? Backend.of(x.device()) : target;
        Dispatch.transfer(src, y, (bs, by) -> mover.transfer(new Operand(by, x.dtype(), ly), new Operand(bs, x.dtype(), ls)));
        if (!Autograd.needsGrad(x)) return y;
        Device home = x.device();
        return Autograd.record("ToCopyBackward0", y, List.of(x), List.of(), (g, s) -> List.of(g.to(home)));
    }

    // ---------------- splitting (views) ----------------

    public static List<Tensor> split(Tensor x, long splitSize, int dim) {
        if (splitSize <= 0) throw new IllegalArgumentException("split expects split_size be positive, but got " + splitSize);
        long size = x.size(dim);
        List<Tensor> out = new ArrayList<>();
        for (long start = 0; start < size || (size == 0 && out.isEmpty()); start += splitSize) {
            out.add(narrow(x, dim, start, Math.min(splitSize, size - start)));
        }
        return out;
    }

    /** {@code a + b} for sizes, refusing overflow as PyTorch's checked size arithmetic. */
    static long sizeSum(long a, long b, String op) {
        long s = a + b;
        if (((a ^ s) & (b ^ s)) < 0) throw new IllegalArgumentException(op + ": integer addition overflow of sizes " + a + " + " + b);
        return s;
    }

    public static List<Tensor> split(Tensor x, long[] sizes, int dim) {
        long size = x.size(dim), total = 0;
        for (long s : sizes) total = sizeSum(total, s, "split_with_sizes");
        if (total != size) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + size
                    + " (input tensor's size at dimension " + dim + "), but got split_sizes=" + Arrays.toString(sizes));
        }
        List<Tensor> out = new ArrayList<>();
        long start = 0;
        for (long s : sizes) {
            out.add(narrow(x, dim, start, s));
            start += s;
        }
        return out;
    }

    public static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        long size = x.size(dim);
        return split(x, Math.max((size + chunks - 1) / chunks, 1), dim);
    }

    public static List<Tensor> unbind(Tensor x, int dim) {
        long size = x.size(dim);
        List<Tensor> out = new ArrayList<>();
        for (long i = 0; i < size; i++) out.add(select(x, dim, i));
        return out;
    }

    static Shape shapeOf(Tensor t) { return t.shape(); }
}
