#!/usr/bin/env bash
# Throughput of one DatabendSinkTask (TaskThroughput.java) against a Databend at $1 (host:port),
# on the JDK in JAVA_HOME (or PATH), with no JVM flags. Build first: npm run package-plugin.
# usage: connect-plugin/bench/run.sh 127.0.0.1:8000 [records=200000] [batch=10000] [insert|upsert] [task class]
# BENCH_CLASSPATH replaces this plugin's classes (another connector's jars, with its task class as
# the fifth argument); JAVA_FLAGS adds JVM flags (the optimizing runtime, docs/benchmarks.md), or
# -Dfallback=0.1: that fraction of records with a double the JDK writes with an exponent (TaskThroughput.java).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="${BENCH_CLASSPATH:-target/classes:$(cat target/bench-classpath.txt)}"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# shellcheck disable=SC2086
exec "$java" ${JAVA_FLAGS:-} -cp "$cp" "$here/TaskThroughput.java" "$1" "${2:-200000}" "${3:-10000}" "${4:-insert}" ${5:+"$5"}
