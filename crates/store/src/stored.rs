//! Converting between core values and the text and integers columns hold: dates, currencies,
//! enums, and the JSON of invoice lines and instalments. Both backends use these, so the two
//! databases hold the same things in the same form.

use crate::StoreError;
use chrono::NaiveDate;
use overdue_core::currency::Currency;
use overdue_core::ids::{Country, Language};
use overdue_core::invoice::{InvoiceKind, InvoiceLine, InvoiceStatus};
use overdue_core::money::Money;
use overdue_core::payment::PaymentMethod;
use overdue_core::terms::{Instalment, PaymentTerms};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct StoredInstalment {
    due_date: NaiveDate,
    amount_minor: i64,
}

pub(crate) fn lines_json(lines: &[InvoiceLine]) -> String {
    serde_json::to_string(lines).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn instalments_json(instalments: &[Instalment]) -> String {
    let stored: Vec<StoredInstalment> = instalments
        .iter()
        .map(|i| StoredInstalment { due_date: i.due_date, amount_minor: i.amount.amount_minor() })
        .collect();
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn parse_lines(json: &str) -> Result<Vec<InvoiceLine>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt("invoice lines", e))
}

pub(crate) fn parse_instalments(json: &str, currency: Currency) -> Result<Vec<Instalment>, StoreError> {
    let stored: Vec<StoredInstalment> =
        serde_json::from_str(json).map_err(|e| StoreError::corrupt("invoice instalments", e))?;
    Ok(stored
        .into_iter()
        .map(|s| Instalment { due_date: s.due_date, amount: Money::new(s.amount_minor, currency) })
        .collect())
}

pub(crate) fn currency(text: &str) -> Result<Currency, StoreError> {
    Currency::from_code(text).map_err(|e| StoreError::corrupt("currency", e))
}

pub(crate) fn country(text: &str) -> Result<Country, StoreError> {
    Country::parse(text).map_err(|e| StoreError::corrupt("country", e))
}

pub(crate) fn language(text: &str) -> Result<Language, StoreError> {
    Language::parse(text).map_err(|e| StoreError::corrupt("language", e))
}

pub(crate) fn terms(text: &str) -> Result<PaymentTerms, StoreError> {
    PaymentTerms::parse(text).map_err(|e| StoreError::corrupt("payment terms", e))
}

pub(crate) fn kind(text: &str) -> Result<InvoiceKind, StoreError> {
    InvoiceKind::parse(text).ok_or_else(|| StoreError::corrupt("invoice kind", text))
}

pub(crate) fn status(text: &str) -> Result<InvoiceStatus, StoreError> {
    InvoiceStatus::parse(text).ok_or_else(|| StoreError::corrupt("invoice status", text))
}

pub(crate) fn method(text: &str) -> Result<PaymentMethod, StoreError> {
    PaymentMethod::parse(text).ok_or_else(|| StoreError::corrupt("payment method", text))
}

pub(crate) fn date(text: &str) -> Result<NaiveDate, StoreError> {
    overdue_core::date::parse_iso(text).map_err(|e| StoreError::corrupt("date", e))
}

/// Optional text: empty means absent.
pub(crate) fn opt(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.is_empty())
}
