package dev.jtensor.optim;

import dev.jtensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
            MemorySegment ps = Updates.writable(p), gs = Updates.readable(g);
            int n = Math.toIntExact(p.numel());
            if (momentum == 0 && weightDecay == 0 && !maximize) {
                Updates.axpy(-lr, gs, ps, n, Updates.isDouble(p)); // p -= lr * g, fused as PyTorch's add_(g, alpha=-lr)
            } else if (Updates.isDouble(p)) {
                stepDouble(ps, gs, n, momentum == 0 ? null : state(p, () -> new double[n + 1]));
            } else {
                stepFloat(ps, gs, n, momentum == 0 ? null : state(p, () -> new float[n + 1]));
            }
        });
    }

    /**
     * buf[n] == 0 marks a momentum buffer that has not been filled yet. Two copies of the loop: one sees
     * only native segments, the other heap ones (small tensors), so each keeps a one-class type profile
     * and compiles to plain loads and stores (a loop seeing both stayed on the generic access path: 40%
     * of an MLP step's Java time).
     */
    private void stepFloat(MemorySegment ps, MemorySegment gs, int n, float[] buf) {
        boolean first = buf != null && buf[n] == 0;
        ValueLayout.OfFloat f = Updates.F32;
        if (ps.isNative() && gs.isNative()) {
            for (int i = 0; i < n; i++) ps.set(f, 4L * i, updated(ps.get(f, 4L * i), gs.get(f, 4L * i), buf, i, first));
        } else {
            for (int i = 0; i < n; i++) ps.set(f, 4L * i, updated(ps.get(f, 4L * i), gs.get(f, 4L * i), buf, i, first));
        }
        if (buf != null) buf[n] = 1;
    }

    /** One float32 parameter's new value from its gradient (PyTorch's SGD update). */
    private float updated(float p, float g, float[] buf, int i, boolean first) {
        if (maximize) g = -g;
        if (weightDecay != 0) g = Math.fma((float) weightDecay, p, g);
        if (buf != null) {
            float m = (float) momentum;
            buf[i] = first ? g : Math.fma((float) (1 - dampening), g, buf[i] * m);
            g = nesterov ? Math.fma(m, buf[i], g) : buf[i];
        }
        return Math.fma((float) -lr, g, p);
    }

    private void stepDouble(MemorySegment ps, MemorySegment gs, int n, double[] buf) {
        double keep = 1 - dampening;
        boolean first = buf != null && buf[n] == 0;
        for (int i = 0; i < n; i++) {
            long off = 8L * i;
            double p = ps.get(Updates.F64, off), g = gs.get(Updates.F64, off);
            if (maximize) g = -g;
            if (weightDecay != 0) g = Math.fma(weightDecay, p, g);
            if (buf != null) {
                buf[i] = first ? g : Math.fma(keep, g, buf[i] * momentum);
                g = nesterov ? Math.fma(momentum, buf[i], g) : buf[i];
            }
            ps.set(Updates.F64, off, Math.fma(-lr, g, p));
        }
        if (buf != null) buf[n] = 1;
    }
}
