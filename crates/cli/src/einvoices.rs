//! `overdue import FILE.xml`: e-invoices into the books (`overdue_app::einvoices`), said file by
//! file: what was created, each invoice's notes, and what was rejected and why.

use overdue_app::einvoices;
use overdue_core::terms::PaymentTerms;
use overdue_store::{ImportOptions, Organisation, Store};

/// Imports the invoices of one e-invoice file and says what happened; whether every one was
/// imported.
pub fn import(
    store: &mut dyn Store,
    organisation: &Organisation,
    (file, bytes): (&str, &[u8]),
    (options, agreed): (ImportOptions, Option<&PaymentTerms>),
) -> anyhow::Result<bool> {
    let done = einvoices::import(store, organisation, (file, bytes), (options, agreed))?;
    let new = &done.new_customers;
    outln!(
        "{file} ({}): {} invoices created, {} unchanged, {} rejected; {} new customers{}",
        done.format,
        done.created,
        done.unchanged,
        done.rejected.len(),
        new.len(),
        if new.is_empty() { String::new() } else { format!(" ({})", new.join(", ")) }
    )?;
    for (number, note) in &done.notes {
        outln!("  note: invoice {number}: {note}")?;
    }
    for rejection in &done.rejected {
        outln!("  rejected {file}, invoice {} of the file: {}", rejection.line, rejection.reason)?;
    }
    Ok(done.rejected.is_empty())
}
