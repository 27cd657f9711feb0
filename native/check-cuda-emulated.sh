#!/usr/bin/env bash
# Runs the CNN window and attention kernels of native/cuda/conv.cu and attention.cu on the CPU, through the host
# emulation of native/cuda-emu/ (no GPU needed), against the host references of the self-test's part three
# (native/cuda/selftest_cnn.cu). Catches indexing, tiling, barrier and summation-order mistakes before a GPU is lent;
# the real check is still jt_cuda_selftest on a GPU (tools/gpu-check.sh). Takes about a minute (one OS thread per
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
