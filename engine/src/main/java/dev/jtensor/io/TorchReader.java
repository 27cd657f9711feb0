package dev.jtensor.io;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.Scopes;
import dev.jtensor.internal.Tensors;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a {@code torch.save} zip checkpoint ({@code <archive>/data.pkl}, {@code <archive>/data/<key>} per
 * storage, {@code <archive>/version}, optionally {@code <archive>/byteorder}) through {@link WeightsUnpickler},
 * rebuilding tensors over storages: a STORED storage record becomes a read-only slice of one shared mapping of
 * the archive (as {@link Npz} members), so every tensor of a storage is a view of one memory and tied weights
 * stay tied; a DEFLATED record (a re-zipped file) is inflated into fresh memory.
 */
final class TorchReader implements WeightsUnpickler.Calls {
    /** A storage: its dtype, the 1-D tensor over all of it that every rebuilt tensor views, and its element count. */
    record StorageRef(DType dtype, Tensor base, long numel) {}

    static final Map<String, DType> STORAGE_TYPES = Map.of("torch.FloatStorage", DType.FLOAT32, "torch.DoubleStorage", DType.FLOAT64,
            "torch.HalfStorage", DType.FLOAT16, "torch.BFloat16Storage", DType.BFLOAT16, "torch.LongStorage", DType.INT64,
            "torch.IntStorage", DType.INT32, "torch.ShortStorage", DType.INT16, "torch.CharStorage", DType.INT8,
            "torch.ByteStorage", DType.UINT8, "torch.BoolStorage", DType.BOOL);

    private final MemorySegment zip;
    private final String file;
    private final String prefix;
    private final Map<String, ZipDirectory.Entry> records;
    private final SharedMapping mapping;
    private final Map<String, StorageRef> storages = new HashMap<>();

    private TorchReader(MemorySegment zip, String file, String prefix, Map<String, ZipDirectory.Entry> records, SharedMapping mapping) {
        this.zip = zip;
        this.file = file;
        this.prefix = prefix;
        this.records = records;
        this.mapping = mapping;
    }

    static Object read(Path path) throws IOException {
        String file = path.toString();
        Arena arena = Arena.ofShared();
        SharedMapping mapping = new SharedMapping(arena);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment zip = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            checkMagic(zip, file);
            Map<String, ZipDirectory.Entry> records = new HashMap<>();
            ZipDirectory.Entry pkl = null;
            for (ZipDirectory.Entry e : ZipDirectory.read(zip, file)) {
                records.put(e.name(), e);
                int slash = e.name().indexOf('/');
                if (slash > 0 && e.name().substring(slash).equals("/data.pkl")) pkl = pkl == null ? e : pkl;
            }
            if (pkl == null) throw new WeightsFormatException(file, null, 0, "a zip archive without <archive>/data.pkl: not a torch.save checkpoint");
            String prefix = pkl.name().substring(0, pkl.name().indexOf('/') + 1);
            if (records.containsKey(prefix + "constants.pkl")) {
                throw new WeightsFormatException(file, null, pkl.dataOffset(), "a TorchScript archive (torch.jit.save): jtensor reads torch.save checkpoints only");
            }
            checkByteOrder(zip, records.get(prefix + "byteorder"), file);
            TorchReader r = new TorchReader(zip, file, prefix, records, mapping);
            MemorySegment pickle = r.bytesOf(pkl, file + "!" + pkl.name());
            return WeightsUnpickler.load(pickle, file + "!" + pkl.name(), pkl.method() == ZipDirectory.Entry.STORED ? pkl.dataOffset() : 0, r);
        } finally {
            mapping.release(); // the reader's own reference: the mapping now lives as long as its mapped storages
        }
    }

    private static void checkMagic(MemorySegment zip, String file) throws WeightsFormatException {
        int b0 = zip.byteSize() > 0 ? zip.get(ValueLayout.JAVA_BYTE, 0) & 0xff : -1;
        int b1 = zip.byteSize() > 1 ? zip.get(ValueLayout.JAVA_BYTE, 1) & 0xff : -1;
        if (b0 == 0x80 && b1 >= 2 && b1 <= 5) {
            throw new WeightsFormatException(file, null, 0, "a legacy (pre-1.6, non-zip) torch.save file: jtensor reads the zip format only;"
                    + " re-save it with PyTorch >= 1.6 (torch.save(torch.load(f), f2))");
        }
        if (b0 != 'P' || b1 != 'K') throw new WeightsFormatException(file, null, 0, "not a PyTorch zip checkpoint (no zip signature)");
    }

    private static void checkByteOrder(MemorySegment zip, ZipDirectory.Entry e, String file) throws WeightsFormatException {
        if (e == null || e.method() != ZipDirectory.Entry.STORED) return;
        String order = new String(zip.asSlice(e.dataOffset(), Math.min(e.size(), 16)).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
        if (!order.strip().equals("little")) {
            throw new WeightsFormatException(file, null, e.dataOffset(), "byteorder record says '" + order.strip() + "': only little-endian checkpoints are read");
        }
    }

    @Override
    public Object persistentLoad(Object pid, long at) throws WeightsFormatException {
        if (!(pid instanceof List<?> t) || !WeightsUnpickler.isTuple(pid) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw error(at, "persistent id is not ('storage', type, key, location, numel)");
        }
        if (!(t.get(1) instanceof WeightsUnpickler.Global type) || !(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel)) {
            throw error(at, "persistent id fields have the wrong types");
        }
        DType dtype = STORAGE_TYPES.get(type.name());
        if (dtype == null) throw error(at, "storage type " + type.name() + " has no jtensor dtype");
        StorageRef ref = storages.get(key);
        if (ref != null) {
            if (ref.dtype() != dtype) throw error(at, "storage '" + key + "' is used as " + ref.dtype() + " and as " + dtype);
            return ref;
        }
        ref = storage(key, dtype, numel, at);
        storages.put(key, ref);
        return ref;
    }

    private StorageRef storage(String key, DType dtype, long numel, long at) throws WeightsFormatException {
        ZipDirectory.Entry e = records.get(prefix + "data/" + key);
        if (e == null) throw error(at, "storage record " + prefix + "data/" + key + " is missing");
        if (numel < 0 || numel > e.size() / dtype.byteSize()) {
            throw new WeightsFormatException(file, null, e.dataOffset(), "storage '" + key + "' declares " + numel + " elements of " + dtype
                    + " but its record holds " + e.size() + " bytes");
        }
        long bytes = numel * dtype.byteSize();
        if (e.method() != ZipDirectory.Entry.STORED && bytes > 0) { // inflated into fresh memory
            MemorySegment inflated = bytesOf(e, file + "!" + e.name());
            Tensor t = HostData.write(dtype, new long[] {numel}, Device.CPU, dst -> MemorySegment.copy(inflated, 0, dst.memory(), 0, bytes));
            return new StorageRef(dtype, t, numel);
        }
        Storage s = bytes == 0 ? Storage.allocate(0)
                : HostData.wrap(zip.asSlice(e.dataOffset(), bytes), true, "mapped from " + file + "!" + e.name(), mapping.retain());
        Scopes.register(s);
        return new StorageRef(dtype, Tensors.make(s, dtype, Layout.contiguous(new long[] {numel}), Device.CPU, true), numel);
    }

    @Override
    public Object call(WeightsUnpickler.Global f, List<Object> args, long at) throws WeightsFormatException {
        switch (f.name()) {
            case "collections.OrderedDict" -> {
                if (!args.isEmpty()) throw error(at, "OrderedDict called with arguments");
                return new java.util.LinkedHashMap<>();
            }
            case "torch.Size" -> {
                if (args.size() != 1 || !WeightsUnpickler.isTuple(args.get(0))) throw error(at, "torch.Size takes one tuple");
                return args.get(0);
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                if (args.size() < 4) throw error(at, f.name() + " needs (storage, offset, size, stride, ...)");
                Tensor t = rebuild(args.get(0), args.get(1), args.get(2), args.get(3), at);
                if (args.size() > 4 && Boolean.TRUE.equals(args.get(4))) requireGrad(t, at);
                return t;
            }
            case "torch._utils._rebuild_parameter", "torch.nn.parameter.Parameter" -> {
                if (args.isEmpty() || !(args.get(0) instanceof Tensor t)) throw error(at, f.name() + " needs a tensor");
                if (args.size() < 2 || Boolean.TRUE.equals(args.get(1))) requireGrad(t, at);
                return t;
            }
            default -> throw error(at, "jtensor cannot rebuild " + f.name() + " (sparse, meta and quantized tensors are not supported)");
        }
    }

    private void requireGrad(Tensor t, long at) throws WeightsFormatException {
        if (!t.dtype().isFloatingPoint()) throw error(at, "a " + t.dtype() + " tensor cannot require grad");
        if (!t.requiresGrad()) t.requiresGrad_(true);
    }

    private Tensor rebuild(Object storage, Object offset, Object size, Object stride, long at) throws WeightsFormatException {
        if (!(storage instanceof StorageRef ref)) throw error(at, "tensor rebuilt from " + WeightsUnpickler.describe(storage) + ", not a storage");
        long[] shape = longs(size, at, "size"), strides = longs(stride, at, "stride");
        if (!(offset instanceof Long off) || off < 0 || shape.length != strides.length) {
            throw error(at, "tensor has a bad storage offset or a stride of another rank than its size");
        }
        long numel = 1, last = off;
        try {
            for (long d : shape) numel = Math.multiplyExact(numel, d);
            for (int i = 0; i < shape.length; i++) if (shape[i] > 0) last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, strides[i]));
        } catch (ArithmeticException x) {
            if (numel != 0) throw error(at, "tensor of size " + java.util.Arrays.toString(shape) + " overflows 64 bits");
        }
        if (numel > 0 && last >= ref.numel()) {
            throw error(at, "tensor of size " + java.util.Arrays.toString(shape) + ", stride " + java.util.Arrays.toString(strides)
                    + " at offset " + off + " reaches element " + last + " of a storage of " + ref.numel());
        }
        return Tensors.view(ref.base(), new Layout(shape, strides, numel == 0 ? 0 : off));
    }

    private long[] longs(Object o, long at, String what) throws WeightsFormatException {
        if (!(o instanceof List<?> l) || l.size() > 64) throw error(at, "tensor " + what + " is not a tuple of at most 64 integers");
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long v) || v < 0) throw error(at, "tensor " + what + " holds " + l.get(i) + ", not a non-negative integer");
            out[i] = v;
        }
        return out;
    }

    /** A record's bytes: a slice of the mapping when STORED, else inflated (size-checked) into heap memory. */
    private MemorySegment bytesOf(ZipDirectory.Entry e, String name) throws WeightsFormatException {
        if (e.method() == ZipDirectory.Entry.STORED) return zip.asSlice(e.dataOffset(), e.size());
        if (e.size() > Integer.MAX_VALUE - 8 || e.size() > e.compressedSize() * 1032 + 1024) {
            throw new WeightsFormatException(name, null, e.dataOffset(), "deflated record of declared size " + e.size() + " is not readable");
        }
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(zip.asSlice(e.dataOffset(), e.compressedSize()).toArray(ValueLayout.JAVA_BYTE));
            byte[] out = new byte[(int) e.size()];
            int n = 0;
            while (n < out.length) {
                int k = inf.inflate(out, n, out.length - n);
                n += k;
                if (k == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) break;
            }
            if (n != out.length) throw new WeightsFormatException(name, null, e.dataOffset(), "deflated record ends before its declared size");
            return MemorySegment.ofArray(out);
        } catch (DataFormatException x) {
            throw new WeightsFormatException(name, null, e.dataOffset(), "corrupt deflated record: " + x.getMessage());
        } finally {
            inf.end();
        }
    }

    private WeightsFormatException error(long at, String detail) {
        return new WeightsFormatException(file + "!" + prefix + "data.pkl", null, at, detail);
    }
}
