-- Bank statement lines as imported (camt.053/054, CSV), each once: the key is the account, the
-- statement and the entry. A credit is matched to open invoices: applied at once when the match
-- is confident (payment_id names the payment it became), else kept for a person to review with
-- the proposal and its evidence.
CREATE TABLE bank_lines (
    tenant_id          INTEGER NOT NULL,
    id                 INTEGER PRIMARY KEY,
    line_key           TEXT NOT NULL,
    account            TEXT NOT NULL,
    statement          TEXT NOT NULL,
    entry              TEXT NOT NULL,
    booking_date       TEXT NOT NULL,
    value_date         TEXT,
    amount_minor       INTEGER NOT NULL CHECK (amount_minor > 0),
    currency           TEXT NOT NULL,
    direction          TEXT NOT NULL CHECK (direction IN ('credit', 'debit')),
    counterparty_name  TEXT,
    counterparty_iban  TEXT,
    creditor_reference TEXT,
    remittance         TEXT,
    end_to_end_id      TEXT,
    source             TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('applied', 'review', 'unmatched', 'debit', 'ignored')),
    customer_id        INTEGER REFERENCES customers (id),
    confidence         INTEGER NOT NULL DEFAULT 0,
    evidence           TEXT NOT NULL DEFAULT '[]', -- JSON array of sentences
    proposal           TEXT NOT NULL DEFAULT '[]', -- JSON array of proposed allocations
    payment_id         INTEGER REFERENCES payments (id),
    decided_by         TEXT,
    note               TEXT,
    UNIQUE (tenant_id, line_key)
);
CREATE INDEX bank_lines_to_review ON bank_lines (tenant_id, status, booking_date);
-- the accounts each customer has paid from: how a payer is recognised next time
CREATE INDEX bank_lines_payer_accounts ON bank_lines (tenant_id, customer_id, counterparty_iban)
    WHERE status = 'applied' AND counterparty_iban IS NOT NULL;

-- An early-payment discount the payer took: it settles the invoice with the payment.
ALTER TABLE allocations ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0;
