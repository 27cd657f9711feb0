#!/usr/bin/env bash
# The example Spark job, locally in one command:   examples/spark-job/run.sh [master] [work-dir]
# (default local[2] and a fresh temporary directory). It installs jtensor first, builds the job,
# and runs it with the JVM flags spark-submit adds on JDK 17+ plus jtensor's native access.
# On a cluster, submit target/spark-job-1.0.jar with target/lib/*.jar as --jars (see README, "Spark").
set -euo pipefail
cd "$(dirname "$0")"
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }
if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/javac" ]] || (( $(java_major "$JAVA_HOME") < 25 )); then
  for d in /usr/lib/jvm/*/; do d="${d%/}"; [[ -x "$d/bin/javac" ]] && (( $(java_major "$d") >= 25 )) && JAVA_HOME="$d"; done
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn_plain() { mvn "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'; }
MVN=(mvn_plain -B -ntp -q -Dstyle.color=never)
"${MVN[@]}" -f ../../pom.xml install -DskipTests -pl spark -am
# target/lib: what spark-submit needs besides the job jar (runtime scope: no Spark);
# target/spark-lib: Spark itself, for this local run only.
"${MVN[@]}" package dependency:copy-dependencies -DoutputDirectory=target/lib -DincludeScope=runtime
"${MVN[@]}" dependency:copy-dependencies -DoutputDirectory=target/spark-lib -DincludeScope=provided
# The JVM flags spark-submit adds on JDK 17+, plus jtensor's native access (one list: spark/jvm-flags.args).
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java @../../spark/jvm-flags.args -Xmx2g -cp "target/spark-job-1.0.jar:target/lib/*:target/spark-lib/*" \
  dev.jtensor.example.spark.SparkJob "$@"
