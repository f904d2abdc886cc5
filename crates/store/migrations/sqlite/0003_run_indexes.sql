-- The daily run reads open invoices and a year of paid ones straight from covering indexes
-- (no row lookups: 1M open invoices in a fraction of a second), and skips replay work at once
-- when no payment is dated after the day being planned.
DROP INDEX invoices_paid;
CREATE INDEX invoices_paid ON invoices (tenant_id, customer_id, paid_on, due_date, kind) WHERE paid_on IS NOT NULL;
DROP INDEX invoices_open;
CREATE INDEX invoices_open ON invoices
    (tenant_id, customer_id, kind, status, issue_date, id, number, sent_on, due_date, open_minor, currency, terms)
    WHERE open_minor > 0;
CREATE INDEX payments_by_date ON payments (tenant_id, payment_date);
