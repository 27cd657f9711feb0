package dev.jtensor.optim;

import dev.jtensor.Tensor;
import java.lang.foreign.MemorySegment;
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

    /** The moments of one parameter: float[] or double[] by dtype. */
    private static final class Moments {
        Object m, v, vMax;
        int step;
    }

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

    /** One parameter's update, with its memory held (Updates.holding). */
    private void update(Tensor p, Tensor g) {
        MemorySegment ps = Updates.writable(p), gs = Updates.readable(g);
        int n = Math.toIntExact(p.numel());
        boolean dbl = Updates.isDouble(p);
        Moments s = state(p, Moments::new);
        if (s.m == null) {
            s.m = dbl ? new double[n] : new float[n];
            s.v = dbl ? new double[n] : new float[n];
            if (amsgrad) s.vMax = dbl ? new double[n] : new float[n];
        }
        s.step++;
        double stepSize = lr / (1 - Math.pow(beta1, s.step));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, s.step));
        if (dbl) stepDouble(ps, gs, n, s, stepSize, bc2Sqrt);
        else stepFloat(ps, gs, n, s, stepSize, bc2Sqrt);
    }

    private void stepFloat(MemorySegment ps, MemorySegment gs, int n, Moments s, double stepSize, double bc2Sqrt) {
        float[] m = (float[]) s.m, v = (float[]) s.v, vMax = (float[]) s.vMax;
        float b1 = (float) beta1, b2 = (float) beta2, a1 = (float) (1 - beta1), a2 = (float) (1 - beta2);
        float wd = (float) weightDecay, shrink = (float) (1 - lr * weightDecay);
        float bc = (float) bc2Sqrt, e = (float) eps, negStep = (float) -stepSize;
        for (int i = 0; i < n; i++) {
            long off = 4L * i;
            float p = ps.get(Updates.F32, off), g = gs.get(Updates.F32, off);
            if (maximize) g = -g;
            if (decoupled) p = p * shrink;
            else if (weightDecay != 0) g = Math.fma(wd, p, g);
            m[i] = Math.fma(a1, g, m[i] * b1);
            v[i] = v[i] * b2 + a2 * g * g;
            float vh = v[i];
            if (vMax != null) vh = vMax[i] = Math.max(vMax[i], vh);
            float denom = (float) Math.sqrt(vh) / bc + e;
            ps.set(Updates.F32, off, p + negStep * m[i] / denom);
        }
    }

    private void stepDouble(MemorySegment ps, MemorySegment gs, int n, Moments s, double stepSize, double bc2Sqrt) {
        double[] m = (double[]) s.m, v = (double[]) s.v, vMax = (double[]) s.vMax;
        double shrink = 1 - lr * weightDecay;
        for (int i = 0; i < n; i++) {
            long off = 8L * i;
            double p = ps.get(Updates.F64, off), g = gs.get(Updates.F64, off);
            if (maximize) g = -g;
            if (decoupled) p = p * shrink;
            else if (weightDecay != 0) g = Math.fma(weightDecay, p, g);
            m[i] = Math.fma(1 - beta1, g, m[i] * beta1);
            v[i] = v[i] * beta2 + (1 - beta2) * g * g;
            double vh = v[i];
            if (vMax != null) vh = vMax[i] = Math.max(vMax[i], vh);
            double denom = Math.sqrt(vh) / bc2Sqrt + eps;
            ps.set(Updates.F64, off, p + -stepSize * m[i] / denom);
        }
    }
}
