//! A small common language for the follow-up tables: parameters and results as integers or
//! text (dates as `YYYY-MM-DD`, timestamps as `YYYY-MM-DD HH:MM:SS`), so the SQL and the code
//! around it are written once for both backends. SQL uses `$n` placeholders; on SQLite they
//! become `?n`, on PostgreSQL text is converted to the type the statement expects.

use crate::StoreError;
use chrono::{NaiveDate, NaiveDateTime};
use postgres::types::Type;

/// One parameter or column value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl Value {
    pub fn int(self) -> Option<i64> {
        match self {
            Value::Int(v) => v,
            Value::Text(t) => t.and_then(|t| t.parse().ok()),
        }
    }

    pub fn text(self) -> Option<String> {
        match self {
            Value::Text(t) => t,
            Value::Int(v) => v.map(|v| v.to_string()),
        }
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(Some(i64::from(v)))
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(Some(v))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Text(Some(v.to_string()))
    }
}
impl From<Option<NaiveDate>> for Value {
    fn from(v: Option<NaiveDate>) -> Self {
        Value::Text(v.map(|d| d.to_string()))
    }
}
impl From<NaiveDateTime> for Value {
    fn from(v: NaiveDateTime) -> Self {
        Value::Text(Some(v.format(TIMESTAMP).to_string()))
    }
}

/// How timestamps are written as text.
pub(crate) const TIMESTAMP: &str = "%Y-%m-%d %H:%M:%S";

/// A result row, read column by column.
pub(crate) struct Row(std::vec::IntoIter<Value>);

impl Row {
    pub fn int(&mut self) -> i64 {
        self.opt_int().unwrap_or(0)
    }
    pub fn opt_int(&mut self) -> Option<i64> {
        self.0.next().and_then(Value::int)
    }
    pub fn text(&mut self) -> String {
        self.opt_text().unwrap_or_default()
    }
    pub fn opt_text(&mut self) -> Option<String> {
        self.0.next().and_then(Value::text)
    }
    pub fn date(&mut self) -> Result<NaiveDate, StoreError> {
        let text = self.text();
        overdue_core::date::parse_iso(&text).map_err(|_| StoreError::corrupt("date", &text))
    }
    pub fn opt_date(&mut self) -> Result<Option<NaiveDate>, StoreError> {
        match self.opt_text() {
            None => Ok(None),
            Some(text) => {
                overdue_core::date::parse_iso(&text).map(Some).map_err(|_| StoreError::corrupt("date", &text))
            }
        }
    }
    pub fn timestamp(&mut self) -> Result<NaiveDateTime, StoreError> {
        let text = self.text();
        NaiveDateTime::parse_from_str(&text, TIMESTAMP).map_err(|_| StoreError::corrupt("timestamp", &text))
    }
    pub fn opt_timestamp(&mut self) -> Result<Option<NaiveDateTime>, StoreError> {
        match self.opt_text() {
            None => Ok(None),
            Some(text) => NaiveDateTime::parse_from_str(&text, TIMESTAMP)
                .map(Some)
                .map_err(|_| StoreError::corrupt("timestamp", &text)),
        }
    }
}

/// Runs SQL in the common language, inside the caller's transaction.
pub(crate) trait Sql {
    fn rows(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    /// Calls `f` with each row in turn, without holding them all (a million open invoices read
    /// as a stream, not a vector). The default reads them all first.
    fn each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for row in self.rows(sql, params)? {
            f(row)?;
        }
        Ok(())
    }
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
    /// Whether this is PostgreSQL (for the few clauses SQLite does not have, such as row locks).
    fn is_postgres(&self) -> bool {
        false
    }
}

/// `$n` → `?n` for SQLite.
fn sqlite_text(sql: &str) -> String {
    sql.replace('$', "?")
}

impl Sql for rusqlite::Transaction<'_> {
    fn rows(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut out = Vec::new();
        self.each(sql, params, &mut |row| {
            out.push(row);
            Ok(())
        })?;
        Ok(out)
    }

    fn each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.prepare_cached(&sqlite_text(sql))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(sqlite_param)))?;
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Integer(v) => Value::Int(Some(v)),
                    rusqlite::types::ValueRef::Null => Value::Int(None),
                    rusqlite::types::ValueRef::Real(v) => Value::Int(Some(v as i64)),
                    rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                        Value::Text(Some(String::from_utf8_lossy(t).into_owned()))
                    }
                });
            }
            f(Row(values.into_iter()))?;
        }
        Ok(())
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let mut stmt = self.prepare_cached(&sqlite_text(sql))?;
        Ok(stmt.execute(rusqlite::params_from_iter(params.iter().map(sqlite_param)))? as u64)
    }
}

fn sqlite_param(value: &Value) -> rusqlite::types::Value {
    match value {
        Value::Int(Some(v)) => rusqlite::types::Value::Integer(*v),
        Value::Text(Some(t)) => rusqlite::types::Value::Text(t.clone()),
        _ => rusqlite::types::Value::Null,
    }
}

/// A PostgreSQL transaction with its statements prepared once.
pub(crate) struct PgSql<'t> {
    pub tx: postgres::Transaction<'t>,
    statements: std::collections::HashMap<String, postgres::Statement>,
}

impl<'t> PgSql<'t> {
    pub fn new(tx: postgres::Transaction<'t>) -> Self {
        Self { tx, statements: std::collections::HashMap::new() }
    }

    fn prepared(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl Sql for PgSql<'_> {
    fn is_postgres(&self) -> bool {
        true
    }

    fn rows(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let stmt = self.prepared(sql)?;
        let bound = pg_params(&stmt, params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        let rows = self.tx.query(&stmt, &refs)?;
        rows.iter().map(pg_row).collect()
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        let stmt = self.prepared(sql)?;
        let bound = pg_params(&stmt, params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = bound.iter().map(|b| b.as_ref()).collect();
        Ok(self.tx.execute(&stmt, &refs)?)
    }
}

type PgParam = Box<dyn postgres::types::ToSql + Sync>;

/// Each value converted to the type PostgreSQL inferred for its placeholder.
fn pg_params(stmt: &postgres::Statement, params: &[Value]) -> Result<Vec<PgParam>, StoreError> {
    let bad = |what: &str, text: &str| StoreError::corrupt(what, text);
    stmt.params()
        .iter()
        .zip(params)
        .map(|(ty, value)| -> Result<PgParam, StoreError> {
            Ok(match (ty, value.clone()) {
                (&Type::DATE, Value::Text(t)) => {
                    Box::new(t.map(|t| overdue_core::date::parse_iso(&t).map_err(|_| bad("date", &t))).transpose()?)
                }
                (&Type::TIMESTAMP, Value::Text(t)) => Box::new(
                    t.map(|t| NaiveDateTime::parse_from_str(&t, TIMESTAMP).map_err(|_| bad("timestamp", &t)))
                        .transpose()?,
                ),
                (&Type::BOOL, v) => Box::new(v.int().map(|v| v != 0)),
                (&Type::INT4, v) => Box::new(v.int().map(|v| v as i32)),
                (&Type::INT8, v) => Box::new(v.int()),
                (_, v) => Box::new(v.text()),
            })
        })
        .collect()
}

fn pg_row(row: &postgres::Row) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        values.push(match *column.type_() {
            Type::INT8 => Value::Int(row.try_get(i)?),
            Type::INT4 => Value::Int(row.try_get::<_, Option<i32>>(i)?.map(i64::from)),
            Type::BOOL => Value::Int(row.try_get::<_, Option<bool>>(i)?.map(i64::from)),
            Type::DATE => Value::Text(row.try_get::<_, Option<NaiveDate>>(i)?.map(|d| d.to_string())),
            Type::TIMESTAMP => {
                Value::Text(row.try_get::<_, Option<NaiveDateTime>>(i)?.map(|t| t.format(TIMESTAMP).to_string()))
            }
            _ => Value::Text(row.try_get(i)?),
        });
    }
    Ok(Row(values.into_iter()))
}
