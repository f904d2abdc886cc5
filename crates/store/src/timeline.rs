//! A customer's timeline: everything that happened with them, in order — invoices issued, sent
//! and paid, payments and their reversals, conversations, promises, disputes, actions planned
//! and done, approvals, changes, credit reports and charges — each entry in English and as facts.
//! Read whole, or only the latest entries: the sources with many rows (invoices, payments,
//! actions) are then read newest first, as many as could be among the latest, and counted apart.

use crate::rows::{Row, Sql, Value};
use crate::{ActionFacts, ChargeKind, ChargeStatus, StoreError, TenantId, TimelineEntry, TimelineFacts};
use chrono::NaiveDate;
use overdue_core::contact::ReceiptCheck;
use overdue_core::money::Money;

/// Where an entry comes from: its source's rank and its row's id. With the order it was added in,
/// it orders entries of the same day and time the same way whether the timeline is read whole or
/// only its latest entries.
type Source = (u8, i64);

/// The entries read so far, each with its [`Source`] and the order it was added in.
#[derive(Default)]
struct Entries(Vec<((Source, usize), TimelineEntry)>);

impl Entries {
    fn add(
        &mut self,
        source: Source,
        on: NaiveDate,
        time: Option<String>,
        kind: &str,
        text: String,
        facts: TimelineFacts,
    ) {
        let seq = self.0.len();
        self.0.push(((source, seq), TimelineEntry { on, time, kind: kind.to_owned(), text, facts }))
    }
}

fn currency(code: &str) -> Result<overdue_core::currency::Currency, StoreError> {
    overdue_core::currency::Currency::from_code(code).map_err(|e| StoreError::corrupt("currency", e))
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(what, e))
}

/// The later of two day columns, the second of which may be empty (as SQL both backends read).
fn later(first: &str, second: &str) -> String {
    format!("(CASE WHEN {second} IS NOT NULL AND {second} > {first} THEN {second} ELSE {first} END)")
}

/// When only the latest `n` entries are wanted, a condition keeping the rows of `table` (whose
/// id is `id` in the query) whose latest day is among the `n` latest: chosen by id first, so
/// that the rows' big columns (an action's invoices) are not sorted along.
fn newest(table: &str, id: &str, latest_day: &str, latest: Option<usize>) -> String {
    latest.map_or(String::new(), |n| {
        format!(
            " AND {id} IN (SELECT id FROM {table} WHERE tenant_id = $1 AND customer_id = $2
                            ORDER BY {latest_day} DESC LIMIT {n})"
        )
    })
}

/// One number: the first column of the first row.
fn count(sql: &mut dyn Sql, query: &str, params: &[Value; 2]) -> Result<u64, StoreError> {
    Ok(sql.rows(query, params)?.pop().map_or(0, |mut row| u64::try_from(row.int()).unwrap_or(0)))
}

/// Everything that happened with customer `code`, in order: all of it, or the latest `latest`
/// entries; with how many there are in all.
///
/// Errors: [`StoreError::NotFound`] for an unknown customer; store errors.
pub(crate) fn timeline(
    sql: &mut dyn Sql,
    tenant: TenantId,
    code: &str,
    latest: Option<usize>,
) -> Result<(Vec<TimelineEntry>, u64), StoreError> {
    let customer = crate::follow_up::customer_id(sql, tenant, code)?;
    let params = [Value::from(tenant), customer.into()];
    let mut entries = Entries::default();
    let mut total = invoices(sql, &params, latest, &mut entries)?;
    total += payments(sql, &params, latest, &mut entries)?;
    total += actions(sql, &params, latest, &mut entries)?;
    let before = entries.0.len();
    conversations(sql, &params, &mut entries)?;
    promises(sql, &params, &mut entries)?;
    disputes(sql, &params, &mut entries)?;
    approvals(sql, &params, &mut entries)?;
    changes(sql, &params, &mut entries)?;
    credit_reports(sql, &params, &mut entries)?;
    charges(sql, &params, &mut entries)?;
    said_paid(sql, &params, &mut entries)?;
    customer_page(sql, &params, &mut entries)?;
    plans(sql, &params, &mut entries)?;
    total += (entries.0.len() - before) as u64;
    let mut entries = entries.0;
    entries.sort_by(|(a_key, a), (b_key, b)| (a.on, &a.time, a_key.0).cmp(&(b.on, &b.time, b_key.0)));
    if let Some(n) = latest {
        entries.drain(..entries.len().saturating_sub(n));
    }
    Ok((entries.into_iter().map(|(_, entry)| entry).collect(), total))
}

/// Invoices issued, sent and paid in full (a credit note: issued), newest first when limited;
/// how many entries there are in all.
fn invoices(
    sql: &mut dyn Sql,
    params: &[Value; 2],
    latest: Option<usize>,
    entries: &mut Entries,
) -> Result<u64, StoreError> {
    const OWN: &str = "FROM invoices WHERE tenant_id = $1 AND customer_id = $2";
    let total = count(
        sql,
        &format!(
            "SELECT COUNT(*) + SUM(CASE WHEN kind <> 'credit_note' AND sent_on IS NOT NULL THEN 1 ELSE 0 END)
                    + SUM(CASE WHEN kind <> 'credit_note' AND paid_on IS NOT NULL THEN 1 ELSE 0 END) {OWN}"
        ),
        params,
    )?;
    let latest_day = later(&later("issue_date", "sent_on"), "paid_on");
    let order = newest("invoices", "id", &latest_day, latest);
    for mut r in sql.rows(
        &format!("SELECT id, number, issue_date, sent_on, paid_on, gross_minor, currency, due_date, kind {OWN}{order}"),
        params,
    )? {
        let row = r.int();
        let (number, issued, sent, paid, gross) = (r.text(), r.date()?, r.opt_date()?, r.opt_date()?, r.int());
        let gross = Money::new(gross, currency(&r.text())?);
        let due_date = r.date()?;
        if r.text() == "credit_note" {
            let text = format!("Credit note {number} issued: {gross} in the customer's favour");
            entries.add((0, row), issued, None, "invoice", text, TimelineFacts::CreditNoteIssued { number, gross });
            continue;
        }
        let text = format!("Invoice {number} issued: {gross}, due {due_date}");
        entries.add(
            (0, row),
            issued,
            None,
            "invoice",
            text,
            TimelineFacts::InvoiceIssued { number: number.clone(), gross, due_date },
        );
        if let Some(sent) = sent {
            let facts = TimelineFacts::InvoiceSent { number: number.clone() };
            entries.add((0, row), sent, None, "invoice", format!("Invoice {number} sent"), facts);
        }
        if let Some(paid) = paid {
            let text = format!("Invoice {number} paid in full");
            entries.add((0, row), paid, None, "invoice", text, TimelineFacts::InvoicePaid { number });
        }
    }
    Ok(total)
}

/// Payments (and credit notes used) and their reversals, newest first when limited; how many
/// entries there are in all.
fn payments(
    sql: &mut dyn Sql,
    params: &[Value; 2],
    latest: Option<usize>,
    entries: &mut Entries,
) -> Result<u64, StoreError> {
    let total = count(
        sql,
        "SELECT COUNT(*) + SUM(CASE WHEN reversed_on IS NOT NULL THEN 1 ELSE 0 END) FROM payments
          WHERE tenant_id = $1 AND customer_id = $2",
        params,
    )?;
    let order = newest("payments", "p.id", &later("payment_date", "reversed_on"), latest);
    for mut r in sql.rows(
        &format!(
            "SELECT p.id, p.payment_date, p.amount_minor, p.currency, p.method, p.reference, p.reversed_on, p.reversal_note,
                    b.counterparty_name, b.remittance
               FROM payments p
               LEFT JOIN bank_lines b ON b.tenant_id = p.tenant_id AND b.payment_id = p.id
              WHERE p.tenant_id = $1 AND p.customer_id = $2{order}"
        ),
        params,
    )? {
        let row = r.int();
        let (on, amount) = (r.date()?, r.int());
        let amount = Money::new(amount, currency(&r.text())?);
        let (method, reference, reversed_on, note) = (r.text(), r.text(), r.opt_date()?, r.opt_text());
        let (payer, remittance) = (r.opt_text(), r.opt_text());
        let (text, facts) = match reference.strip_prefix(crate::CREDIT_NOTE_REFERENCE) {
            Some(note) => (
                format!("Credit note {note} of {amount} used against what is owed"),
                TimelineFacts::CreditNoteUsed { note: note.to_owned(), amount },
            ),
            None => {
                let from = payer.as_ref().map(|p| format!(" from {p}")).unwrap_or_default();
                let said = remittance.as_ref().map(|t| format!(", \"{t}\"")).unwrap_or_default();
                let text = format!("Payment {amount}{from} by {} (ref {reference}{said})", method.replace('_', " "));
                let facts = TimelineFacts::Payment { amount, payer, method, reference: reference.clone(), remittance };
                (text, facts)
            }
        };
        entries.add((1, row), on, None, "payment", text, facts);
        if let Some(reversed_on) = reversed_on {
            let why = note.unwrap_or_default();
            let text = format!("Payment {amount} (ref {reference}) taken back: {why}");
            entries.add((1, row), reversed_on, None, "payment", text, TimelineFacts::PaymentTakenBack { amount, reference, why });
        }
    }
    Ok(total)
}

/// Actions planned, and done, skipped or withdrawn, newest first when limited; how many entries
/// there are in all.
fn actions(
    sql: &mut dyn Sql,
    params: &[Value; 2],
    latest: Option<usize>,
    entries: &mut Entries,
) -> Result<u64, StoreError> {
    let total = count(
        sql,
        "SELECT COUNT(*) + SUM(CASE WHEN status = 'done' AND done_on IS NOT NULL THEN 1 ELSE 0 END) FROM actions
          WHERE tenant_id = $1 AND customer_id = $2",
        params,
    )?;
    let order = newest("actions", "id", &later("due_on", "done_on"), latest);
    for mut r in sql.rows(
        &format!(
            "SELECT id, due_on, explanation, status, done_on, done_by, done_note, kind, reason, step, channel,
                    CAST(invoices AS TEXT)
               FROM actions WHERE tenant_id = $1 AND customer_id = $2{order}"
        ),
        params,
    )? {
        let row = r.int();
        let (due, explanation, status, done_on, done_by) = (r.date()?, r.text(), r.text(), r.opt_date()?, r.opt_text());
        let note = r.opt_text();
        let action = action_facts(&mut r)?;
        let planned = TimelineFacts::ActionPlanned { action: action.clone() };
        entries.add((2, row), due, None, "action", format!("Planned: {explanation}"), planned);
        if let (true, Some(done_on)) = (status == "done", done_on) {
            let by = done_by.unwrap_or_default();
            let (text, facts) = match note {
                Some(note) if note.starts_with("withdrawn") || note.starts_with("rejected") => (
                    format!("Message {note}, nothing sent (was: {explanation})"),
                    TimelineFacts::MessageWithdrawn { action, note },
                ),
                Some(note) if note.starts_with("skipped: ") => {
                    let reason = note["skipped: ".len()..].to_owned();
                    (
                        format!("Skipped by {by}: {explanation} ({reason})"),
                        TimelineFacts::ActionSkipped { action, by, reason },
                    )
                }
                Some(note) => (
                    format!("Done by {by}: {explanation} ({note})"),
                    TimelineFacts::ActionDone { action, by, note: Some(note) },
                ),
                None => (format!("Done by {by}: {explanation}"), TimelineFacts::ActionDone { action, by, note: None }),
            };
            entries.add((2, row), done_on, None, "action", text, facts);
        }
    }
    Ok(total)
}

/// Conversations, with the reason given and the receipt check's answers.
fn conversations(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for mut r in sql.rows(
        "SELECT id, occurred_at, channel, direction, contact, recorded_by, summary, outcome, reason, reason_note,
                CAST(receipt_check AS TEXT)
           FROM interactions WHERE tenant_id = $1 AND customer_id = $2",
        params,
    )? {
        let row = r.int();
        let at = r.timestamp()?;
        let (channel, direction, contact, by, summary) = (r.text(), r.text(), r.opt_text(), r.text(), r.text());
        let (outcome, reason, note) = (r.opt_text(), r.opt_text(), r.opt_text());
        let receipt_check: Option<ReceiptCheck> =
            r.opt_text().map(|check| from_json("receipt check", &check)).transpose()?;
        let mut text = format!("{direction} {channel}");
        if let Some(contact) = &contact {
            text.push_str(&format!(" with {contact}"));
        }
        text.push_str(&format!(" ({by}): {summary}"));
        if let Some(outcome) = &outcome {
            text.push_str(&format!(" — outcome: {outcome}"));
        }
        if let Some(reason) = &reason {
            text.push_str(&format!(" — reason: {}", reason.replace('_', " ")));
        }
        if let Some(note) = &note {
            text.push_str(&format!(" ({note})"));
        }
        if let Some(check) = &receipt_check {
            text.push_str(&receipt_check_said(check));
        }
        // midnight exactly is how a day without a time of its own is kept (a letter marked sent)
        let time = (at.time() != chrono::NaiveTime::MIN).then(|| at.format("%H:%M").to_string());
        let facts = TimelineFacts::Conversation {
            direction,
            channel: channel.clone(),
            contact,
            by,
            summary,
            outcome,
            reason,
            note,
            receipt_check,
        };
        entries.add((3, row), at.date(), time, &channel, text, facts);
    }
    Ok(())
}

/// Promises to pay, on the day made.
fn promises(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for mut r in sql.rows(
        "SELECT id, made_on, promised_date, amount_minor, currency, method, promised_by FROM promises
          WHERE tenant_id = $1 AND customer_id = $2",
        params,
    )? {
        let row = r.int();
        let (made, promised_date, amount) = (r.date()?, r.date()?, r.int());
        let amount = Money::new(amount, currency(&r.text())?);
        let (method, promised_by) = (r.opt_text(), r.opt_text());
        let by = method.as_ref().map_or(String::new(), |m| format!(" by {}", m.replace('_', " ")));
        let who = promised_by.as_ref().map_or(String::new(), |w| format!(" ({w})"));
        let text = format!("Promise to pay {amount}{by} on {promised_date}{who}");
        entries.add(
            (4, row),
            made,
            None,
            "promise",
            text,
            TimelineFacts::Promise { amount, method, promised_date, promised_by },
        );
    }
    Ok(())
}

/// Disputes opened and resolved.
fn disputes(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for mut r in sql.rows(
        "SELECT d.id, i.number, d.reason, d.note, d.opened_on, d.resolved_on, d.resolution FROM disputes d
           JOIN invoices i ON i.tenant_id = d.tenant_id AND i.id = d.invoice_id
          WHERE d.tenant_id = $1 AND d.customer_id = $2",
        params,
    )? {
        let row = r.int();
        let (number, reason, note) = (r.text(), r.text(), r.opt_text());
        let said = note.as_ref().map_or(String::new(), |n| format!(": {n}"));
        let text = format!("Dispute opened on {number} ({}){said}", reason.replace('_', " "));
        let facts = TimelineFacts::DisputeOpened { number: number.clone(), reason, note };
        entries.add((5, row), r.date()?, None, "dispute", text, facts);
        if let Some(resolved) = r.opt_date()? {
            let resolution = r.opt_text();
            let how = resolution.as_ref().map_or(String::new(), |h| format!(": {h}"));
            let text = format!("Dispute on {number} resolved{how}");
            entries.add(
                (5, row),
                resolved,
                None,
                "dispute",
                text,
                TimelineFacts::DisputeResolved { number, resolution },
            );
        }
    }
    Ok(())
}

/// Messages a person approved before they went.
fn approvals(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for mut r in sql.rows(
        "SELECT o.id, o.approved_at, o.approved_by, o.id, a.explanation, a.kind, a.reason, a.step, a.channel,
                CAST(a.invoices AS TEXT)
           FROM outbox o
           JOIN actions a ON a.tenant_id = o.tenant_id AND a.id = o.action_id
          WHERE o.tenant_id = $1 AND o.customer_id = $2 AND o.approved_by IS NOT NULL",
        params,
    )? {
        let row = r.int();
        let at = r.timestamp()?;
        let (by, id, what) = (r.text(), r.int(), r.text());
        let action = action_facts(&mut r)?;
        let text = format!("{by} approved message {id}: {what}");
        let time = Some(at.format("%H:%M").to_string());
        entries.add((6, row), at.date(), time, "approval", text, TimelineFacts::MessageApproved { action, by });
    }
    Ok(())
}

/// Changes to the customer's details, each with who made it.
fn changes(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for mut r in sql.rows(
        "SELECT id, changed_at, changed_by, field, old_value, new_value FROM customer_changes
          WHERE tenant_id = $1 AND customer_id = $2 ORDER BY id",
        params,
    )? {
        let row = r.int();
        let (at, by, field) = (r.timestamp()?, r.text(), r.text());
        let (old, new) = (r.opt_text(), r.opt_text());
        let shown = |value: &Option<String>| value.as_ref().map_or("(empty)".to_owned(), |v| format!("{v:?}"));
        let text = format!("{by} changed {field}: {} → {}", shown(&old), shown(&new));
        let time = Some(at.format("%H:%M").to_string());
        entries.add((7, row), at.date(), time, "change", text, TimelineFacts::CustomerChanged { by, field, old, new });
    }
    Ok(())
}

/// Credit reports received.
fn credit_reports(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for mut r in sql.rows(
        "SELECT id, report_date, source, rating FROM credit_reports WHERE tenant_id = $1 AND customer_id = $2",
        params,
    )? {
        let row = r.int();
        let (on, source, rating) = (r.date()?, r.text(), r.text());
        let text = format!("Credit report from {source}: {rating}");
        entries.add((8, row), on, None, "credit_report", text, TimelineFacts::CreditReport { source, rating });
    }
    Ok(())
}

/// Fees and interest charged or waived on the customer's invoices.
fn charges(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for (position, (number, charge)) in crate::charges::customer_charges(sql, params)?.into_iter().enumerate() {
        let what = match (charge.kind, &charge.step) {
            (ChargeKind::StepFee, Some(step)) => format!("late fee of step {step}"),
            (ChargeKind::Interest, _) => format!("late-payment interest to {}", charge.computed_to),
            (kind, _) => kind.as_str().replace('_', " "),
        };
        let verb = if charge.status == ChargeStatus::Waived { "waived" } else { "charged" };
        let note = charge.note.map(|n| format!(" ({n})")).unwrap_or_default();
        entries.add(
            (9, position as i64),
            charge.recorded_on,
            None,
            "charge",
            format!("Invoice {number}: {} {what} {verb} by {}{note}", charge.amount, charge.recorded_by),
            TimelineFacts::Other,
        );
    }
    Ok(())
}

/// Invoices the customer said were already paid.
fn said_paid(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for mut r in sql.rows(
        "SELECT c.id, i.number, c.paid_on, c.amount_minor, c.currency, c.reference, c.recorded_by, c.recorded_at
           FROM payment_claims c JOIN invoices i ON i.tenant_id = c.tenant_id AND i.id = c.invoice_id
          WHERE c.tenant_id = $1 AND c.customer_id = $2",
        params,
    )? {
        let (row, number, paid_on, amount) = (r.int(), r.text(), r.date()?, r.int());
        let amount = Money::new(amount, currency(&r.text())?);
        let (reference, by, at) = (r.opt_text(), r.text(), r.timestamp()?);
        let quoted = reference.as_ref().map_or(String::new(), |q| format!(", reference {q:?}"));
        let text = format!("Said {number} is paid: {amount} on {paid_on}{quoted} ({by})");
        let facts = TimelineFacts::SaidPaid { number, amount, paid_on, reference, by };
        entries.add((10, row), at.date(), Some(at.format("%H:%M").to_string()), "said_paid", text, facts);
    }
    Ok(())
}

/// Payment plans agreed and cancelled (a broken one is on the timeline as its follow-up call).
fn plans(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    for mut r in sql.rows(
        "SELECT id, agreed_on, currency, principal_minor, interest_minor, instalments, recorded_by, cancelled_on,
                cancel_reason, cancelled_by
           FROM payment_plans WHERE tenant_id = $1 AND customer_id = $2",
        params,
    )? {
        let (id, agreed_on, currency) = (r.int(), r.date()?, currency(&r.text())?);
        let total = Money::new(r.int().saturating_add(r.int()), currency);
        let instalments: Vec<overdue_core::payment_plan::PlanInstalment> = from_json("plan instalments", &r.text())?;
        let by = r.text();
        let (first, last) = match (instalments.first(), instalments.last()) {
            (Some(first), Some(last)) => (first.due_date, last.due_date),
            _ => (agreed_on, agreed_on),
        };
        let count = instalments.len() as u64;
        let text = format!("Payment plan {id} agreed: {total} in {count} instalment(s), {first} to {last} ({by})");
        let facts = TimelineFacts::PlanAgreed { id, total, instalments: count, first, last, by };
        entries.add((13, id), agreed_on, None, "plan", text, facts);
        if let Some(on) = r.opt_date()? {
            let (reason, by) = (r.text(), r.text());
            let text = format!("Payment plan {id} cancelled: {reason} ({by})");
            entries.add((13, id), on, None, "plan", text, TimelineFacts::PlanCancelled { id, reason, by });
        }
    }
    Ok(())
}

/// The customer's own page: links made to it and revoked, and the days it was opened.
fn customer_page(sql: &mut dyn Sql, params: &[Value; 2], entries: &mut Entries) -> Result<(), StoreError> {
    let rows = sql.rows(
        "SELECT created_at, expires_at, revoked_at FROM customer_links
          WHERE tenant_id = $1 AND customer_id = $2 ORDER BY created_at",
        params,
    )?;
    for (position, mut r) in rows.into_iter().enumerate() {
        let (made, expires_at, revoked) = (r.timestamp()?, r.timestamp()?, r.opt_timestamp()?);
        let until = expires_at.date();
        let text = format!("A link to their page made, open until {until}");
        let time = Some(made.format("%H:%M").to_string());
        entries.add((11, position as i64), made.date(), time, "page", text, TimelineFacts::PageLinkMade { until });
        if let Some(at) = revoked {
            let time = Some(at.format("%H:%M").to_string());
            entries.add(
                (11, position as i64),
                at.date(),
                time,
                "page",
                "A link to their page revoked".into(),
                TimelineFacts::PageLinkRevoked,
            );
        }
    }
    for mut r in sql.rows(
        "SELECT day, last_at, times FROM customer_page_visits WHERE tenant_id = $1 AND customer_id = $2",
        params,
    )? {
        let (day, last, times) = (r.date()?, r.timestamp()?, u64::try_from(r.int()).unwrap_or(0));
        let text = match times {
            1 => "Opened their page".to_owned(),
            _ => format!("Opened their page ({times} times that day)"),
        };
        let time = Some(last.format("%H:%M").to_string());
        entries.add((12, 0), day, time, "page", text, TimelineFacts::PageVisited { times });
    }
    Ok(())
}

/// The receipt check's answers as the timeline says them: each question answered, then the day
/// the payment is scheduled for.
fn receipt_check_said(check: &ReceiptCheck) -> String {
    fn question(code: &'static str) -> &'static str {
        match code {
            "quality_ok" => "quality right",
            "quantity_ok" => "quantity right",
            other => other,
        }
    }
    let mut said: Vec<String> = check
        .answers()
        .iter()
        .filter_map(|(code, answer)| {
            answer.map(|yes| format!("{}: {}", question(code).replace('_', " "), if yes { "yes" } else { "no" }))
        })
        .collect();
    if let Some(day) = check.scheduled_payment_on {
        said.push(format!("payment scheduled for {day}"));
    }
    format!(" — receipt check: {}", said.join("; "))
}

/// The rest of an action's row as facts: kind, reason, step, channel and its invoices' numbers
/// (read without the rest of each invoice's entry).
fn action_facts(r: &mut Row) -> Result<ActionFacts, StoreError> {
    #[derive(serde::Deserialize)]
    struct Numbered {
        number: String,
    }
    let (kind, reason, step, channel) = (r.text(), r.text(), r.opt_text(), r.opt_text());
    let invoices: Vec<Numbered> = from_json("action invoices", &r.text())?;
    Ok(ActionFacts { kind, reason, step, channel, invoices: invoices.into_iter().map(|i| i.number).collect() })
}
