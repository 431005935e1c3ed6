-- Publishes every stored job event to all orchestrators at commit (never before: a webhook or SSE
-- client must never see an event whose transaction rolled back). The payload carries the
-- creating instance and the event row as JSON, or only its seq when the row is too large for a
-- notification (8000 bytes), in which case listeners read it back.
CREATE FUNCTION rxon_notify_job_event() RETURNS trigger AS $$
DECLARE
    body TEXT := row_to_json(NEW)::text;
BEGIN
    IF octet_length(body) > 7000 THEN
        body := json_build_object('seq', NEW.seq)::text;
    END IF;
    PERFORM pg_notify('rxon_events', current_setting('application_name') || ' ' || body);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER job_events_notify
    AFTER INSERT ON job_events
    FOR EACH ROW
    EXECUTE FUNCTION rxon_notify_job_event();
