//! The domain core of overdue, in the words of credit control: money and currencies, payment
//! terms and due dates, customers with their contacts, agreements and credit profiles, invoices,
//! payments and their allocation to invoices.
//!
//! Pure by design: no I/O, no clock, no async, no database types. "Today" is always a parameter.

pub mod currency;
pub mod customer;
pub mod date;
pub mod fingerprint;
pub mod ids;
pub mod import;
pub mod invoice;
pub mod money;
pub mod payment;
pub mod quantity;
pub mod terms;

pub use currency::{Currency, UnknownCurrency};
pub use money::{Money, MoneyError};
