package dev.jtensor.optim;

/**
 * Decays the learning rate by {@code gamma} every {@code stepSize} epochs, as
 * {@code torch.optim.lr_scheduler.StepLR}: call {@link #step()} once per epoch, after the optimizer's
 * steps. The rate is updated multiplicatively ({@code lr = lr * gamma} at each boundary), as PyTorch's
 * recursive form, so the values match its floating-point results.
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** {@code StepLR(optimizer, step_size=stepSize, gamma=gamma)}. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR stepSize must be positive (got " + stepSize + ")");
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    protected double rateAt(int epoch, double currentLr) { return epoch % stepSize == 0 ? currentLr * gamma : currentLr; }
}
