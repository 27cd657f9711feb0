package dev.jtensor.backend.cuda;

import dev.jtensor.Device;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.cpu.CpuBackend;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CUDA device emulated in host memory, for testing the device plumbing on machines without a GPU
 * ({@code -Djtensor.cuda.emulate=true}, PyTorch's fake/meta devices serve the same purpose). Tensors on it
 * are {@code cuda:N} tensors whose storage is {@link Buffer.DeviceMemory}: every host read that forgets
 * to copy to the CPU first fails exactly as on a real GPU, every op must keep its operands on one device,
 * and transfers go through {@link #transfer}. The arithmetic is the CPU backend's (every verb is inherited:
 * the CPU's kernels run on the host memory behind this device's buffers, see {@link #deviceMemory}), so
 * results equal the CPU's bit for bit: what this checks is where memory lives, not the CUDA kernels (the GPU
 * check does).
 */
public final class EmulatedCudaBackend extends CpuBackend {
    private final Device device;
    private final AtomicLong allocated = new AtomicLong();
    /** Live blocks, base address to size: a device address this backend did not hand out is refused, never read. */
    private final ConcurrentSkipListMap<Long, Long> blocks = new ConcurrentSkipListMap<>();

    EmulatedCudaBackend(int index) { this.device = Device.cuda(index); }

    @Override
    public Device device() { return device; }

    /** Bytes held by live allocations. */
    long memoryAllocated() { return allocated.get(); }

    @Override
    public Allocation allocate(long byteSize, boolean zero) {
        if (byteSize < 0) throw new IllegalArgumentException("negative storage size: " + byteSize + " bytes");
        Arena arena = Arena.ofShared();
        MemorySegment block = arena.allocate(Math.max(byteSize, 1), 256); // zero-filled by allocate
        if (!zero) block.fill((byte) 0x7f); // unspecified contents look like garbage, as cudaMalloc's do
        allocated.addAndGet(byteSize);
        blocks.put(block.address(), byteSize);
        return new Allocation(new Buffer.DeviceMemory(block.address(), device.index(), byteSize), () -> {
            blocks.remove(block.address());
            allocated.addAndGet(-byteSize);
            arena.close();
        });
    }

    /**
     * The host memory behind an emulated device buffer.
     *
     * @throws IllegalArgumentException for memory of another device, or an address range no live block of this one holds
     */
    @Override
    protected MemorySegment deviceMemory(Buffer.DeviceMemory d) {
        if (d.deviceIndex() != device.index()) {
            throw new IllegalArgumentException("the backend of " + device + " was handed memory on cuda:" + d.deviceIndex());
        }
        var block = blocks.floorEntry(d.address());
        if (block == null || d.address() + d.byteSize() > block.getKey() + block.getValue()) {
            throw new IllegalArgumentException("the emulated " + device + " was handed " + d.byteSize() + " bytes at 0x"
                    + Long.toHexString(d.address()) + ", which no live block of it holds");
        }
        return MemorySegment.ofAddress(d.address()).reinterpret(d.byteSize());
    }
}
