#!/usr/bin/env bash
# Round four's benchmark session (issues 21-24 continued), one quiet run, outputs in bench/results/round4/:
#  - service throughput of the shared eval MLP, jtensor beside DJL, 1/2/4/16 platform threads and jtensor on one core (24.1);
#  - cold start of the MLP loop in fresh JVMs, with and without an AOT cache, beside DJL (24.6), and the engine at the
#    round's start (BEFORE) against now, interleaved;
#  - tiny ops and the MLP step, BEFORE against now, interleaved (21: the Operand contract must not slow tiny ops);
#  - ResNet-18 batch 1, its training step at batch 32 and the 3x3 conv, beside DJL and PyTorch 1.13 (22);
#  - the GPT step and generation beside DJL and PyTorch (23), the LSTM step beside PyTorch and with the fused cells off (23).
# OpenBLAS's variables are unset, as in every benchmark command (DESIGN section 8).
#   bench/round4-bench.sh [BEFORE commit, default 33cb1fd]     (about 25 minutes on 2 cores; /usr/bin/python3 with torch)
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
BEFORE="${1:-33cb1fd}"
source tools/jdk-env.sh
OUT=bench/results/round4; mkdir -p "$OUT"
mvn_plain -q -B -ntp install -DskipTests -pl bench -am >/dev/null
mvn_plain -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" -Dmdep.includeScope=runtime >/dev/null
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
OLD_TREE="${OLD_TREE:-/tmp/jtensor-before-round4}"
if [[ ! -f "$OLD_TREE/engine/target/jtensor-engine-0.1.0-SNAPSHOT.jar" ]]; then
  rm -rf "$OLD_TREE"; git worktree prune
  git worktree add -q --detach "$OLD_TREE" "$BEFORE"
  (cd "$OLD_TREE" && mvn_plain -q -B -ntp package -DskipTests -pl engine -am >/dev/null)
fi
ENGINE_JAR="$(tr ':' '\n' < bench/target/classpath.txt | grep -m1 'jtensor-engine-')"
OLD_CP="${CP//$ENGINE_JAR/$OLD_TREE/engine/target/jtensor-engine-0.1.0-SNAPSHOT.jar}"
jmh() { java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main "$@"; }
Q=(-f 1 -wi 2 -w 1s -i 3 -r 1s)

{ for t in 1 2 4 16; do
    jmh 'ServiceThroughputBench\.(jtensor|djl)Request' -t "$t" "${Q[@]}" -rf text -rff "$OUT/mlp-t$t.txt" > "$OUT/mlp-t$t.log" 2>&1
    echo "== $t platform threads (requests/s, JMH sums the threads)"; grep -E "Request" "$OUT/mlp-t$t.txt"
  done
  jmh 'ServiceThroughputBench\.jtensorRequest' -t 1 -jvmArgsAppend -Djtensor.numThreads=1 "${Q[@]}" -rf text -rff "$OUT/mlp-t1-one-core.txt" \
    > "$OUT/mlp-t1-one-core.log" 2>&1
  echo "== 1 platform thread, jtensor on one core"; grep -E "Request" "$OUT/mlp-t1-one-core.txt"; } | tee "$OUT/service-throughput.txt"

bench/cold-start.sh 3 1000 | tee "$OUT/cold-start.txt"
for run in 1 2 3; do
  echo "run $run: before $(java --enable-native-access=ALL-UNNAMED -cp "$OLD_CP" dev.jtensor.bench.peers.ColdStart jtensor 1000 2>/dev/null | grep coldstart)"
  echo "run $run: after  $(java --enable-native-access=ALL-UNNAMED -cp "$CP" dev.jtensor.bench.peers.ColdStart jtensor 1000 2>/dev/null | grep coldstart)"
done | tee "$OUT/cold-start-before-after.txt"

for b in 'TinyOpBench' 'MlpTrainBench'; do
  for side in before after; do
    cp="$CP"; [[ $side == before ]] && cp="$OLD_CP"
    java --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "$b" -f 1 -wi 2 -w 1s -i 5 -r 1s -rf text -rff "$OUT/$b-$side.txt" \
      > "$OUT/$b-$side.log" 2>&1 || echo "($b $side failed: see $OUT/$b-$side.log)"
    echo "== $side: $b"; grep -E "avgt|thrpt" "$OUT/$b-$side.txt" 2>/dev/null || true
  done
done | tee "$OUT/before-after.txt"

[[ -f bench/target/resnet18_traced.pt ]] || /usr/bin/python3 bench/make_resnet_trace.py bench/target/resnet18_traced.pt
jmh 'CnnBench\.(conv3x3Batch1|resnet18Batch1|resnet18TrainStep32)$' -f 1 -wi 2 -w 2s -i 3 -r 2s -rf text -rff "$OUT/cnn-jmh.txt" > "$OUT/cnn-jmh.log" 2>&1 || true
jmh 'DjlCnnBench\.resnet18Batch1' -f 1 -wi 2 -w 2s -i 3 -r 2s -rf text -rff "$OUT/djl-cnn-jmh.txt" > "$OUT/djl-cnn-jmh.log" 2>&1 || true
/usr/bin/python3 bench/torch_round2_bench.py 2 1024 | tee "$OUT/torch-cnn-attention.txt" || true

jmh 'LstmBench' -f 1 -wi 2 -w 5s -i 3 -r 5s -rf text -rff "$OUT/lstm-jmh.txt" > "$OUT/lstm-jmh.log" 2>&1 || true
jmh 'LstmBench' -jvmArgsAppend -Djtensor.fusedRnn=false -f 1 -wi 2 -w 5s -i 3 -r 5s -rf text -rff "$OUT/lstm-composed-jmh.txt" \
  > "$OUT/lstm-composed-jmh.log" 2>&1 || true
/usr/bin/python3 bench/torch_lstm_bench.py 2 | tee "$OUT/torch-lstm.txt" || true
bench/gpt-bench.sh 2 | tee "$OUT/gpt.txt" || true
for f in "$OUT"/*-jmh.txt; do echo "== $f"; cat "$f"; done
