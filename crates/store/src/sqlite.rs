//! The embedded backend: one SQLite file in WAL mode, for a laptop or a small firm's server.

use crate::import::{self, CustomerRef, ImportTx, NewInvoice, StoredInvoice};
use crate::*;
use crate::{sql, stored};
use overdue_core::currency::Currency;
use overdue_core::customer::{Contact, CreditReport, Customer};
use overdue_core::ids::{Email, InvoiceNumber};
use overdue_core::invoice::Invoice;
use overdue_core::money::Money;
use overdue_core::payment::{Allocation, OpenItem, Payment};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use std::collections::HashMap;

/// A customer's open invoices in one currency issued by the payment's day `?5` (money cannot
/// pay an invoice not yet issued: it waits as credit) when `?4` is null, or only the one
/// numbered `?4` (the payer named it).
const OPEN_ITEMS: &str = "SELECT id, number, due_date, open_minor FROM invoices
     WHERE tenant_id = ?1 AND customer_id = ?2 AND currency = ?3 AND open_minor > 0 AND status <> 'cancelled'
       AND CAST(?4 AS TEXT) IS NULL AND issue_date <= ?5";
const OPEN_ITEM: &str = "SELECT id, number, due_date, open_minor FROM invoices
     WHERE tenant_id = ?1 AND number = ?4 AND customer_id = ?2 AND currency = ?3 AND open_minor > 0
       AND status <> 'cancelled' AND CAST(?5 AS TEXT) IS NOT NULL";

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial schema", include_str!("../migrations/sqlite/0001_initial.sql")),
    (2, "follow-up", include_str!("../migrations/sqlite/0002_follow_up.sql")),
    (3, "run indexes", include_str!("../migrations/sqlite/0003_run_indexes.sql")),
    (4, "charges", include_str!("../migrations/sqlite/0004_charges.sql")),
    (5, "bank", include_str!("../migrations/sqlite/0005_bank.sql")),
    (6, "documents", include_str!("../migrations/sqlite/0006_documents.sql")),
    (7, "outbox", include_str!("../migrations/sqlite/0007_outbox.sql")),
    (8, "credits", include_str!("../migrations/sqlite/0008_credits.sql")),
    (9, "approval", include_str!("../migrations/sqlite/0009_approval.sql")),
    (10, "deadlines", include_str!("../migrations/sqlite/0010_deadlines.sql")),
    (11, "customer changes", include_str!("../migrations/sqlite/0011_customer_changes.sql")),
    (12, "paid in instalments, conversations", include_str!("../migrations/sqlite/0012_paid_in_instalments.sql")),
    (13, "time zone", include_str!("../migrations/sqlite/0013_time_zone.sql")),
    (14, "credit held", include_str!("../migrations/sqlite/0014_credit_held.sql")),
    (15, "bank truth", include_str!("../migrations/sqlite/0015_bank_truth.sql")),
    (16, "customer contract", include_str!("../migrations/sqlite/0016_customer_contract.sql")),
    (17, "access", include_str!("../migrations/sqlite/0017_access.sql")),
    (18, "jobs", include_str!("../migrations/sqlite/0018_jobs.sql")),
    (19, "users", include_str!("../migrations/sqlite/0019_users.sql")),
    (20, "customer links", include_str!("../migrations/sqlite/0020_customer_links.sql")),
    (21, "customer answers", include_str!("../migrations/sqlite/0021_customer_answers.sql")),
    (22, "payment plans", include_str!("../migrations/sqlite/0022_payment_plans.sql")),
];

/// The books in a SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

impl SqliteStore {
    /// Opens (creating if needed) the SQLite file at `path` and brings its schema up to date.
    pub fn open(path: &str) -> Result<Self, StoreError> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 10000; PRAGMA cache_size = -65536; PRAGMA mmap_size = 67108864;",
        )?;
        // every statement the store uses stays prepared (rusqlite keeps 16 by default: too few for
        // a sender that runs some twenty statements a message)
        conn.set_prepared_statement_cache_capacity(256);
        // plans that do not depend on bound values: without this SQLite re-prepares a cached
        // statement at each use when a parameter meets a partial index or a LIMIT (a third of a
        // sender's time went to parsing SQL)
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        let mut store = Self { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        // a schema already current needs no write lock: opening the books never waits for (or
        // blocks) another command that is writing, such as a long import
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
            [],
            |r| r.get(0),
        )?;
        if exists {
            let current: Option<i64> =
                self.conn.query_row("SELECT MAX(version) FROM schema_migrations", [], |r| r.get(0))?;
            if current == Some(known) {
                return Ok(());
            }
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")?;
        let current: i64 = tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        if current > known {
            return Err(StoreError::SchemaTooNew { found: current, known });
        }
        for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            let failed = |e: rusqlite::Error| StoreError::Migration { version: *version, name, reason: e.to_string() };
            tx.execute_batch(sql).map_err(failed)?;
            tx.execute("INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)", params![version, name])
                .map_err(failed)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs read-only `work` in one read transaction: a consistent view that takes no write lock,
    /// so it neither waits for nor blocks a writer (WAL).
    fn read<T>(
        &mut self,
        work: impl FnOnce(&mut dyn crate::rows::Sql) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tx = self.conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let done = work(&mut tx)?;
        tx.commit()?;
        Ok(done)
    }

    /// Runs `work` in one write transaction (committed only if it succeeds).
    fn follow_up<T>(
        &mut self,
        work: impl FnOnce(&mut dyn crate::rows::Sql) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done = work(&mut tx)?;
        tx.commit()?;
        Ok(done)
    }

    fn import_with<T>(
        &mut self,
        rows: &mut dyn Iterator<Item = T>,
        options: ImportOptions,
        run: impl FnOnce(&mut dyn ImportTx, &mut dyn Iterator<Item = T>) -> Result<ImportReport, StoreError>,
    ) -> Result<ImportReport, StoreError> {
        // Imports resolve every customer and invoice id themselves, inside this one write
        // transaction (nobody else can write meanwhile), so SQLite's own foreign-key checks
        // would only repeat that work: a third of an invoice import's time.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let imported = self.import_in_transaction(rows, options, run);
        self.conn.pragma_update(None, "foreign_keys", true)?;
        imported
    }

    fn import_in_transaction<T>(
        &mut self,
        rows: &mut dyn Iterator<Item = T>,
        options: ImportOptions,
        run: impl FnOnce(&mut dyn ImportTx, &mut dyn Iterator<Item = T>) -> Result<ImportReport, StoreError>,
    ) -> Result<ImportReport, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut writer = SqliteTx { tx };
        let report = run(&mut writer, rows)?;
        let (report, commit) = import::finish(report, options);
        if commit {
            writer.tx.commit()?;
        }
        Ok(report)
    }

    fn credit_rows(&self, tenant: TenantId, code: Option<&str>) -> Result<Vec<(String, String, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql::CUSTOMER_CREDITS)?;
        let rows = stmt.query_map(params![tenant, code], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn tenant_exists(&self, tenant: TenantId) -> Result<(), StoreError> {
        let found: Option<i64> =
            self.conn.query_row("SELECT id FROM organisations WHERE id = ?1", [tenant], |r| r.get(0)).optional()?;
        found.map(|_| ()).ok_or(StoreError::UnknownOrganisation(tenant))
    }
}

struct SqliteTx<'c> {
    tx: Transaction<'c>,
}

impl ImportTx for SqliteTx<'_> {
    fn customer_by_code(&mut self, tenant: TenantId, code: &str) -> Result<Option<CustomerRef>, StoreError> {
        let mut stmt =
            self.tx.prepare_cached("SELECT id, fingerprint FROM customers WHERE tenant_id = ?1 AND code = ?2")?;
        Ok(stmt
            .query_row(params![tenant, code], |r| Ok(CustomerRef { id: r.get(0)?, fingerprint: r.get(1)? }))
            .optional()?)
    }

    fn customers_by_code(&mut self, tenant: TenantId) -> Result<HashMap<String, CustomerRef>, StoreError> {
        let mut stmt = self.tx.prepare_cached("SELECT code, id, fingerprint FROM customers WHERE tenant_id = ?1")?;
        let rows =
            stmt.query_map([tenant], |r| Ok((r.get(0)?, CustomerRef { id: r.get(1)?, fingerprint: r.get(2)? })))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn insert_customer(&mut self, tenant: TenantId, customer: &Customer, fingerprint: i64) -> Result<i64, StoreError> {
        let id: i64 = self
            .tx
            .prepare_cached(
                "INSERT INTO customers (tenant_id, code, legal_name, tax_id, country, language, currency, address,
                payment_terms, dispute_procedure, late_interest_clause, deliverables, credit_limit_minor,
                prepayment_required, fingerprint, contract_date, agri_food)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id",
            )?
            .query_row(
                params![
                    tenant,
                    customer.code.as_str(),
                    customer.legal_name,
                    customer.tax_id,
                    customer.country.as_str(),
                    customer.language.as_str(),
                    customer.currency.code(),
                    customer.address,
                    customer.agreement.payment_terms.as_ref().map(ToString::to_string),
                    customer.agreement.dispute_procedure,
                    customer.agreement.late_interest_clause,
                    customer.agreement.deliverables,
                    customer.credit.credit_limit.map(Money::amount_minor),
                    customer.credit.prepayment_required,
                    fingerprint,
                    customer.agreement.contract_date.map(|d| d.to_string()),
                    customer.agreement.agri_food,
                ],
                |r| r.get(0),
            )?;
        self.insert_contacts(tenant, id, &customer.contacts)?;
        Ok(id)
    }

    fn update_customer(
        &mut self,
        tenant: TenantId,
        id: i64,
        customer: &Customer,
        fingerprint: i64,
    ) -> Result<(), StoreError> {
        self.tx.prepare_cached(
            "UPDATE customers SET legal_name = ?3, tax_id = ?4, country = ?5, language = ?6, currency = ?7, address = ?8,
                payment_terms = ?9, credit_limit_minor = ?10, fingerprint = ?11, dispute_procedure = ?12,
                late_interest_clause = ?13, deliverables = ?14, contract_date = ?15, agri_food = ?16
             WHERE tenant_id = ?1 AND id = ?2",
        )?.execute(params![
            tenant, id, customer.legal_name, customer.tax_id, customer.country.as_str(), customer.language.as_str(),
            customer.currency.code(), customer.address, customer.agreement.payment_terms.as_ref().map(ToString::to_string),
            customer.credit.credit_limit.map(Money::amount_minor), fingerprint, customer.agreement.dispute_procedure,
            customer.agreement.late_interest_clause, customer.agreement.deliverables,
            customer.agreement.contract_date.map(|d| d.to_string()), customer.agreement.agri_food,
        ])?;
        self.tx
            .prepare_cached("DELETE FROM contacts WHERE tenant_id = ?1 AND customer_id = ?2")?
            .execute(params![tenant, id])?;
        self.insert_contacts(tenant, id, &customer.contacts)
    }

    fn insert_new_invoices(
        &mut self,
        tenant: TenantId,
        invoices: &[NewInvoice<'_>],
    ) -> Result<Vec<Option<StoredInvoice>>, StoreError> {
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO invoices (tenant_id, number, customer_id, kind, status, issue_date, supply_from, supply_to,
                delivery_place, sent_on, currency, net_minor, tax_minor, gross_minor, open_minor, terms, due_date,
                lines, instalments, fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
             ON CONFLICT (tenant_id, number) DO NOTHING",
        )?;
        let mut existing =
            self.tx.prepare_cached("SELECT fingerprint, sent_on FROM invoices WHERE tenant_id = ?1 AND number = ?2")?;
        let mut outcomes = Vec::with_capacity(invoices.len());
        for new in invoices {
            bind_invoice(&mut insert, tenant, new)?;
            let outcome = match insert.raw_execute()? {
                0 => Some(existing.query_row(params![tenant, new.invoice.number.as_str()], |r| {
                    Ok(StoredInvoice { fingerprint: r.get(0)?, sent_on: opt_date_at(r, 1)? })
                })?),
                _ => None,
            };
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    fn set_corrects(&mut self, tenant: TenantId, number: &str, corrects: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE invoices SET corrects = ?3 WHERE tenant_id = ?1 AND number = ?2")?
            .execute(params![tenant, number, corrects])?;
        Ok(())
    }

    fn set_payment_reference(&mut self, tenant: TenantId, number: &str, reference: &str) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE invoices SET payment_reference = ?3 WHERE tenant_id = ?1 AND number = ?2")?
            .execute(params![tenant, number, reference])?;
        Ok(())
    }

    fn mark_sent(&mut self, tenant: TenantId, number: &str, sent_on: chrono::NaiveDate) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE invoices SET sent_on = ?3, status = 'sent'
                 WHERE tenant_id = ?1 AND number = ?2 AND sent_on IS NULL AND status = 'issued'",
            )?
            .execute(params![tenant, number, sent_on.to_string()])?;
        Ok(())
    }

    fn payment_fingerprint(&mut self, tenant: TenantId, reference: &str) -> Result<Option<i64>, StoreError> {
        let mut stmt =
            self.tx.prepare_cached("SELECT fingerprint FROM payments WHERE tenant_id = ?1 AND reference = ?2")?;
        Ok(stmt.query_row(params![tenant, reference], |r| r.get(0)).optional()?)
    }

    fn invoice_customer(&mut self, tenant: TenantId, number: &str) -> Result<Option<(i64, String)>, StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT customer_id, currency FROM invoices WHERE tenant_id = ?1 AND number = ?2")?;
        Ok(stmt.query_row(params![tenant, number], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
    }

    fn open_items(
        &mut self,
        tenant: TenantId,
        customer_id: i64,
        currency: Currency,
        (only, on): (Option<&str>, chrono::NaiveDate),
    ) -> Result<Vec<OpenItem>, StoreError> {
        let mut stmt = self.tx.prepare_cached(match only {
            None => OPEN_ITEMS,
            Some(_) => OPEN_ITEM,
        })?;
        let rows = stmt.query_map(params![tenant, customer_id, currency.code(), only, on.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?))
        })?;
        let mut items = Vec::new();
        for row in rows {
            let (invoice_id, number, due_date, open_minor) = row?;
            items.push(OpenItem {
                invoice_id,
                number: InvoiceNumber::parse(&number).map_err(|e| StoreError::corrupt("invoice number", e))?,
                due_date: stored::date(&due_date)?,
                open: Money::new(open_minor, currency),
            });
        }
        Ok(items)
    }

    fn insert_payment(
        &mut self,
        tenant: TenantId,
        customer_id: i64,
        payment: &Payment,
        fingerprint: i64,
        unallocated_minor: i64,
    ) -> Result<i64, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO payments (tenant_id, reference, customer_id, payment_date, amount_minor, currency, method,
                invoice_number, unallocated_minor, fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
        )?;
        Ok(stmt.query_row(
            params![
                tenant,
                payment.reference.as_str(),
                customer_id,
                payment.date.to_string(),
                payment.amount.amount_minor(),
                payment.amount.currency().code(),
                payment.method.as_str(),
                payment.invoice.as_ref().map(|n| n.as_str()),
                unallocated_minor,
                fingerprint,
            ],
            |r| r.get(0),
        )?)
    }

    fn invoice_terms(&mut self, tenant: TenantId, invoice_id: i64) -> Result<crate::import::InvoiceTerms, StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT terms, issue_date, gross_minor, open_minor FROM invoices WHERE tenant_id = ?1 AND id = ?2",
        )?;
        let (terms, issue_date, gross_minor, open_minor) = stmt.query_row(params![tenant, invoice_id], |r| {
            Ok((r.get(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(crate::import::InvoiceTerms { terms, issue_date: stored::date(&issue_date)?, gross_minor, open_minor })
    }

    fn insert_allocations(
        &mut self,
        tenant: TenantId,
        payment_id: i64,
        allocations: &[Allocation],
    ) -> Result<(), StoreError> {
        for allocation in allocations {
            let discount = allocation.discount.amount_minor();
            self.tx
                .prepare_cached(
                    "INSERT INTO allocations (tenant_id, payment_id, invoice_id, amount_minor, discount_minor)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    tenant,
                    payment_id,
                    allocation.invoice_id,
                    allocation.amount.amount_minor(),
                    discount
                ])?;
            let amount = allocation.amount.amount_minor() + discount;
            self.tx
                .prepare_cached(
                    "UPDATE invoices SET open_minor = open_minor - ?3, paid_on = CASE WHEN open_minor - ?3 <= 0 \
                 THEN (SELECT payment_date FROM payments WHERE tenant_id = ?1 AND id = ?4) ELSE paid_on END \
                 WHERE tenant_id = ?1 AND id = ?2",
                )?
                .execute(params![tenant, allocation.invoice_id, amount, payment_id])?;
        }
        Ok(())
    }
}

const INVOICE_COLUMNS: usize = 20;

impl SqliteTx<'_> {
    fn insert_contacts(&mut self, tenant: TenantId, customer_id: i64, contacts: &[Contact]) -> Result<(), StoreError> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO contacts (tenant_id, customer_id, name, role, email, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for c in contacts {
            stmt.execute(params![
                tenant,
                customer_id,
                c.name,
                c.role.as_str(),
                c.email.as_ref().map(Email::as_str),
                c.phone
            ])?;
        }
        Ok(())
    }
}

impl Store for SqliteStore {
    crate::follow_up_methods!();

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn create_organisation(&mut self, organisation: &NewOrganisation) -> Result<Organisation, StoreError> {
        let id: i64 = self.conn.query_row(
            "INSERT INTO organisations (name, country, currency) VALUES (?1, ?2, ?3) RETURNING id",
            params![organisation.name, organisation.country.as_str(), organisation.currency.code()],
            |r| r.get(0),
        )?;
        Ok(Organisation {
            id,
            name: organisation.name.clone(),
            country: organisation.country,
            currency: organisation.currency,
            time_zone: None,
        })
    }

    fn organisations(&mut self) -> Result<Vec<Organisation>, StoreError> {
        let mut stmt =
            self.conn.prepare("SELECT id, name, country, currency, time_zone FROM organisations ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, Option<String>>(4)?))
        })?;
        rows.map(|row| {
            let (id, name, country, currency, time_zone) = row?;
            let (country, currency) = (stored::country(&country)?, stored::currency(&currency)?);
            Ok(Organisation { id, name, country, currency, time_zone })
        })
        .collect()
    }

    fn import_customers(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Customer>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError> {
        self.tenant_exists(tenant)?;
        self.import_with(rows, options, |tx, rows| import::customers(tx, tenant, rows))
    }

    fn import_invoices(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Invoice>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError> {
        self.tenant_exists(tenant)?;
        let report = self.import_with(rows, options, |tx, rows| import::invoices(tx, tenant, rows))?;
        if !report.rolled_back {
            self.settle_credits(tenant)?;
        }
        Ok(report)
    }

    fn import_payments(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Payment>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError> {
        self.tenant_exists(tenant)?;
        let report = self.import_with(rows, options, |tx, rows| import::payments(tx, tenant, rows))?;
        if !report.rolled_back {
            self.settle_credits(tenant)?;
        }
        Ok(report)
    }

    fn record_credit_report(
        &mut self,
        tenant: TenantId,
        code: &str,
        report: &CreditReport,
    ) -> Result<bool, StoreError> {
        let written = self.conn.execute(
            "INSERT INTO credit_reports (tenant_id, customer_id, source, rating, report_date, advised_limit_minor)
             SELECT tenant_id, id, ?3, ?4, ?5, ?6 FROM customers WHERE tenant_id = ?1 AND code = ?2
             ON CONFLICT (tenant_id, customer_id, source, report_date)
             DO UPDATE SET rating = excluded.rating, advised_limit_minor = excluded.advised_limit_minor",
            params![
                tenant,
                code,
                report.source,
                report.rating,
                report.date.to_string(),
                report.advised_limit.map(Money::amount_minor)
            ],
        )?;
        Ok(written > 0)
    }

    fn customers(&mut self, tenant: TenantId, page: Page) -> Result<Listing<CustomerSummary>, StoreError> {
        let total: i64 =
            self.conn.query_row("SELECT COUNT(*) FROM customers WHERE tenant_id = ?1", [tenant], |r| r.get(0))?;
        let mut stmt = self.conn.prepare_cached(sql::CUSTOMER_SUMMARIES)?;
        let (limit, offset) = (page.limit.map_or(-1, i64::from), i64::try_from(page.offset).unwrap_or(i64::MAX));
        let rows = stmt.query_map(params![tenant, limit, offset], |r| {
            Ok(sql::CustomerBalanceRow {
                code: r.get(0)?,
                legal_name: r.get(1)?,
                country: r.get(2)?,
                currency: r.get(3)?,
                invoice_currency: r.get(4)?,
                open_invoices: r.get(5)?,
                open_minor: r.get(6)?,
            })
        })?;
        let rows = rows.collect::<Result<Vec<_>, _>>()?;
        let credits = self.credit_rows(tenant, None)?;
        Ok(Listing { rows: sql::customer_summaries(rows, credits)?, total: total as u64 })
    }

    fn customer_credit(&mut self, tenant: TenantId, code: &str) -> Result<Vec<Money>, StoreError> {
        let rows = self.credit_rows(tenant, Some(code))?;
        sql::credits(rows)
    }

    fn customer(&mut self, tenant: TenantId, code: &str) -> Result<Option<Customer>, StoreError> {
        let row = self
            .conn
            .query_row(sql::CUSTOMER, params![tenant, code], |r| {
                Ok(sql::CustomerRow {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    legal_name: r.get(2)?,
                    tax_id: r.get(3)?,
                    country: r.get(4)?,
                    language: r.get(5)?,
                    currency: r.get(6)?,
                    address: r.get(7)?,
                    payment_terms: r.get(8)?,
                    dispute_procedure: r.get(9)?,
                    late_interest_clause: r.get(10)?,
                    deliverables: r.get(11)?,
                    credit_limit_minor: r.get(12)?,
                    prepayment_required: r.get(13)?,
                    contract_date: opt_date_at(r, 14)?,
                    agri_food: r.get(15)?,
                })
            })
            .optional()?;
        let Some(row) = row else { return Ok(None) };
        let mut stmt = self.conn.prepare_cached(sql::CONTACTS)?;
        let contacts = stmt
            .query_map(params![tenant, row.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut stmt = self.conn.prepare_cached(sql::CREDIT_REPORTS)?;
        let reports = stmt
            .query_map(params![tenant, row.id], |r| Ok((r.get(0)?, r.get(1)?, date_at(r, 2)?, r.get(3)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        sql::build_customer(row, contacts, reports).map(Some)
    }

    fn invoices(&mut self, tenant: TenantId, filter: &InvoiceFilter) -> Result<Listing<InvoiceSummary>, StoreError> {
        let (count_sql, list_sql) = sql::invoice_listing(filter);
        let customer = filter.customer.as_deref();
        let total: i64 = self.conn.query_row(&count_sql, params![tenant, customer], |r| r.get(0))?;
        let mut stmt = self.conn.prepare_cached(&list_sql)?;
        let limit = filter.page.limit.map_or(-1, i64::from);
        let offset = i64::try_from(filter.page.offset).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![tenant, customer, limit, offset], |r| {
            Ok(sql::InvoiceSummaryRow {
                number: r.get(0)?,
                customer_code: r.get(1)?,
                customer_name: r.get(2)?,
                kind: r.get(3)?,
                status: r.get(4)?,
                issue_date: date_at(r, 5)?,
                due_date: date_at(r, 6)?,
                currency: r.get(7)?,
                gross_minor: r.get(8)?,
                open_minor: r.get(9)?,
                terms: r.get(10)?,
            })
        })?;
        let rows = rows.map(|row| row?.into_summary()).collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Listing { rows, total: total as u64 })
    }

    fn invoice(&mut self, tenant: TenantId, number: &str) -> Result<Option<InvoiceDetail>, StoreError> {
        let row = self
            .conn
            .query_row(sql::INVOICE, params![tenant, number], |r| {
                Ok(sql::InvoiceRow {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    customer_code: r.get(2)?,
                    customer_name: r.get(3)?,
                    kind: r.get(4)?,
                    status: r.get(5)?,
                    issue_date: date_at(r, 6)?,
                    supply_from: opt_date_at(r, 7)?,
                    supply_to: opt_date_at(r, 8)?,
                    delivery_place: r.get(9)?,
                    sent_on: opt_date_at(r, 10)?,
                    currency: r.get(11)?,
                    net_minor: r.get(12)?,
                    tax_minor: r.get(13)?,
                    gross_minor: r.get(14)?,
                    open_minor: r.get(15)?,
                    terms: r.get(16)?,
                    lines: r.get(17)?,
                    instalments: r.get(18)?,
                    corrects: r.get(19)?,
                    payment_reference: r.get(20)?,
                })
            })
            .optional()?;
        let Some(row) = row else { return Ok(None) };
        let mut stmt = self.conn.prepare_cached(sql::APPLIED_PAYMENTS)?;
        let payments = stmt
            .query_map(params![tenant, row.id], |r| Ok((r.get(0)?, date_at(r, 1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        sql::build_invoice(row, payments).map(Some)
    }
}

/// Binds one invoice's 20 columns.
fn bind_invoice(
    stmt: &mut rusqlite::CachedStatement<'_>,
    tenant: TenantId,
    new: &NewInvoice<'_>,
) -> rusqlite::Result<()> {
    let invoice: &Invoice = new.invoice;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let values: [&dyn rusqlite::ToSql; INVOICE_COLUMNS] = [
        &tenant,
        &invoice.number.as_str(),
        &new.customer_id,
        &invoice.kind.as_str(),
        &invoice.status.as_str(),
        &invoice.issue_date.to_string(),
        &date(invoice.supply_from),
        &date(invoice.supply_to),
        &invoice.delivery_place,
        &date(invoice.sent_on),
        &invoice.currency.code(),
        &invoice.totals.net.amount_minor(),
        &invoice.totals.tax.amount_minor(),
        &invoice.totals.gross.amount_minor(),
        &invoice.amount_due().amount_minor(),
        &invoice.terms.to_string(),
        &invoice.due_date().to_string(),
        &stored::lines_json(&invoice.lines),
        &stored::instalments_json(&invoice.instalments),
        &new.fingerprint,
    ];
    for (index, value) in values.iter().enumerate() {
        stmt.raw_bind_parameter(index + 1, value)?;
    }
    Ok(())
}

/// A date column (stored as `YYYY-MM-DD` text).
fn date_at(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<chrono::NaiveDate> {
    let text: String = row.get(index)?;
    overdue_core::date::parse_iso(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e)))
}

fn opt_date_at(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    match row.get::<_, Option<String>>(index)? {
        Some(_) => date_at(row, index).map(Some),
        None => Ok(None),
    }
}
