//! Payment plans as a person agrees them: which invoices, the instalments (dated one by one, or
//! so many a month apart); checked against the books before anything is kept. Listed with where each stands today, cancelled with a reason.

use crate::AppError;
use chrono::{NaiveDate, NaiveDateTime};
use overdue_core::engine::CustomerState;
use overdue_core::ids::InvoiceNumber;
use overdue_core::money::Money;
use overdue_core::payment_plan::{self, PaymentPlan, PlanInstalment, PlanState};
use overdue_core::refusal::{Ask, Refusal};
use overdue_store::{Organisation, Store};

/// How the instalments are given.
#[derive(Debug, Clone)]
pub enum Schedule {
    /// Each instalment's date and amount (as the books read amounts, e.g. `"500.00"`).
    Dated(Vec<(NaiveDate, String)>),
    /// `count` equal instalments a month apart from `first` (the cents left over on the last).
    Monthly { count: usize, first: NaiveDate },
}

/// A payment plan as a person states it.
#[derive(Debug, Clone)]
pub struct PlanStated {
    pub customer: String,
    /// The invoices it settles (none: every invoice of the customer overdue on the day agreed,
    /// in their currency, not in dispute nor in a plan kept so far).
    pub invoices: Vec<String>,
    pub schedule: Schedule,
    pub agreed_on: NaiveDate,
}

/// Agrees a payment plan: its invoices stop being chased while it is kept.
///
/// Errors: [`AppError::NotFound`] for an unknown customer; [`AppError::Invalid`] for an invoice
/// not open on their account or in another currency, one already in a plan kept so far, no
/// invoice overdue when none is named, a day agreed after today, an amount that is not money,
/// or instalments that do not add up, run backwards or are more than
/// [`payment_plan::PLAN_INSTALMENTS_MAX`]. Nothing is kept then.
pub fn create(
    store: &mut dyn Store,
    organisation: &Organisation,
    stated: &PlanStated,
    (by, now): (&str, NaiveDateTime),
) -> Result<PaymentPlan, AppError> {
    let invalid = |field: &'static str, reason: Refusal| AppError::Invalid { field, reason };
    crate::past_day("agreed_on", stated.agreed_on, organisation)?;
    let customer = store
        .customer(organisation.id, &stated.customer)?
        .ok_or_else(|| AppError::NotFound { what: "customer", key: stated.customer.clone() })?;
    let state = store.customer_state(organisation.id, &stated.customer, stated.agreed_on)?;
    let grace = state.policy(&store.policy_book(organisation.id)?).promise_grace_days;
    let covered = covered(&state, stated, (customer.currency, grace))?;
    let currency = covered[0].1.currency();
    let principal = Money::new(covered.iter().map(|(_, open)| open.amount_minor()).sum(), currency);
    let amount = |field: &'static str, text: &str| {
        Money::parse(text.trim(), currency).map_err(|e| invalid(field, e.to_string().into()))
    };
    let instalments = match &stated.schedule {
        Schedule::Monthly { count, first } => {
            payment_plan::check_count(*count).map_err(|e| invalid("instalments", e.to_string().into()))?;
            payment_plan::monthly(principal, *count, crate::day("first", *first)?)
        }
        Schedule::Dated(dated) => dated
            .iter()
            .map(|(due_date, text)| {
                Ok(PlanInstalment {
                    due_date: crate::day("instalments", *due_date)?,
                    amount: amount("instalments", text)?,
                })
            })
            .collect::<Result<_, AppError>>()?,
    };
    let mut plan = PaymentPlan {
        id: 0,
        agreed_on: stated.agreed_on,
        invoices: covered.into_iter().map(|(number, _)| number).collect(),
        principal,
        instalments,
        cancelled_on: None,
        broken_on: None,
    };
    payment_plan::check(&plan).map_err(|e| invalid("instalments", e.to_string().into()))?;
    plan.id = store.create_payment_plan(organisation.id, (&stated.customer, &plan), (by, now))?;
    Ok(plan)
}

/// The invoices a plan would cover, with what each has open: those named (each open, the
/// customer's, in one currency, in no plan kept so far), or every one overdue in the customer's
/// currency.
fn covered(
    state: &CustomerState,
    stated: &PlanStated,
    (currency, grace_days): (overdue_core::Currency, u32),
) -> Result<Vec<(InvoiceNumber, Money)>, AppError> {
    let invalid = |field: &'static str, reason: Refusal| AppError::Invalid { field, reason };
    let in_plan = |number: &InvoiceNumber| {
        state
            .plans
            .iter()
            .find(|plan| plan.covers(number) && in_plan_kept(state, number, (stated.agreed_on, grace_days)))
    };
    let open = state.invoices.iter().filter(|i| i.open.is_positive() && i.issue_date <= stated.agreed_on);
    let covered: Vec<(InvoiceNumber, Money)> = if stated.invoices.is_empty() {
        let (free, taken) = plannable(state, (stated.agreed_on, currency, grace_days));
        if free.is_empty() && !taken.is_empty() {
            return Err(invalid(
                "invoices",
                format!(
                    "every invoice of {} overdue in {currency} is taken: {}",
                    state.customer.name,
                    taken.join("; ")
                )
                .into(),
            ));
        }
        free
    } else {
        let open: Vec<_> = open.collect();
        let mut named = Vec::new();
        for number in &stated.invoices {
            let found = open.iter().find(|i| i.number.as_str() == number.trim()).ok_or_else(|| {
                invalid(
                    "invoices",
                    Refusal::NotTheirInvoice {
                        number: number.trim().to_owned(),
                        customer: state.customer.name.clone(),
                    },
                )
            })?;
            if let Some(plan) = in_plan(&found.number) {
                return Err(invalid(
                    "invoices",
                    format!("{} is in payment plan {} already", found.number, plan.id).into(),
                ));
            }
            named.push((found.number.clone(), found.open));
        }
        named
    };
    let Some(first) = covered.first() else {
        return Err(invalid(
            "invoices",
            format!(
                "{} has no invoice overdue in {currency} on {}: name the invoices the plan settles with --invoice",
                state.customer.name, stated.agreed_on
            )
            .into(),
        ));
    };
    if let Some((number, open)) = covered.iter().find(|(_, open)| open.currency() != first.1.currency()) {
        return Err(invalid(
            "invoices",
            format!("{number} is in {}: a plan is in one currency", open.currency()).into(),
        ));
    }
    Ok(covered)
}

/// What a plan naming no invoice would cover on `on`: every invoice overdue in `currency` with
/// what it has open, but for those disputed, said paid (while that pauses it) or in a plan kept
/// so far (under `grace_days`) — those are the second list, each with why.
pub fn plannable(
    state: &CustomerState,
    (on, currency, grace_days): (NaiveDate, overdue_core::Currency, u32),
) -> (Vec<(InvoiceNumber, Money)>, Vec<String>) {
    let (mut free, mut taken) = (Vec::new(), Vec::new());
    let overdue = state
        .invoices
        .iter()
        .filter(|i| i.open.is_positive() && i.issue_date <= on && i.due_date < on && i.open.currency() == currency);
    for invoice in overdue {
        let number = &invoice.number;
        let plan = state.plans.iter().find(|plan| plan.covers(number) && in_plan_kept(state, number, (on, grace_days)));
        if let Some(plan) = plan {
            taken.push(format!("{number} is in payment plan {}", plan.id));
        } else if state.disputes.iter().any(|d| d.invoice == *number && d.is_open(on)) {
            taken.push(format!("{number} is disputed"));
        } else if state.claims.iter().any(|c| c.invoice == *number && c.pauses_on(on)) {
            taken.push(format!("{number} is said paid: the money is being looked for"));
        } else {
            free.push((number.clone(), invoice.open));
        }
    }
    (free, taken)
}

/// Cancels plan `id` on `today` for `reason` (its invoices are chased again on the next run).
///
/// Errors: [`AppError::Invalid`] for an empty reason; store errors (no such plan, cancelled
/// already).
pub fn cancel(
    store: &mut dyn Store,
    organisation: &Organisation,
    id: i64,
    (reason, by): (&str, &str),
    today: NaiveDate,
) -> Result<String, AppError> {
    if reason.trim().is_empty() {
        return Err(AppError::Invalid { field: "reason", reason: Refusal::Empty(Ask::WhyPlanCancelled) });
    }
    crate::text("reason", reason)?;
    Ok(store.cancel_payment_plan(organisation.id, id, (today, reason.trim(), by))?)
}

/// Every plan of `customer` with where it stands on `as_of` (under the customer's policy grace).
///
/// Errors: store errors (an unknown customer).
pub fn list(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    as_of: NaiveDate,
) -> Result<Vec<(PaymentPlan, PlanState)>, AppError> {
    let plans = store.payment_plans(organisation.id, customer)?;
    let state = store.customer_state(organisation.id, customer, as_of)?;
    let book = store.policy_book(organisation.id)?;
    let grace = state.policy(&book).promise_grace_days;
    Ok(plans
        .into_iter()
        .map(|plan| {
            let open = open_of(&state, &plan);
            let judged = plan.state(as_of, grace, open);
            (plan, judged)
        })
        .collect())
}

/// What the reminder of plan `id`'s instalment due on `due_date` says on `today`: what is still to
/// pay of it and the whole schedule, each instalment paid or not; `None` when there is nothing
/// to remind (that instalment paid, or the plan completed, broken or cancelled).
///
/// Errors: store errors.
pub fn notice(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    (id, due_date): (i64, NaiveDate),
    today: NaiveDate,
) -> Result<Option<overdue_notify::PlanNotice>, AppError> {
    let listed = list(store, organisation, customer, today)?;
    let Some((plan, judged)) = listed.into_iter().find(|(plan, _)| plan.id == id) else { return Ok(None) };
    let PlanState::Kept { next: Some(next) } = judged else { return Ok(None) };
    if next.due_date != due_date {
        return Ok(None);
    }
    let state = store.customer_state(organisation.id, customer, today)?;
    let open = open_of(&state, &plan);
    let schedule = plan
        .instalments
        .iter()
        .map(|i| (i.due_date, i.amount, !plan.left_of(i.due_date, open).is_positive()))
        .collect();
    let total = plan.principal;
    Ok(Some(overdue_notify::PlanNotice { id, due_date, amount: plan.left_of(due_date, open), total, schedule }))
}

/// Whether a plan kept so far on `as_of` covers `number` in `state` (under `grace_days`).
pub fn in_plan_kept(state: &CustomerState, number: &InvoiceNumber, (as_of, grace_days): (NaiveDate, u32)) -> bool {
    state.plans.iter().any(|plan| {
        plan.covers(number) && matches!(plan.state(as_of, grace_days, open_of(state, plan)), PlanState::Kept { .. })
    })
}

/// What `plan`'s invoices leave open in `state`, in its currency.
pub fn open_of(state: &CustomerState, plan: &PaymentPlan) -> Money {
    let currency = plan.principal.currency();
    let open = state.invoices.iter().filter(|i| plan.covers(&i.number) && i.open.currency() == currency);
    Money::new(open.map(|i| i.open.amount_minor()).sum(), currency)
}
