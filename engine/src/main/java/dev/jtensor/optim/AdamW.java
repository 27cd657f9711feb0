package dev.jtensor.optim;

import dev.jtensor.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW}: each step first shrinks the
 * parameter, {@code p = p * (1 - lr * weightDecay)}, then applies Adam's update without adding the
 * decay to the gradient. Default weight decay 0.01, as PyTorch.
 */
public final class AdamW extends Adam {
    /** AdamW with learning rate {@code lr} and weight decay 0.01. */
    public AdamW(List<Tensor> params, double lr) { super(params, lr, true, 0.01); }
}
