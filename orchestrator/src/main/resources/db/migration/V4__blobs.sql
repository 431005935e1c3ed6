-- Blobs (docs/BLOBS.md). Integrity metadata of the blobs a job's params refer to (sent to workers as
-- params_metadata), of those its result refers to (data_metadata), the other jobs and uploads whose
-- blobs it refers to (their clean-up waits for this job's), and when its own blobs were deleted.
ALTER TABLE jobs ADD COLUMN params_metadata JSONB;
ALTER TABLE jobs ADD COLUMN result_metadata JSONB;
ALTER TABLE jobs ADD COLUMN blob_owners TEXT[];
ALTER TABLE jobs ADD COLUMN blobs_cleaned_at BIGINT;
CREATE INDEX jobs_blob_cleanup ON jobs (finished_at) WHERE blobs_cleaned_at IS NULL AND finished_at IS NOT NULL;
CREATE INDEX jobs_blob_owners ON jobs USING GIN (blob_owners) WHERE blobs_cleaned_at IS NULL;

-- Client uploads made before their job exists: s3://<bucket>/jobs/<id>/..., owned by one client.
CREATE TABLE blob_uploads (
    id                TEXT PRIMARY KEY,
    client_id         TEXT        NOT NULL,
    created_at        BIGINT      NOT NULL,
    cleaned_at        BIGINT
);
CREATE INDEX blob_uploads_cleanup ON blob_uploads (created_at) WHERE cleaned_at IS NULL;
