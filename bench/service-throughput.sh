#!/usr/bin/env bash
# Issue 24 item 1: requests/s of a shared eval MLP (256-512-10, batch 32) for 1, 2, 4, 8, 16, 64 platform
# threads and 64 / 1,000 virtual threads: jtensor, DJL (libtorch 2.5.1, a Predictor per thread), ND4J, in one
# run; and a small CNN (ServiceCnnThroughputBench, jtensor and DJL) at the same platform thread counts.
# OpenBLAS's variables are unset here, as every benchmark command in this project does (DESIGN section 8).
#   bench/service-throughput.sh [extra JMH options]     default: -f 1 -wi 3 -w 2s -i 5 -r 2s
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
source tools/jdk-env.sh
mvn_plain -q -B -ntp install -DskipTests -pl bench -am >/dev/null
mvn_plain -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" -Dmdep.includeScope=runtime >/dev/null
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
OPTS=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
if [[ $# -gt 0 ]]; then OPTS=("$@"); fi   # options given replace the defaults (JMH refuses a repeated -i)
OUT=bench/target/service-throughput; mkdir -p "$OUT"
for t in 1 2 4 8 16 64; do
  java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main 'ServiceThroughputBench\.(jtensor|djl|nd4j)Request' \
    -t "$t" "${OPTS[@]}" -rf text -rff "$OUT/t$t.txt" > "$OUT/t$t.log" 2>&1
  echo "== $t platform threads (requests/s, JMH sums the threads)"; grep -E "Request" "$OUT/t$t.txt"
  java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main 'ServiceCnnThroughputBench\.(jtensor|djl)CnnRequest' \
    -t "$t" "${OPTS[@]}" -rf text -rff "$OUT/cnn-t$t.txt" > "$OUT/cnn-t$t.log" 2>&1
  echo "== CNN, $t platform threads"; grep -E "Request" "$OUT/cnn-t$t.txt"
done
# One caller on one core (jtensor's intra-op pool and OpenBLAS at 1 thread): the per-core throughput that N callers
# on N cores should multiply (the issue's "best single-call throughput x cores").
java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main 'ServiceThroughputBench\.jtensorRequest' \
  -t 1 -jvmArgsAppend -Djtensor.numThreads=1 "${OPTS[@]}" -rf text -rff "$OUT/t1-one-core.txt" > "$OUT/t1-one-core.log" 2>&1
echo "== 1 platform thread, jtensor on one core (-Djtensor.numThreads=1)"; grep -E "Request" "$OUT/t1-one-core.txt"
java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main 'ServiceThroughputBench\.(jtensor|djl|nd4j)Virtual' \
  "${OPTS[@]}" -rf text -rff "$OUT/virtual.txt" > "$OUT/virtual.log" 2>&1
echo "== virtual threads (the requests row is requests/s)"; grep -E "Virtual" "$OUT/virtual.txt"
