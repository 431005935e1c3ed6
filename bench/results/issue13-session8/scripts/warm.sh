#!/usr/bin/env bash
cd /tmp/s8; ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
run() { echo "=== $1 $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx1g -XX:+UseG1GC "-Drxon.jvm-options.orchestrator=$2" -Drxon.home=${HOME_RX:-/work/ci-check} -cp /tmp/s8/bench.jar io.rxon.bench.Bench warmup --runs=1 --out=/tmp/s8/res/$1 --work=/tmp/s8/work-$1 2>&1 | grep -vE "DEBUG|^\s*at " | grep -E "^[0-9]+ |JSON"; }
for i in 1 2; do
  run WD-$i ""
  run WI-$i "-XX:MaxInlineLevel=9 -XX:InlineSmallCode=1000"
  run WS-$i "-XX:MaxInlineLevel=9 -XX:InlineSmallCode=500 -XX:FreqInlineSize=100"
done
echo DONE
