//! Sending the outbox: each queued message is rebuilt from the books as they stand on the
//! sending day. What was paid, credited, promised, disputed or handed over since the run planned
//! it is left out; a message with nothing left to ask is withdrawn (its reason on the timeline);
//! one whose claim is incomplete is held for a person. The claim of a message is committed
//! before it is handed to the mail server and its outcome recorded after, so a stop at any
//! point never sends a message twice without a person deciding.

use crate::AppError;
use crate::messages::{PageLink, Prepared, prepare};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use overdue_core::engine::{self, ActionInvoice};
use overdue_core::ids::InvoiceNumber;
use overdue_core::policy::PolicyBook;
use overdue_core::promise::PromiseState;
use overdue_core::rates::RateTable;
use overdue_core::refusal::{Ask, Refusal};
use overdue_notify::{Mailer, Outgoing, SendError, Templates};
use overdue_store::{Organisation, OutboxEntry, Store, StoredAction};

/// Attempts before a temporary failure counts as permanent.
const ATTEMPTS_MAX: i64 = 6;

/// What becomes of a queued message on the sending day.
pub enum Verdict {
    /// The message as it goes out today.
    Send(Prepared),
    /// Nothing is left to ask, and why: it is withdrawn.
    Withdraw(NotAsked),
    /// It must not go out as it stands: a person decides (the message, and why).
    Hold(Prepared, String),
}

/// The books' environment a message is built in.
pub struct Sender<'a> {
    pub organisation: &'a Organisation,
    pub templates: &'a Templates,
    pub rates: &'a RateTable,
}

/// What a message planned earlier still asks for on the sending day.
pub struct StillAsked {
    pub invoices: Vec<ActionInvoice>,
    /// The customer's other invoices overdue on the day (not disputed, not under a pending
    /// promise), that it does not ask for.
    pub also_overdue: Vec<ActionInvoice>,
    /// The customer has an invoice in dispute on the day (its message needs approval).
    pub open_dispute: bool,
}

/// The link to `customer`'s own page a message going out at `now` carries: made for it when the
/// letterhead gives the server's public address, else none.
///
/// Errors: store errors.
pub fn page_link(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    now: NaiveDateTime,
) -> Result<PageLink, AppError> {
    if store.letterhead(organisation.id)?.public_url.is_none() {
        return Ok(PageLink::None);
    }
    let made = crate::portal::make_link(store, organisation, customer, (now, crate::portal::LINK_DAYS_DEFAULT))?;
    Ok(PageLink::Made(made.secret))
}

/// Why a message planned earlier asks for nothing on the sending day: it is withdrawn, never
/// sent. `Display` is the English note kept on the withdrawn message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAsked {
    /// A later message about the same invoices waits to go out: it says what is to be said.
    Superseded { count: usize },
    /// A note before the due date, once the date it announces has come.
    DueDatePassed { due_date: NaiveDate },
    /// Every invoice it asks for was left out since it was planned (paid, disputed, promised,
    /// handed over), and why.
    NothingLeft(engine::Recheck),
    /// The payment plan instalment it announces is paid, or the plan is over (completed, broken
    /// or cancelled).
    PlanInstalmentNotDue { plan: i64, due_date: NaiveDate },
}

impl std::fmt::Display for NotAsked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Superseded { count } => {
                write!(f, "a later message about the same invoices waits to go out ({count} superseded)")
            }
            Self::DueDatePassed { due_date } => write!(f, "the due date it announces has passed ({due_date})"),
            Self::NothingLeft(recheck) => write!(f, "nothing left to ask since it was planned ({})", recheck.reasons()),
            Self::PlanInstalmentNotDue { plan, due_date } => {
                write!(f, "the instalment of payment plan {plan} due on {due_date} is paid, or the plan is over")
            }
        }
    }
}

impl NotAsked {
    /// Whether the ladder steps the message stood for count as never taken: a message withdrawn
    /// because everything it asked for was settled, disputed, promised or handed over never
    /// went, so an invoice chased again later (a payment undone, a dispute resolved, a promise
    /// broken) starts from the step it really had. A superseded message or a note before a due
    /// date that has passed keeps its step: the ladder has moved on.
    pub fn step_not_taken(&self) -> bool {
        matches!(self, Self::NothingLeft(_))
    }
}

/// Withdraws queued message `id` for `why`: cancelled, its action closed with the reason, and
/// its steps forgotten when they were never taken ([`NotAsked::step_not_taken`]).
///
/// Errors: store errors (a message no longer waiting).
fn withdraw(
    store: &mut dyn Store,
    tenant: overdue_store::TenantId,
    id: i64,
    why: &NotAsked,
    today: NaiveDate,
) -> Result<(), AppError> {
    Ok(store.withdraw_message(tenant, id, &why.to_string(), today, why.step_not_taken())?)
}

/// The invoices a message planned earlier still asks for on `today`, or why none is. Reminders,
/// escalations, final demands and broken-promise follow-ups are looked at again; an invoice
/// e-mail or a prepayment notice says the same whatever happened since.
pub fn still_asked(
    store: &mut dyn Store,
    organisation: &Organisation,
    action: &StoredAction,
    today: NaiveDate,
) -> Result<Result<StillAsked, NotAsked>, AppError> {
    let state = store.customer_state(organisation.id, &action.customer_code, today)?;
    let book = store.policy_book(organisation.id)?;
    let open_dispute = state.disputes.iter().any(|d| d.is_open(today));
    if action.kind == "plan_instalment_due"
        && let Some((plan, due_date)) = overdue_core::payment_plan::parse_instalment_key(&action.key)
        && crate::plans::notice(store, organisation, &action.customer_code, (plan, due_date), today)?.is_none()
    {
        return Ok(Err(NotAsked::PlanInstalmentNotDue { plan, due_date }));
    }
    if !matches!(action.kind.as_str(), "step" | "broken_promise") {
        // said whatever happened since, with the amounts of the day
        let invoices: Vec<ActionInvoice> =
            action.invoices.iter().map(|listed| as_of_day(listed, &state, today)).collect();
        let also_overdue = others_overdue(&state, &book, &invoices, today);
        return Ok(Ok(StillAsked { invoices, also_overdue, open_dispute }));
    }
    // a later step still waiting to go says what is to be said about its invoices
    let later = store.later_queued_actions(organisation.id, action.id, today)?;
    let (superseded, listed): (Vec<ActionInvoice>, Vec<ActionInvoice>) = action
        .invoices
        .iter()
        .cloned()
        .partition(|i| later.iter().flat_map(|l| &l.invoices).any(|x| x.number == i.number));
    if listed.is_empty() {
        return Ok(Err(NotAsked::Superseded { count: superseded.len() }));
    }
    // a note before the due date says nothing true once the date has come: the ladder's
    // steps after it speak instead
    let (expired, listed): (Vec<ActionInvoice>, Vec<ActionInvoice>) =
        listed.into_iter().partition(|i| action.reason == "pre_due" && i.due_date <= today);
    if listed.is_empty() {
        return Ok(Err(NotAsked::DueDatePassed { due_date: expired[0].due_date }));
    }
    let recheck = engine::recheck(today, &state, &book, &listed);
    if recheck.is_empty() {
        return Ok(Err(NotAsked::NothingLeft(recheck)));
    }
    let also_overdue = others_overdue(&state, &book, &recheck.kept, today);
    Ok(Ok(StillAsked { invoices: recheck.kept, also_overdue, open_dispute }))
}

/// Withdraws each queued message due by `today` (of `customer` only, when given) whose action asks for nothing any more on
/// `today` ([`still_asked`]: its invoices paid, in dispute, promised, superseded by a later
/// message), as sending would withdraw it: the outbox and the work list then hold only what will
/// go. Messages being sent are left to the sender. How many were withdrawn.
///
/// Errors: store errors.
pub fn withdraw_stale(
    store: &mut dyn Store,
    organisation: &Organisation,
    today: NaiveDate,
    customer: Option<&str>,
) -> Result<u64, AppError> {
    let queued = store.queued_messages(organisation.id, customer, today)?;
    let mut withdrawn = 0;
    for message in queued {
        let action = store.action(organisation.id, message.action_id)?;
        if let Err(reason) = still_asked(store, organisation, &action, today)? {
            withdraw(store, organisation.id, message.id, &reason, today)?;
            withdrawn += 1;
        }
    }
    Ok(withdrawn)
}

/// The customer's invoices overdue on `today` that `listed` does not ask for, but for those in
/// dispute and those under a promise to pay still pending (a message chases neither: the ladder
/// is paused for them).
fn others_overdue(
    state: &engine::CustomerState,
    book: &PolicyBook,
    listed: &[ActionInvoice],
    today: NaiveDate,
) -> Vec<ActionInvoice> {
    let grace_days = state.policy(book).promise_grace_days;
    let promised = |number: &InvoiceNumber| {
        state.promises.iter().any(|p| {
            p.promise.covers(number) && p.promise.state(today, grace_days, &state.payments) == PromiseState::Pending
        })
    };
    state
        .invoices
        .iter()
        .filter(|i| i.open.is_positive() && i.due_date < today)
        .filter(|i| !listed.iter().any(|l| l.number == i.number))
        .filter(|i| !state.disputes.iter().any(|d| d.invoice == i.number && d.is_open(today)))
        .filter(|i| !promised(&i.number))
        .map(|i| ActionInvoice {
            number: i.number.clone(),
            open: i.open,
            due_date: i.due_date,
            days_overdue: (today - i.due_date).num_days(),
            step: None,
            fee: None,
        })
        .collect()
}

/// An invoice a message lists, with what is open and due on `today` when it is still open then.
fn as_of_day(listed: &ActionInvoice, state: &engine::CustomerState, today: NaiveDate) -> ActionInvoice {
    match state.invoices.iter().find(|i| i.number == listed.number) {
        Some(open) => ActionInvoice {
            open: open.open,
            due_date: open.due_date,
            days_overdue: (today - open.due_date).num_days(),
            ..listed.clone()
        },
        None => listed.clone(),
    }
}

/// The verdict on `action`'s message for `today`; `approved`: a person approved it (an
/// incomplete claim or an open dispute then holds it no longer).
pub fn for_sending(
    store: &mut dyn Store,
    sender: &Sender<'_>,
    action: &StoredAction,
    (today, approved, page): (NaiveDate, bool, &PageLink),
) -> Result<Verdict, AppError> {
    let asked = match still_asked(store, sender.organisation, action, today)? {
        Ok(asked) => asked,
        Err(reason) => return Ok(Verdict::Withdraw(reason)),
    };
    let (listed, also) = (&asked.invoices, &asked.also_overdue);
    let prepared =
        prepare(store, sender.organisation, sender.templates, sender.rates, (action, listed, also), (today, page))?;
    // a statement states the whole account, disputes included: nothing in it needs a person's eye
    let dispute = (asked.open_dispute && action.kind != "statement").then(|| engine::OPEN_DISPUTE.to_owned());
    let waiting = money_waiting(store, sender.organisation, &action.customer_code)?;
    Ok(match prepared.hold.clone().or(dispute).or(waiting) {
        Some(why) if !approved => Verdict::Hold(prepared, why),
        _ => Verdict::Send(prepared),
    })
}

/// Why a message must wait while money from its customer waits in the review list: a reminder
/// for what the customer may have paid is not sent until a person has looked.
fn money_waiting(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
) -> Result<Option<String>, AppError> {
    let waiting = store.money_waiting(organisation.id, Some(customer))?;
    if waiting.is_empty() {
        return Ok(None);
    }
    let amounts: overdue_core::money::Amounts = waiting.iter().map(|(_, m)| *m).collect();
    let amounts: Vec<String> = amounts.iter().map(|m| m.to_string()).collect();
    let amounts = amounts.join(" + ");
    Ok(Some(format!(
        "{amounts} received from this customer waits among the bank lines to decide (`overdue matches`, \
         /api/v1/bank/lines): decide it before chasing (or approve to send anyway)"
    )))
}

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// A temporary failure: queued again for later.
    Later,
    /// Failed for good, or held for a person: the action stays open.
    Failed,
    /// Nothing left to ask: withdrawn, nothing sent.
    Withdrawn,
    /// Back in the queue, waiting for a person's approval.
    Held,
}

/// Sends one claimed message as the books stand on `today` and records what happened. `now`
/// is the clock (UTC).
pub fn deliver(
    store: &mut dyn Store,
    sender: &Sender<'_>,
    mailer: &mut Mailer,
    message: &OutboxEntry,
    (today, now): (NaiveDate, &dyn Fn() -> NaiveDateTime),
) -> Result<Delivery, AppError> {
    let tenant = sender.organisation.id;
    let action = store.action(tenant, message.action_id)?;
    let page = page_link(store, sender.organisation, &action.customer_code, now())?;
    let outcome = match for_sending(store, sender, &action, (today, message.approved_by.is_some(), &page)) {
        Err(error) => Err(SendError::Permanent(error.to_string())),
        Ok(Verdict::Withdraw(reason)) => {
            withdraw(store, tenant, message.id, &reason, today)?;
            return Ok(Delivery::Withdrawn);
        }
        Ok(Verdict::Hold(_, why)) => {
            store.hold_message(tenant, message.id, &why)?;
            return Ok(Delivery::Held);
        }
        Ok(Verdict::Send(Prepared { to: None, .. })) => Err(SendError::Permanent(format!(
            "customer {} has no e-mail address for its {} contact: add one, then retry message {}",
            action.customer_code,
            action.address_to.replace('_', " "),
            message.id
        ))),
        Ok(Verdict::Send(Prepared { to: Some(to), language, rendered, attachments, deadline, .. })) => {
            if deadline.is_some() && deadline != action.deadline {
                // the letter gives this day: no later step may come before it
                store.set_action_deadline(tenant, action.id, deadline)?;
            }
            let message_id = format!("overdue.{tenant}.{}.{}@{}", message.id, message.attempts, mailer.domain());
            store.prepare_message(tenant, message.id, &to, &rendered.subject, &format!("<{message_id}>"))?;
            let outgoing = Outgoing {
                to: &to,
                message: &rendered,
                message_id: &message_id,
                language: &language,
                attachments: &attachments,
            };
            mailer.send(&outgoing)
        }
    };
    Ok(match outcome {
        Ok(()) => {
            store.message_delivered(tenant, message.id, now())?;
            Delivery::Sent
        }
        Err(SendError::Temporary(error)) if message.attempts < ATTEMPTS_MAX => {
            store.message_failed(tenant, message.id, &error, Some(now() + backoff(message.attempts)), now())?;
            Delivery::Later
        }
        Err(error) => {
            store.message_failed(tenant, message.id, &error.to_string(), None, now())?;
            Delivery::Failed
        }
    })
}

/// 1 minute, 5, 25, 2 hours, 10 hours.
fn backoff(attempts: i64) -> TimeDelta {
    TimeDelta::minutes(5i64.pow(u32::try_from(attempts.clamp(1, 5) - 1).unwrap_or(0)))
}

/// What one drain of the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub sent: u64,
    pub later: u64,
    pub failed: u64,
    pub withdrawn: u64,
    pub held: u64,
}

/// How a drain runs: the sending day, the clock what is recorded is dated by (UTC; a replayed day's
/// when `overdue send --as-of` replays one), the wall clock claims and retries are timed by, who is
/// draining (a worker name kept with each claim), at most how many messages, and a pause between
/// them (a mail server's rate).
pub struct Drain<'c> {
    pub today: NaiveDate,
    pub clock: &'c dyn Fn() -> NaiveDateTime,
    pub wall_clock: &'c dyn Fn() -> NaiveDateTime,
    pub worker: &'c str,
    pub limit: u64,
    pub pause: Option<std::time::Duration>,
}

/// Sends the organisation's messages due by now, one claim at a time, each as the books stand
/// on `today` ([`deliver`]). Several drains may run at once (several servers, a person's `overdue
/// send`): a message is claimed by one of them only.
///
/// Errors: store errors (a message already claimed stays claimed: a later drain marks it
/// uncertain, never sends it again by itself).
pub fn drain(
    store: &mut dyn Store,
    sender: &Sender<'_>,
    mailer: &mut Mailer,
    how: &Drain<'_>,
) -> Result<Tally, AppError> {
    let mut tally = Tally::default();
    for _ in 0..how.limit {
        let Some(message) = store.claim_message(sender.organisation.id, ((how.wall_clock)(), how.today), how.worker)?
        else {
            break;
        };
        match deliver(store, sender, mailer, &message, (how.today, how.clock))? {
            Delivery::Sent => tally.sent += 1,
            Delivery::Later => tally.later += 1,
            Delivery::Failed => tally.failed += 1,
            Delivery::Withdrawn => tally.withdrawn += 1,
            Delivery::Held => tally.held += 1,
        }
        if let Some(pause) = how.pause {
            std::thread::sleep(pause);
        }
    }
    Ok(tally)
}

/// Approves message `id` of the organisation: it goes out with the next drain.
///
/// Errors: store refusals (no such message, or it does not wait for approval).
pub fn approve(
    store: &mut dyn Store,
    organisation: &Organisation,
    id: i64,
    (by, at): (&str, NaiveDateTime),
) -> Result<OutboxEntry, AppError> {
    Ok(store.approve_message(organisation.id, id, by, at)?)
}

/// Sends a failed or uncertain message `id` again (check first that it did not go), or cancels a
/// message that has not gone (its action closed by `by`): the outbox entry as it now stands.
///
/// Errors: store refusals (no such message, or it was sent or is being sent).
pub fn decide(
    store: &mut dyn Store,
    organisation: &Organisation,
    id: i64,
    (decision, by, at): (overdue_store::OutboxDecision, &str, NaiveDateTime),
) -> Result<OutboxEntry, AppError> {
    Ok(store.decide_message(organisation.id, id, decision, by, at)?)
}

/// Rejects message `id` of the organisation with a reason: it never goes, and its action is
/// closed with that reason on the customer's timeline.
///
/// Errors: [`AppError::Invalid`] for an empty reason; store refusals (no such message, or it is
/// past deciding).
pub fn reject(
    store: &mut dyn Store,
    organisation: &Organisation,
    id: i64,
    (by, reason, on): (&str, &str, NaiveDate),
) -> Result<OutboxEntry, AppError> {
    crate::text("reason", reason)?;
    if reason.trim().is_empty() {
        return Err(AppError::Invalid { field: "reason", reason: Refusal::Empty(Ask::WhyMessageStopped) });
    }
    Ok(store.reject_message(organisation.id, id, by, reason.trim(), on)?)
}

/// What a person is shown before a message goes: whether it would go on the day, and as what.
pub struct Preview {
    /// `send`, `hold` (a person must decide first), `withdraw` (nothing left to ask), `done`
    /// (already sent, or the action closed) or `no_address` (an e-mail with nobody to send to).
    pub verdict: &'static str,
    /// Why it would not go as it stands.
    pub why: Option<String>,
    /// The message as it would be written on the day.
    pub prepared: Option<Prepared>,
    /// The outbox message waiting to go for the action, when one does and no person approved it
    /// yet: a held one may be approved.
    pub waiting: Option<i64>,
}

/// The message of `action` as it would go out on `today`, or why it would not: an action already
/// done says so (and how), an e-mail without an address says it cannot go.
///
/// Errors: store and template errors.
pub fn preview(
    store: &mut dyn Store,
    sender: &Sender<'_>,
    action: &StoredAction,
    today: NaiveDate,
) -> Result<Preview, AppError> {
    if action.status == "done" {
        let on = action.done_on.map_or_else(String::new, |day| format!(" on {day}"));
        let by = action.done_by.as_deref().map_or_else(String::new, |who| format!(" by {who}"));
        let why = format!("this action was closed{on}{by}: nothing more goes out for it");
        return Ok(Preview { verdict: "done", why: Some(why), prepared: None, waiting: None });
    }
    // a message a person approved goes as the sender would send it: approved
    let waiting =
        store.queued_messages(sender.organisation.id, Some(&action.customer_code), today.max(action.due_on))?;
    let mine = waiting.iter().find(|m| m.action_id == action.id);
    let approved = mine.is_some_and(|m| m.approved_by.is_some());
    let waiting = mine.filter(|m| m.approved_by.is_none()).map(|m| m.id);
    Ok(match for_sending(store, sender, action, (today, approved, &PageLink::Placeholder))? {
        Verdict::Send(prepared) if prepared.to.is_none() && action.channel.as_deref() != Some("letter") => {
            let why = format!(
                "the customer has no e-mail address for its {} contact: add one, or print it as a letter",
                action.address_to.replace('_', " ")
            );
            Preview { verdict: "no_address", why: Some(why), prepared: Some(prepared), waiting }
        }
        Verdict::Send(prepared) => Preview { verdict: "send", why: None, prepared: Some(prepared), waiting },
        Verdict::Hold(prepared, why) => Preview { verdict: "hold", why: Some(why), prepared: Some(prepared), waiting },
        Verdict::Withdraw(why) => Preview { verdict: "withdraw", why: Some(why.to_string()), prepared: None, waiting },
    })
}

/// Action `id`'s message as a PDF letter with the letterhead, built from the books as they stand
/// on `today` (printing it is a person's own act: no approval holds it); its subject and the PDF.
///
/// Errors: [`AppError::Refused`] when the letter is held for a reason approval cannot lift, or
/// nothing is left to ask on `today`; store and template errors.
pub fn action_letter(
    store: &mut dyn Store,
    sender: &Sender<'_>,
    id: i64,
    today: NaiveDate,
) -> Result<(String, Vec<u8>), AppError> {
    crate::day("as_of", today)?;
    let action = store.action(sender.organisation.id, id)?;
    let prepared = match for_sending(store, sender, &action, (today, true, &PageLink::None))? {
        Verdict::Send(prepared) => prepared,
        Verdict::Hold(_, why) => return Err(AppError::Refused(format!("action {id}'s letter is held: {why}").into())),
        Verdict::Withdraw(why) => {
            return Err(AppError::Refused(format!("action {id} has nothing left to ask on {today}: {why}").into()));
        }
    };
    let letterhead = store.letterhead(sender.organisation.id)?;
    let pdf = crate::messages::letter_pdf(
        sender.organisation,
        &letterhead,
        &prepared.rendered,
        (prepared.qr.as_deref(), prepared.addressed.as_ref()),
    )?;
    Ok((prepared.rendered.subject, pdf))
}
