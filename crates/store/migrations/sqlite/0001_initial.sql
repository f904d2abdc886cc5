-- The books of each organisation (tenant). Every table carries tenant_id; on SQLite the
-- integer rowid is the key and (tenant_id, natural key) is unique.

CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    country    TEXT NOT NULL,
    currency   TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE customers (
    tenant_id            INTEGER NOT NULL REFERENCES organisations (id),
    id                   INTEGER PRIMARY KEY,
    code                 TEXT NOT NULL,
    legal_name           TEXT NOT NULL,
    tax_id               TEXT,
    country              TEXT NOT NULL,
    language             TEXT NOT NULL,
    currency             TEXT NOT NULL,
    address              TEXT,
    payment_terms        TEXT,
    dispute_procedure    TEXT,
    late_interest_clause TEXT,
    deliverables         TEXT,
    credit_limit_minor   INTEGER,
    prepayment_required  INTEGER NOT NULL DEFAULT 0,
    -- content fingerprint: a re-import with the same one changes nothing
    fingerprint          INTEGER NOT NULL,
    UNIQUE (tenant_id, code)
);

CREATE TABLE contacts (
    tenant_id   INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('billing', 'invoice_approver', 'decision_maker', 'other')),
    email       TEXT,
    phone       TEXT
);
CREATE INDEX contacts_by_customer ON contacts (tenant_id, customer_id);

CREATE TABLE credit_reports (
    tenant_id           INTEGER NOT NULL,
    id                  INTEGER PRIMARY KEY,
    customer_id         INTEGER NOT NULL REFERENCES customers (id),
    source              TEXT NOT NULL,
    rating              TEXT NOT NULL,
    report_date         TEXT NOT NULL,
    advised_limit_minor INTEGER,
    -- one report per source and day: recording it again replaces it
    UNIQUE (tenant_id, customer_id, source, report_date)
);
CREATE INDEX credit_reports_by_customer ON credit_reports (tenant_id, customer_id);

CREATE TABLE invoices (
    tenant_id      INTEGER NOT NULL,
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    kind           TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    status         TEXT NOT NULL CHECK (status IN ('issued', 'sent', 'cancelled')),
    issue_date     TEXT NOT NULL,
    supply_from    TEXT,
    supply_to      TEXT,
    delivery_place TEXT,
    sent_on        TEXT,
    currency       TEXT NOT NULL,
    net_minor      INTEGER NOT NULL,
    tax_minor      INTEGER NOT NULL,
    gross_minor    INTEGER NOT NULL,
    -- what is still owed: gross (negated for credit notes) minus allocations
    open_minor     INTEGER NOT NULL,
    terms          TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    lines          TEXT NOT NULL, -- JSON array of lines
    instalments    TEXT NOT NULL, -- JSON array of {due_date, amount}
    fingerprint    INTEGER NOT NULL,
    UNIQUE (tenant_id, number)
);
CREATE INDEX invoices_by_customer ON invoices (tenant_id, customer_id, due_date);

CREATE TABLE payments (
    tenant_id         INTEGER NOT NULL,
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL,
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    payment_date      TEXT NOT NULL,
    amount_minor      INTEGER NOT NULL,
    currency          TEXT NOT NULL,
    method            TEXT NOT NULL,
    invoice_number    TEXT,
    -- over-payment kept as the customer's credit
    unallocated_minor INTEGER NOT NULL,
    fingerprint       INTEGER NOT NULL,
    UNIQUE (tenant_id, reference)
);
CREATE INDEX payments_by_customer ON payments (tenant_id, customer_id, payment_date);
-- the few payments that left the customer a credit
CREATE INDEX payments_with_credit ON payments (tenant_id, customer_id) WHERE unallocated_minor <> 0;

CREATE TABLE allocations (
    tenant_id    INTEGER NOT NULL,
    payment_id   INTEGER NOT NULL REFERENCES payments (id),
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (tenant_id, payment_id, invoice_id)
);
CREATE INDEX allocations_by_invoice ON allocations (tenant_id, invoice_id);
