#!/usr/bin/env bash
# Issue 12's side-by-side table in one session: every workload for jtensor, DJL (libtorch 2.5.1, offline)
# and ND4J in JMH (bench/src/main/java/dev/jtensor/bench/peers/: the same methods in JtensorRows, DjlRows,
# Nd4jRows; jtensor with default JVM flags, no jdk.incubator.vector), then PyTorch 1.13 and NumPy from
# Python (bench/peers/torch_numpy_rows.py), then the machine's read/write limit (bench/native/stream_cpu.c),
# one after the other while holding /tmp/jmh.lock, with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.
# Raw outputs go to bench/results/issue12-<UTC time>/ (jmh.json, jmh.txt, python.txt, stream.txt), the
# markdown table to table.md there and to stdout (bench/peers/issue12_table.py).
#
#   bench/issue12-table.sh [JMH options]      default: -f 1 -wi 10 -w 2s -i 5 -r 1s (about 16 minutes in all; 20 s of
#                                            warm-up: jtensor's autograd path needs ~15 s of JIT on 2 cores, the MLP step
#                                            measured 4.8-6.5 ms after 3 s and 1.9 ms after 30 s)
#   smoke run:  bench/issue12-table.sh -f 1 -wi 0 -i 1 -r 200ms   (with PY_REPEAT=3)
# Environment: SELECT (JMH regex, default every row of the three classes), THREADS (PyTorch's and the C
# loop's threads, default 2 = the JVM libraries' default on this 2-core machine), PY_REPEAT (timed batches
# per Python row, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."
source "$(pwd)/tools/jdk-env.sh"   # JDK >= 25, Maven, mvn_plain

SELECT="${SELECT:-\.peers\.(Jtensor|Djl|Nd4j)Rows\.}"
THREADS="${THREADS:-2}"
PY_REPEAT="${PY_REPEAT:-30}"
JMH=("$@")
if (( ${#JMH[@]} == 0 )); then JMH=(-f 1 -wi 10 -w 2s -i 5 -r 1s); fi
OUT="bench/results/issue12-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

# Build without installing: the reactor's engine jar, not a stale one from ~/.m2.
mvn_plain -o -B -ntp -q -Dstyle.color=never package -DskipTests -Djtensor.cuda.skip=true -pl bench -am \
  dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >/dev/null
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
gcc -O3 -march=native -pthread -o "$WORK/stream_cpu" bench/native/stream_cpu.c
# PyTorch on the OpenBLAS 0.3.28 jtensor loads (Debian's torch otherwise links the reference BLAS).
BLAS_DIR="$HOME/.cache/jtensor/openblas-0.3.28-1.5.11-linux-x86_64"
for l in libblas.so.3 liblapack.so.3; do ln -sf "$BLAS_DIR/libopenblas.so.0" "$WORK/$l"; done

measure() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }

exec 9>>/tmp/jmh.lock
echo "issue12-table: waiting for /tmp/jmh.lock" >&2
flock 9
{
  echo "commit $(git rev-parse HEAD)$(git diff --quiet || echo ' (with uncommitted changes)')"
  echo "start $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -m1 'model name' /proc/cpuinfo; echo "cores $(nproc)"; java -version 2>&1 | head -1
  echo "JMH options: ${JMH[*]}; Python: $THREADS threads, $PY_REPEAT batches per row"
} > "$OUT/session.txt"
measure java --enable-native-access=ALL-UNNAMED -cp "$CP" org.openjdk.jmh.Main "$SELECT" "${JMH[@]}" \
  -rf json -rff "$OUT/jmh.json" > "$OUT/jmh.txt" 2>&1 || { tail -40 "$OUT/jmh.txt" >&2; exit 1; }
measure env LD_LIBRARY_PATH="$WORK:$BLAS_DIR" /usr/bin/python3 bench/peers/torch_numpy_rows.py "$THREADS" "$PY_REPEAT" \
  > "$OUT/python.txt"
measure "$WORK/stream_cpu" "$THREADS" > "$OUT/stream.txt"
echo "end $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/session.txt"
flock -u 9

if grep -q "<failure>\|Exception" "$OUT/jmh.txt"; then echo "issue12-table: some benchmarks failed, see $OUT/jmh.txt" >&2; fi
python3 bench/peers/issue12_table.py "$OUT" | tee "$OUT/table.md"
echo "raw outputs: $OUT" >&2
