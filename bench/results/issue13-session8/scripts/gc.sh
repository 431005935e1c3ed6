#!/usr/bin/env bash
# GC choice on top of jvm.options (S): G1 (default here), Parallel, Serial; package N; the new bench jar passes jvm.options
cd /tmp/s8; export BENCH_JAR=/tmp/s8/bench-new.jar HOME_RX=/tmp/s8/N RES=res3
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
warm() { echo "=== $1 $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx1g -XX:+UseG1GC "-Drxon.jvm-options.orchestrator=$2" -Drxon.home=$HOME_RX -cp $BENCH_JAR io.rxon.bench.Bench warmup --runs=1 --out=/tmp/s8/res3/$1 --work=/tmp/s8/work-$1 2>&1 | grep -vE "DEBUG|^\s*at " | grep -E "^[0-9]+ |JSON"; }
for i in 1 2; do
  ./drv.sh G1-$i "" --runs=1 --rates=200,400
  ./drv.sh PAR-$i "-XX:+UseParallelGC" --runs=1 --rates=200,400
  ./drv.sh SER-$i "-XX:+UseSerialGC" --runs=1 --rates=200,400
done
warm WG1-1 ""; warm WPAR-1 "-XX:+UseParallelGC"; warm WSER-1 "-XX:+UseSerialGC"
echo DONE
