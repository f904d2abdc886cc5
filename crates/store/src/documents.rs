//! Original invoice documents (e-invoice files as received) and the customers' tax ids, written
//! once for both backends: what an e-invoice import needs to find its customer and keep its file.

use crate::error::StoreError;
use crate::follow_up::invoice_ids;
use crate::model::{InvoiceDocument, TenantId};
use crate::rows::Sql;

/// Keeps the original document of each invoice of `numbers` (the first one kept stays); how many
/// were new. The file's content is stored once (`document_files`, by its fingerprint): every
/// invoice of a batch names the same copy.
pub(crate) fn attach(
    sql: &mut dyn Sql,
    tenant: TenantId,
    numbers: &[&str],
    document: &InvoiceDocument,
) -> Result<u64, StoreError> {
    if numbers.is_empty() {
        return Ok(0);
    }
    let file = file_id(sql, tenant, &document.content)?;
    let mut written = 0;
    for number in numbers {
        let (invoice, _) = invoice_ids(sql, tenant, number)?;
        written += sql.execute(
            "INSERT INTO invoice_documents (tenant_id, invoice_id, file_name, format, content, file_id)
             VALUES ($1, $2, $3, $4, '', $5)
             ON CONFLICT (tenant_id, invoice_id) DO NOTHING",
            &[
                tenant.into(),
                invoice.into(),
                document.file_name.as_str().into(),
                document.format.as_str().into(),
                file.into(),
            ],
        )?;
    }
    Ok(written)
}

/// The id of the stored copy of `content`, storing it the first time.
fn file_id(sql: &mut dyn Sql, tenant: TenantId, content: &str) -> Result<i64, StoreError> {
    let fingerprint = overdue_core::fingerprint::Fingerprint::default().text(content).finish();
    let params = [tenant.into(), fingerprint.into()];
    let mut found = sql.rows("SELECT id FROM document_files WHERE tenant_id = $1 AND fingerprint = $2", &params)?;
    if let Some(mut row) = found.pop() {
        return Ok(row.int());
    }
    let mut rows = sql.rows(
        "INSERT INTO document_files (tenant_id, fingerprint, content) VALUES ($1, $2, $3) RETURNING id",
        &[tenant.into(), fingerprint.into(), content.into()],
    )?;
    rows.pop().map(|mut row| row.int()).ok_or_else(|| StoreError::corrupt("document file", "insert returned no id"))
}

/// The original document of invoice `number`, if the books keep one.
pub(crate) fn document(
    sql: &mut dyn Sql,
    tenant: TenantId,
    number: &str,
) -> Result<Option<InvoiceDocument>, StoreError> {
    let mut rows = sql.rows(
        "SELECT d.file_name, d.format, COALESCE(f.content, d.content) FROM invoice_documents d
           JOIN invoices i ON i.tenant_id = d.tenant_id AND i.id = d.invoice_id
           LEFT JOIN document_files f ON f.tenant_id = d.tenant_id AND f.id = d.file_id
          WHERE d.tenant_id = $1 AND i.number = $2",
        &[tenant.into(), number.into()],
    )?;
    Ok(rows.pop().map(|mut row| InvoiceDocument { file_name: row.text(), format: row.text(), content: row.text() }))
}

/// Every customer's code and tax id (customers without one are left out).
pub(crate) fn tax_ids(sql: &mut dyn Sql, tenant: TenantId) -> Result<Vec<(String, String)>, StoreError> {
    let rows = sql.rows(
        "SELECT code, tax_id FROM customers WHERE tenant_id = $1 AND tax_id IS NOT NULL AND tax_id <> ''",
        &[tenant.into()],
    )?;
    Ok(rows.into_iter().map(|mut row| (row.text(), row.text())).collect())
}
