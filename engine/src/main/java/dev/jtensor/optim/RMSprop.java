package dev.jtensor.optim;

import dev.jtensor.Tensor;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.internal.ops.FusedSteps;
import java.util.List;

/**
 * RMSprop, as {@code torch.optim.RMSprop} (single-tensor path), per parameter:
 * <pre>
 *   g = grad (negated when maximize) (+ weightDecay * p)
 *   s = alpha * s + (1 - alpha) * g * g
 *   centered: a = alpha * a + (1 - alpha) * g;  avg = sqrt(s - a * a) + eps
 *   else:     avg = sqrt(s) + eps
 *   momentum &gt; 0: b = momentum * b + g / avg;  p = p - lr * b
 *   else:         p = p - lr * g / avg
 * </pre>
 * Each line is PyTorch's op, in its order and float rounding: {@code mul_} then {@code addcmul_}, whose
 * {@code self + value * t1 * t2} PyTorch's x86-64 build contracts into {@code fma(value * t1, t2, self)};
 * {@code add(x, alpha=a)} is one fused multiply-add; {@code addcdiv}'s {@code self + value * t1 / t2} is
 * not fused (a division). So float32 steps equal PyTorch's bit for bit. Options are chained setters:
 * {@code new RMSprop(params, 0.01).alpha(0.99).eps(1e-8).momentum(0).centered(false).weightDecay(0)}.
 * Updates parameters in place (bumping their versions) without recording on the tape.
 */
public class RMSprop extends Optimizer {
    private double alpha = 0.99, eps = 1e-8, weightDecay, momentum;
    private boolean centered, maximize;


    /** RMSprop with learning rate {@code lr} (PyTorch's default is 1e-2). */
    public RMSprop(List<Tensor> params, double lr) { super(params, lr); }

    /** Smoothing constant (default 0.99). */
    public RMSprop alpha(double alpha) {
        this.alpha = nonNegative("alpha", alpha);
        return this;
    }

    /** Term added to the denominator (default 1e-8). */
    public RMSprop eps(double eps) {
        this.eps = nonNegative("epsilon", eps);
        return this;
    }

    /** Momentum factor (default 0). */
    public RMSprop momentum(double momentum) {
        this.momentum = nonNegative("momentum", momentum);
        return this;
    }

    /** Normalise by the estimated variance of the gradient instead of its second moment (default false). */
    public RMSprop centered(boolean centered) { this.centered = centered; return this; }

    /** L2 penalty added to the gradient (default 0). */
    public RMSprop weightDecay(double weightDecay) {
        this.weightDecay = nonNegative("weight_decay", weightDecay);
        return this;
    }

    /** Maximise the objective instead (default false). */
    public RMSprop maximize(boolean maximize) { this.maximize = maximize; return this; }

    @Override
    public void step() { updateEach(this::update); }

    /** One parameter's update: state {@code square_avg} (and {@code grad_avg}, {@code momentum_buffer}), fused. */
    private void update(Tensor p, Tensor g) {
        ParamState s = state(p);
        java.util.List<Tensor> st = new java.util.ArrayList<>(3);
        st.add(s.tensor("square_avg", 0));
        if (centered) st.add(s.tensor("grad_avg", 0));
        if (momentum > 0) st.add(s.tensor("momentum_buffer", 0));
        s.step++;
        FusedSteps.run(new OptimizerStep.RMSprop(lr, alpha, eps, weightDecay, momentum, centered, maximize), p, g,
                st.toArray(new Tensor[0]));
    }
}
