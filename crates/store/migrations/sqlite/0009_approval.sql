-- Review before sending: a message whose action needs a person's approval (a final demand, a
-- prepayment notice, any message to a customer with an open dispute, a step that asks for it)
-- or that was held when it was about to go (a claim that could not be completed) waits until
-- someone approves it. NULL: no approval needed.
ALTER TABLE outbox ADD COLUMN approval_reason TEXT;
ALTER TABLE outbox ADD COLUMN approved_by TEXT;
ALTER TABLE outbox ADD COLUMN approved_at TEXT;
