//! Changing a customer, written once for both backends: the customer's row and contacts
//! rewritten, and every field that changed recorded — who, when, old → new — for its timeline.

use crate::StoreError;
use crate::model::TenantId;
use crate::rows::Sql;
use chrono::NaiveDateTime;
use overdue_core::customer::Customer;
use overdue_core::customer_fields::Change;

/// Saves `customer` (found by its code) as it now is, and records `changes` by `by` at `at`.
pub(crate) fn save(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: &Customer,
    changes: &[Change],
    (by, at): (&str, NaiveDateTime),
) -> Result<(), StoreError> {
    let id = crate::follow_up::customer_id(sql, tenant, customer.code.as_str())?;
    let c = customer;
    sql.execute(
        "UPDATE customers SET legal_name = $3, tax_id = $4, country = $5, language = $6, currency = $7, address = $8,
                payment_terms = $9, credit_limit_minor = $10, fingerprint = $11, dispute_procedure = $12,
                late_interest_clause = $13, deliverables = $14, contract_date = $15, agri_food = $16
          WHERE tenant_id = $1 AND id = $2",
        &[
            tenant.into(),
            id.into(),
            c.legal_name.as_str().into(),
            c.tax_id.clone().into(),
            c.country.as_str().into(),
            c.language.as_str().into(),
            c.currency.code().into(),
            c.address.clone().into(),
            c.agreement.payment_terms.as_ref().map(ToString::to_string).into(),
            c.credit.credit_limit.map(|m| m.amount_minor()).into(),
            c.fingerprint().into(),
            c.agreement.dispute_procedure.clone().into(),
            c.agreement.late_interest_clause.clone().into(),
            c.agreement.deliverables.clone().into(),
            c.agreement.contract_date.into(),
            c.agreement.agri_food.into(),
        ],
    )?;
    sql.execute("DELETE FROM contacts WHERE tenant_id = $1 AND customer_id = $2", &[tenant.into(), id.into()])?;
    for contact in &c.contacts {
        sql.execute(
            "INSERT INTO contacts (tenant_id, customer_id, name, role, email, phone) VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                tenant.into(),
                id.into(),
                contact.name.as_str().into(),
                contact.role.as_str().into(),
                contact.email.as_ref().map(ToString::to_string).into(),
                contact.phone.clone().into(),
            ],
        )?;
    }
    record_changes(sql, tenant, id, changes, (by, at))
}

/// The payment terms on file of every customer that has them, as (code, terms).
pub(crate) fn agreed_terms(
    sql: &mut dyn Sql,
    tenant: TenantId,
) -> Result<Vec<(String, overdue_core::terms::PaymentTerms)>, StoreError> {
    let rows = sql.rows(
        "SELECT code, payment_terms FROM customers WHERE tenant_id = $1 AND payment_terms IS NOT NULL",
        &[tenant.into()],
    )?;
    rows.into_iter()
        .map(|mut row| {
            let code = row.text();
            Ok((code, crate::stored::terms(&row.text())?))
        })
        .collect()
}

/// Records changes already made to customer `code` (by an import).
pub(crate) fn record(
    sql: &mut dyn Sql,
    tenant: TenantId,
    code: &str,
    changes: &[Change],
    (by, at): (&str, NaiveDateTime),
) -> Result<(), StoreError> {
    let id = crate::follow_up::customer_id(sql, tenant, code)?;
    record_changes(sql, tenant, id, changes, (by, at))
}

/// Records changes of customer `id` (a credit moved by a person).
pub(crate) fn record_by_id(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    changes: &[Change],
    (by, at): (&str, NaiveDateTime),
) -> Result<(), StoreError> {
    record_changes(sql, tenant, id, changes, (by, at))
}

fn record_changes(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    changes: &[Change],
    (by, at): (&str, NaiveDateTime),
) -> Result<(), StoreError> {
    for change in changes {
        sql.execute(
            "INSERT INTO customer_changes (tenant_id, customer_id, changed_at, changed_by, field, old_value, new_value)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                tenant.into(),
                id.into(),
                at.into(),
                by.into(),
                change.field.into(),
                change.before.clone().into(),
                change.after.clone().into(),
            ],
        )?;
    }
    Ok(())
}
