#!/usr/bin/env bash
# Final figures of session 8 on the package CI built from the final commit (/work/ci-check); nothing else running.
cd /tmp/s8; ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
H=/work/ci-check; J=$H/bench/target/benchmarks.jar; O=/tmp/s8/final
B() { echo "=== $1 $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) commit $(git -C $H rev-parse --short HEAD)"; shift
  java -Xmx1g -XX:+UseG1GC -Drxon.home=$H -cp $J io.rxon.bench.Bench "$@" 2>&1 | grep -vE "DEBUG|^\s*at " | grep -E "^[0-9]+ |JSON|^\|"; }
B driver driver --runs=3 --rates=200,400 --out=$O/driver --work=/tmp/s8/work-final
B stalls driver --runs=20 --rates=400 --closed=false --out=$O/stalls --work=/tmp/s8/work-final
B warmup warmup --runs=2 --out=$O/warmup --work=/tmp/s8/work-final
B backlog backlog --runs=1 --depths=0,1000000 --skills=extra --out=$O/backlog --work=/tmp/s8/work-final
echo DONE $(date +%T)
