//! People who log in and their sessions, written once for both backends. A password is kept only
//! as its Argon2 hash, a session only as the SHA-256 of its secret (the cookie's value).

use crate::StoreError;
use crate::model::{Session, TenantId, User};
use crate::rows::{Row, Sql};
use chrono::NaiveDateTime;
use overdue_core::access::Role;
use overdue_core::refusal::Refusal;

const USER_COLUMNS: &str = "u.id, u.tenant_id, u.email, u.role, u.created_at, u.disabled_at";

fn user(row: &mut Row) -> Result<User, StoreError> {
    let (id, tenant, email, role) = (row.int(), row.int(), row.text(), row.text());
    Ok(User {
        id,
        tenant,
        email,
        role: Role::parse(&role).ok_or_else(|| StoreError::corrupt("user role", &role))?,
        created_at: row.timestamp()?,
        disabled_at: match row.opt_text() {
            None => None,
            Some(text) => Some(
                NaiveDateTime::parse_from_str(&text, crate::rows::TIMESTAMP)
                    .map_err(|_| StoreError::corrupt("timestamp", &text))?,
            ),
        },
    })
}

/// Adds a person to `tenant`; a person whose access was stopped gets it back, with the role and
/// password given.
///
/// Errors: [`StoreError::Refused`] when someone with that e-mail can log in already.
pub(crate) fn add(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (email, role, password_hash): (&str, Role, &str),
    at: NaiveDateTime,
) -> Result<User, StoreError> {
    let taken = sql.rows(
        "SELECT CASE WHEN disabled_at IS NULL THEN 0 ELSE 1 END FROM users WHERE tenant_id = $1 AND email = $2",
        &[tenant.into(), email.into()],
    )?;
    if let Some(mut row) = taken.into_iter().next() {
        if row.int() == 0 {
            return Err(StoreError::Refused(Refusal::CanAlreadyLogIn { email: email.to_owned() }));
        }
        let mut rows = sql.rows(
            &format!(
                "UPDATE users SET role = $3, password_hash = $4, disabled_at = NULL WHERE tenant_id = $1 AND email = $2
                 RETURNING {}",
                USER_COLUMNS.replace("u.", "")
            ),
            &[tenant.into(), email.into(), role.as_str().into(), password_hash.into()],
        )?;
        let mut row = rows.pop().ok_or_else(|| StoreError::corrupt("user", "not restored"))?;
        return user(&mut row);
    }
    let mut rows = sql.rows(
        &format!(
            "INSERT INTO users (tenant_id, email, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)
             RETURNING {}",
            USER_COLUMNS.replace("u.", "")
        ),
        &[tenant.into(), email.into(), role.as_str().into(), password_hash.into(), at.into()],
    )?;
    let mut row = rows.pop().ok_or_else(|| StoreError::corrupt("user", "not created"))?;
    user(&mut row)
}

/// Everyone with this e-mail (in any organisation), with their password hashes.
pub(crate) fn by_email(sql: &mut dyn Sql, email: &str) -> Result<Vec<(User, String)>, StoreError> {
    let rows = sql.rows(
        &format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1 ORDER BY u.tenant_id"),
        &[email.into()],
    )?;
    rows.into_iter()
        .map(|mut row| {
            let found = user(&mut row)?;
            Ok((found, row.text()))
        })
        .collect()
}

/// The people of `tenant`, by e-mail.
pub(crate) fn list(sql: &mut dyn Sql, tenant: TenantId) -> Result<Vec<User>, StoreError> {
    let rows = sql.rows(
        &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.tenant_id = $1 ORDER BY u.email"),
        &[tenant.into()],
    )?;
    rows.into_iter().map(|mut row| user(&mut row)).collect()
}

/// Stops `email` of `tenant` logging in and ends their sessions; whether they could.
pub(crate) fn disable(sql: &mut dyn Sql, tenant: TenantId, email: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    sql.execute(
        "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE tenant_id = $1 AND email = $2)",
        &[tenant.into(), email.into()],
    )?;
    let changed = sql.execute(
        "UPDATE users SET disabled_at = $3 WHERE tenant_id = $1 AND email = $2 AND disabled_at IS NULL",
        &[tenant.into(), email.into(), at.into()],
    )?;
    Ok(changed == 1)
}

/// Opens a session of `user` under the hash of its secret.
pub(crate) fn open_session(
    sql: &mut dyn Sql,
    user: i64,
    (secret_hash, csrf_token): (&str, &str),
    (at, expires_at): (NaiveDateTime, NaiveDateTime),
) -> Result<(), StoreError> {
    sql.execute(
        "INSERT INTO sessions (secret_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        &[secret_hash.into(), user.into(), csrf_token.into(), at.into(), expires_at.into()],
    )?;
    Ok(())
}

/// The live session whose secret hashes to `secret_hash` at `now`, with its person.
pub(crate) fn session(sql: &mut dyn Sql, secret_hash: &str, now: NaiveDateTime) -> Result<Option<Session>, StoreError> {
    let mut rows = sql.rows(
        &format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE s.secret_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL"
        ),
        &[secret_hash.into(), now.into()],
    )?;
    let Some(mut row) = rows.pop() else { return Ok(None) };
    let person = user(&mut row)?;
    Ok(Some(Session { user: person, csrf_token: row.text(), expires_at: row.timestamp()? }))
}

/// Ends the session whose secret hashes to `secret_hash`.
pub(crate) fn close_session(sql: &mut dyn Sql, secret_hash: &str) -> Result<(), StoreError> {
    sql.execute("DELETE FROM sessions WHERE secret_hash = $1", &[secret_hash.into()])?;
    Ok(())
}
