#!/usr/bin/env bash
# Session 9 final figures: the package CI built from the final commit (/work/ci-check) against the package of
# de2c37b (session 8's last commit, /tmp/s9/base), interleaved, on this session's machine; nothing else running.
cd /tmp/s9; ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
F=/work/ci-check; BASE=/tmp/s9/base; J=$F/bench/target/benchmarks.jar; O=/tmp/s9/final9
B() { label=$1; home=$2; shift 2
  echo "=== $label $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) home $home"
  java -Xmx1g -XX:+UseG1GC -Drxon.home=$home -cp $J io.rxon.bench.Bench "$@" --out=$O/$label --work=/tmp/s9/work-$label 2>&1 \
    | grep -vE "DEBUG|^\s*at " | grep -E "^[0-9]+ |JSON|^\|"; }
for i in 1 2 3; do
  B base-$i $BASE driver --runs=1 --rates=200,400
  B final-$i $F driver --runs=1 --rates=200,400
done
for i in 1 2; do
  B wbase-$i $BASE warmup --runs=1
  B wfinal-$i $F warmup --runs=1
done
B backlog-final $F backlog --runs=1 --depths=0,1000000 --skills=extra
B stalls-final $F driver --runs=20 --rates=400 --closed=false
echo DONE $(date +%T)
