//! The shared part of the CSV layouts: finding columns by header name (any order, any case),
//! reporting missing required columns and ignored extra ones, and reading cells as typed values
//! with rejections that name the line and column.

use chrono::NaiveDate;
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
    #[error("column {column:?} appears twice in the header")]
    DuplicateColumn { column: String },
    #[error("could not read the CSV header: {0}")]
    Csv(#[from] csv::Error),
}

/// A CSV layout: which columns are required and which are understood.
pub struct Layout {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

/// A CSV file opened against a layout.
pub struct Table<R> {
    pub reader: csv::Reader<R>,
    columns: HashMap<&'static str, usize>,
    /// Header names that are not part of the layout (reported, then ignored).
    pub ignored: Vec<String>,
}

impl<R: Read> Table<R> {
    pub fn open(input: R, layout: &Layout) -> Result<Self, FileError> {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(input);
        let headers = reader.headers()?.clone();
        let expected = layout.required.join(", ");
        if headers.is_empty() || headers.iter().all(str::is_empty) {
            return Err(FileError::NoHeader { expected });
        }
        let mut columns = HashMap::new();
        let mut ignored = Vec::new();
        for (index, name) in headers.iter().enumerate() {
            let normalised = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().replace(' ', "_");
            let known = layout.required.iter().chain(layout.optional).find(|c| **c == normalised);
            match known {
                Some(column) if columns.insert(*column, index).is_some() => {
                    return Err(FileError::DuplicateColumn { column: name.to_owned() });
                }
                Some(_) => {}
                None => ignored.push(name.to_owned()),
            }
        }
        if let Some(column) = layout.required.iter().find(|c| !columns.contains_key(**c)) {
            return Err(FileError::MissingColumn { column, found: headers.iter().collect::<Vec<_>>().join(", ") });
        }
        Ok(Self { reader, columns, ignored })
    }

    /// Reads the next record into `record`; `None` at the end, a rejection if it is malformed.
    pub fn next_record(&mut self, record: &mut csv::StringRecord) -> Option<Result<u64, Rejection>> {
        match self.reader.read_record(record) {
            Ok(false) => None,
            Ok(true) => {
                let line = record.position().map_or(0, csv::Position::line);
                Some(self.check_characters(record, line).map(|()| line))
            }
            Err(error) => {
                let line = error.position().map_or(0, csv::Position::line);
                Some(Err(Rejection::new(line, None, format!("not a valid CSV record: {error}"))))
            }
        }
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

    /// Whether the file has `column` (a file that leaves a column out says nothing about it).
    pub fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    /// A view of one record for typed access.
    pub fn row<'a>(&'a self, record: &'a csv::StringRecord, line: u64) -> Row<'a> {
        Row { columns: &self.columns, record, line }
    }
}

/// A CSV file where each record is one value, read by `parse`.
pub struct RecordRows<R, T> {
    pub table: Table<R>,
    record: csv::StringRecord,
    parse: fn(&Row<'_>) -> Result<T, Rejection>,
}

impl<R: Read, T> RecordRows<R, T> {
    pub fn open(input: R, layout: &Layout, parse: fn(&Row<'_>) -> Result<T, Rejection>) -> Result<Self, FileError> {
        Ok(Self { table: Table::open(input, layout)?, record: csv::StringRecord::new(), parse })
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
}

impl Row<'_> {
    /// The cell's text, `None` when the column is absent or the cell empty.
    pub fn get(&self, column: &'static str) -> Option<&str> {
        let index = *self.columns.get(column)?;
        self.record.get(index).filter(|text| !text.is_empty())
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
        self.parse(column, parse_iso)
    }

    pub fn date_opt(&self, column: &'static str) -> Result<Option<NaiveDate>, Rejection> {
        self.parse_opt(column, parse_iso)
    }

    pub fn currency(&self, column: &'static str) -> Result<Currency, Rejection> {
        self.parse(column, |text| Currency::from_code(&text.to_ascii_uppercase()))
    }

    pub fn money(&self, column: &'static str, currency: Currency) -> Result<Money, Rejection> {
        self.parse(column, |text| Money::parse(text, currency))
    }

    pub fn money_opt(&self, column: &'static str, currency: Currency) -> Result<Option<Money>, Rejection> {
        self.parse_opt(column, |text| Money::parse(text, currency))
    }

    pub fn text_opt(&self, column: &'static str) -> Option<String> {
        self.get(column).map(str::to_owned)
    }
}
