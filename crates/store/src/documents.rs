//! Original invoice documents (e-invoice files as received) and the customers' tax ids, written
//! once for both backends: what an e-invoice import needs to find its customer and keep its file.

use crate::error::StoreError;
use crate::follow_up::invoice_ids;
use crate::model::{InvoiceDocument, TenantId};
use crate::rows::Sql;

/// Keeps the original document of invoice `number` (the first one kept stays); whether it was new.
pub(crate) fn attach(
    sql: &mut dyn Sql,
    tenant: TenantId,
    number: &str,
    document: &InvoiceDocument,
) -> Result<bool, StoreError> {
    let (invoice, _) = invoice_ids(sql, tenant, number)?;
    let written = sql.execute(
        "INSERT INTO invoice_documents (tenant_id, invoice_id, file_name, format, content) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, invoice_id) DO NOTHING",
        &[
            tenant.into(),
            invoice.into(),
            document.file_name.as_str().into(),
            document.format.as_str().into(),
            document.content.as_str().into(),
        ],
    )?;
    Ok(written > 0)
}

/// The original document of invoice `number`, if the books keep one.
pub(crate) fn document(
    sql: &mut dyn Sql,
    tenant: TenantId,
    number: &str,
) -> Result<Option<InvoiceDocument>, StoreError> {
    let mut rows = sql.rows(
        "SELECT d.file_name, d.format, d.content FROM invoice_documents d
           JOIN invoices i ON i.tenant_id = d.tenant_id AND i.id = d.invoice_id
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
