package dev.jtensor.optim;

import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/** The base rate times {@code lambda(epoch)}, as {@code lr_scheduler.LambdaLR(optimizer, lr_lambda)}. */
public final class LambdaLR extends LRScheduler {
    private final IntToDoubleFunction lambda;

    /** {@code new LambdaLR(opt, epoch -> Math.pow(0.95, epoch))}; the rate at construction is {@code base * lambda(0)}. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda) {
        super(optimizer);
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        optimizer.setLr(baseLr * lambda.applyAsDouble(0));
    }

    @Override
    protected double rateAt(int epoch, double currentLr) { return baseLr * lambda.applyAsDouble(epoch); }
}
