#!/usr/bin/env bash
# Interleaved A/B of the driver scenario: B = e841dce (generic plans), C = a5c43e6 (V15: HOT claim updates; plus merged socket and tidy branches)
cd /tmp/s7
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
for i in 1 2 3; do
  for n in B C; do
    echo "=== $n run $i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
    flock /tmp/rxon-build.lock java -Xmx1g -XX:+UseG1GC -Drxon.home=/tmp/s7/$n -cp /tmp/s7/bench.jar io.rxon.bench.Bench driver --runs=1 --rates=200,400 --out=/tmp/s7/ab2/$n-$i --work=/tmp/s7/work-$n 2>&1 | grep -vE "DEBUG|^\s*at " | grep -E "^[0-9] |stalled|jobs/s" | tail -6
  done
done
echo DONE
