//! Invoices and credit notes: what was supplied, when and where, the lines and totals, the credit
//! terms and the due date of each instalment. An invoice cannot be issued without credit terms.

use crate::currency::Currency;
use crate::fingerprint::Fingerprint;
use crate::ids::{CustomerCode, InvoiceNumber};
use crate::money::Money;
use crate::quantity::{Quantity, round_half_up_div};
use crate::terms::{Instalment, PaymentTerms};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An invoice asks for money; a credit note gives it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceKind {
    Invoice,
    CreditNote,
}

/// Where an issued invoice is in its life. Whether it is paid follows from its open balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Issued but not yet sent to the customer: the engine will ask for it to be sent today.
    Issued,
    Sent,
    /// Cancelled (voided): never chased.
    Cancelled,
}

impl InvoiceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::CreditNote => "credit_note",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Invoice, Self::CreditNote].into_iter().find(|kind| kind.as_str() == text)
    }
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Sent => "sent",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Issued, Self::Sent, Self::Cancelled].into_iter().find(|status| status.as_str() == text)
    }
}

/// One line: what was supplied, how much, at what price and VAT rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: Quantity,
    pub unit_price_minor: i64,
    /// VAT/tax rate in basis points: 2100 is 21 %.
    pub tax_rate_basis_points: u32,
}

impl InvoiceLine {
    /// quantity × unit price, rounded to the minor unit; `None` on overflow.
    pub fn net_minor(&self) -> Option<i64> {
        self.quantity.times_minor(self.unit_price_minor)
    }
}

/// An invoice as it arrives from a file or a form, before it is checked and issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    pub number: InvoiceNumber,
    pub customer: CustomerCode,
    pub kind: InvoiceKind,
    pub issue_date: NaiveDate,
    pub supply_from: Option<NaiveDate>,
    pub supply_to: Option<NaiveDate>,
    pub delivery_place: Option<String>,
    pub currency: Currency,
    pub lines: Vec<InvoiceLine>,
    pub terms: Option<PaymentTerms>,
    pub sent_on: Option<NaiveDate>,
}

/// What is still unpaid of each of `instalments` (adding up to `gross`) when `open` is left:
/// payments go to the earliest first. Paid instalments are left out.
pub fn unpaid_instalments(instalments: &[Instalment], gross: Money, open: Money) -> Vec<Instalment> {
    let mut paid = gross.amount_minor() - open.amount_minor();
    let mut unpaid = Vec::new();
    for instalment in instalments {
        let covered = paid.clamp(0, instalment.amount.amount_minor());
        paid -= covered;
        let left = instalment.amount.amount_minor() - covered;
        if left > 0 {
            unpaid.push(Instalment { due_date: instalment.due_date, amount: Money::new(left, open.currency()) });
        }
    }
    unpaid
}

/// The due date of the first unpaid instalment, and what is owed on `day`: the unpaid part of
/// the instalments due by then, or of the next one when none is due yet. `None` when nothing is
/// unpaid.
pub fn owed_on(instalments: &[Instalment], gross: Money, open: Money, day: NaiveDate) -> Option<(NaiveDate, Money)> {
    let unpaid = unpaid_instalments(instalments, gross, open);
    let first = unpaid.first()?;
    let due: i64 = unpaid.iter().filter(|i| i.due_date <= day).map(|i| i.amount.amount_minor()).sum();
    let owed = if due == 0 { first.amount } else { Money::new(due, open.currency()) };
    Some((first.due_date, owed))
}

/// Why `incoming` cannot be imported under a number the books already hold with other content.
/// When the stored document is known (`stored`) and is another document — another customer, issue
/// date or kind — the reason says both, since numbering that restarts each year or per series
/// (Italy, Spain) gives two documents one number; otherwise the document was changed after it was
/// issued, which a credit note corrects.
pub fn number_taken_reason(incoming: &Invoice, stored: Option<&Invoice>) -> String {
    let number = &incoming.number;
    let describe = |i: &Invoice| {
        let kind = match i.kind {
            InvoiceKind::Invoice => "an invoice",
            InvoiceKind::CreditNote => "a credit note",
        };
        format!("{kind} of {} to {}", i.issue_date, i.customer)
    };
    let year = incoming.issue_date.format("%Y");
    match stored {
        Some(stored)
            if stored.customer != incoming.customer
                || stored.issue_date != incoming.issue_date
                || stored.kind != incoming.kind =>
        {
            format!(
                "number {number} is already {} in the books, and this is {}: each document needs its own number; \
                 where numbering restarts each year or per series, import it with the year or series in the \
                 number (e.g. {year}/{number})",
                describe(stored),
                describe(incoming)
            )
        }
        Some(_) => format!(
            "invoice {number} was already imported with different content; issue a credit note and a new invoice \
             instead of changing it"
        ),
        None => format!(
            "invoice {number} was already imported with different content; issue a credit note and a new invoice \
             instead of changing it (if this is another document that shares the number, import it with the year or \
             series in the number, e.g. {year}/{number})"
        ),
    }
}

/// Net, tax and gross amounts of an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub net: Money,
    pub tax: Money,
    pub gross: Money,
}

impl Totals {
    /// What lies between net + tax and the amount payable (`gross`): an amount prepaid, a tax
    /// withheld (ritenuta, IRPF), split-payment VAT the buyer pays to the state, or rounding, as
    /// the e-invoice states it; `None` when net + tax is the amount payable.
    pub fn adjustment(&self) -> Option<Money> {
        let with_tax = self.net.checked_add(self.tax).ok()?;
        with_tax.checked_sub(self.gross).ok().filter(|difference| !difference.is_zero())
    }
}

/// An issued invoice or credit note: it has terms, totals and due dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub number: InvoiceNumber,
    pub customer: CustomerCode,
    pub kind: InvoiceKind,
    pub issue_date: NaiveDate,
    pub supply_from: Option<NaiveDate>,
    pub supply_to: Option<NaiveDate>,
    pub delivery_place: Option<String>,
    pub currency: Currency,
    pub lines: Vec<InvoiceLine>,
    pub terms: PaymentTerms,
    pub totals: Totals,
    pub instalments: Vec<Instalment>,
    pub status: InvoiceStatus,
    pub sent_on: Option<NaiveDate>,
    /// For a credit note: the invoice it corrects, when the file says (a `corrects` column, the
    /// reference an e-invoice gives); it is then applied to that invoice first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<InvoiceNumber>,
    /// The structured reference the customer is asked to quote when paying (RF, Belgian
    /// structured communication, Finnish, Swiss QR, KID — see `structured_reference`), as its
    /// e-invoice states it (UBL `PaymentMeans/PaymentID`, CII `PaymentReference`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_reference: Option<String>,
}

/// Why a draft cannot be issued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IssueError {
    #[error("invoice {number} has no payment terms: every invoice must state its credit terms (e.g. \"Net 30\")")]
    MissingTerms { number: InvoiceNumber },
    #[error("invoice {number} has no lines: say what was supplied")]
    NoLines { number: InvoiceNumber },
    #[error("invoice {number}: the supply period ends ({to}) before it starts ({from})")]
    SupplyPeriodReversed { number: InvoiceNumber, from: NaiveDate, to: NaiveDate },
    #[error("invoice {number}: sent on {sent_on}, before it was issued on {issue_date}")]
    SentBeforeIssued { number: InvoiceNumber, sent_on: NaiveDate, issue_date: NaiveDate },
    #[error("invoice {number}: its total is larger than overdue accepts for one amount (100 billion euros)")]
    Overflow { number: InvoiceNumber },
    #[error("invoice {number}: the total is negative; issue a credit note instead")]
    NegativeTotal { number: InvoiceNumber },
}

impl InvoiceDraft {
    /// Checks the draft and issues it: totals are computed and due dates set from the terms.
    pub fn issue(self) -> Result<Invoice, IssueError> {
        let number = self.number.clone();
        let terms = self.terms.clone().ok_or_else(|| IssueError::MissingTerms { number: number.clone() })?;
        self.check_dates()?;
        if self.lines.is_empty() {
            return Err(IssueError::NoLines { number });
        }
        let totals = compute_totals(&self.lines, self.currency)
            .filter(|t| {
                [t.net, t.tax, t.gross].iter().all(|m| m.amount_minor().abs() <= crate::money::AMOUNT_MINOR_MAX)
            })
            .ok_or_else(|| IssueError::Overflow { number: number.clone() })?;
        if totals.gross.is_negative() {
            return Err(IssueError::NegativeTotal { number });
        }
        let delivery = self.supply_to.or(self.supply_from);
        let instalments = terms.schedule(self.issue_date, delivery, totals.gross);
        let status = if self.sent_on.is_some() { InvoiceStatus::Sent } else { InvoiceStatus::Issued };
        Ok(Invoice {
            number: self.number,
            customer: self.customer,
            kind: self.kind,
            issue_date: self.issue_date,
            supply_from: self.supply_from,
            supply_to: self.supply_to,
            delivery_place: self.delivery_place,
            currency: self.currency,
            lines: self.lines,
            terms,
            totals,
            instalments,
            status,
            sent_on: self.sent_on,
            corrects: None,
            payment_reference: None,
        })
    }

    fn check_dates(&self) -> Result<(), IssueError> {
        let number = || self.number.clone();
        if let (Some(from), Some(to)) = (self.supply_from, self.supply_to)
            && to < from
        {
            return Err(IssueError::SupplyPeriodReversed { number: number(), from, to });
        }
        match self.sent_on {
            Some(sent_on) if sent_on < self.issue_date => {
                Err(IssueError::SentBeforeIssued { number: number(), sent_on, issue_date: self.issue_date })
            }
            _ => Ok(()),
        }
    }
}

/// Net is the sum of line amounts; tax is computed once per rate on the net of that rate and
/// rounded half-up to the minor unit (as VAT is declared); gross is net + tax.
pub fn compute_totals(lines: &[InvoiceLine], currency: Currency) -> Option<Totals> {
    let mut net_by_rate: BTreeMap<u32, i64> = BTreeMap::new();
    for line in lines {
        let entry = net_by_rate.entry(line.tax_rate_basis_points).or_default();
        *entry = entry.checked_add(line.net_minor()?)?;
    }
    let mut net: i64 = 0;
    let mut tax: i64 = 0;
    for (rate, rate_net) in net_by_rate {
        net = net.checked_add(rate_net)?;
        let rate_tax = round_half_up_div(i128::from(rate_net) * i128::from(rate), 10_000);
        tax = tax.checked_add(i64::try_from(rate_tax).ok()?)?;
    }
    let gross = net.checked_add(tax)?;
    Some(Totals { net: Money::new(net, currency), tax: Money::new(tax, currency), gross: Money::new(gross, currency) })
}

impl Invoice {
    /// The first due date (of the first instalment): when money first falls due, which is what
    /// ordering and allocation go by. `instalments` holds every due date.
    pub fn due_date(&self) -> NaiveDate {
        self.instalments.first().map_or(self.issue_date, |instalment| instalment.due_date)
    }

    /// What is still unpaid of each instalment when `open` is left of the invoice: payments go
    /// to the earliest instalments first. Paid instalments are left out.
    pub fn unpaid_instalments(&self, open: Money) -> Vec<Instalment> {
        unpaid_instalments(&self.instalments, self.totals.gross, open)
    }

    /// What is owed on `day`: the unpaid part of the instalments due by then, or of the next
    /// one when none is due yet (what a reminder before the due date is about).
    pub fn due_by(&self, open: Money, day: NaiveDate) -> Money {
        owed_on(&self.instalments, self.totals.gross, open, day).map_or(open, |(_, owed)| owed)
    }

    /// What the customer owes on it when nothing is paid: the gross for an invoice, minus the
    /// gross for a credit note (a credit in the customer's favour).
    pub fn amount_due(&self) -> Money {
        match self.kind {
            InvoiceKind::Invoice => self.totals.gross,
            InvoiceKind::CreditNote => self.totals.gross.negate(),
        }
    }

    /// A fingerprint of the invoice's content: importing the same number with another
    /// fingerprint is a conflict, with the same one it is "unchanged".
    pub fn fingerprint(&self) -> i64 {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut print = Fingerprint::default()
            .text(self.number.as_str())
            .text(self.customer.as_str())
            .text(self.kind.as_str())
            .text(&self.issue_date.to_string())
            .text(&date(self.supply_from))
            .text(&date(self.supply_to))
            .text(self.delivery_place.as_deref().unwrap_or(""))
            .text(self.currency.code())
            .text(&self.terms.to_string());
        for line in &self.lines {
            print = print
                .text(&line.description)
                .number(line.quantity.milli())
                .number(line.unit_price_minor)
                .number(i64::from(line.tax_rate_basis_points));
        }
        print.finish()
    }
}

#[cfg(test)]
mod tests;
