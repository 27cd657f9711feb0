package dev.jtensor.spark;

/** Rethrows Spark's checked {@code SparkException} as Spark's own Java API does: undeclared, unchanged. */
final class Sneaky {
    private Sneaky() {}

    /** Throws {@code t}; declared to return so that callers can write {@code throw Sneaky.rethrow(t)}. */
    static RuntimeException rethrow(Throwable t) { return Sneaky.<RuntimeException>doThrow(t); }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E doThrow(Throwable t) throws E { throw (E) t; }
}
