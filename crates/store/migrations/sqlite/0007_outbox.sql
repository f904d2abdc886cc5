-- The business's letterhead and payment options (JSON), shown on every message and letter.
ALTER TABLE organisations ADD COLUMN letterhead TEXT NOT NULL DEFAULT '{}';

-- Messages waiting to go out, one per action, written by the daily run in the same transaction
-- as the action. A sender claims a row ('sending') and commits that before handing the message
-- to the SMTP server, so a crash can never send it twice silently: a row left 'sending' is
-- 'uncertain' and waits for a person.
CREATE TABLE outbox (
    tenant_id       INTEGER NOT NULL,
    id              INTEGER PRIMARY KEY,
    action_id       INTEGER NOT NULL REFERENCES actions (id),
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'uncertain', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL DEFAULT '1970-01-01 00:00:00',
    claimed_at      TEXT,
    claimed_by      TEXT,
    recipient       TEXT,
    subject         TEXT,
    message_id      TEXT,
    last_error      TEXT,
    sent_at         TEXT,
    UNIQUE (tenant_id, action_id)
);
CREATE INDEX outbox_due ON outbox (tenant_id, next_attempt_at) WHERE status = 'queued';
