package dev.jtensor.optim;

import java.util.Objects;

/**
 * Reduces the rate by {@code factor} when a metric has stopped improving for more than {@code patience}
 * epochs, as {@code lr_scheduler.ReduceLROnPlateau}: call {@link #step(double)} with the validation loss
 * (mode MIN) or accuracy (mode MAX) once per epoch. Defaults as PyTorch: mode MIN, factor 0.1, patience 10,
 * threshold 1e-4 relative, cooldown 0, minLr 0, eps 1e-8; options are chained setters.
 */
public final class ReduceLROnPlateau {
    /** Whether a lower ({@code "min"}) or a higher ({@code "max"}) metric is better. */
    public enum Mode { MIN, MAX }

    /** Improvement measured relative to the best ({@code "rel"}) or as a difference ({@code "abs"}). */
    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private Mode mode = Mode.MIN;
    private ThresholdMode thresholdMode = ThresholdMode.REL;
    private double factor = 0.1, threshold = 1e-4, minLr, eps = 1e-8;
    private int patience = 10, cooldown, cooldownCounter, badEpochs, lastEpoch;
    private double best = Double.POSITIVE_INFINITY;

    /** {@code ReduceLROnPlateau(optimizer)} with PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer optimizer) { this.optimizer = Objects.requireNonNull(optimizer, "optimizer"); }

    /** {@code mode='min'} or {@code 'max'}; resets the best value. */
    public ReduceLROnPlateau mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        return this;
    }

    /** The multiplier of a reduction, below 1 (default 0.1). */
    public ReduceLROnPlateau factor(double factor) {
        if (!(factor < 1.0)) throw new IllegalArgumentException("Factor should be < 1.0 (got " + factor + ")");
        this.factor = factor;
        return this;
    }

    /** Epochs without improvement tolerated (default 10). */
    public ReduceLROnPlateau patience(int patience) { this.patience = patience; return this; }

    /** The least significant improvement (default 1e-4) and how it is measured (default REL). */
    public ReduceLROnPlateau threshold(double threshold, ThresholdMode thresholdMode) {
        this.threshold = threshold;
        this.thresholdMode = Objects.requireNonNull(thresholdMode, "thresholdMode");
        return this;
    }

    /** Epochs to wait after a reduction before counting again (default 0). */
    public ReduceLROnPlateau cooldown(int cooldown) { this.cooldown = cooldown; return this; }

    /** The lowest rate (default 0). */
    public ReduceLROnPlateau minLr(double minLr) { this.minLr = minLr; return this; }

    /** Reductions smaller than this are skipped (default 1e-8). */
    public ReduceLROnPlateau eps(double eps) { this.eps = eps; return this; }

    /** Ends an epoch with its metric; reduces the optimizer's rate when the plateau lasted too long. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double old = optimizer.lr(), next = Math.max(old * factor, minLr);
            if (old - next > eps) optimizer.setLr(next);
            cooldownCounter = cooldown;
            badEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
        };
    }

    /** Epochs completed. */
    public int lastEpoch() { return lastEpoch; }

    /** The current learning rate. */
    public double lastLr() { return optimizer.lr(); }

    /** Epochs since the last improvement (PyTorch's {@code num_bad_epochs}). */
    public int numBadEpochs() { return badEpochs; }
}
