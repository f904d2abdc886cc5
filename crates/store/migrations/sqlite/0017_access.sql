-- Who may use the API: tokens (stored as a SHA-256 hash, shown once), each for one organisation
-- and one role, revocable, with the last time it was used; and the responses to requests sent
-- with an Idempotency-Key, so a retried POST changes nothing twice.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES organisations (id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'controller', 'read_only')),
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_by_tenant ON api_tokens (tenant_id, id);

CREATE TABLE idempotent_requests (
    tenant_id           INTEGER NOT NULL,
    idempotency_key     TEXT NOT NULL,
    request_fingerprint TEXT NOT NULL,
    status              INTEGER NOT NULL,
    response_body       TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
);
