//! A collection history brought over from a spreadsheet or another system, one CSV file per kind:
//! disputes, promises to pay and conversations (the contact log). Each row becomes the same
//! record a person would enter with `overdue dispute open`, `overdue promise` or `overdue log`;
//! a row that cannot be read is a rejection naming its line and column. Dates are ISO unless a
//! [`ColumnMap`] says otherwise.
//!
//! - **disputes**: `invoice, reason, opened_on` required; `note, resolved_on, resolution`.
//! - **promises**: `customer, made_on, promised_date, amount, currency` required; `method,
//!   promised_by, invoices` (numbers separated by spaces or semicolons).
//! - **interactions**: `customer, date, summary` required (`date` a day, or a day and time
//!   `2026-03-02 10:15`); `channel` (call, email, letter, sms, meeting, portal; default call),
//!   `direction` (inbound or outbound; default outbound), `contact, outcome, reason, reason_note,
//!   invoices, recorded_by`.

use crate::csv_columns::{ColumnMap, FileError, Layout, RecordRows, Row};
use chrono::{NaiveDate, NaiveDateTime};
use overdue_core::contact::{Channel, Direction, Interaction, NonPaymentReason};
use overdue_core::dispute::Dispute;
use overdue_core::history::HistoryRecord;
use overdue_core::ids::{CustomerCode, InvoiceNumber};
use overdue_core::import::Rejection;
use overdue_core::payment::PaymentMethod;
use overdue_core::promise::PromiseToPay;
use std::io::Read;

pub const DISPUTES: Layout =
    Layout { required: &["invoice", "reason", "opened_on"], optional: &["note", "resolved_on", "resolution"] };
pub const PROMISES: Layout = Layout {
    required: &["customer", "made_on", "promised_date", "amount", "currency"],
    optional: &["method", "promised_by", "invoices"],
};
pub const INTERACTIONS: Layout = Layout {
    required: &["customer", "date", "summary"],
    optional: &["channel", "direction", "contact", "outcome", "reason", "reason_note", "invoices", "recorded_by"],
};

/// Reads a disputes file.
pub fn disputes<R: Read>(input: R, map: ColumnMap) -> Result<RecordRows<R, HistoryRecord>, FileError> {
    RecordRows::open_mapped(input, &DISPUTES, map, dispute)
}

/// Reads a promises file.
pub fn promises<R: Read>(input: R, map: ColumnMap) -> Result<RecordRows<R, HistoryRecord>, FileError> {
    RecordRows::open_mapped(input, &PROMISES, map, promise)
}

/// Reads a conversations file (a row without `recorded_by` is recorded as by `import`).
pub fn interactions<R: Read>(input: R, map: ColumnMap) -> Result<RecordRows<R, HistoryRecord>, FileError> {
    RecordRows::open_mapped(input, &INTERACTIONS, map, interaction)
}

fn reason(row: &Row<'_>, column: &'static str) -> Result<Option<NonPaymentReason>, Rejection> {
    row.parse_opt(column, |text| {
        NonPaymentReason::parse(&text.trim().to_lowercase().replace([' ', '-'], "_"))
            .ok_or_else(|| format!("{text:?} is not a reason: {}", NonPaymentReason::names()))
    })
}

fn invoices(row: &Row<'_>) -> Result<Vec<InvoiceNumber>, Rejection> {
    let Some(text) = row.get("invoices") else { return Ok(Vec::new()) };
    text.split([' ', ';', '|'])
        .filter(|n| !n.is_empty())
        .map(|n| InvoiceNumber::parse(n).map_err(|e| row.reject("invoices", e)))
        .collect()
}

fn dispute(row: &Row<'_>) -> Result<HistoryRecord, Rejection> {
    let reason = reason(row, "reason")?.ok_or_else(|| row.reject("reason", "is empty: a value is required"))?;
    let dispute = Dispute {
        invoice: row.parse("invoice", InvoiceNumber::parse)?,
        reason,
        note: row.text_opt("note"),
        opened_on: row.date("opened_on")?,
        resolved_on: row.date_opt("resolved_on")?,
    };
    if dispute.resolved_on.is_some_and(|resolved| resolved < dispute.opened_on) {
        return Err(row.reject("resolved_on", "is before opened_on"));
    }
    Ok(HistoryRecord::Dispute { dispute, resolution: row.text_opt("resolution") })
}

fn promise(row: &Row<'_>) -> Result<HistoryRecord, Rejection> {
    let currency = row.currency("currency")?;
    let amount = row.money("amount", currency)?;
    if !amount.is_positive() {
        return Err(row.reject("amount", "a promise is of a positive amount"));
    }
    let method = row.parse_opt("method", |text| {
        PaymentMethod::parse(&text.to_ascii_lowercase()).ok_or_else(|| format!("{text:?} is not a payment method"))
    })?;
    let promise = PromiseToPay {
        made_on: row.date("made_on")?,
        promised_date: row.date("promised_date")?,
        amount,
        method,
        promised_by: row.text_opt("promised_by"),
        invoices: invoices(row)?,
    };
    Ok(HistoryRecord::Promise { customer: row.parse("customer", CustomerCode::parse)?, promise })
}

fn interaction(row: &Row<'_>) -> Result<HistoryRecord, Rejection> {
    let at = row.parse("date", |text| at(row, text))?;
    let channel = row.parse_opt("channel", |t| {
        Channel::parse(&t.to_lowercase()).ok_or_else(|| format!("{t:?} is not a channel: {}", Channel::names()))
    })?;
    let direction = row.parse_opt("direction", |t| {
        Direction::parse(&t.to_lowercase()).ok_or_else(|| format!("{t:?} is neither inbound nor outbound"))
    })?;
    let interaction = Interaction {
        at,
        channel: channel.unwrap_or(Channel::Call),
        direction: direction.unwrap_or(Direction::Outbound),
        contact: row.text_opt("contact"),
        recorded_by: row.text_opt("recorded_by").unwrap_or_else(|| "import".into()),
        summary: row.required("summary")?.to_owned(),
        outcome: row.text_opt("outcome"),
        reason: reason(row, "reason")?,
        reason_note: row.text_opt("reason_note"),
        receipt_check: None,
        attachment: None,
        invoices: invoices(row)?,
    };
    Ok(HistoryRecord::Interaction { customer: row.parse("customer", CustomerCode::parse)?, interaction })
}

/// A day (noon, when no time is given) or a day and a time (`2026-03-02 10:15`, `…T10:15:00`).
fn at(row: &Row<'_>, text: &str) -> Result<NaiveDateTime, String> {
    let text = text.trim();
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(at);
        }
    }
    let day: NaiveDate = row.day(text)?;
    Ok(day.and_hms_opt(12, 0, 0).unwrap_or_default())
}
