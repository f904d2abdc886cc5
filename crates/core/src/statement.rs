//! A statement of account: for one customer and a period, what they owed when it began (the
//! opening balance), each invoice, credit note, payment and returned payment in it with the
//! balance after each (the running balance), and what they owe at its end (the closing
//! balance) — one account per currency, never added together. A positive balance is owed to
//! us; a negative one is the customer's credit.

use crate::currency::Currency;
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// What moved the balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MovementKind {
    /// An invoice issued: owed more.
    Invoice,
    /// A credit note issued: owed less.
    CreditNote,
    /// A payment received: owed less.
    Payment,
    /// A payment the bank took back (a returned direct debit, a reversed transfer): owed again.
    PaymentReturned,
}

/// One movement of the customer's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Movement {
    pub on: NaiveDate,
    pub kind: MovementKind,
    /// The invoice or credit note number, or the payment's reference.
    pub document: String,
    /// An invoice's due date.
    pub due_date: Option<NaiveDate>,
    /// How much, always positive: its kind says which way it moves the balance.
    pub amount: Money,
}

impl Movement {
    /// The change to what is owed, in minor units: positive for an invoice or a returned payment.
    pub fn signed_minor(&self) -> i64 {
        match self.kind {
            MovementKind::Invoice | MovementKind::PaymentReturned => self.amount.amount_minor(),
            MovementKind::CreditNote | MovementKind::Payment => -self.amount.amount_minor(),
        }
    }
}

/// One line of the statement: a movement and the balance after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementLine {
    pub movement: Movement,
    pub balance: Money,
}

/// The account in one currency over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrencyAccount {
    pub currency: Currency,
    /// What was owed at the end of the day before the period began.
    pub opening: Money,
    pub lines: Vec<StatementLine>,
    /// What is owed at the end of the period's last day.
    pub closing: Money,
}

/// A customer's statement of account from `from` to `to` (both included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One per currency the customer ever moved by `to`, in the order first met.
    pub accounts: Vec<CurrencyAccount>,
}

/// Why a statement cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatementError {
    #[error("the period ends on {to}, before it begins on {from}")]
    EndsBeforeItBegins { from: NaiveDate, to: NaiveDate },
    #[error("the balance in {currency} is beyond what the books can hold")]
    Overflow { currency: Currency },
}

/// The statement for the period `from`..=`to` from every `movements` of the customer (any order;
/// those after `to` are left out; movements of one day keep their given order). A customer with
/// no movement at all gets one account in `home` (their currency), opening and closing at zero:
/// a statement always shows its balance.
///
/// Errors: [`StatementError::EndsBeforeItBegins`]; [`StatementError::Overflow`].
pub fn statement(
    movements: &[Movement],
    (from, to): (NaiveDate, NaiveDate),
    home: Currency,
) -> Result<Statement, StatementError> {
    if to < from {
        return Err(StatementError::EndsBeforeItBegins { from, to });
    }
    let mut sorted: Vec<&Movement> = movements.iter().filter(|m| m.on <= to).collect();
    sorted.sort_by_key(|m| m.on);
    let mut accounts: Vec<CurrencyAccount> = Vec::new();
    for movement in sorted {
        let currency = movement.amount.currency();
        let index = match accounts.iter().position(|a| a.currency == currency) {
            Some(index) => index,
            None => {
                let zero = Money::zero(currency);
                accounts.push(CurrencyAccount { currency, opening: zero, lines: Vec::new(), closing: zero });
                accounts.len() - 1
            }
        };
        let account = &mut accounts[index];
        let closing = account
            .closing
            .amount_minor()
            .checked_add(movement.signed_minor())
            .ok_or(StatementError::Overflow { currency })?;
        account.closing = Money::new(closing, currency);
        if movement.on < from {
            account.opening = account.closing;
        } else {
            account.lines.push(StatementLine { movement: movement.clone(), balance: account.closing });
        }
    }
    if accounts.is_empty() {
        let zero = Money::zero(home);
        accounts.push(CurrencyAccount { currency: home, opening: zero, lines: Vec::new(), closing: zero });
    }
    Ok(Statement { from, to, accounts })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    fn moved(on: &str, kind: MovementKind, document: &str, minor: i64, currency: &str) -> Movement {
        let currency = Currency::from_code(currency).expect("a currency");
        Movement { on: day(on), kind, document: document.into(), due_date: None, amount: Money::new(minor, currency) }
    }

    #[test]
    fn the_running_balance_starts_from_the_opening_and_ends_at_the_closing_per_currency() {
        use MovementKind::*;
        let movements = [
            moved("2026-10-05", Invoice, "F-1", 1210_00, "EUR"),
            moved("2026-10-20", Payment, "TR-1", 500_00, "EUR"),
            moved("2026-11-03", Invoice, "F-2", 363_00, "EUR"),
            moved("2026-11-04", Invoice, "UK-1", 200_00, "GBP"),
            moved("2026-11-10", CreditNote, "NC-1", 121_00, "EUR"),
            moved("2026-11-12", Payment, "TR-2", 710_00, "EUR"),
            moved("2026-11-20", PaymentReturned, "TR-2", 710_00, "EUR"),
            moved("2026-12-02", Payment, "TR-3", 100_00, "EUR"),
        ];
        let statement =
            statement(&movements, (day("2026-11-01"), day("2026-11-30")), Currency::EUR).expect("a statement");
        let eur = &statement.accounts[0];
        assert_eq!(eur.opening.to_string(), "EUR 710.00", "what October left open");
        let balances: Vec<String> = eur.lines.iter().map(|l| l.balance.to_string()).collect();
        assert_eq!(balances, ["EUR 1073.00", "EUR 952.00", "EUR 242.00", "EUR 952.00"]);
        assert_eq!(eur.closing.to_string(), "EUR 952.00", "December's payment is not in November");
        let gbp = &statement.accounts[1];
        assert_eq!((gbp.opening.to_string(), gbp.closing.to_string()), ("GBP 0.00".into(), "GBP 200.00".into()));
    }

    #[test]
    fn a_customer_paid_beyond_what_they_owe_is_in_credit_and_a_period_must_not_end_before_it_begins() {
        let movements = [
            moved("2026-11-02", MovementKind::Invoice, "F-1", 100_00, "EUR"),
            moved("2026-11-09", MovementKind::Payment, "TR-1", 150_00, "EUR"),
        ];
        let statement =
            statement(&movements, (day("2026-11-01"), day("2026-11-30")), Currency::EUR).expect("a statement");
        assert_eq!(statement.accounts[0].closing.amount_minor(), -50_00);
        // no movement at all: one account in the customer's currency, at zero
        let empty = super::statement(&[], (day("2026-11-01"), day("2026-11-30")), Currency::GBP).expect("a statement");
        let only = &empty.accounts[..];
        assert_eq!(only.len(), 1);
        assert_eq!(
            (only[0].currency, only[0].opening.amount_minor(), only[0].closing.amount_minor()),
            (Currency::GBP, 0, 0)
        );
        assert_eq!(
            super::statement(&movements, (day("2026-11-30"), day("2026-11-01")), Currency::EUR),
            Err(StatementError::EndsBeforeItBegins { from: day("2026-11-30"), to: day("2026-11-01") })
        );
    }
}
