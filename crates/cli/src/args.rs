//! The command line as a book-keeper reads it in `--help`.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// overdue gets your business paid on time: it knows every open invoice, every customer's
/// terms and habits, and tells you who to chase today.
#[derive(Parser)]
#[command(name = "overdue", version, about, long_about = None)]
pub struct Cli {
    /// Where the books are: a SQLite file (created by `overdue init`) or a postgres:// URL.
    #[arg(long, global = true, env = "OVERDUE_DATABASE_URL", default_value = "overdue.db")]
    pub database: String,

    /// Which organisation's books to use, when the database holds several (see `overdue init`).
    #[arg(long = "org", global = true, env = "OVERDUE_ORG")]
    pub organisation: Option<i64>,

    /// Your own reference-rate file (CSV, as `overdue rates` prints it), added to the shipped
    /// rates: for a half-year published after this version of overdue.
    #[arg(long, global = true, env = "OVERDUE_RATES")]
    pub rates: Option<String>,

    /// Your own message templates (a folder made by `overdue templates init`): they replace the
    /// shipped ones file by file.
    #[arg(long, global = true, env = "OVERDUE_TEMPLATES")]
    pub templates: Option<String>,

    /// A settings file of `NAME=value` lines (OVERDUE_DATABASE_URL, OVERDUE_SMTP_URL,
    /// OVERDUE_BIND, OVERDUE_RUN_AT…); the environment and flags win over it.
    #[arg(long, global = true, env = "OVERDUE_CONFIG")]
    pub config: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Set up the books for your business (creates overdue.db).
    Init(InitArgs),
    /// Import customers, invoices, payments and their history from CSV files, and e-invoices (UBL,
    /// CII, Factur-X, FatturaPA, Facturae) with their customers; importing the same file twice
    /// changes nothing.
    Import(ImportArgs),
    /// Import bank statements (MT940/MT942, camt.052/053/054 or a bank's CSV export): each line once; money
    /// received is matched to open invoices, the sure matches recorded as payments.
    ImportBank(ImportBankArgs),
    /// Bank lines waiting for you: accept a proposed match, say whose money it is, or set it aside.
    Matches(MatchesArgs),
    /// Export reports and case files: aging, open items, a collection-agency case.
    Export(ExportArgs),
    /// Reports with the figures a credit controller acts on — aging, the most overdue customers,
    /// DSO and CEI by month, expected cash by week — as a table, CSV or an SVG chart.
    Report(ReportArgs),
    /// Show the exact message an action would send (subject, recipient, text).
    Preview(PreviewArgs),
    /// A customer's statement of account for a period: what was owed when it began, every
    /// invoice, credit note and payment with the balance after each, and what is open at its end,
    /// in the customer's language; as a PDF (--pdf), or queued to go by e-mail (--send).
    Statement(StatementArgs),
    /// Print an action's message as a PDF letter (final demands, formal letters) with your
    /// letterhead, or an invoice itself (--invoice).
    Letter(LetterArgs),
    /// Send the e-mails waiting in the outbox over SMTP (`--dry-run` shows them instead).
    Send(SendArgs),
    /// The outbox: messages waiting, failed or uncertain; retry or cancel one.
    Outbox(OutboxArgs),
    /// Your letterhead and the ways you accept payment, shown on every message and letter.
    Letterhead(LetterheadArgs),
    /// Copy the shipped message templates into a folder of yours to edit.
    Templates(TemplatesArgs),
    /// Your time zone, which says what day it is for runs, messages and the work list.
    TimeZone(TimeZoneArgs),
    /// List customers and what each owes.
    Customers(CustomersArgs),
    /// Change a customer: `overdue customer set CODE field=value…` (recorded on its timeline).
    Customer(CustomerArgs),
    /// Payment plans: an overdue balance paid in instalments (create, show, cancel). While a
    /// plan is kept its invoices are not chased; each instalment is reminded before its date; a
    /// missed one breaks the plan and the reminders resume, firmer.
    Plan(PlanArgs),
    /// Correct where a credit note or an over-payment went: apply it to an invoice, or take it back.
    Credit(CreditArgs),
    /// List invoices with their due dates and open balances.
    Invoices(InvoicesArgs),
    /// Show one invoice in full: lines, terms, due dates, payments, what is still owed.
    Show(ShowArgs),
    /// Record a payment received for an invoice.
    Pay(PayArgs),
    /// Undo a payment recorded by mistake (a wrong amount, the wrong invoice): it stays on record
    /// with the reason, and the invoices it paid are open again.
    Unpay(UnpayArgs),
    /// Serve the JSON API (/api/v1, its OpenAPI document at /api/v1/openapi.json) until stopped;
    /// callers send an API token (`overdue token create`).
    Serve(ServeArgs),
    /// What the scheduler of `overdue serve` did: each daily run with its server and outcome.
    Jobs,
    /// People who log in to `overdue serve`: add one (the password is read from standard input),
    /// list them, disable one.
    User(UserArgs),
    /// API tokens for other systems and scripts: create one (its secret is shown once), list
    /// them, revoke one.
    Token(TokenArgs),
    /// Record a trade-credit report on a customer (score or rating, advised limit).
    CreditReport(CreditReportArgs),
    /// Plan today's follow-up for every customer (run it once a day; running it twice changes nothing).
    Run(RunArgs),
    /// Today's work list: calls to make, messages to send, promises due, broken promises, alarms.
    Today(TodayArgs),
    /// Mark an action from the work list done (an e-mail sent, a call made, a case handed over).
    Done(DoneArgs),
    /// Record a conversation with a customer in the contact log.
    Log(LogArgs),
    /// Record a promise to pay.
    Promise(PromiseArgs),
    /// Open or resolve a dispute on an invoice.
    Dispute(DisputeArgs),
    /// Everything that happened with a customer, in order.
    Timeline(TimelineArgs),
    /// Why an invoice gets the action it gets today, and what comes next.
    Explain(ExplainArgs),
    /// Late-payment interest and recovery costs on an invoice, day-range by day-range.
    Interest(InterestArgs),
    /// Let go of interest, the recovery compensation or a step's late fee on an invoice (recorded).
    Waive(WaiveArgs),
    /// Print the reference interest rates in use (ECB, Bank of England) by half-year.
    Rates,
    /// Show, replace or assign the dunning policies (the ladder of reminders).
    Policy(PolicyArgs),
    /// Add a day your business is closed (no calls or messages that day).
    ClosingDay(ClosingDayArgs),
    /// Generate a realistic synthetic ledger (for demos and benchmarks).
    Gen(GenArgs),
    /// Try overdue on a demo company: creates demo.db, imports the example files, lists what is owed.
    Demo(DemoArgs),
}

#[derive(Args)]
pub struct InitArgs {
    /// Your business's name.
    #[arg(long)]
    pub name: String,
    /// Your country, as a two-letter code (ES, IT, GB…): it sets holidays and late-payment law.
    #[arg(long)]
    pub country: String,
    /// The currency you invoice in by default (EUR, GBP, USD…).
    #[arg(long)]
    pub currency: String,
    /// Add another organisation to a database that already holds one (an accounting firm
    /// keeping several clients' books); each sees only its own.
    #[arg(long)]
    pub another: bool,
    /// Your time zone (IANA name, e.g. Europe/Madrid): what day it is for runs and messages.
    /// Default: the usual one of your country.
    #[arg(long)]
    pub time_zone: Option<String>,
}

#[derive(Args)]
pub struct TimeZoneArgs {
    /// The time zone to use (IANA name, e.g. Europe/Rome); `country` goes back to your country's
    /// usual one. None: show it.
    pub zone: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ImportKind {
    Customers,
    Invoices,
    Payments,
    /// A history of disputes (invoice, reason, opened_on, resolved_on…).
    Disputes,
    /// A history of promises to pay (customer, made_on, promised_date, amount, currency…).
    Promises,
    /// A contact log (customer, date, summary, channel, direction…).
    Interactions,
}

impl ImportKind {
    /// The kind as the application layer names it.
    pub fn file_kind(self) -> overdue_app::import::FileKind {
        use overdue_app::import::FileKind;
        match self {
            Self::Customers => FileKind::Customers,
            Self::Invoices => FileKind::Invoices,
            Self::Payments => FileKind::Payments,
            Self::Disputes => FileKind::Disputes,
            Self::Promises => FileKind::Promises,
            Self::Interactions => FileKind::Interactions,
        }
    }

    /// The columns a file of this kind has.
    pub fn layout(self) -> &'static overdue_formats::csv_columns::Layout {
        self.file_kind().layout()
    }
}

#[derive(Args)]
pub struct ImportArgs {
    /// `customers`, `invoices`, `payments`, `disputes`, `promises` or `interactions` and a CSV file
    /// (see examples/ for the columns); or
    /// just files: e-invoices (UBL 2.1 / Peppol, CII / XRechnung, Factur-X and ZUGFeRD PDFs,
    /// FatturaPA, Facturae) and CSV files, each recognised from its content.
    #[arg(required = true, value_name = "KIND|FILE")]
    pub what: Vec<String>,
    /// Import nothing at all if any row is rejected (default: import the good rows, list the bad).
    #[arg(long)]
    pub all_or_nothing: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// For a spreadsheet export with its own column names and notations (name the kind first):
    /// which of its columns is which, and how it writes dates and amounts, e.g.
    /// "number=Invoice #,customer=Client,issue_date=Date,unit_price=Amount,date_format=%m/%d/%Y,decimal_comma=false,delimiter=;".
    /// The file may be UTF-8 or Windows-1252.
    #[arg(long)]
    pub map: Option<String>,
    /// For e-invoices that give no due date and whose own terms cannot be read: the terms agreed
    /// (e.g. "Net 60", "30 EOM"), instead of the statutory default. A customer's own terms on file
    /// come first.
    #[arg(long)]
    pub terms: Option<String>,
}

#[derive(Args)]
pub struct CustomersArgs {
    /// Show at most this many (0 for all).
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// The books as they stood on this day (YYYY-MM-DD): what each customer owed and held in
    /// credit then.
    #[arg(long)]
    pub as_of: Option<String>,
}

#[derive(Args)]
pub struct CreditArgs {
    #[command(subcommand)]
    pub what: CreditWhat,
}

#[derive(Subcommand)]
pub enum CreditWhat {
    /// Apply a credit (a credit note's number or a payment's reference) to an invoice.
    Apply {
        credit: String,
        #[arg(long)]
        invoice: String,
        /// How much (in the invoice's currency); default: all it can.
        #[arg(long)]
        amount: Option<String>,
        /// Who makes the change (default: your login name).
        #[arg(long, env = "OVERDUE_USER")]
        by: Option<String>,
    },
    /// Take back what a credit paid of an invoice: the invoice is owed again, the credit waits
    /// (it is not applied again by itself) until you apply it.
    Unapply {
        credit: String,
        #[arg(long)]
        invoice: String,
        /// Who makes the change (default: your login name).
        #[arg(long, env = "OVERDUE_USER")]
        by: Option<String>,
    },
}

#[derive(Args)]
pub struct PlanArgs {
    #[command(subcommand)]
    pub what: PlanWhat,
}

#[derive(Subcommand)]
pub enum PlanWhat {
    /// Agree a plan: `overdue plan create C001 --split 3 --first 2026-12-15` (equal monthly
    /// instalments), or `--instalment 2026-12-15=500.00 --instalment 2027-01-15=648.90`.
    Create {
        /// The customer's code.
        customer: String,
        /// An invoice it settles (repeat it); default: every invoice overdue in the customer's
        /// currency.
        #[arg(long = "invoice")]
        invoices: Vec<String>,
        /// An instalment as DATE=AMOUNT (repeat it, in date order).
        #[arg(long = "instalment", conflicts_with_all = ["split", "first"])]
        instalments: Vec<String>,
        /// So many equal instalments a month apart (with --first).
        #[arg(long, requires = "first")]
        split: Option<usize>,
        /// The first instalment's date (YYYY-MM-DD), with --split.
        #[arg(long, requires = "split")]
        first: Option<String>,
        /// The day it was agreed (YYYY-MM-DD). Default: today.
        #[arg(long)]
        on: Option<String>,
        /// Who agreed it (default: your login name).
        #[arg(long, env = "OVERDUE_USER")]
        by: Option<String>,
    },
    /// A customer's plans: each instalment, paid or not, and where the plan stands today.
    Show {
        customer: String,
        /// As of this day (YYYY-MM-DD). Default: today.
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Cancel a plan (its invoices are chased again from the next run).
    Cancel {
        /// The plan's number, as `overdue plan show` lists it.
        id: i64,
        #[arg(long)]
        reason: String,
        /// Who cancels it (default: your login name).
        #[arg(long, env = "OVERDUE_USER")]
        by: Option<String>,
    },
}

#[derive(Args)]
pub struct CustomerArgs {
    #[command(subcommand)]
    pub what: CustomerWhat,
}

#[derive(Subcommand)]
pub enum CustomerWhat {
    /// Set fields by name (the customers CSV's columns: name, tax_id, address, terms,
    /// credit_limit, language, billing_email, approver_name, approver_email, approver_phone…);
    /// `field=` with nothing after it clears the field.
    Set {
        code: String,
        #[arg(required = true)]
        settings: Vec<String>,
        /// Who makes the change (default: your login name).
        #[arg(long, env = "OVERDUE_USER")]
        by: Option<String>,
    },
}

#[derive(Args)]
pub struct InvoicesArgs {
    /// Only invoices with money still owed.
    #[arg(long)]
    pub open: bool,
    /// Only this customer's invoices (customer code).
    #[arg(long)]
    pub customer: Option<String>,
    /// Show at most this many (0 for all).
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// The books as they stood on this day (YYYY-MM-DD): invoices issued by then, with what was
    /// still open then.
    #[arg(long)]
    pub as_of: Option<String>,
}

#[derive(Args)]
pub struct ShowArgs {
    #[command(subcommand)]
    pub what: ShowWhat,
    /// The books as they stood on this day (YYYY-MM-DD): payments made after it left out.
    #[arg(long, global = true)]
    pub as_of: Option<String>,
}

#[derive(Subcommand)]
pub enum ShowWhat {
    /// An invoice, by number.
    Invoice { number: String },
    /// A customer, by code.
    Customer { code: String },
}

#[derive(Args)]
pub struct ServeArgs {
    /// The address to listen on (port 0: any free port, printed when ready).
    #[arg(long, env = "OVERDUE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// Logs as JSON lines (for a log collector) instead of text.
    #[arg(long, env = "OVERDUE_LOG_JSON")]
    pub log_json: bool,
    /// Connections to the books kept open for requests.
    #[arg(long, env = "OVERDUE_POOL_SIZE", default_value_t = 8)]
    pub pool_size: usize,
    /// The local time (HH:MM, each organisation's own time zone) its daily run is due; days missed
    /// while no server ran are caught up in order.
    #[arg(long, env = "OVERDUE_RUN_AT", default_value = "06:00")]
    pub run_at: String,
    /// The SMTP server that sends the outbox (as for `overdue send`); without one, messages wait
    /// in the outbox.
    #[arg(long, env = "OVERDUE_SMTP_URL")]
    pub smtp: Option<String>,
    /// Only answer requests: no daily run and no mail from this server.
    #[arg(long, env = "OVERDUE_NO_SCHEDULER")]
    pub no_scheduler: bool,
    /// How often, in seconds, the scheduler looks for work.
    #[arg(long, env = "OVERDUE_TICK_SECONDS", default_value_t = 60)]
    pub tick_seconds: u64,
}

#[derive(Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Subcommand)]
pub enum UserAction {
    /// Add a person; their password (at least 12 characters) is the first line of standard input.
    Add {
        email: String,
        /// admin, controller (records payments, works the list) or read_only.
        #[arg(long, default_value = "controller")]
        role: String,
    },
    /// The organisation's people, with their role.
    List,
    /// Stop a person logging in; their sessions end.
    Disable { email: String },
}

#[derive(Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub action: TokenAction,
}

#[derive(Subcommand)]
pub enum TokenAction {
    /// Make a token for this organisation; its secret is printed once and never kept.
    Create {
        /// What or who it is for, e.g. "ERP" or "Ana's scripts".
        #[arg(long)]
        name: String,
        /// admin, controller (records payments, works the list) or read_only.
        #[arg(long, default_value = "controller")]
        role: String,
    },
    /// The organisation's tokens, with their role and last use.
    List,
    /// Revoke a token: requests with it are refused from now on.
    Revoke {
        /// The token's id, as `overdue token list` shows it.
        id: i64,
    },
}

#[derive(Args)]
pub struct PayArgs {
    /// The invoice number being paid.
    pub invoice: String,
    /// The amount received, e.g. 1250.00 (in the invoice's currency).
    pub amount: String,
    /// The day the money arrived (YYYY-MM-DD).
    #[arg(long)]
    pub date: String,
    /// transfer, card, cheque, cash, direct_debit or other.
    #[arg(long, default_value = "transfer")]
    pub method: String,
    /// The payment's own reference (bank entry, cheque number). Without one, a second payment of
    /// the same amount on the same day for the same invoice is taken as the same payment.
    #[arg(long)]
    pub reference: Option<String>,
}

#[derive(Args)]
pub struct UnpayArgs {
    /// The payment's reference, as `overdue show INVOICE` lists it.
    pub reference: String,
    /// Why it is undone (kept on the customer's timeline).
    #[arg(long)]
    pub reason: String,
    /// Who undoes it. Default: $OVERDUE_USER or the login name.
    #[arg(long, env = "OVERDUE_USER")]
    pub by: Option<String>,
}

#[derive(Args)]
pub struct CreditReportArgs {
    /// The customer's code.
    pub customer: String,
    /// Who issued the report (e.g. "Informa D&B", "CRIF", "Experian", "own assessment").
    #[arg(long)]
    pub source: String,
    /// The score or rating as the report gives it (e.g. "72/100", "A2", "low risk").
    #[arg(long)]
    pub rating: String,
    /// The report's date (YYYY-MM-DD).
    #[arg(long)]
    pub date: String,
    /// The credit limit the report advises, in the customer's currency.
    #[arg(long)]
    pub advised_limit: Option<String>,
}

#[derive(Args)]
pub struct GenArgs {
    /// How many customers.
    #[arg(long, default_value_t = 1000)]
    pub customers: u32,
    /// How many invoices.
    #[arg(long, default_value_t = 10_000)]
    pub invoices: u32,
    /// How many past conversations (calls, e-mails…) to add to the contact log (with --into-store).
    #[arg(long, default_value_t = 0)]
    pub interactions: u32,
    /// Seed: the same seed gives the same ledger.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The ledger's "today" (YYYY-MM-DD); invoices span the 18 months before it. Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Write customers.csv, invoices.csv and payments.csv into this folder.
    #[arg(long, conflicts_with = "into_store")]
    pub out: Option<String>,
    /// Import the ledger straight into the database instead of writing files.
    #[arg(long)]
    pub into_store: bool,
}

#[derive(Args)]
pub struct DemoArgs {
    /// The demo database file (replaced if it exists and is a demo).
    #[arg(long, default_value = "demo.db")]
    pub demo_database: String,
}

#[derive(Args)]
pub struct RunArgs {
    /// The day to plan (YYYY-MM-DD). Default: today. Any past day can be replayed.
    #[arg(long)]
    pub as_of: Option<String>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct TodayArgs {
    /// The day (YYYY-MM-DD). Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Show at most this many actions (0 for all).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

#[derive(Args)]
pub struct DoneArgs {
    /// The action's number, as `overdue today` shows it.
    pub action: i64,
    /// The day it was done. Default: today.
    #[arg(long)]
    pub on: Option<String>,
    /// What happened, in a few words.
    #[arg(long, conflicts_with = "skip")]
    pub note: Option<String>,
    /// Close it without doing it, and say why (nothing it would do is recorded; its message never goes).
    #[arg(long, value_name = "REASON")]
    pub skip: Option<String>,
    /// Who did it. Default: $OVERDUE_USER or the login name.
    #[arg(long, env = "OVERDUE_USER")]
    pub by: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LogChannel {
    Call,
    Email,
    Letter,
    Sms,
    Meeting,
    Portal,
}

#[derive(Args)]
pub struct LogArgs {
    /// How you spoke: call, email, letter, sms, meeting or portal.
    pub channel: LogChannel,
    /// The customer's code.
    pub customer: String,
    /// What was said, in a sentence.
    #[arg(long)]
    pub summary: String,
    /// Whom you spoke to at the customer.
    #[arg(long)]
    pub contact: Option<String>,
    /// They contacted you (default: you contacted them).
    #[arg(long)]
    pub inbound: bool,
    /// When, as "YYYY-MM-DD HH:MM" (UTC). Default: now.
    #[arg(long)]
    pub at: Option<String>,
    /// Why they have not paid: not_received, disputed_quality, disputed_quantity, disputed_price,
    /// awaiting_approval, missing_po, cash_flow, will_pay_on_date, no_answer, other.
    #[arg(long)]
    pub reason: Option<String>,
    /// Free text beside the reason.
    #[arg(long)]
    pub note: Option<String>,
    /// What came of it.
    #[arg(long)]
    pub outcome: Option<String>,
    /// An invoice the conversation was about (repeat for several).
    #[arg(long = "invoice")]
    pub invoices: Vec<String>,
    /// A recording or document kept with it (path or URL).
    #[arg(long)]
    pub attachment: Option<String>,
    /// Receipt check: did the goods or services arrive? (yes/no)
    #[arg(long)]
    pub goods_arrived: Option<YesNo>,
    /// Receipt check: quality satisfactory? (yes/no)
    #[arg(long)]
    pub quality_ok: Option<YesNo>,
    /// Receipt check: quantity right? (yes/no)
    #[arg(long)]
    pub quantity_ok: Option<YesNo>,
    /// Receipt check: did they receive the invoice? (yes/no)
    #[arg(long)]
    pub invoice_received: Option<YesNo>,
    /// Receipt check: approved and passed to accounts payable? (yes/no)
    #[arg(long)]
    pub approved: Option<YesNo>,
    /// Receipt check: the date it is scheduled for payment.
    #[arg(long)]
    pub scheduled: Option<String>,
    /// Who recorded it. Default: $OVERDUE_USER or the login name.
    #[arg(long, env = "OVERDUE_USER")]
    pub by: Option<String>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum YesNo {
    Yes,
    No,
}

#[derive(Args)]
pub struct PromiseArgs {
    /// The customer's code.
    pub customer: String,
    /// The amount promised, e.g. 1200.00 (in the currency of the invoices it names, else the
    /// customer's; --currency to say another).
    pub amount: String,
    /// The currency of the amount (ISO code), when it is neither the invoices' nor the customer's.
    #[arg(long)]
    pub currency: Option<String>,
    /// The day they promised to pay by (YYYY-MM-DD).
    #[arg(long)]
    pub date: String,
    /// The day the promise was made. Default: today.
    #[arg(long)]
    pub made_on: Option<String>,
    /// How they will pay: transfer, card, cheque, cash, direct_debit.
    #[arg(long)]
    pub method: Option<String>,
    /// Who at the customer promised.
    #[arg(long)]
    pub promised_by: Option<String>,
    /// An invoice the promise covers (repeat for several; none: the account's oldest debts).
    #[arg(long = "invoice")]
    pub invoices: Vec<String>,
    /// Who recorded it. Default: $OVERDUE_USER or the login name.
    #[arg(long, env = "OVERDUE_USER")]
    pub by: Option<String>,
}

#[derive(Args)]
pub struct DisputeArgs {
    #[command(subcommand)]
    pub what: DisputeWhat,
}

#[derive(Subcommand)]
pub enum DisputeWhat {
    /// The customer contests an invoice: it is not chased until resolved.
    Open {
        invoice: String,
        /// not_received, disputed_quality, disputed_quantity, disputed_price or other.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        note: Option<String>,
        /// Default: today.
        #[arg(long)]
        on: Option<String>,
        #[arg(long, env = "OVERDUE_USER")]
        by: Option<String>,
    },
    /// The dispute is settled: the invoice is chased again for what is still owed.
    Resolve {
        invoice: String,
        /// How it was settled (e.g. "credit note C-12 for the broken boxes").
        #[arg(long)]
        resolution: String,
        /// Default: today.
        #[arg(long)]
        on: Option<String>,
    },
}

#[derive(Args)]
pub struct TimelineArgs {
    /// The customer's code.
    pub customer: String,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The invoice number.
    pub invoice: String,
    /// The day (YYYY-MM-DD). Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
}

#[derive(Args)]
pub struct InterestArgs {
    /// The invoice number.
    pub invoice: String,
    /// Compute up to this day (YYYY-MM-DD). Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// The rules: es, it, it-before-2013, it-agrifood, gb, or a contractual rate such as "8%",
    /// "1.5%/month", "18% cap 10%". Default: the customer's agreed clause, else the law of your country.
    #[arg(long)]
    pub regime: Option<String>,
    /// Payments pay costs first, then interest, then the principal (Italy c.c. 1194, Spain CC 1173).
    #[arg(long)]
    pub legal_order: bool,
    /// Move due dates off non-working days by contract: stay, past_sundays_and_holidays or
    /// next_business_day. Default: the law (Italy moves Sundays and holidays).
    #[arg(long)]
    pub due_date_shift: Option<String>,
    /// Record the interest (to the day) and the compensation as charged to the customer.
    #[arg(long)]
    pub charge: bool,
    /// Who is recording (default: your login name).
    #[arg(long, env = "OVERDUE_USER")]
    pub by: Option<String>,
}

#[derive(Args)]
pub struct WaiveArgs {
    /// The invoice number.
    pub invoice: String,
    /// What to waive.
    #[arg(value_enum)]
    pub what: WaiveWhat,
    /// The dunning step whose late fee is waived (with `fee`).
    #[arg(long, required_if_eq("what", "fee"))]
    pub step: Option<String>,
    /// Why it is waived (kept in the books and on the customer's timeline).
    #[arg(long)]
    pub reason: String,
    /// The day of the waiver; interest is waived as computed to it. Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// The interest rules, as for `overdue interest`.
    #[arg(long)]
    pub regime: Option<String>,
    /// Who is recording (default: your login name).
    #[arg(long, env = "OVERDUE_USER")]
    pub by: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WaiveWhat {
    /// The late-payment interest.
    Interest,
    /// The fixed compensation for recovery costs.
    Compensation,
    /// The late fee of a dunning step (name it with --step).
    Fee,
}

#[derive(Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub what: PolicyWhat,
}

#[derive(Subcommand)]
pub enum PolicyWhat {
    /// Print the policy book as JSON (edit it and load it back with `policy load`).
    Show,
    /// Replace the policy book with a JSON file (checked first: a broken file changes nothing).
    Load { file: String },
    /// Put a customer in a segment and/or on a policy of their own.
    Assign {
        customer: String,
        #[arg(long)]
        segment: Option<String>,
        #[arg(long)]
        policy: Option<String>,
    },
}

#[derive(Args)]
pub struct ClosingDayArgs {
    /// The day (YYYY-MM-DD).
    pub day: String,
    /// What it is (e.g. "Company holiday").
    pub name: String,
}

#[derive(Args)]
pub struct ImportBankArgs {
    /// Statement files: camt.052 / camt.053 / camt.054 XML, MT940 / MT942, or a bank's CSV export
    /// (the kind is detected from the content, never the name).
    #[arg(required = true)]
    pub files: Vec<String>,
    /// Refuse a file whose statement balances do not add up (opening + credits − debits ≠
    /// closing) instead of importing it with a warning.
    #[arg(long)]
    pub strict: bool,
    /// For CSV files: the account the export is of (IBAN). Default: "csv".
    #[arg(long)]
    pub account: Option<String>,
    /// For CSV files: the statement's id. Default: none (lines are known by their content, so
    /// the same export imported again, renamed or overlapping, adds nothing twice).
    #[arg(long)]
    pub statement: Option<String>,
    /// For CSV files: which column holds what, as key=value pairs, e.g.
    /// "date=Fecha,amount=Importe,name=Ordenante,remittance=Concepto,default_currency=EUR,date_format=%d/%m/%Y,decimal_comma=true,delimiter=;".
    /// Default columns: date, amount, currency, name, iban, remittance, reference, value_date.
    #[arg(long)]
    pub map: Option<String>,
}

#[derive(Args)]
pub struct MatchesArgs {
    #[command(subcommand)]
    pub decision: Option<MatchDecision>,
    /// How many lines to list.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    /// Who decides. Default: $OVERDUE_USER or the login name.
    #[arg(long, global = true, env = "OVERDUE_USER")]
    pub by: Option<String>,
}

#[derive(Subcommand)]
pub enum MatchDecision {
    /// Apply the proposed match of a line as it stands.
    Accept {
        /// The line's number, as `overdue matches` shows it.
        line: i64,
    },
    /// Say whose money a line is: it pays the invoices named, in that order (what each owes on
    /// the line's day first, its due instalments, then the rest), or the customer's oldest due.
    Assign {
        line: i64,
        /// The customer's code.
        customer: String,
        /// An invoice it pays (repeat for several, in the order to pay them). Default: the
        /// customer's oldest due first.
        #[arg(long = "invoice")]
        invoices: Vec<String>,
    },
    /// Undo an applied line that was matched wrongly: its payment is undone (recorded), the
    /// invoices it paid open again, and the line waits for review. A line set aside by mistake
    /// waits for review again.
    Undo {
        line: i64,
        /// Why, for whoever looks later.
        #[arg(long)]
        reason: String,
    },
    /// Set a line aside: it is not a customer's payment (a refund, a loan, a transfer).
    Ignore {
        line: i64,
        /// Why, for whoever looks later.
        #[arg(long)]
        reason: String,
    },
}

#[derive(Args)]
pub struct ReportArgs {
    /// Which report.
    pub kind: ReportKind,
    /// The books as they stood on this day (YYYY-MM-DD). Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// table (the screen), csv, or svg (a chart: one currency, see --currency).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// Only amounts in this currency (ISO 4217 code, e.g. EUR).
    #[arg(long)]
    pub currency: Option<String>,
    /// dso, cei: how many months up to --as-of.
    #[arg(long, default_value_t = 12)]
    pub months: u32,
    /// forecast: how many weeks from the week of --as-of.
    #[arg(long, default_value_t = 13)]
    pub weeks: u32,
    /// top: how many customers per currency.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Write to this file instead of the screen.
    #[arg(long)]
    pub out: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    /// What each customer owes by aging bucket (current, 1-30, 31-60, 61-90, 90+).
    Aging,
    /// The customers owing the most past due.
    Top,
    /// Days sales outstanding by the countback method, month by month.
    Dso,
    /// Collection effectiveness index, month by month.
    Cei,
    /// Expected cash week by week, from due dates, promises and each customer's habits.
    Forecast,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Svg,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportWhat,
}

#[derive(Subcommand)]
pub enum ExportWhat {
    /// What each customer owes, by how late: current, 1-30, 31-60, 61-90, 90+ days (CSV).
    Aging {
        /// Age as of this day (YYYY-MM-DD). Default: today.
        #[arg(long)]
        as_of: Option<String>,
        /// Write to this file instead of the screen.
        #[arg(long)]
        out: Option<String>,
    },
    /// Every open invoice with its due date and days overdue (CSV).
    OpenItems {
        /// Only this customer's.
        #[arg(long)]
        customer: Option<String>,
        /// Days overdue as of this day (YYYY-MM-DD). Default: today.
        #[arg(long)]
        as_of: Option<String>,
        /// Write to this file instead of the screen.
        #[arg(long)]
        out: Option<String>,
    },
    /// The case file to hand a customer to a collection agency: a folder with case.json (debtor,
    /// contacts, invoices with interest and fees, payments, the whole contact history, promises,
    /// disputes), invoices.csv, and the original invoice documents where the books have them.
    Case {
        /// The customer's code.
        customer: String,
        /// Interest up to this day (YYYY-MM-DD). Default: today.
        #[arg(long)]
        as_of: Option<String>,
        /// The folder to create. Default: case-CUSTOMER-DATE.
        #[arg(long)]
        out: Option<String>,
    },
}

#[derive(Args)]
pub struct StatementArgs {
    /// The customer's code.
    pub customer: String,
    /// The first day of the period (YYYY-MM-DD). Default: the first day of the month before
    /// `--to`'s.
    #[arg(long)]
    pub from: Option<String>,
    /// The last day of the period (YYYY-MM-DD), not after today. Default: today.
    #[arg(long)]
    pub to: Option<String>,
    /// Write the statement as a PDF letter to this file.
    #[arg(long)]
    pub pdf: Option<String>,
    /// Queue it to go by e-mail to the customer's billing contact today (`overdue send` sends
    /// it); the period is then the default one, ending today.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub send: bool,
}

#[derive(Args)]
pub struct PreviewArgs {
    /// The action's number, as `overdue today` shows it.
    pub action: i64,
    /// Compute as of this day (YYYY-MM-DD). Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
}

#[derive(Args)]
pub struct SendArgs {
    /// The SMTP server: smtp://host:port (plain, a local relay), smtp://user:password@host:587?tls=required
    /// (STARTTLS) or smtps://user:password@host (TLS); add &ca=/path/ca.pem to trust your own
    /// certificate authority.
    #[arg(long, env = "OVERDUE_SMTP_URL")]
    pub smtp: Option<String>,
    /// The sender, "Name <address>" or an address. Default: the e-mail of your letterhead.
    #[arg(long, env = "OVERDUE_SMTP_FROM")]
    pub from: Option<String>,
    /// Show what would be sent, send nothing, change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The sending day (YYYY-MM-DD), to replay a past day: messages are rebuilt from the books as
    /// they stand on it. Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Send at most this many messages.
    #[arg(long, default_value_t = 10_000)]
    pub limit: u32,
    /// At most this many messages a second (0: as fast as the server takes them).
    #[arg(long, default_value_t = 0.0)]
    pub rate: f64,
    /// A message claimed by a sender that has not reported for this many seconds is flagged
    /// uncertain (it may or may not have gone): a person decides, it is never resent by itself.
    #[arg(long, default_value_t = 300)]
    pub stale_after: u64,
}

#[derive(Args)]
pub struct OutboxArgs {
    #[command(subcommand)]
    pub decision: Option<OutboxCommand>,
    /// List sent and cancelled messages too.
    #[arg(long)]
    pub all: bool,
    /// How many to list.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
}

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// Send a failed or uncertain message again (check first that it did not go).
    Retry { message: i64 },
    /// Do not send a message.
    Cancel { message: i64 },
    /// Let messages that wait for approval go (final demands, prepayment notices, messages to a
    /// customer with a dispute, claims whose interest could not be computed).
    Approve {
        /// The messages' numbers, as `overdue outbox` lists them.
        messages: Vec<i64>,
        /// Every message waiting for approval.
        #[arg(long, conflicts_with = "messages")]
        all: bool,
        /// Who approves (default: your login name).
        #[arg(long, env = "OVERDUE_USER")]
        by: Option<String>,
    },
    /// Do not send a message, and say why: its action is closed as rejected (on the timeline).
    Reject {
        message: i64,
        #[arg(long)]
        reason: String,
        /// Who rejects (default: your login name).
        #[arg(long, env = "OVERDUE_USER")]
        by: Option<String>,
    },
}

#[derive(Args)]
pub struct LetterheadArgs {
    /// Settings as key=value: address, tax_id, email, phone, signed_by, iban, bic, payment_link
    /// (use {invoice} for the invoice number), cheque_payable_to, direct_debit=yes|no. None: show them.
    pub settings: Vec<String>,
}

#[derive(Args)]
pub struct TemplatesArgs {
    #[command(subcommand)]
    pub command: TemplatesCommand,
}

#[derive(Subcommand)]
pub enum TemplatesCommand {
    /// Write the shipped templates (English, Spanish, Italian) into FOLDER; files there are kept.
    Init { folder: String },
    /// Load and check the templates (the shipped ones, or --templates FOLDER).
    Check,
}

#[derive(Args)]
pub struct LetterArgs {
    /// The action's number, as `overdue today` shows it.
    #[arg(required_unless_present = "invoice", conflicts_with = "invoice")]
    pub action: Option<i64>,
    /// Print this invoice itself instead (for invoices that came without a document of their own).
    #[arg(long)]
    pub invoice: Option<String>,
    /// The PDF file to write.
    #[arg(long)]
    pub out: String,
    /// Compute as of this day (YYYY-MM-DD). Default: today.
    #[arg(long)]
    pub as_of: Option<String>,
}
