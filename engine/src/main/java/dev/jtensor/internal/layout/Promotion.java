package dev.jtensor.internal.layout;

import dev.jtensor.DType;

/**
 * PyTorch's type promotion ({@code torch.promote_types}, {@code torch.result_type}, {@code torch.can_cast}).
 *
 * <p>Categories order bool &lt; integer &lt; floating. {@link #resultType} ranks operands in three
 * priority classes: tensors with at least one dim, 0-d tensors, and Java scalars ("wrapped numbers").
 * A lower class only changes the result when it is of a higher category: {@code int8 tensor + 1000L}
 * stays int8, {@code int32 tensor + 2.5} becomes the default float type (float32), {@code float16
 * tensor + 2.5} stays float16, {@code bool tensor + 1L} becomes int64.
 */
public final class Promotion {
    private Promotion() {}

    /** The operand classes of {@code torch.result_type}, highest priority first. */
    public enum Rank { DIMENSIONED, ZERO_DIM, SCALAR }

    /** {@code torch.promote_types(a, b)}: the smallest type both convert to without losing category. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a == DType.BOOL) return b;
        if (b == DType.BOOL) return a;
        boolean fa = a.isFloatingPoint(), fb = b.isFloatingPoint();
        if (fa && fb) {
            if (a == DType.FLOAT64 || b == DType.FLOAT64) return DType.FLOAT64;
            return DType.FLOAT32; // float16 + bfloat16, or either with float32
        }
        if (fa) return a;
        if (fb) return b;
        // two distinct integer types
        if (a == DType.UINT8 || b == DType.UINT8) {
            DType other = a == DType.UINT8 ? b : a;
            return other == DType.INT8 ? DType.INT16 : other; // uint8 + int8 -> int16; wider signed types hold uint8
        }
        return a.byteSize() >= b.byteSize() ? a : b;
    }

    /**
     * {@code torch.result_type} of two operands given their dtypes and ranks ({@link Rank#SCALAR}
     * for a Java double (pass {@link DType#defaultFloat()}), long (INT64) or boolean (BOOL)).
     */
    public static DType resultType(DType a, Rank ra, DType b, Rank rb) {
        DType[] byRank = new DType[3];
        byRank[ra.ordinal()] = a;
        byRank[rb.ordinal()] = byRank[rb.ordinal()] == null ? b : promote(byRank[rb.ordinal()], b);
        return combine(byRank[0], combine(byRank[1], byRank[2]));
    }

    /** {@code torch.result_type} over any number of operands. */
    public static DType resultType(DType[] types, Rank[] ranks) {
        DType[] byRank = new DType[3];
        for (int i = 0; i < types.length; i++) {
            int r = ranks[i].ordinal();
            byRank[r] = byRank[r] == null ? types[i] : promote(byRank[r], types[i]);
        }
        return combine(byRank[0], combine(byRank[1], byRank[2]));
    }

    /** PyTorch's {@code combine_categories}: the higher class wins unless the lower is of a higher category. */
    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null || higher.isFloatingPoint()) return higher;
        if (higher == DType.BOOL || lower.isFloatingPoint()) return promote(higher, lower);
        return higher;
    }

    /** The rank class of a tensor with {@code dims} dimensions. */
    public static Rank rankOf(int dims) { return dims == 0 ? Rank.ZERO_DIM : Rank.DIMENSIONED; }

    /** The default type of a Java scalar: floating values make {@link DType#defaultFloat()}. */
    public static DType scalarType(boolean floating) { return floating ? DType.defaultFloat() : DType.INT64; }

    /** {@code torch.can_cast(from, to)}: no floating into integer or bool, no non-bool into bool. */
    public static boolean canCast(DType from, DType to) {
        if (from.isFloatingPoint() && !to.isFloatingPoint()) return false;
        return from == DType.BOOL || to != DType.BOOL;
    }

    /** Throws PyTorch's message when a result of type {@code result} cannot be stored in {@code out}. */
    public static void checkCast(DType result, DType out) {
        if (!canCast(result, out)) {
            throw new IllegalArgumentException("result type " + cTypeName(result) + " can't be cast to the desired output type "
                    + cTypeName(out));
        }
    }

    /** The dtype promoted to a floating type, as ops like {@code div}, {@code exp}, {@code sqrt} produce. */
    public static DType toFloating(DType t) { return t.isFloatingPoint() ? t : DType.defaultFloat(); }

    /** ATen's C++ scalar type name (Float, Long, ...) as PyTorch's messages print it. */
    public static String cTypeName(DType t) {
        return switch (t) {
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
            case INT8 -> "Char";
            case UINT8 -> "Byte";
            case INT16 -> "Short";
            case INT32 -> "Int";
            case INT64 -> "Long";
            case BOOL -> "Bool";
        };
    }
}
