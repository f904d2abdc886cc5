//! The CSV layouts read as a book-keeper would expect: good rows become customers, invoices
//! and payments; every bad row is rejected with its line, column and reason; nothing panics.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use overdue_core::import::{ImportRow, Rejection};
use overdue_core::invoice::InvoiceStatus;
use overdue_formats::{FileError, customers_csv, invoices_csv, payments_csv};

fn split<T>(rows: impl Iterator<Item = ImportRow<T>>) -> (Vec<T>, Vec<Rejection>) {
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for row in rows {
        match row {
            Ok(located) => good.push(located.value),
            Err(rejection) => bad.push(rejection),
        }
    }
    (good, bad)
}

const INVOICE_HEADER: &str =
    "number,customer,issue_date,currency,terms,description,quantity,unit_price,tax_rate,sent_date\n";

fn invoices(body: &str) -> (Vec<overdue_core::invoice::Invoice>, Vec<Rejection>) {
    split(invoices_csv::read(format!("{INVOICE_HEADER}{body}").as_bytes()).unwrap())
}

#[test]
fn the_shipped_examples_read_without_a_single_rejection() {
    let (customers, bad) = split(customers_csv::read(&include_bytes!("../../../examples/customers.csv")[..]).unwrap());
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(customers.len(), 8);
    let (invoices, bad) = split(invoices_csv::read(&include_bytes!("../../../examples/invoices.csv")[..]).unwrap());
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(invoices.len(), 13);
    let (payments, bad) = split(payments_csv::read(&include_bytes!("../../../examples/payments.csv")[..]).unwrap());
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(payments.len(), 4);
}

#[test]
fn consecutive_rows_with_one_number_are_the_lines_of_one_invoice() {
    let (good, bad) = invoices(
        "F-1,C1,2026-05-26,EUR,Net 30,Boxes,2,100.00,21,2026-05-27\n\
         F-1,C1,2026-05-26,EUR,Net 30,Transport,1,10.00,21,2026-05-27\n\
         F-2,C1,2026-05-26,eur,30 EOM,Boxes,1,5.00,,\n",
    );
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(good.len(), 2);
    assert_eq!(good[0].lines.len(), 2);
    assert_eq!(good[0].totals.gross.amount_minor(), 254_10);
    assert_eq!(good[0].due_date().to_string(), "2026-06-25");
    assert_eq!(good[0].status, InvoiceStatus::Sent);
    assert_eq!(good[1].due_date().to_string(), "2026-06-30");
    assert_eq!(good[1].status, InvoiceStatus::Issued);
}

#[test]
fn every_bad_value_is_rejected_with_its_line_and_column() {
    let cases = [
        ("F-1,C1,2026-02-30,EUR,Net 30,Boxes,1,5.00,21,", "issue_date", "not a date"),
        ("F-1,C1,2026-02-01,XYZ,Net 30,Boxes,1,5.00,21,", "currency", "unknown currency"),
        ("F-1,C1,2026-02-01,EUR,Net 30,Boxes,-3,5.00,21,", "quantity", "negative"),
        ("F-1,C1,2026-02-01,EUR,,Boxes,1,5.00,21,", "terms", "payment terms"),
        ("F-1,C1,2026-02-01,EUR,whenever,Boxes,1,5.00,21,", "terms", "not recognised"),
        ("F-1,C1,2026-02-01,EUR,Net 30,Boxes,1,5.001,21,", "unit_price", "decimals"),
        ("F-1,C1,2026-02-01,EUR,Net 30,Boxes,1,5.00,121,", "tax_rate", "tax rate"),
        ("F-1,C1,2026-02-01,EUR,Net 30,,1,5.00,21,", "description", "required"),
        ("F-1,C1,2026-02-01,EUR,Net 30,Boxes,1,5.00,21,2026-01-01", "sent_date", "before it was issued"),
    ];
    for (row, column, reason) in cases {
        let (good, bad) = invoices(&format!("F-0,C1,2026-02-01,EUR,Net 30,Fine,1,1.00,21,\n{row}\n"));
        assert_eq!(good.len(), 1, "{row}: the good row still reads");
        assert_eq!(bad.len(), 1, "{row}");
        assert_eq!(bad[0].line, 3, "{row}");
        assert_eq!(bad[0].column.as_deref(), Some(column), "{row}");
        assert!(bad[0].reason.contains(reason), "{row}: {}", bad[0].reason);
    }
}

#[test]
fn a_bad_line_rejects_its_whole_invoice_not_just_the_line() {
    let (good, bad) = invoices(
        "F-1,C1,2026-05-26,EUR,Net 30,Boxes,2,100.00,21,\n\
         F-1,C1,2026-05-26,EUR,Net 30,Transport,x,10.00,21,\n\
         F-2,C1,2026-05-26,EUR,Net 30,Boxes,1,5.00,21,\n",
    );
    assert_eq!(good.len(), 1);
    assert_eq!(good[0].number.as_str(), "F-2");
    assert_eq!((bad[0].line, bad[0].column.as_deref()), (3, Some("quantity")));
}

#[test]
fn lines_of_one_invoice_must_agree_on_the_invoice() {
    let (good, bad) = invoices(
        "F-1,C1,2026-05-26,EUR,Net 30,Boxes,2,100.00,21,\n\
         F-1,C2,2026-05-26,EUR,Net 30,Transport,1,10.00,21,\n",
    );
    assert!(good.is_empty());
    assert!(bad[0].reason.contains("has another customer than its first line (2)"), "{}", bad[0].reason);
}

#[test]
fn a_record_with_the_wrong_number_of_fields_is_rejected_and_reading_goes_on() {
    let (good, bad) = invoices("F-1,C1,2026-05-26,EUR,Net 30\nF-2,C1,2026-05-26,EUR,Net 30,Boxes,1,5.00,21,\n");
    assert_eq!(good.len(), 1);
    assert_eq!(bad[0].line, 2);
    assert!(bad[0].reason.contains("not a valid CSV record"));
}

#[test]
fn an_unreadable_row_next_to_an_invoice_rejects_that_invoice_instead_of_importing_it_short() {
    let (good, bad) = invoices(
        "F-1,C1,2026-05-26,EUR,Net 30,Boxes,2,100.00,21,\n\
         F-1,C1,2026-05-26,EUR,Net 30,Tape, 3 rolls,1,10.00,21,\n\
         F-2,C1,2026-05-26,EUR,Net 30,Boxes,1,5.00,21,\n",
    );
    assert_eq!(good.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(), vec!["F-2"]);
    assert_eq!(bad.len(), 2);
    assert!(bad.iter().any(|r| r.line == 2 && r.reason.contains("line 3")), "{bad:?}");
}

#[test]
fn control_characters_are_refused_with_their_column() {
    let (good, bad) = invoices("F-1,C1,2026-05-26,EUR,Net 30,Bo\u{0}xes,2,100.00,21,\n");
    assert!(good.is_empty());
    assert_eq!(bad[0].column.as_deref(), Some("description"));
}

#[test]
fn agreement_and_decision_maker_columns_are_read() {
    let csv = "code,name,country,currency,dispute_procedure,decision_maker_name,decision_maker_email,credit_limit\n\
               C1,Uno,ES,EUR,Written claims within 8 days,Ana Director,ana@uno.example,-5\n\
               C2,Dos,ES,EUR,Written claims within 8 days,Ana Director,ana@uno.example,500\n";
    let (good, bad) = split(customers_csv::read(csv.as_bytes()).unwrap());
    assert_eq!(bad[0].column.as_deref(), Some("credit_limit"), "a negative limit is refused");
    assert_eq!(good[0].agreement.dispute_procedure.as_deref(), Some("Written claims within 8 days"));
    let boss = good[0].contact(overdue_core::customer::ContactRole::DecisionMaker).unwrap();
    assert_eq!(boss.email.as_ref().unwrap().as_str(), "ana@uno.example");
}

#[test]
fn a_missing_required_column_stops_the_file_before_any_row() {
    let error = invoices_csv::read(&b"number,customer,issue_date,description,unit_price\n"[..]).err().unwrap();
    assert!(matches!(error, FileError::MissingLayoutColumn { column: "currency", .. }), "{error}");
    assert!(matches!(customers_csv::read(&b""[..]).err().unwrap(), FileError::NoHeader { .. }));
}

#[test]
fn headers_are_matched_in_any_order_and_case_and_extra_columns_are_ignored() {
    let csv = "\u{feff}Currency,Name,Code,Country,Notes\nEUR,Tessili Bianchi,C3,it,good customer\n";
    let rows = customers_csv::read(csv.as_bytes()).unwrap();
    assert_eq!(rows.table.ignored, vec!["Notes".to_owned()]);
    let (good, bad) = split(rows);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(good[0].language.as_str(), "it", "language defaults from the country");
}

#[test]
fn customers_with_bad_values_are_rejected() {
    let csv = "code,name,country,currency,billing_email,credit_limit\n\
               C1,Ok,ES,EUR,ap@ok.example,1000\n\
               C2,Bad country,XX,EUR,,\n\
               C3,Bad email,ES,EUR,not-an-email,\n\
               C4,Bad limit,ES,EUR,,lots\n";
    let (good, bad) = split(customers_csv::read(csv.as_bytes()).unwrap());
    assert_eq!(good.len(), 1);
    let columns: Vec<_> = bad.iter().map(|r| (r.line, r.column.clone().unwrap())).collect();
    assert_eq!(columns, vec![(3, "country".into()), (4, "billing_email".into()), (5, "credit_limit".into())]);
}

#[test]
fn payments_must_be_positive_and_use_a_known_method() {
    let csv = "reference,customer,date,amount,currency,method,invoice\n\
               P1,C1,2026-03-01,100.00,EUR,Bank transfer,F-1\n\
               P2,C1,2026-03-01,-5.00,EUR,transfer,\n\
               P3,C1,2026-03-01,5.00,EUR,barter,\n";
    let (good, bad) = split(payments_csv::read(csv.as_bytes()).unwrap());
    assert_eq!(good.len(), 1);
    assert_eq!(good[0].invoice.as_ref().unwrap().as_str(), "F-1");
    assert_eq!(bad[0].column.as_deref(), Some("amount"));
    assert_eq!(bad[1].column.as_deref(), Some("method"));
}

proptest::proptest! {
    #[test]
    fn no_input_makes_a_reader_panic(body in "[ -~\\n,\"]{0,400}") {
        for row in invoices_csv::read(format!("{INVOICE_HEADER}{body}").as_bytes()).unwrap() {
            let _ = row;
        }
        if let Ok(rows) = customers_csv::read(body.as_bytes()) {
            rows.for_each(drop);
        }
        if let Ok(rows) = payments_csv::read(body.as_bytes()) {
            rows.for_each(drop);
        }
    }
}

#[test]
fn rejected_rows_name_their_own_line_in_crlf_files_and_after_quoted_line_breaks() {
    let file = "number,customer,issue_date,currency,terms,description,unit_price\r\n\
                F1,C1,2026-01-01,EUR,Net 30,\"two\r\nlines\",10.00\r\n\
                F2,C1,2026-13-01,EUR,Net 30,x,10.00\r\n\
                F3,C1,2026-01-01,EUR,Net 30,x,abc\r\n";
    let (good, bad) = split(invoices_csv::read(file.as_bytes()).unwrap());
    assert_eq!(good.len(), 1);
    let lines: Vec<u64> = bad.iter().map(|r| r.line).collect();
    assert_eq!(lines, [4, 5], "{bad:?}");
}
