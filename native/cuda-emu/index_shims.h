/*
 * What index.cu uses beyond emu.h (appended inside emu.h's namespace jt by check-cuda-emulated.sh, before common.cuh's
 * element helpers): bit casts, atomicCAS under emu.h's atomic lock, and the runtime calls of jt_cuda_take_index_error
 * on host memory (a __device__ variable is a plain global here; the one stream is the host thread, always idle).
 */
inline float __uint_as_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
inline uint32_t __float_as_uint(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
inline unsigned atomicCAS(unsigned* p, unsigned expected, unsigned desired) {
    std::lock_guard<std::mutex> g(emu_atomic);
    unsigned o = *p;
    if (o == expected) *p = desired;
    return o;
}
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long expected, unsigned long long desired) {
    std::lock_guard<std::mutex> g(emu_atomic);
    unsigned long long o = *p;
    if (o == expected) *p = desired;
    return o;
}
enum { cudaMemcpyHostToDevice = 1, cudaMemcpyDeviceToHost = 2, cudaErrorNotReady = 600 };
inline int cudaSetDevice(int) { return 0; }
inline int cudaStreamQuery(cudaStream_t) { return 0; }
inline int cudaStreamSynchronize(cudaStream_t) { return 0; }
template <class T> inline int cudaMemcpyFromSymbolAsync(void* dst, const T& symbol, size_t n, size_t offset, int, cudaStream_t) {
    memcpy(dst, reinterpret_cast<const char*>(&symbol) + offset, n);
    return 0;
}
template <class T> inline int cudaMemcpyToSymbolAsync(T& symbol, const void* src, size_t n, size_t offset, int, cudaStream_t) {
    memcpy(reinterpret_cast<char*>(&symbol) + offset, src, n);
    return 0;
}
/* float16 bits through the host compiler's _Float16 (round to nearest even, as __float2half_rn): cuda_fp16.h would
 * bring the CUDA keywords emu.h defines away. */
struct emu_half {
    uint16_t bits;
};
inline emu_half __ushort_as_half(uint16_t b) { return {b}; }
inline uint16_t __half_as_ushort(emu_half h) { return h.bits; }
inline float __half2float(emu_half h) {
    _Float16 v;
    memcpy(&v, &h.bits, 2);
    return static_cast<float>(v);
}
inline emu_half __float2half_rn(float f) {
    _Float16 v = static_cast<_Float16>(f);
    emu_half h;
    memcpy(&h.bits, &v, 2);
    return h;
}
