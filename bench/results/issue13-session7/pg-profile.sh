#!/usr/bin/env bash
# Where PostgreSQL's time goes in a driver round: the packaged orchestrator B against a Debian PostgreSQL 15
# with pg_stat_statements (fsync and synchronous_commit on, as embedded).
cd /tmp/s7
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
Q() { su postgres -c "psql -h 127.0.0.1 -p 55432 -U rxon -d rxon -At -c \"$1\""; }
Q "select pg_stat_statements_reset()"
export QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:55432/rxon
export QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:55432/rxon
export QUARKUS_DATASOURCE_USERNAME=rxon QUARKUS_DATASOURCE_PASSWORD=rxon
java -Xmx1g -XX:+UseG1GC -Drxon.home=/tmp/s7/${1:-B} -cp /tmp/s7/bench.jar io.rxon.bench.Bench driver --runs=1 --rates=200 --warm-round=false --out=/tmp/s7/prof --work=/tmp/s7/work-prof 2>&1 | grep -vE "DEBUG|^\s*at " | tail -8
su postgres -c "psql -h 127.0.0.1 -p 55432 -U rxon -d rxon" <<'SQL'
select sum(calls) calls, round(sum(total_exec_time)::numeric) exec_ms, round(sum(total_plan_time)::numeric) plan_ms from pg_stat_statements;
select calls, round(total_exec_time::numeric) exec_ms, round(total_plan_time::numeric) plan_ms,
       round((1000*total_exec_time/calls)::numeric) us_per_call, rows, wal_records, shared_blks_hit,
       left(regexp_replace(query, '\s+', ' ', 'g'), 110) q
from pg_stat_statements order by total_exec_time + total_plan_time desc limit 22;
select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_dead_tup from pg_stat_user_tables order by n_tup_ins + n_tup_upd desc limit 8;
SQL
