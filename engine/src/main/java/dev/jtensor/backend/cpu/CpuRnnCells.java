package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import java.lang.foreign.MemorySegment;

/**
 * The fused recurrent cells on the CPU (PyTorch's {@code _thnn_fused_lstm_cell}/{@code _thnn_fused_gru_cell} and their
 * backwards): the C kernels of {@code native/cpu/rnn.c} through {@link NativeRnnCells} for float32/float64 in native
 * memory, else these Java loops, which are their oracle and serve every other floating type. The formulas and their
 * order of operations are {@code jtensor_cpu.h}'s. Float32 and the half types compute in float32 (PyTorch's
 * accumulation type; half results round once on store), float64 in float64: every value is computed in double and
 * rounded by {@link Arith#r}, which for float32 equals float arithmetic exactly (+, -, *, / of two floats computed in
 * double and rounded to float are correctly rounded). Operands contiguous, at offset 0.
 */
final class CpuRnnCells {
    private CpuRnnCells() {}

    private static final long GRAIN = 16384;

    /** The rounding of one computing type. */
    private record Arith(boolean single) {
        double r(double x) { return single ? (float) x : x; }
        double sigmoid(double x) { return r(1 / (1 + Math.exp(-x))); }
        double tanh(double x) { return r(Math.tanh(x)); }
    }

    private static double get(MemorySegment m, DType t, long i) { return Elements.getDouble(m, t, i * t.byteSize()); }

    private static void set(MemorySegment m, DType t, long i, double v) { Elements.setDouble(m, t, i * t.byteSize(), v); }

    static void lstm(DType t, long n, long hidden, MemorySegment igates, MemorySegment hgates, MemorySegment biasIh,
                     MemorySegment biasHh, MemorySegment cx, MemorySegment hy, MemorySegment cy, MemorySegment ws) {
        if (!NativeRnnCells.lstm(t, n, hidden, igates, hgates, biasIh, biasHh, cx, hy, cy, ws)) lstmLoop(t, n, hidden, igates, hgates, biasIh, biasHh, cx, hy, cy, ws);
    }

    /** The Java loop of {@link #lstm}. */
    static void lstmLoop(DType t, long n, long hidden, MemorySegment igates, MemorySegment hgates, MemorySegment biasIh,
                     MemorySegment biasHh, MemorySegment cx, MemorySegment hy, MemorySegment cy, MemorySegment ws) {
        Arith a = new Arith(t != DType.FLOAT64);
        Parallel.forRange(n * hidden, GRAIN, (from, to) -> {
            double[] g = new double[4];
            for (long e = from; e < to; e++) {
                long row = e / hidden * 4 * hidden, j = e % hidden;
                for (int k = 0; k < 4; k++) {
                    long idx = row + k * hidden + j;
                    double v = a.r(get(igates, t, idx) + get(hgates, t, idx));
                    if (biasIh != null) v = a.r(v + get(biasIh, t, k * hidden + j));
                    if (biasHh != null) v = a.r(v + get(biasHh, t, k * hidden + j));
                    g[k] = v;
                }
                double ig = a.sigmoid(g[0]), fg = a.sigmoid(g[1]), cg = a.tanh(g[2]), og = a.sigmoid(g[3]);
                double c = a.r(a.r(fg * get(cx, t, e)) + a.r(ig * cg));
                set(cy, t, e, c);
                set(hy, t, e, a.r(og * a.tanh(c)));
                set(ws, t, row + j, ig);
                set(ws, t, row + hidden + j, fg);
                set(ws, t, row + 2 * hidden + j, cg);
                set(ws, t, row + 3 * hidden + j, og);
            }
        });
    }

    static void lstmBackward(DType t, long n, long hidden, MemorySegment gradHy, MemorySegment gradCy, MemorySegment cx,
                             MemorySegment cy, MemorySegment ws, MemorySegment gradGates, MemorySegment gradCx) {
        if (!NativeRnnCells.lstmBackward(t, n, hidden, gradHy, gradCy, cx, cy, ws, gradGates, gradCx)) lstmBackwardLoop(t, n, hidden, gradHy, gradCy, cx, cy, ws, gradGates, gradCx);
    }

    /** The Java loop of {@link #lstmBackward}. */
    static void lstmBackwardLoop(DType t, long n, long hidden, MemorySegment gradHy, MemorySegment gradCy, MemorySegment cx,
                             MemorySegment cy, MemorySegment ws, MemorySegment gradGates, MemorySegment gradCx) {
        Arith a = new Arith(t != DType.FLOAT64);
        Parallel.forRange(n * hidden, GRAIN, (from, to) -> {
            for (long e = from; e < to; e++) {
                long row = e / hidden * 4 * hidden, j = e % hidden;
                double ig = get(ws, t, row + j), fg = get(ws, t, row + hidden + j);
                double cg = get(ws, t, row + 2 * hidden + j), og = get(ws, t, row + 3 * hidden + j);
                double go = gradHy == null ? 0 : get(gradHy, t, e), goc = gradCy == null ? 0 : get(gradCy, t, e);
                double tc = a.tanh(get(cy, t, e));
                double gog = a.r(go * tc);
                double gc = a.r(a.r(a.r(go * og) * a.r(1 - a.r(tc * tc))) + goc);
                double gig = a.r(gc * cg), gfg = a.r(gc * get(cx, t, e)), gcg = a.r(gc * ig);
                set(gradCx, t, e, a.r(gc * fg));
                set(gradGates, t, row + j, a.r(a.r(gig * a.r(1 - ig)) * ig));
                set(gradGates, t, row + hidden + j, a.r(a.r(gfg * a.r(1 - fg)) * fg));
                set(gradGates, t, row + 2 * hidden + j, a.r(gcg * a.r(1 - a.r(cg * cg))));
                set(gradGates, t, row + 3 * hidden + j, a.r(a.r(gog * a.r(1 - og)) * og));
            }
        });
    }

    static void gru(DType t, long n, long hidden, MemorySegment igates, MemorySegment hgates, MemorySegment biasIh,
                    MemorySegment biasHh, MemorySegment hx, MemorySegment hy, MemorySegment ws) {
        if (!NativeRnnCells.gru(t, n, hidden, igates, hgates, biasIh, biasHh, hx, hy, ws)) gruLoop(t, n, hidden, igates, hgates, biasIh, biasHh, hx, hy, ws);
    }

    /** The Java loop of {@link #gru}. */
    static void gruLoop(DType t, long n, long hidden, MemorySegment igates, MemorySegment hgates, MemorySegment biasIh,
                    MemorySegment biasHh, MemorySegment hx, MemorySegment hy, MemorySegment ws) {
        Arith a = new Arith(t != DType.FLOAT64);
        Parallel.forRange(n * hidden, GRAIN, (from, to) -> {
            double[] gi = new double[3], gh = new double[3];
            for (long e = from; e < to; e++) {
                long nIdx = e / hidden, j = e % hidden, row = nIdx * 3 * hidden, w = nIdx * 5 * hidden;
                for (int k = 0; k < 3; k++) {
                    gi[k] = get(igates, t, row + k * hidden + j);
                    gh[k] = get(hgates, t, row + k * hidden + j);
                    if (biasIh != null) gi[k] = a.r(gi[k] + get(biasIh, t, k * hidden + j));
                    if (biasHh != null) gh[k] = a.r(gh[k] + get(biasHh, t, k * hidden + j));
                }
                double rg = a.sigmoid(a.r(gi[0] + gh[0])), zg = a.sigmoid(a.r(gi[1] + gh[1]));
                double ng = a.tanh(a.r(gi[2] + a.r(rg * gh[2])));
                double h = get(hx, t, e);
                set(hy, t, e, a.r(ng + a.r(zg * a.r(h - ng))));
                set(ws, t, w + j, rg);
                set(ws, t, w + hidden + j, zg);
                set(ws, t, w + 2 * hidden + j, ng);
                set(ws, t, w + 3 * hidden + j, h);
                set(ws, t, w + 4 * hidden + j, gh[2]);
            }
        });
    }

    static void gruBackward(DType t, long n, long hidden, MemorySegment gradHy, MemorySegment ws, MemorySegment gradIgates,
                            MemorySegment gradHgates, MemorySegment gradHx) {
        if (!NativeRnnCells.gruBackward(t, n, hidden, gradHy, ws, gradIgates, gradHgates, gradHx)) gruBackwardLoop(t, n, hidden, gradHy, ws, gradIgates, gradHgates, gradHx);
    }

    /** The Java loop of {@link #gruBackward}. */
    static void gruBackwardLoop(DType t, long n, long hidden, MemorySegment gradHy, MemorySegment ws, MemorySegment gradIgates,
                            MemorySegment gradHgates, MemorySegment gradHx) {
        Arith a = new Arith(t != DType.FLOAT64);
        Parallel.forRange(n * hidden, GRAIN, (from, to) -> {
            for (long e = from; e < to; e++) {
                long nIdx = e / hidden, j = e % hidden, row = nIdx * 3 * hidden, w = nIdx * 5 * hidden;
                double rg = get(ws, t, w + j), zg = get(ws, t, w + hidden + j), ng = get(ws, t, w + 2 * hidden + j);
                double h = get(ws, t, w + 3 * hidden + j), hn = get(ws, t, w + 4 * hidden + j);
                double go = get(gradHy, t, e);
                double gz = a.r(a.r(a.r(go * a.r(h - ng)) * a.r(1 - zg)) * zg);
                double gn = a.r(a.r(go * a.r(1 - zg)) * a.r(1 - a.r(ng * ng)));
                double gr = a.r(a.r(a.r(gn * hn) * a.r(1 - rg)) * rg);
                set(gradHx, t, e, a.r(go * zg));
                set(gradIgates, t, row + j, gr);
                set(gradIgates, t, row + hidden + j, gz);
                set(gradIgates, t, row + 2 * hidden + j, gn);
                set(gradHgates, t, row + j, gr);
                set(gradHgates, t, row + hidden + j, gz);
                set(gradHgates, t, row + 2 * hidden + j, a.r(gn * rg));
            }
        });
    }
}
