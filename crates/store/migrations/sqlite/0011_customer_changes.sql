-- Every change of a customer, field by field: who, when, the value before and after.
CREATE TABLE customer_changes (
    tenant_id   INTEGER NOT NULL,
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    changed_at  TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT
);
CREATE INDEX customer_changes_by_customer ON customer_changes (tenant_id, customer_id);
