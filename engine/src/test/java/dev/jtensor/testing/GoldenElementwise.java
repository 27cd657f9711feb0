package dev.jtensor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@code golden/elementwise/cases.txt} (written by {@code engine/src/test/golden/make_elementwise.py})
 * and compares tensors with per-dtype tolerances.
 */
public final class GoldenElementwise {
    private GoldenElementwise() {}

    /** One input: dtype, base shape, the view applied to the base, and the base's values. */
    public record Input(DType dtype, long[] shape, String view, double[] values) {
        /** A fresh contiguous base tensor. */
        public Tensor base() {
            Tensor t = dtype.isFloatingPoint() ? Jt.tensor(values, dtype) : Jt.tensor(longs(values), dtype);
            return t.reshape(shape);
        }

        /** The view of {@code base} the case describes (shares base's memory). */
        public Tensor view(Tensor base) {
            if (view.equals("none")) return base;
            if (view.equals("t")) return base.transpose(-2, -1);
            if (view.equals("step")) return base.slice(0, 0, base.size(0), 2);
            if (view.startsWith("expand:")) {
                return base.expand(Arrays.stream(view.substring(7).split("x")).mapToLong(Long::parseLong).toArray());
            }
            throw new IllegalArgumentException(view);
        }

        public Tensor tensor() { return view(base()); }
    }

    /** A golden case: the op with its parameters, inputs, an optional Java scalar, and the output or error. */
    public record Case(String name, String op, List<String> params, List<Input> inputs, String scalarKind, double scalar,
                       DType outDType, long[] outShape, double[] outValues, String error) {
        @Override
        public String toString() { return name; }
    }

    public static List<Case> load() {
        var in = GoldenElementwise.class.getResourceAsStream("/golden/elementwise/cases.txt");
        if (in == null) throw new IllegalStateException("golden/elementwise/cases.txt missing; run make_elementwise.py");
        List<Case> cases = new ArrayList<>();
        try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String name = null, op = null, scalarKind = null, error = null;
            List<String> params = List.of();
            List<Input> inputs = new ArrayList<>();
            double scalar = 0;
            DType outDType = null;
            long[] outShape = null;
            double[] outValues = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) continue;
                if (line.isEmpty()) {
                    if (name != null) {
                        cases.add(new Case(name, op, params, inputs, scalarKind, scalar, outDType, outShape, outValues, error));
                    }
                    name = op = scalarKind = error = null;
                    params = List.of();
                    inputs = new ArrayList<>();
                    outDType = null;
                    continue;
                }
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "case" -> name = f[1];
                    case "op" -> { op = f[1]; params = List.of(Arrays.copyOfRange(f, 2, f.length)); }
                    case "input" -> inputs.add(new Input(dtype(f[1]), shape(f[2]), f[3], values(f, 4)));
                    case "scalar" -> { scalarKind = f[1]; scalar = value(f[2]); }
                    case "output" -> { outDType = dtype(f[1]); outShape = shape(f[2]); outValues = values(f, 3); }
                    case "error" -> error = line.substring(6);
                    default -> throw new IllegalStateException("bad golden line: " + line);
                }
            }
            if (name != null) cases.add(new Case(name, op, params, inputs, scalarKind, scalar, outDType, outShape, outValues, error));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    static DType dtype(String s) { return DType.valueOf(s.toUpperCase()); }

    static long[] shape(String s) {
        return s.equals("-") ? new long[0] : Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    static double[] values(String[] f, int from) {
        double[] v = new double[f.length - from];
        for (int i = 0; i < v.length; i++) v[i] = value(f[from + i]);
        return v;
    }

    static double value(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    static long[] longs(double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (long) v[i];
        return out;
    }

    /** Relative tolerance for {@code t} (float32 1e-5 as STYLE G12; half types by their precision). */
    public static double rtol(DType t) {
        return switch (t) {
            case FLOAT64 -> 1e-10;
            case FLOAT32 -> 1e-5;
            case FLOAT16 -> 2e-3;
            case BFLOAT16 -> 1.6e-2;
            case INT8, UINT8, INT16, INT32, INT64, BOOL -> 0;
        };
    }

    /** Asserts dtype, shape and values (NaN matches NaN, infinities exactly, floats within rtol/atol). */
    public static void assertMatches(String what, DType dtype, long[] shape, double[] expected, Tensor actual) {
        assertEquals(dtype, actual.dtype(), what + ": dtype");
        assertEquals(Arrays.toString(shape), Arrays.toString(actual.shape().toArray()), what + ": shape");
        double[] got = actual.toDoubleArray();
        double rtol = rtol(dtype), atol = rtol(dtype) / 10;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], g = got[i];
            if (Double.isNaN(e)) {
                assertTrue(Double.isNaN(g), what + ": element " + i + " expected nan got " + g);
            } else if (Double.isInfinite(e) || !dtype.isFloatingPoint()) {
                if (e != g) fail(what + ": element " + i + " expected " + e + " got " + g + " in " + Arrays.toString(got));
            } else if (!(Math.abs(e - g) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " expected " + e + " got " + g + " (rtol " + rtol + ")\n expected "
                        + Arrays.toString(expected) + "\n got      " + Arrays.toString(got));
            }
        }
    }
}
