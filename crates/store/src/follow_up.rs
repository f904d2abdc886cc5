//! The follow-up in the books, written once for both backends over [`Sql`]: the contact log,
//! promises, disputes, the policy book and closing days, loading customers' state for the
//! engine in batches, saving planned actions idempotently, and the work list.

use crate::rows::{Row, Sql, Value};
use crate::{AlarmCleared, ChargeKind, ChargeStatus, NewCharge, RunReport, StoreError, StoredAction, TenantId};
use chrono::NaiveDate;
use overdue_core::contact::{Channel, Direction, Interaction, NonPaymentReason};
use overdue_core::currency::Currency;
use overdue_core::date::add_days;
use overdue_core::dispute::Dispute;
use overdue_core::engine::{CustomerFacts, CustomerState, OpenInvoice, PlannedAction, PromiseRecord, StepTaken};
use overdue_core::habits::HISTORY_DAYS;
use overdue_core::ids::{CustomerCode, InvoiceNumber};
use overdue_core::money::Money;
use overdue_core::payment::PaymentMethod;
use overdue_core::policy::{PolicyBook, Tone};
use overdue_core::promise::PromiseToPay;
use overdue_core::refusal::Refusal;
use std::collections::HashMap;

/// Customers planned per transaction.
pub(crate) const RUN_BATCH: i64 = 2000;

pub(crate) fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(what, e))
}

pub(crate) fn customer_id(sql: &mut dyn Sql, tenant: TenantId, code: &str) -> Result<i64, StoreError> {
    let mut rows =
        sql.rows("SELECT id FROM customers WHERE tenant_id = $1 AND code = $2", &[tenant.into(), code.into()])?;
    match rows.pop() {
        Some(mut row) => Ok(row.int()),
        None => Err(StoreError::NotFound { what: "customer", key: code.to_owned() }),
    }
}

/// The invoice's id and customer id.
pub(crate) fn invoice_ids(sql: &mut dyn Sql, tenant: TenantId, number: &str) -> Result<(i64, i64), StoreError> {
    let mut rows = sql.rows(
        "SELECT id, customer_id FROM invoices WHERE tenant_id = $1 AND number = $2",
        &[tenant.into(), number.into()],
    )?;
    match rows.pop() {
        Some(mut row) => Ok((row.int(), row.int())),
        None => Err(StoreError::NotFound { what: "invoice", key: number.to_owned() }),
    }
}

/// Every invoice named must exist and be the customer's.
fn check_invoices(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    code: &str,
    numbers: &[InvoiceNumber],
) -> Result<(), StoreError> {
    for number in numbers {
        let (_, owner) = invoice_ids(sql, tenant, number.as_str())?;
        if owner != customer {
            return Err(StoreError::Refused(Refusal::NotTheirInvoice {
                number: number.to_string(),
                customer: code.to_owned(),
            }));
        }
    }
    Ok(())
}

pub(crate) fn record_interaction(
    sql: &mut dyn Sql,
    tenant: TenantId,
    code: &str,
    interaction: &Interaction,
) -> Result<i64, StoreError> {
    let customer = customer_id(sql, tenant, code)?;
    check_invoices(sql, tenant, customer, code, &interaction.invoices)?;
    let id = insert_interaction(sql, tenant, customer, interaction)?;
    if interaction.is_conversation() {
        let cleared = (interaction.at.date(), interaction.recorded_by.as_str());
        clear_alarm(sql, tenant, customer, cleared, AlarmCleared::Conversation)?;
    }
    Ok(id)
}

/// The 60-day alarm asks for contact with the customer: once there is some (a conversation, a
/// promise to pay, a dispute raised), its open alarm has done its work and is closed with `why`
/// (its note: `cleared: ` and [`AlarmCleared::note`]).
pub(crate) fn clear_alarm(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    (on, by): (NaiveDate, &str),
    why: AlarmCleared,
) -> Result<(), StoreError> {
    let why = why.note();
    sql.execute(
        "UPDATE actions SET status = 'done', done_on = CASE WHEN due_on > $3 THEN due_on ELSE $3 END,
                done_by = $4, done_note = $5
          WHERE tenant_id = $1 AND customer_id = $2 AND kind = 'sixty_day_alarm' AND status = 'open'",
        &[tenant.into(), customer.into(), on.into(), by.into(), format!("cleared: {why}").into()],
    )?;
    Ok(())
}

fn insert_interaction(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    interaction: &Interaction,
) -> Result<i64, StoreError> {
    let i = interaction;
    let mut rows = sql.rows(
        "INSERT INTO interactions (tenant_id, customer_id, occurred_at, occurred_on, channel, direction, contact,
             recorded_by, summary, outcome, reason, reason_note, receipt_check, attachment, invoices)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        &[
            tenant.into(),
            customer.into(),
            i.at.into(),
            i.at.date().into(),
            i.channel.as_str().into(),
            i.direction.as_str().into(),
            i.contact.clone().into(),
            i.recorded_by.as_str().into(),
            i.summary.as_str().into(),
            i.outcome.clone().into(),
            i.reason.map(|r| r.as_str().to_owned()).into(),
            i.reason_note.clone().into(),
            i.receipt_check.as_ref().map(json).into(),
            i.attachment.clone().into(),
            json(&i.invoices).into(),
        ],
    )?;
    Ok(rows.pop().map_or(0, |mut r| r.int()))
}

/// Appends many conversations at once (a history brought over from another system): rows
/// naming an unknown customer are counted and skipped. Returns (recorded, skipped).
pub(crate) fn import_interactions(
    sql: &mut dyn Sql,
    tenant: TenantId,
    rows: &mut dyn Iterator<Item = (String, Interaction)>,
) -> Result<(u64, u64), StoreError> {
    let ids: HashMap<String, i64> = sql
        .rows("SELECT code, id FROM customers WHERE tenant_id = $1", &[tenant.into()])?
        .into_iter()
        .map(|mut r| (r.text(), r.int()))
        .collect();
    let (mut recorded, mut skipped) = (0, 0);
    for (code, interaction) in rows {
        let Some(customer) = ids.get(&code) else {
            skipped += 1;
            continue;
        };
        insert_interaction(sql, tenant, *customer, &interaction)?;
        recorded += 1;
    }
    Ok((recorded, skipped))
}

pub(crate) fn record_promise(
    sql: &mut dyn Sql,
    tenant: TenantId,
    code: &str,
    promise: &PromiseToPay,
    recorded_by: &str,
) -> Result<i64, StoreError> {
    let customer = customer_id(sql, tenant, code)?;
    check_invoices(sql, tenant, customer, code, &promise.invoices)?;
    if promise.promised_date < promise.made_on {
        return Err(StoreError::Refused(
            format!("a promise made on {} cannot be for an earlier date ({})", promise.made_on, promise.promised_date)
                .into(),
        ));
    }
    let mut rows = sql.rows(
        "INSERT INTO promises (tenant_id, customer_id, made_on, promised_date, amount_minor, currency, method,
             promised_by, invoices, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            tenant.into(),
            customer.into(),
            promise.made_on.into(),
            promise.promised_date.into(),
            promise.amount.amount_minor().into(),
            promise.amount.currency().code().into(),
            promise.method.map(|m| m.as_str().to_owned()).into(),
            promise.promised_by.clone().into(),
            json(&promise.invoices).into(),
            recorded_by.into(),
        ],
    )?;
    clear_alarm(sql, tenant, customer, (promise.made_on, recorded_by), AlarmCleared::Promise)?;
    Ok(rows.pop().map_or(0, |mut r| r.int()))
}

pub(crate) fn open_dispute(
    sql: &mut dyn Sql,
    tenant: TenantId,
    dispute: &Dispute,
    recorded_by: &str,
) -> Result<i64, StoreError> {
    let (invoice, customer) = invoice_ids(sql, tenant, dispute.invoice.as_str())?;
    let open = sql.rows(
        "SELECT opened_on FROM disputes WHERE tenant_id = $1 AND invoice_id = $2 AND resolved_on IS NULL",
        &[tenant.into(), invoice.into()],
    )?;
    if let Some(mut row) = open.into_iter().next() {
        return Err(StoreError::Refused(Refusal::AlreadyInDispute {
            number: dispute.invoice.to_string(),
            since: row.text(),
        }));
    }
    let mut rows = sql.rows(
        "INSERT INTO disputes (tenant_id, customer_id, invoice_id, reason, note, opened_on, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        &[
            tenant.into(),
            customer.into(),
            invoice.into(),
            dispute.reason.as_str().into(),
            dispute.note.clone().into(),
            dispute.opened_on.into(),
            recorded_by.into(),
        ],
    )?;
    clear_alarm(sql, tenant, customer, (dispute.opened_on, recorded_by), AlarmCleared::Dispute)?;
    Ok(rows.pop().map_or(0, |mut r| r.int()))
}

pub(crate) fn resolve_dispute(
    sql: &mut dyn Sql,
    tenant: TenantId,
    number: &str,
    on: NaiveDate,
    resolution: &str,
) -> Result<(), StoreError> {
    let (invoice, _) = invoice_ids(sql, tenant, number)?;
    let changed = sql.execute(
        "UPDATE disputes SET resolved_on = $3, resolution = $4
          WHERE tenant_id = $1 AND invoice_id = $2 AND resolved_on IS NULL AND opened_on <= $3",
        &[tenant.into(), invoice.into(), on.into(), resolution.into()],
    )?;
    if changed == 0 {
        return Err(StoreError::Refused(Refusal::NoOpenDispute { number: number.to_owned(), on }));
    }
    // with no dispute left open, messages waiting for approval only because of one wait no more
    sql.execute(
        "UPDATE outbox SET approval_reason = NULL
          WHERE tenant_id = $1 AND status = 'queued' AND approved_by IS NULL AND approval_reason = $3
            AND customer_id = (SELECT customer_id FROM invoices WHERE tenant_id = $1 AND id = $2)
            AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.tenant_id = $1 AND d.resolved_on IS NULL
                               AND d.customer_id = outbox.customer_id)",
        &[tenant.into(), invoice.into(), overdue_core::engine::OPEN_DISPUTE.into()],
    )?;
    Ok(())
}

fn organisation_country(sql: &mut dyn Sql, tenant: TenantId) -> Result<overdue_core::ids::Country, StoreError> {
    let mut rows = sql.rows("SELECT country FROM organisations WHERE id = $1", &[tenant.into()])?;
    let text = rows.pop().map(|mut row| row.text()).ok_or(StoreError::UnknownOrganisation(tenant))?;
    crate::stored::country(&text)
}

pub(crate) fn policy_book(sql: &mut dyn Sql, tenant: TenantId) -> Result<PolicyBook, StoreError> {
    let rows = sql.rows("SELECT book FROM policy_books WHERE tenant_id = $1", &[tenant.into()])?;
    match rows.into_iter().next() {
        Some(mut row) => {
            let mut book: PolicyBook = from_json("policy book", &row.text())?;
            book.validate().map_err(|e| StoreError::corrupt("policy book", e))?;
            book.country = Some(organisation_country(sql, tenant)?);
            Ok(book)
        }
        None => {
            let mut book = overdue_core::policy::default_book();
            book.country = Some(organisation_country(sql, tenant)?);
            Ok(book)
        }
    }
}

pub(crate) fn save_policy_book(sql: &mut dyn Sql, tenant: TenantId, book: &PolicyBook) -> Result<(), StoreError> {
    book.validate().map_err(|e| StoreError::Refused(e.to_string().into()))?;
    sql.execute("DELETE FROM policy_books WHERE tenant_id = $1", &[tenant.into()])?;
    sql.execute("INSERT INTO policy_books (tenant_id, book) VALUES ($1, $2)", &[tenant.into(), json(book).into()])?;
    Ok(())
}

pub(crate) fn closing_days(sql: &mut dyn Sql, tenant: TenantId) -> Result<Vec<NaiveDate>, StoreError> {
    sql.rows("SELECT day FROM closing_days WHERE tenant_id = $1 ORDER BY day", &[tenant.into()])?
        .into_iter()
        .map(|mut row| row.date())
        .collect()
}

/// The closing days with their names, in day order.
pub(crate) fn closing_days_named(sql: &mut dyn Sql, tenant: TenantId) -> Result<Vec<(NaiveDate, String)>, StoreError> {
    sql.rows("SELECT day, name FROM closing_days WHERE tenant_id = $1 ORDER BY day", &[tenant.into()])?
        .into_iter()
        .map(|mut row| Ok((row.date()?, row.text())))
        .collect()
}

/// Removes closing day `day`; whether there was one.
pub(crate) fn remove_closing_day(sql: &mut dyn Sql, tenant: TenantId, day: NaiveDate) -> Result<bool, StoreError> {
    let gone =
        sql.execute("DELETE FROM closing_days WHERE tenant_id = $1 AND day = $2", &[tenant.into(), day.into()])?;
    Ok(gone > 0)
}

pub(crate) fn add_closing_day(
    sql: &mut dyn Sql,
    tenant: TenantId,
    day: NaiveDate,
    name: &str,
) -> Result<(), StoreError> {
    sql.execute("DELETE FROM closing_days WHERE tenant_id = $1 AND day = $2", &[tenant.into(), day.into()])?;
    sql.execute(
        "INSERT INTO closing_days (tenant_id, day, name) VALUES ($1, $2, $3)",
        &[tenant.into(), day.into(), name.into()],
    )?;
    Ok(())
}

pub(crate) fn set_customer_policy(
    sql: &mut dyn Sql,
    tenant: TenantId,
    code: &str,
    segment: Option<&str>,
    policy: Option<&str>,
) -> Result<(), StoreError> {
    let customer = customer_id(sql, tenant, code)?;
    if let Some(name) = policy
        && policy_book(sql, tenant)?.policy(name).is_none()
    {
        return Err(StoreError::NotFound { what: "dunning policy", key: name.to_owned() });
    }
    sql.execute(
        "UPDATE customers SET segment = $3, dunning_policy = $4 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), customer.into(), segment.map(str::to_owned).into(), policy.map(str::to_owned).into()],
    )?;
    Ok(())
}

/// Customers planned in one batch, with the ids of their invoices by number.
pub(crate) struct Batch {
    pub customers: Vec<(i64, CustomerState)>,
    pub invoice_ids: HashMap<String, i64>,
    /// The last customer id in the batch (the next batch starts after it).
    pub last: Option<i64>,
}

/// The state of up to `limit` customers after id `after` (or exactly customer `only`), as of `as_of`.
pub(crate) fn load_batch(
    sql: &mut dyn Sql,
    tenant: TenantId,
    as_of: NaiveDate,
    after: i64,
    limit: i64,
    only: Option<i64>,
) -> Result<Batch, StoreError> {
    let facts = load_customers(sql, tenant, as_of, after, limit, only)?;
    let (Some(lo), Some(hi)) = (facts.first().map(|f| f.0), facts.last().map(|f| f.0)) else {
        return Ok(Batch { customers: Vec::new(), invoice_ids: HashMap::new(), last: None });
    };
    let range = [Value::from(tenant), lo.into(), hi.into(), as_of.into()];
    let mut states: HashMap<i64, CustomerState> =
        facts.into_iter().map(|(id, facts)| (id, empty_state(facts))).collect();
    let invoice_ids = load_invoices(sql, &range, &mut states)?;
    load_contacts(sql, &range, &mut states)?;
    load_promises(sql, &range, as_of, &mut states)?;
    load_disputes(sql, &range, &mut states)?;
    crate::customer_answers::load_claims(sql, &range, as_of, &mut states)?;
    crate::payment_plans::load_plans(sql, &range, as_of, &mut states)?;
    load_habits(sql, &range, as_of, &mut states)?;
    let mut customers: Vec<(i64, CustomerState)> = states.into_iter().collect();
    customers.sort_unstable_by_key(|(id, _)| *id);
    Ok(Batch { customers, invoice_ids, last: Some(hi) })
}

fn empty_state(customer: CustomerFacts) -> CustomerState {
    CustomerState {
        customer,
        invoices: Vec::new(),
        last_contact: None,
        promises: Vec::new(),
        payments: Vec::new(),
        disputes: Vec::new(),
        claims: Vec::new(),
        plans: Vec::new(),
        habits: Default::default(),
    }
}

fn load_customers(
    sql: &mut dyn Sql,
    tenant: TenantId,
    as_of: NaiveDate,
    after: i64,
    limit: i64,
    only: Option<i64>,
) -> Result<Vec<(i64, CustomerFacts)>, StoreError> {
    // `+c.tenant_id`: SQLite is to walk the customers by id from `after` (a range of the
    // primary key), not every customer of the organisation through the (tenant, code) index
    // and then sort them; PostgreSQL's primary key starts with the tenant either way
    let rows = sql.rows(
        "SELECT c.id, c.code, c.legal_name, c.segment, c.dunning_policy,
                CASE WHEN c.in_collection_since IS NOT NULL AND c.in_collection_since <= $3 THEN 1 ELSE 0 END,
                CASE WHEN c.prepayment_required THEN 1 ELSE 0 END, c.credit_limit_minor, c.currency,
                (SELECT k.name FROM contacts k WHERE k.tenant_id = c.tenant_id AND k.customer_id = c.id
                    AND k.role = 'invoice_approver' ORDER BY k.id LIMIT 1)
           FROM customers c
          WHERE +c.tenant_id = $1 AND c.id > $2 AND ($5 = 0 OR c.id = $5)
          ORDER BY c.id LIMIT $4",
        &[tenant.into(), after.into(), as_of.into(), limit.into(), only.unwrap_or(0).into()],
    )?;
    rows.into_iter().map(customer_facts).collect()
}

fn customer_facts(mut row: Row) -> Result<(i64, CustomerFacts), StoreError> {
    let id = row.int();
    let code = row.text();
    let code = CustomerCode::parse(&code).map_err(|e| StoreError::corrupt("customer code", e))?;
    let name = row.text();
    let (segment, policy) = (row.opt_text(), row.opt_text());
    let (in_collection, prepayment_required) = (row.int() != 0, row.int() != 0);
    let limit = row.opt_int();
    let currency = currency(&row.text())?;
    Ok((
        id,
        CustomerFacts {
            code,
            name,
            segment,
            policy,
            in_collection,
            prepayment_required,
            credit_limit: limit.map(|l| Money::new(l, currency)),
            invoice_approver: row.opt_text(),
        },
    ))
}

fn currency(code: &str) -> Result<Currency, StoreError> {
    Currency::from_code(code).map_err(|e| StoreError::corrupt("currency", e))
}

fn number(text: &str) -> Result<InvoiceNumber, StoreError> {
    InvoiceNumber::parse(text).map_err(|e| StoreError::corrupt("invoice number", e))
}

const OPEN_INVOICES: &str =
    "SELECT id, customer_id, number, issue_date, sent_on, due_date, open_minor, currency, terms,
          returned_on
     FROM invoices WHERE tenant_id = $1 AND customer_id BETWEEN $2 AND $3 AND kind = 'invoice'
      AND status <> 'cancelled' AND issue_date <= $4";

/// Open invoices (as they were on the day: payments after it are added back) and their last step.
fn load_invoices(
    sql: &mut dyn Sql,
    range: &[Value; 4],
    states: &mut HashMap<i64, CustomerState>,
) -> Result<HashMap<String, i64>, StoreError> {
    let replaying = payments_after(sql, range)?;
    let paid_after = if replaying { paid_after(sql, range)? } else { HashMap::new() };
    let mut last_steps: HashMap<i64, StepTaken> = HashMap::new();
    let as_of_day = range[3].clone().text().map(|d| overdue_core::date::parse_iso(&d)).transpose().ok().flatten();
    for mut row in sql.rows(
        "SELECT s.invoice_id, s.step, s.taken_on, s.tone, a.deadline,
                CASE WHEN a.deadline IS NOT NULL AND a.status = 'done'
                      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.tenant_id = a.tenant_id AND o.action_id = a.id
                                         AND o.status = 'cancelled') THEN 1 ELSE 0 END
           FROM invoice_steps s
           JOIN actions a ON a.tenant_id = s.tenant_id AND a.id = s.action_id
          WHERE s.tenant_id = $1 AND s.customer_id BETWEEN $2 AND $3
            AND (s.taken_on < $4 OR (s.taken_on = $4 AND a.status = 'done'))
          ORDER BY s.taken_on, s.action_id",
        range,
    )? {
        let invoice = row.int();
        let (name, on, tone) = (row.text(), row.date()?, row.text());
        let tone = Tone::parse(&tone).unwrap_or(Tone::Friendly);
        let (deadline, went) = (row.opt_date()?, row.int() == 1);
        // a letter that has not gone (waiting for approval, rejected, withdrawn) has given no
        // deadline yet: its full period runs from today, so nothing comes after it meanwhile
        let deadline = match (deadline, as_of_day) {
            (Some(deadline), Some(today)) if !went => Some(deadline.max(add_days(today, (deadline - on).num_days()))),
            (deadline, _) => deadline,
        };
        last_steps.insert(invoice, StepTaken { name, on, tone, deadline });
    }
    let mut ids = HashMap::new();
    // open today, and (when replaying a past day) paid in full since: two index scans
    let mut rows = sql.rows(&format!("{OPEN_INVOICES} AND open_minor > 0"), range)?;
    if replaying {
        rows.extend(sql.rows(&format!("{OPEN_INVOICES} AND open_minor <= 0 AND paid_on > $4"), range)?);
    }
    let as_of = range[3].clone().text().map(|d| overdue_core::date::parse_iso(&d)).transpose().ok().flatten();
    let schedules = instalment_schedules(sql, range, replaying)?;
    for mut row in rows {
        let (id, customer, number_text) = (row.int(), row.int(), row.text());
        let (issue_date, sent_on, mut due_date) = (row.date()?, row.opt_date()?, row.date()?);
        let mut open = Money::new(row.int() + paid_after.get(&id).copied().unwrap_or(0), currency(&row.text())?);
        let (terms, returned_on) = (row.text(), row.opt_date()?);
        let mut overdue_part = None;
        if let (Some((gross, schedule)), Some(day)) = (schedules.get(&id), as_of) {
            let instalments = crate::stored::parse_instalments(schedule, open.currency())?;
            let gross = Money::new(*gross, open.currency());
            let late: i64 = overdue_core::invoice::unpaid_instalments(&instalments, gross, open)
                .iter()
                .filter(|i| i.due_date < day)
                .map(|i| i.amount.amount_minor())
                .sum();
            overdue_part = Some(Money::new(late, open.currency()));
            (due_date, open) =
                overdue_core::invoice::owed_on(&instalments, gross, open, day).unwrap_or((due_date, open));
        }
        let Some(state) = states.get_mut(&customer) else { continue };
        state.invoices.push(OpenInvoice {
            number: number(&number_text)?,
            issue_date,
            sent_on,
            due_date,
            open,
            overdue_part,
            prepayment_terms: terms == "PIA",
            last_step: last_steps.remove(&id),
            payment_returned_on: returned_on.filter(|returned| as_of.is_none_or(|day| *returned <= day)),
        });
        ids.insert(number_text, id);
    }
    for state in states.values_mut() {
        state.invoices.sort_by(|a, b| (a.due_date, a.number.as_str()).cmp(&(b.due_date, b.number.as_str())));
    }
    Ok(ids)
}

/// The gross and instalment schedule of the batch's invoices paid in instalments (terms printed
/// `30/60/90`; an early-payment discount, `2/10 Net 30`, is not), in one query (two when
/// replaying a past day: those paid since too): only those need their schedule, so that an
/// instalment still to come is not chased.
fn instalment_schedules(
    sql: &mut dyn Sql,
    range: &[Value; 4],
    replaying: bool,
) -> Result<HashMap<i64, (i64, String)>, StoreError> {
    const SCHEDULES: &str = "SELECT id, gross_minor, CAST(instalments AS TEXT) FROM invoices
          WHERE tenant_id = $1 AND customer_id BETWEEN $2 AND $3 AND kind = 'invoice' AND status <> 'cancelled'
            AND issue_date <= $4 AND terms LIKE '%/%' AND terms NOT LIKE '%Net%'";
    // each through its own index: the open invoices', then (replaying) the paid ones'
    let mut rows = sql.rows(&format!("{SCHEDULES} AND open_minor > 0"), range)?;
    if replaying {
        rows.extend(sql.rows(&format!("{SCHEDULES} AND paid_on IS NOT NULL AND paid_on > $4"), range)?);
    }
    Ok(rows.into_iter().map(|mut row| (row.int(), (row.int(), row.text()))).collect())
}

/// Whether any payment is dated after the day (only when replaying a past day): one probe of
/// the index by date.
fn payments_after(sql: &mut dyn Sql, range: &[Value; 4]) -> Result<bool, StoreError> {
    let probe = sql.rows(
        "SELECT 1 FROM payments WHERE tenant_id = $1 AND payment_date > $2 LIMIT 1",
        &[range[0].clone(), range[3].clone()],
    )?;
    Ok(!probe.is_empty())
}

/// What payments dated after the day paid of each invoice, to add back when replaying it.
fn paid_after(sql: &mut dyn Sql, range: &[Value; 4]) -> Result<HashMap<i64, i64>, StoreError> {
    let later = sql.rows(
        "SELECT id FROM payments WHERE tenant_id = $1 AND customer_id BETWEEN $2 AND $3 AND payment_date > $4",
        range,
    )?;
    let mut paid: HashMap<i64, i64> = HashMap::new();
    for mut payment in later {
        let id = payment.int();
        for mut allocation in sql.rows(
            "SELECT invoice_id, amount_minor + discount_minor FROM allocations WHERE tenant_id = $1 AND payment_id = $2",
            &[range[0].clone(), id.into()],
        )? {
            let invoice = allocation.int();
            *paid.entry(invoice).or_default() += allocation.int();
        }
    }
    Ok(paid)
}

fn load_contacts(
    sql: &mut dyn Sql,
    range: &[Value; 4],
    states: &mut HashMap<i64, CustomerState>,
) -> Result<(), StoreError> {
    for mut row in sql.rows(
        // conversations only, as `overdue_core::contact::is_conversation` says: a message we sent
        // is not one
        "SELECT customer_id, MAX(occurred_on) FROM interactions
          WHERE tenant_id = $1 AND customer_id BETWEEN $2 AND $3 AND occurred_on <= $4
            AND (channel IN ('call', 'meeting', 'portal') OR direction = 'inbound')
            AND (reason IS NULL OR reason <> 'no_answer')
          GROUP BY customer_id",
        range,
    )? {
        let customer = row.int();
        let last = row.opt_date()?;
        if let Some(state) = states.get_mut(&customer) {
            state.last_contact = last;
        }
    }
    Ok(())
}

/// Promises of the last year, whether their breach was followed up, and the payments that judge them.
fn load_promises(
    sql: &mut dyn Sql,
    range: &[Value; 4],
    as_of: NaiveDate,
    states: &mut HashMap<i64, CustomerState>,
) -> Result<(), StoreError> {
    let since = add_days(as_of, -HISTORY_DAYS);
    let mut params = range.to_vec();
    params.push(since.into());
    let mut earliest: Option<NaiveDate> = None;
    for mut row in sql.rows(
        "SELECT p.id, p.customer_id, p.made_on, p.promised_date, p.amount_minor, p.currency, p.method, p.promised_by,
                p.invoices,
                CASE WHEN EXISTS (SELECT 1 FROM actions a WHERE a.tenant_id = p.tenant_id AND a.promise_id = p.id
                                     AND a.kind = 'broken_promise' AND a.due_on < $4) THEN 1 ELSE 0 END
           FROM promises p
          WHERE p.tenant_id = $1 AND p.customer_id BETWEEN $2 AND $3 AND p.made_on <= $4 AND p.made_on > $5
          ORDER BY p.id",
        &params,
    )? {
        let (id, customer, made_on, promised_date) = (row.int(), row.int(), row.date()?, row.date()?);
        let amount = row.int();
        let amount = Money::new(amount, currency(&row.text())?);
        let method = row.opt_text().and_then(|m| PaymentMethod::parse(&m));
        let promised_by = row.opt_text();
        let invoices: Vec<InvoiceNumber> = from_json("promise invoices", &row.text())?;
        let followed_up = row.int() != 0;
        earliest = Some(earliest.map_or(made_on, |e| e.min(made_on)));
        if let Some(state) = states.get_mut(&customer) {
            let promise = PromiseToPay { made_on, promised_date, amount, method, promised_by, invoices };
            state.promises.push(PromiseRecord { id, promise, followed_up });
        }
    }
    let Some(earliest) = earliest else { return Ok(()) };
    params[4] = earliest.into();
    for mut row in sql.rows(
        "SELECT customer_id, payment_date, amount_minor, currency FROM payments
          WHERE tenant_id = $1 AND customer_id BETWEEN $2 AND $3 AND payment_date <= $4 AND payment_date >= $5
            AND reversed_on IS NULL",
        &params,
    )? {
        let (customer, date, amount) = (row.int(), row.date()?, row.int());
        let amount = Money::new(amount, currency(&row.text())?);
        if let Some(state) = states.get_mut(&customer).filter(|s| !s.promises.is_empty()) {
            state.payments.push((date, amount));
        }
    }
    Ok(())
}

fn load_disputes(
    sql: &mut dyn Sql,
    range: &[Value; 4],
    states: &mut HashMap<i64, CustomerState>,
) -> Result<(), StoreError> {
    for mut row in sql.rows(
        "SELECT d.customer_id, i.number, d.reason, d.note, d.opened_on, d.resolved_on FROM disputes d
           JOIN invoices i ON i.tenant_id = d.tenant_id AND i.id = d.invoice_id
          WHERE d.tenant_id = $1 AND d.customer_id BETWEEN $2 AND $3 AND d.opened_on <= $4
            AND (d.resolved_on IS NULL OR d.resolved_on > $4)",
        range,
    )? {
        let (customer, invoice, reason) = (row.int(), number(&row.text())?, row.text());
        let reason = NonPaymentReason::parse(&reason).unwrap_or(NonPaymentReason::Other);
        let dispute =
            Dispute { invoice, reason, note: row.opt_text(), opened_on: row.date()?, resolved_on: row.opt_date()? };
        if let Some(state) = states.get_mut(&customer) {
            state.disputes.push(dispute);
        }
    }
    Ok(())
}

/// An invoice's instalments and the payments (day, minor units) applied to it.
type ScheduleAndPayments = (Vec<overdue_core::terms::Instalment>, Vec<(NaiveDate, i64)>);

/// Invoices paid in full in the year up to the day; an invoice paid in instalments is judged
/// instalment by instalment (each by its own due date), from the payments applied to it.
fn load_habits(
    sql: &mut dyn Sql,
    range: &[Value; 4],
    as_of: NaiveDate,
    states: &mut HashMap<i64, CustomerState>,
) -> Result<(), StoreError> {
    let mut params = range.to_vec();
    params.push(add_days(as_of, -HISTORY_DAYS).into());
    const PAID: &str = "FROM invoices i WHERE i.tenant_id = $1 AND i.customer_id BETWEEN $2 AND $3
         AND i.paid_on IS NOT NULL AND i.paid_on <= $4 AND i.paid_on > $5 AND i.kind = 'invoice'";
    // the few paid in instalments, through their own index: their schedule and payments
    let mut in_instalments: HashMap<i64, ScheduleAndPayments> = HashMap::new();
    for mut row in sql.rows(
        &format!(
            "SELECT i.id, i.currency, CAST(i.instalments AS TEXT) {PAID}
                AND i.terms LIKE '%/%' AND i.terms NOT LIKE '%Net%'"
        ),
        &params,
    )? {
        let (id, currency) = (row.int(), self::currency(&row.text())?);
        in_instalments.insert(id, (crate::stored::parse_instalments(&row.text(), currency)?, Vec::new()));
    }
    if !in_instalments.is_empty() {
        for mut row in sql.rows(
            "SELECT i.id, p.payment_date, a.amount_minor + a.discount_minor
                   FROM invoices i
               JOIN allocations a ON a.tenant_id = i.tenant_id AND a.invoice_id = i.id
               JOIN payments p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
              WHERE i.tenant_id = $1 AND i.customer_id BETWEEN $2 AND $3 AND i.paid_on IS NOT NULL
                AND i.paid_on <= $4 AND i.paid_on > $5 AND i.kind = 'invoice'
                AND i.terms LIKE '%/%' AND i.terms NOT LIKE '%Net%'",
            &params,
        )? {
            let (id, day, amount) = (row.int(), row.date()?, row.int());
            if let Some((_, payments)) = in_instalments.get_mut(&id) {
                payments.push((day, amount));
            }
        }
    }
    // every paid invoice from the covering index
    for mut row in sql.rows(&format!("SELECT i.id, i.customer_id, i.due_date, i.paid_on {PAID}"), &params)? {
        let (id, customer, due, paid_on) = (row.int(), row.int(), row.date()?, row.date()?);
        let Some(state) = states.get_mut(&customer) else { continue };
        match in_instalments.get(&id) {
            Some((instalments, payments)) => state.habits.record_paid_in_instalments(instalments, payments),
            None => state.habits.record_paid(due, paid_on),
        }
    }
    Ok(())
}

/// Saves the actions planned for one customer: an action whose key exists is left alone, and a
/// new step action records the step on each invoice it lists. Returns how many were new.
pub(crate) fn save_actions(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    actions: &[PlannedAction],
    invoice_ids: &HashMap<String, i64>,
) -> Result<u64, StoreError> {
    let mut created = 0;
    for action in actions {
        let Some(id) = insert_action(sql, tenant, customer, action)? else { continue };
        created += 1;
        if crate::outbox::is_emailed(action.kind.as_str(), action.channel.map(|c| c.as_str())) {
            crate::outbox::enqueue(sql, tenant, (customer, id), action.approval.as_deref())?;
        }
        let tone = action.tone.unwrap_or(Tone::Friendly);
        for listed in &action.invoices {
            let (Some(step), Some(invoice)) = (&listed.step, invoice_ids.get(listed.number.as_str())) else { continue };
            if let Some(fee) = listed.fee.filter(|fee| fee.is_positive()) {
                charge_step_fee(sql, tenant, customer, *invoice, step, fee, action.on)?;
            }
            sql.execute(
                "INSERT INTO invoice_steps (tenant_id, customer_id, invoice_id, step, taken_on, tone, action_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                &[
                    tenant.into(),
                    customer.into(),
                    (*invoice).into(),
                    step.as_str().into(),
                    action.on.into(),
                    tone.as_str().into(),
                    id.into(),
                ],
            )?;
        }
    }
    Ok(created)
}

/// A step's late fee, charged once per invoice and step whatever runs again.
fn charge_step_fee(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    invoice: i64,
    step: &str,
    fee: Money,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let charge = NewCharge {
        kind: ChargeKind::StepFee,
        step: Some(step.to_owned()),
        amount: fee,
        computed_to: on,
        status: ChargeStatus::Charged,
        recorded_on: on,
        recorded_by: "overdue run".into(),
        note: None,
        detail: None,
    };
    crate::charges::insert_charge(sql, tenant, customer, invoice, &charge)?;
    Ok(())
}

pub(crate) fn insert_action(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    action: &PlannedAction,
) -> Result<Option<i64>, StoreError> {
    let a = action;
    let rows = sql.rows(
        "INSERT INTO actions (tenant_id, customer_id, key, due_on, kind, reason, explanation, channel, tone, template,
             step, address_to, questions, invoices, promise_id, deadline)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (tenant_id, key) DO NOTHING RETURNING id",
        &[
            tenant.into(),
            customer.into(),
            a.key.as_str().into(),
            a.on.into(),
            a.kind.as_str().into(),
            a.reason.as_str().into(),
            a.explanation.as_str().into(),
            a.channel.map(|c| c.as_str().to_owned()).into(),
            a.tone.map(|t| t.as_str().to_owned()).into(),
            a.template.clone().into(),
            a.step.clone().into(),
            a.address_to.as_str().into(),
            json(&a.questions).into(),
            json(&a.invoices).into(),
            a.promise_id.into(),
            a.deadline.into(),
        ],
    )?;
    Ok(rows.into_iter().next().map(|mut r| r.int()))
}

/// Plans and saves one batch of customers; `None` when there were none left.
pub(crate) fn run_batch(
    sql: &mut dyn Sql,
    tenant: TenantId,
    as_of: NaiveDate,
    after: i64,
    planner: &mut dyn FnMut(&CustomerState) -> Vec<PlannedAction>,
    report: &mut RunReport,
) -> Result<Option<i64>, StoreError> {
    let batch = load_batch(sql, tenant, as_of, after, RUN_BATCH, None)?;
    let planned_already = planned_on(sql, tenant, as_of, &batch)?;
    for (customer, state) in &batch.customers {
        report.customers += 1;
        report.invoices += state.invoices.len() as u64;
        if state.invoices.is_empty() && state.promises.is_empty() && state.habits.invoices_paid == 0 {
            continue;
        }
        let mut actions = planner(state);
        report.planned += actions.len() as u64;
        actions.retain(|a| !planned_already.contains(&a.key));
        report.created += save_actions(sql, tenant, *customer, &actions, &batch.invoice_ids)?;
    }
    Ok(batch.last)
}

/// Keys of the actions already planned for the batch's customers on the day: a rerun of the day
/// skips them without a round trip each (older keys still meet the unique index).
fn planned_on(
    sql: &mut dyn Sql,
    tenant: TenantId,
    as_of: NaiveDate,
    batch: &Batch,
) -> Result<std::collections::HashSet<String>, StoreError> {
    let (Some(first), Some(last)) = (batch.customers.first(), batch.customers.last()) else {
        return Ok(Default::default());
    };
    Ok(sql
        .rows(
            "SELECT key FROM actions WHERE tenant_id = $1 AND customer_id BETWEEN $2 AND $3 AND due_on = $4",
            &[tenant.into(), first.0.into(), last.0.into(), as_of.into()],
        )?
        .into_iter()
        .map(|mut row| row.text())
        .collect())
}

/// One customer's state on a day, for explaining it.
pub(crate) fn customer_state(
    sql: &mut dyn Sql,
    tenant: TenantId,
    code: &str,
    as_of: NaiveDate,
) -> Result<CustomerState, StoreError> {
    let id = customer_id(sql, tenant, code)?;
    // starting right before the customer: one index step, not a walk over every customer before
    let batch = load_batch(sql, tenant, as_of, id - 1, 1, Some(id))?;
    batch
        .customers
        .into_iter()
        .next()
        .map(|(_, s)| s)
        .ok_or(StoreError::NotFound { what: "customer", key: code.to_owned() })
}

/// How customer `code` paid in the year up to `as_of`: only the habits part of a customer state.
pub(crate) fn customer_habits(
    sql: &mut dyn Sql,
    tenant: TenantId,
    code: &str,
    as_of: NaiveDate,
) -> Result<overdue_core::habits::PaymentHabits, StoreError> {
    let id = customer_id(sql, tenant, code)?;
    let facts = load_customers(sql, tenant, as_of, id - 1, 1, Some(id))?;
    let range = [Value::from(tenant), id.into(), id.into(), as_of.into()];
    let mut states: HashMap<i64, CustomerState> =
        facts.into_iter().map(|(id, facts)| (id, empty_state(facts))).collect();
    load_habits(sql, &range, as_of, &mut states)?;
    states.remove(&id).map(|s| s.habits).ok_or(StoreError::NotFound { what: "customer", key: code.to_owned() })
}

/// The code of the customer an invoice belongs to.
pub(crate) fn invoice_customer_code(sql: &mut dyn Sql, tenant: TenantId, number: &str) -> Result<String, StoreError> {
    let (_, customer) = invoice_ids(sql, tenant, number)?;
    let mut rows =
        sql.rows("SELECT code FROM customers WHERE tenant_id = $1 AND id = $2", &[tenant.into(), customer.into()])?;
    Ok(rows.pop().map(|mut r| r.text()).unwrap_or_default())
}

const ACTION_COLUMNS: &str = "a.id, c.code, c.legal_name, a.due_on, a.kind, a.reason, a.explanation, a.channel, a.tone,
     a.template, a.step, a.address_to, a.questions, a.invoices, a.promise_id, a.status, a.done_on, a.done_by,
     a.deadline, a.key
     FROM actions a JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = a.customer_id";

fn stored_action(mut row: Row) -> Result<StoredAction, StoreError> {
    Ok(StoredAction {
        id: row.int(),
        customer_code: row.text(),
        customer_name: row.text(),
        due_on: row.date()?,
        kind: row.text(),
        reason: row.text(),
        explanation: row.text(),
        channel: row.opt_text(),
        tone: row.opt_text(),
        template: row.opt_text(),
        step: row.opt_text(),
        address_to: row.text(),
        questions: from_json("action questions", &row.text())?,
        invoices: from_json("action invoices", &row.text())?,
        promise_id: row.opt_int(),
        status: row.text(),
        done_on: row.opt_date()?,
        done_by: row.opt_text(),
        deadline: row.opt_date()?,
        key: row.text(),
    })
}

/// Open actions due on or before `as_of`, oldest first, at most `limit`.
pub(crate) fn work_list(
    sql: &mut dyn Sql,
    tenant: TenantId,
    as_of: NaiveDate,
    limit: i64,
) -> Result<Vec<StoredAction>, StoreError> {
    sql.rows(
        &format!(
            "SELECT {ACTION_COLUMNS} WHERE a.tenant_id = $1 AND a.status = 'open' AND a.due_on <= $2
              ORDER BY a.due_on, c.code, a.id LIMIT $3"
        ),
        &[tenant.into(), as_of.into(), limit.into()],
    )?
    .into_iter()
    .map(stored_action)
    .collect()
}

/// The reminders and letters of the same customer planned after action `id` whose messages
/// still wait in the outbox: a later step of the ladder that supersedes an earlier message
/// never sent, for the invoices it lists.
pub(crate) fn later_queued(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    day: NaiveDate,
) -> Result<Vec<StoredAction>, StoreError> {
    let mut rows =
        sql.rows("SELECT customer_id FROM actions WHERE tenant_id = $1 AND id = $2", &[tenant.into(), id.into()])?;
    let Some(customer) = rows.pop().map(|mut r| r.int()) else { return Ok(Vec::new()) };
    // the customer's own actions (an index on customer), not every action planned after this one
    // (`+a.id`: SQLite would otherwise walk the outbox from this action on)
    sql.rows(
        &format!(
            "SELECT {ACTION_COLUMNS}
               JOIN outbox o ON o.tenant_id = a.tenant_id AND o.action_id = a.id
              WHERE a.tenant_id = $1 AND a.customer_id = $3 AND +a.id > $2 AND o.status IN ('queued', 'sending')
                AND a.due_on <= $4
                AND a.kind IN ('step', 'broken_promise')
              ORDER BY a.id"
        ),
        &[tenant.into(), id.into(), customer.into(), day.into()],
    )?
    .into_iter()
    .map(stored_action)
    .collect()
}

pub(crate) fn action(sql: &mut dyn Sql, tenant: TenantId, id: i64) -> Result<StoredAction, StoreError> {
    let rows = sql
        .rows(&format!("SELECT {ACTION_COLUMNS} WHERE a.tenant_id = $1 AND a.id = $2"), &[tenant.into(), id.into()])?;
    match rows.into_iter().next() {
        Some(row) => stored_action(row),
        None => Err(StoreError::NotFound { what: "action", key: id.to_string() }),
    }
}

/// Marks an action done and applies what doing it means: an invoice sent, a customer handed to
/// the agency or switched to prepayment, a message recorded in the contact log.
pub(crate) fn complete_action(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    on: NaiveDate,
    by: &str,
    note: Option<&str>,
) -> Result<StoredAction, StoreError> {
    let action = closable(sql, tenant, id, on)?;
    close(sql, tenant, id, (on, by, note))?;
    let customer = customer_id(sql, tenant, &action.customer_code)?;
    // a message cancelled before the action was closed never went: nothing is recorded as sent
    let unsent = crate::outbox::message_cancelled(sql, tenant, id)?;
    crate::outbox::cancel_for_action(sql, tenant, id)?;
    apply_done(sql, tenant, customer, &action, (on, by, note), !unsent)?;
    self::action(sql, tenant, id)
}

/// Closes an action without doing it: the note says it was skipped and why; its queued message
/// is cancelled; nothing it would have done (a message sent, a hand-over) is recorded.
pub(crate) fn skip_action(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    (on, by, reason): (NaiveDate, &str, &str),
) -> Result<StoredAction, StoreError> {
    closable(sql, tenant, id, on)?;
    close(sql, tenant, id, (on, by, Some(&format!("skipped: {reason}"))))?;
    crate::outbox::cancel_for_action(sql, tenant, id)?;
    self::action(sql, tenant, id)
}

/// The action, when it is open and may be closed on `on`.
fn closable(sql: &mut dyn Sql, tenant: TenantId, id: i64, on: NaiveDate) -> Result<StoredAction, StoreError> {
    let action = action(sql, tenant, id)?;
    if action.status == "done" {
        let note = sql
            .rows("SELECT done_note FROM actions WHERE tenant_id = $1 AND id = $2", &[tenant.into(), id.into()])?
            .pop()
            .and_then(|mut row| row.opt_text());
        return Err(StoreError::Refused(Refusal::ActionClosed {
            id,
            skipped: note.as_deref().is_some_and(|n| n.starts_with("skipped: ")),
            on: action.done_on,
            by: action.done_by.clone().unwrap_or_else(|| "?".into()),
        }));
    }
    if on < action.due_on {
        return Err(StoreError::Refused(Refusal::ActionNotYetDue { id, due_on: action.due_on, on }));
    }
    Ok(action)
}

fn close(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    (on, by, note): (NaiveDate, &str, Option<&str>),
) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE actions SET status = 'done', done_on = $3, done_by = $4, done_note = $5 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), on.into(), by.into(), note.map(str::to_owned).into()],
    )?;
    Ok(())
}

fn apply_done(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    action: &StoredAction,
    (on, by, note): (NaiveDate, &str, Option<&str>),
    went_out: bool,
) -> Result<(), StoreError> {
    let params = [Value::from(tenant), customer.into(), on.into()];
    match (action.kind.as_str(), action.channel.as_deref()) {
        ("send_invoice", _) => {
            for invoice in &action.invoices {
                sql.execute(
                    "UPDATE invoices SET sent_on = $3, status = 'sent'
                      WHERE tenant_id = $1 AND customer_id = $2 AND number = $4 AND sent_on IS NULL",
                    &[tenant.into(), customer.into(), on.into(), invoice.number.as_str().into()],
                )?;
            }
        }
        ("step", Some("agency_hand_off")) => {
            sql.execute("UPDATE customers SET in_collection_since = $3 WHERE tenant_id = $1 AND id = $2", &params)?;
        }
        ("prepayment", _) => {
            sql.execute(
                "UPDATE customers SET prepayment_required = $3 WHERE tenant_id = $1 AND id = $2",
                &[tenant.into(), customer.into(), 1i64.into()],
            )?;
        }
        _ => {}
    }
    if !went_out {
        return Ok(());
    }
    let channel = match (action.kind.as_str(), action.channel.as_deref()) {
        ("send_invoice", _) | (_, Some("email" | "approver_escalation")) => "email",
        (_, Some("letter" | "final_demand")) => "letter",
        _ => return Ok(()),
    };
    let numbers: Vec<InvoiceNumber> = action.invoices.iter().map(|i| i.number.clone()).collect();
    let what = action.step.clone().unwrap_or_else(|| action.kind.replace('_', " "));
    let summary = format!("Sent {what} for {}", numbers.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", "));
    // the time the mail server took it, when the outbox sent it; else the day only (no time)
    let sent_at = sql
        .rows(
            "SELECT sent_at FROM outbox WHERE tenant_id = $1 AND action_id = $2 AND status = 'sent'
              ORDER BY sent_at DESC LIMIT 1",
            &[tenant.into(), action.id.into()],
        )?
        .into_iter()
        .next()
        .map(|mut r| r.timestamp())
        .transpose()?;
    let sent = Interaction {
        at: sent_at.unwrap_or_else(|| on.and_time(chrono::NaiveTime::MIN)),
        channel: if channel == "email" { Channel::Email } else { Channel::Letter },
        direction: Direction::Outbound,
        contact: None,
        recorded_by: by.to_owned(),
        summary,
        outcome: note.map(str::to_owned),
        reason: None,
        reason_note: None,
        receipt_check: None,
        attachment: None,
        invoices: numbers,
    };
    insert_interaction(sql, tenant, customer, &sent)?;
    Ok(())
}
