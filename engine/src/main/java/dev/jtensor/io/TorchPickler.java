package dev.jtensor.io;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.HostData;
import dev.jtensor.internal.Tensors;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pickles an object graph as {@code torch.save} does (protocol 2): the top-level map as an
 * {@code collections.OrderedDict}, nested maps as dicts, lists, ints, floats, strings, bools, None, and tensors
 * as {@code torch._utils._rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())}.
 * Tensors over one storage share its record (key {@code 0, 1, ...} in first-use order), so views and tied
 * weights come back tied in PyTorch; the whole storage is written, as PyTorch writes it. A tensor not in host
 * memory is copied to the CPU (its own storage).
 */
final class TorchPickler {
    /** A storage to write as {@code data/<key>}: the CPU tensor whose storage it is, and its dtype. */
    record Record(String key, Storage storage, Tensor owner) {}

    private static final int MAX_DEPTH = 1000;
    static final Map<DType, String> STORAGE_NAMES = invert();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Storage, Record> records = new IdentityHashMap<>();
    private final Map<Storage, DType> dtypes = new IdentityHashMap<>();
    private final List<Record> order = new ArrayList<>();

    private static Map<DType, String> invert() {
        Map<DType, String> m = new java.util.EnumMap<>(DType.class);
        TorchReader.STORAGE_TYPES.forEach((name, dt) -> m.put(dt, name.substring("torch.".length())));
        return m;
    }

    /** The pickle bytes of {@code obj}; {@link #records()} then lists the storages it refers to. */
    byte[] pickle(Object obj) {
        out.write(0x80);
        out.write(2);
        write(obj, 0);
        out.write('.');
        return out.toByteArray();
    }

    List<Record> records() { return order; }

    private void write(Object o, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("object nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        switch (o) {
            case null -> out.write('N');
            case Boolean b -> out.write(b ? 0x88 : 0x89);
            case Tensor t -> tensor(t);
            case String s -> string(s);
            case Integer i -> integer(i);
            case Long l -> integer(l);
            case Short s -> integer(s);
            case Byte b -> integer(b);
            case Double d -> real(d);
            case Float f -> real(f);
            case Map<?, ?> m -> map(m, depth);
            case List<?> l -> list(l, depth);
            default -> throw new IllegalArgumentException("cannot save a " + o.getClass().getName()
                    + " in a PyTorch checkpoint (tensors, maps, lists, numbers, strings, booleans and null only)");
        }
    }

    private void map(Map<?, ?> m, int depth) {
        if (depth == 0) {
            global("collections", "OrderedDict");
            out.write(')');
            out.write('R');
        } else {
            out.write('}');
        }
        if (m.isEmpty()) return;
        out.write('(');
        for (var e : m.entrySet()) {
            Object k = e.getKey();
            if (!(k == null || k instanceof String || k instanceof Number || k instanceof Boolean)) {
                throw new IllegalArgumentException("map key of type " + k.getClass().getName() + " cannot be saved");
            }
            write(k, depth + 1);
            write(e.getValue(), depth + 1);
        }
        out.write('u');
    }

    private void list(List<?> l, int depth) {
        out.write(']');
        if (l.isEmpty()) return;
        out.write('(');
        for (Object o : l) write(o, depth + 1);
        out.write('e');
    }

    private void tensor(Tensor t) {
        Tensor cpu = HostData.onHost(t);
        Storage s = Tensors.storage(cpu);
        DType seen = dtypes.get(s);
        if ((seen != null && seen != cpu.dtype()) || s.byteSize() % cpu.dtype().byteSize() != 0) {
            cpu = cpu.clone(); // a storage viewed as two dtypes: this tensor gets its own
            s = Tensors.storage(cpu);
        }
        dtypes.put(s, cpu.dtype());
        Record r = records.get(s);
        if (r == null) {
            r = new Record(Integer.toString(order.size()), s, cpu);
            records.put(s, r);
            order.add(r);
        }
        Layout l = Tensors.layout(cpu);
        global("torch._utils", "_rebuild_tensor_v2");
        out.write('(');
        out.write('(');
        string("storage");
        global("torch", STORAGE_NAMES.get(cpu.dtype()));
        string(r.key());
        string("cpu");
        integer(s.byteSize() / cpu.dtype().byteSize());
        out.write('t');
        out.write('Q');
        integer(l.offset());
        longs(l.shape());
        longs(l.strides());
        out.write(0x89); // requires_grad False, as a state_dict's detached tensors
        global("collections", "OrderedDict");
        out.write(')');
        out.write('R');
        out.write('t');
        out.write('R');
    }

    private void longs(long[] v) {
        out.write('(');
        for (long x : v) integer(x);
        out.write('t');
    }

    private void global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        le(b.length, 4);
        out.writeBytes(b);
    }

    private void integer(long v) {
        if (v >= 0 && v < 256) {
            out.write('K');
            out.write((int) v);
        } else if (v >= 0 && v < 65536) {
            out.write('M');
            le(v, 2);
        } else if (v == (int) v) {
            out.write('J');
            le(v, 4);
        } else {
            out.write(0x8a); // LONG1: little-endian two's complement, 8 bytes suffice for a long
            out.write(8);
            le(v, 8);
        }
    }

    private void real(double d) {
        out.write('G');
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)));
    }

    private void le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) out.write((int) (v >>> (8 * i)));
    }
}
