-- The scheduler's jobs: one row per organisation, job and day, claimed by one server at a time
-- under a lease that expires (a server that stopped mid-job leaves it to another), with its
-- start, end and outcome for people to see.
CREATE TABLE jobs (
    tenant_id   BIGINT NOT NULL,
    job         TEXT NOT NULL,
    day         DATE NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    worker      TEXT NOT NULL,
    attempts    BIGINT NOT NULL DEFAULT 1,
    lease_until TIMESTAMP NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    outcome     TEXT,
    PRIMARY KEY (tenant_id, job, day)
);
