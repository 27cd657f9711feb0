package dev.jtensor.io;

import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.Tensors;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * safetensors files (Hugging Face's format: an 8-byte little-endian header length, a JSON header, then the
 * tensors' bytes) and sharded checkpoints ({@code model.safetensors.index.json}).
 *
 * <ul>
 * <li>{@link #map} opens a file in O(header): a {@link MappedWeights} of read-only zero-copy tensors over one
 *     mapping, nothing read until touched; {@link #load} gives copies in fresh memory.</li>
 * <li>{@link #save} writes the format byte for byte: the header is compact JSON ({@code __metadata__} first
 *     when given, then the tensors in the map's order), padded with spaces to a multiple of 8 bytes, then the
 *     tensors' little-endian bytes in the same order with no gaps. Atomic as {@link Npy#save}.</li>
 * <li>dtypes {@code F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL}; a tensor of another dtype ({@code F8_*}, {@code U16},
 *     ...) can be listed but not taken (see {@link MappedWeights#get}).</li>
 * <li>A broken or hostile file (header past the file or over 100 MB, invalid JSON, offsets out of range,
 *     overlapping, with gaps, sizes that do not match shape x dtype, duplicate names, truncation) throws
 *     {@link WeightsFormatException} naming the file, the tensor and the byte offset.</li>
 * </ul>
 */
public final class Safetensors {
    private Safetensors() {}

    /** Maps {@code path}: see {@link MappedWeights}. */
    public static MappedWeights map(Path path) throws IOException {
        MappedWeights.FileMapping f = open(path);
        Map<String, MappedWeights.Slot> slots = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : f.header().entries()) slots.put(e.name(), new MappedWeights.Slot(f, e));
        return new MappedWeights(slots, f.header().metadata(), List.of(f));
    }

    /** The {@code __metadata__} of {@code path} (empty when absent), reading the header only. */
    public static Map<String, String> metadata(Path path) throws IOException {
        try (MappedWeights m = map(path)) {
            return m.metadata();
        }
    }

    /**
     * The tensors of {@code path} in fresh writable memory, in header order.
     *
     * @throws UnsupportedOperationException if a tensor has a dtype jtensor lacks (see {@link MappedWeights#get})
     */
    public static Map<String, Tensor> load(Path path) throws IOException {
        try (MappedWeights m = map(path)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String k : m.keySet()) {
                Tensor mapped = m.get(k);
                out.put(k, mapped.clone());
                mapped.close();
            }
            return out;
        }
    }

    /**
     * Maps a sharded checkpoint from its index ({@code {"metadata": {...}, "weight_map": {tensor: shard file}}}):
     * each shard once, the tensors in {@code weight_map} order. Shard names are resolved beside the index and
     * may not leave its directory; every listed tensor must be in its shard.
     */
    public static MappedWeights mapSharded(Path indexJson) throws IOException {
        String index = indexJson.toString();
        byte[] bytes = readIndex(indexJson);
        if (!(Json.parse(MemorySegment.ofArray(bytes), 0, bytes.length, index) instanceof Map<?, ?> top)) {
            throw new WeightsFormatException(index, null, 0, "the index is not a JSON object");
        }
        if (!(top.get("weight_map") instanceof Json.Keyed wm) || !(wm.value() instanceof Map<?, ?> weightMap)) {
            throw new WeightsFormatException(index, null, 0, "the index has no \"weight_map\" object");
        }
        Path dir = indexJson.toAbsolutePath().getParent();
        Map<String, MappedWeights.FileMapping> shards = new LinkedHashMap<>();
        Map<String, MappedWeights.Slot> slots = new LinkedHashMap<>();
        try {
            for (var e : weightMap.entrySet()) {
                String name = (String) e.getKey();
                Json.Keyed v = (Json.Keyed) e.getValue();
                if (!(v.value() instanceof String shard)) throw new WeightsFormatException(index, name, v.offset(), "shard name is not a string");
                MappedWeights.FileMapping f = shards.get(shard);
                if (f == null) {
                    f = open(shardPath(dir, shard, name, v.offset(), index));
                    shards.put(shard, f);
                }
                slots.put(name, new MappedWeights.Slot(f, find(f, name, v.offset(), index)));
            }
        } catch (IOException | RuntimeException x) {
            for (var f : shards.values()) f.hold().close();
            throw x;
        }
        return new MappedWeights(slots, indexMetadata(top), new ArrayList<>(shards.values()));
    }

    private static byte[] readIndex(Path indexJson) throws IOException {
        long size = Files.size(indexJson);
        if (size > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw new WeightsFormatException(indexJson.toString(), null, 0, "index of " + size + " bytes exceeds the 100 MB limit");
        }
        return Files.readAllBytes(indexJson);
    }

    private static Path shardPath(Path dir, String shard, String tensor, long at, String index) throws WeightsFormatException {
        WeightsFormatException bad = new WeightsFormatException(index, tensor, at, "shard name \"" + shard.replaceAll("\\p{Cntrl}", "?")
                + "\" is not a file beside the index");
        if (shard.isEmpty() || shard.chars().anyMatch(c -> c < 0x20)) throw bad;
        try {
            Path p = dir.resolve(shard).normalize();
            if (Path.of(shard).isAbsolute() || !p.startsWith(dir)) throw bad;
            return p;
        } catch (java.nio.file.InvalidPathException x) {
            throw bad;
        }
    }

    private static SafetensorsHeader.Entry find(MappedWeights.FileMapping f, String name, long at, String index) throws WeightsFormatException {
        for (SafetensorsHeader.Entry e : f.header().entries()) if (e.name().equals(name)) return e;
        throw new WeightsFormatException(index, name, at, "the index puts it in " + f.file() + ", which does not hold it");
    }

    private static Map<String, String> indexMetadata(Map<?, ?> top) {
        Map<String, String> out = new LinkedHashMap<>();
        if (top.get("metadata") instanceof Json.Keyed k && k.value() instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) out.put((String) e.getKey(), String.valueOf(((Json.Keyed) e.getValue()).value()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Maps the whole file once and parses its header; the returned hold storage owns the mapper's reference. */
    private static MappedWeights.FileMapping open(Path path) throws IOException {
        String file = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(ch, file); // a refused file is never mapped
            return map(ch, header, file);
        }
    }

    private static MappedWeights.FileMapping map(FileChannel ch, SafetensorsHeader header, String file) throws IOException {
        Arena arena = Arena.ofShared();
        SharedMapping mapping = new SharedMapping(arena);
        try {
            long need = header.dataStart() + header.entries().stream().mapToLong(SafetensorsHeader.Entry::end).max().orElse(0);
            if (ch.size() < need) throw new WeightsFormatException(file, null, ch.size(), "the file shrank while it was opened");
            MemorySegment whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Storage hold = HostData.wrap(whole, true, "mapped from " + file, mapping::release);
            return new MappedWeights.FileMapping(file, mapping, whole, header, hold);
        } catch (IOException | RuntimeException e) {
            mapping.release();
            throw e;
        }
    }

    /** {@link #save(Path, Map, Map)} without metadata. */
    public static void save(Path path, Map<String, Tensor> tensors) throws IOException {
        save(path, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (any device, layout or dtype jtensor has; non-contiguous ones are written in
     * C order) and {@code metadata} as a safetensors file, atomically.
     *
     * @throws IllegalArgumentException for the reserved name {@code __metadata__} or an empty name
     */
    public static void save(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Tensor> data = new ArrayList<>();
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            String sep = "";
            for (var m : metadata.entrySet()) {
                json.append(sep);
                Json.quote(json, m.getKey());
                json.append(':');
                Json.quote(json, m.getValue());
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors tensor name '" + e.getKey() + "' is empty or reserved");
            }
            Tensor c = e.getValue(); // a device tensor comes down while it is written (Npy.writeData)
            if (!Tensors.layout(c).isContiguous()) c = c.contiguous();
            long bytes = c.numel() * c.dtype().byteSize();
            if (json.length() > 1) json.append(',');
            Json.quote(json, e.getKey());
            json.append(":{\"dtype\":\"").append(SafetensorsHeader.nameOf(c.dtype())).append("\",\"shape\":")
                    .append(Arrays.toString(c.shape().toArray()).replace(" ", "")).append(",\"data_offsets\":[")
                    .append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
            data.add(c);
        }
        json.append('}');
        byte[] header = pad(json.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(path, ch -> {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip());
            ch.write(ByteBuffer.wrap(header));
            for (Tensor t : data) Npy.writeData(ch, t);
        });
    }

    /** The header JSON followed by spaces up to a multiple of 8 bytes. */
    private static byte[] pad(byte[] json) {
        byte[] out = Arrays.copyOf(json, (json.length + 7) & ~7);
        Arrays.fill(out, json.length, out.length, (byte) ' ');
        return out;
    }
}
