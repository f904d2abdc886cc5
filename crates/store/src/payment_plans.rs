//! Payment plans kept in the books: agreed (checked by the caller), listed, cancelled, loaded into
//! the customer's state for the engine, the day each was found broken read from its follow-up
//! action.

use crate::error::StoreError;
use crate::follow_up::json;
use crate::model::TenantId;
use crate::rows::{Row, Sql, Value};
use chrono::{NaiveDate, NaiveDateTime};
use overdue_core::engine::CustomerState;
use overdue_core::money::Money;
use overdue_core::payment_plan::{PaymentPlan, PlanInstalment};
use overdue_core::refusal::Refusal;
use std::collections::HashMap;

/// The columns a plan is read from (`p` the plan, `c` its customer), then its customer's id.
const PLAN_COLUMNS: &str =
    "p.id, p.agreed_on, p.currency, p.principal_minor, p.interest_minor, p.invoices, p.instalments,
       p.cancelled_on,
       (SELECT MIN(a.due_on) FROM actions a
         WHERE a.tenant_id = p.tenant_id AND a.customer_id = p.customer_id AND a.kind = 'broken_plan'
           AND a.key = c.code || ':broken_plan:plan-' || CAST(p.id AS TEXT) || '-broken'),
       p.customer_id";

fn plan(row: &mut Row) -> Result<PaymentPlan, StoreError> {
    let (id, agreed_on, currency) = (row.int(), row.date()?, row.text());
    let currency =
        overdue_core::currency::Currency::from_code(&currency).map_err(|e| StoreError::corrupt("currency", e))?;
    // interest_minor: plans agreed before interest on plans was dropped; never asked for
    let (principal, _interest) = (Money::new(row.int(), currency), row.int());
    let invoices = serde_json::from_str(&row.text()).map_err(|e| StoreError::corrupt("plan invoices", e))?;
    let instalments: Vec<PlanInstalment> =
        serde_json::from_str(&row.text()).map_err(|e| StoreError::corrupt("plan instalments", e))?;
    let (cancelled_on, broken_on) = (row.opt_date()?, row.opt_date()?);
    Ok(PaymentPlan { id, agreed_on, invoices, principal, instalments, cancelled_on, broken_on })
}

/// Keeps `plan` (its id and states ignored) for `customer`, agreed by `by` at `at`; its id.
///
/// Errors: [`StoreError::NotFound`] for an unknown customer.
pub(crate) fn create(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (customer, plan): (&str, &PaymentPlan),
    (by, at): (&str, NaiveDateTime),
) -> Result<i64, StoreError> {
    let customer_id = crate::follow_up::customer_id(sql, tenant, customer)?;
    let mut rows = sql.rows(
        "INSERT INTO payment_plans (tenant_id, customer_id, agreed_on, currency, principal_minor, interest_minor,
                                    invoices, instalments, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        &[
            tenant.into(),
            customer_id.into(),
            plan.agreed_on.into(),
            plan.principal.currency().code().into(),
            plan.principal.amount_minor().into(),
            0_i64.into(),
            json(&plan.invoices).into(),
            json(&plan.instalments).into(),
            by.into(),
            at.into(),
        ],
    )?;
    Ok(rows.pop().map_or(0, |mut row| row.int()))
}

/// Every plan of `customer`, oldest first.
///
/// Errors: [`StoreError::NotFound`] for an unknown customer.
pub(crate) fn of_customer(sql: &mut dyn Sql, tenant: TenantId, customer: &str) -> Result<Vec<PaymentPlan>, StoreError> {
    let customer_id = crate::follow_up::customer_id(sql, tenant, customer)?;
    let query = format!(
        "SELECT {PLAN_COLUMNS} FROM payment_plans p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
          WHERE p.tenant_id = $1 AND p.customer_id = $2 ORDER BY p.id"
    );
    sql.rows(&query, &[tenant.into(), customer_id.into()])?.iter_mut().map(plan).collect()
}

/// Cancels plan `id` of `tenant` on `on`, saying why; the customer it was for.
///
/// Errors: [`StoreError::NotFound`] for no such plan; [`StoreError::Refused`] for one cancelled
/// already.
pub(crate) fn cancel(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    (on, reason, by): (NaiveDate, &str, &str),
) -> Result<String, StoreError> {
    let mut rows = sql.rows(
        "SELECT c.code, p.cancelled_on FROM payment_plans p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
          WHERE p.tenant_id = $1 AND p.id = $2",
        &[tenant.into(), id.into()],
    )?;
    let Some(mut row) = rows.pop() else {
        return Err(StoreError::NotFound { what: "payment plan", key: id.to_string() });
    };
    let (customer, cancelled) = (row.text(), row.opt_date()?);
    if let Some(day) = cancelled {
        return Err(StoreError::Refused(Refusal::PlanCancelled { id, day }));
    }
    sql.execute(
        "UPDATE payment_plans SET cancelled_on = $3, cancel_reason = $4, cancelled_by = $5 WHERE tenant_id = $1 AND id = $2",
        &[tenant.into(), id.into(), on.into(), reason.into(), by.into()],
    )?;
    Ok(customer)
}

/// Loads into `states` the plans of the customers of `range` (tenant, first and last customer
/// id, day) agreed by the day and not cancelled a year before it.
pub(crate) fn load_plans(
    sql: &mut dyn Sql,
    range: &[Value; 4],
    as_of: NaiveDate,
    states: &mut HashMap<i64, CustomerState>,
) -> Result<(), StoreError> {
    let mut params = range.to_vec();
    params.push(overdue_core::date::add_days(as_of, -overdue_core::habits::HISTORY_DAYS).into());
    let query = format!(
        "SELECT {PLAN_COLUMNS} FROM payment_plans p JOIN customers c ON c.tenant_id = p.tenant_id AND c.id = p.customer_id
          WHERE p.tenant_id = $1 AND p.customer_id BETWEEN $2 AND $3 AND p.agreed_on <= $4
            AND (p.cancelled_on IS NULL OR p.cancelled_on > $5)
          ORDER BY p.id"
    );
    for mut row in sql.rows(&query, &params)? {
        let plan = plan(&mut row)?;
        let customer = row.int();
        if let Some(state) = states.get_mut(&customer) {
            state.plans.push(plan);
        }
    }
    Ok(())
}
