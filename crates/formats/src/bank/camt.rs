//! ISO 20022 camt.052 reports (`BkToCstmrAcctRpt/Rpt`), camt.053 statements
//! (`BkToCstmrStmt/Stmt`) and camt.054 notifications (`BkToCstmrDbtCdtNtfctn/Ntfctn`), versions
//! 001.02 to 001.13, read into bank lines and each statement's balances.
//!
//! Each booked entry (`Ntry`) is one line, or one line per transaction detail (`TxDtls`) when
//! the bank booked several payments as one entry and says what each was; an entry batching
//! several payments without their amounts is one line of the entry's amount keeping every
//! reference. Pending, future and information-only entries are left out (a statement's entries
//! are booked by definition when a bank omits `Sts`). The reader follows the message definitions
//! rather than one bank's habits: the status as plain text (up to 001.06) or as `Sts/Cd` (001.07
//! on), dates as `Dt` or `DtTm`, parties as `Nm` (up to 001.07) or `Pty/Nm` (001.08 on), detail
//! amounts in `AmtDtls/TxAmt/Amt` or `Amt`, returns in `RtrInf` and reversals in `RvslInd`.

use super::{StatementBalances, StatementFormat};
use crate::einvoice::{Reader, Rejected};
use crate::xml::Element;
use chrono::NaiveDate;
use overdue_core::bank::{Balance, BankLine, Direction, Reversal};
use overdue_core::date::parse_iso;
use overdue_core::money::Money;
use overdue_core::{Currency, MoneyError};
use std::collections::HashMap;

/// The lines of every statement in `message` (at XML path `path`), each statement's balances,
/// and how many entries were left out as not booked; `statement` is the name of a statement's element (`Rpt`, `Stmt` or `Ntfctn`).
pub(super) fn read(
    message: &Element,
    path: &str,
    statement: &str,
    format: StatementFormat,
) -> (Vec<Result<BankLine, Rejected>>, Vec<StatementBalances>, usize) {
    let mut lines = Vec::new();
    let mut statements = Vec::new();
    let mut left_out = 0;
    for (index, element) in message.children_named(statement).enumerate() {
        left_out += not_booked(element);
        let r = Reader { root: element, root_path: format!("{path}/{statement}[{}]", index + 1) };
        let from = lines.len();
        let header = statement_lines(&r, format, &mut lines);
        if let Some(header) = header {
            let (opening, closing) = balances(element);
            statements.push(StatementBalances {
                account: header.account,
                id: header.id,
                opening,
                closing,
                lines: from..lines.len(),
            });
        }
    }
    (lines, statements, left_out)
}

/// What every line of one statement shares.
struct Statement {
    account: String,
    id: String,
    format: StatementFormat,
    /// The day the statement is of, for entries that give no date of their own: the end of
    /// `FrToDt`, else the closing balance's day, else `CreDtTm`'s.
    day: Option<NaiveDate>,
}

fn statement_day(statement: &Element) -> Option<NaiveDate> {
    let day = |text: &str| text.get(..10).and_then(|d| parse_iso(d).ok());
    statement
        .text_at(&["FrToDt", "ToDtTm"])
        .and_then(day)
        .or_else(|| balances(statement).1.map(|b| b.date))
        .or_else(|| statement.text_at(&["CreDtTm"]).and_then(day))
}

/// The statement's opening booked balance (`OPBD`, else `PRCD`: the previous closing) and its
/// closing booked balance (`CLBD`). A balance that cannot be read is as if not stated: the check
/// is then skipped, never failed on a misreading.
fn balances(statement: &Element) -> (Option<Balance>, Option<Balance>) {
    let of = |codes: &[&str]| {
        statement.children_named("Bal").find_map(|bal| {
            let code =
                bal.text_at(&["Tp", "CdOrPrtry", "Cd"]).or_else(|| bal.text_at(&["Tp", "CdOrPrtry", "Prtry"]))?;
            codes.contains(&code).then(|| balance(bal)).flatten()
        })
    };
    (of(&["OPBD"]).or_else(|| of(&["PRCD"])), of(&["CLBD"]))
}

/// One `Bal`: its amount signed by `CdtDbtInd` (DBIT: overdrawn; absent: a credit or zero) and
/// its date. Banks may write more decimals than the currency has (`100.0000000000005`): the
/// amount is rounded half up to the currency's minor unit.
fn balance(bal: &Element) -> Option<Balance> {
    let amount = bal.child("Amt")?;
    let currency = Currency::from_code(amount.attribute("Ccy")?).ok()?;
    let minor = rounded_minor(&amount.text, currency.exponent())?;
    let signed = if bal.text_at(&["CdtDbtInd"]) == Some("DBIT") { -minor } else { minor };
    let date = bal.text_at(&["Dt", "Dt"]).or_else(|| bal.text_at(&["Dt", "DtTm"]).and_then(|t| t.get(..10)))?;
    let date = parse_iso(date.get(..10).unwrap_or(date)).ok()?;
    Some(Balance { date, amount: Money::new(signed, currency) })
}

/// An unsigned decimal rounded half up to `exponent` decimals, in minor units.
fn rounded_minor(text: &str, exponent: u8) -> Option<i64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) || whole.len() > 15 {
        return None;
    }
    let exponent = usize::from(exponent);
    let kept: String = fraction.chars().chain(std::iter::repeat('0')).take(exponent).collect();
    let mut minor: i64 = format!("{whole}{kept}").parse().ok()?;
    if fraction.as_bytes().get(exponent).is_some_and(|&digit| digit >= b'5') {
        minor += 1;
    }
    Some(minor)
}

/// One booked entry, as the lines made from it share it.
struct Entry {
    amount: Money,
    /// `CdtDbtInd` as written; see [`moved`] for reversals.
    indicator: Direction,
    reversal: bool,
    booking_date: NaiveDate,
    value_date: Option<NaiveDate>,
    reference: String,
    /// `AcctSvcrRef`: the bank's reference of the booking.
    bank_reference: Option<String>,
    /// The bank transaction code says the entry returns or reverses a payment (`BkTxCd/Domn/Fmly/
    /// SubFmlyCd` UPDD, RRTN, RPCR, PRDD).
    returned_by_code: bool,
    /// Charges booked with the entry (`Chrgs`).
    charges: Option<Money>,
}

/// What a transaction detail (or the entry, without one) says about the payment.
#[derive(Default)]
struct Details {
    counterparty_name: Option<String>,
    counterparty_iban: Option<String>,
    creditor_reference: Option<String>,
    remittance: Option<String>,
    end_to_end_id: Option<String>,
    /// `Refs/AcctSvcrRef` of the transaction.
    bank_reference: Option<String>,
    /// `RtrInf`: the transaction returns an earlier payment (reason code, the bank's words).
    returned: Option<(Option<String>, Option<String>)>,
    /// `Chrgs` of the transaction.
    charges: Option<Money>,
}

/// Pushes the statement's lines (or the rejection of its header) onto `lines`; the statement's
/// header when it could be read.
fn statement_lines(
    r: &Reader,
    format: StatementFormat,
    lines: &mut Vec<Result<BankLine, Rejected>>,
) -> Option<Statement> {
    let entries: Vec<&Element> = r.root.children_named("Ntry").collect();
    let statement = match header(r, entries.len(), format) {
        Ok(statement) => statement,
        Err(rejected) => {
            lines.push(Err(rejected));
            return None;
        }
    };
    let page = page(r.root);
    for (index, (entry, reference)) in entries.iter().zip(entry_references(&entries, page)).enumerate() {
        let entry = Reader { root: entry, root_path: format!("{}/Ntry[{}]", r.root_path, index + 1) };
        match entry_lines(&entry, &statement, reference) {
            Ok(entry_lines) => lines.extend(entry_lines.into_iter().map(Ok)),
            Err(rejected) => lines.push(Err(rejected)),
        }
    }
    Some(statement)
}

/// The page number of a statement split into pages (`StmtPgntn`, `NtfctnPgntn`); `None` for a
/// statement on one page.
fn page(statement: &Element) -> Option<&str> {
    let pagination = ["StmtPgntn", "NtfctnPgntn", "RptPgntn"].iter().find_map(|name| statement.child(name))?;
    let number = pagination.text_at(&["PgNb"])?;
    let alone = number == "1" && pagination.text_at(&["LastPgInd"]).is_some_and(|last| last == "true" || last == "1");
    (!alone).then_some(number)
}

/// The statement's id and account (`Acct/Id/IBAN`, else the bank's own id in `Acct/Id/Othr/Id`).
fn header(r: &Reader, entries: usize, format: StatementFormat) -> Result<Statement, Rejected> {
    let lost = |what: &str| {
        format!("is missing: without the {what} none of the statement's {entries} entries can be imported")
    };
    let id = r.root.text_at(&["Id"]).ok_or_else(|| r.reject(&["Id"], lost("statement id")))?;
    let account = r
        .root
        .text_at(&["Acct", "Id", "IBAN"])
        .or_else(|| r.root.text_at(&["Acct", "Id", "Othr", "Id"]))
        .ok_or_else(|| r.reject(&["Acct", "Id"], lost("account")))?;
    Ok(Statement { account: compact(account), id: id.to_owned(), format, day: statement_day(r.root) })
}

/// Each entry's reference: the bank's (`AcctSvcrRef`), else the entry's own (`NtryRef`), else its
/// 1-based position (`#3`; `#2.3` on page 2 of a statement split into pages, as the pages share
/// the statement's id). A reference several entries of the statement share (some banks write
/// `NONREF` everywhere) would give them one key, so each of those gets its position appended.
fn entry_references(entries: &[&Element], page: Option<&str>) -> Vec<String> {
    let page = page.map_or(String::new(), |page| format!("{page}."));
    let given: Vec<Option<&str>> =
        entries.iter().map(|e| e.text_at(&["AcctSvcrRef"]).or_else(|| e.text_at(&["NtryRef"]))).collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for reference in given.iter().flatten() {
        *uses.entry(reference).or_default() += 1;
    }
    let numbered = given.iter().enumerate().map(|(index, reference)| match reference {
        Some(reference) if uses.get(reference) == Some(&1) => (*reference).to_owned(),
        Some(reference) => format!("{reference}#{page}{}", index + 1),
        None => format!("#{page}{}", index + 1),
    });
    numbered.collect()
}

/// The lines of one entry: none if it is not booked.
fn entry_lines(r: &Reader, statement: &Statement, reference: String) -> Result<Vec<BankLine>, Rejected> {
    if !booked(r, statement.format)? {
        return Ok(Vec::new());
    }
    let entry = entry(r, reference, statement.day)?;
    let transactions = transactions(r);
    let entry_info = r.root.text_at(&["AddtlNtryInf"]);
    let side = original_side(entry.indicator, entry.reversal);
    match transactions.as_slice() {
        [] => {
            let details = Details { remittance: entry_info.and_then(clean), ..Details::default() };
            Ok(vec![line(statement, &entry, entry.reference.clone(), entry.amount, entry.indicator, details)])
        }
        [only] => {
            let details = details(only.root, side, entry_info, entry.amount.currency());
            Ok(vec![line(statement, &entry, entry.reference.clone(), entry.amount, entry.indicator, details)])
        }
        several if several.iter().all(|t| !has_amount(t)) => {
            let merged = merged(
                several.iter().map(|t| details(t.root, side, None, entry.amount.currency())).collect(),
                entry_info,
            );
            Ok(vec![line(statement, &entry, entry.reference.clone(), entry.amount, entry.indicator, merged)])
        }
        several => split(r, statement, &entry, several),
    }
}

/// Whether a transaction detail states its own amount.
fn has_amount(transaction: &Reader) -> bool {
    transaction.root.at(&["AmtDtls", "TxAmt", "Amt"]).is_some() || transaction.root.child("Amt").is_some()
}

/// The details of a batch whose transactions carry no amounts, as the one line of the entry: the
/// payer when all agree, every creditor reference and remittance text kept (joined with ` | `)
/// so the matcher sees each invoice named.
fn merged(all: Vec<Details>, entry_info: Option<&str>) -> Details {
    let agreed = |field: fn(&Details) -> Option<&String>| {
        let first = all.first().and_then(field)?;
        all.iter().all(|d| field(d) == Some(first)).then(|| first.clone())
    };
    let joined = |field: fn(&Details) -> Option<&String>| {
        let parts: Vec<&str> = all.iter().filter_map(field).map(String::as_str).collect();
        (!parts.is_empty()).then(|| parts.join(" | "))
    };
    let references = all.iter().filter_map(|d| d.creditor_reference.as_deref());
    let texts = all.iter().filter_map(|d| d.remittance.as_deref());
    let remittance: Vec<&str> = references.chain(texts).collect();
    Details {
        counterparty_name: agreed(|d| d.counterparty_name.as_ref()),
        counterparty_iban: agreed(|d| d.counterparty_iban.as_ref()),
        creditor_reference: agreed(|d| d.creditor_reference.as_ref()),
        remittance: if remittance.is_empty() { entry_info.and_then(clean) } else { Some(remittance.join(" | ")) },
        end_to_end_id: joined(|d| d.end_to_end_id.as_ref()),
        bank_reference: None,
        returned: all.iter().find_map(|d| d.returned.clone()),
        charges: None,
    }
}

/// Whether the entry is booked (`BOOK`): pending (`PDNG`), future (`FUTR`) and information-only
/// (`INFO`) entries are not lines. Plain text up to 001.06, `Cd` or `Prtry` from 001.07. Without a
/// status, a statement's entry is booked (a camt.053 reports booked entries), and a report's or
/// notification's entry is booked when it has a booking date.
fn booked(r: &Reader, format: StatementFormat) -> Result<bool, Rejected> {
    match status(r.root).as_deref() {
        Some("BOOK") => Ok(true),
        Some("PDNG" | "FUTR" | "INFO") => Ok(false),
        Some(other) => Err(r.reject(&["Sts"], format!("{other:?} is not an entry status (BOOK, PDNG, FUTR or INFO)"))),
        None if format == StatementFormat::Camt053 || r.root.child("BookgDt").is_some() => Ok(true),
        None => Err(r.reject(&["Sts"], "is missing, and so is BookgDt: whether the entry is booked is unknown")),
    }
}

/// An entry's status code in upper case, as text (up to 001.06) or `Sts/Cd` / `Sts/Prtry`.
fn status(entry: &Element) -> Option<String> {
    let status = entry.child("Sts");
    let code = status.and_then(|s| Some(s.text.as_str()).filter(|t| !t.is_empty()).or_else(|| s.text_at(&["Cd"])));
    code.or_else(|| status.and_then(|s| s.text_at(&["Prtry"]))).map(str::to_ascii_uppercase)
}

/// How many entries of a statement are pending, future or for information only.
fn not_booked(statement: &Element) -> usize {
    let left_out =
        |entry: &&Element| status(entry).is_some_and(|code| matches!(code.as_str(), "PDNG" | "FUTR" | "INFO"));
    statement.children_named("Ntry").filter(left_out).count()
}

/// An entry; without `BookgDt` or `ValDt` it is booked on `statement_day` (the day the
/// statement is of).
fn entry(r: &Reader, reference: String, statement_day: Option<NaiveDate>) -> Result<Entry, Rejected> {
    let amount = amount(r, &["Amt"])?;
    let indicator = indicator(r)?;
    let reversal = match r.root.text_at(&["RvslInd"]) {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(other) => return Err(r.reject(&["RvslInd"], format!("{other:?} is not true or false"))),
    };
    let value_date = date(r, "ValDt")?;
    let booking_date = date(r, "BookgDt")?.or(value_date).or(statement_day).ok_or_else(|| {
        r.reject(&["BookgDt"], "is missing, and so are ValDt and the statement's own date: the entry has no date")
    })?;
    let sub_family = r.root.text_at(&["BkTxCd", "Domn", "Fmly", "SubFmlyCd"]);
    Ok(Entry {
        amount,
        indicator,
        reversal,
        booking_date,
        value_date,
        reference,
        bank_reference: r.root.text_at(&["AcctSvcrRef"]).map(str::to_owned),
        returned_by_code: sub_family.is_some_and(|code| RETURN_CODES.contains(&code)),
        charges: charges(r.root, amount.currency()),
    })
}

/// Bank transaction sub-family codes (ISO 20022 External Code Sets, `ExternalBankTransaction
/// SubFamily1Code`) of entries that undo a payment: UPDD unpaid direct debit (returned), RRTN
/// payment return, RPCR reversal after a cancellation request, PRDD reversal of a direct debit.
const RETURN_CODES: [&str; 4] = ["UPDD", "RRTN", "RPCR", "PRDD"];

/// The charges stated on an entry or transaction in `currency`: `Chrgs/TtlChrgsAndTaxAmt`
/// (001.03 on), else the sum of `Chrgs/Rcrd/Amt` (001.03 on) or of each `Chrgs/Amt` (001.02).
fn charges(element: &Element, currency: Currency) -> Option<Money> {
    let amounts: Vec<&Element> = element
        .children_named("Chrgs")
        .flat_map(|charges| match charges.child("TtlChrgsAndTaxAmt") {
            Some(total) => vec![total],
            None => charges.children_named("Rcrd").filter_map(|r| r.child("Amt")).chain(charges.child("Amt")).collect(),
        })
        .collect();
    let mut total = 0i64;
    for amount in amounts {
        if amount.attribute("Ccy") != Some(currency.code()) {
            continue;
        }
        total = total.checked_add(rounded_minor(&amount.text, currency.exponent())?)?;
    }
    (total > 0).then(|| Money::new(total, currency))
}

fn indicator(r: &Reader) -> Result<Direction, Rejected> {
    match r.root.text_at(&["CdtDbtInd"]) {
        Some("CRDT") => Ok(Direction::Credit),
        Some("DBIT") => Ok(Direction::Debit),
        Some(other) => Err(r.reject(&["CdtDbtInd"], format!("{other:?} is neither CRDT (credit) nor DBIT (debit)"))),
        None => Err(r.reject(&["CdtDbtInd"], "is missing: whether money came in or went out is unknown")),
    }
}

/// Whose side the related parties are read from. The money moved as `CdtDbtInd` says, reversal
/// or not: ISO 20022's usage note for `RvslInd` reads the indicator as the reversal entry's own
/// direction ("CRDT and reversal: the original operation was a debit"). A reversal's parties are
/// those of the operation it reverses, so the other party is on the opposite side.
fn original_side(indicator: Direction, reversal: bool) -> Direction {
    match (indicator, reversal) {
        (direction, false) => direction,
        (Direction::Credit, true) => Direction::Debit,
        (Direction::Debit, true) => Direction::Credit,
    }
}

/// `BookgDt` or `ValDt`: a date (`Dt`), or a date and time (`DtTm`) whose date part is taken as
/// written, in the bank's time zone.
fn date(r: &Reader, name: &str) -> Result<Option<NaiveDate>, Rejected> {
    let Some(element) = r.root.child(name) else { return Ok(None) };
    if let Some(text) = element.text_at(&["Dt"]) {
        // xs:date may carry a time zone: `2026-01-31+01:00`, `2026-01-31Z`.
        let zoned = text.get(10..).is_some_and(|zone| zone == "Z" || zone.starts_with(['+', '-']));
        let date = if zoned { text.get(..10).unwrap_or(text) } else { text };
        return parse_iso(date).map(Some).map_err(|e| r.reject(&[name, "Dt"], e.to_string()));
    }
    let Some(text) = element.text_at(&["DtTm"]) else {
        return Err(r.reject(&[name], "has neither Dt nor DtTm"));
    };
    let date = text.get(..10).filter(|_| text.as_bytes().get(10) == Some(&b'T'));
    let bad = || r.reject(&[name, "DtTm"], format!("{text:?} is not a date and time such as 2026-01-31T10:15:00"));
    date.ok_or_else(bad).and_then(|date| parse_iso(date).map(Some).map_err(|_| bad()))
}

/// A camt amount (`<Amt Ccy="EUR">8.85</Amt>`): an unsigned decimal in the currency of its `Ccy`.
fn amount(r: &Reader, at: &[&str]) -> Result<Money, Rejected> {
    let element = r.root.at(at).ok_or_else(|| r.reject(at, "is missing"))?;
    let code = element.attribute("Ccy").ok_or_else(|| r.reject(at, "has no Ccy attribute: its currency is unknown"))?;
    let currency = Currency::from_code(code).map_err(|e| r.reject(at, e.to_string()))?;
    decimal(&element.text, currency).map_err(|reason| r.reject(at, reason))
}

/// Parses an XML decimal amount. Trailing zeros past the currency's decimals are exact and
/// dropped (banks write `8.850`); another extra decimal, a sign, a separator or zero is refused.
fn decimal(text: &str, currency: Currency) -> Result<Money, String> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return Err(format!(
            "{text:?} is not an amount: camt amounts are unsigned decimals such as 1234.50 (CdtDbtInd gives the \
             direction)"
        ));
    }
    let exact = format!("{whole}.{}", fraction.trim_end_matches('0'));
    let money = Money::parse(&exact, currency).map_err(|e| match e {
        MoneyError::TooManyDecimals { exponent, .. } => {
            format!("{text:?} has more decimals than {currency} has ({exponent}): it is not an amount in {currency}")
        }
        _ => format!("{text:?} is too large for an amount"),
    })?;
    if money.is_zero() {
        return Err(format!("{text:?} is zero: an entry must move money"));
    }
    Ok(money)
}

/// Every `NtryDtls/TxDtls` of an entry, in order, each with its path.
fn transactions<'a>(r: &Reader<'a>) -> Vec<Reader<'a>> {
    let mut found = Vec::new();
    for (i, group) in r.root.children_named("NtryDtls").enumerate() {
        for (j, transaction) in group.children_named("TxDtls").enumerate() {
            let root_path = format!("{}/NtryDtls[{}]/TxDtls[{}]", r.root_path, i + 1, j + 1);
            found.push(Reader { root: transaction, root_path });
        }
    }
    found
}

/// One line per transaction detail, each with its own amount, which must add up to the entry's.
fn split(r: &Reader, statement: &Statement, entry: &Entry, transactions: &[Reader]) -> Result<Vec<BankLine>, Rejected> {
    let currency = entry.amount.currency();
    let mut lines = Vec::with_capacity(transactions.len());
    let mut total = Money::zero(currency);
    for (index, transaction) in transactions.iter().enumerate() {
        let (amount, indicator) = detail_amount(transaction, entry, transactions.len())?;
        let signed = if indicator == Direction::Credit { amount } else { amount.negate() };
        total = total.checked_add(signed).map_err(|e| transaction.reject(&["Amt"], e.to_string()))?;
        let key = format!("{}/{}", entry.reference, index + 1);
        lines.push(line(
            statement,
            entry,
            key,
            amount,
            indicator,
            details(transaction.root, original_side(indicator, entry.reversal), None, currency),
        ));
    }
    let expected = if entry.indicator == Direction::Credit { entry.amount } else { entry.amount.negate() };
    if total != expected {
        let reason = format!(
            "is {} but its {} transaction details add up to {}: the entry cannot be split",
            booked_as(expected),
            transactions.len(),
            booked_as(total)
        );
        return Err(r.reject(&["Amt"], reason));
    }
    Ok(lines)
}

/// A net amount as camt writes it, e.g. `CRDT 10.00` or `DBIT 2.50`.
fn booked_as(net: Money) -> String {
    let indicator = if net.is_negative() { "DBIT" } else { "CRDT" };
    format!("{indicator} {}", net.to_decimal_string().trim_start_matches('-'))
}

/// A detail's amount in the entry's currency (`AmtDtls/TxAmt/Amt`, else `Amt`, else the counter
/// value `AmtDtls/CntrValAmt/Amt` or the instructed amount `AmtDtls/InstdAmt/Amt` when those are
/// the ones in the entry's currency) and its own `CdtDbtInd` (else the entry's).
fn detail_amount(r: &Reader, entry: &Entry, count: usize) -> Result<(Money, Direction), Rejected> {
    let currency = entry.amount.currency();
    // the amount booked (TxAmt), the detail's own, the counter value, the amount instructed:
    // whichever is in the entry's currency
    let candidates: [&[&str]; 4] =
        [&["AmtDtls", "TxAmt", "Amt"], &["Amt"], &["AmtDtls", "CntrValAmt", "Amt"], &["AmtDtls", "InstdAmt", "Amt"]];
    let mut other_currency = None;
    let mut found = None;
    for at in candidates.into_iter().filter(|at| r.root.at(at).is_some()) {
        let amount = amount(r, at)?;
        if amount.currency() == currency {
            found = Some(amount);
            break;
        }
        other_currency = other_currency.or(Some((at, amount.currency())));
    }
    let amount = match (found, other_currency) {
        (Some(amount), _) => amount,
        (None, Some((at, other))) => {
            let reason = format!("is in {other} but the entry in {currency}: the entry cannot be split");
            return Err(r.reject(at, reason));
        }
        (None, None) => {
            let reason = format!("is missing: the entry's amount cannot be split among its {count} transactions");
            return Err(r.reject(&["Amt"], reason));
        }
    };
    let indicator = if r.root.child("CdtDbtInd").is_some() { indicator(r)? } else { entry.indicator };
    Ok((amount, indicator))
}

/// The other party (the debtor of money that came in, the creditor of money that went out; the
/// ultimate one when the direct one is not named), the references and the remittance text.
fn details(transaction: &Element, indicator: Direction, entry_info: Option<&str>, currency: Currency) -> Details {
    let returned = transaction.child("RtrInf").map(|info| {
        let code = info.text_at(&["Rsn", "Cd"]).or_else(|| info.text_at(&["Rsn", "Prtry"])).map(str::to_owned);
        let words: Vec<&str> = info.children_named("AddtlInf").map(|e| e.text.as_str()).collect();
        (code, clean(&words.join(" ")))
    });
    let (party, account, ultimate) = match indicator {
        Direction::Credit => ("Dbtr", "DbtrAcct", "UltmtDbtr"),
        Direction::Debit => ("Cdtr", "CdtrAcct", "UltmtCdtr"),
    };
    let parties = transaction.child("RltdPties");
    let name = parties.and_then(|p| party_name(p.child(party)).or_else(|| party_name(p.child(ultimate))));
    let remittance = remittance(transaction)
        .or_else(|| transaction.text_at(&["AddtlTxInf"]).and_then(clean))
        .or_else(|| entry_info.and_then(clean));
    let creditor_reference = transaction
        .children_named("RmtInf")
        .flat_map(|info| info.children_named("Strd"))
        .find_map(|structured| structured.text_at(&["CdtrRefInf", "Ref"]));
    Details {
        counterparty_name: name,
        counterparty_iban: parties.and_then(|p| p.text_at(&[account, "Id", "IBAN"])).map(compact),
        creditor_reference: creditor_reference.map(compact),
        remittance,
        end_to_end_id: transaction
            .text_at(&["Refs", "EndToEndId"])
            .filter(|id| !id.eq_ignore_ascii_case("NOTPROVIDED"))
            .map(str::to_owned),
        bank_reference: transaction.text_at(&["Refs", "AcctSvcrRef"]).map(str::to_owned),
        returned,
        charges: charges(transaction, currency),
    }
}

/// A party's name: `Nm` (up to 001.07), `Pty/Nm` (001.08), or a bank's `Agt/FinInstnId/Nm`.
fn party_name(party: Option<&Element>) -> Option<String> {
    let party = party?;
    let name = party.text_at(&["Nm"]).or_else(|| party.text_at(&["Pty", "Nm"]));
    name.or_else(|| party.text_at(&["Agt", "FinInstnId", "Nm"])).and_then(clean)
}

/// The payer's words: every `RmtInf/Ustrd`, then the structured parts a person would quote (the
/// referred document's number, `AddtlRmtInf`), joined with a space.
fn remittance(transaction: &Element) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for info in transaction.children_named("RmtInf") {
        parts.extend(info.children_named("Ustrd").map(|e| e.text.as_str()));
        for structured in info.children_named("Strd") {
            parts.extend(structured.children_named("RfrdDocInf").filter_map(|d| d.text_at(&["Nb"])));
            parts.extend(structured.children_named("AddtlRmtInf").map(|e| e.text.as_str()));
        }
    }
    clean(&parts.join(" "))
}

/// Text with runs of white space (line breaks inside a name or remittance) made one space.
fn clean(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// An IBAN or reference without the spaces some files print in groups of four.
fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}

fn line(
    statement: &Statement,
    entry: &Entry,
    key: String,
    amount: Money,
    indicator: Direction,
    details: Details,
) -> BankLine {
    BankLine {
        account: statement.account.clone(),
        statement: statement.id.clone(),
        entry: key,
        booking_date: entry.booking_date,
        value_date: entry.value_date,
        amount,
        direction: indicator,
        counterparty_name: details.counterparty_name,
        counterparty_iban: details.counterparty_iban,
        creditor_reference: details.creditor_reference,
        remittance: details.remittance,
        end_to_end_id: details.end_to_end_id,
        bank_reference: details.bank_reference.or_else(|| entry.bank_reference.clone()),
        reversal: reversal(entry, details.returned, details.charges),
    }
}

/// What undoes an earlier payment: the entry's `RvslInd`, a transaction's `RtrInf`, or a return
/// transaction code; with the reason and the charges when stated.
fn reversal(
    entry: &Entry,
    returned: Option<(Option<String>, Option<String>)>,
    charges: Option<Money>,
) -> Option<Reversal> {
    if !(entry.reversal || entry.returned_by_code || returned.is_some()) {
        return None;
    }
    let (reason_code, reason_text) = returned.unwrap_or_default();
    Some(Reversal { reason_code, reason_text, charges: charges.or(entry.charges) })
}
