#!/usr/bin/env bash
# Throughput of one DatabendSinkTask (TaskThroughput.java) against a Databend at $1 (host:port),
# on the JDK in JAVA_HOME (or PATH), with no JVM flags. Build first: npm run package-plugin.
# usage: connect-plugin/bench/run.sh 127.0.0.1:8000 [records=200000] [batch=10000] [insert|upsert]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
mvn -o -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="target/classes:$(cat target/bench-classpath.txt)"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" -cp "$cp" "$here/TaskThroughput.java" "$1" "${2:-200000}" "${3:-10000}" "${4:-insert}"
