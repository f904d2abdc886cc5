//! Matching money received on the bank to open invoices. For each credit on a statement the
//! matcher looks for what the payer told (a creditor reference, invoice numbers in the remittance
//! text), what the amount says (one invoice exactly, several together, an early-payment discount
//! taken, a small difference such as bank charges) and who paid (an IBAN seen before, the
//! customer's name). Every proposal carries a confidence and the evidence for it: confident ones
//! are applied at once, the rest wait for a person.
//!
//! Linear in lines + open invoices: the invoices are indexed once by number, by amount and by
//! customer, and payers by IBAN and name; no line is ever compared with every invoice.

mod index;
mod payer;
#[cfg(test)]
mod tests;

use crate::bank::{BankLine, Direction};
use crate::creditor_reference;
use crate::currency::Currency;
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use payer::{Payer, payer_name_key};

/// Proposals at or above this confidence (in percent) are applied without asking.
pub const AUTOMATIC_CONFIDENCE: u8 = 90;

/// The largest shortfall taken as a small difference (bank charges, rounding): half a percent
/// of what is owed, and never more than 5 units of the currency.
pub fn small_difference_minor(owed: Money) -> i64 {
    let cap = 5 * 10i64.pow(u32::from(owed.currency().exponent()));
    (owed.amount_minor() / 200).min(cap)
}

/// An invoice with money still owed, as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub open: Money,
    pub due_date: NaiveDate,
    /// What settles the invoice if paid by the date (its terms give an early-payment discount).
    pub discounted: Option<(NaiveDate, Money)>,
}

/// Part of a payment applied to one invoice, and any early-payment discount it settles with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedAllocation {
    pub invoice_id: i64,
    pub amount: Money,
    /// Written off as the early-payment discount the terms allow (zero when none).
    pub discount: Money,
}

/// What the matcher makes of one bank line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// The customer who paid, when known.
    pub customer_id: Option<i64>,
    pub allocations: Vec<ProposedAllocation>,
    /// 0–100.
    pub confidence: u8,
    /// Why, in words a person can check.
    pub evidence: Vec<String>,
}

impl Proposal {
    fn none(evidence: impl Into<String>) -> Self {
        Proposal { customer_id: None, allocations: Vec::new(), confidence: 0, evidence: vec![evidence.into()] }
    }

    /// Whether it is confident enough to apply without asking.
    pub fn is_automatic(&self) -> bool {
        self.confidence >= AUTOMATIC_CONFIDENCE && self.customer_id.is_some()
    }
}

/// The open invoices and known payers, indexed for matching a statement.
pub struct Matcher {
    invoices: Vec<OpenInvoice>,
    /// What is still open on each invoice, lowered as confident proposals are applied.
    remaining: Vec<i64>,
    index: index::InvoiceIndex,
    payers: payer::PayerIndex,
}

impl Matcher {
    pub fn new(invoices: Vec<OpenInvoice>, payers: &[Payer]) -> Self {
        let index = index::InvoiceIndex::new(&invoices);
        let remaining = invoices.iter().map(|i| i.open.amount_minor()).collect();
        let payers = payer::PayerIndex::new(payers);
        Matcher { invoices, remaining, index, payers }
    }

    /// Proposes how a line pays open invoices. A proposal confident enough to apply is taken
    /// into account at once, so two lines never pay the same money twice.
    pub fn propose(&mut self, line: &BankLine) -> Proposal {
        if line.direction == Direction::Debit {
            return Proposal::none("money paid out, not a payment received");
        }
        let proposal = self.proposal_for(line);
        if proposal.is_automatic() {
            self.apply(&proposal);
        }
        proposal
    }

    /// Lowers what is open by an applied proposal (the caller applied it, or a person accepted it).
    pub fn apply(&mut self, proposal: &Proposal) {
        for allocation in &proposal.allocations {
            if let Some(index) = self.index.id(allocation.invoice_id) {
                let settled = allocation.amount.amount_minor() + allocation.discount.amount_minor();
                self.remaining[index] = (self.remaining[index] - settled).max(0);
            }
        }
    }

    fn proposal_for(&self, line: &BankLine) -> Proposal {
        let payer = self.payers.find(line);
        let quoted = self.quoted_invoices(line);
        if !quoted.is_empty() {
            return self.by_reference(line, &quoted, payer);
        }
        match payer {
            Some((customer_id, how)) => self.by_payer(line, customer_id, how),
            None => self.by_amount_only(line),
        }
    }

    /// Invoices the payer names: creditor reference first, then numbers in the end-to-end id
    /// and the remittance text. Each at most once, in the order found.
    fn quoted_invoices(&self, line: &BankLine) -> Vec<usize> {
        let mut found = Vec::new();
        let mut note = |key: String| {
            if let Some(index) = self.index.number(&self.invoices, &key)
                && self.invoices[index].open.currency() == line.amount.currency()
                && !found.contains(&index)
            {
                found.push(index);
            }
        };
        if let Some(reference) = &line.creditor_reference {
            note(creditor_reference::parse(reference).unwrap_or_else(|| creditor_reference::normalise(reference)));
        }
        let texts = [line.end_to_end_id.as_deref(), line.remittance.as_deref()];
        for token in texts.into_iter().flatten().flat_map(tokens) {
            if let Some(payload) = creditor_reference::parse(&token) {
                note(payload);
            }
            note(creditor_reference::normalise(&token));
        }
        found
    }

    fn by_reference(&self, line: &BankLine, quoted: &[usize], payer: Option<(i64, &'static str)>) -> Proposal {
        let numbers: Vec<&str> = quoted.iter().map(|&i| self.invoices[i].number.as_str()).collect();
        let customer_id = self.invoices[quoted[0]].customer_id;
        let mut evidence = vec![format!("the payer quotes {}", numbers.join(", "))];
        let open: Vec<usize> = quoted.iter().copied().filter(|&i| self.remaining[i] > 0).collect();
        if quoted.iter().any(|&i| self.invoices[i].customer_id != customer_id) {
            evidence.push("the invoices quoted belong to different customers".into());
            return Proposal { customer_id: None, allocations: Vec::new(), confidence: 30, evidence };
        }
        let mut proposal = if open.is_empty() {
            evidence.push("already paid: a second payment of the same invoice?".into());
            Proposal { customer_id: Some(customer_id), allocations: Vec::new(), confidence: 50, evidence }
        } else {
            self.settle(line, customer_id, &open, evidence, true)
        };
        if let Some((payer_id, how)) = payer
            && payer_id != customer_id
        {
            proposal.evidence.push(format!("but the payer's {how} belongs to another customer"));
            proposal.confidence = proposal.confidence.min(70);
        }
        proposal
    }

    fn by_payer(&self, line: &BankLine, customer_id: i64, how: &'static str) -> Proposal {
        let evidence = vec![format!("paid by the customer (known {how})")];
        let open: Vec<usize> = self
            .index
            .customer(customer_id)
            .filter(|&i| self.remaining[i] > 0 && self.invoices[i].open.currency() == line.amount.currency())
            .collect();
        if open.is_empty() {
            let mut proposal =
                Proposal { customer_id: Some(customer_id), allocations: Vec::new(), confidence: 60, evidence };
            proposal.evidence.push("nothing open: the customer's credit".into());
            return proposal;
        }
        let amount = line.amount.amount_minor();
        let exact: Vec<usize> = open.iter().copied().filter(|&i| self.remaining[i] == amount).collect();
        if let Some(&first) = exact.first() {
            let mut proposal = self.settle(line, customer_id, &[first], evidence, false);
            proposal.confidence = if exact.len() == 1 { 92 } else { 80 };
            if exact.len() > 1 {
                proposal.evidence.push(format!("{} open invoices of this amount: the oldest is proposed", exact.len()));
            }
            return proposal;
        }
        if let Some(discounted) = open.iter().copied().find(|&i| self.discount_fits(line, i)) {
            return self.settle(line, customer_id, &[discounted], evidence, false);
        }
        // The oldest invoices together, exactly.
        let mut running = 0;
        let prefix = open.iter().position(|&i| {
            running += self.remaining[i];
            running >= amount
        });
        match prefix {
            Some(last) if running == amount => self.settle(line, customer_id, &open[..=last], evidence, false),
            _ => self.settle(line, customer_id, &open, evidence, false),
        }
    }

    fn by_amount_only(&self, line: &BankLine) -> Proposal {
        let candidates: Vec<usize> = self
            .index
            .amount(line.amount.amount_minor())
            .filter(|&i| {
                self.invoices[i].open.currency() == line.amount.currency()
                    && self.remaining[i] == line.amount.amount_minor()
            })
            .collect();
        match candidates.as_slice() {
            [] => Proposal::none("no reference, payer unknown, and no open invoice of this amount"),
            [only] => {
                let evidence = vec![
                    "payer unknown and no reference".to_owned(),
                    format!("{} is the only open invoice of exactly this amount", self.invoices[*only].number),
                ];
                let mut proposal = self.settle(line, self.invoices[*only].customer_id, &[*only], evidence, false);
                proposal.confidence = 70;
                proposal
            }
            many => {
                Proposal::none(format!("payer unknown, no reference, and {} open invoices of this amount", many.len()))
            }
        }
    }

    /// Whether the line pays invoice `index` exactly less its early-payment discount, in time.
    fn discount_fits(&self, line: &BankLine, index: usize) -> bool {
        let invoice = &self.invoices[index];
        invoice.discounted.is_some_and(|(until, amount)| {
            line.booking_date <= until && amount == line.amount && self.remaining[index] == invoice.open.amount_minor()
        })
    }

    /// Spreads the line over `open` (oldest due first) and rates how well the amount fits.
    fn settle(
        &self,
        line: &BankLine,
        customer_id: i64,
        open: &[usize],
        mut evidence: Vec<String>,
        quoted: bool,
    ) -> Proposal {
        let mut order = open.to_vec();
        order.sort_by_key(|&i| (self.invoices[i].due_date, self.invoices[i].id));
        let currency = line.amount.currency();
        let amount = line.amount.amount_minor();
        let owed: i64 = order.iter().map(|&i| self.remaining[i]).sum();
        if order.len() == 1 && self.discount_fits(line, order[0]) {
            let discount = owed - amount;
            evidence.push(format!(
                "pays {} less the early-payment discount of {}",
                self.invoices[order[0]].number,
                Money::new(discount, currency).to_decimal_string()
            ));
            let allocation = ProposedAllocation {
                invoice_id: self.invoices[order[0]].id,
                amount: line.amount,
                discount: Money::new(discount, currency),
            };
            let confidence = if quoted { 97 } else { 90 };
            return Proposal { customer_id: Some(customer_id), allocations: vec![allocation], confidence, evidence };
        }
        let mut allocations = self.oldest_first(&order, amount, currency);
        let owed_money = Money::new(owed, currency);
        let (confidence, words) = fit(amount, owed, order.len(), quoted, owed_money);
        evidence.push(words);
        let shortfall = owed - amount;
        if shortfall > 0
            && shortfall <= small_difference_minor(owed_money)
            && let Some(last) = allocations.last_mut()
        {
            // bank charges the payer's bank kept: written off, never chased
            last.discount = Money::new(shortfall, currency);
        }
        Proposal { customer_id: Some(customer_id), allocations, confidence, evidence }
    }

    fn oldest_first(&self, order: &[usize], amount: i64, currency: Currency) -> Vec<ProposedAllocation> {
        let mut left = amount;
        let mut allocations = Vec::new();
        for &index in order {
            if left == 0 {
                break;
            }
            let applied = left.min(self.remaining[index]);
            allocations.push(ProposedAllocation {
                invoice_id: self.invoices[index].id,
                amount: Money::new(applied, currency),
                discount: Money::zero(currency),
            });
            left -= applied;
        }
        allocations
    }
}

/// How well `amount` fits `owed` on `count` invoices, as a confidence and a sentence.
fn fit(amount: i64, owed: i64, count: usize, quoted: bool, owed_money: Money) -> (u8, String) {
    let owed_text = owed_money.to_decimal_string();
    let shortfall = owed - amount;
    if shortfall == 0 {
        let confidence = if quoted {
            98
        } else if count == 1 {
            92
        } else {
            90
        };
        return (confidence, format!("the amount is exactly what is open ({owed_text})"));
    }
    let difference = Money::new(shortfall.abs(), owed_money.currency()).to_decimal_string();
    if shortfall > 0 && shortfall <= small_difference_minor(owed_money) {
        let confidence = if quoted { 92 } else { 85 };
        return (
            confidence,
            format!("{difference} short of {owed_text}: a small difference (bank charges?), written off"),
        );
    }
    if shortfall > 0 {
        let confidence = if quoted && count == 1 {
            90
        } else if quoted {
            85
        } else {
            60
        };
        return (confidence, format!("a part payment: {difference} short of {owed_text}"));
    }
    let confidence = if quoted { 80 } else { 55 };
    (confidence, format!("{difference} more than the {owed_text} open: the excess would be the customer's credit"))
}

/// The words of a free text that could be references: split at spaces and punctuation that
/// never appears inside an invoice number; each word alone and joined with the next, as numbers
/// such as `FT 13/2026` are written with a space.
fn tokens(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ",;:()[]{}<>\"'+*=|".contains(c))
        .map(|t| t.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|t| !t.is_empty() && t.len() <= 35)
        .collect();
    let pairs = words.windows(2).map(|pair| format!("{}{}", pair[0], pair[1]));
    words
        .iter()
        .map(|w| (*w).to_owned())
        .chain(pairs)
        .filter(|t| t.len() >= 2 && t.chars().any(|c| c.is_ascii_digit()))
        .collect()
}
