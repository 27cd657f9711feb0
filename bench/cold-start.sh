#!/usr/bin/env bash
# Issue 24 item 6: cold start of the MLP 784-256-10 training loop in fresh JVMs (default flags), jtensor
# without and with a JDK 25 AOT cache, beside DJL (libtorch 2.5.1). Prints one line per JVM (ColdStart's
# facts, milliseconds). OpenBLAS's variables are unset, as in every benchmark command (DESIGN section 8).
#   bench/cold-start.sh [runs per configuration, default 5] [steps per run, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
RUNS="${1:-5}"; STEPS="${2:-1000}"
source tools/jdk-env.sh
mvn_plain -q -B -ntp install -DskipTests -pl bench -am >/dev/null
mvn_plain -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" -Dmdep.includeScope=runtime >/dev/null
CP="$(ls bench/target/jtensor-bench-*.jar | head -1):$(cat bench/target/classpath.txt)"   # jars only: AOT caches need them
JAVA=(java --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch -cp "$CP")
MAIN=dev.jtensor.bench.peers.ColdStart
AOT=bench/target/jtensor-mlp.aot
rm -f "$AOT"
echo "cold-start: recording the AOT cache $AOT from one training run (-XX:AOTCacheOutput)"
"${JAVA[@]}" -XX:AOTCacheOutput="$AOT" "$MAIN" jtensor 300 >/dev/null 2>bench/target/aot-record.log || { cat bench/target/aot-record.log; exit 1; }
for run in $(seq "$RUNS"); do
  echo "run $run: jtensor      $("${JAVA[@]}" "$MAIN" jtensor "$STEPS" 2>/dev/null | grep coldstart)"
  echo "run $run: jtensor+AOT  $("${JAVA[@]}" -XX:AOTCache="$AOT" "$MAIN" jtensor "$STEPS" 2>/dev/null | grep coldstart)"
  echo "run $run: djl          $("${JAVA[@]}" "$MAIN" djl "$STEPS" 2>/dev/null | grep coldstart)"
done
