//! Matching money received on the bank to open invoices. For each credit on a statement the
//! matcher looks for what the payer told (a creditor reference, invoice numbers in the remittance
//! text), what the amount says (one invoice exactly, several together, an early-payment discount
//! taken, a small difference such as bank charges) and who paid (an IBAN seen before, the
//! customer's name). Every proposal carries a confidence and the evidence for it: confident ones
//! are applied at once, the rest wait for a person.
//!
//! Linear in lines + open invoices: the invoices are indexed once by number, by amount and by
//! customer, and payers by IBAN and name; no line is ever compared with every invoice.

mod evidence;
mod index;
mod payer;
#[cfg(test)]
mod tests;

pub use evidence::{Evidence, QuotedInvoice};

use crate::bank::{BankLine, Direction};
use crate::creditor_reference;
use crate::money::Money;
use crate::structured_reference::{self, Scheme};
use crate::terms::Instalment;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use payer::{Payer, PromisedPayment, payer_name_key};

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
    /// The structured reference the customer was asked to quote (from its e-invoice, or built in
    /// the organisation's scheme), as a [`structured_reference::key`].
    pub payment_reference: Option<String>,
    /// The unpaid instalments making up `open`, oldest first, when the invoice is paid in more
    /// than one; empty otherwise.
    pub instalments: Vec<Instalment>,
}

impl OpenInvoice {
    /// An invoice paid in one amount, without discount or structured reference.
    pub fn new(id: i64, number: impl Into<String>, customer_id: i64, open: Money, due_date: NaiveDate) -> Self {
        OpenInvoice {
            id,
            number: number.into(),
            customer_id,
            open,
            due_date,
            discounted: None,
            payment_reference: None,
            instalments: Vec::new(),
        }
    }
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
    /// Why, as facts a person can check (said in English by `Display`).
    pub evidence: Vec<Evidence>,
}

impl Proposal {
    fn none(evidence: Evidence) -> Self {
        Proposal { customer_id: None, allocations: Vec::new(), confidence: 0, evidence: vec![evidence] }
    }

    /// Whether it is confident enough to apply without asking.
    pub fn is_automatic(&self) -> bool {
        self.confidence >= AUTOMATIC_CONFIDENCE && self.customer_id.is_some()
    }
}

/// Spreads `amount_minor` over invoices in the order given: first what each owes on the day
/// (`due_minor`: its instalments due by then), then the rest of each up to what is open
/// (`open_minor`). Returns the amount for each invoice; what is left over is the payer's credit.
/// An instalment invoice named first never takes the money a later invoice's due instalment
/// needs.
pub fn spread(amount_minor: i64, owed: &[(i64, i64)]) -> Vec<i64> {
    let mut left = amount_minor.max(0);
    let mut spread: Vec<i64> = owed
        .iter()
        .map(|&(due, open)| {
            let take = left.min(due.clamp(0, open.max(0)));
            left -= take;
            take
        })
        .collect();
    for (taken, &(_, open)) in spread.iter_mut().zip(owed) {
        let more = left.min((open - *taken).max(0));
        *taken += more;
        left -= more;
    }
    spread
}

/// How the payer named an invoice: its structured reference (check digits verified) or its
/// number, which may be a coincidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoted {
    Reference(Scheme),
    Number,
}

/// Who paid, relative to the customer whose invoices were named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PayerIs {
    TheCustomer,
    Unknown,
    Another(&'static str),
}

/// How an amount fits what is owed on the invoices named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    /// Everything open, exactly.
    Exact,
    /// Exactly what is due on the day: the instalments due by then.
    DueOnDay,
    /// The invoice less the early-payment discount its terms allow, in time.
    Discount,
    /// A little short of everything open (bank charges), written off.
    SmallDifference,
    Part,
    Over,
}

/// The open invoices and known payers, indexed for matching a statement.
pub struct Matcher {
    invoices: Vec<OpenInvoice>,
    /// What is still open on each invoice, lowered as confident proposals are applied.
    remaining: Vec<i64>,
    index: index::InvoiceIndex,
    payers: payer::PayerIndex,
}

/// Most open items of one payer searched for a set whose sum is the amount paid.
const SUBSET_ITEMS_MAX: usize = 20;
/// Most steps of that search, so a payer with many items costs microseconds, not seconds.
const SUBSET_STEPS_MAX: u32 = 200_000;

impl Matcher {
    pub fn new(invoices: Vec<OpenInvoice>, payers: &[Payer]) -> Self {
        let index = index::InvoiceIndex::new(&invoices);
        let remaining = invoices.iter().map(|i| i.open.amount_minor()).collect();
        let payers = payer::PayerIndex::new(payers);
        Matcher { invoices, remaining, index, payers }
    }

    /// Proposes how a line pays open invoices. A proposal confident enough to apply is taken
    /// into account at once, so two lines never pay the same money twice. Lines that take money
    /// back or give back the business's own payments are never payments.
    pub fn propose(&mut self, line: &BankLine) -> Proposal {
        if line.direction == Direction::Debit {
            return Proposal::none(Evidence::MoneyOut);
        }
        if line.reversal.is_some() {
            return Proposal::none(Evidence::OwnPaymentReturned);
        }
        let proposal = self.proposal_for(line);
        if proposal.is_automatic() {
            self.apply(&proposal);
        }
        proposal
    }

    /// The number of the open invoice with this id.
    pub fn number(&self, invoice_id: i64) -> Option<&str> {
        self.index.id(invoice_id).map(|i| self.invoices[i].number.as_str())
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

    /// Invoices the payer names: the creditor reference first, then references and numbers in
    /// the end-to-end id and the remittance text. Each at most once, in the order found, with
    /// how it was named.
    fn quoted_invoices(&self, line: &BankLine) -> Vec<(usize, Quoted)> {
        let mut found: Vec<(usize, Quoted)> = Vec::new();
        let mut note = |index: Option<usize>, how: Quoted| {
            if let Some(index) = index
                && self.invoices[index].open.currency() == line.amount.currency()
                && !found.iter().any(|(i, _)| *i == index)
            {
                found.push((index, how));
            }
        };
        let texts = [line.end_to_end_id.as_deref(), line.remittance.as_deref()];
        let words = line.creditor_reference.iter().cloned().chain(texts.into_iter().flatten().flat_map(tokens));
        for word in words {
            if let Some(recognised) = structured_reference::recognise(&word) {
                let by_reference = self.index.reference(&recognised.key);
                let own_rf = (recognised.scheme == Scheme::Rf)
                    .then(|| self.index.number(&self.invoices, &recognised.key))
                    .flatten();
                note(by_reference.or(own_rf), Quoted::Reference(recognised.scheme));
            }
            note(self.index.number(&self.invoices, &creditor_reference::normalise(&word)), Quoted::Number);
        }
        found
    }

    fn payer_is(&self, customer_id: i64, payer: Option<(i64, &'static str)>) -> PayerIs {
        match payer {
            Some((id, _)) if id == customer_id => PayerIs::TheCustomer,
            Some((_, how)) => PayerIs::Another(how),
            None => PayerIs::Unknown,
        }
    }

    fn by_reference(
        &self,
        line: &BankLine,
        quoted: &[(usize, Quoted)],
        payer: Option<(i64, &'static str)>,
    ) -> Proposal {
        let customer_id = self.invoices[quoted[0].0].customer_id;
        let named: Vec<QuotedInvoice> = quoted.iter().map(|&(i, how)| self.named(i, how)).collect();
        let mut evidence = vec![Evidence::PayerQuotes { quoted: named }];
        if quoted.iter().any(|&(i, _)| self.invoices[i].customer_id != customer_id) {
            evidence.push(Evidence::QuotedForDifferentCustomers);
            return Proposal { customer_id: None, allocations: Vec::new(), confidence: 30, evidence };
        }
        let payer_is = self.payer_is(customer_id, payer);
        match payer_is {
            PayerIs::TheCustomer => evidence.push(Evidence::PaidByTheCustomer),
            PayerIs::Unknown => evidence.push(Evidence::PayerNotKnown),
            PayerIs::Another(how) => evidence.push(Evidence::PayerIsAnother { how: how.to_owned() }),
        }
        let open: Vec<usize> = quoted.iter().map(|&(i, _)| i).filter(|&i| self.remaining[i] > 0).collect();
        if open.is_empty() {
            evidence.push(Evidence::AlreadyPaid);
            return Proposal { customer_id: Some(customer_id), allocations: Vec::new(), confidence: 50, evidence };
        }
        let strong = quoted.iter().all(|(_, how)| matches!(how, Quoted::Reference(_)));
        let (fit, mut proposal) = self.settle(line, customer_id, &open, evidence);
        proposal.confidence = confidence_quoted(fit, payer_is, strong);
        if proposal.confidence < AUTOMATIC_CONFIDENCE && matches!(fit, Fit::Part | Fit::Over) {
            proposal.evidence.push(Evidence::AmountDoesNotFit);
        } else if proposal.confidence < AUTOMATIC_CONFIDENCE && payer_is == PayerIs::Unknown {
            proposal.evidence.push(Evidence::UnknownPayerMustMatchExactly);
        }
        proposal
    }

    /// The invoice quoted, and the scheme it was quoted by ("2026/0117" by its structured
    /// communication), but for its number or an RF reference.
    fn named(&self, index: usize, how: Quoted) -> QuotedInvoice {
        let number = self.invoices[index].number.clone();
        match how {
            Quoted::Reference(Scheme::Rf) | Quoted::Number => QuotedInvoice { number, scheme: None },
            Quoted::Reference(scheme) => QuotedInvoice { number, scheme: Some(scheme.label().to_owned()) },
        }
    }

    fn by_payer(&self, line: &BankLine, customer_id: i64, how: &'static str) -> Proposal {
        let evidence = vec![Evidence::PaidByKnownCustomer { how: how.to_owned() }];
        let open: Vec<usize> = self
            .index
            .customer(customer_id)
            .filter(|&i| self.remaining[i] > 0 && self.invoices[i].open.currency() == line.amount.currency())
            .collect();
        if open.is_empty() {
            let mut proposal =
                Proposal { customer_id: Some(customer_id), allocations: Vec::new(), confidence: 60, evidence };
            proposal.evidence.push(Evidence::NothingOpenCredit);
            return proposal;
        }
        let amount = line.amount.amount_minor();
        let exact: Vec<usize> = open.iter().copied().filter(|&i| self.remaining[i] == amount).collect();
        if let Some(&first) = exact.first() {
            let (_, mut proposal) = self.settle(line, customer_id, &[first], evidence);
            proposal.confidence = if exact.len() == 1 { 92 } else { 80 };
            if exact.len() > 1 {
                proposal.evidence.push(Evidence::SeveralOfThisAmount { count: exact.len() });
            }
            return proposal;
        }
        if let Some(discounted) = open.iter().copied().find(|&i| self.discount_fits(line, i)) {
            let (_, mut proposal) = self.settle(line, customer_id, &[discounted], evidence);
            proposal.confidence = 90;
            return proposal;
        }
        if let Some(promise) = self.payers.promise_kept(customer_id, line) {
            return self.by_promise(line, customer_id, &open, promise, evidence);
        }
        self.by_payer_subset(line, customer_id, &open, evidence)
    }

    /// A known payer paying exactly what it promised: the invoices of the promise (all its open
    /// ones, oldest first, for a promise on the balance).
    fn by_promise(
        &self,
        line: &BankLine,
        customer_id: i64,
        open: &[usize],
        promise: &PromisedPayment,
        mut evidence: Vec<Evidence>,
    ) -> Proposal {
        let named: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| {
                promise.invoices.iter().any(|n| {
                    creditor_reference::normalise(n) == creditor_reference::normalise(&self.invoices[i].number)
                })
            })
            .collect();
        let chosen = if named.is_empty() { open } else { &named };
        evidence.push(Evidence::PromisedAmount { made_on: promise.made_on, promised_date: promise.promised_date });
        let (_, mut proposal) = self.settle(line, customer_id, chosen, evidence);
        proposal.confidence = 90;
        proposal
    }

    /// A known payer's amount that equals a set of its open items exactly (searched among its
    /// oldest [`SUBSET_ITEMS_MAX`]): applied when the set is the only one, proposed when several
    /// fit; otherwise a part payment of the oldest, for a person.
    fn by_payer_subset(
        &self,
        line: &BankLine,
        customer_id: i64,
        open: &[usize],
        mut evidence: Vec<Evidence>,
    ) -> Proposal {
        let candidates = &open[..open.len().min(SUBSET_ITEMS_MAX)];
        let amounts: Vec<i64> = candidates.iter().map(|&i| self.remaining[i]).collect();
        let sets = subsets_summing_to(&amounts, line.amount.amount_minor(), 2);
        match sets.as_slice() {
            [] => {
                // the payer is known, the amount fits nothing exactly: the oldest first, for a person
                let (_, mut proposal) = self.settle(line, customer_id, open, evidence);
                proposal.confidence = 60;
                proposal
            }
            [only] => {
                let chosen: Vec<usize> = only.iter().map(|&k| candidates[k]).collect();
                evidence.push(Evidence::SumOfInvoices { count: chosen.len() });
                let (_, mut proposal) = self.settle(line, customer_id, &chosen, evidence);
                proposal.confidence = 90;
                proposal
            }
            [first, ..] => {
                let chosen: Vec<usize> = first.iter().map(|&k| candidates[k]).collect();
                evidence.push(Evidence::SeveralSetsAddUp);
                let (_, mut proposal) = self.settle(line, customer_id, &chosen, evidence);
                proposal.confidence = 75;
                proposal
            }
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
            [] => Proposal::none(Evidence::NoInvoiceOfAmount),
            [only] => {
                let evidence = vec![
                    Evidence::PayerUnknownNoReference,
                    Evidence::OnlyInvoiceOfAmount { number: self.invoices[*only].number.clone() },
                ];
                let (_, mut proposal) = self.settle(line, self.invoices[*only].customer_id, &[*only], evidence);
                proposal.confidence = 70;
                proposal
            }
            many => Proposal::none(Evidence::ManyInvoicesOfAmount { count: many.len() }),
        }
    }

    /// Whether the line pays invoice `index` exactly less its early-payment discount, in time.
    fn discount_fits(&self, line: &BankLine, index: usize) -> bool {
        let invoice = &self.invoices[index];
        invoice.discounted.is_some_and(|(until, amount)| {
            let rounding = (amount.amount_minor() - line.amount.amount_minor()).abs();
            line.paid_on() <= until
                && amount.currency() == line.amount.currency()
                && rounding <= crate::terms::EARLY_PRICE_ROUNDING_MINOR
                && self.remaining[index] == invoice.open.amount_minor()
        })
    }

    /// What invoice `index` owes on `day`: its instalments due by then (or the next one when none
    /// is due yet), from what is still open; all that is open when paid in one amount.
    fn due_on(&self, index: usize, day: NaiveDate) -> i64 {
        let invoice = &self.invoices[index];
        if invoice.instalments.len() < 2 {
            return self.remaining[index];
        }
        let open = Money::new(self.remaining[index], invoice.open.currency());
        crate::invoice::owed_on(&invoice.instalments, invoice.open, open, day)
            .map_or(self.remaining[index], |(_, owed)| owed.amount_minor())
    }

    /// Spreads the line over `open` (oldest due first: what is due on the day, then the rest),
    /// says how the amount fits, and proposes it (confidence set by the caller).
    fn settle(
        &self,
        line: &BankLine,
        customer_id: i64,
        open: &[usize],
        mut evidence: Vec<Evidence>,
    ) -> (Fit, Proposal) {
        let mut order = open.to_vec();
        order.sort_by_key(|&i| (self.invoices[i].due_date, self.invoices[i].id));
        let currency = line.amount.currency();
        let amount = line.amount.amount_minor();
        let owed: i64 = order.iter().map(|&i| self.remaining[i]).sum();
        let proposal =
            |allocations, evidence| Proposal { customer_id: Some(customer_id), allocations, confidence: 0, evidence };
        if order.len() == 1 && self.discount_fits(line, order[0]) {
            let discount = Money::new(owed - amount, currency);
            evidence.push(Evidence::LessDiscount { number: self.invoices[order[0]].number.clone(), discount });
            let allocation =
                ProposedAllocation { invoice_id: self.invoices[order[0]].id, amount: line.amount, discount };
            return (Fit::Discount, proposal(vec![allocation], evidence));
        }
        let day = line.paid_on();
        let owed_each: Vec<(i64, i64)> = order.iter().map(|&i| (self.due_on(i, day), self.remaining[i])).collect();
        let due: i64 = owed_each.iter().map(|(due, _)| due).sum();
        let mut allocations: Vec<ProposedAllocation> = order
            .iter()
            .zip(spread(amount, &owed_each))
            .filter(|(_, take)| *take > 0)
            .map(|(&i, take)| ProposedAllocation {
                invoice_id: self.invoices[i].id,
                amount: Money::new(take, currency),
                discount: Money::zero(currency),
            })
            .collect();
        let owed_money = Money::new(owed, currency);
        let shortfall = owed - amount;
        let fit = if shortfall == 0 {
            Fit::Exact
        } else if amount == due && due < owed {
            Fit::DueOnDay
        } else if shortfall > 0 && shortfall <= small_difference_minor(owed_money) {
            Fit::SmallDifference
        } else if shortfall > 0 {
            Fit::Part
        } else {
            Fit::Over
        };
        evidence.push(fit_words(fit, amount, owed_money, Money::new(due, currency)));
        if fit == Fit::SmallDifference
            && let Some(last) = allocations.last_mut()
        {
            // bank charges the payer's bank kept: written off, never chased
            last.discount = Money::new(shortfall, currency);
        }
        (fit, proposal(allocations, evidence))
    }
}

/// The confidence of a proposal for invoices the payer named: applied by itself (≥ 90) only when
/// the amount fits what is owed or due on the day and the payer is the customer — or, paying
/// exactly, a payer overdue does not know (a fiduciary, a parent company). A number that only
/// coincides, with an amount that does not fit, or from another customer, waits for a person.
fn confidence_quoted(fit: Fit, payer: PayerIs, strong: bool) -> u8 {
    let exact = matches!(fit, Fit::Exact | Fit::DueOnDay | Fit::Discount);
    let base = match (fit, payer) {
        (_, PayerIs::Another(_)) => 70,
        (Fit::Exact, _) => 98,
        (Fit::DueOnDay | Fit::Discount, _) => 97,
        (Fit::SmallDifference, PayerIs::TheCustomer) => 92,
        (Fit::SmallDifference, PayerIs::Unknown) => 85,
        (Fit::Part, PayerIs::TheCustomer) if strong => 88,
        (Fit::Part, PayerIs::TheCustomer) => 85,
        (Fit::Part, PayerIs::Unknown) => 60,
        (Fit::Over, PayerIs::TheCustomer) => 80,
        (Fit::Over, PayerIs::Unknown) => 55,
    };
    if exact || payer == PayerIs::TheCustomer { base } else { base.min(85) }
}

/// Up to `most` sets of positions in `amounts` whose values sum to `target`, oldest first
/// (depth first, earlier items tried first), within [`SUBSET_STEPS_MAX`] steps.
fn subsets_summing_to(amounts: &[i64], target: i64, most: usize) -> Vec<Vec<usize>> {
    struct Search<'a> {
        amounts: &'a [i64],
        /// What the items from each position on add up to, to cut branches that cannot reach.
        rest: Vec<i64>,
        found: Vec<Vec<usize>>,
        most: usize,
        steps: u32,
    }
    impl Search<'_> {
        fn walk(&mut self, from: usize, left: i64, chosen: &mut Vec<usize>) {
            self.steps += 1;
            if left == 0 && !chosen.is_empty() {
                self.found.push(chosen.clone());
                return;
            }
            if self.found.len() >= self.most || self.steps > SUBSET_STEPS_MAX || from >= self.amounts.len() {
                return;
            }
            if self.rest[from] < left {
                return;
            }
            for next in from..self.amounts.len() {
                if self.amounts[next] <= left {
                    chosen.push(next);
                    self.walk(next + 1, left - self.amounts[next], chosen);
                    chosen.pop();
                }
                if self.found.len() >= self.most || self.steps > SUBSET_STEPS_MAX {
                    return;
                }
            }
        }
    }
    let mut rest = vec![0; amounts.len() + 1];
    for i in (0..amounts.len()).rev() {
        rest[i] = rest[i + 1] + amounts[i].max(0);
    }
    let mut search = Search { amounts, rest, found: Vec::new(), most, steps: 0 };
    if target > 0 {
        search.walk(0, target, &mut Vec::new());
    }
    search.found
}

/// How the amount fits, as evidence.
fn fit_words(fit: Fit, amount: i64, owed: Money, due: Money) -> Evidence {
    let currency = owed.currency();
    let difference = |a: i64, b: i64| Money::new((a - b).abs(), currency);
    match fit {
        Fit::Exact => Evidence::Exact { owed },
        Fit::DueOnDay => Evidence::DueOnDay { due, owed },
        Fit::Discount => Evidence::DiscountFits,
        Fit::SmallDifference => Evidence::SmallDifference { short: difference(owed.amount_minor(), amount), owed },
        Fit::Part => Evidence::PartPayment { short: difference(owed.amount_minor(), amount), owed },
        Fit::Over => Evidence::OverPayment { excess: difference(amount, owed.amount_minor()), owed },
    }
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
