//! The organisation's own settings a person changes: the letterhead (address, tax id, the e-mail
//! messages are sent from, who signs, and how customers may pay).

use crate::AppError;
use overdue_core::letterhead::Letterhead;
use overdue_store::{Organisation, Store};

/// Sets each `key=value` of `settings` on the letterhead (an empty value clears one) and saves it;
/// the letterhead as it now stands.
///
/// Errors: [`AppError::Invalid`] for text that breaks the books' rule; [`AppError::Refused`] for
/// an unknown key or a value that does not read (an IBAN, an e-mail address), nothing changed;
/// store errors.
pub fn set_letterhead(
    store: &mut dyn Store,
    organisation: &Organisation,
    settings: &[(String, String)],
) -> Result<Letterhead, AppError> {
    let mut letterhead = store.letterhead(organisation.id)?;
    for (key, value) in settings {
        crate::text("letterhead", value)?;
        letterhead.set(key, value).map_err(|e| AppError::Refused(e.to_string()))?;
    }
    if !settings.is_empty() {
        store.set_letterhead(organisation.id, &letterhead)?;
    }
    Ok(letterhead)
}
