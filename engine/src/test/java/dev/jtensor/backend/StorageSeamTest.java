package dev.jtensor.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.backend.cpu.CpuBackend;
import dev.jtensor.internal.Tensors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The first stage of the backend seam: device-neutral storage, allocation through the device's backend. */
class StorageSeamTest {
    @Test
    void cpuAllocationsAreHostBuffersOnTheHeapOrNative() {
        long before = Storage.allocationCount();
        Storage small = Storage.allocate(Backend.cpu(), CpuBackend.HEAP_MAX_BYTES, true);
        Storage large = Storage.allocate(Backend.cpu(), CpuBackend.HEAP_MAX_BYTES + 1, true);
        assertEquals(2, Storage.allocationCount() - before);
        assertFalse(small.isNative());
        assertTrue(large.isNative());
        for (Storage s : new Storage[] {small, large}) {
            Buffer.HostMemory h = assertInstanceOf(Buffer.HostMemory.class, s.buffer());
            assertEquals(s.byteSize(), h.byteSize());
            for (long i = 0; i < s.byteSize(); i++) assertEquals(0, s.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
            s.close();
        }
        assertThrows(IllegalArgumentException.class, () -> Storage.allocate(Backend.cpu(), -1, true));
    }

    /** A device allocation fits Storage unchanged: lifetime works, host access is refused with the device named. */
    @Test
    void storageTakesADeviceAllocation() {
        AtomicInteger frees = new AtomicInteger();
        Storage s = Storage.of(new Backend.Allocation(new Buffer.DeviceMemory(0x7f00_0000_0000L, 1, 4096), frees::incrementAndGet));
        assertEquals(4096, s.byteSize());
        assertFalse(s.isNative());
        var e = assertThrows(IllegalStateException.class, s::segment);
        assertTrue(e.getMessage().contains("cuda:1") && e.getMessage().contains("cpu()"), e.getMessage());
        assertThrows(IllegalStateException.class, s::acquire);
        assertEquals(0, frees.get(), "a refused acquire leaves no reference behind");
        s.close();
        s.close();
        assertEquals(1, frees.get(), "freed once");
        assertThrows(IllegalArgumentException.class, () -> new Buffer.DeviceMemory(0, -1, 8));
    }

    @Test
    void devicesWithoutABackendAreNamed() {
        assertSame(CpuBackend.INSTANCE, Backend.of(Device.CPU));
        assertEquals(Device.CPU, Backend.cpu().device());
        if (!Jt.cuda().isAvailable()) { // where CUDA can be used, dev.jtensor.cuda's suites take over
            var e = assertThrows(IllegalStateException.class, () -> Backend.of(Device.cuda(0)));
            assertTrue(e.getMessage().startsWith("CUDA is not available: "), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Tensors.fresh(DType.FLOAT32, new long[] {2}, Device.cuda(0), true));
            var t = assertThrows(IllegalStateException.class, () -> Jt.ones(2).cuda());
            assertTrue(t.getMessage().contains(Jt.cuda().unavailableReason()), t.getMessage());
        }
        assertEquals(Device.CPU, Tensors.fresh(DType.FLOAT32, new long[] {3}, Device.CPU, false).device());
    }
}
