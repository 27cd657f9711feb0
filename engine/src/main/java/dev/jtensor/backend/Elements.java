package dev.jtensor.backend;

import dev.jtensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scalar element access by dtype at a byte offset: the slow, general path used for printing, Java
 * array conversion, creation and reference loops. Fast kernels live in the backend. Little-endian,
 * unaligned-safe layouts, so any segment works (heap, native, mapped at odd offsets).
 */
public final class Elements {
    private Elements() {}

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    /** The element at {@code byteOffset} as a double (int64 values past 2^53 round). */
    public static double getDouble(MemorySegment s, DType t, long byteOffset) {
        return switch (t) {
            case FLOAT32 -> s.get(F32, byteOffset);
            case FLOAT64 -> s.get(F64, byteOffset);
            case FLOAT16 -> Float.float16ToFloat(s.get(I16, byteOffset));
            case BFLOAT16 -> Float.intBitsToFloat((s.get(I16, byteOffset) & 0xffff) << 16);
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, byteOffset);
            case UINT8 -> s.get(ValueLayout.JAVA_BYTE, byteOffset) & 0xff;
            case INT16 -> s.get(I16, byteOffset);
            case INT32 -> s.get(I32, byteOffset);
            case INT64 -> (double) s.get(I64, byteOffset);
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, byteOffset) != 0 ? 1 : 0;
        };
    }

    /** The element as a long: exact for integer types, truncated toward zero for floats (as a C cast). */
    public static long getLong(MemorySegment s, DType t, long byteOffset) {
        return switch (t) {
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, byteOffset);
            case UINT8 -> s.get(ValueLayout.JAVA_BYTE, byteOffset) & 0xff;
            case INT16 -> s.get(I16, byteOffset);
            case INT32 -> s.get(I32, byteOffset);
            case INT64 -> s.get(I64, byteOffset);
            case BOOL -> s.get(ValueLayout.JAVA_BYTE, byteOffset) != 0 ? 1 : 0;
            case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> (long) getDouble(s, t, byteOffset);
        };
    }

    /** Stores {@code v} converted to {@code t} (floats round to nearest even; ints wrap like a C cast; bool is v != 0). */
    public static void setDouble(MemorySegment s, DType t, long byteOffset, double v) {
        switch (t) {
            case FLOAT32 -> s.set(F32, byteOffset, (float) v);
            case FLOAT64 -> s.set(F64, byteOffset, v);
            case FLOAT16 -> s.set(I16, byteOffset, Float.floatToFloat16((float) v));
            case BFLOAT16 -> s.set(I16, byteOffset, toBFloat16((float) v));
            case INT8, UINT8 -> s.set(ValueLayout.JAVA_BYTE, byteOffset, (byte) (long) v);
            case INT16 -> s.set(I16, byteOffset, (short) (long) v);
            case INT32 -> s.set(I32, byteOffset, (int) (long) v);
            case INT64 -> s.set(I64, byteOffset, (long) v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, byteOffset, (byte) (v != 0 ? 1 : 0));
        }
    }

    /** Stores an integer value exactly where the type can hold it (int64 keeps all 64 bits). */
    public static void setLong(MemorySegment s, DType t, long byteOffset, long v) {
        switch (t) {
            case INT8, UINT8 -> s.set(ValueLayout.JAVA_BYTE, byteOffset, (byte) v);
            case INT16 -> s.set(I16, byteOffset, (short) v);
            case INT32 -> s.set(I32, byteOffset, (int) v);
            case INT64 -> s.set(I64, byteOffset, v);
            case BOOL -> s.set(ValueLayout.JAVA_BYTE, byteOffset, (byte) (v != 0 ? 1 : 0));
            case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> setDouble(s, t, byteOffset, (double) v);
        }
    }

    /** float -> bfloat16 bits with round-to-nearest-even, NaN kept quiet (as PyTorch's c10::BFloat16). */
    public static short toBFloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) 0x7fc0;
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** bfloat16 bits -> float. */
    public static float fromBFloat16(short bits) { return Float.intBitsToFloat((bits & 0xffff) << 16); }
}
