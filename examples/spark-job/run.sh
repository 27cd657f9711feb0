#!/usr/bin/env bash
# The example Spark job, locally in one command:   examples/spark-job/run.sh [master] [work-dir]
# (default local[2] and a fresh temporary directory). It installs jtensor first, builds the job,
# and runs it with the JVM flags spark-submit adds on JDK 17+ plus jtensor's native access.
# On a cluster, submit target/spark-job-1.0.jar with target/lib/*.jar as --jars (see README, "Spark").
set -euo pipefail
cd "$(dirname "$0")"
source ../../tools/jdk-env.sh   # JDK >= 25, Maven, mvn_plain
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
