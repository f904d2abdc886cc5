-- Invoices paid in instalments (terms printed "30/60/90", not "2/10 Net 30") that are paid: the
-- daily run judges each of their instalments by its own due date, and finds the few of them
-- here without reading every paid invoice's row.
CREATE INDEX invoices_paid_in_instalments ON invoices (tenant_id, customer_id, paid_on)
    WHERE paid_on IS NOT NULL AND kind = 'invoice' AND terms LIKE '%/%' AND terms NOT LIKE '%Net%';

-- Conversations with the customer (calls, meetings, answers on their page, anything they sent;
-- not our own e-mails and letters, not a call nobody answered), for the day of the last one: the
-- 60-day alarm reads it for every customer each day. The terms mirror
-- `overdue_core::contact::is_conversation`.
CREATE INDEX interactions_conversations ON interactions (tenant_id, customer_id, occurred_on)
    WHERE (channel IN ('call', 'meeting', 'portal') OR direction = 'inbound')
      AND (reason IS NULL OR reason <> 'no_answer');
