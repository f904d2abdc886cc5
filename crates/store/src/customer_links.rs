//! The private links to a customer's own page: kept as the SHA-256 of their secret, each opening
//! one customer's page until it expires or is revoked.

use crate::error::StoreError;
use crate::model::{CustomerLink, TenantId};
use crate::rows::Sql;
use chrono::NaiveDateTime;

/// Keeps a link to `customer`'s page (by its code) whose secret hashes to `hash`, open from `at`
/// until `expires_at`.
///
/// Errors: [`StoreError::NotFound`] for a customer the books do not hold.
pub(crate) fn create(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (customer, hash): (&str, &str),
    (at, expires_at): (NaiveDateTime, NaiveDateTime),
) -> Result<(), StoreError> {
    let customer_id = crate::follow_up::customer_id(sql, tenant, customer)?;
    sql.execute(
        "INSERT INTO customer_links (secret_hash, tenant_id, customer_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[hash.into(), tenant.into(), customer_id.into(), at.into(), expires_at.into()],
    )?;
    Ok(())
}

/// The link whose secret hashes to `hash`, in any organisation, expired or revoked or not.
pub(crate) fn by_hash(sql: &mut dyn Sql, hash: &str) -> Result<Option<CustomerLink>, StoreError> {
    let rows = sql.rows(
        "SELECT l.tenant_id, c.code, l.expires_at, CASE WHEN l.revoked_at IS NULL THEN 0 ELSE 1 END
           FROM customer_links l JOIN customers c ON c.tenant_id = l.tenant_id AND c.id = l.customer_id
          WHERE l.secret_hash = $1",
        &[hash.into()],
    )?;
    rows.into_iter()
        .next()
        .map(|mut row| {
            let tenant: TenantId = row.int();
            let customer = row.text();
            let expires_at = row.timestamp()?;
            let revoked = row.int() == 1;
            Ok(CustomerLink { tenant, customer, expires_at, revoked })
        })
        .transpose()
}

/// Revokes every link to `customer`'s page not revoked yet; how many.
///
/// Errors: [`StoreError::NotFound`] for a customer the books do not hold.
pub(crate) fn revoke(
    sql: &mut dyn Sql,
    tenant: TenantId,
    customer: &str,
    at: NaiveDateTime,
) -> Result<u64, StoreError> {
    let customer_id = crate::follow_up::customer_id(sql, tenant, customer)?;
    sql.execute(
        "UPDATE customer_links SET revoked_at = $3 WHERE tenant_id = $1 AND customer_id = $2 AND revoked_at IS NULL",
        &[tenant.into(), customer_id.into(), at.into()],
    )
}
