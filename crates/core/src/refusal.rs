//! Why the books refuse a request, as facts: each edge says them in its own words and language
//! (the CLI and the API in English through `Display`, the pages in the visitor's language).
//!
//! Reasons not yet given as facts travel as [`Refusal::Said`], English text.

use crate::Money;
use crate::text::TextError;
use chrono::NaiveDate;

/// What a field left empty had to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    /// Why a payment recorded by mistake is undone.
    WhyPaymentUndone,
    /// Why a waiting message must not go.
    WhyMessageStopped,
    /// Why a planned action is skipped.
    WhyActionSkipped,
    /// What was said in a conversation with the customer.
    WhatWasSaid,
    /// How a dispute was resolved.
    HowDisputeResolved,
    /// What a closing day is.
    WhatClosingDayIs,
    /// What an API token is for.
    WhatTokenIsFor,
    /// Why a fee or compensation is waived.
    WhyWaived,
    /// Why a bank line is not a customer's payment.
    WhyLineSetAside,
    /// Who approves invoices on the customer's side.
    WhoApproves,
    /// Why a payment plan is cancelled.
    WhyPlanCancelled,
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error("{}", ask_text(*.0))]
    Empty(Ask),
    #[error("{day} is after today ({today})")]
    AfterToday { day: NaiveDate, today: NaiveDate },
    #[error("{day} has passed (today is {today})")]
    DayPast { day: NaiveDate, today: NaiveDate },
    #[error("{0}")]
    Text(TextError),
    #[error("\"{day}\" is not a date: expected YYYY-MM-DD between 1900 and 2999, e.g. 2026-01-31")]
    OutsideYears { day: NaiveDate },
    #[error("a password has at least {min_chars} characters")]
    PasswordTooShort { min_chars: usize },
    /// One answer for every wrong e-mail, password or stopped access (nothing says which).
    #[error("wrong e-mail or password")]
    WrongLogin,
    #[error("{email} cannot disable themselves: another administrator can")]
    CannotDisableSelf { email: String },
    #[error("{email} cannot log in to {organisation} already")]
    CannotLogInAlready { email: String, organisation: String },
    #[error("{email} can already log in to this organisation")]
    CanAlreadyLogIn { email: String },
    #[error("invoice {number} is not an invoice of customer {customer}")]
    NotTheirInvoice { number: String, customer: String },
    #[error("{customer} owes nothing in {currency} on {on}: a promise to pay is for money owed")]
    OwesNothingIn { customer: String, currency: crate::Currency, on: NaiveDate },
    /// A promise for more than what it covers owes: `invoices` named (none: all the customer
    /// owes in the currency).
    #[error("{}", promise_above_owed(self))]
    PromiseAboveOwed { amount: Money, owed: Money, customer: String, on: NaiveDate, invoices: Vec<String> },
    #[error("a promise to pay is for more than nothing: {amount}")]
    PromiseOfNothing { amount: Money },
    #[error("{promised_date} is before the promise was made")]
    PromiseBeforeMade { promised_date: NaiveDate },
    #[error("a promise to pay is for the coming year at most: {promised_date} is further")]
    PromiseTooFar { promised_date: NaiveDate },
    #[error("invoice {number} is already in dispute since {since}: resolve that dispute first")]
    AlreadyInDispute { number: String, since: String },
    #[error(
        "{reason:?} is a delay, not a dispute: a dispute questions the invoice itself (quality, quantity, price, not received…); record the delay as the conversation's reason"
    )]
    NotADispute { reason: String },
    #[error("{reason:?} is not one of: {}", crate::contact::NonPaymentReason::names())]
    NotAReason { reason: String },
    #[error("{email:?} is not an e-mail address")]
    NotAnEmail { email: String },
    #[error("invoice {number} has no dispute open on {on}")]
    NoOpenDispute { number: String, on: NaiveDate },
    #[error("{paid_on} is before invoice {number} was issued ({issued_on})")]
    PaidBeforeIssued { paid_on: NaiveDate, number: String, issued_on: NaiveDate },
    #[error("invoice {number}: the customer already said on {on} that it is paid; the money is being looked for")]
    AlreadySaidPaid { number: String, on: NaiveDate },
    #[error("a payment is of more than nothing: {amount}")]
    PaidNothing { amount: Money },
    #[error("{}", if *.max == 0 { "payment plans are not offered on this page".to_owned() } else { format!("a plan here is of 2 to {max} monthly instalments, not {count}") })]
    PlanNotOffered { count: usize, max: usize },
    #[error("the first instalment is for the coming 30 days: {first} is later")]
    PlanFirstTooLate { first: NaiveDate },
    /// A plan asked for on the customer's page once a final demand has gone or waits to go: it
    /// is agreed with a person then.
    #[error("a final demand has been sent: a payment plan is agreed with us directly, not on this page")]
    PlanAfterFinalDemand,
    /// A plan asked for on the customer's page after one of theirs broke.
    #[error("payment plan {id} was broken on {on}: a new plan is agreed with us directly, not on this page")]
    PlanBrokenBefore { id: i64, on: NaiveDate },
    /// Nothing overdue is left for a plan to cover: all of it is disputed, said paid or in a
    /// plan already.
    #[error("nothing overdue is left for a payment plan to cover")]
    NothingToPlan,
    /// An invoice of the customer with nothing left open on it.
    #[error("invoice {number} is paid: nothing is open on it")]
    InvoiceSettled { number: String },
    /// More said paid than the invoice has open.
    #[error("{amount} is more than the {open} open on invoice {number}: say what was paid for this invoice")]
    PaidAboveOpen { amount: Money, open: Money, number: String },
    /// A promise that, with those still pending, would promise more than is owed.
    #[error("{promised} is promised already by {by}; {amount} more would be more than the {owed} owed")]
    PromisedAlready { amount: Money, promised: Money, by: NaiveDate, owed: Money },
    #[error("payment plan {id} was already cancelled on {day}")]
    PlanCancelled { id: i64, day: NaiveDate },
    #[error("the period ends on {to}, before it begins on {from}")]
    PeriodBackwards { from: NaiveDate, to: NaiveDate },
    #[error("payment {reference} was already undone on {day}")]
    PaymentAlreadyUndone { reference: String, day: NaiveDate },
    #[error(
        "payment {reference} came from bank line {line}: undo that line's match instead, so the line waits for a decision again"
    )]
    PaymentFromBankLine { reference: String, line: i64 },
    #[error("action {id} was already {} on {} by {by}", if *.skipped { "skipped" } else { "done" }, on.map_or("?".into(), |d| d.to_string()))]
    ActionClosed { id: i64, skipped: bool, on: Option<NaiveDate>, by: String },
    #[error("action {id} is due on {due_on}: it cannot be done on {on}")]
    ActionNotYetDue { id: i64, due_on: NaiveDate, on: NaiveDate },
    #[error("message {id} is {status}: {}", message_states(*.allowed))]
    MessageNotWaiting { id: i64, status: String, allowed: MessageStates },
    #[error("bank line {id} is {status}: only lines waiting for review can be decided")]
    BankLineDecided { id: i64, status: String },
    #[error("bank line {id} is {status}: only an applied line or one set aside can be undone")]
    BankLineNotUndoable { id: i64, status: String },
    #[error(
        "bank line {id} is money the bank took back, not a payment: undo the payment it returns (`overdue matches undo LINE`), then set this one aside with `overdue matches ignore {id}`"
    )]
    BankLineTakenBack { id: i64 },
    #[error("bank line {id}: its payment was already undone")]
    BankLinePaymentUndone { id: i64 },
    #[error(
        "bank line {id} has no proposal to accept: say whose money it is with `overdue matches assign {id} CUSTOMER`"
    )]
    BankLineNoProposal { id: i64 },
    #[error(
        "{customer} has never been invoiced in {currency}: this {amount} is not theirs to pay with; assign it to the customer invoiced in {currency}, or set it aside"
    )]
    NeverInvoicedIn { customer: String, currency: crate::Currency, amount: Money },
    #[error("invoice {number} is not an open {currency} invoice of this customer")]
    NotOpenInvoiceOfCustomer { number: String, currency: crate::Currency },
    #[error(
        "bank line {line}: the proposal is out of date — invoice {number} had {then} open when it was made and has {now} now; say where the money goes with `overdue matches assign {line} CUSTOMER --invoice …`"
    )]
    ProposalOutOfDate { line: i64, number: String, then: Money, now: Money },
    /// A link to a customer's page that opens nothing: unknown, expired or revoked (one answer
    /// for all three).
    #[error("this link opens no page: it may have expired; ask for a new one")]
    LinkClosed,
    /// A reason given only as English text.
    #[error("{0}")]
    Said(String),
}

/// Which messages a change to the outbox can touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStates {
    /// Retry and cancel: queued, failed or uncertain.
    RetryOrCancel,
    /// Withdraw: waiting to go out.
    Withdraw,
    /// Approve: waiting for approval.
    Approve,
    /// Reject: not gone yet.
    Reject,
}

fn ask_text(ask: Ask) -> &'static str {
    match ask {
        Ask::WhyPaymentUndone => "say why the payment is undone",
        Ask::WhyMessageStopped => "say why it must not go",
        Ask::WhyActionSkipped => "say why it is skipped",
        Ask::WhatWasSaid => "say in a sentence what was said",
        Ask::HowDisputeResolved => "say how it was resolved",
        Ask::WhatClosingDayIs => "say what the day is (\"Christmas closing\")",
        Ask::WhatTokenIsFor => "say what the token is for, e.g. \"ERP\"",
        Ask::WhyWaived => "say why it is waived",
        Ask::WhyLineSetAside => "say why the bank line is not a customer's payment: \"loan repayment\", \"refund\"…",
        Ask::WhoApproves => "say who approves invoices (a name)",
        Ask::WhyPlanCancelled => "say why the plan is cancelled",
    }
}

fn promise_above_owed(refusal: &Refusal) -> String {
    let Refusal::PromiseAboveOwed { amount, owed, customer, on, invoices } = refusal else { return String::new() };
    if invoices.is_empty() {
        format!("{amount} is more than the {owed} {customer} owes on {on}: a promise is for money owed")
    } else {
        format!("{amount} is more than the {owed} open on {} on {on}: a promise is for money owed", invoices.join(", "))
    }
}

fn message_states(states: MessageStates) -> &'static str {
    match states {
        MessageStates::RetryOrCancel => "only queued, failed or uncertain messages can be retried or cancelled",
        MessageStates::Withdraw => "only a message waiting to go out can be withdrawn",
        MessageStates::Approve => "only a message waiting for approval can be approved",
        MessageStates::Reject => "only a message not sent yet can be rejected",
    }
}

impl From<String> for Refusal {
    fn from(text: String) -> Self {
        Refusal::Said(text)
    }
}

impl From<&str> for Refusal {
    fn from(text: &str) -> Self {
        Refusal::Said(text.to_owned())
    }
}

impl From<TextError> for Refusal {
    fn from(error: TextError) -> Self {
        Refusal::Text(error)
    }
}
