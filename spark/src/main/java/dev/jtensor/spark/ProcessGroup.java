package dev.jtensor.spark;

import dev.jtensor.DType;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The collectives of data-parallel training among {@link #worldSize()} ranks, as
 * {@code torch.distributed}'s process group: every rank calls the same operations in the same order.
 * {@link RingProcessGroup} implements it over TCP between Spark barrier tasks; an NCCL group can
 * implement it for GPUs. Any failure (a lost peer, a timeout) throws, so that the Spark stage fails
 * and is retried whole; no operation blocks longer than the group's timeout.
 */
public interface ProcessGroup extends AutoCloseable {

    /** This process's rank, {@code 0 .. worldSize()-1}. */
    int rank();

    /** The number of ranks. */
    int worldSize();

    /**
     * Sums {@code byteSize/4} little-endian float32 values element-wise over all ranks, in place: on
     * return every rank's segment holds the same sums. The segment is read and written directly (no
     * copy), so it is where gradient buckets live.
     */
    void allReduceFloats(MemorySegment floats) throws IOException;

    /** Copies rank {@code root}'s bytes of {@code data} to every other rank's {@code data}, in place. */
    void broadcastBytes(MemorySegment data, int root) throws IOException;

    /** Returns once every rank has called it. */
    void barrier() throws IOException;

    /**
     * Sums a float32 tensor over all ranks in place ({@code dist.all_reduce(t, SUM)}). The public tensor
     * API gives no access to a tensor's memory, so this stages it through one off-heap segment: one copy
     * in and one out; {@link #allReduceFloats} on memory the caller owns avoids both.
     */
    default void allReduce(Tensor tensor) throws IOException {
        requireFloat32(tensor, "allReduce");
        try (Arena arena = Arena.ofConfined(); var _ = Jt.noGrad()) {
            MemorySegment staging = arena.allocate(Math.max(1, tensor.numel() * 4L), 64);
            Tensor view = Tensor.wrap(staging, DType.FLOAT32, tensor.shape().toArray());
            view.copy_(tensor);
            allReduceFloats(staging.asSlice(0, tensor.numel() * 4L));
            tensor.copy_(view);
        }
    }

    /** Copies rank {@code root}'s tensor to every rank's tensor in place ({@code dist.broadcast}). */
    default void broadcast(Tensor tensor, int root) throws IOException {
        requireFloat32(tensor, "broadcast");
        try (Arena arena = Arena.ofConfined(); var _ = Jt.noGrad()) {
            MemorySegment staging = arena.allocate(Math.max(1, tensor.numel() * 4L), 64);
            Tensor view = Tensor.wrap(staging, DType.FLOAT32, tensor.shape().toArray());
            view.copy_(tensor);
            broadcastBytes(staging.asSlice(0, tensor.numel() * 4L), root);
            tensor.copy_(view);
        }
    }

    /** Closes the connections; idempotent. */
    @Override
    void close();

    private static void requireFloat32(Tensor t, String op) {
        if (t.dtype() != DType.FLOAT32) throw new IllegalArgumentException(op + " supports FLOAT32 tensors, got " + t.dtype());
    }
}
