-- What was charged or waived on an invoice beyond its principal: late-payment interest (as
-- claimed up to a day), the fixed compensation for recovery costs, and the late fees of dunning
-- steps. One row per invoice, kind and step: a job that runs twice never charges twice.
CREATE TABLE charges (
    tenant_id    INTEGER NOT NULL,
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    kind         TEXT NOT NULL CHECK (kind IN ('interest', 'compensation', 'step_fee')),
    step         TEXT NOT NULL DEFAULT '',
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT NOT NULL,
    computed_to  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('charged', 'waived')),
    recorded_on  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    note         TEXT,
    detail       TEXT,
    UNIQUE (tenant_id, invoice_id, kind, step)
);
CREATE INDEX charges_by_customer ON charges (tenant_id, customer_id);
