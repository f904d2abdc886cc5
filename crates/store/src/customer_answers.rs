//! What the customer says on their own page beyond a promise or a dispute: that an invoice is
//! already paid (a payment claim), and the days they opened the page.

use crate::error::StoreError;
use crate::model::{AlarmCleared, TenantId};
use crate::rows::{Sql, Value};
use chrono::{NaiveDate, NaiveDateTime};
use overdue_core::date::add_days;
use overdue_core::engine::CustomerState;
use overdue_core::money::Money;
use overdue_core::payment_claim::{CLAIM_PAUSE_DAYS, PaymentClaim};
use std::collections::HashMap;

/// Keeps `claim` (its id is ignored) that an invoice of `customer` is paid, said by `by` at `at`;
/// it counts as contact (an open 60-day alarm is closed). Its id.
///
/// Errors: [`StoreError::NotFound`] for an invoice the books do not hold, or not the customer's.
pub(crate) fn record_claim(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (customer, claim): (&str, &PaymentClaim),
    (by, at): (&str, NaiveDateTime),
) -> Result<i64, StoreError> {
    let customer_id = crate::follow_up::customer_id(sql, tenant, customer)?;
    let (invoice_id, owner) = crate::follow_up::invoice_ids(sql, tenant, claim.invoice.as_str())?;
    if owner != customer_id {
        return Err(StoreError::NotFound { what: "invoice", key: claim.invoice.to_string() });
    }
    let mut rows = sql.rows(
        "INSERT INTO payment_claims (tenant_id, customer_id, invoice_id, made_on, paid_on, amount_minor, currency,
                                     reference, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            tenant.into(),
            customer_id.into(),
            invoice_id.into(),
            claim.made_on.into(),
            claim.paid_on.into(),
            claim.amount.amount_minor().into(),
            claim.amount.currency().code().into(),
            claim.reference.clone().into(),
            by.into(),
            at.into(),
        ],
    )?;
    crate::follow_up::clear_alarm(sql, tenant, customer_id, (claim.made_on, by), AlarmCleared::SaidPaid)?;
    Ok(rows.pop().map_or(0, |mut row| row.int()))
}

/// Loads into `states` the claims made in the [`CLAIM_PAUSE_DAYS`] up to the day of `range`
/// (tenant, first and last customer id, day).
pub(crate) fn load_claims(
    sql: &mut dyn Sql,
    range: &[Value; 4],
    as_of: NaiveDate,
    states: &mut HashMap<i64, CustomerState>,
) -> Result<(), StoreError> {
    let mut params = range.to_vec();
    params.push(add_days(as_of, -CLAIM_PAUSE_DAYS).into());
    for mut row in sql.rows(
        "SELECT c.customer_id, c.id, i.number, c.paid_on, c.amount_minor, c.currency, c.reference, c.made_on
           FROM payment_claims c JOIN invoices i ON i.tenant_id = c.tenant_id AND i.id = c.invoice_id
          WHERE c.tenant_id = $1 AND c.customer_id BETWEEN $2 AND $3 AND c.made_on <= $4 AND c.made_on >= $5
          ORDER BY c.id",
        &params,
    )? {
        let (customer, id, number) = (row.int(), row.int(), row.text());
        let invoice = overdue_core::ids::InvoiceNumber::parse(&number).map_err(|e| StoreError::corrupt("number", e))?;
        let paid_on = row.date()?;
        let amount = row.int();
        let currency =
            overdue_core::currency::Currency::from_code(&row.text()).map_err(|e| StoreError::corrupt("currency", e))?;
        let (reference, made_on) = (row.opt_text(), row.date()?);
        if let Some(state) = states.get_mut(&customer) {
            let amount = Money::new(amount, currency);
            state.claims.push(PaymentClaim { id, invoice, paid_on, amount, reference, made_on });
        }
    }
    Ok(())
}

/// Notes that `customer` opened their page at `at`: one row a day, counting the times.
///
/// Errors: [`StoreError::NotFound`] for a customer the books do not hold.
pub(crate) fn note_visit(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let customer_id = crate::follow_up::customer_id(sql, tenant, customer)?;
    sql.execute(
        "INSERT INTO customer_page_visits (tenant_id, customer_id, day, first_at, last_at, times)
         VALUES ($1, $2, $3, $4, $4, 1)
         ON CONFLICT (tenant_id, customer_id, day)
         DO UPDATE SET last_at = excluded.last_at, times = customer_page_visits.times + 1",
        &[tenant.into(), customer_id.into(), at.date().into(), at.into()],
    )?;
    Ok(())
}
