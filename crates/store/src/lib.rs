//! Where overdue keeps its books. One [`Store`] interface with two backends: an embedded SQLite
//! file (the default, `overdue.db`) and PostgreSQL (given a `postgres://` URL). Migrations run at
//! open; imports are idempotent by natural key (customer code, invoice number, payment reference)
//! and content fingerprint; every table is keyed by the organisation (tenant) first.

mod error;
mod import;
mod model;
mod pg;
mod sql;
mod sqlite;
mod stored;

pub use error::StoreError;
pub use model::*;
pub use pg::PostgresStore;
pub use sqlite::SqliteStore;

use overdue_core::customer::{CreditReport, Customer};
use overdue_core::import::{ImportReport, ImportRow};
use overdue_core::invoice::Invoice;
use overdue_core::money::Money;
use overdue_core::payment::Payment;

/// The books of every organisation, behind one interface whatever the database.
pub trait Store: Send {
    /// Which database this is ("sqlite" or "postgres").
    fn backend(&self) -> &'static str;

    fn create_organisation(&mut self, organisation: &NewOrganisation) -> Result<Organisation, StoreError>;
    fn organisations(&mut self) -> Result<Vec<Organisation>, StoreError>;

    /// Imports customers: new codes are created, known codes with changed content updated.
    fn import_customers(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Customer>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError>;

    /// Imports issued invoices: a known number with the same content is unchanged, with other
    /// content rejected (invoices are not silently rewritten).
    fn import_invoices(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Invoice>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError>;

    /// Imports payments and allocates each to the customer's open invoices.
    fn import_payments(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Payment>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError>;

    /// Records a credit report on a customer (replacing one from the same source on the same
    /// day); `false` if there is no such customer.
    fn record_credit_report(&mut self, tenant: TenantId, code: &str, report: &CreditReport)
    -> Result<bool, StoreError>;

    fn customers(&mut self, tenant: TenantId, page: Page) -> Result<Listing<CustomerSummary>, StoreError>;
    fn customer(&mut self, tenant: TenantId, code: &str) -> Result<Option<Customer>, StoreError>;
    /// The credit a customer has from over-payments, per currency.
    fn customer_credit(&mut self, tenant: TenantId, code: &str) -> Result<Vec<Money>, StoreError>;
    fn invoices(&mut self, tenant: TenantId, filter: &InvoiceFilter) -> Result<Listing<InvoiceSummary>, StoreError>;
    fn invoice(&mut self, tenant: TenantId, number: &str) -> Result<Option<InvoiceDetail>, StoreError>;
}

/// Opens the store named by `location`: a `postgres://` or `postgresql://` URL, or else the path
/// of a SQLite file (created if missing). Migrations run before it is returned.
pub fn open(location: &str) -> Result<Box<dyn Store>, StoreError> {
    if location.starts_with("postgres://") || location.starts_with("postgresql://") {
        Ok(Box::new(PostgresStore::connect(location)?))
    } else {
        Ok(Box::new(SqliteStore::open(location)?))
    }
}
