-- Retention (job/JobRetention): terminal jobs whose blobs were already deleted are removed in batches,
-- oldest first, once they ended more than the retention ago; their tasks and events go with them
-- (ON DELETE CASCADE, through tasks_job and job_events_job). Only such jobs are in this index, so a
-- round reads neither live jobs nor those whose blobs are still kept.
CREATE INDEX jobs_retention ON jobs (finished_at) WHERE blobs_cleaned_at IS NOT NULL;

-- Upload records whose blobs were deleted, removed the same way.
CREATE INDEX blob_uploads_retention ON blob_uploads (cleaned_at) WHERE cleaned_at IS NOT NULL;
