# jtensor's build environment, sourced by ./jt and the example/benchmark scripts: finds a JDK >= 25
# (JAVA_HOME if it is one, else the newest under /usr/lib/jvm, else stops saying what to install), puts it
# on PATH, checks for Maven and defines mvn_plain (Maven without colour codes).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }

find_jdk() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" ]] && (( $(java_major "$JAVA_HOME") >= 25 )); then
    echo "$JAVA_HOME"; return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*/; do
    d="${d%/}"
    [[ -x "$d/bin/javac" ]] || continue
    v="$(java_major "$d")"; v="${v:-0}"
    if (( v >= 25 && v > best_v )); then best="$d"; best_v=$v; fi
  done
  if [[ -z "$best" ]]; then
    echo "jt: no JDK >= 25 found (JAVA_HOME='${JAVA_HOME:-}', nothing suitable under /usr/lib/jvm)." >&2
    echo "jt: install one, e.g. 'apt-get install temurin-25-jdk' or unpack a JDK 25 and set JAVA_HOME." >&2
    exit 1
  fi
  echo "$best"
}

JAVA_HOME="$(find_jdk)"; export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null || { echo "jt: Maven (mvn) is required: apt-get install maven" >&2; exit 1; }
# Maven itself (guava) calls sun.misc.Unsafe on JDK 25; allow it quietly. No colour codes in logs.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
# Debian's Maven 3.8.7 prints ANSI reset codes even in batch mode: strip them (exit status kept by pipefail).
mvn_plain() { mvn "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'; }

