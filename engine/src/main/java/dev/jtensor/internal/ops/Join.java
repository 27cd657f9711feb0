package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Promotion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joining: {@code cat} and {@code stack} copy their inputs into one fresh contiguous tensor whose dtype
 * is the promotion of the inputs' dtypes ({@code torch.result_type} over tensors). Splitting
 * ({@code split chunk unbind}) makes views and lives in {@link Movement}.
 */
public final class Join {
    private Join() {}

    /**
     * Concatenates along {@code dim}: every input has the same rank and the same sizes except at {@code dim}
     * (1-d empty tensors are skipped, as PyTorch's legacy rule). Backward (CatBackward0): each input gets
     * its slice of g.
     */
    public static Tensor cat(List<Tensor> tensors, int dim) { return cat(tensors, dim, null); }

    /** {@link #cat} into {@code out}, which must already have the result's shape and dtype; returns out. */
    public static Tensor cat(List<Tensor> tensors, int dim, Tensor out) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) if (!(t.dim() == 1 && t.numel() == 0)) parts.add(t);
        if (parts.isEmpty()) parts.add(tensors.get(0));
        Tensor ref = parts.get(0);
        if (ref.dim() == 0) throw new IllegalArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Layout.wrapDim(dim, ref.dim());
        long[] shape = ref.shape().toArray();
        shape[d] = 0;
        DType type = ref.dtype();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.dim() == 1 && t.numel() == 0) continue;
            checkCatShape(t, i, ref, d);
            shape[d] = Movement.sizeSum(shape[d], t.size(d), "cat");
            type = Promotion.promote(type, t.dtype());
        }
        Tensor result = out == null ? Tensors.empty(type, shape, parts.get(0).device()) : checkOut(out, shape, type);
        long[] sizes = copyParts(parts, d, result);
        if (out != null) Tensors.bumpVersion(out);
        if (out != null || !Autograd.needsGrad(parts)) return result;
        // the rule captures sizes only (the engine converts each gradient to its part's dtype)
        return Autograd.record("CatBackward0", result, parts, List.of(), (g, s) -> {
            List<Tensor> grads = new ArrayList<>();
            long start = 0;
            for (int i = 0; i < sizes.length; i++) {
                grads.add(s.needsInputGrad(i) ? g.narrow(d, start, sizes[i]) : null);
                start += sizes[i];
            }
            return grads;
        });
    }

    private static void checkCatShape(Tensor t, int i, Tensor ref, int d) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("zero-dimensional tensor (at position " + i + ") cannot be concatenated");
        }
        if (t.dim() != ref.dim()) {
            throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + ref.dim() + " and "
                    + t.dim() + " (tensor number " + i + " has shape " + t.shape() + ", tensor number 0 has shape "
                    + ref.shape() + ")");
        }
        for (int k = 0; k < ref.dim(); k++) {
            if (k != d && t.size(k) != ref.size(k)) {
                throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d + ". Expected size "
                        + ref.size(k) + " but got size " + t.size(k) + " for tensor number " + i + " in the list (shapes "
                        + ref.shape() + " and " + t.shape() + ")");
            }
        }
    }

    private static Tensor checkOut(Tensor out, long[] shape, DType type) {
        Tensors.resizeOutIfEmpty(out, shape);
        if (!Arrays.equals(out.shape().toArray(), shape)) {
            throw new IllegalArgumentException("cat(): out has shape " + out.shape() + " but the result has shape "
                    + Arrays.toString(shape));
        }
        if (out.dtype() != type) {
            throw new IllegalArgumentException("cat(): out has dtype " + out.dtype() + " but the result has dtype " + type);
        }
        if (out.requiresGrad() && GradMode.isEnabled()) {
            throw new IllegalArgumentException("cat(): functions with out=... arguments don't support automatic "
                    + "differentiation, but one of the arguments requires grad.");
        }
        return out;
    }

    /** Copies each part into its slice of {@code result} along {@code d}; returns the parts' sizes at d. */
    private static long[] copyParts(List<Tensor> parts, int d, Tensor result) {
        long[] sizes = new long[parts.size()];
        Layout rl = Tensors.layout(result);
        long start = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            Tensors.checkOpen(t);
            sizes[i] = t.size(d);
            Layout lt = Tensors.layout(t), target = rl.narrow(d, start, sizes[i]);
            Dispatch.run("cat", result, t,
                    (backend, br, bt) -> backend.copy(new Operand(br, result.dtype(), target), new Operand(bt, t.dtype(), lt)));
            start += sizes[i];
        }
        return sizes;
    }

    /**
     * Stacks equal-shaped tensors along a new dim {@code dim} (in {@code [-(rank+1), rank]}). Backward
     * (StackBackward0): input i gets {@code g.select(dim, i)}.
     */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        Tensor ref = tensors.get(0);
        for (int i = 1; i < tensors.size(); i++) {
            if (!tensors.get(i).shape().equals(ref.shape())) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + ref.shape()
                        + " at entry 0 and " + tensors.get(i).shape() + " at entry " + i);
            }
        }
        int d = Layout.wrapDim(dim, ref.dim() + 1);
        List<Tensor> views = new ArrayList<>();
        Tensor result;
        try (var guard = GradMode.set(false)) {
            for (Tensor t : tensors) views.add(t.unsqueeze(d));
            result = cat(views, d);
        }
        if (!Autograd.needsGrad(tensors)) return result;
        int n = tensors.size();
        return Autograd.record("StackBackward0", result, tensors, List.of(), (g, s) -> {
            List<Tensor> grads = new ArrayList<>(n);
            for (int i = 0; i < n; i++) grads.add(s.needsInputGrad(i) ? g.select(d, i) : null);
            return grads;
        });
    }
}
