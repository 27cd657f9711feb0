#!/usr/bin/env bash
# Builds libjtensor_cpu.so from native/cpu/*.c (DESIGN section 6, issue 12): gcc -O3, every kernel in three
# ISA clones (x86-64-v4 = AVX-512, x86-64-v3 = AVX2 + FMA, baseline x86-64) picked at load time, no
# contraction (-ffp-contract=off: the kernels round as the Java loops do), no dependency beyond libc/libm.
# Usage: native/build-cpu.sh [output-dir] (default native/target).
#
# Without gcc it prints what to install and exits 0: the Maven build then packages no CPU library and the
# engine runs its Java loops. Incremental: nothing is rebuilt when the .so is newer than every source,
# header and this script. After linking, the selftest (cpu/selftest.c) is built once per ISA level with
# the kernels compiled for that level alone and run for every level this CPU has: all must print the
# same hash of their output bits (JT_CPU_SELFTEST=0 skips it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=native/build-common.sh
source "$here/build-common.sh"
out="$(output_dir "${1:-}")"
lib="$out/libjtensor_cpu.so"

CC="${CC:-gcc}"
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "build-cpu.sh: $CC not found: skipping libjtensor_cpu.so (the engine then uses its Java loops)."
    echo "build-cpu.sh: to build the CPU kernels install gcc (Debian/Ubuntu: apt-get install gcc; Fedora: dnf install gcc)."
    exit 0
fi

units=()
for s in "$here"/cpu/*.c; do
    [[ "$(basename "$s")" == selftest.c ]] || units+=("$s")
done
inputs=("$here"/cpu/*.c "$here"/cpu/*.h "$here"/include/jtensor_cpu.h "${BASH_SOURCE[0]}")

if up_to_date "$lib" "${inputs[@]}" "$here/build-common.sh"; then
    echo "build-cpu.sh: $lib is up to date"
    exit 0
fi

FLAGS=(-O3 -std=gnu11 -fPIC -ffp-contract=off -fno-math-errno -fvisibility=default -Wall -Wextra -Wno-psabi
       -I "$here/include" -I "$here/cpu")
obj="$out/obj-cpu"
mkdir -p "$obj"
start=$SECONDS
echo "build-cpu.sh: compiling ${#units[@]} units with $CC ($("$CC" -dumpfullversion 2>/dev/null || echo '?'))"
pids=()
for s in "${units[@]}"; do
    name="$(basename "$s" .c)"
    "$CC" "${FLAGS[@]}" -c "$s" -o "$obj/$name.o" > "$obj/$name.log" 2>&1 &
    pids+=("$!:$name")
done
fail=0
for entry in "${pids[@]}"; do
    pid="${entry%%:*}"; name="${entry#*:}"
    if ! wait "$pid"; then
        echo "build-cpu.sh: compiling $name.c failed:"
        fail=1
    fi
    if [[ -s "$obj/$name.log" ]]; then cat "$obj/$name.log"; fi
done
[[ $fail == 0 ]] || exit 1

tmp="$lib.tmp.$$"
"$CC" -shared -o "$tmp" "$obj"/*.o -Wl,--no-undefined -Wl,-soname=libjtensor_cpu.so -lm

if readelf -d "$tmp" | grep NEEDED | grep -Eiv 'lib(c|m)\.so'; then
    echo "build-cpu.sh: $lib may depend dynamically only on libc and libm"
    rm -f "$tmp"
    exit 1
fi

if [[ "${JT_CPU_SELFTEST:-1}" != 0 ]]; then
    hashes=()
    for level in x86-64-v4 x86-64-v3 x86-64; do
        exe="$obj/selftest-$level"
        "$CC" "${FLAGS[@]}" -DJT_NO_CLONES -march="$level" -o "$exe" "${units[@]}" "$here/cpu/selftest.c" -lm
        case "$level" in # run what this CPU can run
            x86-64-v4) grep -qw avx512f /proc/cpuinfo 2>/dev/null || continue ;;
            x86-64-v3) grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null || continue ;;
        esac
        line="$("$exe")" || { echo "build-cpu.sh: selftest ($level) failed: $line"; rm -f "$tmp"; exit 1; }
        echo "build-cpu.sh: selftest $level: $line"
        hashes+=("$(awk '{print $4}' <<< "$line")")
    done
    if [[ "$(printf '%s\n' "${hashes[@]}" | sort -u | wc -l)" != 1 ]]; then
        echo "build-cpu.sh: the ISA levels' results differ (hashes ${hashes[*]}): a kernel depends on the vector width"
        rm -f "$tmp"
        exit 1
    fi
fi
mv -f "$tmp" "$lib"
echo "build-cpu.sh: built $lib ($(stat -c %s "$lib") bytes) in $((SECONDS - start)) s"
