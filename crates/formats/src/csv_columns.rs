//! The shared part of the CSV layouts: finding columns by header name (any order, any case),
//! reporting missing required columns and ignored extra ones, and reading cells as typed values
//! with rejections that name the line and column.

use chrono::{Datelike, NaiveDate};
use overdue_core::currency::Currency;
use overdue_core::date::parse_iso;
use overdue_core::import::{ImportRow, Located, Rejection};
use overdue_core::money::Money;
use std::collections::HashMap;
use std::io::Read;

/// A problem with the file as a whole: nothing in it can be imported.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the file has no header row: the first line must name the columns ({expected})")]
    NoHeader { expected: String },
    #[error("required column {column:?} is missing from the header (columns found: {found})")]
    MissingColumn { column: &'static str, found: String },
    #[error(
        "required column {column:?} is missing from the header (columns found: {found}); if the file calls it \
         something else, say which with --map \"{column}=<its header>\", or give every row one value with \
         --map \"default_{column}=<value>\""
    )]
    MissingLayoutColumn { column: &'static str, found: String },
    #[error(
        "the map names the column {header:?} for {column}, but the header has no such column (columns found: {found})"
    )]
    MappedColumnMissing { column: String, header: String, found: String },
    #[error(
        "the dates do not all read as {format}: {unreadable} cannot, the first on line {line} ({column}: {reason}); \
         nothing was imported, since dates that did read may have been read wrongly too{hint}"
    )]
    DatesNotInFormat {
        format: String,
        unreadable: usize,
        line: u64,
        column: &'static str,
        reason: String,
        hint: String,
    },
    #[error("column {column:?} appears twice in the header")]
    DuplicateColumn { column: String },
    #[error("could not read the CSV header: {0}")]
    Csv(#[from] csv::Error),
}

/// How a spreadsheet export differs from overdue's own layout (`--map`): which of its columns
/// is which, how it writes dates and amounts, what separates its fields. Encoding is handled
/// before (`encoding::decode_text`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnMap {
    /// (layout column, the file's header for it).
    pub columns: Vec<(String, String)>,
    /// A chrono format for every date (`%m/%d/%Y` for US dates); ISO (`%Y-%m-%d`) when `None`.
    pub date_format: Option<String>,
    /// Amounts written `1.234,56`.
    pub decimal_comma: bool,
    /// The field separator; a comma when `None`.
    pub delimiter: Option<u8>,
    /// (layout column, value) for a column the file leaves out or leaves empty
    /// (`default_currency=EUR`, `default_terms=Net 30`).
    pub defaults: Vec<(String, String)>,
}

/// Why a column map cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnMapError {
    #[error(
        "{item:?} is not key=value (keys: the columns {columns}; default_ and a column for a value every row \
         takes; and date_format, decimal_comma, delimiter)"
    )]
    NotAPair { item: String, columns: String },
    #[error(
        "{key:?} is not a column of this file kind ({columns}), default_ and one of them, nor date_format, \
         decimal_comma or delimiter"
    )]
    UnknownKey { key: String, columns: String },
    #[error("{key}={value:?}: {reason}")]
    BadValue { key: String, value: String, reason: String },
}

impl ColumnMap {
    /// Parses `column=Header,…,date_format=%m/%d/%Y,decimal_comma=true,delimiter=;` for `layout`.
    pub fn parse_spec(spec: &str, layout: &Layout) -> Result<Self, ColumnMapError> {
        let columns = layout.required.iter().chain(layout.optional).copied().collect::<Vec<_>>().join(", ");
        let mut map = Self::default();
        for item in spec.split(',').filter(|item| !item.trim().is_empty()) {
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| ColumnMapError::NotAPair { item: item.to_owned(), columns: columns.clone() })?;
            let bad = |reason: &str| ColumnMapError::BadValue {
                key: key.trim().to_owned(),
                value: value.to_owned(),
                reason: reason.to_owned(),
            };
            match key.trim().to_ascii_lowercase().as_str() {
                "date_format" => map.date_format = Some(date_format(value.trim()).map_err(|r| bad(&r))?),
                "decimal_comma" => map.decimal_comma = flag(value.trim()).ok_or_else(|| bad("say true or false"))?,
                "delimiter" => map.delimiter = Some(delimiter(value).ok_or_else(|| bad(DELIMITERS))?),
                column if layout.knows(column) => map.columns.push((column.to_owned(), value.trim().to_owned())),
                key if key.strip_prefix("default_").is_some_and(|column| layout.knows(column)) => {
                    let column = key.trim_start_matches("default_");
                    map.defaults.push((column.to_owned(), value.trim().to_owned()));
                }
                _ => return Err(ColumnMapError::UnknownKey { key: key.trim().to_owned(), columns }),
            }
        }
        Ok(map)
    }

    /// The value every row takes for `column` when the file leaves it out or empty.
    fn default_of(&self, column: &str) -> Option<&str> {
        self.defaults.iter().find(|(c, _)| c == column).map(|(_, value)| value.as_str())
    }

    /// The layout columns a header names: those mapped to it (one header may give two columns,
    /// `issue_date=Fecha,sent_date=Fecha`), else the header itself (any case, spaces as
    /// underscores).
    fn columns_of(&self, header: &str, layout: &'static Layout) -> Vec<&'static str> {
        let header = header.trim().trim_start_matches('\u{feff}');
        let known = |name: &str| layout.required.iter().chain(layout.optional).copied().find(|c| *c == name);
        let mapped: Vec<&'static str> =
            self.columns.iter().filter(|(_, h)| h.eq_ignore_ascii_case(header)).filter_map(|(c, _)| known(c)).collect();
        if mapped.is_empty() {
            known(&header.to_ascii_lowercase().replace(' ', "_")).into_iter().collect()
        } else {
            mapped
        }
    }

    /// A date cell as written (`date_format`, else ISO), within the years the books accept (a
    /// two-digit year read by a four-digit format is year 26, not 2026: refused).
    fn date(&self, text: &str) -> Result<NaiveDate, String> {
        let Some(format) = &self.date_format else { return parse_iso(text).map_err(|e| e.to_string()) };
        let date = NaiveDate::parse_from_str(text.trim(), format).map_err(|e| match e.kind() {
            chrono::format::ParseErrorKind::OutOfRange | chrono::format::ParseErrorKind::Impossible => {
                format!("{text:?} is not a day that exists")
            }
            _ => format!("{text:?} is not a date written {format}"),
        })?;
        let year = date.year();
        if !(i64::from(overdue_core::date::YEAR_MIN)..=i64::from(overdue_core::date::YEAR_MAX))
            .contains(&i64::from(year))
        {
            return Err(format!(
                "{text:?} read as {format} is the year {year}: a year has four digits here (for two, write %y in \
                 date_format)"
            ));
        }
        Ok(date)
    }

    /// An amount cell in the file's notation (decimal comma, grouping dots or spaces).
    fn amount<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if !self.decimal_comma {
            return std::borrow::Cow::Borrowed(text);
        }
        let cleaned: String = text
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        std::borrow::Cow::Owned(cleaned)
    }
}

pub const DELIMITERS: &str =
    "a delimiter is one character other than a quote or a letter, or comma, semicolon, tab, pipe";

/// A delimiter as a mapping names it.
pub fn delimiter(value: &str) -> Option<u8> {
    match value.trim_matches(' ').to_ascii_lowercase().as_str() {
        "comma" => Some(b','),
        "semicolon" => Some(b';'),
        "tab" | "\\t" => Some(b'\t'),
        "pipe" => Some(b'|'),
        one if one.len() == 1 => {
            let byte = one.as_bytes()[0];
            (!byte.is_ascii_alphanumeric() && !matches!(byte, b'"' | b'\n' | b'\r')).then_some(byte)
        }
        _ => None,
    }
}

/// A yes/no value as a mapping writes it.
pub fn flag(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// A date format that writes and reads back a whole date (day, month and year).
pub fn date_format(format: &str) -> Result<String, String> {
    use chrono::format::{Item, StrftimeItems};
    use std::fmt::Write;
    if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err("not a date format such as %Y-%m-%d or %d/%m/%Y".into());
    }
    let probe = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap_or_default();
    let mut written = String::new();
    let round_trip = write!(written, "{}", probe.format(format)).is_ok()
        && NaiveDate::parse_from_str(&written, format).is_ok_and(|read| read == probe);
    if round_trip { Ok(format.to_owned()) } else { Err("the format must give the day, the month and the year".into()) }
}

/// A CSV layout: which columns are required and which are understood.
pub struct Layout {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

impl Layout {
    /// Whether `column` is one of the layout's columns.
    pub fn knows(&self, column: &str) -> bool {
        self.required.contains(&column) || self.optional.contains(&column)
    }

    /// The layout's date columns: `date`, `…_date`, `…_on`, `supply_from`, `supply_to`.
    fn date_columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.required.iter().chain(self.optional).copied().filter(|c| {
            *c == "date" || c.ends_with("_date") || c.ends_with("_on") || *c == "supply_from" || *c == "supply_to"
        })
    }
}

/// Checks, before anything is imported, that every date of a mapped file reads in the map's
/// `date_format`: a file written `%m/%d/%Y` read as `%d/%m/%Y` has days that cannot exist (13th
/// month), and its other dates would be read with day and month swapped — so one date that does
/// not read refuses the whole file, saying which format does read every date when the other
/// order does. Cells with a time (`10:15`) are left to their own reader.
///
/// Errors: [`FileError::DatesNotInFormat`]; the header errors of [`Table::open_mapped`].
pub fn check_dates(text: &str, layout: &'static Layout, map: &ColumnMap) -> Result<(), FileError> {
    let Some(format) = map.date_format.clone() else { return Ok(()) };
    let mut table = Table::open_mapped(text.as_bytes(), layout, map.clone())?;
    let columns: Vec<&'static str> = layout.date_columns().filter(|c| table.columns.contains_key(c)).collect();
    let swapped = [("%d", "\u{0}"), ("%m", "%d"), ("\u{0}", "%m")]
        .iter()
        .fold(format.clone(), |f, (from, to)| f.replace(from, to));
    let other = ColumnMap { date_format: Some(swapped.clone()), ..map.clone() };
    let (mut unreadable, mut first, mut other_reads_all) = (0, None, swapped != format);
    let mut record = csv::StringRecord::new();
    while let Some(line) = table.next_record(&mut record) {
        let Ok(line) = line else { continue };
        for column in &columns {
            let Some(cell) = table.columns.get(column).and_then(|i| record.get(*i)).filter(|t| !t.is_empty()) else {
                continue;
            };
            if cell.contains(':') {
                continue;
            }
            other_reads_all &= other.date(cell).is_ok();
            if let Err(reason) = map.date(cell) {
                unreadable += 1;
                first.get_or_insert((line, *column, reason));
            }
        }
    }
    let Some((line, column, reason)) = first else { return Ok(()) };
    let hint = if other_reads_all {
        format!("; every date reads as {swapped}: say date_format={swapped}")
    } else {
        String::new()
    };
    Err(FileError::DatesNotInFormat { format, unreadable, line, column, reason, hint })
}

/// The line numbers of a file as it is read: where each line break passed, so a record's byte
/// position gives its line. (The `csv` crate's own line count lags one line behind in files with
/// CRLF line ends: rust-csv issue #395.) Offsets of breaks before the record asked for are
/// dropped as reading goes on, so memory stays bounded.
#[derive(Default)]
struct LineIndex {
    /// Lines that ended before the first break still kept.
    passed: u64,
    breaks: std::collections::VecDeque<u64>,
}

impl LineIndex {
    /// The 1-based line of the byte at `offset`: one more than the breaks at or before it (a
    /// record the reader says starts on the `\n` of a CRLF starts on the next line).
    fn line_at(&mut self, offset: u64) -> u64 {
        while self.breaks.front().is_some_and(|&at| at <= offset) {
            self.breaks.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

/// A reader noting where each line break passes.
pub struct Counted<R> {
    inner: R,
    offset: u64,
    lines: std::sync::Arc<std::sync::Mutex<LineIndex>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let (Ok(mut lines), Some(read)) = (self.lines.lock(), buf.get(..n)) {
            let offset = self.offset;
            lines.breaks.extend(read.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| offset + i as u64));
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// A CSV file opened against a layout.
pub struct Table<R> {
    pub reader: csv::Reader<Counted<R>>,
    lines: std::sync::Arc<std::sync::Mutex<LineIndex>>,
    columns: HashMap<&'static str, usize>,
    /// Header names that are not part of the layout (reported, then ignored).
    pub ignored: Vec<String>,
    map: ColumnMap,
}

impl<R: Read> Table<R> {
    pub fn open(input: R, layout: &'static Layout) -> Result<Self, FileError> {
        Self::open_mapped(input, layout, ColumnMap::default())
    }

    /// Opens a file whose columns and notations `map` describes.
    pub fn open_mapped(input: R, layout: &'static Layout, map: ColumnMap) -> Result<Self, FileError> {
        let lines = std::sync::Arc::new(std::sync::Mutex::new(LineIndex::default()));
        let counted = Counted { inner: input, offset: 0, lines: std::sync::Arc::clone(&lines) };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .delimiter(map.delimiter.unwrap_or(b','))
            .from_reader(counted);
        let headers = reader.headers()?.clone();
        let expected = layout.required.join(", ");
        if headers.is_empty() || headers.iter().all(str::is_empty) {
            return Err(FileError::NoHeader { expected });
        }
        let mut columns = HashMap::new();
        let mut ignored = Vec::new();
        for (index, name) in headers.iter().enumerate() {
            let known = map.columns_of(name, layout);
            if known.is_empty() {
                ignored.push(name.to_owned());
            }
            for column in known {
                if columns.insert(column, index).is_some() {
                    return Err(FileError::DuplicateColumn { column: name.to_owned() });
                }
            }
        }
        let found = || headers.iter().collect::<Vec<_>>().join(", ");
        if let Some((column, header)) = map.columns.iter().find(|(column, _)| !columns.contains_key(column.as_str())) {
            return Err(FileError::MappedColumnMissing {
                column: column.clone(),
                header: header.clone(),
                found: found(),
            });
        }
        if let Some(column) = layout.required.iter().find(|c| !columns.contains_key(**c) && map.default_of(c).is_none())
        {
            return Err(FileError::MissingLayoutColumn { column, found: found() });
        }
        Ok(Self { reader, lines, columns, ignored, map })
    }

    /// Reads the next record into `record`; `None` at the end, a rejection if it is malformed.
    pub fn next_record(&mut self, record: &mut csv::StringRecord) -> Option<Result<u64, Rejection>> {
        match self.reader.read_record(record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.line_of(record.position());
                Some(self.check_characters(record, line).map(|()| line))
            }
            Err(error) => {
                let line = self.line_of(error.position());
                Some(Err(Rejection::new(line, None, format!("not a valid CSV record: {error}"))))
            }
        }
    }

    /// The file's line where a record starts.
    fn line_of(&self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else { return 0 };
        self.lines.lock().map_or(position.line(), |mut lines| lines.line_at(position.byte()))
    }

    /// Every cell under the one rule for text (`overdue_core::text`): no control characters
    /// (line breaks and tabs inside quoted fields are fine), no overlong field.
    fn check_characters(&self, record: &csv::StringRecord, line: u64) -> Result<(), Rejection> {
        for (index, cell) in record.iter().enumerate() {
            if let Err(error) = overdue_core::text::check(cell) {
                let column = self.columns.iter().find(|(_, i)| **i == index).map(|(name, _)| *name);
                return Err(Rejection::new(line, column, error));
            }
        }
        Ok(())
    }

    /// Whether the file has `column`, or the map gives it a value for every row (a file that
    /// leaves a column out says nothing about it).
    pub fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column) || self.map.default_of(column).is_some()
    }

    /// A view of one record for typed access.
    pub fn row<'a>(&'a self, record: &'a csv::StringRecord, line: u64) -> Row<'a> {
        Row { columns: &self.columns, record, line, map: &self.map }
    }
}

/// A CSV file where each record is one value, read by `parse`.
pub struct RecordRows<R, T> {
    pub table: Table<R>,
    record: csv::StringRecord,
    parse: fn(&Row<'_>) -> Result<T, Rejection>,
}

impl<R: Read, T> RecordRows<R, T> {
    pub fn open(
        input: R,
        layout: &'static Layout,
        parse: fn(&Row<'_>) -> Result<T, Rejection>,
    ) -> Result<Self, FileError> {
        Self::open_mapped(input, layout, ColumnMap::default(), parse)
    }

    pub fn open_mapped(
        input: R,
        layout: &'static Layout,
        map: ColumnMap,
        parse: fn(&Row<'_>) -> Result<T, Rejection>,
    ) -> Result<Self, FileError> {
        Ok(Self { table: Table::open_mapped(input, layout, map)?, record: csv::StringRecord::new(), parse })
    }
}

impl<R: Read, T> Iterator for RecordRows<R, T> {
    type Item = ImportRow<T>;

    fn next(&mut self) -> Option<Self::Item> {
        let line = match self.table.next_record(&mut self.record)? {
            Ok(line) => line,
            Err(rejection) => return Some(Err(rejection)),
        };
        let row = self.table.row(&self.record, line);
        Some((self.parse)(&row).map(|value| Located { line, value }))
    }
}

/// One record with its line number.
pub struct Row<'a> {
    columns: &'a HashMap<&'static str, usize>,
    record: &'a csv::StringRecord,
    pub line: u64,
    map: &'a ColumnMap,
}

impl Row<'_> {
    /// The cell's text, else the map's default for the column; `None` when the column is absent or
    /// the cell empty and the map gives no default.
    pub fn get(&self, column: &'static str) -> Option<&str> {
        let cell = self.columns.get(column).and_then(|index| self.record.get(*index)).filter(|text| !text.is_empty());
        cell.or_else(|| self.map.default_of(column))
    }

    /// The cell's own text, without the map's default; `None` when absent or empty.
    pub fn cell(&self, column: &'static str) -> Option<&str> {
        self.columns.get(column).and_then(|index| self.record.get(*index)).filter(|text| !text.is_empty())
    }

    /// The value the map gives every row for `column` (`default_<column>`), if any.
    pub fn map_default(&self, column: &str) -> Option<&str> {
        self.map.default_of(column)
    }

    pub fn reject(&self, column: &str, reason: impl std::fmt::Display) -> Rejection {
        Rejection::new(self.line, Some(column), reason)
    }

    pub fn required(&self, column: &'static str) -> Result<&str, Rejection> {
        self.get(column).ok_or_else(|| self.reject(column, "is empty: a value is required"))
    }

    /// Parses a required cell with `parse`, turning its error into a rejection for that column.
    pub fn parse<T, E: std::fmt::Display>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, Rejection> {
        parse(self.required(column)?).map_err(|e| self.reject(column, e))
    }

    /// Parses an optional cell; empty gives `None`.
    pub fn parse_opt<T, E: std::fmt::Display>(
        &self,
        column: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, Rejection> {
        self.get(column).map(|text| parse(text).map_err(|e| self.reject(column, e))).transpose()
    }

    pub fn date(&self, column: &'static str) -> Result<NaiveDate, Rejection> {
        self.parse(column, |text| self.map.date(text))
    }

    /// A day written as the file writes dates.
    pub fn day(&self, text: &str) -> Result<NaiveDate, String> {
        self.map.date(text)
    }

    pub fn date_opt(&self, column: &'static str) -> Result<Option<NaiveDate>, Rejection> {
        self.parse_opt(column, |text| self.map.date(text))
    }

    pub fn currency(&self, column: &'static str) -> Result<Currency, Rejection> {
        self.parse(column, |text| Currency::from_code(&text.to_ascii_uppercase()))
    }

    pub fn money(&self, column: &'static str, currency: Currency) -> Result<Money, Rejection> {
        self.parse(column, |text| Money::parse(&self.map.amount(text), currency))
    }

    pub fn money_opt(&self, column: &'static str, currency: Currency) -> Result<Option<Money>, Rejection> {
        self.parse_opt(column, |text| Money::parse(&self.map.amount(text), currency))
    }

    /// A number cell (a quantity, a rate) in the file's notation.
    pub fn number<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        self.map.amount(text)
    }

    pub fn text_opt(&self, column: &'static str) -> Option<String> {
        self.get(column).map(str::to_owned)
    }
}
