package dev.jtensor.optim;

/** Multiplies the rate by {@code gamma} every epoch, as {@code lr_scheduler.ExponentialLR}. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** {@code ExponentialLR(optimizer, gamma)}. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
    }

    @Override
    protected double rateAt(int epoch, double currentLr) { return currentLr * gamma; }
}
