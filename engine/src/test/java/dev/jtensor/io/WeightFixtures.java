package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jtensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The committed fixtures of engine/src/test/golden/make_weights.py and the values PyTorch gave them (expected.npz). */
final class WeightFixtures {
    private WeightFixtures() {}

    private static Map<String, Tensor> expected;

    static Path dir() {
        try {
            return Path.of(WeightFixtures.class.getResource("/weights/expected.npz").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) { return dir().resolve(name); }

    static synchronized Tensor expected(String key) {
        if (expected == null) {
            try {
                expected = Npz.load(file("expected.npz"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Tensor t = expected.get(key);
        if (t == null) throw new IllegalArgumentException("no expected value " + key + " in " + expected.keySet());
        return t;
    }

    /** {@code actual} has PyTorch's shape and exactly its values (every fixture value is exact in its dtype). */
    static void check(String key, Tensor actual) {
        Tensor want = expected(key);
        assertArrayEquals(want.shape().toArray(), actual.shape().toArray(), key + " shape");
        assertArrayEquals(want.toDoubleArray(), actual.toDoubleArray(), 0.0, key + " values " + Arrays.toString(actual.toDoubleArray()));
    }
}
