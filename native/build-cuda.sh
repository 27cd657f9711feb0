#!/usr/bin/env bash
# Builds libjtensor_cuda.so from native/cuda/*.cu (STYLE G8, DESIGN §6): SASS for sm_80/86/89/90 plus
# compute_90 PTX, the CUDA runtime linked statically (the library needs only the driver, libcuda.so.1,
# which the static runtime loads itself). Usage: native/build-cuda.sh [output-dir] (default native/target).
#
# Without nvcc it prints why and exits 0: the Maven build then packages no CUDA library.
# Incremental: nothing is rebuilt when the .so is newer than every source, header and this script.
# Object files compile in parallel (one job per core); the result is checked for dynamic NVIDIA
# dependencies (there must be none) and for sm_90 code in its fatbin.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=native/build-common.sh
source "$here/build-common.sh"
out="$(output_dir "${1:-}")"
lib="$out/libjtensor_cuda.so"

CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}"
NVCC="$(command -v nvcc || true)"
if [[ -z "$NVCC" && -x "$CUDA_HOME/bin/nvcc" ]]; then NVCC="$CUDA_HOME/bin/nvcc"; fi
if [[ -z "$NVCC" ]]; then
    echo "build-cuda.sh: nvcc not found (PATH or $CUDA_HOME/bin): skipping libjtensor_cuda.so"
    exit 0
fi

sources=("$here"/cuda/*.cu)
units=()
for s in "${sources[@]}"; do
    [[ "$(basename "$s")" == selftest*.cu ]] || units+=("$s") # the self-test is its own program (build-cuda-selftest.sh)
done
inputs=("${units[@]}" "$here"/cuda/*.cuh "$here"/include/jtensor_cuda.h "${BASH_SOURCE[0]}")

if up_to_date "$lib" "${inputs[@]}" "$here/build-common.sh"; then
    echo "build-cuda.sh: $lib is up to date"
    exit 0
fi

GENCODE=(
    -gencode arch=compute_80,code=sm_80
    -gencode arch=compute_86,code=sm_86
    -gencode arch=compute_89,code=sm_89
    -gencode arch=compute_90,code=sm_90
    -gencode arch=compute_90,code=compute_90
)
# -fmad=false everywhere: no silent a*b+c contraction, so arithmetic rounds as the JVM's does (the
# optimizer steps depend on it for bit equality; elementwise kernels are memory-bound either way).
FLAGS=(-O3 -std=c++17 -Xcompiler -fPIC -fmad=false --threads 0 -I "$here/include" "${GENCODE[@]}")

obj="$out/obj"
mkdir -p "$obj"
jobs="$(nproc 2>/dev/null || echo 2)"
start=$SECONDS
echo "build-cuda.sh: compiling ${#units[@]} units with $NVCC ($jobs jobs)"
pids=()
fail=0
for s in "${units[@]}"; do
    name="$(basename "$s" .cu)"
    "$NVCC" "${FLAGS[@]}" -c "$s" -o "$obj/$name.o" > "$obj/$name.log" 2>&1 &
    pids+=("$!:$name")
    while (( $(jobs -rp | wc -l) >= jobs )); do wait -n || true; done
done
for entry in "${pids[@]}"; do
    pid="${entry%%:*}"; name="${entry#*:}"
    if ! wait "$pid"; then
        echo "build-cuda.sh: compiling $name.cu failed:"
        cat "$obj/$name.log"
        fail=1
    elif [[ -s "$obj/$name.log" ]]; then
        cat "$obj/$name.log"
    fi
done
[[ $fail == 0 ]] || exit 1

tmp="$lib.tmp.$$"
"$NVCC" -shared -cudart static "${GENCODE[@]}" -o "$tmp" "$obj"/*.o \
    -Xcompiler -static-libstdc++ -Xcompiler -static-libgcc -Xlinker --exclude-libs,ALL \
    -Xlinker --no-undefined -Xlinker -soname=libjtensor_cuda.so -lpthread -ldl -lrt -lm

# No NVIDIA library may be needed dynamically: the driver comes from the user's system at run time.
readelf -d "$tmp" | grep NEEDED || true
if readelf -d "$tmp" | grep NEEDED | grep -Eiv 'lib(c|m|pthread|dl|rt)\.so|ld-linux'; then
    echo "build-cuda.sh: $lib may depend dynamically only on libc/libm/pthread/dl/rt (no NVIDIA library, no libstdc++)"
    rm -f "$tmp"
    exit 1
fi
# The fatbin must hold sm_90 SASS and compute_90 PTX (the H200 target).
codes="$(python3 "$here/fatbin-codes.py" "$tmp")"
echo "build-cuda.sh: fatbin codes: $codes"
for want in sm_80 sm_86 sm_89 sm_90 compute_90; do
    if ! grep -qw "$want" <<< "$codes"; then
        echo "build-cuda.sh: $want missing from the fatbin of $lib"
        rm -f "$tmp"
        exit 1
    fi
done
mv -f "$tmp" "$lib"
echo "build-cuda.sh: built $lib ($(stat -c %s "$lib") bytes) in $((SECONDS - start)) s"
