package dev.jtensor.backend;

import java.lang.foreign.MemorySegment;

/**
 * Where a storage's bytes are (DESIGN section 4): host memory, reachable as a {@link MemorySegment}
 * (Java heap, native, or a mapped file), or memory on an accelerator, known by its address and device
 * index and reachable only through that device's backend. Ops never look inside: they hand buffers to
 * their device's {@link Backend}.
 */
public sealed interface Buffer permits Buffer.HostMemory, Buffer.DeviceMemory {
    /** The size in bytes. */
    long byteSize();

    /** The {@code byteSize} bytes from {@code byteOffset}: a view of the same memory. */
    Buffer slice(long byteOffset, long byteSize);

    /** Host memory: the segment spans exactly the buffer. */
    record HostMemory(MemorySegment segment) implements Buffer {
        @Override
        public long byteSize() { return segment.byteSize(); }

        @Override
        public Buffer slice(long byteOffset, long byteSize) { return new HostMemory(segment.asSlice(byteOffset, byteSize)); }
    }

    /**
     * Memory on accelerator {@code deviceIndex} at {@code address} (a device pointer, never dereferenced
     * on the host).
     */
    record DeviceMemory(long address, int deviceIndex, long byteSize) implements Buffer {
        public DeviceMemory {
            if (deviceIndex < 0) throw new IllegalArgumentException("device index must be >= 0: " + deviceIndex);
            if (byteSize < 0) throw new IllegalArgumentException("negative buffer size: " + byteSize + " bytes");
        }

        @Override
        public Buffer slice(long byteOffset, long size) {
            if (byteOffset < 0 || size < 0 || byteOffset + size > byteSize) {
                throw new IndexOutOfBoundsException("slice of " + size + " bytes at " + byteOffset + " outside a device buffer of "
                        + byteSize + " bytes");
            }
            return new DeviceMemory(address + byteOffset, deviceIndex, size);
        }
    }
}
