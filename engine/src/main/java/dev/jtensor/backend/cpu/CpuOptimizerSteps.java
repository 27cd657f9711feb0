package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.OptimizerStep;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The fused optimizer updates on the CPU: one pass over a contiguous parameter, its gradient and its state,
 * following PyTorch's single-tensor equations op by op (rounding to the dtype after each op, {@link Math#fma}
 * where PyTorch fuses), so float32 results equal {@code torch.optim}'s bit for bit. Segments start at the
 * first element; {@code n} elements each.
 */
final class CpuOptimizerSteps {
    private CpuOptimizerSteps() {}

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    static void run(OptimizerStep step, DType type, int n, MemorySegment p, MemorySegment g, MemorySegment[] state) {
        boolean dbl = switch (type) {
            case FLOAT64 -> true;
            case FLOAT32 -> false;
            case FLOAT16, BFLOAT16, INT8, UINT8, INT16, INT32, INT64, BOOL -> throw new UnsupportedOperationException(
                    "optimizer update is implemented for FLOAT32 and FLOAT64 parameters, not " + type);
        };
        switch (step) {
            case OptimizerStep.Sgd s -> sgd(s, dbl, n, p, g, state.length == 0 ? null : state[0]);
            case OptimizerStep.Adam a -> adam(a, dbl, n, p, g, state[0], state[1], a.amsgrad() ? state[2] : null);
            case OptimizerStep.RMSprop r -> rmsprop(r, dbl, n, p, g, state);
            case OptimizerStep.Adagrad a -> adagrad(a, dbl, n, p, g, state[0]);
        }
    }

    // ---------------- SGD ----------------

    private static void sgd(OptimizerStep.Sgd s, boolean dbl, int n, MemorySegment p, MemorySegment g, MemorySegment buf) {
        if (s.plain()) {
            if (dbl) CpuUpdate.axpy(-s.lr(), g, p, n);
            else CpuUpdate.axpy((float) -s.lr(), g, p, n);
        } else if (dbl) {
            sgdDouble(s, n, p, g, buf);
        } else if (p.isNative() && g.isNative()) {
            sgdFloatNative(s, n, p, g, buf);
        } else {
            sgdFloatHeap(s, n, p, g, buf);
        }
    }

    /**
     * Two copies of the float loop: one sees only native segments, the other heap ones (small tensors), so
     * each keeps a one-class type profile and compiles to plain loads and stores (a loop seeing both stayed
     * on the generic access path: 40% of an MLP step's Java time).
     */
    private static void sgdFloatNative(OptimizerStep.Sgd s, int n, MemorySegment p, MemorySegment g, MemorySegment buf) {
        for (int i = 0; i < n; i++) p.set(F32, 4L * i, sgdFloat(s, p.get(F32, 4L * i), g.get(F32, 4L * i), buf, i));
    }

    private static void sgdFloatHeap(OptimizerStep.Sgd s, int n, MemorySegment p, MemorySegment g, MemorySegment buf) {
        for (int i = 0; i < n; i++) p.set(F32, 4L * i, sgdFloat(s, p.get(F32, 4L * i), g.get(F32, 4L * i), buf, i));
    }

    /** One float32 parameter's new value from its gradient (PyTorch's SGD update). */
    private static float sgdFloat(OptimizerStep.Sgd s, float p, float g, MemorySegment buf, int i) {
        if (s.maximize()) g = -g;
        if (s.weightDecay() != 0) g = Math.fma((float) s.weightDecay(), p, g);
        if (buf != null) {
            float m = (float) s.momentum();
            float b = s.first() ? g : Math.fma((float) (1 - s.dampening()), g, buf.get(F32, 4L * i) * m);
            buf.set(F32, 4L * i, b);
            g = s.nesterov() ? Math.fma(m, b, g) : b;
        }
        return Math.fma((float) -s.lr(), g, p);
    }

    private static void sgdDouble(OptimizerStep.Sgd s, int n, MemorySegment ps, MemorySegment gs, MemorySegment buf) {
        double keep = 1 - s.dampening(), momentum = s.momentum(), lr = s.lr();
        for (int i = 0; i < n; i++) {
            long off = 8L * i;
            double p = ps.get(F64, off), g = gs.get(F64, off);
            if (s.maximize()) g = -g;
            if (s.weightDecay() != 0) g = Math.fma(s.weightDecay(), p, g);
            if (buf != null) {
                double b = s.first() ? g : Math.fma(keep, g, buf.get(F64, off) * momentum);
                buf.set(F64, off, b);
                g = s.nesterov() ? Math.fma(momentum, b, g) : b;
            }
            ps.set(F64, off, Math.fma(-lr, g, p));
        }
    }

    // ---------------- Adam / AdamW ----------------

    private static void adam(OptimizerStep.Adam a, boolean dbl, int n, MemorySegment ps, MemorySegment gs,
                             MemorySegment m, MemorySegment v, MemorySegment vMax) {
        if (dbl) {
            adamDouble(a, n, ps, gs, m, v, vMax);
            return;
        }
        float b1 = (float) a.beta1(), b2 = (float) a.beta2(), a1 = (float) (1 - a.beta1()), a2 = (float) (1 - a.beta2());
        float wd = (float) a.weightDecay(), shrink = (float) (1 - a.lr() * a.weightDecay());
        float bc = (float) a.bc2Sqrt(), e = (float) a.eps(), negStep = (float) -a.stepSize();
        for (int i = 0; i < n; i++) {
            long off = 4L * i;
            float p = ps.get(F32, off), g = gs.get(F32, off);
            if (a.maximize()) g = -g;
            if (a.decoupled()) p = p * shrink;
            else if (a.weightDecay() != 0) g = Math.fma(wd, p, g);
            float mi = Math.fma(a1, g, m.get(F32, off) * b1);
            float vi = v.get(F32, off) * b2 + a2 * g * g;
            m.set(F32, off, mi);
            v.set(F32, off, vi);
            float vh = vi;
            if (vMax != null) {
                vh = Math.max(vMax.get(F32, off), vh);
                vMax.set(F32, off, vh);
            }
            float denom = (float) Math.sqrt(vh) / bc + e;
            ps.set(F32, off, p + negStep * mi / denom);
        }
    }

    private static void adamDouble(OptimizerStep.Adam a, int n, MemorySegment ps, MemorySegment gs,
                                   MemorySegment m, MemorySegment v, MemorySegment vMax) {
        double shrink = 1 - a.lr() * a.weightDecay(), beta1 = a.beta1(), beta2 = a.beta2();
        for (int i = 0; i < n; i++) {
            long off = 8L * i;
            double p = ps.get(F64, off), g = gs.get(F64, off);
            if (a.maximize()) g = -g;
            if (a.decoupled()) p = p * shrink;
            else if (a.weightDecay() != 0) g = Math.fma(a.weightDecay(), p, g);
            double mi = Math.fma(1 - beta1, g, m.get(F64, off) * beta1);
            double vi = v.get(F64, off) * beta2 + (1 - beta2) * g * g;
            m.set(F64, off, mi);
            v.set(F64, off, vi);
            double vh = vi;
            if (vMax != null) {
                vh = Math.max(vMax.get(F64, off), vh);
                vMax.set(F64, off, vh);
            }
            double denom = Math.sqrt(vh) / a.bc2Sqrt() + a.eps();
            ps.set(F64, off, p + -a.stepSize() * mi / denom);
        }
    }

    // ---------------- RMSprop ----------------

    private static void rmsprop(OptimizerStep.RMSprop r, boolean dbl, int n, MemorySegment ps, MemorySegment gs,
                                MemorySegment[] state) {
        MemorySegment sq = state[0], ga = r.centered() ? state[1] : null;
        MemorySegment buf = r.momentum() > 0 ? state[r.centered() ? 2 : 1] : null;
        if (dbl) {
            rmspropDouble(r, n, ps, gs, sq, ga, buf);
            return;
        }
        float al = (float) r.alpha(), oneMinus = (float) (1 - r.alpha()), e = (float) r.eps(), mom = (float) r.momentum();
        float wd = (float) r.weightDecay(), negLr = (float) -r.lr();
        for (int i = 0; i < n; i++) {
            long off = 4L * i;
            float p = ps.get(F32, off), g = gs.get(F32, off);
            if (r.maximize()) g = -g;
            if (r.weightDecay() != 0) g = Math.fma(wd, p, g);
            float s = Math.fma(oneMinus * g, g, sq.get(F32, off) * al);
            sq.set(F32, off, s);
            float avg;
            if (ga != null) {
                float a = Math.fma(oneMinus, g, ga.get(F32, off) * al);
                ga.set(F32, off, a);
                avg = (float) Math.sqrt(Math.fma(-a, a, s));
            } else {
                avg = (float) Math.sqrt(s);
            }
            avg = avg + e;
            if (buf != null) {
                float b = buf.get(F32, off) * mom + g / avg;
                buf.set(F32, off, b);
                ps.set(F32, off, Math.fma(negLr, b, p));
            } else {
                ps.set(F32, off, p + negLr * g / avg);
            }
        }
    }

    private static void rmspropDouble(OptimizerStep.RMSprop r, int n, MemorySegment ps, MemorySegment gs,
                                      MemorySegment sq, MemorySegment ga, MemorySegment buf) {
        double alpha = r.alpha(), lr = r.lr();
        for (int i = 0; i < n; i++) {
            long off = 8L * i;
            double p = ps.get(F64, off), g = gs.get(F64, off);
            if (r.maximize()) g = -g;
            if (r.weightDecay() != 0) g = Math.fma(r.weightDecay(), p, g);
            double s = Math.fma((1 - alpha) * g, g, sq.get(F64, off) * alpha);
            sq.set(F64, off, s);
            double avg;
            if (ga != null) {
                double a = Math.fma(1 - alpha, g, ga.get(F64, off) * alpha);
                ga.set(F64, off, a);
                avg = Math.sqrt(Math.fma(-a, a, s));
            } else {
                avg = Math.sqrt(s);
            }
            avg = avg + r.eps();
            if (buf != null) {
                double b = buf.get(F64, off) * r.momentum() + g / avg;
                buf.set(F64, off, b);
                ps.set(F64, off, Math.fma(-lr, b, p));
            } else {
                ps.set(F64, off, p + -lr * g / avg);
            }
        }
    }

    // ---------------- Adagrad ----------------

    private static void adagrad(OptimizerStep.Adagrad a, boolean dbl, int n, MemorySegment ps, MemorySegment gs, MemorySegment sum) {
        if (dbl) {
            for (int i = 0; i < n; i++) {
                long off = 8L * i;
                double pv = ps.get(F64, off), gv = gs.get(F64, off);
                if (a.maximize()) gv = -gv;
                if (a.weightDecay() != 0) gv = Math.fma(a.weightDecay(), pv, gv);
                double s = Math.fma(gv, gv, sum.get(F64, off));
                sum.set(F64, off, s);
                double std = Math.sqrt(s) + a.eps();
                ps.set(F64, off, pv + -a.clr() * gv / std);
            }
            return;
        }
        float wd = (float) a.weightDecay(), e = (float) a.eps(), negClr = (float) -a.clr();
        for (int i = 0; i < n; i++) {
            long off = 4L * i;
            float pv = ps.get(F32, off), gv = gs.get(F32, off);
            if (a.maximize()) gv = -gv;
            if (a.weightDecay() != 0) gv = Math.fma(wd, pv, gv);
            float s = Math.fma(gv, gv, sum.get(F32, off));
            sum.set(F32, off, s);
            float std = (float) Math.sqrt(s) + e;
            ps.set(F32, off, pv + negClr * gv / std);
        }
    }
}
