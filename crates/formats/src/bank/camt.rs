//! ISO 20022 camt.053 statements (`BkToCstmrStmt/Stmt`) and camt.054 notifications
//! (`BkToCstmrDbtCdtNtfctn/Ntfctn`), versions 001.02 to 001.08, read into bank lines.
//!
//! Each booked entry (`Ntry`) is one line, or one line per transaction detail (`TxDtls`) when
//! the bank booked several payments as one entry. Pending, future and information-only entries
//! are left out. The reader follows the message definitions rather than one bank's habits: the
//! status as plain text (up to 001.06) or as `Sts/Cd` (001.07 on), dates as `Dt` or `DtTm`,
//! parties as `Nm` (up to 001.07) or `Pty/Nm` (001.08), detail amounts in `AmtDtls/TxAmt/Amt`
//! or `Amt`.

use crate::einvoice::{Reader, Rejected};
use crate::xml::Element;
use chrono::NaiveDate;
use overdue_core::bank::{BankLine, Direction};
use overdue_core::date::parse_iso;
use overdue_core::money::Money;
use overdue_core::{Currency, MoneyError};
use std::collections::HashMap;

/// The lines of every statement in `message` (at XML path `path`); `statement` is the name of a
/// statement's element (`Stmt` or `Ntfctn`).
pub(super) fn read(message: &Element, path: &str, statement: &str) -> Vec<Result<BankLine, Rejected>> {
    let mut lines = Vec::new();
    for (index, element) in message.children_named(statement).enumerate() {
        let r = Reader { root: element, root_path: format!("{path}/{statement}[{}]", index + 1) };
        lines.extend(statement_lines(&r));
    }
    lines
}

/// What every line of one statement shares.
struct Statement {
    account: String,
    id: String,
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
}

/// What a transaction detail (or the entry, without one) says about the payment.
#[derive(Default)]
struct Details {
    counterparty_name: Option<String>,
    counterparty_iban: Option<String>,
    creditor_reference: Option<String>,
    remittance: Option<String>,
    end_to_end_id: Option<String>,
}

fn statement_lines(r: &Reader) -> Vec<Result<BankLine, Rejected>> {
    let entries: Vec<&Element> = r.root.children_named("Ntry").collect();
    let statement = match header(r, entries.len()) {
        Ok(statement) => statement,
        Err(rejected) => return vec![Err(rejected)],
    };
    let page = page(r.root);
    let mut lines = Vec::new();
    for (index, (entry, reference)) in entries.iter().zip(entry_references(&entries, page)).enumerate() {
        let entry = Reader { root: entry, root_path: format!("{}/Ntry[{}]", r.root_path, index + 1) };
        match entry_lines(&entry, &statement, reference) {
            Ok(entry_lines) => lines.extend(entry_lines.into_iter().map(Ok)),
            Err(rejected) => lines.push(Err(rejected)),
        }
    }
    lines
}

/// The page number of a statement split into pages (`StmtPgntn`, `NtfctnPgntn`); `None` for a
/// statement on one page.
fn page(statement: &Element) -> Option<&str> {
    let pagination = statement.child("StmtPgntn").or_else(|| statement.child("NtfctnPgntn"))?;
    let number = pagination.text_at(&["PgNb"])?;
    let alone = number == "1" && pagination.text_at(&["LastPgInd"]).is_some_and(|last| last == "true" || last == "1");
    (!alone).then_some(number)
}

/// The statement's id and account (`Acct/Id/IBAN`, else the bank's own id in `Acct/Id/Othr/Id`).
fn header(r: &Reader, entries: usize) -> Result<Statement, Rejected> {
    let lost = |what: &str| {
        format!("is missing: without the {what} none of the statement's {entries} entries can be imported")
    };
    let id = r.root.text_at(&["Id"]).ok_or_else(|| r.reject(&["Id"], lost("statement id")))?;
    let account = r
        .root
        .text_at(&["Acct", "Id", "IBAN"])
        .or_else(|| r.root.text_at(&["Acct", "Id", "Othr", "Id"]))
        .ok_or_else(|| r.reject(&["Acct", "Id"], lost("account")))?;
    Ok(Statement { account: compact(account), id: id.to_owned() })
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
    if !booked(r)? {
        return Ok(Vec::new());
    }
    let entry = entry(r, reference)?;
    let transactions = transactions(r);
    let entry_info = r.root.text_at(&["AddtlNtryInf"]);
    match transactions.as_slice() {
        [] => {
            let details = Details { remittance: entry_info.and_then(clean), ..Details::default() };
            Ok(vec![line(statement, &entry, entry.reference.clone(), entry.amount, entry.indicator, details)])
        }
        [only] => {
            let details = details(only.root, original_side(entry.indicator, entry.reversal), entry_info);
            Ok(vec![line(statement, &entry, entry.reference.clone(), entry.amount, entry.indicator, details)])
        }
        several => split(r, statement, &entry, several),
    }
}

/// Whether the entry is booked (`BOOK`): pending (`PDNG`), future (`FUTR`) and information-only
/// (`INFO`) entries are not lines. Plain text up to 001.06, `Cd` or `Prtry` from 001.07.
fn booked(r: &Reader) -> Result<bool, Rejected> {
    let status = r.root.child("Sts");
    let code = status.and_then(|s| Some(s.text.as_str()).filter(|t| !t.is_empty()).or_else(|| s.text_at(&["Cd"])));
    let code = code.or_else(|| status.and_then(|s| s.text_at(&["Prtry"])));
    match code.map(str::to_ascii_uppercase).as_deref() {
        Some("BOOK") => Ok(true),
        Some("PDNG" | "FUTR" | "INFO") => Ok(false),
        Some(other) => Err(r.reject(&["Sts"], format!("{other:?} is not an entry status (BOOK, PDNG, FUTR or INFO)"))),
        None => Err(r.reject(&["Sts"], "is missing: whether the entry is booked or pending is unknown")),
    }
}

fn entry(r: &Reader, reference: String) -> Result<Entry, Rejected> {
    let amount = amount(r, &["Amt"])?;
    let indicator = indicator(r)?;
    let reversal = match r.root.text_at(&["RvslInd"]) {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(other) => return Err(r.reject(&["RvslInd"], format!("{other:?} is not true or false"))),
    };
    let value_date = date(r, "ValDt")?;
    let booking_date = date(r, "BookgDt")?
        .or(value_date)
        .ok_or_else(|| r.reject(&["BookgDt"], "is missing, and so is ValDt: the entry has no date to be booked on"))?;
    Ok(Entry { amount, indicator, reversal, booking_date, value_date, reference })
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
            details(transaction.root, original_side(indicator, entry.reversal), None),
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

/// A detail's amount in the entry's currency (`AmtDtls/TxAmt/Amt`, else `Amt`) and its own
/// `CdtDbtInd` (else the entry's).
fn detail_amount(r: &Reader, entry: &Entry, count: usize) -> Result<(Money, Direction), Rejected> {
    let currency = entry.amount.currency();
    let candidates: [&[&str]; 2] = [&["AmtDtls", "TxAmt", "Amt"], &["Amt"]];
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
fn details(transaction: &Element, indicator: Direction, entry_info: Option<&str>) -> Details {
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
    }
}
