//! Every camt.052, camt.053 and camt.054 fixture of ../shared/fixtures/bank (real files from
//! public projects) read as a book-keeper would check it: lines, amounts, directions and each
//! statement's balances, with the figures written here by hand from the files.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use overdue_core::Currency;
use overdue_core::bank::{BankLine, Direction};
use overdue_core::money::Money;
use overdue_formats::bank::{BankFile, StatementFormat, read_xml};
use std::path::PathBuf;

fn read(folder: &str, name: &str) -> BankFile {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/bank").join(folder).join(name);
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    read_xml(&bytes).unwrap()
}

fn money(text: &str, currency: Currency) -> Money {
    Money::parse(text, currency).unwrap()
}

fn lines(file: &BankFile) -> Vec<&BankLine> {
    assert!(file.lines.iter().all(Result::is_ok), "{:?}", file.lines.iter().filter(|l| l.is_err()).collect::<Vec<_>>());
    file.read_lines().collect()
}

/// (direction, amount) of each line, for a compact comparison.
fn moves(file: &BankFile, currency: Currency) -> Vec<(Direction, Money)> {
    lines(file).iter().map(|l| (l.direction, l.amount)).filter(|(_, m)| m.currency() == currency).collect()
}

#[test]
fn camt052_sparkasse_report_reads_booked_entries_and_its_balances_add_up() {
    let file = read("camt052", "kedder-ofxstatement-iso20022__camt052.xml");
    assert_eq!((file.format, file.version.as_str()), (StatementFormat::Camt052, "camt.052.001.02"));
    let eur = |t| money(t, Currency::EUR);
    use Direction::{Credit, Debit};
    assert_eq!(
        moves(&file, Currency::EUR),
        [
            (Debit, eur("30.00")),
            (Debit, eur("26.00")),
            (Debit, eur("34.52")),
            (Credit, eur("2.50")),
            (Debit, eur("163.38"))
        ]
    );
    let statement = &file.statements[0];
    // PRCD (the previous closing) is the opening: 268.35 + 2.50 − 253.90 = 16.95
    assert_eq!(statement.opening.unwrap().amount, eur("268.35"));
    assert_eq!(statement.closing.unwrap().amount, eur("16.95"));
    assert!(file.balance_mismatches().is_empty());
}

#[test]
fn camt052_balances_with_thirteen_decimals_are_rounded_to_the_cent() {
    let file = read("camt052", "hbci4j-hbci4java__test-camt-parse-5200108-invalid-saldo.xml");
    assert_eq!(file.version, "camt.052.001.08");
    assert_eq!(moves(&file, Currency::EUR), [(Direction::Debit, money("34.00", Currency::EUR))]);
    let statement = &file.statements[0];
    // 100.0000000000005 and 66.0000000000001: 100.00 − 34.00 = 66.00
    assert_eq!(statement.opening.unwrap().amount, money("100.00", Currency::EUR));
    assert_eq!(statement.closing.unwrap().amount, money("66.00", Currency::EUR));
    assert!(file.balance_mismatches().is_empty());
}

#[test]
fn camt053_lithuanian_statements_without_status_or_dates_are_booked_on_the_statements_day() {
    let file = read("camt053", "Subite-eu-camt-to-coda__2024-04-22.xml");
    assert_eq!(file.version, "camt.053.001.08");
    assert_eq!(file.statements.len(), 2);
    assert_eq!(file.statements[0].account, "LT625883379695428516");
    assert_eq!((file.statements[0].lines.len(), file.statements[1].lines.len()), (13, 1));
    let all = lines(&file);
    assert!(all.iter().all(|l| l.booking_date.to_string() == "2024-04-22"));
    assert_eq!((all[3].direction, all[3].amount), (Direction::Credit, money("1529069.88", Currency::EUR)));
    // 20,073,668.35 + 1,552,971.88 − 4,011,229.88 = 17,615,410.35; 2,801.55 − 2,000 = 801.55
    assert!(file.balance_mismatches().is_empty(), "{:?}", file.balance_mismatches());
    assert_eq!(file.statements[1].closing.unwrap().amount, money("801.55", Currency::EUR));
}

#[test]
fn camt053_an_entry_in_another_currency_than_the_account_leaves_the_balances_unexplained() {
    let file = read("camt053", "newinnovations-camt053__example-camt053-b.xml");
    let all = lines(&file);
    assert_eq!(all.len(), 19);
    let credits: Vec<_> = all.iter().filter(|l| l.direction == Direction::Credit).collect();
    assert_eq!(credits.len(), 13);
    let eur: Vec<_> = all.iter().filter(|l| l.amount.currency() == Currency::EUR).collect();
    assert_eq!((eur.len(), eur[0].amount), (1, money("29.06", Currency::EUR)));
    // −843,686.20 + 145.53 − 41.00 = −843,581.67 in USD; the closing is −843,610.73
    let mismatches = file.balance_mismatches();
    assert_eq!(mismatches.len(), 1);
    assert_eq!(mismatches[0].1.difference, money("-29.06", Currency::USD));
    assert_eq!(mismatches[0].1.opening, money("-843686.20", Currency::USD));
    // five credits reverse the business's own debits; one debit returns a payment received
    assert_eq!(credits.iter().filter(|l| l.reversal.is_some()).count(), 5);
    assert_eq!(all.iter().filter(|l| l.reverses_a_credit()).count(), 1);
}

#[test]
fn camt053_postfinance_in_no_currency_is_refused_and_its_balances_do_not_add_up() {
    let name = "kedder-ofxstatement-iso20022__gcamp6.xml";
    let file = read("camt053", name);
    // XXX is ISO 4217's "no currency": nothing can be paid in it
    assert_eq!(file.lines.len(), 5);
    assert!(file.lines.iter().all(|l| l.as_ref().is_err_and(|e| e.reason.contains("\"XXX\""))));
    // read in francs, the file's own figures: 0.00 + 13,010.00 ≠ 10,000.00
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/bank/camt053").join(name);
    let text = std::fs::read_to_string(path).unwrap().replace("\"XXX\"", "\"CHF\"");
    let francs = read_xml(text.as_bytes()).unwrap();
    let mismatches = francs.balance_mismatches();
    assert_eq!(mismatches.len(), 1);
    let mismatch = mismatches[0].1;
    assert_eq!(
        (mismatch.credits, mismatch.difference),
        (money("13010.00", Currency::CHF), money("-3010.00", Currency::CHF))
    );
    assert!(mismatch.to_string().contains("difference CHF -3010.00"), "{mismatch}");
}

#[test]
fn camt054_information_only_entries_are_no_lines() {
    let file = read("camt054", "Subite-eu-camt-to-coda__2024-03-18.xml");
    assert_eq!(file.version, "camt.054.001.10");
    assert!(file.lines.is_empty(), "the one entry is INFO: 41 transactions for information");
    assert!(file.unchecked().is_empty(), "a notification states no balances to check");
}

#[test]
fn camt054_qr_bill_batch_splits_into_its_payments_with_their_qr_references() {
    let file = read(
        "camt054",
        "dvbern-iso20022__200519_camt.054_P_CH2909000000250094239_1111091335_0_2020061900081727_v2019.xml",
    );
    let all = lines(&file);
    let chf = |t| money(t, Currency::CHF);
    assert_eq!(all.iter().map(|l| l.amount).collect::<Vec<_>>(), [chf("778.29"), chf("913.93")]);
    assert_eq!(all[0].creditor_reference.as_deref(), Some("539115429773825311971477453"));
    assert_eq!(all[0].counterparty_name.as_deref(), Some("Bernasconi Maria"));
    assert!(all.iter().all(|l| l.direction == Direction::Credit));
}

#[test]
fn camt054_esr_batch_splits_into_eight_payments_adding_up_to_the_entry() {
    let file = read("camt054", "dvbern-iso20022__camt.054-ES_P_CH0309000000250090342_38000000_0_2016052723011813.xml");
    assert_eq!(file.version, "camt.054.001.04");
    let all = lines(&file);
    let total: i64 = all.iter().map(|l| l.amount.amount_minor()).sum();
    assert_eq!((all.len(), total), (8, 620_00));
    assert_eq!(all[3].amount, money("100.00", Currency::CHF));
}
