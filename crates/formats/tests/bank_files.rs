//! Bank statements read as a book-keeper would check them: every camt.053 fixture (real files
//! from a public project, ../shared/fixtures/bank) with each line's values asserted as read by
//! hand from the files; camt.054 and camt.053.001.08 documents written here; broken, hostile and
//! absurd files get clean errors naming the XML path; CSV exports with their mappings.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use chrono::NaiveDate;
use overdue_core::Currency;
use overdue_core::bank::{BankLine, Direction, Reversal};
use overdue_core::import::{ImportRow, Rejection};
use overdue_core::money::Money;
use overdue_formats::FileError;
use overdue_formats::bank::csv::{self as bank_csv, Column, CsvMapping, MappingError};
use overdue_formats::bank::{BankFile, BankReadError, StatementFormat, read_xml};
use overdue_formats::xml::XmlError;
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/bank/camt053").join(name);
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn edited(name: &str, from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(fixture(name)).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1).into_bytes()
}

fn lines(file: &BankFile) -> Vec<BankLine> {
    file.lines.iter().map(|line| line.clone().unwrap_or_else(|e| panic!("{e}"))).collect()
}

/// The one rejection of a file whose other lines (if any) read.
fn rejection(bytes: &[u8]) -> String {
    let file = read_xml(bytes).unwrap();
    let errors: Vec<String> = file.lines.iter().filter_map(|l| l.as_ref().err()).map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].clone()
}

fn money(text: &str, currency: Currency) -> Money {
    Money::parse(text, currency).unwrap()
}

fn eur(text: &str) -> Money {
    money(text, Currency::EUR)
}

fn day(text: &str) -> NaiveDate {
    overdue_core::date::parse_iso(text).unwrap()
}

fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// A line with the fixture statement's account, both dates, and nothing the payer wrote.
fn line(statement: &str, entry: &str, amount: Money, direction: Direction) -> BankLine {
    BankLine {
        account: "NL26VAYB8060476890".into(),
        statement: statement.into(),
        entry: entry.into(),
        booking_date: day("2014-12-31"),
        value_date: Some(day("2015-01-02")),
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

#[test]
fn camt053_v2_minimal_reads_one_credit_with_its_debtor_and_creditor_reference() {
    let file = read_xml(&fixture("genkgo-camt__camt053.v2.minimal.xml")).unwrap();
    assert_eq!((file.format, file.version.as_str()), (StatementFormat::Camt053, "camt.053.001.02"));
    let expected = BankLine {
        counterparty_name: some("NAME NAME"),
        counterparty_iban: some("NL56AGDH9619008421"),
        creditor_reference: some("4654654654654654"),
        ..line("253EURNL26VAYB8060476890", "#1", eur("8.85"), Direction::Credit)
    };
    assert_eq!(expected.key(), "NL26VAYB8060476890/253EURNL26VAYB8060476890/#1");
    assert_eq!(lines(&file), [expected]);
}

#[test]
fn camt053_v2_multi_statement_reads_each_statement_with_its_own_id() {
    let file = read_xml(&fixture("genkgo-camt__camt053.v2.multi.statement.xml")).unwrap();
    assert_eq!(file.version, "camt.053.001.02");
    let credit = BankLine {
        // A credit's counterparty is the debtor; this file names only the creditor.
        end_to_end_id: some("000000001"),
        remittance: some("Transaction Description 1"),
        ..line("253EURNL26VAYB8060476890", "#1", eur("8.85"), Direction::Credit)
    };
    let debit = BankLine {
        counterparty_name: some("Company Name 2"),
        counterparty_iban: some("NL56AGDH9619008421"),
        end_to_end_id: some("000000002"),
        remittance: some("Transaction Description 2"),
        ..line("254EURNL26VAYB8060476890", "#1", eur("7.00"), Direction::Debit)
    };
    assert_eq!(lines(&file), [credit, debit]);
}

#[test]
fn camt053_v4_reads_the_other_account_id_and_the_bank_reference() {
    let file = read_xml(&fixture("genkgo-camt__camt053.v4.xml")).unwrap();
    assert_eq!((file.format, file.version.as_str()), (StatementFormat::Camt053, "camt.053.001.04"));
    // The only detail says `<Amt Ccy="SEK">0</Amt>`: with one detail the entry's amount is the line's.
    let expected = BankLine {
        counterparty_name: some("NAME NAME"),
        counterparty_iban: some("NL56AGDH9619008421"),
        creditor_reference: some("4654654654654654"),
        bank_reference: some("AAAASESS-FP-CN_98765/01"),
        ..line("253EURNL26VAYB8060476890", "AAAASESS-FP-CN_98765/01", eur("8.85"), Direction::Credit)
    };
    assert_eq!(lines(&file), [expected]);
}

#[test]
fn bad_amounts_are_refused_with_the_xml_path_and_the_reason() {
    let name = "genkgo-camt__camt053.v2.minimal.xml";
    let amount = r#"<Amt Ccy="EUR">8.85</Amt>"#;
    let path = "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt";
    let huge = edited(name, amount, r#"<Amt Ccy="EUR">99999999999999999999.99</Amt>"#);
    assert_eq!(rejection(&huge), format!("{path}: \"99999999999999999999.99\" is too large for an amount"));
    let cents = edited(name, amount, r#"<Amt Ccy="EUR">8.855</Amt>"#);
    assert_eq!(
        rejection(&cents),
        format!("{path}: \"8.855\" has more decimals than EUR has (2): it is not an amount in EUR")
    );
    let yen = edited(name, amount, r#"<Amt Ccy="JPY">8.85</Amt>"#);
    assert!(rejection(&yen).starts_with(&format!("{path}: \"8.85\" has more decimals than JPY has (0)")));
    let negative = edited(name, amount, r#"<Amt Ccy="EUR">-8.85</Amt>"#);
    assert!(
        rejection(&negative).starts_with(&format!("{path}: \"-8.85\" is not an amount")),
        "{}",
        rejection(&negative)
    );
    let comma = edited(name, amount, r#"<Amt Ccy="EUR">8,85</Amt>"#);
    assert!(rejection(&comma).contains("is not an amount"));
    let zero = edited(name, amount, r#"<Amt Ccy="EUR">0.00</Amt>"#);
    assert_eq!(rejection(&zero), format!("{path}: \"0.00\" is zero: an entry must move money"));
    let no_currency = edited(name, amount, "<Amt>8.85</Amt>");
    assert_eq!(rejection(&no_currency), format!("{path}: has no Ccy attribute: its currency is unknown"));
    let bad_currency = edited(name, amount, r#"<Amt Ccy="EURO">8.85</Amt>"#);
    assert!(rejection(&bad_currency).starts_with(&format!("{path}: unknown currency \"EURO\"")));
    let missing = edited(name, amount, "");
    assert_eq!(rejection(&missing), format!("{path}: is missing"));
}

#[test]
fn trailing_zeros_past_the_cents_are_exact_and_accepted() {
    let bytes = edited("genkgo-camt__camt053.v2.minimal.xml", ">8.85<", ">+8.850<");
    assert_eq!(lines(&read_xml(&bytes).unwrap())[0].amount, eur("8.85"));
}

#[test]
fn a_bad_entry_in_the_second_statement_leaves_the_first_statement_readable() {
    let name = "genkgo-camt__camt053.v2.multi.statement.xml";
    let bytes = edited(name, r#"<Amt Ccy="EUR">7.00</Amt>"#, r#"<Amt Ccy="EUR">7.0.0</Amt>"#);
    let file = read_xml(&bytes).unwrap();
    assert_eq!(file.lines.len(), 2);
    assert_eq!(file.lines[0].as_ref().unwrap().amount, eur("8.85"));
    let error = file.lines[1].as_ref().unwrap_err();
    assert_eq!(error.path, "/Document/BkToCstmrStmt/Stmt[2]/Ntry[1]/Amt");
    assert!(error.reason.starts_with("\"7.0.0\" is not an amount"), "{}", error.reason);
}

#[test]
fn statuses_indicators_and_dates_are_checked() {
    let name = "genkgo-camt__camt053.v2.minimal.xml";
    let pending = read_xml(&edited(name, "<Sts>BOOK</Sts>", "<Sts>PDNG</Sts>")).unwrap();
    assert!(pending.lines.is_empty(), "a pending entry is not a line");
    let unknown = edited(name, "<Sts>BOOK</Sts>", "<Sts>DONE</Sts>");
    assert_eq!(
        rejection(&unknown),
        "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Sts: \"DONE\" is not an entry status (BOOK, PDNG, FUTR or INFO)"
    );
    // a statement's entries are booked by definition: a missing status means booked there
    let no_status = edited(name, "<Sts>BOOK</Sts>", "");
    assert_eq!(lines(&read_xml(&no_status).unwrap()).len(), 1);
    let report = String::from_utf8(no_status).unwrap().replace("camt.053.001.02", "camt.052.001.02");
    let report =
        report.replace("BkToCstmrStmt", "BkToCstmrAcctRpt").replace("<Stmt>", "<Rpt>").replace("</Stmt>", "</Rpt>");
    let report = report.replace("<BookgDt>", "<Unused>").replace("</BookgDt>", "</Unused>");
    assert!(rejection(report.as_bytes()).contains("/Ntry[1]/Sts: is missing, and so is BookgDt"));
    let indicator = edited(
        name,
        "<CdtDbtInd>CRDT</CdtDbtInd>\n                <RvslInd>",
        "<CdtDbtInd>CR</CdtDbtInd>\n                <RvslInd>",
    );
    assert_eq!(
        rejection(&indicator),
        "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/CdtDbtInd: \"CR\" is neither CRDT (credit) nor DBIT (debit)"
    );
    let bad_day = edited(
        name,
        "<Dt>2014-12-31</Dt>\n                </BookgDt>",
        "<Dt>2014-02-30</Dt>\n                </BookgDt>",
    );
    assert!(
        rejection(&bad_day)
            .starts_with("/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/BookgDt/Dt: \"2014-02-30\" is not a date")
    );
    // ISO 20022: CdtDbtInd is the reversal entry's own direction.
    let reversal = "<CdtDbtInd>DBIT</CdtDbtInd>\n                <RvslInd>true</RvslInd>";
    let reversed =
        read_xml(&edited(name, "<CdtDbtInd>CRDT</CdtDbtInd>\n                <RvslInd>false</RvslInd>", reversal))
            .unwrap();
    let reversed = lines(&reversed);
    assert_eq!(reversed[0].direction, Direction::Debit, "a reversed credit takes the money back out");
    let marked = read_xml(&edited(name, "<RvslInd>false</RvslInd>", "<RvslInd>true</RvslInd>")).unwrap();
    assert_eq!(lines(&marked)[0].direction, Direction::Credit, "a CRDT reversal (of a debit) is money in");
}

#[test]
fn a_statement_without_account_refuses_its_entries_once() {
    let bytes = edited(
        "genkgo-camt__camt053.v2.minimal.xml",
        "<IBAN>NL26VAYB8060476890</IBAN>",
        "<Prtry>NL26VAYB8060476890</Prtry>",
    );
    assert_eq!(
        rejection(&bytes),
        "/Document/BkToCstmrStmt/Stmt[1]/Acct/Id: is missing: without the account none of the statement's 1 entries \
         can be imported"
    );
}

#[test]
fn malformed_truncated_hostile_and_foreign_files_get_clean_errors() {
    let minimal = fixture("genkgo-camt__camt053.v2.minimal.xml");
    let complete = String::from_utf8_lossy(&minimal).find("</Document>").unwrap() + "</Document>".len();
    for cut in (0..complete).step_by(7) {
        assert!(read_xml(&minimal[..cut]).is_err(), "cut at {cut}");
    }
    assert!(matches!(read_xml(&minimal[..minimal.len() / 2]), Err(BankReadError::Xml(XmlError::Malformed { .. }))));
    assert!(matches!(read_xml(b"not xml at all"), Err(BankReadError::Xml(_))));
    assert!(matches!(read_xml(b""), Err(BankReadError::Xml(XmlError::Empty))));
    let hostile = br#"<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&b;</Document>"#;
    assert_eq!(read_xml(hostile), Err(BankReadError::Xml(XmlError::Doctype)));
    assert!(read_xml(hostile).unwrap_err().to_string().contains("DTD"));

    let name = "genkgo-camt__camt053.v2.minimal.xml";
    let other = edited(name, "camt.053.001.02", "camt.060.001.02");
    let error = read_xml(&other).unwrap_err();
    assert!(matches!(&error, BankReadError::UnknownFormat { root, .. } if root == "Document"));
    assert_eq!(
        error.to_string(),
        "<Document> in namespace \"urn:iso:std:iso:20022:tech:xsd:camt.060.001.02\" is not a bank statement overdue \
         reads (ISO 20022 camt.052 reports, camt.053 statements and camt.054 notifications, versions 001.02 to 001.13)"
    );
    for version in ["camt.053.001.01", "camt.053.001.14", "camt.053.001.2"] {
        let error = read_xml(&edited(name, "camt.053.001.02", version)).unwrap_err();
        assert_eq!(error, BankReadError::UnsupportedVersion { version: version.into() });
        assert!(error.to_string().starts_with(&format!("{version} is a version overdue does not read (")));
    }
    let invoice = br#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>"#;
    assert!(matches!(read_xml(invoice), Err(BankReadError::UnknownFormat { .. })));
    let no_namespace = edited(name, r#" xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02""#, "");
    assert!(matches!(read_xml(&no_namespace), Err(BankReadError::UnknownFormat { .. })));
    let empty = br#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>"#;
    let error = read_xml(empty).unwrap_err();
    assert_eq!(error, BankReadError::MissingElement { path: "/Document/BkToCstmrStmt/Stmt".into() });
    let wrong_message =
        br#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrStmt/></Document>"#;
    let error = read_xml(wrong_message).unwrap_err();
    assert_eq!(error, BankReadError::MissingElement { path: "/Document/BkToCstmrDbtCdtNtfctn".into() });
}

const CAMT054: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>NTF-20260302</MsgId><CreDtTm>2026-03-02T18:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-20260302-001</Id>
      <CreDtTm>2026-03-02T18:00:00</CreDtTm>
      <Acct><Id><IBAN>ES9121000418450200051332</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Ntry>
        <NtryRef>BATCH-7</NtryRef>
        <Amt Ccy="EUR">1500.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-02</Dt></BookgDt>
        <ValDt><Dt>2026-03-03</Dt></ValDt>
        <AcctSvcrRef>2026030200042</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <Btch><NbOfTxs>2</NbOfTxs></Btch>
          <TxDtls>
            <Refs><EndToEndId>INV-2026-0101</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">1000.00</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <Dbtr><Nm>Ferretería  Alonso
                S.L.</Nm></Dbtr>
              <DbtrAcct><Id><IBAN>ES7921000813610123456789</IBAN></Id></DbtrAcct>
              <Cdtr><Nm>Us S.A.</Nm></Cdtr>
            </RltdPties>
            <RmtInf><Ustrd>Factura 2026-0101</Ustrd><Ustrd>y abono 12</Ustrd></RmtInf>
          </TxDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <Amt Ccy="EUR">500.00</Amt>
            <CdtDbtInd>CRDT</CdtDbtInd>
            <RltdPties><UltmtDbtr><Nm>Bodegas Ruiz SA</Nm></UltmtDbtr></RltdPties>
            <RmtInf>
              <Strd>
                <RfrdDocInf><Nb>2026-0107</Nb></RfrdDocInf>
                <CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>RF18539007547034</Ref></CdtrRefInf>
              </Strd>
            </RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">3.50</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-02</Dt></BookgDt>
        <AddtlNtryInf>Comisión mantenimiento   marzo</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">99.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>PDNG</Sts>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
"#;

fn notification_line(entry: &str, amount: &str, direction: Direction) -> BankLine {
    BankLine {
        account: "ES9121000418450200051332".into(),
        statement: "NTF-20260302-001".into(),
        entry: entry.into(),
        booking_date: day("2026-03-02"),
        value_date: Some(day("2026-03-03")),
        amount: eur(amount),
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

#[test]
fn a_camt054_batch_entry_becomes_one_line_per_payment_and_pending_entries_none() {
    let file = read_xml(CAMT054.as_bytes()).unwrap();
    assert_eq!((file.format, file.version.as_str()), (StatementFormat::Camt054, "camt.054.001.04"));
    let first = BankLine {
        counterparty_name: some("Ferretería Alonso S.L."),
        counterparty_iban: some("ES7921000813610123456789"),
        remittance: some("Factura 2026-0101 y abono 12"),
        end_to_end_id: some("INV-2026-0101"),
        bank_reference: some("2026030200042"),
        ..notification_line("2026030200042/1", "1000.00", Direction::Credit)
    };
    let second = BankLine {
        counterparty_name: some("Bodegas Ruiz SA"),
        creditor_reference: some("RF18539007547034"),
        remittance: some("2026-0107"),
        bank_reference: some("2026030200042"),
        ..notification_line("2026030200042/2", "500.00", Direction::Credit)
    };
    let fee = BankLine {
        value_date: None,
        remittance: some("Comisión mantenimiento marzo"),
        ..notification_line("#2", "3.50", Direction::Debit)
    };
    assert_eq!(lines(&file), [first, second, fee]);
}

#[test]
fn a_batch_whose_details_do_not_add_up_or_lack_amounts_is_refused_whole() {
    let short = CAMT054.replace(r#"<Amt Ccy="EUR">500.00</Amt>"#, r#"<Amt Ccy="EUR">400.00</Amt>"#);
    assert_eq!(
        rejection(short.as_bytes()),
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/Amt: is CRDT 1500.00 but its 2 transaction details add up \
         to CRDT 1400.00: the entry cannot be split"
    );
    let unsplittable = CAMT054.replace(r#"<AmtDtls><TxAmt><Amt Ccy="EUR">1000.00</Amt></TxAmt></AmtDtls>"#, "");
    assert_eq!(
        rejection(unsplittable.as_bytes()),
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[1]/Amt: is missing: the entry's amount \
         cannot be split among its 2 transactions"
    );
    let foreign = CAMT054.replace(r#"<Amt Ccy="EUR">500.00</Amt>"#, r#"<Amt Ccy="USD">540.00</Amt>"#);
    assert_eq!(
        rejection(foreign.as_bytes()),
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]/NtryDtls[1]/TxDtls[2]/Amt: is in USD but the entry in EUR: \
         the entry cannot be split"
    );
}

const CAMT053_V08: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-20260410</MsgId><CreDtTm>2026-04-10T23:00:00+01:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-2026-041</Id>
      <CreDtTm>2026-04-10T23:00:00+01:00</CreDtTm>
      <Acct><Id><Othr><Id>40-12-76 12345678</Id></Othr></Id><Ccy>GBP</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">10000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-10</Dt></Dt></Bal>
      <Ntry>
        <Amt Ccy="GBP">1250.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><DtTm>2026-04-10T09:31:12+01:00</DtTm></BookgDt>
        <ValDt><Dt>2026-04-10</Dt></ValDt>
        <AcctSvcrRef>GB-7781</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>PO 4471</EndToEndId></Refs>
          <Amt Ccy="GBP">1250.00</Amt>
          <CdtDbtInd>CRDT</CdtDbtInd>
          <RltdPties>
            <Dbtr><Pty><Nm>Harrow Tools Ltd</Nm></Pty></Dbtr>
            <DbtrAcct><Id><IBAN>GB33BUKB20201555555555</IBAN></Id></DbtrAcct>
            <Cdtr><Pty><Nm>Us Ltd</Nm></Pty></Cdtr>
          </RltdPties>
          <RmtInf><Ustrd>INV-0042</Ustrd><Ustrd>INV-0043</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <NtryRef>N-2</NtryRef>
        <Amt Ccy="GBP">310.20</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-04-10</Dt></BookgDt>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties>
            <Dbtr><Pty><Nm>Us Ltd</Nm></Pty></Dbtr>
            <Cdtr><Pty><Nm>Office Supplies plc</Nm></Pty></Cdtr>
            <CdtrAcct><Id><IBAN>GB94BARC10201530093459</IBAN></Id></CdtrAcct>
          </RltdPties>
          <AddtlTxInf>Stationery April</AddtlTxInf>
        </TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="GBP">75.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>PDNG</Cd></Sts>
        <ValDt><Dt>2026-04-13</Dt></ValDt>
      </Ntry>
      <Ntry>
        <Amt Ccy="GBP">80.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <RvslInd>true</RvslInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-04-10</Dt></BookgDt>
        <ValDt><DtTm>2026-04-09T16:00:00Z</DtTm></ValDt>
        <AcctSvcrRef>GB-7790</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <RltdPties><Dbtr><Pty><Nm>Harrow Tools Ltd</Nm></Pty></Dbtr></RltdPties>
          <RmtInf><Ustrd>RETURN INV-0039</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#;

#[test]
fn camt053_v08_reads_coded_statuses_date_times_and_party_names() {
    let file = read_xml(CAMT053_V08.as_bytes()).unwrap();
    assert_eq!((file.format, file.version.as_str()), (StatementFormat::Camt053, "camt.053.001.08"));
    let gbp = |text| money(text, Currency::GBP);
    let base = |entry: &str, amount, direction| BankLine {
        account: "40-12-7612345678".into(),
        statement: "STMT-2026-041".into(),
        entry: entry.into(),
        booking_date: day("2026-04-10"),
        value_date: None,
        amount,
        direction,
        counterparty_name: None,
        counterparty_iban: None,
        creditor_reference: None,
        remittance: None,
        end_to_end_id: None,
        bank_reference: None,
        reversal: None,
    };
    let payment = BankLine {
        value_date: Some(day("2026-04-10")),
        counterparty_name: some("Harrow Tools Ltd"),
        counterparty_iban: some("GB33BUKB20201555555555"),
        remittance: some("INV-0042 INV-0043"),
        end_to_end_id: some("PO 4471"),
        bank_reference: some("GB-7781"),
        ..base("GB-7781", gbp("1250.00"), Direction::Credit)
    };
    let supplier = BankLine {
        counterparty_name: some("Office Supplies plc"),
        counterparty_iban: some("GB94BARC10201530093459"),
        remittance: some("Stationery April"),
        ..base("N-2", gbp("310.20"), Direction::Debit)
    };
    let returned = BankLine {
        value_date: Some(day("2026-04-09")),
        counterparty_name: some("Harrow Tools Ltd"),
        remittance: some("RETURN INV-0039"),
        bank_reference: some("GB-7790"),
        reversal: Some(Reversal::default()),
        ..base("GB-7790", gbp("80.00"), Direction::Debit)
    };
    assert_eq!(lines(&file), [payment, supplier, returned]);
}

#[test]
fn entries_sharing_a_reference_are_told_apart_by_position() {
    let doubled = CAMT053_V08.replace("GB-7790", "NONREF").replace("GB-7781", "NONREF");
    let entries: Vec<String> = lines(&read_xml(doubled.as_bytes()).unwrap()).into_iter().map(|l| l.entry).collect();
    assert_eq!(entries, ["NONREF#1", "N-2", "NONREF#4"]);
}

#[test]
fn entries_without_reference_on_a_later_page_are_numbered_by_page() {
    let unreferenced = edited("genkgo-camt__camt053.v4.xml", "<AcctSvcrRef>AAAASESS-FP-CN_98765/01</AcctSvcrRef>", "");
    assert_eq!(lines(&read_xml(&unreferenced).unwrap())[0].entry, "#2.1", "page 2, entry 1");
    let alone = String::from_utf8(unreferenced).unwrap().replace("<PgNb>2</PgNb>", "<PgNb>1</PgNb>");
    assert_eq!(lines(&read_xml(alone.as_bytes()).unwrap())[0].entry, "#1", "page 1 of 1");
}

#[test]
fn dates_may_carry_a_time_zone() {
    let zoned = CAMT053_V08.replace(
        "<Dt>2026-04-10</Dt></BookgDt>\n        <NtryDtls>",
        "<Dt>2026-04-10+01:00</Dt></BookgDt>\n        <NtryDtls>",
    );
    assert_ne!(zoned, CAMT053_V08);
    let read = lines(&read_xml(zoned.as_bytes()).unwrap());
    assert_eq!((read[1].entry.as_str(), read[1].booking_date), ("N-2", day("2026-04-10")));
}

#[test]
fn a_date_time_that_is_not_one_is_refused() {
    let bad = CAMT053_V08.replace("2026-04-10T09:31:12+01:00", "2026-04-10 09:31");
    assert_eq!(
        rejection(bad.as_bytes()),
        "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/BookgDt/DtTm: \"2026-04-10 09:31\" is not a date and time such as \
         2026-01-31T10:15:00"
    );
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let _ = read_xml(&bytes);
        let _ = bank_csv::read(&bytes, "ES00", "s1", &CsvMapping::default());
    }

    #[test]
    fn any_one_byte_changed_in_a_statement_never_panics(at in 0usize..CAMT054.len(), byte in proptest::num::u8::ANY) {
        let mut bytes = CAMT054.as_bytes().to_vec();
        bytes[at] = byte;
        let _ = read_xml(&bytes);
    }
}

// --- CSV exports -------------------------------------------------------------------------------

/// The rows of a CSV export; lines keyed by their content (no reference column) are shown as
/// `line N` so the expected values stay readable (`content_keys_*` checks those keys).
fn csv_rows(text: &[u8], mapping: &CsvMapping) -> Vec<ImportRow<BankLine>> {
    let rows = bank_csv::read(text, "ES9121000418450200051332", "2026-03", mapping).unwrap();
    rows.into_iter()
        .map(|row| {
            row.map(|mut located| {
                if located.value.entry.contains('#') {
                    located.value.entry = format!("line {}", located.line);
                }
                located
            })
        })
        .collect()
}

#[test]
fn content_keys_do_not_depend_on_the_place_in_the_file_and_twins_are_counted() {
    let one = b"date,amount,name\n2026-03-02,10.00,Rossi\n2026-03-02,10.00,Rossi\n";
    let shifted = b"date,amount,name\n2026-03-01,5.00,Bianchi\n2026-03-02,10.00,Rossi\n2026-03-02,10.00,Rossi\n";
    let keys = |text: &[u8]| -> Vec<String> {
        bank_csv::read(text, "A", "csv", &CsvMapping::parse_spec("default_currency=EUR").unwrap())
            .unwrap()
            .into_iter()
            .map(|r| r.unwrap().value.entry)
            .collect()
    };
    let (first, second) = (keys(one), keys(shifted));
    assert_eq!(first, second[1..], "the same movements keep their keys when the export starts earlier");
    assert!(first[0].ends_with("#1") && first[1].ends_with("#2"), "two identical movements: {first:?}");
    assert_ne!(second[0], first[0]);
}

fn csv_line(entry: &str, date: &str, amount: Money, direction: Direction) -> BankLine {
    BankLine {
        account: "ES9121000418450200051332".into(),
        statement: "2026-03".into(),
        entry: entry.into(),
        booking_date: day(date),
        value_date: None,
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

fn good(rows: &[ImportRow<BankLine>]) -> Vec<(u64, BankLine)> {
    rows.iter().filter_map(|row| row.as_ref().ok()).map(|l| (l.line, l.value.clone())).collect()
}

fn bad(rows: &[ImportRow<BankLine>]) -> Vec<String> {
    rows.iter().filter_map(|row| row.as_ref().err()).map(Rejection::to_string).collect()
}

#[test]
fn the_default_mapping_reads_signed_amounts_and_the_optional_columns() {
    let file = "date,amount,currency,name,iban,remittance,reference,value_date\n\
                2026-03-02,1210.00,EUR,Ferretería  Alonso,ES79 2100 0813 6101 2345 6789,Factura 2026-0101,BNK-1,2026-03-03\n\
                2026-03-03,-45.10,eur,Telefónica,,Recibo marzo,BNK-2,\n\
                2026-03-04,\"£1,500.00\",GBP,,,,,\n";
    let rows = csv_rows(file.as_bytes(), &CsvMapping::default());
    let first = BankLine {
        value_date: Some(day("2026-03-03")),
        counterparty_name: some("Ferretería Alonso"),
        counterparty_iban: some("ES7921000813610123456789"),
        remittance: some("Factura 2026-0101"),
        ..csv_line("BNK-1", "2026-03-02", eur("1210.00"), Direction::Credit)
    };
    let second = BankLine {
        counterparty_name: some("Telefónica"),
        remittance: some("Recibo marzo"),
        ..csv_line("BNK-2", "2026-03-03", eur("45.10"), Direction::Debit)
    };
    let third = csv_line("line 4", "2026-03-04", money("1500.00", Currency::GBP), Direction::Credit);
    assert_eq!(good(&rows), [(2, first), (3, second), (4, third)]);
    assert!(bad(&rows).is_empty());
}

#[test]
fn a_spanish_export_reads_with_semicolons_decimal_commas_and_day_first_dates() {
    let file = "Fecha;Fecha valor;Concepto;Importe;Saldo;Ordenante\n\
                02/03/2026;03/03/2026;TRANSFERENCIA FACTURA 2026-0101;1.210,00;5.000,00;FERRETERIA ALONSO SL\n\
                05/03/2026;05/03/2026;RECIBO LUZ;-87,45;4.912,55;\n\
                06/03/2026;;TPV;1 000,5;5.913,05;\n";
    let mapping = CsvMapping::parse_spec(
        "date=Fecha, value_date=Fecha valor, remittance=Concepto, amount=Importe, name=Ordenante, default_currency=EUR, \
         date_format=%d/%m/%Y, decimal_comma=true, delimiter=semicolon",
    )
    .unwrap();
    assert_eq!(mapping.delimiter, b';');
    assert_eq!(mapping.counterparty_name, Some(Column::named("Ordenante")));
    let rows = csv_rows(file.as_bytes(), &mapping);
    let transfer = BankLine {
        value_date: Some(day("2026-03-03")),
        counterparty_name: some("FERRETERIA ALONSO SL"),
        remittance: some("TRANSFERENCIA FACTURA 2026-0101"),
        ..csv_line("line 2", "2026-03-02", eur("1210.00"), Direction::Credit)
    };
    let bill = BankLine {
        value_date: Some(day("2026-03-05")),
        remittance: some("RECIBO LUZ"),
        ..csv_line("line 3", "2026-03-05", eur("87.45"), Direction::Debit)
    };
    let card =
        BankLine { remittance: some("TPV"), ..csv_line("line 4", "2026-03-06", eur("1000.50"), Direction::Credit) };
    assert_eq!(good(&rows), [(2, transfer), (3, bill), (4, card)]);
}

#[test]
fn a_german_latin1_export_reads_its_direction_column() {
    let mut file = b"Buchungstag;Valuta;Betrag;Soll/Haben;Waehrung;Auftraggeber;Verwendungszweck\n".to_vec();
    file.extend_from_slice(b"31.03.2026;31.03.2026;1.500,00;H;EUR;M\xfcller GmbH;RE 2026-17 \x80 1.500\n");
    file.extend_from_slice(b"31.03.2026;01.04.2026;19,99;S;EUR;;Abo\n");
    file.extend_from_slice(b"31.03.2026;01.04.2026;-5,00;H;EUR;;contradiction\n");
    file.extend_from_slice(b"31.03.2026;01.04.2026;5,00;X;EUR;;unknown\n");
    file.extend_from_slice(b"31.03.2026;01.04.2026;5,00-;S;EUR;;trailing minus\n");
    let mut mapping = CsvMapping::default();
    for (key, value) in [
        ("date", "Buchungstag"),
        ("value_date", "Valuta"),
        ("amount", "Betrag"),
        ("direction", "Soll/Haben"),
        ("currency", "Waehrung"),
        ("name", "Auftraggeber"),
        ("remittance", "Verwendungszweck"),
        ("date_format", "%d.%m.%Y"),
        ("decimal_comma", "yes"),
        ("delimiter", ";"),
    ] {
        mapping.set(key, value).unwrap();
    }
    let rows = csv_rows(&file, &mapping);
    let credit = BankLine {
        value_date: Some(day("2026-03-31")),
        counterparty_name: some("Müller GmbH"),
        remittance: some("RE 2026-17 € 1.500"),
        ..csv_line("line 2", "2026-03-31", eur("1500.00"), Direction::Credit)
    };
    let debit = BankLine {
        value_date: Some(day("2026-04-01")),
        remittance: some("Abo"),
        ..csv_line("line 3", "2026-03-31", eur("19.99"), Direction::Debit)
    };
    let trailing = BankLine {
        value_date: Some(day("2026-04-01")),
        remittance: some("trailing minus"),
        ..csv_line("line 6", "2026-03-31", eur("5.00"), Direction::Debit)
    };
    assert_eq!(good(&rows), [(2, credit), (3, debit), (6, trailing)]);
    assert_eq!(
        bad(&rows),
        [
            "line 4, column Betrag: is negative but Soll/Haben says credit: which way did the money go?",
            "line 5, column Soll/Haben: \"X\" is neither credit nor debit (C/D, CRDT/DBIT, credit/debit, H/S, +/-)",
        ]
    );
}

#[test]
fn a_mapped_column_missing_from_the_header_fails_the_file_before_any_row() {
    let file = b"Fecha;Concepto;Cantidad\n02/03/2026;x;1,00\n";
    let mapping = CsvMapping::parse_spec("date=Fecha,amount=Importe,default_currency=EUR,delimiter=;").unwrap();
    let error = bank_csv::read(file, "A", "S", &mapping).unwrap_err();
    assert!(matches!(&error, FileError::MissingColumn { column: "amount", .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "required column \"amount\" is missing from the header (columns found: Fecha, Concepto, Cantidad; the \
         mapping looks for \"Importe\")"
    );
    let named = CsvMapping::parse_spec("date=Fecha,amount=Cantidad,name=Ordenante,default_currency=EUR,delimiter=;");
    let error = bank_csv::read(file, "A", "S", &named.unwrap()).unwrap_err();
    assert!(matches!(error, FileError::MissingColumn { column: "name", .. }), "a column a person names must be there");
    let no_currency = bank_csv::read(b"date,amount\n2026-03-02,1.00\n", "A", "S", &CsvMapping::default()).unwrap_err();
    assert!(matches!(&no_currency, FileError::MissingColumn { column: "currency", .. }));
    assert!(no_currency.to_string().contains("no default_currency is set"), "{no_currency}");
    let twice = bank_csv::read(b"date,amount,Amount\n", "A", "S", &CsvMapping::default()).unwrap_err();
    assert!(matches!(twice, FileError::DuplicateColumn { column } if column == "Amount"));
    let empty = bank_csv::read(b"", "A", "S", &CsvMapping::default()).unwrap_err();
    assert!(matches!(empty, FileError::NoHeader { .. }));
}

#[test]
fn bad_rows_are_rejected_with_line_and_column_and_the_rest_still_read() {
    let file = "Date,Amount,Currency,Reference\n\
                2026-03-02,\"12,50\",EUR,A1\n\
                2026-02-30,12.50,EUR,A2\n\
                2026-03-02,12.505,EUR,A3\n\
                2026-03-02,0.00,EUR,A4\n\
                2026-03-02,12.50,EURO,A5\n\
                2026-03-02,12.50,EUR,A6\n\
                2026-03-02,13.50,EUR,A6\n\
                2026-03-02,13.50,EUR\n\
                2026-03-02,99999999999999999999.99,EUR,A9\n\
                2026-03-02,,EUR,A10\n\
                2026-03-02,1.00,EUR,A\u{0}11\n\
                2026-03-03,7.00,EUR,A12\n";
    let rows = csv_rows(file.as_bytes(), &CsvMapping::default());
    let last = csv_line("A12", "2026-03-03", eur("7.00"), Direction::Credit);
    let a6 = csv_line("A6", "2026-03-02", eur("12.50"), Direction::Credit);
    assert_eq!(good(&rows), [(7, a6), (13, last)]);
    assert_eq!(
        bad(&rows),
        [
            "line 2, column Amount: \"12,50\" is not an amount such as 1234.56 or -1234.56 (if the bank writes \
             1.234,56, set decimal_comma)",
            "line 3, column Date: \"2026-02-30\" is not a date written %Y-%m-%d between 1900 and 2999",
            "line 4, column Amount: \"12.505\" has more decimals than EUR has (2) (if the bank writes 1.234,56, set \
             decimal_comma)",
            "line 5, column Amount: is zero: a bank line moves money",
            "line 6, column Currency: unknown currency \"EURO\": expected an ISO 4217 code such as EUR, GBP or USD",
            "line 8, column Reference: \"A6\" is also the reference on line 7: each movement needs its own",
            "line 9: not a valid CSV record: it has 3 fields where the header has 4",
            "line 10, column Amount: \"99999999999999999999.99\" is too large for an amount",
            "line 11, column Amount: is empty: a value is required",
            "line 12, column Reference: contains a control character (U+0000) at character 2: text cannot hold it",
        ]
    );
}

#[test]
fn mapping_specs_that_cannot_work_are_refused() {
    let unknown = CsvMapping::parse_spec("fecha=Fecha").unwrap_err();
    assert_eq!(unknown, MappingError::UnknownKey { key: "fecha".into() });
    assert!(unknown.to_string().contains("keys: date, amount, money_in, money_out, currency"), "{unknown}");
    assert!(matches!(CsvMapping::parse_spec("date"), Err(MappingError::NotAPair { .. })));
    assert!(matches!(CsvMapping::parse_spec("amount="), Err(MappingError::BadValue { .. })));
    let currency = CsvMapping::parse_spec("default_currency=EURO").unwrap_err();
    assert!(currency.to_string().starts_with("default_currency=\"EURO\": unknown currency"), "{currency}");
    let format = CsvMapping::parse_spec("date_format=%Y-%m").unwrap_err();
    assert_eq!(format.to_string(), "date_format=\"%Y-%m\": the format must give the day, the month and the year");
    assert!(CsvMapping::parse_spec("date_format=%Q").is_err());
    assert!(CsvMapping::parse_spec("delimiter=x").is_err());
    assert!(CsvMapping::parse_spec("decimal_comma=maybe").is_err());
    let unmapped = CsvMapping::parse_spec("iban=,delimiter=tab").unwrap();
    assert_eq!((unmapped.counterparty_iban, unmapped.delimiter), (None, b'\t'));
    assert_eq!(CsvMapping::parse_spec("").unwrap(), CsvMapping::default());
}

#[test]
fn utf16_exports_with_a_bom_read() {
    let text = "date\tamount\tcurrency\tname\n2026-03-02\t10.00\tEUR\tZoë\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mapping = CsvMapping::parse_spec("delimiter=tab").unwrap();
    let rows = csv_rows(&bytes, &mapping);
    let expected = BankLine {
        counterparty_name: some("Zoë"),
        ..csv_line("line 2", "2026-03-02", eur("10.00"), Direction::Credit)
    };
    assert_eq!(good(&rows), [(2, expected)]);
}

#[test]
fn a_header_below_the_banks_title_lines_is_found_or_skipped_to() {
    let file = "Kontoauszug;DE63720691550004417283\nZeitraum;01.04.2026 - 30.04.2026\n\n\
                Buchungstag;Betrag;Verwendungszweck\n16.04.2026;642,60;RE26-0402\n17.04.2026;x;kaputt\n";
    let spec = "date=Buchungstag,amount=Betrag,remittance=Verwendungszweck,date_format=%d.%m.%Y,decimal_comma=true,\
                delimiter=;,default_currency=EUR";
    let found = csv_rows(file.as_bytes(), &CsvMapping::parse_spec(spec).unwrap());
    assert_eq!(good(&found)[0].1.amount, eur("642.60"));
    assert_eq!(good(&found)[0].0, 5, "the file's own line number");
    assert!(bad(&found)[0].starts_with("line 6"), "{:?}", bad(&found));
    let skipped = csv_rows(file.as_bytes(), &CsvMapping::parse_spec(&format!("{spec},skip=3")).unwrap());
    assert_eq!(good(&skipped), good(&found));
}

#[test]
fn money_in_and_money_out_columns_give_the_direction() {
    let file = "Data;Entrate;Uscite;Descrizione\n21/10/2026;6.222,00;;RIBA\n22/10/2026;;35,50;Commissioni\n\
                23/10/2026;1,00;2,00;doppio\n24/10/2026;;;vuoto\n";
    let spec = "date=Data,money_in=Entrate,money_out=Uscite,remittance=Descrizione,date_format=%d/%m/%Y,\
                decimal_comma=true,delimiter=;,default_currency=EUR";
    let rows = csv_rows(file.as_bytes(), &CsvMapping::parse_spec(spec).unwrap());
    let read: Vec<(Direction, Money)> = good(&rows).iter().map(|(_, l)| (l.direction, l.amount)).collect();
    assert_eq!(read, [(Direction::Credit, eur("6222.00")), (Direction::Debit, eur("35.50"))]);
    let errors = bad(&rows);
    assert!(errors[0].contains("both filled") && errors[1].contains("both empty"), "{errors:?}");
    let half = CsvMapping::parse_spec("money_in=Entrate,default_currency=EUR").unwrap();
    assert!(bank_csv::read(file.as_bytes(), "A", "S", &half).is_err(), "money_in without money_out");
}
