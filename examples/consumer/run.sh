#!/usr/bin/env bash
# Builds this consumer against the installed jtensor-engine and runs it on the MODULE path,
# with the one flag jtensor needs: --enable-native-access=dev.jtensor. Called by `./jt test`.
set -euo pipefail
cd "$(dirname "$0")"
mvn_plain() { mvn "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'; }
MVN=(mvn_plain -B -ntp -q -Dstyle.color=never)
"${MVN[@]}" package dependency:copy-dependencies -DoutputDirectory=target/modules -DincludeScope=runtime
out="$(java --enable-native-access=dev.jtensor -p target/classes:target/modules -m dev.jtensor.example/dev.jtensor.example.Main 2>&1)"
echo "$out"
if grep -q "WARNING" <<<"$out"; then echo "consumer: unexpected JVM warning" >&2; exit 1; fi
grep -q "consumer OK" <<<"$out"
