package dev.jtensor.backend.cpu;

import static dev.jtensor.bindings.cpukernels.jtensor_cpu_h.JT_CPU_DECOUPLED;
import static dev.jtensor.bindings.cpukernels.jtensor_cpu_h.JT_CPU_FIRST;
import static dev.jtensor.bindings.cpukernels.jtensor_cpu_h.JT_CPU_MAXIMIZE;
import static dev.jtensor.bindings.cpukernels.jtensor_cpu_h.JT_CPU_NESTEROV;
import static dev.jtensor.bindings.cpukernels.jtensor_cpu_h.JT_CPU_WEIGHT_DECAY;

import dev.jtensor.DType;
import dev.jtensor.backend.OptimizerStep;
import dev.jtensor.bindings.cpukernels.jtensor_cpu_h;
import java.lang.foreign.MemorySegment;

/**
 * The optimizer part of the {@link NativeKernels} facade: the fused SGD, Adam/AdamW, RMSprop and Adagrad steps of
 * {@code native/cpu/optim.c}, bit for bit {@link CpuOptimizerSteps}' loops, under the same rules (every range
 * checked before the downcall, heap segments declined, the library's state and the threshold
 * {@link KernelChoice#STEP_MIN} from there; the caller, {@link CpuBackend}, applies it).
 */
final class NativeSteps {
    private NativeSteps() {}

    /** Elements per pool task (as CpuLoops.GRAIN). */
    private static final long GRAIN = NativeKernels.GRAIN;

    /**
     * One fused SGD (plain, weight decay, momentum), Adam/AdamW (amsgrad too), RMSprop (centered, momentum) or
     * Adagrad step over {@code n} contiguous elements, bit for bit CpuOptimizerSteps' loops, on the intra-op
     * pool; false when not taken (other dtypes, heap tensors).
     */
    static boolean optimizerStep(OptimizerStep step, DType type, long n, MemorySegment p, MemorySegment g, MemorySegment[] state) {
        if (!NativeKernels.ENABLED || (type != DType.FLOAT32 && type != DType.FLOAT64) || !p.isNative() || !g.isNative()) return false;
        for (MemorySegment s : state) if (!s.isNative()) return false;
        boolean f32 = type == DType.FLOAT32;
        int es = f32 ? 4 : 8;
        return switch (step) {
            case OptimizerStep.Sgd s -> {
                MemorySegment ps = NativeKernels.range("jt_cpu_sgd", "param", p, 0, n, es), gs = NativeKernels.range("jt_cpu_sgd", "grad", g, 0, n, es);
                MemorySegment buf = state.length == 0 ? MemorySegment.NULL : NativeKernels.range("jt_cpu_sgd", "momentum_buffer", state[0], 0, n, es);
                sgd(s, f32, n, ps, gs, buf);
                yield true;
            }
            case OptimizerStep.Adam a -> {
                MemorySegment vMax = a.amsgrad() ? NativeKernels.range("jt_cpu_adam", "max_exp_avg_sq", state[2], 0, n, es) : MemorySegment.NULL;
                adam(a, f32, n, NativeKernels.range("jt_cpu_adam", "param", p, 0, n, es), NativeKernels.range("jt_cpu_adam", "grad", g, 0, n, es),
                        NativeKernels.range("jt_cpu_adam", "exp_avg", state[0], 0, n, es), NativeKernels.range("jt_cpu_adam", "exp_avg_sq", state[1], 0, n, es), vMax);
                yield true;
            }
            case OptimizerStep.RMSprop r -> {
                String name = "jt_cpu_rmsprop";
                MemorySegment gradAvg = r.centered() ? NativeKernels.range(name, "grad_avg", state[1], 0, n, es) : MemorySegment.NULL;
                MemorySegment buf = r.momentum() > 0 ? NativeKernels.range(name, "momentum_buffer", state[r.centered() ? 2 : 1], 0, n, es)
                        : MemorySegment.NULL;
                rmsprop(r, f32, n, NativeKernels.range(name, "param", p, 0, n, es), NativeKernels.range(name, "grad", g, 0, n, es),
                        NativeKernels.range(name, "square_avg", state[0], 0, n, es), gradAvg, buf);
                yield true;
            }
            case OptimizerStep.Adagrad a -> {
                adagrad(a, f32, n, NativeKernels.range("jt_cpu_adagrad", "param", p, 0, n, es), NativeKernels.range("jt_cpu_adagrad", "grad", g, 0, n, es),
                        NativeKernels.range("jt_cpu_adagrad", "sum", state[0], 0, n, es));
                yield true;
            }
        };
    }

    private static void sgd(OptimizerStep.Sgd s, boolean f32, long n, MemorySegment p, MemorySegment g, MemorySegment buf) {
        if (s.plain()) {
            if (f32) {
                float alpha = (float) -s.lr();
                Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_axpy_f32(alpha, g, p, from, to - from));
            } else {
                Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_axpy_f64(-s.lr(), g, p, from, to - from));
            }
            return;
        }
        int flags = (s.maximize() ? JT_CPU_MAXIMIZE() : 0) | (s.weightDecay() != 0 ? JT_CPU_WEIGHT_DECAY() : 0)
                | (s.nesterov() ? JT_CPU_NESTEROV() : 0) | (s.first() ? JT_CPU_FIRST() : 0);
        if (f32) {
            float lr = (float) -s.lr(), wd = (float) s.weightDecay(), m = (float) s.momentum(), keep = (float) (1 - s.dampening());
            Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_sgd_f32(flags, lr, wd, m, keep, p, g, buf, from, to - from));
        } else {
            double lr = -s.lr(), keep = 1 - s.dampening();
            Parallel.forRange(n, GRAIN, (from, to) ->
                    jtensor_cpu_h.jt_cpu_sgd_f64(flags, lr, s.weightDecay(), s.momentum(), keep, p, g, buf, from, to - from));
        }
    }

    private static void adam(OptimizerStep.Adam a, boolean f32, long n, MemorySegment p, MemorySegment g, MemorySegment m,
                             MemorySegment v, MemorySegment vMax) {
        int flags = (a.maximize() ? JT_CPU_MAXIMIZE() : 0) | (a.weightDecay() != 0 ? JT_CPU_WEIGHT_DECAY() : 0)
                | (a.decoupled() ? JT_CPU_DECOUPLED() : 0);
        if (f32) {
            float b1 = (float) a.beta1(), b2 = (float) a.beta2(), a1 = (float) (1 - a.beta1()), a2 = (float) (1 - a.beta2());
            float wd = (float) a.weightDecay(), shrink = (float) (1 - a.lr() * a.weightDecay());
            float bc = (float) a.bc2Sqrt(), e = (float) a.eps(), negStep = (float) -a.stepSize();
            Parallel.forRange(n, GRAIN, (from, to) ->
                    jtensor_cpu_h.jt_cpu_adam_f32(flags, b1, b2, a1, a2, wd, shrink, bc, e, negStep, p, g, m, v, vMax, from, to - from));
        } else {
            double shrink = 1 - a.lr() * a.weightDecay();
            Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_adam_f64(flags, a.beta1(), a.beta2(), 1 - a.beta1(),
                    1 - a.beta2(), a.weightDecay(), shrink, a.bc2Sqrt(), a.eps(), -a.stepSize(), p, g, m, v, vMax, from, to - from));
        }
    }

    private static void rmsprop(OptimizerStep.RMSprop r, boolean f32, long n, MemorySegment p, MemorySegment g,
                                MemorySegment squareAvg, MemorySegment gradAvg, MemorySegment buf) {
        int flags = (r.maximize() ? JT_CPU_MAXIMIZE() : 0) | (r.weightDecay() != 0 ? JT_CPU_WEIGHT_DECAY() : 0);
        if (f32) {
            float al = (float) r.alpha(), oneMinus = (float) (1 - r.alpha()), e = (float) r.eps(), mom = (float) r.momentum();
            float wd = (float) r.weightDecay(), negLr = (float) -r.lr();
            Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_rmsprop_f32(flags, al, oneMinus, e, mom, wd, negLr,
                    p, g, squareAvg, gradAvg, buf, from, to - from));
        } else {
            Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_rmsprop_f64(flags, r.alpha(), 1 - r.alpha(), r.eps(),
                    r.momentum(), r.weightDecay(), -r.lr(), p, g, squareAvg, gradAvg, buf, from, to - from));
        }
    }

    private static void adagrad(OptimizerStep.Adagrad a, boolean f32, long n, MemorySegment p, MemorySegment g, MemorySegment sum) {
        int flags = (a.maximize() ? JT_CPU_MAXIMIZE() : 0) | (a.weightDecay() != 0 ? JT_CPU_WEIGHT_DECAY() : 0);
        if (f32) {
            float wd = (float) a.weightDecay(), e = (float) a.eps(), negClr = (float) -a.clr();
            Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_adagrad_f32(flags, wd, e, negClr, p, g, sum, from, to - from));
        } else {
            Parallel.forRange(n, GRAIN, (from, to) ->
                    jtensor_cpu_h.jt_cpu_adagrad_f64(flags, a.weightDecay(), a.eps(), -a.clr(), p, g, sum, from, to - from));
        }
    }
}
