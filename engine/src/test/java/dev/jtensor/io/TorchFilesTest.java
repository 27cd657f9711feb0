package dev.jtensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.internal.Tensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PyTorch 1.13's torch.save files read back to PyTorch's values and sharing; jtensor's files read back the same. */
class TorchFilesTest {
    @TempDir Path tmp;

    @Test
    void everyDtypeAndLayoutKeepsItsValuesStridesAndOffset() throws Exception {
        Map<String, Tensor> sd = TorchFiles.loadStateDict(WeightFixtures.file("torch_dtypes.pt"));
        assertEquals(List.of("f64", "f32", "f16", "bf16", "i64", "i32", "i16", "i8", "u8", "bool", "scalar", "empty", "transposed",
                "strided", "row"), List.copyOf(sd.keySet()));
        for (var e : sd.entrySet()) WeightFixtures.check("torch_dtypes." + e.getKey(), e.getValue());
        assertEquals(DType.BFLOAT16, sd.get("bf16").dtype());
        assertEquals(DType.UINT8, sd.get("u8").dtype());
        Tensor t = sd.get("transposed"), strided = sd.get("strided"), row = sd.get("row");
        assertArrayEquals(new long[] {1, 4}, new long[] {t.stride(0), t.stride(1)}, "a transposed view, not a copy");
        assertArrayEquals(new long[] {4, 2}, new long[] {strided.stride(0), strided.stride(1)});
        assertEquals(4, Tensors.layout(row).offset());
        assertSame(Tensors.storage(t), Tensors.storage(row), "three views of one mapped storage");
        assertTrue(Tensors.storage(t).origin().contains("torch_dtypes.pt"), "mapped zero-copy");
        assertThrows(IllegalStateException.class, () -> row.fill_(0.0), "read-only mapping");
        assertFalse(sd.get("f32").requiresGrad());
    }

    @Test
    void tiedWeightsStayViewsOfOneStorage() throws Exception {
        Map<String, Tensor> sd = TorchFiles.loadStateDict(WeightFixtures.file("torch_tied.pt"));
        for (var e : sd.entrySet()) WeightFixtures.check("torch_tied." + e.getKey(), e.getValue());
        assertSame(Tensors.storage(sd.get("emb.weight")), Tensors.storage(sd.get("out.weight")));
        assertSame(Tensors.storage(sd.get("emb.weight")), Tensors.storage(sd.get("tail")));
        assertEquals(6, Tensors.layout(sd.get("tail")).offset());
        Path again = tmp.resolve("tied.pt");
        TorchFiles.save(again, sd);
        Map<String, Tensor> back = TorchFiles.loadStateDict(again);
        assertSame(Tensors.storage(back.get("emb.weight")), Tensors.storage(back.get("tail")), "still tied after a round trip");
        for (var e : back.entrySet()) WeightFixtures.check("torch_tied." + e.getKey(), e.getValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void nestedObjectsOptimizerStateAndParameters() throws Exception {
        Map<String, Object> n = (Map<String, Object>) TorchFiles.load(WeightFixtures.file("torch_nested.pt"));
        assertEquals(List.of("model", "epoch", "name", "hist", "big", "neg", "flags"), List.copyOf(n.keySet()));
        WeightFixtures.check("torch_nested.model.w", (Tensor) ((Map<?, ?>) n.get("model")).get("w"));
        assertEquals(3L, n.get("epoch"));
        assertEquals("run", n.get("name"));
        assertEquals(List.of(1.5, 2.5), n.get("hist"));
        assertEquals(1L << 40, n.get("big"));
        assertEquals(-7L, n.get("neg"));
        List<Object> flags = (List<Object>) n.get("flags");
        assertEquals(2, flags.size());
        assertEquals(Boolean.TRUE, flags.get(0));
        assertNull(flags.get(1));
        assertThrows(UnsupportedOperationException.class, () -> flags.add(1), "a tuple is unmodifiable");

        Map<Object, Object> opt = (Map<Object, Object>) TorchFiles.load(WeightFixtures.file("torch_optim.pt"));
        Map<Object, Object> state = (Map<Object, Object>) opt.get("state");
        assertEquals(List.of(0L, 1L, 2L, 3L), List.copyOf(state.keySet()));
        for (var s : state.entrySet()) {
            for (var v : ((Map<String, Object>) s.getValue()).entrySet()) {
                WeightFixtures.check("torch_optim.state." + s.getKey() + "." + v.getKey(), (Tensor) v.getValue());
            }
        }
        Map<String, Object> group = (Map<String, Object>) ((List<Object>) opt.get("param_groups")).get(0);
        assertEquals(0.01, group.get("lr"));
        assertEquals(List.of(0.9, 0.999), group.get("betas"));
        assertEquals(List.of(0L, 1L, 2L, 3L), group.get("params"));
        assertEquals(Boolean.FALSE, group.get("amsgrad"));

        Map<String, Object> p = (Map<String, Object>) TorchFiles.load(WeightFixtures.file("torch_param.pt"));
        Tensor param = (Tensor) p.get("p");
        WeightFixtures.check("torch_param.p", param);
        assertTrue(param.requiresGrad(), "an nn.Parameter comes back requiring grad");
        WeightFixtures.check("torch_param.t0", (Tensor) ((List<?>) p.get("t")).get(0));
    }

    @Test
    void legacyFilesAndForeignGlobalsAreRefusedByName() throws Exception {
        var e = assertThrows(WeightsFormatException.class, () -> TorchFiles.load(WeightFixtures.file("legacy.pt")));
        assertTrue(e.getMessage().contains("legacy (pre-1.6, non-zip)"), e.getMessage());
        e = assertThrows(WeightsFormatException.class, () -> TorchFiles.load(WeightFixtures.file("evil.pt")));
        assertTrue(e.getMessage().contains("'os.system'") && e.getMessage().contains("allowlist"), e.getMessage());
        e = assertThrows(WeightsFormatException.class, () -> TorchFiles.load(WeightFixtures.file("seq.safetensors")));
        assertTrue(e.getMessage().contains("not a PyTorch zip checkpoint"), e.getMessage());
        e = assertThrows(WeightsFormatException.class, () -> TorchFiles.loadStateDict(WeightFixtures.file("torch_nested.pt")));
        assertTrue(e.getMessage().contains("'model'") && "model".equals(e.tensor()), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jtensorsFilesReadBackStructurally() throws Exception {
        Map<String, Object> obj = JavaWritten.checkpoint();
        Path p = tmp.resolve("java.pt");
        TorchFiles.save(p, obj);
        Map<String, Object> back = (Map<String, Object>) TorchFiles.load(p);
        assertEquals(List.copyOf(obj.keySet()), List.copyOf(back.keySet()));
        Map<String, Tensor> tensors = (Map<String, Tensor>) back.get("tensors");
        for (var e : ((Map<String, Tensor>) obj.get("tensors")).entrySet()) {
            Tensor b = tensors.get(e.getKey());
            assertEquals(e.getValue().dtype(), b.dtype(), e.getKey());
            assertEquals(e.getValue().shape(), b.shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), b.toDoubleArray(), 0.0, e.getKey());
        }
        assertArrayEquals(new long[] {1, 4}, new long[] {tensors.get("transposed").stride(0), tensors.get("transposed").stride(1)});
        assertSame(Tensors.storage(tensors.get("transposed")), Tensors.storage(tensors.get("float32")), "views saved as views");
        assertEquals(3L, back.get("epoch"));
        assertEquals(0.5, back.get("lr"));
        assertEquals("jtensor", back.get("name"));
        assertEquals(List.of(1L, -70000L, 1L << 40, true), back.get("list"));
        assertNull(back.get("nothing"));
        assertEquals(Map.of(0L, "zero"), back.get("intKeys"));
        // a zip torch reads: data.pkl first, the byteorder and version records, storages 64-byte aligned
        List<String> names = new java.util.ArrayList<>();
        try (var z = new java.util.zip.ZipFile(p.toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
            assertEquals("3\n", new String(z.getInputStream(z.getEntry("archive/version")).readAllBytes()));
            assertEquals("little", new String(z.getInputStream(z.getEntry("archive/byteorder")).readAllBytes()));
        }
        assertEquals("archive/data.pkl", names.get(0));
        assertTrue(names.contains("archive/data/0"));
        assertThrows(IllegalArgumentException.class, () -> TorchFiles.save(tmp.resolve("x.pt"), Map.of("x", new Object())));
    }

    /** Writes target/weights-java/java.pt for golden/check_weights.py (PyTorch 1.13 reads it; run by hand). */
    @Test
    void writesTheFileThePythonCheckReads() throws Exception {
        Path dir = Path.of("target", "weights-java");
        Files.createDirectories(dir);
        TorchFiles.save(dir.resolve("java.pt"), JavaWritten.checkpoint());
        TorchFiles.save(dir.resolve("java_sd.pt"), JavaWritten.tensors()); // no floats: PyTorch 1.13's weights_only reader lacks BINFLOAT
        Safetensors.save(dir.resolve("java.safetensors"), JavaWritten.tensors(), Map.of("writer", "jtensor"));
        assertTrue(Files.size(dir.resolve("java.pt")) > 0);
    }

    /** The content check_weights.py expects, value for value. */
    static final class JavaWritten {
        static Map<String, Tensor> tensors() {
            Map<String, Tensor> t = new LinkedHashMap<>();
            Tensor a = Jt.arange(12).reshape(3, 4).to(DType.FLOAT32);
            for (DType d : DType.values()) t.put(d.shortName(), d == DType.FLOAT32 ? a : d == DType.UINT8 ? a.to(d) : a.sub(5).to(d));
            t.put("transposed", a.t());
            t.put("row", a.select(0, 1));
            t.put("scalar", Jt.tensor(2.5));
            t.put("empty", Jt.zeros(0, 3));
            return t;
        }

        static Map<String, Object> checkpoint() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tensors", tensors());
            m.put("epoch", 3);
            m.put("lr", 0.5);
            m.put("name", "jtensor");
            m.put("list", List.of(1, -70000, 1L << 40, true));
            m.put("nothing", null);
            m.put("intKeys", Map.of(0, "zero"));
            return m;
        }
    }
}
