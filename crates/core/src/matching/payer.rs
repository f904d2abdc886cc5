//! Who paid: a bank line's payer recognised by an IBAN the customer paid from before, or by a
//! name that is the customer's once letter case, accents, punctuation and the legal form
//! (S.L., S.r.l., Ltd…) are set aside. A name two customers share identifies neither.

use crate::bank::BankLine;
use std::collections::HashMap;

/// A customer as a payer: the names and accounts money from them arrives with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payer {
    pub customer_id: i64,
    pub name: String,
    /// IBANs the customer has paid from (learned from earlier matched lines) or declared.
    pub ibans: Vec<String>,
    /// Other names its money arrived under before (a parent company, a trading name).
    pub aliases: Vec<String>,
    /// What it promised to pay: a payment of exactly that amount around that day is that promise
    /// kept.
    pub promises: Vec<PromisedPayment>,
}

/// A promise to pay as the matcher uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromisedPayment {
    pub made_on: chrono::NaiveDate,
    pub promised_date: chrono::NaiveDate,
    pub amount: crate::money::Money,
    /// The invoices it was for (numbers); empty when it was for the balance.
    pub invoices: Vec<String>,
}

/// Words of a company name that say its legal form, not who it is.
const LEGAL_FORMS: &[&str] = &[
    "sl", "slu", "sll", "sa", "sau", "scp", "sc", "srl", "srls", "spa", "sas", "snc", "sapa", "ltd", "limited", "plc",
    "llp", "llc", "inc", "corp", "co", "gmbh", "ag", "kg", "bv", "nv", "sarl", "eurl", "the", "cb",
];

/// The key two spellings of one company name share (`Ferretería Ruiz, S.L.` and
/// `FERRETERIA RUIZ SL` → `ferreteria ruiz`).
pub fn payer_name_key(name: &str) -> String {
    let folded: String = name.chars().map(fold).collect();
    // "S.L." and "S.p.A." are legal forms once their dots are gone.
    let joined = folded.replace('.', "");
    joined
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !LEGAL_FORMS.contains(word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower case without the accents banks often drop.
fn fold(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// An IBAN without spaces, in upper case.
fn iban_key(iban: &str) -> String {
    iban.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect()
}

/// Payers by IBAN and by name key; `None` marks a key shared by several customers.
pub(crate) struct PayerIndex {
    by_iban: HashMap<String, Option<i64>>,
    by_name: HashMap<String, Option<i64>>,
    promises: HashMap<i64, Vec<PromisedPayment>>,
}

impl PayerIndex {
    pub fn new(payers: &[Payer]) -> Self {
        let mut by_iban = HashMap::new();
        let mut by_name = HashMap::with_capacity(payers.len());
        for payer in payers {
            for iban in &payer.ibans {
                note(&mut by_iban, iban_key(iban), payer.customer_id);
            }
            for name in std::iter::once(&payer.name).chain(&payer.aliases) {
                let key = payer_name_key(name);
                if !key.is_empty() {
                    note(&mut by_name, key, payer.customer_id);
                }
            }
        }
        let promises =
            payers.iter().filter(|p| !p.promises.is_empty()).map(|p| (p.customer_id, p.promises.clone())).collect();
        PayerIndex { by_iban, by_name, promises }
    }

    /// The customer's promise that `line` keeps: the same amount, made by the line's day and
    /// falling due no more than 60 days before it.
    pub fn promise_kept(&self, customer_id: i64, line: &BankLine) -> Option<&PromisedPayment> {
        let day = line.paid_on();
        self.promises
            .get(&customer_id)?
            .iter()
            .find(|p| p.amount == line.amount && p.made_on <= day && (day - p.promised_date).num_days() <= 60)
    }

    /// The customer who paid the line and how they were recognised.
    pub fn find(&self, line: &BankLine) -> Option<(i64, &'static str)> {
        let by_iban = line.counterparty_iban.as_deref().and_then(|iban| self.by_iban.get(&iban_key(iban)));
        if let Some(&Some(customer)) = by_iban {
            return Some((customer, "IBAN"));
        }
        let by_name = line.counterparty_name.as_deref().and_then(|name| self.by_name.get(&payer_name_key(name)));
        match by_name {
            Some(&Some(customer)) => Some((customer, "name")),
            _ => None,
        }
    }
}

fn note(index: &mut HashMap<String, Option<i64>>, key: String, customer: i64) {
    index
        .entry(key)
        .and_modify(|known| {
            if *known != Some(customer) {
                *known = None;
            }
        })
        .or_insert(Some(customer));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_across_case_accents_and_legal_forms() {
        assert_eq!(payer_name_key("Ferretería Ruiz, S.L."), "ferreteria ruiz");
        assert_eq!(payer_name_key("FERRETERIA RUIZ SL"), "ferreteria ruiz");
        assert_eq!(payer_name_key("Rossi & Figli S.p.A."), "rossi figli");
        assert_eq!(payer_name_key("The Widget Company Ltd"), "widget company");
    }
}
