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
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** safetensors: the plain-Python fixtures map to PyTorch's values, writes are byte-exact, big files work. */
class SafetensorsTest {
    @TempDir Path tmp;

    private static final List<String> KEYS = List.of("f64", "f32", "f16", "fp8", "bf16", "i64", "i32", "i16", "i8", "u8", "bool", "scalar", "empty");

    @Test
    void everyDtypeMapsZeroCopyToPyTorchsValues() throws Exception {
        try (MappedWeights m = Safetensors.map(WeightFixtures.file("st_dtypes.safetensors"))) {
            assertEquals(KEYS, List.copyOf(m.keySet()));
            assertEquals(Map.of("format", "pt", "note", "jtensor fixture"), m.metadata());
            for (String k : KEYS) {
                if (k.equals("fp8")) continue;
                Tensor t = m.get(k);
                WeightFixtures.check("st_dtypes." + k, t);
                assertSame(t, m.get(k), "asking again gives the same tensor");
                if (t.numel() > 0) assertTrue(Tensors.storage(t).origin().contains("st_dtypes.safetensors"), "mapped, not copied");
            }
            assertEquals(DType.BFLOAT16, m.get("bf16").dtype());
            assertEquals(DType.BOOL, m.get("bool").dtype());
            assertEquals(0, m.get("scalar").dim());
            assertThrows(IllegalStateException.class, () -> m.get("f32").fill_(1.0), "mapped read-only");
        }
    }

    @Test
    void aDtypeJtensorLacksFailsOnlyWhenThatTensorIsAskedFor() throws Exception {
        try (MappedWeights m = Safetensors.map(WeightFixtures.file("st_dtypes.safetensors"))) {
            assertEquals("F8_E4M3", m.dtypeName("fp8"));
            assertArrayEquals(new long[] {2}, m.shapeOf("fp8"));
            var e = assertThrows(UnsupportedOperationException.class, () -> m.get("fp8"));
            assertTrue(e.getMessage().contains("'fp8'") && e.getMessage().contains("F8_E4M3") && e.getMessage().contains("st_dtypes"), e.getMessage());
            WeightFixtures.check("st_dtypes.i8", m.get("i8"));
        }
        assertThrows(UnsupportedOperationException.class, () -> Safetensors.load(WeightFixtures.file("st_dtypes.safetensors")));
    }

    @Test
    void saveWritesTheFormatByteForByteAsThePythonWriter() throws Exception {
        Path python = WeightFixtures.file("seq.safetensors");
        Map<String, Tensor> sd;
        try (MappedWeights m = Safetensors.map(python)) {
            sd = new LinkedHashMap<>(m);
            Path ours = tmp.resolve("seq.safetensors");
            Safetensors.save(ours, sd, m.metadata());
            assertArrayEquals(Files.readAllBytes(python), Files.readAllBytes(ours));
        }
    }

    @Test
    void saveAndLoadRoundTripEveryDtypeLayoutAndShape() throws Exception {
        Map<String, Tensor> in = new LinkedHashMap<>();
        Tensor a = Jt.arange(12).reshape(3, 4).to(DType.FLOAT32);
        in.put("transposed", a.t());
        in.put("strided", a.slice(1, 0, 4, 2));
        in.put("scalar", Jt.tensor(2.5));
        in.put("empty", Jt.zeros(0, 3));
        for (DType d : DType.values()) in.put(d.shortName(), a.to(d));
        Path p = tmp.resolve("all.safetensors");
        Safetensors.save(p, in, Map.of("k", "v \"quoted\" \u00e9"));
        byte[] bytes = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8, "header padded to 8 bytes");
        byte last = bytes[(int) (8 + n - 1)];
        assertTrue(last == ' ' || last == '}', "padding is spaces");
        assertTrue(new String(bytes, 8, (int) n, StandardCharsets.UTF_8).startsWith("{\"__metadata__\":{\"k\":\"v \\\"quoted\\\" \u00e9\"}"));
        Map<String, Tensor> back = Safetensors.load(p);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(back.keySet()));
        for (var e : in.entrySet()) {
            Tensor b = back.get(e.getKey());
            assertEquals(e.getValue().dtype(), b.dtype(), e.getKey());
            assertEquals(e.getValue().shape(), b.shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), b.toDoubleArray(), 0.0, e.getKey());
        }
        back.get("float32").fill_(7.0); // load gives writable copies
        assertEquals(Map.of("k", "v \"quoted\" \u00e9"), Safetensors.metadata(p));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.save(tmp.resolve("x.safetensors"), Map.of("__metadata__", a)));
    }

    @Test
    void shardedCheckpointsFollowTheWeightMap() throws Exception {
        try (MappedWeights m = Safetensors.mapSharded(WeightFixtures.file("st_sharded.index.json"))) {
            assertEquals(List.of("a", "b", "c"), List.copyOf(m.keySet()));
            assertEquals("104", m.metadata().get("total_size"));
            for (String k : m.keySet()) WeightFixtures.check("st_sharded." + k, m.get(k));
            assertTrue(Tensors.storage(m.get("c")).origin().contains("00002-of-00002"));
        }
        Path index = tmp.resolve("evil.index.json");
        Files.writeString(index, "{\"weight_map\": {\"a\": \"../../etc/passwd\"}}");
        var e = assertThrows(WeightsFormatException.class, () -> Safetensors.mapSharded(index));
        assertEquals("a", e.tensor());
        Files.copy(WeightFixtures.file("st_shard-00002-of-00002.safetensors"), tmp.resolve("s.safetensors"));
        Files.writeString(index, "{\"weight_map\": {\"zz\": \"s.safetensors\"}}");
        e = assertThrows(WeightsFormatException.class, () -> Safetensors.mapSharded(index));
        assertTrue(e.getMessage().contains("does not hold it") && "zz".equals(e.tensor()), e.getMessage());
    }

    @Test
    void closingTheMapKeepsTakenTensorsAndRefusesNewOnes() throws Exception {
        MappedWeights m = Safetensors.map(WeightFixtures.file("st_dtypes.safetensors"));
        Tensor f32 = m.get("f32");
        m.close();
        m.close();
        WeightFixtures.check("st_dtypes.f32", f32);
        assertThrows(IllegalStateException.class, () -> m.get("f64"));
        f32.close();
        assertNull(m.get("nope"));
        assertFalse(m.containsKey("nope"));
    }

    /** A sparse file past 4 GiB (no real disk use): a tensor whose bytes lie beyond 2^32 maps and reads. */
    @Test
    void aTensorPastFourGibibytesMapsAndReads() throws Exception {
        long big = (1L << 32) + 4096;
        String json = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + big + "," + (big + 8) + "]}}";
        byte[] header = json.getBytes(StandardCharsets.US_ASCII);
        byte[] padded = java.util.Arrays.copyOf(header, (header.length + 7) & ~7);
        java.util.Arrays.fill(padded, header.length, padded.length, (byte) ' ');
        Path p = tmp.resolve("sparse.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded.length).array());
            f.write(padded);
            long dataStart = 8 + padded.length;
            f.setLength(dataStart + big + 8);
            f.seek(dataStart + big);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-3.25f).array());
            f.seek(dataStart + big - 1);
            f.write(42);
        }
        try (MappedWeights m = Safetensors.map(p)) {
            assertArrayEquals(new float[] {1.5f, -3.25f}, m.get("tail").toFloatArray());
            Tensor b = m.get("big");
            assertEquals(big, b.numel());
            assertEquals(42.0, b.get(big - 1).item());
            assertEquals(0.0, b.get((1L << 32) + 7).item());
        }
    }
}
