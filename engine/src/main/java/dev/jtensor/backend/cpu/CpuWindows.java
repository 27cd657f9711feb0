package dev.jtensor.backend.cpu;

import dev.jtensor.DType;
import dev.jtensor.backend.WindowShape;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * im2col, col2im and max pooling on the CPU, float32 and float64: the C kernels of {@code native/cpu/conv.c} through
 * {@link NativeWindows} where the library is loaded and both operands are native memory, else these Java
 * loops, which do the same copies and the same adds in the same order (the kernels' oracle: equal bits).
 * Work is split over the intra-op pool by plane (batch x channel).
 */
final class CpuWindows {
    private CpuWindows() {}

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;

    static void im2col(DType type, WindowShape sh, MemorySegment in, MemorySegment cols) {
        if (!NativeWindows.im2col(type, sh, in, cols)) im2colJava(type, sh, in, cols);
    }

    static void col2im(DType type, WindowShape sh, MemorySegment cols, MemorySegment out) {
        if (!NativeWindows.col2im(type, sh, cols, out)) col2imJava(type, sh, cols, out);
    }

    /** Planes per chunk: about 32K column elements each, so small calls stay on one thread. */
    static long grain(WindowShape sh) {
        long perPlane = Math.max(1, (long) sh.kH() * sh.kW() * sh.oH() * sh.oW());
        return Math.max(1, (1 << 15) / perPlane);
    }

    /** The Java loops of {@code jt_cpu_im2col_*}. */
    static void im2colJava(DType type, WindowShape sh, MemorySegment in, MemorySegment cols) {
        checkJava("im2col", type, in, sh.imageElements(), cols, sh.columnElements());
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(sh.planes(), grain(sh), (from, to) -> {
            for (long p = from; p < to; p++) {
                long plane = p * sh.h() * sh.w(), col = p * sh.kH() * sh.kW() * sh.oH() * sh.oW();
                for (int i = 0; i < sh.kH(); i++) {
                    for (int j = 0; j < sh.kW(); j++) {
                        for (long y = 0; y < sh.oH(); y++, col += sh.oW()) {
                            long iy = y * sh.sH() - sh.pH() + (long) i * sh.dH();
                            for (long x = 0; x < sh.oW(); x++) {
                                long ix = x * sh.sW() - sh.pW() + (long) j * sh.dW();
                                boolean inside = iy >= 0 && iy < sh.h() && ix >= 0 && ix < sh.w();
                                long at = plane + iy * sh.w() + ix;
                                if (f32) cols.setAtIndex(F, col + x, inside ? in.getAtIndex(F, at) : 0f);
                                else cols.setAtIndex(D, col + x, inside ? in.getAtIndex(D, at) : 0d);
                            }
                        }
                    }
                }
            }
        });
    }

    /** The Java loops of {@code jt_cpu_col2im_*}: zeros, then the taps added in order. */
    static void col2imJava(DType type, WindowShape sh, MemorySegment cols, MemorySegment out) {
        checkJava("col2im", type, cols, sh.columnElements(), out, sh.imageElements());
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(sh.planes(), grain(sh), (from, to) -> {
            for (long p = from; p < to; p++) {
                long plane = p * sh.h() * sh.w(), col = p * sh.kH() * sh.kW() * sh.oH() * sh.oW();
                out.asSlice(plane * type.byteSize(), sh.h() * sh.w() * type.byteSize()).fill((byte) 0);
                for (int i = 0; i < sh.kH(); i++) {
                    for (int j = 0; j < sh.kW(); j++) {
                        for (long y = 0; y < sh.oH(); y++, col += sh.oW()) {
                            long iy = y * sh.sH() - sh.pH() + (long) i * sh.dH();
                            if (iy < 0 || iy >= sh.h()) continue;
                            for (long x = 0; x < sh.oW(); x++) {
                                long ix = x * sh.sW() - sh.pW() + (long) j * sh.dW();
                                if (ix < 0 || ix >= sh.w()) continue;
                                long at = plane + iy * sh.w() + ix;
                                if (f32) out.setAtIndex(F, at, out.getAtIndex(F, at) + cols.getAtIndex(F, col + x));
                                else out.setAtIndex(D, at, out.getAtIndex(D, at) + cols.getAtIndex(D, col + x));
                            }
                        }
                    }
                }
            }
        });
    }

    static void maxPool2d(DType type, WindowShape sh, MemorySegment in, MemorySegment out, MemorySegment indices) {
        if (!NativeWindows.maxPool2d(type, sh, in, out, indices)) maxPool2dJava(type, sh, in, out, indices);
    }

    static void maxPool2dBackward(DType type, WindowShape sh, MemorySegment gradOut, MemorySegment indices, MemorySegment gradIn) {
        if (!NativeWindows.maxPool2dBackward(type, sh, gradOut, indices, gradIn)) maxPool2dBackwardJava(type, sh, gradOut, indices, gradIn);
    }

    /** The Java loops of {@code jt_cpu_max_pool2d_*}. */
    static void maxPool2dJava(DType type, WindowShape sh, MemorySegment in, MemorySegment out, MemorySegment indices) {
        long cells = sh.planes() * sh.oH() * sh.oW();
        checkJava("max_pool2d", type, in, sh.imageElements(), out, cells);
        checkIndices("max_pool2d", indices, cells);
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(sh.planes(), grain(sh), (from, to) -> {
            for (long p = from; p < to; p++) {
                long plane = p * sh.h() * sh.w();
                for (long y = 0; y < sh.oH(); y++) {
                    for (long x = 0; x < sh.oW(); x++) {
                        double best = 0;
                        long at = -1;
                        for (int i = 0; i < sh.kH(); i++) {
                            long iy = y * sh.sH() - sh.pH() + (long) i * sh.dH();
                            if (iy < 0 || iy >= sh.h()) continue;
                            for (int j = 0; j < sh.kW(); j++) {
                                long ix = x * sh.sW() - sh.pW() + (long) j * sh.dW();
                                if (ix < 0 || ix >= sh.w()) continue;
                                double v = f32 ? in.getAtIndex(F, plane + iy * sh.w() + ix) : in.getAtIndex(D, plane + iy * sh.w() + ix);
                                if (at < 0 || v > best || v != v) {
                                    best = v;
                                    at = iy * sh.w() + ix;
                                }
                            }
                        }
                        long cell = (p * sh.oH() + y) * sh.oW() + x;
                        if (at < 0) best = Double.NEGATIVE_INFINITY;
                        if (f32) out.setAtIndex(F, cell, (float) best);
                        else out.setAtIndex(D, cell, best);
                        indices.setAtIndex(L, cell, at);
                    }
                }
            }
        });
    }

    /** The Java loops of {@code jt_cpu_max_pool2d_bwd_*}. */
    static void maxPool2dBackwardJava(DType type, WindowShape sh, MemorySegment gradOut, MemorySegment indices, MemorySegment gradIn) {
        long cells = sh.oH() * sh.oW(), hw = sh.h() * sh.w();
        checkJava("max_pool2d backward", type, gradOut, sh.planes() * cells, gradIn, sh.imageElements());
        checkIndices("max_pool2d backward", indices, sh.planes() * cells);
        boolean f32 = type == DType.FLOAT32;
        Parallel.forRange(sh.planes(), grain(sh), (from, to) -> {
            for (long p = from; p < to; p++) {
                gradIn.asSlice(p * hw * type.byteSize(), hw * type.byteSize()).fill((byte) 0);
                for (long k = p * cells; k < (p + 1) * cells; k++) {
                    long at = indices.getAtIndex(L, k);
                    if (at < 0 || at >= hw) continue;
                    long dst = p * hw + at;
                    if (f32) gradIn.setAtIndex(F, dst, gradIn.getAtIndex(F, dst) + gradOut.getAtIndex(F, k));
                    else gradIn.setAtIndex(D, dst, gradIn.getAtIndex(D, dst) + gradOut.getAtIndex(D, k));
                }
            }
        });
    }

    private static void checkIndices(String op, MemorySegment indices, long cells) {
        if (indices.byteSize() < cells * 8) throw new IndexOutOfBoundsException(op + ": indices of " + indices.byteSize() + " bytes, need " + cells * 8);
    }

    private static void checkJava(String op, DType type, MemorySegment src, long srcElements, MemorySegment dst, long dstElements) {
        if (type != DType.FLOAT32 && type != DType.FLOAT64) throw new IllegalArgumentException(op + ": float32 or float64 expected, got " + type);
        if (src.byteSize() < srcElements * type.byteSize() || dst.byteSize() < dstElements * type.byteSize()) {
            throw new IndexOutOfBoundsException(op + ": operands of " + src.byteSize() + " and " + dst.byteSize() + " bytes, need "
                    + srcElements * type.byteSize() + " and " + dstElements * type.byteSize());
        }
    }
}
