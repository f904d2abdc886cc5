//! The payments CSV: one row per payment received.
//!
//! Required columns: `reference` (the payment's own unique reference, e.g. the bank entry or ERP
//! payment id: importing it again changes nothing), `customer, date, amount, currency`.
//! Optional: `method` (transfer, card, cheque, cash, direct_debit, other; default transfer) and
//! `invoice` (the invoice number the payer said it pays).

use crate::csv_columns::{ColumnMap, FileError, Layout, RecordRows, Row};
use overdue_core::ids::{CustomerCode, InvoiceNumber, PaymentReference};
use overdue_core::import::Rejection;
use overdue_core::payment::{Payment, PaymentMethod};
use std::io::Read;

pub const LAYOUT: Layout =
    Layout { required: &["reference", "customer", "date", "amount", "currency"], optional: &["method", "invoice"] };

/// Reads payments from CSV: an iterator of rows, or a file-level error.
pub fn read<R: Read>(input: R) -> Result<RecordRows<R, Payment>, FileError> {
    RecordRows::open(input, &LAYOUT, payment)
}

/// Reads an export whose columns and notations `map` describes.
pub fn read_mapped<R: Read>(input: R, map: ColumnMap) -> Result<RecordRows<R, Payment>, FileError> {
    RecordRows::open_mapped(input, &LAYOUT, map, payment)
}

fn payment(row: &Row<'_>) -> Result<Payment, Rejection> {
    let currency = row.currency("currency")?;
    let amount = row.money("amount", currency)?;
    if !amount.is_positive() {
        return Err(row.reject("amount", format!("{amount} is not a payment received: the amount must be positive")));
    }
    let method = match row.get("method") {
        None => PaymentMethod::Transfer,
        Some(text) => PaymentMethod::parse(text).ok_or_else(|| {
            row.reject(
                "method",
                format!("{text:?} is not a payment method: use transfer, card, cheque, cash, direct_debit or other"),
            )
        })?,
    };
    Ok(Payment {
        reference: row.parse("reference", PaymentReference::parse)?,
        customer: row.parse("customer", CustomerCode::parse)?,
        date: row.date("date")?,
        amount,
        method,
        invoice: row.parse_opt("invoice", InvoiceNumber::parse)?,
    })
}
