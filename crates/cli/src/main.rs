//! `overdue`: the command line that does every job: set up the books, import customers,
//! invoices and payments, list what is owed, record a payment, generate a demo ledger.
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

mod args;
mod credit;
mod demo;
mod generate;
mod import;
mod listing;
mod pay;
mod pipeline;
mod setup;
mod table;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
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
        Command::Customers(list) => listing::customers(database, cli.organisation, &list),
        Command::Invoices(list) => listing::invoices(database, cli.organisation, &list),
        Command::Show(show) => listing::show(database, cli.organisation, &show),
        Command::Pay(pay) => pay::run(database, cli.organisation, &pay),
        Command::CreditReport(report) => credit::record(database, cli.organisation, &report),
        Command::Gen(generate) => generate::run(database, cli.organisation, &generate),
        Command::Demo(demo) => demo::run(&demo),
    }
}
