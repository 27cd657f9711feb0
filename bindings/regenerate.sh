#!/usr/bin/env bash
# Re-creates bindings/src/main/java (jextract output, committed) byte for byte.
#
#   bindings/regenerate.sh                      # jextract from $JEXTRACT, else from PATH
#   JEXTRACT=/tmp/jextract/bin/jextract bindings/regenerate.sh
#   bindings/regenerate.sh && git diff --exit-code bindings/   # what CI checks
#
# OpenBLAS: cblas.h and openblas_config.h come from the Maven Central artifact
# org.bytedeco:openblas:0.3.28-1.5.11:linux-x86_64 (the jar the engine loads libopenblas.so.0 from),
# entry org/bytedeco/openblas/linux-x86_64/include/. It is read from the local Maven repository,
# or downloaded there with `mvn dependency:copy`, so no system BLAS package is needed.
# The symbols bound are listed in bindings/symbols/cblas.txt (edit that, never the Java).
#
# CUDA kernels: native/include/jtensor_cuda.h (our own C ABI of libjtensor_cuda.so) ->
# dev.jtensor.bindings.cuda (jtensor_cuda_h), symbols in bindings/symbols/jtensor_cuda.txt.
# cuBLAS: native/include/jtensor_cublas.h (our own declarations of the cuBLAS v2 calls we make, written from
# NVIDIA's documentation; native/include/check_cublas_decls.sh checks them against a real cublas_api.h) ->
# dev.jtensor.bindings.cublas (cublas_h), symbols in bindings/symbols/cublas.txt. Neither needs CUDA here.
#
# CPU kernels: native/include/jtensor_cpu.h (our own C ABI of libjtensor_cpu.so, gcc-built) ->
# dev.jtensor.bindings.cpukernels (jtensor_cpu_h), symbols in bindings/symbols/jtensor_cpu.txt.
#
# Generated without -l: the engine's NativeLibraries loads the libraries (DESIGN section 6).
set -euo pipefail

BINDINGS="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BINDINGS")"
OUT="$BINDINGS/src/main/java"

OPENBLAS_GAV="org.bytedeco:openblas:0.3.28-1.5.11:jar:linux-x86_64"
OPENBLAS_JAR_NAME="openblas-0.3.28-1.5.11-linux-x86_64.jar"
OPENBLAS_INCLUDE_ENTRY="org/bytedeco/openblas/linux-x86_64/include"

die() { echo "regenerate.sh: $*" >&2; exit 1; }

find_jextract() {
  if [[ -n "${JEXTRACT:-}" ]]; then
    [[ -x "$JEXTRACT" ]] || die "JEXTRACT='$JEXTRACT' is not an executable file."
    echo "$JEXTRACT"
  elif command -v jextract >/dev/null 2>&1; then
    command -v jextract
  else
    die "jextract not found: set JEXTRACT=/path/to/jextract or put jextract on PATH (see bindings/README.md for how to build one)."
  fi
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/jtensor-regenerate.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

openblas_jar() {
  local repo jar
  repo="${MAVEN_REPO:-$HOME/.m2/repository}"
  jar="$repo/org/bytedeco/openblas/0.3.28-1.5.11/$OPENBLAS_JAR_NAME"
  if [[ ! -f "$jar" ]]; then
    command -v mvn >/dev/null 2>&1 || die "$OPENBLAS_JAR_NAME is not in $repo and mvn is not on PATH to download it."
    mvn -B -ntp -q -Dstyle.color=never -N -f "$ROOT/pom.xml" dependency:copy \
        -Dartifact="$OPENBLAS_GAV" -DoutputDirectory="$WORK/jar" >&2 \
      || die "could not download $OPENBLAS_GAV with mvn dependency:copy."
    jar="$WORK/jar/$OPENBLAS_JAR_NAME"
  fi
  echo "$jar"
}

JEXTRACT_BIN="$(find_jextract)"
JAR="$(openblas_jar)"

# Headers go to a fixed-name directory: jextract copies nothing path-dependent into the Java,
# but a stable name keeps any diagnostic the same from run to run.
mkdir -p "$WORK/src"
(cd "$WORK/src" && jar xf "$JAR" "$OPENBLAS_INCLUDE_ENTRY/cblas.h" "$OPENBLAS_INCLUDE_ENTRY/openblas_config.h") \
  || die "could not extract the headers from $JAR (is 'jar' from a JDK on PATH?)."
INCLUDE="$WORK/src/$OPENBLAS_INCLUDE_ENTRY"
[[ -f "$INCLUDE/cblas.h" ]] || die "$JAR has no $OPENBLAS_INCLUDE_ENTRY/cblas.h."

generate() { # package-subdir, jextract args...
  local dir="$OUT/$1"; shift
  rm -rf "$dir"
  "$JEXTRACT_BIN" --output "$OUT" "$@"
}

# OpenBLAS (cblas.h + openblas_config.h). Relative @argfile path: run from the repository root.
cd "$ROOT"
generate dev/jtensor/bindings/openblas \
  --target-package dev.jtensor.bindings.openblas \
  --header-class-name cblas_h \
  -I "$INCLUDE" \
  @bindings/symbols/cblas.txt \
  "$INCLUDE/cblas.h"

# Our CUDA kernels' C ABI.
generate dev/jtensor/bindings/cuda \
  --target-package dev.jtensor.bindings.cuda \
  --header-class-name jtensor_cuda_h \
  @bindings/symbols/jtensor_cuda.txt \
  native/include/jtensor_cuda.h

# Our CPU kernels' C ABI.
generate dev/jtensor/bindings/cpukernels \
  --target-package dev.jtensor.bindings.cpukernels \
  --header-class-name jtensor_cpu_h \
  @bindings/symbols/jtensor_cpu.txt \
  native/include/jtensor_cpu.h

# cuBLAS, from our own declarations.
generate dev/jtensor/bindings/cublas \
  --target-package dev.jtensor.bindings.cublas \
  --header-class-name cublas_h \
  @bindings/symbols/cublas.txt \
  native/include/jtensor_cublas.h

for pkg in openblas cuda cpukernels cublas; do
  echo "regenerate.sh: wrote $(find "$OUT/dev/jtensor/bindings/$pkg" -name '*.java' | wc -l) files under bindings/src/main/java/dev/jtensor/bindings/$pkg"
done
