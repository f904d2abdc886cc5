//! Payment plans: an arrangement for an overdue balance of one or more invoices, paid in
//! instalments on agreed dates (optionally with interest on top). While it is kept the ladder
//! leaves its invoices alone; each instalment is reminded before its date and judged on its own
//! date (plus the policy's grace); a missed instalment breaks the plan for good, and the ladder
//! resumes, firmer. Whether it is kept is never typed in: it is read from what is still open on
//! its invoices.

use crate::date::add_days;
use crate::ids::InvoiceNumber;
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest a plan may run, in instalments.
pub const PLAN_INSTALMENTS_MAX: usize = 36;
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
    pub principal: Money,
    /// Interest agreed on top of the principal (zero: none), paid with the instalments.
    pub interest: Money,
    /// Ascending dates; their amounts add up to principal plus interest.
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
            // interest is paid last: what the invoices must have received by then
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
    /// unpaid (the instalments before it are paid first; interest last); zero when it is paid.
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
    #[error("a plan has at least one instalment and at most {PLAN_INSTALMENTS_MAX}")]
    InstalmentCount,
    #[error("instalment {index} ({due_date}) is not after the one before it, or before the day the plan is agreed")]
    DatesOutOfOrder { index: usize, due_date: NaiveDate },
    #[error("instalment {index} is of nothing or in another currency: {amount}")]
    BadAmount { index: usize, amount: Money },
    #[error("the instalments add up to {instalments}, not the {owed} owed plus {interest} interest")]
    DoesNotAddUp { instalments: Money, owed: Money, interest: Money },
}

/// Checks that `plan`'s instalments can be kept: 1 to [`PLAN_INSTALMENTS_MAX`], dates ascending
/// from the day agreed, each amount positive in the plan's currency, adding up exactly to
/// principal plus interest.
///
/// Errors: the first [`PlanError`] found.
pub fn check(plan: &PaymentPlan) -> Result<(), PlanError> {
    if plan.instalments.is_empty() || plan.instalments.len() > PLAN_INSTALMENTS_MAX {
        return Err(PlanError::InstalmentCount);
    }
    let currency = plan.principal.currency();
    let mut after = plan.agreed_on;
    let mut total: i64 = 0;
    for (index, instalment) in plan.instalments.iter().enumerate() {
        if instalment.due_date < after || (index > 0 && instalment.due_date == after) {
            return Err(PlanError::DatesOutOfOrder { index: index + 1, due_date: instalment.due_date });
        }
        if !instalment.amount.is_positive() || instalment.amount.currency() != currency {
            return Err(PlanError::BadAmount { index: index + 1, amount: instalment.amount });
        }
        after = instalment.due_date;
        total = total.saturating_add(instalment.amount.amount_minor());
    }
    let owed = plan.principal.amount_minor().saturating_add(plan.interest.amount_minor());
    if total != owed {
        return Err(PlanError::DoesNotAddUp {
            instalments: Money::new(total, currency),
            owed: plan.principal,
            interest: plan.interest,
        });
    }
    Ok(())
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
            interest: eur(0),
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
        let with_interest =
            PaymentPlan { interest: eur(30_00), instalments: monthly(eur(3030_00), 3, day("2026-12-15")), ..plan() };
        assert_eq!(check(&with_interest), Ok(()));
        assert_eq!(
            monthly(eur(100_00), 3, day("2027-01-31"))
                .iter()
                .map(|i| (i.due_date, i.amount.amount_minor()))
                .collect::<Vec<_>>(),
            [(day("2027-01-31"), 33_33), (day("2027-02-28"), 33_33), (day("2027-03-31"), 33_34)]
        );
    }
}
