begin;
create temp table src as select j.id old_job, t.id old_task, gen_random_uuid()::text new_job, gen_random_uuid()::text new_task from jobs j join tasks t on t.id=j.current_task_id limit 56;
insert into jobs select (jsonb_populate_record(null::jobs, to_jsonb(j) || jsonb_build_object('id', s.new_job, 'current_task_id', s.new_task, 'status','waiting_for_worker','finished_at',null,'result',null,'assigned_worker_id',null,'attempts',0))).* from jobs j join src s on s.old_job=j.id;
insert into tasks select (jsonb_populate_record(null::tasks, to_jsonb(t) || jsonb_build_object('id', s.new_task, 'job_id', s.new_job, 'status','pending','worker_id',null,'result',null,'finished_at',null,'dispatched_at',null,'lease_expires_at',null,'seq', nextval('task_seq')))).* from tasks t join src s on s.old_task=t.id;
commit;
select count(*) from tasks where status='pending';
select distinct type from tasks;
