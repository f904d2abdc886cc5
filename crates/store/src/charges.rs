//! Charges beyond the principal of an invoice — late-payment interest as claimed up to a day, the
//! fixed compensation for recovery costs, the late fees of dunning steps — and their waivers,
//! written once for both backends. One row per invoice, kind and step: charging twice (a job run
//! twice, two people at once) changes nothing, and a waiver is final.

use crate::error::StoreError;
use crate::follow_up::invoice_ids;
use crate::model::{ChargeKind, ChargeStatus, NewCharge, StoredCharge, TenantId};
use crate::rows::{Row, Sql, Value};
use overdue_core::Currency;
use overdue_core::money::Money;

/// Records a charge or a waiver on invoice `number`. A charge already recorded is brought up to
/// date (interest claimed to a later day); a waived one is left as it is. Returns whether the
/// books changed.
pub(crate) fn record_charge(
    sql: &mut dyn Sql,
    tenant: TenantId,
    number: &str,
    charge: &NewCharge,
) -> Result<bool, StoreError> {
    let (invoice, customer) = invoice_ids(sql, tenant, number)?;
    insert_charge(sql, tenant, customer, invoice, charge)
}

pub(crate) fn insert_charge(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: i64,
    invoice: i64,
    charge: &NewCharge,
) -> Result<bool, StoreError> {
    let changed = sql.execute(
        "INSERT INTO charges (tenant_id, customer_id, invoice_id, kind, step, amount_minor, currency, computed_to,
             status, recorded_on, recorded_by, note, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (tenant_id, invoice_id, kind, step) DO UPDATE
            SET amount_minor = excluded.amount_minor, computed_to = excluded.computed_to, status = excluded.status,
                recorded_on = excluded.recorded_on, recorded_by = excluded.recorded_by, note = excluded.note,
                detail = excluded.detail
          WHERE charges.status = 'charged'
            AND (excluded.status = 'waived' OR charges.kind = 'interest')",
        &[
            tenant.into(),
            customer.into(),
            invoice.into(),
            charge.kind.as_str().into(),
            charge.step.clone().unwrap_or_default().into(),
            charge.amount.amount_minor().into(),
            charge.amount.currency().code().into(),
            charge.computed_to.into(),
            charge.status.as_str().into(),
            charge.recorded_on.into(),
            charge.recorded_by.as_str().into(),
            charge.note.clone().into(),
            charge.detail.clone().into(),
        ],
    )?;
    Ok(changed > 0)
}

/// Everything charged or waived on invoice `number`, oldest first.
pub(crate) fn charges(sql: &mut dyn Sql, tenant: TenantId, number: &str) -> Result<Vec<StoredCharge>, StoreError> {
    let (invoice, _) = invoice_ids(sql, tenant, number)?;
    sql.rows(
        "SELECT kind, step, amount_minor, currency, computed_to, status, recorded_on, recorded_by, note
           FROM charges WHERE tenant_id = $1 AND invoice_id = $2 ORDER BY recorded_on, id",
        &[tenant.into(), invoice.into()],
    )?
    .into_iter()
    .map(stored_charge)
    .collect()
}

fn stored_charge(mut row: Row) -> Result<StoredCharge, StoreError> {
    let kind = row.text();
    let kind = ChargeKind::parse(&kind).ok_or_else(|| StoreError::corrupt("charge kind", kind))?;
    let step = Some(row.text()).filter(|s| !s.is_empty());
    let amount = row.int();
    let currency = Currency::from_code(&row.text()).map_err(|e| StoreError::corrupt("currency", e))?;
    let computed_to = row.date()?;
    let status = row.text();
    let status = ChargeStatus::parse(&status).ok_or_else(|| StoreError::corrupt("charge status", status))?;
    Ok(StoredCharge {
        kind,
        step,
        amount: Money::new(amount, currency),
        computed_to,
        status,
        recorded_on: row.date()?,
        recorded_by: row.text(),
        note: row.opt_text(),
    })
}

/// Parameters shared by the timeline: what was charged to a customer, for its history.
pub(crate) fn customer_charges(
    sql: &mut dyn Sql,
    params: &[Value; 2],
) -> Result<Vec<(String, StoredCharge)>, StoreError> {
    sql.rows(
        "SELECT i.number, c.kind, c.step, c.amount_minor, c.currency, c.computed_to, c.status, c.recorded_on,
                c.recorded_by, c.note
           FROM charges c JOIN invoices i ON i.tenant_id = c.tenant_id AND i.id = c.invoice_id
          WHERE c.tenant_id = $1 AND c.customer_id = $2",
        params,
    )?
    .into_iter()
    .map(|mut row| {
        let number = row.text();
        Ok((number, stored_charge(row)?))
    })
    .collect()
}
