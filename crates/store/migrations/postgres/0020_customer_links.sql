-- The private links to a customer's own page: the SHA-256 of each link's secret (the secret is
-- only ever in the link), whose customer it opens, until when, and whether it was revoked.
CREATE TABLE customer_links (
    secret_hash TEXT PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES organisations (id),
    customer_id BIGINT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP,
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE INDEX customer_links_by_customer ON customer_links (tenant_id, customer_id);
