package dev.jtensor.optim;

import dev.jtensor.Tensor;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.internal.ops.FusedSteps;
import java.util.List;

/**
 * Adagrad, as {@code torch.optim.Adagrad} (dense, single-tensor path), per parameter at step {@code t}:
 * <pre>
 *   g = grad (negated when maximize) (+ weightDecay * p)
 *   clr = lr / (1 + (t - 1) * lrDecay)
 *   sum = sum + g * g                      (sum starts at initialAccumulatorValue)
 *   p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 * In PyTorch's op order and float rounding ({@code addcmul_}'s {@code self + t1 * t2} is one fused
 * multiply-add in PyTorch's x86-64 build, {@code addcdiv_} is not fused), so float32 steps equal
 * PyTorch's bit for bit. Options are
 * chained setters: {@code new Adagrad(params, 0.01).lrDecay(0).weightDecay(0).initialAccumulatorValue(0).eps(1e-10)}.
 * Updates parameters in place (bumping their versions) without recording on the tape.
 */
public class Adagrad extends Optimizer {
    private double lrDecay, weightDecay, initialAccumulatorValue, eps = 1e-10;
    private boolean maximize;


    /** Adagrad with learning rate {@code lr} (PyTorch's default is 1e-2). */
    public Adagrad(List<Tensor> params, double lr) { super(params, lr); }

    /** Learning-rate decay per step (default 0). */
    public Adagrad lrDecay(double lrDecay) {
        this.lrDecay = nonNegative("lr_decay", lrDecay);
        return this;
    }

    /** L2 penalty added to the gradient (default 0). */
    public Adagrad weightDecay(double weightDecay) {
        this.weightDecay = nonNegative("weight_decay", weightDecay);
        return this;
    }

    /** Starting value of the sum of squares (default 0); set before the first step. */
    public Adagrad initialAccumulatorValue(double value) {
        this.initialAccumulatorValue = nonNegative("initial_accumulator_value", value);
        return this;
    }

    /** Term added to the denominator (default 1e-10). */
    public Adagrad eps(double eps) {
        this.eps = nonNegative("epsilon", eps);
        return this;
    }

    /** Maximise the objective instead (default false). */
    public Adagrad maximize(boolean maximize) { this.maximize = maximize; return this; }

    @Override
    public void step() { updateEach(this::update); }

    /** One parameter's update: state {@code sum} (starting at the initial accumulator value), fused. */
    private void update(Tensor p, Tensor g) {
        ParamState s = state(p);
        Tensor sum = s.tensor("sum", initialAccumulatorValue);
        s.step++;
        double clr = lr / (1 + (s.step - 1) * lrDecay);
        FusedSteps.run(new OptimizerStep.Adagrad(clr, eps, weightDecay, maximize), p, g, sum);
    }
}
