//! The server backend: PostgreSQL, for several colleagues and several `overdue` instances on one
//! database. Bulk invoice imports stream through `COPY`.

use crate::import::{self, CustomerRef, ImportTx, NewInvoice, StoredInvoice};
use crate::*;
use crate::{sql, stored};
use overdue_core::currency::Currency;
use overdue_core::customer::{Contact, CreditReport, Customer};
use overdue_core::ids::{Email, InvoiceNumber};
use overdue_core::invoice::Invoice;
use overdue_core::money::Money;
use overdue_core::payment::{Allocation, OpenItem, Payment};
use postgres::{Client, NoTls, Statement, Transaction};
use std::collections::HashMap;
use std::io::Write;

/// A customer's open invoices in one currency issued by the payment's day `$5` (money cannot
/// pay an invoice not yet issued: it waits as credit) when `$4` is null, or only the one
/// numbered `$4` (the payer named it).
const OPEN_ITEMS: &str = "SELECT id, number, due_date, open_minor FROM invoices
     WHERE tenant_id = $1 AND customer_id = $2 AND currency = $3 AND open_minor > 0 AND status <> 'cancelled'
       AND CAST($4 AS TEXT) IS NULL AND issue_date <= $5";
const OPEN_ITEM: &str = "SELECT id, number, due_date, open_minor FROM invoices
     WHERE tenant_id = $1 AND number = $4 AND customer_id = $2 AND currency = $3 AND open_minor > 0
       AND status <> 'cancelled' AND CAST($5 AS DATE) IS NOT NULL";

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial schema", include_str!("../migrations/postgres/0001_initial.sql")),
    (2, "follow-up", include_str!("../migrations/postgres/0002_follow_up.sql")),
    (3, "run indexes", include_str!("../migrations/postgres/0003_run_indexes.sql")),
    (4, "charges", include_str!("../migrations/postgres/0004_charges.sql")),
    (5, "bank", include_str!("../migrations/postgres/0005_bank.sql")),
    (6, "documents", include_str!("../migrations/postgres/0006_documents.sql")),
    (7, "outbox", include_str!("../migrations/postgres/0007_outbox.sql")),
    (8, "credits", include_str!("../migrations/postgres/0008_credits.sql")),
    (9, "approval", include_str!("../migrations/postgres/0009_approval.sql")),
    (10, "deadlines", include_str!("../migrations/postgres/0010_deadlines.sql")),
    (11, "customer changes", include_str!("../migrations/postgres/0011_customer_changes.sql")),
    (12, "paid in instalments, conversations", include_str!("../migrations/postgres/0012_paid_in_instalments.sql")),
    (13, "time zone", include_str!("../migrations/postgres/0013_time_zone.sql")),
    (14, "credit held", include_str!("../migrations/postgres/0014_credit_held.sql")),
    (15, "bank truth", include_str!("../migrations/postgres/0015_bank_truth.sql")),
    (16, "customer contract", include_str!("../migrations/postgres/0016_customer_contract.sql")),
    (17, "access", include_str!("../migrations/postgres/0017_access.sql")),
    (18, "jobs", include_str!("../migrations/postgres/0018_jobs.sql")),
    (19, "users", include_str!("../migrations/postgres/0019_users.sql")),
    (20, "customer links", include_str!("../migrations/postgres/0020_customer_links.sql")),
    (21, "customer answers", include_str!("../migrations/postgres/0021_customer_answers.sql")),
    (22, "payment plans", include_str!("../migrations/postgres/0022_payment_plans.sql")),
];

/// Serialises migrations between instances starting at once (an arbitrary, fixed key).
const MIGRATION_LOCK_KEY: i64 = 0x006f_7665_7264_7565;

/// Advisory-lock class for imports (the second key is the organisation).
const IMPORT_LOCK_CLASS: i32 = 0x6f76_6572;

/// The books in a PostgreSQL database.
pub struct PostgresStore {
    client: Client,
}

impl PostgresStore {
    /// Connects to `url` and brings the schema up to date.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let mut store = Self { client: Client::connect(url, NoTls)? };
        store.migrate()?;
        Ok(store)
    }

    /// Connects and works inside `schema` (created if missing): used to give each test run a
    /// fresh, isolated set of tables in one database.
    pub fn connect_in_schema(url: &str, schema: &str) -> Result<Self, StoreError> {
        let mut client = Client::connect(url, NoTls)?;
        let quoted = format!("\"{}\"", schema.replace('"', "\"\""));
        client.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {quoted}; SET search_path TO {quoted}"))?;
        let mut store = Self { client };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK_KEY])?;
        tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")?;
        let current: i64 = tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])?.get(0);
        let known = MIGRATIONS.last().map_or(0, |m| m.0);
        if current > known {
            return Err(StoreError::SchemaTooNew { found: current, known });
        }
        for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            let failed = |e: postgres::Error| StoreError::Migration { version: *version, name, reason: e.to_string() };
            tx.batch_execute(sql).map_err(failed)?;
            tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", &[version, name])
                .map_err(failed)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `work` in one transaction (committed only if it succeeds).
    /// Runs read-only `work` in one transaction (PostgreSQL's readers never wait for writers).
    fn read<T>(
        &mut self,
        work: impl FnOnce(&mut dyn crate::rows::Sql) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.follow_up(work)
    }

    fn follow_up<T>(
        &mut self,
        work: impl FnOnce(&mut dyn crate::rows::Sql) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut sql = crate::rows::PgSql::new(self.client.transaction()?);
        let done = work(&mut sql)?;
        sql.tx.commit()?;
        Ok(done)
    }

    fn import_with<T>(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = T>,
        options: ImportOptions,
        run: impl FnOnce(&mut dyn ImportTx, &mut dyn Iterator<Item = T>) -> Result<ImportReport, StoreError>,
    ) -> Result<ImportReport, StoreError> {
        self.tenant_exists(tenant)?;
        let mut tx = self.client.transaction()?;
        // One import per organisation at a time: two would race on the same invoice numbers
        // and open balances.
        tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&IMPORT_LOCK_CLASS, &(tenant as i32)])?;
        let (report, commit) = {
            let mut writer = PostgresTx { tx, statements: HashMap::new(), written: HashMap::new() };
            let report = run(&mut writer, rows)?;
            let (report, commit) = import::finish(report, options);
            if commit {
                writer.tx.commit()?;
            }
            (report, commit)
        };
        if commit {
            // Fresh statistics for the queries that follow a large import.
            self.client.batch_execute("ANALYZE customers, contacts, invoices, payments, allocations")?;
        }
        Ok(report)
    }

    fn credit_rows(&mut self, tenant: TenantId, code: Option<&str>) -> Result<Vec<(String, String, i64)>, StoreError> {
        let rows = self.client.query(sql::CUSTOMER_CREDITS, &[&tenant, &code])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
    }

    fn tenant_exists(&mut self, tenant: TenantId) -> Result<(), StoreError> {
        let found = self.client.query_opt("SELECT id FROM organisations WHERE id = $1", &[&tenant])?;
        found.map(|_| ()).ok_or(StoreError::UnknownOrganisation(tenant))
    }
}

struct PostgresTx<'c> {
    tx: Transaction<'c>,
    /// Statements prepared once per import: planning each row's statement anew costs more than
    /// running it.
    statements: HashMap<&'static str, Statement>,
    /// Rows written per table so far, to refresh the planner's statistics as tables grow.
    written: HashMap<&'static str, u64>,
}

impl ImportTx for PostgresTx<'_> {
    fn customer_by_code(&mut self, tenant: TenantId, code: &str) -> Result<Option<CustomerRef>, StoreError> {
        let statement = self.prepared("SELECT id, fingerprint FROM customers WHERE tenant_id = $1 AND code = $2")?;
        let row = self.tx.query_opt(&statement, &[&tenant, &code])?;
        Ok(row.map(|r| CustomerRef { id: r.get(0), fingerprint: r.get(1) }))
    }

    fn customers_by_code(&mut self, tenant: TenantId) -> Result<HashMap<String, CustomerRef>, StoreError> {
        let statement = self.prepared("SELECT code, id, fingerprint FROM customers WHERE tenant_id = $1")?;
        let rows = self.tx.query(&statement, &[&tenant])?;
        Ok(rows.iter().map(|r| (r.get(0), CustomerRef { id: r.get(1), fingerprint: r.get(2) })).collect())
    }

    fn insert_customer(&mut self, tenant: TenantId, customer: &Customer, fingerprint: i64) -> Result<i64, StoreError> {
        let statement = self.prepared(
            "INSERT INTO customers (tenant_id, code, legal_name, tax_id, country, language, currency, address,
                payment_terms, dispute_procedure, late_interest_clause, deliverables, credit_limit_minor,
                prepayment_required, fingerprint, contract_date, agri_food)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        )?;
        let row = self.tx.query_one(
            &statement,
            &[
                &tenant,
                &customer.code.as_str(),
                &customer.legal_name,
                &customer.tax_id,
                &customer.country.as_str(),
                &customer.language.as_str(),
                &customer.currency.code(),
                &customer.address,
                &customer.agreement.payment_terms.as_ref().map(ToString::to_string),
                &customer.agreement.dispute_procedure,
                &customer.agreement.late_interest_clause,
                &customer.agreement.deliverables,
                &customer.credit.credit_limit.map(Money::amount_minor),
                &customer.credit.prepayment_required,
                &fingerprint,
                &customer.agreement.contract_date,
                &customer.agreement.agri_food,
            ],
        )?;
        let id: i64 = row.get(0);
        self.wrote("customers", 1)?;
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
        let statement = self.prepared("UPDATE customers SET legal_name = $3, tax_id = $4, country = $5, language = $6, currency = $7, address = $8,
                payment_terms = $9, credit_limit_minor = $10, fingerprint = $11, dispute_procedure = $12,
                late_interest_clause = $13, deliverables = $14, contract_date = $15, agri_food = $16
             WHERE tenant_id = $1 AND id = $2")?;
        self.tx.execute(
            &statement,
            &[
                &tenant,
                &id,
                &customer.legal_name,
                &customer.tax_id,
                &customer.country.as_str(),
                &customer.language.as_str(),
                &customer.currency.code(),
                &customer.address,
                &customer.agreement.payment_terms.as_ref().map(ToString::to_string),
                &customer.credit.credit_limit.map(Money::amount_minor),
                &fingerprint,
                &customer.agreement.dispute_procedure,
                &customer.agreement.late_interest_clause,
                &customer.agreement.deliverables,
                &customer.agreement.contract_date,
                &customer.agreement.agri_food,
            ],
        )?;
        let statement = self.prepared("DELETE FROM contacts WHERE tenant_id = $1 AND customer_id = $2")?;
        self.tx.execute(&statement, &[&tenant, &id])?;
        self.insert_contacts(tenant, id, &customer.contacts)
    }

    fn insert_new_invoices(
        &mut self,
        tenant: TenantId,
        invoices: &[NewInvoice<'_>],
    ) -> Result<Vec<Option<StoredInvoice>>, StoreError> {
        let numbers: Vec<&str> = invoices.iter().map(|new| new.invoice.number.as_str()).collect();
        let existing = self.invoice_fingerprints(tenant, &numbers)?;
        let fresh: Vec<&NewInvoice<'_>> =
            invoices.iter().filter(|new| !existing.contains_key(new.invoice.number.as_str())).collect();
        self.copy_invoices(tenant, &fresh)?;
        Ok(invoices.iter().map(|new| existing.get(new.invoice.number.as_str()).copied()).collect())
    }

    fn set_payment_reference(&mut self, tenant: TenantId, number: &str, reference: &str) -> Result<(), StoreError> {
        let statement =
            self.prepared("UPDATE invoices SET payment_reference = $3 WHERE tenant_id = $1 AND number = $2")?;
        self.tx.execute(&statement, &[&tenant, &number, &reference])?;
        Ok(())
    }

    fn set_corrects(&mut self, tenant: TenantId, number: &str, corrects: &str) -> Result<(), StoreError> {
        let statement = self.prepared("UPDATE invoices SET corrects = $3 WHERE tenant_id = $1 AND number = $2")?;
        self.tx.execute(&statement, &[&tenant, &number, &corrects])?;
        Ok(())
    }

    fn mark_sent(&mut self, tenant: TenantId, number: &str, sent_on: chrono::NaiveDate) -> Result<(), StoreError> {
        let statement = self.prepared(
            "UPDATE invoices SET sent_on = $3, status = 'sent'
             WHERE tenant_id = $1 AND number = $2 AND sent_on IS NULL AND status = 'issued'",
        )?;
        self.tx.execute(&statement, &[&tenant, &number, &sent_on])?;
        Ok(())
    }

    fn payment_fingerprint(&mut self, tenant: TenantId, reference: &str) -> Result<Option<i64>, StoreError> {
        let statement = self.prepared("SELECT fingerprint FROM payments WHERE tenant_id = $1 AND reference = $2")?;
        let row = self.tx.query_opt(&statement, &[&tenant, &reference])?;
        Ok(row.map(|r| r.get(0)))
    }

    fn invoice_customer(&mut self, tenant: TenantId, number: &str) -> Result<Option<(i64, String)>, StoreError> {
        let statement =
            self.prepared("SELECT customer_id, currency FROM invoices WHERE tenant_id = $1 AND number = $2")?;
        let row = self.tx.query_opt(&statement, &[&tenant, &number])?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    fn open_items(
        &mut self,
        tenant: TenantId,
        customer_id: i64,
        currency: Currency,
        (only, on): (Option<&str>, chrono::NaiveDate),
    ) -> Result<Vec<OpenItem>, StoreError> {
        let statement = self.prepared(if only.is_some() { OPEN_ITEM } else { OPEN_ITEMS })?;
        let rows = self.tx.query(&statement, &[&tenant, &customer_id, &currency.code(), &only, &on])?;
        rows.iter()
            .map(|r| {
                Ok(OpenItem {
                    invoice_id: r.get(0),
                    number: InvoiceNumber::parse(r.get(1)).map_err(|e| StoreError::corrupt("invoice number", e))?,
                    due_date: r.get(2),
                    open: Money::new(r.get(3), currency),
                })
            })
            .collect()
    }

    fn insert_payment(
        &mut self,
        tenant: TenantId,
        customer_id: i64,
        payment: &Payment,
        fingerprint: i64,
        unallocated_minor: i64,
    ) -> Result<i64, StoreError> {
        let statement = self.prepared(
            "INSERT INTO payments (tenant_id, reference, customer_id, payment_date, amount_minor, currency, method,
                invoice_number, unallocated_minor, fingerprint)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )?;
        let row = self.tx.query_one(
            &statement,
            &[
                &tenant,
                &payment.reference.as_str(),
                &customer_id,
                &payment.date,
                &payment.amount.amount_minor(),
                &payment.amount.currency().code(),
                &payment.method.as_str(),
                &payment.invoice.as_ref().map(|n| n.as_str()),
                &unallocated_minor,
                &fingerprint,
            ],
        )?;
        self.wrote("payments", 1)?;
        Ok(row.get(0))
    }

    fn invoice_terms(&mut self, tenant: TenantId, invoice_id: i64) -> Result<crate::import::InvoiceTerms, StoreError> {
        let statement = self.prepared(
            "SELECT terms, issue_date, gross_minor, open_minor FROM invoices WHERE tenant_id = $1 AND id = $2",
        )?;
        let row = self.tx.query_one(&statement, &[&tenant, &invoice_id])?;
        Ok(crate::import::InvoiceTerms {
            terms: row.get(0),
            issue_date: row.get(1),
            gross_minor: row.get(2),
            open_minor: row.get(3),
        })
    }

    fn insert_allocations(
        &mut self,
        tenant: TenantId,
        payment_id: i64,
        allocations: &[Allocation],
    ) -> Result<(), StoreError> {
        for allocation in allocations {
            let (paid, discount) = (allocation.amount.amount_minor(), allocation.discount.amount_minor());
            let statement = self.prepared(
                "INSERT INTO allocations (tenant_id, payment_id, invoice_id, amount_minor, discount_minor)
                 VALUES ($1, $2, $3, $4, $5)",
            )?;
            self.tx.execute(&statement, &[&tenant, &payment_id, &allocation.invoice_id, &paid, &discount])?;
            let amount = paid + discount;
            let statement = self.prepared(
                "UPDATE invoices SET open_minor = open_minor - $3, paid_on = CASE WHEN open_minor - $3 <= 0 \
                 THEN (SELECT payment_date FROM payments WHERE tenant_id = $1 AND id = $4) ELSE paid_on END \
                 WHERE tenant_id = $1 AND id = $2",
            )?;
            self.tx.execute(&statement, &[&tenant, &allocation.invoice_id, &amount, &payment_id])?;
        }
        self.wrote("allocations", allocations.len() as u64)
    }
}

impl PostgresTx<'_> {
    /// Counts rows written to `table` and refreshes its statistics each time it has grown
    /// tenfold (1,000, 10,000, …). Foreign-key checks are planned from those statistics: planned
    /// on a table that looked empty they scan what the import already wrote, for every row
    /// (quadratic). ANALYZE inside the transaction counts the rows it has written itself.
    fn wrote(&mut self, table: &'static str, rows: u64) -> Result<(), StoreError> {
        let count = self.written.entry(table).or_insert(0);
        let before = *count;
        *count += rows;
        let after = *count;
        let mut threshold = 1_000;
        while threshold <= after {
            if before < threshold {
                self.tx.batch_execute(&format!("ANALYZE {table}"))?;
                break;
            }
            threshold *= 10;
        }
        Ok(())
    }

    fn prepared(&mut self, sql: &'static str) -> Result<Statement, StoreError> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }

    fn invoice_fingerprints(
        &mut self,
        tenant: TenantId,
        numbers: &[&str],
    ) -> Result<HashMap<String, StoredInvoice>, StoreError> {
        let statement = self
            .prepared("SELECT number, fingerprint, sent_on FROM invoices WHERE tenant_id = $1 AND number = ANY($2)")?;
        let rows = self.tx.query(&statement, &[&tenant, &numbers])?;
        Ok(rows.iter().map(|r| (r.get(0), StoredInvoice { fingerprint: r.get(1), sent_on: r.get(2) })).collect())
    }

    fn copy_invoices(&mut self, tenant: TenantId, invoices: &[&NewInvoice<'_>]) -> Result<(), StoreError> {
        if invoices.is_empty() {
            return Ok(());
        }
        let mut writer = self.tx.copy_in(
            "COPY invoices (tenant_id, number, customer_id, kind, status, issue_date, supply_from, supply_to,
                delivery_place, sent_on, currency, net_minor, tax_minor, gross_minor, open_minor, terms, due_date,
                lines, instalments, fingerprint) FROM STDIN",
        )?;
        let mut buffer = String::with_capacity(512 * invoices.len());
        for new in invoices {
            copy_row(&mut buffer, tenant, new);
        }
        writer.write_all(buffer.as_bytes())?;
        writer.finish()?;
        self.wrote("invoices", invoices.len() as u64)
    }

    fn insert_contacts(&mut self, tenant: TenantId, customer_id: i64, contacts: &[Contact]) -> Result<(), StoreError> {
        for c in contacts {
            let statement = self.prepared("INSERT INTO contacts (tenant_id, customer_id, name, role, email, phone) VALUES ($1, $2, $3, $4, $5, $6)")?;
            self.tx.execute(
                &statement,
                &[&tenant, &customer_id, &c.name, &c.role.as_str(), &c.email.as_ref().map(Email::as_str), &c.phone],
            )?;
        }
        self.wrote("contacts", contacts.len() as u64)
    }
}

/// Appends one invoice as a line of `COPY … FROM STDIN` text format.
fn copy_row(buffer: &mut String, tenant: TenantId, new: &NewInvoice<'_>) {
    let invoice: &Invoice = new.invoice;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
    let fields: [Option<String>; 20] = [
        Some(tenant.to_string()),
        Some(invoice.number.as_str().to_owned()),
        Some(new.customer_id.to_string()),
        Some(invoice.kind.as_str().to_owned()),
        Some(invoice.status.as_str().to_owned()),
        Some(invoice.issue_date.to_string()),
        date(invoice.supply_from),
        date(invoice.supply_to),
        invoice.delivery_place.clone(),
        date(invoice.sent_on),
        Some(invoice.currency.code().to_owned()),
        Some(invoice.totals.net.amount_minor().to_string()),
        Some(invoice.totals.tax.amount_minor().to_string()),
        Some(invoice.totals.gross.amount_minor().to_string()),
        Some(invoice.amount_due().amount_minor().to_string()),
        Some(invoice.terms.to_string()),
        Some(invoice.due_date().to_string()),
        Some(stored::lines_json(&invoice.lines)),
        Some(stored::instalments_json(&invoice.instalments)),
        Some(new.fingerprint.to_string()),
    ];
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            buffer.push('\t');
        }
        match field {
            None => buffer.push_str("\\N"),
            Some(text) => push_copy_escaped(buffer, text),
        }
    }
    buffer.push('\n');
}

/// Escapes text for COPY's text format: backslash, tab, newline and carriage return.
fn push_copy_escaped(buffer: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => buffer.push_str("\\\\"),
            '\t' => buffer.push_str("\\t"),
            '\n' => buffer.push_str("\\n"),
            '\r' => buffer.push_str("\\r"),
            _ => buffer.push(c),
        }
    }
}

impl Store for PostgresStore {
    crate::follow_up_methods!();

    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn create_organisation(&mut self, organisation: &NewOrganisation) -> Result<Organisation, StoreError> {
        let row = self.client.query_one(
            "INSERT INTO organisations (name, country, currency) VALUES ($1, $2, $3) RETURNING id",
            &[&organisation.name, &organisation.country.as_str(), &organisation.currency.code()],
        )?;
        Ok(Organisation {
            id: row.get(0),
            name: organisation.name.clone(),
            country: organisation.country,
            currency: organisation.currency,
            time_zone: None,
        })
    }

    fn organisations(&mut self) -> Result<Vec<Organisation>, StoreError> {
        let rows =
            self.client.query("SELECT id, name, country, currency, time_zone FROM organisations ORDER BY id", &[])?;
        rows.iter()
            .map(|r| {
                Ok(Organisation {
                    id: r.get(0),
                    name: r.get(1),
                    country: stored::country(r.get(2))?,
                    currency: stored::currency(r.get(3))?,
                    time_zone: r.get(4),
                })
            })
            .collect()
    }

    fn import_customers(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Customer>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError> {
        self.import_with(tenant, rows, options, |tx, rows| import::customers(tx, tenant, rows))
    }

    fn import_invoices(
        &mut self,
        tenant: TenantId,
        rows: &mut dyn Iterator<Item = ImportRow<Invoice>>,
        options: ImportOptions,
    ) -> Result<ImportReport, StoreError> {
        let report = self.import_with(tenant, rows, options, |tx, rows| import::invoices(tx, tenant, rows))?;
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
        let report = self.import_with(tenant, rows, options, |tx, rows| import::payments(tx, tenant, rows))?;
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
        let advised = report.advised_limit.map(Money::amount_minor);
        let written = self.client.execute(
            "INSERT INTO credit_reports (tenant_id, customer_id, source, rating, report_date, advised_limit_minor)
             SELECT tenant_id, id, $3, $4, $5, $6 FROM customers WHERE tenant_id = $1 AND code = $2
             ON CONFLICT (tenant_id, customer_id, source, report_date)
             DO UPDATE SET rating = excluded.rating, advised_limit_minor = excluded.advised_limit_minor",
            &[&tenant, &code, &report.source, &report.rating, &report.date, &advised],
        )?;
        Ok(written > 0)
    }

    fn customers(&mut self, tenant: TenantId, page: Page) -> Result<Listing<CustomerSummary>, StoreError> {
        let total: i64 =
            self.client.query_one("SELECT COUNT(*) FROM customers WHERE tenant_id = $1", &[&tenant])?.get(0);
        let (limit, offset) = (page.limit.map(i64::from), i64::try_from(page.offset).unwrap_or(i64::MAX));
        let rows = self.client.query(sql::CUSTOMER_SUMMARIES, &[&tenant, &limit, &offset])?;
        let rows = rows
            .iter()
            .map(|r| sql::CustomerBalanceRow {
                code: r.get(0),
                legal_name: r.get(1),
                country: r.get(2),
                currency: r.get(3),
                invoice_currency: r.get(4),
                open_invoices: r.get(5),
                open_minor: r.get(6),
            })
            .collect();
        let credits = self.credit_rows(tenant, None)?;
        Ok(Listing { rows: sql::customer_summaries(rows, credits)?, total: total as u64 })
    }

    fn customer_credit(&mut self, tenant: TenantId, code: &str) -> Result<Vec<Money>, StoreError> {
        let rows = self.credit_rows(tenant, Some(code))?;
        sql::credits(rows)
    }

    fn customer(&mut self, tenant: TenantId, code: &str) -> Result<Option<Customer>, StoreError> {
        let Some(r) = self.client.query_opt(sql::CUSTOMER, &[&tenant, &code])? else {
            return Ok(None);
        };
        let row = sql::CustomerRow {
            id: r.get(0),
            code: r.get(1),
            legal_name: r.get(2),
            tax_id: r.get(3),
            country: r.get(4),
            language: r.get(5),
            currency: r.get(6),
            address: r.get(7),
            payment_terms: r.get(8),
            dispute_procedure: r.get(9),
            late_interest_clause: r.get(10),
            deliverables: r.get(11),
            credit_limit_minor: r.get(12),
            prepayment_required: r.get(13),
            contract_date: r.get(14),
            agri_food: r.get(15),
        };
        let contacts = self.client.query(sql::CONTACTS, &[&tenant, &row.id])?;
        let contacts = contacts.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect();
        let reports = self.client.query(sql::CREDIT_REPORTS, &[&tenant, &row.id])?;
        let reports = reports.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect();
        sql::build_customer(row, contacts, reports).map(Some)
    }

    fn invoices(&mut self, tenant: TenantId, filter: &InvoiceFilter) -> Result<Listing<InvoiceSummary>, StoreError> {
        let (count_sql, list_sql) = sql::invoice_listing(filter);
        let customer = filter.customer.as_deref();
        let total: i64 = self.client.query_one(&count_sql, &[&tenant, &customer])?.get(0);
        let limit = filter.page.limit.map(i64::from);
        let offset = i64::try_from(filter.page.offset).unwrap_or(i64::MAX);
        let rows = self.client.query(&list_sql, &[&tenant, &customer, &limit, &offset])?;
        let rows = rows
            .iter()
            .map(|r| {
                sql::InvoiceSummaryRow {
                    number: r.get(0),
                    customer_code: r.get(1),
                    customer_name: r.get(2),
                    kind: r.get(3),
                    status: r.get(4),
                    issue_date: r.get(5),
                    due_date: r.get(6),
                    currency: r.get(7),
                    gross_minor: r.get(8),
                    open_minor: r.get(9),
                    terms: r.get(10),
                }
                .into_summary()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Listing { rows, total: total as u64 })
    }

    fn invoice(&mut self, tenant: TenantId, number: &str) -> Result<Option<InvoiceDetail>, StoreError> {
        let Some(r) = self.client.query_opt(sql::INVOICE, &[&tenant, &number])? else {
            return Ok(None);
        };
        let row = sql::InvoiceRow {
            id: r.get(0),
            number: r.get(1),
            customer_code: r.get(2),
            customer_name: r.get(3),
            kind: r.get(4),
            status: r.get(5),
            issue_date: r.get(6),
            supply_from: r.get(7),
            supply_to: r.get(8),
            delivery_place: r.get(9),
            sent_on: r.get(10),
            currency: r.get(11),
            net_minor: r.get(12),
            tax_minor: r.get(13),
            gross_minor: r.get(14),
            open_minor: r.get(15),
            terms: r.get(16),
            lines: r.get(17),
            instalments: r.get(18),
            corrects: r.get(19),
            payment_reference: r.get(20),
        };
        let payments = self.client.query(sql::APPLIED_PAYMENTS, &[&tenant, &row.id])?;
        let payments = payments.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4))).collect();
        sql::build_invoice(row, payments).map(Some)
    }
}
