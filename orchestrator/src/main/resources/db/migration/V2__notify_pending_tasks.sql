-- Wakes parked workers on every orchestrator when a task becomes pending anywhere: the
-- notification is delivered at commit, carries the creating instance (application_name) so that
-- instance can skip its own, and the task id so the others offer exactly that task to matching workers.
CREATE FUNCTION rxon_notify_pending_task() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('rxon_tasks', current_setting('application_name') || ' ' || NEW.id);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tasks_pending_notify
    AFTER INSERT ON tasks
    FOR EACH ROW WHEN (NEW.status = 'pending')
    EXECUTE FUNCTION rxon_notify_pending_task();
