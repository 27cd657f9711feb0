package dev.jtensor.optim;

import java.util.Objects;

/**
 * Base of the epoch-based learning-rate schedulers, as {@code torch.optim.lr_scheduler.LRScheduler}
 * (one parameter group): remembers the optimizer's rate at construction as the base rate, and
 * {@link #step()} (once per epoch, after the optimizer's steps) sets the rate of the next epoch. Each
 * subclass computes the rate as PyTorch's {@code get_lr()} does (the recursive, "chainable" form where
 * PyTorch uses it), in double, so the values equal PyTorch's.
 */
public abstract class LRScheduler {
    /** The optimizer whose rate is scheduled. */
    protected final Optimizer optimizer;
    /** The rate at construction ({@code base_lrs[0]}). */
    protected final double baseLr;
    private int lastEpoch;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = optimizer.lr();
    }

    /** Ends an epoch: {@code lastEpoch} grows by one and the optimizer gets that epoch's rate. */
    public void step() {
        lastEpoch++;
        optimizer.setLr(rateAt(lastEpoch, optimizer.lr()));
    }

    /** The rate for {@code epoch} (at least 1), given the current rate ({@code group['lr']}). */
    protected abstract double rateAt(int epoch, double currentLr);

    /** Epochs completed (PyTorch's {@code last_epoch}). */
    public int lastEpoch() { return lastEpoch; }

    /** The current learning rate ({@code get_last_lr()[0]}). */
    public double lastLr() { return optimizer.lr(); }
}
