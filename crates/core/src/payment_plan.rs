//! Payment plans: an arrangement for an overdue balance of one or more invoices, paid in
//! instalments on agreed dates. While it is kept the ladder
//! leaves its invoices alone; each instalment is reminded before its date and judged on its own
//! date (plus the policy's grace); a missed instalment breaks the plan for good, and the ladder
//! resumes, firmer. Whether it is kept is never typed in: it is read from what is still open on
//! its invoices.

use crate::date::add_days;
use crate::ids::InvoiceNumber;
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The fewest instalments of a plan: one payment on one date is a promise to pay.
pub const PLAN_INSTALMENTS_MIN: usize = 2;
/// The longest a plan may run, in instalments.
pub const PLAN_INSTALMENTS_MAX: usize = 36;
/// The latest a plan's first instalment may fall, in days after the day it is agreed.
pub const PLAN_FIRST_WITHIN_DAYS: i64 = 92;
/// The latest a plan's last instalment may fall, in months after its first (3 years).
pub const PLAN_SPAN_MONTHS_MAX: u32 = 36;
/// Days before an instalment's date its reminder goes.
pub const PLAN_REMINDER_DAYS: i64 = 3;

/// One instalment of a plan: its date and what is due on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInstalment {
    pub due_date: NaiveDate,
    pub amount: Money,
}

/// A payment plan as agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentPlan {
    /// Its id in the books.
    pub id: i64,
    pub agreed_on: NaiveDate,
    /// The invoices it settles, all in one currency.
    pub invoices: Vec<InvoiceNumber>,
    /// What was open on them the day it was agreed.
    ///
    /// No interest is added on top: what a customer pays beyond the invoices would be booked as
    /// their credit, not as interest. Late-payment interest is claimed as a charge on the invoice
    /// (`overdue interest --charge`), outside the plan.
    pub principal: Money,
    /// Ascending dates; their amounts add up to the principal.
    pub instalments: Vec<PlanInstalment>,
    pub cancelled_on: Option<NaiveDate>,
    /// The day a run found an instalment missed: the plan is broken from then on.
    pub broken_on: Option<NaiveDate>,
}

/// Where a plan stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanState {
    /// Kept so far; the next instalment not yet paid, if any is left.
    Kept {
        next: Option<PlanInstalment>,
    },
    /// Its invoices are paid: nothing is left to ask.
    Completed,
    /// Instalment `missed` (the first not paid by its date plus grace) broke it.
    Broken {
        missed: PlanInstalment,
    },
    Cancelled,
    /// Agreed after the day asked about.
    NotYetAgreed,
}

impl PaymentPlan {
    /// Whether it covers `invoice`.
    pub fn covers(&self, invoice: &InvoiceNumber) -> bool {
        self.invoices.contains(invoice)
    }

    /// Its state on `as_of`, when its invoices leave `open` unpaid (in its currency, `None` when
    /// all are settled), with `grace_days` after each instalment's date.
    pub fn state(&self, as_of: NaiveDate, grace_days: u32, open: Money) -> PlanState {
        if self.agreed_on > as_of {
            return PlanState::NotYetAgreed;
        }
        if self.cancelled_on.is_some_and(|on| on <= as_of) {
            return PlanState::Cancelled;
        }
        let paid = (self.principal.amount_minor() - open.amount_minor()).max(0);
        if open.amount_minor() <= 0 {
            return PlanState::Completed;
        }
        let mut due_minor: i64 = 0;
        let mut next = None;
        for instalment in &self.instalments {
            due_minor = due_minor.saturating_add(instalment.amount.amount_minor());
            // what the invoices must have received by then (never more than they owed)
            let asked = due_minor.min(self.principal.amount_minor());
            if paid >= asked {
                continue;
            }
            let deadline = add_days(instalment.due_date, i64::from(grace_days));
            let broken_before = self.broken_on.is_some_and(|on| on <= as_of);
            if deadline < as_of || broken_before {
                return PlanState::Broken { missed: *instalment };
            }
            next = next.or(Some(*instalment));
        }
        PlanState::Kept { next }
    }

    /// The last instalment's date.
    pub fn ends_on(&self) -> Option<NaiveDate> {
        self.instalments.last().map(|i| i.due_date)
    }

    /// What is still to pay of the instalment due on `due_date` when its invoices leave `open`
    /// unpaid (the instalments before it are paid first); zero when it is paid.
    pub fn left_of(&self, due_date: NaiveDate, open: Money) -> Money {
        let paid = (self.principal.amount_minor() - open.amount_minor()).max(0);
        let mut before: i64 = 0;
        for instalment in &self.instalments {
            let through = before.saturating_add(instalment.amount.amount_minor());
            if instalment.due_date == due_date {
                let left = (through - paid.max(before)).clamp(0, instalment.amount.amount_minor());
                return Money::new(left, self.principal.currency());
            }
            before = through;
        }
        Money::zero(self.principal.currency())
    }
}

/// The key part of the reminder of plan `id`'s instalment due on `due_date` (one per instalment).
pub fn instalment_key(id: i64, due_date: NaiveDate) -> String {
    format!("plan-{id}-{due_date}")
}

/// The plan and instalment date an action key ends with, when it is an instalment reminder's
/// ([`instalment_key`]).
pub fn parse_instalment_key(key: &str) -> Option<(i64, NaiveDate)> {
    let part = key.rsplit(':').next()?.strip_prefix("plan-")?;
    let (id, day) = part.split_once('-')?;
    Some((id.parse().ok()?, NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?))
}

/// Why a plan cannot be agreed as stated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "a plan has {PLAN_INSTALMENTS_MIN} to {PLAN_INSTALMENTS_MAX} instalments, not {count} (one payment on one day is a promise to pay: `overdue promise`)"
    )]
    InstalmentCount { count: usize },
    #[error("instalment {index} falls on {due_date}, before the day the plan is agreed ({agreed_on})")]
    BeforeAgreed { index: usize, due_date: NaiveDate, agreed_on: NaiveDate },
    #[error("instalment {index} ({due_date}) is not after the one before it: list the instalments in date order")]
    DatesOutOfOrder { index: usize, due_date: NaiveDate },
    #[error(
        "the first instalment falls on {due_date}, more than {PLAN_FIRST_WITHIN_DAYS} days after the day the plan is agreed ({agreed_on})"
    )]
    FirstTooLate { due_date: NaiveDate, agreed_on: NaiveDate },
    #[error(
        "the last instalment falls on {due_date}, more than {PLAN_SPAN_MONTHS_MAX} months after the first ({first})"
    )]
    TooLong { due_date: NaiveDate, first: NaiveDate },
    #[error("instalment {index} is of nothing or in another currency: {amount}")]
    BadAmount { index: usize, amount: Money },
    #[error("the instalments add up to {instalments}, not the {owed} owed")]
    DoesNotAddUp { instalments: Money, owed: Money },
}

/// Checks that `plan`'s instalments can be kept: [`PLAN_INSTALMENTS_MIN`] to
/// [`PLAN_INSTALMENTS_MAX`], dates ascending from the day agreed, the first within
/// [`PLAN_FIRST_WITHIN_DAYS`] of it and the last within [`PLAN_SPAN_MONTHS_MAX`] of the first, each amount
/// positive in the plan's currency, adding up exactly to the principal.
///
/// Errors: the first [`PlanError`] found.
pub fn check(plan: &PaymentPlan) -> Result<(), PlanError> {
    check_count(plan.instalments.len())?;
    let agreed_on = plan.agreed_on;
    let currency = plan.principal.currency();
    let mut after = agreed_on;
    let mut total: i64 = 0;
    for (index, instalment) in plan.instalments.iter().enumerate() {
        let due_date = instalment.due_date;
        if due_date < agreed_on {
            return Err(PlanError::BeforeAgreed { index: index + 1, due_date, agreed_on });
        }
        if due_date < after || (index > 0 && due_date == after) {
            return Err(PlanError::DatesOutOfOrder { index: index + 1, due_date });
        }
        if index == 0 && due_date > add_days(agreed_on, PLAN_FIRST_WITHIN_DAYS) {
            return Err(PlanError::FirstTooLate { due_date, agreed_on });
        }
        let first = plan.instalments[0].due_date;
        if first.checked_add_months(chrono::Months::new(PLAN_SPAN_MONTHS_MAX)).is_none_or(|last| due_date > last) {
            return Err(PlanError::TooLong { due_date, first });
        }
        if !instalment.amount.is_positive() || instalment.amount.currency() != currency {
            return Err(PlanError::BadAmount { index: index + 1, amount: instalment.amount });
        }
        after = instalment.due_date;
        total = total.saturating_add(instalment.amount.amount_minor());
    }
    if total != plan.principal.amount_minor() {
        return Err(PlanError::DoesNotAddUp { instalments: Money::new(total, currency), owed: plan.principal });
    }
    Ok(())
}

/// Checks that a plan of `count` instalments may be agreed.
///
/// Errors: [`PlanError::InstalmentCount`] outside [`PLAN_INSTALMENTS_MIN`]..=[`PLAN_INSTALMENTS_MAX`].
pub fn check_count(count: usize) -> Result<(), PlanError> {
    if (PLAN_INSTALMENTS_MIN..=PLAN_INSTALMENTS_MAX).contains(&count) {
        Ok(())
    } else {
        Err(PlanError::InstalmentCount { count })
    }
}

/// `total` split into `count` instalments a month apart from `first` (the same day of each
/// month, or the month's last day when it has no such day), the cents left over on the last.
pub fn monthly(total: Money, count: usize, first: NaiveDate) -> Vec<PlanInstalment> {
    let count = count.clamp(1, PLAN_INSTALMENTS_MAX);
    let each = total.amount_minor() / count as i64;
    (0..count)
        .map(|k| {
            let due_date = first.checked_add_months(chrono::Months::new(k as u32)).unwrap_or(first);
            let amount = if k + 1 == count { total.amount_minor() - each * (count as i64 - 1) } else { each };
            PlanInstalment { due_date, amount: Money::new(amount, total.currency()) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    fn eur(minor: i64) -> Money {
        Money::new(minor, Currency::from_code("EUR").expect("euros"))
    }

    fn plan() -> PaymentPlan {
        PaymentPlan {
            id: 1,
            agreed_on: day("2026-12-01"),
            invoices: vec![InvoiceNumber::parse("F-1").expect("a number")],
            principal: eur(3000_00),
            instalments: monthly(eur(3000_00), 3, day("2026-12-15")),
            cancelled_on: None,
            broken_on: None,
        }
    }

    #[test]
    fn a_plan_is_kept_instalment_by_instalment_and_breaks_when_one_is_missed_past_its_grace() {
        let plan = plan();
        assert_eq!(plan.instalments[2].due_date, day("2027-02-15"));
        let next = |state| match state {
            PlanState::Kept { next } => next.map(|n| n.due_date),
            other => panic!("{other:?}"),
        };
        assert_eq!(next(plan.state(day("2026-12-10"), 3, eur(3000_00))), Some(day("2026-12-15")));
        // nothing paid by the 15th plus 3 days of grace: broken on the 19th, not before
        assert_eq!(next(plan.state(day("2026-12-18"), 3, eur(3000_00))), Some(day("2026-12-15")));
        assert!(matches!(plan.state(day("2026-12-19"), 3, eur(3000_00)), PlanState::Broken { .. }));
        // the first instalment paid: kept, the second is next
        assert_eq!(next(plan.state(day("2026-12-19"), 3, eur(2000_00))), Some(day("2027-01-15")));
        assert_eq!(plan.state(day("2027-03-01"), 3, eur(0)), PlanState::Completed);
        // once found broken it stays broken, whatever is paid later
        let broken = PaymentPlan { broken_on: Some(day("2026-12-19")), ..plan.clone() };
        assert!(matches!(broken.state(day("2027-01-02"), 3, eur(2000_00)), PlanState::Broken { .. }));
        let cancelled = PaymentPlan { cancelled_on: Some(day("2026-12-05")), ..plan };
        assert_eq!(cancelled.state(day("2026-12-20"), 3, eur(3000_00)), PlanState::Cancelled);
    }

    #[test]
    fn what_is_left_of_an_instalment_counts_what_was_paid_in_order() {
        let plan = plan();
        let due = |k: usize| plan.instalments[k].due_date;
        assert_eq!(plan.left_of(due(0), eur(3000_00)), eur(1000_00));
        assert_eq!(plan.left_of(due(0), eur(2600_00)), eur(600_00), "400 paid of the first");
        assert_eq!(plan.left_of(due(1), eur(1500_00)), eur(500_00), "the first paid, half the second");
        assert_eq!(plan.left_of(due(0), eur(1500_00)), eur(0));
        let key = instalment_key(12, due(1));
        assert_eq!(parse_instalment_key(&format!("C1:plan_instalment_due:{key}")), Some((12, due(1))));
        assert_eq!(parse_instalment_key("C1:step:email"), None);
    }

    #[test]
    fn instalments_must_add_up_run_forward_and_be_money() {
        assert_eq!(check(&plan()), Ok(()));
        let mut short = plan();
        short.instalments[2].amount = eur(999_00);
        assert!(matches!(check(&short), Err(PlanError::DoesNotAddUp { .. })));
        let mut backwards = plan();
        backwards.instalments.swap(0, 1);
        assert!(matches!(check(&backwards), Err(PlanError::DatesOutOfOrder { index: 2, .. })));
        let before = PaymentPlan { agreed_on: day("2026-12-16"), ..plan() };
        assert!(matches!(check(&before), Err(PlanError::BeforeAgreed { index: 1, .. })));
        let single = PaymentPlan { instalments: monthly(eur(3000_00), 1, day("2026-12-15")), ..plan() };
        assert_eq!(check(&single), Err(PlanError::InstalmentCount { count: 1 }));
        let far = PaymentPlan { instalments: monthly(eur(3000_00), 3, day("2027-03-15")), ..plan() };
        assert!(matches!(check(&far), Err(PlanError::FirstTooLate { .. })));
        let long = PaymentPlan { instalments: monthly(eur(3000_00), 36, day("2027-01-15")), ..plan() };
        assert_eq!(check(&long), Ok(()), "36 monthly instalments fit in 36 months");
        let mut longer = long.clone();
        longer.instalments[35].due_date = day("2030-02-15");
        assert!(matches!(check(&longer), Err(PlanError::TooLong { .. })));
        assert_eq!(
            monthly(eur(100_00), 3, day("2027-01-31"))
                .iter()
                .map(|i| (i.due_date, i.amount.amount_minor()))
                .collect::<Vec<_>>(),
            [(day("2027-01-31"), 33_33), (day("2027-02-28"), 33_33), (day("2027-03-31"), 33_34)]
        );
    }
}
