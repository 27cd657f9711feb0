package dev.jtensor.internal;

import dev.jtensor.DType;
import dev.jtensor.Device;
import dev.jtensor.Tensor;
import dev.jtensor.autograd.GradMode;
import dev.jtensor.backend.Backend;
import dev.jtensor.backend.Buffer;
import dev.jtensor.backend.Elements;
import dev.jtensor.backend.Operand;
import dev.jtensor.backend.Storage;
import dev.jtensor.backend.cpu.Parallel;
import dev.jtensor.backend.plan.Layout;
import dev.jtensor.internal.ops.Movement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Array;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one door through which host bytes enter and leave tensors (DESIGN section 4, STYLE G16; tinygrad's
 * {@code copyin}/{@code copyout}): tensors made from Java data, files read and written, printing, {@code item()}
 * and the {@code toXxxArray()} copies all go through here, and nothing else above the backend seam touches a
 * storage's raw memory (an {@code ArchitectureTest} rule).
 *
 * <ul>
 *   <li>{@link #write}: a fresh tensor whose bytes a {@link Writer} fills in host memory. On the CPU the writer
 *       fills the tensor's own memory (no copy); for a device, a host block that then goes up in one transfer.</li>
 *   <li>{@link #read}: a {@link Reader} sees a tensor's elements in host memory for the duration of the call.
 *       A CPU tensor is read where it is, through its layout (strided views included, no copy); a device tensor
 *       comes down in one transfer (a strided one is made contiguous on its device first).</li>
 *   <li>{@link #wrap}/{@link #wrapMapped}: zero-copy. Memory owned elsewhere (a caller's segment, a
 *       {@code ByteBuffer}, a file mapping of {@code Npy.map}, safetensors or a torch archive) becomes a storage
 *       as it is: these hand out the mapped segment wrapped as storage, never a copy.</li>
 * </ul>
 * Bytes are little-endian in the dtype's element layout; element access is unaligned-safe (a mapped file may
 * put an array at any offset).
 */
public final class HostData {
    private HostData() {}

    /** Host-device copies this door made (tests check that a read or write of a device tensor makes one). */
    private static final LongAdder TRANSFERS = new LongAdder();

    /** Fills the bytes of a tensor being made: every byte of {@link Bytes#memory()} must be written. */
    @FunctionalInterface
    public interface Writer<X extends Exception> {
        void write(Bytes dst) throws X;
    }

    /** Reads a tensor's bytes; they are valid only during the call (do not keep {@link Bytes#memory()}). */
    @FunctionalInterface
    public interface Reader<R, X extends Exception> {
        R read(Bytes src) throws X;
    }

    /**
     * A fresh tensor of {@code dtype} and {@code shape} (contiguous) on {@code device}, its bytes written by
     * {@code writer} in host memory (row-major, element {@code i} at byte {@code i * itemsize}).
     *
     * @throws X what the writer throws; the tensor is released first
     */
    public static <X extends Exception> Tensor write(DType dtype, long[] shape, Device device, Writer<X> writer) throws X {
        return write(dtype, Layout.contiguous(shape.clone()), device, writer);
    }

    /**
     * {@link #write(DType, long[], Device, Writer)} with a gap-free {@code layout} of offset 0 (C order, or the
     * column-major strides of a Fortran-order {@code .npy}): the writer fills the bytes in memory order and the
     * tensor views them through the layout. On a device the bytes go up as written, in one transfer.
     *
     * @throws IllegalArgumentException for a layout with gaps or an offset
     */
    public static <X extends Exception> Tensor write(DType dtype, Layout layout, Device device, Writer<X> writer) throws X {
        if (layout.offset() != 0 || !(layout.isContiguous() || layout.isFortranContiguous())) {
            throw new IllegalArgumentException("HostData.write: expected a gap-free layout of offset 0, got " + layout);
        }
        if (!device.isCpu()) Backend.of(device); // an unusable device fails, naming what is missing, before any work
        Tensor host = fresh(dtype, layout, Device.CPU);
        Storage s = Tensors.storage(host);
        try {
            MemorySegment m = s.acquire();
            try {
                writer.write(new Bytes(m, dtype, layout));
            } finally {
                s.release();
            }
        } catch (Throwable e) {
            host.close();
            throw e;
        }
        if (device.isCpu()) return host;
        try {
            Tensor t = fresh(dtype, layout, device);
            transfer(host, 0, t, layout.numel()); // the whole block, whatever the layout's order
            return t;
        } finally {
            host.close();
        }
    }

    /**
     * Calls {@code reader} with {@code t}'s elements in host memory and returns what it returns. A CPU tensor is
     * read in place through its own layout, its storage held (a concurrent {@code close()} waits); a device
     * tensor is copied down once, contiguous, and that copy is released afterwards.
     *
     * @throws IllegalStateException if {@code t} was closed or released
     */
    public static <R, X extends Exception> R read(Tensor t, Reader<R, X> reader) throws X {
        Tensors.checkOpen(t);
        if (!t.device().isCpu()) {
            try (Tensor h = download(t)) {
                return read(h, reader);
            }
        }
        Storage s = Tensors.storage(t);
        MemorySegment m = s.acquire();
        try {
            return reader.read(new Bytes(m, t.dtype(), Tensors.layout(t)));
        } finally {
            s.release();
        }
    }

    /**
     * {@code t} itself when it is in host memory, else a contiguous host copy made by one transfer (no autograd):
     * for readers that keep a host tensor (a torch archive groups its tensors by storage).
     */
    public static Tensor onHost(Tensor t) {
        Tensors.checkOpen(t);
        return t.device().isCpu() ? t : download(t);
    }

    /**
     * A storage over memory owned elsewhere, without copying: a caller's segment, a {@code ByteBuffer}, or a
     * slice of a file mapping. {@code onRelease} (may be null) runs once, on close or when unreachable;
     * {@code origin} names the memory in error messages (the mapped file).
     */
    public static Storage wrap(MemorySegment memory, boolean readOnly, String origin, Runnable onRelease) {
        return Storage.wrap(memory, readOnly, origin, onRelease);
    }

    /**
     * {@link #wrap} for a file mapping whose file may shrink underneath: {@code intactCheck} throws
     * {@link IllegalStateException} once it has (see {@link Storage#wrapMapped}).
     */
    public static Storage wrapMapped(MemorySegment memory, boolean readOnly, String origin, Runnable onRelease, Runnable intactCheck) {
        return Storage.wrapMapped(memory, readOnly, origin, onRelease, intactCheck);
    }

    /** A 0-d host tensor of {@code type} holding {@code v} (an op's Java scalar operand), in a heap word: no storage allocation is counted. */
    public static Tensor scalar(double v, DType type) {
        MemorySegment word = MemorySegment.ofArray(new long[1]);
        Elements.setDouble(word, type, 0, v);
        return Tensors.make(Storage.wrap(word, false, null, null), type, Layout.contiguous(new long[0]), Device.CPU, true);
    }

    /** A 0-d host tensor of {@code type} holding the integer {@code v} exactly. */
    public static Tensor scalar(long v, DType type) {
        MemorySegment word = MemorySegment.ofArray(new long[1]);
        Elements.setLong(word, type, 0, v);
        return Tensors.make(Storage.wrap(word, false, null, null), type, Layout.contiguous(new long[0]), Device.CPU, true);
    }

    /**
     * The address of a host storage's memory, for {@code dataPtr()}: native memory's real address, or for heap
     * memory its offset in the Java array (the GC may move the array).
     */
    public static long address(Storage s) { return s.segment().address(); }

    /** How many host-device transfers this door has made, in this JVM. */
    public static long transfers() { return TRANSFERS.sum(); }

    private static Tensor fresh(DType dtype, Layout layout, Device device) {
        Backend backend = Backend.of(device); // throws, naming what is missing, for an unusable device
        Storage s = Storage.allocate(backend, Tensors.byteSizeOf(dtype, layout.shape()), false);
        Scopes.register(s);
        return Tensors.make(s, dtype, layout, backend.device(), true);
    }

    /** A contiguous host copy of device tensor {@code t}: one transfer (after a copy on the device for a strided t). */
    private static Tensor download(Tensor t) {
        Tensor src = t;
        if (!t.isContiguous()) {
            try (var ignored = GradMode.set(false)) {
                src = Movement.contiguous(t);
            }
        }
        try {
            Layout l = Tensors.layout(src);
            Tensor host = fresh(t.dtype(), Layout.contiguous(l.shape().clone()), Device.CPU);
            transfer(src, l.offset(), host, l.numel());
            return host;
        } finally {
            if (src != t) src.close();
        }
    }

    /**
     * Copies {@code count} elements from {@code src}'s storage at element {@code srcOffset} to the start of {@code dst}'s
     * (of one dtype), one of them on a device (none when empty).
     */
    private static void transfer(Tensor src, long srcOffset, Tensor dst, long count) {
        if (count == 0) return;
        Device device = src.device().isCpu() ? dst.device() : src.device();
        Backend backend = Backend.of(device); // the device side's backend moves the bytes (the CPU's knows no device memory)
        Storage ss = Tensors.storage(src), sd = Tensors.storage(dst);
        Buffer bs = ss.pin();
        try {
            Buffer bd = sd.pin();
            try {
                backend.transfer(new Operand(bd, dst.dtype(), Layout.flat(count, 0, 1)), new Operand(bs, src.dtype(), Layout.flat(count, srcOffset, 1)));
                TRANSFERS.increment();
            } finally {
                sd.release();
            }
        } finally {
            ss.release();
        }
    }

    /**
     * A tensor's bytes in host memory: {@code memory} is the whole block the {@code layout} indexes (offsets and
     * strides in elements), for a CPU tensor its whole storage. Element accessors convert as a C cast does
     * (see {@link Elements}).
     */
    public record Bytes(MemorySegment memory, DType dtype, Layout layout) {
        /** Elements per thread of a bulk copy below which one thread copies (a hand-off costs microseconds). */
        private static final long COPY_GRAIN = 1 << 19;

        /** The element at element offset {@code at} as a double (int64 past 2^53 rounds). */
        public double getDouble(long at) { return Elements.getDouble(memory, dtype, at * dtype.byteSize()); }

        /** The element at {@code at} as a long: exact for integer types, truncated toward zero for floats. */
        public long getLong(long at) { return Elements.getLong(memory, dtype, at * dtype.byteSize()); }

        /** Stores {@code v} converted to the dtype at element offset {@code at}. */
        public void setDouble(long at, double v) { Elements.setDouble(memory, dtype, at * dtype.byteSize(), v); }

        /** Stores the integer {@code v} at {@code at}, exactly where the dtype can hold it. */
        public void setLong(long at, long v) { Elements.setLong(memory, dtype, at * dtype.byteSize(), v); }

        /** The first element of the layout (a one-element tensor's value) as a double. */
        public double item() { return getDouble(layout.offset()); }

        /** The first element of the layout as an exact long. */
        public long itemLong() { return getLong(layout.offset()); }

        /** Sets every byte of the block to zero. */
        public void zero() { memory.fill((byte) 0); }

        /**
         * The layout's element bytes in memory order, for a layout without gaps (C or Fortran order): what a
         * file holds for the tensor.
         *
         * @throws IllegalStateException for a layout with gaps
         */
        public MemorySegment elements() {
            if (!layout.isContiguous() && !layout.isFortranContiguous()) {
                throw new IllegalStateException("elements(): layout " + layout + " has gaps; make the tensor contiguous first");
            }
            long es = dtype.byteSize();
            return memory.asSlice(layout.offset() * es, layout.numel() * es);
        }

        /**
         * Copies the Java primitive array {@code row} (double[], float[], long[], int[], short[], byte[] or
         * boolean[]) to elements {@code at, at + row.length)}, converted to the dtype; a row whose Java type is the
         * dtype's goes as bulk copies (memcpy speed, split over the intra-op pool when large).
         *
         * @throws IllegalArgumentException for another array type
         */
        public void copyFrom(long at, Object row) {
            if (copyRow(row, at)) return;
            long i = at;
            switch (row) {
                case double[] a -> { for (double v : a) setDouble(i++, v); }
                case float[] a -> { for (float v : a) setDouble(i++, v); }
                case long[] a -> { for (long v : a) setLong(i++, v); }
                case int[] a -> { for (int v : a) setLong(i++, v); }
                case short[] a -> { for (short v : a) setLong(i++, v); }
                case byte[] a -> { for (byte v : a) setLong(i++, v); }
                case boolean[] a -> { for (boolean v : a) setLong(i++, v ? 1 : 0); }
                default -> throw new IllegalArgumentException("tensor(): unsupported array " + row.getClass().getSimpleName());
            }
        }

        private boolean copyRow(Object row, long at) {
            ValueLayout element = switch (row) {
                case float[] a when dtype == DType.FLOAT32 -> ValueLayout.JAVA_FLOAT_UNALIGNED;
                case double[] a when dtype == DType.FLOAT64 -> ValueLayout.JAVA_DOUBLE_UNALIGNED;
                case long[] a when dtype == DType.INT64 -> ValueLayout.JAVA_LONG_UNALIGNED;
                case int[] a when dtype == DType.INT32 -> ValueLayout.JAVA_INT_UNALIGNED;
                case short[] a when dtype == DType.INT16 -> ValueLayout.JAVA_SHORT_UNALIGNED;
                case byte[] a when dtype == DType.INT8 || dtype == DType.UINT8 -> ValueLayout.JAVA_BYTE;
                default -> null;
            };
            if (element == null) return false;
            long eb = element.byteSize(), start = at * eb;
            int len = Array.getLength(row);
            Parallel.forRange(len, COPY_GRAIN, (from, to) -> MemorySegment.copy(row, (int) from, memory, element, start + from * eb,
                    (int) (to - from)));
            return true;
        }

        /** The elements in row-major order of the layout, as doubles. */
        public double[] toDoubleArray() {
            double[] out = new double[javaLength()];
            if (isDense(DType.FLOAT64)) {
                MemorySegment.copy(memory, ValueLayout.JAVA_DOUBLE_UNALIGNED, layout.offset() * 8, out, 0, out.length);
                return out;
            }
            int[] i = {0};
            layout.forEachOffset(off -> out[i[0]++] = getDouble(off));
            return out;
        }

        /** The elements in row-major order, as floats (each the float nearest its double value). */
        public float[] toFloatArray() {
            float[] out = new float[javaLength()];
            if (isDense(DType.FLOAT32)) {
                MemorySegment.copy(memory, ValueLayout.JAVA_FLOAT_UNALIGNED, layout.offset() * 4, out, 0, out.length);
                return out;
            }
            int[] i = {0};
            layout.forEachOffset(off -> out[i[0]++] = (float) getDouble(off));
            return out;
        }

        /** The elements in row-major order, as longs (floats truncate toward zero). */
        public long[] toLongArray() {
            long[] out = new long[javaLength()];
            if (isDense(DType.INT64)) {
                MemorySegment.copy(memory, ValueLayout.JAVA_LONG_UNALIGNED, layout.offset() * 8, out, 0, out.length);
                return out;
            }
            int[] i = {0};
            layout.forEachOffset(off -> out[i[0]++] = getLong(off));
            return out;
        }

        private boolean isDense(DType type) { return dtype == type && layout.isContiguous(); }

        private int javaLength() {
            long n = layout.numel();
            if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor of " + n + " elements does not fit in a Java array");
            return (int) n;
        }
    }
}
