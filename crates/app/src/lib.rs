//! overdue's use cases, between the edges (the command line, the server) and the books: run a
//! day, prepare a message as the books stand when it is sent, compute what a letter claims. The
//! rules live in `overdue-core`; this layer orchestrates core, store and notify, prints nothing
//! and parses no flags.

pub mod bank;
pub mod claim;
pub mod clock;
pub mod credits;
pub mod customers;
pub mod day;
mod error;
pub mod followup;
pub mod import;
pub mod messages;
pub mod outbox;
pub mod payments;
pub mod schedule;
pub mod tokens;
pub mod work;

pub use error::AppError;
