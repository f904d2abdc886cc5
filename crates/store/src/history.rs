//! A collection history imported from files, written once for both backends: each record
//! (dispute, promise, conversation) is entered as a person would enter it, once — its content's
//! fingerprint is kept, so the same file imported again adds nothing — and a record that cannot
//! be entered (an unknown customer or invoice, a dispute already open) is a rejection of its line.

use crate::error::StoreError;
use crate::model::{ImportOptions, TenantId};
use crate::rows::Sql;
use chrono::NaiveDate;
use overdue_core::history::{HistoryRecord, ReceiptEvidence};
use overdue_core::import::{ImportReport, ImportRow, Rejection};

/// Who the records are entered as, when a row does not say.
const IMPORTED_BY: &str = "import";

/// Enters every readable row not entered before; rejections keep their line. With
/// `all_or_nothing`, one rejection enters nothing (the transaction is rolled back by the error).
pub(crate) fn import(
    sql: &mut dyn Sql,
    tenant: TenantId,
    rows: &mut dyn Iterator<Item = ImportRow<HistoryRecord>>,
    options: ImportOptions,
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport::default();
    for row in rows {
        let located = match row {
            Ok(located) => located,
            Err(rejection) => {
                report.rejected.push(rejection);
                continue;
            }
        };
        let fingerprint = located.value.fingerprint();
        let known = sql.rows(
            "SELECT 1 FROM history_imports WHERE tenant_id = $1 AND fingerprint = $2",
            &[tenant.into(), fingerprint.into()],
        )?;
        if !known.is_empty() {
            report.unchanged += 1;
            continue;
        }
        match enter(sql, tenant, &located.value) {
            Ok(()) => {
                sql.execute(
                    "INSERT INTO history_imports (tenant_id, fingerprint) VALUES ($1, $2)",
                    &[tenant.into(), fingerprint.into()],
                )?;
                report.created += 1;
            }
            Err(error @ (StoreError::Refused(_) | StoreError::NotFound { .. })) => {
                report.rejected.push(Rejection::new(located.line, None, error.to_string()));
            }
            Err(other) => return Err(other),
        }
    }
    if options.all_or_nothing && !report.rejected.is_empty() {
        return Err(StoreError::Refused(
            format!(
                "{} rows rejected, nothing imported (--all-or-nothing): the first, line {}: {}",
                report.rejected.len(),
                report.rejected[0].line,
                report.rejected[0].reason
            )
            .into(),
        ));
    }
    Ok(report)
}

fn enter(sql: &mut dyn Sql, tenant: TenantId, record: &HistoryRecord) -> Result<(), StoreError> {
    match record {
        HistoryRecord::Dispute { dispute, resolution } => {
            crate::follow_up::open_dispute(sql, tenant, dispute, IMPORTED_BY)?;
            if let Some(resolved_on) = dispute.resolved_on {
                let resolution = resolution.as_deref().unwrap_or("resolved (imported history)");
                crate::follow_up::resolve_dispute(sql, tenant, dispute.invoice.as_str(), resolved_on, resolution)?;
            }
        }
        HistoryRecord::Promise { customer, promise } => {
            crate::follow_up::record_promise(sql, tenant, customer.as_str(), promise, IMPORTED_BY)?;
        }
        HistoryRecord::Interaction { customer, interaction } => {
            crate::follow_up::record_interaction(sql, tenant, customer.as_str(), interaction)?;
        }
    }
    match record.receipt_evidence() {
        Some(ReceiptEvidence::Invoices(day, numbers)) => {
            for number in numbers {
                received(sql, tenant, "number = $3", number.as_str(), day)?;
            }
        }
        Some(ReceiptEvidence::IssuedBy(day, customer)) => {
            let which = "customer_id = (SELECT id FROM customers WHERE tenant_id = $1 AND code = $3)";
            received(sql, tenant, which, customer.as_str(), day)?;
        }
        None => {}
    }
    Ok(())
}

/// Marks the invoices `which` selects (with `$3` = `key`), not yet sent and issued by `day`, as
/// sent on `day` (or their issue day, if later).
fn received(sql: &mut dyn Sql, tenant: TenantId, which: &str, key: &str, day: NaiveDate) -> Result<(), StoreError> {
    sql.execute(
        &format!(
            "UPDATE invoices SET sent_on = CASE WHEN issue_date > $2 THEN issue_date ELSE $2 END, status = 'sent'
              WHERE tenant_id = $1 AND {which} AND sent_on IS NULL AND status = 'issued' AND issue_date <= $2"
        ),
        &[tenant.into(), day.into(), key.into()],
    )?;
    Ok(())
}
