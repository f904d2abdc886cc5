//! The customers CSV: one row per customer account.
//!
//! Required columns: `code, name, country, currency`. Optional: `language` (defaults from the
//! country: `Language::usual_in`), `tax_id, address, terms` (default credit terms),
//! `credit_limit` (in the customer's currency), the written agreement (`dispute_procedure`,
//! `late_interest_clause`, `deliverables`, `contract_date` and `agri_food` (yes/no), which choose
//! Italy's late-payment margin), and contacts: `billing_name, billing_email,
//! billing_phone, approver_name, approver_email, approver_phone, decision_maker_name,
//! decision_maker_email, decision_maker_phone`.

use crate::csv_columns::{ColumnMap, FileError, Layout, RecordRows, Row};
use overdue_core::customer::{Agreement, Contact, ContactRole, CreditProfile, Customer};
use overdue_core::ids::{Country, CustomerCode, Email, Language};
use overdue_core::import::Rejection;
use overdue_core::money::Money;
use overdue_core::terms::PaymentTerms;
use std::io::Read;

pub const LAYOUT: Layout = Layout {
    required: &["code", "name", "country", "currency"],
    optional: &[
        "language",
        "tax_id",
        "address",
        "terms",
        "credit_limit",
        "billing_name",
        "billing_email",
        "billing_phone",
        "approver_name",
        "approver_email",
        "approver_phone",
        "decision_maker_name",
        "decision_maker_email",
        "decision_maker_phone",
        "dispute_procedure",
        "late_interest_clause",
        "deliverables",
        "contract_date",
        "agri_food",
    ],
};

/// Reads customers from CSV: an iterator of rows, or a file-level error.
pub fn read<R: Read>(input: R) -> Result<RecordRows<R, Customer>, FileError> {
    RecordRows::open(input, &LAYOUT, customer)
}

/// Reads an export whose columns and notations `map` describes.
pub fn read_mapped<R: Read>(input: R, map: ColumnMap) -> Result<RecordRows<R, Customer>, FileError> {
    RecordRows::open_mapped(input, &LAYOUT, map, customer)
}

fn customer(row: &Row<'_>) -> Result<Customer, Rejection> {
    let country = row.parse("country", Country::parse)?;
    let currency = row.currency("currency")?;
    let language = match row.parse_opt("language", Language::parse)? {
        Some(language) => language,
        None => Language::usual_in(country),
    };
    Ok(Customer {
        code: row.parse("code", CustomerCode::parse)?,
        legal_name: row.required("name")?.to_owned(),
        tax_id: row.text_opt("tax_id"),
        country,
        language,
        currency,
        address: row.text_opt("address"),
        contacts: contacts(row)?,
        agreement: Agreement {
            payment_terms: row.parse_opt("terms", PaymentTerms::parse)?,
            dispute_procedure: row.text_opt("dispute_procedure"),
            late_interest_clause: row.text_opt("late_interest_clause"),
            deliverables: row.text_opt("deliverables"),
            contract_date: row.date_opt("contract_date")?,
            agri_food: row
                .parse_opt("agri_food", |t| crate::csv_columns::flag(t).ok_or("say yes or no"))?
                .unwrap_or(false),
        },
        credit: CreditProfile { credit_limit: credit_limit(row, currency)?, ..CreditProfile::default() },
    })
}

fn credit_limit(row: &Row<'_>, currency: overdue_core::currency::Currency) -> Result<Option<Money>, Rejection> {
    let limit = row.money_opt("credit_limit", currency)?;
    match limit {
        Some(limit) if limit.is_negative() => {
            Err(row.reject("credit_limit", "is negative: a credit limit is 0 or more"))
        }
        _ => Ok(limit),
    }
}

fn contacts(row: &Row<'_>) -> Result<Vec<Contact>, Rejection> {
    let roles = [
        (ContactRole::Billing, "billing_name", "billing_email", "billing_phone"),
        (ContactRole::InvoiceApprover, "approver_name", "approver_email", "approver_phone"),
        (ContactRole::DecisionMaker, "decision_maker_name", "decision_maker_email", "decision_maker_phone"),
    ];
    let mut contacts = Vec::new();
    for (role, name, email, phone) in roles {
        let email = row.parse_opt(email, Email::parse)?;
        let phone = row.text_opt(phone);
        let Some(name) = row.text_opt(name).or_else(|| email.as_ref().map(|e| e.as_str().to_owned())) else {
            continue;
        };
        contacts.push(Contact { name, role, email, phone });
    }
    Ok(contacts)
}
