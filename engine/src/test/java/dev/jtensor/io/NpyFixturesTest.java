package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed fixtures NumPy 2.4 wrote (make_npy_fixtures.py --static) load to NumPy's values, without Python. */
class NpyFixturesTest {
    private static final Path DIR = NpyManifest.staticFixtures();

    @Test
    void everyNpyFixtureLoadsAndMapsToNumpysValuesAndShape() throws Exception {
        int checked = 0;
        for (NpyManifest m : NpyManifest.read(DIR)) {
            if (!m.key().isEmpty()) continue;
            try (Tensor loaded = Npy.load(DIR.resolve(m.file())); Tensor mapped = Npy.map(DIR.resolve(m.file()))) {
                m.check(loaded);
                m.check(mapped);
                if (m.order().equals("F")) assertTrue(loaded.stride(0) == 1 && !loaded.isContiguous(), m.file() + " is a column-major view");
                checked++;
            }
        }
        assertEquals(21, checked);
    }

    @Test
    void everyNpzFixtureLoadsInArchiveOrder() throws Exception {
        List<NpyManifest> all = NpyManifest.read(DIR);
        for (String npz : List.of("stored.npz", "compressed.npz", "descriptors.npz")) {
            Map<String, Tensor> z = Npz.load(DIR.resolve(npz));
            List<NpyManifest> want = all.stream().filter(m -> m.file().equals(npz)).toList();
            assertEquals(want.stream().map(NpyManifest::key).toList(), List.copyOf(z.keySet()), npz);
            for (NpyManifest m : want) m.check(z.get(m.key()));
        }
    }

    @Test
    void fortranOrderIsAZeroCopyColumnMajorView() throws Exception {
        try (Tensor t = Npy.map(DIR.resolve("fortran_f4.npy"))) {
            assertArrayEquals(new long[] {1, 3}, t.stride());
            assertTrue(t.isReadOnly(), "mapped read-only");
            Tensor c = t.contiguous();
            assertArrayEquals(new long[] {4, 1}, c.stride());
            assertArrayEquals(t.toDoubleArray(), c.toDoubleArray());
        }
    }

    @Test
    void storedNpzMembersAreReadOnlyMappingsAndCompressedOnesAreCopies() throws Exception {
        Map<String, Tensor> stored = Npz.load(DIR.resolve("stored.npz"));
        assertTrue(stored.get("x").isReadOnly());
        Map<String, Tensor> compressed = Npz.load(DIR.resolve("compressed.npz"));
        assertTrue(!compressed.get("z").isReadOnly());
    }
}
