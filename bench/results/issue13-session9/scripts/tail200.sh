#!/usr/bin/env bash
# 200/s only: base (de2c37b) / final (async claims) / final with durable claims, interleaved
cd /tmp/s9; ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
F=/work/ci-check; BASE=/tmp/s9/base; J=$F/bench/target/benchmarks.jar; O=/tmp/s9/tail200
B() { label=$1; home=$2; opts=$3; shift 3
  echo "=== $label $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx1g -XX:+UseG1GC "-Drxon.jvm-options.orchestrator=$opts" -Drxon.home=$home -cp $J io.rxon.bench.Bench driver --runs=1 --rates=200 --closed=false --out=$O/$label --work=/tmp/s9/work-$label 2>&1 \
    | grep -vE "DEBUG|^\s*at " | grep -E "^1 "; }
for i in 1 2 3 4; do
  B base-$i $BASE ""
  B async-$i $F ""
  B durable-$i $F "-Drxon.orchestrator.database.durable-claims=true"
done
echo DONE $(date +%T)
