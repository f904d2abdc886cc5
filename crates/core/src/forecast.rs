//! Expected cash: when each open amount is likely to be paid — on the date the customer promised,
//! else at its due date moved by how late this customer usually pays — and what that makes week
//! by week. Amounts in dispute, and amounts already past the date their customer's habits
//! predicted, get no date: a forecast that guessed one would not be true.

use crate::engine::CustomerState;
use crate::habits::PaymentHabits;
use crate::ids::InvoiceNumber;
use crate::money::{Amounts, Money};
use crate::policy::PolicyBook;
use crate::promise::PromiseToPay;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Paid invoices a customer needs in their history before their habits move a prediction.
pub const MIN_PAID_FOR_HABIT: u32 = 3;

/// One open amount to predict: an invoice, or one unpaid instalment of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAmount {
    pub customer: String,
    pub invoice: String,
    pub due_date: NaiveDate,
    pub open: Money,
    /// An open dispute covers the invoice.
    pub disputed: bool,
}

/// A pending promise's part still to come: the amount promised less what was paid since it was
/// made, on its date, for the invoices it names (none: the customer's oldest debts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPromise {
    pub customer: String,
    pub promised_date: NaiveDate,
    pub remaining: Money,
    pub invoices: Vec<String>,
}

/// Why an amount is expected when it is, or why it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The customer promised this date.
    Promise,
    /// The due date moved by the customer's average days late (0 for those who pay on time).
    Habit,
    /// Too little history: the due date.
    DueDate,
    /// Past the date the customer's habits predicted, without a promise: no date is expected.
    PastExpectedDate,
    /// Past its expected date, and the customer broke a promise to pay it: no date is expected,
    /// and it is to be followed up as a broken promise.
    BrokenPromise,
    /// In dispute: not expected until the dispute is resolved.
    Disputed,
}

impl Basis {
    /// The name used in files and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Promise => "promise",
            Self::Habit => "habit",
            Self::DueDate => "due_date",
            Self::PastExpectedDate => "past_expected_date",
            Self::BrokenPromise => "broken_promise",
            Self::Disputed => "disputed",
        }
    }
}

/// When one open amount is expected, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prediction {
    pub customer: String,
    pub invoice: String,
    pub due_date: NaiveDate,
    pub amount: Money,
    /// `None` for amounts in dispute or past their expected date.
    pub expected_on: Option<NaiveDate>,
    pub basis: Basis,
}

/// How many days after the due date a customer usually pays: their days late averaged over every
/// invoice they paid in the last year (on time counts as 0), once they paid
/// [`MIN_PAID_FOR_HABIT`] invoices; `None` before.
pub fn usual_delay_days(habits: &PaymentHabits) -> Option<i64> {
    (habits.invoices_paid >= MIN_PAID_FOR_HABIT).then(|| habits.days_late_total / i64::from(habits.invoices_paid))
}

/// Predicts one customer's open amounts on `as_of`. Pending promises are applied first, each to
/// the invoices it names or else the oldest due, in the promise's currency (a promise dated before
/// `as_of` but still within its grace is expected on `as_of`); the rest goes by habit.
pub fn predict(
    as_of: NaiveDate,
    mut amounts: Vec<OpenAmount>,
    promises: &[PendingPromise],
    usual_delay_days: Option<i64>,
) -> Vec<Prediction> {
    amounts.sort_by_key(|a| a.due_date);
    let mut predictions = Vec::with_capacity(amounts.len());
    let mut left: Vec<i64> = amounts.iter().map(|a| a.open.amount_minor()).collect();
    for promise in promises {
        let mut remaining = promise.remaining.amount_minor();
        for (amount, left) in amounts.iter().zip(left.iter_mut()) {
            let named = promise.invoices.is_empty() || promise.invoices.contains(&amount.invoice);
            if remaining <= 0
                || *left <= 0
                || !named
                || amount.disputed
                || amount.open.currency() != promise.remaining.currency()
            {
                continue;
            }
            let part = remaining.min(*left);
            (remaining, *left) = (remaining - part, *left - part);
            let expected_on = Some(promise.promised_date.max(as_of));
            predictions.push(prediction(amount, part, expected_on, Basis::Promise));
        }
    }
    for (amount, left) in amounts.iter().zip(left) {
        if left != 0 {
            predictions.push(by_habit(as_of, amount, left, usual_delay_days));
        }
    }
    predictions
}

/// Predicts one customer's open amounts from what is known of them on `as_of`: their pending
/// promises (judged with their policy's grace), their open disputes and their habits. `amounts`
/// are their open amounts (the `disputed` flag is set here from the state).
pub fn for_customer(
    as_of: NaiveDate,
    state: &CustomerState,
    book: &PolicyBook,
    mut amounts: Vec<OpenAmount>,
) -> Vec<Prediction> {
    let grace_days = state.policy(book).promise_grace_days;
    for amount in &mut amounts {
        amount.disputed |= state.disputes.iter().any(|d| d.invoice.as_str() == amount.invoice && d.is_open(as_of));
    }
    let promises: Vec<PendingPromise> = state
        .promises
        .iter()
        .filter_map(|record| {
            let promise = &record.promise;
            let remaining = promise.remaining(as_of, grace_days, &state.payments)?;
            Some(PendingPromise {
                customer: state.customer.code.as_str().to_owned(),
                promised_date: promise.promised_date,
                remaining,
                invoices: promise.invoices.iter().map(|n| n.as_str().to_owned()).collect(),
            })
        })
        .collect();
    let broken: Vec<&PromiseToPay> = state
        .promises
        .iter()
        .map(|record| &record.promise)
        .filter(|p| p.made_on <= as_of && p.state(as_of, grace_days, &state.payments).is_broken())
        .collect();
    let mut predictions = predict(as_of, amounts, &promises, usual_delay_days(&state.habits));
    for prediction in &mut predictions {
        let number = InvoiceNumber::parse(&prediction.invoice).ok();
        let promised = number.is_some_and(|n| broken.iter().any(|p| p.covers(&n)));
        if prediction.basis == Basis::PastExpectedDate && promised {
            prediction.basis = Basis::BrokenPromise;
        }
    }
    predictions
}

fn by_habit(as_of: NaiveDate, amount: &OpenAmount, left_minor: i64, usual_delay_days: Option<i64>) -> Prediction {
    if amount.disputed {
        return prediction(amount, left_minor, None, Basis::Disputed);
    }
    let (expected, basis) = match usual_delay_days {
        Some(days) => (crate::date::add_days(amount.due_date, days), Basis::Habit),
        None => (amount.due_date, Basis::DueDate),
    };
    if expected < as_of {
        return prediction(amount, left_minor, None, Basis::PastExpectedDate);
    }
    prediction(amount, left_minor, Some(expected), basis)
}

fn prediction(amount: &OpenAmount, minor: i64, expected_on: Option<NaiveDate>, basis: Basis) -> Prediction {
    Prediction {
        customer: amount.customer.clone(),
        invoice: amount.invoice.clone(),
        due_date: amount.due_date,
        amount: Money::new(minor, amount.open.currency()),
        expected_on,
        basis,
    }
}

/// Expected cash in one week (Monday to Sunday), per currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    pub starts_on: NaiveDate,
    pub expected: Amounts,
}

/// Expected cash week by week, and what the forecast gives no week to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CashForecast {
    /// `weeks` weeks from the Monday of `as_of`'s week.
    pub weeks: Vec<Week>,
    /// Expected after the last week shown.
    pub later: Amounts,
    /// Past the date their customer's habits predicted, with no promise.
    pub past_expected_date: Amounts,
    /// Past their expected date, under a promise to pay the customer broke.
    pub broken_promises: Amounts,
    pub disputed: Amounts,
}

/// Sums predictions into `weeks` weeks starting on the Monday of `as_of`'s week.
pub fn by_week(predictions: &[Prediction], as_of: NaiveDate, weeks: u32) -> CashForecast {
    let first = crate::date::add_days(as_of, -i64::from(as_of.weekday().num_days_from_monday()));
    let mut forecast = CashForecast {
        weeks: (0..weeks)
            .map(|n| Week { starts_on: crate::date::add_days(first, 7 * i64::from(n)), expected: Amounts::default() })
            .collect(),
        ..CashForecast::default()
    };
    for p in predictions {
        let target = match (p.expected_on, p.basis) {
            (None, Basis::Disputed) => &mut forecast.disputed,
            (None, Basis::BrokenPromise) => &mut forecast.broken_promises,
            (None, _) => &mut forecast.past_expected_date,
            (Some(day), _) => {
                let week = usize::try_from((day - first).num_days() / 7).unwrap_or(usize::MAX);
                match forecast.weeks.get_mut(week) {
                    Some(w) => &mut w.expected,
                    None => &mut forecast.later,
                }
            }
        };
        target.add(p.amount);
    }
    forecast
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn d(day: u32, month: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    fn open(invoice: &str, due: NaiveDate, minor: i64) -> OpenAmount {
        OpenAmount {
            customer: "C1".into(),
            invoice: invoice.into(),
            due_date: due,
            open: Money::new(minor, Currency::EUR),
            disputed: false,
        }
    }

    #[test]
    fn habits_move_the_due_date_and_only_after_enough_history() {
        let habits = PaymentHabits { invoices_paid: 4, paid_late: 2, days_late_total: 40, broken_promises: 0 };
        assert_eq!(usual_delay_days(&habits), Some(10));
        assert_eq!(usual_delay_days(&PaymentHabits { invoices_paid: 2, ..habits }), None);
        let p = predict(d(30, 11), vec![open("F1", d(5, 12), 100_00)], &[], Some(10));
        assert_eq!((p[0].expected_on, p[0].basis), (Some(d(15, 12)), Basis::Habit));
    }

    #[test]
    fn a_promise_dates_its_part_and_the_rest_goes_by_habit() {
        let promise = PendingPromise {
            customer: "C1".into(),
            promised_date: d(10, 12),
            remaining: Money::new(150_00, Currency::EUR),
            invoices: vec![],
        };
        let amounts = vec![open("F2", d(20, 12), 100_00), open("F1", d(1, 11), 100_00)];
        let p = predict(d(30, 11), amounts, &[promise], None);
        let got: Vec<_> =
            p.iter().map(|p| (p.invoice.as_str(), p.amount.amount_minor(), p.expected_on, p.basis)).collect();
        assert_eq!(
            got,
            [
                ("F1", 100_00, Some(d(10, 12)), Basis::Promise),
                ("F2", 50_00, Some(d(10, 12)), Basis::Promise),
                ("F2", 50_00, Some(d(20, 12)), Basis::DueDate),
            ],
            "the oldest debt first"
        );
    }

    #[test]
    fn disputed_and_long_overdue_amounts_get_no_date() {
        let mut disputed = open("F3", d(1, 12), 70_00);
        disputed.disputed = true;
        let p = predict(d(30, 11), vec![disputed, open("F4", d(1, 10), 30_00)], &[], Some(5));
        assert_eq!((p[0].expected_on, p[0].basis), (None, Basis::PastExpectedDate));
        assert_eq!((p[1].expected_on, p[1].basis), (None, Basis::Disputed));
        let forecast = by_week(&p, d(30, 11), 4);
        assert_eq!(forecast.disputed.of(Currency::EUR).amount_minor(), 70_00);
        assert_eq!(forecast.past_expected_date.of(Currency::EUR).amount_minor(), 30_00);
        assert!(forecast.weeks.iter().all(|w| w.expected.is_empty()));
    }

    #[test]
    fn weeks_start_on_monday_and_later_takes_the_rest() {
        let p = predict(
            d(2, 12),
            vec![open("F1", d(2, 12), 10_00), open("F2", d(7, 12), 20_00), open("F3", d(28, 12), 30_00)],
            &[],
            None,
        );
        let forecast = by_week(&p, d(2, 12), 2);
        assert_eq!(forecast.weeks[0].starts_on, d(30, 11), "2 December 2026 is a Wednesday");
        assert_eq!(forecast.weeks[0].expected.of(Currency::EUR).amount_minor(), 10_00);
        assert_eq!(forecast.weeks[1].expected.of(Currency::EUR).amount_minor(), 20_00);
        assert_eq!(forecast.later.of(Currency::EUR).amount_minor(), 30_00);
    }
}
