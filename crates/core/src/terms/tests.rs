use super::*;
use crate::currency::Currency;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn due(terms: &str, issued: NaiveDate) -> NaiveDate {
    let total = Money::new(100_00, Currency::EUR);
    PaymentTerms::parse(terms).unwrap().schedule(issued, None, total)[0].due_date
}

#[test]
fn every_usual_notation_parses_and_prints_canonically() {
    let cases = [
        ("Net 30", "Net 30"),
        ("n30", "Net 30"),
        ("30 days", "Net 30"),
        ("2/10 Net 30", "2/10 Net 30"),
        ("2.5/10 n30", "2.5/10 Net 30"),
        ("10/10 Net 60", "10/10 Net 60"),
        ("Net EOM", "EOM"),
        ("30 EOM", "30 EOM"),
        ("EOM+30", "EOM+30"),
        ("30 días fecha factura fin de mes", "30 EOM"),
        ("30 gg d.f.f.m.", "30 EOM"),
        ("30 gg d.f.", "Net 30"),
        ("30 gg dffm", "30 EOM"),
        ("60 dffm", "60 EOM"),
        ("21 MFI", "21 MFI"),
        ("10th prox", "10 MFI"),
        ("CIA", "PIA"),
        ("cod", "COD"),
        ("Ri.Ba. 30/60/90", "30/60/90"),
        ("30-60-90", "30/60/90"),
        ("rimessa diretta", "Net 0"),
        ("Ri.Ba. 60/90 gg d.f.f.m.", "60/90 EOM"),
        ("Ri.Ba. 30/60/90 gg d.f.f.m.", "30/60/90 EOM"),
        ("RIBA 30-60 DFFM", "30/60 EOM"),
        ("30, 60 y 90 días fecha factura fin de mes", "30/60/90 EOM"),
        ("30, 60 y 90 días fecha factura", "30/60/90"),
        ("pagamento a 30/60 gg data fattura fine mese", "30/60 EOM"),
        ("RD 30/60", "30/60"),
    ];
    for (text, printed) in cases {
        let terms = PaymentTerms::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(terms.to_string(), printed, "{text}");
        assert_eq!(PaymentTerms::parse(printed).unwrap(), terms, "printed form of {text} parses back");
    }
}

#[test]
fn missing_or_unknown_terms_are_errors_that_say_so() {
    assert_eq!(PaymentTerms::parse("  "), Err(TermsError::Missing));
    assert!(matches!(PaymentTerms::parse("whenever"), Err(TermsError::Unrecognised(_))));
    assert!(matches!(PaymentTerms::parse("Net 5000"), Err(TermsError::TooLong { .. })));
    assert!(matches!(PaymentTerms::parse("90/60/30"), Err(TermsError::InstalmentsOutOfOrder(_))));
    assert!(PaymentTerms::parse("20/30 net 10").is_err());
}

#[test]
fn due_dates_follow_the_terms() {
    assert_eq!(due("Net 30", d(2026, 1, 15)), d(2026, 2, 14));
    assert_eq!(due("Net 30", d(2024, 2, 1)), d(2024, 3, 2)); // leap February
    assert_eq!(due("EOM", d(2026, 2, 3)), d(2026, 2, 28));
    assert_eq!(due("30 EOM", d(2026, 5, 26)), d(2026, 6, 30));
    assert_eq!(due("EOM+30", d(2026, 5, 26)), d(2026, 6, 30));
    assert_eq!(due("EOM+30", d(2026, 1, 10)), d(2026, 3, 2));
    assert_eq!(due("30 EOM", d(2026, 1, 10)), d(2026, 2, 28));
    assert_eq!(due("21 MFI", d(2026, 12, 31)), d(2027, 1, 21));
    assert_eq!(due("2/10 Net 30", d(2026, 3, 1)), d(2026, 3, 31));
    assert_eq!(due("PIA", d(2026, 3, 1)), d(2026, 3, 1));
}

#[test]
fn cash_on_delivery_is_due_on_the_delivery_date() {
    let total = Money::new(5000, Currency::EUR);
    let schedule = PaymentTerms::CashOnDelivery.schedule(d(2026, 3, 1), Some(d(2026, 3, 4)), total);
    assert_eq!(schedule[0].due_date, d(2026, 3, 4));
}

#[test]
fn instalments_split_equally_with_the_leftover_cent_first() {
    let total = Money::new(100_00, Currency::EUR);
    let schedule = PaymentTerms::parse("30/60/90").unwrap().schedule(d(2026, 1, 1), None, total);
    let amounts: Vec<i64> = schedule.iter().map(|i| i.amount.amount_minor()).collect();
    assert_eq!(amounts, vec![33_34, 33_33, 33_33]);
    let dates: Vec<NaiveDate> = schedule.iter().map(|i| i.due_date).collect();
    assert_eq!(dates, vec![d(2026, 1, 31), d(2026, 3, 2), d(2026, 4, 1)]);
}

#[test]
fn the_discount_deadline_is_known() {
    let terms = PaymentTerms::parse("2/10 Net 30").unwrap();
    assert_eq!(terms.early_payment_discount(d(2026, 3, 1)), Some((d(2026, 3, 11), 200)));
}

proptest::proptest! {
    #[test]
    fn instalments_always_add_up_to_the_total(total in 0i64..1_000_000_000, count in 1usize..12) {
        let days: Vec<u16> = (1..=count as u16).map(|i| i * 30).collect();
        let money = Money::new(total, Currency::EUR);
        let schedule = PaymentTerms::Instalments { days }.schedule(d(2026, 1, 1), None, money);
        let sum: i64 = schedule.iter().map(|i| i.amount.amount_minor()).sum();
        proptest::prop_assert_eq!(sum, total);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC{0,40}") {
        let _ = PaymentTerms::parse(&text);
    }
}

#[test]
fn terms_print_as_sentences_in_english_spanish_and_italian() {
    use crate::ids::Language;
    let cases = [
        (
            "Net 30",
            "Payment due 30 days after the invoice date",
            "Pago a 30 días fecha factura",
            "Pagamento a 30 gg data fattura",
        ),
        (
            "30 EOM",
            "Payment due at the end of the month that is 30 days after the invoice date",
            "Pago a 30 días fecha factura fin de mes",
            "Pagamento a 30 gg data fattura fine mese",
        ),
        (
            "30/60/90",
            "Payment in 3 equal instalments, due 30, 60 and 90 days after the invoice date",
            "Pago en 3 plazos iguales a 30, 60 y 90 días fecha factura",
            "Pagamento in 3 rate uguali a 30, 60 e 90 gg data fattura",
        ),
        (
            "2/10 Net 30",
            "2 % discount if paid within 10 days of the invoice date; otherwise the full amount is due 30 days after the invoice date",
            "Descuento del 2 % por pronto pago dentro de 10 días fecha factura; si no, pago del importe íntegro a 30 días fecha factura",
            "Sconto del 2 % per pagamento entro 10 gg data fattura; altrimenti pagamento dell'intero importo a 30 gg data fattura",
        ),
        (
            "21 MFI",
            "Payment due on day 21 of the month after the invoice",
            "Pago el día 21 del mes siguiente a la fecha de factura",
            "Pagamento il giorno 21 del mese successivo alla data fattura",
        ),
        (
            "PIA",
            "Payment in advance, before supply",
            "Pago anticipado, antes del suministro",
            "Pagamento anticipato, prima della fornitura",
        ),
    ];
    for (notation, en, es, it) in cases {
        let terms = PaymentTerms::parse(notation).unwrap();
        assert_eq!(terms.sentence(Language::EN), en);
        assert_eq!(terms.sentence(Language::ES), es);
        assert_eq!(terms.sentence(Language::IT), it);
    }
    // every language overdue writes messages in has its own words for the terms
    let net45 = PaymentTerms::parse("Net 45").unwrap();
    assert_eq!(net45.sentence(Language::parse("de").unwrap()), "Zahlbar innerhalb von 45 Tagen ab Rechnungsdatum");
    assert_eq!(net45.sentence(Language::parse("fr").unwrap()), "Paiement à 45 jours date de facture");
    let skonto = PaymentTerms::parse("2/10 Net 30").unwrap();
    assert_eq!(
        skonto.sentence(Language::parse("de").unwrap()),
        "2 % Skonto bei Zahlung innerhalb von 10 Tagen ab Rechnungsdatum, sonst 30 Tage netto"
    );
    assert_eq!(
        PaymentTerms::parse("Net 30").unwrap().sentence(Language::parse("nl").unwrap()),
        "Payment due 30 days after the invoice date",
        "a language without messages of its own falls back to English"
    );
}

#[test]
fn the_usual_sentences_parse_back() {
    use crate::ids::Language;
    for notation in ["Net 30", "Net 60", "30 EOM", "90 EOM"] {
        let terms = PaymentTerms::parse(notation).unwrap();
        for language in [Language::EN, Language::ES, Language::IT] {
            let sentence = terms.sentence(language);
            assert_eq!(PaymentTerms::parse(&sentence).as_ref(), Ok(&terms), "{sentence}");
        }
    }
    for (text, notation) in [
        ("60 gg data fattura fine mese", "60 EOM"),
        ("30 giorni data fattura", "Net 30"),
        ("a 30 días f.f.", "Net 30"),
        ("90 gg fine mese", "90 EOM"),
        ("pago a 60 días", "Net 60"),
    ] {
        assert_eq!(PaymentTerms::parse(text).map(|t| t.to_string()).as_deref(), Ok(notation), "{text}");
    }
}

#[test]
fn an_early_payment_price_is_the_total_less_the_discount_rounded() {
    let terms = PaymentTerms::parse("2/10 Net 30").unwrap();
    let issued = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let total = Money::new(1_234_55, crate::Currency::EUR);
    let (until, price) = terms.early_payment_price(issued, total).unwrap();
    assert_eq!(until, NaiveDate::from_ymd_opt(2026, 11, 12).unwrap());
    assert_eq!(price.amount_minor(), 1_209_86, "2% of 1234.55 is 24.691, rounded to 24.69");
    assert_eq!(PaymentTerms::parse("Net 30").unwrap().early_payment_price(issued, total), None);
}

#[test]
fn end_of_month_instalments_add_the_days_then_go_to_that_months_end() {
    use crate::ids::Language;
    // (terms, issue date, due dates): 31 January, a leap February, a month end, mid-month
    let cases = [
        ("Ri.Ba. 60/90 gg d.f.f.m.", d(2026, 10, 15), vec![d(2026, 12, 31), d(2027, 1, 31)]),
        ("Ri.Ba. 30/60/90 gg d.f.f.m.", d(2026, 1, 31), vec![d(2026, 3, 31), d(2026, 4, 30), d(2026, 5, 31)]),
        ("30/60 EOM", d(2024, 1, 31), vec![d(2024, 3, 31), d(2024, 3, 31)]),
        ("30/60 EOM", d(2024, 1, 30), vec![d(2024, 2, 29), d(2024, 3, 31)]),
        (
            "30, 60 y 90 días fecha factura fin de mes",
            d(2026, 11, 30),
            vec![d(2026, 12, 31), d(2027, 1, 31), d(2027, 2, 28)],
        ),
    ];
    for (text, issued, expected) in cases {
        let total = Money::new(1_220_00, Currency::EUR);
        let schedule = PaymentTerms::parse(text).unwrap().schedule(issued, None, total);
        let due: Vec<NaiveDate> = schedule.iter().map(|i| i.due_date).collect();
        assert_eq!(due, expected, "{text} issued {issued}");
        assert_eq!(schedule.iter().map(|i| i.amount.amount_minor()).sum::<i64>(), 1_220_00);
    }
    let terms = PaymentTerms::parse("Ri.Ba. 60/90 gg d.f.f.m.").unwrap();
    assert_eq!(terms.sentence(Language::IT), "Pagamento in 2 rate uguali a 60 e 90 gg data fattura fine mese");
    assert_eq!(terms.sentence(Language::ES), "Pago en 2 plazos iguales a 60 y 90 días fecha factura fin de mes");
    assert!(terms.sentence(Language::EN).contains("end of the month that is 60 and 90 days after"));
    assert!(terms.is_instalments());
}

#[test]
fn sentences_in_german_english_spanish_italian_and_french_are_understood() {
    let cases = [
        ("14 Tage netto", "Net 14"),
        ("Zahlbar innerhalb 14 Tagen netto", "Net 14"),
        ("zahlbar sofort ohne Abzug", "Net 0"),
        ("30 days net", "Net 30"),
        ("à 30 jours fin de mois", "30 EOM"),
        ("Paiement à 45 jours", "Net 45"),
        ("a 30 días fecha factura", "Net 30"),
        ("pagamento a vista", "Net 0"),
        ("RD 30 gg", "Net 30"),
        ("Ri.Ba. 60 gg d.f.f.m.", "60 EOM"),
        ("60 gg f.m.", "60 EOM"),
        ("RID/SDD 30 gg", "Net 30"),
        ("Rimessa diretta vista fattura", "Net 0"),
        ("Bonifico bancario 30 gg d.f.", "Net 30"),
        ("zahlbar innerhalb 30 Tagen ohne Abzug", "Net 30"),
        ("30 Tage netto, 10 Tage 2% Skonto", "2/10 Net 30"),
        ("Bei Zahlung innerhalb von 14 Tagen 3 % Skonto, 30 Tage netto", "3/14 Net 30"),
        ("2,5% sconto pagamento entro 10 giorni, 60 giorni netto", "2.5/10 Net 60"),
        ("paiement à réception", "Net 0"),
        ("Paiement à réception de facture", "Net 0"),
        ("Transferencia 30 días", "Net 30"),
        ("Pagaré a 90 días", "Net 90"),
        ("Recibo domiciliado a 60 días", "Net 60"),
        ("Virement 45 jours", "Net 45"),
        ("B.B. 30 gg d.f.", "Net 30"),
        ("RB 90 gg fm", "90 EOM"),
        ("R.D. vista fattura", "Net 0"),
        ("Bonifico 30/60 gg df fm", "30/60 EOM"),
        ("RiBa 30 60 90 ggdffm", "30/60/90 EOM"),
        ("Anticipato", "PIA"),
        ("Vorkasse", "PIA"),
        ("Zahlbar innerhalb von 14 Tagen", "Net 14"),
        ("Zahlungsziel 30 Tage", "Net 30"),
        ("netto 30 Tage", "Net 30"),
        ("Payment within 30 days", "Net 30"),
        ("2% 10 days, net 30", "2/10 Net 30"),
        ("30 days from end of month", "EOM+30"),
    ];
    for (text, printed) in cases {
        let terms = PaymentTerms::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(terms.to_string(), printed, "{text}");
    }
}

#[test]
fn xrechnung_skonto_tiers_are_read_shortest_first() {
    let note = "#SKONTO#TAGE=14#PROZENT=3.00#\n#SKONTO#TAGE=7#PROZENT=4.25#BASISBETRAG=100.00#\nnetto 30 Tage";
    let tiers = skonto_tiers(note);
    assert_eq!(
        tiers,
        [SkontoTier { days: 7, discount_basis_points: 425 }, SkontoTier { days: 14, discount_basis_points: 300 }]
    );
    assert!(skonto_tiers("2/10 Net 30").is_empty());
    assert!(skonto_tiers("#SKONTO#TAGE=x#PROZENT=2#").is_empty(), "an unreadable tier is left out");
}
