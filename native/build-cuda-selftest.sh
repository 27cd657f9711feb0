#!/usr/bin/env bash
# Builds jt_cuda_selftest next to libjtensor_cuda.so (building that first): a standalone executable that runs
# every launcher family on a GPU and compares with a host reference (native/cuda/selftest.cu, selftest_more.cu, selftest_cnn.cu). It links the
# .so through rpath $ORIGIN, so the output directory can be copied as is to a GPU machine without a compiler.
# Usage: native/build-cuda-selftest.sh [output-dir] (default native/target); then: <dir>/jt_cuda_selftest [--bench]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/target}"
"$here/build-cuda.sh" "$out"
out="$(cd "$out" && pwd)"
NVCC="$(command -v nvcc || true)"
if [[ -z "$NVCC" ]]; then
    NVCC="${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"
    [[ -x "$NVCC" ]] || { echo "build-cuda-selftest.sh: nvcc not found: skipping jt_cuda_selftest"; exit 0; }
fi
exe="$out/jt_cuda_selftest"
sources=("$here/cuda/selftest.cu" "$here/cuda/selftest_more.cu" "$here/cuda/selftest_cnn.cu")
newest_source=true
for f in "${sources[@]}" "$here/cuda/selftest_support.h"; do [[ "$exe" -nt "$f" ]] || newest_source=false; done
if [[ -f "$exe" && "$newest_source" == true && "$exe" -nt "$out/libjtensor_cuda.so" ]]; then
    echo "build-cuda-selftest.sh: $exe is up to date"
    exit 0
fi
# host C++ only (-x c++): the fp16 host conversions come from cuda_fp16.h; every CUDA call goes through the .so
"$NVCC" -x c++ -O2 -std=c++17 -I "$here/include" -cudart none -o "$exe" "${sources[@]}" \
    -L "$out" -ljtensor_cuda -Xlinker -rpath -Xlinker '$ORIGIN' -Xcompiler -static-libstdc++ -Xcompiler -static-libgcc
echo "build-cuda-selftest.sh: built $exe"
readelf -d "$exe" | grep -E 'NEEDED|RPATH|RUNPATH'
