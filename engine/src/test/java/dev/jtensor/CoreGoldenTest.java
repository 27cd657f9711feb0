package dev.jtensor;

import static dev.jtensor.Jt.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** toString and random streams against PyTorch (golden/core, made by engine/src/test/golden/make_core.py). */
class CoreGoldenTest {

    static List<String[]> rows(String file) throws IOException {
        try (InputStream in = CoreGoldenTest.class.getResourceAsStream("/golden/core/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String[]> out = new ArrayList<>();
            for (String line : text.split("\n")) if (!line.isBlank()) out.add(line.split("\t", -1));
            return out;
        }
    }

    /** Rebuilds a tensor from its dtype, shape and flat values. */
    static Tensor build(String dtype, String shape, String values) {
        DType d = DType.valueOf(dtype);
        long[] dims = shape.isEmpty() ? new long[0] : Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray();
        String[] v = values.isEmpty() ? new String[0] : values.split(",");
        Tensor flat;
        if (d.isFloatingPoint()) {
            double[] a = new double[v.length];
            for (int i = 0; i < v.length; i++) a[i] = Double.parseDouble(v[i].replace("inf", "Infinity").replace("nan", "NaN"));
            flat = tensor(a, DType.FLOAT64).to(d);
        } else {
            long[] a = new long[v.length];
            for (int i = 0; i < v.length; i++) a[i] = Long.parseLong(v[i]);
            flat = tensor(a, d);
        }
        return flat.reshape(dims);
    }

    static Stream<Arguments> reprCases() throws IOException {
        return rows("repr.tsv").stream().map(r -> Arguments.of(r[0], r[1], r[2], r[3], r[4]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reprCases")
    void toStringMatchesPyTorchRepr(String name, String dtype, String shape, String values, String expected) {
        String want = expected.replace("\\n", "\n").replace("\\\\", "\\");
        assertEquals(want, build(dtype, shape, values).toString());
    }

    static Stream<Arguments> randomCases() throws IOException {
        return rows("random.tsv").stream().filter(r -> !r[0].equals("default_seed_note"))
                .map(r -> Arguments.of(r[0], r[1], r[2], r[3]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomCases")
    void randomStreamsMatchPyTorch(String name, String dtype, String shape, String values) {
        Tensor expected = build(dtype, shape, values);
        String[] parts = name.split("_");
        long seed = parts[0].equals("seq") ? 0 : Long.parseLong(parts[1]);
        long[] dims = expected.shape().toArray();
        DType d = DType.valueOf(dtype);
        manualSeed(seed);
        Tensor got = switch (parts[0]) {
            case "rand" -> rand(dims, d);
            case "randn" -> randn(dims, d);
            case "randint" -> randint(Long.parseLong(parts[2].replace("m", "-")), Long.parseLong(parts[3]), dims);
            case "seq" -> {
                double[] a = rand(2).toDoubleArray(), b = randn(5).toDoubleArray();
                double[] both = Arrays.copyOf(a, 7);
                System.arraycopy(b, 0, both, 2, 5);
                yield tensor(both);
            }
            default -> throw new IllegalArgumentException(name);
        };
        if (d.isFloatingPoint()) {
            double tol = d == DType.FLOAT64 ? 1e-15 : 1e-6; // float32 normals: libm vs SLEEF last-bit differences
            double[] e = expected.toDoubleArray(), g = got.toDoubleArray();
            for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], tol * Math.max(1, Math.abs(e[i])), name + "[" + i + "]");
        } else {
            assertArrayEquals(expected.toLongArray(), got.toLongArray(), name);
        }
    }
}
