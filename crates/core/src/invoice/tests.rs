use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn line(quantity: &str, unit_price_minor: i64, rate: u32) -> InvoiceLine {
    InvoiceLine {
        description: "Consulting".into(),
        quantity: Quantity::parse(quantity).unwrap(),
        unit_price_minor,
        tax_rate_basis_points: rate,
    }
}

fn draft(terms: Option<&str>) -> InvoiceDraft {
    InvoiceDraft {
        number: InvoiceNumber::parse("F-2026-001").unwrap(),
        customer: CustomerCode::parse("C001").unwrap(),
        kind: InvoiceKind::Invoice,
        issue_date: d(2026, 5, 26),
        supply_from: Some(d(2026, 5, 20)),
        supply_to: Some(d(2026, 5, 25)),
        delivery_place: Some("Calle Mayor 1, Madrid".into()),
        currency: Currency::EUR,
        lines: vec![line("2", 100_00, 2100), line("1.5", 33_33, 2100), line("1", 10_00, 400)],
        terms: terms.map(|t| PaymentTerms::parse(t).unwrap()),
        sent_on: None,
    }
}

#[test]
fn an_invoice_without_terms_cannot_be_issued() {
    assert!(matches!(draft(None).issue(), Err(IssueError::MissingTerms { .. })));
}

#[test]
fn totals_compute_tax_per_rate_rounded_half_up() {
    let invoice = draft(Some("Net 30")).issue().unwrap();
    // 200.00 + 50.00 (1.5 × 33.33 = 49.995 → 50.00) at 21 % = 52.50; 10.00 at 4 % = 0.40
    assert_eq!(invoice.totals.net.amount_minor(), 260_00);
    assert_eq!(invoice.totals.tax.amount_minor(), 52_90);
    assert_eq!(invoice.totals.gross.amount_minor(), 312_90);
}

#[test]
fn due_dates_come_from_the_terms() {
    assert_eq!(draft(Some("Net 30")).issue().unwrap().due_date(), d(2026, 6, 25));
    assert_eq!(draft(Some("30 EOM")).issue().unwrap().due_date(), d(2026, 6, 30));
    assert_eq!(draft(Some("COD")).issue().unwrap().due_date(), d(2026, 5, 25));
    let instalments = draft(Some("30/60")).issue().unwrap().instalments;
    assert_eq!(instalments.len(), 2);
    assert_eq!(draft(Some("30/60")).issue().unwrap().due_date(), d(2026, 6, 25), "the first instalment's date");
    assert_eq!(instalments[0].amount.amount_minor() + instalments[1].amount.amount_minor(), 312_90);
}

#[test]
fn a_sent_date_marks_the_invoice_sent_and_cannot_precede_issue() {
    let mut sent = draft(Some("Net 30"));
    sent.sent_on = Some(d(2026, 5, 27));
    assert_eq!(sent.issue().unwrap().status, InvoiceStatus::Sent);
    let mut early = draft(Some("Net 30"));
    early.sent_on = Some(d(2026, 5, 1));
    assert!(matches!(early.issue(), Err(IssueError::SentBeforeIssued { .. })));
}

#[test]
fn a_credit_note_is_owed_to_the_customer() {
    let mut credit = draft(Some("Net 0"));
    credit.kind = InvoiceKind::CreditNote;
    assert_eq!(credit.issue().unwrap().amount_due().amount_minor(), -312_90);
}

#[test]
fn the_fingerprint_changes_with_content_only() {
    let a = draft(Some("Net 30")).issue().unwrap();
    let b = draft(Some("Net 30")).issue().unwrap();
    assert_eq!(a.fingerprint(), b.fingerprint());
    let mut changed = draft(Some("Net 30"));
    changed.lines[0].unit_price_minor += 1;
    assert_ne!(changed.issue().unwrap().fingerprint(), a.fingerprint());
}

#[test]
fn instalments_are_paid_in_order_and_only_what_is_due_is_asked_for() {
    let invoice = InvoiceDraft {
        number: InvoiceNumber::parse("R-1").unwrap(),
        customer: CustomerCode::parse("C1").unwrap(),
        kind: InvoiceKind::Invoice,
        issue_date: NaiveDate::from_ymd_opt(2026, 9, 15).unwrap(),
        supply_from: None,
        supply_to: None,
        delivery_place: None,
        currency: Currency::EUR,
        lines: vec![InvoiceLine {
            description: "Bottles".into(),
            quantity: Quantity::ONE,
            unit_price_minor: 300_00,
            tax_rate_basis_points: 0,
        }],
        terms: Some(PaymentTerms::parse("30/60/90").unwrap()),
        sent_on: None,
    }
    .issue()
    .unwrap();
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let eur = |minor| Money::new(minor, Currency::EUR);
    assert_eq!(invoice.due_by(eur(300_00), day(10, 1)), eur(100_00), "before the first: the first");
    assert_eq!(invoice.due_by(eur(300_00), day(11, 20)), eur(200_00), "two fell due, none paid");
    assert_eq!(invoice.due_by(eur(250_00), day(11, 20)), eur(150_00), "50 paid goes to the first");
    assert_eq!(invoice.due_by(eur(200_00), day(11, 1)), eur(100_00), "first paid: the second is next");
    let unpaid = invoice.unpaid_instalments(eur(250_00));
    assert_eq!(unpaid.iter().map(|i| i.amount.amount_minor()).collect::<Vec<_>>(), [50_00, 100_00, 100_00]);
}
