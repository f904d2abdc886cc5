//! Bank statement lines on both backends: each imported once, confident matches become
//! payments, the rest wait for review, and a person's decision is applied once.

use super::*;
use overdue_core::bank::{BankLine, Direction};

fn line(entry: &str, minor: i64, remittance: Option<&str>) -> BankLine {
    BankLine {
        account: "ES9121000418450200051332".into(),
        statement: "2026-001".into(),
        entry: entry.into(),
        booking_date: d("2026-01-10"),
        value_date: Some(d("2026-01-10")),
        amount: eur(minor),
        direction: Direction::Credit,
        counterparty_name: None,
        counterparty_iban: None,
        creditor_reference: None,
        remittance: remittance.map(str::to_owned),
        end_to_end_id: None,
        bank_reference: None,
        reversal: None,
    }
}

/// C1 owes F-1 and F-2 (1,000.00 each); C2 owes G-1 (500.00 on 2/10 Net 30), all issued 2026-01-05.
fn bank_books(store: &mut dyn Store) -> TenantId {
    let tenant = books(store);
    let invoices = vec![
        invoice("F-1", "C1", "2026-01-05", 1000_00, "Net 30"),
        invoice("F-2", "C1", "2026-01-05", 1000_00, "Net 30"),
        invoice("G-1", "C2", "2026-01-05", 500_00, "2/10 Net 30"),
    ];
    store.import_invoices(tenant, &mut rows(invoices), ImportOptions::default()).unwrap();
    tenant
}

fn statement() -> Vec<BankLine> {
    vec![
        line("E1", 1000_00, Some("Pago factura F-1")),
        BankLine {
            counterparty_name: Some("CLIENTE C2 SL".into()),
            counterparty_iban: Some("IT60X0542811101000000123456".into()),
            ..line("E2", 490_00, None)
        },
        line("E3", 300_00, Some("anticipo")),
        BankLine { direction: Direction::Debit, ..line("E4", 50_00, Some("comisiones")) },
        line("E5", 1000_00, None),
    ]
}

fn bank_lines_are_imported_once_and_confident_matches_become_payments(store: &mut dyn Store) {
    let tenant = bank_books(store);
    let report = store.import_bank_lines(tenant, &statement(), &[], "statement.xml").unwrap();
    let expected = BankImportReport {
        new_lines: 5,
        known_lines: 0,
        debits: 1,
        applied: 2,
        to_review: 1,
        unmatched: 1,
        ..BankImportReport::default()
    };
    assert_eq!(report, expected);
    assert_eq!(open_of(store, tenant, "F-1"), 0, "paid by reference");
    assert_eq!(open_of(store, tenant, "G-1"), 0, "paid with the early-payment discount");
    assert_eq!(open_of(store, tenant, "F-2"), 1000_00, "an amount alone waits for a person");
    let again = store.import_bank_lines(tenant, &statement(), &[], "statement.xml").unwrap();
    assert_eq!(again, BankImportReport { known_lines: 5, ..BankImportReport::default() });
    let review = store.bank_lines_to_review(tenant, 50).unwrap();
    let listed: Vec<(&str, BankLineStatus, Option<&str>, u8)> =
        review.iter().map(|l| (l.line.entry.as_str(), l.status, l.customer.as_deref(), l.confidence)).collect();
    assert_eq!(listed, [("E5", BankLineStatus::Review, Some("C1"), 70), ("E3", BankLineStatus::Unmatched, None, 0)]);
    assert_eq!(review[0].proposal[0].number, "F-2");
}

fn a_person_accepts_assigns_or_ignores_a_line_once(store: &mut dyn Store) {
    let tenant = bank_books(store);
    store.import_bank_lines(tenant, &statement(), &[], "statement.xml").unwrap();
    let waiting = store.bank_lines_to_review(tenant, 50).unwrap();
    let (e5, e3) = (waiting[0].id, waiting[1].id);
    let accepted = store.decide_bank_line(tenant, e5, &BankDecision::Accept, "ana").unwrap();
    assert_eq!(accepted.status, BankLineStatus::Applied);
    assert!(accepted.payment.as_deref().unwrap().starts_with("bank:"), "{accepted:?}");
    assert_eq!(open_of(store, tenant, "F-2"), 0);
    let twice = store.decide_bank_line(tenant, e5, &BankDecision::Accept, "ana").unwrap_err();
    assert!(matches!(twice, StoreError::Refused(_)), "{twice}");
    let nothing_proposed = store.decide_bank_line(tenant, e3, &BankDecision::Accept, "ana").unwrap_err();
    assert!(nothing_proposed.to_string().contains("assign"), "{nothing_proposed}");
    let wrong = BankDecision::Assign { customer: "C1".into(), invoices: vec!["G-1".into()] };
    assert!(store.decide_bank_line(tenant, e3, &wrong, "ana").is_err(), "G-1 is C2's, and paid");
    let assign = BankDecision::Assign { customer: "C1".into(), invoices: vec![] };
    store.decide_bank_line(tenant, e3, &assign, "ana").unwrap();
    assert_eq!(store.customer_credit(tenant, "C1").unwrap(), vec![eur(300_00)], "nothing open: credit");
    assert!(store.bank_lines_to_review(tenant, 50).unwrap().is_empty());
    let refund = line("E6", 12_00, Some("devolución"));
    store.import_bank_lines(tenant, &[refund], &[], "more.csv").unwrap();
    let id = store.bank_lines_to_review(tenant, 50).unwrap()[0].id;
    let ignored = store.decide_bank_line(tenant, id, &BankDecision::Ignore { reason: "refund".into() }, "ana").unwrap();
    assert_eq!((ignored.status, ignored.note.as_deref()), (BankLineStatus::Ignored, Some("refund")));
}

fn a_payer_is_recognised_by_an_account_it_paid_from_before(store: &mut dyn Store) {
    let tenant = bank_books(store);
    store.import_bank_lines(tenant, &statement(), &[], "statement.xml").unwrap();
    let later = BankLine {
        counterparty_name: Some("Tesorería".into()),
        counterparty_iban: Some("IT60 X054 2811 1010 0000 0123 456".into()),
        ..line("E9", 77_00, None)
    };
    store.import_bank_lines(tenant, &[later], &[], "next.xml").unwrap();
    let waiting = store.bank_lines_to_review(tenant, 50).unwrap();
    let e9 = waiting.iter().find(|l| l.line.entry == "E9").unwrap();
    assert_eq!(e9.customer.as_deref(), Some("C2"), "{e9:?}");
    assert!(e9.evidence[0].contains("IBAN"));
    // a line a person assigned teaches the payer's name too
    store
        .decide_bank_line(tenant, e9.id, &BankDecision::Assign { customer: "C2".into(), invoices: vec![] }, "ana")
        .unwrap();
    let by_name = BankLine { counterparty_name: Some("TESORERIA".into()), ..line("E10", 5_00, None) };
    store.import_bank_lines(tenant, &[by_name], &[], "later.xml").unwrap();
    let waiting = store.bank_lines_to_review(tenant, 50).unwrap();
    let e10 = waiting.iter().find(|l| l.line.entry == "E10").unwrap();
    assert_eq!(e10.customer.as_deref(), Some("C2"), "{e10:?}");
}

conformance!(
    bank_lines_are_imported_once_and_confident_matches_become_payments,
    a_person_accepts_assigns_or_ignores_a_line_once,
    a_payer_is_recognised_by_an_account_it_paid_from_before,
);
