#!/usr/bin/env bash
# Issue 24 item 1: requests/s of a shared eval MLP (256-512-10, batch 32) for 1, 2, 4, 8, 16, 64 platform
# threads and 64 / 1,000 virtual threads: jtensor, DJL (libtorch 2.5.1, a Predictor per thread), ND4J, in one
# run. OpenBLAS's variables are unset here, as every benchmark command in this project does (DESIGN section 8).
#   bench/service-throughput.sh [extra JMH options]     e.g. -wi 3 -i 5 -w 2 -r 2
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
OPTS=(-f 1 -wi 3 -w 2s -i 5 -r 2s "$@")
./jt bench 'ServiceThroughputBench\.(jtensor|djl|nd4j)Request' -t 1 "${OPTS[@]}" -rf text -rff /tmp/st-t1.txt
for t in 2 4 8 16 64; do
  java_bench_args=(-t "$t" "${OPTS[@]}" -rf text -rff "/tmp/st-t$t.txt")
  ./jt bench 'ServiceThroughputBench\.(jtensor|djl|nd4j)Request' "${java_bench_args[@]}"
done
./jt bench 'ServiceThroughputBench\.(jtensor|djl|nd4j)Virtual' "${OPTS[@]}" -rf text -rff /tmp/st-virtual.txt
for f in /tmp/st-t1.txt /tmp/st-t2.txt /tmp/st-t4.txt /tmp/st-t8.txt /tmp/st-t16.txt /tmp/st-t64.txt /tmp/st-virtual.txt; do
  echo "== $f"; cat "$f"
done
