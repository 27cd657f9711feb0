package dev.jtensor.optim;

import dev.jtensor.Tensor;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.internal.ops.FusedSteps;
import java.util.List;

/**
 * Adam, as {@code torch.optim.Adam} (single-tensor path), per parameter at step {@code t}:
 * <pre>
 *   g = grad (+ weightDecay * p)                 (AdamW instead: p = p * (1 - lr * weightDecay))
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   vHat = amsgrad ? (vMax = max(vMax, v)) : v
 *   denom = sqrt(vHat) / sqrt(1 - beta2^t) + eps
 *   p = p - (lr / (1 - beta1^t)) * m / denom
 * </pre>
 * eps is added after the bias correction of the second moment, as PyTorch does. Options are chained
 * setters: {@code new Adam(params, 1e-3).betas(0.9, 0.999).eps(1e-8).weightDecay(0).amsgrad(false)}.
 * Updates parameters in place (bumping their versions) without recording on the tape.
 */
public class Adam extends Optimizer {
    private double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay;
    private boolean amsgrad, maximize;
    private final boolean decoupled;

    /** Adam with learning rate {@code lr} (PyTorch's default is 1e-3). */
    public Adam(List<Tensor> params, double lr) { this(params, lr, false, 0); }

    Adam(List<Tensor> params, double lr, boolean decoupledWeightDecay, double weightDecay) {
        super(params, lr);
        this.decoupled = decoupledWeightDecay;
        this.weightDecay = weightDecay;
    }

    /** Coefficients of the running averages (default 0.9, 0.999), each in [0, 1). */
    public Adam betas(double beta1, double beta2) {
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2);
        this.beta1 = beta1;
        this.beta2 = beta2;
        return this;
    }

    /** Term added to the denominator (default 1e-8). */
    public Adam eps(double eps) {
        this.eps = nonNegative("epsilon", eps);
        return this;
    }

    /** Weight decay: L2 on the gradient for Adam, decoupled for AdamW. */
    public Adam weightDecay(double weightDecay) {
        this.weightDecay = nonNegative("weight_decay", weightDecay);
        return this;
    }

    /** The AMSGrad variant (default false). */
    public Adam amsgrad(boolean amsgrad) { this.amsgrad = amsgrad; return this; }

    /** Maximise the objective instead (default false). */
    public Adam maximize(boolean maximize) { this.maximize = maximize; return this; }

    @Override
    public void step() { updateEach(this::update); }

    /** One parameter's update: state {@code exp_avg}, {@code exp_avg_sq} (and {@code max_exp_avg_sq}), fused. */
    private void update(Tensor p, Tensor g) {
        ParamState s = state(p);
        Tensor m = s.tensor("exp_avg", 0), v = s.tensor("exp_avg_sq", 0);
        s.step++;
        double stepSize = lr / (1 - Math.pow(beta1, s.step));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, s.step));
        var step = new OptimizerStep.Adam(lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, stepSize, bc2Sqrt);
        if (amsgrad) FusedSteps.run(step, p, g, m, v, s.tensor("max_exp_avg_sq", 0));
        else FusedSteps.run(step, p, g, m, v);
    }
}
