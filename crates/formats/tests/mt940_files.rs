//! MT940 and MT942 statements read as a book-keeper would check them: every MT940 fixture (real
//! files from public projects, ../shared/fixtures/bank/mt940) with its statements, balances and
//! lines asserted as read by hand from the files; statements written here for what the fixtures
//! do not show (year ends, reversals, funds codes, German subfields cut anywhere, Dutch codes,
//! MT942); broken, cut and foreign files get clean errors or rejections naming the statement, the
//! line of the file and the field.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::NaiveDate;
use overdue_core::Currency;
use overdue_core::bank::{Balance, BalanceMismatch, BankLine, Direction, Reversal};
use overdue_core::money::Money;
use overdue_formats::bank::mt940::read;
use overdue_formats::bank::{BankFile, BankReadError, StatementFormat};
use std::path::PathBuf;

const FIXTURES: [&str; 8] = [
    "sandermarechal-jejik-mt940__volksbankenraiffeisenbanken.txt",
    "sandermarechal-jejik-mt940__commerzbank.txt",
    "fruitl00p-php-mt940__Spk-sample",
    "fruitl00p-php-mt940__Asn-sample",
    "fruitl00p-php-mt940__Kbs-sample",
    "fruitl00p-php-mt940__Hsbc-sample",
    "svenstaro-mt940-rs__MT940_DK_Example.sta",
    "a-fas-mt940js__test-with-NS.mt940x",
];

fn fixture(name: &str) -> Vec<u8> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/bank/mt940").join(name);
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn read_fixture(name: &str) -> BankFile {
    read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn lines(file: &BankFile) -> Vec<BankLine> {
    file.lines.iter().map(|line| line.clone().unwrap_or_else(|e| panic!("{e}"))).collect()
}

fn money(text: &str, currency: &str) -> Money {
    Money::parse(text, Currency::from_code(currency).unwrap()).unwrap()
}

fn eur(text: &str) -> Money {
    money(text, "EUR")
}

fn day(text: &str) -> NaiveDate {
    overdue_core::date::parse_iso(text).unwrap()
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

fn balance(date: &str, amount: &str, currency: &str) -> Option<Balance> {
    Some(Balance { date: day(date), amount: money(amount, currency) })
}

/// Each statement as (account, id, opening, closing, number of lines).
type Shape = (String, String, Option<Balance>, Option<Balance>, usize);

fn shapes(file: &BankFile) -> Vec<Shape> {
    let shape = |s: &overdue_formats::bank::StatementBalances| {
        (s.account.clone(), s.id.clone(), s.opening, s.closing, s.lines.len())
    };
    file.statements.iter().map(shape).collect()
}

/// The rejections of a file, as their messages.
fn rejections(file: &BankFile) -> Vec<String> {
    file.lines.iter().filter_map(|line| line.as_ref().err()).map(ToString::to_string).collect()
}

/// A line as the hand-made statements below read: value and booking date the same, nothing the
/// payer wrote.
fn plain(statement: &str, entry: &str, date: &str, amount: Money, direction: Direction) -> BankLine {
    BankLine {
        account: "DE89370400440532013000".into(),
        statement: statement.into(),
        entry: entry.into(),
        booking_date: day(date),
        value_date: Some(day(date)),
        amount,
        direction,
        counterparty_name: None,
        counterparty_iban: None,
        creditor_reference: None,
        remittance: None,
        end_to_end_id: None,
        bank_reference: None,
        reversal: None,
    }
}

/// A statement written here: `:20:` TEST, an account, `:28C:` 1/1, an opening balance of
/// EUR 1000,00 on 2026-11-30, then `body` (lines start on line 5 of the file).
/// One statement around `body` (`:61:`/`:86:` fields); its closing balance (`:62F:`, mandatory)
/// is not the sum of the lines: the balance check is not what these tests are about.
fn statement(body: &str) -> Vec<u8> {
    format!(
        ":20:TEST\r\n:25:DE89370400440532013000\r\n:28C:1/1\r\n:60F:C261130EUR1000,00\r\n{body}:62F:C261130EUR1000,00\r\n-\r\n"
    )
    .into_bytes()
}

#[test]
fn volksbank_reads_eight_daily_statements_with_sepa_subfields_split_anywhere() {
    let file = read_fixture("sandermarechal-jejik-mt940__volksbankenraiffeisenbanken.txt");
    assert_eq!((file.format, file.version.as_str()), (StatementFormat::Mt940, "MT940"));
    let account = "66642399/93387".to_owned();
    // every statement is :20:STARTUMS :28C:0: the ids carry each statement's day
    let expected: Vec<Shape> = [
        ("2020-02-19", "3085.00", "2020-02-19", "3230.00", 2),
        ("2020-02-21", "3230.00", "2020-02-21", "3310.00", 1),
        ("2020-02-24", "3310.00", "2020-02-24", "3430.00", 2),
        ("2020-02-25", "3430.00", "2020-02-25", "3620.00", 3),
        ("2020-02-26", "3620.00", "2020-02-26", "3685.00", 1),
        ("2020-02-28", "3685.00", "2020-02-28", "3735.00", 1),
        ("2020-03-02", "3735.00", "2020-03-02", "3775.00", 1),
        ("2020-03-10", "3775.00", "2020-03-10", "3830.00", 1),
    ]
    .iter()
    .map(|(from, opening, to, closing, count)| {
        // Volksbank writes :20:STARTUMS :28C:0 every day: the closing day tells them apart
        let id = format!("STARTUMS/0@{to}");
        (account.clone(), id, balance(from, opening, "EUR"), balance(to, closing, "EUR"), *count)
    })
    .collect();
    assert_eq!(shapes(&file), expected);
    assert!(file.balance_mismatches().is_empty());
    assert!(file.unchecked().is_empty());

    let lines = lines(&file);
    assert_eq!(lines.len(), 12);
    assert!(lines.iter().all(|l| l.direction == Direction::Credit && l.reversal.is_none()));
    assert_eq!(
        lines[0],
        BankLine {
            account: account.clone(),
            statement: "STARTUMS/0@2020-02-19".into(),
            entry: "#1".into(),
            booking_date: day("2020-02-19"),
            value_date: Some(day("2020-02-19")),
            amount: eur("65.00"),
            direction: Direction::Credit,
            counterparty_name: some("Olivia Dorn"),
            counterparty_iban: some("DE40500105174675974588"),
            creditor_reference: None,
            remittance: some("einfach so fuer euch IBAN: DE40500105174675974588 BIC: HEISDE66"),
            end_to_end_id: None,
            bank_reference: None,
            reversal: None,
        }
    );
    // ?20 "…fuer F" ?21 "RIDA inklusi" ?22 "ve 1 CD IBAN: DE10500105174" (line break) ?23 "381957749…"
    assert_eq!(
        lines[1].remittance.as_deref(),
        Some("Beitrag Musical fuer FRIDA inklusive 1 CD IBAN: DE10500105174381957749 BIC: KRHADE21")
    );
    assert_eq!(lines[1].counterparty_name.as_deref(), Some("friedbert und ronja engel"));
    // the bank wrote ?20 "SVWZ+Musical Emilio CD" ?21 "IBAN: DE835": the pieces join as they are
    assert_eq!(lines[2].remittance.as_deref(), Some("Musical Emilio CDIBAN: DE83500105179219844142 BIC: SBCRDE66"));
    assert_eq!((lines[2].statement.as_str(), lines[2].entry.as_str()), ("STARTUMS/0@2020-02-21", "#1"));
    // EREF+ in ?20 runs on into ?21 ("02 "), then SVWZ+ in ?22
    assert_eq!(lines[3].end_to_end_id.as_deref(), Some("ZV0100284190949300000002"));
    assert_eq!(
        lines[3].remittance.as_deref(),
        Some("Musical Sonja Schulz CD EREF: ZV0100284190949300000002 IBAN: DE88500105178285756556 BIC: SAKSDE55")
    );
    assert_eq!(lines[3].counterparty_name.as_deref(), Some("Thomas Schulz"));
    assert_eq!((lines[4].amount, lines[4].entry.as_str()), (eur("65.00"), "#2"));
    // ?32 fills its 27 characters and runs on into ?33
    assert_eq!(lines[5].counterparty_name.as_deref(), Some("Hellwig, Annegret, Hellwig, Dieter"));
    assert_eq!(lines[5].counterparty_iban.as_deref(), Some("DE42500105171213694382"));
    assert_eq!(lines[7].end_to_end_id.as_deref(), Some("ZV0100284284592300000002"));
    assert_eq!(lines[7].counterparty_name.as_deref(), Some("Helmut und Ulrike Vogthaupt"));
    // GVC 152 (standing order): PURP+RINP before SVWZ+
    assert_eq!(lines[9].remittance.as_deref(), Some("Spende IBAN: DE31500105174278239442 BIC: NORSDE51"));
    assert_eq!((lines[9].amount, lines[9].booking_date), (eur("50.00"), day("2020-02-28")));
    assert_eq!(lines[11].counterparty_name.as_deref(), Some("Kannen, Manfred und Kristin"));
    assert_eq!(lines[11].value_date, Some(day("2020-03-10")));
}

#[test]
fn commerzbank_reads_a_returned_direct_debit_with_its_charges() {
    let file = read_fixture("sandermarechal-jejik-mt940__commerzbank.txt");
    let account = "25040066/0123456789".to_owned();
    let id = "01LGX08DLMWH5GWA/00143/1@2020-06-08".to_owned();
    let zero = |date| balance(date, "0.00", "EUR");
    assert_eq!(shapes(&file), vec![(account.clone(), id.clone(), zero("2020-06-05"), zero("2020-06-08"), 1)]);
    let lines = lines(&file);
    assert_eq!(
        lines,
        vec![BankLine {
            account,
            statement: id,
            entry: "2016021783252833".into(),
            booking_date: day("2020-06-08"),
            value_date: Some(day("2020-06-08")),
            amount: eur("12.35"),
            direction: Direction::Debit,
            counterparty_name: some("TESTER EL"),
            counterparty_iban: some("DE50712345600200691329"),
            creditor_reference: None,
            // ?24 ends at SVWZ+; the 64-character line 10 lost ?27's trailing space: a break kept
            remittance: some(
                "SONSTIGE GRUENDE ENDABRECHNUNG NR. 500106875 ZU VERTRA40 0143254, KUNDENNUM MER 202227779"
            ),
            // EREF+ in ?20 across a line break, on into ?21 up to KREF+
            end_to_end_id: some("A1.200080779.400143254.4961336"),
            bank_reference: some("2016021783252833"),
            // GVC 109 (SEPA direct debit returned), /CHGS/EUR0,50/ on the :61:'s second line
            reversal: Some(Reversal { reason_code: None, reason_text: None, charges: Some(eur("0.50")) }),
        }]
    );
    assert!(lines[0].reverses_a_credit());
    // the file's balances do not add up: 0,00 − 12,35 is not the closing 0,00
    let mismatches = file.balance_mismatches();
    assert_eq!(mismatches.len(), 1);
    assert_eq!(
        mismatches[0].1,
        BalanceMismatch {
            opening: eur("0.00"),
            credits: eur("0.00"),
            debits: eur("12.35"),
            closing: eur("0.00"),
            difference: eur("12.35"),
        }
    );
}

#[test]
fn sparkasse_reads_four_statements_one_continued_over_two_pages() {
    let file = read_fixture("fruitl00p-php-mt940__Spk-sample");
    let account = "20090500/0006853030";
    let shape = |id: &str, from, opening, to, closing, count| {
        (account.to_owned(), id.to_owned(), balance(from, opening, "EUR"), balance(to, closing, "EUR"), count)
    };
    assert_eq!(
        shapes(&file),
        vec![
            shape("STARTUMS/09198/001@2010-02-17", "2010-02-17", "1818.90", "2010-02-17", "2330.90", 4),
            shape("STARTUMS/09198/002@2010-02-17", "2010-02-17", "2330.90", "2010-02-17", "2624.22", 4),
            shape("STARTUMS/09199/001@2010-02-18", "2010-02-13", "2624.22", "2010-02-18", "2724.22", 1),
            shape("STARTUMS/09199/002@2010-02-18", "2010-02-18", "2724.22", "2010-02-18", "2734.22", 1),
        ]
    );
    assert!(file.balance_mismatches().is_empty());
    let lines = lines(&file);
    assert_eq!(lines.len(), 10);
    assert_eq!(
        lines[0],
        BankLine {
            account: account.into(),
            statement: "STARTUMS/09198/001@2010-02-17".into(),
            entry: "00001238972230329".into(),
            booking_date: day("2010-02-04"),
            value_date: Some(day("2010-02-17")),
            amount: eur("80.00"), // `C80,`
            direction: Direction::Credit,
            // the file's UTF-8 bytes spell "Ü" as "š": kept as written
            counterparty_name: some("MšLLER, GRETEL SOMECITY"),
            counterparty_iban: some("0012345678"),
            creditor_reference: None,
            // GVC 051 (before SEPA): each subfield is a line of its own
            remittance: some("SOME DESCRIPTION MORE DESC"),
            end_to_end_id: None,
            bank_reference: None,
            reversal: None,
        }
    );
    assert_eq!(
        lines[1].remittance.as_deref(),
        Some("PARTNERKEY 0123 SPENDE, BITTE AM JAHRESENDE EINE SPENDENBESHEINIGUNG")
    );
    assert_eq!((lines[2].entry.as_str(), lines[2].amount), ("#3", eur("82.00")), "NONREF: its position");
    assert_eq!(lines[2].counterparty_name.as_deref(), Some("HANS UND ERNA SCHNEIDER"));
    // ?32 holds 17 characters: nothing says "ANET" runs on into ?33's "TE"
    assert_eq!(lines[4].counterparty_name.as_deref(), Some("AUGUST MEYER ANET TE MEYER"));
    assert_eq!((lines[5].amount, lines[5].direction), (eur("16.68"), Direction::Debit));
    assert_eq!(lines[5].counterparty_name.as_deref(), Some("DEUTSCHE TELEKOM AG"));
    assert_eq!(
        lines[5].remittance.as_deref(),
        Some("ZAHLBELEG 231231923123 RECH.NR. 1239812312 052331 VERTRAGSKONTO 1231239712")
    );
    assert_eq!(lines[7].remittance.as_deref(), Some("G362- SOME ADDRESS 98"));
    assert_eq!(
        (lines[8].statement.as_str(), lines[8].booking_date),
        ("STARTUMS/09199/001@2010-02-18", day("2010-02-18"))
    );
}

#[test]
fn asn_reads_seven_wrapped_messages_and_dutch_codes_padded_to_65_columns() {
    let file = read_fixture("fruitl00p-php-mt940__Asn-sample");
    assert_eq!(file.format, StatementFormat::Mt940);
    let account = "NL53ASNB0781269733";
    let mut expected = vec![(
        account.to_owned(),
        "0000000000/2/1@2020-01-02".to_owned(),
        balance("2020-01-02", "13290.34", "EUR"),
        balance("2020-01-02", "11290.34", "EUR"),
        1,
    )];
    for n in 3..=7 {
        let same = balance(&format!("2020-01-0{n}"), "11290.34", "EUR");
        expected.push((account.to_owned(), format!("0000000000/{n}/1@2020-01-0{n}"), same, same, 0));
    }
    let last = (balance("2020-01-08", "11290.34", "EUR"), balance("2020-01-08", "11208.56", "EUR"));
    expected.push((account.to_owned(), "0000000000/8/1@2020-01-08".to_owned(), last.0, last.1, 2));
    assert_eq!(shapes(&file), expected);
    assert!(file.balance_mismatches().is_empty());

    let lines = lines(&file);
    assert_eq!(lines.len(), 3);
    assert_eq!(
        (lines[0].entry.as_str(), lines[0].amount, lines[0].direction, lines[0].booking_date),
        ("NL29INGB0006475121", eur("2000.00"), Direction::Debit, day("2020-01-02"))
    );
    assert_eq!(lines[0].remittance.as_deref(), Some("NL29INGB0006475121 j blom Salaris december 2019"));
    assert_eq!(lines[0].counterparty_name, None);
    assert_eq!(
        lines[1],
        BankLine {
            account: account.into(),
            statement: "0000000000/8/1@2020-01-08".into(),
            entry: "NL44ABNA0548041814".into(),
            booking_date: day("2020-01-08"),
            value_date: Some(day("2020-01-08")),
            amount: eur("61.80"),
            direction: Direction::Debit,
            // /NAME/MU + LTI TANK…: a 65-column line runs on
            counterparty_name: some("MULTI TANK CARD BV"),
            counterparty_iban: some("NL44ABNA0548041814"),
            creditor_reference: None,
            remittance: some(
                "Relatienummer 1755481/Factuurnr.7903792-07-01-2020/B.t.w. bedrag 10.73/Inzake geleverde diensten"
            ),
            end_to_end_id: some("1755481/5570"),
            bank_reference: None,
            reversal: None,
        }
    );
    assert_eq!(
        lines[2].remittance.as_deref(),
        Some(
            "DE88500700100175526303 paypal (europe) s.a.r.l. et Europese incasso: 1007661686629 PAYPAL-Incassant \
             ID: LU96ZZZ0000000000000000058-Kenmerk Machtiging: 5AL2224WXTEZC-1007661686629 PP AFSCHRIJVING"
        )
    );
    assert_eq!(lines[2].amount, eur("19.98"));
}

#[test]
fn komercijalna_banka_reads_funds_codes_whole_denars_and_party_lines() {
    let file = read_fixture("fruitl00p-php-mt940__Kbs-sample");
    let account = "300000002778989".to_owned();
    let id = "STM123201201/123/1@2020-12-01".to_owned();
    let opening = balance("2020-12-01", "35122", "MKD");
    let closing = balance("2020-12-01", "36992", "MKD");
    assert_eq!(shapes(&file), vec![(account.clone(), id.clone(), opening, closing, 3)]);
    assert!(file.balance_mismatches().is_empty());
    let lines = lines(&file);
    let mkd = |text| money(text, "MKD");
    // `DD80,`: debit, funds code D; `CD2250,`: credit, funds code D
    assert_eq!(
        lines.iter().map(|l| (l.amount, l.direction, l.entry.as_str())).collect::<Vec<_>>(),
        vec![
            (mkd("80"), Direction::Debit, "25594900"),
            (mkd("300"), Direction::Debit, "25488504"),
            (mkd("2250"), Direction::Credit, "25577226"),
        ]
    );
    assert!(lines.iter().all(|l| l.booking_date == day("2020-12-01") && l.value_date == Some(day("2020-12-01"))));
    // a debit's /BENM/ (account, then name and text as lines)
    assert_eq!(
        lines[0].counterparty_name.as_deref(),
        Some("KOMERCIJALNA BANKA AD SKOPJE-CENTRALA SKul. Orce Nikolov br.3")
    );
    assert_eq!(lines[0].counterparty_iban.as_deref(), Some("300000000000133"));
    assert_eq!(
        lines[0].remittance.as_deref(),
        Some("Mesecna provizija//160309522-70100246004 Mesecen nadomest za odrzuvane nadevizna smetka za 11.2020")
    );
    assert_eq!(lines[1].remittance.as_deref(), Some("EMPTY Mesecna provizija za mesec 11/2020"));
    // a credit's /ORDP/
    assert_eq!(
        lines[2],
        BankLine {
            account,
            statement: id,
            entry: "25577226".into(),
            booking_date: day("2020-12-01"),
            value_date: Some(day("2020-12-01")),
            amount: mkd("2250"),
            direction: Direction::Credit,
            counterparty_name: some("IVOTEHNA DOOEL SKOPJE"),
            counterparty_iban: some("300000000460495"),
            creditor_reference: None,
            remittance: some("747//747 Uplata po faktura 747"),
            end_to_end_id: None,
            bank_reference: some("25577226"),
            reversal: None,
        }
    );
}

#[test]
fn hsbc_reads_a_debit_whose_statement_does_not_add_up() {
    let file = read_fixture("fruitl00p-php-mt940__Hsbc-sample");
    let zero = balance("2012-03-29", "0", "HKD");
    let (account, id) = ("808XXXXXX292".to_owned(), "AIU0006362100017/00001/00001@2012-03-29".to_owned());
    assert_eq!(shapes(&file), vec![(account.clone(), id.clone(), zero, zero, 1)]);
    assert_eq!(
        lines(&file),
        vec![BankLine {
            account,
            statement: id,
            // `DD`: debit and funds code; the reference "1004688128      " before `//`
            entry: "6128522200250001".into(),
            booking_date: day("2012-03-29"),
            value_date: Some(day("2012-03-29")),
            amount: money("20000", "HKD"),
            direction: Direction::Debit,
            counterparty_name: None,
            counterparty_iban: None,
            creditor_reference: None,
            // free text; the statement's own :86: after :64: is not the line's
            remittance: some(
                "/OCMT/USD2853,12/ PAYMENT OF INVOICES 204011665 20401 1687 /OGB/WXXXXX BANKING CORPORATION \
                 /VA/123456XXXXXX BENEFICIARY INFO"
            ),
            end_to_end_id: None,
            bank_reference: some("6128522200250001"),
            reversal: None,
        }]
    );
    let hkd = |text| money(text, "HKD");
    let mismatches = file.balance_mismatches();
    assert_eq!(mismatches.len(), 1);
    assert_eq!(
        mismatches[0].1,
        BalanceMismatch {
            opening: hkd("0"),
            credits: hkd("0"),
            debits: hkd("20000"),
            closing: hkd("0"),
            difference: hkd("20000"),
        }
    );
}

#[test]
fn danske_bank_reads_fifteen_statements_after_a_preamble() {
    let file = read_fixture("svenstaro-mt940-rs__MT940_DK_Example.sta");
    let account = "DABADKKK/1234567890";
    let table = [
        ("00001/001", "2009-09-24", "2478926.70", "2009-09-30", "1654095.16", 7),
        ("00002/001", "2009-09-30", "1654095.16", "2009-10-01", "1579323.50", 3),
        ("00003/001", "2009-10-01", "1579323.50", "2009-10-02", "1415915.38", 16),
        ("00004/001", "2009-10-02", "1415915.38", "2009-10-05", "1341596.48", 9),
        ("00005/001", "2009-10-05", "1341596.48", "2009-10-06", "850453.81", 2),
        ("00006/001", "2009-10-06", "850453.81", "2009-10-07", "847136.71", 1),
        ("00007/001", "2009-10-07", "847136.71", "2009-10-09", "706052.73", 16),
        ("00008/001", "2009-10-09", "706052.73", "2009-10-12", "705077.48", 2),
        ("00009/001", "2009-10-12", "705077.48", "2009-10-13", "703158.75", 3),
        ("00010/001", "2009-10-13", "703158.75", "2009-10-14", "626707.39", 7),
        ("00011/001", "2009-10-14", "626707.39", "2009-10-15", "612129.81", 3),
        // :62M: then :60M: — one statement over two pages
        ("00012/001", "2009-10-15", "612129.81", "2009-10-16", "2040421.62", 14),
        ("00012/002", "2009-10-16", "2040421.62", "2009-10-16", "4112647.73", 1),
        ("00013/001", "2009-10-16", "4112647.73", "2009-10-19", "3859701.48", 3),
        ("00014/001", "2009-10-19", "3859701.48", "2009-10-20", "3851379.47", 2),
    ];
    let expected: Vec<Shape> = table
        .iter()
        .map(|(number, from, opening, to, closing, count)| {
            let id = format!("3996-1234567890/{number}@{to}");
            (account.to_owned(), id, balance(from, opening, "DKK"), balance(to, closing, "DKK"), *count)
        })
        .collect();
    assert_eq!(shapes(&file), expected);
    assert!(file.balance_mismatches().is_empty());
    assert!(file.unchecked().is_empty());

    let lines = lines(&file);
    assert_eq!(lines.len(), 89);
    let dkk = |text| money(text, "DKK");
    // `DK829419,78`: debit, funds code K; the statement's four :86: before it are not its own
    assert_eq!(
        lines[0],
        BankLine {
            account: account.into(),
            statement: "3996-1234567890/00001/001@2009-09-30".into(),
            entry: "Dansken".into(),
            booking_date: day("2009-09-29"),
            value_date: Some(day("2009-09-29")),
            amount: dkk("829419.78"),
            direction: Direction::Debit,
            counterparty_name: None,
            counterparty_iban: None,
            creditor_reference: None,
            remittance: None,
            end_to_end_id: None,
            bank_reference: None,
            reversal: None,
        }
    );
    // value date 091001, entry date 0930
    assert_eq!((lines[1].value_date, lines[1].booking_date), (Some(day("2009-10-01")), day("2009-09-30")));
    assert_eq!((lines[1].entry.as_str(), lines[1].remittance.as_deref()), ("nota", Some("Gebyrer ifolge nota")));
    assert_eq!(lines[4].entry, "DBT.DB  70201234", "a reference is kept as written");
    assert_eq!((lines[5].amount, lines[5].direction), (dkk("2000.00"), Direction::Credit));
    assert_eq!(
        lines[5].remittance.as_deref(),
        Some("DB faktura 1234567 Testkunde HOLMENS KANAL 2-12 1192 KOBENHAVN H")
    );
    assert_eq!((lines[6].entry.as_str(), lines[6].amount), ("Rente", dkk("5183.49")));
    // statement 3: bank reference "test" twice, customer reference "DBT.Testkunde" many times
    assert_eq!((lines[11].entry.as_str(), lines[11].bank_reference.as_deref()), ("test#2", Some("test")));
    assert_eq!(lines[25].entry, "test#16");
    assert_eq!(lines[15].entry, "DBT.Testkunde#6");
    assert_eq!((lines[13].entry.as_str(), lines[13].remittance.as_deref()), ("-", Some("DBT.banktesten---")));
    // a 65-column line runs on into the next (an account cut in two), a shorter one does not
    assert_eq!(
        lines[72].remittance.as_deref(),
        Some(
            "DBTS 5078078137/Bnf. DBC Testkunde BOX 1234/Bnf.acc. SE511200XXXX013390111069/Our fee DKK 20,00/Foreign \
             fee DKK 100,00/Exch. Rate 71,8400000"
        )
    );
    assert_eq!(lines[72].amount, dkk("13581.02"));
    assert_eq!(
        (lines[83].statement.as_str(), lines[83].amount),
        ("3996-1234567890/00012/002@2009-10-16", dkk("2072226.11"))
    );
    assert_eq!(
        lines[88].remittance.as_deref(),
        Some(
            "DBTS 1111272333/Bnf. PET VAN PARK AMSTERDAM/Bnf.acc. NL47ABNAXXXX558756/Our fee DKK 40,00/Foreign fee DKK \
         200,00"
        )
    );
}

#[test]
fn polish_statement_reads_subfields_blank_lines_and_a_non_standard_field() {
    let file = read_fixture("a-fas-mt940js__test-with-NS.mt940x");
    let account = "B4E08MS9D00A0009";
    let shape = |id: &str, from, opening, to, closing, count| {
        (account.to_owned(), id.to_owned(), balance(from, opening, "PLN"), balance(to, closing, "PLN"), count)
    };
    assert_eq!(
        shapes(&file),
        vec![
            shape("17013109020/17001/1@2017-01-24", "2017-01-01", "3503.60", "2017-01-24", "2996.53", 3),
            shape("17013109020/17001/2@2017-01-31", "2017-01-24", "2996.53", "2017-01-31", "2971.53", 1),
        ]
    );
    assert!(file.balance_mismatches().is_empty());
    let lines = lines(&file);
    let pln = |text| money(text, "PLN");
    assert_eq!(
        lines[0],
        BankLine {
            account: account.into(),
            statement: "17013109020/17001/1@2017-01-24".into(),
            entry: "#1".into(),              // NONREF
            booking_date: day("2017-01-03"), // no entry date: the value date
            value_date: Some(day("2017-01-03")),
            amount: pln("369.00"),
            direction: Direction::Debit,
            counterparty_name: some("BOOKING GROUP"),
            // >31 cut by a line break
            counterparty_iban: some("4910501953100000477656534"),
            creditor_reference: None,
            remittance: some("Usługi księgowe - m-c grudzien 2016 rok."),
            end_to_end_id: None,
            bank_reference: None,
            reversal: None,
        }
    );
    assert_eq!(
        lines[1].remittance.as_deref(),
        Some("VB ELECTR. PŁATNOŚĆ KARTĄ 3.32 EUR 1 EUR= 4.5385 PLN GOOGLE *SVCSAPPS@google.com")
    );
    assert_eq!((lines[1].counterparty_name.as_ref(), lines[1].counterparty_iban.as_ref()), (None, None));
    assert_eq!(lines[2].counterparty_name.as_deref(), Some("OFFICE GROUP UL. SPOKOJNA 3"));
    assert_eq!(lines[2].counterparty_iban.as_deref(), Some("5910902053000000016768736"));
    assert_eq!((lines[2].amount, lines[2].booking_date), (pln("123.00"), day("2017-01-10")));
    // the :86: after the :NS: is still the line's
    assert_eq!(
        (lines[3].statement.as_str(), lines[3].entry.as_str(), lines[3].amount),
        ("17013109020/17001/2@2017-01-31", "#1", pln("25.00"))
    );
    assert_eq!(lines[3].remittance.as_deref(), Some("Opłata za prowadzenie rachunku od 1-01-2017 do 31-01-2017"));
}

#[test]
fn an_entry_date_across_the_year_end_is_in_the_nearer_year() {
    let file = read(&statement(
        ":61:2612310102C1,00NTRFA\r\n:61:2701021231C2,00NTRFB\r\n:61:261215C3,00NTRFC\r\n:61:2611301130C4,00NTRFD\r\n",
    ))
    .unwrap();
    let dates: Vec<_> = lines(&file).iter().map(|l| (l.value_date.unwrap(), l.booking_date)).collect();
    assert_eq!(
        dates,
        vec![
            (day("2026-12-31"), day("2027-01-02")),
            (day("2027-01-02"), day("2026-12-31")),
            (day("2026-12-15"), day("2026-12-15")),
            (day("2026-11-30"), day("2026-11-30")),
        ]
    );
}

#[test]
fn reversal_marks_and_funds_codes_are_told_apart() {
    let body = ":61:261130C1,00NTRFCREDIT\r\n:61:261130D2,00NTRFDEBIT\r\n:61:261130RC3,00NTRFRC\r\n\
                :61:261130RD4,00NTRFRD\r\n:61:261130CD5,00NTRFCD\r\n:61:261130DD6,00NTRFDD\r\n\
                :61:261130RCK7,00NTRFRCK\r\n:61:261130DR8,00NTRFDR\r\n";
    let file = read(&statement(body)).unwrap();
    let read: Vec<_> =
        lines(&file).iter().map(|l| (l.entry.clone(), l.amount, l.direction, l.reversal.is_some())).collect();
    let line = |entry: &str, amount, direction, reversal| (entry.to_owned(), eur(amount), direction, reversal);
    assert_eq!(
        read,
        vec![
            line("CREDIT", "1.00", Direction::Credit, false),
            line("DEBIT", "2.00", Direction::Debit, false),
            line("RC", "3.00", Direction::Debit, true),  // a credit taken back
            line("RD", "4.00", Direction::Credit, true), // a debit given back
            line("CD", "5.00", Direction::Credit, false), // C, funds code D
            line("DD", "6.00", Direction::Debit, false),
            line("RCK", "7.00", Direction::Debit, true), // RC, funds code K
            line("DR", "8.00", Direction::Debit, false), // D, funds code R
        ]
    );
    assert_eq!(lines(&file)[2].reversal, Some(Reversal::default()));
}

#[test]
fn german_subfields_cut_across_lines_and_subfields_join_without_spaces() {
    // the :86: of a SEPA credit transfer cut at 65 columns, the way banks write it: `?` | `22`,
    // SV | WZ+, an IBAN and the creditor reference cut across lines and subfields
    let body = ":61:2611301130C150,00NTRFNONREF//B6113000042\r\n\
                :86:166?00SEPA-GUTSCHRIFT?109310?20EREF+RE2026-0042-KD10077-AB?21CDE?\r\n\
                22FGH SVWZ+Rechnung RE2026-0?23042 vom 01.12.2026 RF18 53?2490 07\r\n\
                54 7034 IBAN DE89370?25400440532013000?30COBADEFFXXX?31DE89370400\r\n\
                440532013000?32Maschinenbau Huber GmbH & C?33o. KG\r\n";
    let file = read(&statement(body)).unwrap();
    assert_eq!(
        lines(&file),
        vec![BankLine {
            counterparty_name: some("Maschinenbau Huber GmbH & Co. KG"),
            counterparty_iban: some("DE89370400440532013000"),
            creditor_reference: some("RF18539007547034"),
            remittance: some("Rechnung RE2026-0042 vom 01.12.2026 RF18 5390 0754 7034 IBAN DE89370400440532013000"),
            end_to_end_id: some("RE2026-0042-KD10077-ABCDEFGH"),
            bank_reference: some("B6113000042"),
            ..plain("TEST/1/1@2026-11-30", "B6113000042", "2026-11-30", eur("150.00"), Direction::Credit)
        }]
    );
}

#[test]
fn german_returns_carry_their_reason() {
    let body = ":61:261130D25,50NRTINONREF\r\n/OCMT/EUR25,00//CHGS/EUR0,50/\r\n\
                :86:109?00RUECKLASTSCHRIFT?20EREF+INV-7?21SVWZ+RETOURE MD06 KEINE FREIGAB?22E?34MD06\r\n\
                :61:261130D10,00NMSCNONREF\r\n:86:109?00RUECKLASTSCHRIFT?20SVWZ+Konto erloschen?34901\r\n\
                :61:261130C40,00NMSCNONREF\r\n:86:159?00RUECKUEBERWEISUNG?20SVWZ+AC04 Konto aufgeloest\r\n\
                :61:261130D5,00NMSCNONREF\r\n:86:181?00RUECKBELASTUNG?20SVWZ+ohne Grund\r\n\
                :61:261130C7,00NMSCNONREF\r\n:86:166?00GUTSCHRIFT?20SVWZ+AC04 ist hier kein Grund\r\n";
    let lines = lines(&read(&statement(body)).unwrap());
    let reversals: Vec<_> = lines.iter().map(|l| l.reversal.clone()).collect();
    let reason = |code: &str| Some(Reversal { reason_code: some(code), ..Reversal::default() });
    assert_eq!(
        reversals,
        vec![
            Some(Reversal { reason_code: some("MD06"), reason_text: None, charges: Some(eur("0.50")) }),
            reason("901"),  // ?34 kept as written
            reason("AC04"), // from the remittance of a return
            Some(Reversal::default()),
            None,
        ]
    );
    assert_eq!(lines[0].end_to_end_id.as_deref(), Some("INV-7"));
    assert_eq!(lines[0].remittance.as_deref(), Some("RETOURE MD06 KEINE FREIGABE"));
    assert_eq!(lines[2].direction, Direction::Credit, "a returned transfer comes back in");
}

#[test]
fn dutch_codes_name_the_ordering_party_of_a_credit_and_the_beneficiary_of_a_debit() {
    let body = ":61:261130C250,00NTRFEREF//00000000001005\r\n\
                :86:/EREF/INV-2026-0007//ORDP//NAME/Bakkerij de Vries BV/ADDR/Dorpsstraat 1/IBAN/NL91ABNA0417164300/\
                REMI/Factuur 2026-0007/ISDT/2026-11-30\r\n\
                :61:261130D80,00NDDTEREF//00000000001006\r\n\
                :86:/EREF/NOTPROVIDED/BENM//NAME/Energie BV/IBAN/NL02ABNA0123456789/\
                REMI/USTD//Klantnr 42 termijn 11/\r\n\
                :61:261130C99,00NTRFNONREF\r\n\
                :86:/TRTP/SEPA OVERBOEKING/IBAN/NL39RABO0300065264/BIC/RABONL2U/NAME/ACME NV/REMI/STRD/CUR/\
                RF18 5390 0754 7034/EREF/NOTPROVIDED\r\n\
                :61:261130D250,00NRTIEREF//00000000001007\r\n\
                :86:/RTRN/MS03/EREF/INV-2026-0007/ORDP//NAME/Bakkerij de Vries BV/REMI/Factuur 2026-0007\r\n";
    let lines = lines(&read(&statement(body)).unwrap());
    let party = |l: &BankLine| (l.counterparty_name.clone(), l.counterparty_iban.clone());
    assert_eq!(party(&lines[0]), (some("Bakkerij de Vries BV"), some("NL91ABNA0417164300")));
    assert_eq!(lines[0].remittance.as_deref(), Some("Factuur 2026-0007"));
    assert_eq!(lines[0].end_to_end_id.as_deref(), Some("INV-2026-0007"));
    assert_eq!(lines[0].entry, "00000000001005");
    assert_eq!(party(&lines[1]), (some("Energie BV"), some("NL02ABNA0123456789")));
    assert_eq!(
        (lines[1].remittance.as_deref(), lines[1].end_to_end_id.as_ref()),
        (Some("Klantnr 42 termijn 11"), None)
    );
    assert_eq!(party(&lines[2]), (some("ACME NV"), some("NL39RABO0300065264")));
    assert_eq!(lines[2].remittance.as_deref(), Some("RF18 5390 0754 7034"));
    assert_eq!(lines[2].creditor_reference.as_deref(), Some("RF18539007547034"));
    // a returned payment: the party of the credit it returns, and the reason
    assert_eq!(party(&lines[3]), (some("Bakkerij de Vries BV"), None));
    assert_eq!(lines[3].reversal, Some(Reversal { reason_code: some("MS03"), ..Reversal::default() }));
    assert!(lines[3].reverses_a_credit());
}

#[test]
fn a_bad_line_is_rejected_with_its_place_while_the_others_read() {
    let body = ":61:2611301130C10,00NTRFFIRST\r\n:61:2611301130C12,345NTRFSECOND\r\n:61:2611301130C3,50NTRFTHIRD\r\n\
                :62F:C261130EUR1013,50\r\n";
    let file = read(&statement(body)).unwrap();
    assert_eq!(file.lines.len(), 3);
    let error = file.lines[1].as_ref().unwrap_err();
    assert_eq!(error.path, "statement 1 (:20: TEST), line 6, :61:");
    assert_eq!(error.reason, "the amount \"12,345\" has more decimals than EUR has (2): it is not an amount in EUR");
    assert_eq!(file.lines[0].as_ref().unwrap().amount, eur("10.00"));
    assert_eq!(file.lines[2].as_ref().unwrap().amount, eur("3.50"));
    assert!(file.balance_mismatches().is_empty());
    assert_eq!(file.unchecked()[0].1, "some of its entries were rejected");

    let reason = |line: &str| {
        let file = read(&statement(&format!("{line}\r\n"))).unwrap();
        rejections(&file).join("\n")
    };
    let at = "statement 1 (:20: TEST), line 5, :61:";
    assert_eq!(
        reason(":61:261130C0,00NTRFZERO"),
        format!("{at}: the amount \"0,00\" is zero: a statement line must move money")
    );
    assert_eq!(
        reason(":61:261130C12.50NTRFDOT"),
        format!(
            "{at}: the amount \"12\" is written with a decimal point: SWIFT amounts have a decimal comma, such as \
             1234,56"
        )
    );
    assert_eq!(
        reason(":61:261130CNTRF"),
        format!("{at}: the amount \"\" is not an amount (digits with a decimal comma, such as 1234,56 or 80,)")
    );
    assert_eq!(reason(":61:261331C1,00NTRFX"), format!("{at}: the value date 261331 is not a date (YYMMDD)"));
    assert_eq!(reason(":61:2611301332C1,00NTRFX"), format!("{at}: the entry date 1332 is not a date (MMDD)"));
    assert_eq!(
        reason(":61:261130X1,00NTRFX"),
        format!("{at}: \"X1\" after the dates is not a debit/credit mark (C, D, RC or RD)")
    );
    assert_eq!(
        reason(":61:261130C1,00TRF"),
        format!(
            "{at}: \"TRF\" after the amount is not a transaction type (N, S or F and three characters, such as NTRF)"
        )
    );
    assert_eq!(reason(":61:ABC"), format!("{at}: \"ABC\" does not start with a value date (YYMMDD)"));
    assert_eq!(
        reason(":61:261130C1,00NTRFX\r\n:86:Rechnung\u{7} 42"),
        format!(
            "{at}: the remittance text (:86:) contains a control character (U+0007) at character 9: text cannot hold it"
        )
    );
}

#[test]
fn a_statement_without_currency_or_account_refuses_its_lines() {
    let unknown = String::from_utf8(statement(":61:261130C1,00NTRFX\r\n")).unwrap().replacen("EUR1000", "XYZ1000", 1);
    let file = read(unknown.as_bytes()).unwrap();
    assert_eq!(
        rejections(&file),
        vec![
            "statement 1 (:20: TEST), line 5, :61:: has no currency: the currency of :60F: on line 4 cannot be read: \
             unknown currency \"XYZ\": expected an ISO 4217 code such as EUR, GBP or USD"
        ]
    );
    assert_eq!(file.statements[0].opening, None, "a balance that cannot be read is not stated");

    let no_account = b":20:A\n:28C:1\n:60F:C261130EUR0,\n:61:261130C1,NTRFX\n:61:261130C2,NTRFY\n-\n\
                       :20:B\n:25:X\n:60F:C261130EUR0,\n:61:261130C3,NTRFZ\n:62F:C261130EUR3,\n-";
    let file = read(no_account).unwrap();
    assert_eq!(
        rejections(&file),
        vec![
            "statement 1 (:20: A), line 1, :25:: is missing: without the account none of the statement's 2 :61: lines \
             can be imported"
        ]
    );
    assert_eq!(file.statements.len(), 1);
    assert_eq!((file.statements[0].id.as_str(), file.statements[0].lines.clone()), ("B@2026-11-30", 1..2));
    assert!(file.balance_mismatches().is_empty());

    let no_reference = b"{1:F01X}{2:O940X}{4:\n:25:X\n:61:261130C1,NTRFX\n-}";
    assert_eq!(
        rejections(&read(no_reference).unwrap()),
        vec![
            "statement 1, line 2, :20:: is missing: without the transaction reference none of the statement's 1 \
             :61: lines can be imported"
        ]
    );
}

#[test]
fn entry_keys_are_the_bank_reference_else_the_reference_else_the_position() {
    let body = ":61:261130C1,NTRFREF-A//BANK-1\r\n:61:261130C2,NTRFREF-B//BANK-1\r\n:61:261130C3,NTRFREF-C\r\n\
                :61:261130C4,NTRFNONREF\r\n:61:261130C5,NTRFSAME\r\n:61:261130C6,NTRFSAME\r\n\
                :61:261130C7,NTRFNONREF//BANK-1X\r\n";
    let file = read(&statement(body)).unwrap();
    let keys: Vec<String> = lines(&file).into_iter().map(|l| l.entry).collect();
    assert_eq!(keys, ["REF-A", "REF-B", "REF-C", "#4", "SAME#5", "SAME#6", "BANK-1X"]);
}

#[test]
fn statements_sharing_an_id_are_numbered_and_blocks_and_mt942_are_read() {
    // the same :20:/:28C: on two days: the days tell them apart; twice on one day, the position
    let days = b":20:DAY\n:25:X\n:28C:0\n:60F:C261130EUR0,\n:62F:C261130EUR0,\n-\n\
                 :20:DAY\n:25:X\n:28C:0\n:60F:C261201EUR0,\n:62F:C261201EUR0,\n-\n";
    let file = read(days).unwrap();
    let ids: Vec<&str> = file.statements.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["DAY/0@2026-11-30", "DAY/0@2026-12-01"]);
    let twice = b":20:DAY\n:25:X\n:28C:0\n:60F:C261130EUR0,\n:62F:C261130EUR0,\n-\n\
                  :20:DAY\n:25:X\n:28C:0\n:60F:C261130EUR0,\n:62F:C261130EUR0,\n-\n";
    let file = read(twice).unwrap();
    let ids: Vec<&str> = file.statements.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["DAY/0@2026-11-30#1", "DAY/0@2026-11-30#2"]);

    // an MT942 in SWIFT blocks, the first field on the line of `{4:`; an expected entry (ED) is not a line
    let interim = "{1:F01COBADEFFAXXX0000000000}{2:O942COBADEFFXXXXN}{3:{108:X}}{4::20:INTRA\r\n\
                   :25:DE89370400440532013000\r\n\
                   :28C:5/1\r\n:34F:EURD0,\r\n:34F:EURC0,\r\n:13D:2611301015+0100\r\n\
                   :61:2611301130C1500,00NTRFNONREF//B1\r\n\
                   :86:166?00GUTSCHRIFT?20SVWZ+RF18 5390 0754 7034?32ACME GMBH\r\n:61:261130ED20,00NCHGNONREF\r\n\
                   :90D:0EUR0,\r\n:90C:1EUR1500,00\r\n:86:summary of the day\r\n-}{5:{CHK:123}}\r\n";
    let file = read(interim.as_bytes()).unwrap();
    assert_eq!((file.format, file.version.as_str()), (StatementFormat::Mt942, "MT942"));
    // an MT942 states no balance: its first line's value date is its day
    assert_eq!(shapes(&file), vec![("DE89370400440532013000".into(), "INTRA/5/1@2026-11-30".into(), None, None, 1)]);
    assert!(file.unchecked().is_empty(), "an MT942 states no balances to check");
    assert_eq!(
        lines(&file),
        vec![BankLine {
            counterparty_name: some("ACME GMBH"),
            creditor_reference: some("RF18539007547034"),
            remittance: some("RF18 5390 0754 7034"),
            bank_reference: some("B1"),
            ..plain("INTRA/5/1@2026-11-30", "B1", "2026-11-30", eur("1500.00"), Direction::Credit)
        }]
    );
    // without blocks, the fields say MT942
    let bare = interim.replace("{1:F01COBADEFFAXXX0000000000}{2:O942COBADEFFXXXXN}{3:{108:X}}{4:", "");
    assert_eq!(read(bare.as_bytes()).unwrap().format, StatementFormat::Mt942);
}

#[test]
fn message_ends_and_swift_blocks_are_told_from_text_that_looks_like_them() {
    // two messages on one line's boundary, a text line starting `-` or `{`
    let text = "{1:F01BANK}{2:O940BANK}{4:\n:20:ONE\n:25:X\n:60F:C261130EUR0,\n:61:261130C1,NTRFA\n\
                :86:Rechnung 42\n- Teilzahlung\n{Kunde 7}\n:62F:C261130EUR1,\n-}{5:}{1:F01BANK}{2:O940BANK}{4:\n\
                :20:TWO\n:25:X\n:60F:C261201EUR1,\n:61:261201C2,NTRFB\n:62F:C261201EUR3,\n-}";
    let file = read(text.as_bytes()).unwrap();
    let ids: Vec<&str> = file.statements.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["ONE@2026-11-30", "TWO@2026-12-01"]);
    assert!(file.balance_mismatches().is_empty() && file.unchecked().is_empty());
    assert_eq!(lines(&file)[0].remittance.as_deref(), Some("Rechnung 42 - Teilzahlung {Kunde 7}"));
}

#[test]
fn empty_foreign_and_cut_files_get_clean_errors_and_never_a_panic() {
    for empty in [&b""[..], b"  \r\n\r\n", b"\xEF\xBB\xBF", b"\x1a"] {
        assert_eq!(read(empty), Err(BankReadError::NotMt940 { reason: "the file is empty".into() }));
    }
    assert_eq!(read(b"").unwrap_err().to_string(), "not an MT940 or MT942 file: the file is empty");
    let csv = read(b"date,amount\n2026-01-02,10.00\n").unwrap_err();
    assert_eq!(
        csv.to_string(),
        "not an MT940 or MT942 file: no line starts with :20: (the transaction reference every statement opens \
         with); the file begins \"date,amount\""
    );
    // a DOS end-of-file mark after the last field
    let mut dos = fixture("fruitl00p-php-mt940__Spk-sample");
    dos.push(0x1a);
    assert_eq!(read(&dos), read(&fixture("fruitl00p-php-mt940__Spk-sample")));
    // Windows-1252 text
    let latin = b":20:X\n:25:X\n:60F:C261130EUR0,\n:61:261130C1,NTRFX\n:86:M\xfcller\n:62F:C261130EUR1,\n";
    assert_eq!(lines(&read(latin).unwrap())[0].remittance.as_deref(), Some("Müller"));

    for name in FIXTURES {
        let bytes = fixture(name);
        for cut in 0..bytes.len() {
            match read(&bytes[..cut]) {
                Ok(file) => assert!(file.statements.iter().all(|s| s.lines.end <= file.lines.len())),
                Err(BankReadError::NotMt940 { .. }) => {}
                Err(other) => panic!("{name} cut at {cut}: {other}"),
            }
        }
    }
}

#[test]
fn mangled_files_never_panic() {
    // bytes replaced by what the reader looks for, at positions a fixed generator picks
    const PIECES: [&[u8]; 12] =
        [b"?", b"?2", b"/", b"//", b"\n", b"\r\n:61:", b":86:", b"{4:", b"-}", b",", b"\xff", b"RF18"];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % below as u64).unwrap()
    };
    for name in FIXTURES {
        let bytes = fixture(name);
        for _ in 0..300 {
            let mut mangled = bytes.clone();
            for _ in 0..1 + next(4) {
                let at = next(mangled.len());
                let piece = PIECES[next(PIECES.len())];
                mangled.splice(at..(at + next(3)).min(mangled.len()), piece.iter().copied());
            }
            let _ = read(&mangled);
        }
    }
    let _ = read("{4:".repeat(100_000).as_bytes());
    let _ =
        read(format!(":20:X\n:25:X\n:60F:C261130EUR0,\n:61:261130C1,NTRFX\n:86:{}", "?20".repeat(50_000)).as_bytes());
}

#[test]
fn a_statement_cut_off_before_its_closing_balance_is_refused_whole() {
    let cut = b":20:X\n:25:X\n:60F:C261130EUR0,\n:61:261130C1,NTRFX\n:61:261130C2,NTRFY\n";
    let file = read(cut).unwrap();
    assert_eq!(
        rejections(&file),
        [
            "statement 1 (:20: X), line 1, :62F:: the closing balance is missing: the statement looks cut off; none of its \
          2 :61: lines were imported"
        ]
    );
    assert!(file.read_lines().next().is_none(), "nothing of a cut statement is imported");
}
