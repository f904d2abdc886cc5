-- The private links to a customer's own page: the SHA-256 of each link's secret (the secret is
-- only ever in the link), whose customer it opens, until when, and whether it was revoked.
CREATE TABLE customer_links (
    secret_hash TEXT PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES organisations (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX customer_links_by_customer ON customer_links (tenant_id, customer_id);
