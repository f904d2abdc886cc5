-- The original document of an invoice that came as an e-invoice file (UBL, FatturaPA,
-- Facturae), kept as received: sent on with reminders and in a collection agency's case file.
CREATE TABLE invoice_documents (
    tenant_id  INTEGER NOT NULL,
    invoice_id INTEGER NOT NULL,
    file_name  TEXT NOT NULL,
    format     TEXT NOT NULL,
    content    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, invoice_id)
);
