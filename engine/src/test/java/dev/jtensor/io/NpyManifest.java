package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The manifest that {@code engine/src/test/golden/make_npy_fixtures.py} writes beside its fixtures (and
 * reads back to verify jtensor's files): file, npz key, NumPy dtype name, C/F order, shape, row-major values.
 */
record NpyManifest(String file, String key, String dtype, String order, long[] shape, String[] values) {

    static Path staticFixtures() {
        try {
            return Path.of(NpyManifest.class.getResource("/npy/manifest.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<NpyManifest> read(Path dir) throws IOException {
        List<NpyManifest> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("manifest.tsv"))) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            long[] shape = f[4].isEmpty() ? new long[0] : Arrays.stream(f[4].split(",")).mapToLong(Long::parseLong).toArray();
            out.add(new NpyManifest(f[0], f[1], f[2], f[3], shape, f[5].isEmpty() ? new String[0] : f[5].split(",")));
        }
        return out;
    }

    static DType dtypeOf(String numpyName) {
        return switch (numpyName) {
            case "bool" -> DType.BOOL;
            case "int8" -> DType.INT8;
            case "uint8" -> DType.UINT8;
            case "int16" -> DType.INT16;
            case "int32" -> DType.INT32;
            case "int64" -> DType.INT64;
            case "float16" -> DType.FLOAT16;
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            default -> throw new IllegalArgumentException(numpyName);
        };
    }

    static String numpyName(DType t) {
        return t == DType.BOOL ? "bool" : t.shortName();
    }

    /** Asserts dtype, shape and exact values (bit-exact for floats, -0.0 and inf included). */
    void check(Tensor t) {
        String what = file + (key.isEmpty() ? "" : "[" + key + "]");
        assertEquals(dtypeOf(dtype), t.dtype(), what);
        assertArrayEquals(shape, t.shape().toArray(), what);
        if (t.dtype().isFloatingPoint()) {
            double[] want = Arrays.stream(values).mapToDouble(NpyManifest::parseDouble).toArray();
            double[] got = t.toDoubleArray();
            assertEquals(want.length, got.length, what);
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), what + " element " + i + ": " + got[i]);
            }
        } else {
            assertArrayEquals(Arrays.stream(values).mapToLong(Long::parseLong).toArray(), t.toLongArray(), what);
        }
    }

    /** The manifest line for a tensor jtensor writes, for the Python side to verify. */
    static String line(String file, String key, Tensor t, boolean fortran) {
        StringBuilder v = new StringBuilder();
        if (t.dtype().isFloatingPoint()) {
            for (double d : t.toDoubleArray()) v.append(v.isEmpty() ? "" : ",").append(pyRepr(d));
        } else {
            for (long l : t.toLongArray()) v.append(v.isEmpty() ? "" : ",").append(l);
        }
        StringBuilder shape = new StringBuilder();
        for (long s : t.shape().toArray()) shape.append(shape.isEmpty() ? "" : ",").append(s);
        return String.join("\t", file, key, numpyName(t.dtype()), fortran ? "F" : "C", shape, v) + "\n";
    }

    private static String pyRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return Double.toString(d);
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }
}
