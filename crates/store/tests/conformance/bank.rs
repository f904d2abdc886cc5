//! Bank statement lines on both backends: each imported once, confident matches become
//! payments, the rest wait for review, and a person's decision is applied once.

use super::*;
use overdue_core::bank::{Balance, BankLine, Continuity, Direction, Reversal};

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
    let report = store.import_bank_lines(tenant, &statement(), &[], "statement.xml", d("2026-01-31")).unwrap();
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
    let again = store.import_bank_lines(tenant, &statement(), &[], "statement.xml", d("2026-01-31")).unwrap();
    assert_eq!(again, BankImportReport { known_lines: 5, ..BankImportReport::default() });
    let review = store.bank_lines_to_review(tenant, 50).unwrap();
    let listed: Vec<(&str, BankLineStatus, Option<&str>, u8)> =
        review.iter().map(|l| (l.line.entry.as_str(), l.status, l.customer.as_deref(), l.confidence)).collect();
    assert_eq!(listed, [("E5", BankLineStatus::Review, Some("C1"), 70), ("E3", BankLineStatus::Unmatched, None, 0)]);
    assert_eq!(review[0].proposal[0].number, "F-2");
}

fn a_person_accepts_assigns_or_ignores_a_line_once(store: &mut dyn Store) {
    let tenant = bank_books(store);
    store.import_bank_lines(tenant, &statement(), &[], "statement.xml", d("2026-01-31")).unwrap();
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
    store.import_bank_lines(tenant, &[refund], &[], "more.csv", d("2026-01-31")).unwrap();
    let id = store.bank_lines_to_review(tenant, 50).unwrap()[0].id;
    let ignored = store.decide_bank_line(tenant, id, &BankDecision::Ignore { reason: "refund".into() }, "ana").unwrap();
    assert_eq!((ignored.status, ignored.note.as_deref()), (BankLineStatus::Ignored, Some("refund")));
    let decided = store.bank_lines_decided(tenant, 50).unwrap();
    assert_eq!(decided[0].id, id, "newest booking first: {decided:?}");
    assert!(decided.iter().all(|l| matches!(l.status, BankLineStatus::Applied | BankLineStatus::Ignored)));
    // set aside by mistake: it waits again, and only once
    let back = store.decide_bank_line(tenant, id, &BankDecision::Undo { reason: "was C1's".into() }, "ana").unwrap();
    assert_eq!(back.status, BankLineStatus::Unmatched, "{back:?}");
    assert!(back.note.as_deref().is_some_and(|n| n.contains("was C1's")), "{back:?}");
    assert_eq!(store.bank_lines_to_review(tenant, 50).unwrap().len(), 1);
    let again = store.decide_bank_line(tenant, id, &BankDecision::Undo { reason: "twice".into() }, "ana").unwrap_err();
    assert!(matches!(again, StoreError::Refused(_)), "{again}");
}

fn a_payer_is_recognised_by_an_account_it_paid_from_before(store: &mut dyn Store) {
    let tenant = bank_books(store);
    store.import_bank_lines(tenant, &statement(), &[], "statement.xml", d("2026-01-31")).unwrap();
    let later = BankLine {
        counterparty_name: Some("Tesorería".into()),
        counterparty_iban: Some("IT60 X054 2811 1010 0000 0123 456".into()),
        ..line("E9", 77_00, None)
    };
    store.import_bank_lines(tenant, &[later], &[], "next.xml", d("2026-01-31")).unwrap();
    let waiting = store.bank_lines_to_review(tenant, 50).unwrap();
    let e9 = waiting.iter().find(|l| l.line.entry == "E9").unwrap();
    assert_eq!(e9.customer.as_deref(), Some("C2"), "{e9:?}");
    assert!(e9.evidence[0].to_string().contains("IBAN"));
    // a line a person assigned teaches the payer's name too
    store
        .decide_bank_line(tenant, e9.id, &BankDecision::Assign { customer: "C2".into(), invoices: vec![] }, "ana")
        .unwrap();
    let by_name = BankLine { counterparty_name: Some("TESORERIA".into()), ..line("E10", 5_00, None) };
    store.import_bank_lines(tenant, &[by_name], &[], "later.xml", d("2026-01-31")).unwrap();
    let waiting = store.bank_lines_to_review(tenant, 50).unwrap();
    let e10 = waiting.iter().find(|l| l.line.entry == "E10").unwrap();
    assert_eq!(e10.customer.as_deref(), Some("C2"), "{e10:?}");
}

/// F-1 paid by a direct debit on 10 January, returned by the debtor's bank on 13 January.
fn direct_debit_and_its_return() -> (BankLine, BankLine) {
    let paid = BankLine {
        end_to_end_id: Some("DD-F-1".into()),
        counterparty_iban: Some("ES7620770024003102575766".into()),
        ..line("E1", 1000_00, Some("Recibo F-1"))
    };
    let returned = BankLine {
        statement: "2026-002".into(),
        entry: "R1".into(),
        booking_date: d("2026-01-13"),
        direction: Direction::Debit,
        remittance: Some("Devolucion recibo F-1".into()),
        reversal: Some(Reversal { reason_code: Some("AM04".into()), reason_text: None, charges: None }),
        ..paid.clone()
    };
    (paid, returned)
}

fn a_returned_payment_reopens_what_it_paid_and_puts_a_call_on_the_work_list(store: &mut dyn Store) {
    let tenant = bank_books(store);
    let (paid, returned) = direct_debit_and_its_return();
    store.import_bank_lines(tenant, &[paid], &[], "0110.xml", d("2026-01-31")).unwrap();
    assert_eq!(open_of(store, tenant, "F-1"), 0);
    let report =
        store.import_bank_lines(tenant, std::slice::from_ref(&returned), &[], "0113.xml", d("2026-01-31")).unwrap();
    assert_eq!(report.reversed.len(), 1, "{report:?}");
    let reversed = &report.reversed[0];
    assert_eq!((reversed.customer.as_str(), reversed.invoices.as_slice()), ("C1", &["F-1".to_owned()][..]));
    assert_eq!(open_of(store, tenant, "F-1"), 1000_00, "open again");
    let work = store.work_list(tenant, d("2026-01-31"), 50).unwrap();
    let call = work.iter().find(|a| a.kind == "returned_payment").expect("a call about the returned payment");
    assert!(call.explanation.contains("AM04 insufficient funds"), "{}", call.explanation);
    // the same return imported again changes nothing
    let again = store.import_bank_lines(tenant, &[returned], &[], "0113.xml", d("2026-01-31")).unwrap();
    assert_eq!((again.known_lines, again.reversed.len()), (1, 0));
    assert_eq!(open_of(store, tenant, "F-1"), 1000_00);
}

fn an_applied_line_undone_reopens_its_invoices_and_waits_for_review(store: &mut dyn Store) {
    let tenant = bank_books(store);
    store
        .import_bank_lines(tenant, &[line("E1", 1000_00, Some("Pago factura F-1"))], &[], "s.xml", d("2026-01-31"))
        .unwrap();
    assert_eq!(open_of(store, tenant, "F-1"), 0);
    let id = store.bank_lines_to_review(tenant, 50).unwrap().len();
    assert_eq!(id, 0, "nothing waits: the line was applied");
    let applied = store.bank_line(tenant, 1).unwrap();
    assert_eq!(applied.status, BankLineStatus::Applied);
    let undo = BankDecision::Undo { reason: "it was F-2".into() };
    let undone = store.decide_bank_line(tenant, applied.id, &undo, "ana").unwrap();
    assert_eq!(undone.status, BankLineStatus::Review);
    assert_eq!(open_of(store, tenant, "F-1"), 1000_00);
    assert!(store.decide_bank_line(tenant, applied.id, &undo, "ana").is_err(), "undone once");
    let assign = BankDecision::Assign { customer: "C1".into(), invoices: vec!["F-2".into()] };
    store.decide_bank_line(tenant, applied.id, &assign, "ana").unwrap();
    assert_eq!((open_of(store, tenant, "F-1"), open_of(store, tenant, "F-2")), (1000_00, 0));
}

fn a_booking_reported_in_two_files_is_counted_once(store: &mut dyn Store) {
    let tenant = bank_books(store);
    let notified = BankLine { bank_reference: Some("BOOK-77".into()), ..line("N1", 300_00, Some("anticipo")) };
    let stated = BankLine { statement: "2026-EOD".into(), entry: "7".into(), ..notified.clone() };
    let first = store.import_bank_lines(tenant, &[notified], &[], "camt054.xml", d("2026-01-31")).unwrap();
    let second = store.import_bank_lines(tenant, &[stated], &[], "camt053.xml", d("2026-01-31")).unwrap();
    assert_eq!((first.new_lines, second.new_lines, second.known_lines), (1, 0, 1));
}

fn a_statement_that_does_not_follow_the_last_closing_balance_is_reported(store: &mut dyn Store) {
    let tenant = bank_books(store);
    let balance = |day: &str, minor: i64| Some(Balance { date: d(day), amount: eur(minor) });
    let statement = |id: &str, opening, closing| StatementRecord {
        account: "ES9121000418450200051332".into(),
        statement: id.into(),
        opening,
        closing,
    };
    let first = [statement("S1", balance("2026-01-09", 100_00), balance("2026-01-10", 400_00))];
    assert!(store.import_bank_lines(tenant, &[], &first, "s1.xml", d("2026-01-31")).unwrap().breaks.is_empty());
    let follows = [statement("S2", balance("2026-01-10", 400_00), balance("2026-01-11", 500_00))];
    assert!(store.import_bank_lines(tenant, &[], &follows, "s2.xml", d("2026-01-31")).unwrap().breaks.is_empty());
    let gap = [statement("S4", balance("2026-01-13", 900_00), balance("2026-01-13", 950_00))];
    let breaks = store.import_bank_lines(tenant, &[], &gap, "s4.xml", d("2026-01-31")).unwrap().breaks;
    assert_eq!(breaks.len(), 1);
    assert_eq!((breaks[0].kind, breaks[0].previous_statement.as_str()), (Continuity::Gap, "S2"));
    assert_eq!(breaks[0].previous_closing.amount, eur(500_00));
    let overlap = [statement("S3b", balance("2026-01-12", 700_00), balance("2026-01-12", 900_00))];
    assert_eq!(
        store.import_bank_lines(tenant, &[], &overlap, "s3.xml", d("2026-01-31")).unwrap().breaks[0].kind,
        Continuity::Overlap
    );
    let again = store.import_bank_lines(tenant, &[], &gap, "s4.xml", d("2026-01-31")).unwrap();
    assert!(again.breaks.is_empty(), "checked once");
}

fn a_payment_quoting_the_reference_built_in_the_organisations_scheme_pays_its_invoice(store: &mut dyn Store) {
    let tenant = bank_books(store);
    let mut letterhead = store.letterhead(tenant).unwrap();
    letterhead.set("reference_scheme", "be").unwrap();
    store.set_letterhead(tenant, &letterhead).unwrap();
    // F-2 → digits 2 → 0000000002, mod 97 = 2: +++000/0000/00202+++
    let reference =
        overdue_core::structured_reference::for_invoice(overdue_core::structured_reference::Scheme::Belgian, "F-2");
    assert_eq!(reference.as_deref(), Some("+++000/0000/00202+++"));
    let quoting = BankLine { creditor_reference: Some("000000000202".into()), ..line("B1", 1000_00, None) };
    let report = store.import_bank_lines(tenant, &[quoting], &[], "be.xml", d("2026-01-31")).unwrap();
    assert_eq!(report.applied, 1, "{report:?}");
    assert_eq!((open_of(store, tenant, "F-1"), open_of(store, tenant, "F-2")), (1000_00, 0));
}

fn a_payment_and_its_return_in_one_file_leave_the_invoice_open(store: &mut dyn Store) {
    let tenant = bank_books(store);
    let (paid, returned) = direct_debit_and_its_return();
    let report = store.import_bank_lines(tenant, &[paid, returned], &[], "both.xml", d("2026-01-31")).unwrap();
    assert_eq!((report.applied, report.reversed.len()), (1, 1), "{report:?}");
    assert_eq!(open_of(store, tenant, "F-1"), 1000_00, "paid, then taken back");
}

fn a_reversal_without_references_is_traced_by_its_payer_and_text(store: &mut dyn Store) {
    let tenant = bank_books(store);
    let paid =
        BankLine { counterparty_name: Some("CLIENTE UNO SL".into()), ..line("E1", 1000_00, Some("Pago factura F-1")) };
    store.import_bank_lines(tenant, std::slice::from_ref(&paid), &[], "a.xml", d("2026-01-31")).unwrap();
    assert_eq!(open_of(store, tenant, "F-1"), 0);
    let reversed = BankLine {
        statement: "2026-002".into(),
        entry: "R9".into(),
        direction: Direction::Debit,
        reversal: Some(Reversal::default()),
        ..paid
    };
    let report = store.import_bank_lines(tenant, &[reversed], &[], "b.xml", d("2026-01-31")).unwrap();
    assert_eq!((report.reversed.len(), report.returns_untraced), (1, 0), "{report:?}");
    assert_eq!(open_of(store, tenant, "F-1"), 1000_00);
}

fn money_waiting_for_review_is_known_by_customer_and_an_outdated_proposal_is_not_accepted(store: &mut dyn Store) {
    let tenant = bank_books(store);
    // C1 pays 600.00 without a word: a part payment, proposed, not applied
    let part = BankLine { counterparty_name: Some("CLIENTE C1 SL".into()), ..line("E5", 600_00, None) };
    store.import_bank_lines(tenant, &[part], &[], "a.xml", d("2026-01-31")).unwrap();
    let waiting = store.money_waiting(tenant, Some("C1")).unwrap();
    assert_eq!(waiting, [("C1".to_owned(), eur(600_00))]);
    assert!(store.money_waiting(tenant, Some("C2")).unwrap().is_empty());
    let id = store.bank_lines_to_review(tenant, 50).unwrap()[0].id;
    let proposed: Vec<String> =
        store.bank_line(tenant, id).unwrap().proposal.iter().map(|a| a.number.clone()).collect();
    // the invoice proposed is paid by another line meanwhile
    let number = proposed[0].clone();
    let quoting = line("E6", 1000_00, Some(&format!("Pago {number}")));
    store.import_bank_lines(tenant, &[quoting], &[], "b.xml", d("2026-01-31")).unwrap();
    let refused = store.decide_bank_line(tenant, id, &BankDecision::Accept, "ana").unwrap_err();
    assert!(refused.to_string().contains("out of date"), "{refused}");
    let empty = store.decide_bank_line(tenant, id, &BankDecision::Ignore { reason: " ".into() }, "ana").unwrap_err();
    assert!(empty.to_string().contains("say why"), "{empty}");
}

conformance!(
    bank_lines_are_imported_once_and_confident_matches_become_payments,
    a_person_accepts_assigns_or_ignores_a_line_once,
    a_payer_is_recognised_by_an_account_it_paid_from_before,
    a_returned_payment_reopens_what_it_paid_and_puts_a_call_on_the_work_list,
    an_applied_line_undone_reopens_its_invoices_and_waits_for_review,
    a_booking_reported_in_two_files_is_counted_once,
    a_statement_that_does_not_follow_the_last_closing_balance_is_reported,
    a_payment_quoting_the_reference_built_in_the_organisations_scheme_pays_its_invoice,
    a_payment_and_its_return_in_one_file_leave_the_invoice_open,
    a_reversal_without_references_is_traced_by_its_payer_and_text,
    money_waiting_for_review_is_known_by_customer_and_an_outdated_proposal_is_not_accepted,
);
