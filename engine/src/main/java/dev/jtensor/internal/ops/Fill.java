package dev.jtensor.internal.ops;

import static dev.jtensor.autograd.BackwardRule.grads;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.Autograd;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import dev.jtensor.internal.layout.Broadcast;
import java.util.List;

/**
 * Writes that replace a tensor's elements: {@code fill_}, {@code zero_} and {@code copy_} (broadcasting
 * the source and converting its dtype). All write through views, bump the storage's version, and
 * rebase a non-leaf's history on the new node; a leaf that requires grad refuses them, as PyTorch.
 */
public final class Fill {
    private Fill() {}

    /** {@code self[...] = v} converted to self's dtype (floats to ints truncate, as a C cast). Backward (FillBackward2): 0. */
    public static Tensor fill_(Tensor self, double v) { return fill(self, v, "FillBackward2"); }

    /** {@code self.uniform_(from, to, g)}: drawn by self's device's backend (through a contiguous copy for a strided self). */
    public static Tensor uniform_(Tensor self, double from, double to, Generator g) {
        Elementwise.checkInPlace(self);
        boolean f32 = self.dtype() == DType.FLOAT32; // PyTorch rounds the bounds to the kernel's type
        double lo = f32 ? (float) from : from, hi = f32 ? (float) to : to;
        if (self.isContiguous()) {
            Creation.fillUniform(self, lo, hi, g);
        } else {
            Elementwise.copyInto(self, Creation.uniform(self.shape().toArray(), lo, hi, self.dtype(), g, self.device()));
            Tensors.bumpVersion(self);
        }
        return self;
    }

    /** {@code self.normal_(mean, std, g)}: drawn on self's device, written in place. */
    public static Tensor normal_(Tensor self, double mean, double std, Generator g) {
        Elementwise.checkInPlace(self);
        Elementwise.copyInto(self, Creation.normal(self.shape().toArray(), mean, std, self.dtype(), g, self.device()));
        Tensors.bumpVersion(self);
        return self;
    }

    /** {@code self[...] = 0}. Backward (ZeroBackward0): 0. */
    public static Tensor zero_(Tensor self) { return fill(self, 0.0, "ZeroBackward0"); }

    private static Tensor fill(Tensor self, double v, String node) {
        Elementwise.checkInPlace(self);
        Layout layout = Tensors.layout(self);
        Dispatch.run(node, self, (backend, buffer) -> backend.fill(new Operand(buffer, self.dtype(), layout), v));
        Tensors.bumpVersion(self);
        if (!Autograd.needsGrad(self)) return self;
        return Autograd.record(node, self, List.of(self), List.of(), (g, sv) -> List.of(g.mul(0.0)));
    }

    /**
     * {@code self[...] = src} with src broadcast to self's shape and converted to self's dtype (any
     * dtypes, as PyTorch's {@code copy_}). Backward (CopyBackwards): 0 for self's old value, g for src.
     */
    public static Tensor copy_(Tensor self, Tensor src) {
        Layout ld = Tensors.layout(self);
        long[] shape = Broadcast.shapes("copy_", ld.shape(), Tensors.layout(src).shape());
        if (!java.util.Arrays.equals(shape, ld.shape())) {
            throw new IllegalArgumentException("copy_: source of shape " + java.util.Arrays.toString(Tensors.layout(src).shape())
                    + " does not broadcast to the destination's shape " + java.util.Arrays.toString(ld.shape()));
        }
        if (!src.device().equals(self.device())) src = Movement.toDevice(src, self.device()); // copy_ moves across devices
        boolean grad = Autograd.needsGrad(self, src);
        if (grad) Elementwise.checkInPlace(self);
        Elementwise.copyInto(self, src);
        Tensors.bumpVersion(self);
        if (!grad || !self.dtype().isFloatingPoint()) return self;
        return Autograd.record("torch::autograd::CopyBackwards", self, List.of(self, src), List.of(),
                (g, s) -> grads(s.needsInputGrad(0) ? g.mul(0.0) : null, s.needsInputGrad(1) ? g : null));
    }
}
