package dev.jtensor.backend.cpu;


import dev.jtensor.DType;
import dev.jtensor.backend.BinaryKernel;
import dev.jtensor.backend.nativelib.BundledLibrary;
import dev.jtensor.backend.plan.ReducePlan;
import dev.jtensor.bindings.cpukernels.jtensor_cpu_h;
import dev.jtensor.internal.Config;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The facade of our CPU kernels, {@code libjtensor_cpu.so} ({@code native/include/jtensor_cpu.h}, ABI
 * {@value #ABI_VERSION}; built by {@code native/build-cpu.sh}, bound by {@code bindings/regenerate.sh} into
 * {@code dev.jtensor.bindings.cpukernels}, imported only here and by this facade's two other parts,
 * {@link NativeElementwise} (unary and strided binary kernels) and {@link NativeSteps} (optimizer steps); this
 * part has the loading, the checks, contiguous binary ops, sums, softmax and casts). The library ships in the
 * engine jar; it is loaded on first use unless {@code -Djtensor.native=false}, or taken from
 * {@code -Djtensor.cpu.library=/path/libjtensor_cpu.so}. A missing or unloadable library is no error: every
 * method here then answers false and the callers run their Java loops, which stay the fallback and the
 * oracle of the tests ({@link #status()} says which it is and why).
 *
 * <p>Each method takes whole operands (segments and element offsets), checks every range it will hand to C
 * against its segment (an {@link IndexOutOfBoundsException} naming the operand, offset and size), declines
 * (returns false) what it does not handle or what is smaller than the measured threshold, and splits the
 * rest over the intra-op pool ({@link Parallel}): threads come from Java, one C call per chunk. Heap
 * segments (tensors of at most {@code CpuBackend.HEAP_MAX_BYTES}) are always declined: they cannot be
 * passed to a plain downcall, and the thresholds keep such tiny ops in Java anyway.
 *
 * <p>The thresholds from which the callers try C, and the order C, Vector API, Java, are in one table:
 * {@link KernelChoice}.
 */
public final class NativeKernels {
    static final int ABI_VERSION = 8;
    static final String ENABLED_PROPERTY = "jtensor.native";
    static final String LIBRARY_PROPERTY = "jtensor.cpu.library";
    static final String FILE = "libjtensor_cpu.so";

    /** Elements per pool task of the elementwise kernels (as CpuLoops.GRAIN). */
    static final long GRAIN = CpuLoops.GRAIN;

    private static final String STATUS;
    /** True when the library is loaded and may be used. */
    static final boolean ENABLED;

    static {
        String status;
        boolean enabled = false;
        if (!Config.bool(ENABLED_PROPERTY, true)) {
            status = "off (-D" + ENABLED_PROPERTY + "=false): Java loops";
        } else {
            try {
                Path file = load();
                int abi = jtensor_cpu_h.jt_cpu_abi_version();
                if (abi != ABI_VERSION) {
                    status = "off: " + file + " has ABI " + abi + ", this engine needs " + ABI_VERSION + ": Java loops";
                } else {
                    int isa = jtensor_cpu_h.jt_cpu_isa_level();
                    status = file + " (" + (isa == 1 ? "baseline x86-64" : "x86-64-v" + isa) + " kernels)";
                    enabled = true;
                }
            } catch (RuntimeException | LinkageError e) {
                status = "off: " + e.getMessage() + ": Java loops";
            }
        }
        STATUS = status;
        ENABLED = enabled;
    }

    private NativeKernels() {}

    private static Path load() {
        Path named = BundledLibrary.loadNamed(LIBRARY_PROPERTY);
        if (named != null) return named;
        if (!BundledLibrary.platformSupported()) throw new IllegalStateException("the CPU kernels are built for linux-x86_64 only");
        return BundledLibrary.load(FILE);
    }

    /** Whether the C kernels are in use. */
    public static boolean enabled() { return ENABLED; }

    /** What was loaded (the file and the ISA clone chosen), or why the Java loops are used. */
    public static String status() { return STATUS; }

    // ---------------- SIGBUS guard of file mappings (native/cpu/guard.c, FileMappingGuard) ----------------

    /** Registers a mapped range; its slot, or -1 when the library is off or has no free slot. */
    static int guardAdd(MemorySegment mapping, boolean writable) {
        return ENABLED ? jtensor_cpu_h.jt_cpu_guard_add(mapping, mapping.byteSize(), writable ? 1 : 0) : -1;
    }

    static boolean guardFaulted(int slot) { return jtensor_cpu_h.jt_cpu_guard_faulted(slot) != 0; }

    static void guardRemove(int slot) { jtensor_cpu_h.jt_cpu_guard_remove(slot); }

    // ---------------- checks ----------------

    /**
     * The slice of {@code s} holding {@code count} elements of {@code elementBytes} from element {@code offset}.
     *
     * @throws IndexOutOfBoundsException naming the operand, the range and the segment's size
     */
    static MemorySegment range(String kernel, String operand, MemorySegment s, long offset, long count, int elementBytes) {
        long from = offset * elementBytes, bytes = count * elementBytes;
        if (offset < 0 || count < 0 || from > s.byteSize() || bytes > s.byteSize() - from) {
            throw new IndexOutOfBoundsException(kernel + ": operand " + operand + " needs elements [" + offset + ", "
                    + (offset + count) + ") of " + elementBytes + " bytes (bytes [" + from + ", " + (from + bytes)
                    + ")), but its segment holds " + s.byteSize() + " bytes");
        }
        return s.asSlice(from, bytes);
    }

    /** True when the C kernels are on, {@code type} is float32 or float64 and every segment given (nulls skipped) is native. */
    static boolean floatOperands(DType type, MemorySegment... segments) {
        if (!ENABLED || (type != DType.FLOAT32 && type != DType.FLOAT64)) return false;
        for (MemorySegment m : segments) if (m != null && !m.isNative()) return false;
        return true;
    }

    /** {@code m}, checked to hold {@code elements} of {@code type} before it is handed to C kernel {@code fn}. */
    static MemorySegment elements(String fn, String name, MemorySegment m, long elements, DType type) {
        if (m.byteSize() < elements * type.byteSize()) {
            throw new IndexOutOfBoundsException(fn + ": operand " + name + " holds " + m.byteSize() + " bytes, needs " + elements * type.byteSize());
        }
        return m;
    }

    /** {@link #elements} for an optional operand: NULL for none. */
    static MemorySegment optionalElements(String fn, String name, MemorySegment m, long elements, DType type) {
        return m == null ? MemorySegment.NULL : elements(fn, name, m, elements, type);
    }

    static boolean allNative(MemorySegment a, MemorySegment b, MemorySegment c) {
        return a.isNative() && b.isNative() && (c == null || c.isNative());
    }

    // ---------------- elementwise ----------------

    /**
     * {@code out = a (k) b} for ADD/SUB/MUL/DIV/MAXIMUM/MINIMUM over {@code n} contiguous elements of
     * float32/float64, b contiguous ({@code bStride} 1) or one broadcast element (0); false (nothing done) otherwise.
     */
    static boolean binary(BinaryKernel k, double alpha, DType type, MemorySegment out, long outOffset,
                          MemorySegment a, long aOffset, MemorySegment b, long bOffset, int bStride, long n) {
        if (!takesBinary(k, type, out, a, b)) {
            boolean maxMin = k == BinaryKernel.MAXIMUM || k == BinaryKernel.MINIMUM;
            if (!maxMin || !NativeElementwise.takesStridedBinary(k, type, out, a, b)) return false;
            Parallel.forRange(n, GRAIN, (from, to) -> NativeElementwise.binaryStridedSpan(k, alpha, type, out, outOffset + from, 1,
                    a, aOffset + from, 1, b, bOffset + from * bStride, bStride, to - from));
            return true;
        }
        int op = binaryOp(k);
        int es = (int) type.byteSize();
        String name = type == DType.FLOAT32 ? "jt_cpu_binary_f32" : "jt_cpu_binary_f64";
        MemorySegment o = range(name, "out", out, outOffset, n, es), x = range(name, "a", a, aOffset, n, es);
        MemorySegment y = range(name, "b", b, bOffset, bStride == 0 ? 1 : n, es);
        if (type == DType.FLOAT32) {
            float al = (float) alpha;
            Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_binary_f32(op, al, o, x, y, bStride, from, to - from));
        } else {
            Parallel.forRange(n, GRAIN, (from, to) -> jtensor_cpu_h.jt_cpu_binary_f64(op, alpha, o, x, y, bStride, from, to - from));
        }
        return true;
    }

    /** True when {@link #binary} and {@link #binarySpan} take kernel {@code k} on these operands. */
    static boolean takesBinary(BinaryKernel k, DType type, MemorySegment out, MemorySegment a, MemorySegment b) {
        return ENABLED && binaryOp(k) >= 0 && (type == DType.FLOAT32 || type == DType.FLOAT64) && allNative(out, a, b);
    }

    static int binaryOp(BinaryKernel k) {
        return switch (k) {
            case ADD -> jtensor_cpu_h.JT_CPU_ADD();
            case SUB -> jtensor_cpu_h.JT_CPU_SUB();
            case MUL -> jtensor_cpu_h.JT_CPU_MUL();
            case DIV -> jtensor_cpu_h.JT_CPU_DIV();
            default -> -1;
        };
    }

    /**
     * One span of a planned binary op ({@code CpuLoops.binary}: out and a unit-strided, b unit-strided or
     * broadcast), on the caller's thread, for operands {@link #takesBinary} accepted.
     */
    static void binarySpan(BinaryKernel k, double alpha, DType type, MemorySegment out, long outOffset,
                           MemorySegment a, long aOffset, MemorySegment b, long bOffset, int bStride, long n) {
        int es = (int) type.byteSize(), op = binaryOp(k);
        String name = type == DType.FLOAT32 ? "jt_cpu_binary_f32" : "jt_cpu_binary_f64";
        MemorySegment o = range(name, "out", out, outOffset, n, es), x = range(name, "a", a, aOffset, n, es);
        MemorySegment y = range(name, "b", b, bOffset, bStride == 0 ? 1 : n, es);
        if (type == DType.FLOAT32) jtensor_cpu_h.jt_cpu_binary_f32(op, (float) alpha, o, x, y, bStride, 0, n);
        else jtensor_cpu_h.jt_cpu_binary_f64(op, alpha, o, x, y, bStride, 0, n);
    }

    // ---------------- sums and softmax ----------------

    /** True when {@link #sum} takes a run of elements of {@code t} in {@code in}. */
    static boolean sums(MemorySegment in, DType t) {
        return ENABLED && in.isNative() && (t == DType.FLOAT32 || t == DType.FLOAT64);
    }

    /** The sum of elements {@code [start, start + n)}, one thread (callers split at fixed block multiples). */
    static double sum(MemorySegment in, DType t, long start, long n) {
        if (t == DType.FLOAT32) return jtensor_cpu_h.jt_cpu_sum_f32(range("jt_cpu_sum_f32", "x", in, start, n, 4), 0, n);
        return jtensor_cpu_h.jt_cpu_sum_f64(range("jt_cpu_sum_f64", "x", in, start, n, 8), 0, n);
    }

    /**
     * Softmax or log-softmax of {@code rows} contiguous float32 rows of {@code length} from element
     * {@code inOffset} of {@code in} to element {@code outOffset} of {@code out}; false (nothing done) when not taken.
     */
    static boolean softmaxRows(boolean log, MemorySegment in, long inOffset, MemorySegment out, long outOffset, long rows,
                               long length) {
        long n = rows * length;
        if (!ENABLED || !allNative(in, out, null)) return false;
        MemorySegment x = range("jt_cpu_softmax_f32", "in", in, inOffset, n, 4);
        MemorySegment y = range("jt_cpu_softmax_f32", "out", out, outOffset, n, 4);
        int lg = log ? 1 : 0;
        Parallel.forRange(rows, Math.max(1, 16384 / length), (from, to) ->
                jtensor_cpu_h.jt_cpu_softmax_f32(lg, x, y, length, from, to - from));
        return true;
    }

    /**
     * True when {@link #sumRuns} takes {@code plan}: float32/float64 in and out, native, runs of at least
     * {@link KernelChoice#SUM_MIN} elements (so each output has the bits {@link #sum} gives that run), outputs along the last
     * outer dim a non-negative stride apart.
     */
    static boolean takesSumRuns(MemorySegment in, DType t, ReducePlan plan, MemorySegment out, DType outType) {
        return sums(in, t) && out.isNative() && (outType == DType.FLOAT32 || outType == DType.FLOAT64)
                && KernelChoice.sumInC(plan.innerCount) && plan.outerShape.length > 0 && plan.outerStrides[plan.outerShape.length - 1] >= 0;
    }

    /**
     * {@code out[o] = scale * sum(run o)} for outputs {@code [from, to)} of an inner-contiguous {@code plan}
     * ({@code sum(dim=-1)}), one C call per line of the last outer dim, on the caller's thread.
     */
    static void sumRuns(MemorySegment in, DType t, ReducePlan plan, double scale, MemorySegment out, DType outType,
                        long from, long to) {
        boolean f32 = t == DType.FLOAT32;
        String name = f32 ? "jt_cpu_sum_runs_f32" : "jt_cpu_sum_runs_f64";
        int last = plan.outerShape.length - 1, es = (int) t.byteSize(), oes = (int) outType.byteSize();
        long width = plan.outerShape[last], stride = plan.outerStrides[last], n = plan.innerCount;
        int outF64 = outType == DType.FLOAT64 ? 1 : 0;
        for (long o = from; o < to; ) {
            long w = Math.min(width - o % width, to - o);
            MemorySegment x = range(name, "x", in, plan.base(o), (w - 1) * stride + n, es), y = range(name, "out", out, o, w, oes);
            if (f32) jtensor_cpu_h.jt_cpu_sum_runs_f32(x, n, stride, w, scale, outF64, y);
            else jtensor_cpu_h.jt_cpu_sum_runs_f64(x, n, stride, w, scale, outF64, y);
            o += w;
        }
    }

    // ---------------- reductions: sums along a leading dim (issue 12, the reductions helper) ----------------

    /**
     * The vertical sum of {@code plan} ({@code CpuSum.sumRows}: one reduced dim stepping over whole rows, the
     * kept innermost dim contiguous): {@code out[o] = scale * sum} for every output, float32 or float64 in and
     * out, on the intra-op pool split over the outputs as the Java loop; false (nothing done) when not taken
     * (the caller applies {@link KernelChoice#SUM_MIN}).
     */
    static boolean sumRows(MemorySegment in, DType t, ReducePlan plan, double scale, MemorySegment out, DType outType) {
        boolean f32 = t == DType.FLOAT32;
        if (!ENABLED || !allNative(in, out, null) || plan.innerShape.length != 1 || plan.innerStrides[0] < 0 || (!f32 && t != DType.FLOAT64)
                || (outType != DType.FLOAT32 && outType != DType.FLOAT64)) {
            return false;
        }
        String name = f32 ? "jt_cpu_sum_rows_f32" : "jt_cpu_sum_rows_f64";
        long width = plan.outerShape[plan.outerShape.length - 1], rows = plan.innerShape[0], stride = plan.innerStrides[0];
        int es = (int) t.byteSize(), oes = (int) outType.byteSize(), outF64 = outType == DType.FLOAT64 ? 1 : 0;
        long grain = Math.max(16, 65536 / Math.max(1, plan.innerCount));
        Parallel.forRange(plan.outputCount, grain, (from, to) -> { // output o = r * width + j: runs of columns of one line
            for (long o = from; o < to; ) {
                long r = o / width, j0 = o % width, w = Math.min(width - j0, to - o), base = plan.base(r * width) + j0;
                long span = rows == 0 ? 0 : (rows - 1) * stride + w;
                MemorySegment x = range(name, "x", in, base, span, es), y = range(name, "out", out, o, w, oes);
                if (f32) jtensor_cpu_h.jt_cpu_sum_rows_f32(x, rows, stride, w, scale, outF64, y);
                else jtensor_cpu_h.jt_cpu_sum_rows_f64(x, rows, stride, w, scale, outF64, y);
                o += w;
            }
        });
        return true;
    }

    // ---------------- softmax along a strided dim (issue 12, the reductions helper) ----------------

    /**
     * Softmax or log-softmax along a dim that is not the innermost ({@code CpuSoftmax.rows} with {@code after > 1}):
     * the lines come in groups of {@code after} neighbouring columns (line o = g * after + c starts at
     * {@code plan.base(g * after) + c}; its elements {@code inStride} apart), written to the contiguous
     * {@code out}; split over the intra-op pool by columns. False (nothing done) unless float32, native, and
     * the columns of a group are contiguous in {@code in}.
     */
    static boolean softmaxColumns(boolean log, MemorySegment in, ReducePlan plan, long length, long after, long inStride,
                                  MemorySegment out) {
        int last = plan.outerShape.length - 1;
        if (!ENABLED || !allNative(in, out, null) || after <= 1 || inStride < 0 || last < 0 || plan.outerShape[last] != after
                || plan.outerStrides[last] != 1) {
            return false;
        }
        String name = "jt_cpu_softmax_cols_f32";
        int lg = log ? 1 : 0;
        Parallel.forRange(plan.outputCount, Math.max(16, 16384 / length), (from, to) -> {
            for (long o = from; o < to; ) {
                long g = o / after, c = o % after, w = Math.min(after - c, to - o);
                MemorySegment x = range(name, "in", in, plan.base(g * after) + c, (length - 1) * inStride + w, 4);
                MemorySegment y = range(name, "out", out, g * length * after + c, (length - 1) * after + w, 4);
                jtensor_cpu_h.jt_cpu_softmax_cols_f32(lg, x, inStride, y, after, length, w);
                o += w;
            }
        });
        return true;
    }

    // ---------------- casts ----------------

    /** {@code dst = (dt) src} over {@code n} contiguous elements (offsets in elements), one thread; false when not taken. */
    static boolean cast(MemorySegment src, DType st, long so, MemorySegment dst, DType dt, long dof, long n) {
        if (!ENABLED || !allNative(src, dst, null)) return false;
        String name;
        if (st == DType.FLOAT32 && dt == DType.FLOAT64) name = "jt_cpu_cast_f32_f64";
        else if (st == DType.FLOAT64 && dt == DType.FLOAT32) name = "jt_cpu_cast_f64_f32";
        else if (st == DType.FLOAT32 && dt == DType.BFLOAT16) name = "jt_cpu_cast_f32_bf16";
        else if (st == DType.BFLOAT16 && dt == DType.FLOAT32) name = "jt_cpu_cast_bf16_f32";
        else if (st == DType.FLOAT16 && dt == DType.FLOAT32) name = "jt_cpu_cast_f16_f32";
        else if (st == DType.FLOAT32 && dt == DType.FLOAT16) name = "jt_cpu_cast_f32_f16";
        else return castOther(src, st, so, dst, dt, dof, n);
        MemorySegment s = range(name, "src", src, so, n, (int) st.byteSize()), d = range(name, "dst", dst, dof, n, (int) dt.byteSize());
        switch (name) {
            case "jt_cpu_cast_f32_f64" -> jtensor_cpu_h.jt_cpu_cast_f32_f64(s, d, 0, n);
            case "jt_cpu_cast_f64_f32" -> jtensor_cpu_h.jt_cpu_cast_f64_f32(s, d, 0, n);
            case "jt_cpu_cast_f32_bf16" -> jtensor_cpu_h.jt_cpu_cast_f32_bf16(s, d, 0, n);
            case "jt_cpu_cast_bf16_f32" -> jtensor_cpu_h.jt_cpu_cast_bf16_f32(s, d, 0, n);
            case "jt_cpu_cast_f16_f32" -> jtensor_cpu_h.jt_cpu_cast_f16_f32(s, d, 0, n);
            default -> jtensor_cpu_h.jt_cpu_cast_f32_f16(s, d, 0, n);
        }
        return true;
    }

    // ---------------- casts: integers <-> floats, float64 <-> float16/bfloat16 (issue 12, the reductions helper) ----------------

    /** jt_cpu_cast's pairs: integers and bool to float32/float64, float32/float64 to int32/int64, float64 <-> float16/bfloat16. */
    private static boolean castOther(MemorySegment src, DType st, long so, MemorySegment dst, DType dt, long dof, long n) {
        boolean toFloat = !st.isFloatingPoint() && (dt == DType.FLOAT32 || dt == DType.FLOAT64);
        boolean toInt = (st == DType.FLOAT32 || st == DType.FLOAT64) && (dt == DType.INT32 || dt == DType.INT64);
        boolean halves = st == DType.FLOAT64 && (dt == DType.FLOAT16 || dt == DType.BFLOAT16)
                || dt == DType.FLOAT64 && (st == DType.FLOAT16 || st == DType.BFLOAT16);
        if (!toFloat && !toInt && !halves) return false;
        MemorySegment s = range("jt_cpu_cast", "src", src, so, n, (int) st.byteSize());
        MemorySegment d = range("jt_cpu_cast", "dst", dst, dof, n, (int) dt.byteSize());
        return jtensor_cpu_h.jt_cpu_cast(dtypeCode(st), s, dtypeCode(dt), d, 0, n) == 1;
    }

    private static int dtypeCode(DType t) {
        return switch (t) {
            case BOOL -> jtensor_cpu_h.JT_CPU_BOOL();
            case UINT8 -> jtensor_cpu_h.JT_CPU_UINT8();
            case INT8 -> jtensor_cpu_h.JT_CPU_INT8();
            case INT16 -> jtensor_cpu_h.JT_CPU_INT16();
            case INT32 -> jtensor_cpu_h.JT_CPU_INT32();
            case INT64 -> jtensor_cpu_h.JT_CPU_INT64();
            case FLOAT16 -> jtensor_cpu_h.JT_CPU_FLOAT16();
            case BFLOAT16 -> jtensor_cpu_h.JT_CPU_BFLOAT16();
            case FLOAT32 -> jtensor_cpu_h.JT_CPU_FLOAT32();
            case FLOAT64 -> jtensor_cpu_h.JT_CPU_FLOAT64();
        };
    }
}
