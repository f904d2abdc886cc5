//! Payment habits measured from a customer's own history: how many invoices they paid in the
//! last year, how many late and by how much, how many promises they broke. Habitual late payers
//! are switched to payment in advance — by evidence, never by a guess.

use crate::policy::HabitRule;
use crate::terms::Instalment;
use chrono::NaiveDate;
use serde::Serialize;

/// Days that count as "the last year" of history.
pub const HISTORY_DAYS: i64 = 365;

/// What a customer's history shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PaymentHabits {
    pub invoices_paid: u32,
    pub paid_late: u32,
    /// Days late summed over the late invoices.
    pub days_late_total: i64,
    pub broken_promises: u32,
}

impl PaymentHabits {
    /// Adds one invoice fully paid on `paid_on` that was due on `due`.
    pub fn record_paid(&mut self, due: NaiveDate, paid_on: NaiveDate) {
        self.invoices_paid += 1;
        let late = (paid_on - due).num_days();
        if late > 0 {
            self.paid_late += 1;
            self.days_late_total += late;
        }
    }

    /// Adds one invoice paid in full in instalments: each instalment is judged by its own due
    /// date (paid on the day the payments, earliest first, covered it), and the invoice counts
    /// once, as late as its latest instalment was.
    pub fn record_paid_in_instalments(&mut self, instalments: &[Instalment], payments: &[(NaiveDate, i64)]) {
        self.invoices_paid += 1;
        let late = instalment_days_late(instalments, payments);
        if late > 0 {
            self.paid_late += 1;
            self.days_late_total += late;
        }
    }

    /// Share of paid invoices paid late, in percent (0 with no history).
    pub fn late_share_percent(&self) -> u32 {
        (self.paid_late * 100).checked_div(self.invoices_paid).unwrap_or(0)
    }

    /// Average days late over the invoices paid late.
    pub fn average_days_late(&self) -> i64 {
        self.days_late_total.checked_div(i64::from(self.paid_late)).unwrap_or(0)
    }

    /// Paid late before or broke a promise: no longer a first lapse.
    pub fn is_repeat_offender(&self) -> bool {
        self.paid_late > 0 || self.broken_promises > 0
    }

    /// Why this customer should pay in advance, if the rule says so.
    pub fn prepayment_reason(&self, rule: &HabitRule) -> Option<String> {
        if self.invoices_paid >= rule.min_paid_invoices.max(1)
            && self.late_share_percent() >= rule.late_share_percent
            && self.average_days_late() >= i64::from(rule.min_average_days_late)
        {
            return Some(format!(
                "paid {} of their last {} invoices late, {} days late on average",
                self.paid_late,
                self.invoices_paid,
                self.average_days_late()
            ));
        }
        if rule.broken_promises > 0 && self.broken_promises >= rule.broken_promises {
            return Some(format!("broke {} promises to pay", self.broken_promises));
        }
        None
    }
}

/// How many days the latest of `instalments` was paid after its own due date (0: all on time),
/// given the payments applied to the invoice (day, amount in minor units) in any order: the
/// payments fill the instalments earliest first. An instalment never covered counts from its due
/// date to the last payment.
pub fn instalment_days_late(instalments: &[Instalment], payments: &[(NaiveDate, i64)]) -> i64 {
    let mut payments = payments.to_vec();
    payments.sort_by_key(|(day, _)| *day);
    let last_day = payments.last().map(|(day, _)| *day);
    let (mut paid_minor, mut next) = (0i64, 0usize);
    let mut owed_minor = 0i64;
    let mut latest = 0i64;
    for instalment in instalments {
        owed_minor = owed_minor.saturating_add(instalment.amount.amount_minor());
        while paid_minor < owed_minor && next < payments.len() {
            paid_minor = paid_minor.saturating_add(payments[next].1);
            next += 1;
        }
        let covered_on = if paid_minor >= owed_minor && next > 0 { Some(payments[next - 1].0) } else { last_day };
        if let Some(day) = covered_on {
            latest = latest.max(day.signed_duration_since(instalment.due_date).num_days());
        }
    }
    latest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_instalment_is_judged_by_its_own_due_date() {
        let day = |text| crate::date::parse_iso(text).unwrap();
        let eur = |minor| crate::money::Money::new(minor, crate::Currency::EUR);
        let instalments = [
            Instalment { due_date: day("2026-04-01"), amount: eur(610_00) },
            Instalment { due_date: day("2026-05-01"), amount: eur(610_00) },
        ];
        let on_time = [(day("2026-04-29"), 610_00), (day("2026-03-30"), 610_00)];
        assert_eq!(instalment_days_late(&instalments, &on_time), 0, "both two days early, in any order");
        let second_late = [(day("2026-03-30"), 610_00), (day("2026-05-11"), 610_00)];
        assert_eq!(instalment_days_late(&instalments, &second_late), 10);
        let one_payment_late = [(day("2026-04-06"), 1_220_00)];
        assert_eq!(instalment_days_late(&instalments, &one_payment_late), 5, "the first instalment was 5 days late");
        let mut habits = PaymentHabits::default();
        habits.record_paid_in_instalments(&instalments, &on_time);
        assert_eq!((habits.invoices_paid, habits.paid_late), (1, 0));
        assert!(!habits.is_repeat_offender());
    }

    #[test]
    fn eight_of_ten_paid_late_calls_for_prepayment_but_two_of_ten_does_not() {
        let due = crate::date::parse_iso("2026-01-31").unwrap();
        let history = |late: usize| {
            let mut habits = PaymentHabits::default();
            for i in 0..10 {
                let delay = if i < late { 20 } else { -2 };
                habits.record_paid(due, crate::date::add_days(due, delay));
            }
            habits
        };
        let reason = history(8).prepayment_reason(&HabitRule::default()).unwrap();
        assert_eq!(reason, "paid 8 of their last 10 invoices late, 20 days late on average");
        assert_eq!(history(2).prepayment_reason(&HabitRule::default()), None);
        assert!(history(2).is_repeat_offender());
        let mut barely = PaymentHabits::default();
        for _ in 0..10 {
            barely.record_paid(due, crate::date::add_days(due, 2));
        }
        assert_eq!(barely.prepayment_reason(&HabitRule::default()), None, "two days late is not a habit");
        assert!(!history(0).is_repeat_offender());
    }

    #[test]
    fn a_short_history_is_not_judged_unless_promises_were_broken() {
        let mut habits = PaymentHabits::default();
        let due = crate::date::parse_iso("2026-01-31").unwrap();
        habits.record_paid(due, crate::date::add_days(due, 30));
        assert_eq!(habits.prepayment_reason(&HabitRule::default()), None);
        habits.broken_promises = 3;
        assert_eq!(habits.prepayment_reason(&HabitRule::default()).unwrap(), "broke 3 promises to pay");
    }
}
