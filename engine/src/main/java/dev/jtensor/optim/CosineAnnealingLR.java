package dev.jtensor.optim;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs (and back, periodically),
 * as {@code lr_scheduler.CosineAnnealingLR}, with PyTorch's recursive formula:
 * <pre>
 *   lr_t = (1 + cos(pi t / T)) / (1 + cos(pi (t-1) / T)) * (lr_{t-1} - etaMin) + etaMin
 * </pre>
 * and at each restart {@code lr + (base - etaMin) (1 - cos(pi / T)) / 2}.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** {@code CosineAnnealingLR(optimizer, T_max=tMax)} (eta_min 0). */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0); }

    /** {@code CosineAnnealingLR(optimizer, T_max=tMax, eta_min=etaMin)}. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR T_max must be positive (got " + tMax + ")");
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    @Override
    protected double rateAt(int epoch, double lr) {
        if (Math.floorMod(epoch - 1 - tMax, 2 * tMax) == 0) {
            return lr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax)) * (lr - etaMin) + etaMin;
    }
}
