cd /tmp/s7
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
for n in B A; do
echo "=== $n $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
flock /tmp/rxon-build.lock java -Xmx1g -XX:+UseG1GC -Drxon.home=/tmp/s7/$n -cp /tmp/s7/bench.jar io.rxon.bench.Bench backlog --runs=1 --depths=0,1000000 --skills=extra --out=/tmp/s7/backlog/$n --work=/tmp/s7/work-bl-$n 2>&1 | grep -vE "DEBUG|^\s*at " | tail -8
done
echo DONE
