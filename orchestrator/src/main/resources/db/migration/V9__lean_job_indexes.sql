-- Every job is inserted and updated twice, and none of those updates can be HOT (its status is
-- indexed), so each write adds an entry to every index whose predicate the new row meets. Most
-- jobs have no blobs: their NULL blob_owners went into the GIN index (as GIN's null placeholder)
-- three times per job, for a look-up (BlobJanitor: blob_owners @> ARRAY[id]) that can never match
-- them. The strict @> implies IS NOT NULL, so the planner still uses the narrower index.
DROP INDEX jobs_blob_owners;
CREATE INDEX jobs_blob_owners ON jobs USING GIN (blob_owners)
    WHERE blobs_cleaned_at IS NULL AND blob_owners IS NOT NULL;

-- No statement reads jobs by status alone (listings are per client: jobs_client_created; sweeps
-- have their partial indexes), yet every job put three entries into this one.
DROP INDEX jobs_status;

-- Lease renewal names the tasks it renews (id = ANY(...), the primary key): no statement looks
-- assigned tasks up by worker, yet every claim put an entry into this index.
DROP INDEX tasks_worker;
