#!/usr/bin/env bash
# Runs a Spark harness of bench/ (measured mains, not JMH) with Spark on the class path and the JVM flags
# of spark/jvm-flags.args: SparkInferenceBench (default) or SparkTrainingBench. Benchmarks run with
# OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset:
#   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/spark-bench.sh [SparkInferenceBench|SparkTrainingBench]
set -euo pipefail
cd "$(dirname "$0")/.."
source "$(pwd)/tools/jdk-env.sh"   # JDK >= 25, Maven, mvn_plain
mvn_plain -B -ntp -q -Dstyle.color=never install -DskipTests -pl bench -am
mvn_plain -B -ntp -q -Dstyle.color=never -pl bench dependency:build-classpath \
  -Dmdep.outputFile=target/spark-bench-classpath.txt -Dmdep.includeScope=compile >/dev/null
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java @spark/jvm-flags.args -Xmx3g -cp "bench/target/classes:$(cat bench/target/spark-bench-classpath.txt)" \
  "dev.jtensor.bench.${1:-SparkInferenceBench}"
