//! Bank statements exported as CSV, each bank with its own columns: a [`CsvMapping`] says which
//! column holds the date, the amount and the rest, how dates and amounts are written and what
//! separates the fields. One row is one bank line; a row that cannot be read is a rejection
//! naming its line and column, and a mapped column missing from the header fails the whole file
//! before any row is read.
//!
//! Files are UTF-8 (with or without BOM), UTF-16 with a BOM, or else taken as Windows-1252, the
//! superset of Latin-1 that Western European banks' exports use.

use crate::csv_columns::{DELIMITERS, FileError, date_format, delimiter, flag};
use chrono::{Datelike, NaiveDate};
use overdue_core::bank::{BankLine, Direction, Reversal};
use overdue_core::date::{YEAR_MAX, YEAR_MIN};
use overdue_core::import::{ImportRow, Located, Rejection};
use overdue_core::money::Money;
use overdue_core::{Currency, MoneyError};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// A column of the bank's export, by its header (matched ignoring case, surrounding spaces, and
/// spaces against underscores).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    /// Whether the file must have it. Columns a person names must be there (a typo is an error);
    /// the default mapping's optional columns are used when the file has them.
    pub required: bool,
}

impl Column {
    /// A column the file must have.
    pub fn named(header: impl Into<String>) -> Self {
        Self { header: header.into(), required: true }
    }

    /// A column used when the file has it.
    pub fn if_present(header: impl Into<String>) -> Self {
        Self { header: header.into(), required: false }
    }
}

/// Where each value of a bank line is in one bank's CSV export, and how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvMapping {
    /// The booking date's column (required).
    pub date: String,
    /// The amount's column (required unless `money_in`/`money_out` are mapped): signed (negative
    /// is money out) unless `direction` is set.
    pub amount: String,
    /// Banks that write money in and money out in two columns (`Haben`/`Soll`, `Entrate`/`Uscite`,
    /// `Credit`/`Debit`): each row fills one of them.
    pub money_in: Option<Column>,
    pub money_out: Option<Column>,
    /// Lines before the header (a bank's title, the account and period): `None` finds the header
    /// among the first lines as the first row naming the date and amount columns.
    pub skip: Option<usize>,
    /// The currency code's column; an empty cell or a missing column uses `default_currency`.
    pub currency: Option<Column>,
    pub default_currency: Option<Currency>,
    /// A column saying credit or debit (`C`/`D`, `CRDT`/`DBIT`, `credit`/`debit`, `H`/`S`, `+`/`-`).
    pub direction: Option<Column>,
    pub counterparty_name: Option<Column>,
    pub counterparty_iban: Option<Column>,
    pub remittance: Option<Column>,
    /// The bank's reference of the movement: the line's key when present, else `line N`.
    pub reference: Option<Column>,
    pub value_date: Option<Column>,
    /// A chrono format such as `%Y-%m-%d` or `%d/%m/%Y`, used for both dates.
    pub date_format: String,
    /// Amounts written `1.234,56`: a comma for decimals, dots (or spaces) grouping thousands.
    pub decimal_comma: bool,
    pub delimiter: u8,
}

impl Default for CsvMapping {
    /// Columns `date, amount, currency, name, iban, remittance, reference, value_date` (only
    /// `date` and `amount` required), ISO dates, decimal points, commas between fields.
    fn default() -> Self {
        Self {
            date: "date".into(),
            amount: "amount".into(),
            currency: Some(Column::if_present("currency")),
            default_currency: None,
            money_in: None,
            money_out: None,
            skip: None,
            direction: None,
            counterparty_name: Some(Column::if_present("name")),
            counterparty_iban: Some(Column::if_present("iban")),
            remittance: Some(Column::if_present("remittance")),
            reference: Some(Column::if_present("reference")),
            value_date: Some(Column::if_present("value_date")),
            date_format: "%Y-%m-%d".into(),
            decimal_comma: false,
            delimiter: b',',
        }
    }
}

/// The keys of a mapping spec, for messages.
const KEYS: &str = "date, amount, money_in, money_out, currency, default_currency, direction, name, iban, \
                    remittance, reference, value_date, date_format, decimal_comma, delimiter, skip";

/// Why a mapping spec cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("{item:?} is not key=value (keys: {KEYS})")]
    NotAPair { item: String },
    #[error("{key:?} is not part of a bank CSV mapping (keys: {KEYS})")]
    UnknownKey { key: String },
    #[error("{key}={value:?}: {reason}")]
    BadValue { key: String, value: String, reason: String },
}

impl CsvMapping {
    /// The default mapping changed by `key=value` pairs separated by commas, e.g.
    /// `date=Fecha,amount=Importe,default_currency=EUR,date_format=%d/%m/%Y,decimal_comma=true,delimiter=;`.
    /// A header that itself holds a comma cannot be named here: use [`CsvMapping::set`].
    pub fn parse_spec(spec: &str) -> Result<Self, MappingError> {
        let mut mapping = Self::default();
        for item in spec.split(',').filter(|item| !item.trim().is_empty()) {
            let (key, value) = item.split_once('=').ok_or_else(|| MappingError::NotAPair { item: item.to_owned() })?;
            mapping.set(key, value)?;
        }
        Ok(mapping)
    }

    /// Sets one key (`date`, `amount`, `currency`, `default_currency`, `direction`, `name`, `iban`,
    /// `remittance`, `reference`, `value_date`, `date_format`, `decimal_comma`, `delimiter`); a
    /// column named this way is required. An empty value unmaps an
    /// optional column. `name` and `iban` may also be written `counterparty_name` and
    /// `counterparty_iban`; the delimiter is one character or `comma`, `semicolon`, `tab`, `pipe`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), MappingError> {
        let text = value.trim();
        let bad = |reason: &str| MappingError::BadValue {
            key: key.to_owned(),
            value: value.to_owned(),
            reason: reason.into(),
        };
        let column = (!text.is_empty()).then(|| Column::named(text));
        let required =
            || if text.is_empty() { Err(bad("every line has one, so it needs a column")) } else { Ok(text.to_owned()) };
        match key.trim().to_ascii_lowercase().as_str() {
            "date" => self.date = required()?,
            "amount" => self.amount = required()?,
            "money_in" => self.money_in = column,
            "money_out" => self.money_out = column,
            "skip" => {
                self.skip = Some(
                    text.parse()
                        .ok()
                        .filter(|n| *n <= 1000)
                        .ok_or_else(|| bad("the number of lines before the header, 0 to 1000"))?,
                )
            }
            "currency" => self.currency = column,
            "direction" => self.direction = column,
            "name" | "counterparty_name" => self.counterparty_name = column,
            "iban" | "counterparty_iban" => self.counterparty_iban = column,
            "remittance" => self.remittance = column,
            "reference" => self.reference = column,
            "value_date" => self.value_date = column,
            "default_currency" if text.is_empty() => self.default_currency = None,
            "default_currency" => {
                let currency = Currency::from_code(text).map_err(|e| bad(&e.to_string()))?;
                self.default_currency = Some(currency);
            }
            "date_format" => self.date_format = date_format(text).map_err(|reason| bad(&reason))?,
            "decimal_comma" => self.decimal_comma = flag(text).ok_or_else(|| bad("say true or false"))?,
            "delimiter" => self.delimiter = delimiter(value).ok_or_else(|| bad(DELIMITERS))?,
            _ => return Err(MappingError::UnknownKey { key: key.to_owned() }),
        }
        Ok(())
    }
}

/// Reads a bank's CSV export of `account`'s statement `statement`: one row per line, or a
/// file-level error (no header, a mapped column missing or twice in the header).
pub fn read(
    input: &[u8],
    account: &str,
    statement: &str,
    mapping: &CsvMapping,
) -> Result<Vec<ImportRow<BankLine>>, FileError> {
    let text = crate::encoding::decode_text(input);
    let skipped = mapping.skip.unwrap_or_else(|| header_line(&text, mapping));
    let body = text.split_inclusive('\n').skip(skipped).collect::<String>();
    let mut reader =
        csv::ReaderBuilder::new().delimiter(mapping.delimiter).trim(csv::Trim::All).from_reader(body.as_bytes());
    let headers = reader.headers()?.clone();
    let skipped = skipped as u64;
    let columns = Columns::find(&headers, mapping)?;
    let rows = Rows { account, statement, mapping, columns: &columns };
    let mut lines = Vec::new();
    let mut references: HashMap<String, u64> = HashMap::new();
    let mut contents: HashMap<String, u32> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = line_at(&body, record.position()) + skipped;
                let row = Record { record: &record, line, headers: &headers };
                let read = rows.line(&row).map(|value| keyed_by_content(value, &columns, &mut contents));
                lines.push(read.and_then(|value| unique(&row, value, &columns, &mut references)));
            }
            Err(error) => {
                let line = line_at(&body, error.position()) + skipped;
                lines.push(Err(Rejection::new(line, None, record_error(&error))));
                if reader.position().byte() == before {
                    break; // nothing was consumed: stop rather than loop
                }
            }
        }
    }
    Ok(lines)
}

/// How many lines come before the header: the first of the first 50 lines that names the date
/// column and the amount (or money-in) column, else 0 (the first line, as CSV has it).
fn header_line(text: &str, mapping: &CsvMapping) -> usize {
    let amount = mapping.money_in.as_ref().map_or(mapping.amount.as_str(), |c| c.header.as_str());
    let wanted = [normalise(&mapping.date), normalise(amount)];
    let delimiter = char::from(mapping.delimiter);
    text.lines()
        .take(50)
        .position(|line| {
            let cells: Vec<String> = line.split(delimiter).map(|c| normalise(c.trim().trim_matches('"'))).collect();
            wanted.iter().all(|w| cells.contains(w))
        })
        .unwrap_or(0)
}

/// The 1-based line of `text` a record starts on, from its byte position: the `csv` crate's own
/// line count lags one behind in CRLF files (rust-csv issue #395).
fn line_at(text: &str, position: Option<&csv::Position>) -> u64 {
    let Some(position) = position else { return 0 };
    let end = usize::try_from(position.byte()).unwrap_or(usize::MAX).saturating_add(1).min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

/// Why a record is not one, without the reader's own position (the rejection has the line).
fn record_error(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("not a valid CSV record: it has {len} fields where the header has {expected_len}")
        }
        _ => format!("not a valid CSV record: {error}"),
    }
}

/// Without a reference column, a line's key is its content (day, amount, direction, payer,
/// text) and how many identical lines came before it in the file: the same export imported again,
/// renamed, or overlapping the next one, gives the same keys — its place in the file does not
/// matter.
fn keyed_by_content(mut line: BankLine, columns: &Columns, counts: &mut HashMap<String, u32>) -> BankLine {
    if columns.reference.is_some() && !line.entry.starts_with("line ") {
        return line;
    }
    let content = format!(
        "{}|{}|{:?}|{}|{}|{}|{}",
        line.booking_date,
        line.amount,
        line.direction,
        line.counterparty_name.as_deref().unwrap_or(""),
        line.counterparty_iban.as_deref().unwrap_or(""),
        line.remittance.as_deref().unwrap_or(""),
        line.value_date.map(|d| d.to_string()).unwrap_or_default()
    );
    let seen = counts.entry(content.clone()).or_insert(0);
    *seen += 1;
    let hash = overdue_core::fingerprint::Fingerprint::default().text(&content).finish();
    line.entry = format!("{}:{hash:016x}#{seen}", line.booking_date);
    line
}

/// The row's line, unless its reference was already used by an earlier row (it would be the same
/// key, so the second one would never be imported).
fn unique(
    row: &Record,
    line: BankLine,
    columns: &Columns,
    seen: &mut HashMap<String, u64>,
) -> Result<Located<BankLine>, Rejection> {
    if let Some(column) = &columns.reference
        && row.get(Some(column)).is_some()
    {
        match seen.entry(line.entry.clone()) {
            Entry::Occupied(first) => {
                let reason = format!(
                    "{:?} is also the reference on line {}: each movement needs its own",
                    line.entry,
                    first.get()
                );
                return Err(row.reject(column, reason));
            }
            Entry::Vacant(vacant) => {
                vacant.insert(row.line);
            }
        }
    }
    Ok(Located { line: row.line, value: line })
}

/// A mapped column found in the header: its position and its header as the file writes it.
struct Found {
    index: usize,
    header: String,
}

/// Where the amount is: one signed column, or money in and money out apart.
enum Amounts {
    Signed(Found),
    InAndOut { money_in: Found, money_out: Found },
}

impl Amounts {
    /// The column a row's amount error is reported on.
    fn first(&self) -> &Found {
        match self {
            Amounts::Signed(column) | Amounts::InAndOut { money_in: column, .. } => column,
        }
    }
}

/// Where the mapped columns are in this file.
struct Columns {
    date: Found,
    /// The signed amount, or the money-in and money-out columns.
    amount: Amounts,
    currency: Option<Found>,
    direction: Option<Found>,
    name: Option<Found>,
    iban: Option<Found>,
    remittance: Option<Found>,
    reference: Option<Found>,
    value_date: Option<Found>,
}

impl Columns {
    fn find(headers: &csv::StringRecord, mapping: &CsvMapping) -> Result<Self, FileError> {
        if headers.iter().all(str::is_empty) {
            return Err(FileError::NoHeader { expected: format!("{}, {}", mapping.date, mapping.amount) });
        }
        let locate = |role: &'static str, column: Option<&Column>| locate(headers, role, column);
        let required = |role: &'static str, header: &str| {
            locate(role, Some(&Column::named(header)))?.ok_or_else(|| missing(headers, role, &format!("{header:?}")))
        };
        let amount = match (&mapping.money_in, &mapping.money_out) {
            (Some(money_in), Some(money_out)) => Amounts::InAndOut {
                money_in: required("money_in", &money_in.header)?,
                money_out: required("money_out", &money_out.header)?,
            },
            (None, None) => Amounts::Signed(required("amount", &mapping.amount)?),
            _ => {
                let looked_for = "both money_in and money_out (or neither, with a signed amount column)";
                return Err(missing(headers, "money_in/money_out", looked_for));
            }
        };
        let columns = Self {
            date: required("date", &mapping.date)?,
            amount,
            currency: locate("currency", mapping.currency.as_ref())?,
            direction: locate("direction", mapping.direction.as_ref())?,
            name: locate("name", mapping.counterparty_name.as_ref())?,
            iban: locate("iban", mapping.counterparty_iban.as_ref())?,
            remittance: locate("remittance", mapping.remittance.as_ref())?,
            reference: locate("reference", mapping.reference.as_ref())?,
            value_date: locate("value_date", mapping.value_date.as_ref())?,
        };
        if columns.currency.is_none() && mapping.default_currency.is_none() {
            let looked_for = mapping.currency.as_ref().map_or("no column".into(), |c| format!("{:?}", c.header));
            return Err(missing(headers, "currency", &format!("{looked_for}, and no default_currency is set")));
        }
        Ok(columns)
    }
}

/// The column `column` names in the header; an error if it is required and absent, or there twice.
fn locate(
    headers: &csv::StringRecord,
    role: &'static str,
    column: Option<&Column>,
) -> Result<Option<Found>, FileError> {
    let Some(column) = column else { return Ok(None) };
    let wanted = normalise(&column.header);
    let mut matches = headers.iter().enumerate().filter(|(_, header)| normalise(header) == wanted);
    let Some((index, header)) = matches.next() else {
        if column.required {
            return Err(missing(headers, role, &format!("{:?}", column.header)));
        }
        return Ok(None);
    };
    if let Some((_, again)) = matches.next() {
        return Err(FileError::DuplicateColumn { column: again.to_owned() });
    }
    Ok(Some(Found { index, header: header.to_owned() }))
}

/// A mapped column is not in the header. `FileError` names the column by its role (`amount`); the
/// header the mapping looked for goes with the list of columns found.
fn missing(headers: &csv::StringRecord, role: &'static str, looked_for: &str) -> FileError {
    FileError::MissingColumn { column: role, found: format!("{}; the mapping looks for {looked_for}", list(headers)) }
}

fn normalise(header: &str) -> String {
    header.trim().trim_start_matches('\u{feff}').to_lowercase().replace(' ', "_")
}

fn list(headers: &csv::StringRecord) -> String {
    headers.iter().collect::<Vec<_>>().join(", ")
}

/// One record with its line number.
struct Record<'a> {
    record: &'a csv::StringRecord,
    line: u64,
    headers: &'a csv::StringRecord,
}

impl Record<'_> {
    /// The cell's text, `None` when the column is not mapped or the cell is empty.
    fn get(&self, column: Option<&Found>) -> Option<&str> {
        column.and_then(|c| self.record.get(c.index)).filter(|text| !text.is_empty())
    }

    fn text(&self, column: Option<&Found>) -> Option<String> {
        self.get(column).map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    fn required(&self, column: &Found) -> Result<&str, Rejection> {
        self.get(Some(column)).ok_or_else(|| self.reject(column, "is empty: a value is required"))
    }

    fn reject(&self, column: &Found, reason: impl std::fmt::Display) -> Rejection {
        Rejection::new(self.line, Some(&column.header), reason)
    }

    /// Refuses control characters (NUL and the like) that no real field holds.
    fn check_characters(&self) -> Result<(), Rejection> {
        let failed =
            self.record.iter().enumerate().find_map(|(i, cell)| overdue_core::text::check(cell).err().map(|e| (i, e)));
        let Some((index, reason)) = failed else { return Ok(()) };
        Err(Rejection::new(self.line, self.headers.get(index), reason))
    }
}

/// What every row needs to become a line.
struct Rows<'a> {
    account: &'a str,
    statement: &'a str,
    mapping: &'a CsvMapping,
    columns: &'a Columns,
}

impl Rows<'_> {
    fn line(&self, row: &Record) -> Result<BankLine, Rejection> {
        row.check_characters()?;
        let c = self.columns;
        let currency = self.currency(row)?;
        let (amount, direction) = match &c.amount {
            Amounts::Signed(column) => {
                let signed = row.required(column).and_then(|text| {
                    amount(text, currency, self.mapping.decimal_comma).map_err(|reason| row.reject(column, reason))
                })?;
                self.direction(row, column, signed)?
            }
            Amounts::InAndOut { money_in, money_out } => self.in_or_out(row, currency, money_in, money_out)?,
        };
        let read_date = |column: &Found| {
            row.required(column)
                .and_then(|text| date(text, &self.mapping.date_format).map_err(|e| row.reject(column, e)))
        };
        let value_date = match &c.value_date {
            Some(column) if row.get(Some(column)).is_some() => Some(read_date(column)?),
            _ => None,
        };
        Ok(BankLine {
            account: self.account.to_owned(),
            statement: self.statement.to_owned(),
            entry: row.text(c.reference.as_ref()).unwrap_or_else(|| format!("line {}", row.line)),
            booking_date: read_date(&c.date)?,
            value_date,
            amount,
            direction,
            counterparty_name: row.text(c.name.as_ref()),
            counterparty_iban: row.get(c.iban.as_ref()).map(|iban| iban.split_whitespace().collect()),
            creditor_reference: None,
            remittance: row.text(c.remittance.as_ref()),
            end_to_end_id: None,
            bank_reference: None,
            reversal: returned(direction, row.text(c.remittance.as_ref()).as_deref()),
        })
    }

    /// The currency cell, else the default currency.
    fn currency(&self, row: &Record) -> Result<Currency, Rejection> {
        let column = self.columns.currency.as_ref();
        match (row.get(column), column, self.mapping.default_currency) {
            (Some(code), Some(column), _) => {
                Currency::from_code(code.trim()).map_err(|e| row.reject(column, e.to_string()))
            }
            (_, _, Some(currency)) => Ok(currency),
            (_, Some(column), None) => Err(row.reject(column, "is empty and no default currency is set")),
            (_, None, None) => {
                Err(row.reject(self.columns.amount.first(), "has no currency: no default currency is set"))
            }
        }
    }

    /// The amount without its sign, and which way it went: the direction column when mapped, else
    /// the sign (negative is money out).
    fn direction(&self, row: &Record, amount_column: &Found, signed: Money) -> Result<(Money, Direction), Rejection> {
        if signed.is_zero() {
            return Err(row.reject(amount_column, "is zero: a bank line moves money"));
        }
        let magnitude = Money::new(signed.amount_minor().saturating_abs(), signed.currency());
        let Some(column) = &self.columns.direction else {
            let direction = if signed.is_negative() { Direction::Debit } else { Direction::Credit };
            return Ok((magnitude, direction));
        };
        let text = row.required(column)?;
        let stated = stated_direction(text).ok_or_else(|| {
            row.reject(column, format!("{text:?} is neither credit nor debit (C/D, CRDT/DBIT, credit/debit, H/S, +/-)"))
        })?;
        if signed.is_negative() && stated == Direction::Credit {
            let reason = format!("is negative but {} says credit: which way did the money go?", column.header);
            return Err(row.reject(amount_column, reason));
        }
        Ok((magnitude, stated))
    }
}

impl Rows<'_> {
    /// The amount from whichever of the money-in and money-out cells is filled (an empty or zero
    /// cell is not filled); both filled, or neither, is refused.
    fn in_or_out(
        &self,
        row: &Record,
        currency: Currency,
        money_in: &Found,
        money_out: &Found,
    ) -> Result<(Money, Direction), Rejection> {
        let read = |column: &Found| -> Result<Option<Money>, Rejection> {
            let Some(text) = row.get(Some(column)) else { return Ok(None) };
            let money =
                amount(text, currency, self.mapping.decimal_comma).map_err(|reason| row.reject(column, reason))?;
            Ok((!money.is_zero()).then(|| Money::new(money.amount_minor().saturating_abs(), currency)))
        };
        match (read(money_in)?, read(money_out)?) {
            (Some(amount), None) => Ok((amount, Direction::Credit)),
            (None, Some(amount)) => Ok((amount, Direction::Debit)),
            (Some(_), Some(_)) => {
                Err(row
                    .reject(money_in, format!("and {} are both filled: which way did the money go?", money_out.header)))
            }
            (None, None) => {
                Err(row.reject(money_in, format!("and {} are both empty: a bank line moves money", money_out.header)))
            }
        }
    }
}

/// Words banks' exports use for money taken back: a returned direct debit, a Ri.Ba. or bill
/// unpaid, a chargeback (Italian, German, Spanish, French, English), lower case.
const RETURN_WORDS: [&str; 12] = [
    "insolut",
    "richiamo effett",
    "rücklastschrift",
    "ruecklastschrift",
    "rueckbuchung",
    "devolución",
    "devolucion",
    "impagad",
    "impayé",
    "returned direct debit",
    "unpaid",
    "chargeback",
];

/// A debit whose text says it takes a payment back (a CSV export has no code for it).
fn returned(direction: Direction, remittance: Option<&str>) -> Option<Reversal> {
    let text = remittance?.to_lowercase();
    (direction == Direction::Debit && RETURN_WORDS.iter().any(|word| text.contains(word))).then(|| Reversal {
        reason_code: None,
        reason_text: remittance.map(str::to_owned),
        charges: None,
    })
}

/// Credit or debit as banks write it in English, German (Haben/Soll), Spanish, Italian, French.
fn stated_direction(text: &str) -> Option<Direction> {
    match text.trim().to_lowercase().as_str() {
        "c" | "cr" | "crdt" | "credit" | "h" | "haben" | "abono" | "avere" | "crédit" | "in" | "+" => {
            Some(Direction::Credit)
        }
        "d" | "dr" | "dbit" | "debit" | "s" | "soll" | "cargo" | "dare" | "débit" | "out" | "-" => {
            Some(Direction::Debit)
        }
        _ => None,
    }
}

/// A signed amount as bank exports write it: `-12.50`, `12.50-`, `1,234.56`, `€12.50`, or with
/// `decimal_comma` `1.234,56` and `1 234,56`. More decimals than the currency has is refused.
fn amount(text: &str, currency: Currency, decimal_comma: bool) -> Result<Money, String> {
    let mut cleaned: String =
        text.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '€' | '£' | '$')).collect();
    if let Some(rest) = cleaned.strip_suffix('-') {
        cleaned = format!("-{rest}");
    }
    if decimal_comma {
        cleaned = cleaned
            .chars()
            .map(|c| {
                if c == '.' {
                    ','
                } else if c == ',' {
                    '.'
                } else {
                    c
                }
            })
            .collect();
    }
    let hint = if decimal_comma { "" } else { " (if the bank writes 1.234,56, set decimal_comma)" };
    Money::parse(&cleaned, currency).map_err(|e| match e {
        MoneyError::TooManyDecimals { exponent, .. } => {
            format!("{text:?} has more decimals than {currency} has ({exponent}){hint}")
        }
        MoneyError::TooLarge { .. } => format!("{text:?} is too large for an amount"),
        _ => format!("{text:?} is not an amount such as 1234.56 or -1234.56{hint}"),
    })
}

fn date(text: &str, format: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, format)
        .ok()
        .filter(|date| u32::try_from(date.year()).is_ok_and(|year| (YEAR_MIN..=YEAR_MAX).contains(&year)))
        .ok_or_else(|| format!("{text:?} is not a date written {format} between {YEAR_MIN} and {YEAR_MAX}"))
}
