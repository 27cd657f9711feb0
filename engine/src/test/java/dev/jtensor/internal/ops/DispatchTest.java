package dev.jtensor.internal.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Jt;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.Tensors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The one door from op families to kernels: same-device check, writable output, pins released in one finally. */
class DispatchTest {
    /** A tensor whose storage is a (fake) allocation on cuda:0: nothing may dereference it. */
    private static Tensor onDevice(AtomicInteger frees) {
        Storage s = Storage.of(new Backend.Allocation(new Buffer.DeviceMemory(0x7f00_0000_0000L, 0, 4 * 1000),
                frees::incrementAndGet));
        return Tensors.make(s, DType.FLOAT32, Layout.contiguous(new long[] {1000}), Device.cuda(0), true);
    }

    @Test
    void operandsOnDifferentDevicesAreRefusedNamingBoth() {
        AtomicInteger frees = new AtomicInteger();
        Tensor gpu = onDevice(frees), cpu = Jt.ones(1000);
        // (copy_ is not among them: it copies across devices, as PyTorch's does)
        for (Runnable op : new Runnable[] {() -> cpu.add(gpu), () -> cpu.mul_(gpu), () -> Jt.where(cpu.gt(0.5), cpu, gpu)}) {
            var e = assertThrows(IllegalArgumentException.class, op::run);
            assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("cuda:0"), e.getMessage());
        }
        gpu.close();
        assertEquals(1, frees.get(), "no pin was left behind: closing frees at once");
    }

    /** Outputs are allocated on the operands' device, never silently on the CPU: here the CUDA backend is asked (and absent). */
    @Test
    void outputsFollowTheOperandsDevice() {
        // the fake device memory above must never reach a real (or emulated) device's kernels
        assumeFalse(Jt.cuda().isAvailable(), "a CUDA device is available: this test needs one that is absent");
        Tensor gpu = onDevice(new AtomicInteger());
        for (Runnable op : new Runnable[] {() -> gpu.add(gpu), () -> gpu.exp(), () -> gpu.sum(0, false), () -> gpu.softmax(0),
                () -> gpu.cumsum(0), () -> gpu.to(DType.FLOAT64), () -> gpu.indexSelect(0, Jt.tensor(new long[] {1}))}) {
            var e = assertThrows(IllegalStateException.class, op::run);
            assertTrue(e.getMessage().contains("CUDA is not available"), e.getMessage());
        }
    }

    @Test
    void aReadOnlyOutputIsRefusedAndNothingStaysPinned() throws Exception {
        var file = java.nio.file.Files.createTempFile("dispatch", ".npy");
        try {
            dev.jtensor.io.Npy.save(file, Jt.ones(1000));
            Tensor mapped = dev.jtensor.io.Npy.map(file), x = Jt.ones(1000);
            var e = assertThrows(IllegalStateException.class, () -> Jt.add(x, x, mapped));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> mapped.fill_(2));
            Storage sx = Tensors.storage(x);
            x.close();
            assertTrue(sx.isClosed());
            assertThrows(IllegalStateException.class, sx::acquire, "x's memory was freed: no reference was left by the refused op");
            mapped.close();
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
