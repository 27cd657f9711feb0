#!/usr/bin/env bash
# The GPU check, run on a GPU machine (no Java, no network) over the bundle tools/gpu-check-prepare.sh made:
# the machine's facts, our cuBLAS declarations against the real header, the CUDA self-test (every launcher, the CNN
# window and attention kernels included), the CUDA test suites on the real device, the CNN and attention suites
# again with -Djtensor.cuda.fusedKernels=true, then the GPU benchmarks beside PyTorch. Logs go to $LOGS (default $OUT, else
# docs/gpu/<date>) and a summary is printed last.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
LOGS="${LOGS:-${OUT:-$ROOT/docs/gpu/$(date -u +%Y-%m-%d)}}"
mkdir -p "$LOGS"
W=/tmp/jtensor-gpu
rm -rf "$W" && mkdir -p "$W"
python3 -c "import tarfile,sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" .gpu/bundle.tar.xz "$W"
B="$W/bundle"
JAVA="$B/jdk/bin/java"
CP="$B/classes:$B/test-classes:$B/bench-classes:$(ls $B/lib/*.jar | tr '\n' ':')"
FLAGS="--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Djtensor.cuda.library=$B/lib/libjtensor_cuda.so"
SITE=$(python3 -c "import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))" 2>/dev/null || true)

{
  echo "date: $(date -u)"; uname -a
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)"
  echo "python site-packages: $SITE"; ls "$SITE/nvidia" 2>/dev/null
} > "$LOGS/machine.txt" 2>&1
cat "$LOGS/machine.txt"

echo "== cuBLAS declarations against the real header"
HDR=$(dirname "$(find "$SITE/nvidia" -name cublas_api.h 2>/dev/null | head -1)" 2>/dev/null)
if [[ -n "$HDR" && -d "$HDR" ]]; then
  bash native/include/check_cublas_decls.sh "$HDR" > "$LOGS/cublas-decls.txt" 2>&1; echo "rc=$?" >> "$LOGS/cublas-decls.txt"
else
  echo "no cublas_api.h found under $SITE/nvidia" > "$LOGS/cublas-decls.txt"
fi
tail -5 "$LOGS/cublas-decls.txt"

if [[ -x "$B/lib/jt_cuda_selftest" ]]; then
  echo "== CUDA self-test"
  (cd "$B/lib" && timeout 120 ./jt_cuda_selftest) > "$LOGS/selftest.txt" 2>&1; echo "rc=$?" >> "$LOGS/selftest.txt"
  tail -30 "$LOGS/selftest.txt"
fi

echo "== library discovery (no hints)"
"$JAVA" $FLAGS -cp "$CP" dev.jtensor.bench.GpuBench --info > "$LOGS/jt-info.txt" 2>&1
if [[ $? -ne 0 ]]; then # discovery failed: say so, and point at cuBLAS so that the rest still runs
  LIBDIR=$(dirname "$(find / -name 'libcublas.so.1[23]' 2>/dev/null | head -1)")
  echo "discovery failed; continuing with -Djtensor.cuda.path=$LIBDIR" >> "$LOGS/jt-info.txt"
  FLAGS="$FLAGS -Djtensor.cuda.path=$LIBDIR"
fi
cat "$LOGS/jt-info.txt"

echo "== CUDA test suites on the device"
timeout 300 "$JAVA" $FLAGS -Xmx8g -jar "$B/lib/junit-platform-console-standalone-1.11.4.jar" execute \
  --class-path "$CP" --select-package dev.jtensor.cuda --details=tree --disable-banner \
  > "$LOGS/tests.txt" 2>&1
echo "rc=$?" >> "$LOGS/tests.txt"
grep -E "✘|tests (successful|failed|skipped|aborted)|rc=" "$LOGS/tests.txt" | head -60

echo "== CNN and attention suites again with the CUDA window and attention kernels (-Djtensor.cuda.fusedKernels=true)"
# conv.cu and attention.cu are opt-in until this passes on a GPU (README, configuration table)
timeout 300 "$JAVA" $FLAGS -Djtensor.cuda.fusedKernels=true -Xmx8g -jar "$B/lib/junit-platform-console-standalone-1.11.4.jar" execute \
  --class-path "$CP" --select-class dev.jtensor.cuda.CudaFusedKernelsTest --select-class dev.jtensor.cuda.CudaCnnTest \
  --select-class dev.jtensor.cuda.CudaSequenceTest --details=tree --disable-banner \
  > "$LOGS/tests-fused-kernels.txt" 2>&1
echo "rc=$?" >> "$LOGS/tests-fused-kernels.txt"
grep -E "✘|tests (successful|failed|skipped|aborted)|rc=" "$LOGS/tests-fused-kernels.txt" | head -60

echo "== benchmarks"
timeout 240 "$JAVA" $FLAGS -Xmx8g -cp "$CP" dev.jtensor.bench.GpuBench /tmp > "$LOGS/bench-jtensor.txt" 2>&1; echo "rc=$?" >> "$LOGS/bench-jtensor.txt"
timeout 120 python3 bench/gpu_bench_torch.py /tmp > "$LOGS/bench-torch.txt" 2>&1; echo "rc=$?" >> "$LOGS/bench-torch.txt"
cat "$LOGS/bench-jtensor.txt" "$LOGS/bench-torch.txt"
