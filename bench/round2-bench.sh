#!/usr/bin/env bash
# This round's benchmark session (issues 19, 21, 22, 23, 24, 26), one quiet run, outputs in bench/results/round2/:
# service throughput and cold start (issue 24), CNN and attention rows beside PyTorch 1.13 (22, 23), half-type
# matmul blockwise vs float32 copies (26), opening a 2 GiB checkpoint per format beside torch.load (19).
# OpenBLAS's variables are unset here, as in every benchmark command (DESIGN section 8).
#   bench/round2-bench.sh            (about 15 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
source tools/jdk-env.sh
OUT=bench/results/round2; mkdir -p "$OUT"
QUICK=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
bench/service-throughput.sh "${QUICK[@]}" | tee "$OUT/service-throughput.txt"
bench/cold-start.sh 3 1000 | tee "$OUT/cold-start.txt"
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
jmh() { java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main "$@"; }
jmh '\.CnnBench\.' -f 1 -wi 1 -w 2s -i 3 -r 2s -rf text -rff "$OUT/cnn-jmh.txt" > "$OUT/cnn-jmh.log" 2>&1 || true
jmh 'AttentionBench.attention' -p length=1024 -f 1 -wi 1 -w 2s -i 3 -r 2s -rf text -rff "$OUT/attention-jmh.txt" > "$OUT/attention-jmh.log" 2>&1 || true
jmh 'AttentionBench.attention' -p length=1024 -jvmArgsAppend -Djtensor.fusedAttention=false -f 1 -wi 1 -w 2s -i 3 -r 2s \
  -rf text -rff "$OUT/attention-composite-jmh.txt" > "$OUT/attention-composite-jmh.log" 2>&1 || true
jmh 'HalfMatmulBench' -p n=1024 "${QUICK[@]}" -rf text -rff "$OUT/half-matmul-jmh.txt" > "$OUT/half-matmul-jmh.log" 2>&1 || true
if ls bench/target/classes/dev/jtensor/bench/IndexingBench*.class >/dev/null 2>&1; then
  jmh 'IndexingBench' "${QUICK[@]}" -rf text -rff "$OUT/indexing-jmh.txt" > "$OUT/indexing-jmh.log" 2>&1 || true
fi
/usr/bin/python3 bench/torch_round2_bench.py 2 1024 | tee "$OUT/torch-round2.txt" || true
mkdir -p /tmp/weights-bench
java --enable-native-access=ALL-UNNAMED -cp "$CP" dev.jtensor.bench.WeightsOpenBench 2048 /tmp/weights-bench \
  | tee "$OUT/weights-open.txt" || true
rm -rf /tmp/weights-bench
for f in "$OUT"/*-jmh.txt; do echo "== $f"; cat "$f"; done
