//! Payments received and their allocation to open invoices. A payment that names an invoice
//! pays that invoice first; one that names none pays the oldest due first; whatever is left is
//! kept as the customer's credit, never lost and never invented.

use crate::ids::{CustomerCode, InvoiceNumber, PaymentReference};
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the money arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Transfer,
    Card,
    Cheque,
    Cash,
    DirectDebit,
    Other,
    /// Not money: a credit note the business issued, applied like a payment to what the
    /// customer owes (its reference is `credit-note:NUMBER`).
    CreditNote,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 6] =
        [Self::Transfer, Self::Card, Self::Cheque, Self::Cash, Self::DirectDebit, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transfer => "transfer",
            Self::Card => "card",
            Self::Cheque => "cheque",
            Self::Cash => "cash",
            Self::DirectDebit => "direct_debit",
            Self::Other => "other",
            Self::CreditNote => "credit_note",
        }
    }

    /// Accepts the stored names and a few everyday synonyms (`bank transfer`, `check`, `sepa dd`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Some(match text.as_str() {
            "transfer" | "bank_transfer" | "wire" | "sepa" | "transferencia" | "bonifico" => Self::Transfer,
            "card" | "credit_card" | "online" | "tarjeta" | "carta" => Self::Card,
            "cheque" | "check" | "assegno" => Self::Cheque,
            "cash" | "efectivo" | "contanti" => Self::Cash,
            "direct_debit" | "sepa_dd" | "dd" | "domiciliacion" | "riba" | "rid" | "sdd" => Self::DirectDebit,
            "other" => Self::Other,
            "credit_note" => Self::CreditNote,
            _ => return None,
        })
    }
}

/// A payment received from a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub reference: PaymentReference,
    pub customer: CustomerCode,
    pub date: NaiveDate,
    pub amount: Money,
    pub method: PaymentMethod,
    /// The invoice the payer said it pays, if they said.
    pub invoice: Option<InvoiceNumber>,
}

/// An invoice with money still owed on it, as allocation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    pub invoice_id: i64,
    pub number: InvoiceNumber,
    pub due_date: NaiveDate,
    pub open: Money,
}

/// A part of a payment applied to one invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allocation {
    pub invoice_id: i64,
    pub amount: Money,
    /// An early-payment discount taken with it, written off the invoice (zero when none).
    pub discount: Money,
}

/// How one payment is spread over the customer's open invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationPlan {
    pub allocations: Vec<Allocation>,
    /// What is left over: kept as the customer's credit (an over-payment).
    pub unallocated: Money,
}

/// Allocates `payment` to `open_items`. With a named invoice, only that invoice is paid (the
/// payer said what it is for; the rest is their credit). Otherwise the oldest due is paid first.
/// Items in another currency are never touched.
pub fn allocate(payment: Money, named: Option<&InvoiceNumber>, open_items: &[OpenItem]) -> AllocationPlan {
    let mut candidates: Vec<&OpenItem> = open_items
        .iter()
        .filter(|item| item.open.currency() == payment.currency() && item.open.is_positive())
        .filter(|item| named.is_none_or(|number| &item.number == number))
        .collect();
    candidates.sort_by_key(|item| (item.due_date, item.invoice_id));
    let mut remaining = payment.amount_minor().max(0);
    let mut allocations = Vec::new();
    for item in candidates {
        if remaining == 0 {
            break;
        }
        let applied = remaining.min(item.open.amount_minor());
        allocations.push(Allocation {
            invoice_id: item.invoice_id,
            amount: Money::new(applied, payment.currency()),
            discount: Money::zero(payment.currency()),
        });
        remaining -= applied;
    }
    let unallocated = payment.amount_minor() - allocations.iter().map(|a| a.amount.amount_minor()).sum::<i64>();
    AllocationPlan { allocations, unallocated: Money::new(unallocated, payment.currency()) }
}

/// A payment of `amount` on `paid_on` for the one open `item` it names, settling it when it is the
/// item's early-payment price (`until`, `price`: the terms' cash discount on an invoice nothing
/// has paid yet) paid in time: the difference is the discount, written off. The customer may
/// round the discount either way, so a minor unit either side of the price counts
/// ([`crate::terms::EARLY_PRICE_ROUNDING_MINOR`]). `None` when it is not that.
pub fn settle_at_early_price(
    amount: Money,
    paid_on: NaiveDate,
    item: &OpenItem,
    (until, price): (NaiveDate, Money),
) -> Option<AllocationPlan> {
    let short = item.open.amount_minor() - amount.amount_minor();
    let rounding = (price.amount_minor() - amount.amount_minor()).abs();
    let fits = paid_on <= until && rounding <= crate::terms::EARLY_PRICE_ROUNDING_MINOR && short > 0;
    fits.then(|| AllocationPlan {
        allocations: vec![Allocation {
            invoice_id: item.invoice_id,
            amount,
            discount: Money::new(short, amount.currency()),
        }],
        unallocated: Money::zero(amount.currency()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::currency::Currency;

    fn item(id: i64, due_day: u32, open_minor: i64) -> OpenItem {
        OpenItem {
            invoice_id: id,
            number: InvoiceNumber::parse(&format!("F-{id}")).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 3, due_day).unwrap(),
            open: Money::new(open_minor, Currency::EUR),
        }
    }

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::EUR)
    }

    #[test]
    fn an_unnamed_payment_pays_the_oldest_due_first() {
        let items = [item(1, 20, 100_00), item(2, 10, 50_00), item(3, 30, 70_00)];
        let plan = allocate(eur(120_00), None, &items);
        assert_eq!(
            plan.allocations,
            vec![
                Allocation { invoice_id: 2, amount: eur(50_00), discount: eur(0) },
                Allocation { invoice_id: 1, amount: eur(70_00), discount: eur(0) },
            ]
        );
        assert!(plan.unallocated.is_zero());
    }

    #[test]
    fn a_named_invoice_is_paid_and_the_excess_becomes_credit() {
        let items = [item(1, 10, 100_00), item(2, 20, 50_00)];
        let plan = allocate(eur(80_00), Some(&InvoiceNumber::parse("F-2").unwrap()), &items);
        assert_eq!(plan.allocations, vec![Allocation { invoice_id: 2, amount: eur(50_00), discount: eur(0) }]);
        assert_eq!(plan.unallocated, eur(30_00));
    }

    #[test]
    fn a_partial_payment_leaves_the_rest_open() {
        let plan = allocate(eur(30_00), None, &[item(1, 10, 100_00)]);
        assert_eq!(plan.allocations, vec![Allocation { invoice_id: 1, amount: eur(30_00), discount: eur(0) }]);
        assert!(plan.unallocated.is_zero());
    }

    #[test]
    fn other_currencies_are_never_paid() {
        let mut gbp = item(1, 10, 100_00);
        gbp.open = Money::new(100_00, Currency::GBP);
        let plan = allocate(eur(10_00), None, &[gbp]);
        assert!(plan.allocations.is_empty());
        assert_eq!(plan.unallocated, eur(10_00));
    }

    #[test]
    fn payment_methods_accept_everyday_words() {
        assert_eq!(PaymentMethod::parse("Bank transfer"), Some(PaymentMethod::Transfer));
        assert_eq!(PaymentMethod::parse("check"), Some(PaymentMethod::Cheque));
        assert_eq!(PaymentMethod::parse("direct-debit"), Some(PaymentMethod::DirectDebit));
        assert_eq!(PaymentMethod::parse("bitcoin"), None);
    }

    proptest::proptest! {
        #[test]
        fn allocation_never_creates_or_loses_money(
            amount in 0i64..1_000_000,
            opens in proptest::collection::vec(0i64..500_000, 0..8),
        ) {
            let items: Vec<OpenItem> = opens.iter().enumerate().map(|(i, o)| item(i as i64, 1 + i as u32, *o)).collect();
            let plan = allocate(eur(amount), None, &items);
            let applied: i64 = plan.allocations.iter().map(|a| a.amount.amount_minor()).sum();
            proptest::prop_assert_eq!(applied + plan.unallocated.amount_minor(), amount);
            for allocation in &plan.allocations {
                let open = items.iter().find(|i| i.invoice_id == allocation.invoice_id).unwrap().open.amount_minor();
                proptest::prop_assert!(allocation.amount.amount_minor() <= open);
            }
        }
    }
}
