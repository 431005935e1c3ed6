alter table tasks set (autovacuum_enabled = false); alter table jobs set (autovacuum_enabled = false);
begin;
create temp table src as select j.id old_job, t.id old_task from jobs j join tasks t on t.id=j.current_task_id where t.status='succeeded' limit 1;
create temp table gen as select gen_random_uuid()::text new_job, gen_random_uuid()::text new_task from generate_series(1,50000);
insert into jobs select (jsonb_populate_record(null::jobs, to_jsonb(j) || jsonb_build_object('id', g.new_job, 'current_task_id', g.new_task, 'status','waiting_for_worker','finished_at',null,'result',null,'assigned_worker_id',null,'attempts',0))).* from jobs j join src s on s.old_job=j.id cross join gen g;
insert into tasks select (jsonb_populate_record(null::tasks, to_jsonb(t) || jsonb_build_object('id', g.new_task, 'job_id', g.new_job, 'status','pending','worker_id',null,'result',null,'finished_at',null,'dispatched_at',null,'lease_expires_at',null,'seq', nextval('task_seq')))).* from tasks t join src s on s.old_task=t.id cross join gen g;
commit;
select count(*) from tasks where status='pending';
select reltuples, relpages from pg_class where relname in ('tasks','tasks_pending');
