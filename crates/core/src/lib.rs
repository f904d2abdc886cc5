//! The domain core of overdue, in the words of credit control: money and currencies, payment
//! terms and due dates, customers with their contacts, agreements and credit profiles, invoices,
//! payments and their allocation to invoices; the contact log, promises, disputes, dunning
//! policies, and the engine that plans each day's follow-up.
//!
//! Pure by design: no I/O, no clock, no async, no database types. "Today" is always a parameter.

pub mod access;
pub mod aging;
pub mod bank;
pub mod calendar;
pub mod contact;
pub mod creditor_reference;
pub mod currency;
pub mod customer;
pub mod customer_fields;
pub mod date;
pub mod dispute;
pub mod engine;
pub mod epc_qr;
pub mod fingerprint;
pub mod forecast;
pub mod habits;
pub mod history;
pub mod holidays;
pub mod iban;
pub mod ids;
pub mod import;
pub mod interest;
pub mod invoice;
pub mod kpi;
pub mod legal;
pub mod letterhead;
pub mod matching;
pub mod money;
pub mod payment;
pub mod payment_claim;
pub mod payment_plan;
pub mod policy;
pub mod promise;
pub mod quantity;
pub mod rates;
pub mod refusal;
pub mod statement;
pub mod structured_reference;
pub mod terms;
pub mod text;

pub use currency::{Currency, UnknownCurrency};
pub use money::{Money, MoneyError};
