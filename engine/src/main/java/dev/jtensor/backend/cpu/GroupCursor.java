package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.internal.Elements;
import dev.jtensor.internal.layout.ReducePlan;
import java.lang.foreign.MemorySegment;

/**
 * Reads one reduction group in row-major order, a chunk at a time, into {@link #doubles} or
 * {@link #longs}: an odometer over the plan's inner dims, restarted at each group's base. One cursor
 * per thread.
 */
final class GroupCursor {
    static final int CHUNK = 1024;
    final MemorySegment in;
    final DType type;
    final double[] doubles = new double[CHUNK];
    final long[] longs = new long[CHUNK];
    private final long[] shape, strides, idx;
    private final long total;
    private final long elementBytes;
    private long done, offset;

    GroupCursor(MemorySegment in, DType type, ReducePlan plan) {
        this.in = in;
        this.type = type;
        this.shape = plan.innerShape;
        this.strides = plan.innerStrides;
        this.idx = new long[shape.length];
        this.total = plan.innerCount;
        this.elementBytes = type.byteSize();
    }

    /** Starts the group whose first element is at element index {@code base}. */
    void reset(long base) {
        java.util.Arrays.fill(idx, 0);
        done = 0;
        offset = base;
    }

    /** Fills {@link #doubles} with the next elements; returns how many (0 at the end). */
    int nextDoubles() {
        int n = (int) Math.min(CHUNK, total - done);
        for (int i = 0; i < n; i++) {
            doubles[i] = Elements.getDouble(in, type, offset * elementBytes);
            step();
        }
        done += n;
        return n;
    }

    /** Fills {@link #longs} with the next elements (exact for integer types); returns how many. */
    int nextLongs() {
        int n = (int) Math.min(CHUNK, total - done);
        for (int i = 0; i < n; i++) {
            longs[i] = Elements.getLong(in, type, offset * elementBytes);
            step();
        }
        done += n;
        return n;
    }

    private void step() {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) { offset += strides[d]; return; }
            offset -= strides[d] * (shape[d] - 1);
            idx[d] = 0;
        }
    }
}
