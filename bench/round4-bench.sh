#!/usr/bin/env bash
# Round four's benchmark session (issues 21-24 continued), one quiet run, outputs in bench/results/round4/: service
# throughput of the MLP and the CNN (24 item 1), cold start with and without an AOT cache (24 item 6), this round's
# engine against the engine at the round's start (BEFORE, interleaved: tiny ops, indexing, host door, MLP step, and
# the cold start of the MLP loop), ResNet-18 and the 3x3 conv beside DJL and PyTorch 1.13 (22), the GPT step and
# generation (23) and the LSTM step (23) beside DJL / PyTorch. OpenBLAS's variables are unset (DESIGN section 8).
#   bench/round4-bench.sh [BEFORE commit, default 33cb1fd]     (about 30 minutes on 2 cores; needs /usr/bin/python3 with torch)
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
BEFORE="${1:-33cb1fd}"
source tools/jdk-env.sh
OUT=bench/results/round4; mkdir -p "$OUT"
bench/service-throughput.sh -f 1 -wi 2 -w 1s -i 3 -r 1s | tee "$OUT/service-throughput.txt"
bench/cold-start.sh 3 1000 | tee "$OUT/cold-start.txt"
OLD_TREE="${OLD_TREE:-/tmp/jtensor-before-round4}" bench/issue21-before-after.sh "$BEFORE" | tee "$OUT/before-after.txt"
OLD_TREE="${OLD_TREE:-/tmp/jtensor-before-round4}"
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
ENGINE_JAR="$(tr ':' '\n' < bench/target/classpath.txt | grep -m1 'jtensor-engine-')"
OLD_CP="${CP//$ENGINE_JAR/$OLD_TREE/engine/target/jtensor-engine-0.1.0-SNAPSHOT.jar}"
for run in 1 2 3; do   # cold start of the MLP loop, the round's start and now, interleaved in fresh JVMs
  echo "run $run: before $(java --enable-native-access=ALL-UNNAMED -cp "$OLD_CP" dev.jtensor.bench.peers.ColdStart jtensor 1000 2>/dev/null | grep coldstart)"
  echo "run $run: after  $(java --enable-native-access=ALL-UNNAMED -cp "$CP" dev.jtensor.bench.peers.ColdStart jtensor 1000 2>/dev/null | grep coldstart)"
done | tee "$OUT/cold-start-before-after.txt"
jmh() { java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main "$@"; }
[[ -f bench/target/resnet18_traced.pt ]] || /usr/bin/python3 bench/make_resnet_trace.py bench/target/resnet18_traced.pt
jmh '\.CnnBench\.' -f 1 -wi 1 -w 2s -i 3 -r 2s -rf text -rff "$OUT/cnn-jmh.txt" > "$OUT/cnn-jmh.log" 2>&1 || true
jmh 'DjlCnnBench' -f 1 -wi 1 -w 2s -i 3 -r 2s -rf text -rff "$OUT/djl-cnn-jmh.txt" > "$OUT/djl-cnn-jmh.log" 2>&1 || true
/usr/bin/python3 bench/torch_round2_bench.py 2 1024 | tee "$OUT/torch-cnn-attention.txt" || true
bench/gpt-bench.sh 2 | tee "$OUT/gpt.txt" || true
for f in "$OUT"/*-jmh.txt; do echo "== $f"; cat "$f"; done
