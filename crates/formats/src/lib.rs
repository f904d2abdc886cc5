//! Readers of the files businesses hand to overdue. Each reader turns bytes into core values,
//! one [`ImportRow`](overdue_core::import::ImportRow) per record: a value with its line, or a
//! rejection naming the line, the column and the reason. And the files overdue writes: reports
//! as CSV and charts as SVG. Nothing here touches the database.

pub mod bank;
pub mod charts;
pub mod csv_columns;
pub mod customers_csv;
pub mod einvoice;
pub mod encoding;
pub mod exports;
pub mod history_csv;
pub mod invoices_csv;
pub mod p7m;
pub mod payments_csv;
pub mod xml;

pub use csv_columns::FileError;
