//! The invoices CSV: one row per invoice line; consecutive rows with the same `number` are the
//! lines of one invoice and must agree on everything else.
//!
//! Required columns: `number, customer, issue_date, currency, description, unit_price`; `terms` below.
//! Optional: `quantity` (default 1), `tax_rate` (percent, e.g. 21 or 10.5; default 0), `kind`
//! (invoice or credit_note), `supply_date` or `supply_from`/`supply_to`, `delivery_place`, and
//! `sent_date` (when the invoice went to the customer; empty means not sent yet), `due_date` (the
//! date the invoice itself states: it wins over the date its terms give, for a single payment).
//! A spreadsheet export with other column names, US dates or decimal commas is read through a
//! [`ColumnMap`].
//! An invoice whose `terms` cell is empty (or whose file has no `terms` column) takes the terms on
//! file for its customer (given with [`InvoiceRows::with_agreed_terms`]), else the map's
//! `default_terms`; with none of them it is rejected: an invoice without credit terms cannot be
//! issued.

use crate::csv_columns::{ColumnMap, FileError, Layout, Row, Table};
use chrono::NaiveDate;
use overdue_core::currency::Currency;
use overdue_core::ids::{CustomerCode, InvoiceNumber};
use overdue_core::import::{ImportRow, Located, Rejection};
use overdue_core::invoice::{Invoice, InvoiceDraft, InvoiceKind, InvoiceLine, IssueError};
use overdue_core::money::parse_scaled;
use overdue_core::quantity::Quantity;
use overdue_core::terms::PaymentTerms;
use std::collections::HashMap;
use std::io::Read;

pub const LAYOUT: Layout = Layout {
    required: &["number", "customer", "issue_date", "currency", "description", "unit_price"],
    optional: &[
        "terms",
        "quantity",
        "tax_rate",
        "kind",
        "supply_date",
        "supply_from",
        "supply_to",
        "delivery_place",
        "sent_date",
        "corrects",
        "due_date",
    ],
};

pub fn read<R: Read>(input: R) -> Result<InvoiceRows<R>, FileError> {
    read_mapped(input, ColumnMap::default())
}

/// Reads an export whose columns and notations `map` describes.
pub fn read_mapped<R: Read>(input: R, map: ColumnMap) -> Result<InvoiceRows<R>, FileError> {
    Ok(InvoiceRows {
        table: Table::open_mapped(input, &LAYOUT, map)?,
        record: csv::StringRecord::new(),
        pending: None,
        done: false,
        agreed: HashMap::new(),
    })
}

/// The invoices of a CSV file, each gathered from its consecutive line rows.
pub struct InvoiceRows<R> {
    pub table: Table<R>,
    record: csv::StringRecord,
    pending: Option<Pending>,
    done: bool,
    /// Each customer's terms on file, by code.
    agreed: HashMap<String, PaymentTerms>,
}

impl<R> InvoiceRows<R> {
    /// The terms on file per customer code, for invoices whose row gives none.
    pub fn with_agreed_terms(self, agreed: HashMap<String, PaymentTerms>) -> Self {
        Self { agreed, ..self }
    }
}

/// An invoice being gathered: its first line, its header fields, its lines so far, or the
/// first reason it cannot be issued.
struct Pending {
    line: u64,
    number: InvoiceNumber,
    /// `None` once a row of the invoice could not be read (then `failure` says why).
    header: Option<Header>,
    lines: Vec<InvoiceLine>,
    failure: Option<Rejection>,
}

/// The fields every row of one invoice repeats.
#[derive(PartialEq, Eq)]
struct Header {
    number: InvoiceNumber,
    customer: CustomerCode,
    kind: InvoiceKind,
    issue_date: NaiveDate,
    supply_from: Option<NaiveDate>,
    supply_to: Option<NaiveDate>,
    delivery_place: Option<String>,
    currency: Currency,
    terms: Option<PaymentTerms>,
    /// The due date the invoice states, if the file has one.
    due_date: Option<NaiveDate>,
    sent_on: Option<NaiveDate>,
    /// For a credit note: the invoice it corrects.
    corrects: Option<InvoiceNumber>,
}

impl<R: Read> Iterator for InvoiceRows<R> {
    type Item = ImportRow<Invoice>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let line = match self.table.next_record(&mut self.record) {
                None => {
                    self.done = true;
                    break;
                }
                Some(Err(rejection)) => {
                    self.abandon_pending(rejection.line);
                    return Some(Err(rejection));
                }
                Some(Ok(line)) => line,
            };
            if let Some(finished) = self.take_row(line) {
                return Some(finished);
            }
        }
        self.pending.take().map(issue)
    }
}

impl<R: Read> InvoiceRows<R> {
    /// A row that could not be read may have been a line of the invoice being gathered: that
    /// invoice is rejected rather than imported without it.
    fn abandon_pending(&mut self, line: u64) {
        if let Some(pending) = self.pending.as_mut().filter(|p| p.failure.is_none()) {
            let reason = format!(
                "invoice {} is not imported: line {line}, next to its lines, could not be read and may belong to it",
                pending.number
            );
            pending.failure = Some(Rejection::new(pending.line, None, reason));
        }
    }

    /// Adds one record; returns an invoice (or rejection) when the record starts a new one.
    fn take_row(&mut self, line: u64) -> Option<ImportRow<Invoice>> {
        let row = self.table.row(&self.record, line);
        let number = match row.parse("number", InvoiceNumber::parse) {
            Ok(number) => number,
            Err(rejection) => {
                self.abandon_pending(line);
                return Some(Err(rejection));
            }
        };
        let parsed =
            header(&row, number.clone(), &self.agreed).and_then(|h| invoice_line(&row, h.currency).map(|l| (h, l)));
        if let Some(pending) = self.pending.as_mut().filter(|p| p.number == number) {
            pending.add(line, parsed);
            return None;
        }
        let finished = self.pending.take().map(issue);
        self.pending = Some(Pending::start(line, number, parsed));
        finished
    }
}

impl Pending {
    fn start(line: u64, number: InvoiceNumber, parsed: Result<(Header, InvoiceLine), Rejection>) -> Self {
        match parsed {
            Ok((header, first)) => Self { line, number, header: Some(header), lines: vec![first], failure: None },
            Err(rejection) => Self { line, number, header: None, lines: Vec::new(), failure: Some(rejection) },
        }
    }

    fn add(&mut self, line: u64, parsed: Result<(Header, InvoiceLine), Rejection>) {
        if self.failure.is_some() {
            return;
        }
        match parsed {
            Ok((header, invoice_line)) if Some(&header) == self.header.as_ref() => self.lines.push(invoice_line),
            Ok((header, _)) => {
                let field = self.header.as_ref().map_or("content", |first| first.first_difference(&header));
                let reason = format!(
                    "this line of invoice {} has another {field} than its first line ({}): the lines of one invoice must agree",
                    self.number, self.line
                );
                self.failure = Some(Rejection::new(line, None, reason));
            }
            Err(rejection) => self.failure = Some(rejection),
        }
    }
}

impl Header {
    /// The column where two rows of one invoice disagree.
    fn first_difference(&self, other: &Header) -> &'static str {
        let differences = [
            (self.customer != other.customer, "customer"),
            (self.kind != other.kind, "kind"),
            (self.issue_date != other.issue_date, "issue_date"),
            (self.supply_from != other.supply_from || self.supply_to != other.supply_to, "supply date"),
            (self.delivery_place != other.delivery_place, "delivery_place"),
            (self.currency != other.currency, "currency"),
            (self.terms != other.terms, "terms"),
            (self.sent_on != other.sent_on, "sent_date"),
        ];
        differences.iter().find(|(differs, _)| *differs).map_or("content", |(_, field)| field)
    }
}

fn issue(pending: Pending) -> ImportRow<Invoice> {
    let Pending { line, number, header, lines, failure } = pending;
    let corrects = header.as_ref().and_then(|h| h.corrects.clone());
    let stated_due = header.as_ref().and_then(|h| h.due_date);
    let Some(header) = header else {
        return Err(
            failure.unwrap_or_else(|| Rejection::new(line, None, format!("invoice {number} could not be read")))
        );
    };
    if let Some(failure) = failure {
        return Err(failure);
    }
    let draft = InvoiceDraft {
        number: header.number,
        customer: header.customer,
        kind: header.kind,
        issue_date: header.issue_date,
        supply_from: header.supply_from,
        supply_to: header.supply_to,
        delivery_place: header.delivery_place,
        currency: header.currency,
        lines,
        terms: header.terms,
        sent_on: header.sent_on,
    };
    let issued = draft.issue().map(|mut value| {
        // the date the invoice states wins over its terms' (one payment; instalments keep theirs)
        if let (Some(due), [only]) = (stated_due, value.instalments.as_mut_slice()) {
            only.due_date = due;
        }
        Located { line, value: Invoice { corrects, ..value } }
    });
    issued.map_err(|error| {
        if let IssueError::MissingTerms { .. } = error {
            let reason = format!(
                "{error}; its customer has no terms on file either (customer set CODE terms=…), and the file's map \
                 gives no default_terms"
            );
            return Rejection::new(line, Some("terms"), reason);
        }
        let column = match &error {
            IssueError::SentBeforeIssued { .. } => Some("sent_date"),
            IssueError::SupplyPeriodReversed { .. } => Some("supply_to"),
            _ => None,
        };
        Rejection::new(line, column, error)
    })
}

fn header(row: &Row<'_>, number: InvoiceNumber, agreed: &HashMap<String, PaymentTerms>) -> Result<Header, Rejection> {
    let kind = match row.get("kind") {
        None => InvoiceKind::Invoice,
        Some(text) => InvoiceKind::parse(&text.to_ascii_lowercase())
            .ok_or_else(|| row.reject("kind", format!("{text:?} is neither invoice nor credit_note")))?,
    };
    let customer = row.parse("customer", CustomerCode::parse)?;
    // the row's own terms, else the customer's on file, else the map's default
    let terms = match row.cell("terms") {
        Some(text) => Some(PaymentTerms::parse(text).map_err(|e| row.reject("terms", e))?),
        None => match agreed.get(customer.as_str()) {
            Some(terms) => Some(terms.clone()),
            None => {
                row.map_default("terms").map(PaymentTerms::parse).transpose().map_err(|e| row.reject("terms", e))?
            }
        },
    };
    let supply_date = row.date_opt("supply_date")?;
    Ok(Header {
        number,
        customer,
        kind,
        issue_date: row.date("issue_date")?,
        supply_from: row.date_opt("supply_from")?.or(supply_date),
        supply_to: row.date_opt("supply_to")?.or(supply_date),
        delivery_place: row.text_opt("delivery_place"),
        currency: row.currency("currency")?,
        terms,
        sent_on: row.date_opt("sent_date")?,
        corrects: corrects(row, kind)?,
        due_date: row.date_opt("due_date")?,
    })
}

/// The invoice a credit note corrects (`corrects`); only a credit note corrects one.
fn corrects(row: &Row<'_>, kind: InvoiceKind) -> Result<Option<InvoiceNumber>, Rejection> {
    let corrected = row.parse_opt("corrects", InvoiceNumber::parse)?;
    if corrected.is_some() && kind != InvoiceKind::CreditNote {
        return Err(row.reject("corrects", "only a credit note corrects an invoice: set kind to credit_note"));
    }
    Ok(corrected)
}

fn invoice_line(row: &Row<'_>, currency: Currency) -> Result<InvoiceLine, Rejection> {
    let quantity = row.parse_opt("quantity", |text| Quantity::parse(&row.number(text)))?.unwrap_or(Quantity::ONE);
    let unit_price = row.money("unit_price", currency)?;
    if unit_price.is_negative() {
        return Err(row.reject("unit_price", "is negative: record returns and discounts as a credit note"));
    }
    let tax_rate = match row.get("tax_rate") {
        None => 0,
        Some(text) => parse_scaled(row.number(text).trim_end_matches('%').trim(), 2)
            .filter(|bp| (0..=10_000).contains(bp))
            .ok_or_else(|| {
                row.reject(
                    "tax_rate",
                    format!("{text:?} is not a tax rate in percent between 0 and 100, e.g. 21 or 10.5"),
                )
            })?,
    };
    Ok(InvoiceLine {
        description: row.required("description")?.to_owned(),
        quantity,
        unit_price_minor: unit_price.amount_minor(),
        tax_rate_basis_points: tax_rate as u32,
    })
}
