//! One suite, two backends: every behaviour of the store is checked on SQLite and on
//! PostgreSQL, so they cannot drift. PostgreSQL tests need `OVERDUE_TEST_POSTGRES_URL`
//! (`.ci/run` sets it; under CI a missing URL fails the run instead of skipping).

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use chrono::NaiveDate;
use overdue_core::calendar::BusinessCalendar;
use overdue_core::contact::{Channel, Direction, Interaction, NonPaymentReason};
use overdue_core::currency::Currency;
use overdue_core::customer::{Agreement, Contact, ContactRole, CreditProfile, CreditReport, Customer};
use overdue_core::dispute::Dispute;
use overdue_core::engine::CustomerState;
use overdue_core::ids::{Country, CustomerCode, Email, InvoiceNumber, Language, PaymentReference};
use overdue_core::import::{ImportRow, Located, Rejection};
use overdue_core::invoice::{Invoice, InvoiceDraft, InvoiceKind, InvoiceLine, InvoiceStatus};
use overdue_core::money::Money;
use overdue_core::payment::{Payment, PaymentMethod};
use overdue_core::promise::PromiseToPay;
use overdue_core::quantity::Quantity;
use overdue_core::terms::PaymentTerms;
use overdue_store::*;

fn d(text: &str) -> NaiveDate {
    overdue_core::date::parse_iso(text).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn customer(code: &str) -> Customer {
    Customer {
        code: CustomerCode::parse(code).unwrap(),
        legal_name: format!("Cliente {code} S.L."),
        tax_id: Some("B12345678".into()),
        country: Country::parse("ES").unwrap(),
        language: Language::ES,
        currency: Currency::EUR,
        address: Some("Calle Mayor 1, Madrid".into()),
        contacts: vec![
            Contact {
                name: "Cuentas".into(),
                role: ContactRole::Billing,
                email: Some(Email::parse("ap@x.example").unwrap()),
                phone: None,
            },
            Contact {
                name: "Marta".into(),
                role: ContactRole::InvoiceApprover,
                email: None,
                phone: Some("+34 600".into()),
            },
        ],
        agreement: Agreement {
            payment_terms: Some(PaymentTerms::parse("Net 30").unwrap()),
            contract_date: Some(d("2012-05-10")),
            agri_food: true,
            ..Agreement::default()
        },
        credit: CreditProfile { credit_limit: Some(eur(10_000_00)), ..CreditProfile::default() },
    }
}

fn invoice(number: &str, customer: &str, issued: &str, unit_minor: i64, terms: &str) -> Invoice {
    InvoiceDraft {
        number: InvoiceNumber::parse(number).unwrap(),
        customer: CustomerCode::parse(customer).unwrap(),
        kind: InvoiceKind::Invoice,
        issue_date: d(issued),
        supply_from: Some(d(issued)),
        supply_to: Some(d(issued)),
        delivery_place: Some("Almacén\tcentral\nMadrid \\ 1".into()),
        currency: Currency::EUR,
        lines: vec![InvoiceLine {
            description: "Goods".into(),
            quantity: Quantity::ONE,
            unit_price_minor: unit_minor,
            tax_rate_basis_points: 0,
        }],
        terms: Some(PaymentTerms::parse(terms).unwrap()),
        sent_on: Some(d(issued)),
    }
    .issue()
    .unwrap()
}

fn payment(reference: &str, customer: &str, date: &str, minor: i64, invoice: Option<&str>) -> Payment {
    Payment {
        reference: PaymentReference::parse(reference).unwrap(),
        customer: CustomerCode::parse(customer).unwrap(),
        date: d(date),
        amount: eur(minor),
        method: PaymentMethod::Transfer,
        invoice: invoice.map(|n| InvoiceNumber::parse(n).unwrap()),
    }
}

fn rows<T>(values: Vec<T>) -> impl Iterator<Item = ImportRow<T>> {
    values.into_iter().enumerate().map(|(i, value)| Ok(Located { line: i as u64 + 2, value }))
}

fn organisation(store: &mut dyn Store, name: &str) -> TenantId {
    let new = NewOrganisation { name: name.into(), country: Country::parse("ES").unwrap(), currency: Currency::EUR };
    store.create_organisation(&new).unwrap().id
}

/// An organisation with customers C1 and C2.
fn books(store: &mut dyn Store) -> TenantId {
    let tenant = organisation(store, "Acme S.L.");
    let report = store
        .import_customers(tenant, &mut rows(vec![customer("C1"), customer("C2")]), ImportOptions::default())
        .unwrap();
    assert_eq!(report.created, 2);
    tenant
}

fn open_of(store: &mut dyn Store, tenant: TenantId, number: &str) -> i64 {
    store.invoice(tenant, number).unwrap().unwrap().open.amount_minor()
}

fn all() -> InvoiceFilter {
    InvoiceFilter { open_only: false, customer: None, page: Page { limit: None, offset: 0 }, as_of: None }
}

fn organisations_are_created_and_listed(store: &mut dyn Store) {
    let id = organisation(store, "Acme S.L.");
    let listed = store.organisations().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].currency, Currency::EUR);
}

fn importing_the_same_customers_twice_changes_nothing(store: &mut dyn Store) {
    let tenant = books(store);
    let again = store
        .import_customers(tenant, &mut rows(vec![customer("C1"), customer("C2")]), ImportOptions::default())
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    let mut renamed = customer("C1");
    renamed.legal_name = "Cliente Uno S.A.".into();
    renamed.contacts.truncate(1);
    renamed.agreement.dispute_procedure = Some("Disputes in writing within 8 days".into());
    let changed = store.import_customers(tenant, &mut rows(vec![renamed]), ImportOptions::default()).unwrap();
    assert_eq!((changed.created, changed.updated), (0, 1));
    let stored = store.customer(tenant, "C1").unwrap().unwrap();
    assert_eq!(stored.legal_name, "Cliente Uno S.A.");
    assert_eq!(stored.contacts.len(), 1);
    assert_eq!(stored.agreement.dispute_procedure.as_deref(), Some("Disputes in writing within 8 days"));
}

fn the_same_customer_code_twice_in_one_file_is_caught(store: &mut dyn Store) {
    let tenant = organisation(store, "Acme S.L.");
    let mut other = customer("C1");
    other.legal_name = "Another name".into();
    let report =
        store.import_customers(tenant, &mut rows(vec![customer("C1"), other]), ImportOptions::default()).unwrap();
    assert_eq!((report.created, report.updated), (1, 0));
    assert_eq!((report.rejected[0].line, report.rejected[0].column.as_deref()), (3, Some("code")));
}

fn a_payment_in_another_currency_than_its_invoice_is_rejected(store: &mut dyn Store) {
    let tenant = books(store);
    store
        .import_invoices(
            tenant,
            &mut rows(vec![invoice("F-1", "C1", "2026-01-01", 100_00, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    let mut pounds = payment("P-1", "C1", "2026-02-01", 10_00, Some("F-1"));
    pounds.amount = Money::new(10_00, Currency::GBP);
    let report = store.import_payments(tenant, &mut rows(vec![pounds]), ImportOptions::default()).unwrap();
    assert_eq!(report.rejected[0].column.as_deref(), Some("currency"));
    assert_eq!(open_of(store, tenant, "F-1"), 100_00);
}

fn a_customer_reads_back_as_written(store: &mut dyn Store) {
    let tenant = books(store);
    assert_eq!(store.customer(tenant, "C2").unwrap().unwrap(), customer("C2"));
    assert_eq!(store.customer(tenant, "nobody").unwrap(), None);
}

fn credit_reports_are_kept_one_per_source_and_day(store: &mut dyn Store) {
    let tenant = books(store);
    let report = |rating: &str, day: &str| CreditReport {
        source: "Informa D&B".into(),
        rating: rating.into(),
        date: d(day),
        advised_limit: Some(eur(5_000_00)),
    };
    assert!(store.record_credit_report(tenant, "C1", &report("B", "2026-01-10")).unwrap());
    assert!(store.record_credit_report(tenant, "C1", &report("A", "2026-01-10")).unwrap());
    assert!(store.record_credit_report(tenant, "C1", &report("C", "2026-03-01")).unwrap());
    assert!(!store.record_credit_report(tenant, "C404", &report("A", "2026-01-10")).unwrap());
    let credit = store.customer(tenant, "C1").unwrap().unwrap().credit;
    assert_eq!(credit.reports.len(), 2);
    assert_eq!(credit.reports[0].rating, "A", "the same source and day replaces the earlier report");
    assert_eq!(credit.latest_report().unwrap().rating, "C");
}

fn importing_the_same_invoices_twice_creates_nothing_new(store: &mut dyn Store) {
    let tenant = books(store);
    let batch = || {
        vec![invoice("F-1", "C1", "2026-01-10", 100_00, "Net 30"), invoice("F-2", "C2", "2026-01-11", 50_00, "30/60")]
    };
    let first = store.import_invoices(tenant, &mut rows(batch()), ImportOptions::default()).unwrap();
    assert_eq!((first.created, first.unchanged, first.rejected.len()), (2, 0, 0));
    let second = store.import_invoices(tenant, &mut rows(batch()), ImportOptions::default()).unwrap();
    assert_eq!((second.created, second.unchanged, second.rejected.len()), (0, 2, 0));
    assert_eq!(store.invoices(tenant, &all()).unwrap().total, 2);
}

fn a_sent_date_filled_in_by_a_later_export_marks_the_invoice_sent(store: &mut dyn Store) {
    let tenant = books(store);
    let mut unsent = invoice("F-1", "C1", "2026-01-10", 100_00, "Net 30");
    unsent.sent_on = None;
    unsent.status = InvoiceStatus::Issued;
    store.import_invoices(tenant, &mut rows(vec![unsent]), ImportOptions::default()).unwrap();
    let sent = invoice("F-1", "C1", "2026-01-10", 100_00, "Net 30");
    let report = store.import_invoices(tenant, &mut rows(vec![sent.clone()]), ImportOptions::default()).unwrap();
    assert_eq!((report.updated, report.unchanged), (1, 0));
    let stored = store.invoice(tenant, "F-1").unwrap().unwrap().invoice;
    assert_eq!((stored.status, stored.sent_on), (InvoiceStatus::Sent, Some(d("2026-01-10"))));
    let again = store.import_invoices(tenant, &mut rows(vec![sent]), ImportOptions::default()).unwrap();
    assert_eq!((again.updated, again.unchanged), (0, 1));
}

fn a_known_number_with_different_content_is_rejected(store: &mut dyn Store) {
    let tenant = books(store);
    store
        .import_invoices(
            tenant,
            &mut rows(vec![invoice("F-1", "C1", "2026-01-10", 100_00, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    let changed = vec![invoice("F-1", "C1", "2026-01-10", 999_00, "Net 30")];
    let report = store.import_invoices(tenant, &mut rows(changed), ImportOptions::default()).unwrap();
    assert_eq!(report.created, 0);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].column.as_deref(), Some("number"));
    assert!(report.rejected[0].reason.contains("different content"), "{}", report.rejected[0].reason);
    assert_eq!(open_of(store, tenant, "F-1"), 100_00, "the stored invoice is untouched");
}

fn the_same_number_twice_in_one_file_is_caught(store: &mut dyn Store) {
    let tenant = books(store);
    let file = vec![
        invoice("F-1", "C1", "2026-01-10", 100_00, "Net 30"),
        invoice("F-1", "C1", "2026-01-10", 200_00, "Net 30"),
    ];
    let report = store.import_invoices(tenant, &mut rows(file), ImportOptions::default()).unwrap();
    assert_eq!(report.created, 1);
    assert_eq!(report.rejected[0].line, 3);
    assert!(report.rejected[0].reason.contains("line 2"));
}

fn invoices_of_unknown_customers_are_rejected(store: &mut dyn Store) {
    let tenant = books(store);
    let report = store
        .import_invoices(
            tenant,
            &mut rows(vec![invoice("F-9", "C404", "2026-01-10", 1, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].column.as_deref(), Some("customer"));
    assert_eq!(store.invoices(tenant, &all()).unwrap().total, 0);
}

fn all_or_nothing_applies_nothing_when_a_row_is_rejected(store: &mut dyn Store) {
    let tenant = books(store);
    let mut file: Vec<ImportRow<Invoice>> = rows(vec![invoice("F-1", "C1", "2026-01-10", 100_00, "Net 30")]).collect();
    file.push(Err(Rejection::new(3, Some("issue_date"), "not a date")));
    let strict = ImportOptions { all_or_nothing: true };
    let report = store.import_invoices(tenant, &mut file.clone().into_iter(), strict).unwrap();
    assert!(report.rolled_back);
    assert_eq!(report.applied(), 0);
    assert_eq!(store.invoices(tenant, &all()).unwrap().total, 0);
    let lenient = store.import_invoices(tenant, &mut file.into_iter(), ImportOptions::default()).unwrap();
    assert_eq!((lenient.created, lenient.rejected.len(), lenient.rolled_back), (1, 1, false));
}

fn an_invoice_reads_back_with_lines_instalments_and_dates(store: &mut dyn Store) {
    let tenant = books(store);
    let written = invoice("F-7", "C1", "2026-01-31", 100_01, "30/60/90");
    store.import_invoices(tenant, &mut rows(vec![written.clone()]), ImportOptions::default()).unwrap();
    let detail = store.invoice(tenant, "F-7").unwrap().unwrap();
    assert_eq!(detail.invoice, written);
    assert_eq!(detail.open, eur(100_01));
    assert_eq!(detail.invoice.instalments[0].amount, eur(33_35));
    assert_eq!(detail.invoice.status, InvoiceStatus::Sent);
    assert!(store.invoice(tenant, "F-404").unwrap().is_none());
}

fn payments_are_allocated_oldest_due_first_and_reduce_what_is_owed(store: &mut dyn Store) {
    let tenant = books(store);
    let invoices =
        vec![invoice("F-1", "C1", "2026-02-01", 100_00, "Net 30"), invoice("F-2", "C1", "2026-01-01", 80_00, "Net 30")];
    store.import_invoices(tenant, &mut rows(invoices), ImportOptions::default()).unwrap();
    let report = store
        .import_payments(
            tenant,
            &mut rows(vec![payment("P-1", "C1", "2026-03-05", 120_00, None)]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(report.created, 1);
    assert_eq!(open_of(store, tenant, "F-2"), 0);
    assert_eq!(open_of(store, tenant, "F-1"), 60_00);
    let paid = store.invoice(tenant, "F-1").unwrap().unwrap().payments;
    assert_eq!(paid.len(), 1);
    assert_eq!((paid[0].reference.as_str(), paid[0].amount), ("P-1", eur(40_00)));
    let open = InvoiceFilter { open_only: true, ..all() };
    assert_eq!(store.invoices(tenant, &open).unwrap().total, 1);
}

fn an_over_payment_of_a_named_invoice_pays_the_customers_other_open_invoices(store: &mut dyn Store) {
    let tenant = books(store);
    let invoices = vec![
        invoice("F-1", "C1", "2026-01-01", 100_00, "Net 30"),
        invoice("F-2", "C1", "2026-01-02", 100_00, "Net 30"),
    ];
    store.import_invoices(tenant, &mut rows(invoices), ImportOptions::default()).unwrap();
    store
        .import_payments(
            tenant,
            &mut rows(vec![payment("P-1", "C1", "2026-02-01", 150_00, Some("F-2"))]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(open_of(store, tenant, "F-2"), 0);
    assert_eq!(open_of(store, tenant, "F-1"), 50_00, "the excess is the customer's credit, used on what they owe");
    assert_eq!(store.customer_credit(tenant, "C1").unwrap(), vec![]);
    // what is left after every open invoice is paid stays as credit, for the next invoice
    store
        .import_payments(
            tenant,
            &mut rows(vec![payment("P-2", "C1", "2026-02-02", 80_00, Some("F-1"))]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(store.customer_credit(tenant, "C1").unwrap(), vec![eur(30_00)]);
    let listed = store.customers(tenant, Page { limit: None, offset: 0 }).unwrap();
    assert_eq!((listed.rows[0].credit.clone(), listed.rows[1].credit.clone()), (vec![eur(30_00)], vec![]));
    store
        .import_invoices(
            tenant,
            &mut rows(vec![invoice("F-3", "C1", "2026-03-01", 100_00, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(open_of(store, tenant, "F-3"), 70_00, "the credit pays the next invoice");
    assert_eq!(store.customer_credit(tenant, "C1").unwrap(), vec![]);
}

fn a_payment_imported_twice_is_recorded_once(store: &mut dyn Store) {
    let tenant = books(store);
    store
        .import_invoices(
            tenant,
            &mut rows(vec![invoice("F-1", "C1", "2026-01-01", 100_00, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    let file = || rows(vec![payment("P-1", "C1", "2026-02-01", 30_00, Some("F-1"))]);
    store.import_payments(tenant, &mut file(), ImportOptions::default()).unwrap();
    let again = store.import_payments(tenant, &mut file(), ImportOptions::default()).unwrap();
    assert_eq!((again.created, again.unchanged), (0, 1));
    assert_eq!(open_of(store, tenant, "F-1"), 70_00);
    let altered = store
        .import_payments(
            tenant,
            &mut rows(vec![payment("P-1", "C1", "2026-02-01", 31_00, Some("F-1"))]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(altered.rejected[0].column.as_deref(), Some("reference"));
    assert_eq!(open_of(store, tenant, "F-1"), 70_00);
}

fn a_payment_naming_someone_elses_invoice_is_rejected(store: &mut dyn Store) {
    let tenant = books(store);
    store
        .import_invoices(
            tenant,
            &mut rows(vec![invoice("F-1", "C1", "2026-01-01", 100_00, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    let report = store
        .import_payments(
            tenant,
            &mut rows(vec![
                payment("P-1", "C2", "2026-02-01", 10_00, Some("F-1")),
                payment("P-2", "C2", "2026-02-01", 10_00, Some("F-404")),
            ]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(report.rejected.len(), 2);
    assert!(report.rejected[0].reason.contains("another customer"));
    assert!(report.rejected[1].reason.contains("does not exist"));
    assert_eq!(open_of(store, tenant, "F-1"), 100_00);
}

fn listings_filter_count_and_limit(store: &mut dyn Store) {
    let tenant = books(store);
    let invoices = (1..=5)
        .map(|i| {
            invoice(&format!("F-{i}"), if i % 2 == 0 { "C2" } else { "C1" }, &format!("2026-01-0{i}"), 10_00, "Net 30")
        })
        .collect();
    store.import_invoices(tenant, &mut rows(invoices), ImportOptions::default()).unwrap();
    let limited = store.invoices(tenant, &InvoiceFilter { page: Page { limit: Some(2), offset: 0 }, ..all() }).unwrap();
    let skipped = store.invoices(tenant, &InvoiceFilter { page: Page { limit: Some(2), offset: 1 }, ..all() }).unwrap();
    assert_eq!(skipped.rows[0].number, limited.rows[1].number, "an offset skips rows in the same order");
    assert_eq!((limited.rows.len(), limited.total), (2, 5));
    assert_eq!(limited.rows[0].number, "F-1", "oldest due first");
    let of_c2 = store.invoices(tenant, &InvoiceFilter { customer: Some("C2".into()), ..all() }).unwrap();
    assert_eq!(of_c2.total, 2);
    let customers = store.customers(tenant, Page { limit: None, offset: 0 }).unwrap();
    assert_eq!(customers.total, 2);
    assert_eq!(customers.rows[0].open_invoices, 3);
    assert_eq!(customers.rows[0].open, vec![eur(30_00)]);
}

fn organisations_never_see_each_others_books(store: &mut dyn Store) {
    let acme = books(store);
    let other = organisation(store, "Other S.p.A.");
    store
        .import_invoices(
            acme,
            &mut rows(vec![invoice("F-1", "C1", "2026-01-01", 100_00, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(store.invoices(other, &all()).unwrap().total, 0);
    assert!(store.invoice(other, "F-1").unwrap().is_none());
    assert!(store.customer(other, "C1").unwrap().is_none());
    let report = store
        .import_invoices(
            other,
            &mut rows(vec![invoice("F-1", "C1", "2026-01-01", 100_00, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(report.rejected.len(), 1, "C1 is not a customer of the other organisation");
    store.import_customers(other, &mut rows(vec![customer("C1")]), ImportOptions::default()).unwrap();
    let report = store
        .import_invoices(
            other,
            &mut rows(vec![invoice("F-1", "C1", "2026-01-01", 5_00, "Net 30")]),
            ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(report.created, 1, "the same number is free in another organisation");
    assert_eq!(open_of(store, acme, "F-1"), 100_00);
}

fn importing_into_an_unknown_organisation_fails_cleanly(store: &mut dyn Store) {
    let error = store.import_customers(4242, &mut rows(vec![customer("C1")]), ImportOptions::default()).unwrap_err();
    assert!(matches!(error, StoreError::UnknownOrganisation(4242)), "{error}");
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[test] fn $name() { let (_dir, mut store) = super::sqlite_store(); super::$name(&mut store); } )*
        }
        mod postgres {
            $( #[test] fn $name() { if let Some(mut store) = super::postgres_store(stringify!($name)) { super::$name(&mut store.store); } } )*
        }
    };
}

// ---- the follow-up -------------------------------------------------------------------------

fn run(store: &mut dyn Store, tenant: TenantId, on: &str) -> RunReport {
    let book = store.policy_book(tenant).unwrap();
    let calendar = BusinessCalendar::new(store.closing_days(tenant).unwrap());
    let as_of = d(on);
    let mut planner = |state: &CustomerState| overdue_core::engine::plan(as_of, state, &book, &calendar);
    store.run_day(tenant, as_of, &mut planner, &mut |_| {}).unwrap()
}

/// Books with C1 owing F-1 and F-2 (1,000.00 each, issued and sent 2026-01-05, Net 30: due 02-04).
fn follow_up_books(store: &mut dyn Store) -> TenantId {
    let tenant = books(store);
    let invoices = vec![
        invoice("F-1", "C1", "2026-01-05", 1000_00, "Net 30"),
        invoice("F-2", "C1", "2026-01-05", 1000_00, "Net 30"),
    ];
    store.import_invoices(tenant, &mut rows(invoices), ImportOptions::default()).unwrap();
    tenant
}

fn steps_on(store: &mut dyn Store, tenant: TenantId, on: &str) -> Vec<(String, Vec<String>)> {
    let mut listed: Vec<(String, Vec<String>)> = store
        .work_list(tenant, d(on), 100)
        .unwrap()
        .into_iter()
        .filter(|a| a.due_on == d(on) && a.kind == "step")
        .map(|a| (a.step.unwrap(), a.invoices.iter().map(|i| i.number.to_string()).collect()))
        .collect();
    listed.sort();
    listed
}

fn call(summary: &str, invoices: &[&str]) -> Interaction {
    Interaction {
        at: d("2026-02-10").and_hms_opt(10, 30, 0).unwrap(),
        channel: Channel::Call,
        direction: Direction::Outbound,
        contact: Some("Marta".into()),
        recorded_by: "ana".into(),
        summary: summary.into(),
        outcome: None,
        reason: Some(NonPaymentReason::AwaitingApproval),
        reason_note: None,
        receipt_check: None,
        attachment: None,
        invoices: invoices.iter().map(|n| InvoiceNumber::parse(n).unwrap()).collect(),
    }
}

fn the_daily_run_creates_nothing_twice_and_replays_any_day(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let first = run(store, tenant, "2026-02-09");
    assert_eq!((first.customers, first.invoices, first.planned, first.created), (2, 2, 1, 1));
    assert_eq!(steps_on(store, tenant, "2026-02-09"), [("first_reminder".into(), vec!["F-1".into(), "F-2".into()])]);
    let again = run(store, tenant, "2026-02-09");
    assert_eq!((again.planned, again.created), (1, 0), "same day again: nothing new");
    assert_eq!(run(store, tenant, "2026-02-10").created, 0, "the next step is a week later");
    assert_eq!(run(store, tenant, "2026-02-16").created, 1);
    assert_eq!(steps_on(store, tenant, "2026-02-16"), [("second_reminder".into(), vec!["F-1".into(), "F-2".into()])]);
    let replay = run(store, tenant, "2026-02-09");
    assert_eq!((replay.planned, replay.created), (1, 0), "replaying a past day plans what it planned then");
}

fn a_payment_stops_the_ladder_for_what_it_covers(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    run(store, tenant, "2026-02-09");
    let paid = payment("P-1", "C1", "2026-02-12", 1000_00, Some("F-1"));
    store.import_payments(tenant, &mut rows(vec![paid]), ImportOptions::default()).unwrap();
    run(store, tenant, "2026-02-16");
    assert_eq!(steps_on(store, tenant, "2026-02-16"), [("second_reminder".into(), vec!["F-2".into()])]);
    let state = store.customer_state(tenant, "C1", d("2026-02-11")).unwrap();
    assert_eq!(state.invoices.len(), 2, "on 02-11 F-1 was still open");
    assert_eq!(state.invoices[0].last_step.as_ref().unwrap().name, "first_reminder");
    // the habits alone read as in the whole state, before and after F-1 was paid
    for day in ["2026-02-11", "2026-02-16"] {
        let whole = store.customer_state(tenant, "C1", d(day)).unwrap().habits;
        assert_eq!(store.customer_habits(tenant, "C1", d(day)).unwrap(), whole, "{day}");
    }
    assert_eq!(store.customer_habits(tenant, "C1", d("2026-02-16")).unwrap().invoices_paid, 1);
    assert!(store.customer_habits(tenant, "nobody", d("2026-02-16")).is_err());
}

fn promises_and_disputes_pause_what_they_cover(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    run(store, tenant, "2026-02-09");
    let promise = PromiseToPay {
        made_on: d("2026-02-10"),
        promised_date: d("2026-02-20"),
        amount: eur(1000_00),
        method: Some(PaymentMethod::Transfer),
        promised_by: Some("Marta".into()),
        invoices: vec![InvoiceNumber::parse("F-1").unwrap()],
    };
    store.record_promise(tenant, "C1", &promise, "ana").unwrap();
    let dispute = Dispute {
        invoice: InvoiceNumber::parse("F-2").unwrap(),
        reason: NonPaymentReason::DisputedQuantity,
        note: Some("one box missing".into()),
        opened_on: d("2026-02-11"),
        resolved_on: None,
    };
    store.open_dispute(tenant, &dispute, "ana").unwrap();
    let again = store.open_dispute(tenant, &dispute, "ana").unwrap_err().to_string();
    assert!(again.contains("already in dispute since 2026-02-11"), "{again}");
    run(store, tenant, "2026-02-16");
    assert!(steps_on(store, tenant, "2026-02-16").is_empty(), "F-1 promised, F-2 disputed");
    run(store, tenant, "2026-02-24");
    let broken: Vec<StoredAction> = store
        .work_list(tenant, d("2026-02-24"), 100)
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == "broken_promise")
        .collect();
    assert_eq!(broken.len(), 1, "nothing paid by 02-23: broken");
    assert_eq!(broken[0].tone.as_deref(), Some("firm"));
    assert_eq!(run(store, tenant, "2026-02-25").created, 0, "followed up once");
    store.resolve_dispute(tenant, "F-2", d("2026-02-25"), "credit note for the missing box").unwrap();
    assert!(store.resolve_dispute(tenant, "F-2", d("2026-02-26"), "again").is_err());
    the_latest_entries_are_the_end_of_the_whole_timeline(store, tenant, "C1");
}

/// However few of the latest entries are asked for, they are the end of the whole timeline, in
/// the same order, and the count is the whole one.
fn the_latest_entries_are_the_end_of_the_whole_timeline(store: &mut dyn Store, tenant: TenantId, code: &str) {
    let whole = store.timeline(tenant, code).unwrap();
    assert!(whole.len() > 8, "a timeline worth cutting: {whole:?}");
    for n in 0..=whole.len() + 1 {
        let (latest, total) = store.timeline_latest(tenant, code, n).unwrap();
        assert_eq!(total, whole.len() as u64, "the count of all, asked for {n}");
        assert_eq!(latest, whole[whole.len().saturating_sub(n)..], "the latest {n}");
    }
}

fn the_contact_log_refuses_what_does_not_belong_and_feeds_the_timeline(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let other = invoice("G-1", "C2", "2026-01-05", 500_00, "Net 30");
    store.import_invoices(tenant, &mut rows(vec![other]), ImportOptions::default()).unwrap();
    let wrong = store.record_interaction(tenant, "C1", &call("asked", &["G-1"])).unwrap_err().to_string();
    assert!(wrong.contains("G-1 is not an invoice of customer C1"), "{wrong}");
    let unknown = store.record_interaction(tenant, "NOPE", &call("asked", &[])).unwrap_err().to_string();
    assert!(unknown.contains("no customer \"NOPE\""), "{unknown}");
    store.record_interaction(tenant, "C1", &call("Marta says it awaits the director's signature", &["F-1"])).unwrap();
    let timeline = store.timeline(tenant, "C1").unwrap();
    let texts: Vec<String> = timeline.iter().map(|e| format!("{} {} {}", e.on, e.kind, e.text)).collect();
    assert!(texts[0].starts_with("2026-01-05 invoice Invoice F-1 issued"), "{texts:?}");
    let call_entry = texts.iter().find(|t| t.contains("call")).unwrap();
    assert!(call_entry.contains("outbound call with Marta (ana): Marta says it awaits"), "{call_entry}");
    assert!(call_entry.contains("reason: awaiting approval"), "{call_entry}");
    let state = store.customer_state(tenant, "C1", d("2026-03-10")).unwrap();
    assert_eq!(state.last_contact, Some(d("2026-02-10")));
    assert_eq!(state.customer.invoice_approver.as_deref(), Some("Marta"));
}

fn doing_an_action_applies_its_effect_once(store: &mut dyn Store) {
    let tenant = books(store);
    let mut unsent = invoice("F-9", "C1", "2026-01-05", 300_00, "Net 30");
    unsent.sent_on = None;
    unsent.status = InvoiceStatus::Issued;
    store.import_invoices(tenant, &mut rows(vec![unsent]), ImportOptions::default()).unwrap();
    run(store, tenant, "2026-01-06");
    let list = store.work_list(tenant, d("2026-01-06"), 100).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].kind, "send_invoice");
    let done = store.complete_action(tenant, list[0].id, d("2026-01-06"), "ana", None).unwrap();
    assert_eq!(done.status, "done");
    let twice = store.complete_action(tenant, list[0].id, d("2026-01-07"), "ana", None).unwrap_err().to_string();
    assert!(twice.contains("already done on 2026-01-06 by ana"), "{twice}");
    assert_eq!(store.invoice(tenant, "F-9").unwrap().unwrap().invoice.sent_on, Some(d("2026-01-06")));
    assert!(store.work_list(tenant, d("2026-01-06"), 100).unwrap().is_empty());
    let state = store.customer_state(tenant, "C1", d("2026-01-07")).unwrap();
    assert_eq!(state.last_contact, None, "an e-mail we sent is no conversation with the customer");
    let timeline = store.timeline(tenant, "C1").unwrap();
    assert!(timeline.iter().any(|e| e.kind == "email" && e.text.contains("Sent send invoice for F-9")), "{timeline:?}");
    assert!(store.complete_action(tenant, 999_999, d("2026-01-07"), "ana", None).is_err());
}

fn the_policy_book_is_kept_and_a_broken_one_refused(store: &mut dyn Store) {
    let tenant = books(store);
    let mut book = store.policy_book(tenant).unwrap();
    assert_eq!(book.default_policy, "standard");
    book.policies[0].tone_shift = 1;
    store.save_policy_book(tenant, &book).unwrap();
    assert_eq!(store.policy_book(tenant).unwrap(), book);
    book.default_policy = "missing".into();
    assert!(store.save_policy_book(tenant, &book).is_err());
    assert_eq!(store.policy_book(tenant).unwrap().default_policy, "standard");
    store.set_customer_policy(tenant, "C1", Some("retail"), Some("standard")).unwrap();
    assert!(store.set_customer_policy(tenant, "C1", None, Some("nope")).is_err());
    let state = store.customer_state(tenant, "C1", d("2026-01-07")).unwrap();
    assert_eq!(state.customer.segment.as_deref(), Some("retail"));
    store.add_closing_day(tenant, d("2026-12-25"), "Christmas").unwrap();
    assert_eq!(store.closing_days(tenant).unwrap(), [d("2026-12-25")]);
}

fn a_step_fee_is_charged_once_and_a_waiver_is_final(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let mut book = store.policy_book(tenant).unwrap();
    let first = book.policies[0].steps.iter_mut().find(|s| s.name == "first_reminder").unwrap();
    first.fee = Some(overdue_core::policy::LateFee::Fixed("15.00".into()));
    store.save_policy_book(tenant, &book).unwrap();
    run(store, tenant, "2026-02-09");
    run(store, tenant, "2026-02-09");
    let charges = store.charges(tenant, "F-1").unwrap();
    assert_eq!(charges.len(), 1, "the same day twice charges once: {charges:?}");
    assert_eq!(
        (charges[0].kind, charges[0].step.as_deref(), charges[0].amount),
        (ChargeKind::StepFee, Some("first_reminder"), eur(15_00))
    );
    let interest = |amount, status, on: &str| NewCharge {
        kind: ChargeKind::Interest,
        step: None,
        amount: eur(amount),
        computed_to: d(on),
        status,
        recorded_on: d(on),
        recorded_by: "ana".into(),
        note: None,
        detail: None,
    };
    assert!(store.record_charge(tenant, "F-1", &interest(3_10, ChargeStatus::Charged, "2026-02-20")).unwrap());
    assert!(
        store.record_charge(tenant, "F-1", &interest(4_50, ChargeStatus::Charged, "2026-03-01")).unwrap(),
        "claimed to a later day"
    );
    let mut waiver = interest(4_50, ChargeStatus::Waived, "2026-03-01");
    waiver.recorded_on = d("2026-03-02");
    waiver.note = Some("goodwill".into());
    assert!(store.record_charge(tenant, "F-1", &waiver).unwrap());
    assert!(
        !store.record_charge(tenant, "F-1", &interest(9_99, ChargeStatus::Charged, "2026-04-01")).unwrap(),
        "a waiver is final"
    );
    let charges = store.charges(tenant, "F-1").unwrap();
    let interest_row = charges.iter().find(|c| c.kind == ChargeKind::Interest).unwrap();
    assert_eq!(
        (interest_row.amount, interest_row.status, interest_row.computed_to),
        (eur(4_50), ChargeStatus::Waived, d("2026-03-01"))
    );
    let mut compensation = interest(40_00, ChargeStatus::Charged, "2026-02-20");
    compensation.kind = ChargeKind::Compensation;
    assert!(store.record_charge(tenant, "F-2", &compensation).unwrap());
    assert!(!store.record_charge(tenant, "F-2", &compensation).unwrap(), "compensation once per invoice");
    assert!(store.record_charge(tenant, "NOPE", &compensation).is_err());
    let timeline = store.timeline(tenant, "C1").unwrap();
    assert!(timeline.iter().any(|e| e.kind == "charge" && e.text.contains("waived by ana (goodwill)")), "{timeline:?}");
}

/// A batch file's invoices share one stored copy of it, and each gives it back.
fn a_batch_file_is_kept_once_for_all_its_invoices(store: &mut dyn Store) {
    let tenant = books(store);
    let invoices = vec![
        invoice("B-1", "C1", "2026-01-05", 100_00, "Net 30"),
        invoice("B-2", "C1", "2026-01-05", 200_00, "Net 30"),
    ];
    store.import_invoices(tenant, &mut rows(invoices), ImportOptions::default()).unwrap();
    let document = InvoiceDocument {
        file_name: "lote.xml".into(),
        format: "Facturae".into(),
        content: "<Facturae>…</Facturae>".into(),
    };
    assert_eq!(store.attach_invoice_documents(tenant, &["B-1", "B-2"], &document).unwrap(), 2);
    assert_eq!(store.attach_invoice_documents(tenant, &["B-1", "B-2"], &document).unwrap(), 0, "the first kept stays");
    for number in ["B-1", "B-2"] {
        assert_eq!(store.invoice_document(tenant, number).unwrap(), Some(document.clone()), "{number}");
    }
}

conformance!(
    a_batch_file_is_kept_once_for_all_its_invoices,
    a_step_fee_is_charged_once_and_a_waiver_is_final,
    organisations_are_created_and_listed,
    importing_the_same_customers_twice_changes_nothing,
    a_customer_reads_back_as_written,
    the_same_customer_code_twice_in_one_file_is_caught,
    a_payment_in_another_currency_than_its_invoice_is_rejected,
    credit_reports_are_kept_one_per_source_and_day,
    importing_the_same_invoices_twice_creates_nothing_new,
    a_known_number_with_different_content_is_rejected,
    a_sent_date_filled_in_by_a_later_export_marks_the_invoice_sent,
    the_same_number_twice_in_one_file_is_caught,
    invoices_of_unknown_customers_are_rejected,
    all_or_nothing_applies_nothing_when_a_row_is_rejected,
    an_invoice_reads_back_with_lines_instalments_and_dates,
    payments_are_allocated_oldest_due_first_and_reduce_what_is_owed,
    an_over_payment_of_a_named_invoice_pays_the_customers_other_open_invoices,
    a_payment_imported_twice_is_recorded_once,
    a_payment_naming_someone_elses_invoice_is_rejected,
    listings_filter_count_and_limit,
    organisations_never_see_each_others_books,
    importing_into_an_unknown_organisation_fails_cleanly,
    the_daily_run_creates_nothing_twice_and_replays_any_day,
    a_payment_stops_the_ladder_for_what_it_covers,
    promises_and_disputes_pause_what_they_cover,
    the_contact_log_refuses_what_does_not_belong_and_feeds_the_timeline,
    doing_an_action_applies_its_effect_once,
    the_policy_book_is_kept_and_a_broken_one_refused,
);

fn sqlite_store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("books.db");
    let store = SqliteStore::open(path.to_str().unwrap()).unwrap();
    (dir, store)
}

/// A PostgreSQL store in a fresh schema, dropped afterwards.
struct PgSchema {
    store: PostgresStore,
    url: String,
    schema: String,
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut client) = ::postgres::Client::connect(&self.url, ::postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.schema));
        }
    }
}

fn postgres_store(test: &str) -> Option<PgSchema> {
    let Ok(url) = std::env::var("OVERDUE_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the PostgreSQL conformance suite: set OVERDUE_TEST_POSTGRES_URL"
        );
        eprintln!("PostgreSQL not configured (OVERDUE_TEST_POSTGRES_URL): {test} ran on SQLite only");
        return None;
    };
    let schema = format!("overdue_test_{}_{}", std::process::id(), test);
    let store = PostgresStore::connect_in_schema(&url, &schema).expect("connect to PostgreSQL");
    Some(PgSchema { store, url, schema })
}

#[path = "conformance/access.rs"]
mod access;
#[path = "conformance/bank.rs"]
mod bank;
#[path = "conformance/customer_answers.rs"]
mod customer_answers;
#[path = "conformance/outbox.rs"]
mod outbox;
#[path = "conformance/plans.rs"]
mod plans;
#[path = "conformance/truth.rs"]
mod truth;
