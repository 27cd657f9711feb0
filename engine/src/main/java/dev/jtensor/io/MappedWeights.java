package dev.jtensor.io;

import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.Scopes;
import dev.jtensor.internal.Tensors;
import java.lang.foreign.MemorySegment;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tensors of mapped safetensors files ({@link Safetensors#map}, {@link Safetensors#mapSharded}): an
 * unmodifiable map in header order whose tensors are read-only and zero-copy, each over its own slice of one
 * mapping per file (64-bit offsets, so files past 4 GiB work). Nothing is read when the map is made: a tensor
 * is created on first {@link #get} (and kept: asking again gives the same tensor while it is open), and its
 * pages are read when touched.
 *
 * <p>A tensor of a dtype jtensor lacks ({@code F8_E4M3}, {@code U16}, ...) is listed, but {@code get} of it
 * throws {@link UnsupportedOperationException} naming the file, the tensor and the dtype; {@link #dtypeName}
 * tells it in advance.
 *
 * <p><b>Lifetime.</b> Each file stays mapped while this map or any tensor taken from it is reachable and
 * open; {@link #close()} lets go of the map's own hold (tensors already taken stay valid; taking new ones
 * throws {@link IllegalStateException}). {@code clone()} a tensor for writable memory independent of the file.
 */
public final class MappedWeights extends AbstractMap<String, Tensor> implements AutoCloseable {
    /** One mapped file: its mapping, parsed header and the storage whose Cleaner lets go of the map's hold. */
    record FileMapping(String file, SharedMapping mapping, MemorySegment whole, SafetensorsHeader header, Storage hold) {}

    record Slot(FileMapping source, SafetensorsHeader.Entry entry) {}

    private final Map<String, Slot> slots;
    private final Map<String, String> metadata;
    private final List<FileMapping> files;
    private final Map<String, Tensor> made = new ConcurrentHashMap<>();
    private volatile boolean closed;

    MappedWeights(Map<String, Slot> slots, Map<String, String> metadata, List<FileMapping> files) {
        this.slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
        this.metadata = metadata;
        this.files = List.copyOf(files);
    }

    /** The header's {@code __metadata__} (for a sharded checkpoint: the index's {@code metadata}, values as text). */
    public Map<String, String> metadata() { return metadata; }

    /** The format's dtype name of {@code key} ({@code F32}, {@code BF16}, {@code F8_E4M3}, ...), or null if absent. */
    public String dtypeName(String key) {
        Slot s = slots.get(key);
        return s == null ? null : s.entry().dtypeName();
    }

    /** The shape of {@code key} as the header declares it (no tensor is made), or null if absent. */
    public long[] shapeOf(String key) {
        Slot s = slots.get(key);
        return s == null ? null : s.entry().shape().clone();
    }

    @Override
    public boolean containsKey(Object key) { return slots.containsKey(key); }

    @Override
    public int size() { return slots.size(); }

    @Override
    public Set<String> keySet() { return slots.keySet(); }

    /**
     * The tensor named {@code key} (null if there is none), mapped read-only.
     *
     * @throws UnsupportedOperationException for a dtype jtensor lacks, naming the file, tensor and dtype
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public Tensor get(Object key) {
        Slot s = slots.get(key);
        if (s == null) return null;
        Tensor t = made.get(key);
        if (t != null && !Tensors.storage(t).isClosed()) return t;
        t = make(s);
        made.put((String) key, t);
        return t;
    }

    private Tensor make(Slot s) {
        SafetensorsHeader.Entry e = s.entry();
        FileMapping f = s.source();
        if (e.dtype() == null) {
            throw new UnsupportedOperationException(f.file() + ": tensor '" + e.name() + "' has dtype " + e.dtypeName()
                    + ", which jtensor does not have (it reads " + SafetensorsHeader.DTYPES.keySet().stream().sorted().toList() + ")");
        }
        Layout layout = Layout.contiguous(e.shape().clone());
        Storage storage;
        if (e.end() == e.begin()) {
            storage = Storage.allocate(0);
        } else {
            synchronized (this) {
                if (closed) throw new IllegalStateException(f.file() + ": the mapped weights were closed; map the file again");
                MemorySegment slice = f.whole().asSlice(f.header().dataStart() + e.begin(), e.end() - e.begin());
                storage = HostData.wrap(slice, true, "mapped from " + f.file() + " (safetensors '" + e.name() + "')", f.mapping().retain());
            }
        }
        Scopes.register(storage);
        return Tensors.make(storage, e.dtype(), layout, Device.CPU, true);
    }

    @Override
    public Set<Entry<String, Tensor>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Tensor>> iterator() {
                Iterator<String> keys = slots.keySet().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() { return keys.hasNext(); }

                    @Override
                    public Entry<String, Tensor> next() {
                        String k = keys.next();
                        return new SimpleImmutableEntry<>(k, get(k));
                    }
                };
            }

            @Override
            public int size() { return slots.size(); }
        };
    }

    /** Lets go of this map's hold on the mappings (idempotent); tensors already taken stay valid. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (FileMapping f : files) f.hold().close();
    }
}
