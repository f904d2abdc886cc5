//! A statement of account as a message states it: the period, and per currency the opening
//! balance, each movement with the balance after it, and the closing balance — every figure
//! written as the customer's language writes numbers, every day in a table's short form.

use crate::facts::{number, short_date};
use overdue_core::ids::Language;
use overdue_core::statement::{MovementKind, Statement};
use serde::Serialize;

/// The statement a template sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementFacts {
    /// The first and last day of the period, in the table's short form.
    pub from: String,
    pub to: String,
    pub accounts: Vec<AccountFacts>,
}

/// The account in one currency: amounts are numbers without the currency, which `currency`
/// names once (a table's columns stay narrow).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountFacts {
    /// The ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    pub opening: String,
    pub lines: Vec<LineFacts>,
    pub closing: String,
    /// The closing balance is the customer's credit (negative).
    pub in_credit: bool,
}

/// One movement: its day, kind (`invoice`, `credit_note`, `payment`, `payment_returned`), the
/// document or reference, the amount in the debit or the credit column (the other empty), and
/// the balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineFacts {
    pub date: String,
    pub kind: MovementKind,
    pub document: String,
    pub due_date: Option<String>,
    pub debit: String,
    pub credit: String,
    pub balance: String,
}

impl StatementFacts {
    /// `statement` written out in `language`.
    pub fn new(statement: &Statement, language: Language) -> Self {
        let accounts = statement
            .accounts
            .iter()
            .map(|account| AccountFacts {
                currency: account.currency.code().to_owned(),
                opening: number(account.opening, language),
                closing: number(account.closing, language),
                in_credit: account.closing.amount_minor() < 0,
                lines: account
                    .lines
                    .iter()
                    .map(|line| {
                        let moved = &line.movement;
                        let amount = number(moved.amount, language);
                        let owed_more = moved.signed_minor() > 0;
                        LineFacts {
                            date: short_date(moved.on, language),
                            kind: moved.kind,
                            document: moved.document.clone(),
                            due_date: moved.due_date.map(|d| short_date(d, language)),
                            debit: if owed_more { amount.clone() } else { String::new() },
                            credit: if owed_more { String::new() } else { amount },
                            balance: number(line.balance, language),
                        }
                    })
                    .collect(),
            })
            .collect();
        StatementFacts { from: short_date(statement.from, language), to: short_date(statement.to, language), accounts }
    }
}
