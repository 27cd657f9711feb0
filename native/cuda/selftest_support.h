/* Shared helpers of the CUDA self-test (selftest.cu, selftest_more.cu): device buffers, host references, plans. */
#pragma once
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <random>
#include <string>
#include <vector>
#include "jtensor_cuda.h"

extern int failures;



inline void report(const char* name, bool ok, const std::string& detail = "") {
    printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", name, detail.empty() ? "" : ": ", detail.c_str());
    if (!ok) failures++;
}

#define CHECK(call)                                                                                        \
    do {                                                                                                   \
        int rc_ = (call);                                                                                  \
        if (rc_ != 0) {                                                                                    \
            printf("FAIL %s returned %d (%s) at line %d\n", #call, rc_, jt_cuda_error_string(rc_), __LINE__); \
            failures++;                                                                                    \
        }                                                                                                  \
    } while (0)

template <class T>
struct Dev {
    T* p = nullptr;
    size_t n = 0;
    explicit Dev(size_t count) : n(count) { CHECK(jt_cuda_malloc(0, reinterpret_cast<void**>(&p), count * sizeof(T) + 16)); }
    Dev(const std::vector<T>& h) : Dev(h.size()) { put(h); }
    ~Dev() { jt_cuda_free(0, p); }
    void put(const std::vector<T>& h) {
        CHECK(jt_cuda_memcpy_async(p, h.data(), h.size() * sizeof(T), 1, nullptr));
        CHECK(jt_cuda_stream_synchronize(nullptr));
    }
    std::vector<T> get() const {
        std::vector<T> h(n);
        CHECK(jt_cuda_memcpy_async(h.data(), p, n * sizeof(T), 2, nullptr));
        CHECK(jt_cuda_stream_synchronize(nullptr));
        return h;
    }
};

inline std::mt19937_64 rng(12345);

inline std::vector<float> randf(size_t n, float lo = -2, float hi = 2) {
    std::uniform_real_distribution<float> d(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}

inline std::vector<int64_t> randl(size_t n, int64_t lo, int64_t hi) {
    std::uniform_int_distribution<int64_t> d(lo, hi);
    std::vector<int64_t> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}

inline bool close(double a, double b, double rel, double abs_ = 0) {
    if (a != a || b != b) return a != a && b != b;
    if (a == b) return true;
    return fabs(a - b) <= abs_ + rel * fabs(b);
}

template <class A, class B>
inline std::string max_error(const std::vector<A>& got, const std::vector<B>& want, size_t n, double rel, double abs_, bool& ok) {
    ok = true;
    char buf[160] = "";
    for (size_t i = 0; i < n; i++) {
        if (!close((double) got[i], (double) want[i], rel, abs_)) {
            if (ok) snprintf(buf, sizeof buf, "first mismatch at %zu: got %.9g want %.9g", i, (double) got[i], (double) want[i]);
            ok = false;
        }
    }
    return buf;
}

inline jt_iter_plan plan1(int64_t n, int operands) {
    jt_iter_plan p;
    memset(&p, 0, sizeof p);
    p.rank = 1;
    p.operands = operands;
    p.numel = n;
    p.shape[0] = n;
    for (int k = 0; k < operands; k++) p.strides[k * JT_MAX_DIMS] = 1;
    return p;
}

inline jt_reduce_plan rows_plan(int64_t rows, int64_t cols, bool along_rows) {
    // a row-major [rows, cols] matrix; along_rows: reduce each row (dim 1), else each column (dim 0)
    jt_reduce_plan p;
    memset(&p, 0, sizeof p);
    p.outer_rank = 1;
    p.inner_rank = 1;
    if (along_rows) {
        p.output_count = rows; p.inner_count = cols;
        p.outer_shape[0] = rows; p.outer_strides[0] = cols;
        p.inner_shape[0] = cols; p.inner_strides[0] = 1;
    } else {
        p.output_count = cols; p.inner_count = rows;
        p.outer_shape[0] = cols; p.outer_strides[0] = 1;
        p.inner_shape[0] = rows; p.inner_strides[0] = cols;
    }
    return p;
}

inline jt_layout layout2(int64_t r, int64_t c, int64_t s0, int64_t s1, int64_t off = 0) {
    jt_layout l;
    memset(&l, 0, sizeof l);
    l.rank = 2; l.numel = r * c; l.offset = off;
    l.shape[0] = r; l.shape[1] = c; l.strides[0] = s0; l.strides[1] = s1;
    return l;
}

