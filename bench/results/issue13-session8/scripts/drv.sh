#!/usr/bin/env bash
# usage: drv.sh <label> "<orchestrator jvm options>" [driver args...]; embedded PostgreSQL, package /work/ci-check unless HOME_RX set
label=$1; opts=$2; shift 2
cd /tmp/s8; ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "=== $label $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -XX:+UseG1GC "-Drxon.jvm-options.orchestrator=$opts" -Drxon.home=${HOME_RX:-/work/ci-check} -cp ${BENCH_JAR:-/tmp/s8/bench.jar} io.rxon.bench.Bench driver --out=/tmp/s8/${RES:-res}/$label --work=/tmp/s8/work-$label "$@" 2>&1 | grep -vE "DEBUG|^\s*at " | grep -E "^[0-9]+ |JSON"
