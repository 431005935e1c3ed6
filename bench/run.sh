#!/usr/bin/env bash
# Runs the benchmarks (see bench/README.md). Builds what is missing first.
#
#   bench/run.sh jmh [JMH options]                 micro-benchmarks (java -jar bench/target/benchmarks.jar)
#   bench/run.sh throughput|latency|connections|blob|driver|backlog|warmup|replicas|all [--key=value ...]
#   bench/run.sh jfr-summary FILE.jfr [TOP]
#
# BENCH_REBUILD=1 rebuilds even when the jars exist. BENCH_JAVA_OPTS adds options to the harness JVM.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=bench/target/benchmarks.jar
app=orchestrator/target/quarkus-app
worker=worker/target/quarkus-app
if [[ ! -f $jar || ! -f $app/quarkus-run.jar || ! -f $worker/quarkus-run.jar || ${BENCH_REBUILD:-0} == 1 ]]; then
  ./mvnw -B -o package -DskipTests -pl bench -am || ./mvnw -B package -DskipTests -pl bench -am
fi

if [[ $# -eq 0 ]]; then
  sed -n '2,9p' "$0"
  exit 2
fi

case $1 in
  jmh)
    shift
    exec java -jar "$jar" "$@"
    ;;
  jfr-summary)
    shift
    exec java -cp "$jar" io.rxon.bench.JfrSummary "$@"
    ;;
esac

# The harness starts the packaged orchestrator (and, for blob, worker) through the e2e harness (RxonHome). It runs
# private copies, so that a rebuild of */target by someone else during a run cannot pull the jars away.
snapshot=bench/target/snapshot
rm -rf "$snapshot"
mkdir -p "$snapshot/orchestrator/target" "$snapshot/worker/target"
cp -r "$app" "$snapshot/orchestrator/target/"
cp -r "$worker" "$snapshot/worker/target/"

# Thousands of simulated workers: small thread stacks, a heap for their transports, enough file descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec java -Xmx1g -XX:+UseG1GC ${BENCH_JAVA_OPTS:-} -Drxon.home="$snapshot" -cp "$jar" io.rxon.bench.Bench "$@"
