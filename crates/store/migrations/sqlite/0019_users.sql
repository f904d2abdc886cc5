-- People who log in: an e-mail and an Argon2 password hash per organisation, with a role; and
-- their sessions, kept as the SHA-256 of the session secret (the cookie), each with its own
-- anti-forgery token and an expiry.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    tenant_id     INTEGER NOT NULL REFERENCES organisations (id),
    email         TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'controller', 'read_only')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT,
    UNIQUE (tenant_id, email)
);
CREATE INDEX users_by_email ON users (email);

CREATE TABLE sessions (
    secret_hash  TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
