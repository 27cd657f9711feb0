#!/usr/bin/env bash
# Issue 23's GPT rows, one quiet run, outputs in bench/results/gpt/: nanoGPT (6 layers, 384 wide, 6 heads, context 256)
# training step at batch 16 and greedy generation per token, jtensor (GptBench) beside DJL 0.32 running a TorchScript
# trace of the same model (DjlGptBench) and PyTorch 1.13 (torch_gpt_bench.py, which also writes the trace).
# Build the bench module first (its classes and the engine jar, as for round2-bench.sh). OpenBLAS's variables are unset (DESIGN section 8).
#   bench/gpt-bench.sh [threads for PyTorch, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
source tools/jdk-env.sh
OUT=bench/results/gpt; mkdir -p "$OUT" bench/target
/usr/bin/python3 bench/torch_gpt_bench.py "${1:-2}" --trace bench/target/gpt_trace.pt | tee "$OUT/torch-gpt.txt"
mvn_plain -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" -Dmdep.includeScope=runtime >/dev/null
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
jmh() { java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main "$@"; }
jmh '\.GptBench\.' -f 1 -wi 1 -w 10s -i 3 -r 10s -rf text -rff "$OUT/gpt-jmh.txt" > "$OUT/gpt-jmh.log" 2>&1 || true
jmh 'DjlGptBench' -jvmArgsAppend -Djtensor.bench.gptTrace="$PWD/bench/target/gpt_trace.pt" -f 1 -wi 1 -w 10s -i 3 -r 10s \
  -rf text -rff "$OUT/djl-gpt-jmh.txt" > "$OUT/djl-gpt-jmh.log" 2>&1 || true
for f in "$OUT"/*-jmh.txt; do echo "== $f"; cat "$f"; done
