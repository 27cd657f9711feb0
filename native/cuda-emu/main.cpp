/* The driver of the emulated self-test: the device runtime calls of selftest_support.h on host memory, then part three. */
#include "selftest_support.h"
#include <cstdlib>
int failures = 0;
void test_cnn();
extern "C" {
int jt_cuda_malloc(int, void** p, size_t n) { *p = malloc(n); return *p ? 0 : 2; }
int jt_cuda_free(int, void* p) { free(p); return 0; }
int jt_cuda_memcpy_async(void* d, const void* s, size_t n, int, void*) { memcpy(d, s, n); return 0; }
int jt_cuda_stream_synchronize(void*) { return 0; }
const char* jt_cuda_error_string(int e) { return e == JT_ERR_BAD_ARGUMENT ? "bad argument" : e == JT_ERR_BAD_DTYPE ? "bad dtype" : "error"; }
}
int main() {
    test_cnn();
    printf("%s: %d failure(s)\n", failures ? "FAILED" : "ALL PASSED", failures);
    return failures ? 1 : 0;
}
