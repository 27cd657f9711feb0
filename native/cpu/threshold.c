/*
 * ReLU's backward, PyTorch's threshold_backward(g, y, 0) (issue 22): out = y <= 0 ? 0 : g, a NaN y passing g.
 * Computed on the bits, as the Java loop of CpuFloatLoops does: g's bits where y is not <= 0, else all zero
 * (+0.0), so every ISA clone, the scalar tail and the Java loops give the same bits (NaN payloads of g kept).
 * Operands with any element strides (0 = broadcast); where all three are 1 the loop runs on 64-byte vectors.
 */
#include "common.h"

#define JT_THRESHOLD_BACKWARD(SUFFIX, T, U, VT, VU, LANES, LOAD)                                                    \
    JT_CLONES                                                                                                       \
    void jt_cpu_threshold_backward_##SUFFIX(T *out, int64_t out_stride, const T *g, int64_t g_stride, const T *y,  \
                                            int64_t y_stride, int64_t from, int64_t count) {                        \
        out += from * out_stride;                                                                                   \
        g += from * g_stride;                                                                                       \
        y += from * y_stride;                                                                                       \
        int64_t i = 0;                                                                                              \
        if (out_stride == 1 && g_stride == 1 && y_stride == 1) {                                                    \
            VT zero = {0};                                                                                          \
            for (; i + LANES <= count; i += LANES) {                                                                \
                VT gv = LOAD(g + i), yv = LOAD(y + i);                                                              \
                VU keep = ~(VU) (yv <= zero); /* all ones unless y <= 0 (NaN compares false: kept) */               \
                VU bits;                                                                                            \
                memcpy(&bits, &gv, sizeof bits);                                                                    \
                bits &= keep;                                                                                       \
                memcpy(out + i, &bits, sizeof bits);                                                                \
            }                                                                                                       \
        }                                                                                                           \
        for (; i < count; i++) {                                                                                    \
            U bits;                                                                                                 \
            memcpy(&bits, g + i * g_stride, sizeof bits);                                                           \
            if (y[i * y_stride] <= 0) bits = 0;                                                                     \
            memcpy(out + i * out_stride, &bits, sizeof bits);                                                       \
        }                                                                                                           \
    }

JT_THRESHOLD_BACKWARD(f32, float, uint32_t, vf32, vi32, VF32_LANES, load_f32)
JT_THRESHOLD_BACKWARD(f64, double, uint64_t, vf64, vi64, VF64_LANES, load_f64)
