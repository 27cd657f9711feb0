package dev.jtensor.backend;

/**
 * One fused optimizer update over a parameter, its gradient and its state (PyTorch's single-tensor
 * {@code torch.optim} paths), as {@link Backend#optimizerStep} runs it: the scalar hyperparameters of this
 * step, already folded (bias corrections, decayed learning rates). Each record names the state buffers it
 * expects, in order. The element loops round to the parameter's dtype after each op as PyTorch's kernels do,
 * with one fused multiply-add where PyTorch fuses, so float32 steps equal PyTorch's bit for bit.
 */
public sealed interface OptimizerStep {
    /**
     * SGD; state: the momentum buffer when {@code momentum != 0} (filled from the gradient when {@code first}).
     * With no momentum, weight decay or maximize it is {@code p += -lr * g}, one FMA per element.
     */
    record Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize,
               boolean first) implements OptimizerStep {
        /** True when the step is the plain {@code p += -lr * g}. */
        public boolean plain() { return momentum == 0 && weightDecay == 0 && !maximize; }
    }

    /**
     * Adam or AdamW ({@code decoupled}); state: {@code exp_avg}, {@code exp_avg_sq}, and {@code max_exp_avg_sq}
     * when {@code amsgrad}. {@code stepSize = lr / (1 - beta1^t)}, {@code bc2Sqrt = sqrt(1 - beta2^t)}.
     */
    record Adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled, boolean amsgrad,
                boolean maximize, double stepSize, double bc2Sqrt) implements OptimizerStep {}

    /** RMSprop; state: {@code square_avg}, then {@code grad_avg} when centered, then {@code momentum_buffer} when momentum > 0. */
    record RMSprop(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered, boolean maximize)
            implements OptimizerStep {}

    /** Adagrad; state: {@code sum}. {@code clr} is the decayed learning rate of this step. */
    record Adagrad(double clr, double eps, double weightDecay, boolean maximize) implements OptimizerStep {}
}
