-- The bank's own reference of a booking, and what a returned or reversed line says (JSON: reason
-- code, the bank's words, charges).
ALTER TABLE bank_lines ADD COLUMN bank_reference TEXT;
ALTER TABLE bank_lines ADD COLUMN reversal TEXT;
-- The same booking reported again (in a camt.054 and then the camt.053, in overlapping
-- statements) is kept once: the key of the booking, across statements.
ALTER TABLE bank_lines ADD COLUMN booking_key TEXT;
CREATE UNIQUE INDEX bank_lines_booking ON bank_lines (tenant_id, booking_key) WHERE booking_key IS NOT NULL;
-- A credit the bank took back: the line that reversed it.
ALTER TABLE bank_lines ADD COLUMN reversed_by INTEGER;

-- A payment that no longer pays anything: the bank took it back (a returned direct debit, a
-- recalled transfer) or a person undid a wrong match. Its allocations are gone; it stays on
-- record with the day and why.
ALTER TABLE payments ADD COLUMN reversed_on TEXT;
ALTER TABLE payments ADD COLUMN reversal_note TEXT;
-- The last day the bank took back a payment of the invoice (a returned direct debit, a Ri.Ba.
-- unpaid): a broken payment, after which the ladder resumes firmer.
ALTER TABLE invoices ADD COLUMN returned_on TEXT;

-- The structured reference an invoice asks its customer to quote (RF, Belgian, Finnish, Swiss QR,
-- KID), as written in its e-invoice or built in the organisation's scheme.
ALTER TABLE invoices ADD COLUMN payment_reference TEXT;
CREATE INDEX invoices_by_payment_reference ON invoices (tenant_id, payment_reference)
    WHERE payment_reference IS NOT NULL;

-- Each statement imported, with the balances it states: the next statement of the account is
-- checked against the last closing balance (a gap or an overlap is reported).
CREATE TABLE bank_statements (
    tenant_id     INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    account       TEXT NOT NULL,
    statement     TEXT NOT NULL,
    currency      TEXT NOT NULL,
    opening_date  TEXT,
    opening_minor INTEGER,
    closing_date  TEXT,
    closing_minor INTEGER,
    source        TEXT NOT NULL,
    UNIQUE (tenant_id, account, statement)
);

-- Each record of a collection history imported from a file (a dispute, a promise, a
-- conversation), by the fingerprint of its content: importing the file again adds nothing.
CREATE TABLE history_imports (
    tenant_id   INTEGER NOT NULL,
    fingerprint INTEGER NOT NULL,
    UNIQUE (tenant_id, fingerprint)
);

-- An e-invoice file kept once, however many invoices it holds (a batch of a thousand FatturaPA
-- bodies is one copy, not a thousand): invoice_documents name it by file_id.
CREATE TABLE document_files (
    tenant_id   INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    fingerprint INTEGER NOT NULL,
    content     TEXT NOT NULL,
    UNIQUE (tenant_id, fingerprint)
);
ALTER TABLE invoice_documents ADD COLUMN file_id INTEGER;
