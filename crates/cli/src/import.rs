//! `overdue import [customers|invoices|payments] FILE…`: read, check, store, and say what
//! happened. CSV files and e-invoices; what a file holds is recognised from its content.

use crate::args::{ImportArgs, ImportKind};
use crate::einvoices;
use crate::setup::open_books;
use anyhow::{Context, bail};
use clap::ValueEnum;
use indicatif::{ProgressBar, ProgressStyle};
use overdue_app::pipeline::pipelined;
use overdue_core::ids::Country;
use overdue_core::import::{ImportReport, ImportRow};
use overdue_core::invoice::Invoice;
use overdue_core::legal::{TermsFinding, check_terms};
use overdue_core::terms::PaymentTerms;
use overdue_formats::csv_columns::ColumnMap;
use overdue_formats::invoices_csv;
use overdue_store::{ImportOptions, Organisation, Store};
use std::fs::File;
use std::io::{BufReader, Read};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Rejections printed in full; the rest are counted.
const REJECTIONS_SHOWN: usize = 50;

pub fn run(database: &str, organisation: Option<i64>, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let named = ImportKind::from_str(&args.what[0], true).ok();
    let files = if named.is_some() { &args.what[1..] } else { &args.what[..] };
    if named.is_some() && files.len() != 1 {
        bail!("say one CSV file after the kind: overdue import {} FILE", args.what[0]);
    }
    let agreed = args.terms.as_deref().map(PaymentTerms::parse).transpose().context("--terms")?;
    if named.is_none() && args.map.is_some() {
        bail!("--map describes one kind of file: name it first, e.g. overdue import invoices FILE --map \"…\"");
    }
    let (mut clean, mut einvoice_files) = (true, false);
    for file in files {
        let bytes = std::fs::read(file).with_context(|| format!("cannot read {file}"))?;
        clean &= match named {
            Some(kind) => import_csv(store.as_mut(), &organisation, kind, file, args)?,
            None if looks_like_xml(&bytes)
                || overdue_formats::p7m::looks_signed(&bytes)
                || overdue_formats::einvoice::pdf::is_pdf(&bytes) =>
            {
                let options = ImportOptions { all_or_nothing: args.all_or_nothing };
                einvoice_files = true;
                einvoices::import(store.as_mut(), &organisation, (file, &bytes), (options, agreed.as_ref()))?
            }
            None => import_csv(store.as_mut(), &organisation, csv_kind(file, &bytes)?, file, args)?,
        };
    }
    if einvoice_files && store.letterhead(organisation.id)?.tax_id.is_none() {
        outln!(
            "note: the letterhead has no tax id, so invoices issued by anyone were taken as yours; say yours with \
             `overdue letterhead tax_id=…` and only your own are followed up"
        )?;
    }
    Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// XML starts with `<` once a byte-order mark and blanks are set aside.
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// What a CSV file holds, from the columns its header names.
fn csv_kind(file: &str, bytes: &[u8]) -> anyhow::Result<ImportKind> {
    let header = String::from_utf8_lossy(bytes.split(|&b| b == b'\n').next().unwrap_or_default()).to_lowercase();
    let columns: Vec<&str> = header.split([',', ';']).map(|c| c.trim().trim_matches('"')).collect();
    let has = |name: &str| columns.contains(&name);
    if has("number") && has("issue_date") {
        Ok(ImportKind::Invoices)
    } else if has("reference") && has("amount") {
        Ok(ImportKind::Payments)
    } else if has("code") && has("name") {
        Ok(ImportKind::Customers)
    } else if has("promised_date") {
        Ok(ImportKind::Promises)
    } else if has("opened_on") && has("invoice") {
        Ok(ImportKind::Disputes)
    } else if has("summary") && has("customer") {
        Ok(ImportKind::Interactions)
    } else {
        bail!(
            "{file}: not an e-invoice, and its header does not say what it holds: \
             name it, e.g. `overdue import invoices {file}` (see examples/ for the columns)"
        )
    }
}

/// Imports one CSV file; whether every row was imported.
fn import_csv(
    store: &mut dyn Store,
    organisation: &Organisation,
    kind: ImportKind,
    file_name: &str,
    args: &ImportArgs,
) -> anyhow::Result<bool> {
    let file = File::open(file_name).with_context(|| format!("cannot open {file_name}"))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = progress_bar(size, args.quiet);
    let map = match &args.map {
        Some(spec) => Some(ColumnMap::parse_spec(spec, kind.layout()).context("--map")?),
        None => None,
    };
    // a mapped export may be Windows-1252: read whole and decoded; overdue's own files stream
    let input: Box<dyn Read + Send> = match &map {
        Some(map) => {
            let mut bytes = Vec::new();
            progress.wrap_read(file).read_to_end(&mut bytes).with_context(|| format!("cannot read {file_name}"))?;
            let text = overdue_formats::encoding::decode_text(&bytes).into_owned();
            overdue_formats::csv_columns::check_dates(&text, kind.layout(), map)
                .with_context(|| format!("{file_name} was not imported"))?;
            Box::new(std::io::Cursor::new(text.into_bytes()))
        }
        None => Box::new(BufReader::with_capacity(1 << 20, progress.wrap_read(file))),
    };
    let options = ImportOptions { all_or_nothing: args.all_or_nothing };
    let started = Instant::now();
    let findings = Arc::new(Mutex::new(Vec::new()));
    let not_imported = || format!("{file_name} was not imported");
    let report = match kind {
        ImportKind::Invoices => {
            let agreed = store.agreed_terms(organisation.id)?.into_iter().collect();
            let rows = invoices_csv::read_mapped(input, map.unwrap_or_default())
                .with_context(not_imported)?
                .with_agreed_terms(agreed);
            let checked = terms_checked(rows, organisation.country, Arc::clone(&findings));
            store.import_invoices(organisation.id, &mut pipelined(checked), options).with_context(not_imported)?
        }
        kind => import_mapped(store, organisation.id, kind, (input, map.unwrap_or_default()), options)
            .with_context(not_imported)?,
    };
    progress.finish_and_clear();
    print_report(file_name, &report, started.elapsed().as_secs_f64())?;
    print_findings(file_name, &findings.lock().map(|f| f.clone()).unwrap_or_default())?;
    Ok(report.rejected.is_empty())
}

/// Invoice rows as they are read, with each lawful-terms finding (Spain: more than 60 days from
/// delivery) noted by line: the invoice is still imported — it is what was issued — but flagged.
fn terms_checked(
    rows: impl Iterator<Item = ImportRow<Invoice>> + Send + 'static,
    country: Country,
    findings: Arc<Mutex<Vec<(u64, String, TermsFinding)>>>,
) -> impl Iterator<Item = ImportRow<Invoice>> + Send + 'static {
    rows.inspect(move |row| {
        let Ok(located) = row else { return };
        let invoice = &located.value;
        let delivered = invoice.supply_to.unwrap_or(invoice.issue_date);
        let Some(last_due) = invoice.instalments.iter().map(|i| i.due_date).max() else { return };
        // the EU's "unless expressly agreed" is checked against the agreement by `overdue interest`
        if let Some(finding @ TermsFinding::Unlawful { .. }) = check_terms(country, delivered, last_due, true)
            && let Ok(mut findings) = findings.lock()
        {
            findings.push((located.line, invoice.number.to_string(), finding));
        }
    })
}

fn print_findings(file: &str, findings: &[(u64, String, TermsFinding)]) -> std::io::Result<()> {
    for (line, number, finding) in findings.iter().take(REJECTIONS_SHOWN) {
        outln!("  warning: {file}, line {line}, invoice {number}: {finding}")?;
    }
    if findings.len() > REJECTIONS_SHOWN {
        outln!("  … and {} more invoices with unlawful terms", findings.len() - REJECTIONS_SHOWN)?;
    }
    Ok(())
}

/// Imports one CSV file of the given kind; file-level errors (a missing column) stop it first.
pub fn import_file<R: Read + Send + 'static>(
    store: &mut dyn Store,
    tenant: i64,
    kind: ImportKind,
    input: R,
    options: ImportOptions,
) -> anyhow::Result<ImportReport> {
    import_mapped(store, tenant, kind, (input, ColumnMap::default()), options)
}

/// Imports one CSV file of the given kind whose columns `map` describes.
fn import_mapped<R: Read + Send + 'static>(
    store: &mut dyn Store,
    tenant: i64,
    kind: ImportKind,
    (input, map): (R, ColumnMap),
    options: ImportOptions,
) -> anyhow::Result<ImportReport> {
    let by = crate::work::user(None);
    let at = chrono::Utc::now().naive_utc();
    Ok(overdue_app::import::file(store, tenant, kind.file_kind(), (input, map), (options, &by, at))?)
}

fn progress_bar(size: u64, quiet: bool) -> ProgressBar {
    if quiet || size < (4 << 20) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({eta} left)") {
        bar.set_style(style);
    }
    bar
}

pub fn print_report(file: &str, report: &ImportReport, seconds: f64) -> std::io::Result<()> {
    let rows = report.created + report.updated + report.unchanged + report.rejected.len() as u64;
    let rate = if seconds > 0.0 { rows as f64 / seconds } else { 0.0 };
    outln!(
        "{file}: {} created, {} updated, {} unchanged, {} rejected ({rows} records in {seconds:.2} s, {rate:.0}/s)",
        report.created,
        report.updated,
        report.unchanged,
        report.rejected.len()
    )?;
    for rejection in report.rejected.iter().take(REJECTIONS_SHOWN) {
        outln!("  rejected {file}, {rejection}")?;
    }
    if report.rejected.len() > REJECTIONS_SHOWN {
        outln!("  … and {} more rejected rows", report.rejected.len() - REJECTIONS_SHOWN)?;
    }
    if report.rolled_back {
        outln!("Nothing was imported (--all-or-nothing): fix the rows above and import the file again.")?;
    }
    Ok(())
}
