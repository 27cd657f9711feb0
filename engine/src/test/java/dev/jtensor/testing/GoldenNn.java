package dev.jtensor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The PyTorch golden tables of issue 5 ({@code golden/nn/*.tsv}, made by
 * {@code engine/src/test/golden/make_nn.py}): one tensor per line, {@code name, dtype, shape, values}.
 */
public final class GoldenNn {
    private final Map<String, String[]> rows = new LinkedHashMap<>();

    private GoldenNn(String file) {
        try (InputStream in = GoldenNn.class.getResourceAsStream("/golden/nn/" + file)) {
            if (in == null) throw new IllegalArgumentException("no golden file golden/nn/" + file);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                String[] r = line.split("\t", -1);
                rows.put(r[0], r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code golden/nn/<file>}. */
    public static GoldenNn of(String file) { return new GoldenNn(file); }

    /** The tensor named {@code name}, rebuilt with its dtype and shape. */
    public Tensor tensor(String name) {
        String[] r = row(name);
        DType d = DType.valueOf(r[1]);
        long[] shape = r[2].isEmpty() ? new long[0] : Arrays.stream(r[2].split(",")).mapToLong(Long::parseLong).toArray();
        if (d.isFloatingPoint()) return Jt.tensor(values(name), DType.FLOAT64).to(d).reshape(shape);
        return Jt.tensor(longs(name), d).reshape(shape);
    }

    /** The flat values as doubles. */
    public double[] values(String name) {
        String v = row(name)[3];
        return v.isEmpty() ? new double[0] : Arrays.stream(v.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    /** The flat values as longs (integer tensors). */
    public long[] longs(String name) {
        String v = row(name)[3];
        return v.isEmpty() ? new long[0] : Arrays.stream(v.split(",")).mapToLong(Long::parseLong).toArray();
    }

    /** The shape. */
    public long[] shape(String name) {
        String s = row(name)[2];
        return s.isEmpty() ? new long[0] : Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private String[] row(String name) {
        String[] r = rows.get(name);
        if (r == null) throw new IllegalArgumentException("golden value '" + name + "' not found");
        return r;
    }

    /** Asserts {@code actual} has the golden shape and values within {@code |a - e| <= atol + rtol * |e|}. */
    public void assertClose(String name, Tensor actual, double rtol, double atol) {
        assertArrayEquals(shape(name), actual.shape().toArray(), () -> name + ": shape");
        double[] e = values(name), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            double tol = atol + rtol * Math.abs(e[i]);
            if (!(Math.abs(a[i] - e[i]) <= tol)) {
                assertEquals(e[i], a[i], tol, name + ": element " + i + " of " + e.length);
            }
        }
    }
}
