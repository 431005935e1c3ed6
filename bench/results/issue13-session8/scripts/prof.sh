#!/usr/bin/env bash
# usage: prof.sh <rxon.home> <label> [driver args]
home=$1; label=$2; shift 2
cd /tmp/s8; ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
Q() { su postgres -c "psql -h 127.0.0.1 -p 55432 -U rxon -d rxon -At -c \"$1\""; }
Q "truncate jobs cascade; truncate job_events; truncate workers cascade" >/dev/null
Q "vacuum analyze" >/dev/null; Q "checkpoint" >/dev/null
Q "select pg_stat_statements_reset(); select pg_stat_reset_shared('wal'); select pg_stat_reset()" >/dev/null
python3 /tmp/s8/pgcpu.py > /tmp/s8/$label-pgcpu.txt & S=$!
export QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:55432/rxon
export QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:55432/rxon
export QUARKUS_DATASOURCE_USERNAME=rxon QUARKUS_DATASOURCE_PASSWORD=rxon
java -Xmx1g -XX:+UseG1GC -Drxon.home=$home -cp ${BENCH_JAR:-/tmp/s8/bench.jar} io.rxon.bench.Bench driver --runs=1 --rates=200 --warm-round=false --out=/tmp/s8/prof-$label --work=/tmp/s8/work-prof "$@" 2>&1 | grep -vE "DEBUG|^\s*at " | tail -4
kill $S; sleep 1
{ echo "== $label"; cat /tmp/s8/$label-pgcpu.txt
su postgres -c "psql -h 127.0.0.1 -p 55432 -U rxon -d rxon" <<'SQL'
select wal_records, wal_fpi, pg_size_pretty(wal_bytes) wal_bytes, wal_write, wal_sync from pg_stat_wal;
select sum(calls) calls, round(sum(total_exec_time)::numeric) exec_ms, round(sum(total_plan_time)::numeric) plan_ms, sum(wal_records) wal_rec, sum(wal_fpi) fpi, pg_size_pretty(sum(wal_bytes)) wal from pg_stat_statements;
select calls, round(total_exec_time::numeric) exec_ms, round((1000*total_exec_time/nullif(calls,0))::numeric) us_per_call, rows, wal_records, wal_fpi, pg_size_pretty(wal_bytes) wal,
       left(regexp_replace(query, '\s+', ' ', 'g'), 90) q
from pg_stat_statements order by total_exec_time + total_plan_time desc limit 12;
select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_dead_tup, autovacuum_count, autoanalyze_count from pg_stat_user_tables order by n_tup_ins + n_tup_upd desc limit 6;
SQL
} | tee /tmp/s8/$label-profile.txt
