//! `overdue`: the command line that does every job: set up the books, import customers,
//! invoices and payments, list what is owed, record a payment, plan the day's follow-up and
//! work it (log calls, promises, disputes), generate a demo ledger.
//! Glue only: the rules live in `overdue-core`, the files in `overdue-formats`, the database
//! in `overdue-store`.

/// `println!` that returns the write's result instead of panicking, so `overdue … | head`
/// ends quietly when the reader stops reading.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)
    }};
}

/// `print!` that returns the write's result, like `outln!`.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout(), $($arg)*)
    }};
}

mod args;
mod bank;
mod contact_log;
mod credit;
mod demo;
mod einvoices;
mod export;
mod generate;
mod import;
mod interest;
mod listing;
mod pay;
mod plan;
mod policy;
mod report;
mod send;
mod serve;
mod setup;
mod statement;
mod table;
mod work;

use clap::Parser;
use std::process::ExitCode;

/// Loads the settings file named by `--config FILE` or `OVERDUE_CONFIG` into the environment,
/// before the flags are read, so each `NAME=value` in it is the default its flag reads; a variable
/// already set keeps its value.
fn load_settings_file() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let named = args.iter().position(|a| a == "--config").and_then(|i| args.get(i + 1).cloned());
    let named = named.or_else(|| args.iter().find_map(|a| a.strip_prefix("--config=").map(str::to_owned)));
    let Some(path) = named.or_else(|| std::env::var("OVERDUE_CONFIG").ok()) else { return Ok(()) };
    dotenvy::from_path(&path).map_err(|e| format!("cannot read the settings file {path}: {e}"))
}

fn main() -> ExitCode {
    // every flag and value is text that may enter the books: the one rule for text, first
    for (position, arg) in std::env::args_os().enumerate().skip(1) {
        if let Some(Err(error)) = arg.to_str().map(overdue_core::text::check) {
            eprintln!("error: argument {position} {error}; nothing was changed");
            return ExitCode::from(2);
        }
    }
    if let Err(error) = load_settings_file() {
        eprintln!("error: {error}; nothing was changed");
        return ExitCode::from(2);
    }
    let args = args::Cli::parse();
    match run(args) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  because: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

/// The reader of our output went away (`overdue invoices | head`): not an error of ours.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: args::Cli) -> anyhow::Result<ExitCode> {
    use args::Command;
    let database = cli.database.as_str();
    match cli.command {
        Command::Init(init) => setup::init(database, &init),
        Command::Import(import) => import::run(database, cli.organisation, &import),
        Command::ImportBank(import) => bank::import(database, cli.organisation, &import),
        Command::Matches(matches) => bank::matches(database, cli.organisation, &matches),
        Command::Export(export) => export::run(database, cli.organisation, cli.rates.as_ref(), &export),
        Command::Report(args) => report::run(database, cli.organisation, &args),
        Command::Preview(args) => {
            send::preview(database, cli.organisation, (cli.templates.as_ref(), cli.rates.as_ref()), &args)
        }
        Command::Statement(args) => statement::statement(database, cli.organisation, cli.templates.as_ref(), &args),
        Command::Letter(args) => {
            send::letter(database, cli.organisation, (cli.templates.as_ref(), cli.rates.as_ref()), &args)
        }
        Command::Send(args) => {
            send::send(database, cli.organisation, (cli.templates.as_ref(), cli.rates.as_ref()), &args)
        }
        Command::Outbox(args) => send::outbox(database, cli.organisation, &args),
        Command::Letterhead(args) => send::letterhead(database, cli.organisation, &args),
        Command::Templates(args) => send::templates_command(cli.templates.as_ref(), &args),
        Command::TimeZone(args) => setup::time_zone(database, cli.organisation, &args),
        Command::Customers(list) => listing::customers(database, cli.organisation, &list),
        Command::Customer(args) => listing::customer(database, cli.organisation, &args),
        Command::Credit(args) => listing::credit(database, cli.organisation, &args),
        Command::Plan(args) => plan::plan(database, cli.organisation, &args),
        Command::Invoices(list) => listing::invoices(database, cli.organisation, &list),
        Command::Show(show) => listing::show(database, cli.organisation, &show),
        Command::Pay(pay) => pay::run(database, cli.organisation, &pay),
        Command::Unpay(unpay) => pay::undo(database, cli.organisation, &unpay),
        Command::Serve(args) => serve::run(database, (cli.templates.as_ref(), cli.rates.as_ref()), &args),
        Command::Jobs => serve::jobs(database, cli.organisation),
        Command::User(args) => serve::user(database, cli.organisation, &args),
        Command::Token(args) => serve::token(database, cli.organisation, &args),
        Command::CreditReport(report) => credit::record(database, cli.organisation, &report),
        Command::Run(run) => work::run(database, cli.organisation, &run),
        Command::Today(today) => work::today(database, cli.organisation, &today),
        Command::Done(done) => contact_log::done(database, cli.organisation, &done),
        Command::Log(log) => contact_log::log(database, cli.organisation, &log),
        Command::Promise(promise) => contact_log::promise(database, cli.organisation, &promise),
        Command::Dispute(dispute) => contact_log::dispute(database, cli.organisation, &dispute),
        Command::Timeline(timeline) => work::timeline(database, cli.organisation, &timeline),
        Command::Explain(explain) => work::explain(database, cli.organisation, &explain),
        Command::Interest(args) => interest::run(database, cli.organisation, cli.rates.as_ref(), &args),
        Command::Waive(args) => interest::waive(database, cli.organisation, cli.rates.as_ref(), &args),
        Command::Rates => interest::rates(cli.rates.as_ref()),
        Command::Policy(policy) => policy::run(database, cli.organisation, cli.templates.as_ref(), &policy),
        Command::ClosingDay(day) => policy::closing_day(database, cli.organisation, &day),
        Command::Gen(generate) => generate::run(database, cli.organisation, &generate),
        Command::Demo(demo) => demo::run(&demo),
    }
}
