//! People who log in: added with a role and a password kept as its Argon2id hash (RFC 9106, the
//! `argon2` crate's defaults), logged in to a session whose secret is a cookie and whose
//! anti-forgery token every changing request must carry, logged out, disabled.

use crate::AppError;
use crate::tokens::{digest, random_hex};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{NaiveDateTime, TimeDelta};
use overdue_core::access::Role;
use overdue_core::ids::Email;
use overdue_core::refusal::Refusal;
use overdue_store::{Organisation, Session, Store, User};

/// The shortest password accepted (NIST SP 800-63B asks for at least 8; a credit controller's
/// account sends letters in the business's name).
pub const PASSWORD_MIN_CHARS: usize = 12;

/// How long a session lasts from login.
pub const SESSION_LENGTH: TimeDelta = TimeDelta::hours(12);

/// Adds a person who logs in to the organisation.
///
/// Errors: [`AppError::Invalid`] for an e-mail that is not one or a password shorter than
/// [`PASSWORD_MIN_CHARS`]; [`AppError::Store`] refusing a second account with the same e-mail.
pub fn add(
    store: &mut dyn Store,
    organisation: &Organisation,
    (email, role, password): (&str, Role, &str),
    now: NaiveDateTime,
) -> Result<User, AppError> {
    let email = Email::parse(email).map_err(|e| AppError::Invalid { field: "email", reason: e.to_string().into() })?;
    // spaces around it are easily typed by mistake and never count
    if password.trim().chars().count() < PASSWORD_MIN_CHARS {
        return Err(AppError::Invalid {
            field: "password",
            reason: Refusal::PasswordTooShort { min_chars: PASSWORD_MIN_CHARS },
        });
    }
    let mut salt_bytes = [0u8; 16];
    getrandom::fill(&mut salt_bytes)
        .map_err(|e| AppError::Refused(format!("no random source for a salt: {e}").into()))?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| AppError::Refused(format!("salt: {e}").into()))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AppError::Refused(format!("the password could not be hashed: {e}").into()))?
        .to_string();
    Ok(store.add_user(organisation.id, email.as_str(), role, &hash, now)?)
}

/// A session just opened: the secret for the cookie (never kept), the token changing requests
/// carry, who, and until when.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub secret: String,
    pub csrf_token: String,
    pub user: User,
    pub expires_at: NaiveDateTime,
}

/// Logs a person in: their e-mail and password (and which organisation, when the e-mail has
/// accounts in several).
///
/// Errors: [`AppError::Refused`] with one message for every wrong e-mail, password or disabled
/// account (nothing says which); [`AppError::Invalid`] when the e-mail has accounts in several
/// organisations and none was named.
pub fn log_in(
    store: &mut dyn Store,
    (email, password, organisation): (&str, &str, Option<i64>),
    now: NaiveDateTime,
) -> Result<LoggedIn, AppError> {
    let refused = || AppError::Refused(Refusal::WrongLogin);
    let accounts: Vec<(User, String)> = store
        .users_by_email(email.trim())?
        .into_iter()
        .filter(|(user, _)| organisation.is_none_or(|id| user.tenant == id))
        .collect();
    if accounts.is_empty() {
        // the same work as a real check, so the time taken does not say whether the e-mail exists
        let _ = verify(password, dummy_hash());
        return Err(refused());
    }
    // only the password's own accounts count: nothing is said of an e-mail without it
    let matching: Vec<User> = accounts
        .into_iter()
        .filter(|(user, hash)| verify(password, hash) && user.disabled_at.is_none())
        .map(|(user, _)| user)
        .collect();
    let user = match matching.as_slice() {
        [] => return Err(refused()),
        [one] => one.clone(),
        _ => {
            return Err(AppError::Invalid {
                field: "organisation",
                reason: "this e-mail and password log in to several organisations: say which".into(),
            });
        }
    };
    let (secret, csrf_token) = (format!("ods_{}", random_hex()?), random_hex()?);
    let expires_at = now + SESSION_LENGTH;
    store.open_session(user.id, &digest(&secret), &csrf_token, (now, expires_at))?;
    Ok(LoggedIn { secret, csrf_token, user, expires_at })
}

/// A real hash of nothing anyone uses, made once: checked against when an e-mail is unknown.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let Ok(salt) = SaltString::encode_b64(b"overdue-no-user!") else { return String::new() };
        Argon2::default().hash_password(b"no such user", &salt).map(|h| h.to_string()).unwrap_or_default()
    })
}

/// Whether `password` is the one `hash` (a PHC string) was made from.
fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Stops `email` logging in to `organisation` from `now`, their sessions ended; `by` is who asks
/// (a person cannot disable themselves: the books would have no one left who may).
///
/// Errors: [`AppError::Refused`] for oneself, or a person who cannot log in already (unknown or
/// disabled before); store errors.
pub fn disable(
    store: &mut dyn Store,
    organisation: &Organisation,
    (email, by): (&str, &str),
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let email = email.trim();
    if email.eq_ignore_ascii_case(by.trim()) {
        return Err(AppError::Refused(Refusal::CannotDisableSelf { email: email.to_owned() }));
    }
    if !store.disable_user(organisation.id, email, now)? {
        return Err(AppError::Refused(Refusal::CannotLogInAlready {
            email: email.to_owned(),
            organisation: organisation.name.clone(),
        }));
    }
    Ok(())
}

/// The live session of a cookie's secret at `now`.
///
/// Errors: store errors only; an unknown, expired or disabled person's session is `Ok(None)`.
pub fn session(store: &mut dyn Store, secret: &str, now: NaiveDateTime) -> Result<Option<Session>, AppError> {
    if !secret.starts_with("ods_") || secret.len() > 200 {
        return Ok(None);
    }
    Ok(store.session(&digest(secret), now)?)
}

/// Ends the session of a cookie's secret.
///
/// Errors: store errors.
pub fn log_out(store: &mut dyn Store, secret: &str) -> Result<(), AppError> {
    Ok(store.close_session(&digest(secret))?)
}
