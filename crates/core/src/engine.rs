//! The follow-up engine: for one day and one customer's full state, the actions due — sending
//! invoices not yet sent, the receipt-check call, the pre-due contact, the ladder after the due
//! date, the follow-up of broken promises, the 60-day alarm, the prepayment flag and credit-limit
//! warnings — each with a machine-readable reason and a sentence a person can read. Actions of
//! one kind for one customer on one day are consolidated (one e-mail listing several invoices).
//!
//! Pure: the same state and day always give the same plan, so any past day can be replayed.

mod approval;
mod asked;
mod ladder;
mod plans;
mod recheck;
mod returned;
mod talk;
#[cfg(test)]
mod tests;

pub use approval::{AGENCY_HAND_OFF, FINAL_DEMAND, OPEN_DISPUTE, PREPAYMENT, approval_reason, step_asking, step_asks};
pub use asked::{claim_task, customer_answered, statement_asked};
pub use ladder::{LadderState, position};
pub use recheck::{LeftOut, Recheck, recheck};
pub use returned::returned_payment;

use crate::calendar::BusinessCalendar;
use crate::contact::named_enum;
use crate::customer::ContactRole;
use crate::dispute::Dispute;
use crate::fingerprint::Fingerprint;
use crate::habits::PaymentHabits;
use crate::ids::{CustomerCode, InvoiceNumber};
use crate::money::Money;
use crate::payment_claim::PaymentClaim;
use crate::policy::{Policy, PolicyBook, Step, StepChannel, Tone};
use crate::promise::{PromiseState, PromiseToPay};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days after its due date beyond which an invoice chased for the first time (books brought over
/// from another tool, a customer just added) is written to firmly: a friendly "perhaps your
/// payment is already on its way" is not believable months after the due date.
pub const FIRST_CHASED_LATE_DAYS: i64 = 60;
/// What the engine needs to know about the customer itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerFacts {
    pub code: CustomerCode,
    pub name: String,
    pub segment: Option<String>,
    /// A dunning policy chosen for this customer, overriding their segment's.
    pub policy: Option<String>,
    /// Handed to a collection agency: no more automatic reminders.
    pub in_collection: bool,
    pub prepayment_required: bool,
    pub credit_limit: Option<Money>,
    /// The person who approves invoices there, if known.
    pub invoice_approver: Option<String>,
}

/// A ladder step already taken for an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepTaken {
    pub name: String,
    pub on: NaiveDate,
    pub tone: Tone,
    /// The last day to pay its message gave (a final demand's): no later step comes before.
    pub deadline: Option<NaiveDate>,
}

/// An invoice still (partly) open on the day planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvoice {
    pub number: InvoiceNumber,
    pub issue_date: NaiveDate,
    pub sent_on: Option<NaiveDate>,
    /// The first instalment's due date.
    pub due_date: NaiveDate,
    /// What is still owed on the day planned (positive).
    pub open: Money,
    /// For an invoice paid in instalments, the part of `open` already past its due date on the day
    /// planned (the unpaid instalments due before it); `None` for an invoice with one due date.
    pub overdue_part: Option<Money>,
    /// Its terms ask for payment before delivery.
    pub prepayment_terms: bool,
    /// The last ladder step taken before the day planned.
    pub last_step: Option<StepTaken>,
    /// The last day the bank took back a payment of it (a returned direct debit, a Ri.Ba. unpaid):
    /// a broken payment, after which the next step is firmer, as after a broken promise.
    pub payment_returned_on: Option<NaiveDate>,
}

impl OpenInvoice {
    /// Whether a payment of it came back since its last step.
    fn payment_returned_since_last_step(&self) -> bool {
        self.payment_returned_on.is_some_and(|returned| self.last_step.as_ref().is_none_or(|step| step.on <= returned))
    }
}

/// A promise with the store's id, and whether its breach was already followed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseRecord {
    pub id: i64,
    pub promise: PromiseToPay,
    pub followed_up: bool,
}

/// Everything known about one customer on the day planned (nothing dated after it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerState {
    pub customer: CustomerFacts,
    pub invoices: Vec<OpenInvoice>,
    /// The day of the latest conversation in the contact log.
    pub last_contact: Option<NaiveDate>,
    pub promises: Vec<PromiseRecord>,
    /// Payments received (date, amount), for judging promises.
    pub payments: Vec<(NaiveDate, Money)>,
    pub disputes: Vec<Dispute>,
    /// What the customer says they already paid, claims made in the last
    /// [`crate::payment_claim::CLAIM_PAUSE_DAYS`]
    /// (each pauses its invoice and asks someone to look for the money).
    pub claims: Vec<PaymentClaim>,
    /// Payment plans agreed, not cancelled a year ago (active, broken or completed).
    pub plans: Vec<crate::payment_plan::PaymentPlan>,
    /// Invoices paid in the last year (promises are judged here, not by the caller).
    pub habits: PaymentHabits,
}

impl CustomerState {
    /// The dunning policy that governs this customer in `book`: their own, else their segment's,
    /// else the book's default.
    pub fn policy<'a>(&self, book: &'a PolicyBook) -> &'a Policy {
        book.for_customer(self.customer.segment.as_deref(), self.customer.policy.as_deref())
    }
}

named_enum! {
    /// What a planned action asks someone (or the outbox) to do.
    ActionKind {
        SendInvoice = "send_invoice",
        Step = "step",
        BrokenPromise = "broken_promise",
        PromiseDue = "promise_due",
        Alarm = "sixty_day_alarm",
        Prepayment = "prepayment",
        OverCreditLimit = "over_credit_limit",
        CreditToPrepaymentCustomer = "credit_to_prepayment_customer",
        ReturnedPayment = "returned_payment",
        CheckClaimedPayment = "check_claimed_payment",
        Statement = "statement",
        PlanInstalmentDue = "plan_instalment_due",
        BrokenPlan = "broken_plan",
        CustomerAnswered = "customer_answered",
    }
}

named_enum! {
    /// Why an action is due, for machines (the sentence is for people).
    Reason {
        IssuedNotSent = "issued_not_sent",
        ReceiptCheck = "receipt_check",
        PreDue = "pre_due",
        Overdue = "overdue",
        PromiseBroken = "promise_broken",
        PromisePartlyKept = "promise_partly_kept",
        PromiseDueToday = "promise_due_today",
        NoContact = "no_contact",
        HabitualLatePayer = "habitual_late_payer",
        OverCreditLimit = "over_credit_limit",
        PrepaymentCustomerOnCredit = "prepayment_customer_on_credit",
        PaymentReturned = "payment_returned",
        CustomerSaysPaid = "customer_says_paid",
        MonthlyStatement = "monthly_statement",
        StatementAsked = "statement_asked",
        PlanInstalment = "plan_instalment",
        PlanBroken = "plan_broken",
        OnTheirPage = "on_their_page",
    }
}

/// One invoice listed in an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionInvoice {
    pub number: InvoiceNumber,
    pub open: Money,
    pub due_date: NaiveDate,
    /// Negative while not yet due.
    pub days_overdue: i64,
    /// The ladder step this action takes for the invoice.
    pub step: Option<String>,
    /// The late fee the step charges on the invoice, if its policy defines one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Money>,
}

/// Something to do on a day, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedAction {
    /// Unique per customer and action: planning it again creates nothing new.
    pub key: String,
    pub customer: CustomerCode,
    pub on: NaiveDate,
    pub kind: ActionKind,
    pub reason: Reason,
    /// Why, in a sentence a person can read.
    pub explanation: String,
    pub channel: Option<StepChannel>,
    pub tone: Option<Tone>,
    pub template: Option<String>,
    /// The ladder step (the most advanced one, when several invoices are consolidated).
    pub step: Option<String>,
    /// Whom at the customer to address.
    pub address_to: ContactRole,
    /// For calls: what to ask.
    pub questions: Vec<String>,
    pub invoices: Vec<ActionInvoice>,
    pub promise_id: Option<i64>,
    /// Why a person must approve its message before it goes out (see `approval`), if they must.
    pub approval: Option<String>,
    /// The last day to pay its message gives (a final demand), computed once here and kept.
    pub deadline: Option<NaiveDate>,
}

/// What a step needs to know about the customer to decide whether it applies.
#[derive(Debug, Clone)]
pub struct StepContext {
    pub segment: Option<String>,
    pub repeat_offender: bool,
    /// What the customer owes in each currency.
    owed: Vec<Money>,
    disputes: Vec<Dispute>,
    /// Promises made by the day planned: (promise, deadline).
    promises: Vec<(PromiseToPay, NaiveDate)>,
    /// Claims of payment pausing their invoice on the day planned.
    claims: Vec<PaymentClaim>,
    /// The policy sends a monthly statement instead of e-mail reminders.
    pub monthly_statement: bool,
    /// Each plan agreed by the day planned, with its state that day.
    plans: Vec<(crate::payment_plan::PaymentPlan, crate::payment_plan::PlanState)>,
}

impl StepContext {
    fn new(as_of: NaiveDate, state: &CustomerState, policy: &Policy, habits: &PaymentHabits) -> Self {
        let mut owed: Vec<Money> = Vec::new();
        for invoice in &state.invoices {
            match owed.iter_mut().find(|m| m.currency() == invoice.open.currency()) {
                Some(total) => {
                    *total =
                        Money::new(total.amount_minor().saturating_add(invoice.open.amount_minor()), total.currency())
                }
                None => owed.push(invoice.open),
            }
        }
        Self {
            segment: state.customer.segment.clone(),
            repeat_offender: habits.is_repeat_offender(),
            owed,
            disputes: state.disputes.iter().filter(|d| d.is_open(as_of)).cloned().collect(),
            promises: state
                .promises
                .iter()
                .filter(|p| p.promise.made_on <= as_of)
                .map(|p| (p.promise.clone(), p.promise.deadline(policy.promise_grace_days)))
                .collect(),
            claims: state.claims.iter().filter(|c| c.pauses_on(as_of)).cloned().collect(),
            monthly_statement: policy.monthly_statement,
            plans: plans::judged(as_of, state, policy),
        }
    }

    /// What the customer owes in `currency`.
    pub fn owed(&self, currency: crate::Currency) -> Money {
        self.owed.iter().copied().find(|m| m.currency() == currency).unwrap_or(Money::zero(currency))
    }

    fn dispute_since(&self, invoice: &OpenInvoice) -> Option<NaiveDate> {
        self.disputes.iter().find(|d| d.invoice == invoice.number).map(|d| d.opened_on)
    }

    /// The latest claim that `invoice` is already paid, pausing it: the day it was made, the last
    /// day it pauses.
    fn claim_pause(&self, invoice: &OpenInvoice, as_of: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let pausing = self.claims.iter().filter(|c| c.invoice == invoice.number && c.pauses_on(as_of));
        pausing.map(|c| (c.made_on, c.pauses_until())).max()
    }

    /// The latest deadline among promises covering `invoice`.
    fn promise_deadline(&self, invoice: &OpenInvoice) -> Option<NaiveDate> {
        self.promises.iter().filter(|(p, _)| p.covers(&invoice.number)).map(|(_, deadline)| *deadline).max()
    }
}

/// The actions due for one customer on `as_of`, under the customer's policy from `book`.
/// Nothing is planned on days that are not business days: the next business day catches up.
pub fn plan(
    as_of: NaiveDate,
    state: &CustomerState,
    book: &PolicyBook,
    calendar: &BusinessCalendar,
) -> Vec<PlannedAction> {
    let customer = &state.customer;
    if customer.in_collection || !calendar.is_business_day(as_of) {
        return Vec::new();
    }
    let policy = book.for_customer(customer.segment.as_deref(), customer.policy.as_deref());
    let judged = judge_promises(as_of, state, policy);
    let context = StepContext::new(as_of, state, policy, &judged.habits);
    let invoices: Vec<&OpenInvoice> =
        state.invoices.iter().filter(|i| i.issue_date <= as_of && i.open.is_positive()).collect();
    let mut actions = Vec::new();
    let mut planner = Planner {
        as_of,
        calendar,
        state,
        policy,
        context: &context,
        invoices: &invoices,
        actions: &mut actions,
        book_country: book.country,
    };
    planner.send_invoices();
    planner.ladder_steps(&judged);
    planner.promises(&judged);
    planner.claims();
    planner.monthly_statement();
    planner.plans();
    planner.alarm();
    planner.prepayment(&judged.habits, book);
    planner.credit_warnings();
    let open_dispute = !context.disputes.is_empty();
    for action in &mut actions {
        action.approval = approval_reason(action, policy, open_dispute);
    }
    actions
}

/// Each promise's state on the day, and the habits counting the broken ones.
struct JudgedPromises {
    states: Vec<(usize, PromiseState)>,
    habits: PaymentHabits,
}

fn judge_promises(as_of: NaiveDate, state: &CustomerState, policy: &Policy) -> JudgedPromises {
    let states: Vec<(usize, PromiseState)> = state
        .promises
        .iter()
        .enumerate()
        .filter(|(_, p)| p.promise.made_on <= as_of)
        .map(|(i, p)| (i, p.promise.state(as_of, policy.promise_grace_days, &state.payments)))
        .collect();
    let mut habits = state.habits;
    habits.broken_promises += states.iter().filter(|(_, s)| s.is_broken()).count() as u32;
    JudgedPromises { states, habits }
}

/// A ladder step (its index in the policy) due today for an invoice.
type StepDue<'a> = (usize, &'a OpenInvoice);

/// The first days of a month a monthly statement may be planned on (a run missed on the 1st, a
/// weekend or a bank holiday, still sends it that month).
const STATEMENT_DAYS: u32 = 7;

/// Builds one customer's actions for one day.
struct Planner<'a> {
    as_of: NaiveDate,
    calendar: &'a BusinessCalendar,
    state: &'a CustomerState,
    policy: &'a Policy,
    context: &'a StepContext,
    invoices: &'a [&'a OpenInvoice],
    actions: &'a mut Vec<PlannedAction>,
    /// The organisation's country, for the deadline a final demand gives.
    book_country: Option<crate::ids::Country>,
}

impl Planner<'_> {
    fn listed(&self, invoice: &OpenInvoice, step: Option<String>) -> ActionInvoice {
        ActionInvoice {
            number: invoice.number.clone(),
            open: invoice.open,
            due_date: invoice.due_date,
            days_overdue: (self.as_of - invoice.due_date).num_days(),
            step,
            fee: None,
        }
    }

    /// An invoice listed for a ladder step, with the step's late fee (a fee that cannot be
    /// computed was refused when the policy was loaded, so it is left off here).
    fn stepped(&self, invoice: &OpenInvoice, step: &Step) -> ActionInvoice {
        let mut listed = self.listed(invoice, Some(step.name.clone()));
        listed.fee = step.fee.as_ref().and_then(|fee| fee.amount(invoice.open).ok());
        listed
    }

    fn action(&self, kind: ActionKind, reason: Reason, key_part: &str) -> PlannedAction {
        PlannedAction::new(&self.state.customer.code, self.as_of, (kind, reason), key_part)
    }

    /// A key part naming a set of invoices, stable whatever their order.
    fn invoices_key(invoices: &[ActionInvoice]) -> String {
        let mut numbers: Vec<&str> = invoices.iter().map(|i| i.number.as_str()).collect();
        numbers.sort_unstable();
        let print = numbers.iter().fold(Fingerprint::default(), |print, number| print.text(number));
        format!("{}-{:016x}", numbers[0], print.finish())
    }

    fn send_invoices(&mut self) {
        let unsent: Vec<ActionInvoice> = self
            .invoices
            .iter()
            .filter(|i| i.sent_on.is_none_or(|sent| sent > self.as_of))
            .map(|i| self.listed(i, None))
            .collect();
        if unsent.is_empty() {
            return;
        }
        let mut action = self.action(ActionKind::SendInvoice, Reason::IssuedNotSent, &Self::invoices_key(&unsent));
        action.channel = Some(StepChannel::Email);
        action.template = Some("invoice".into());
        action.explanation = talk::send_sentence(self.as_of, self.invoices, &unsent);
        action.invoices = unsent;
        self.actions.push(action);
    }

    /// Ladder steps due today, one action per channel and purpose.
    fn ladder_steps(&mut self, judged: &JudgedPromises) {
        let broken = self.broken_promises(judged);
        let mut groups: Vec<(StepChannel, Reason, Vec<StepDue>)> = Vec::new();
        for invoice in self.invoices {
            let state = position(self.as_of, self.policy, self.context, invoice, self.calendar);
            let Some(index) = state.due_step() else { continue };
            let step = &self.policy.steps[index];
            let reason = talk::step_reason(step);
            match groups.iter_mut().find(|(c, r, _)| *c == step.channel && *r == reason) {
                Some((_, _, items)) => items.push((index, invoice)),
                None => groups.push((step.channel, reason, vec![(index, invoice)])),
            }
        }
        for (channel, reason, items) in groups {
            let action = self.step_action(channel, reason, &items, &broken);
            self.actions.push(action);
        }
    }

    /// A ladder step's action for `items`; its tone is the firmest of their steps', firmer after a
    /// broken promise or a returned payment, and at least firm for an invoice first chased more
    /// than [`FIRST_CHASED_LATE_DAYS`] after its due date.
    fn step_action(
        &self,
        channel: StepChannel,
        reason: Reason,
        items: &[(usize, &OpenInvoice)],
        broken: &[PromiseToPay],
    ) -> PlannedAction {
        let furthest = items.iter().map(|(index, _)| *index).max().unwrap_or(0);
        let step = &self.policy.steps[furthest];
        let mut tone = items.iter().map(|(index, _)| self.policy.tone_of(&self.policy.steps[*index])).max();
        for (_, invoice) in items {
            let plan_broken = self.context.plan_broken(invoice);
            if broken.iter().any(|p| p.covers(&invoice.number))
                || plan_broken
                || invoice.payment_returned_since_last_step()
            {
                let after = invoice.last_step.as_ref().map_or(Tone::Friendly, |taken| taken.tone).firmer();
                tone = tone.max(Some(after.max(Tone::Firm)));
            }
            if invoice.last_step.is_none() && (self.as_of - invoice.due_date).num_days() > FIRST_CHASED_LATE_DAYS {
                tone = tone.max(Some(Tone::Firm));
            }
        }
        let listed: Vec<ActionInvoice> =
            items.iter().map(|(index, i)| self.stepped(i, &self.policy.steps[*index])).collect();
        let mut action = self.action(ActionKind::Step, reason, &format!("{channel}:{reason}:{}", self.as_of));
        action.channel = Some(channel);
        action.tone = tone;
        action.template = Some(step.template.clone());
        action.step = Some(step.name.clone());
        action.address_to = if channel == StepChannel::ApproverEscalation {
            ContactRole::InvoiceApprover
        } else {
            ContactRole::Billing
        };
        action.questions = talk::questions(reason, channel);
        action.deadline = step.deadline(self.as_of, self.book_country);
        action.explanation = talk::step_sentence(self.as_of, self.policy, &self.state.customer, items, &action);
        if let Some(deadline) = action.deadline {
            action.explanation.push_str(&format!(" It gives until {deadline} to pay."));
        }
        action.invoices = listed;
        action
    }

    fn broken_promises(&self, judged: &JudgedPromises) -> Vec<PromiseToPay> {
        judged
            .states
            .iter()
            .filter(|(_, s)| s.is_broken())
            .map(|(i, _)| self.state.promises[*i].promise.clone())
            .collect()
    }

    /// Broken promises not yet followed up, and promises falling due.
    fn promises(&mut self, judged: &JudgedPromises) {
        for (i, promise_state) in &judged.states {
            let record = &self.state.promises[*i];
            let promise = &record.promise;
            let key = format!("promise-{}", record.id);
            let mut action = match promise_state {
                PromiseState::Broken | PromiseState::PartlyKept { .. } if !record.followed_up => {
                    let reason = if promise_state == &PromiseState::Broken {
                        Reason::PromiseBroken
                    } else {
                        Reason::PromisePartlyKept
                    };
                    let mut action = self.action(ActionKind::BrokenPromise, reason, &key);
                    action.channel = Some(StepChannel::CallTask);
                    action.tone = Some(self.firmest_tone_taken(promise).firmer().max(Tone::Firm));
                    action.questions = talk::questions(reason, StepChannel::CallTask);
                    action
                }
                PromiseState::Pending if promise.promised_date <= self.as_of => {
                    self.action(ActionKind::PromiseDue, Reason::PromiseDueToday, &key)
                }
                _ => continue,
            };
            action.explanation =
                talk::promise_sentence(self.as_of, &self.state.customer, promise, *promise_state, self.policy);
            action.invoices =
                self.invoices.iter().filter(|i| promise.covers(&i.number)).map(|i| self.listed(i, None)).collect();
            action.promise_id = Some(record.id);
            self.actions.push(action);
        }
    }

    /// A task to look for each payment the customer says they made on an invoice still open, on
    /// the days its claim pauses the invoice (planned once: its key is the claim's).
    fn claims(&mut self) {
        for claim in self.context.claims.iter() {
            let Some(invoice) = self.invoices.iter().find(|i| i.number == claim.invoice) else { continue };
            self.actions.push(claim_task(&self.state.customer, claim, invoice, self.as_of));
        }
    }

    /// A statement of account early in the month, under a policy that sends one instead of an
    /// e-mail reminder per invoice (planned once a month: its key is the month's).
    fn monthly_statement(&mut self) {
        if !self.policy.monthly_statement || self.as_of.day() > STATEMENT_DAYS || self.invoices.is_empty() {
            return;
        }
        let month = self.as_of.format("%Y-%m").to_string();
        let mut action = self.action(ActionKind::Statement, Reason::MonthlyStatement, &month);
        action.channel = Some(StepChannel::Email);
        action.template = Some("statement".into());
        action.invoices = self.invoices.iter().map(|i| self.listed(i, None)).collect();
        action.explanation = talk::statement_sentence(&self.state.customer, self.invoices, &month);
        self.actions.push(action);
    }

    fn firmest_tone_taken(&self, promise: &PromiseToPay) -> Tone {
        self.invoices
            .iter()
            .filter(|i| promise.covers(&i.number))
            .filter_map(|i| i.last_step.as_ref().map(|taken| taken.tone))
            .max()
            .unwrap_or(Tone::Friendly)
    }

    /// Open invoices 60 days (the policy's alarm days) past their date with no contact since (a
    /// conversation, a promise to pay or a dispute raised).
    fn alarm(&mut self) {
        let contact_since = |date: NaiveDate| {
            self.state.last_contact.is_some_and(|c| c >= date)
                || self.state.promises.iter().any(|p| p.promise.made_on >= date && p.promise.made_on <= self.as_of)
                || self.state.disputes.iter().any(|d| d.opened_on >= date && d.opened_on <= self.as_of)
                || self.state.claims.iter().any(|c| c.made_on >= date && c.made_on <= self.as_of)
                || self.state.plans.iter().any(|p| p.agreed_on >= date && p.agreed_on <= self.as_of)
        };
        let alarming: Vec<ActionInvoice> = self
            .invoices
            .iter()
            .filter(|i| crate::date::add_days(i.issue_date, i64::from(self.policy.alarm_days)) <= self.as_of)
            .filter(|i| self.context.dispute_since(i).is_none() && !contact_since(i.issue_date))
            .map(|i| self.listed(i, None))
            .collect();
        if alarming.is_empty() {
            return;
        }
        let mut action = self.action(ActionKind::Alarm, Reason::NoContact, &Self::invoices_key(&alarming));
        action.channel = Some(StepChannel::CallTask);
        // nothing overdue yet: a friendly call to see that all is well, not a collection alarm
        let overdue = alarming.iter().any(|i| i.days_overdue > 0);
        action.tone = Some(if overdue { Tone::Serious } else { Tone::Friendly });
        action.questions = talk::questions(Reason::NoContact, StepChannel::CallTask);
        action.explanation =
            talk::alarm_sentence(&self.state.customer, self.policy.alarm_days, self.state.last_contact, &alarming);
        action.invoices = alarming;
        self.actions.push(action);
    }

    fn prepayment(&mut self, habits: &PaymentHabits, book: &PolicyBook) {
        if self.state.customer.prepayment_required {
            return;
        }
        let Some(why) = habits.prepayment_reason(&book.prepayment) else { return };
        let mut action = self.action(ActionKind::Prepayment, Reason::HabitualLatePayer, "flag");
        action.address_to = ContactRole::DecisionMaker;
        action.explanation = format!(
            "{} {why}: switch them to payment in advance, so new orders are paid before delivery.",
            self.state.customer.name
        );
        self.actions.push(action);
    }

    /// Over the credit limit, or invoiced on credit although they must pay in advance.
    fn credit_warnings(&mut self) {
        let customer = &self.state.customer;
        if let Some(limit) = customer.credit_limit {
            let owed = self.context.owed(limit.currency());
            if owed.amount_minor() > limit.amount_minor() {
                let newest = self
                    .invoices
                    .iter()
                    .filter(|i| i.open.currency() == limit.currency())
                    .max_by_key(|i| (i.issue_date, i.number.as_str().to_owned()));
                if let Some(newest) = newest {
                    let mut action =
                        self.action(ActionKind::OverCreditLimit, Reason::OverCreditLimit, newest.number.as_str());
                    action.address_to = ContactRole::DecisionMaker;
                    action.explanation = format!(
                        "{} owes {owed} against a credit limit of {limit} since invoice {}: deliver nothing more on credit until they pay.",
                        customer.name, newest.number
                    );
                    action.invoices = vec![self.listed(newest, None)];
                    self.actions.push(action);
                }
            }
        }
        if customer.prepayment_required {
            let on_credit: Vec<ActionInvoice> =
                self.invoices.iter().filter(|i| !i.prepayment_terms).map(|i| self.listed(i, None)).collect();
            if !on_credit.is_empty() {
                let mut action = self.action(
                    ActionKind::CreditToPrepaymentCustomer,
                    Reason::PrepaymentCustomerOnCredit,
                    &Self::invoices_key(&on_credit),
                );
                action.explanation = format!(
                    "{} must pay in advance, yet {} invoice(s) were issued to them on credit terms: ask for payment before delivering.",
                    customer.name,
                    on_credit.len()
                );
                action.invoices = on_credit;
                self.actions.push(action);
            }
        }
    }
}

/// "Why this action today, and what comes next" for one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub invoice: InvoiceNumber,
    pub policy: String,
    /// Where the invoice stands, in a sentence.
    pub now: String,
    /// Today's actions that concern it.
    pub today: Vec<PlannedAction>,
    /// The next step and its date if nothing changes (no payment, promise or dispute).
    pub next: Option<(String, NaiveDate)>,
    /// Why the customer takes the steps for repeat offenders, when they do (the evidence from
    /// their own history).
    pub repeat_offender: Option<String>,
}

/// Explains `number` on `as_of`; `None` if it is not among the customer's open invoices.
pub fn explain(
    as_of: NaiveDate,
    state: &CustomerState,
    book: &PolicyBook,
    calendar: &BusinessCalendar,
    number: &InvoiceNumber,
) -> Option<Explanation> {
    let invoice = state.invoices.iter().find(|i| &i.number == number && i.open.is_positive())?;
    let policy = state.policy(book);
    let judged = judge_promises(as_of, state, policy);
    let context = StepContext::new(as_of, state, policy, &judged.habits);
    let today: Vec<PlannedAction> = plan(as_of, state, book, calendar)
        .into_iter()
        .filter(|a| a.invoices.iter().any(|i| &i.number == number))
        .collect();
    let ladder = position(as_of, policy, &context, invoice, calendar);
    let next = next_step(as_of, (policy, book.country), &context, (invoice, calendar), &ladder);
    Some(Explanation {
        invoice: number.clone(),
        policy: policy.name.clone(),
        now: talk::ladder_sentence(as_of, &state.customer, policy, invoice, &ladder),
        today,
        next,
        repeat_offender: repeat_offender_evidence(&judged.habits),
    })
}

/// Why a customer counts as a repeat offender, from their last year: invoices paid late (each
/// instalment judged by its own due date) and promises broken.
fn repeat_offender_evidence(habits: &PaymentHabits) -> Option<String> {
    if !habits.is_repeat_offender() {
        return None;
    }
    let mut evidence = Vec::new();
    if habits.paid_late > 0 {
        evidence.push(format!(
            "paid {} of {} invoices late in the last year ({} late on average)",
            habits.paid_late,
            habits.invoices_paid,
            talk::days(habits.average_days_late())
        ));
    }
    if habits.broken_promises > 0 {
        let promises = if habits.broken_promises == 1 { "promise" } else { "promises" };
        evidence.push(format!("broke {} {promises} to pay", habits.broken_promises));
    }
    Some(format!("Steps for repeat offenders apply: the customer {}.", evidence.join(" and ")))
}

/// The step after the current position, supposing today's step is taken today.
fn next_step(
    as_of: NaiveDate,
    (policy, country): (&Policy, Option<crate::ids::Country>),
    context: &StepContext,
    (invoice, calendar): (&OpenInvoice, &BusinessCalendar),
    ladder: &LadderState,
) -> Option<(String, NaiveDate)> {
    let name = |index: usize| policy.steps[index].name.clone();
    match ladder {
        LadderState::Waiting { index, on } => Some((name(*index), *on)),
        LadderState::Due { index, .. } => {
            let step = &policy.steps[*index];
            let mut taken = invoice.clone();
            taken.last_step = Some(StepTaken {
                name: step.name.clone(),
                on: as_of,
                tone: policy.tone_of(step),
                deadline: step.deadline(as_of, country),
            });
            match position(as_of, policy, context, &taken, calendar) {
                LadderState::Waiting { index, on } | LadderState::Due { index, on } => Some((name(index), on)),
                _ => None,
            }
        }
        LadderState::Paused { until } | LadderState::SaidPaid { until, .. } => {
            let after = crate::date::add_days(*until, 1);
            match position(after, policy, context, invoice, calendar) {
                LadderState::Waiting { index, on } | LadderState::Due { index, on } => {
                    Some((name(index), on.max(after)))
                }
                _ => None,
            }
        }
        _ => None,
    }
}
