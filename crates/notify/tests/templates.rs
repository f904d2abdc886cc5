//! The shipped templates load and render in every language; a template that names a missing
//! field is refused when loaded, with the file and line.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::NaiveDate;
use overdue_core::Currency;
use overdue_core::ids::Language;
use overdue_core::letterhead::Letterhead;
use overdue_core::money::Money;
use overdue_notify::{Claim, Draft, InvoiceLine, TemplateError, Templates};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn draft(template: &str, tone: &str, language: Language) -> Draft {
    let mut letterhead = Letterhead::default();
    letterhead.set("iban", "ES9121000418450200051332").unwrap();
    letterhead.set("payment_link", "https://pay.example/{invoice}").unwrap();
    Draft {
        template: template.into(),
        tone: tone.into(),
        language,
        today: day(29),
        sender_name: "Ferretería Ruiz S.L.".into(),
        letterhead,
        customer_code: "C003".into(),
        customer_name: "Tessili Bianchi S.r.l.".into(),
        customer_address: Some("Via Roma 8, Milano".into()),
        addressee: Some("Giulia Bianchi".into()),
        invoices: vec![InvoiceLine {
            number: "F2026-0003".into(),
            issue_date: Some(day(5)),
            due_date: day(10),
            amount: Some(Money::new(3_074_40, Currency::EUR)),
            open: Money::new(1_574_40, Currency::EUR),
            credited: None,
            payment_reference: None,
            instalments_due: Vec::new(),
            hold: None,
        }],
        terms: Some("30 days end of month".into()),
        claim: Some(Claim {
            law: "es".into(),
            to: day(29),
            interest: [Money::new(12_70, Currency::EUR)].into_iter().collect(),
            interest_missing: None,
            compensation: [Money::new(40_00, Currency::EUR)].into_iter().collect(),
            fees: Default::default(),
            lines: vec![(
                day(11),
                day(29),
                19,
                Money::new(1_574_40, Currency::EUR),
                "10.15".into(),
                Money::new(12_70, Currency::EUR),
            )],
        }),
        promise: None,
        deadline: Some(day(30)),
        document: None,
        customer_tax_id: None,
        reminders_sent: 0,
        fee: Default::default(),
        also_overdue: Vec::new(),
        credit: Default::default(),
        customer_page: None,
        statement: None,
        plan: None,
    }
}

#[test]
fn every_shipped_template_renders_with_amounts_dates_and_payment_options() {
    let templates = Templates::shipped().unwrap();
    let message = templates.render(&draft("reminder", "friendly", Language::EN).facts()).unwrap();
    assert_eq!(message.subject, "Friendly reminder: invoice F2026-0003");
    assert!(message.body.starts_with("Dear Giulia Bianchi,"), "{}", message.body);
    assert!(message.body.contains("EUR 1,574.40 outstanding (19 days overdue)"), "{}", message.body);
    assert!(message.body.contains("IBAN ES91 2100 0418 4502 0005 1332"));
    assert!(message.body.contains("https://pay.example/F2026-0003"));
    assert!(message.body.contains("RF"), "the creditor reference to quote");
    let demand = templates.render(&draft("final_demand", "final", Language::IT).facts()).unwrap();
    assert!(demand.body.contains("1.627,10 €"), "principal + interest + 40 €:\n{}", demand.body);
    assert!(demand.body.contains("12,70 €") && demand.body.contains("10,15 %"), "{}", demand.body);
    let spanish = templates.render(&draft("invoice", "friendly", Language::ES).facts()).unwrap();
    assert!(spanish.body.contains("1.574,40 €"), "{}", spanish.body);
}

#[test]
fn a_language_without_the_template_falls_back_to_english_and_an_unknown_template_is_named() {
    let templates = Templates::shipped().unwrap();
    let mut second = draft("reminder", "firm", Language::parse("nl").unwrap());
    second.reminders_sent = 1;
    assert_eq!(templates.language_for(second.language, "reminder"), Language::EN);
    let dutch = templates.render(&second.facts()).unwrap();
    assert!(dutch.subject.starts_with("Second reminder"), "{}", dutch.subject);
    let mut german = second.clone();
    german.language = Language::DE;
    assert_eq!(templates.language_for(Language::DE, "reminder"), Language::DE);
    let german = templates.render(&german.facts()).unwrap();
    assert!(german.subject.starts_with("2. Mahnung"), "{}", german.subject);
    let french = draft("final_demand", "final", Language::FR);
    let french = templates.render(&french.facts()).unwrap();
    assert!(french.subject.contains("Mise en demeure") && french.body.contains("€"), "{}", french.body);
    let missing = templates.render(&draft("poem", "firm", Language::EN).facts()).unwrap_err();
    assert!(matches!(missing, TemplateError::NotFound { .. }), "{missing}");
}

#[test]
fn a_template_naming_a_missing_field_is_refused_when_loaded() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folder.path().join("en")).unwrap();
    std::fs::write(
        folder.path().join("en/reminder.txt"),
        "{% block subject %}Hello{% endblock %}\n{% block body %}\nDear {{ customer.nickname }}\n{% endblock %}\n",
    )
    .unwrap();
    let error = Templates::with_folder(folder.path()).err().unwrap();
    let text = error.to_string();
    assert!(text.contains("en/reminder.txt") && text.contains("line 3") && text.contains("undefined"), "{text}");
    let edited =
        "{% block subject %}Pay {{ invoices[0].number }}{% endblock %}{% block body %}{{ total_open }}{% endblock %}";
    std::fs::write(folder.path().join("en/reminder.txt"), edited).unwrap();
    let templates = Templates::with_folder(folder.path()).unwrap();
    let message = templates.render(&draft("reminder", "firm", Language::EN).facts()).unwrap();
    assert_eq!((message.subject.as_str(), message.body.as_str()), ("Pay F2026-0003", "EUR 1,574.40\n"));
}
