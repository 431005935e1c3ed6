SET plan_cache_mode = force_generic_plan;
PREPARE p(text[]) AS SELECT id, type, requirements FROM tasks WHERE id = ANY($1) AND status = 'pending' COLLATE "C";
EXPLAIN (ANALYZE, COSTS OFF) EXECUTE p(ARRAY['x','y']);
PREPARE e(text, text, text) AS SELECT 1 FROM tasks t WHERE t.id = $1 AND t.job_id = $2 AND t.worker_id = $3 AND t.status = 'assigned' COLLATE "C" AND t.result IS NULL;
EXPLAIN (COSTS OFF) EXECUTE e('x','y','z');
