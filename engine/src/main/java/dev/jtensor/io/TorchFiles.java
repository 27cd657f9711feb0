package dev.jtensor.io;

import dev.jtensor.Tensor;
import dev.jtensor.internal.HostData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * PyTorch checkpoints ({@code .pt}, {@code .pth}, {@code .bin}): the zip format {@code torch.save} writes since
 * PyTorch 1.6.
 *
 * <p><b>Reading</b> is what {@code torch.load(path, weights_only=True)} reads: nested dicts (insertion-ordered
 * {@link Map}s), lists ({@link java.util.ArrayList}), tuples (unmodifiable {@link List}s), ints ({@link Long}),
 * floats ({@link Double}), strings, bools, None (null) and tensors. The pickle is read by a weights-only
 * unpickler: only the globals PyTorch's weights-only unpickler allows ({@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter}, the storage types, ...)
 * are accepted, any other is refused naming it, and no code from the file ever runs. Storages written
 * uncompressed (as {@code torch.save} writes them) are mapped zero-copy and read-only; every tensor keeps its
 * size, stride and offset over its storage, so tensors sharing a storage (tied weights) stay views of one
 * memory. A legacy (pre-1.6) file, a TorchScript archive or a broken one throws {@link WeightsFormatException}.
 *
 * <p><b>Writing</b> produces what {@code torch.save} (and so {@code torch.load}) knows: {@code archive/data.pkl}
 * (pickle protocol 2, the top-level map as an OrderedDict), {@code archive/byteorder} ({@code little}),
 * {@code archive/data/<key>} per storage (stored, 64-byte aligned) and {@code archive/version} ({@code 3}).
 * Atomic, as {@link Npy#save}.
 */
public final class TorchFiles {
    private TorchFiles() {}

    /** The object saved in {@code path} (see the class comment for the Java types). */
    public static Object load(Path path) throws IOException {
        return TorchReader.read(path);
    }

    /**
     * A checkpoint holding a state dict ({@code torch.save(model.state_dict(), path)}) as an ordered map.
     *
     * @throws WeightsFormatException if the file holds something other than a map of string keys to tensors
     */
    public static Map<String, Tensor> loadStateDict(Path path) throws IOException {
        Object o = load(path);
        if (!(o instanceof Map<?, ?> m)) throw new WeightsFormatException(path.toString(), null, 0, "holds a " + describe(o) + ", not a state dict");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof Tensor t)) {
                throw new WeightsFormatException(path.toString(), String.valueOf(e.getKey()), 0,
                        "holds a " + describe(e.getValue()) + " under this key: not a state dict of tensors");
            }
            out.put(k, t);
        }
        return out;
    }

    private static String describe(Object o) { return o == null ? "None" : o.getClass().getSimpleName(); }

    /**
     * Writes {@code obj} (usually a map such as a state dict; it may nest maps, lists, numbers, strings,
     * booleans, null and tensors) as a checkpoint {@code torch.load} reads.
     *
     * @throws IllegalArgumentException for a value of another type
     */
    public static void save(Path path, Object obj) throws IOException {
        TorchPickler p = new TorchPickler();
        byte[] pkl = p.pickle(obj);
        AtomicFile.write(path, ch -> {
            ZipWriter zip = new ZipWriter(ch);
            bytes(zip, "archive/data.pkl", pkl);
            bytes(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (TorchPickler.Record r : p.records()) storage(zip, "archive/data/" + r.key(), r);
            bytes(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        });
    }

    private static void bytes(ZipWriter zip, String name, byte[] b) throws IOException {
        zip.add(name, false, b.length, ch -> {
            CRC32 crc = new CRC32();
            crc.update(b);
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining()) ch.write(bb);
            return new long[] {crc.getValue(), b.length, b.length};
        });
    }

    private static void storage(ZipWriter zip, String name, TorchPickler.Record r) throws IOException {
        zip.add(name, false, r.storage().byteSize(), ch -> writeStorage(ch, r));
    }

    /** The record's whole storage (every view of it is saved as offset and strides into it). */
    private static long[] writeStorage(FileChannel ch, TorchPickler.Record r) throws IOException {
        return HostData.read(r.owner(), bytes -> {
            MemorySegment seg = bytes.memory();
            CRC32 crc = new CRC32();
            NpyData.updateCrc(crc, seg);
            NpyData.writeFully(ch, seg);
            return new long[] {crc.getValue(), seg.byteSize(), seg.byteSize()};
        });
    }
}
