//! Changing a customer: one field or several by name (`overdue customer set CODE field=value…`),
//! or by a file; every change recorded with who made it, when, and the value before and after.

use crate::AppError;
use chrono::NaiveDateTime;
use overdue_core::customer::Customer;
use overdue_core::customer_fields::{self, Change};
use overdue_store::{Store, TenantId};

/// Sets each `field=value` of `settings` on customer `code` and saves it, recording the
/// changes as made by `by` at `at`. Returns what changed (nothing: nothing is written).
///
/// Errors: no such customer; an unknown field or a value that does not parse (nothing is
/// changed then); the books cannot be written.
pub fn set(
    store: &mut dyn Store,
    tenant: TenantId,
    code: &str,
    settings: &[(String, String)],
    (by, at): (&str, NaiveDateTime),
) -> Result<Vec<Change>, AppError> {
    let before =
        store.customer(tenant, code)?.ok_or_else(|| AppError::NotFound { what: "customer", key: code.to_owned() })?;
    let sets = |name: &str| settings.iter().any(|(field, _)| field == name);
    if sets("currency") && before.credit.credit_limit.is_some() && !sets("credit_limit") {
        return Err(AppError::Refused(format!(
            "{code} has a credit limit of {}: a new currency would relabel it; set credit_limit in the new currency \
             in the same command (after currency=), or clear it (credit_limit=); nothing was changed",
            before.credit.credit_limit.map(|m| m.to_string()).unwrap_or_default()
        ).into()));
    }
    let mut after = before.clone();
    // the currency first, so that a credit limit given with it is read in the new one
    let mut ordered: Vec<&(String, String)> = settings.iter().collect();
    ordered.sort_by_key(|(field, _)| field != "currency");
    for (field, value) in ordered {
        customer_fields::set(&mut after, field, value).map_err(field_error)?;
    }
    let changes = customer_fields::changes(&before, &after);
    if !changes.is_empty() {
        store.save_customer(tenant, &after, &changes, by, at)?;
    }
    Ok(changes)
}

/// What an import is about to change on the customers the books already hold: per customer
/// code, the changes from the stored version to `incoming`.
pub fn changes_of(
    store: &mut dyn Store,
    tenant: TenantId,
    incoming: &[Customer],
) -> Result<Vec<(String, Vec<Change>)>, AppError> {
    let mut all = Vec::new();
    for customer in incoming {
        if let Some(stored) = store.customer(tenant, customer.code.as_str())? {
            let changes = customer_fields::changes(&stored, customer);
            if !changes.is_empty() {
                all.push((customer.code.to_string(), changes));
            }
        }
    }
    Ok(all)
}

/// Adds one customer from its fields by name: `code`, `name`, `country` and `currency` are
/// required; any other field of the customers file may be given (`terms`, `billing_email`…). The
/// language is the country's usual one unless given.
///
/// Errors: [`AppError::Invalid`] for a missing required field or one that does not parse;
/// [`AppError::Refused`] when the code is already a customer; store errors.
pub fn create(
    store: &mut dyn Store,
    tenant: TenantId,
    fields: &[(String, String)],
    (by, at): (&str, NaiveDateTime),
) -> Result<Customer, AppError> {
    use overdue_core::currency::Currency;
    use overdue_core::customer::{Agreement, CreditProfile};
    use overdue_core::ids::{Country, CustomerCode, Language};
    let given = |name: &'static str| {
        fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
            .ok_or(AppError::Invalid { field: name, reason: "is required".into() })
    };
    let invalid = |field: &'static str| {
        move |e: &dyn std::fmt::Display| AppError::Invalid { field, reason: e.to_string().into() }
    };
    let code = CustomerCode::parse(given("code")?).map_err(|e| invalid("code")(&e))?;
    if store.customer(tenant, code.as_str())?.is_some() {
        return Err(AppError::Refused(format!("{code} is already a customer: change it with PATCH instead").into()));
    }
    let country = Country::parse(given("country")?).map_err(|e| invalid("country")(&e))?;
    let mut customer = Customer {
        code,
        legal_name: given("name")?.to_owned(),
        tax_id: None,
        country,
        language: Language::usual_in(country),
        currency: Currency::from_code(given("currency")?).map_err(|e| invalid("currency")(&e))?,
        address: None,
        contacts: Vec::new(),
        agreement: Agreement::default(),
        credit: CreditProfile::default(),
    };
    let others: Vec<(String, String)> = fields
        .iter()
        .filter(|(field, _)| !matches!(field.as_str(), "code" | "country" | "currency"))
        .cloned()
        .collect();
    for (field, value) in &others {
        customer_fields::set(&mut customer, field, value).map_err(field_error)?;
    }
    let mut rows = std::iter::once(Ok(overdue_core::import::Located { line: 1, value: customer.clone() }));
    let options = overdue_store::ImportOptions { all_or_nothing: true };
    let report = crate::import::customers(store, tenant, &mut rows, &|_| true, (options, by, at))?;
    if let Some(rejection) = report.rejected.first() {
        return Err(AppError::Refused(rejection.reason.clone().into()));
    }
    Ok(customer)
}

/// A field that cannot be set, as the error naming it.
fn field_error(error: customer_fields::FieldError) -> AppError {
    match &error {
        customer_fields::FieldError::Invalid { field, reason } => AppError::Invalid {
            field: customer_fields::FIELDS.iter().copied().find(|known| known == field).unwrap_or("fields"),
            reason: reason.clone().into(),
        },
        customer_fields::FieldError::Unknown { .. } => {
            AppError::Invalid { field: "fields", reason: error.to_string().into() }
        }
    }
}

/// A trade-credit report as a person states it.
#[derive(Debug, Clone)]
pub struct CreditReportStated {
    /// Who rated the customer ("Informa D&B", "CRIF", "own assessment").
    pub source: String,
    /// The score or rating as the source gives it.
    pub rating: String,
    pub date: chrono::NaiveDate,
    /// The limit it advises, in the customer's currency, written with its decimals.
    pub advised_limit: Option<String>,
}

/// Keeps a trade-credit report on a customer (one per source and day: a second replaces it);
/// the report kept, and the customer's credit limit when the report advises less.
///
/// Errors: [`AppError::NotFound`] for an unknown customer; [`AppError::Invalid`] for an empty
/// source or rating, text that breaks the rule, a day after today or an amount that does not
/// parse; store errors.
pub fn record_credit_report(
    store: &mut dyn Store,
    organisation: &overdue_store::Organisation,
    code: &str,
    stated: &CreditReportStated,
) -> Result<(overdue_core::customer::CreditReport, Option<overdue_core::money::Money>), AppError> {
    let customer = store
        .customer(organisation.id, code)?
        .ok_or_else(|| AppError::NotFound { what: "customer", key: code.to_owned() })?;
    for (field, value) in [("source", &stated.source), ("rating", &stated.rating)] {
        crate::text(field, value)?;
        if value.trim().is_empty() {
            return Err(AppError::Invalid { field, reason: "say who rated the customer and how".into() });
        }
    }
    crate::past_day("date", stated.date, organisation)?;
    let advised_limit = match &stated.advised_limit {
        Some(text) => Some(
            overdue_core::money::Money::parse(text, customer.currency)
                .map_err(|e| AppError::Invalid { field: "advised_limit", reason: e.to_string().into() })?,
        ),
        None => None,
    };
    let report = overdue_core::customer::CreditReport {
        source: stated.source.trim().to_owned(),
        rating: stated.rating.trim().to_owned(),
        date: stated.date,
        advised_limit,
    };
    store.record_credit_report(organisation.id, code, &report)?;
    let above = customer
        .credit
        .credit_limit
        .filter(|limit| advised_limit.is_some_and(|a| a.amount_minor() < limit.amount_minor()));
    Ok((report, above))
}
