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

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Set up the books for your business (creates overdue.db).
    Init(InitArgs),
    /// Import customers, invoices or payments from a CSV file (importing the same file twice changes nothing).
    Import(ImportArgs),
    /// List customers and what each owes.
    Customers(CustomersArgs),
    /// List invoices with their due dates and open balances.
    Invoices(InvoicesArgs),
    /// Show one invoice in full: lines, terms, due dates, payments, what is still owed.
    Show(ShowArgs),
    /// Record a payment received for an invoice.
    Pay(PayArgs),
    /// Record a trade-credit report on a customer (score or rating, advised limit).
    CreditReport(CreditReportArgs),
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
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ImportKind {
    Customers,
    Invoices,
    Payments,
}

#[derive(Args)]
pub struct ImportArgs {
    /// What the file holds.
    pub kind: ImportKind,
    /// The CSV file (see examples/ for the columns).
    pub file: String,
    /// Import nothing at all if any row is rejected (default: import the good rows, list the bad).
    #[arg(long)]
    pub all_or_nothing: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct CustomersArgs {
    /// Show at most this many (0 for all).
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
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
}

#[derive(Args)]
pub struct ShowArgs {
    #[command(subcommand)]
    pub what: ShowWhat,
}

#[derive(Subcommand)]
pub enum ShowWhat {
    /// An invoice, by number.
    Invoice { number: String },
    /// A customer, by code.
    Customer { code: String },
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
