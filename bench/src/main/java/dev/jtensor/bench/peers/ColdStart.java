package dev.jtensor.bench.peers;

import dev.jtensor.Jt;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * Issue 24 item 6: cold start of the MLP 784-256-10 training loop (Workloads.Mlp: batch 256, SGD, cross
 * entropy) in a fresh JVM, for jtensor or DJL: {@code ColdStart jtensor|djl [steps]} prints one line of
 * facts, in milliseconds: JVM start to the first result (the first step's loss on the host), the first
 * step, the sums of steps 1-10, 1-100, 1-300, the median of the last 100 steps ("steady"), and the first
 * step from which a 20-step window's median stays within 1.2x of steady. {@code bench/cold-start.sh} runs
 * it in several fresh JVMs per configuration, with and without a JDK 25 AOT cache.
 */
public final class ColdStart {
    private ColdStart() {}

    public static void main(String[] args) {
        String lib = args.length > 0 ? args[0] : "jtensor";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        DoubleSupplier step = switch (lib) {
            case "jtensor" -> jtensor();
            case "djl" -> djl();
            default -> throw new IllegalArgumentException("ColdStart: library must be jtensor or djl, not " + lib);
        };
        double[] ms = new double[steps];
        double firstResultMs = 0;
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            double loss = step.getAsDouble();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (i == 0) {
                firstResultMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                if (!Double.isFinite(loss)) throw new IllegalStateException("loss " + loss);
            }
        }
        double steady = median(Arrays.copyOfRange(ms, Math.max(0, steps - 100), steps));
        System.out.printf("coldstart lib=%s firstResultMs=%.0f step1=%.1f steps1_10=%.1f steps1_100=%.1f steps1_300=%.1f "
                        + "steadyMs=%.3f stepsTo1.2x=%d%n", lib, firstResultMs, ms[0], sum(ms, 10), sum(ms, 100), sum(ms, 300),
                steady, stepsToSteady(ms, steady));
    }

    private static double sum(double[] ms, int n) {
        double s = 0;
        for (int i = 0; i < Math.min(n, ms.length); i++) s += ms[i];
        return s;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length == 0 ? Double.NaN : c[c.length / 2];
    }

    /** The first step i from which every later 20-step window's median is within 1.2x of steady. */
    private static int stepsToSteady(double[] ms, double steady) {
        int last = -1;
        for (int i = 0; i + 20 <= ms.length; i++) {
            if (median(Arrays.copyOfRange(ms, i, i + 20)) > 1.2 * steady) last = i;
        }
        return last + 1;
    }

    private static DoubleSupplier jtensor() {
        JtensorRows.Mlp mlp = new JtensorRows.Mlp();
        mlp.build();
        return () -> {
            try (var scope = Jt.scope()) {
                return mlp.step();
            }
        };
    }

    private static DoubleSupplier djl() {
        DjlRows.Mlp mlp = new DjlRows.Mlp();
        mlp.build();
        return mlp::step;
    }
}
