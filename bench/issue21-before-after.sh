#!/usr/bin/env bash
# Issue 21's proof: the same JMH benchmarks (this tree's bench classes) against the engine before issue 21
# (BEFORE, default: main just before the index verbs were merged) and the engine of this tree, interleaved
# benchmark by benchmark in one session: embedding forward / forward+backward of 4,096 tokens (dim 512,
# vocabulary 50k), cross entropy over 4,096 x 8k logits, x[mask] on 16M elements, the tiny 2x2 ops, the host-data
# door's copies and the MLP training step. The old engine is built (package, no install) in a detached worktree.
# OpenBLAS's variables are unset, as in every benchmark command (DESIGN section 8).
#   bench/issue21-before-after.sh [BEFORE commit] [extra JMH options]
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
BEFORE="${1:-e50c62d^1}"; shift || true
OPTS=(-f 1 -wi 1 -w 1s -i 3 -r 1s)
if [[ $# -gt 0 ]]; then OPTS=("$@"); fi
source tools/jdk-env.sh
OLD_TREE="${OLD_TREE:-/tmp/jtensor-before-21}"
if [[ ! -f "$OLD_TREE/engine/target/jtensor-engine-0.1.0-SNAPSHOT.jar" ]]; then
  rm -rf "$OLD_TREE"; git worktree prune
  git worktree add -q --detach "$OLD_TREE" "$BEFORE"
  (cd "$OLD_TREE" && mvn_plain -q -B -ntp package -DskipTests -pl engine -am >/dev/null)
fi
mvn_plain -q -B -ntp install -DskipTests -pl bench -am >/dev/null
mvn_plain -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt" -Dmdep.includeScope=runtime >/dev/null
NEW_CP="bench/target/classes:$(cat bench/target/classpath.txt)"
ENGINE_JAR="$(tr ':' '\n' < bench/target/classpath.txt | grep -m1 'jtensor-engine-')"
OLD_CP="${NEW_CP//$ENGINE_JAR/$OLD_TREE/engine/target/jtensor-engine-0.1.0-SNAPSHOT.jar}"
OUT=bench/target/issue21; mkdir -p "$OUT"
for b in 'IndexingBench' 'TinyOpBench.(add2x2|add2x2Out|mul2x2|exp2x2|addRow2x2|where2x2)$' 'HostDataBench' 'MlpTrainBench'; do
  for side in before after; do
    cp="$NEW_CP"; [[ $side == before ]] && cp="$OLD_CP"
    name="${b%%[.]*}-$side"
    java --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "$b" "${OPTS[@]}" -rf text -rff "$OUT/$name.txt" > "$OUT/$name.log" 2>&1 \
      || echo "($name failed: see $OUT/$name.log)"
    echo "== $side: $b"; grep -E "avgt|thrpt" "$OUT/$name.txt" 2>/dev/null || true
  done
done
