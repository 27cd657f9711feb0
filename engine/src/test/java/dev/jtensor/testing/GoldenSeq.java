package dev.jtensor.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jtensor.Tensor;
import dev.jtensor.io.Npz;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PyTorch goldens of issue 23 ({@code golden/seq/*.npz}, made by {@code engine/src/test/golden/make_seq.py}):
 * named arrays read with {@link Npz}, cached per archive.
 */
public final class GoldenSeq {
    private static final Map<String, Map<String, Tensor>> CACHE = new ConcurrentHashMap<>();
    private final Map<String, Tensor> arrays;

    private GoldenSeq(Map<String, Tensor> arrays) { this.arrays = arrays; }

    /** Loads {@code golden/seq/<file>}. */
    public static GoldenSeq of(String file) {
        return new GoldenSeq(CACHE.computeIfAbsent(file, f -> {
            URL url = GoldenSeq.class.getResource("/golden/seq/" + f);
            if (url == null) throw new IllegalArgumentException("no golden file golden/seq/" + f);
            try {
                return Npz.load(Path.of(url.toURI()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /** The array named {@code name} (a fresh copy: tests may modify it). */
    public Tensor get(String name) {
        Tensor t = arrays.get(name);
        if (t == null) throw new IllegalArgumentException("golden value '" + name + "' not found");
        return t.clone();
    }

    /** True when the archive holds {@code name}. */
    public boolean has(String name) { return arrays.containsKey(name); }

    /** Asserts {@code actual} has the golden's shape and values within {@code atol + rtol * |expected|}. */
    public void assertClose(String name, Tensor actual, double rtol, double atol) {
        assertClose(get(name), actual, rtol, atol, name);
    }

    /** Asserts equal shapes and values within {@code atol + rtol * |expected|} (NaN matches NaN). */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), () -> what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.cpu().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            double tol = atol + rtol * Math.abs(e[i]);
            if (!(Math.abs(a[i] - e[i]) <= tol)) assertEquals(e[i], a[i], tol, what + ": element " + i + " of " + e.length);
        }
    }

    /** Asserts equal shapes and exactly equal integer values. */
    public void assertEqualLongs(String name, Tensor actual) {
        Tensor e = get(name);
        assertArrayEquals(e.shape().toArray(), actual.shape().toArray(), () -> name + ": shape");
        assertArrayEquals(e.toLongArray(), actual.cpu().toLongArray(), name);
    }

    /** The state dict saved as {@code state.<prefix>.<key>}, keyed by {@code <key>}. */
    public Map<String, Tensor> stateDict(String prefix) {
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        String p = "state." + prefix + ".";
        for (var e : arrays.entrySet()) if (e.getKey().startsWith(p)) out.put(e.getKey().substring(p.length()), e.getValue());
        return out;
    }
}
