package dev.jtensor.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A weights-only pickle reader, as PyTorch's {@code torch/_weights_only_unpickler.py}: a stack machine over the
 * opcodes {@code torch.save} emits (protocol 2, and the few of protocols 3-4 that plain data uses), building
 * dicts (insertion-ordered), lists, tuples (unmodifiable lists), ints ({@link Long}; beyond 64 bits an
 * error), floats, strings, bools and None. {@code GLOBAL} names are checked against an allowlist and become
 * {@link Global} markers; only the calls {@link Calls} knows are ever made, so no code from a file runs.
 * Every error is a {@link WeightsFormatException} naming the file and the byte offset of the opcode.
 */
final class WeightsUnpickler {
    /** A global the allowlist admitted, e.g. {@code torch._utils._rebuild_tensor_v2} or {@code torch.FloatStorage}. */
    record Global(String name) {}

    /** What REDUCE / NEWOBJ / BINPERSID do with admitted globals (tensor rebuilding lives with the caller). */
    interface Calls {
        Object call(Global function, List<Object> args, long at) throws WeightsFormatException;

        Object persistentLoad(Object pid, long at) throws WeightsFormatException;
    }

    /** PyTorch 1.13's allowlist, less complex dtypes and sparse/meta/quantized rebuilds jtensor cannot represent. */
    static final Set<String> ALLOWED = Set.of("collections.OrderedDict", "torch.nn.parameter.Parameter", "torch.Size", "torch.Tensor",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch.serialization._get_layout", "torch.float16", "torch.float32", "torch.float64", "torch.bfloat16", "torch.int8",
            "torch.int16", "torch.int32", "torch.int64", "torch.uint8", "torch.bool", "torch.FloatStorage", "torch.DoubleStorage",
            "torch.HalfStorage", "torch.BFloat16Storage", "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage",
            "torch.CharStorage", "torch.ByteStorage", "torch.BoolStorage", "torch._utils._rebuild_sparse_tensor",
            "torch._utils._rebuild_meta_tensor_no_storage", "torch._utils._rebuild_sparse_csr_tensor", "torch.ComplexFloatStorage",
            "torch.ComplexDoubleStorage");

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final Object MARK = new Object();

    private final MemorySegment in;
    private final String file;
    private final long base;
    private final Calls calls;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long pos;
    private long op;

    private WeightsUnpickler(MemorySegment in, String file, long base, Calls calls) {
        this.in = in;
        this.file = file;
        this.base = base;
        this.calls = calls;
    }

    /** Unpickles {@code in} (a {@code data.pkl}); {@code base} is its offset in {@code file}, for messages. */
    static Object load(MemorySegment in, String file, long base, Calls calls) throws WeightsFormatException {
        return new WeightsUnpickler(in, file, base, calls).run();
    }

    private Object run() throws WeightsFormatException {
        while (true) {
            op = pos;
            int code = u8();
            switch (code) {
                case 0x80 -> u8(); // PROTO
                case 0x95 -> skip(8); // FRAME
                case '.' -> { // STOP
                    Object v = pop();
                    if (v == MARK) throw error("STOP with a MARK on the stack");
                    return v;
                }
                case '(' -> stack.add(MARK);
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(top()); // DUP
                case ')' -> push(tuple(List.of()));
                case ']' -> push(new ArrayList<>());
                case '}' -> push(new LinkedHashMap<>());
                case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) in.get(LE32, at(4)));
                case 'K' -> push((long) u8());
                case 'M' -> push((long) (u8() | u8() << 8));
                case 0x8a -> push(long1(u8()));
                case 'G' -> push(Double.longBitsToDouble(in.get(BE64, at(8))));
                case 'X' -> push(text(u32()));
                case 0x8c -> push(text(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(text(u64())); // BINUNICODE8
                case 'U', 'C' -> push(bytes(u8())); // SHORT_BINSTRING, SHORT_BINBYTES
                case 'B' -> push(bytes(u32())); // BINBYTES
                case 't' -> push(tuple(popMark()));
                case 0x85 -> push(tuple(java.util.Arrays.asList(popValue())));
                case 0x86 -> { Object b = popValue(), a = popValue(); push(tuple(java.util.Arrays.asList(a, b))); }
                case 0x87 -> { Object c = popValue(), b = popValue(), a = popValue(); push(tuple(java.util.Arrays.asList(a, b, c))); }
                case 'l' -> push(new ArrayList<>(popMark()));
                case 'd' -> push(dict(popMark()));
                case 'a' -> { Object v = popValue(); list(top()).add(v); }
                case 'e' -> { List<Object> items = popMark(); list(top()).addAll(items); }
                case 's' -> { Object v = popValue(), k = popValue(); map(top()).put(key(k), v); }
                case 'u' -> setItems(popMark());
                case 0x90 -> { List<Object> items = popMark(); Set<Object> s = set(top()); for (Object x : items) s.add(key(x)); } // ADDITEMS
                case 'c' -> push(global(line(), line()));
                case 0x93 -> { Object name = popValue(), module = popValue(); push(global(str(module), str(name))); } // STACK_GLOBAL
                case 'R' -> { Object args = popValue(); push(call(popValue(), args)); }
                case 0x81 -> { Object args = popValue(); push(call(popValue(), args)); } // NEWOBJ: only Parameter is admitted
                case 'b' -> build(popValue(), top());
                case 'Q' -> push(calls.persistentLoad(popValue(), op));
                case 'h' -> push(memoGet(u8()));
                case 'j' -> push(memoGet(u32()));
                case 'q' -> memo.put((long) u8(), top());
                case 'r' -> memo.put(u32(), top());
                case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
                default -> throw error(String.format("unsupported pickle opcode 0x%02x", code));
            }
        }
    }

    private Global global(String module, String name) throws WeightsFormatException {
        String full = module + "." + name;
        if (!ALLOWED.contains(full)) {
            throw error("refuses the pickle global '" + full + "': it is not on the weights-only allowlist (as torch.load(weights_only=True))");
        }
        return new Global(full);
    }

    private Object call(Object f, Object args) throws WeightsFormatException {
        if (!(f instanceof Global g)) throw error("calls something that is not an allowed global: " + describe(f));
        return calls.call(g, asList(args, "arguments of " + g.name()), op);
    }

    private void build(Object state, Object inst) throws WeightsFormatException {
        // OrderedDict's __dict__ (a state dict's _metadata): attributes jtensor has no use for; anything else is refused
        if (!(inst instanceof Map<?, ?>)) throw error("BUILD (setstate) is only allowed on dicts, got " + describe(inst));
        if (state != null && !(state instanceof Map<?, ?>)) throw error("BUILD of a dict with a non-dict state");
    }

    private void setItems(List<Object> items) throws WeightsFormatException {
        if (items.size() % 2 != 0) throw error("SETITEMS with an odd number of items");
        Map<Object, Object> m = map(top());
        for (int i = 0; i < items.size(); i += 2) m.put(key(items.get(i)), items.get(i + 1));
    }

    private Map<Object, Object> dict(List<Object> items) throws WeightsFormatException {
        if (items.size() % 2 != 0) throw error("DICT with an odd number of items");
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) m.put(key(items.get(i)), items.get(i + 1));
        return m;
    }

    private Object key(Object k) throws WeightsFormatException {
        if (hashable(k, 0)) return k;
        throw error("unhashable or unsupported dict key " + describe(k));
    }

    /** Python's rule, bounded: scalars and strings, and tuples of hashables (never lists, so keys hold no cycles). */
    private static boolean hashable(Object k, int depth) {
        if (k == null || k instanceof String || k instanceof Long || k instanceof Boolean || k instanceof Double) return true;
        if (!isTuple(k) || depth > 16) return false;
        for (Object x : (List<?>) k) if (!hashable(x, depth + 1)) return false;
        return true;
    }

    static List<Object> tuple(List<Object> items) { return Collections.unmodifiableList(new ArrayList<>(items)); }

    /** Tuples are the unmodifiable lists this reader makes; lists are ArrayLists. */
    static boolean isTuple(Object o) { return o instanceof List<?> && !(o instanceof ArrayList<?>); }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws WeightsFormatException {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw error("APPEND to " + describe(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) throws WeightsFormatException {
        if (o instanceof LinkedHashMap<?, ?> m) return (Map<Object, Object>) m;
        throw error("SETITEM on " + describe(o) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private Set<Object> set(Object o) throws WeightsFormatException {
        if (o instanceof LinkedHashSet<?> s) return (Set<Object>) s;
        throw error("ADDITEMS on " + describe(o) + ", not a set");
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o, String what) throws WeightsFormatException {
        if (isTuple(o)) return (List<Object>) o;
        throw error(what + " are not a tuple: " + describe(o));
    }

    private String str(Object o) throws WeightsFormatException {
        if (o instanceof String s) return s;
        throw error("STACK_GLOBAL names are not strings");
    }

    private Object memoGet(long i) throws WeightsFormatException {
        if (!memo.containsKey(i)) throw error("memo key " + i + " was never stored");
        return memo.get(i);
    }

    private Object long1(int n) throws WeightsFormatException {
        byte[] le = bytes(n);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);
        if (v.bitLength() > 63) throw error("integer " + v + " does not fit 64 bits");
        return v.longValue();
    }

    private String line() throws WeightsFormatException {
        long start = pos;
        while (true) {
            if (pos >= in.byteSize() || pos - start > 256) throw error("GLOBAL name is unterminated or longer than 256 bytes");
            if (in.get(ValueLayout.JAVA_BYTE, pos++) == '\n') break;
        }
        return new String(in.asSlice(start, pos - 1 - start).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private String text(long n) throws WeightsFormatException { return new String(bytes(n), StandardCharsets.UTF_8); }

    private byte[] bytes(long n) throws WeightsFormatException {
        if (n < 0 || n > Integer.MAX_VALUE - 8) throw error("string of " + n + " bytes is too long");
        return in.asSlice(at(n), n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Consumes {@code n} bytes, returning where they start. */
    private long at(long n) throws WeightsFormatException {
        if (n > in.byteSize() - pos) throw error("truncated pickle: needs " + n + " more bytes");
        long p = pos;
        pos += n;
        return p;
    }

    private void skip(long n) throws WeightsFormatException { at(n); }

    private int u8() throws WeightsFormatException { return in.get(ValueLayout.JAVA_BYTE, at(1)) & 0xff; }

    private long u32() throws WeightsFormatException { return in.get(LE32, at(4)) & 0xffffffffL; }

    private long u64() throws WeightsFormatException { return in.get(LE64, at(8)); }

    private void push(Object o) { stack.add(o); }

    private Object pop() throws WeightsFormatException {
        if (stack.isEmpty()) throw error("pickle stack underflow");
        return stack.removeLast();
    }

    private Object popValue() throws WeightsFormatException {
        Object v = pop();
        if (v == MARK) throw error("unexpected MARK on the pickle stack");
        return v;
    }

    private Object top() throws WeightsFormatException {
        if (stack.isEmpty() || stack.getLast() == MARK) throw error("pickle stack underflow");
        return stack.getLast();
    }

    private List<Object> popMark() throws WeightsFormatException {
        int m = stack.lastIndexOf(MARK);
        if (m < 0) throw error("no MARK on the pickle stack");
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    static String describe(Object o) {
        if (o == null) return "None";
        if (o instanceof Global g) return "global " + g.name();
        return o.getClass().getSimpleName();
    }

    private WeightsFormatException error(String detail) { return new WeightsFormatException(file, null, base + op, detail); }
}
