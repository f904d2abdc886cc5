-- A credit a person moved by hand (overdue credit unapply) is not applied again by itself.
ALTER TABLE payments ADD COLUMN credit_held BIGINT NOT NULL DEFAULT 0;
