//! Payment plans in the day's plan: each plan's state on the day (from what is still open on its
//! invoices), the reminder of an instalment in the days before its date, and the call when one
//! was missed (once: the plan is broken from then on and the ladder resumes, firmer).

use super::{ActionKind, CustomerState, OpenInvoice, Planner, Reason, StepContext, talk};
use crate::money::Money;
use crate::payment_plan::{PLAN_REMINDER_DAYS, PaymentPlan, PlanState};
use crate::policy::{Policy, StepChannel, Tone};
use chrono::NaiveDate;

/// Every plan agreed by `as_of` with its state that day.
pub(super) fn judged(as_of: NaiveDate, state: &CustomerState, policy: &Policy) -> Vec<(PaymentPlan, PlanState)> {
    state
        .plans
        .iter()
        .filter(|plan| plan.agreed_on <= as_of)
        .map(|plan| {
            let currency = plan.principal.currency();
            let open: i64 = state
                .invoices
                .iter()
                .filter(|i| plan.covers(&i.number) && i.open.currency() == currency)
                .map(|i| i.open.amount_minor())
                .sum();
            (plan.clone(), plan.state(as_of, policy.promise_grace_days, Money::new(open, currency)))
        })
        .collect()
}

impl StepContext {
    /// The plan kept so far that covers `invoice`, and its next instalment's date.
    pub(super) fn plan_kept(&self, invoice: &OpenInvoice) -> Option<(i64, Option<NaiveDate>)> {
        // any plan kept so far: a plan cancelled or broken before it does not hide a later one
        self.plans.iter().filter(|(plan, _)| plan.covers(&invoice.number)).find_map(|(plan, state)| match state {
            PlanState::Kept { next } => Some((plan.id, next.map(|n| n.due_date))),
            _ => None,
        })
    }

    /// Whether a broken plan covers `invoice` (its ladder resumes firmer).
    pub(super) fn plan_broken(&self, invoice: &OpenInvoice) -> bool {
        self.plans.iter().any(|(plan, state)| plan.covers(&invoice.number) && matches!(state, PlanState::Broken { .. }))
    }
}

impl Planner<'_> {
    /// The reminder of each plan's next instalment in the [`PLAN_REMINDER_DAYS`] before its date
    /// (once per instalment), and a call for each plan found broken today.
    pub(super) fn plans(&mut self) {
        for (plan, state) in &self.context.plans {
            let covered: Vec<&OpenInvoice> = self.invoices.iter().copied().filter(|i| plan.covers(&i.number)).collect();
            let mut action = match state {
                PlanState::Kept { next: Some(next) }
                    if crate::date::add_days(next.due_date, -PLAN_REMINDER_DAYS) <= self.as_of
                        && self.as_of <= next.due_date =>
                {
                    let key = crate::payment_plan::instalment_key(plan.id, next.due_date);
                    let mut action = self.action(ActionKind::PlanInstalmentDue, Reason::PlanInstalment, &key);
                    action.channel = Some(StepChannel::Email);
                    action.template = Some("plan_instalment".into());
                    action.tone = Some(Tone::Friendly);
                    action.explanation = talk::plan_instalment_sentence(&self.state.customer, plan, next);
                    action
                }
                PlanState::Broken { missed } if plan.broken_on.is_none() => {
                    let key = format!("plan-{}-broken", plan.id);
                    let mut action = self.action(ActionKind::BrokenPlan, Reason::PlanBroken, &key);
                    action.channel = Some(StepChannel::CallTask);
                    action.tone = Some(Tone::Firm);
                    action.questions = talk::questions(Reason::PlanBroken, StepChannel::CallTask);
                    action.explanation = talk::plan_broken_sentence(&self.state.customer, plan, missed);
                    action
                }
                _ => continue,
            };
            action.invoices = covered.iter().map(|i| self.listed(i, None)).collect();
            self.actions.push(action);
        }
    }
}
