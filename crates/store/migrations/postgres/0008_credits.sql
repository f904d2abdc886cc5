-- Credit notes not yet applied to what the customer owes (their open_minor is still negative):
-- the few rows each import and daily run settles.
CREATE INDEX invoices_unsettled_credit_notes ON invoices (tenant_id, customer_id)
    WHERE kind = 'credit_note' AND open_minor < 0;
-- The invoice a credit note corrects, when the document or file says (its number).
ALTER TABLE invoices ADD COLUMN corrects TEXT;
