package dev.jtensor.optim;

/**
 * Decays the learning rate by {@code gamma} every {@code stepSize} epochs, as
 * {@code torch.optim.lr_scheduler.StepLR}: call {@link #step()} once per epoch, after the optimizer's
 * steps. The rate is updated multiplicatively ({@code lr = lr * gamma} at each boundary), as PyTorch's
 * recursive form, so the values match its floating-point results.
 */
public final class StepLR {
    private final Optimizer optimizer;
    private final int stepSize;
    private final double gamma;
    private int epoch;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR stepSize must be positive (got " + stepSize + ")");
        this.optimizer = optimizer;
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    /** Ends an epoch: multiplies the optimizer's rate by gamma when a multiple of stepSize is reached. */
    public void step() {
        epoch++;
        if (epoch % stepSize == 0) optimizer.setLr(optimizer.lr() * gamma);
    }

    /** Epochs completed (PyTorch's {@code last_epoch}). */
    public int lastEpoch() { return epoch; }

    /** The current learning rate ({@code get_last_lr()[0]}). */
    public double lastLr() { return optimizer.lr(); }
}
