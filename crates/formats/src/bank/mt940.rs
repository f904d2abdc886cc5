//! SWIFT MT940 statements (Customer Statement Message) and MT942 interim transaction reports,
//! read into bank lines and each statement's balances.
//!
//! The reader follows the SWIFT message definitions (Category 9, MT940 and MT942) rather than one
//! bank's habits. A file holds one or more messages, bare or in SWIFT blocks (`{1:…}{2:O940…}{4:`
//! … `-}{5:…}`), after an optional preamble. A message is a sequence of fields: `:20:` transaction
//! reference, `:25:` account, `:28C:` statement and sequence number, `:60F:`/`:60M:` opening
//! balance, `:61:` statement lines each followed by its `:86:` information to the account owner,
//! `:62F:`/`:62M:` closing balance, `:64:`/`:65:` available balances; an MT942 has `:34F:` floor
//! limits, `:13D:` a date and time and `:90D:`/`:90C:` sums instead of balances. Every `:20:` opens
//! a statement; a line that does not start with a tag continues the field before it; a line `-`
//! (`-}`, `-}{5:…}`) ends the message. Blank lines and non-standard fields (`:NS:`) are passed over.
//!
//! A `:61:` line is `6!n[4!n]2a[1!a]15d1!a3!c16x[//16x][34x]`: value date, entry date, debit/credit
//! mark (`C`, `D`, `RC`/`RD` reversals; `EC`/`ED` are an MT942's expected entries, not booked and
//! so not lines), funds code, amount with a decimal comma, transaction type, the references and
//! supplementary details (`/OCMT/…/CHGS/…`). The free field `:86:` is read by the convention its
//! shape shows:
//! - the German DFÜ-Abkommen (Anlage 3, structured `:86:`): a three-digit Geschäftsvorfallcode
//!   (GVC), then `?nn` subfields; the SEPA remittance in `?20`–`?29`, `?60`–`?63` holds the keys
//!   `EREF+`, `SVWZ+`… split anywhere across subfields;
//! - the Polish banks' `>nn` (or `~nn`) subfields, laid out alike;
//! - the Dutch banks' slash codes (`/TRTP/`, `/NAME/`, `/IBAN/`, `/REMI/`, `/EREF/`, `/ORDP/`,
//!   `/BENM/`, `/RTRN/`…);
//! - any other text is the remittance as written.
//!
//! A line returns or reverses an earlier payment when its mark is `RC`/`RD`, its transaction type
//! `RTI` (returned item), its GVC a German return's, or its `:86:` has a Dutch `/RTRN/`.
//!
//! SWIFT text lines are 65 characters wide: a line that long was cut by width and runs on into the
//! next, while a shorter line ended where its writer broke it.

use super::{BankFile, BankReadError, StatementBalances, StatementFormat};
use crate::einvoice::Rejected;
use crate::encoding::decode_text;
use chrono::{Datelike, NaiveDate};
use overdue_core::bank::{Balance, BankLine, Direction, Reversal, return_reason_text};
use overdue_core::money::Money;
use overdue_core::text::printable;
use overdue_core::{Currency, MoneyError};
use std::collections::HashMap;
use std::ops::RangeInclusive;

/// The width of a SWIFT text line (`:86:` is `6*65x`).
const LINE_WIDTH: usize = 65;

/// The width of a German `:86:` subfield: a name filling `?32` runs on into `?33`.
const SUBFIELD_WIDTH: usize = 27;

/// Reads every statement of an MT940 or MT942 file (UTF-8 or Windows-1252, see [`decode_text`]).
///
/// Each booked `:61:` line becomes a [`BankLine`] whose amount is in the currency of the
/// statement's opening balance (an MT942's floor limit), or a rejection whose path names the
/// statement, the line of the file and the field, e.g. `statement 3 (:20: ABC), line 57, :61:`. A
/// statement without `:20:` or `:25:` is one rejection. Each statement keeps its account, its id
/// (`:20:` and `:28C:` and the statement's day — its closing balance's, else its opening's, else
/// its first line's value date — e.g. `STARTUMS/00001/001@2026-11-30`, since some banks repeat
/// `:20:`/`:28C:` every day; with `#n` appended, n its position in the file, when several
/// statements of the file share it) and its balances, signed (`D` is negative; none in an MT942).
///
/// # Errors
/// [`BankReadError::NotMt940`] when the file is empty or no line of it opens a statement (`:20:`).
pub fn read(bytes: &[u8]) -> Result<BankFile, BankReadError> {
    let decoded = decode_text(bytes);
    // Ctrl-Z ends a DOS text file: what follows it is not the bank's
    let text = decoded.split('\u{1a}').next().unwrap_or_default();
    if text.trim().is_empty() {
        return Err(BankReadError::NotMt940 { reason: "the file is empty".into() });
    }
    let found = scan(text);
    if found.is_empty() {
        return Err(not_a_statement(text));
    }
    let format = format_of(&found);
    let mut headers: Vec<Result<Header, Rejected>> =
        found.iter().enumerate().map(|(index, statement)| header(statement, index + 1, format)).collect();
    make_ids_unique(&mut headers);
    let (mut lines, mut statements) = (Vec::new(), Vec::new());
    for (statement, header) in found.iter().zip(headers) {
        let header = match header {
            Ok(header) => header,
            Err(rejected) => {
                lines.push(Err(rejected));
                continue;
            }
        };
        let from = lines.len();
        read_lines(statement, &header, &mut lines);
        statements.push(StatementBalances {
            account: header.account,
            id: header.id,
            opening: header.opening,
            closing: header.closing,
            lines: from..lines.len(),
        });
    }
    let version = if format == StatementFormat::Mt942 { "MT942" } else { "MT940" };
    let not_booked = found.iter().map(Found::expected_entries).sum();
    Ok(BankFile { format, version: version.into(), lines, statements, not_booked })
}

/// The error for a text in which no statement starts, quoting its beginning.
fn not_a_statement(text: &str) -> BankReadError {
    let first = text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or_default();
    let quoted: String = printable(first).chars().take(60).collect();
    BankReadError::NotMt940 {
        reason: format!(
            "no line starts with :20: (the transaction reference every statement opens with); the file begins \
             {quoted:?}"
        ),
    }
}

/// One field of a statement: its tag (`61`, `86`, `NS`), the line of the file it starts on, and
/// its lines (the first without the tag).
struct Field<'a> {
    tag: &'a str,
    line: usize,
    lines: Vec<&'a str>,
}

/// One statement's fields, from its `:20:` to the next `:20:` or the end of its message.
struct Found<'a> {
    /// The line of the file the statement starts on.
    line: usize,
    /// The message type its SWIFT block 2 names (`940`, `942`), when the message has one.
    message_type: Option<&'a str>,
    fields: Vec<Field<'a>>,
}

impl<'a> Found<'a> {
    /// The first field with one of `tags`.
    fn first(&self, tags: &[&str]) -> Option<&Field<'a>> {
        self.fields.iter().find(|field| tags.contains(&field.tag))
    }

    /// The first line of the first field with one of `tags`, trimmed; `None` if absent or blank.
    fn text(&self, tags: &[&str]) -> Option<&'a str> {
        let line = self.first(tags).and_then(|field| field.lines.first())?;
        Some(line.trim()).filter(|text| !text.is_empty())
    }

    /// How many `:61:` lines are an MT942's expected entries (`EC`/`ED`): not booked, not lines.
    fn expected_entries(&self) -> usize {
        let expected = |field: &&Field| {
            let line = field.lines.first().map_or("", |l| l.trim());
            let after_value_date = line.get(6..).unwrap_or("");
            let after_entry_date = match after_value_date.get(..4) {
                Some(date) if date.bytes().all(|b| b.is_ascii_digit()) => after_value_date.get(4..).unwrap_or(""),
                _ => after_value_date,
            };
            after_entry_date.starts_with("EC") || after_entry_date.starts_with("ED")
        };
        self.fields.iter().filter(|field| field.tag == "61").filter(expected).count()
    }
}

/// Splits a text into its statements' fields.
fn scan(text: &str) -> Vec<Found<'_>> {
    let mut scanner = Scanner::default();
    // CRLF or LF; a file with neither has lines ended by CR alone
    let end = if text.contains('\n') { '\n' } else { '\r' };
    for (index, line) in text.split(end).enumerate() {
        scanner.line(index + 1, line.strip_suffix('\r').unwrap_or(line));
    }
    scanner.found
}

/// Where the scan of a file stands.
#[derive(Default)]
struct Scanner<'a> {
    found: Vec<Found<'a>>,
    /// Inside a statement: a field belongs to it, a line without a tag continues its last field.
    inside: bool,
    /// A message began (a statement was found or a SWIFT text block opened): a field outside a
    /// statement is then a message without its `:20:`, no longer the bank's preamble.
    started: bool,
    message_type: Option<&'a str>,
}

impl<'a> Scanner<'a> {
    /// Takes the file's `number`th line.
    fn line(&mut self, number: usize, line: &'a str) {
        let text = if opens_block(line) {
            self.blocks(line)
        } else if let Some(after) = message_end(line) {
            self.inside = false;
            self.blocks(after) // the next message may start on the same line
        } else {
            Some(line)
        };
        let Some(text) = text.filter(|text| !text.trim().is_empty()) else { return };
        if let Some((tag, content)) = tagged(text) {
            self.field(number, tag, content);
        } else if self.inside
            && let Some(field) = self.found.last_mut().and_then(|statement| statement.fields.last_mut())
        {
            field.lines.push(text);
        }
    }

    /// SWIFT blocks: `{2:O940…}` (or `I940`) names the message type, `{4:` opens the text block
    /// holding the fields; what follows `{4:` on the line is its first line.
    fn blocks(&mut self, line: &'a str) -> Option<&'a str> {
        if let Some((_, application)) = line.split_once("{2:") {
            self.message_type = application.get(1..4);
        }
        let (_, text) = line.split_once("{4:")?;
        self.inside = false;
        self.started = true;
        Some(text)
    }

    /// A field opening on line `number`: `:20:` starts a statement, as does any field after the end
    /// of a message (one without its `:20:`); before the first message it is the bank's preamble.
    fn field(&mut self, number: usize, tag: &'a str, content: &'a str) {
        if tag == "20" || (!self.inside && self.started) {
            self.found.push(Found { line: number, message_type: self.message_type, fields: Vec::new() });
            self.inside = true;
            self.started = true;
        }
        if self.inside
            && let Some(statement) = self.found.last_mut()
        {
            statement.fields.push(Field { tag, line: number, lines: vec![content] });
        }
    }
}

/// Whether a line opens a SWIFT block: `{1:`, `{2:`… `{5:`.
fn opens_block(line: &str) -> bool {
    matches!(line.as_bytes(), [b'{', b'1'..=b'5', b':', ..])
}

/// What follows the end of a message when the line is one: `-`, `-}`, `-}{5:…}` (SWIFT forbids a
/// field's line to start with `-`, but banks' text sometimes does: `- 42` is not an end).
fn message_end(line: &str) -> Option<&str> {
    let rest = line.trim_end().strip_prefix('-')?;
    (rest.is_empty() || rest.starts_with('}')).then_some(rest)
}

/// A field's tag and content when the line opens one: `:61:…`, `:28C:…`, `:NS:…`.
fn tagged(line: &str) -> Option<(&str, &str)> {
    let (tag, content) = line.trim_start().strip_prefix(':')?.split_once(':')?;
    let numbered = match tag.as_bytes() {
        [a, b] => a.is_ascii_digit() && b.is_ascii_digit(),
        [a, b, letter] => a.is_ascii_digit() && b.is_ascii_digit() && letter.is_ascii_uppercase(),
        _ => false,
    };
    (numbered || tag == "NS").then_some((tag, content))
}

/// MT942 when the file's messages say so in their SWIFT block 2, or, without blocks, when it has
/// an MT942's fields (`:34F:`, `:13D:`) and no opening balance; MT940 otherwise.
fn format_of(found: &[Found]) -> StatementFormat {
    let declared: Vec<&str> = found.iter().filter_map(|statement| statement.message_type).collect();
    let interim = if declared.is_empty() {
        let has = |tags: &[&str]| found.iter().any(|statement| statement.first(tags).is_some());
        has(&["34F", "13D"]) && !has(&["60F", "60M"])
    } else {
        declared.iter().all(|message_type| *message_type == "942")
    };
    if interim { StatementFormat::Mt942 } else { StatementFormat::Mt940 }
}

/// What every line of a statement shares.
struct Header {
    /// How rejections name the statement: `statement 3 (:20: ABC)`.
    path: String,
    account: String,
    id: String,
    opening: Option<Balance>,
    closing: Option<Balance>,
    /// The currency of the statement's amounts, or why it is unknown.
    currency: Result<Currency, String>,
}

/// The header of the `number`th statement of the file; a rejection when it has no `:20:` or no
/// `:25:`. A balance that cannot be read is as if not stated: the check is then skipped, never
/// failed on a misreading.
fn header(found: &Found, number: usize, format: StatementFormat) -> Result<Header, Rejected> {
    let count = found.fields.iter().filter(|field| field.tag == "61").count();
    let lost = |what: &str| {
        format!("is missing: without the {what} none of the statement's {count} :61: lines can be imported")
    };
    let Some(reference) = found.text(&["20"]) else {
        let path = format!("statement {number}, line {}, :20:", found.line);
        return Err(Rejected { path, reason: lost("transaction reference") });
    };
    let path = format!("statement {number} (:20: {})", printable(reference));
    let Some(account) = found.text(&["25", "25P"]).map(compact) else {
        return Err(Rejected { path: format!("{path}, line {}, :25:", found.line), reason: lost("account") });
    };
    let reference_and_sequence = match found.text(&["28C", "28"]) {
        Some(sequence) => format!("{reference}/{sequence}"),
        None => reference.to_owned(),
    };
    let stated = |tags: &[&str]| found.text(tags).filter(|_| format == StatementFormat::Mt940).and_then(balance);
    let (opening, closing) = (stated(&["60F", "60M"]), stated(&["62F", "62M"]));
    // :62a: is mandatory in an MT940: without a readable one the statement was cut off or garbled
    if format == StatementFormat::Mt940 && closing.is_none() {
        let field = found.first(&["62F", "62M"]);
        let (line, what) = match field {
            Some(field) => (field.line, "cannot be read as a balance (C or D, YYMMDD, currency, amount)"),
            None => (found.line, "is missing: the statement looks cut off"),
        };
        return Err(Rejected {
            path: format!("{path}, line {line}, :62F:"),
            reason: format!("the closing balance {what}; none of its {count} :61: lines were imported"),
        });
    }
    // banks that write the same :20:/:28C: every day (STARTUMS/0) are told apart by the day
    let day = closing.or(opening).map(|b| b.date).or_else(|| first_value_date(found));
    let id = match day {
        Some(day) => format!("{reference_and_sequence}@{day}"),
        None => reference_and_sequence,
    };
    Ok(Header { path, account, id, opening, closing, currency: currency(found) })
}

/// The value date of the statement's first `:61:` line (an MT942 states no balance to date it).
fn first_value_date(found: &Found) -> Option<NaiveDate> {
    let line = found.first(&["61"])?.lines.first()?.trim();
    yymmdd(digits(line, 6)?.0)
}

/// The currency of a statement's amounts: its opening balance's, else (MT942) its floor limit's,
/// else its closing balance's.
fn currency(found: &Found) -> Result<Currency, String> {
    let sources: [(&[&str], usize); 3] = [(&["60F", "60M"], 7), (&["34F"], 0), (&["62F", "62M"], 7)];
    for (tags, at) in sources {
        let Some(field) = found.first(tags) else { continue };
        let text = field.lines.first().map_or("", |line| line.trim());
        let code = text.get(at..at + 3).unwrap_or(text);
        return Currency::from_code(code)
            .map_err(|e| format!("the currency of :{}: on line {} cannot be read: {e}", field.tag, field.line));
    }
    Err("the statement names no currency: it has no :60F: opening balance (nor :62F: closing balance)".into())
}

/// A balance (`:60F:`, `:62M:`…: `1!a6!n3!a15d`, e.g. `C200219EUR3085,00`), negative for `D`.
fn balance(text: &str) -> Option<Balance> {
    let (negative, rest) = match text.get(..1)? {
        "C" => (false, text.get(1..)?),
        "D" => (true, text.get(1..)?),
        _ => return None,
    };
    let (date, rest) = digits(rest, 6)?;
    let currency = Currency::from_code(rest.get(..3)?).ok()?;
    let amount = swift_amount(rest.get(3..)?, currency).ok()?;
    Some(Balance { date: yymmdd(date)?, amount: if negative { amount.negate() } else { amount } })
}

/// Statement ids several statements of the file share get `#n`, n the statement's position.
fn make_ids_unique(headers: &mut [Result<Header, Rejected>]) {
    let mut ids: Vec<String> =
        headers.iter().map(|header| header.as_ref().map_or_else(|_| String::new(), |h| h.id.clone())).collect();
    make_unique(&mut ids);
    for (header, id) in headers.iter_mut().zip(ids) {
        if let Ok(header) = header {
            header.id = id;
        }
    }
}

/// Appends `#n` (n the 1-based position) to every key that several share, until all differ.
fn make_unique(keys: &mut [String]) {
    for _ in 0..3 {
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for key in keys.iter() {
            *uses.entry(key.as_str()).or_default() += 1;
        }
        let shared: Vec<bool> = keys.iter().map(|key| uses.get(key.as_str()).is_some_and(|&n| n > 1)).collect();
        if !shared.contains(&true) {
            return;
        }
        for (index, (key, shared)) in keys.iter_mut().zip(shared).enumerate() {
            if shared {
                key.push_str(&format!("#{}", index + 1));
            }
        }
    }
}

/// One `:61:` with the lines of the `:86:` fields that follow it.
struct Entry<'f, 'a> {
    field: &'f Field<'a>,
    information: Vec<&'a str>,
}

/// The statement's `:61:` fields, each with its information: a `:86:` right after a `:61:` (or
/// after another `:86:` or a `:NS:` of it) is the line's; a `:86:` after a balance is the
/// statement's, not read.
fn entries<'f, 'a>(found: &'f Found<'a>) -> Vec<Entry<'f, 'a>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut open = false;
    for field in &found.fields {
        match field.tag {
            "61" => {
                entries.push(Entry { field, information: Vec::new() });
                open = true;
            }
            "86" if open => {
                if let Some(entry) = entries.last_mut() {
                    entry.information.extend(&field.lines);
                }
            }
            "86" | "NS" => {}
            _ => open = false,
        }
    }
    entries
}

/// Pushes the lines of one statement onto `lines`: each booked `:61:` read, or its rejection.
fn read_lines(found: &Found, header: &Header, lines: &mut Vec<Result<BankLine, Rejected>>) {
    let entries = entries(found);
    let parsed: Vec<Result<StatementLine, String>> = entries
        .iter()
        .map(|entry| match &header.currency {
            Ok(currency) => statement_line(&entry.field.lines, *currency),
            Err(why) => Err(format!("has no currency: {why}")),
        })
        .collect();
    let keys = entry_keys(&parsed);
    for ((entry, parsed), key) in entries.iter().zip(parsed).zip(keys) {
        let read = parsed.and_then(|line| {
            let details = details(&entry.information, line.mark.original_side());
            (line.mark != Mark::Expected).then(|| bank_line(header, key, line, details)).transpose()
        });
        let reject = |reason| Rejected { path: format!("{}, line {}, :61:", header.path, entry.field.line), reason };
        match read {
            Ok(Some(line)) => lines.push(Ok(line)),
            Ok(None) => {} // an expected entry is not booked
            Err(reason) => lines.push(Err(reject(reason))),
        }
    }
}

/// Each line's key within its statement: its bank reference (after `//`) when no other line has
/// it, else its own reference when not `NONREF` and no other line has it, else its position
/// (`#3`); a reference several lines share gets the position appended (`NONREF#3`).
fn entry_keys(lines: &[Result<StatementLine, String>]) -> Vec<String> {
    let references: Vec<(Option<&str>, Option<&str>)> = lines
        .iter()
        .map(|line| {
            line.as_ref().map_or((None, None), |l| (l.bank_reference.as_deref(), l.customer_reference.as_deref()))
        })
        .collect();
    let banks = uses_of(references.iter().filter_map(|r| r.0));
    let customers = uses_of(references.iter().filter_map(|r| r.1));
    let mut keys: Vec<String> = references
        .iter()
        .enumerate()
        .map(|(index, &(bank, customer))| match (bank, customer) {
            (Some(bank), _) if banks.get(bank) == Some(&1) => bank.to_owned(),
            (_, Some(customer)) if customers.get(customer) == Some(&1) => customer.to_owned(),
            (Some(reference), _) | (None, Some(reference)) => reference.to_owned(),
            (None, None) => format!("#{}", index + 1),
        })
        .collect();
    make_unique(&mut keys);
    keys
}

/// How many times each reference occurs.
fn uses_of<'a>(references: impl Iterator<Item = &'a str>) -> HashMap<&'a str, usize> {
    let mut uses = HashMap::new();
    for reference in references {
        *uses.entry(reference).or_default() += 1;
    }
    uses
}

/// The debit/credit mark of a `:61:` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Credit,
    Debit,
    /// `RC`: a debit taking back an earlier credit.
    ReversalOfCredit,
    /// `RD`: a credit giving back an earlier debit.
    ReversalOfDebit,
    /// `EC`/`ED` (MT942): an entry expected, not booked.
    Expected,
}

impl Mark {
    /// The way the money moved: a reversal of a credit takes it back out.
    fn direction(self) -> Direction {
        match self {
            Mark::Credit | Mark::ReversalOfDebit | Mark::Expected => Direction::Credit,
            Mark::Debit | Mark::ReversalOfCredit => Direction::Debit,
        }
    }

    /// The side whose party the information names: a reversal's is that of the operation it
    /// reverses (the payer of a credit taken back).
    fn original_side(self) -> Direction {
        match self {
            Mark::Credit | Mark::ReversalOfCredit | Mark::Expected => Direction::Credit,
            Mark::Debit | Mark::ReversalOfDebit => Direction::Debit,
        }
    }

    fn reverses(self) -> bool {
        matches!(self, Mark::ReversalOfCredit | Mark::ReversalOfDebit)
    }
}

/// One `:61:` line as read.
#[derive(Debug)]
struct StatementLine {
    value_date: NaiveDate,
    /// The entry (booking) date, the value date when the line gives none.
    entry_date: NaiveDate,
    mark: Mark,
    amount: Money,
    /// The transaction type without its first letter (N, S or F): `TRF`, `RTI`, `051`.
    transaction_type: String,
    /// The reference for the account owner as written up to `//` (some banks exceed its 16
    /// characters), unless `NONREF`.
    customer_reference: Option<String>,
    /// The reference of the account servicing institution (after `//`).
    bank_reference: Option<String>,
    /// `/CHGS/` of the supplementary details, when in the statement's currency.
    charges: Option<Money>,
}

/// Reads a `:61:` field (its lines, the first without the tag) with amounts in `currency`; `Err`
/// says which subfield is wrong and why.
fn statement_line(lines: &[&str], currency: Currency) -> Result<StatementLine, String> {
    let first = lines.first().map_or("", |line| line.trim());
    let (value, rest) =
        digits(first, 6).ok_or_else(|| format!("{first:?} does not start with a value date (YYMMDD)"))?;
    let value_date = yymmdd(value).ok_or_else(|| format!("the value date {value} is not a date (YYMMDD)"))?;
    let (entry_date, rest) = match digits(rest, 4) {
        Some((day, rest)) => {
            (entry_date(value_date, day).ok_or_else(|| format!("the entry date {day} is not a date (MMDD)"))?, rest)
        }
        None => (value_date, rest),
    };
    let (mark, rest) = mark(rest).ok_or_else(|| {
        let found: String = rest.chars().take(2).collect();
        format!("{found:?} after the dates is not a debit/credit mark (C, D, RC or RD)")
    })?;
    // the funds code: a letter (the third of the currency code) between the mark and the amount
    let rest = rest.strip_prefix(|c: char| c.is_ascii_alphabetic()).unwrap_or(rest);
    let end = rest.find(|c: char| !c.is_ascii_digit() && c != ',').unwrap_or(rest.len());
    let (amount_text, rest) = rest.split_at_checked(end).unwrap_or((rest, ""));
    if rest.starts_with('.') {
        let why = "is written with a decimal point: SWIFT amounts have a decimal comma, such as 1234,56";
        return Err(format!("the amount {amount_text:?} {why}"));
    }
    let amount = swift_amount(amount_text, currency).map_err(|why| format!("the amount {why}"))?;
    if amount.is_zero() {
        return Err(format!("the amount {amount_text:?} is zero: a statement line must move money"));
    }
    // some banks (Commerzbank) put a space before the transaction type
    let (transaction_type, references) = transaction_type(rest.trim_start())?;
    let (customer, bank) = references.split_once("//").unwrap_or((references, ""));
    let customer = Some(customer.trim()).filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("NONREF"));
    let supplementary = unwrapped(lines.get(1..).unwrap_or_default(), None);
    Ok(StatementLine {
        value_date,
        entry_date,
        mark,
        amount,
        transaction_type: transaction_type.to_owned(),
        customer_reference: customer.map(str::to_owned),
        bank_reference: Some(bank.trim()).filter(|r| !r.is_empty()).map(str::to_owned),
        charges: charges(&supplementary, currency),
    })
}

/// The first `n` characters of `text` when they are ASCII digits, and the rest.
fn digits(text: &str, n: usize) -> Option<(&str, &str)> {
    let head = text.get(..n)?;
    head.bytes().all(|b| b.is_ascii_digit()).then(|| (head, text.get(n..).unwrap_or_default()))
}

/// A SWIFT date `YYMMDD`: years 80–99 are 1980–1999, the others 2000–2079.
fn yymmdd(text: &str) -> Option<NaiveDate> {
    let number = |at: std::ops::Range<usize>| text.get(at)?.parse::<u32>().ok();
    let (year, month, day) = (number(0..2)?, number(2..4)?, number(4..6)?);
    let year = if year >= 80 { 1900 + year } else { 2000 + year };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// An entry date `MMDD` in the year that puts it nearest the value date: the value date's, or
/// across a year end the one before or after (value 2026-12-31, entry `0102`: 2027-01-02).
fn entry_date(value: NaiveDate, text: &str) -> Option<NaiveDate> {
    let month = text.get(..2)?.parse().ok()?;
    let day = text.get(2..4)?.parse().ok()?;
    [value.year() - 1, value.year(), value.year() + 1]
        .into_iter()
        .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
        .min_by_key(|date| (*date - value).num_days().abs())
}

/// The debit/credit mark at the start of `text`, and the rest.
fn mark(text: &str) -> Option<(Mark, &str)> {
    const MARKS: [(&str, Mark); 6] = [
        ("RC", Mark::ReversalOfCredit),
        ("RD", Mark::ReversalOfDebit),
        ("EC", Mark::Expected),
        ("ED", Mark::Expected),
        ("C", Mark::Credit),
        ("D", Mark::Debit),
    ];
    MARKS.iter().find_map(|(code, mark)| text.strip_prefix(code).map(|rest| (*mark, rest)))
}

/// The transaction type (`NTRF`, `S103`, `FCHG`: N, S or F and three letters or digits) at the
/// start of `text`, without its first letter, and the rest.
fn transaction_type(text: &str) -> Result<(&str, &str), String> {
    let code = text.get(..4).filter(|code| {
        code.bytes().all(|b| b.is_ascii_alphanumeric()) && matches!(code.as_bytes().first(), Some(b'N' | b'S' | b'F'))
    });
    match code {
        Some(code) => Ok((code.get(1..).unwrap_or_default(), text.get(4..).unwrap_or_default())),
        None => {
            let found: String = text.chars().take(4).collect();
            Err(format!(
                "{found:?} after the amount is not a transaction type (N, S or F and three characters, such as NTRF)"
            ))
        }
    }
}

/// A SWIFT amount (`15d`: digits with a decimal comma, `1234,56` or `80,`) in `currency`, exact:
/// zeros past the currency's decimals are dropped, any other extra decimal is refused. `Err`
/// completes "the amount …".
fn swift_amount(text: &str, currency: Currency) -> Result<Money, String> {
    let (whole, fraction) = text.split_once(',').unwrap_or((text, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return Err(format!("{text:?} is not an amount (digits with a decimal comma, such as 1234,56 or 80,)"));
    }
    let whole = if whole.is_empty() { "0" } else { whole };
    let fraction = fraction.trim_end_matches('0');
    let exact = if fraction.is_empty() { whole.to_owned() } else { format!("{whole}.{fraction}") };
    Money::parse(&exact, currency).map_err(|e| match e {
        MoneyError::TooManyDecimals { exponent, .. } => {
            format!("{text:?} has more decimals than {currency} has ({exponent}): it is not an amount in {currency}")
        }
        _ => format!("{text:?} is too large for an amount"),
    })
}

/// The charges of `/CHGS/EUR0,50/` in the supplementary details, when in `currency`.
fn charges(supplementary: &str, currency: Currency) -> Option<Money> {
    let (_, rest) = supplementary.split_once("/CHGS/")?;
    let value = rest.split('/').next()?.trim();
    let named = Currency::from_code(value.get(..3)?).ok()?;
    let amount = swift_amount(value.get(3..)?, currency).ok()?;
    (named == currency && !amount.is_zero()).then_some(amount)
}

/// The lines of a field as one text. A line as wide as a SWIFT line (65 characters) was cut by
/// width and runs on into the next; after a shorter one the break was the writer's and stays a
/// line break — unless the next line opens a subfield (`?21…`), which needs no break.
fn unwrapped(lines: &[&str], separator: Option<char>) -> String {
    let mut text = String::new();
    let mut full = true;
    for line in lines {
        let opens_subfield = separator.is_some_and(|separator| subfield_start(line, separator));
        if !full && !opens_subfield {
            text.push('\n');
        }
        text.push_str(line);
        full = line.chars().count() >= LINE_WIDTH;
    }
    text
}

/// Whether `text` starts with a subfield: the separator and two digits (`?20`).
fn subfield_start(text: &str, separator: char) -> bool {
    let mut chars = text.chars();
    chars.next() == Some(separator) && chars.take(2).filter(char::is_ascii_digit).count() == 2
}

/// What a line's `:86:` says of the payment.
#[derive(Debug, Default)]
struct Details {
    /// The other party: the payer of a credit, the payee of a debit.
    name: Option<String>,
    /// The other party's account: an IBAN, or the national account number the bank gives.
    account: Option<String>,
    remittance: Option<String>,
    end_to_end_id: Option<String>,
    /// The information says the line returns a payment (a German return GVC, a Dutch `/RTRN/`).
    returned: bool,
    /// The return reason as the bank gives it (German `?34`, Dutch `/RTRN/`), or an ISO 20022
    /// return reason code found in the text of a return.
    reason_code: Option<String>,
}

/// Reads a line's `:86:` (its lines, the first without the tag) by the convention its shape
/// shows; `side` says whose party a Dutch `/ORDP/` or `/BENM/` names.
fn details(information: &[&str], side: Direction) -> Details {
    let first = information.first().map_or("", |line| line.trim_start());
    if let Some((code, separator)) = subfields_open(first) {
        return subfield_details(&unwrapped(information, Some(separator)), code, separator);
    }
    let text = unwrapped(information, None);
    let (lead, codes) = slash_codes(&text);
    if codes.iter().any(|(code, _)| STRUCTURE_CODES.contains(code)) {
        return slash_details(lead, &codes, side);
    }
    Details { remittance: clean(&text), ..Details::default() }
}

/// A `:86:` of subfields starts with a Geschäftsvorfallcode and a separator (`166?00…`), or with a
/// separator alone (`>20…`): the code (if any) and the separator. German banks separate with `?`,
/// Polish ones with `>` or `~`.
fn subfields_open(text: &str) -> Option<(Option<&str>, char)> {
    let separator = |b: &u8| matches!(b, b'?' | b'>' | b'~');
    match text.as_bytes() {
        [a, b, c, s, d, e, ..] if separator(s) && [a, b, c, d, e].iter().all(|x| x.is_ascii_digit()) => {
            Some((text.get(..3), char::from(*s)))
        }
        [s, d, e, ..] if separator(s) && d.is_ascii_digit() && e.is_ascii_digit() => Some((None, char::from(*s))),
        _ => None,
    }
}

/// Each subfield of a text: the number after the separator and the text up to the next one.
fn subfields(text: &str, separator: char) -> Vec<(u8, &str)> {
    let starts: Vec<(usize, u8)> = text
        .char_indices()
        .filter(|&(_, c)| c == separator)
        .filter_map(|(at, _)| {
            let number = text.get(at + 1..at + 3).filter(|n| n.bytes().all(|b| b.is_ascii_digit()))?;
            Some((at, number.parse().ok()?))
        })
        .collect();
    let ends = starts.iter().skip(1).map(|&(at, _)| at).chain(std::iter::once(text.len()));
    starts.iter().zip(ends).filter_map(|(&(at, number), end)| Some((number, text.get(at + 3..end)?))).collect()
}

/// Which subfields hold what, in one national convention.
struct Layout {
    remittance: &'static [RangeInclusive<u8>],
    /// The subfields of the party's name, the first found used.
    names: &'static [RangeInclusive<u8>],
    /// The subfields of the party's account, the first found used.
    accounts: &'static [u8],
    return_reason: Option<u8>,
}

/// DFÜ-Abkommen Anlage 3: `?00` booking text, `?10` primanota, `?20`–`?29` and `?60`–`?63`
/// remittance (Verwendungszweck), `?30` bank code or BIC, `?31` account or IBAN, `?32`–`?33` name,
/// `?34` SEPA return reason (Rückgabegrund).
const GERMAN: Layout =
    Layout { remittance: &[20..=29, 60..=63], names: &[32..=33], accounts: &[31], return_reason: Some(34) };

/// The Polish banks' layout: `>20`–`>25` (and `>60`–`>63`) title, `>27`–`>28` or `>32`–`>33`
/// name, `>30` bank, `>31` account, `>38` IBAN.
const POLISH: Layout =
    Layout { remittance: &[20..=25, 60..=63], names: &[32..=33, 27..=28], accounts: &[38, 31], return_reason: None };

/// Geschäftsvorfallcodes of returns (DK list: 009 returned direct debit, 108/109 SEPA direct
/// debit returns, 159/160 SEPA credit transfer returns, 181–184 SEPA returns and reversals).
const RETURN_CODES: [&str; 9] = ["009", "108", "109", "159", "160", "181", "182", "183", "184"];

/// The details of a subfield `:86:`.
fn subfield_details(text: &str, code: Option<&str>, separator: char) -> Details {
    let layout = if separator == '?' { &GERMAN } else { &POLISH };
    let fields = subfields(text, separator);
    let values = |ranges: &[RangeInclusive<u8>]| -> Vec<&str> {
        let wanted = |number: &u8| ranges.iter().any(|range| range.contains(number));
        fields.iter().filter(|(number, _)| wanted(number)).map(|(_, value)| *value).collect()
    };
    let first = |number: u8| values(&[number..=number]).first().and_then(|value| clean(value));
    let sepa = separator != '?' || code.is_some_and(|code| code.starts_with('1'));
    let purpose = purpose(&values(layout.remittance), sepa);
    let name = layout.names.iter().find_map(|range| clean(&run_on(&values(std::slice::from_ref(range)))));
    let returned = code.is_some_and(|code| RETURN_CODES.contains(&code));
    let reason_code = match layout.return_reason.and_then(first) {
        Some(reason) => Some(iso_reason(&reason, false).unwrap_or(reason)),
        None => purpose.reason_code.filter(|_| returned),
    };
    Details {
        name,
        account: layout.accounts.iter().find_map(|&number| first(number)).map(|account| compact(&account)),
        remittance: purpose.remittance,
        end_to_end_id: purpose.end_to_end_id,
        returned,
        reason_code,
    }
}

/// What the remittance subfields (Verwendungszweck) say.
struct Purpose {
    remittance: Option<String>,
    end_to_end_id: Option<String>,
    /// An ISO 20022 return reason in the remittance (`SVWZ+RETOURE MD06…`).
    reason_code: Option<String>,
}

/// Reads the remittance subfields. A SEPA remittance (`sepa`: a 1xx GVC or Polish; or one holding
/// SEPA keys) is cut into subfields at any character, so its pieces join as they are; an older
/// one holds a line per subfield, joined with spaces. With SEPA keys, `EREF+` is the end-to-end id
/// and `SVWZ+` the remittance (else the customer and mandate references `KREF+`, `MREF+`).
fn purpose(pieces: &[&str], sepa: bool) -> Purpose {
    let joined = pieces.concat();
    let keyed = !sepa_fields(&joined).1.is_empty();
    let text = if sepa || keyed { joined } else { pieces.join(" ") };
    let (lead, keys) = sepa_fields(&text);
    let key = |name: &str| keys.iter().find(|(key, _)| *key == name).map(|(_, value)| *value);
    let remittance = match (keyed, key("SVWZ")) {
        (false, _) => clean(&text),
        (true, Some(words)) => clean(words),
        (true, None) => clean(&[lead, key("KREF").unwrap_or(""), key("MREF").unwrap_or("")].join(" ")),
    };
    Purpose {
        remittance,
        end_to_end_id: key("EREF").and_then(end_to_end_id),
        reason_code: iso_reason(key("SVWZ").unwrap_or(&text), false),
    }
}

/// A value split over name subfields: a piece filling its subfield runs on into the next, after
/// a shorter one a word ended.
fn run_on(pieces: &[&str]) -> String {
    let mut text = String::new();
    let mut full = true;
    for piece in pieces {
        if !full {
            text.push(' ');
        }
        text.push_str(piece);
        full = piece.chars().count() >= SUBFIELD_WIDTH;
    }
    text
}

/// The SEPA keys of a German remittance (DFÜ-Abkommen Anlage 3: end-to-end, customer and mandate
/// references, creditor id, remittance text, ultimate parties, original and compensation amounts).
const SEPA_KEYS: [&str; 13] =
    ["EREF", "KREF", "MREF", "CRED", "DEBT", "SVWZ", "ABWA", "ABWE", "COAM", "OAMT", "IBAN", "PURP", "BIC"];

/// The text before the first SEPA key (`EREF+`, `SVWZ+`…), and each key with its value up to the
/// next key.
fn sepa_fields(text: &str) -> (&str, Vec<(&'static str, &str)>) {
    let marks: Vec<(usize, &'static str)> = text
        .match_indices('+')
        .filter_map(|(plus, _)| {
            let key =
                SEPA_KEYS.iter().find(|key| plus >= key.len() && text.get(plus - key.len()..plus) == Some(**key))?;
            Some((plus - key.len(), *key))
        })
        .collect();
    let lead = text.get(..marks.first().map_or(text.len(), |m| m.0)).unwrap_or_default();
    let ends = marks.iter().skip(1).map(|m| m.0).chain(std::iter::once(text.len()));
    let fields =
        marks.iter().zip(ends).map(|(&(at, key), end)| (key, text.get(at + key.len() + 1..end).unwrap_or_default()));
    (lead, fields.collect())
}

/// The codes of the Dutch banks' (and some others') slash-coded `:86:` (`/NAME/…/REMI/…`):
/// parties and their details, references, remittance, and the rest that may follow them.
#[rustfmt::skip]
const SLASH_CODES: [&str; 28] = [
    "ORDP", "BENM", "ULTC", "ULTD", "ULTB", "CNTP", "NAME", "ADDR", "IBAN", "ACCT", "BIC",
    "EREF", "PREF", "KREF", "MARF", "CSID", "CDTRREFTP", "CDTRREF", "ISSR",
    "REMI", "RTRN", "TRTP", "SVCL", "PURP", "ISDT", "OCMT", "CHGS", "EXCH",
];

/// The codes that make a `:86:` slash-coded (others, such as `/OCMT/`, also occur in free text).
const STRUCTURE_CODES: [&str; 11] =
    ["TRTP", "REMI", "EREF", "ORDP", "BENM", "NAME", "CNTP", "RTRN", "CSID", "MARF", "IBAN"];

/// The text before the first slash code, and each code with its value up to the next code.
fn slash_codes(text: &str) -> (&str, Vec<(&'static str, &str)>) {
    let mut marks: Vec<(usize, &'static str, usize)> = Vec::new();
    for (at, _) in text.match_indices('/') {
        if marks.last().is_some_and(|&(_, _, value)| at < value) {
            continue; // the slash closing the code before
        }
        let after = text.get(at + 1..).unwrap_or_default();
        let found =
            SLASH_CODES.iter().find(|code| after.strip_prefix(**code).is_some_and(|rest| rest.starts_with('/')));
        if let Some(code) = found {
            marks.push((at, code, at + code.len() + 2));
        }
    }
    let lead = text.get(..marks.first().map_or(text.len(), |m| m.0)).unwrap_or_default();
    let ends = marks.iter().skip(1).map(|m| m.0).chain(std::iter::once(text.len()));
    let fields =
        marks.iter().zip(ends).map(|(&(_, code, value), end)| (code, text.get(value..end).unwrap_or_default()));
    (lead, fields.collect())
}

/// A party of a slash-coded `:86:`.
#[derive(Default)]
struct Party {
    name: Option<String>,
    account: Option<String>,
    /// Lines after the name when the party is given as lines (`/BENM/account`, `/name`, `/text`).
    text: Option<String>,
}

impl Party {
    fn is_named(&self) -> bool {
        self.name.is_some() || self.account.is_some()
    }

    /// A party given as lines after its code: account, name, then text.
    fn from_lines(value: &str) -> Party {
        let mut lines = value.split('\n').map(|line| line.trim().trim_matches('/').trim()).filter(|l| !l.is_empty());
        let account = lines.next().map(compact);
        let name = lines.next().and_then(clean);
        Party { name, account, text: clean(&lines.collect::<Vec<_>>().join(" ")) }
    }
}

/// The details of a slash-coded `:86:`. `/NAME/`, `/IBAN/` (or `/ACCT/`) and `/CNTP/` after
/// `/ORDP/` (the ordering party) or `/BENM/` (the beneficiary) belong to that party, else to the
/// line. The line's counterparty is the party of `side`, else the line's, else (a return naming
/// the party of the payment it returns) the other.
fn slash_details(lead: &str, codes: &[(&str, &str)], side: Direction) -> Details {
    // parties: 0 the line's, 1 ordering, 2 beneficiary, 3 ultimate ones (not read)
    let mut parties: [Party; 4] = Default::default();
    let mut current = 0;
    let mut details = Details::default();
    for &(code, value) in codes {
        let trimmed = value.trim().trim_matches('/').trim();
        current = match code {
            "ORDP" => 1,
            "BENM" => 2,
            "ULTC" | "ULTD" | "ULTB" => 3,
            "NAME" | "IBAN" | "ACCT" | "CNTP" | "ADDR" | "BIC" => current,
            _ => 0,
        };
        let Some(party) = parties.get_mut(current) else { continue };
        match code {
            "ORDP" | "BENM" | "ULTC" | "ULTD" | "ULTB" if !trimmed.is_empty() => *party = Party::from_lines(value),
            "NAME" => party.name = clean(trimmed),
            "IBAN" | "ACCT" => party.account = Some(compact(trimmed)).filter(|a| !a.is_empty()),
            "CNTP" => contra_party(party, trimmed),
            "REMI" => details.remittance = remittance_information(trimmed),
            "EREF" => details.end_to_end_id = end_to_end_id(trimmed),
            "RTRN" => {
                details.returned = true;
                details.reason_code = trimmed.split('/').next().and_then(clean);
            }
            _ => {}
        }
    }
    let [line, ordering, beneficiary, _] = parties;
    let (party, other) = if side == Direction::Credit { (ordering, beneficiary) } else { (beneficiary, ordering) };
    // a return may name the party of the payment it returns, on the other side
    let party = if party.is_named() || line.is_named() { party } else { other };
    details.name = party.name.or(line.name);
    details.account = party.account.or(line.account);
    if details.remittance.is_none() {
        details.remittance = party.text.or(line.text).or_else(|| clean(lead));
    }
    details
}

/// `/CNTP/account/BIC/name/city/`: the counterparty in positions.
fn contra_party(party: &mut Party, value: &str) {
    let mut parts = value.split('/');
    party.account = parts.next().map(compact).filter(|a| !a.is_empty());
    party.name = parts.nth(1).and_then(clean);
}

/// `/REMI/`: free text, or `USTD//text`, or `STRD/issuer/reference` (the reference).
fn remittance_information(value: &str) -> Option<String> {
    if let Some(text) = value.strip_prefix("USTD/") {
        return clean(text.trim_matches('/'));
    }
    if let Some(structured) = value.strip_prefix("STRD/") {
        let reference = structured.split_once('/').map_or(structured, |(_, reference)| reference);
        return clean(reference.trim_matches('/'));
    }
    clean(value)
}

/// An end-to-end id, unless `NOTPROVIDED`.
fn end_to_end_id(value: &str) -> Option<String> {
    clean(value).filter(|id| !id.eq_ignore_ascii_case("NOTPROVIDED"))
}

/// The first word of `text` shaped like an ISO 20022 return reason (two letters, two digits:
/// `AC04`, `MD06`); with `known`, only one [`return_reason_text`] knows.
fn iso_reason(text: &str, known: bool) -> Option<String> {
    let shaped = |word: &str| match word.as_bytes() {
        [a, b, c, d] => a.is_ascii_uppercase() && b.is_ascii_uppercase() && c.is_ascii_digit() && d.is_ascii_digit(),
        _ => false,
    };
    let found = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|word| shaped(word) && (!known || return_reason_text(word).is_some()));
    found.map(str::to_owned)
}

/// An ISO 11649 creditor reference in a remittance text (`RF18539007547034`, or printed in
/// groups `RF18 5390 0754 7034`: the shortest run of groups whose check digits hold), compact and
/// upper case.
fn creditor_reference(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let opens =
        |word: &String| word.starts_with("RF") && word.get(2..4).is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()));
    words.iter().enumerate().filter(|(_, word)| opens(word)).find_map(|(index, word)| {
        let groups = words.iter().skip(index + 1).take(6).take_while(|group| group.len() <= 4);
        let mut candidate = word.clone();
        std::iter::once("").chain(groups.map(String::as_str)).find_map(|group| {
            candidate.push_str(group);
            overdue_core::creditor_reference::parse(&candidate).map(|_| candidate.clone())
        })
    })
}

/// Builds the line of a read `:61:` with its details; `Err` when one of its texts breaks the text
/// rule ([`overdue_core::text::check`]).
fn bank_line(header: &Header, entry: String, line: StatementLine, details: Details) -> Result<BankLine, String> {
    let returned = line.mark.reverses() || details.returned || line.transaction_type == "RTI";
    let reason_code = details.reason_code.or_else(|| details.remittance.as_deref().and_then(|t| iso_reason(t, true)));
    let reversal = returned.then_some(Reversal { reason_code, reason_text: None, charges: line.charges });
    checked(BankLine {
        account: header.account.clone(),
        statement: header.id.clone(),
        entry,
        booking_date: line.entry_date,
        value_date: Some(line.value_date),
        amount: line.amount,
        direction: line.mark.direction(),
        counterparty_name: details.name,
        counterparty_iban: details.account,
        creditor_reference: details.remittance.as_deref().and_then(creditor_reference),
        remittance: details.remittance,
        end_to_end_id: details.end_to_end_id,
        bank_reference: line.bank_reference,
        reversal,
    })
}

/// The line, if every text on it passes the text rule; else which text and why.
fn checked(line: BankLine) -> Result<BankLine, String> {
    let reason = line.reversal.as_ref().and_then(|r| r.reason_code.as_ref());
    let texts = [
        ("account (:25:)", Some(&line.account)),
        ("statement id (:20:, :28C:)", Some(&line.statement)),
        ("reference", Some(&line.entry)),
        ("counterparty name (:86:)", line.counterparty_name.as_ref()),
        ("counterparty account (:86:)", line.counterparty_iban.as_ref()),
        ("remittance text (:86:)", line.remittance.as_ref()),
        ("end-to-end id (:86:)", line.end_to_end_id.as_ref()),
        ("return reason (:86:)", reason),
    ];
    for (what, text) in texts {
        if let Some(Err(e)) = text.map(|text| overdue_core::text::check(text)) {
            return Err(format!("the {what} {e}"));
        }
    }
    Ok(line)
}

/// Text with runs of white space (line breaks, padding) made one space; `None` when blank.
fn clean(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// An account or IBAN without the spaces some files print in groups of four.
fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}
