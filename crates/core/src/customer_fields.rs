//! A customer's editable fields by name — the customers CSV's column names (`name`, `tax_id`,
//! `address`, `terms`, `credit_limit`, `billing_email`, `approver_phone`…): read one as text,
//! set one from text (empty text clears an optional field), and list what changed between two
//! versions of a customer, for the record of who changed what.

use crate::currency::Currency;
use crate::customer::{Contact, ContactRole, Customer};
use crate::ids::{Country, Email, Language};
use crate::money::Money;
use crate::terms::PaymentTerms;

/// Every field by name, in the order changes are listed.
pub const FIELDS: [&str; 22] = [
    "name",
    "tax_id",
    "country",
    "language",
    "currency",
    "address",
    "terms",
    "credit_limit",
    "dispute_procedure",
    "late_interest_clause",
    "deliverables",
    "contract_date",
    "agri_food",
    "billing_name",
    "billing_email",
    "billing_phone",
    "approver_name",
    "approver_email",
    "approver_phone",
    "decision_maker_name",
    "decision_maker_email",
    "decision_maker_phone",
];

/// Why a field cannot be set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("{field:?} is not a customer field: use one of {}", FIELDS.join(", "))]
    Unknown { field: String },
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
}

/// One field that changed: its value before and after (`None`: empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: &'static str,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The contact role and part a contact field names (`approver_email` → invoice approver, email).
fn contact_field(field: &str) -> Option<(ContactRole, &str)> {
    [
        ("billing_", ContactRole::Billing),
        ("approver_", ContactRole::InvoiceApprover),
        ("decision_maker_", ContactRole::DecisionMaker),
    ]
    .into_iter()
    .find_map(|(prefix, role)| field.strip_prefix(prefix).map(|part| (role, part)))
}

/// The field's value as text (`None` when empty or unknown).
pub fn value(customer: &Customer, field: &str) -> Option<String> {
    if let Some((role, part)) = contact_field(field) {
        let contact = customer.contact(role)?;
        return match part {
            "name" => Some(contact.name.clone()),
            "email" => contact.email.as_ref().map(ToString::to_string),
            _ => contact.phone.clone(),
        };
    }
    match field {
        "name" => Some(customer.legal_name.clone()),
        "tax_id" => customer.tax_id.clone(),
        "country" => Some(customer.country.to_string()),
        "language" => Some(customer.language.to_string()),
        "currency" => Some(customer.currency.to_string()),
        "address" => customer.address.clone(),
        "terms" => customer.agreement.payment_terms.as_ref().map(ToString::to_string),
        "credit_limit" => customer.credit.credit_limit.map(|m| m.to_decimal_string()),
        "dispute_procedure" => customer.agreement.dispute_procedure.clone(),
        "late_interest_clause" => customer.agreement.late_interest_clause.clone(),
        "deliverables" => customer.agreement.deliverables.clone(),
        "contract_date" => customer.agreement.contract_date.map(|d| d.to_string()),
        "agri_food" => customer.agreement.agri_food.then(|| "yes".to_owned()),
        _ => None,
    }
}

/// Sets `field` from `text`; empty text clears an optional field.
///
/// Errors: an unknown field; a value that does not parse (a country, language, currency, terms,
/// amount or e-mail address), or empty text for a field every customer must have.
pub fn set(customer: &mut Customer, field: &str, text: &str) -> Result<(), FieldError> {
    let text = text.trim();
    let invalid = |reason: String| FieldError::Invalid { field: field.to_owned(), reason };
    crate::text::check(text).map_err(|e| invalid(e.to_string()))?;
    let optional = || (!text.is_empty()).then(|| text.to_owned());
    if let Some((role, part)) = contact_field(field) {
        return set_contact(customer, role, part, text).map_err(invalid);
    }
    match field {
        "name" if text.is_empty() => return Err(invalid("a customer needs a name".into())),
        "name" => customer.legal_name = text.to_owned(),
        "tax_id" => customer.tax_id = optional(),
        "country" => customer.country = Country::parse(text).map_err(|e| invalid(e.to_string()))?,
        "language" => customer.language = Language::parse(text).map_err(|e| invalid(e.to_string()))?,
        "currency" => customer.currency = Currency::from_code(text).map_err(|e| invalid(e.to_string()))?,
        "address" => customer.address = optional(),
        "terms" if text.is_empty() => customer.agreement.payment_terms = None,
        "terms" => {
            customer.agreement.payment_terms = Some(PaymentTerms::parse(text).map_err(|e| invalid(e.to_string()))?)
        }
        "credit_limit" if text.is_empty() => customer.credit.credit_limit = None,
        "credit_limit" => {
            let limit = Money::parse(text, customer.currency).map_err(|e| invalid(e.to_string()))?;
            if limit.is_negative() {
                return Err(invalid("a credit limit is 0 or more".into()));
            }
            customer.credit.credit_limit = Some(limit);
        }
        "dispute_procedure" => customer.agreement.dispute_procedure = optional(),
        "late_interest_clause" => customer.agreement.late_interest_clause = optional(),
        "deliverables" => customer.agreement.deliverables = optional(),
        "contract_date" if text.is_empty() => customer.agreement.contract_date = None,
        "contract_date" => {
            customer.agreement.contract_date = Some(crate::date::parse_iso(text).map_err(|e| invalid(e.to_string()))?)
        }
        "agri_food" => {
            customer.agreement.agri_food = match text.to_ascii_lowercase().as_str() {
                "yes" | "true" | "1" | "si" | "sí" => true,
                "" | "no" | "false" | "0" => false,
                _ => return Err(invalid(format!("{text:?}: say yes or no"))),
            }
        }
        _ => return Err(FieldError::Unknown { field: field.to_owned() }),
    }
    Ok(())
}

fn set_contact(customer: &mut Customer, role: ContactRole, part: &str, text: &str) -> Result<(), String> {
    let position = customer.contacts.iter().position(|c| c.role == role);
    let mut contact = position.map(|i| customer.contacts.remove(i)).unwrap_or(Contact {
        name: String::new(),
        role,
        email: None,
        phone: None,
    });
    match part {
        "name" => contact.name = text.to_owned(),
        "email" if text.is_empty() => contact.email = None,
        "email" => contact.email = Some(Email::parse(text).map_err(|e| e.to_string())?),
        _ => contact.phone = (!text.is_empty()).then(|| text.to_owned()),
    }
    if contact.name.is_empty() {
        contact.name = contact.email.as_ref().map(ToString::to_string).unwrap_or_default();
    }
    // a contact with nothing left is gone
    if !contact.name.is_empty() || contact.phone.is_some() {
        customer.contacts.insert(position.unwrap_or(customer.contacts.len()), contact);
    }
    Ok(())
}

/// What changed from `before` to `after`, field by field.
pub fn changes(before: &Customer, after: &Customer) -> Vec<Change> {
    FIELDS
        .iter()
        .map(|field| Change { field, before: value(before, field), after: value(after, field) })
        .filter(|change| change.before != change.after)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::{Agreement, CreditProfile};
    use crate::ids::CustomerCode;

    fn customer() -> Customer {
        Customer {
            code: CustomerCode::parse("S1").unwrap(),
            legal_name: "Infissi Brembani S.r.l.".into(),
            tax_id: Some("IT03872160167".into()),
            country: Country::parse("IT").unwrap(),
            language: Language::IT,
            currency: Currency::EUR,
            address: None,
            contacts: Vec::new(),
            agreement: Agreement::default(),
            credit: CreditProfile::default(),
        }
    }

    #[test]
    fn a_field_is_set_from_text_and_the_change_is_listed_old_to_new() {
        let before = customer();
        let mut after = before.clone();
        set(&mut after, "approver_email", "marco.galli@brembani.example").unwrap();
        set(&mut after, "credit_limit", "25000.00").unwrap();
        set(&mut after, "tax_id", "").unwrap();
        assert_eq!(after.contact(ContactRole::InvoiceApprover).unwrap().name, "marco.galli@brembani.example");
        let listed: Vec<(&str, Option<String>, Option<String>)> =
            changes(&before, &after).into_iter().map(|c| (c.field, c.before, c.after)).collect();
        assert_eq!(
            listed,
            [
                ("tax_id", Some("IT03872160167".into()), None),
                ("credit_limit", None, Some("25000.00".into())),
                ("approver_name", None, Some("marco.galli@brembani.example".into())),
                ("approver_email", None, Some("marco.galli@brembani.example".into())),
            ]
        );
        assert!(matches!(set(&mut after, "colour", "red"), Err(FieldError::Unknown { .. })));
        assert!(matches!(set(&mut after, "terms", "whenever"), Err(FieldError::Invalid { .. })));
        assert!(matches!(set(&mut after, "name", " "), Err(FieldError::Invalid { .. })));
    }
}
