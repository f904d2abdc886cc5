//! Customers: who owes, in which language and currency they are written to, who to talk to there
//! (billing, the invoice approver, the decision maker), the written agreement, and the credit
//! profile (limit, credit reports, whether they must now pay in advance).

use crate::currency::Currency;
use crate::fingerprint::Fingerprint;
use crate::ids::{Country, CustomerCode, Email, Language};
use crate::money::{Money, MoneyError};
use crate::terms::PaymentTerms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A customer account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub code: CustomerCode,
    pub legal_name: String,
    pub tax_id: Option<String>,
    pub country: Country,
    pub language: Language,
    pub currency: Currency,
    pub address: Option<String>,
    pub contacts: Vec<Contact>,
    pub agreement: Agreement,
    pub credit: CreditProfile,
}

impl Customer {
    /// This customer updated from `incoming` (the same customer as a file now describes it),
    /// where `carries(field)` says whether the file carries a field at all: a field it leaves
    /// out keeps its value, a field it carries — even empty — takes the file's. The identity
    /// (code, name, country, currency) always comes from `incoming`. Fields: `language`,
    /// `tax_id`, `address`, `terms`, `credit_limit`, `dispute_procedure`, `late_interest_clause`,
    /// `deliverables`, `contract_date`, `agri_food`, and per contact role `billing_`, `approver_`, `decision_maker_` + `name`,
    /// `email`, `phone` (the customers CSV's column names).
    pub fn updated_with(&self, incoming: Customer, carries: &dyn Fn(&str) -> bool) -> Customer {
        let keep =
            |field: &str, new: Option<String>, old: &Option<String>| if carries(field) { new } else { old.clone() };
        let agreement = Agreement {
            payment_terms: if carries("terms") {
                incoming.agreement.payment_terms.clone()
            } else {
                self.agreement.payment_terms.clone()
            },
            dispute_procedure: keep(
                "dispute_procedure",
                incoming.agreement.dispute_procedure.clone(),
                &self.agreement.dispute_procedure,
            ),
            late_interest_clause: keep(
                "late_interest_clause",
                incoming.agreement.late_interest_clause.clone(),
                &self.agreement.late_interest_clause,
            ),
            deliverables: keep("deliverables", incoming.agreement.deliverables.clone(), &self.agreement.deliverables),
            contract_date: if carries("contract_date") {
                incoming.agreement.contract_date
            } else {
                self.agreement.contract_date
            },
            agri_food: if carries("agri_food") { incoming.agreement.agri_food } else { self.agreement.agri_food },
        };
        let credit = CreditProfile {
            credit_limit: if carries("credit_limit") { incoming.credit.credit_limit } else { self.credit.credit_limit },
            ..self.credit.clone()
        };
        Customer {
            language: if carries("language") { incoming.language } else { self.language },
            tax_id: keep("tax_id", incoming.tax_id.clone(), &self.tax_id),
            address: keep("address", incoming.address.clone(), &self.address),
            contacts: self.contacts_updated(&incoming.contacts, carries),
            agreement,
            credit,
            ..incoming
        }
    }

    fn contacts_updated(&self, incoming: &[Contact], carries: &dyn Fn(&str) -> bool) -> Vec<Contact> {
        let roles = [
            (ContactRole::Billing, "billing_"),
            (ContactRole::InvoiceApprover, "approver_"),
            (ContactRole::DecisionMaker, "decision_maker_"),
        ];
        let mut contacts: Vec<Contact> =
            self.contacts.iter().filter(|c| !roles.iter().any(|(role, _)| *role == c.role)).cloned().collect();
        for (role, prefix) in roles {
            let (old, new) = (self.contact(role), incoming.iter().find(|c| c.role == role));
            let field = |name: &str| carries(&format!("{prefix}{name}"));
            let email =
                if field("email") { new.and_then(|c| c.email.clone()) } else { old.and_then(|c| c.email.clone()) };
            let phone =
                if field("phone") { new.and_then(|c| c.phone.clone()) } else { old.and_then(|c| c.phone.clone()) };
            let name = match (field("name"), new, old) {
                (true, Some(new), _) => Some(new.name.clone()),
                (true, None, _) => None,
                (false, _, Some(old)) => Some(old.name.clone()),
                (false, Some(new), None) => Some(new.name.clone()),
                (false, None, None) => None,
            };
            if let Some(name) = name.or_else(|| email.as_ref().map(|e| e.as_str().to_owned())) {
                contacts.push(Contact { name, role, email, phone });
            }
        }
        contacts
    }
}

/// What a contact person does for us at the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    /// Receives invoices and reminders (accounts payable).
    Billing,
    /// Approves invoices for payment: who to escalate to when payment stalls.
    InvoiceApprover,
    /// Can decide to pay (owner, finance director).
    DecisionMaker,
    Other,
}

impl ContactRole {
    pub const ALL: [ContactRole; 4] = [Self::Billing, Self::InvoiceApprover, Self::DecisionMaker, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Billing => "billing",
            Self::InvoiceApprover => "invoice_approver",
            Self::DecisionMaker => "decision_maker",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text.trim())
    }
}

/// A person at the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub role: ContactRole,
    pub email: Option<Email>,
    pub phone: Option<String>,
}

/// The written agreement with the customer: what was agreed before credit was given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// Default credit terms for the customer's invoices.
    pub payment_terms: Option<PaymentTerms>,
    pub dispute_procedure: Option<String>,
    pub late_interest_clause: Option<String>,
    pub deliverables: Option<String>,
    /// The day the contract was concluded, when the law's regime depends on it (Italy, D.Lgs.
    /// 231/2002 as amended by D.Lgs. 192/2012: ECB + 7 points for contracts before 1 January 2013).
    #[serde(default)]
    pub contract_date: Option<NaiveDate>,
    /// The customer buys agricultural and food products (Italy, art. 62 D.L. 1/2012 and D.Lgs.
    /// 198/2021: ECB + 12 points).
    #[serde(default)]
    pub agri_food: bool,
}

/// One trade-credit report on the customer (from an agency or our own assessment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditReport {
    pub source: String,
    /// A score or rating as the source states it ("72/100", "A2", "low risk").
    pub rating: String,
    pub date: NaiveDate,
    pub advised_limit: Option<Money>,
}

/// How much credit the customer gets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditProfile {
    pub credit_limit: Option<Money>,
    pub reports: Vec<CreditReport>,
    /// New invoices must be paid in advance (set for habitual late payers).
    pub prepayment_required: bool,
}

/// Whether a new invoice fits within the customer's credit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCheck {
    WithinLimit,
    NoLimitSet,
    OverLimit { limit: Money, exposure_after: Money },
    PrepaymentRequired,
}

impl CreditProfile {
    /// The most recent credit report, if any.
    pub fn latest_report(&self) -> Option<&CreditReport> {
        self.reports.iter().max_by_key(|report| report.date)
    }

    /// Checks an invoice of `new_invoice` on top of the customer's current open `exposure`.
    pub fn check(&self, exposure: Money, new_invoice: Money) -> Result<CreditCheck, MoneyError> {
        if self.prepayment_required {
            return Ok(CreditCheck::PrepaymentRequired);
        }
        let Some(limit) = self.credit_limit else {
            return Ok(CreditCheck::NoLimitSet);
        };
        let exposure_after = exposure.checked_add(new_invoice)?;
        exposure_after.checked_sub(limit)?;
        Ok(if exposure_after.amount_minor() > limit.amount_minor() {
            CreditCheck::OverLimit { limit, exposure_after }
        } else {
            CreditCheck::WithinLimit
        })
    }
}

impl Customer {
    /// The first contact with the given role.
    pub fn contact(&self, role: ContactRole) -> Option<&Contact> {
        self.contacts.iter().find(|contact| contact.role == role)
    }

    /// A fingerprint of everything a customer import sets, to tell "unchanged" from "updated".
    pub fn fingerprint(&self) -> i64 {
        let opt = |value: &Option<String>| value.clone().unwrap_or_default();
        let mut print = Fingerprint::default()
            .text(self.code.as_str())
            .text(&self.legal_name)
            .text(&opt(&self.tax_id))
            .text(self.country.as_str())
            .text(self.language.as_str())
            .text(self.currency.code())
            .text(&opt(&self.address))
            .text(&self.agreement.payment_terms.as_ref().map(ToString::to_string).unwrap_or_default())
            .text(&opt(&self.agreement.dispute_procedure))
            .text(&opt(&self.agreement.late_interest_clause))
            .text(&opt(&self.agreement.deliverables))
            .number(self.credit.credit_limit.map_or(-1, Money::amount_minor));
        // set only when given, so the fingerprints of customers without them stay as they were
        if let Some(date) = self.agreement.contract_date {
            print = print.text("contract_date").text(&date.to_string());
        }
        if self.agreement.agri_food {
            print = print.text("agri_food");
        }
        for contact in &self.contacts {
            print = print
                .text(&contact.name)
                .text(contact.role.as_str())
                .text(contact.email.as_ref().map_or("", Email::as_str))
                .text(contact.phone.as_deref().unwrap_or(""));
        }
        print.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn an_invoice_over_the_credit_limit_is_flagged() {
        let profile = CreditProfile { credit_limit: Some(eur(10_000_00)), ..Default::default() };
        assert_eq!(profile.check(eur(9_000_00), eur(1_000_00)).unwrap(), CreditCheck::WithinLimit);
        assert_eq!(
            profile.check(eur(9_000_00), eur(1_000_01)).unwrap(),
            CreditCheck::OverLimit { limit: eur(10_000_00), exposure_after: eur(10_000_01) }
        );
    }

    #[test]
    fn a_customer_switched_to_prepayment_gets_no_credit() {
        let profile = CreditProfile { prepayment_required: true, ..Default::default() };
        assert_eq!(profile.check(eur(0), eur(1)).unwrap(), CreditCheck::PrepaymentRequired);
    }

    #[test]
    fn a_limit_in_another_currency_is_an_error_not_a_comparison() {
        let profile = CreditProfile { credit_limit: Some(Money::new(1, Currency::GBP)), ..Default::default() };
        assert!(profile.check(eur(0), eur(1)).is_err());
    }

    #[test]
    fn the_latest_credit_report_is_the_newest_by_date() {
        let report = |day: u32, rating: &str| CreditReport {
            source: "Informa".into(),
            rating: rating.into(),
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            advised_limit: None,
        };
        let profile =
            CreditProfile { reports: vec![report(5, "B"), report(20, "A"), report(1, "C")], ..Default::default() };
        assert_eq!(profile.latest_report().unwrap().rating, "A");
    }
}
