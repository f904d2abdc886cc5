//! `overdue gen`: a realistic synthetic ledger for demos and benchmarks. Deterministic for a
//! seed: customers of very different sizes (a few big accounts, a long tail), the usual terms
//! per country, punctual payers, late payers, habitual late payers and a few who never pay,
//! partial payments. Written as the same CSV files a business would import, or straight into
//! the database.

use crate::args::{GenArgs, ImportKind};
use crate::import::{import_file, print_report};
use crate::setup::open_books;
use anyhow::Context;
use chrono::NaiveDate;
use overdue_core::contact::{Channel, Direction, Interaction, NonPaymentReason};
use overdue_core::currency::Currency;
use overdue_core::date::add_days;
use overdue_core::terms::PaymentTerms;
use overdue_store::ImportOptions;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// SplitMix64: tiny, fast, and the same numbers for the same seed on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }
}

/// How a customer pays.
#[derive(Clone, Copy)]
enum Habit {
    Punctual,
    SlightlyLate,
    HabituallyLate,
    NonPayer,
}

struct GenCustomer {
    code: String,
    currency: Currency,
    terms: &'static str,
    tax_rate: &'static str,
    habit: Habit,
}

const COUNTRIES: &[(&str, &str, &str, &[&str], &str)] = &[
    ("ES", "EUR", "S.L.", &["Net 30", "Net 60", "30 días fecha factura fin de mes", "Net 45"], "21"),
    ("IT", "EUR", "S.r.l.", &["30 gg d.f.f.m.", "Ri.Ba. 30/60/90", "Net 60", "rimessa diretta"], "22"),
    ("GB", "GBP", "Ltd", &["Net 30", "2/10 Net 30", "EOM+30", "Net 14"], "20"),
    ("DE", "EUR", "GmbH", &["Net 30", "2/10 Net 30", "Net 14"], "19"),
    ("FR", "EUR", "SARL", &["Net 45", "30 EOM", "Net 30"], "20"),
    ("US", "USD", "Inc.", &["Net 30", "Net 15", "2/10 Net 30"], "0"),
];
const COUNTRY_WEIGHTS: &[u64] = &[40, 30, 10, 8, 7, 5];
const NAME_PARTS: &[&str] = &[
    "Alba", "Norte", "Ferro", "Luce", "Verde", "Mar", "Sol", "Terra", "Quattro", "Rio", "Castell", "Monte", "Nova",
    "Delta", "Atlas", "Orion", "Vega", "Costa", "Sierra", "Lago", "Pietra", "Oro", "Brisa", "Faro",
];
const TRADES: &[&str] = &[
    "Logistics",
    "Foods",
    "Textiles",
    "Construction",
    "Consulting",
    "Printing",
    "Motors",
    "Pharma",
    "Energy",
    "Software",
    "Furniture",
    "Packaging",
    "Ceramics",
    "Wines",
    "Optics",
    "Tools",
];
const GOODS: &[&str] = &[
    "Pallets of packaging film",
    "Consulting hours",
    "Steel brackets",
    "Maintenance visit",
    "Printed catalogues",
    "Olive oil 5 l",
    "Cotton fabric (m)",
    "Transport Madrid–Milano",
    "Software licence (annual)",
    "Ceramic tiles (m²)",
    "Installation service",
    "Spare parts kit",
];

fn pick_country(rng: &mut Rng) -> usize {
    let total: u64 = COUNTRY_WEIGHTS.iter().sum();
    let mut roll = rng.below(total);
    for (index, weight) in COUNTRY_WEIGHTS.iter().enumerate() {
        if roll < *weight {
            return index;
        }
        roll -= weight;
    }
    0
}

fn customer(rng: &mut Rng, index: u32) -> (GenCustomer, Vec<String>) {
    let (country, currency, form, terms, tax_rate) = COUNTRIES[pick_country(rng)];
    let name = format!("{} {} {form}", rng.pick(NAME_PARTS), rng.pick(TRADES));
    let code = format!("C{index:06}");
    let habit = match rng.below(100) {
        0..=49 => Habit::Punctual,
        50..=79 => Habit::SlightlyLate,
        80..=94 => Habit::HabituallyLate,
        _ => Habit::NonPayer,
    };
    let terms = *rng.pick(terms);
    let domain = format!("{}.example", code.to_ascii_lowercase());
    let limit = rng.range(5, 200) * 1000;
    let row = vec![
        code.clone(),
        name,
        country.to_owned(),
        currency.to_owned(),
        terms.to_owned(),
        format!("{limit}.00"),
        "Accounts Payable".to_owned(),
        format!("ap@{domain}"),
        format!("Approver {index}"),
        format!("approvals@{domain}"),
    ];
    let currency = Currency::from_code(currency).unwrap_or(Currency::EUR);
    (GenCustomer { code, currency, terms, tax_rate, habit }, row)
}

/// Days after the due date that a customer with this habit pays; `None` for never.
fn payment_delay(rng: &mut Rng, habit: Habit) -> Option<i64> {
    match habit {
        Habit::Punctual => Some(rng.range(-5, 2)),
        Habit::SlightlyLate => Some(rng.range(-2, 30)),
        Habit::HabituallyLate => Some(rng.range(15, 120)),
        Habit::NonPayer => rng.percent(40).then(|| rng.range(60, 200)),
    }
}

/// Everything generated about one invoice: its CSV line rows and its payment, if any.
struct GenInvoice {
    lines: Vec<Vec<String>>,
    payment: Option<Vec<String>>,
}

fn invoice(rng: &mut Rng, sequence: u32, customer: &GenCustomer, as_of: NaiveDate) -> GenInvoice {
    let issue_date = add_days(as_of, -rng.range(0, 540));
    let number = format!("F{}-{sequence:07}", issue_date.format("%Y"));
    let sent =
        if (as_of - issue_date).num_days() < 2 && rng.percent(50) { String::new() } else { issue_date.to_string() };
    let line_count = match rng.below(100) {
        0..=74 => 1,
        75..=92 => 2,
        _ => 3,
    };
    let exponent = customer.currency.exponent();
    let supplied = add_days(issue_date, -rng.range(0, 3)).to_string();
    let mut total_minor: i64 = 0;
    let lines = (0..line_count)
        .map(|_| {
            let quantity = rng.range(1, 20);
            let unit_minor = ((10.0 * (200.0f64).powf(rng.unit())) * 10f64.powi(i32::from(exponent))) as i64;
            total_minor += quantity * unit_minor;
            vec![
                number.clone(),
                customer.code.clone(),
                issue_date.to_string(),
                customer.currency.code().to_owned(),
                customer.terms.to_owned(),
                (*rng.pick(GOODS)).to_owned(),
                quantity.to_string(),
                overdue_core::money::format_minor(unit_minor, exponent),
                customer.tax_rate.to_owned(),
                supplied.clone(),
                sent.clone(),
            ]
        })
        .collect();
    let payment = generated_payment(rng, customer, &number, issue_date, total_minor, as_of);
    GenInvoice { lines, payment }
}

fn generated_payment(
    rng: &mut Rng,
    customer: &GenCustomer,
    number: &str,
    issue_date: NaiveDate,
    net_minor: i64,
    as_of: NaiveDate,
) -> Option<Vec<String>> {
    let terms = PaymentTerms::parse(customer.terms).ok()?;
    let due = terms.schedule(issue_date, None, overdue_core::money::Money::new(0, customer.currency)).last()?.due_date;
    let paid_on = add_days(due, payment_delay(rng, customer.habit)?);
    if paid_on > as_of || paid_on < issue_date {
        return None;
    }
    let rate: i64 = customer.tax_rate.parse().unwrap_or(0);
    let gross = net_minor + (net_minor * rate + 50) / 100;
    let amount = if rng.percent(10) { gross / 2 } else { gross };
    let method = if rng.percent(85) { "transfer" } else { *rng.pick(&["card", "cheque", "direct_debit"]) };
    Some(vec![
        format!("PAY-{number}"),
        customer.code.clone(),
        paid_on.to_string(),
        overdue_core::money::format_minor(amount, customer.currency.exponent()),
        customer.currency.code().to_owned(),
        method.to_owned(),
        number.to_owned(),
    ])
}

/// The largest ledger `gen` writes (customers or invoices).
const GENERATED_MAX: u32 = 20_000_000;

const CUSTOMER_HEADER: &[&str] = &[
    "code",
    "name",
    "country",
    "currency",
    "terms",
    "credit_limit",
    "billing_name",
    "billing_email",
    "approver_name",
    "approver_email",
];
const INVOICE_HEADER: &[&str] = &[
    "number",
    "customer",
    "issue_date",
    "currency",
    "terms",
    "description",
    "quantity",
    "unit_price",
    "tax_rate",
    "supply_date",
    "sent_date",
];
const PAYMENT_HEADER: &[&str] = &["reference", "customer", "date", "amount", "currency", "method", "invoice"];

/// Writes the three CSV files of a ledger into `folder`.
pub fn write_ledger(folder: &Path, args: &GenArgs, as_of: NaiveDate) -> anyhow::Result<(u64, u64, u64)> {
    std::fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))?;
    let writer = |name: &str| -> anyhow::Result<csv::Writer<BufWriter<File>>> {
        let path = folder.join(name);
        let file = File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file)))
    };
    let (mut customers_out, mut invoices_out, mut payments_out) =
        (writer("customers.csv")?, writer("invoices.csv")?, writer("payments.csv")?);
    customers_out.write_record(CUSTOMER_HEADER)?;
    invoices_out.write_record(INVOICE_HEADER)?;
    payments_out.write_record(PAYMENT_HEADER)?;
    let mut rng = Rng(args.seed);
    let customer_count = args.customers.max(1);
    let mut customers = Vec::with_capacity(customer_count as usize);
    for index in 1..=customer_count {
        let (customer, row) = customer(&mut rng, index);
        customers_out.write_record(&row)?;
        customers.push(customer);
    }
    let mut payments = 0;
    for sequence in 1..=args.invoices {
        // u³ skews invoices towards the first customers: a few big accounts, a long tail.
        let index = ((rng.unit().powi(3)) * f64::from(customer_count)) as usize;
        let generated = invoice(&mut rng, sequence, &customers[index.min(customers.len() - 1)], as_of);
        for line in &generated.lines {
            invoices_out.write_record(line)?;
        }
        if let Some(payment) = generated.payment {
            payments_out.write_record(&payment)?;
            payments += 1;
        }
    }
    for out in [&mut customers_out, &mut invoices_out, &mut payments_out] {
        out.flush()?;
    }
    Ok((u64::from(customer_count), u64::from(args.invoices), payments))
}

pub fn run(database: &str, organisation: Option<i64>, args: &GenArgs) -> anyhow::Result<ExitCode> {
    let as_of = match &args.as_of {
        Some(text) => overdue_core::date::parse_iso(text).context("--as-of")?,
        None => chrono::Local::now().date_naive(),
    };
    let folder = match (&args.out, args.into_store) {
        (Some(out), _) => Path::new(out).to_path_buf(),
        (None, true) => std::env::temp_dir().join(format!("overdue-gen-{}", std::process::id())),
        (None, false) => anyhow::bail!("say where the ledger goes: --out FOLDER or --into-store"),
    };
    if args.customers > GENERATED_MAX || args.invoices > GENERATED_MAX {
        anyhow::bail!("--customers and --invoices go up to {GENERATED_MAX}");
    }
    let started = Instant::now();
    let (customers, invoices, payments) = write_ledger(&folder, args, as_of)?;
    outln!(
        "Generated {customers} customers, {invoices} invoices, {payments} payments as of {as_of} in {:.2} s",
        started.elapsed().as_secs_f64()
    )?;
    if args.into_store {
        let imported = import_ledger(database, organisation, &folder);
        let _ = std::fs::remove_dir_all(&folder);
        imported?;
        if args.interactions > 0 {
            import_contact_log(database, organisation, args, as_of)?;
        }
    } else {
        if args.interactions > 0 {
            anyhow::bail!("--interactions goes straight into the books: use it with --into-store");
        }
        outln!("Files: {}/customers.csv, invoices.csv, payments.csv", folder.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

const SUMMARIES: &[(&str, Option<NonPaymentReason>)] = &[
    ("Confirmed the goods arrived and the invoice is approved", None),
    ("Invoice waiting for the manager's signature", Some(NonPaymentReason::AwaitingApproval)),
    ("Says the invoice never arrived; sent it again", Some(NonPaymentReason::NotReceived)),
    ("Short of cash until the end of the month", Some(NonPaymentReason::CashFlow)),
    ("Will pay with the next payment run", Some(NonPaymentReason::WillPayOnDate)),
    ("Needs a purchase order number on the invoice", Some(NonPaymentReason::MissingPurchaseOrder)),
    ("No answer; left a voicemail", Some(NonPaymentReason::NoAnswer)),
    ("Reminder e-mail sent", None),
];
const STAFF: &[&str] = &["ana", "marco", "lucia", "tom"];

/// A history of conversations: mostly with the big accounts (the same skew as invoices), spread
/// over the 18 months before `as_of`.
fn contact_log(seed: u64, customers: u32, count: u32, as_of: NaiveDate) -> impl Iterator<Item = (String, Interaction)> {
    let mut rng = Rng(seed ^ 0x636f_6e74_6163_7473);
    (0..count).map(move |_| {
        let index = ((rng.unit().powi(3)) * f64::from(customers)) as u32 + 1;
        let (summary, reason) = *rng.pick(SUMMARIES);
        let channel = if rng.percent(60) {
            Channel::Call
        } else {
            *rng.pick(&[Channel::Email, Channel::Letter, Channel::Meeting])
        };
        let day = add_days(as_of, -rng.range(1, 540));
        let interaction = Interaction {
            at: day.and_hms_opt(rng.range(8, 18) as u32, rng.range(0, 59) as u32, 0).unwrap_or_default(),
            channel,
            direction: if rng.percent(80) { Direction::Outbound } else { Direction::Inbound },
            contact: Some("Accounts payable".to_owned()),
            recorded_by: (*rng.pick(STAFF)).to_owned(),
            summary: summary.to_owned(),
            outcome: None,
            reason,
            reason_note: None,
            receipt_check: None,
            attachment: None,
            invoices: Vec::new(),
        };
        (format!("C{:06}", index.min(customers)), interaction)
    })
}

fn import_contact_log(
    database: &str,
    organisation: Option<i64>,
    args: &GenArgs,
    as_of: NaiveDate,
) -> anyhow::Result<()> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let started = Instant::now();
    let mut rows = contact_log(args.seed, args.customers.max(1), args.interactions, as_of);
    let (recorded, _) = store.import_interactions(organisation.id, &mut rows)?;
    let seconds = started.elapsed().as_secs_f64();
    outln!(
        "contact log: {recorded} conversations recorded in {seconds:.2} s ({:.0}/s)",
        recorded as f64 / seconds.max(1e-9)
    )?;
    Ok(())
}

/// Imports a generated ledger's three files into the books.
pub fn import_ledger(database: &str, organisation: Option<i64>, folder: &Path) -> anyhow::Result<()> {
    let (mut store, organisation) = open_books(database, organisation)?;
    for (kind, name) in [
        (ImportKind::Customers, "customers.csv"),
        (ImportKind::Invoices, "invoices.csv"),
        (ImportKind::Payments, "payments.csv"),
    ] {
        let path = folder.join(name);
        let file = File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
        let started = Instant::now();
        let input = std::io::BufReader::with_capacity(1 << 20, file);
        let report = import_file(store.as_mut(), organisation.id, kind, input, ImportOptions::default())?;
        print_report(&path.display().to_string(), &report, started.elapsed().as_secs_f64())?;
    }
    Ok(())
}
