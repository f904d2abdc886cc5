//! Payment habits measured from a customer's own history: how many invoices they paid in the
//! last year, how many late and by how much, how many promises they broke. Habitual late payers
//! are switched to payment in advance — by evidence, never by a guess.

use crate::policy::HabitRule;
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

#[cfg(test)]
mod tests {
    use super::*;

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
