//! Importing CSV files of the books' kinds (customers, invoices, payments, and the history of
//! disputes, promises and conversations), for `overdue import` and `POST /api/v1/imports`. For
//! customers, a column the file leaves out leaves that field as it was (an empty cell in a column
//! it has clears it), so a file carrying only the new billing e-mails changes nothing else; every
//! change made to a customer the books already held is recorded (who, when, old → new).

use crate::AppError;
use crate::pipeline::pipelined;
use chrono::NaiveDateTime;
use overdue_core::customer::Customer;
use overdue_core::import::{ImportReport, ImportRow, Located};
use overdue_formats::csv_columns::{ColumnMap, Layout};
use overdue_formats::{customers_csv, history_csv, invoices_csv, payments_csv};
use overdue_store::{ImportOptions, Store, TenantId};
use std::io::Read;

/// What a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Customers,
    Invoices,
    Payments,
    /// A history of disputes (invoice, reason, opened_on, resolved_on…).
    Disputes,
    /// A history of promises to pay (customer, made_on, promised_date, amount, currency…).
    Promises,
    /// A contact log (customer, date, summary, channel, direction…).
    Interactions,
}

impl FileKind {
    /// Every kind, by name.
    pub const ALL: [(&'static str, FileKind); 6] = [
        ("customers", Self::Customers),
        ("invoices", Self::Invoices),
        ("payments", Self::Payments),
        ("disputes", Self::Disputes),
        ("promises", Self::Promises),
        ("interactions", Self::Interactions),
    ];

    /// A kind by its name (`invoices`…).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| n.eq_ignore_ascii_case(name.trim())).map(|(_, kind)| *kind)
    }

    /// The columns a file of this kind has.
    pub fn layout(self) -> &'static Layout {
        match self {
            Self::Customers => &customers_csv::LAYOUT,
            Self::Invoices => &invoices_csv::LAYOUT,
            Self::Payments => &payments_csv::LAYOUT,
            Self::Disputes => &history_csv::DISPUTES,
            Self::Promises => &history_csv::PROMISES,
            Self::Interactions => &history_csv::INTERACTIONS,
        }
    }
}

/// Imports one CSV file of `kind` whose columns and notations `map` describes, reading and
/// parsing on another thread while the books are written; changes to customers are recorded as
/// made by `by` at `at`. An invoice row without terms takes its customer's terms on file.
///
/// Errors: [`AppError::Refused`] for a file whose header cannot be used (a missing column, a
/// column twice), nothing imported; store errors.
pub fn file<R: Read + Send + 'static>(
    store: &mut dyn Store,
    tenant: TenantId,
    kind: FileKind,
    (input, map): (R, ColumnMap),
    (options, by, at): (ImportOptions, &str, NaiveDateTime),
) -> Result<ImportReport, AppError> {
    let unusable = |e: overdue_formats::csv_columns::FileError| AppError::Refused(e.to_string().into());
    Ok(match kind {
        FileKind::Customers => {
            let rows = customers_csv::read_mapped(input, map).map_err(unusable)?;
            // a file with some columns only: every other field of a known customer stays
            let carried: Vec<&str> =
                customers_csv::LAYOUT.optional.iter().copied().filter(|c| rows.table.has_column(c)).collect();
            let carries = |field: &str| carried.contains(&field);
            customers(store, tenant, &mut pipelined(rows), &carries, (options, by, at))?
        }
        FileKind::Invoices => {
            let agreed = store.agreed_terms(tenant)?.into_iter().collect();
            let rows = invoices_csv::read_mapped(input, map).map_err(unusable)?.with_agreed_terms(agreed);
            store.import_invoices(tenant, &mut pipelined(rows), options)?
        }
        FileKind::Payments => {
            let rows = payments_csv::read_mapped(input, map).map_err(unusable)?;
            store.import_payments(tenant, &mut pipelined(rows), options)?
        }
        FileKind::Disputes => {
            store.import_history(tenant, &mut history_csv::disputes(input, map).map_err(unusable)?, options)?
        }
        FileKind::Promises => {
            store.import_history(tenant, &mut history_csv::promises(input, map).map_err(unusable)?, options)?
        }
        FileKind::Interactions => {
            store.import_history(tenant, &mut history_csv::interactions(input, map).map_err(unusable)?, options)?
        }
    })
}

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

/// As [`file`], for a whole file in memory in overdue's own layout, UTF-8 or Windows-1252 (an
/// upload).
///
/// Errors: as [`file`].
pub fn file_bytes(
    store: &mut dyn Store,
    tenant: TenantId,
    kind: FileKind,
    bytes: &[u8],
    how: (ImportOptions, &str, NaiveDateTime),
) -> Result<ImportReport, AppError> {
    let text = overdue_formats::encoding::decode_text(bytes).into_owned();
    file(store, tenant, kind, (std::io::Cursor::new(text.into_bytes()), ColumnMap::default()), how)
}
