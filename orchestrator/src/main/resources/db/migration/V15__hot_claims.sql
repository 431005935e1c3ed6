-- A claim moves a job from pending to running: status, assigned worker, attempts, updated_at. The
-- open-deadline index named status in its predicate, which alone made that update write new
-- entries into every index of jobs (primary key, client listing) instead of a HOT update within
-- the page. An open job is one not finished yet (finished_at is set by every ending, in
-- JobEntity.moveTo and the grouped finish statement), so the index can say that instead.
DROP INDEX jobs_open_deadline;
CREATE INDEX jobs_open_deadline ON jobs (deadline_at) WHERE deadline_at IS NOT NULL AND finished_at IS NULL;
-- Room in each page for the claim's new row version (a HOT update needs it on the same page).
ALTER TABLE jobs SET (fillfactor = 80);
