//! What the store hands back: organisations, listings of customers and invoices, and the detail
//! of one invoice with the payments applied to it.

use chrono::NaiveDate;
use overdue_core::currency::Currency;
use overdue_core::ids::Country;
use overdue_core::invoice::{Invoice, InvoiceKind, InvoiceStatus};
use overdue_core::money::Money;
use overdue_core::payment::PaymentMethod;
use serde::Serialize;

/// The id of an organisation: every row of the books belongs to one.
pub type TenantId = i64;

/// A business using overdue (a tenant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: TenantId,
    pub name: String,
    pub country: Country,
    pub currency: Currency,
    /// Its time zone (IANA name), when set; else the usual one of its country.
    pub time_zone: Option<String>,
}

/// What `overdue init` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub name: String,
    pub country: Country,
    pub currency: Currency,
}

/// How an import treats rejected rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Apply nothing if any row is rejected.
    pub all_or_nothing: bool,
}

/// Which slice of a long listing to return.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Page {
    /// At most this many rows; `None` for all.
    pub limit: Option<u32>,
    /// Rows skipped first (the listing's order is stable: by code, by due date and number).
    pub offset: u64,
}

/// Rows of a listing and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing<T> {
    pub rows: Vec<T>,
    pub total: u64,
}

/// A customer line in a listing: what they owe, per currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerSummary {
    pub code: String,
    pub legal_name: String,
    pub country: Country,
    pub currency: Currency,
    pub open_invoices: u64,
    /// Open balance per currency (empty when nothing is owed).
    pub open: Vec<Money>,
    /// Credit from over-payments per currency, not yet used against an invoice.
    pub credit: Vec<Money>,
}

/// Which invoices to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFilter {
    pub open_only: bool,
    pub customer: Option<String>,
    pub page: Page,
    /// The books as they stood on this day: invoices issued after it left out, payments and
    /// credits dated after it added back to what is open. `None`: as they stand now.
    pub as_of: Option<NaiveDate>,
}

/// An invoice line in a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceSummary {
    pub number: String,
    pub customer_code: String,
    pub customer_name: String,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub gross: Money,
    pub open: Money,
    pub terms: String,
}

/// A payment as applied to one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedPayment {
    pub reference: String,
    pub date: NaiveDate,
    pub method: PaymentMethod,
    pub amount: Money,
    /// Settled with it without being paid: the early-payment discount taken in time, or a small
    /// shortfall such as bank charges (zero when none).
    pub written_off: Money,
}

/// One invoice in full, with its open balance and the payments applied to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceDetail {
    pub invoice: Invoice,
    pub customer_name: String,
    pub open: Money,
    pub payments: Vec<AppliedPayment>,
}

/// What a daily run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RunReport {
    /// Customers looked at.
    pub customers: u64,
    /// Open invoices looked at.
    pub invoices: u64,
    /// Actions the engine planned for the day.
    pub planned: u64,
    /// Of those, actions new in the books (the rest were planned by an earlier run).
    pub created: u64,
}

/// A planned action as kept in the books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAction {
    pub id: i64,
    pub customer_code: String,
    pub customer_name: String,
    pub due_on: NaiveDate,
    pub kind: String,
    pub reason: String,
    pub explanation: String,
    pub channel: Option<String>,
    pub tone: Option<String>,
    pub template: Option<String>,
    pub step: Option<String>,
    pub address_to: String,
    pub questions: Vec<String>,
    pub invoices: Vec<overdue_core::engine::ActionInvoice>,
    pub promise_id: Option<i64>,
    /// "open" or "done".
    pub status: String,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<String>,
    /// The last day to pay its message gives (a final demand's), fixed when it was planned.
    pub deadline: Option<NaiveDate>,
    /// Its idempotency key (`customer:kind:part`): planning it again creates nothing.
    pub key: String,
}

/// One event in a customer's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub on: NaiveDate,
    /// A time of day, where one was recorded (UTC, `HH:MM`).
    pub time: Option<String>,
    /// invoice, payment, call, email, …, promise, dispute, action, credit_report.
    pub kind: String,
    /// The event in English (the CLI, the API, the case file).
    pub text: String,
    /// The event as facts, for the pages to word in their visitor's language.
    #[serde(skip)]
    pub facts: TimelineFacts,
}

/// What a timeline entry records, as facts: amounts with their currency, days, codes (channel,
/// reason, method, step) and what people typed, never a sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TimelineFacts {
    InvoiceIssued {
        number: String,
        gross: Money,
        due_date: NaiveDate,
    },
    CreditNoteIssued {
        number: String,
        gross: Money,
    },
    InvoiceSent {
        number: String,
    },
    InvoicePaid {
        number: String,
    },
    /// `method` as stored (`transfer`, `direct_debit`, …).
    Payment {
        amount: Money,
        payer: Option<String>,
        method: String,
        reference: String,
        remittance: Option<String>,
    },
    CreditNoteUsed {
        note: String,
        amount: Money,
    },
    PaymentTakenBack {
        amount: Money,
        reference: String,
        why: String,
    },
    /// `direction` inbound or outbound; `channel` call, email, letter, …; `reason` a non-payment
    /// reason code; the receipt check's answers, when asked, in `receipt_check`.
    Conversation {
        direction: String,
        channel: String,
        contact: Option<String>,
        by: String,
        summary: String,
        outcome: Option<String>,
        reason: Option<String>,
        note: Option<String>,
        receipt_check: Option<overdue_core::contact::ReceiptCheck>,
    },
    Promise {
        amount: Money,
        method: Option<String>,
        promised_date: NaiveDate,
        promised_by: Option<String>,
    },
    DisputeOpened {
        number: String,
        reason: String,
        note: Option<String>,
    },
    DisputeResolved {
        number: String,
        resolution: Option<String>,
    },
    ActionPlanned {
        action: ActionFacts,
    },
    ActionDone {
        action: ActionFacts,
        by: String,
        note: Option<String>,
    },
    ActionSkipped {
        action: ActionFacts,
        by: String,
        reason: String,
    },
    /// Its message was withdrawn or rejected before it went; `note` says which and why.
    MessageWithdrawn {
        action: ActionFacts,
        note: String,
    },
    MessageApproved {
        action: ActionFacts,
        by: String,
    },
    CustomerChanged {
        by: String,
        field: String,
        old: Option<String>,
        new: Option<String>,
    },
    CreditReport {
        source: String,
        rating: String,
    },
    /// The customer said invoice `number` is paid: `amount` on `paid_on`, quoting `reference`.
    SaidPaid {
        number: String,
        amount: Money,
        paid_on: NaiveDate,
        reference: Option<String>,
        by: String,
    },
    /// A link to the customer's own page was made, open until `until`.
    PageLinkMade {
        until: NaiveDate,
    },
    /// A link to the customer's own page was revoked.
    PageLinkRevoked,
    /// Payment plan `id` agreed: `total` in `instalments` from `first` to
    /// `last`.
    PlanAgreed {
        id: i64,
        total: Money,
        instalments: u64,
        first: NaiveDate,
        last: NaiveDate,
        by: String,
    },
    PlanCancelled {
        id: i64,
        reason: String,
        by: String,
    },
    /// The customer opened their own page, `times` that day.
    PageVisited {
        times: u64,
    },
    /// Anything else: its `text` says it.
    #[default]
    Other,
}

/// Why a 60-day alarm was closed without a call: the contact it asked for happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmCleared {
    Conversation,
    Promise,
    Dispute,
    SaidPaid,
}

impl AlarmCleared {
    pub const ALL: [AlarmCleared; 4] = [Self::Conversation, Self::Promise, Self::Dispute, Self::SaidPaid];

    /// How the books say it, after `cleared: ` in the action's note.
    pub fn note(self) -> &'static str {
        match self {
            Self::Conversation => "a conversation with the customer was logged",
            Self::Promise => "a promise to pay was recorded",
            Self::Dispute => "a dispute was raised",
            Self::SaidPaid => "the customer said it is paid",
        }
    }

    /// The reason of an action's note written by [`AlarmCleared::note`], if it is one.
    pub fn of_note(note: &str) -> Option<Self> {
        let why = note.strip_prefix("cleared: ")?;
        Self::ALL.into_iter().find(|cleared| cleared.note() == why)
    }

    /// A stable name (`conversation`, `promise`, `dispute`, `said_paid`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Conversation => "conversation",
            Self::Promise => "promise",
            Self::Dispute => "dispute",
            Self::SaidPaid => "said_paid",
        }
    }
}

/// What an action on the timeline was: its kind (`step`, `sixty_day_alarm`, …), why (`overdue`,
/// `pre_due`, …), the ladder step and channel for a step, and the invoices it was about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFacts {
    pub kind: String,
    pub reason: String,
    pub step: Option<String>,
    pub channel: Option<String>,
    pub invoices: Vec<String>,
}

/// What a charge on an invoice is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    /// Late-payment interest, as claimed up to a day.
    Interest,
    /// The fixed compensation for recovery costs (EUR 40; GBP 40 / 70 / 100).
    Compensation,
    /// The late fee of a dunning step.
    StepFee,
}

impl ChargeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Interest => "interest",
            Self::Compensation => "compensation",
            Self::StepFee => "step_fee",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Interest, Self::Compensation, Self::StepFee].into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// Whether the customer is asked for a charge or it was let go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeStatus {
    Charged,
    Waived,
}

impl ChargeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Charged => "charged",
            Self::Waived => "waived",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Charged, Self::Waived].into_iter().find(|s| s.as_str() == text.trim())
    }
}

/// A charge or waiver to record on an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCharge {
    pub kind: ChargeKind,
    /// The dunning step of a step fee.
    pub step: Option<String>,
    pub amount: Money,
    /// Interest: computed up to this day; otherwise the day the charge arose.
    pub computed_to: NaiveDate,
    pub status: ChargeStatus,
    pub recorded_on: NaiveDate,
    pub recorded_by: String,
    pub note: Option<String>,
    /// The computation, for a customer or a judge to check (JSON or text).
    pub detail: Option<String>,
}

/// A charge or waiver as kept in the books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCharge {
    pub kind: ChargeKind,
    pub step: Option<String>,
    pub amount: Money,
    pub computed_to: NaiveDate,
    pub status: ChargeStatus,
    pub recorded_on: NaiveDate,
    pub recorded_by: String,
    pub note: Option<String>,
}

/// What importing bank statement lines did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BankImportReport {
    /// Lines seen for the first time.
    pub new_lines: u64,
    /// Lines imported before (same account, statement and entry): left as they were.
    pub known_lines: u64,
    /// Money paid out: kept, not matched.
    pub debits: u64,
    /// Credits matched with confidence and recorded as payments.
    pub applied: u64,
    /// Credits with a proposal waiting for a person (`overdue matches`).
    pub to_review: u64,
    /// Credits nothing was found for.
    pub unmatched: u64,
    /// Customer payments the bank took back in these lines (a returned direct debit, a
    /// reversed credit): each payment undone, its invoices open again, a task on the work list.
    pub reversed: Vec<ReversedPayment>,
    /// Debits that return or reverse a credit overdue has no record of applying: for a person.
    pub returns_untraced: u64,
    /// Credits giving back one of the business's own payments (a transfer it made, returned):
    /// never a customer's payment.
    pub own_payments_returned: u64,
    /// Statements whose opening balance does not follow the account's last closing balance.
    pub breaks: Vec<StatementBreak>,
}

/// A customer payment the bank took back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReversedPayment {
    pub customer: String,
    pub payment: String,
    pub amount: overdue_core::money::Money,
    /// The invoices it had paid, open again.
    pub invoices: Vec<String>,
    pub reversal: overdue_core::bank::Reversal,
    pub on: chrono::NaiveDate,
}

/// A statement that does not follow the account's last one on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementBreak {
    pub account: String,
    pub statement: String,
    pub opening: overdue_core::bank::Balance,
    pub previous_statement: String,
    pub previous_closing: overdue_core::bank::Balance,
    pub kind: overdue_core::bank::Continuity,
}

impl std::fmt::Display for StatementBreak {
    /// "statement S of account A opens at … on …, but the last one imported (P) closed at … on
    /// …: a statement between them is missing" (or "it overlaps…").
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            overdue_core::bank::Continuity::Overlap => "it overlaps statements already imported (or came out of order)",
            _ => "a statement between them is missing",
        };
        write!(
            f,
            "statement {} of account {} opens at {} on {}, but the last one imported ({}) closed at {} on {}: {what}",
            self.statement,
            self.account,
            self.opening.amount,
            self.opening.date,
            self.previous_statement,
            self.previous_closing.amount,
            self.previous_closing.date
        )
    }
}

/// One statement of an imported file, with the balances it states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRecord {
    pub account: String,
    pub statement: String,
    pub opening: Option<overdue_core::bank::Balance>,
    pub closing: Option<overdue_core::bank::Balance>,
}

/// Where a bank line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BankLineStatus {
    Applied,
    Review,
    Unmatched,
    Debit,
    Ignored,
}

impl BankLineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Review => "review",
            Self::Unmatched => "unmatched",
            Self::Debit => "debit",
            Self::Ignored => "ignored",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Applied, Self::Review, Self::Unmatched, Self::Debit, Self::Ignored]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// Part of a bank line proposed for (or applied to) one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct LineAllocation {
    pub invoice_id: i64,
    pub number: String,
    pub amount_minor: i64,
    /// Early-payment discount settled with it.
    pub discount_minor: i64,
}

/// A bank line as kept in the books, with what the matcher made of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredBankLine {
    pub id: i64,
    pub line: overdue_core::bank::BankLine,
    pub status: BankLineStatus,
    /// The customer proposed or decided.
    pub customer: Option<String>,
    pub confidence: u8,
    pub evidence: Vec<overdue_core::matching::Evidence>,
    pub proposal: Vec<LineAllocation>,
    /// The payment it became, once applied.
    pub payment: Option<String>,
    pub note: Option<String>,
}

/// What a person decides about a bank line waiting for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankDecision {
    /// Apply the proposal as it stands.
    Accept,
    /// It is this customer's money: pay the invoices named (oldest due first), or the
    /// customer's oldest due when none is named; any excess is the customer's credit.
    Assign { customer: String, invoices: Vec<String> },
    /// Not a customer's payment (a refund, a loan, a transfer between own accounts).
    Ignore { reason: String },
    /// An applied line was matched wrongly: its payment is undone (recorded, with the reason),
    /// the invoices it paid open again, and the line waits for review once more. A line set
    /// aside by mistake waits for review again.
    Undo { reason: String },
}

/// An invoice's original document as received (an e-invoice file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceDocument {
    pub file_name: String,
    /// The format's name (UBL, FatturaPA, Facturae).
    pub format: String,
    pub content: String,
}

/// Where a message in the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Queued,
    /// Claimed by a sender and being handed to the mail server.
    Sending,
    Sent,
    Failed,
    /// A sender stopped while handing it over: it may or may not have gone; a person decides.
    Uncertain,
    Cancelled,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Uncertain => "uncertain",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Queued, Self::Sending, Self::Sent, Self::Failed, Self::Uncertain, Self::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub action_id: i64,
    pub customer: String,
    pub status: OutboxStatus,
    pub attempts: i64,
    pub next_attempt_at: chrono::NaiveDateTime,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub message_id: Option<String>,
    pub last_error: Option<String>,
    pub sent_at: Option<chrono::NaiveDateTime>,
    /// The day its action is due.
    pub due_on: NaiveDate,
    /// Why it waits for a person's approval before it goes (`None`: it needs none).
    pub approval: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// What its action is, in a sentence (the invoices, the step).
    pub what: String,
}

impl OutboxEntry {
    /// It waits for a person's approval and has none yet.
    pub fn awaits_approval(&self) -> bool {
        self.status == OutboxStatus::Queued && self.approval.is_some() && self.approved_by.is_none()
    }
}

/// What a person decides about a failed or uncertain message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxDecision {
    Retry,
    Cancel,
}

/// An API token as kept: never its secret, which is shown once when created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub tenant: TenantId,
    pub name: String,
    pub role: overdue_core::access::Role,
    pub created_at: chrono::NaiveDateTime,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub revoked_at: Option<chrono::NaiveDateTime>,
}

/// A private link to a customer's own page, as kept (never its secret, which is only in the
/// link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerLink {
    pub tenant: TenantId,
    /// The code of the customer whose page it opens.
    pub customer: String,
    pub expires_at: chrono::NaiveDateTime,
    pub revoked: bool,
}

/// The response given to a request sent with an `Idempotency-Key`: sent again to a retry with the
/// same key and the same request (`request_fingerprint`, a hash of method, path and body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentResponse {
    pub request_fingerprint: String,
    pub status: u16,
    pub body: String,
}

/// Where a scheduled job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Running,
    Done,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Running, Self::Done, Self::Failed].into_iter().find(|state| state.as_str() == text)
    }
}

/// One scheduled job of an organisation for a day, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// `daily_run` (the day planned), `outbox` (its mail sent).
    pub job: String,
    pub day: NaiveDate,
    pub state: JobState,
    /// The server (`host:pid`) that ran it last.
    pub worker: String,
    pub attempts: i64,
    pub started_at: chrono::NaiveDateTime,
    pub finished_at: Option<chrono::NaiveDateTime>,
    /// What it did, or why it failed.
    pub outcome: Option<String>,
}

/// A person who logs in to an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub tenant: TenantId,
    pub email: String,
    pub role: overdue_core::access::Role,
    pub created_at: chrono::NaiveDateTime,
    /// Since when they may no longer log in.
    pub disabled_at: Option<chrono::NaiveDateTime>,
}

/// A live session: who, the token its unsafe requests must carry, and when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: chrono::NaiveDateTime,
}
