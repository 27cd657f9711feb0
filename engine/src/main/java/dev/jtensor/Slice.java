package dev.jtensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One item of a Python-style index, as PyTorch C++'s {@code torch::indexing} ({@code Slice},
 * {@code Ellipsis}, {@code None}, an integer, a tensor): {@code x.index(Slice.all(), Slice.at(1))} is
 * {@code x[:, 1]}. {@link #parse} reads the Python spelling, {@code "1:3, ::2"}, {@code "..., -1"},
 * {@code "None, :"}, which is what {@code Tensor.get(String)} and {@code Tensor.set(String, ...)} use.
 *
 * <p>Integers select (the dim disappears), ranges slice (a view; negative bounds count from the end and
 * are clamped as Python does; the step must be positive, as in PyTorch), {@code ...} stands for the
 * dims not named, {@code None} inserts a size-1 dim, a tensor indexes (an int64/int32 index along the
 * dim, or a bool mask over the dims it covers; a copy).
 */
public final class Slice {
    /** What an index item does. */
    public enum Kind { INDEX, RANGE, ELLIPSIS, NEW_AXIS, TENSOR }

    /** {@code ...}: all the dims not otherwise indexed. */
    public static final Slice ELLIPSIS = new Slice(Kind.ELLIPSIS, 0, 0, 0, null);
    /** {@code None}: a new size-1 dim ({@code unsqueeze}). */
    public static final Slice NONE = new Slice(Kind.NEW_AXIS, 0, 0, 0, null);

    private final Kind kind;
    private final long start, end, step;
    private final Tensor tensor;

    private Slice(Kind kind, long start, long end, long step, Tensor tensor) {
        this.kind = kind;
        this.start = start;
        this.end = end;
        this.step = step;
        this.tensor = tensor;
    }

    /** The integer index {@code i} (negative counts from the end). */
    public static Slice at(long i) { return new Slice(Kind.INDEX, i, i, 1, null); }

    /** {@code :}, the whole dim. */
    public static Slice all() { return new Slice(Kind.RANGE, 0, Long.MAX_VALUE, 1, null); }

    /** {@code start:end}; null for an omitted bound. */
    public static Slice of(Long start, Long end) { return of(start, end, null); }

    /**
     * {@code start:end:step}; null for an omitted part.
     *
     * @throws IllegalArgumentException for a step that is not positive (PyTorch has no negative steps)
     */
    public static Slice of(Long start, Long end, Long step) {
        long st = step == null ? 1 : step;
        if (st <= 0) {
            throw new IllegalArgumentException("step must be greater than zero (got " + st + " in " + spell(start, end, step) + ")");
        }
        return new Slice(Kind.RANGE, start == null ? 0 : start, end == null ? Long.MAX_VALUE : end, st, null);
    }

    /** {@code start:}. */
    public static Slice from(long start) { return of(start, null, null); }

    /** {@code :end}. */
    public static Slice to(long end) { return of(null, end, null); }

    /** An index tensor (int64/int32 along the dim) or a bool mask (over as many dims as it has). */
    public static Slice tensor(Tensor index) { return new Slice(Kind.TENSOR, 0, 0, 0, Objects.requireNonNull(index, "index")); }

    /** An int64 index tensor from Java values: {@code Slice.indices(0, 2)} is {@code x[[0, 2]]}. */
    public static Slice indices(long... positions) { return tensor(Jt.tensor(positions.clone())); }

    /** Which kind of item this is. */
    public Kind kind() { return kind; }

    /** The integer (INDEX) or the first position (RANGE). */
    public long start() { return start; }

    /** The end bound (RANGE; Long.MAX_VALUE when omitted). */
    public long end() { return end; }

    /** The step (RANGE; 1 when omitted). */
    public long step() { return step; }

    /** The index tensor (TENSOR), else null. */
    public Tensor indexTensor() { return tensor; }

    /**
     * Parses a Python index expression: items separated by commas, each {@code ...}, {@code None}, an
     * integer, or {@code [start]:[end][:step]}. Blanks are ignored; {@code ""} is {@code x[()]}.
     *
     * @throws IllegalArgumentException naming the item that is not an index and its position
     */
    public static Slice[] parse(String expression) {
        Objects.requireNonNull(expression, "index expression");
        List<Slice> out = new ArrayList<>();
        if (expression.isBlank()) return new Slice[0];
        String[] items = expression.split(",", -1);
        for (int i = 0; i < items.length; i++) out.add(parseItem(items[i].strip(), i, expression));
        return out.toArray(new Slice[0]);
    }

    private static Slice parseItem(String item, int position, String expression) {
        try {
            if (item.equals("...")) return ELLIPSIS;
            if (item.equals("None")) return NONE;
            if (!item.contains(":")) return at(Long.parseLong(item));
            String[] parts = item.split(":", -1);
            if (parts.length > 3) throw new NumberFormatException();
            Long s = bound(parts[0]), e = bound(parts[1]), st = parts.length == 3 ? bound(parts[2]) : null;
            return of(s, e, st);
        } catch (NumberFormatException bad) {
            throw new IllegalArgumentException("invalid index '" + item + "' at position " + position + " in \"" + expression
                    + "\" (expected an integer, start:end:step, ... or None)");
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException(bad.getMessage() + " at position " + position + " in \"" + expression + "\"");
        }
    }

    private static Long bound(String s) {
        String t = s.strip();
        return t.isEmpty() ? null : Long.parseLong(t);
    }

    private static String spell(Long start, Long end, Long step) {
        return (start == null ? "" : start) + ":" + (end == null ? "" : end) + (step == null ? "" : ":" + step);
    }

    /** The Python spelling: {@code 1}, {@code 1:3}, {@code ::2}, {@code ...}, {@code None}, {@code tensor}. */
    @Override
    public String toString() {
        return switch (kind) {
            case INDEX -> Long.toString(start);
            case RANGE -> spell(start == 0 ? null : start, end == Long.MAX_VALUE ? null : end, step == 1 ? null : step);
            case ELLIPSIS -> "...";
            case NEW_AXIS -> "None";
            case TENSOR -> "tensor" + tensor.shape();
        };
    }
}
