package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.RandomDraw;
import dev.jtensor.backend.RandomSource;
import java.lang.foreign.MemorySegment;

/**
 * Random fills from a {@link RandomSource}'s mt19937 stream, transformed exactly as PyTorch's CPU kernels do, so
 * that {@code manualSeed(s)} then {@code rand}/{@code randn}/{@code randint} give PyTorch's numbers: uniform
 * takes one draw per element (24 bits for float32 and the half types, 53 for float64); normal is PyTorch's
 * {@code normal_fill} (16-wide Box-Muller) from 16 elements on, scalar Box-Muller below; integers are
 * {@code random() % range + low} below 2^32 and a 64-bit draw above. The caller holds the source's lock.
 */
final class CpuRandom {
    private CpuRandom() {}

    static void fill(RandomDraw draw, DType type, MemorySegment out, long offset, long n, RandomSource g) {
        long eb = type.byteSize();
        switch (draw) {
            case RandomDraw.Uniform u -> {
                boolean dbl = type == DType.FLOAT64;
                for (long i = 0; i < n; i++) {
                    double v = dbl ? g.uniformDouble(u.from(), u.to()) : g.uniformFloat(u.from(), u.to());
                    Elements.setDouble(out, type, (offset + i) * eb, v);
                }
            }
            case RandomDraw.Normal nd -> normal(out, type, offset, n, nd.mean(), nd.std(), g);
            case RandomDraw.Integers r -> {
                long range = r.high() - r.low();
                for (long i = 0; i < n; i++) {
                    long v = range >= (1L << 32) ? Long.remainderUnsigned(g.random64(), range) : g.random() % range;
                    Elements.setLong(out, type, (offset + i) * eb, r.low() + v);
                }
            }
        }
    }

    private static void normal(MemorySegment seg, DType dtype, long offset, long n, double mean, double std, RandomSource g) {
        long eb = dtype.byteSize();
        if (n < 16) {
            for (long i = 0; i < n; i++) Elements.setDouble(seg, dtype, (offset + i) * eb, g.normal(mean, std));
            return;
        }
        boolean dbl = dtype == DType.FLOAT64;
        double[] data = new double[Math.toIntExact(n)];
        for (int i = 0; i < n; i++) data[i] = dbl ? g.uniformDouble(0, 1) : (float) g.uniformFloat(0, 1);
        for (int i = 0; i + 16 <= n; i += 16) normalFill16(data, i, mean, std, dbl);
        if (n % 16 != 0) { // recompute the last 16 values, as PyTorch does
            int start = (int) n - 16;
            for (int i = 0; i < 16; i++) data[start + i] = dbl ? g.uniformDouble(0, 1) : (float) g.uniformFloat(0, 1);
            normalFill16(data, start, mean, std, dbl);
        }
        for (int i = 0; i < n; i++) Elements.setDouble(seg, dtype, (offset + i) * eb, data[i]);
    }

    private static void normalFill16(double[] d, int at, double mean, double std, boolean dbl) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - d[at + j], u2 = d[at + j + 8];
            if (dbl) {
                double radius = Math.sqrt(-2 * Math.log(u1)), theta = 2.0 * Math.PI * u2;
                d[at + j] = radius * Math.cos(theta) * std + mean;
                d[at + j + 8] = radius * Math.sin(theta) * std + mean;
            } else { // float arithmetic, as the float32 kernel
                float radius = (float) Math.sqrt((float) (-2 * (float) Math.log((float) u1)));
                float theta = (float) (2.0f * Math.PI * (float) u2);
                d[at + j] = (float) ((float) (radius * (float) Math.cos(theta)) * (float) std + (float) mean);
                d[at + j + 8] = (float) ((float) (radius * (float) Math.sin(theta)) * (float) std + (float) mean);
            }
        }
    }
}
