package dev.jtensor.optim;

import dev.jtensor.Tensor;
import java.lang.foreign.MemorySegment;
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

    /** Per-parameter state: square average, gradient average (centered), momentum buffer; float[] or double[]. */
    private static final class State {
        Object squareAvg, gradAvg, buffer;
        int step;
    }

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

    private void update(Tensor p, Tensor g) {
        MemorySegment ps = Updates.writable(p), gs = Updates.readable(g);
        int n = Math.toIntExact(p.numel());
        boolean dbl = Updates.isDouble(p);
        State s = state(p, State::new);
        if (s.squareAvg == null) {
            s.squareAvg = dbl ? new double[n] : new float[n];
            if (centered) s.gradAvg = dbl ? new double[n] : new float[n];
            if (momentum > 0) s.buffer = dbl ? new double[n] : new float[n];
        }
        s.step++;
        if (dbl) stepDouble(ps, gs, n, s);
        else stepFloat(ps, gs, n, s);
    }

    private void stepFloat(MemorySegment ps, MemorySegment gs, int n, State s) {
        float[] sq = (float[]) s.squareAvg, ga = (float[]) s.gradAvg, buf = (float[]) s.buffer;
        float al = (float) alpha, oneMinus = (float) (1 - alpha), e = (float) eps, mom = (float) momentum;
        float wd = (float) weightDecay, negLr = (float) -lr;
        for (int i = 0; i < n; i++) {
            long off = 4L * i;
            float p = ps.get(Updates.F32, off), g = gs.get(Updates.F32, off);
            if (maximize) g = -g;
            if (weightDecay != 0) g = Math.fma(wd, p, g);
            sq[i] = Math.fma(oneMinus * g, g, sq[i] * al);
            float avg;
            if (ga != null) {
                ga[i] = Math.fma(oneMinus, g, ga[i] * al);
                avg = (float) Math.sqrt(Math.fma(-ga[i], ga[i], sq[i]));
            } else {
                avg = (float) Math.sqrt(sq[i]);
            }
            avg = avg + e;
            if (buf != null) {
                buf[i] = buf[i] * mom + g / avg;
                ps.set(Updates.F32, off, Math.fma(negLr, buf[i], p));
            } else {
                ps.set(Updates.F32, off, p + negLr * g / avg);
            }
        }
    }

    private void stepDouble(MemorySegment ps, MemorySegment gs, int n, State s) {
        double[] sq = (double[]) s.squareAvg, ga = (double[]) s.gradAvg, buf = (double[]) s.buffer;
        for (int i = 0; i < n; i++) {
            long off = 8L * i;
            double p = ps.get(Updates.F64, off), g = gs.get(Updates.F64, off);
            if (maximize) g = -g;
            if (weightDecay != 0) g = Math.fma(weightDecay, p, g);
            sq[i] = Math.fma((1 - alpha) * g, g, sq[i] * alpha);
            double avg;
            if (ga != null) {
                ga[i] = Math.fma(1 - alpha, g, ga[i] * alpha);
                avg = Math.sqrt(Math.fma(-ga[i], ga[i], sq[i]));
            } else {
                avg = Math.sqrt(sq[i]);
            }
            avg = avg + eps;
            if (buf != null) {
                buf[i] = buf[i] * momentum + g / avg;
                ps.set(Updates.F64, off, Math.fma(-lr, buf[i], p));
            } else {
                ps.set(Updates.F64, off, p + -lr * g / avg);
            }
        }
    }
}
