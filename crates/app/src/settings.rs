//! The organisation's own settings a person changes: the letterhead (address, tax id, the e-mail
//! messages are sent from, who signs, and how customers may pay).

use crate::AppError;
use overdue_core::letterhead::{KEYS, Letterhead, LetterheadError};
use overdue_core::refusal::{Ask, Refusal};
use overdue_store::{Organisation, Store};

/// Sets each `key=value` of `settings` on the letterhead (an empty value clears one) and saves it;
/// the letterhead as it now stands.
///
/// Errors: [`AppError::Invalid`] for text that breaks the books' rule or a value that does not
/// read (an IBAN, an e-mail address), naming the setting; [`AppError::Refused`] for an unknown
/// key; nothing changed then; store errors.
pub fn set_letterhead(
    store: &mut dyn Store,
    organisation: &Organisation,
    settings: &[(String, String)],
) -> Result<Letterhead, AppError> {
    let mut letterhead = store.letterhead(organisation.id)?;
    for (key, value) in settings {
        crate::text("letterhead", value)?;
        letterhead.set(key, value).map_err(|e| match &e {
            // a value that does not read names its setting, so a form can mark the field
            LetterheadError::BadValue { key, reason } => match KEYS.iter().find(|known| *known == key) {
                Some(field) => AppError::Invalid { field, reason: reason.clone().into() },
                None => AppError::Refused(e.to_string().into()),
            },
            LetterheadError::UnknownSetting(_) => AppError::Refused(e.to_string().into()),
        })?;
    }
    if !settings.is_empty() {
        store.set_letterhead(organisation.id, &letterhead)?;
    }
    Ok(letterhead)
}

/// Replaces the organisation's policy book (the ladders of reminders): checked whole first — its
/// own rules (`PolicyBook::validate`), and every message template a step uses existing in
/// `templates` — so a book that would fail on a customer's day is refused now.
///
/// Errors: [`AppError::Refused`] naming what is wrong, nothing changed; store errors.
pub fn load_policy(
    store: &mut dyn Store,
    organisation: &Organisation,
    book: &overdue_core::policy::PolicyBook,
    templates: &overdue_notify::Templates,
) -> Result<(), AppError> {
    book.validate().map_err(|e| AppError::Refused(format!("{e}; nothing was changed").into()))?;
    if let Some(missing) = book.message_templates().into_iter().find(|t| !templates.has(t)) {
        return Err(AppError::Refused(
            format!(
                "a step uses the template {missing:?}, which does not exist among the templates in use; nothing was \
             changed"
            )
            .into(),
        ));
    }
    store.save_policy_book(organisation.id, book)?;
    Ok(())
}

/// Adds a day nobody is called or written to (a closing day of the business).
///
/// Errors: [`AppError::Invalid`] for a day outside the books' years or a name that breaks the
/// rule for text, or an empty one; store errors.
pub fn add_closing_day(
    store: &mut dyn Store,
    organisation: &Organisation,
    (day, name): (chrono::NaiveDate, &str),
) -> Result<(), AppError> {
    crate::day("day", day)?;
    crate::text("name", name)?;
    if name.trim().is_empty() {
        return Err(AppError::Invalid { field: "name", reason: Refusal::Empty(Ask::WhatClosingDayIs) });
    }
    Ok(store.add_closing_day(organisation.id, day, name.trim())?)
}

/// Removes closing day `day`: the business works that day after all (messages and calls may fall
/// on it again from the next run).
///
/// Errors: [`AppError::NotFound`] when it is no closing day; store errors.
pub fn remove_closing_day(
    store: &mut dyn Store,
    organisation: &Organisation,
    day: chrono::NaiveDate,
) -> Result<(), AppError> {
    if store.remove_closing_day(organisation.id, day)? {
        Ok(())
    } else {
        Err(AppError::NotFound { what: "closing day", key: day.to_string() })
    }
}

/// Puts customer `code` in a segment and/or on a dunning policy of its own (`None` clears each:
/// the customer then follows its segment's policy, or the default).
///
/// Errors: [`AppError::Invalid`] for a name that breaks the rule for text or a segment the policy
/// book does not name; store errors (no such customer, or no such policy in the policy book).
pub fn assign_policy(
    store: &mut dyn Store,
    organisation: &Organisation,
    code: &str,
    (segment, policy): (Option<&str>, Option<&str>),
) -> Result<(), AppError> {
    let (segment, policy) = (named(segment), named(policy));
    if let Some(segment) = segment {
        crate::text("segment", segment)?;
        let book = store.policy_book(organisation.id)?;
        let known = book.segment_names();
        if !known.contains(&segment) {
            let listed = if known.is_empty() { "none".to_owned() } else { known.join(", ") };
            return Err(AppError::Invalid {
                field: "segment",
                reason: format!(
                    "the policy book gives no meaning to segment {segment:?} (its segments: {listed}): add it to \
                     the book first"
                )
                .into(),
            });
        }
    }
    if let Some(policy) = policy {
        crate::text("policy", policy)?;
    }
    Ok(store.set_customer_policy(organisation.id, code, segment, policy)?)
}

/// A name given, trimmed; none when empty.
fn named(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// A customer's segment and own policy, and the policy that follows from them (the one the ladder
/// uses).
pub struct PolicyOf {
    pub segment: Option<String>,
    pub policy: Option<String>,
    pub effective: String,
}

/// Which dunning policy customer `code` follows on `as_of`, and why.
///
/// Errors: store errors (no such customer).
pub fn policy_of(
    store: &mut dyn Store,
    organisation: &Organisation,
    code: &str,
    as_of: chrono::NaiveDate,
) -> Result<PolicyOf, AppError> {
    let state = store.customer_state(organisation.id, code, as_of)?;
    let book = store.policy_book(organisation.id)?;
    let (segment, policy) = (state.customer.segment, state.customer.policy);
    let effective = book.for_customer(segment.as_deref(), policy.as_deref()).name.clone();
    Ok(PolicyOf { segment, policy, effective })
}
