//! Importing customers from a file: a column the file leaves out leaves that field as it was (an
//! empty cell in a column it has clears it), so a file carrying only the new billing e-mails
//! changes nothing else; every change made to a customer the books already held is recorded
//! (who, when, old → new).

use crate::AppError;
use chrono::NaiveDateTime;
use overdue_core::customer::Customer;
use overdue_core::import::{ImportReport, ImportRow, Located};
use overdue_store::{ImportOptions, Store, TenantId};

/// Imports `rows` of customers, where `carries(field)` says which optional fields the file has
/// (see `Customer::updated_with` for their names): a customer already in the books keeps every
/// field the file does not carry. Rows are checked and merged before anything is written; the
/// import itself is all or nothing per `options`; the changes are recorded as made by `by` at
/// `at`.
pub fn customers(
    store: &mut dyn Store,
    tenant: TenantId,
    rows: &mut dyn Iterator<Item = ImportRow<Customer>>,
    carries: &dyn Fn(&str) -> bool,
    (options, by, at): (ImportOptions, &str, NaiveDateTime),
) -> Result<ImportReport, AppError> {
    let mut merged = Vec::new();
    for row in rows {
        merged.push(match row {
            Ok(Located { line, value }) => {
                let known = store.customer(tenant, value.code.as_str())?;
                let value = match known {
                    Some(stored) => stored.updated_with(value, carries),
                    None => value,
                };
                Ok(Located { line, value })
            }
            Err(rejection) => Err(rejection),
        });
    }
    let incoming: Vec<Customer> = merged.iter().filter_map(|row| row.as_ref().ok().map(|l| l.value.clone())).collect();
    let changes = crate::customers::changes_of(store, tenant, &incoming)?;
    let report = store.import_customers(tenant, &mut merged.into_iter(), options)?;
    if !report.rolled_back {
        for (code, changes) in changes {
            store.record_customer_changes(tenant, &code, &changes, by, at)?;
        }
    }
    Ok(report)
}
