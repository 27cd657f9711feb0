#!/usr/bin/env bash
# Round three's benchmark session (issues 21-24), one quiet run, outputs in bench/results/round3/: service
# throughput of the MLP and a CNN with a one-core row (24 item 1), cold start with and without an AOT cache (24
# item 6), ResNet-18 and the 3x3 conv beside DJL (TorchScript trace) and PyTorch 1.13 (22), the GPT step and
# generation beside DJL and PyTorch (23), and issue 21's rows against the engine before issue 21 (interleaved).
# OpenBLAS's variables are unset here, as in every benchmark command (DESIGN section 8).
#   bench/round3-bench.sh            (about 25 minutes on 2 cores; needs /usr/bin/python3 with torch)
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
source tools/jdk-env.sh
OUT=bench/results/round3; mkdir -p "$OUT"
QUICK=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
bench/service-throughput.sh -f 1 -wi 3 -w 1s -i 5 -r 1s | tee "$OUT/service-throughput.txt"
bench/cold-start.sh 3 1000 | tee "$OUT/cold-start.txt"
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
jmh() { java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main "$@"; }
/usr/bin/python3 bench/make_resnet_trace.py bench/target/resnet18_traced.pt
jmh '\.CnnBench\.' -f 1 -wi 1 -w 2s -i 3 -r 2s -rf text -rff "$OUT/cnn-jmh.txt" > "$OUT/cnn-jmh.log" 2>&1 || true
jmh 'DjlCnnBench' -f 1 -wi 1 -w 2s -i 3 -r 2s -rf text -rff "$OUT/djl-cnn-jmh.txt" > "$OUT/djl-cnn-jmh.log" 2>&1 || true
/usr/bin/python3 bench/torch_round2_bench.py 2 1024 | tee "$OUT/torch-cnn-attention.txt" || true
bench/gpt-bench.sh 2 | tee "$OUT/gpt.txt" || true
bench/issue21-before-after.sh | tee "$OUT/issue21-before-after.txt"
for f in "$OUT"/*-jmh.txt; do echo "== $f"; cat "$f"; done
