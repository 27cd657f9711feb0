package dev.jtensor.internal.ops;

import dev.jtensor.DType;
import dev.jtensor.Generator;
import dev.jtensor.Shape;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.RandomDraw;
import dev.jtensor.backend.cpu.Parallel;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.RandomSources;
import dev.jtensor.internal.Tensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
        Tensor out = Tensors.empty(t, shape); // every element is written below (a ragged array fails before returning)
        MemorySegment seg = Tensors.storage(out).segment();
        long[] next = {0};
        try {
            write(data, 0, shape, new int[shape.length], seg, t, next);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private static void write(Object arr, int depth, long[] shape, int[] path, MemorySegment seg, DType t, long[] next) {
        int len = Array.getLength(arr);
        if (len != shape[depth]) {
            throw new IllegalArgumentException("tensor(): ragged nested array: expected sequence of length " + shape[depth]
                    + " at dim " + depth + " (index path " + Arrays.toString(Arrays.copyOf(path, depth)) + ") but got " + len);
        }
        if (depth == shape.length - 1) {
            long eb = t.byteSize();
            if (copyRow(arr, len, seg, t, next[0] * eb)) {
                next[0] += len;
                return;
            }
            switch (arr) {
                case double[] a -> { for (double v : a) Elements.setDouble(seg, t, next[0]++ * eb, v); }
                case float[] a -> { for (float v : a) Elements.setDouble(seg, t, next[0]++ * eb, v); }
                case long[] a -> { for (long v : a) Elements.setLong(seg, t, next[0]++ * eb, v); }
                case int[] a -> { for (int v : a) Elements.setLong(seg, t, next[0]++ * eb, v); }
                case short[] a -> { for (short v : a) Elements.setLong(seg, t, next[0]++ * eb, v); }
                case byte[] a -> { for (byte v : a) Elements.setLong(seg, t, next[0]++ * eb, v); }
                case boolean[] a -> { for (boolean v : a) Elements.setLong(seg, t, next[0]++ * eb, v ? 1 : 0); }
                default -> throw new IllegalArgumentException("tensor(): unsupported array " + arr.getClass().getSimpleName());
            }
            return;
        }
        for (int i = 0; i < len; i++) {
            Object sub = Array.get(arr, i);
            path[depth] = i;
            if (sub == null) throw new IllegalArgumentException("tensor(): null sub-array at index path "
                    + Arrays.toString(Arrays.copyOf(path, depth + 1)));
            write(sub, depth + 1, shape, path, seg, t, next);
        }
    }

    /** Elements per thread of a bulk row copy below which one thread copies (a hand-off costs microseconds). */
    private static final long COPY_GRAIN = 1 << 19;

    /**
     * One innermost row whose Java element type is the tensor's dtype, as bulk copies (memcpy speed, split over the
     * intra-op pool when large: one core does not saturate memory); false for converting rows.
     */
    private static boolean copyRow(Object arr, int len, MemorySegment seg, DType t, long at) {
        ValueLayout layout = switch (arr) {
            case float[] a when t == DType.FLOAT32 -> ValueLayout.JAVA_FLOAT_UNALIGNED;
            case double[] a when t == DType.FLOAT64 -> ValueLayout.JAVA_DOUBLE_UNALIGNED;
            case long[] a when t == DType.INT64 -> ValueLayout.JAVA_LONG_UNALIGNED;
            case int[] a when t == DType.INT32 -> ValueLayout.JAVA_INT_UNALIGNED;
            case short[] a when t == DType.INT16 -> ValueLayout.JAVA_SHORT_UNALIGNED;
            case byte[] a when t == DType.INT8 || t == DType.UINT8 -> ValueLayout.JAVA_BYTE;
            default -> null;
        };
        if (layout == null) return false;
        long eb = layout.byteSize();
        Parallel.forRange(len, COPY_GRAIN, (from, to) -> MemorySegment.copy(arr, (int) from, seg, layout, at + from * eb, (int) (to - from)));
        return true;
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
        Tensor out = Tensors.zeros(t, new long[0]);
        MemorySegment seg = Tensors.storage(out).segment();
        switch (v) {
            case Boolean b -> Elements.setLong(seg, t, 0, b ? 1 : 0);
            case Double d -> Elements.setDouble(seg, t, 0, d);
            case Float f -> Elements.setDouble(seg, t, 0, f);
            case Number n -> Elements.setLong(seg, t, 0, n.longValue());
            default -> throw new IllegalArgumentException("tensor(): unsupported scalar " + v.getClass().getName());
        }
        return out;
    }

    /** Every element {@code value}, converted to dtype. */
    public static Tensor full(long[] shape, double value, DType dtype) { return full(shape, value, dtype, dev.jtensor.Device.CPU); }

    /** Every element {@code value}, converted to dtype, in fresh memory on {@code device} (filled there). */
    public static Tensor full(long[] shape, double value, DType dtype, dev.jtensor.Device device) {
        return Fill.fill_(Tensors.empty(dtype, shape.clone(), device), value); // the one fill (a fresh tensor records nothing)
    }

    /** {@code start, start+step, ...} below {@code end}; length {@code ceil((end-start)/step)} as PyTorch. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (!dtype.isFloatingPoint() && dtype != DType.BOOL) return arangeIntegral(start, end, step, dtype);
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if (!Double.isFinite(start) || !Double.isFinite(end)) throw new IllegalArgumentException("arange: unsupported range " + start + " -> " + end);
        if ((step > 0 && end < start) || (step < 0 && end > start)) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign (start "
                    + start + ", end " + end + ", step " + step + ")");
        }
        long n = (long) Math.ceil((end - start) / step);
        Tensor out = Tensors.empty(dtype, new long[] {n});
        MemorySegment seg = Tensors.storage(out).segment();
        long eb = dtype.byteSize();
        boolean integral = !dtype.isFloatingPoint();
        for (long i = 0; i < n; i++) {
            if (integral) Elements.setLong(seg, dtype, i * eb, (long) start + i * (long) step);
            else Elements.setDouble(seg, dtype, i * eb, start + i * step);
        }
        return out;
    }

    /**
     * arange into an integer dtype, as PyTorch: the bounds and step are first truncated to integers (C++
     * casts) and the values are {@code start + i * step} in int64; the length is {@code ceil((end - start) / step)}
     * of the truncated values for INT64 but of the bounds as given for the narrower types (so
     * {@code arange(0.0, -8.000001, -4.0, INT64)} has 2 elements and the INT32 one 3).
     */
    private static Tensor arangeIntegral(double start, double end, double step, DType dtype) {
        long s = (long) start, e = (long) end, st = (long) step;
        if (st == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if (!Double.isFinite(start) || !Double.isFinite(end)) throw new IllegalArgumentException("arange: unsupported range " + start + " -> " + end);
        if ((st > 0 && e < s) || (st < 0 && e > s)) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign (start "
                    + start + ", end " + end + ", step " + step + ")");
        }
        double length = dtype == DType.INT64 ? Math.ceil((double) (e - s) / st) : Math.ceil((end - start) / step);
        long n = Math.max(0, (long) length);
        Tensor out = Tensors.empty(dtype, new long[] {n});
        MemorySegment seg = Tensors.storage(out).segment();
        long eb = dtype.byteSize();
        for (long i = 0; i < n; i++) Elements.setLong(seg, dtype, i * eb, s + i * st);
        return out;
    }

    /**
     * {@code steps} evenly spaced values from start to end inclusive, computed as PyTorch's CPU kernel does:
     * from the start for the first half, from the end for the rest, each as one fused multiply-add
     * (the x86-64 build of PyTorch contracts {@code start + step * i} into an FMA).
     */
    public static Tensor linspace(double start, double end, long steps, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        Tensor out = Tensors.empty(dtype, new long[] {steps});
        MemorySegment seg = Tensors.storage(out).segment();
        long eb = dtype.byteSize();
        if (steps == 1) Elements.setDouble(seg, dtype, 0, start);
        if (steps <= 1) return out;
        long halfway = steps / 2;
        if (dtype == DType.FLOAT32) { // computed in float as torch does for float32
            float s = (float) start, e = (float) end, step = (e - s) / (float) (steps - 1);
            for (long i = 0; i < steps; i++) {
                float v = i < halfway ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - i - 1), e);
                Elements.setDouble(seg, dtype, i * eb, v);
            }
        } else {
            double step = (end - start) / (steps - 1);
            for (long i = 0; i < steps; i++) {
                double v = i < halfway ? Math.fma(step, i, start) : Math.fma(-step, steps - i - 1, end);
                Elements.setDouble(seg, dtype, i * eb, v);
            }
        }
        return out;
    }

    /** Identity matrix n x m. */
    public static Tensor eye(long n, long m, DType dtype) {
        Tensor out = Tensors.zeros(dtype, new long[] {n, m});
        MemorySegment seg = Tensors.storage(out).segment();
        for (long i = 0; i < Math.min(n, m); i++) Elements.setDouble(seg, dtype, (i * m + i) * dtype.byteSize(), 1);
        return out;
    }

    // ---------------- random (PyTorch's CPU transformations over mt19937) ----------------

    /** Uniform [from, to) on the CPU, as PyTorch's CPU generator draws it (see {@code RandomDraw}). */
    public static Tensor uniform(long[] shape, double from, double to, DType dtype, Generator g) {
        return uniform(shape, from, to, dtype, g, dev.jtensor.Device.CPU);
    }

    /** Uniform [from, to) in fresh memory on {@code device}, drawn there by its backend from {@code g}. */
    public static Tensor uniform(long[] shape, double from, double to, DType dtype, Generator g, dev.jtensor.Device device) {
        requireFloating("rand", dtype);
        return drawn(new RandomDraw.Uniform(from, to), shape, dtype, g, device);
    }

    /** Fills a contiguous tensor with uniform values in [from, to) (Tensor.uniform_). */
    public static void fillUniform(Tensor out, double from, double to, Generator g) {
        if (!out.isContiguous()) throw new IllegalArgumentException("uniform_: expected a contiguous tensor, got strides " + out.stride());
        long offset = Tensors.layout(out).offset(), n = out.numel();
        DType t = out.dtype();
        Dispatch.run("uniform_", out, (backend, bo) -> backend.random(new RandomDraw.Uniform(from, to), t, bo, offset, n, RandomSources.of(g)));
        Tensors.bumpVersion(out);
    }

    /** Normal(mean, std) on the CPU: PyTorch's normal_fill (16-wide Box-Muller) for 16+ elements, scalar Box-Muller below. */
    public static Tensor normal(long[] shape, double mean, double std, DType dtype, Generator g) {
        return normal(shape, mean, std, dtype, g, dev.jtensor.Device.CPU);
    }

    /** Normal(mean, std) in fresh memory on {@code device}, drawn there by its backend from {@code g}. */
    public static Tensor normal(long[] shape, double mean, double std, DType dtype, Generator g, dev.jtensor.Device device) {
        requireFloating("randn", dtype);
        return drawn(new RandomDraw.Normal(mean, std), shape, dtype, g, device);
    }

    /** Integers uniform in [low, high) (PyTorch's random_from_to: random() % range + low for ranges below 2^32). */
    public static Tensor randint(long low, long high, long[] shape, DType dtype, Generator g) {
        return randint(low, high, shape, dtype, g, dev.jtensor.Device.CPU);
    }

    /** {@link #randint} in fresh memory on {@code device}. */
    public static Tensor randint(long low, long high, long[] shape, DType dtype, Generator g, dev.jtensor.Device device) {
        if (high <= low) throw new IllegalArgumentException("randint: expected low < high, got low=" + low + " high=" + high);
        return drawn(new RandomDraw.Integers(low, high), shape, dtype, g, device);
    }

    private static Tensor drawn(RandomDraw draw, long[] shape, DType dtype, Generator g, dev.jtensor.Device device) {
        Tensor out = Tensors.empty(dtype, shape.clone(), device);
        long n = out.numel();
        Dispatch.run("random", out, (backend, bo) -> backend.random(draw, dtype, bo, 0, n, RandomSources.of(g)));
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
