package dev.jtensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.ValuesIndices;
import dev.jtensor.io.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CNN op against PyTorch 1.13 ({@code golden/cnn/cases.tsv} and {@code ops.npz}, made by
 * {@code engine/src/test/golden/make_cnn.py}): the output, the gradient of every floating input for a random
 * upstream gradient, max-pool indices and running statistics, across strides, paddings, dilations, groups, odd
 * sizes, ceil modes, non-contiguous inputs, float32 and float64.
 */
class CnnGoldenTest {
    private static Map<String, Tensor> arrays;

    /** One line of cases.tsv. */
    record Case(String name, String op, DType dtype, Map<String, String> params) {
        int[] ints(String key) { return Arrays.stream(params.get(key).split(",")).mapToInt(Integer::parseInt).toArray(); }

        int i(String key) { return Integer.parseInt(params.get(key)); }

        double d(String key) { return Double.parseDouble(params.get(key)); }

        String s(String key) { return params.get(key); }

        @Override
        public String toString() { return name; }
    }

    @BeforeAll
    static void load() throws IOException {
        Path tmp = Files.createTempFile("cnn-golden", ".npz");
        try (InputStream in = CnnGoldenTest.class.getResourceAsStream("/golden/cnn/ops.npz")) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        arrays = Npz.load(tmp);
        Files.delete(tmp);
    }

    static Stream<Case> cases() {
        try (InputStream in = CnnGoldenTest.class.getResourceAsStream("/golden/cnn/cases.tsv")) {
            List<Case> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                String[] r = line.split("\t", -1);
                Map<String, String> p = new LinkedHashMap<>();
                for (String kv : r[3].split(";")) {
                    if (!kv.isEmpty()) p.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
                out.add(new Case(r[0], r[1], DType.valueOf(r[2]), p));
            }
            return out.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Tensor array(Case c, String key) { return arrays.get(c.name() + "." + key); }

    private static boolean has(Case c, String key) { return arrays.containsKey(c.name() + "." + key); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(Case c) {
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        for (String k : List.of("x", "w", "b", "i", "rm0", "rv0")) {
            if (!has(c, k)) continue;
            Tensor t = array(c, k);
            if (t.dtype().isFloatingPoint()) {
                t = t.to(c.dtype());
                if (k.equals("x") && c.params().getOrDefault("nc", "0").equals("1")) t = t.transpose(-1, -2).contiguous();
                t.requiresGrad_(!k.startsWith("r"));
            }
            leaves.put(k, t);
        }
        Tensor x = leaves.get("x");
        boolean nc = c.params().getOrDefault("nc", "0").equals("1");
        Tensor xin = nc ? x.transpose(-1, -2) : x;
        Map<String, Tensor> extra = new LinkedHashMap<>();
        Module[] holder = new Module[1];
        Tensor y = CnnOps.run(c, xin, leaves, extra, holder);
        double rtol = c.dtype() == DType.FLOAT64 ? 1e-10 : 1e-4, atol = c.dtype() == DType.FLOAT64 ? 1e-12 : 2e-5;
        assertClose(array(c, "y"), y, rtol, atol, c.name() + " output");
        if (has(c, "idx")) assertArrayEquals(array(c, "idx").toLongArray(), extra.get("idx").toLongArray(), c.name() + " indices");
        for (String k : List.of("rm", "rv")) if (has(c, k)) assertClose(array(c, k), extra.get(k), rtol, atol, c.name() + " " + k);
        y.backward(array(c, "gy").to(c.dtype()));
        for (var e : leaves.entrySet()) {
            if (!e.getValue().requiresGrad()) continue;
            Tensor g = holder[0] != null && !e.getKey().equals("x") ? holder[0].namedParameters().get(e.getKey().equals("w") ? "weight" : "bias").grad()
                    : e.getValue().grad();
            if (nc && e.getKey().equals("x")) g = g.transpose(-1, -2);
            assertClose(array(c, "g" + e.getKey()), g, rtol, atol, c.name() + " gradient of " + e.getKey());
        }
    }

    static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            double tol = atol + rtol * Math.abs(e[i]);
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " of " + e.length + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }
}
