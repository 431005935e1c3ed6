SET plan_cache_mode = force_generic_plan;
PREPARE p(text[]) AS SELECT id, type, requirements FROM tasks WHERE id = ANY($1) AND status = 'pending';
EXPLAIN (ANALYZE, COSTS OFF) EXECUTE p(ARRAY['x','y']);
PREPARE r(text, text[]) AS SELECT id FROM tasks WHERE worker_id = $1 AND status = 'assigned' AND id = ANY($2);
EXPLAIN (COSTS OFF) EXECUTE r('w', ARRAY['x']);
PREPARE e(text, text, text) AS SELECT 1 FROM tasks t WHERE t.id = $1 AND t.job_id = $2 AND t.worker_id = $3 AND t.status = 'assigned' AND t.result IS NULL;
EXPLAIN (COSTS OFF) EXECUTE e('x','y','z');
