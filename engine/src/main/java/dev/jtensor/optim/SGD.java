package dev.jtensor.optim;

import dev.jtensor.Tensor;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.internal.ops.FusedSteps;
import java.util.List;

/**
 * Stochastic gradient descent, as {@code torch.optim.SGD} (single-tensor path), per parameter:
 * <pre>
 *   g = grad (+ weightDecay * p)
 *   if momentum != 0:
 *       buf = g                                   (first step)
 *       buf = momentum * buf + (1 - dampening) * g (later steps)
 *       g = nesterov ? g + momentum * buf : buf
 *   p = p - lr * g
 * </pre>
 * Options are set with chained setters: {@code new SGD(params, 0.01).momentum(0.9).nesterov(true)}.
 * Updates the parameters in place (bumping their versions) without recording on the tape.
 */
public final class SGD extends Optimizer {
    private double momentum, dampening, weightDecay;
    private boolean nesterov, maximize;

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(List<Tensor> params, double lr) { super(params, lr); }

    /** Momentum factor (default 0). */
    public SGD momentum(double momentum) {
        this.momentum = nonNegative("momentum", momentum);
        return this;
    }

    /** Dampening for momentum (default 0). */
    public SGD dampening(double dampening) { this.dampening = dampening; return this; }

    /** L2 penalty added to the gradient (default 0). */
    public SGD weightDecay(double weightDecay) {
        this.weightDecay = nonNegative("weight_decay", weightDecay);
        return this;
    }

    /** Nesterov momentum (default false; needs momentum &gt; 0 and zero dampening). */
    public SGD nesterov(boolean nesterov) { this.nesterov = nesterov; return this; }

    /** Maximise the objective instead (default false). */
    public SGD maximize(boolean maximize) { this.maximize = maximize; return this; }

    @Override
    public void step() {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        updateEach((p, g) -> {
            ParamState s = state(p);
            boolean first = !s.has("momentum_buffer");
            Tensor[] st = momentum == 0 ? new Tensor[0] : new Tensor[] {s.tensor("momentum_buffer", 0)};
            s.step++;
            // the plain step is p += -lr * g, one FMA per element as PyTorch's add_(g, alpha=-lr)
            FusedSteps.run(new OptimizerStep.Sgd(lr, momentum, dampening, weightDecay, nesterov, maximize, first), p, g, st);
        });
    }
}
