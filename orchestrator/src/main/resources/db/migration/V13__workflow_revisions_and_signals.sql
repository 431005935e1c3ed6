-- Workflows, incremental advance (docs/WORKFLOWS.md, "How an instance advances"): every advance
-- writes a fresh revision, and a replica that advanced the instance last keeps its step records
-- in memory under that revision. A replica whose revision matches the row skips loading the
-- instance's steps again; a rolled-back advance leaves the old revision, so its records are never used.
ALTER TABLE workflow_instances ADD COLUMN revision TEXT;
