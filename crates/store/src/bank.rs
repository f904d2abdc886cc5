//! Bank statement lines in the books, written once for both backends: each line is kept once
//! (by account, statement and entry), credits are matched to open invoices by the core matcher,
//! confident matches become payments at once, and the rest wait in a review list for a person to
//! accept, reassign or ignore. A payment made here stops the follow-up of what it pays like any
//! other.

use crate::error::StoreError;
use crate::model::{
    BankDecision, BankImportReport, BankLineStatus, LineAllocation, ReversedPayment, StatementRecord, StoredBankLine,
    TenantId,
};
use crate::reversals::Undo;
use crate::rows::{Row, Sql};
use chrono::NaiveDate;
use overdue_core::Currency;
use overdue_core::bank::{BankLine, Direction, booking_keys};
use overdue_core::engine::{ActionInvoice, returned_payment};
use overdue_core::fingerprint::Fingerprint;
use overdue_core::ids::{CustomerCode, InvoiceNumber};
use overdue_core::invoice::{owed_on, unpaid_instalments};
use overdue_core::matching::{Matcher, OpenInvoice, Payer, PromisedPayment, Proposal, spread};
use overdue_core::money::Money;
use overdue_core::refusal::{Ask, Refusal};
use overdue_core::structured_reference;
use overdue_core::terms::PaymentTerms;
use std::collections::HashMap;

/// Who the automatic matcher records as having decided.
const MATCHER: &str = "matcher";

/// Imports lines (each at most once, by line key and by booking) with their statements, undoes
/// the customer payments the bank took back, and matches the new credits.
pub(crate) fn import_lines(
    sql: &mut dyn Sql,
    tenant: TenantId,
    lines: &[BankLine],
    statements: &[StatementRecord],
    (source, today): (&str, NaiveDate),
) -> Result<BankImportReport, StoreError> {
    let mut report = BankImportReport {
        breaks: crate::bank_statements::record(sql, tenant, statements, source)?,
        ..BankImportReport::default()
    };
    let keys = booking_keys(&lines.iter().collect::<Vec<_>>());
    let (mut credits, mut returns) = (Vec::new(), Vec::new());
    for (line, booking) in lines.iter().zip(&keys) {
        let Some(id) = insert_line(sql, tenant, line, booking, source)? else {
            report.known_lines += 1;
            continue;
        };
        report.new_lines += 1;
        match line.direction {
            Direction::Debit if line.reverses_a_credit() => returns.push((id, line)),
            Direction::Debit => report.debits += 1,
            Direction::Credit if line.reversal.is_some() => {
                let note = format!("{}: one of your own payments came back, not a customer's", describe(line));
                set_aside(sql, tenant, id, MATCHER, &note)?;
                report.own_payments_returned += 1;
            }
            Direction::Credit => credits.push((id, line)),
        }
    }
    if !credits.is_empty() {
        match_credits(sql, tenant, &credits, &mut report)?;
    }
    // after the credits: a return may take back a credit of the same file
    for (id, line) in returns {
        take_back(sql, tenant, (id, line), today, &mut report)?;
    }
    Ok(report)
}

fn describe(line: &BankLine) -> String {
    line.reversal.as_ref().map_or_else(|| "returned".to_owned(), overdue_core::bank::Reversal::describe)
}

/// Matches new credits to open invoices: confident proposals applied, the rest kept for review.
fn match_credits(
    sql: &mut dyn Sql,
    tenant: TenantId,
    credits: &[(i64, &BankLine)],
    report: &mut BankImportReport,
) -> Result<(), StoreError> {
    let invoices = open_invoices(sql, tenant)?;
    let mut matcher = Matcher::new(invoices, &payers(sql, tenant)?);
    for &(id, line) in credits {
        let proposal = matcher.propose(line);
        let allocations = named(&proposal, &matcher);
        match proposal.customer_id {
            Some(customer) if proposal.is_automatic() => {
                apply(sql, tenant, id, line, customer, &allocations, MATCHER)?;
                report.applied += 1;
            }
            _ => {
                let status = if proposal.confidence > 0 { BankLineStatus::Review } else { BankLineStatus::Unmatched };
                save_proposal(sql, tenant, id, status, &proposal, &allocations)?;
                match status {
                    BankLineStatus::Review => report.to_review += 1,
                    _ => report.unmatched += 1,
                }
            }
        }
    }
    Ok(())
}

/// A debit returning or reversing a customer's credit: the payment that credit became is undone
/// (its invoices open again), both lines say so, and the customer gets a call on the work list of
/// `today` (or of the return's day, if later). A credit still waiting for review is set aside
/// instead; one overdue never saw is counted for a person.
fn take_back(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (id, line): (i64, &BankLine),
    today: NaiveDate,
    report: &mut BankImportReport,
) -> Result<(), StoreError> {
    let why = describe(line);
    let Some(found) = crate::reversals::original_credit(sql, tenant, line)? else {
        report.returns_untraced += 1;
        let note = format!("{why}: no credit of this amount from this payer is in the books — check by hand");
        return note_line(sql, tenant, id, None, &note);
    };
    let crate::reversals::OriginalCredit { id: original, payment, customer, status } = found;
    sql.execute(
        "UPDATE bank_lines SET reversed_by = $3 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), original.into(), id.into()],
    )?;
    let (Some(payment), Some(customer), "applied") = (payment, customer, status.as_str()) else {
        let note = format!("{why} on {} (line {id}): nothing to apply", line.booking_date);
        set_aside(sql, tenant, original, MATCHER, &note)?;
        return note_line(sql, tenant, id, customer, &format!("{why}: takes back line {original}, never applied"));
    };
    let undone =
        crate::reversals::undo_payment(sql, tenant, payment, (line.booking_date, Undo::ReturnedByTheBank), &why)?;
    note_line(
        sql,
        tenant,
        id,
        Some(customer),
        &format!("{why}: takes back payment {} (line {original})", undone.payment),
    )?;
    let code = plan_returned_task(sql, tenant, customer, (line, today.max(line.booking_date)), &undone, &why)?;
    report.reversed.push(ReversedPayment {
        customer: code,
        payment: undone.payment,
        amount: line.amount,
        invoices: undone.invoices,
        reversal: line.reversal.clone().unwrap_or_default(),
        on: line.booking_date,
    });
    Ok(())
}

/// Puts the returned-payment call on the work list; the customer's code.
fn plan_returned_task(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    (line, on): (&BankLine, NaiveDate),
    undone: &crate::reversals::Undone,
    why: &str,
) -> Result<String, StoreError> {
    let mut rows =
        sql.rows("SELECT code FROM customers WHERE tenant_id = $1 AND id = $2", &[tenant.into(), customer.into()])?;
    let code = rows.pop().map(|mut row| row.text()).ok_or_else(|| StoreError::corrupt("customer", customer))?;
    let mut invoices = Vec::with_capacity(undone.invoices.len());
    for number in &undone.invoices {
        let mut rows = sql.rows(
            "SELECT open_minor, currency, due_date FROM invoices WHERE tenant_id = $1 AND number = $2",
            &[tenant.into(), number.as_str().into()],
        )?;
        let Some(mut row) = rows.pop() else { continue };
        let (open_minor, currency, due_date) = (row.int(), currency(&row.text())?, row.date()?);
        invoices.push(ActionInvoice {
            number: InvoiceNumber::parse(number).map_err(|e| StoreError::corrupt("invoice number", e))?,
            open: Money::new(open_minor, currency),
            due_date,
            days_overdue: (on - due_date).num_days(),
            step: None,
            fee: None,
        });
    }
    let customer_code = CustomerCode::parse(&code).map_err(|e| StoreError::corrupt("customer code", e))?;
    let action = returned_payment(customer_code, on, &undone.payment, line.amount, why, invoices);
    crate::follow_up::insert_action(sql, tenant, customer, &action)?;
    Ok(code)
}

/// Sets a line aside (ignored): who decided, and why.
fn set_aside(sql: &mut dyn Sql, tenant: TenantId, id: i64, by: &str, note: &str) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE bank_lines SET status = 'ignored', decided_by = $3, note = $4 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), by.into(), note.into()],
    )?;
    Ok(())
}

/// Writes what overdue made of a line (and whose it is, when known).
fn note_line(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    customer: Option<i64>,
    note: &str,
) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE bank_lines SET note = $3, customer_id = COALESCE($4, customer_id) WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), note.into(), customer.into()],
    )?;
    Ok(())
}

/// Inserts a line unless its key or its booking is known; the new row's id.
fn insert_line(
    sql: &mut dyn Sql,
    tenant: TenantId,
    line: &BankLine,
    booking: &str,
    source: &str,
) -> Result<Option<i64>, StoreError> {
    let (direction, status) = match line.direction {
        Direction::Credit => ("credit", BankLineStatus::Unmatched),
        Direction::Debit => ("debit", BankLineStatus::Debit),
    };
    let reversal = line.reversal.as_ref().map(json).transpose()?;
    let mut rows = sql.rows(
        "INSERT INTO bank_lines (tenant_id, line_key, account, statement, entry, booking_date, value_date, amount_minor,
             currency, direction, counterparty_name, counterparty_iban, creditor_reference, remittance, end_to_end_id,
             source, status, bank_reference, reversal, booking_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         ON CONFLICT DO NOTHING RETURNING id",
        &[
            tenant.into(),
            line.key().into(),
            line.account.as_str().into(),
            line.statement.as_str().into(),
            line.entry.as_str().into(),
            line.booking_date.into(),
            line.value_date.into(),
            line.amount.amount_minor().into(),
            line.amount.currency().code().into(),
            direction.into(),
            line.counterparty_name.clone().into(),
            line.counterparty_iban.clone().into(),
            line.creditor_reference.clone().into(),
            line.remittance.clone().into(),
            line.end_to_end_id.clone().into(),
            source.into(),
            status.as_str().into(),
            line.bank_reference.clone().into(),
            reversal.into(),
            booking.into(),
        ],
    )?;
    Ok(rows.pop().map(|mut row| row.int()))
}

/// Every open invoice as the matcher sees it. The bulk comes from the covering index of open
/// invoices alone (a million rows in a fraction of a second); only invoices whose terms give an
/// early-payment discount or instalments are looked up for their gross and schedule, and only
/// those with a structured reference for it.
fn open_invoices(sql: &mut dyn Sql, tenant: TenantId) -> Result<Vec<OpenInvoice>, StoreError> {
    // an invoice without a reference of its own is asked for the one built in the organisation's scheme
    let scheme = crate::outbox::letterhead(sql, tenant)?.payment.reference_scheme;
    let mut references = payment_references(sql, tenant)?;
    let mut terms_seen: HashMap<String, Option<PaymentTerms>> = HashMap::new();
    let mut invoices = Vec::new();
    // (position, issue date, terms) of the invoices whose gross and schedule matter
    let mut detailed = Vec::new();
    sql.each(
        "SELECT id, number, customer_id, open_minor, currency, due_date, issue_date, terms
           FROM invoices
          WHERE tenant_id = $1 AND open_minor > 0 AND kind = 'invoice' AND status <> 'cancelled'",
        &[tenant.into()],
        &mut |mut row| {
            let (id, number, customer_id, open_minor) = (row.int(), row.text(), row.int(), row.int());
            let currency = currency(&row.text())?;
            let (due_date, issue_date, terms_text) = (row.date()?, row.date()?, row.text());
            let terms = terms_seen.entry(terms_text).or_insert_with_key(|text| PaymentTerms::parse(text).ok());
            if let Some(terms) =
                terms.as_ref().filter(|t| t.is_instalments() || t.early_payment_discount(issue_date).is_some())
            {
                detailed.push((invoices.len(), issue_date, terms.clone()));
            }
            let mut invoice = OpenInvoice::new(id, number, customer_id, Money::new(open_minor, currency), due_date);
            let reference = references
                .remove(&id)
                .or_else(|| scheme.and_then(|scheme| structured_reference::for_invoice(scheme, &invoice.number)));
            invoice.payment_reference = reference.map(|r| structured_reference::key(&r));
            invoices.push(invoice);
            Ok(())
        },
    )?;
    for (at, issue_date, terms) in detailed {
        let invoice = &mut invoices[at];
        let (gross, schedule) = gross_and_schedule(sql, tenant, invoice.id, invoice.open.currency())?;
        invoice.discounted = if gross == invoice.open { terms.early_payment_price(issue_date, gross) } else { None };
        if terms.is_instalments() {
            invoice.instalments = unpaid_instalments(&schedule, gross, invoice.open);
        }
    }
    Ok(invoices)
}

/// The structured references of open invoices that have one, by invoice id.
fn payment_references(sql: &mut dyn Sql, tenant: TenantId) -> Result<HashMap<i64, String>, StoreError> {
    let rows = sql.rows(
        "SELECT id, payment_reference FROM invoices
          WHERE tenant_id = $1 AND payment_reference IS NOT NULL AND open_minor > 0",
        &[tenant.into()],
    )?;
    Ok(rows.into_iter().map(|mut row| (row.int(), row.text())).collect())
}

/// An invoice's gross and instalment schedule.
fn gross_and_schedule(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    currency: Currency,
) -> Result<(Money, Vec<overdue_core::terms::Instalment>), StoreError> {
    let mut rows = sql.rows(
        "SELECT gross_minor, CAST(instalments AS TEXT) FROM invoices WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into()],
    )?;
    let mut row = rows.pop().ok_or_else(|| StoreError::corrupt("invoice", id))?;
    let gross = Money::new(row.int(), currency);
    Ok((gross, crate::stored::parse_instalments(&row.text(), currency)?))
}

/// Every customer with its name and the accounts it has paid from before.
fn payers(sql: &mut dyn Sql, tenant: TenantId) -> Result<Vec<Payer>, StoreError> {
    let mut ibans: HashMap<i64, Vec<String>> = HashMap::new();
    let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
    for mut row in sql.rows(
        "SELECT DISTINCT customer_id, counterparty_iban, counterparty_name FROM bank_lines
          WHERE tenant_id = $1 AND status = 'applied'",
        &[tenant.into()],
    )? {
        let (customer, iban, name) = (row.int(), row.opt_text(), row.opt_text());
        ibans.entry(customer).or_default().extend(iban);
        aliases.entry(customer).or_default().extend(name);
    }
    let mut promises = promises(sql, tenant)?;
    let customers = sql.rows("SELECT id, legal_name FROM customers WHERE tenant_id = $1", &[tenant.into()])?;
    Ok(customers
        .into_iter()
        .map(|mut row| {
            let customer_id = row.int();
            Payer {
                customer_id,
                name: row.text(),
                ibans: ibans.remove(&customer_id).unwrap_or_default(),
                aliases: aliases.remove(&customer_id).unwrap_or_default(),
                promises: promises.remove(&customer_id).unwrap_or_default(),
            }
        })
        .collect())
}

/// The promises to pay, by customer (the matcher keeps those whose day is near the line's).
fn promises(sql: &mut dyn Sql, tenant: TenantId) -> Result<HashMap<i64, Vec<PromisedPayment>>, StoreError> {
    let mut by_customer: HashMap<i64, Vec<PromisedPayment>> = HashMap::new();
    let rows = sql.rows(
        "SELECT customer_id, made_on, promised_date, amount_minor, currency, CAST(invoices AS TEXT) FROM promises
          WHERE tenant_id = $1",
        &[tenant.into()],
    )?;
    for mut row in rows {
        let (customer, made_on, promised_date) = (row.int(), row.date()?, row.date()?);
        let amount = Money::new(row.int(), currency(&row.text())?);
        let invoices: Vec<String> =
            serde_json::from_str(&row.text()).map_err(|e| StoreError::corrupt("promise invoices", e))?;
        by_customer.entry(customer).or_default().push(PromisedPayment { made_on, promised_date, amount, invoices });
    }
    Ok(by_customer)
}

fn named(proposal: &Proposal, matcher: &Matcher) -> Vec<LineAllocation> {
    proposal
        .allocations
        .iter()
        .map(|a| LineAllocation {
            invoice_id: a.invoice_id,
            number: matcher.number(a.invoice_id).unwrap_or_default().to_owned(),
            amount_minor: a.amount.amount_minor(),
            discount_minor: a.discount.amount_minor(),
        })
        .collect()
}

fn save_proposal(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    status: BankLineStatus,
    proposal: &Proposal,
    allocations: &[LineAllocation],
) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE bank_lines SET status = $3, customer_id = $4, confidence = $5, evidence = $6, proposal = $7
          WHERE tenant_id = $1 AND id = $2",
        &[
            tenant.into(),
            id.into(),
            status.as_str().into(),
            proposal.customer_id.into(),
            i64::from(proposal.confidence).into(),
            json(&proposal.evidence)?.into(),
            json(&allocations)?.into(),
        ],
    )?;
    Ok(())
}

/// Records the line as a payment of `customer` with these allocations (capped at what is still
/// open on each invoice: whatever is left is the customer's credit) and marks it applied.
fn apply(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    line: &BankLine,
    customer: i64,
    allocations: &[LineAllocation],
    by: &str,
) -> Result<i64, StoreError> {
    let reference = fresh_reference(sql, tenant, &payment_reference(line))?;
    let mut applied = Vec::with_capacity(allocations.len());
    let mut left = line.amount.amount_minor();
    for allocation in allocations {
        let open = invoice_open(sql, tenant, allocation.invoice_id)?;
        let discount = allocation.discount_minor.min(open);
        let amount = allocation.amount_minor.min(open - discount).min(left);
        if amount > 0 {
            applied.push(LineAllocation { amount_minor: amount, discount_minor: discount, ..allocation.clone() });
            left -= amount;
        }
    }
    let payment = insert_payment(sql, tenant, customer, line, &reference, left)?;
    for allocation in &applied {
        allocate(sql, tenant, payment, allocation, line.paid_on())?;
    }
    sql.execute(
        "UPDATE bank_lines SET status = 'applied', customer_id = $3, payment_id = $4, decided_by = $5, proposal = $6
          WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), customer.into(), payment.into(), by.into(), json(&applied)?.into()],
    )?;
    Ok(payment)
}

/// `reference`, or `reference#N` when a payment undone before holds it (a line applied again
/// after `matches undo`).
fn fresh_reference(sql: &mut dyn Sql, tenant: TenantId, reference: &str) -> Result<String, StoreError> {
    // the unique index answers both: the reference itself, then the range of `reference#…`
    // ('#' is 0x23, '$' the character after it)
    let taken =
        sql.rows("SELECT 1 FROM payments WHERE tenant_id = $1 AND reference = $2", &[tenant.into(), reference.into()])?;
    if taken.is_empty() {
        return Ok(reference.to_owned());
    }
    let mut rows = sql.rows(
        "SELECT COUNT(*) FROM payments WHERE tenant_id = $1 AND reference > $2 AND reference < $3",
        &[tenant.into(), format!("{reference}#").into(), format!("{reference}$").into()],
    )?;
    let again = rows.pop().map_or(0, |mut row| row.int());
    Ok(format!("{reference}#{}", again + 2))
}

fn invoice_open(sql: &mut dyn Sql, tenant: TenantId, invoice: i64) -> Result<i64, StoreError> {
    let mut rows = sql.rows(
        "SELECT open_minor FROM invoices WHERE tenant_id = $1 AND id = $2 AND status <> 'cancelled'",
        &[tenant.into(), invoice.into()],
    )?;
    Ok(rows.pop().map_or(0, |mut row| row.int()).max(0))
}

/// The payment's own reference: `bank:` and the line's key (its hash when the key is too long).
fn payment_reference(line: &BankLine) -> String {
    let key = line.key();
    if key.len() <= 130 {
        format!("bank:{key}")
    } else {
        format!("bank:{}/{:016x}", line.account, Fingerprint::default().text(&key).finish())
    }
}

fn insert_payment(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    line: &BankLine,
    reference: &str,
    unallocated_minor: i64,
) -> Result<i64, StoreError> {
    let fingerprint = Fingerprint::default().text(reference).number(line.amount.amount_minor()).finish();
    let mut rows = sql.rows(
        "INSERT INTO payments (tenant_id, reference, customer_id, payment_date, amount_minor, currency, method,
             invoice_number, unallocated_minor, fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6, 'transfer', NULL, $7, $8) RETURNING id",
        &[
            tenant.into(),
            reference.into(),
            customer.into(),
            line.paid_on().into(),
            line.amount.amount_minor().into(),
            line.amount.currency().code().into(),
            unallocated_minor.into(),
            fingerprint.into(),
        ],
    )?;
    rows.pop().map(|mut row| row.int()).ok_or_else(|| StoreError::corrupt("payment", "insert returned no id"))
}

fn allocate(
    sql: &mut dyn Sql,
    tenant: TenantId,
    payment: i64,
    allocation: &LineAllocation,
    paid_on: chrono::NaiveDate,
) -> Result<(), StoreError> {
    sql.execute(
        "INSERT INTO allocations (tenant_id, payment_id, invoice_id, amount_minor, discount_minor)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            tenant.into(),
            payment.into(),
            allocation.invoice_id.into(),
            allocation.amount_minor.into(),
            allocation.discount_minor.into(),
        ],
    )?;
    sql.execute(
        "UPDATE invoices SET open_minor = open_minor - $3,
                paid_on = CASE WHEN open_minor - $3 <= 0 THEN $4 ELSE paid_on END
          WHERE tenant_id = $1 AND id = $2",
        &[
            tenant.into(),
            allocation.invoice_id.into(),
            (allocation.amount_minor + allocation.discount_minor).into(),
            paid_on.into(),
        ],
    )?;
    Ok(())
}

/// Money received that waits for a person in the review list, proposed as a customer's: (the
/// customer's code, the amount), one row per line, oldest first; `customer` narrows it to one.
pub(crate) fn money_waiting(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: Option<&str>,
) -> Result<Vec<(String, Money)>, StoreError> {
    let rows = sql.rows(
        "SELECT c.code, b.amount_minor, b.currency FROM bank_lines b
           JOIN customers c ON c.tenant_id = b.tenant_id AND c.id = b.customer_id
          WHERE b.tenant_id = $1 AND b.status = 'review' AND b.direction = 'credit' AND (CAST($2 AS TEXT) IS NULL OR c.code = CAST($2 AS TEXT))
          ORDER BY b.booking_date, b.id",
        &[tenant.into(), customer.map(str::to_owned).into()],
    )?;
    rows.into_iter()
        .map(|mut row| {
            let code = row.text();
            let minor = row.int();
            Ok((code, Money::new(minor, currency(&row.text())?)))
        })
        .collect()
}

/// A debit returning a payment overdue has no record of: a person checks it, then sets it aside.
const UNTRACED_RETURN: &str = "(b.status = 'debit' AND b.reversal IS NOT NULL AND b.customer_id IS NULL)";

/// Lines waiting for a person (proposals first, then lines nothing was found for, then returns
/// of payments overdue has no record of), oldest first.
pub(crate) fn lines_to_review(
    sql: &mut dyn Sql,
    tenant: TenantId,
    limit: i64,
) -> Result<Vec<StoredBankLine>, StoreError> {
    let rows = sql.rows(
        &format!(
            "{SELECT_LINES} WHERE b.tenant_id = $1 AND (b.status IN ('review', 'unmatched') OR {UNTRACED_RETURN})
                  ORDER BY CASE b.status WHEN 'review' THEN 0 WHEN 'unmatched' THEN 1 ELSE 2 END, b.booking_date, b.id
                  LIMIT $2"
        ),
        &[tenant.into(), limit.into()],
    )?;
    rows.into_iter().map(stored_line).collect()
}

/// Lines a person or the matcher has decided (applied as a payment, or set aside), newest booking
/// first, at most `limit`: each can be undone from the bank page.
pub(crate) fn decided_lines(
    sql: &mut dyn Sql,
    tenant: TenantId,
    limit: i64,
) -> Result<Vec<StoredBankLine>, StoreError> {
    let rows = sql.rows(
        &format!(
            "{SELECT_LINES} WHERE b.tenant_id = $1 AND b.status IN ('applied', 'ignored')
                  ORDER BY b.booking_date DESC, b.id DESC LIMIT $2"
        ),
        &[tenant.into(), limit.into()],
    )?;
    rows.into_iter().map(stored_line).collect()
}

/// One line by id.
pub(crate) fn line(sql: &mut dyn Sql, tenant: TenantId, id: i64) -> Result<StoredBankLine, StoreError> {
    let mut rows =
        sql.rows(&format!("{SELECT_LINES} WHERE b.tenant_id = $1 AND b.id = $2"), &[tenant.into(), id.into()])?;
    match rows.pop() {
        Some(row) => stored_line(row),
        None => Err(StoreError::NotFound { what: "bank line", key: id.to_string() }),
    }
}

/// Carries out a person's decision on a line: accept, assign or ignore one waiting for review,
/// or undo one applied.
pub(crate) fn decide(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    decision: &BankDecision,
    by: &str,
) -> Result<StoredBankLine, StoreError> {
    let stored = line(sql, tenant, id)?;
    if let BankDecision::Undo { reason } = decision {
        undo(sql, tenant, &stored, reason, by)?;
        return line(sql, tenant, id);
    }
    if stored.line.reverses_a_credit() && stored.status == BankLineStatus::Debit {
        return match decision {
            BankDecision::Ignore { .. } => set_aside_by(sql, tenant, id, decision, by),
            _ => Err(StoreError::Refused(Refusal::BankLineTakenBack { id })),
        };
    }
    if !matches!(stored.status, BankLineStatus::Review | BankLineStatus::Unmatched) {
        return Err(StoreError::Refused(Refusal::BankLineDecided { id, status: stored.status.as_str().to_owned() }));
    }
    match decision {
        BankDecision::Accept => {
            let Some(code) = &stored.customer else {
                return Err(StoreError::Refused(Refusal::BankLineNoProposal { id }));
            };
            let customer = crate::follow_up::customer_id(sql, tenant, code)?;
            still_open(sql, tenant, &stored)?;
            apply(sql, tenant, id, &stored.line, customer, &stored.proposal, by)?;
        }
        BankDecision::Assign { customer: code, invoices } => {
            let customer = crate::follow_up::customer_id(sql, tenant, code)?;
            // money in a currency the customer was never invoiced in pays nothing of theirs: it
            // would only become a credit no reminder could use
            let currency = stored.line.amount.currency();
            let invoiced = sql.rows(
                "SELECT 1 FROM invoices WHERE tenant_id = $1 AND customer_id = $2 AND currency = $3 LIMIT 1",
                &[tenant.into(), customer.into(), currency.code().into()],
            )?;
            if invoiced.is_empty() {
                return Err(StoreError::Refused(Refusal::NeverInvoicedIn {
                    customer: code.clone(),
                    currency,
                    amount: stored.line.amount,
                }));
            }
            let allocations = assignment(sql, tenant, &stored.line, customer, invoices)?;
            apply(sql, tenant, id, &stored.line, customer, &allocations, by)?;
        }
        BankDecision::Ignore { reason } if reason.trim().is_empty() => {
            return Err(StoreError::Refused(Refusal::Empty(Ask::WhyLineSetAside)));
        }
        BankDecision::Ignore { .. } => return set_aside_by(sql, tenant, id, decision, by),
        BankDecision::Undo { .. } => {}
    }
    line(sql, tenant, id)
}

/// Refuses to accept a proposal made when its invoices were open for more than they are now (paid
/// since by another line or a payment): accepting it would book money against what is settled.
fn still_open(sql: &mut dyn Sql, tenant: TenantId, stored: &StoredBankLine) -> Result<(), StoreError> {
    for allocation in &stored.proposal {
        let open = invoice_open(sql, tenant, allocation.invoice_id)?;
        if open < allocation.amount_minor + allocation.discount_minor {
            let currency = stored.line.amount.currency();
            return Err(StoreError::Refused(Refusal::ProposalOutOfDate {
                line: stored.id,
                number: allocation.number.clone(),
                then: Money::new(allocation.amount_minor + allocation.discount_minor, currency),
                now: Money::new(open, currency),
            }));
        }
    }
    Ok(())
}

/// A person sets a line aside with the reason they give.
fn set_aside_by(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    decision: &BankDecision,
    by: &str,
) -> Result<StoredBankLine, StoreError> {
    if let BankDecision::Ignore { reason } = decision {
        set_aside(sql, tenant, id, by, reason)?;
    }
    line(sql, tenant, id)
}

/// Undoes a decided line. An applied line's payment is undone from the day it was made (it never
/// paid those invoices), recorded with who and why, and the line waits for review again. A line
/// set aside waits for review again as it was before (its proposal, if any, kept), with who and
/// why. Any other line is refused.
fn undo(
    sql: &mut dyn Sql,
    tenant: TenantId,
    stored: &StoredBankLine,
    reason: &str,
    by: &str,
) -> Result<(), StoreError> {
    let id = stored.id;
    match stored.status {
        BankLineStatus::Applied => {}
        BankLineStatus::Ignored => return restore(sql, tenant, id, reason, by),
        other => {
            return Err(StoreError::Refused(Refusal::BankLineNotUndoable { id, status: other.as_str().to_owned() }));
        }
    }
    let mut rows = sql.rows(
        "SELECT b.payment_id, p.payment_date FROM bank_lines b JOIN payments p ON p.tenant_id = b.tenant_id AND p.id = b.payment_id
          WHERE b.tenant_id = $1 AND b.id = $2 AND p.reversed_on IS NULL",
        &[tenant.into(), id.into()],
    )?;
    let Some(mut row) = rows.pop() else {
        return Err(StoreError::Refused(Refusal::BankLinePaymentUndone { id }));
    };
    let (payment, paid_on) = (row.int(), row.date()?);
    let note = format!("undone by {by}: {reason}");
    crate::reversals::undo_payment(sql, tenant, payment, (paid_on, Undo::Corrected), &note)?;
    sql.execute(
        "UPDATE bank_lines SET status = 'review', payment_id = NULL, decided_by = $3, note = $4, confidence = 0,
                evidence = $5, proposal = '[]'
          WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), by.into(), note.as_str().into(), json(&[&note])?.into()],
    )?;
    Ok(())
}

/// A line set aside by mistake waits for a person again: a return of a payment as a return, a
/// credit with a proposal for review, one without as unmatched.
fn restore(sql: &mut dyn Sql, tenant: TenantId, id: i64, reason: &str, by: &str) -> Result<(), StoreError> {
    let note = format!("set aside, then taken back by {by}: {reason}");
    sql.execute(
        "UPDATE bank_lines SET decided_by = $3, note = $4,
                status = CASE WHEN direction = 'debit' THEN 'debit' WHEN confidence > 0 THEN 'review' ELSE 'unmatched' END
          WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), by.into(), note.as_str().into()],
    )?;
    Ok(())
}

/// The customer's invoices named, in the order named (or all its open ones, oldest due first,
/// when none is named): each first gets what it owes on the line's day (its instalments due by
/// then), then the rest of each up to what is open ([`overdue_core::matching::spread`]).
fn assignment(
    sql: &mut dyn Sql,
    tenant: TenantId,
    line: &BankLine,
    customer: i64,
    invoices: &[String],
) -> Result<Vec<LineAllocation>, StoreError> {
    let rows = sql.rows(
        "SELECT id, number, open_minor, gross_minor, CAST(instalments AS TEXT) FROM invoices
          WHERE tenant_id = $1 AND customer_id = $2 AND currency = $3 AND open_minor > 0 AND kind = 'invoice'
            AND status <> 'cancelled' ORDER BY due_date, id",
        &[tenant.into(), customer.into(), line.amount.currency().code().into()],
    )?;
    let currency = line.amount.currency();
    let mut open = Vec::with_capacity(rows.len());
    for mut row in rows {
        let (id, number, open_minor, gross_minor, schedule) = (row.int(), row.text(), row.int(), row.int(), row.text());
        let instalments = crate::stored::parse_instalments(&schedule, currency)?;
        let owed =
            owed_on(&instalments, Money::new(gross_minor, currency), Money::new(open_minor, currency), line.paid_on())
                .map_or(open_minor, |(_, owed)| owed.amount_minor());
        open.push((id, number, owed, open_minor));
    }
    let mut chosen: Vec<(i64, String, i64, i64)> = Vec::with_capacity(invoices.len().max(open.len()));
    for number in invoices {
        match open.iter().find(|(_, n, _, _)| n == number) {
            Some(found) if !chosen.iter().any(|(id, ..)| *id == found.0) => chosen.push(found.clone()),
            Some(_) => {}
            None => {
                return Err(StoreError::Refused(Refusal::NotOpenInvoiceOfCustomer {
                    number: number.clone(),
                    currency,
                }));
            }
        }
    }
    if invoices.is_empty() {
        chosen = open;
    }
    let owed: Vec<(i64, i64)> = chosen.iter().map(|(_, _, due, open)| (*due, *open)).collect();
    let spread = spread(line.amount.amount_minor(), &owed);
    Ok(chosen
        .into_iter()
        .zip(spread)
        .filter(|(_, amount)| *amount > 0)
        .map(|((invoice_id, number, ..), amount_minor)| LineAllocation {
            invoice_id,
            number,
            amount_minor,
            discount_minor: 0,
        })
        .collect())
}

const SELECT_LINES: &str = "SELECT b.id, b.account, b.statement, b.entry, b.booking_date, b.value_date, b.amount_minor,
        b.currency, b.direction, b.counterparty_name, b.counterparty_iban, b.creditor_reference, b.remittance,
        b.end_to_end_id, b.bank_reference, b.reversal, b.status, c.code, b.confidence, b.evidence, b.proposal,
        p.reference, b.note
   FROM bank_lines b
   LEFT JOIN customers c ON c.tenant_id = b.tenant_id AND c.id = b.customer_id
   LEFT JOIN payments p ON p.tenant_id = b.tenant_id AND p.id = b.payment_id";

fn stored_line(mut row: Row) -> Result<StoredBankLine, StoreError> {
    let id = row.int();
    let (account, statement, entry) = (row.text(), row.text(), row.text());
    let (booking_date, value_date, amount_minor) = (row.date()?, row.opt_date()?, row.int());
    let amount = Money::new(amount_minor, currency(&row.text())?);
    let direction = if row.text() == "debit" { Direction::Debit } else { Direction::Credit };
    let line = BankLine {
        account,
        statement,
        entry,
        booking_date,
        value_date,
        amount,
        direction,
        counterparty_name: row.opt_text(),
        counterparty_iban: row.opt_text(),
        creditor_reference: row.opt_text(),
        remittance: row.opt_text(),
        end_to_end_id: row.opt_text(),
        bank_reference: row.opt_text(),
        reversal: row
            .opt_text()
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| StoreError::corrupt("bank line reversal", e))?,
    };
    let status = row.text();
    let status = BankLineStatus::parse(&status).ok_or_else(|| StoreError::corrupt("bank line status", status))?;
    let customer = row.opt_text();
    let confidence = u8::try_from(row.int()).unwrap_or(0);
    let evidence = serde_json::from_str(&row.text()).map_err(|e| StoreError::corrupt("bank line evidence", e))?;
    let proposal = serde_json::from_str(&row.text()).map_err(|e| StoreError::corrupt("bank line proposal", e))?;
    Ok(StoredBankLine {
        id,
        line,
        status,
        customer,
        confidence,
        evidence,
        proposal,
        payment: row.opt_text(),
        note: row.opt_text(),
    })
}

fn currency(code: &str) -> Result<Currency, StoreError> {
    Currency::from_code(code).map_err(|e| StoreError::corrupt("currency", e))
}

fn json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::corrupt("JSON", e))
}
