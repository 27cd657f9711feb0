#!/usr/bin/env bash
# Runs the CNN window and attention kernels of native/cuda/conv.cu and attention.cu on the CPU, through the host
# emulation of native/cuda-emu/ (no GPU needed), against the host references of the self-test's part three
# (native/cuda/selftest_cnn.cu). Catches indexing, tiling, barrier and summation-order mistakes before a GPU is lent;
# the real check is still jt_cuda_selftest on a GPU (tools/gpu-check.sh). Then the index kernels of native/cuda/index.cu
# the same way against selftest_more.cu's test_index (gather, scatter, masked_fill, take/put, out-of-range values
# skipped and recorded on the device). Takes about a minute (one OS thread per
# emulated CUDA thread). Usage: native/check-cuda-emulated.sh [output-dir] (default native/target/cuda-emu).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/target/cuda-emu}"
mkdir -p "$out"
NVCC="$(command -v nvcc || echo "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc")"
[[ -x "$NVCC" ]] || { echo "check-cuda-emulated.sh: nvcc not found (needed for cuda_fp16.h on the host): skipping"; exit 0; }
{
    cat "$here/cuda-emu/emu.h"
    awk '/^__device__ __forceinline__ void divmod/,/^}/' "$here/cuda/common.cuh"
    awk '/shuffles of small state structs/,/^} \/\/ namespace jt/' "$here/cuda/common.cuh"
} > "$out/emu_all.h"
python3 "$here/cuda-emu/transform.py" "$here/cuda/conv.cu" "$out/conv_emu.cpp"
python3 "$here/cuda-emu/transform.py" "$here/cuda/attention.cu" "$out/attention_emu.cpp"
"$NVCC" -x c++ -std=c++20 -O1 -I "$out" -I "$here/include" -I "$here/cuda" -o "$out/jt_cuda_emulated_selftest" \
    "$here/cuda-emu/main.cpp" "$out/conv_emu.cpp" "$out/attention_emu.cpp" "$here/cuda/selftest_cnn.cu" -lpthread
timeout 900 "$out/jt_cuda_emulated_selftest"

# index.cu against test_index: emu.h plus index_shims.h and common.cuh's element helpers; selftest_more.cu's other
# parts (optimizer steps, --bench) are not run here: the launchers they call are traps that abort.
idx="$out/index"
mkdir -p "$idx"
{
    cat "$here/cuda-emu/emu.h"
    cat "$here/cuda-emu/index_shims.h"
    awk '/^#define JT_CHECK_DTYPE/,/while \(0\)/' "$here/cuda/common.cuh"
    awk '/^__host__ __device__ inline int dtype_size/,/^__host__ __device__ inline bool is_floating/' "$here/cuda/common.cuh"
    awk '/^\/\/ ---------------- half types/,/^\/\/ ---------------- Java/' "$here/cuda/common.cuh"
    awk '/^__device__ __forceinline__ void divmod/,/^}/' "$here/cuda/common.cuh"
    echo '} // namespace jt'
} > "$idx/emu_all.h"
python3 "$here/cuda-emu/transform.py" "$here/cuda/index.cu" "$idx/index_emu.cpp"
for unit in "$idx/index_emu.cpp" "$here/cuda-emu/index_main.cpp" "$here/cuda/selftest_more.cu"; do
    "$NVCC" -x c++ -std=c++20 -O1 -I "$idx" -I "$here/include" -I "$here/cuda" -c -o "$idx/$(basename "${unit%.*}").o" "$unit"
done
{
    echo '#include <cstdio>'
    echo '#include <cstdlib>'
    comm -23 <(nm -u "$idx/selftest_more.o" | awk '$2 ~ /^jt_/ {print $2}' | sort -u) \
             <(nm "$idx/index_emu.o" "$idx/index_main.o" | awk '$2 == "T" && $3 ~ /^jt_/ {print $3}' | sort -u) |
        while read -r f; do echo "extern \"C\" void $f() { fprintf(stderr, \"$f is not emulated\\n\"); abort(); }"; done
} > "$idx/traps.cpp"
"$NVCC" -std=c++20 -O1 -o "$idx/jt_cuda_emulated_index" "$idx/index_emu.o" "$idx/index_main.o" "$idx/selftest_more.o" \
    "$idx/traps.cpp" -lpthread
timeout 600 "$idx/jt_cuda_emulated_index"
