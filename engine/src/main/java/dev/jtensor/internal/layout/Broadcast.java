package dev.jtensor.internal.layout;

import java.util.Arrays;

/** NumPy's broadcasting rule for shapes (PyTorch's {@code infer_size}). */
public final class Broadcast {
    private Broadcast() {}

    /**
     * The broadcast shape of {@code a} and {@code b}: aligned at the trailing dim, each pair of sizes equal
     * or one of them 1.
     *
     * @throws IllegalArgumentException naming the op, both shapes and the first dim that does not broadcast
     */
    public static long[] shapes(String op, long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            long db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " are not broadcastable (size " + da + " vs " + db + " at dim " + i + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }
}
