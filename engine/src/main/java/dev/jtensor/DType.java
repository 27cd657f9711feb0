package dev.jtensor;

/**
 * Element types, named and behaving as PyTorch's {@code torch.dtype}s.
 *
 * <p>{@link #FLOAT32} is the default floating type: Java {@code double}/{@code float} values make it
 * unless a dtype is given; {@code int}/{@code long} values make {@link #INT64}; {@code boolean} makes
 * {@link #BOOL}. Mixed operands promote as {@code torch.result_type} does (see {@code Promotion}).
 */
public enum DType {
    FLOAT32(4, Kind.FLOAT, "float32"),
    FLOAT64(8, Kind.FLOAT, "float64"),
    FLOAT16(2, Kind.FLOAT, "float16"),
    BFLOAT16(2, Kind.FLOAT, "bfloat16"),
    INT8(1, Kind.SIGNED, "int8"),
    UINT8(1, Kind.UNSIGNED, "uint8"),
    INT16(2, Kind.SIGNED, "int16"),
    INT32(4, Kind.SIGNED, "int32"),
    INT64(8, Kind.SIGNED, "int64"),
    BOOL(1, Kind.BOOL, "bool");

    /** The category of a dtype, in promotion order: bool &lt; integer &lt; floating. */
    public enum Kind { BOOL, UNSIGNED, SIGNED, FLOAT }

    private final int byteSize;
    private final Kind kind;
    private final String shortName;

    DType(int byteSize, Kind kind, String shortName) {
        this.byteSize = byteSize;
        this.kind = kind;
        this.shortName = shortName;
    }

    /** Bytes per element. */
    public int byteSize() { return byteSize; }

    public Kind kind() { return kind; }

    /** True for FLOAT32, FLOAT64, FLOAT16 and BFLOAT16 ({@code torch.is_floating_point}). */
    public boolean isFloatingPoint() { return kind == Kind.FLOAT; }

    /** True for the integer types, BOOL excluded. */
    public boolean isIntegral() { return kind == Kind.SIGNED || kind == Kind.UNSIGNED; }

    /** PyTorch's short name, e.g. {@code float32}. */
    public String shortName() { return shortName; }

    /** The default floating type (PyTorch's {@code torch.get_default_dtype()}). */
    public static DType defaultFloat() { return FLOAT32; }

    /** Prints as PyTorch does: {@code torch.float32}. */
    @Override
    public String toString() { return "torch." + shortName; }
}
