//! API tokens and idempotent request records, written once for both backends. A token is kept
//! only as the SHA-256 hash of its secret; the secret itself is never stored.

use crate::StoreError;
use crate::model::{ApiToken, IdempotentResponse, TenantId};
use crate::rows::{Row, Sql};
use chrono::NaiveDateTime;
use overdue_core::access::Role;

const TOKEN_COLUMNS: &str = "id, tenant_id, name, role, created_at, last_used_at, revoked_at";

fn token(mut row: Row) -> Result<ApiToken, StoreError> {
    let (id, tenant, name, role) = (row.int(), row.int(), row.text(), row.text());
    Ok(ApiToken {
        id,
        tenant,
        name,
        role: Role::parse(&role).ok_or_else(|| StoreError::corrupt("token role", &role))?,
        created_at: row.timestamp()?,
        last_used_at: opt_timestamp(&mut row)?,
        revoked_at: opt_timestamp(&mut row)?,
    })
}

fn opt_timestamp(row: &mut Row) -> Result<Option<NaiveDateTime>, StoreError> {
    match row.opt_text() {
        None => Ok(None),
        Some(text) => NaiveDateTime::parse_from_str(&text, crate::rows::TIMESTAMP)
            .map(Some)
            .map_err(|_| StoreError::corrupt("timestamp", &text)),
    }
}

/// Keeps a new token of `tenant` under the hash of its secret.
pub(crate) fn create_token(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (name, role, hash): (&str, Role, &str),
    at: NaiveDateTime,
) -> Result<ApiToken, StoreError> {
    let rows = sql.rows(
        &format!(
            "INSERT INTO api_tokens (tenant_id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING {TOKEN_COLUMNS}"
        ),
        &[tenant.into(), name.into(), role.as_str().into(), hash.into(), at.into()],
    )?;
    rows.into_iter().next().map(token).unwrap_or_else(|| Err(StoreError::corrupt("token", "not created")))
}

/// The token whose secret hashes to `hash`, in any organisation, revoked or not.
pub(crate) fn token_by_hash(sql: &mut dyn Sql, hash: &str) -> Result<Option<ApiToken>, StoreError> {
    let rows = sql.rows(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = $1"), &[hash.into()])?;
    rows.into_iter().next().map(token).transpose()
}

/// Every token of `tenant`, oldest first.
pub(crate) fn tokens(sql: &mut dyn Sql, tenant: TenantId) -> Result<Vec<ApiToken>, StoreError> {
    let rows = sql
        .rows(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = $1 ORDER BY id"), &[tenant.into()])?;
    rows.into_iter().map(token).collect()
}

/// Notes that token `id` was used at `at`.
pub(crate) fn touch_token(sql: &mut dyn Sql, id: i64, at: NaiveDateTime) -> Result<(), StoreError> {
    sql.execute("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", &[id.into(), at.into()])?;
    Ok(())
}

/// Revokes token `id` of `tenant`; whether it existed there and was not revoked already.
pub(crate) fn revoke_token(
    sql: &mut dyn Sql,
    tenant: TenantId,
    id: i64,
    at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = sql.execute(
        "UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
        &[tenant.into(), id.into(), at.into()],
    )?;
    Ok(changed == 1)
}

/// The response kept for `key` of `tenant`, if any.
pub(crate) fn idempotent_response(
    sql: &mut dyn Sql,
    tenant: TenantId,
    key: &str,
) -> Result<Option<IdempotentResponse>, StoreError> {
    let rows = sql.rows(
        "SELECT request_fingerprint, status, response_body FROM idempotent_requests
          WHERE tenant_id = $1 AND idempotency_key = $2",
        &[tenant.into(), key.into()],
    )?;
    Ok(rows.into_iter().next().map(|mut row| IdempotentResponse {
        request_fingerprint: row.text(),
        status: u16::try_from(row.int()).unwrap_or(500),
        body: row.text(),
    }))
}

/// Keeps the response to the request sent with `key` (the first one kept stays).
pub(crate) fn keep_idempotent_response(
    sql: &mut dyn Sql,
    tenant: TenantId,
    key: &str,
    response: &IdempotentResponse,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    sql.execute(
        "INSERT INTO idempotent_requests (tenant_id, idempotency_key, request_fingerprint, status, response_body,
                                          created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING",
        &[
            tenant.into(),
            key.into(),
            response.request_fingerprint.as_str().into(),
            i64::from(response.status).into(),
            response.body.as_str().into(),
            at.into(),
        ],
    )?;
    Ok(())
}
