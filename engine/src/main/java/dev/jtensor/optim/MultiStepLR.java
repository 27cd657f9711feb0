package dev.jtensor.optim;

import java.util.HashMap;
import java.util.Map;

/**
 * Multiplies the rate by {@code gamma} at each milestone epoch, as {@code lr_scheduler.MultiStepLR}
 * (a milestone listed k times multiplies by {@code gamma^k}, as PyTorch's Counter).
 */
public final class MultiStepLR extends LRScheduler {
    private final Map<Integer, Integer> milestones = new HashMap<>();
    private final double gamma;

    /** {@code MultiStepLR(optimizer, milestones, gamma)}; milestones must be increasing (repeats allowed). */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        for (int i = 0; i < milestones.length; i++) {
            if (i > 0 && milestones[i] < milestones[i - 1]) {
                throw new IllegalArgumentException("Milestones should be a list of increasing integers. Got "
                        + java.util.Arrays.toString(milestones));
            }
            this.milestones.merge(milestones[i], 1, Integer::sum);
        }
        this.gamma = gamma;
    }

    @Override
    protected double rateAt(int epoch, double currentLr) {
        Integer k = milestones.get(epoch);
        return k == null ? currentLr : currentLr * Math.pow(gamma, k);
    }
}
