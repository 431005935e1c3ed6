-- The queue's tables churn: every job inserts a task that is updated twice and leaves dead index
-- entries at the head of tasks_pending, which each claim has to step over until VACUUM removes
-- them. Vacuum these tables after a small fraction of change rather than PostgreSQL's 20 %, and
-- without the cost-based pauses, so the head of the queue stays short however large the table.
ALTER TABLE tasks SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                       autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_vacuum_cost_delay = 0,
                       autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                      autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_vacuum_cost_delay = 0,
                      autovacuum_analyze_scale_factor = 0.02);
