//! The import rules, written once for both backends: resolve customers, recognise rows already
//! imported (same natural key and fingerprint → unchanged; other content → rejected or, for
//! customers, updated), allocate payments, and report every rejection with its line.

use crate::{ImportOptions, StoreError, TenantId};
use overdue_core::currency::Currency;
use overdue_core::customer::Customer;
use overdue_core::fingerprint::Fingerprint;
use overdue_core::import::{ImportReport, ImportRow, Located, Rejection};
use overdue_core::invoice::Invoice;
use overdue_core::payment::{Allocation, OpenItem, Payment, allocate};
use std::collections::HashMap;

/// Invoices checked against the database in one round trip.
const INVOICE_BATCH: usize = 4096;

/// A customer as imports need to know it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CustomerRef {
    pub id: i64,
    pub fingerprint: i64,
}

/// What the books already hold for an invoice number.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoredInvoice {
    pub fingerprint: i64,
    pub sent_on: Option<chrono::NaiveDate>,
}

/// An invoice ready to be written.
pub(crate) struct NewInvoice<'a> {
    pub invoice: &'a Invoice,
    pub customer_id: i64,
    pub fingerprint: i64,
}

/// The writes an import needs, inside one database transaction.
pub(crate) trait ImportTx {
    fn customers_by_code(&mut self, tenant: TenantId) -> Result<HashMap<String, CustomerRef>, StoreError>;
    /// One customer by code, for a few rows (a payment recorded by hand or by the API).
    fn customer_by_code(&mut self, tenant: TenantId, code: &str) -> Result<Option<CustomerRef>, StoreError>;
    fn insert_customer(&mut self, tenant: TenantId, customer: &Customer, fingerprint: i64) -> Result<i64, StoreError>;
    fn update_customer(
        &mut self,
        tenant: TenantId,
        id: i64,
        customer: &Customer,
        fingerprint: i64,
    ) -> Result<(), StoreError>;
    /// Writes the invoices whose numbers are new; for each invoice, `None` if it was written,
    /// or what is stored under its number.
    fn insert_new_invoices(
        &mut self,
        tenant: TenantId,
        invoices: &[NewInvoice<'_>],
    ) -> Result<Vec<Option<StoredInvoice>>, StoreError>;
    /// Records the invoice a new credit note corrects.
    fn set_corrects(&mut self, tenant: TenantId, number: &str, corrects: &str) -> Result<(), StoreError>;
    /// Records the structured reference a new invoice asks its customer to quote.
    fn set_payment_reference(&mut self, tenant: TenantId, number: &str, reference: &str) -> Result<(), StoreError>;
    /// Records that an issued invoice was sent (a later export filled in its sent date).
    fn mark_sent(&mut self, tenant: TenantId, number: &str, sent_on: chrono::NaiveDate) -> Result<(), StoreError>;
    fn payment_fingerprint(&mut self, tenant: TenantId, reference: &str) -> Result<Option<i64>, StoreError>;
    /// The customer id owning an invoice number and the invoice's currency, if the number exists.
    fn invoice_customer(&mut self, tenant: TenantId, number: &str) -> Result<Option<(i64, String)>, StoreError>;
    fn open_items(
        &mut self,
        tenant: TenantId,
        customer_id: i64,
        currency: Currency,
        only_and_day: (Option<&str>, chrono::NaiveDate),
    ) -> Result<Vec<OpenItem>, StoreError>;
    fn insert_payment(
        &mut self,
        tenant: TenantId,
        customer_id: i64,
        payment: &Payment,
        fingerprint: i64,
        unallocated_minor: i64,
    ) -> Result<i64, StoreError>;
    /// The terms (as stored), issue date and gross amount of invoice `invoice_id`, with what is
    /// open on it, in minor units.
    fn invoice_terms(&mut self, tenant: TenantId, invoice_id: i64) -> Result<InvoiceTerms, StoreError>;
    /// Records allocations (with any discount written off) and lowers the invoices' open amounts
    /// by them.
    fn insert_allocations(
        &mut self,
        tenant: TenantId,
        payment_id: i64,
        allocations: &[Allocation],
    ) -> Result<(), StoreError>;
}

/// Whether the transaction should be committed, given the options and the report.
pub(crate) fn finish(mut report: ImportReport, options: ImportOptions) -> (ImportReport, bool) {
    let commit = !options.all_or_nothing || report.rejected.is_empty();
    report.rolled_back = !commit;
    report.rejected.sort_by_key(|r| r.line);
    (report, commit)
}

pub(crate) fn customers(
    tx: &mut dyn ImportTx,
    tenant: TenantId,
    rows: &mut dyn Iterator<Item = ImportRow<Customer>>,
) -> Result<ImportReport, StoreError> {
    let mut known = tx.customers_by_code(tenant)?;
    let mut seen_in_file: HashMap<String, (u64, i64)> = HashMap::new();
    let mut report = ImportReport::default();
    for row in rows {
        let Located { value: customer, line } = match row {
            Ok(located) => located,
            Err(rejection) => {
                report.rejected.push(rejection);
                continue;
            }
        };
        let fingerprint = customer.fingerprint();
        if let Some(&(first, earlier)) = seen_in_file.get(customer.code.as_str()) {
            if earlier == fingerprint {
                report.unchanged += 1;
            } else {
                let reason =
                    format!("customer {} already appears on line {first} with different content", customer.code);
                report.rejected.push(Rejection::new(line, Some("code"), reason));
            }
            continue;
        }
        seen_in_file.insert(customer.code.as_str().to_owned(), (line, fingerprint));
        match known.get(customer.code.as_str()).copied() {
            Some(existing) if existing.fingerprint == fingerprint => report.unchanged += 1,
            Some(existing) => {
                tx.update_customer(tenant, existing.id, &customer, fingerprint)?;
                known.insert(customer.code.as_str().to_owned(), CustomerRef { fingerprint, ..existing });
                report.updated += 1;
            }
            None => {
                let id = tx.insert_customer(tenant, &customer, fingerprint)?;
                known.insert(customer.code.as_str().to_owned(), CustomerRef { id, fingerprint });
                report.created += 1;
            }
        }
    }
    Ok(report)
}

pub(crate) fn invoices(
    tx: &mut dyn ImportTx,
    tenant: TenantId,
    rows: &mut dyn Iterator<Item = ImportRow<Invoice>>,
) -> Result<ImportReport, StoreError> {
    let customers = tx.customers_by_code(tenant)?;
    let mut seen_in_file: HashMap<String, (u64, i64)> = HashMap::new();
    let mut report = ImportReport::default();
    let mut batch: Vec<(Located<Invoice>, i64, i64)> = Vec::with_capacity(INVOICE_BATCH);
    for row in rows {
        let located = match row {
            Ok(located) => located,
            Err(rejection) => {
                report.rejected.push(rejection);
                continue;
            }
        };
        let invoice = &located.value;
        let Some(customer) = customers.get(invoice.customer.as_str()) else {
            let reason = format!(
                "unknown customer {:?}: import it with `overdue import customers` first",
                invoice.customer.as_str()
            );
            report.rejected.push(Rejection::new(located.line, Some("customer"), reason));
            continue;
        };
        let fingerprint = invoice.fingerprint();
        if let Some(&(line, earlier)) = seen_in_file.get(invoice.number.as_str()) {
            if earlier == fingerprint {
                report.unchanged += 1;
            } else {
                let reason =
                    format!("invoice {} already appears on line {line} with different content", invoice.number);
                report.rejected.push(Rejection::new(located.line, Some("number"), reason));
            }
            continue;
        }
        seen_in_file.insert(invoice.number.as_str().to_owned(), (located.line, fingerprint));
        batch.push((located, customer.id, fingerprint));
        if batch.len() == INVOICE_BATCH {
            write_invoice_batch(tx, tenant, &mut batch, &mut report)?;
        }
    }
    write_invoice_batch(tx, tenant, &mut batch, &mut report)?;
    Ok(report)
}

fn write_invoice_batch(
    tx: &mut dyn ImportTx,
    tenant: TenantId,
    batch: &mut Vec<(Located<Invoice>, i64, i64)>,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let candidates: Vec<NewInvoice<'_>> = batch
        .iter()
        .map(|(located, customer_id, fingerprint)| NewInvoice {
            invoice: &located.value,
            customer_id: *customer_id,
            fingerprint: *fingerprint,
        })
        .collect();
    let outcomes = tx.insert_new_invoices(tenant, &candidates)?;
    for ((located, _, fingerprint), outcome) in batch.iter().zip(outcomes) {
        let invoice = &located.value;
        match outcome {
            None => {
                if let Some(corrected) = &invoice.corrects {
                    tx.set_corrects(tenant, invoice.number.as_str(), corrected.as_str())?;
                }
                if let Some(reference) = &invoice.payment_reference {
                    tx.set_payment_reference(tenant, invoice.number.as_str(), reference)?;
                }
                report.created += 1
            }
            Some(stored) if stored.fingerprint == *fingerprint => match (stored.sent_on, invoice.sent_on) {
                (None, Some(sent_on)) => {
                    tx.mark_sent(tenant, invoice.number.as_str(), sent_on)?;
                    report.updated += 1;
                }
                _ => report.unchanged += 1,
            },
            Some(_) => {
                let reason = overdue_core::invoice::number_taken_reason(&located.value, None);
                report.rejected.push(Rejection::new(located.line, Some("number"), reason));
            }
        }
    }
    batch.clear();
    Ok(())
}

fn payment_fingerprint(payment: &Payment) -> i64 {
    Fingerprint::default()
        .text(payment.reference.as_str())
        .text(payment.customer.as_str())
        .text(&payment.date.to_string())
        .number(payment.amount.amount_minor())
        .text(payment.amount.currency().code())
        .text(payment.method.as_str())
        .text(payment.invoice.as_ref().map_or("", |n| n.as_str()))
        .finish()
}

pub(crate) fn payments(
    tx: &mut dyn ImportTx,
    tenant: TenantId,
    rows: &mut dyn Iterator<Item = ImportRow<Payment>>,
) -> Result<ImportReport, StoreError> {
    // a few rows (a payment recorded by hand or through the API) look their customers up one by
    // one; a file loads them all at once
    let few = rows.size_hint().1.is_some_and(|rows| rows <= 16);
    let mut customers = if few { HashMap::new() } else { tx.customers_by_code(tenant)? };
    let mut report = ImportReport::default();
    for row in rows {
        if let (true, Ok(located)) = (few, &row) {
            let code = located.value.customer.as_str();
            if !customers.contains_key(code)
                && let Some(found) = tx.customer_by_code(tenant, code)?
            {
                customers.insert(code.to_owned(), found);
            }
        }
        match row.map(|located| import_payment(tx, tenant, &customers, located)) {
            Ok(Ok(Ok(true))) => report.created += 1,
            Ok(Ok(Ok(false))) => report.unchanged += 1,
            Ok(Ok(Err(rejection))) | Err(rejection) => report.rejected.push(rejection),
            Ok(Err(store_error)) => return Err(store_error),
        }
    }
    Ok(report)
}

/// Records one payment; `Ok(Ok(false))` when it was already recorded.
/// What an invoice's terms are, as [`ImportTx::invoice_terms`] reads them.
pub(crate) struct InvoiceTerms {
    pub terms: String,
    pub issue_date: chrono::NaiveDate,
    pub gross_minor: i64,
    pub open_minor: i64,
}

/// The plan of a payment naming one invoice nothing has paid yet, at its early-payment price in
/// time (`payment::settle_at_early_price`); `None` otherwise.
fn early_price(
    tx: &mut dyn ImportTx,
    tenant: TenantId,
    payment: &Payment,
    open_items: &[OpenItem],
) -> Result<Option<overdue_core::payment::AllocationPlan>, StoreError> {
    let ([item], Some(_)) = (open_items, &payment.invoice) else { return Ok(None) };
    let stored = tx.invoice_terms(tenant, item.invoice_id)?;
    if stored.open_minor != stored.gross_minor {
        return Ok(None);
    }
    let terms = crate::stored::terms(&stored.terms)?;
    let gross = overdue_core::money::Money::new(stored.gross_minor, payment.amount.currency());
    Ok(terms
        .early_payment_price(stored.issue_date, gross)
        .and_then(|early| overdue_core::payment::settle_at_early_price(payment.amount, payment.date, item, early)))
}

fn import_payment(
    tx: &mut dyn ImportTx,
    tenant: TenantId,
    customers: &HashMap<String, CustomerRef>,
    located: Located<Payment>,
) -> Result<Result<bool, Rejection>, StoreError> {
    let Located { line, value: payment } = located;
    let reject = |column: &str, reason: String| Ok(Err(Rejection::new(line, Some(column), reason)));
    let Some(customer) = customers.get(payment.customer.as_str()) else {
        return reject("customer", format!("unknown customer {:?}", payment.customer.as_str()));
    };
    let fingerprint = payment_fingerprint(&payment);
    match tx.payment_fingerprint(tenant, payment.reference.as_str())? {
        Some(stored) if stored == fingerprint => return Ok(Ok(false)),
        Some(_) => {
            return reject(
                "reference",
                format!("payment {} is already recorded with different content", payment.reference),
            );
        }
        None => {}
    }
    if let Some(number) = &payment.invoice {
        match tx.invoice_customer(tenant, number.as_str())? {
            None => return reject("invoice", format!("invoice {number} does not exist")),
            Some((_, currency)) if currency != payment.amount.currency().code() => {
                return reject(
                    "currency",
                    format!("invoice {number} is in {currency}, the payment in {}", payment.amount.currency()),
                );
            }
            Some((owner, _)) if owner != customer.id => {
                return reject(
                    "invoice",
                    format!("invoice {number} belongs to another customer, not {}", payment.customer),
                );
            }
            Some(_) => {}
        }
    }
    let named = payment.invoice.as_ref().map(|n| n.as_str());
    let open_items = tx.open_items(tenant, customer.id, payment.amount.currency(), (named, payment.date))?;
    let plan = match early_price(tx, tenant, &payment, &open_items)? {
        Some(plan) => plan,
        None => allocate(payment.amount, payment.invoice.as_ref(), &open_items),
    };
    let payment_id = tx.insert_payment(tenant, customer.id, &payment, fingerprint, plan.unallocated.amount_minor())?;
    tx.insert_allocations(tenant, payment_id, &plan.allocations)?;
    Ok(Ok(true))
}
