//! Credits used, written once for both backends: a credit note becomes a settlement like a
//! payment (`credit-note:NUMBER`, dated on its issue date, method `credit_note`) applied to the
//! invoice it corrects, else to the customer's oldest open invoices in its currency; what is left
//! of it, and of any over-payment, stays as the customer's credit and is applied to the next
//! invoices of that currency. So what an invoice shows as open, and what the daily run chases,
//! is what the customer really owes.
//!
//! Credits are applied in date order: a payment entered after one dated later was applied takes
//! its place first (see `release_settlements_dated_after_money_held`).
//!
//! Run after every import of invoices or payments and before each daily run; idempotent (a
//! settled credit note has `open_minor = 0`, a used credit `unallocated_minor = 0`).

use crate::StoreError;
use crate::model::TenantId;
use crate::rows::Sql;
use chrono::NaiveDate;

/// Reference prefix of the settlement a credit note becomes.
pub const CREDIT_NOTE_REFERENCE: &str = "credit-note:";

/// Applies every credit of the organisation that can be applied. Returns how many allocations
/// were written.
pub(crate) fn settle(sql: &mut dyn Sql, tenant: TenantId) -> Result<u64, StoreError> {
    turn_credit_notes_into_settlements(sql, tenant)?;
    release_settlements_dated_after_money_held(sql, tenant)?;
    // `<> 0` meets the partial index of payments holding credit (a handful), and the range on
    // `customer_id` makes SQLite take it rather than walk every payment by date; sorted here, as
    // an ORDER BY would lead SQLite through every payment by date
    let rows = sql.rows(
        "SELECT p.id, p.customer_id, p.currency, p.unallocated_minor, p.payment_date, p.invoice_number
           FROM payments p
          WHERE p.tenant_id = $1 AND p.customer_id >= 0 AND p.unallocated_minor <> 0 AND p.unallocated_minor > 0
            AND p.credit_held = 0
            AND EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = p.tenant_id AND i.customer_id = p.customer_id
                           AND i.currency = p.currency AND i.open_minor > 0 AND i.kind = 'invoice'
                           AND i.status <> 'cancelled')",
        &[tenant.into()],
    )?;
    let mut credits = Vec::with_capacity(rows.len());
    for mut row in rows {
        credits.push(Credit {
            payment: row.int(),
            customer: row.int(),
            currency: row.text(),
            left_minor: row.int(),
            dated: row.date()?,
            named: row.opt_text(),
        });
    }
    credits.sort_by_key(|c| (c.dated, c.payment));
    let mut written = 0;
    for credit in credits {
        written += apply(sql, tenant, credit)?;
    }
    Ok(written)
}

/// Money pays in the order it came: where a payment or credit note still holds money while one
/// dated after it was applied to the same customer's invoices in its currency (entered out of
/// order — the README's order, invoices and credit notes first, then the bank's history), what
/// the later one paid is taken back, so that [`settle`] applies both again in date order. So the
/// books as of any day show what was paid by then, and a payment naming an invoice settles it
/// rather than becoming credit. Credits a person chose to hold (`credit_held`), reversed
/// payments, and allocations that took an early-payment discount are left as they are.
fn release_settlements_dated_after_money_held(sql: &mut dyn Sql, tenant: TenantId) -> Result<(), StoreError> {
    let rows = sql.rows(
        "SELECT DISTINCT a.payment_id, a.invoice_id, a.amount_minor
           FROM payments p
           JOIN payments n ON n.tenant_id = p.tenant_id AND n.customer_id = p.customer_id
                          AND n.currency = p.currency AND n.credit_held = 0 AND n.reversed_on IS NULL
                          AND n.payment_date > p.payment_date
           JOIN allocations a ON a.tenant_id = n.tenant_id AND a.payment_id = n.id AND a.discount_minor = 0
          WHERE p.tenant_id = $1 AND p.customer_id >= 0 AND p.unallocated_minor <> 0 AND p.unallocated_minor > 0
            AND p.credit_held = 0 AND p.reversed_on IS NULL",
        &[tenant.into()],
    )?;
    for mut row in rows {
        let (later, invoice, amount) = (row.int(), row.int(), row.int());
        take_back(sql, tenant, (later, invoice, amount), false)?;
    }
    Ok(())
}

/// Takes back what `payment` paid of `invoice` (`amount` minor units): the allocation removed,
/// the invoice open for it again, the payment holding it as credit — held from being applied
/// again by itself when `held` (a person's decision).
fn take_back(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (payment, invoice, amount): (i64, i64, i64),
    held: bool,
) -> Result<(), StoreError> {
    sql.execute(
        "DELETE FROM allocations WHERE tenant_id = $1 AND payment_id = $2 AND invoice_id = $3",
        &[tenant.into(), payment.into(), invoice.into()],
    )?;
    sql.execute(
        "UPDATE invoices SET open_minor = open_minor + $3, paid_on = NULL WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), invoice.into(), amount.into()],
    )?;
    sql.execute(
        "UPDATE payments SET unallocated_minor = unallocated_minor + $3,
                credit_held = CASE WHEN $4 = 1 THEN 1 ELSE credit_held END
          WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), payment.into(), amount.into(), i64::from(held).into()],
    )?;
    Ok(())
}

/// A credit (a settled credit note or an over-payment) with money still to apply.
struct Credit {
    payment: i64,
    customer: i64,
    currency: String,
    left_minor: i64,
    dated: NaiveDate,
    /// The invoice it was meant for (the corrected invoice, the invoice a payer named).
    named: Option<String>,
}

/// Every credit note still holding its value becomes a settlement of the same amount.
fn turn_credit_notes_into_settlements(sql: &mut dyn Sql, tenant: TenantId) -> Result<(), StoreError> {
    let notes = sql.rows(
        "SELECT id, number, customer_id, issue_date, currency, open_minor, corrects FROM invoices
          WHERE tenant_id = $1 AND kind = 'credit_note' AND open_minor < 0 AND status <> 'cancelled'",
        &[tenant.into()],
    )?;
    for mut row in notes {
        let (id, number, customer) = (row.int(), row.text(), row.int());
        let (issued, currency, open_minor, corrects) = (row.date()?, row.text(), row.int(), row.opt_text());
        let reference = format!("{CREDIT_NOTE_REFERENCE}{number}");
        sql.execute(
            "INSERT INTO payments (tenant_id, reference, customer_id, payment_date, amount_minor, currency, method,
                                   invoice_number, unallocated_minor, fingerprint)
             VALUES ($1, $2, $3, $4, $5, $6, 'credit_note', $7, $5, 0)",
            &[
                tenant.into(),
                reference.into(),
                customer.into(),
                issued.into(),
                (-open_minor).into(),
                currency.into(),
                corrects.into(),
            ],
        )?;
        sql.execute(
            "UPDATE invoices SET open_minor = 0, paid_on = issue_date WHERE tenant_id = $1 AND id = $2",
            &[tenant.into(), id.into()],
        )?;
    }
    Ok(())
}

/// Applies one credit to the invoice it names, then to the oldest due open invoices of its
/// customer and currency. Returns how many allocations were written.
fn apply(sql: &mut dyn Sql, tenant: TenantId, mut credit: Credit) -> Result<u64, StoreError> {
    // first the invoices that existed on the credit's day, oldest due first; then the next
    // invoices, in the order they were issued
    let open = sql.rows(
        "SELECT id, number, open_minor, issue_date FROM invoices
          WHERE tenant_id = $1 AND customer_id = $2 AND currency = $3 AND open_minor > 0 AND kind = 'invoice'
            AND status <> 'cancelled'
          ORDER BY CASE WHEN issue_date <= $4 THEN 0 ELSE 1 END,
                   CASE WHEN issue_date <= $4 THEN due_date ELSE issue_date END, due_date, id",
        &[tenant.into(), credit.customer.into(), credit.currency.clone().into(), credit.dated.into()],
    )?;
    let mut open: Vec<(i64, String, i64, NaiveDate)> =
        open.into_iter().map(|mut r| Ok((r.int(), r.text(), r.int(), r.date()?))).collect::<Result<_, StoreError>>()?;
    if let Some(named) = &credit.named {
        // the named invoice first, the others in due-date order after it
        open.sort_by_key(|(_, number, _, _)| number != named);
    }
    let mut written = 0;
    for (invoice, _, open_minor, issued) in open {
        if credit.left_minor == 0 {
            break;
        }
        let amount = credit.left_minor.min(open_minor);
        allocate(sql, tenant, credit.payment, invoice, amount, credit.dated.max(issued))?;
        credit.left_minor -= amount;
        written += 1;
    }
    sql.execute(
        "UPDATE payments SET unallocated_minor = $3 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), credit.payment.into(), credit.left_minor.into()],
    )?;
    Ok(written)
}

/// One allocation of a credit to an invoice; the invoice's open amount lowered, and its day of
/// settlement recorded when nothing is left (the later of the credit's and the invoice's date).
fn allocate(
    sql: &mut dyn Sql,
    tenant: TenantId,
    payment: i64,
    invoice: i64,
    amount_minor: i64,
    settled_on: NaiveDate,
) -> Result<(), StoreError> {
    sql.execute(
        "INSERT INTO allocations (tenant_id, payment_id, invoice_id, amount_minor) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, payment_id, invoice_id)
         DO UPDATE SET amount_minor = allocations.amount_minor + excluded.amount_minor",
        &[tenant.into(), payment.into(), invoice.into(), amount_minor.into()],
    )?;
    sql.execute(
        "UPDATE invoices SET open_minor = open_minor - $3,
                paid_on = CASE WHEN open_minor - $3 <= 0 THEN $4 ELSE paid_on END
          WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), invoice.into(), amount_minor.into(), settled_on.into()],
    )?;
    Ok(())
}

/// A credit named by a person: a credit note's number, or a payment's reference.
fn find_credit(sql: &mut dyn Sql, tenant: TenantId, reference: &str) -> Result<(i64, i64, String, i64), StoreError> {
    let settlement = format!("{CREDIT_NOTE_REFERENCE}{reference}");
    for candidate in [settlement.as_str(), reference] {
        let mut rows = sql.rows(
            "SELECT id, customer_id, currency, unallocated_minor FROM payments WHERE tenant_id = $1 AND reference = $2",
            &[tenant.into(), candidate.into()],
        )?;
        if let Some(mut row) = rows.pop() {
            return Ok((row.int(), row.int(), row.text(), row.int()));
        }
    }
    Err(StoreError::NotFound { what: "credit note or payment", key: reference.to_owned() })
}

/// Takes back what credit `reference` (a credit note's number or a payment's reference) paid of
/// invoice `number`: the invoice is open for it again, the credit holds it and is not applied
/// again by itself. Recorded on the customer's timeline. Returns the minor units taken back.
pub(crate) fn unapply(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (reference, number): (&str, &str),
    (by, at): (&str, chrono::NaiveDateTime),
) -> Result<i64, StoreError> {
    let (payment, customer, _, _) = find_credit(sql, tenant, reference)?;
    let (invoice, _) = crate::follow_up::invoice_ids(sql, tenant, number)?;
    let mut rows = sql.rows(
        "SELECT amount_minor FROM allocations WHERE tenant_id = $1 AND payment_id = $2 AND invoice_id = $3",
        &[tenant.into(), payment.into(), invoice.into()],
    )?;
    let amount = rows.pop().map(|mut r| r.int()).ok_or_else(|| {
        StoreError::Refused(
            format!("{reference} paid nothing of invoice {number}: there is nothing to take back").into(),
        )
    })?;
    take_back(sql, tenant, (payment, invoice, amount), true)?;
    record(sql, tenant, customer, (reference, number, -amount), (by, at))?;
    Ok(amount)
}

/// Applies credit `reference` to invoice `number` (the same customer and currency): at most
/// `amount_minor` (all it can, without), never more than the credit holds or the invoice owes.
/// Recorded on the customer's timeline. Returns the minor units applied.
pub(crate) fn apply_to(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (reference, number, amount_minor): (&str, &str, Option<i64>),
    (by, at): (&str, chrono::NaiveDateTime),
) -> Result<i64, StoreError> {
    let (payment, customer, currency, left) = find_credit(sql, tenant, reference)?;
    let mut rows = sql.rows(
        "SELECT id, customer_id, currency, open_minor, issue_date FROM invoices
          WHERE tenant_id = $1 AND number = $2 AND kind = 'invoice' AND status <> 'cancelled'",
        &[tenant.into(), number.into()],
    )?;
    let mut row = rows.pop().ok_or_else(|| StoreError::NotFound { what: "invoice", key: number.to_owned() })?;
    let (invoice, owner, invoice_currency, open, issued) = (row.int(), row.int(), row.text(), row.int(), row.date()?);
    if owner != customer || invoice_currency != currency {
        return Err(StoreError::Refused(
            format!(
                "{reference} is a credit of another customer or currency than invoice {number}: nothing was changed"
            )
            .into(),
        ));
    }
    let amount = amount_minor.unwrap_or(i64::MAX).min(left).min(open);
    if amount <= 0 {
        return Err(StoreError::Refused(
            format!("nothing to apply: {reference} holds {left} and invoice {number} owes {open} (minor units)").into(),
        ));
    }
    allocate(sql, tenant, payment, invoice, amount, issued)?;
    sql.execute(
        "UPDATE payments SET unallocated_minor = unallocated_minor - $3 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), payment.into(), amount.into()],
    )?;
    record(sql, tenant, customer, (reference, number, amount), (by, at))?;
    Ok(amount)
}

/// A person's move of a credit, on the customer's record of changes.
fn record(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    (reference, number, amount_minor): (&str, &str, i64),
    (by, at): (&str, chrono::NaiveDateTime),
) -> Result<(), StoreError> {
    let (before, after) = if amount_minor < 0 {
        (Some(format!("{reference} pays {number}")), Some(format!("{reference} held as credit")))
    } else {
        (Some(format!("{reference} held as credit")), Some(format!("{reference} pays {number}")))
    };
    let change = overdue_core::customer_fields::Change { field: "credit", before, after };
    crate::customers::record_by_id(sql, tenant, customer, &[change], (by, at))
}
