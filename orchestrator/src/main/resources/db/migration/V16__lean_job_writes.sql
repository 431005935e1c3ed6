-- Every task and every event row checked its job through a foreign key: a look-up of the job and a
-- KEY SHARE lock on its row (a WAL record one time in two) for each row inserted, four per plain job:
-- 6 % of PostgreSQL's CPU in a perf profile of a driver round (bench/README.md, "Session 8"). Rows of both
-- tables are only ever written for a job this orchestrator has just read or written in the same
-- transaction, and jobs are deleted by one statement only (JobRetention, for jobs ended days ago), so
-- the keys guard nothing a statement does not already check. What they did on delete stays: a
-- statement trigger removes the tasks and events of every deleted job (cascaded child jobs of a
-- workflow included), in the deleting transaction.
ALTER TABLE tasks DROP CONSTRAINT tasks_job_id_fkey;
ALTER TABLE job_events DROP CONSTRAINT job_events_job_id_fkey;

CREATE FUNCTION delete_rows_of_deleted_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tasks WHERE job_id IN (SELECT id FROM deleted_jobs);
    DELETE FROM job_events WHERE job_id IN (SELECT id FROM deleted_jobs);
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_deleted AFTER DELETE ON jobs REFERENCING OLD TABLE AS deleted_jobs
    FOR EACH STATEMENT EXECUTE FUNCTION delete_rows_of_deleted_jobs();

-- Autovacuum analyses the queue's tables after 2 % of change (V7) and sorted a sample of every
-- column each time, these JSON documents included, which no statement filters, joins or sorts on:
-- comparing JSON documents for those sorts was 7 % of PostgreSQL's CPU in the same profile. Their
-- statistics are no longer gathered.
ALTER TABLE jobs ALTER COLUMN params SET STATISTICS 0, ALTER COLUMN params_metadata SET STATISTICS 0,
                 ALTER COLUMN requirements SET STATISTICS 0, ALTER COLUMN result SET STATISTICS 0,
                 ALTER COLUMN result_metadata SET STATISTICS 0, ALTER COLUMN error SET STATISTICS 0,
                 ALTER COLUMN security SET STATISTICS 0, ALTER COLUMN metadata SET STATISTICS 0;
ALTER TABLE tasks ALTER COLUMN requirements SET STATISTICS 0, ALTER COLUMN result SET STATISTICS 0;
ALTER TABLE job_events ALTER COLUMN payload SET STATISTICS 0;
