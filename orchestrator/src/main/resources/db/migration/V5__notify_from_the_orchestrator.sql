-- The orchestrator that commits a job event or queues a task now publishes it itself: at once to
-- its own subscribers, and to other orchestrators on this database with one compact notification
-- per batch, only while there are any (cluster/ClusterBroadcast). A NOTIFY per row in every
-- transaction took a database-wide lock at each commit and made every instance parse its own
-- events back (bench/README.md, "What limits it").
DROP TRIGGER job_events_notify ON job_events;
DROP FUNCTION rxon_notify_job_event();
DROP TRIGGER tasks_pending_notify ON tasks;
DROP FUNCTION rxon_notify_pending_task();
