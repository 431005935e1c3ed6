#!/usr/bin/env bash
# commit_delay A/B on the profiling PostgreSQL, package N (V16 + jvm.options)
cd /tmp/s8
export BENCH_JAR=/tmp/s8/bench-new.jar
set_cd() { su postgres -c "psql -h 127.0.0.1 -p 55432 -U rxon -d rxon -Atc \"alter system set commit_delay = $1\" -c \"alter system set commit_siblings = 3\" -c 'select pg_reload_conf()'" >/dev/null; }
for i in 1 2; do
  set_cd 0;   ./prof.sh /tmp/s8/N cd0-$i
  set_cd 200; ./prof.sh /tmp/s8/N cd200-$i
done
set_cd 0
echo DONE
