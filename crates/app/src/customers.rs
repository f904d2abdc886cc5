//! Changing a customer: one field or several by name (`overdue customer set CODE field=value…`),
//! or by a file; every change recorded with who made it, when, and the value before and after.

use crate::AppError;
use chrono::NaiveDateTime;
use overdue_core::customer::Customer;
use overdue_core::customer_fields::{self, Change};
use overdue_store::{Store, TenantId};

/// Sets each `field=value` of `settings` on customer `code` and saves it, recording the
/// changes as made by `by` at `at`. Returns what changed (nothing: nothing is written).
///
/// Errors: no such customer; an unknown field or a value that does not parse (nothing is
/// changed then); the books cannot be written.
pub fn set(
    store: &mut dyn Store,
    tenant: TenantId,
    code: &str,
    settings: &[(String, String)],
    (by, at): (&str, NaiveDateTime),
) -> Result<Vec<Change>, AppError> {
    let before =
        store.customer(tenant, code)?.ok_or_else(|| AppError::NotFound { what: "customer", key: code.to_owned() })?;
    let sets = |name: &str| settings.iter().any(|(field, _)| field == name);
    if sets("currency") && before.credit.credit_limit.is_some() && !sets("credit_limit") {
        return Err(AppError::Refused(format!(
            "{code} has a credit limit of {}: a new currency would relabel it; set credit_limit in the new currency \
             in the same command (after currency=), or clear it (credit_limit=); nothing was changed",
            before.credit.credit_limit.map(|m| m.to_string()).unwrap_or_default()
        )));
    }
    let mut after = before.clone();
    // the currency first, so that a credit limit given with it is read in the new one
    let mut ordered: Vec<&(String, String)> = settings.iter().collect();
    ordered.sort_by_key(|(field, _)| field != "currency");
    for (field, value) in ordered {
        customer_fields::set(&mut after, field, value).map_err(|error| match &error {
            customer_fields::FieldError::Invalid { field, reason } => AppError::Invalid {
                field: customer_fields::FIELDS.iter().copied().find(|known| known == field).unwrap_or("fields"),
                reason: reason.clone(),
            },
            customer_fields::FieldError::Unknown { .. } => {
                AppError::Invalid { field: "fields", reason: error.to_string() }
            }
        })?;
    }
    let changes = customer_fields::changes(&before, &after);
    if !changes.is_empty() {
        store.save_customer(tenant, &after, &changes, by, at)?;
    }
    Ok(changes)
}

/// What an import is about to change on the customers the books already hold: per customer
/// code, the changes from the stored version to `incoming`.
pub fn changes_of(
    store: &mut dyn Store,
    tenant: TenantId,
    incoming: &[Customer],
) -> Result<Vec<(String, Vec<Change>)>, AppError> {
    let mut all = Vec::new();
    for customer in incoming {
        if let Some(stored) = store.customer(tenant, customer.code.as_str())? {
            let changes = customer_fields::changes(&stored, customer);
            if !changes.is_empty() {
                all.push((customer.code.to_string(), changes));
            }
        }
    }
    Ok(all)
}
