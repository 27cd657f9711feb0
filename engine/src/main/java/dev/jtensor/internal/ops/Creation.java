package dev.jtensor.internal.ops;

import static dev.jtensor.internal.ops.Dispatch.operand;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Generator;
import dev.jtensor.Shape;
import dev.jtensor.Tensor;
import dev.jtensor.backend.RandomDraw;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.RandomSources;
import dev.jtensor.internal.Tensors;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Factories: tensors from Java scalars and arrays (with PyTorch's dtype inference), filled tensors,
 * ranges, and random tensors drawn as PyTorch's CPU generator draws them.
 */
public final class Creation {
    private Creation() {}

    /**
     * The dtype PyTorch infers for Java data: double/float make the default floating type (FLOAT32),
     * long/int make INT64, short INT16, byte INT8, boolean BOOL.
     */
    public static DType inferDType(Class<?> component) {
        if (component == double.class || component == float.class) return DType.defaultFloat();
        if (component == long.class || component == int.class) return DType.INT64;
        if (component == short.class) return DType.INT16;
        if (component == byte.class) return DType.INT8;
        if (component == boolean.class) return DType.BOOL;
        throw new IllegalArgumentException("tensor(): unsupported element type " + component.getName()
                + "; use arrays of double, float, long, int, short, byte or boolean");
    }

    /** A tensor holding a copy of {@code data}: a boxed scalar or a (nested) primitive array. */
    public static Tensor fromData(Object data, DType dtype) {
        if (data == null) throw new IllegalArgumentException("tensor(): data is null");
        if (data instanceof Tensor) throw new IllegalArgumentException("tensor(): data is already a Tensor; use clone() or to(dtype)");
        if (!data.getClass().isArray()) return scalar(data, dtype);
        List<Long> shapeList = new ArrayList<>();
        Class<?> c = data.getClass();
        Object probe = data;
        while (c.isArray()) {
            shapeList.add((long) Array.getLength(probe));
            c = c.getComponentType();
            if (c.isArray()) probe = Array.getLength(probe) > 0 ? Array.get(probe, 0) : null;
            if (probe == null && c.isArray()) {
                // empty outer dim: inner sizes are 0
                while (c.isArray()) { shapeList.add(0L); c = c.getComponentType(); }
            }
        }
        DType t = dtype != null ? dtype : inferDType(c);
        long[] shape = shapeList.stream().mapToLong(Long::longValue).toArray();
        long[] next = {0}; // every element is written (a ragged array fails before returning, its tensor released)
        return HostData.write(t, shape, Device.CPU, dst -> write(data, 0, shape, new int[shape.length], dst, next));
    }

    private static void write(Object arr, int depth, long[] shape, int[] path, HostData.Bytes dst, long[] next) {
        int len = Array.getLength(arr);
        if (len != shape[depth]) {
            throw new IllegalArgumentException("tensor(): ragged nested array: expected sequence of length " + shape[depth]
                    + " at dim " + depth + " (index path " + Arrays.toString(Arrays.copyOf(path, depth)) + ") but got " + len);
        }
        if (depth == shape.length - 1) {
            dst.copyFrom(next[0], arr);
            next[0] += len;
            return;
        }
        for (int i = 0; i < len; i++) {
            Object sub = Array.get(arr, i);
            path[depth] = i;
            if (sub == null) throw new IllegalArgumentException("tensor(): null sub-array at index path "
                    + Arrays.toString(Arrays.copyOf(path, depth + 1)));
            write(sub, depth + 1, shape, path, dst, next);
        }
    }

    private static Tensor scalar(Object v, DType dtype) {
        DType t = dtype;
        if (t == null) {
            t = switch (v) {
                case Double d -> DType.defaultFloat();
                case Float f -> DType.defaultFloat();
                case Long l -> DType.INT64;
                case Integer i -> DType.INT64;
                case Short s -> DType.INT16;
                case Byte b -> DType.INT8;
                case Boolean b -> DType.BOOL;
                default -> throw new IllegalArgumentException("tensor(): unsupported scalar " + v.getClass().getName());
            };
        }
        return HostData.write(t, new long[0], Device.CPU, dst -> {
            switch (v) {
                case Boolean b -> dst.setLong(0, b ? 1 : 0);
                case Double d -> dst.setDouble(0, d);
                case Float f -> dst.setDouble(0, f);
                case Number n -> dst.setLong(0, n.longValue());
                default -> throw new IllegalArgumentException("tensor(): unsupported scalar " + v.getClass().getName());
            }
        });
    }

    /** Every element {@code value}, converted to dtype. */
    public static Tensor full(long[] shape, double value, DType dtype) { return full(shape, value, dtype, Device.CPU); }

    /** Every element {@code value}, converted to dtype, in fresh memory on {@code device} (filled there). */
    public static Tensor full(long[] shape, double value, DType dtype, Device device) {
        return Fill.fill_(Tensors.empty(dtype, shape.clone(), device), value); // the one fill (a fresh tensor records nothing)
    }

    /** {@code start, start+step, ...} below {@code end}; length {@code ceil((end-start)/step)} as PyTorch. */
    public static Tensor arange(double start, double end, double step, DType dtype) { return arange(start, end, step, dtype, Device.CPU); }

    /** {@link #arange(double, double, double, DType)} on {@code device} (written on the host, one transfer). */
    public static Tensor arange(double start, double end, double step, DType dtype, Device device) {
        if (!dtype.isFloatingPoint() && dtype != DType.BOOL) return arangeIntegral(start, end, step, dtype, device);
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if (!Double.isFinite(start) || !Double.isFinite(end)) throw new IllegalArgumentException("arange: unsupported range " + start + " -> " + end);
        if ((step > 0 && end < start) || (step < 0 && end > start)) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign (start "
                    + start + ", end " + end + ", step " + step + ")");
        }
        long n = (long) Math.ceil((end - start) / step);
        boolean integral = !dtype.isFloatingPoint();
        return HostData.write(dtype, new long[] {n}, device, dst -> {
            for (long i = 0; i < n; i++) {
                if (integral) dst.setLong(i, (long) start + i * (long) step);
                else dst.setDouble(i, start + i * step);
            }
        });
    }

    /**
     * arange into an integer dtype, as PyTorch: the bounds and step are first truncated to integers (C++
     * casts) and the values are {@code start + i * step} in int64; the length is {@code ceil((end - start) / step)}
     * of the truncated values for INT64 but of the bounds as given for the narrower types (so
     * {@code arange(0.0, -8.000001, -4.0, INT64)} has 2 elements and the INT32 one 3).
     */
    private static Tensor arangeIntegral(double start, double end, double step, DType dtype, Device device) {
        long s = (long) start, e = (long) end, st = (long) step;
        if (st == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if (!Double.isFinite(start) || !Double.isFinite(end)) throw new IllegalArgumentException("arange: unsupported range " + start + " -> " + end);
        if ((st > 0 && e < s) || (st < 0 && e > s)) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign (start "
                    + start + ", end " + end + ", step " + step + ")");
        }
        double length = dtype == DType.INT64 ? Math.ceil((double) (e - s) / st) : Math.ceil((end - start) / step);
        long n = Math.max(0, (long) length);
        return HostData.write(dtype, new long[] {n}, device, dst -> {
            for (long i = 0; i < n; i++) dst.setLong(i, s + i * st);
        });
    }

    /**
     * {@code steps} evenly spaced values from start to end inclusive, computed as PyTorch's CPU kernel does:
     * from the start for the first half, from the end for the rest, each as one fused multiply-add
     * (the x86-64 build of PyTorch contracts {@code start + step * i} into an FMA).
     */
    public static Tensor linspace(double start, double end, long steps, DType dtype) { return linspace(start, end, steps, dtype, Device.CPU); }

    /** {@link #linspace(double, double, long, DType)} on {@code device} (written on the host, one transfer). */
    public static Tensor linspace(double start, double end, long steps, DType dtype, Device device) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        return HostData.write(dtype, new long[] {steps}, device, dst -> {
            if (steps == 1) dst.setDouble(0, start);
            if (steps > 1) linspace(start, end, steps, dst);
        });
    }

    private static void linspace(double start, double end, long steps, HostData.Bytes dst) {
        long halfway = steps / 2;
        if (dst.dtype() == DType.FLOAT32) { // computed in float as torch does for float32
            float s = (float) start, e = (float) end, step = (e - s) / (float) (steps - 1);
            for (long i = 0; i < steps; i++) dst.setDouble(i, i < halfway ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - i - 1), e));
        } else {
            double step = (end - start) / (steps - 1);
            for (long i = 0; i < steps; i++) dst.setDouble(i, i < halfway ? Math.fma(step, i, start) : Math.fma(-step, steps - i - 1, end));
        }
    }

    /** Identity matrix n x m. */
    public static Tensor eye(long n, long m, DType dtype) { return eye(n, m, dtype, Device.CPU); }

    /** Identity matrix n x m on {@code device} (written on the host, one transfer). */
    public static Tensor eye(long n, long m, DType dtype, Device device) {
        return HostData.write(dtype, new long[] {n, m}, device, dst -> {
            dst.zero();
            for (long i = 0; i < Math.min(n, m); i++) dst.setDouble(i * m + i, 1);
        });
    }

    // ---------------- random (PyTorch's CPU transformations over mt19937) ----------------

    /** Uniform [from, to) on the CPU, as PyTorch's CPU generator draws it (see {@code RandomDraw}). */
    public static Tensor uniform(long[] shape, double from, double to, DType dtype, Generator g) {
        return uniform(shape, from, to, dtype, g, Device.CPU);
    }

    /** Uniform [from, to) in fresh memory on {@code device}, drawn there by its backend from {@code g}. */
    public static Tensor uniform(long[] shape, double from, double to, DType dtype, Generator g, Device device) {
        requireFloating("rand", dtype);
        return drawn(new RandomDraw.Uniform(from, to), shape, dtype, g, device);
    }

    /** Fills a contiguous tensor with uniform values in [from, to) (Tensor.uniform_). */
    public static void fillUniform(Tensor out, double from, double to, Generator g) {
        if (!out.isContiguous()) throw new IllegalArgumentException("uniform_: expected a contiguous tensor, got strides " + out.stride());
        Dispatch.run("uniform_", out, (backend, bo) -> backend.random(new RandomDraw.Uniform(from, to), operand(bo, out), RandomSources.of(g)));
        Tensors.bumpVersion(out);
    }

    /** Normal(mean, std) on the CPU: PyTorch's normal_fill (16-wide Box-Muller) for 16+ elements, scalar Box-Muller below. */
    public static Tensor normal(long[] shape, double mean, double std, DType dtype, Generator g) {
        return normal(shape, mean, std, dtype, g, Device.CPU);
    }

    /** Normal(mean, std) in fresh memory on {@code device}, drawn there by its backend from {@code g}. */
    public static Tensor normal(long[] shape, double mean, double std, DType dtype, Generator g, Device device) {
        requireFloating("randn", dtype);
        return drawn(new RandomDraw.Normal(mean, std), shape, dtype, g, device);
    }

    /** Integers uniform in [low, high) (PyTorch's random_from_to: random() % range + low for ranges below 2^32). */
    public static Tensor randint(long low, long high, long[] shape, DType dtype, Generator g) {
        return randint(low, high, shape, dtype, g, Device.CPU);
    }

    /** {@link #randint} in fresh memory on {@code device}. */
    public static Tensor randint(long low, long high, long[] shape, DType dtype, Generator g, Device device) {
        if (high <= low) throw new IllegalArgumentException("randint: expected low < high, got low=" + low + " high=" + high);
        return drawn(new RandomDraw.Integers(low, high), shape, dtype, g, device);
    }

    private static Tensor drawn(RandomDraw draw, long[] shape, DType dtype, Generator g, Device device) {
        Tensor out = Tensors.empty(dtype, shape.clone(), device);
        Dispatch.run("random", out, (backend, bo) -> backend.random(draw, operand(bo, out), RandomSources.of(g)));
        return out;
    }

    private static void requireFloating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new UnsupportedOperationException("\"" + op + "\" not implemented for '" + dtype.shortName() + "'");
        }
    }

    static long[] checkShape(long[] shape) {
        Shape.numelOf(shape);
        return shape;
    }
}
