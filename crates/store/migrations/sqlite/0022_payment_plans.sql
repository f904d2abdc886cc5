-- Payment plans: an overdue balance of one or more invoices paid in instalments on agreed dates.
-- Whether a plan is kept is read from what is open on its invoices; the day it was found broken
-- is the day its follow-up call was planned (an action keyed by the plan).
CREATE TABLE payment_plans (
    tenant_id       INTEGER NOT NULL,
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    agreed_on       TEXT NOT NULL,
    currency        TEXT NOT NULL,
    principal_minor INTEGER NOT NULL CHECK (principal_minor > 0),
    interest_minor  INTEGER NOT NULL DEFAULT 0 CHECK (interest_minor >= 0),
    invoices        TEXT NOT NULL, -- JSON array of invoice numbers
    instalments     TEXT NOT NULL, -- JSON array of {due_date, amount}
    cancelled_on    TEXT,
    cancel_reason   TEXT,
    cancelled_by    TEXT,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX payment_plans_by_customer ON payment_plans (tenant_id, customer_id);
