/*
 * The CUDA runtime entry points the engine needs, wrapped so that the runtime linked statically into
 * libjtensor_cuda.so is the only one in the process (the engine never loads libcudart).
 */
#include "common.cuh"

#include <string.h>

extern "C" {

int jt_cuda_abi_version(void) { return 3; }

int jt_cuda_device_count(int* count) {
    cudaError_t e = cudaGetDeviceCount(count);
    if (e != cudaSuccess) *count = 0;
    return static_cast<int>(e);
}

int jt_cuda_driver_version(int* version) { return static_cast<int>(cudaDriverGetVersion(version)); }

int jt_cuda_runtime_version(int* version) { return static_cast<int>(cudaRuntimeGetVersion(version)); }

const char* jt_cuda_error_string(int error) {
    switch (error) {
        case JT_ERR_BAD_DTYPE: return "jtensor CUDA: unsupported or invalid dtype code";
        case JT_ERR_BAD_OP: return "jtensor CUDA: unsupported or invalid op code for these dtypes";
        case JT_ERR_BAD_RANK: return "jtensor CUDA: rank out of range (more than JT_MAX_DIMS = 16 dims, or negative)";
        case JT_ERR_BAD_ARGUMENT: return "jtensor CUDA: invalid argument";
        case JT_ERR_INTEGER_DIVISION_BY_ZERO: return "jtensor CUDA: integer division by zero";
        default: return cudaGetErrorString(static_cast<cudaError_t>(error));
    }
}

int jt_cuda_device_properties(int device, char* name, size_t name_capacity, size_t* total_memory,
                              int* major, int* minor, int* multiprocessors) {
    cudaDeviceProp prop;
    cudaError_t e = cudaGetDeviceProperties(&prop, device);
    if (e != cudaSuccess) return static_cast<int>(e);
    if (name != nullptr && name_capacity > 0) {
        size_t n = strnlen(prop.name, sizeof(prop.name));
        if (n >= name_capacity) n = name_capacity - 1;
        memcpy(name, prop.name, n);
        name[n] = '\0';
    }
    if (total_memory) *total_memory = prop.totalGlobalMem;
    if (major) *major = prop.major;
    if (minor) *minor = prop.minor;
    if (multiprocessors) *multiprocessors = prop.multiProcessorCount;
    return 0;
}

int jt_cuda_set_device(int device) { return static_cast<int>(cudaSetDevice(device)); }

int jt_cuda_mem_get_info(int device, size_t* free_bytes, size_t* total_bytes) {
    cudaError_t e = cudaSetDevice(device);
    if (e != cudaSuccess) return static_cast<int>(e);
    return static_cast<int>(cudaMemGetInfo(free_bytes, total_bytes));
}

int jt_cuda_malloc(int device, void** pointer, size_t bytes) {
    cudaError_t e = cudaSetDevice(device);
    if (e != cudaSuccess) return static_cast<int>(e);
    return static_cast<int>(cudaMalloc(pointer, bytes));
}

int jt_cuda_free(int device, void* pointer) {
    cudaError_t e = cudaSetDevice(device);
    if (e != cudaSuccess) return static_cast<int>(e);
    return static_cast<int>(cudaFree(pointer));
}

int jt_cuda_host_alloc(void** pointer, size_t bytes) {
    return static_cast<int>(cudaHostAlloc(pointer, bytes, cudaHostAllocDefault));
}

int jt_cuda_host_free(void* pointer) { return static_cast<int>(cudaFreeHost(pointer)); }

int jt_cuda_stream_create(int device, void** stream) {
    cudaError_t e = cudaSetDevice(device);
    if (e != cudaSuccess) return static_cast<int>(e);
    cudaStream_t s = nullptr;
    e = cudaStreamCreate(&s); // blocking: orders with the legacy default stream (NULL)
    *stream = s;
    return static_cast<int>(e);
}

int jt_cuda_stream_destroy(void* stream) { return static_cast<int>(cudaStreamDestroy(static_cast<cudaStream_t>(stream))); }

int jt_cuda_stream_synchronize(void* stream) {
    return static_cast<int>(cudaStreamSynchronize(static_cast<cudaStream_t>(stream)));
}

int jt_cuda_device_synchronize(int device) {
    cudaError_t e = cudaSetDevice(device);
    if (e != cudaSuccess) return static_cast<int>(e);
    return static_cast<int>(cudaDeviceSynchronize());
}

int jt_cuda_memcpy_async(void* dst, const void* src, size_t bytes, int kind, void* stream) {
    cudaMemcpyKind k;
    switch (kind) {
        case 1: k = cudaMemcpyHostToDevice; break;
        case 2: k = cudaMemcpyDeviceToHost; break;
        case 3: k = cudaMemcpyDeviceToDevice; break;
        default: return JT_ERR_BAD_ARGUMENT;
    }
    if (bytes == 0) return 0;
    return static_cast<int>(cudaMemcpyAsync(dst, src, bytes, k, static_cast<cudaStream_t>(stream)));
}

int jt_cuda_memset_async(void* dst, int value, size_t bytes, void* stream) {
    if (bytes == 0) return 0;
    return static_cast<int>(cudaMemsetAsync(dst, value, bytes, static_cast<cudaStream_t>(stream)));
}

int jt_cuda_last_error(void) { return static_cast<int>(cudaGetLastError()); }

int jt_cuda_event_create(void** event) {
    cudaEvent_t e = nullptr;
    cudaError_t r = cudaEventCreate(&e);
    *event = e;
    return static_cast<int>(r);
}

int jt_cuda_event_destroy(void* event) { return static_cast<int>(cudaEventDestroy(static_cast<cudaEvent_t>(event))); }

int jt_cuda_event_record(void* event, void* stream) {
    return static_cast<int>(cudaEventRecord(static_cast<cudaEvent_t>(event), static_cast<cudaStream_t>(stream)));
}

int jt_cuda_event_synchronize(void* event) { return static_cast<int>(cudaEventSynchronize(static_cast<cudaEvent_t>(event))); }

int jt_cuda_event_elapsed_ms(float* ms, void* start, void* end) {
    return static_cast<int>(cudaEventElapsedTime(ms, static_cast<cudaEvent_t>(start), static_cast<cudaEvent_t>(end)));
}

} // extern "C"
