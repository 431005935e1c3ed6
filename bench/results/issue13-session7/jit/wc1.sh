cd /tmp/s7
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
H=/work/ci-check; J=/work/ci-check/bench/target/benchmarks.jar
flock /tmp/rxon-build.lock java -Xmx1g -XX:+UseG1GC "-Drxon.jvm-options.orchestrator=-XX:TieredStopAtLevel=1" -Drxon.home=$H -cp $J io.rxon.bench.Bench warmup --runs=1 --out=/tmp/s7/jit/warmup-c1 --work=/tmp/s7/work-jit 2>&1 | grep -vE "DEBUG|^\s*at " | grep -E "^(run|1|median) " 
echo DONE $(date +%T)
