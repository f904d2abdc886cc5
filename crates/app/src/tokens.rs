//! API tokens: made here with a random secret that is shown once, kept only as the SHA-256 hash of
//! that secret (a 256-bit random secret needs no slow hash: it cannot be guessed from its hash),
//! checked on every request, revocable.

use crate::AppError;
use chrono::NaiveDateTime;
use overdue_core::access::Role;
use overdue_core::refusal::{Ask, Refusal};
use overdue_store::{ApiToken, Organisation, Store};
use sha2::{Digest, Sha256};

/// How every secret starts, so a leaked one is recognised (by secret scanners, in logs).
pub const SECRET_PREFIX: &str = "odt_";

/// A token just made: as kept, and its secret, which is never shown again.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub token: ApiToken,
    pub secret: String,
}

/// Makes a token of `organisation` named `name` with `role`.
///
/// Errors: [`AppError::Invalid`] for an empty name; [`AppError::Refused`] when the system's
/// random source fails; store errors.
pub fn create(
    store: &mut dyn Store,
    organisation: &Organisation,
    (name, role): (&str, Role),
    now: NaiveDateTime,
) -> Result<NewToken, AppError> {
    let name = name.trim();
    crate::text("name", name)?;
    if name.is_empty() {
        return Err(AppError::Invalid { field: "name", reason: Refusal::Empty(Ask::WhatTokenIsFor) });
    }
    let secret = format!("{SECRET_PREFIX}{}", random_hex()?);
    let token = store.create_token(organisation.id, name, role, &hash(&secret), now)?;
    Ok(NewToken { token, secret })
}

/// The organisation and token a secret belongs to, when it is a live token; notes its use (at
/// most once a minute, so reading does not write on every request).
///
/// Errors: store errors only; an unknown, malformed or revoked secret is `Ok(None)`.
pub fn authenticate(
    store: &mut dyn Store,
    secret: &str,
    now: NaiveDateTime,
) -> Result<Option<(Organisation, ApiToken)>, AppError> {
    if !secret.starts_with(SECRET_PREFIX) || secret.len() > 200 {
        return Ok(None);
    }
    let Some(token) = store.token_by_hash(&hash(secret))? else { return Ok(None) };
    if token.revoked_at.is_some() {
        return Ok(None);
    }
    let Some(organisation) = store.organisations()?.into_iter().find(|o| o.id == token.tenant) else {
        return Ok(None);
    };
    if token.last_used_at.is_none_or(|last| now - last >= chrono::Duration::minutes(1)) {
        store.touch_token(token.id, now)?;
    }
    Ok(Some((organisation, token)))
}

/// Revokes token `id` of `organisation`.
///
/// Errors: [`AppError::NotFound`] when the organisation has no such live token; store errors.
pub fn revoke(store: &mut dyn Store, organisation: &Organisation, id: i64, now: NaiveDateTime) -> Result<(), AppError> {
    if store.revoke_token(organisation.id, id, now)? {
        Ok(())
    } else {
        Err(AppError::NotFound { what: "live token", key: id.to_string() })
    }
}

/// 32 random bytes from the system's source, in lower-case hex: a secret nobody can guess.
///
/// Errors: [`AppError::Refused`] when the system has no random source.
pub fn random_hex() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Refused(format!("no random source to make a secret: {e}").into()))?;
    Ok(hex(&bytes))
}

/// The SHA-256 of a secret, in lower-case hex: what the books keep.
fn hash(secret: &str) -> String {
    digest(secret)
}

/// The SHA-256 of `text` in lower-case hex (FIPS 180-4): a token's stored form, a request's
/// fingerprint for idempotent retries.
pub fn digest(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
        let _ = write!(text, "{byte:02x}");
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_hashes_to_its_sha256() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
