package dev.jtensor.backend;

/**
 * How {@link Backend#scatterReduce} combines the values scattered to one position with what is there:
 * PyTorch's {@code scatter_reduce} reductions ({@code "sum" "prod" "mean" "amax" "amin"}).
 */
public enum ScatterReduce {
    SUM, PROD, MEAN, AMAX, AMIN;

    /** The PyTorch name ({@code "sum"}, ...). */
    public String pytorchName() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The constant named by PyTorch's string ({@code "sum"}, ...). */
    public static ScatterReduce of(String reduce) {
        for (ScatterReduce r : values()) if (r.pytorchName().equals(reduce)) return r;
        throw new IllegalArgumentException("reduce argument must be either sum, prod, mean, amax or amin, got " + reduce);
    }
}
