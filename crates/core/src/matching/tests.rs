use super::*;
use crate::bank::{BankLine, Direction};
use crate::currency::Currency;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

fn invoice(id: i64, number: &str, customer_id: i64, open_minor: i64, due: u32) -> OpenInvoice {
    OpenInvoice::new(id, number, customer_id, eur(open_minor), day(due))
}

fn credit(amount_minor: i64) -> BankLine {
    BankLine {
        account: "ES9121000418450200051332".into(),
        statement: "S1".into(),
        entry: "E1".into(),
        booking_date: day(20),
        value_date: None,
        amount: eur(amount_minor),
        direction: Direction::Credit,
        counterparty_name: None,
        counterparty_iban: None,
        creditor_reference: None,
        remittance: None,
        end_to_end_id: None,
        bank_reference: None,
        reversal: None,
    }
}

fn with_text(amount_minor: i64, remittance: &str) -> BankLine {
    BankLine { remittance: Some(remittance.into()), ..credit(amount_minor) }
}

fn payers() -> Vec<Payer> {
    vec![
        Payer {
            customer_id: 1,
            name: "Ferretería Ruiz, S.L.".into(),
            ibans: vec!["ES76 2077 0024 0031 0257 5766".into()],
            aliases: vec!["Suministros Ruiz".into()],
            promises: vec![],
        },
        Payer { customer_id: 2, name: "Rossi S.r.l.".into(), ibans: vec![], aliases: vec![], promises: vec![] },
    ]
}

fn book() -> Matcher {
    Matcher::new(
        vec![
            invoice(10, "F2026-0001", 1, 100_00, 1),
            invoice(11, "F2026-0002", 1, 250_00, 5),
            invoice(12, "F2026-0003", 1, 40_00, 10),
            invoice(20, "FT 12/2026", 2, 1_220_00, 3),
            invoice(21, "FT 13/2026", 2, 77_77, 8),
        ],
        &payers(),
    )
}

fn paid(proposal: &Proposal) -> Vec<(i64, i64)> {
    proposal.allocations.iter().map(|a| (a.invoice_id, a.amount.amount_minor())).collect()
}

#[test]
fn a_creditor_reference_and_the_exact_amount_are_applied_at_once() {
    let mut matcher = book();
    let line = BankLine { creditor_reference: creditor_reference::for_invoice("F2026-0002"), ..credit(250_00) };
    let proposal = matcher.propose(&line);
    assert_eq!((proposal.customer_id, proposal.confidence), (Some(1), 98));
    assert_eq!(paid(&proposal), [(11, 250_00)]);
    assert!(proposal.is_automatic());
}

#[test]
fn invoice_numbers_in_the_remittance_text_pay_several_invoices() {
    let proposal = book().propose(&with_text(140_00, "Pago facturas F2026-0001 y F2026/0003, gracias"));
    assert_eq!(paid(&proposal), [(10, 100_00), (12, 40_00)]);
    assert!(proposal.is_automatic(), "{proposal:?}");
    assert!(proposal.evidence[0].to_string().contains("F2026-0001, F2026-0003"));
}

#[test]
fn an_invoice_number_written_with_a_space_is_found_in_the_text() {
    let proposal = book().propose(&with_text(77_77, "saldo fattura FT 13/2026"));
    assert_eq!((paid(&proposal), proposal.confidence), (vec![(21, 77_77)], 98));
    let unquoted = book().propose(&with_text(77_77, "saldo"));
    assert_eq!(unquoted.confidence, 70, "the amount alone is only a suggestion");
}

#[test]
fn an_early_payment_discount_taken_in_time_settles_the_invoice() {
    let mut discounted = invoice(30, "D-1", 1, 1_000_00, 30);
    discounted.discounted = Some((day(25), eur(980_00)));
    let mut matcher = Matcher::new(vec![discounted.clone()], &payers());
    let proposal = matcher.propose(&with_text(980_00, "D-1"));
    assert_eq!(proposal.allocations[0].discount, eur(20_00));
    assert_eq!(proposal.confidence, 97);
    let late = BankLine { booking_date: day(26), ..with_text(980_00, "D-1") };
    let proposal = Matcher::new(vec![discounted], &payers()).propose(&late);
    assert!(proposal.allocations[0].discount.is_zero(), "too late for the discount: a part payment");
    assert_eq!(paid(&proposal), [(30, 980_00)]);
}

#[test]
fn a_small_shortfall_is_bank_charges_and_a_large_one_a_part_payment() {
    let rossi = |line: BankLine| BankLine { counterparty_name: Some("ROSSI SRL".into()), ..line };
    let charges = book().propose(&rossi(with_text(1_216_50, "FT12/2026")));
    assert_eq!((paid(&charges), charges.confidence), (vec![(20, 1_216_50)], 92));
    assert!(charges.evidence[2].to_string().contains("3.50 short"), "{charges:?}");
    assert_eq!(charges.allocations[0].discount, eur(3_50), "written off: the invoice is settled");
    let unknown = book().propose(&with_text(1_216_50, "FT12/2026"));
    assert!(!unknown.is_automatic(), "an unknown payer's amount must be exact: {unknown:?}");
    let part = book().propose(&rossi(with_text(600_00, "FT12/2026")));
    assert_eq!((paid(&part), part.confidence), (vec![(20, 600_00)], 85));
    assert!(part.evidence[2].to_string().contains("part payment"));
    assert!(!part.is_automatic(), "a part payment does not fit what is due: a person decides");
}

#[test]
fn paying_more_than_the_invoice_quoted_waits_for_a_person() {
    let proposal = book().propose(&with_text(300_00, "F2026-0002"));
    assert_eq!(paid(&proposal), [(11, 250_00)]);
    assert!(!proposal.is_automatic());
    assert!(proposal.evidence[2].to_string().contains("50.00 more"), "{proposal:?}");
}

#[test]
fn a_known_iban_with_an_exact_amount_pays_that_invoice() {
    let line = BankLine { counterparty_iban: Some("ES7620770024003102575766".into()), ..credit(40_00) };
    let proposal = book().propose(&line);
    assert_eq!((paid(&proposal), proposal.confidence), (vec![(12, 40_00)], 92));
    assert!(proposal.evidence[0].to_string().contains("IBAN"));
}

#[test]
fn a_known_name_paying_the_oldest_invoices_together_is_applied() {
    let line = BankLine { counterparty_name: Some("FERRETERIA RUIZ SL".into()), ..credit(350_00) };
    let proposal = book().propose(&line);
    assert_eq!(paid(&proposal), [(10, 100_00), (11, 250_00)]);
    assert_eq!(proposal.confidence, 90);
    assert!(proposal.is_automatic());
    let odd = BankLine { counterparty_name: Some("Ferreteria Ruiz".into()), ..credit(123_00) };
    let proposal = book().propose(&odd);
    assert_eq!((proposal.customer_id, proposal.confidence), (Some(1), 60));
    assert!(!proposal.is_automatic(), "an amount that fits nothing is for a person");
}

#[test]
fn a_name_the_customer_paid_under_before_is_recognised() {
    let line = BankLine { counterparty_name: Some("SUMINISTROS RUIZ".into()), ..credit(40_00) };
    let proposal = book().propose(&line);
    assert_eq!((proposal.customer_id, paid(&proposal)), (Some(1), vec![(12, 40_00)]));
}

#[test]
fn an_unknown_payer_is_matched_by_amount_only_as_a_suggestion() {
    let proposal = book().propose(&credit(1_220_00));
    assert_eq!((proposal.customer_id, proposal.confidence), (Some(2), 70));
    let nothing = book().propose(&credit(1_00));
    assert_eq!((nothing.customer_id, nothing.confidence), (None, 0));
    assert!(nothing.allocations.is_empty());
}

#[test]
fn the_same_money_is_never_applied_twice() {
    let mut matcher = book();
    let first = matcher.propose(&with_text(250_00, "F2026-0002"));
    assert!(first.is_automatic());
    let second = matcher.propose(&BankLine { entry: "E2".into(), ..with_text(250_00, "F2026-0002") });
    assert!(!second.is_automatic());
    assert!(second.evidence.iter().any(|e| e.to_string().contains("already paid")), "{second:?}");
}

#[test]
fn debits_and_other_currencies_are_not_payments_of_these_invoices() {
    let debit = BankLine { direction: Direction::Debit, ..with_text(250_00, "F2026-0002") };
    assert_eq!(book().propose(&debit).confidence, 0);
    let dollars = BankLine { amount: Money::new(250_00, Currency::USD), ..with_text(250_00, "F2026-0002") };
    let proposal = book().propose(&dollars);
    assert!(proposal.allocations.is_empty(), "{proposal:?}");
}

#[test]
fn a_reference_to_one_customer_paid_from_anothers_account_is_doubted() {
    let line = BankLine { counterparty_name: Some("Rossi SRL".into()), ..with_text(100_00, "F2026-0001") };
    let proposal = book().propose(&line);
    assert_eq!(proposal.customer_id, Some(1));
    assert_eq!(proposal.confidence, 70);
}

proptest::proptest! {
    #[test]
    fn proposals_never_allocate_more_than_the_line_or_what_is_open(
        amounts in proptest::collection::vec(1i64..500_00, 1..6),
        paid_minor in 1i64..2_000_00,
        text in "[A-Z0-9 -]{0,20}",
    ) {
        let invoices: Vec<OpenInvoice> = amounts.iter().enumerate()
            .map(|(i, a)| invoice(i as i64, &format!("N{i}"), 1, *a, 1 + i as u32)).collect();
        let mut matcher = Matcher::new(invoices.clone(), &payers());
        let line = BankLine { counterparty_name: Some("Ferreteria Ruiz".into()), ..with_text(paid_minor, &text) };
        let proposal = matcher.propose(&line);
        let total: i64 = proposal.allocations.iter().map(|a| a.amount.amount_minor()).sum();
        proptest::prop_assert!(total <= paid_minor);
        for a in &proposal.allocations {
            let open = invoices.iter().find(|i| i.id == a.invoice_id).unwrap().open.amount_minor();
            proptest::prop_assert!(a.amount.amount_minor() + a.discount.amount_minor() <= open);
        }
    }
}

#[test]
fn a_number_that_only_coincides_with_an_amount_that_does_not_fit_waits_for_a_person() {
    // A refund from a telephone company quoting "Kundennr 1207": invoice 1207 is EUR 3,156.00.
    let mut matcher = Matcher::new(vec![invoice(1, "1207", 7, 3_156_00, 1)], &payers());
    let refund = BankLine {
        counterparty_name: Some("Telefonica Germany".into()),
        ..with_text(859_00, "Gutschrift Kundennr 1207")
    };
    let proposal = matcher.propose(&refund);
    assert!(!proposal.is_automatic(), "{proposal:?}");
    assert!(proposal.evidence.iter().any(|e| e.to_string().contains("does not fit")), "{proposal:?}");
}

#[test]
fn a_structured_reference_names_its_invoice_and_not_another_of_the_same_amount() {
    let mut first = invoice(1, "2026/0117", 1, 847_00, 1);
    first.payment_reference = Some("441728309191".into());
    let mut second = invoice(2, "2026/0118", 2, 847_00, 1);
    second.payment_reference = Some("441728310508".into());
    let mut matcher = Matcher::new(vec![first, second], &payers());
    let line = BankLine { creditor_reference: Some("441728309191".into()), ..credit(847_00) };
    let proposal = matcher.propose(&line);
    assert_eq!(paid(&proposal), [(1, 847_00)]);
    assert!(proposal.is_automatic(), "reference with valid check digits and the exact amount: {proposal:?}");
    assert!(proposal.evidence[0].to_string().contains("structured communication"), "{proposal:?}");
}

#[test]
fn instalments_due_on_the_day_fit_and_are_paid_first() {
    let instalment = |d: u32, minor: i64| Instalment { due_date: day(d), amount: eur(minor) };
    let mut big = invoice(1, "MB-0820", 1, 12_200_00, 10);
    big.instalments = vec![instalment(10, 6_100_00), instalment(28, 6_100_00)];
    let mut small = invoice(2, "MB-0821", 1, 244_00, 11);
    small.instalments = vec![instalment(11, 122_00), instalment(29, 122_00)];
    let mut matcher = Matcher::new(vec![big, small], &payers());
    let line = BankLine { counterparty_name: Some("Ferreteria Ruiz".into()), ..with_text(6_222_00, "MB-0820 MB-0821") };
    let proposal = matcher.propose(&line);
    assert_eq!(paid(&proposal), [(1, 6_100_00), (2, 122_00)]);
    assert!(proposal.is_automatic(), "{proposal:?}");
}

#[test]
fn a_known_payer_paying_a_set_of_its_invoices_exactly_is_matched_to_that_set() {
    // 290.00 = F2026-0003 (40.00) + F2026-0002 (250.00), not the oldest first.
    let line = BankLine { counterparty_name: Some("Ferreteria Ruiz".into()), ..credit(290_00) };
    let proposal = book().propose(&line);
    assert_eq!(paid(&proposal), [(11, 250_00), (12, 40_00)]);
    assert!(proposal.is_automatic(), "{proposal:?}");
}

#[test]
fn spreading_pays_what_is_due_first_then_what_is_open() {
    assert_eq!(spread(6_222, &[(6_100, 12_200), (122, 244)]), [6_100, 122]);
    assert_eq!(spread(6_300, &[(6_100, 12_200), (122, 244)]), [6_178, 122]);
    assert_eq!(spread(100, &[(6_100, 12_200), (122, 244)]), [100, 0]);
    assert_eq!(spread(20_000, &[(6_100, 12_200), (122, 244)]), [12_200, 244], "the rest is the payer's credit");
}

proptest::proptest! {
    /// Whatever the payer writes and pays: an applied line never pays more than the line or
    /// than is open, never pays an invoice of a customer other than the payer's, and from an
    /// unknown payer is applied only when the amount is exactly what the invoices owe.
    #[test]
    fn an_applied_line_never_pays_another_customers_invoice_nor_on_a_coincidence(
        opens in proptest::collection::vec((1i64..3_000_00, 1i64..=3), 1..8),
        paid_minor in 1i64..6_000_00,
        quoted in proptest::collection::vec(0usize..8, 0..3),
        payer in 0usize..4,
    ) {
        let invoices: Vec<OpenInvoice> = opens.iter().enumerate()
            .map(|(i, (open, customer))| invoice(i as i64, &format!("77{i}"), *customer, *open, 1 + i as u32)).collect();
        let payers: Vec<Payer> = (1..=3).map(|c| Payer { customer_id: c, name: format!("Cliente {c} SL"), ibans: vec![], aliases: vec![], promises: vec![] }).collect();
        let text: Vec<String> = quoted.iter().filter(|&&q| q < invoices.len()).map(|q| format!("factura 77{q}")).collect();
        let name = (payer > 0).then(|| format!("CLIENTE {payer} S.L."));
        let line = BankLine { counterparty_name: name, ..with_text(paid_minor, &text.join(" ")) };
        let proposal = Matcher::new(invoices.clone(), &payers).propose(&line);
        if proposal.is_automatic() {
            let mut settled = 0;
            let mut owed = 0;
            for a in &proposal.allocations {
                let invoice = invoices.iter().find(|i| i.id == a.invoice_id).unwrap();
                proptest::prop_assert!(a.amount.amount_minor() + a.discount.amount_minor() <= invoice.open.amount_minor());
                if payer > 0 {
                    proptest::prop_assert_eq!(invoice.customer_id, payer as i64, "{:?}", proposal);
                }
                settled += a.amount.amount_minor() + a.discount.amount_minor();
                owed += invoice.open.amount_minor();
            }
            let paid: i64 = proposal.allocations.iter().map(|a| a.amount.amount_minor()).sum();
            proptest::prop_assert!(paid <= paid_minor);
            if payer == 0 {
                proptest::prop_assert_eq!((settled, paid), (owed, paid_minor), "{:?}", proposal);
            }
        }
    }
}

#[test]
fn a_known_payer_paying_the_amount_it_promised_pays_the_promised_invoices() {
    let mut payers = payers();
    payers[0].promises = vec![PromisedPayment {
        made_on: day(2),
        promised_date: day(18),
        amount: eur(290_00),
        invoices: vec!["F2026-0002".into(), "F2026-0003".into()],
    }];
    let invoices = vec![
        invoice(10, "F2026-0001", 1, 100_00, 1),
        invoice(11, "F2026-0002", 1, 250_00, 5),
        invoice(12, "F2026-0003", 1, 80_00, 10),
    ];
    let line = BankLine { counterparty_name: Some("Ferreteria Ruiz".into()), ..credit(290_00) };
    let proposal = Matcher::new(invoices, &payers).propose(&line);
    assert_eq!(paid(&proposal), [(11, 250_00), (12, 40_00)]);
    assert!(proposal.is_automatic(), "{proposal:?}");
    assert!(proposal.evidence.iter().any(|e| e.to_string().contains("promised")), "{proposal:?}");
}
