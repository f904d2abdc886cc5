//! Why the matcher proposes what it proposes for a bank line, as facts (invoice numbers, amounts,
//! days, how the payer was known), said in English by `Display` and in other languages by the
//! pages. Evidence kept as text before it had facts reads back as [`Evidence::Said`].

use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An invoice the payer quoted, and the reference scheme it was quoted by (`None`: its number,
/// or an RF creditor reference, which names it as such).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotedInvoice {
    pub number: String,
    /// The scheme's name (`structured communication`, …).
    pub scheme: Option<String>,
}

/// One reason behind a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The remittance names these invoices.
    PayerQuotes {
        quoted: Vec<QuotedInvoice>,
    },
    QuotedForDifferentCustomers,
    PaidByTheCustomer,
    PayerNotKnown,
    /// The payer is known, by `how` (`IBAN`, `name`), as another customer.
    PayerIsAnother {
        how: String,
    },
    AlreadyPaid,
    AmountDoesNotFit,
    UnknownPayerMustMatchExactly,
    /// The payer is the customer, known by `how` (`IBAN`, `name`).
    PaidByKnownCustomer {
        how: String,
    },
    NothingOpenCredit,
    /// `count` open invoices are of exactly this amount: the oldest is proposed.
    SeveralOfThisAmount {
        count: usize,
    },
    /// The amount the customer promised on `made_on` to pay by `promised_date`.
    PromisedAmount {
        made_on: NaiveDate,
        promised_date: NaiveDate,
    },
    /// The amount is exactly the sum of `count` open invoices.
    SumOfInvoices {
        count: usize,
    },
    SeveralSetsAddUp,
    PayerUnknownNoReference,
    OnlyInvoiceOfAmount {
        number: String,
    },
    NoInvoiceOfAmount,
    /// Payer unknown, no reference, and `count` open invoices of this amount.
    ManyInvoicesOfAmount {
        count: usize,
    },
    /// It pays invoice `number` less its early-payment `discount`.
    LessDiscount {
        number: String,
        discount: Money,
    },
    /// The amount is exactly what is open.
    Exact {
        owed: Money,
    },
    /// The amount is what is due on the day (`due`) of `owed` open.
    DueOnDay {
        due: Money,
        owed: Money,
    },
    DiscountFits,
    /// `short` less than `owed`, small enough to write off (bank charges).
    SmallDifference {
        short: Money,
        owed: Money,
    },
    /// A part payment, `short` less than `owed`.
    PartPayment {
        short: Money,
        owed: Money,
    },
    /// `excess` more than `owed`: the rest would be the customer's credit.
    OverPayment {
        excess: Money,
        owed: Money,
    },
    MoneyOut,
    OwnPaymentReturned,
    /// Said in words (kept before evidence had facts, or a person's note).
    #[serde(untagged)]
    Said(String),
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = |m: &Money| m.to_decimal_string();
        match self {
            Evidence::PayerQuotes { quoted } => {
                let named: Vec<String> = quoted
                    .iter()
                    .map(|q| match &q.scheme {
                        Some(scheme) => format!("{} (its {scheme})", q.number),
                        None => q.number.clone(),
                    })
                    .collect();
                write!(f, "the payer quotes {}", named.join(", "))
            }
            Evidence::QuotedForDifferentCustomers => f.write_str("the invoices quoted belong to different customers"),
            Evidence::PaidByTheCustomer => f.write_str("paid by the customer"),
            Evidence::PayerNotKnown => f.write_str("the payer is not known as a customer"),
            Evidence::PayerIsAnother { how } => write!(f, "but the payer's {how} belongs to another customer"),
            Evidence::AlreadyPaid => f.write_str("already paid: a second payment of the same invoice?"),
            Evidence::AmountDoesNotFit => f.write_str("the amount does not fit what is due: a person decides"),
            Evidence::UnknownPayerMustMatchExactly => {
                f.write_str("an unknown payer's amount must match exactly to be applied by itself")
            }
            Evidence::PaidByKnownCustomer { how } => write!(f, "paid by the customer (known {how})"),
            Evidence::NothingOpenCredit => f.write_str("nothing open: the customer's credit"),
            Evidence::SeveralOfThisAmount { count } => {
                write!(f, "{count} open invoices of this amount: the oldest is proposed")
            }
            Evidence::PromisedAmount { made_on, promised_date } => {
                write!(f, "the amount it promised on {made_on} to pay by {promised_date}")
            }
            Evidence::SumOfInvoices { count } => {
                write!(f, "the amount is exactly the sum of {count} of its open invoices")
            }
            Evidence::SeveralSetsAddUp => {
                f.write_str("several sets of its open invoices add up to the amount: the oldest is proposed")
            }
            Evidence::PayerUnknownNoReference => f.write_str("payer unknown and no reference"),
            Evidence::OnlyInvoiceOfAmount { number } => {
                write!(f, "{number} is the only open invoice of exactly this amount")
            }
            Evidence::NoInvoiceOfAmount => {
                f.write_str("no reference, payer unknown, and no open invoice of this amount")
            }
            Evidence::ManyInvoicesOfAmount { count } => {
                write!(f, "payer unknown, no reference, and {count} open invoices of this amount")
            }
            Evidence::LessDiscount { number, discount } => {
                write!(f, "pays {number} less the early-payment discount of {}", amount(discount))
            }
            Evidence::Exact { owed } => write!(f, "the amount is exactly what is open ({})", amount(owed)),
            Evidence::DueOnDay { due, owed } => {
                write!(f, "the amount is exactly what is due on the day ({} of the {} open)", amount(due), amount(owed))
            }
            Evidence::DiscountFits => f.write_str("the amount is the invoice less its early-payment discount"),
            Evidence::SmallDifference { short, owed } => write!(
                f,
                "{} short of {}: a small difference (bank charges?), written off",
                amount(short),
                amount(owed)
            ),
            Evidence::PartPayment { short, owed } => {
                write!(f, "a part payment: {} short of {}", amount(short), amount(owed))
            }
            Evidence::OverPayment { excess, owed } => write!(
                f,
                "{} more than the {} open: the excess would be the customer's credit",
                amount(excess),
                amount(owed)
            ),
            Evidence::MoneyOut => f.write_str("money paid out, not a payment received"),
            Evidence::OwnPaymentReturned => {
                f.write_str("the bank returns or reverses one of your own payments: not a customer's payment")
            }
            Evidence::Said(text) => f.write_str(text),
        }
    }
}
