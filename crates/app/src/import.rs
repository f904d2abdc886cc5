//! Importing customers from a file that describes only some of their fields: a column the file
//! leaves out leaves that field as it was (an empty cell in a column it has clears it), so a
//! file carrying only the new billing e-mails changes nothing else.

use crate::AppError;
use overdue_core::customer::Customer;
use overdue_core::import::{ImportReport, ImportRow, Located};
use overdue_store::{ImportOptions, Store, TenantId};

/// Imports `rows` of customers, where `carries(field)` says which optional fields the file has
/// (see `Customer::updated_with` for their names): a customer already in the books keeps every
/// field the file does not carry. Rows are checked and merged before anything is written; the
/// import itself is all or nothing per `options`.
pub fn customers(
    store: &mut dyn Store,
    tenant: TenantId,
    rows: &mut dyn Iterator<Item = ImportRow<Customer>>,
    carries: &dyn Fn(&str) -> bool,
    options: ImportOptions,
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
    Ok(store.import_customers(tenant, &mut merged.into_iter(), options)?)
}
