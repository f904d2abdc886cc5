//! Where overdue keeps its books. One [`Store`] interface with two backends: an embedded SQLite
//! file (the default, `overdue.db`) and PostgreSQL (given a `postgres://` URL). Migrations run at
//! open; imports are idempotent by natural key (customer code, invoice number, payment reference)
//! and content fingerprint; every table is keyed by the organisation (tenant) first.

mod access;
mod bank;
mod bank_statements;
mod charges;
mod credits;
mod customer_answers;
mod customer_links;
mod customers;
mod documents;
mod error;
mod follow_up;
mod history;
mod import;
mod jobs;
mod model;
mod outbox;
mod past;
mod payment_plans;
mod pg;
mod reversals;
mod rows;
mod sql;
mod sqlite;
mod stored;
mod timeline;
mod users;

pub use credits::CREDIT_NOTE_REFERENCE;
pub use error::StoreError;
pub use model::*;
pub use pg::PostgresStore;
pub use sqlite::SqliteStore;

use chrono::NaiveDate;
use overdue_core::contact::Interaction;
use overdue_core::customer::{CreditReport, Customer};
use overdue_core::dispute::Dispute;
use overdue_core::engine::{CustomerState, PlannedAction};
use overdue_core::import::{ImportReport, ImportRow};
use overdue_core::invoice::Invoice;
use overdue_core::money::Money;
use overdue_core::payment::Payment;
use overdue_core::policy::PolicyBook;
use overdue_core::promise::PromiseToPay;

/// The books of every organisation, behind one interface whatever the database.
pub trait Store: Send {
    /// Which database this is ("sqlite" or "postgres").
    fn backend(&self) -> &'static str;

    fn create_organisation(&mut self, organisation: &NewOrganisation) -> Result<Organisation, StoreError>;
    fn organisations(&mut self) -> Result<Vec<Organisation>, StoreError>;
    /// Sets (or, with `None`, clears) the organisation's time zone, an IANA name checked by the
    /// caller.
    fn set_time_zone(&mut self, tenant: TenantId, time_zone: Option<&str>) -> Result<(), StoreError>;

    /// Imports customers: new codes are created, known codes with changed content updated.
    fn import_customers(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Customer>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError>;

    /// Imports issued invoices: a known number with the same content is unchanged, with other
    /// content rejected (invoices are not silently rewritten).
    fn import_invoices(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Invoice>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError>;

    /// Imports payments and allocates each to the customer's open invoices.
    fn import_payments(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Payment>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError>;

    /// Records a credit report on a customer (replacing one from the same source on the same
    /// day); `false` if there is no such customer.
    fn record_credit_report(&mut self, tenant: TenantId, code: &str, report: &CreditReport)
    -> Result<bool, StoreError>;

    fn customers(&mut self, tenant: TenantId, page: Page) -> Result<Listing<CustomerSummary>, StoreError>;
    fn customer(&mut self, tenant: TenantId, code: &str) -> Result<Option<Customer>, StoreError>;
    /// Customers (or the one coded `only`) with what they owed and the credit they held on a past
    /// `day`, per currency; at most `limit` (`None`: all).
    fn customers_on(
        &mut self,
        tenant: TenantId,
        day: NaiveDate,
        only: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Vec<CustomerSummary>, StoreError>;
    /// What each invoice of `numbers` still had open on `day` (number and amount; zero when
    /// paid); unknown numbers and cancelled invoices left out.
    fn invoices_open_on(
        &mut self,
        tenant: TenantId,
        numbers: &[&str],
        day: NaiveDate,
    ) -> Result<Vec<(String, Money)>, StoreError>;
    /// The disputes ever raised on invoices `numbers`, open or resolved (a dispute says on which
    /// day it is open).
    fn invoice_disputes(&mut self, tenant: TenantId, numbers: &[&str]) -> Result<Vec<Dispute>, StoreError>;
    /// The credit a customer has from over-payments, per currency.
    fn customer_credit(&mut self, tenant: TenantId, code: &str) -> Result<Vec<Money>, StoreError>;
    fn invoices(&mut self, tenant: TenantId, filter: &InvoiceFilter) -> Result<Listing<InvoiceSummary>, StoreError>;
    fn invoice(&mut self, tenant: TenantId, number: &str) -> Result<Option<InvoiceDetail>, StoreError>;

    /// Appends a conversation to the customer's contact log.
    fn record_interaction(
        &mut self,
        tenant: TenantId,
        customer: &str,
        interaction: &Interaction,
    ) -> Result<i64, StoreError>;
    /// Appends a history of conversations in one transaction; returns (recorded, skipped for an
    /// unknown customer).
    fn import_interactions(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = (String, Interaction)>,
    ) -> Result<(u64, u64), StoreError>;
    fn record_promise(
        &mut self,
        tenant: TenantId,
        customer: &str,
        promise: &PromiseToPay,
        recorded_by: &str,
    ) -> Result<i64, StoreError>;
    /// Enters a collection history (disputes, promises, conversations) in one transaction, each
    /// record once: the same file imported again adds nothing.
    fn import_history(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = overdue_core::import::ImportRow<overdue_core::history::HistoryRecord>>,
        options: ImportOptions,
    ) -> Result<overdue_core::import::ImportReport, StoreError>;
    /// Opens a dispute on an invoice (refused if one is already open).
    fn open_dispute(&mut self, tenant: TenantId, dispute: &Dispute, recorded_by: &str) -> Result<i64, StoreError>;
    fn resolve_dispute(
        &mut self,
        tenant: TenantId,
        invoice: &str,
        on: NaiveDate,
        resolution: &str,
    ) -> Result<(), StoreError>;
    /// The organisation's dunning policies (the shipped default until it saves its own).
    fn policy_book(&mut self, tenant: TenantId) -> Result<PolicyBook, StoreError>;
    fn save_policy_book(&mut self, tenant: TenantId, book: &PolicyBook) -> Result<(), StoreError>;
    fn closing_days(&mut self, tenant: TenantId) -> Result<Vec<NaiveDate>, StoreError>;
    fn add_closing_day(&mut self, tenant: TenantId, day: NaiveDate, name: &str) -> Result<(), StoreError>;
    /// The closing days with their names, in day order.
    fn closing_days_named(&mut self, tenant: TenantId) -> Result<Vec<(NaiveDate, String)>, StoreError>;
    /// Removes a closing day: the business works that day after all. Whether there was one.
    fn remove_closing_day(&mut self, tenant: TenantId, day: NaiveDate) -> Result<bool, StoreError>;
    /// Puts a customer in a segment and/or on a policy of their own (`None` clears it).
    fn set_customer_policy(
        &mut self,
        tenant: TenantId,
        customer: &str,
        segment: Option<&str>,
        policy: Option<&str>,
    ) -> Result<(), StoreError>;
    /// The daily run: streams every customer's state as of `as_of` to `planner` in batches and
    /// saves what it plans, each batch in one transaction; actions already in the books (same
    /// key) are left alone, so running a day twice, or from two processes, creates nothing twice.
    fn run_day(
        &mut self,
        tenant: TenantId,
        as_of: NaiveDate,
        planner: &mut dyn FnMut(&CustomerState) -> Vec<PlannedAction>,
        progress: &mut dyn FnMut(&RunReport),
    ) -> Result<RunReport, StoreError>;
    /// One customer's state as of a day (what the engine sees).
    fn customer_state(
        &mut self,
        tenant: TenantId,
        customer: &str,
        as_of: NaiveDate,
    ) -> Result<CustomerState, StoreError>;
    /// How one customer paid in the year up to `as_of` (the habits of [`Store::customer_state`],
    /// without reading the rest of the state).
    fn customer_habits(
        &mut self,
        tenant: TenantId,
        customer: &str,
        as_of: NaiveDate,
    ) -> Result<overdue_core::habits::PaymentHabits, StoreError>;
    fn invoice_customer_code(&mut self, tenant: TenantId, number: &str) -> Result<String, StoreError>;
    /// Open actions due on or before `as_of`.
    fn work_list(&mut self, tenant: TenantId, as_of: NaiveDate, limit: i64) -> Result<Vec<StoredAction>, StoreError>;
    fn action(&mut self, tenant: TenantId, id: i64) -> Result<StoredAction, StoreError>;
    /// Marks an action done, with its effects (invoice sent, customer to the agency or to
    /// prepayment, message recorded in the contact log).
    fn complete_action(
        &mut self,
        tenant: TenantId,
        id: i64,
        on: NaiveDate,
        by: &str,
        note: Option<&str>,
    ) -> Result<StoredAction, StoreError>;
    /// Closes an open action without doing it, with the reason (on the timeline as skipped):
    /// its queued message is cancelled and nothing it would have done is recorded.
    fn skip_action(
        &mut self,
        tenant: TenantId,
        id: i64,
        said: (NaiveDate, &str, &str),
    ) -> Result<StoredAction, StoreError>;
    fn timeline(&mut self, tenant: TenantId, customer: &str) -> Result<Vec<TimelineEntry>, StoreError>;
    /// The latest `latest` entries of a customer's timeline, in order, and how many there are in
    /// all (a page shows the latest without reading years of history).
    fn timeline_latest(
        &mut self,
        tenant: TenantId,
        customer: &str,
        latest: usize,
    ) -> Result<(Vec<TimelineEntry>, u64), StoreError>;
    /// Records interest, compensation or a step fee as charged or waived on an invoice: at most
    /// one row per invoice, kind and step; interest is brought up to date, a waiver is final.
    /// Returns whether the books changed.
    fn record_charge(&mut self, tenant: TenantId, invoice: &str, charge: &NewCharge) -> Result<bool, StoreError>;
    /// What was charged or waived on an invoice.
    fn charges(&mut self, tenant: TenantId, invoice: &str) -> Result<Vec<StoredCharge>, StoreError>;
    /// Imports bank statement lines, each at most once (by account, statement and entry, and by
    /// booking across files), in one transaction, with the statements they came in (their
    /// balances kept, each checked against the account's last closing). New credits are matched
    /// to open invoices, confident matches recorded as payments, the rest kept for review; then a
    /// debit returning a customer's payment undoes that payment and plans a call on `today`.
    /// `source` names the file.
    fn import_bank_lines(
        &mut self,
        tenant: TenantId,
        lines: &[overdue_core::bank::BankLine],
        statements: &[StatementRecord],
        source: &str,
        today: NaiveDate,
    ) -> Result<BankImportReport, StoreError>;
    /// Money received waiting in the review list as a customer's (`customer`: one only): the
    /// customer's code and each line's amount.
    fn money_waiting(
        &mut self,
        tenant: TenantId,
        customer: Option<&str>,
    ) -> Result<Vec<(String, overdue_core::money::Money)>, StoreError>;
    /// Bank lines waiting for a person: proposals first, then lines nothing was found for.
    fn bank_lines_to_review(&mut self, tenant: TenantId, limit: i64) -> Result<Vec<StoredBankLine>, StoreError>;
    /// Bank lines decided (applied or set aside), newest booking first, at most `limit`.
    fn bank_lines_decided(&mut self, tenant: TenantId, limit: i64) -> Result<Vec<StoredBankLine>, StoreError>;
    fn bank_line(&mut self, tenant: TenantId, id: i64) -> Result<StoredBankLine, StoreError>;
    /// Keeps the original document of each of `invoices` (the first kept stays), the file stored
    /// once for all of them, in one transaction; how many were new.
    fn attach_invoice_documents(
        &mut self,
        tenant: TenantId,
        invoices: &[&str],
        document: &InvoiceDocument,
    ) -> Result<u64, StoreError>;
    fn invoice_document(&mut self, tenant: TenantId, invoice: &str) -> Result<Option<InvoiceDocument>, StoreError>;
    /// Every customer's code and tax id, to recognise a customer named by tax id in a file.
    fn customer_tax_ids(&mut self, tenant: TenantId) -> Result<Vec<(String, String)>, StoreError>;
    /// The payment terms on file of every customer that has them, as (code, terms).
    fn agreed_terms(
        &mut self,
        tenant: TenantId,
    ) -> Result<Vec<(String, overdue_core::terms::PaymentTerms)>, StoreError>;
    /// The business's letterhead and payment options.
    fn letterhead(&mut self, tenant: TenantId) -> Result<overdue_core::letterhead::Letterhead, StoreError>;
    fn set_letterhead(
        &mut self,
        tenant: TenantId,
        letterhead: &overdue_core::letterhead::Letterhead,
    ) -> Result<(), StoreError>;
    /// The outbox, newest first: what waits or needs a person (and, with `all`, what went).
    fn outbox(&mut self, tenant: TenantId, all: bool, limit: i64) -> Result<Vec<OutboxEntry>, StoreError>;
    fn outbox_message(&mut self, tenant: TenantId, id: i64) -> Result<OutboxEntry, StoreError>;
    /// The messages waiting to go whose action is due by `day`, oldest first; of `customer`
    /// (its code) only, when given.
    fn queued_messages(
        &mut self,
        tenant: TenantId,
        customer: Option<&str>,
        day: NaiveDate,
    ) -> Result<Vec<OutboxEntry>, StoreError>;
    /// Flags as uncertain the messages claimed before `before` that no sender reported on.
    fn flag_stale_messages(&mut self, tenant: TenantId, before: chrono::NaiveDateTime) -> Result<u64, StoreError>;
    /// Claims the next message due and commits the claim (nothing is sent yet).
    /// `now` is the clock (retries wait for it); `day` the sending day (messages of actions due
    /// by then), which a replay sets.
    fn claim_message(
        &mut self,
        tenant: TenantId,
        now_and_day: (chrono::NaiveDateTime, NaiveDate),
        worker: &str,
    ) -> Result<Option<OutboxEntry>, StoreError>;
    /// Records the recipient, subject and Message-ID before the message is handed to SMTP.
    fn prepare_message(
        &mut self,
        tenant: TenantId,
        id: i64,
        recipient: &str,
        subject: &str,
        message_id: &str,
    ) -> Result<(), StoreError>;
    /// The mail server took the message: its action is done, the contact log has it.
    fn message_delivered(&mut self, tenant: TenantId, id: i64, at: chrono::NaiveDateTime) -> Result<(), StoreError>;
    /// The message was not sent: queued again at `retry_at`, or failed for good.
    fn message_failed(
        &mut self,
        tenant: TenantId,
        id: i64,
        error: &str,
        retry_at: Option<chrono::NaiveDateTime>,
        now: chrono::NaiveDateTime,
    ) -> Result<(), StoreError>;
    /// Retry a failed or uncertain message, or cancel one not gone: a cancelled message's
    /// action is closed by `by` (nothing was sent), so no work list offers it any more.
    fn decide_message(
        &mut self,
        tenant: TenantId,
        id: i64,
        decision: OutboxDecision,
        by: &str,
        now: chrono::NaiveDateTime,
    ) -> Result<OutboxEntry, StoreError>;
    /// Applies credit notes and credits from over-payments to what customers owe (see
    /// `credits`); run after imports and before each daily run. Returns the allocations written.
    fn settle_credits(&mut self, tenant: TenantId) -> Result<u64, StoreError>;
    /// Withdraws a queued message that has nothing left to ask on the sending day: cancelled,
    /// its action closed without anything sent, the reason on the timeline; with
    /// `step_not_taken`, the ladder steps it stood for are forgotten (the invoices' last step is
    /// again the one before).
    fn withdraw_message(
        &mut self,
        tenant: TenantId,
        id: i64,
        reason: &str,
        on: chrono::NaiveDate,
        step_not_taken: bool,
    ) -> Result<(), StoreError>;
    /// How many reminders and letters about any of `invoices` really went to the customer
    /// before action `action` (cancelled or withdrawn messages do not count).
    fn reminders_sent(&mut self, tenant: TenantId, action: i64, invoices: &[&str]) -> Result<u32, StoreError>;
    /// A person approves a message that waits for approval.
    fn approve_message(
        &mut self,
        tenant: TenantId,
        id: i64,
        by: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<OutboxEntry, StoreError>;
    /// A person rejects a message: cancelled, its action closed as rejected with the reason.
    fn reject_message(
        &mut self,
        tenant: TenantId,
        id: i64,
        by: &str,
        reason: &str,
        on: chrono::NaiveDate,
    ) -> Result<OutboxEntry, StoreError>;
    /// A claimed message that must not go out as it stands goes back to wait for approval.
    fn hold_message(&mut self, tenant: TenantId, id: i64, reason: &str) -> Result<(), StoreError>;
    /// Saves a customer as it now is (found by its code) and records `changes` by `by` at `at`.
    fn save_customer(
        &mut self,
        tenant: TenantId,
        customer: &Customer,
        changes: &[overdue_core::customer_fields::Change],
        by: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<(), StoreError>;
    /// Records changes an import made to customer `code`.
    fn record_customer_changes(
        &mut self,
        tenant: TenantId,
        code: &str,
        changes: &[overdue_core::customer_fields::Change],
        by: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<(), StoreError>;
    /// Undoes payment `reference` recorded by mistake (a wrong amount, the wrong invoice): it stays
    /// on record with `note`, its allocations go (the invoices it paid are open again) and the
    /// credit it left is gone. A payment from a bank line is undone through its line instead.
    /// Returns the invoices reopened.
    fn reverse_payment(
        &mut self,
        tenant: TenantId,
        reference: &str,
        on: NaiveDate,
        note: &str,
    ) -> Result<Vec<String>, StoreError>;
    /// Takes back what credit `reference` (a credit note's number or a payment's reference) paid
    /// of invoice `number`; the credit then holds it and is not applied again by itself.
    /// Returns the minor units taken back.
    fn unapply_credit(
        &mut self,
        tenant: TenantId,
        reference: &str,
        number: &str,
        by: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<i64, StoreError>;
    /// Applies credit `reference` to invoice `number`, at most `amount_minor`. Returns the minor
    /// units applied.
    fn apply_credit(
        &mut self,
        tenant: TenantId,
        reference: &str,
        number: &str,
        amount_minor: Option<i64>,
        by: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<i64, StoreError>;
    /// The last day to pay that an action's message gives, as it went out.
    fn set_action_deadline(
        &mut self,
        tenant: TenantId,
        action: i64,
        deadline: Option<NaiveDate>,
    ) -> Result<(), StoreError>;
    /// Reminders and letters of the same customer planned after action `action` whose messages
    /// still wait in the outbox (they supersede it for the invoices they list).
    fn later_queued_actions(
        &mut self,
        tenant: TenantId,
        action: i64,
        day: NaiveDate,
    ) -> Result<Vec<StoredAction>, StoreError>;
    /// Accepts, reassigns or ignores a bank line waiting for review, or undoes an applied one.
    fn decide_bank_line(
        &mut self,
        tenant: TenantId,
        id: i64,
        decision: &BankDecision,
        by: &str,
    ) -> Result<StoredBankLine, StoreError>;

    /// Adds a person who logs in to `tenant` with `role`; `password_hash` is their password's
    /// Argon2 hash (PHC string).
    ///
    /// Errors: [`StoreError::Refused`] when the organisation already has someone with that e-mail.
    fn add_user(
        &mut self,
        tenant: TenantId,
        email: &str,
        role: overdue_core::access::Role,
        password_hash: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<User, StoreError>;
    /// Everyone with this e-mail, in any organisation, with their password hashes.
    fn users_by_email(&mut self, email: &str) -> Result<Vec<(User, String)>, StoreError>;
    /// The people of `tenant`, by e-mail.
    fn users(&mut self, tenant: TenantId) -> Result<Vec<User>, StoreError>;
    /// Stops `email` of `tenant` logging in and ends their sessions; false when there is no such
    /// person still able to.
    fn disable_user(&mut self, tenant: TenantId, email: &str, at: chrono::NaiveDateTime) -> Result<bool, StoreError>;
    /// Opens a session of user `user` under the SHA-256 of its secret, with its anti-forgery token.
    fn open_session(
        &mut self,
        user: i64,
        secret_hash: &str,
        csrf_token: &str,
        at_and_expiry: (chrono::NaiveDateTime, chrono::NaiveDateTime),
    ) -> Result<(), StoreError>;
    /// The live session whose secret hashes to `secret_hash` at `now`.
    fn session(&mut self, secret_hash: &str, now: chrono::NaiveDateTime) -> Result<Option<Session>, StoreError>;
    /// Ends a session.
    fn close_session(&mut self, secret_hash: &str) -> Result<(), StoreError>;

    /// Claims job `job` of `tenant` for `day` for `worker` until `lease_until` (`now` is the
    /// clock, UTC); whether it was taken: false when it is done or another worker's lease is live.
    fn claim_job(
        &mut self,
        tenant: TenantId,
        job: &str,
        day: NaiveDate,
        worker: &str,
        now_and_lease: (chrono::NaiveDateTime, chrono::NaiveDateTime),
    ) -> Result<bool, StoreError>;
    /// Records how a job claimed by `worker` ended (`outcome` in words); a failed job may be
    /// claimed again after `retry_after`.
    fn finish_job(
        &mut self,
        tenant: TenantId,
        job: &str,
        day: NaiveDate,
        worker: &str,
        ended: (JobState, &str),
        at_and_retry: (chrono::NaiveDateTime, chrono::NaiveDateTime),
    ) -> Result<(), StoreError>;
    /// The last day `job` of `tenant` was done for.
    fn last_done_day(&mut self, tenant: TenantId, job: &str) -> Result<Option<NaiveDate>, StoreError>;
    /// The newest `limit` jobs of `tenant`, newest day first.
    fn jobs(&mut self, tenant: TenantId, limit: i64) -> Result<Vec<Job>, StoreError>;

    /// Keeps a new API token of `tenant` named `name` with `role`, under `hash` (the SHA-256 of
    /// its secret, hex); its secret is never kept.
    fn create_token(
        &mut self,
        tenant: TenantId,
        name: &str,
        role: overdue_core::access::Role,
        hash: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<ApiToken, StoreError>;
    /// The token whose secret hashes to `hash`, in whichever organisation, revoked or not.
    fn token_by_hash(&mut self, hash: &str) -> Result<Option<ApiToken>, StoreError>;
    /// Every token of `tenant`, oldest first.
    fn tokens(&mut self, tenant: TenantId) -> Result<Vec<ApiToken>, StoreError>;
    /// Notes that token `id` was used at `at`.
    fn touch_token(&mut self, id: i64, at: chrono::NaiveDateTime) -> Result<(), StoreError>;
    /// Revokes token `id` of `tenant`; false when `tenant` has no such token not yet revoked.
    fn revoke_token(&mut self, tenant: TenantId, id: i64, at: chrono::NaiveDateTime) -> Result<bool, StoreError>;
    /// Keeps a link to `customer`'s own page whose secret hashes to `hash`, open from `at` until
    /// `expires_at`. Errors: [`StoreError::NotFound`] for an unknown customer.
    fn create_customer_link(
        &mut self,
        tenant: TenantId,
        customer_and_hash: (&str, &str),
        created_and_expires_at: (chrono::NaiveDateTime, chrono::NaiveDateTime),
    ) -> Result<(), StoreError>;
    /// The link to a customer's page whose secret hashes to `hash` (any organisation), expired
    /// or revoked or not.
    fn customer_link(&mut self, hash: &str) -> Result<Option<CustomerLink>, StoreError>;
    /// Revokes every link to `customer`'s page; how many were open.
    fn revoke_customer_links(
        &mut self,
        tenant: TenantId,
        customer: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<u64, StoreError>;
    /// Saves actions a person asked for (a statement of account sent now) for `customer`, as the
    /// daily run saves its own: an action whose key exists is left alone, a message is queued.
    /// How many were new. Errors: [`StoreError::NotFound`] for an unknown customer.
    fn add_actions(
        &mut self,
        tenant: TenantId,
        customer: &str,
        actions: &[overdue_core::engine::PlannedAction],
    ) -> Result<u64, StoreError>;
    /// Keeps `plan` (its id and states ignored) for `customer`, agreed by `by` at `at`; its id.
    /// Errors: [`StoreError::NotFound`] for an unknown customer.
    fn create_payment_plan(
        &mut self,
        tenant: TenantId,
        customer_and_plan: (&str, &overdue_core::payment_plan::PaymentPlan),
        by_and_at: (&str, chrono::NaiveDateTime),
    ) -> Result<i64, StoreError>;
    /// Every payment plan of `customer`, oldest first (the day each was found broken, if it was).
    fn payment_plans(
        &mut self,
        tenant: TenantId,
        customer: &str,
    ) -> Result<Vec<overdue_core::payment_plan::PaymentPlan>, StoreError>;
    /// Cancels plan `id` on a day, saying why and who; the customer it was for. Errors:
    /// [`StoreError::NotFound`]; [`StoreError::Refused`] for a plan cancelled already.
    fn cancel_payment_plan(
        &mut self,
        tenant: TenantId,
        id: i64,
        on_why_by: (chrono::NaiveDate, &str, &str),
    ) -> Result<String, StoreError>;
    /// Keeps the customer's `claim` that an invoice of theirs is paid (its id is ignored), said
    /// by `by` at `at`; it counts as contact. Its id. Errors: [`StoreError::NotFound`] for an
    /// unknown customer, or an invoice not theirs.
    fn record_payment_claim(
        &mut self,
        tenant: TenantId,
        customer_and_claim: (&str, &overdue_core::payment_claim::PaymentClaim),
        by_and_at: (&str, chrono::NaiveDateTime),
    ) -> Result<i64, StoreError>;
    /// Notes that `customer` opened their own page at `at` (one entry a day, counting the
    /// times). Errors: [`StoreError::NotFound`] for an unknown customer.
    fn note_customer_page_visit(
        &mut self,
        tenant: TenantId,
        customer: &str,
        at: chrono::NaiveDateTime,
    ) -> Result<(), StoreError>;
    /// The response kept for a request of `tenant` sent with Idempotency-Key `key`.
    fn idempotent_response(&mut self, tenant: TenantId, key: &str) -> Result<Option<IdempotentResponse>, StoreError>;
    /// Keeps the response to a request sent with Idempotency-Key `key`; the first kept stays.
    fn keep_idempotent_response(
        &mut self,
        tenant: TenantId,
        key: &str,
        response: &IdempotentResponse,
        at: chrono::NaiveDateTime,
    ) -> Result<(), StoreError>;
}

/// The follow-up methods of [`Store`], the same for every backend: each runs the shared code in
/// `follow_up` inside one transaction of the backend's (`self.follow_up(|sql| …)`).
macro_rules! follow_up_methods {
    () => {
        fn add_user(
            &mut self,
            tenant: TenantId,
            email: &str,
            role: overdue_core::access::Role,
            password_hash: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<crate::User, StoreError> {
            self.follow_up(|sql| crate::users::add(sql, tenant, (email, role, password_hash), at))
        }
        fn users_by_email(&mut self, email: &str) -> Result<Vec<(crate::User, String)>, StoreError> {
            self.read(|sql| crate::users::by_email(sql, email))
        }
        fn users(&mut self, tenant: TenantId) -> Result<Vec<crate::User>, StoreError> {
            self.read(|sql| crate::users::list(sql, tenant))
        }
        fn disable_user(
            &mut self,
            tenant: TenantId,
            email: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<bool, StoreError> {
            self.follow_up(|sql| crate::users::disable(sql, tenant, email, at))
        }
        fn open_session(
            &mut self,
            user: i64,
            secret_hash: &str,
            csrf_token: &str,
            at_and_expiry: (chrono::NaiveDateTime, chrono::NaiveDateTime),
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::users::open_session(sql, user, (secret_hash, csrf_token), at_and_expiry))
        }
        fn session(
            &mut self,
            secret_hash: &str,
            now: chrono::NaiveDateTime,
        ) -> Result<Option<crate::Session>, StoreError> {
            self.read(|sql| crate::users::session(sql, secret_hash, now))
        }
        fn close_session(&mut self, secret_hash: &str) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::users::close_session(sql, secret_hash))
        }
        fn claim_job(
            &mut self,
            tenant: TenantId,
            job: &str,
            day: chrono::NaiveDate,
            worker: &str,
            now_and_lease: (chrono::NaiveDateTime, chrono::NaiveDateTime),
        ) -> Result<bool, StoreError> {
            self.follow_up(|sql| crate::jobs::claim(sql, tenant, (job, day), worker, now_and_lease))
        }
        fn finish_job(
            &mut self,
            tenant: TenantId,
            job: &str,
            day: chrono::NaiveDate,
            worker: &str,
            ended: (crate::JobState, &str),
            at_and_retry: (chrono::NaiveDateTime, chrono::NaiveDateTime),
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::jobs::finish(sql, tenant, (job, day), worker, ended, at_and_retry))
        }
        fn last_done_day(&mut self, tenant: TenantId, job: &str) -> Result<Option<chrono::NaiveDate>, StoreError> {
            self.read(|sql| crate::jobs::last_done(sql, tenant, job))
        }
        fn jobs(&mut self, tenant: TenantId, limit: i64) -> Result<Vec<crate::Job>, StoreError> {
            self.read(|sql| crate::jobs::list(sql, tenant, limit))
        }
        fn agreed_terms(
            &mut self,
            tenant: TenantId,
        ) -> Result<Vec<(String, overdue_core::terms::PaymentTerms)>, StoreError> {
            self.read(|sql| crate::customers::agreed_terms(sql, tenant))
        }
        fn create_token(
            &mut self,
            tenant: TenantId,
            name: &str,
            role: overdue_core::access::Role,
            hash: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<crate::ApiToken, StoreError> {
            self.follow_up(|sql| crate::access::create_token(sql, tenant, (name, role, hash), at))
        }
        fn token_by_hash(&mut self, hash: &str) -> Result<Option<crate::ApiToken>, StoreError> {
            self.read(|sql| crate::access::token_by_hash(sql, hash))
        }
        fn tokens(&mut self, tenant: TenantId) -> Result<Vec<crate::ApiToken>, StoreError> {
            self.read(|sql| crate::access::tokens(sql, tenant))
        }
        fn touch_token(&mut self, id: i64, at: chrono::NaiveDateTime) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::access::touch_token(sql, id, at))
        }
        fn revoke_token(&mut self, tenant: TenantId, id: i64, at: chrono::NaiveDateTime) -> Result<bool, StoreError> {
            self.follow_up(|sql| crate::access::revoke_token(sql, tenant, id, at))
        }
        fn create_customer_link(
            &mut self,
            tenant: TenantId,
            keys: (&str, &str),
            days: (chrono::NaiveDateTime, chrono::NaiveDateTime),
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::customer_links::create(sql, tenant, keys, days))
        }
        fn customer_link(&mut self, hash: &str) -> Result<Option<crate::CustomerLink>, StoreError> {
            self.read(|sql| crate::customer_links::by_hash(sql, hash))
        }
        fn revoke_customer_links(
            &mut self,
            tenant: TenantId,
            customer: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<u64, StoreError> {
            self.follow_up(|sql| crate::customer_links::revoke(sql, tenant, customer, at))
        }
        fn add_actions(
            &mut self,
            tenant: TenantId,
            customer: &str,
            actions: &[overdue_core::engine::PlannedAction],
        ) -> Result<u64, StoreError> {
            self.follow_up(|sql| {
                let id = crate::follow_up::customer_id(sql, tenant, customer)?;
                crate::follow_up::save_actions(sql, tenant, id, actions, &std::collections::HashMap::new())
            })
        }
        fn create_payment_plan(
            &mut self,
            tenant: TenantId,
            plan: (&str, &overdue_core::payment_plan::PaymentPlan),
            by: (&str, chrono::NaiveDateTime),
        ) -> Result<i64, StoreError> {
            self.follow_up(|sql| crate::payment_plans::create(sql, tenant, plan, by))
        }
        fn payment_plans(
            &mut self,
            tenant: TenantId,
            customer: &str,
        ) -> Result<Vec<overdue_core::payment_plan::PaymentPlan>, StoreError> {
            self.read(|sql| crate::payment_plans::of_customer(sql, tenant, customer))
        }
        fn cancel_payment_plan(
            &mut self,
            tenant: TenantId,
            id: i64,
            on_why_by: (chrono::NaiveDate, &str, &str),
        ) -> Result<String, StoreError> {
            self.follow_up(|sql| crate::payment_plans::cancel(sql, tenant, id, on_why_by))
        }
        fn record_payment_claim(
            &mut self,
            tenant: TenantId,
            claim: (&str, &overdue_core::payment_claim::PaymentClaim),
            by: (&str, chrono::NaiveDateTime),
        ) -> Result<i64, StoreError> {
            self.follow_up(|sql| crate::customer_answers::record_claim(sql, tenant, claim, by))
        }
        fn note_customer_page_visit(
            &mut self,
            tenant: TenantId,
            customer: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::customer_answers::note_visit(sql, tenant, customer, at))
        }
        fn idempotent_response(
            &mut self,
            tenant: TenantId,
            key: &str,
        ) -> Result<Option<crate::IdempotentResponse>, StoreError> {
            self.read(|sql| crate::access::idempotent_response(sql, tenant, key))
        }
        fn keep_idempotent_response(
            &mut self,
            tenant: TenantId,
            key: &str,
            response: &crate::IdempotentResponse,
            at: chrono::NaiveDateTime,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::access::keep_idempotent_response(sql, tenant, key, response, at))
        }
        fn letterhead(&mut self, tenant: TenantId) -> Result<overdue_core::letterhead::Letterhead, StoreError> {
            self.read(|sql| crate::outbox::letterhead(sql, tenant))
        }
        fn customers_on(
            &mut self,
            tenant: TenantId,
            day: chrono::NaiveDate,
            only: Option<&str>,
            limit: Option<u32>,
        ) -> Result<Vec<crate::CustomerSummary>, StoreError> {
            self.read(|sql| crate::past::customers_on(sql, tenant, day, only, limit))
        }
        fn invoices_open_on(
            &mut self,
            tenant: TenantId,
            numbers: &[&str],
            day: chrono::NaiveDate,
        ) -> Result<Vec<(String, overdue_core::money::Money)>, StoreError> {
            self.read(|sql| crate::past::invoices_open_on(sql, tenant, numbers, day))
        }
        fn invoice_disputes(
            &mut self,
            tenant: TenantId,
            numbers: &[&str],
        ) -> Result<Vec<overdue_core::dispute::Dispute>, StoreError> {
            self.read(|sql| crate::past::invoice_disputes(sql, tenant, numbers))
        }
        fn set_time_zone(&mut self, tenant: TenantId, time_zone: Option<&str>) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::outbox::set_time_zone(sql, tenant, time_zone))
        }
        fn settle_credits(&mut self, tenant: TenantId) -> Result<u64, StoreError> {
            self.follow_up(|sql| crate::credits::settle(sql, tenant))
        }
        fn withdraw_message(
            &mut self,
            tenant: TenantId,
            id: i64,
            reason: &str,
            on: chrono::NaiveDate,
            step_not_taken: bool,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::outbox::withdraw(sql, tenant, id, (reason, on), step_not_taken))
        }
        fn approve_message(
            &mut self,
            tenant: TenantId,
            id: i64,
            by: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<crate::OutboxEntry, StoreError> {
            self.follow_up(|sql| crate::outbox::approve(sql, tenant, id, by, at))
        }
        fn reject_message(
            &mut self,
            tenant: TenantId,
            id: i64,
            by: &str,
            reason: &str,
            on: chrono::NaiveDate,
        ) -> Result<crate::OutboxEntry, StoreError> {
            self.follow_up(|sql| crate::outbox::reject(sql, tenant, id, by, (reason, on)))
        }
        fn hold_message(&mut self, tenant: TenantId, id: i64, reason: &str) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::outbox::hold(sql, tenant, id, reason))
        }
        fn save_customer(
            &mut self,
            tenant: TenantId,
            customer: &overdue_core::customer::Customer,
            changes: &[overdue_core::customer_fields::Change],
            by: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::customers::save(sql, tenant, customer, changes, (by, at)))
        }
        fn record_customer_changes(
            &mut self,
            tenant: TenantId,
            code: &str,
            changes: &[overdue_core::customer_fields::Change],
            by: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::customers::record(sql, tenant, code, changes, (by, at)))
        }
        fn reverse_payment(
            &mut self,
            tenant: TenantId,
            reference: &str,
            on: chrono::NaiveDate,
            note: &str,
        ) -> Result<Vec<String>, StoreError> {
            self.follow_up(|sql| crate::reversals::reverse_by_hand(sql, tenant, reference, (on, note)))
        }
        fn unapply_credit(
            &mut self,
            tenant: TenantId,
            reference: &str,
            number: &str,
            by: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<i64, StoreError> {
            self.follow_up(|sql| crate::credits::unapply(sql, tenant, (reference, number), (by, at)))
        }
        fn apply_credit(
            &mut self,
            tenant: TenantId,
            reference: &str,
            number: &str,
            amount_minor: Option<i64>,
            by: &str,
            at: chrono::NaiveDateTime,
        ) -> Result<i64, StoreError> {
            self.follow_up(|sql| crate::credits::apply_to(sql, tenant, (reference, number, amount_minor), (by, at)))
        }
        fn set_action_deadline(
            &mut self,
            tenant: TenantId,
            action: i64,
            deadline: Option<chrono::NaiveDate>,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::outbox::set_deadline(sql, tenant, action, deadline))
        }
        fn later_queued_actions(
            &mut self,
            tenant: TenantId,
            action: i64,
            day: chrono::NaiveDate,
        ) -> Result<Vec<crate::StoredAction>, StoreError> {
            self.read(|sql| crate::follow_up::later_queued(sql, tenant, action, day))
        }
        fn reminders_sent(&mut self, tenant: TenantId, action: i64, invoices: &[&str]) -> Result<u32, StoreError> {
            self.read(|sql| crate::outbox::reminders_sent(sql, tenant, action, invoices))
        }
        fn set_letterhead(
            &mut self,
            tenant: TenantId,
            letterhead: &overdue_core::letterhead::Letterhead,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::outbox::set_letterhead(sql, tenant, letterhead))
        }
        fn outbox(&mut self, tenant: TenantId, all: bool, limit: i64) -> Result<Vec<crate::OutboxEntry>, StoreError> {
            self.read(|sql| crate::outbox::list(sql, tenant, all, limit))
        }
        fn outbox_message(&mut self, tenant: TenantId, id: i64) -> Result<crate::OutboxEntry, StoreError> {
            self.read(|sql| crate::outbox::get(sql, tenant, id))
        }
        fn queued_messages(
            &mut self,
            tenant: TenantId,
            customer: Option<&str>,
            day: chrono::NaiveDate,
        ) -> Result<Vec<crate::OutboxEntry>, StoreError> {
            self.read(|sql| crate::outbox::queued(sql, tenant, customer, day))
        }
        fn flag_stale_messages(&mut self, tenant: TenantId, before: chrono::NaiveDateTime) -> Result<u64, StoreError> {
            self.follow_up(|sql| crate::outbox::flag_stale(sql, tenant, before))
        }
        fn claim_message(
            &mut self,
            tenant: TenantId,
            (now, day): (chrono::NaiveDateTime, chrono::NaiveDate),
            worker: &str,
        ) -> Result<Option<crate::OutboxEntry>, StoreError> {
            self.follow_up(|sql| crate::outbox::claim(sql, tenant, (now, day), worker))
        }
        fn prepare_message(
            &mut self,
            tenant: TenantId,
            id: i64,
            recipient: &str,
            subject: &str,
            message_id: &str,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::outbox::prepare(sql, tenant, id, recipient, subject, message_id))
        }
        fn message_delivered(
            &mut self,
            tenant: TenantId,
            id: i64,
            at: chrono::NaiveDateTime,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::outbox::delivered(sql, tenant, id, at))
        }
        fn message_failed(
            &mut self,
            tenant: TenantId,
            id: i64,
            error: &str,
            retry_at: Option<chrono::NaiveDateTime>,
            now: chrono::NaiveDateTime,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::outbox::failed(sql, tenant, id, error, retry_at, now))
        }
        fn decide_message(
            &mut self,
            tenant: TenantId,
            id: i64,
            decision: crate::OutboxDecision,
            by: &str,
            now: chrono::NaiveDateTime,
        ) -> Result<crate::OutboxEntry, StoreError> {
            self.follow_up(|sql| crate::outbox::decide(sql, tenant, id, decision, (by, now)))
        }
        fn attach_invoice_documents(
            &mut self,
            tenant: TenantId,
            invoices: &[&str],
            document: &crate::InvoiceDocument,
        ) -> Result<u64, StoreError> {
            self.follow_up(|sql| crate::documents::attach(sql, tenant, invoices, document))
        }
        fn invoice_document(
            &mut self,
            tenant: TenantId,
            invoice: &str,
        ) -> Result<Option<crate::InvoiceDocument>, StoreError> {
            self.read(|sql| crate::documents::document(sql, tenant, invoice))
        }
        fn customer_tax_ids(&mut self, tenant: TenantId) -> Result<Vec<(String, String)>, StoreError> {
            self.read(|sql| crate::documents::tax_ids(sql, tenant))
        }
        fn import_bank_lines(
            &mut self,
            tenant: TenantId,
            lines: &[overdue_core::bank::BankLine],
            statements: &[crate::StatementRecord],
            source: &str,
            today: chrono::NaiveDate,
        ) -> Result<crate::BankImportReport, StoreError> {
            self.follow_up(|sql| crate::bank::import_lines(sql, tenant, lines, statements, (source, today)))
        }
        fn bank_lines_to_review(
            &mut self,
            tenant: TenantId,
            limit: i64,
        ) -> Result<Vec<crate::StoredBankLine>, StoreError> {
            self.read(|sql| crate::bank::lines_to_review(sql, tenant, limit))
        }
        fn money_waiting(
            &mut self,
            tenant: TenantId,
            customer: Option<&str>,
        ) -> Result<Vec<(String, overdue_core::money::Money)>, StoreError> {
            self.read(|sql| crate::bank::money_waiting(sql, tenant, customer))
        }
        fn bank_lines_decided(
            &mut self,
            tenant: TenantId,
            limit: i64,
        ) -> Result<Vec<crate::StoredBankLine>, StoreError> {
            self.read(|sql| crate::bank::decided_lines(sql, tenant, limit))
        }
        fn bank_line(&mut self, tenant: TenantId, id: i64) -> Result<crate::StoredBankLine, StoreError> {
            self.read(|sql| crate::bank::line(sql, tenant, id))
        }
        fn decide_bank_line(
            &mut self,
            tenant: TenantId,
            id: i64,
            decision: &crate::BankDecision,
            by: &str,
        ) -> Result<crate::StoredBankLine, StoreError> {
            self.follow_up(|sql| crate::bank::decide(sql, tenant, id, decision, by))
        }
        fn record_charge(
            &mut self,
            tenant: TenantId,
            invoice: &str,
            charge: &crate::NewCharge,
        ) -> Result<bool, StoreError> {
            self.follow_up(|sql| crate::charges::record_charge(sql, tenant, invoice, charge))
        }
        fn charges(&mut self, tenant: TenantId, invoice: &str) -> Result<Vec<crate::StoredCharge>, StoreError> {
            self.read(|sql| crate::charges::charges(sql, tenant, invoice))
        }
        fn record_interaction(
            &mut self,
            tenant: TenantId,
            customer: &str,
            interaction: &overdue_core::contact::Interaction,
        ) -> Result<i64, StoreError> {
            self.follow_up(|sql| crate::follow_up::record_interaction(sql, tenant, customer, interaction))
        }
        fn import_interactions(
            &mut self,
            tenant: TenantId,
            rows: &mut dyn Iterator<Item = (String, overdue_core::contact::Interaction)>,
        ) -> Result<(u64, u64), StoreError> {
            self.follow_up(|sql| crate::follow_up::import_interactions(sql, tenant, rows))
        }
        fn record_promise(
            &mut self,
            tenant: TenantId,
            customer: &str,
            promise: &overdue_core::promise::PromiseToPay,
            recorded_by: &str,
        ) -> Result<i64, StoreError> {
            self.follow_up(|sql| crate::follow_up::record_promise(sql, tenant, customer, promise, recorded_by))
        }
        fn import_history(
            &mut self,
            tenant: TenantId,
            rows: &mut dyn Iterator<Item = overdue_core::import::ImportRow<overdue_core::history::HistoryRecord>>,
            options: crate::ImportOptions,
        ) -> Result<overdue_core::import::ImportReport, StoreError> {
            self.follow_up(|sql| crate::history::import(sql, tenant, rows, options))
        }
        fn open_dispute(
            &mut self,
            tenant: TenantId,
            dispute: &overdue_core::dispute::Dispute,
            recorded_by: &str,
        ) -> Result<i64, StoreError> {
            self.follow_up(|sql| crate::follow_up::open_dispute(sql, tenant, dispute, recorded_by))
        }
        fn resolve_dispute(
            &mut self,
            tenant: TenantId,
            invoice: &str,
            on: chrono::NaiveDate,
            resolution: &str,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::follow_up::resolve_dispute(sql, tenant, invoice, on, resolution))
        }
        fn policy_book(&mut self, tenant: TenantId) -> Result<overdue_core::policy::PolicyBook, StoreError> {
            self.read(|sql| crate::follow_up::policy_book(sql, tenant))
        }
        fn save_policy_book(
            &mut self,
            tenant: TenantId,
            book: &overdue_core::policy::PolicyBook,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::follow_up::save_policy_book(sql, tenant, book))
        }
        fn closing_days(&mut self, tenant: TenantId) -> Result<Vec<chrono::NaiveDate>, StoreError> {
            self.read(|sql| crate::follow_up::closing_days(sql, tenant))
        }
        fn closing_days_named(&mut self, tenant: TenantId) -> Result<Vec<(chrono::NaiveDate, String)>, StoreError> {
            self.read(|sql| crate::follow_up::closing_days_named(sql, tenant))
        }
        fn remove_closing_day(&mut self, tenant: TenantId, day: chrono::NaiveDate) -> Result<bool, StoreError> {
            self.follow_up(|sql| crate::follow_up::remove_closing_day(sql, tenant, day))
        }
        fn add_closing_day(&mut self, tenant: TenantId, day: chrono::NaiveDate, name: &str) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::follow_up::add_closing_day(sql, tenant, day, name))
        }
        fn set_customer_policy(
            &mut self,
            tenant: TenantId,
            customer: &str,
            segment: Option<&str>,
            policy: Option<&str>,
        ) -> Result<(), StoreError> {
            self.follow_up(|sql| crate::follow_up::set_customer_policy(sql, tenant, customer, segment, policy))
        }
        fn run_day(
            &mut self,
            tenant: TenantId,
            as_of: chrono::NaiveDate,
            planner: &mut dyn FnMut(&overdue_core::engine::CustomerState) -> Vec<overdue_core::engine::PlannedAction>,
            progress: &mut dyn FnMut(&RunReport),
        ) -> Result<RunReport, StoreError> {
            let mut report = RunReport::default();
            let mut after = 0;
            while let Some(last) =
                self.follow_up(|sql| crate::follow_up::run_batch(sql, tenant, as_of, after, planner, &mut report))?
            {
                after = last;
                progress(&report);
            }
            Ok(report)
        }
        fn customer_state(
            &mut self,
            tenant: TenantId,
            customer: &str,
            as_of: chrono::NaiveDate,
        ) -> Result<overdue_core::engine::CustomerState, StoreError> {
            self.read(|sql| crate::follow_up::customer_state(sql, tenant, customer, as_of))
        }
        fn customer_habits(
            &mut self,
            tenant: TenantId,
            customer: &str,
            as_of: chrono::NaiveDate,
        ) -> Result<overdue_core::habits::PaymentHabits, StoreError> {
            self.read(|sql| crate::follow_up::customer_habits(sql, tenant, customer, as_of))
        }
        fn invoice_customer_code(&mut self, tenant: TenantId, number: &str) -> Result<String, StoreError> {
            self.read(|sql| crate::follow_up::invoice_customer_code(sql, tenant, number))
        }
        fn work_list(
            &mut self,
            tenant: TenantId,
            as_of: chrono::NaiveDate,
            limit: i64,
        ) -> Result<Vec<StoredAction>, StoreError> {
            self.read(|sql| crate::follow_up::work_list(sql, tenant, as_of, limit))
        }
        fn action(&mut self, tenant: TenantId, id: i64) -> Result<StoredAction, StoreError> {
            self.read(|sql| crate::follow_up::action(sql, tenant, id))
        }
        fn complete_action(
            &mut self,
            tenant: TenantId,
            id: i64,
            on: chrono::NaiveDate,
            by: &str,
            note: Option<&str>,
        ) -> Result<StoredAction, StoreError> {
            self.follow_up(|sql| crate::follow_up::complete_action(sql, tenant, id, on, by, note))
        }
        fn skip_action(
            &mut self,
            tenant: TenantId,
            id: i64,
            said: (chrono::NaiveDate, &str, &str),
        ) -> Result<StoredAction, StoreError> {
            self.follow_up(|sql| crate::follow_up::skip_action(sql, tenant, id, said))
        }
        fn timeline(&mut self, tenant: TenantId, customer: &str) -> Result<Vec<TimelineEntry>, StoreError> {
            self.read(|sql| Ok(crate::timeline::timeline(sql, tenant, customer, None)?.0))
        }
        fn timeline_latest(
            &mut self,
            tenant: TenantId,
            customer: &str,
            latest: usize,
        ) -> Result<(Vec<TimelineEntry>, u64), StoreError> {
            self.read(|sql| crate::timeline::timeline(sql, tenant, customer, Some(latest)))
        }
    };
}
pub(crate) use follow_up_methods;

/// Opens the store named by `location`: a `postgres://` or `postgresql://` URL, or else the path
/// of a SQLite file (created if missing). Migrations run before it is returned.
pub fn open(location: &str) -> Result<Box<dyn Store>, StoreError> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        Ok(Box::new(PostgresStore::connect(location)?))
    } else {
        Ok(Box::new(SqliteStore::open(location)?))
    }
}
