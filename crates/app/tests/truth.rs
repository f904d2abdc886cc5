//! Properties of what leaves overdue, on real SQLite books built from random histories:
//! - whatever is paid, credited, promised or disputed after a run, what `send` would deliver
//!   never asks for more than is open on the sending day, per currency, and never adds amounts
//!   of different currencies into one figure;
//! - for any day D, the views of the books as of D equal the same views of books rebuilt from
//!   only what existed on D.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use chrono::NaiveDate;
use overdue_app::outbox::{Sender, Verdict, for_sending, still_asked};
use overdue_core::currency::Currency;
use overdue_core::customer::{Agreement, Contact, ContactRole, CreditProfile, Customer};
use overdue_core::dispute::Dispute;
use overdue_core::ids::{Country, CustomerCode, Email, InvoiceNumber, Language, PaymentReference};
use overdue_core::import::{ImportRow, Located};
use overdue_core::invoice::{Invoice, InvoiceDraft, InvoiceKind, InvoiceLine};
use overdue_core::money::Money;
use overdue_core::payment::{Payment, PaymentMethod};
use overdue_core::promise::PromiseToPay;
use overdue_core::quantity::Quantity;
use overdue_core::terms::PaymentTerms;
use overdue_store::{
    ImportOptions, InvoiceFilter, NewOrganisation, Organisation, Page, PostgresStore, SqliteStore, Store,
};
use proptest::prelude::*;
use std::collections::BTreeMap;

const CURRENCIES: [Currency; 3] = [Currency::EUR, Currency::GBP, Currency::JPY];
const CUSTOMERS: [&str; 3] = ["C1", "C2", "C3"];

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
}

fn day(offset: u32) -> NaiveDate {
    overdue_core::date::add_days(start(), i64::from(offset))
}

fn rows<T>(values: Vec<T>) -> impl Iterator<Item = ImportRow<T>> {
    values.into_iter().enumerate().map(|(i, value)| Ok(Located { line: i as u64 + 2, value }))
}

fn customer(code: &str) -> Customer {
    Customer {
        code: CustomerCode::parse(code).unwrap(),
        legal_name: format!("{code} Trading Ltd"),
        tax_id: None,
        country: Country::parse("GB").unwrap(),
        language: Language::EN,
        currency: Currency::GBP,
        address: None,
        contacts: vec![Contact {
            name: "Accounts".into(),
            role: ContactRole::Billing,
            email: Some(Email::parse(&format!("ap@{}.example", code.to_lowercase())).unwrap()),
            phone: None,
        }],
        agreement: Agreement::default(),
        credit: CreditProfile::default(),
    }
}

/// One document of a random history: an invoice or a credit note.
#[derive(Debug, Clone)]
struct Doc {
    customer: usize,
    currency: usize,
    issued: u32,
    units: i64,
    credit_note: bool,
}

/// One payment of a random history; `named` picks among the invoices it may name.
#[derive(Debug, Clone)]
struct Pay {
    customer: usize,
    currency: usize,
    on: u32,
    units: i64,
    named: Option<usize>,
}

fn amount(currency: Currency, units: i64) -> Money {
    // a unit is 1.00 (EUR, GBP) or 100 yen (JPY has no minor unit)
    Money::new(units * 100, currency)
}

fn invoice(number: usize, doc: &Doc) -> Invoice {
    let currency = CURRENCIES[doc.currency];
    InvoiceDraft {
        number: InvoiceNumber::parse(&format!("{}-{number:03}", if doc.credit_note { "CN" } else { "F" })).unwrap(),
        customer: CustomerCode::parse(CUSTOMERS[doc.customer]).unwrap(),
        kind: if doc.credit_note { InvoiceKind::CreditNote } else { InvoiceKind::Invoice },
        issue_date: day(doc.issued),
        supply_from: None,
        supply_to: None,
        delivery_place: None,
        currency,
        lines: vec![InvoiceLine {
            description: "Goods".into(),
            quantity: Quantity::ONE,
            unit_price_minor: amount(currency, doc.units).amount_minor(),
            tax_rate_basis_points: 0,
        }],
        terms: Some(PaymentTerms::parse("Net 30").unwrap()),
        sent_on: Some(day(doc.issued)),
    }
    .issue()
    .unwrap()
}

/// The payment, naming one of the invoices it may name (same customer and currency, issued by
/// its day), if it names one.
fn payment(number: usize, pay: &Pay, invoices: &[Invoice]) -> Payment {
    let currency = CURRENCIES[pay.currency];
    let customer = CustomerCode::parse(CUSTOMERS[pay.customer]).unwrap();
    let candidates: Vec<&Invoice> = invoices
        .iter()
        .filter(|i| i.kind == InvoiceKind::Invoice && i.customer == customer && i.currency == currency)
        .filter(|i| i.issue_date <= day(pay.on))
        .collect();
    let named = pay.named.and_then(|n| candidates.get(n % candidates.len().max(1)).map(|i| i.number.clone()));
    Payment {
        reference: PaymentReference::parse(&format!("P-{number:03}")).unwrap(),
        customer,
        date: day(pay.on),
        amount: amount(currency, pay.units),
        method: PaymentMethod::Transfer,
        invoice: named,
    }
}

fn docs() -> impl Strategy<Value = Vec<Doc>> {
    let doc = (0..3usize, 0..3usize, 0..60u32, 1..50i64, prop::bool::weighted(0.15)).prop_map(
        |(customer, currency, issued, units, credit_note)| Doc { customer, currency, issued, units, credit_note },
    );
    prop::collection::vec(doc, 1..9)
}

fn pays() -> impl Strategy<Value = Vec<Pay>> {
    let pay = (0..3usize, 0..3usize, 0..120u32, 1..60i64, prop::option::of(0..4usize))
        .prop_map(|(customer, currency, on, units, named)| Pay { customer, currency, on, units, named });
    prop::collection::vec(pay, 0..7)
}

fn organisation(store: &mut dyn Store, name: &str) -> Organisation {
    let new = NewOrganisation { name: name.into(), country: Country::parse("GB").unwrap(), currency: Currency::GBP };
    let organisation = store.create_organisation(&new).unwrap();
    let customers: Vec<Customer> = CUSTOMERS.iter().map(|c| customer(c)).collect();
    store.import_customers(organisation.id, &mut rows(customers), ImportOptions::default()).unwrap();
    organisation
}

/// Imports the history in the order it happened (each day's documents, then its payments),
/// keeping only what happened by `until`.
fn build(store: &mut dyn Store, tenant: i64, invoices: &[Invoice], payments: &[Payment], until: NaiveDate) {
    let mut days: Vec<NaiveDate> =
        invoices.iter().map(|i| i.issue_date).chain(payments.iter().map(|p| p.date)).collect();
    days.sort_unstable();
    days.dedup();
    for on in days.into_iter().filter(|d| *d <= until) {
        let issued: Vec<Invoice> = invoices.iter().filter(|i| i.issue_date == on).cloned().collect();
        store.import_invoices(tenant, &mut rows(issued), ImportOptions::default()).unwrap();
        let paid: Vec<Payment> = payments.iter().filter(|p| p.date == on).cloned().collect();
        let report = store.import_payments(tenant, &mut rows(paid), ImportOptions::default()).unwrap();
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    }
}

/// Per customer what they owed and held in credit; per open invoice what was open.
type Views = (Vec<(String, Vec<Money>, Vec<Money>)>, BTreeMap<String, Money>);

/// What the views of the books as of `on` show: per customer, what they owed and held in credit
/// (per currency), and every invoice open on the day with what was open.
fn views(store: &mut dyn Store, tenant: i64, on: NaiveDate) -> Views {
    let customers = store.customers_on(tenant, on, None, None).unwrap();
    let balances = customers.into_iter().map(|c| (c.code, c.open, c.credit)).collect();
    let filter =
        InvoiceFilter { open_only: true, customer: None, page: Page { limit: None, offset: 0 }, as_of: Some(on) };
    let open = store.invoices(tenant, &filter).unwrap().rows.into_iter().map(|i| (i.number, i.open)).collect();
    (balances, open)
}

/// What the month-by-month and cash reports show as of `on`: DSO and CEI for three months, and
/// each open amount's expected day.
fn reports(
    store: &mut dyn Store,
    organisation: &Organisation,
    on: NaiveDate,
) -> (Vec<overdue_core::kpi::MonthFigures>, Vec<overdue_core::forecast::Prediction>) {
    let monthly = overdue_app::reports::collection_by_month(store, organisation, on, 3).unwrap();
    let (predictions, _) = overdue_app::reports::forecast(store, organisation, on, 4).unwrap();
    (monthly, predictions)
}

/// Books to try a property on: a fresh SQLite file, or a fresh PostgreSQL schema (dropped when
/// done) when `OVERDUE_TEST_POSTGRES_URL` names a database.
enum Books {
    Sqlite { _dir: tempfile::TempDir, store: SqliteStore },
    Postgres(Box<PostgresStore>, String, String),
}

impl Books {
    fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("books.db").to_str().unwrap()).unwrap();
        Books::Sqlite { _dir: dir, store }
    }

    fn postgres() -> Option<Self> {
        let Ok(url) = std::env::var("OVERDUE_TEST_POSTGRES_URL") else {
            assert!(std::env::var_os("CI").is_none(), "CI must try the properties on PostgreSQL too");
            return None;
        };
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let schema = format!("overdue_truth_{}_{n}", std::process::id());
        let store = PostgresStore::connect_in_schema(&url, &schema).unwrap();
        Some(Books::Postgres(Box::new(store), url, schema))
    }

    fn store(&mut self) -> &mut dyn Store {
        match self {
            Books::Sqlite { store, .. } => store,
            Books::Postgres(store, _, _) => store.as_mut(),
        }
    }
}

impl Drop for Books {
    fn drop(&mut self) {
        if let Books::Postgres(_, url, schema) = self
            && let Ok(mut client) = postgres::Client::connect(url, postgres::NoTls)
        {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
        }
    }
}

/// The books as of `d` equal the books rebuilt from what existed on `d`.
fn as_of_equals_rebuilt(store: &mut dyn Store, docs: &[Doc], pays: &[Pay], d: u32) -> Result<(), TestCaseError> {
    let invoices: Vec<Invoice> = docs.iter().enumerate().map(|(n, doc)| invoice(n, doc)).collect();
    let payments: Vec<Payment> = pays.iter().enumerate().map(|(n, p)| payment(n, p, &invoices)).collect();
    let full = organisation(store, "Full Ltd");
    build(store, full.id, &invoices, &payments, day(200));
    let rebuilt = organisation(store, "Rebuilt Ltd");
    build(store, rebuilt.id, &invoices, &payments, day(d));
    prop_assert_eq!(views(store, full.id, day(d)), views(store, rebuilt.id, day(d)));
    prop_assert_eq!(reports(store, &full, day(d)), reports(store, &rebuilt, day(d)));
    Ok(())
}

/// Entered in the README's order — every invoice and credit note first, then every payment — the
/// books as of any day equal the books entered day by day as things happened.
fn entry_order_changes_no_past_day(
    store: &mut dyn Store,
    docs: &[Doc],
    pays: &[Pay],
    d: u32,
) -> Result<(), TestCaseError> {
    let invoices: Vec<Invoice> = docs.iter().enumerate().map(|(n, doc)| invoice(n, doc)).collect();
    let payments: Vec<Payment> = pays.iter().enumerate().map(|(n, p)| payment(n, p, &invoices)).collect();
    let in_order = organisation(store, "In Order Ltd");
    build(store, in_order.id, &invoices, &payments, day(200));
    let batched = organisation(store, "Batched Ltd");
    store.import_invoices(batched.id, &mut rows(invoices.clone()), ImportOptions::default()).unwrap();
    let report = store.import_payments(batched.id, &mut rows(payments.clone()), ImportOptions::default()).unwrap();
    prop_assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    prop_assert_eq!(views(store, in_order.id, day(d)), views(store, batched.id, day(d)));
    Ok(())
}

/// After a run, whatever arrives later that day, what would be sent asks for no more than is
/// open and mixes no currencies.
fn send_asks_no_more_than_is_open(
    store: &mut dyn Store,
    (docs, pays): (&[Doc], &[Pay]),
    (disputed, promised): (Option<usize>, Option<usize>),
) -> Result<(), TestCaseError> {
    let invoices: Vec<Invoice> = docs.iter().enumerate().map(|(n, doc)| invoice(n, doc)).collect();
    let organisation = organisation(store, "Hartley Ltd");
    let tenant = organisation.id;
    store.import_invoices(tenant, &mut rows(invoices.clone()), ImportOptions::default()).unwrap();
    // the morning runs queue reminders, escalations and demands…
    for offset in (30..=130).step_by(5) {
        overdue_app::day::run(store, &organisation, day(offset), &mut |_| {}).unwrap();
    }
    // …then, later on the sending day, money, credits, promises and disputes arrive
    let sending = day(130);
    let late: Vec<Payment> =
        pays.iter().enumerate().map(|(n, p)| Payment { date: sending, ..payment(n, p, &invoices) }).collect();
    store.import_payments(tenant, &mut rows(late), ImportOptions::default()).unwrap();
    if let Some(invoice) = disputed.and_then(|i| invoices.get(i)).filter(|i| i.kind == InvoiceKind::Invoice) {
        let dispute = Dispute {
            invoice: invoice.number.clone(),
            reason: overdue_core::contact::NonPaymentReason::DisputedQuality,
            note: None,
            opened_on: sending,
            resolved_on: None,
        };
        store.open_dispute(tenant, &dispute, "test").unwrap();
    }
    if let Some(c) = promised {
        let promise = PromiseToPay {
            made_on: sending,
            promised_date: day(150),
            amount: Money::new(100, Currency::EUR),
            method: None,
            promised_by: None,
            invoices: Vec::new(),
        };
        store.record_promise(tenant, CUSTOMERS[c], &promise, "test").unwrap();
    }
    let templates = overdue_notify::Templates::shipped().unwrap();
    let rates = overdue_core::rates::RateTable::shipped().unwrap();
    let sender = Sender { organisation: &organisation, templates: &templates, rates: &rates };
    for message in store.outbox(tenant, false, 1000).unwrap() {
        let action = store.action(tenant, message.action_id).unwrap();
        let open_now: BTreeMap<String, Money> = views(store, tenant, sending).1;
        if let Ok(asked) = still_asked(store, &organisation, &action, sending).unwrap() {
            for invoice in &asked.invoices {
                let open = open_now.get(invoice.number.as_str()).copied();
                prop_assert!(
                    open.is_some_and(|o| invoice.open.amount_minor() <= o.amount_minor()),
                    "{} asked {} but {:?} is open",
                    invoice.number,
                    invoice.open,
                    open
                );
            }
        }
        let (Verdict::Send(prepared) | Verdict::Hold(prepared, _)) =
            for_sending(store, &sender, &action, (sending, false, &overdue_app::messages::PageLink::None)).unwrap()
        else {
            continue;
        };
        // every line that asks for money (the credit the customer holds is not asked for)
        let asked: Vec<&str> = prepared.rendered.body.lines().filter(|l| !l.contains("In your favour")).collect();
        let text = format!("{}\n{}", prepared.rendered.subject, asked.join("\n"));
        let owed = customer_owes(&open_now, &invoices, &action.customer_code);
        for (currency, written) in amounts_written(&text) {
            // the most a message may state in a currency: everything the customer owes in it,
            // with interest on top, and the fixed compensation (at most 100.00 per invoice)
            let most = owed.get(&currency).copied().unwrap_or(0) * 105 / 100 + 100_00 * invoices.len() as i64;
            prop_assert!(written <= most, "{currency} {written} written, {most} at most:\n{text}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn the_books_as_of_a_day_equal_the_books_rebuilt_from_what_existed_that_day(
        docs in docs(), pays in pays(), d in 0..130u32,
    ) {
        as_of_equals_rebuilt(Books::sqlite().store(), &docs, &pays, d)?;
    }

    #[test]
    fn invoices_first_then_payments_gives_the_same_past_as_day_by_day(
        docs in docs(), pays in pays(), d in 0..130u32,
    ) {
        entry_order_changes_no_past_day(Books::sqlite().store(), &docs, &pays, d)?;
    }

    #[test]
    fn what_send_would_deliver_never_asks_for_more_than_is_open_that_day(
        docs in docs(), pays in pays(), disputed in prop::option::of(0..9usize), promised in prop::option::of(0..3usize),
    ) {
        send_asks_no_more_than_is_open(Books::sqlite().store(), (&docs, &pays), (disputed, promised))?;
    }
}

proptest! {
    // a fresh schema per case costs its migrations: fewer cases on PostgreSQL
    #![proptest_config(ProptestConfig { cases: 8, .. ProptestConfig::default() })]

    #[test]
    fn on_postgresql_too_the_books_as_of_a_day_equal_the_books_rebuilt(
        docs in docs(), pays in pays(), d in 0..130u32,
    ) {
        if let Some(mut books) = Books::postgres() {
            as_of_equals_rebuilt(books.store(), &docs, &pays, d)?;
        }
    }

    #[test]
    fn on_postgresql_too_invoices_first_then_payments_gives_the_same_past(
        docs in docs(), pays in pays(), d in 0..130u32,
    ) {
        if let Some(mut books) = Books::postgres() {
            entry_order_changes_no_past_day(books.store(), &docs, &pays, d)?;
        }
    }

    #[test]
    fn on_postgresql_too_what_send_would_deliver_never_asks_for_more_than_is_open(
        docs in docs(), pays in pays(), disputed in prop::option::of(0..9usize), promised in prop::option::of(0..3usize),
    ) {
        if let Some(mut books) = Books::postgres() {
            send_asks_no_more_than_is_open(books.store(), (&docs, &pays), (disputed, promised))?;
        }
    }
}

/// What a customer owes on the day, per currency code, in minor units.
fn customer_owes(open: &BTreeMap<String, Money>, invoices: &[Invoice], code: &str) -> BTreeMap<String, i64> {
    let mut owed = BTreeMap::new();
    for invoice in invoices.iter().filter(|i| i.customer.as_str() == code) {
        if let Some(money) = open.get(invoice.number.as_str()) {
            *owed.entry(money.currency().code().to_owned()).or_default() += money.amount_minor();
        }
    }
    owed
}

/// Every amount an English message writes (`EUR 1,234.56`, `JPY 150,000`), in minor units.
fn amounts_written(text: &str) -> Vec<(String, i64)> {
    let mut found = Vec::new();
    for currency in CURRENCIES {
        let code = currency.code();
        for (at, _) in text.match_indices(&format!("{code} ")) {
            let digits: String = text[at + code.len() + 1..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .filter(|c| *c != ',')
                .collect();
            let digits = digits.trim_end_matches('.');
            if let Ok(money) = Money::parse(digits, currency) {
                found.push((code.to_owned(), money.amount_minor()));
            }
        }
    }
    found
}
