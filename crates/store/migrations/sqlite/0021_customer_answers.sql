-- What the customer says on their own page that is not a promise or a dispute: that an invoice is
-- already paid (a task to look for the money; the invoice waits a few days), and the days they
-- opened the page (one row per day: the first and last time, and how many times).
CREATE TABLE payment_claims (
    tenant_id    INTEGER NOT NULL,
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id),
    made_on      TEXT NOT NULL,
    paid_on      TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT NOT NULL,
    reference    TEXT,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX payment_claims_by_customer ON payment_claims (tenant_id, customer_id, made_on);

CREATE TABLE customer_page_visits (
    tenant_id   INTEGER NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    day         TEXT NOT NULL,
    first_at    TEXT NOT NULL,
    last_at     TEXT NOT NULL,
    times       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, customer_id, day)
);
