package dev.jtensor.io;

import static dev.jtensor.Jt.arange;
import static dev.jtensor.Jt.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.internal.Tensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both directions against the NumPy on this machine (skipped, with the reason, when {@code python3 -c
 * 'import numpy'} fails): every file NumPy writes loads in jtensor to NumPy's dtype, shape and exact
 * values; every file jtensor writes loads in NumPy to jtensor's (checked by the Python side).
 */
class NpyNumpyInteropTest {
    private static final Path SCRIPT = Path.of("src/test/golden/make_npy_fixtures.py").toAbsolutePath();
    @TempDir Path dir;

    @BeforeAll
    static void needsNumpy() throws Exception {
        assumeTrue(run(List.of("python3", "-c", "import numpy")).exit == 0,
                "python3 with numpy is not available: NumPy interop tests skipped (the committed fixtures still run)");
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    @Test
    void everyFileNumpyWritesLoadsToTheSameValuesAndShape() throws Exception {
        Result r = run(List.of("python3", SCRIPT.toString(), "write", dir.toString()));
        assertEquals(0, r.exit, r.output);
        int checked = 0;
        Map<String, Map<String, Tensor>> archives = new LinkedHashMap<>();
        for (NpyManifest m : NpyManifest.read(dir)) {
            Path p = dir.resolve(m.file());
            if (m.key().isEmpty()) {
                try (Tensor loaded = Npy.load(p); Tensor mapped = Npy.map(p); Tensor cow = Npy.map(p, Npy.Mode.COPY_ON_WRITE)) {
                    m.check(loaded);
                    m.check(mapped);
                    m.check(cow);
                }
            } else {
                Map<String, Tensor> z = archives.computeIfAbsent(m.file(), f -> {
                    try {
                        return Npz.load(p);
                    } catch (IOException e) {
                        throw new AssertionError(f, e);
                    }
                });
                m.check(z.get(m.key()));
            }
            checked++;
        }
        assertTrue(checked >= 59, "checked " + checked);
    }

    @Test
    void everyFileJtensorWritesLoadsInNumpyToTheSameValues() throws Exception {
        StringBuilder manifest = new StringBuilder();
        for (DType t : DType.values()) {
            if (t == DType.BFLOAT16) continue;
            Tensor c = arange(-6, 6).to(t).view(3, 4);
            Npy.save(dir.resolve("c_" + t.shortName() + ".npy"), c);
            manifest.append(NpyManifest.line("c_" + t.shortName() + ".npy", "", c, false));
            Tensor f = arange(-6, 6).to(t).view(3, 4).t();
            Npy.save(dir.resolve("f_" + t.shortName() + ".npy"), f);
            manifest.append(NpyManifest.line("f_" + t.shortName() + ".npy", "", f, true));
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("scalar", tensor(-1.5));
        arrays.put("empty", arange(0).to(DType.FLOAT32).view(0, 3));
        arrays.put("stepped", arange(30).view(5, 6).slice(1, 1, 6, 2));
        arrays.put("fortran", arange(24).to(DType.FLOAT64).view(2, 3, 4).permute(2, 1, 0));
        arrays.put("名前", tensor(new boolean[] {true, false, true}));
        arrays.put("floats", tensor(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, -0.0f, 1e-45f}));
        Npz.save(dir.resolve("stored.npz"), arrays);
        Npz.saveCompressed(dir.resolve("compressed.npz"), arrays);
        Npy.save(dir.resolve("scalar.npy"), arrays.get("scalar"));
        manifest.append(NpyManifest.line("scalar.npy", "", arrays.get("scalar"), false));
        for (String npz : List.of("stored.npz", "compressed.npz")) {
            for (var a : arrays.entrySet()) {
                boolean fortran = a.getKey().equals("fortran");
                manifest.append(NpyManifest.line(npz, a.getKey(), a.getValue(), fortran));
            }
        }
        Files.writeString(dir.resolve("manifest.tsv"), manifest.toString());
        Result r = run(List.of("python3", SCRIPT.toString(), "verify", dir.toString()));
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.startsWith("OK"), r.output);
    }

    @Test
    void storedMembersJtensorWritesAre64ByteAlignedInTheFileAndRoundTrip() throws Exception {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) arrays.put("a" + "x".repeat(i), arange(i * 7 + 1).to(DType.FLOAT64));
        Path p = dir.resolve("aligned.npz");
        Npz.save(p, arrays);
        Map<String, Tensor> back = Npz.load(p);
        for (var e : back.entrySet()) {
            assertTrue(e.getValue().isReadOnly(), "mapped");
            assertEquals(0, Tensors.storage(e.getValue()).segment().address() % 64, e.getKey() + " data is 64-byte aligned");
            assertEquals(arrays.get(e.getKey()).toDoubleArray().length, e.getValue().toDoubleArray().length);
        }
    }

    @Test
    void archiveWithMoreThan65535MembersUsesZip64EndRecordsBothWays() throws Exception {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        Tensor small = tensor(new int[] {1, 2});
        for (int i = 0; i < 65540; i++) arrays.put("m" + i, small);
        Path p = dir.resolve("many.npz");
        Npz.saveCompressed(p, arrays);
        Map<String, Tensor> back = Npz.load(p);
        assertEquals(65540, back.size());
        assertEquals("m65539", List.copyOf(back.keySet()).get(65539));
        String manifest = NpyManifest.line("many.npz", "m0", small, false) + NpyManifest.line("many.npz", "m65539", small, false);
        Files.writeString(dir.resolve("manifest.tsv"), manifest);
        Result r = run(List.of("python3", SCRIPT.toString(), "verify", dir.toString()));
        assertEquals(0, r.exit, r.output);
        r = run(List.of("python3", "-c", "import numpy as np; z = np.load('" + p + "'); print(len(z.files))"));
        assertEquals("65540", r.output.strip());
    }
}
