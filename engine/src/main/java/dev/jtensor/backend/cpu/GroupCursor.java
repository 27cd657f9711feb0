package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.plan.ReducePlan;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads one reduction group in row-major order, a chunk at a time, into {@link #doubles} or
 * {@link #longs}. A chunk never crosses a run of the innermost reduced dim, so it is read by one
 * strided loop specialised by dtype (float32/float64/int64 directly, others through {@link Elements});
 * an odometer over the other reduced dims moves between runs. Restarted at each group's base; one
 * cursor per thread.
 */
final class GroupCursor {
    static final int CHUNK = 1024;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    final MemorySegment in;
    final DType type;
    final double[] doubles = new double[CHUNK];
    final long[] longs = new long[CHUNK];
    private final long[] shape, strides, idx;
    private final long runLength, runStride;
    private long total;
    private final long groupCount;
    private final int elementBytes;
    /** Elements read so far; offset of the current run's start; position within the run. */
    private long done, runStart, inRun;

    GroupCursor(MemorySegment in, DType type, ReducePlan plan) {
        this.in = in;
        this.type = type;
        int r = plan.innerShape.length;
        this.shape = r == 0 ? new long[0] : java.util.Arrays.copyOf(plan.innerShape, r - 1);
        this.strides = r == 0 ? new long[0] : java.util.Arrays.copyOf(plan.innerStrides, r - 1);
        this.runLength = r == 0 ? 1 : plan.innerShape[r - 1];
        this.runStride = r == 0 ? 0 : plan.innerStrides[r - 1];
        this.idx = new long[shape.length];
        this.total = plan.innerCount;
        this.groupCount = plan.innerCount;
        this.elementBytes = type.byteSize();
    }

    /** Starts the group whose first element is at element index {@code base}. */
    void reset(long base) {
        java.util.Arrays.fill(idx, 0);
        done = 0;
        inRun = 0;
        runStart = base;
        total = groupCount;
    }

    /** Reads only elements {@code [from, to)} (row-major positions) of the group at {@code base}. */
    void reset(long base, long from, long to) {
        reset(base);
        long run = from / Math.max(runLength, 1);
        inRun = from - run * runLength;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = run % shape[d];
            run /= shape[d];
            runStart += idx[d] * strides[d];
        }
        done = from;
        total = to;
    }

    /** Fills {@link #doubles} with the next elements; returns how many (0 at the end). */
    int nextDoubles() {
        int n = nextCount();
        if (n == 0) return 0;
        long b = (runStart + inRun * runStride) * elementBytes, step = runStride * elementBytes;
        switch (type) {
            case FLOAT32 -> { for (int i = 0; i < n; i++) doubles[i] = in.get(F32, b + i * step); }
            case FLOAT64 -> { for (int i = 0; i < n; i++) doubles[i] = in.get(F64, b + i * step); }
            case FLOAT16, BFLOAT16, INT8, UINT8, INT16, INT32, INT64, BOOL -> {
                for (int i = 0; i < n; i++) doubles[i] = Elements.getDouble(in, type, b + i * step);
            }
        }
        advance(n);
        return n;
    }

    /** Fills {@link #longs} with the next elements (exact for integer types); returns how many. */
    int nextLongs() {
        int n = nextCount();
        if (n == 0) return 0;
        long b = (runStart + inRun * runStride) * elementBytes, step = runStride * elementBytes;
        if (type == DType.INT64) {
            for (int i = 0; i < n; i++) longs[i] = in.get(I64, b + i * step);
        } else {
            for (int i = 0; i < n; i++) longs[i] = Elements.getLong(in, type, b + i * step);
        }
        advance(n);
        return n;
    }

    /** Elements of the next chunk: up to CHUNK, within the current run. */
    private int nextCount() {
        if (done >= total) return 0;
        return (int) Math.min(Math.min(CHUNK, runLength - inRun), total - done);
    }

    private void advance(int n) {
        done += n;
        inRun += n;
        if (inRun < runLength) return;
        inRun = 0;
        for (int d = shape.length - 1; d >= 0; d--) { // next run: odometer over the outer reduced dims
            if (++idx[d] < shape[d]) { runStart += strides[d]; return; }
            runStart -= strides[d] * (shape[d] - 1);
            idx[d] = 0;
        }
    }
}
