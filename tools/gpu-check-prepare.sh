#!/usr/bin/env bash
# Builds the GPU check bundle here (a machine with JDK 25, Maven and nvcc; no GPU needed):
#   .gpu/bundle.tar.xz  a jlinked JDK 25 runtime, the engine classes with libjtensor_cuda.so, the CUDA test
#                       classes, JUnit's console launcher, OpenBLAS, the GPU benchmark, the CUDA self-test
# and the GPU machine (no Java, no network) runs tools/gpu-check.sh over it. `./jt gpu-check` calls this.
# .gpu/ is ignored by git (.git/info/exclude); the bundle is about 45 MiB compressed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source tools/jdk-env.sh
OUT="$ROOT/.gpu"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
EXCLUDE="$(git rev-parse --git-path info/exclude 2>/dev/null || echo .git/info/exclude)"
mkdir -p "$(dirname "$EXCLUDE")"
grep -qx '/.gpu/' "$EXCLUDE" 2>/dev/null || echo '/.gpu/' >> "$EXCLUDE"

echo "gpu-check-prepare: building engine, CUDA library and tests"
mvn -o -B -q -pl engine,bench -am -DskipTests -Djtensor.cuda.skip=true test-compile
# the library and the self-test linked against it (native/target; the same sources and flags as the jar's copy)
bash native/build-cuda.sh >/dev/null && bash native/build-cuda-selftest.sh >/dev/null
LIB=native/target/libjtensor_cuda.so
[[ -f "$LIB" ]] || { echo "gpu-check-prepare: no libjtensor_cuda.so was built (is nvcc on PATH?)" >&2; exit 1; }

B="$STAGE/bundle"
mkdir -p "$B/lib" "$B/classes" "$B/test-classes/dev/jtensor" "$B/bench-classes/dev/jtensor/bench"
echo "gpu-check-prepare: jlink"
jlink --add-modules java.base,java.logging,java.xml,java.management,java.naming,jdk.incubator.vector,jdk.unsupported \
      --strip-debug --no-header-files --no-man-pages --output "$B/jdk"
cp -r engine/target/classes/. "$B/classes/"
cp "$LIB" "$B/lib/libjtensor_cuda.so"
cp -r engine/target/test-classes/dev/jtensor/cuda "$B/test-classes/dev/jtensor/"
# the MLP trainer CudaAmpTest shares with the CPU's AmpTrainingTest (issue 26)
mkdir -p "$B/test-classes/dev/jtensor/amp" && cp engine/target/test-classes/dev/jtensor/amp/AmpTraining*.class "$B/test-classes/dev/jtensor/amp/"
cp bench/target/classes/dev/jtensor/bench/GpuBench*.class "$B/bench-classes/dev/jtensor/bench/"
M2="${MAVEN_REPO:-$HOME/.m2/repository}"
cp "$M2/org/bytedeco/openblas/0.3.28-1.5.11/openblas-0.3.28-1.5.11-linux-x86_64.jar" "$B/lib/"
cp "$M2"/org/apache/commons/commons-csv/*/commons-csv-*.jar "$B/lib/" 2>/dev/null || true
cp "$(ls "$M2"/commons-io/commons-io/*/commons-io-*.jar | sort -V | tail -1)" "$B/lib/" 2>/dev/null || true
CONSOLE=junit-platform-console-standalone-1.11.4.jar
if [[ ! -f "$M2/org/junit/platform/junit-platform-console-standalone/1.11.4/$CONSOLE" ]]; then
  mvn -B -q -N dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4 >/dev/null
fi
cp "$M2/org/junit/platform/junit-platform-console-standalone/1.11.4/$CONSOLE" "$B/lib/"
[[ -x native/target/jt_cuda_selftest ]] && cp native/target/jt_cuda_selftest "$B/lib/"
mkdir -p "$OUT"
echo "gpu-check-prepare: compressing"
tar -C "$STAGE" -cf - bundle | xz -T0 -6 > "$OUT/bundle.tar.xz"
ls -la "$OUT/bundle.tar.xz"
echo "gpu-check-prepare: ready. On the GPU machine: tools/gpu-check.sh (logs under \$OUT or docs/gpu/)"
