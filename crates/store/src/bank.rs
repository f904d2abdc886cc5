//! Bank statement lines in the books, written once for both backends: each line is kept once
//! (by account, statement and entry), credits are matched to open invoices by the core matcher,
//! confident matches become payments at once, and the rest wait in a review list for a person to
//! accept, reassign or ignore. A payment made here stops the follow-up of what it pays like any
//! other.

use crate::error::StoreError;
use crate::model::{BankDecision, BankImportReport, BankLineStatus, LineAllocation, StoredBankLine, TenantId};
use crate::rows::{Row, Sql};
use overdue_core::Currency;
use overdue_core::bank::{BankLine, Direction};
use overdue_core::fingerprint::Fingerprint;
use overdue_core::matching::{Matcher, OpenInvoice, Payer, Proposal};
use overdue_core::money::Money;
use overdue_core::terms::PaymentTerms;
use std::collections::HashMap;

/// Who the automatic matcher records as having decided.
const MATCHER: &str = "matcher";

/// Imports lines (each at most once) and matches the new credits.
pub(crate) fn import_lines(
    sql: &mut dyn Sql,
    tenant: TenantId,
    lines: &[BankLine],
    source: &str,
) -> Result<BankImportReport, StoreError> {
    let mut report = BankImportReport::default();
    let mut credits = Vec::new();
    for line in lines {
        match insert_line(sql, tenant, line, source)? {
            None => report.known_lines += 1,
            Some(_) if line.direction == Direction::Debit => {
                report.new_lines += 1;
                report.debits += 1;
            }
            Some(id) => {
                report.new_lines += 1;
                credits.push((id, line));
            }
        }
    }
    if credits.is_empty() {
        return Ok(report);
    }
    let (invoices, numbers) = open_invoices(sql, tenant)?;
    let mut matcher = Matcher::new(invoices, &payers(sql, tenant)?);
    for (id, line) in credits {
        let proposal = matcher.propose(line);
        let allocations = named(&proposal, &numbers);
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
    Ok(report)
}

/// Inserts a line unless its key is known; the new row's id.
fn insert_line(sql: &mut dyn Sql, tenant: TenantId, line: &BankLine, source: &str) -> Result<Option<i64>, StoreError> {
    let (direction, status) = match line.direction {
        Direction::Credit => ("credit", BankLineStatus::Unmatched),
        Direction::Debit => ("debit", BankLineStatus::Debit),
    };
    let mut rows = sql.rows(
        "INSERT INTO bank_lines (tenant_id, line_key, account, statement, entry, booking_date, value_date, amount_minor,
             currency, direction, counterparty_name, counterparty_iban, creditor_reference, remittance, end_to_end_id,
             source, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         ON CONFLICT (tenant_id, line_key) DO NOTHING RETURNING id",
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
        ],
    )?;
    Ok(rows.pop().map(|mut row| row.int()))
}

/// Every open invoice as the matcher sees it, and the numbers by id.
fn open_invoices(sql: &mut dyn Sql, tenant: TenantId) -> Result<(Vec<OpenInvoice>, HashMap<i64, String>), StoreError> {
    let rows = sql.rows(
        "SELECT id, number, customer_id, open_minor, gross_minor, currency, due_date, issue_date, terms
           FROM invoices
          WHERE tenant_id = $1 AND open_minor > 0 AND kind = 'invoice' AND status <> 'cancelled'",
        &[tenant.into()],
    )?;
    let mut invoices = Vec::with_capacity(rows.len());
    let mut numbers = HashMap::with_capacity(rows.len());
    for mut row in rows {
        let (id, number, customer_id, open_minor, gross_minor) =
            (row.int(), row.text(), row.int(), row.int(), row.int());
        let currency = currency(&row.text())?;
        let (due_date, issue_date, terms) = (row.date()?, row.date()?, row.text());
        let discounted = (open_minor == gross_minor)
            .then(|| PaymentTerms::parse(&terms).ok())
            .flatten()
            .and_then(|terms| terms.early_payment_price(issue_date, Money::new(gross_minor, currency)));
        numbers.insert(id, number.clone());
        invoices.push(OpenInvoice {
            id,
            number,
            customer_id,
            open: Money::new(open_minor, currency),
            due_date,
            discounted,
        });
    }
    Ok((invoices, numbers))
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
            }
        })
        .collect())
}

fn named(proposal: &Proposal, numbers: &HashMap<i64, String>) -> Vec<LineAllocation> {
    proposal
        .allocations
        .iter()
        .map(|a| LineAllocation {
            invoice_id: a.invoice_id,
            number: numbers.get(&a.invoice_id).cloned().unwrap_or_default(),
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
    let reference = payment_reference(line);
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

/// Lines waiting for a person (proposals first, then lines nothing was found for), oldest first.
pub(crate) fn lines_to_review(
    sql: &mut dyn Sql,
    tenant: TenantId,
    limit: i64,
) -> Result<Vec<StoredBankLine>, StoreError> {
    let rows = sql.rows(
        &format!(
            "{SELECT_LINES} WHERE b.tenant_id = $1 AND b.status IN ('review', 'unmatched')
                  ORDER BY b.status, b.booking_date, b.id LIMIT $2"
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

/// Carries out a person's decision on a line waiting for review.
pub(crate) fn decide(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    decision: &BankDecision,
    by: &str,
) -> Result<StoredBankLine, StoreError> {
    let stored = line(sql, tenant, id)?;
    if !matches!(stored.status, BankLineStatus::Review | BankLineStatus::Unmatched) {
        return Err(StoreError::Refused(format!(
            "bank line {id} is {}: only lines waiting for review can be decided",
            stored.status.as_str()
        )));
    }
    match decision {
        BankDecision::Accept => {
            let Some(code) = &stored.customer else {
                return Err(StoreError::Refused(format!(
                    "bank line {id} has no proposal to accept: say whose money it is with `overdue matches assign {id} CUSTOMER`"
                )));
            };
            let customer = crate::follow_up::customer_id(sql, tenant, code)?;
            apply(sql, tenant, id, &stored.line, customer, &stored.proposal, by)?;
        }
        BankDecision::Assign { customer, invoices } => {
            let customer = crate::follow_up::customer_id(sql, tenant, customer)?;
            let allocations = assignment(sql, tenant, &stored.line, customer, invoices)?;
            apply(sql, tenant, id, &stored.line, customer, &allocations, by)?;
        }
        BankDecision::Ignore { reason } => {
            sql.execute(
                "UPDATE bank_lines SET status = 'ignored', decided_by = $3, note = $4 WHERE tenant_id = $1 AND id = $2",
                &[tenant.into(), id.into(), by.into(), reason.as_str().into()],
            )?;
        }
    }
    line(sql, tenant, id)
}

/// The customer's invoices named (or all its open ones), oldest due first, paid in turn.
fn assignment(
    sql: &mut dyn Sql,
    tenant: TenantId,
    line: &BankLine,
    customer: i64,
    invoices: &[String],
) -> Result<Vec<LineAllocation>, StoreError> {
    let rows = sql.rows(
        "SELECT id, number, open_minor FROM invoices
          WHERE tenant_id = $1 AND customer_id = $2 AND currency = $3 AND open_minor > 0 AND kind = 'invoice'
            AND status <> 'cancelled' ORDER BY due_date, id",
        &[tenant.into(), customer.into(), line.amount.currency().code().into()],
    )?;
    let open: Vec<(i64, String, i64)> = rows.into_iter().map(|mut r| (r.int(), r.text(), r.int())).collect();
    for number in invoices {
        if !open.iter().any(|(_, n, _)| n == number) {
            return Err(StoreError::Refused(format!(
                "invoice {number} is not an open {} invoice of this customer",
                line.amount.currency()
            )));
        }
    }
    let mut left = line.amount.amount_minor();
    let mut allocations = Vec::new();
    for (invoice_id, number, open_minor) in open {
        if left == 0 || !(invoices.is_empty() || invoices.contains(&number)) {
            continue;
        }
        let amount = left.min(open_minor);
        allocations.push(LineAllocation { invoice_id, number, amount_minor: amount, discount_minor: 0 });
        left -= amount;
    }
    Ok(allocations)
}

const SELECT_LINES: &str = "SELECT b.id, b.account, b.statement, b.entry, b.booking_date, b.value_date, b.amount_minor,
        b.currency, b.direction, b.counterparty_name, b.counterparty_iban, b.creditor_reference, b.remittance,
        b.end_to_end_id, b.status, c.code, b.confidence, b.evidence, b.proposal, p.reference, b.note
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
        bank_reference: None,
        reversal: None,
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
