package dev.jtensor.autograd;

import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Which gradients one backward pass may store into a leaf's {@code grad} without a copy (PyTorch's
 * AccumulateGrad "steals" a gradient nobody else references; Java has no reference counts, so this
 * tracks it). A gradient may be kept when all of these hold:
 * <ul>
 *   <li>its storage was made during this pass (a rule's fresh result, not the caller's {@code gradient}
 *       argument, a saved tensor or any other tensor that existed before);</li>
 *   <li>no hook saw it, before or as its result (a hook may hold on to what it saw or made), and no
 *       leaf kept it already: the same gradient reaching two leaves ({@code y = a + b}, or slices of one
 *       storage) is kept by the first and copied for the others, so leaves never share memory;</li>
 *   <li>it is the whole of its storage, contiguous, of the leaf's dtype, and the leaf is contiguous
 *       (PyTorch's layout contract: a kept gradient has its parameter's strides).</li>
 * </ul>
 * Rules do not write into their inputs, so a gradient that is kept and also fed to other rules of the
 * same pass is only read by them.
 */
final class GradOwnership {
    private final long firstSerial;
    /** Storages a hook saw or a leaf took; made on first use (most passes of tiny graphs need few). */
    private Set<Storage> seen;

    /** Ownership for a pass whose fresh storages are those created from now on. */
    GradOwnership() { this.firstSerial = Storage.lastSerial() + 1; }

    /** Marks {@code g}'s memory as seen by someone else (a hook); it will not be kept. Null is ignored. */
    void expose(Tensor g) {
        if (g != null) mark(Tensors.storage(g));
    }

    /** Adds {@code s} to the seen set; false if it was there already. */
    private boolean mark(Storage s) {
        if (seen == null) seen = Collections.newSetFromMap(new IdentityHashMap<>(8));
        return seen.add(s);
    }

    /**
     * True when {@code g}'s memory was made during this pass, no hook saw it, no leaf took it, and it does not require
     * grad: then only the pass itself can reach it ({@link GradRelease}).
     */
    boolean releasable(Tensor g) {
        Storage s = Tensors.storage(g);
        return s.serial() >= firstSerial && !g.requiresGrad() && (seen == null || !seen.contains(s));
    }

    /** True when {@code g} may become {@code leaf}'s gradient as it is; marks it taken. */
    boolean take(Tensor g, Tensor leaf) {
        Storage s = Tensors.storage(g);
        if (s.serial() < firstSerial || g.requiresGrad() || g.dtype() != leaf.dtype() || !leaf.isContiguous()) return false;
        Layout l = Tensors.layout(g);
        if (!l.isContiguous() || l.offset() != 0 || s.byteSize() != l.numel() * g.dtype().byteSize()) return false;
        return mark(s);
    }
}
