-- The scheduler's jobs: one row per organisation, job and day, claimed by one server at a time
-- under a lease that expires (a server that stopped mid-job leaves it to another), with its
-- start, end and outcome for people to see.
CREATE TABLE jobs (
    tenant_id   INTEGER NOT NULL,
    job         TEXT NOT NULL,
    day         TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    worker      TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 1,
    lease_until TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT,
    PRIMARY KEY (tenant_id, job, day)
);
