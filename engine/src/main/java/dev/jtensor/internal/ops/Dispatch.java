package dev.jtensor.internal.ops;

import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.Storage;
import dev.jtensor.internal.Tensors;

/**
 * The one door from the op families to the kernels (DESIGN section 4, issue 9): checks that the operands
 * share a device (a clear error naming both otherwise), finds that device's {@link Backend}, checks that
 * the output may be written, pins every operand's memory for the kernel's duration and releases it in one
 * {@code finally}. Kernels get {@link Buffer}s, never tensors. Heap-backed host memory (small tensors) is
 * not reference-counted: the GC cannot free an array under a running kernel, and tiny ops stay cheap.
 */
final class Dispatch {
    private Dispatch() {}

    /** {@code t} as a verb's operand: {@code buffer} (its storage, pinned), its dtype and its layout. */
    static Operand operand(Buffer buffer, Tensor t) { return new Operand(buffer, t.dtype(), Tensors.layout(t)); }

    @FunctionalInterface
    interface Kernel1 { void run(Backend backend, Buffer out); }

    @FunctionalInterface
    interface Kernel2 { void run(Backend backend, Buffer out, Buffer x); }

    @FunctionalInterface
    interface Kernel3 { void run(Backend backend, Buffer out, Buffer a, Buffer b); }

    @FunctionalInterface
    interface Kernel4 { void run(Backend backend, Buffer out, Buffer a, Buffer b, Buffer c); }

    /** Writes {@code out} in place (fill). */
    static void run(String op, Tensor out, Kernel1 kernel) {
        Backend backend = Backend.of(out.device());
        Storage so = writable(out);
        Buffer bo = pin(so);
        try {
            kernel.run(backend, bo);
        } finally {
            unpin(so);
        }
    }

    /** Reads {@code x}, writes {@code out}. */
    static void run(String op, Tensor out, Tensor x, Kernel2 kernel) {
        Backend backend = backendOf(op, out.device(), x);
        Storage so = writable(out), sx = Tensors.storage(x);
        Buffer bo = pin(so);
        try {
            Buffer bx = pin(sx);
            try {
                kernel.run(backend, bo, bx);
            } finally {
                unpin(sx);
            }
        } finally {
            unpin(so);
        }
    }

    /** Reads {@code a} and {@code b}, writes {@code out}. */
    static void run(String op, Tensor out, Tensor a, Tensor b, Kernel3 kernel) {
        Backend backend = backendOf(op, out.device(), a, b);
        Storage so = writable(out), sa = Tensors.storage(a), sb = Tensors.storage(b);
        Buffer bo = pin(so);
        try {
            Buffer ba = pin(sa);
            try {
                Buffer bb = pin(sb);
                try {
                    kernel.run(backend, bo, ba, bb);
                } finally {
                    unpin(sb);
                }
            } finally {
                unpin(sa);
            }
        } finally {
            unpin(so);
        }
    }

    /** Reads {@code a}, {@code b} and {@code c}, writes {@code out}. */
    static void run(String op, Tensor out, Tensor a, Tensor b, Tensor c, Kernel4 kernel) {
        backendOf(op, out.device(), a, b, c); // all four on one device
        Storage sc = Tensors.storage(c);
        Buffer bc = pin(sc);
        try {
            run(op, out, a, b, (backend, bo, ba, bb) -> kernel.run(backend, bo, ba, bb, bc));
        } finally {
            unpin(sc);
        }
    }

    /**
     * Copies between devices: pins {@code src} and {@code dst} (on any devices) for {@code copy}, with no
     * same-device check; {@code dst} must be writable.
     */
    static void transfer(Tensor src, Tensor dst, Kernel2Buffers copy) {
        Storage sd = writable(dst), ss = Tensors.storage(src);
        Buffer bd = pin(sd);
        try {
            Buffer bs = pin(ss);
            try {
                copy.run(bs, bd);
            } finally {
                unpin(ss);
            }
        } finally {
            unpin(sd);
        }
    }

    @FunctionalInterface
    interface Kernel2Buffers { void run(Buffer src, Buffer dst); }

    @FunctionalInterface
    interface KernelN { void run(Backend backend, Buffer[] written, Buffer[] read); }

    /** Writes every tensor of {@code written} and reads every one of {@code read}, all pinned for the kernel. */
    static void run(String op, Tensor[] written, Tensor[] read, KernelN kernel) {
        Tensor[] all = new Tensor[written.length + read.length];
        System.arraycopy(written, 0, all, 0, written.length);
        System.arraycopy(read, 0, all, written.length, read.length);
        Device d = all[0].device();
        for (int i = 1; i < all.length; i++) same(op, d, all[i]);
        Backend backend = Backend.of(d);
        Storage[] storages = new Storage[all.length];
        for (int i = 0; i < all.length; i++) storages[i] = i < written.length ? writable(all[i]) : Tensors.storage(all[i]);
        Buffer[] w = new Buffer[written.length], r = new Buffer[read.length];
        int pinned = 0;
        try {
            for (; pinned < all.length; pinned++) {
                Buffer b = pin(storages[pinned]);
                if (pinned < written.length) w[pinned] = b;
                else r[pinned - written.length] = b;
            }
            kernel.run(backend, w, r);
        } finally {
            RuntimeException bad = null;
            for (int i = 0; i < pinned; i++) {
                try {
                    unpin(storages[i]);
                } catch (RuntimeException e) { // a mapped file that shrank underneath: release the rest, then throw
                    if (bad == null) bad = e;
                }
            }
            if (bad != null) throw bad;
        }
    }

    /**
     * The backend of the device every operand is on.
     *
     * @throws IllegalArgumentException naming the op and both devices when operands are on different devices
     */
    static Backend backendOf(String op, Device d, Tensor a) {
        same(op, d, a);
        return Backend.of(d);
    }

    static Backend backendOf(String op, Device d, Tensor a, Tensor b) {
        same(op, d, a);
        same(op, d, b);
        return Backend.of(d);
    }

    static Backend backendOf(String op, Device d, Tensor a, Tensor b, Tensor c) {
        same(op, d, a);
        same(op, d, b);
        same(op, d, c);
        return Backend.of(d);
    }

    /**
     * The device an op on {@code operands} runs on (PyTorch's rule): the first operand's that is not a 0-d CPU
     * tensor, since 0-d CPU tensors (Java scalars wrapped as tensors among them) take part in ops on any
     * device; the CPU when all are.
     */
    static Device deviceOf(Tensor... operands) {
        for (Tensor t : operands) if (t != null && !(t.device().isCpu() && t.dim() == 0)) return t.device();
        return Device.CPU;
    }

    private static void same(String op, Device d, Tensor t) {
        Device o = t.device();
        if (o != d && !o.equals(d) && !(o.isCpu() && t.dim() == 0)) { // a 0-d CPU operand reads as a scalar (PyTorch)
            throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, " + d
                    + " and " + o + "! (when checking the arguments of " + op + ")");
        }
    }

    private static Storage writable(Tensor out) {
        Storage s = Tensors.storage(out);
        s.checkWritable();
        return s;
    }

    /** Native and device memory get a reference; heap memory (GC-owned) only a liveness check. */
    private static Buffer pin(Storage s) {
        if (s.isCounted()) return s.pin();
        s.checkLive();
        return s.buffer();
    }

    private static void unpin(Storage s) {
        if (s.isCounted()) s.release();
    }
}
