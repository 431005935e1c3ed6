#!/usr/bin/env bash
# JIT settings of the orchestrator JVM, interleaved on the package CI built from 583c7ee:
# D = defaults, C1 = -XX:TieredStopAtLevel=1, T4 = C2 only for hotter code (Tier4 thresholds x3)
cd /tmp/s7
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
H=/work/ci-check; J=/work/ci-check/bench/target/benchmarks.jar
for i in 1 2; do
  for n in D C1 T4; do
    case $n in
      D) opts="";;
      C1) opts="-XX:TieredStopAtLevel=1";;
      T4) opts="-XX:Tier4InvocationThreshold=15000 -XX:Tier4MinInvocationThreshold=1800 -XX:Tier4CompileThreshold=45000 -XX:Tier4BackEdgeThreshold=120000";;
    esac
    echo "=== $n run $i $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
    flock /tmp/rxon-build.lock java -Xmx1g -XX:+UseG1GC "-Drxon.jvm-options.orchestrator=$opts" -Drxon.home=$H -cp $J io.rxon.bench.Bench driver --runs=1 --rates=200,400 --out=/tmp/s7/jit/$n-$i --work=/tmp/s7/work-jit 2>&1 | grep -vE "DEBUG|^\s*at " | grep -E "^1 " | tail -4
  done
done
echo DONE $(date +%T)
