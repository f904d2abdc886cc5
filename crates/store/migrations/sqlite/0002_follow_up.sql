-- The follow-up: the contact log, promises, disputes, planned actions and the steps taken on
-- each invoice, the dunning policy book, closing days. Facts are appended, never rewritten.

ALTER TABLE customers ADD COLUMN segment TEXT;
ALTER TABLE customers ADD COLUMN dunning_policy TEXT;
ALTER TABLE customers ADD COLUMN in_collection_since TEXT;

-- the day an invoice was paid in full (its last allocation's payment date)
ALTER TABLE invoices ADD COLUMN paid_on TEXT;
UPDATE invoices SET paid_on = (
    SELECT MAX(p.payment_date) FROM allocations a JOIN payments p ON p.id = a.payment_id
     WHERE a.invoice_id = invoices.id)
 WHERE open_minor <= 0 AND kind = 'invoice';
-- habits: invoices paid, with their due date, without reading the rows
CREATE INDEX invoices_paid ON invoices (tenant_id, customer_id, paid_on, due_date) WHERE paid_on IS NOT NULL;
-- the daily run reads only what is still open
CREATE INDEX invoices_open ON invoices (tenant_id, customer_id) WHERE open_minor > 0;

CREATE TABLE interactions (
    tenant_id     INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    occurred_at   TEXT NOT NULL,
    occurred_on   TEXT NOT NULL,
    channel       TEXT NOT NULL,
    direction     TEXT NOT NULL,
    contact       TEXT,
    recorded_by   TEXT NOT NULL,
    summary       TEXT NOT NULL,
    outcome       TEXT,
    reason        TEXT,
    reason_note   TEXT,
    receipt_check TEXT, -- JSON
    attachment    TEXT,
    invoices      TEXT NOT NULL, -- JSON array of invoice numbers
    recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
CREATE INDEX interactions_by_customer ON interactions (tenant_id, customer_id, occurred_on);

CREATE TABLE promises (
    tenant_id     INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    made_on       TEXT NOT NULL,
    promised_date TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
    currency      TEXT NOT NULL,
    method        TEXT,
    promised_by   TEXT,
    invoices      TEXT NOT NULL, -- JSON array of invoice numbers
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);
CREATE INDEX promises_by_customer ON promises (tenant_id, customer_id);

CREATE TABLE disputes (
    tenant_id   INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    reason      TEXT NOT NULL,
    note        TEXT,
    opened_on   TEXT NOT NULL,
    resolved_on TEXT,
    resolution  TEXT,
    recorded_by TEXT NOT NULL
);
CREATE INDEX disputes_by_customer ON disputes (tenant_id, customer_id);
-- at most one open dispute per invoice
CREATE UNIQUE INDEX disputes_open ON disputes (tenant_id, invoice_id) WHERE resolved_on IS NULL;

CREATE TABLE actions (
    tenant_id   INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    -- the idempotency key: planning the same action again creates nothing
    key         TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    explanation TEXT NOT NULL,
    channel     TEXT,
    tone        TEXT,
    template    TEXT,
    step        TEXT,
    address_to  TEXT NOT NULL,
    questions   TEXT NOT NULL, -- JSON array
    invoices    TEXT NOT NULL, -- JSON array of {number, open, due_date, days_overdue, step}
    promise_id  INTEGER,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    done_on     TEXT,
    done_by     TEXT,
    done_note   TEXT,
    UNIQUE (tenant_id, key)
);
CREATE INDEX actions_open ON actions (tenant_id, due_on) WHERE status = 'open';
CREATE INDEX actions_by_customer ON actions (tenant_id, customer_id, due_on);
CREATE INDEX actions_by_promise ON actions (tenant_id, promise_id) WHERE promise_id IS NOT NULL;

-- each ladder step is taken at most once per invoice
CREATE TABLE invoice_steps (
    tenant_id   INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    step        TEXT NOT NULL,
    taken_on    TEXT NOT NULL,
    tone        TEXT NOT NULL,
    action_id   INTEGER NOT NULL REFERENCES actions (id),
    PRIMARY KEY (tenant_id, invoice_id, step)
);
CREATE INDEX invoice_steps_by_customer ON invoice_steps (tenant_id, customer_id, taken_on);

CREATE TABLE policy_books (
    tenant_id  INTEGER PRIMARY KEY REFERENCES organisations (id),
    book       TEXT NOT NULL, -- JSON
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%S', 'now'))
);

CREATE TABLE closing_days (
    tenant_id INTEGER NOT NULL REFERENCES organisations (id),
    day       TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, day)
);
