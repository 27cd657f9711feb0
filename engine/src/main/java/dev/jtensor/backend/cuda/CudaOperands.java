package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_set_device;

import dev.jtensor.backend.Buffer;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The operands of one launch: device pointers, with host operands uploaded to temporary blocks that
 * are freed (back to the allocator, stream-ordered) when the launch is done: the operand staging of
 * {@link CudaBackend} and {@link CudaIndexing}.
 */
final class CudaOperands implements AutoCloseable {
    /** Host operands up to this size may join a device op (scalars); larger ones mean mixed devices. */
    private static final long MAX_HOST_OPERAND = 1L << 16;

    private final CudaBackend backend;
    private List<long[]> temps;

    CudaOperands(CudaBackend backend) {
        this.backend = backend;
        // launches go to the calling thread's device
        if (backend.multiDevice()) CudaBackend.check("cudaSetDevice", jt_cuda_set_device(backend.device().index()));
    }

    MemorySegment ptr(Buffer b) {
        if (b == null) return MemorySegment.NULL;
        return MemorySegment.ofAddress(address(b));
    }

    long address(Buffer b) {
        return switch (b) {
            case Buffer.DeviceMemory d -> backend.own(d).address();
            case Buffer.HostMemory h -> {
                long n = h.byteSize();
                if (n > MAX_HOST_OPERAND) {
                    throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two "
                            + "devices, " + backend.device() + " and cpu! (a host operand of " + n + " bytes reached a CUDA kernel)");
                }
                long a = backend.allocator().allocate(n);
                if (temps == null) temps = new ArrayList<>(2);
                temps.add(new long[] {a, n});
                backend.transfers().upload(h.segment(), a);
                yield a;
            }
        };
    }

    /** Scratch device memory of {@code n} bytes, freed with the launch. */
    MemorySegment workspace(long n) {
        if (n == 0) return MemorySegment.NULL;
        long a = backend.allocator().allocate(n);
        if (temps == null) temps = new ArrayList<>(2);
        temps.add(new long[] {a, n});
        return MemorySegment.ofAddress(a);
    }

    @Override
    public void close() {
        if (temps != null) for (long[] t : temps) backend.allocator().free(t[0], t[1]);
    }
}
