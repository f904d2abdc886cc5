//! Reports people act on, computed from the books as they stood on a day: the aging of what is
//! owed (per customer and currency, by how late), the customers most overdue, DSO and CEI month by
//! month, and expected cash week by week; read the same by the command line, the API and the pages.

use crate::AppError;
use chrono::{Datelike, NaiveDate};
use overdue_core::aging::{AgingBucket, AgingRow, OpenAmount, age};
use overdue_core::forecast::{CashForecast, OpenAmount as OpenAmountToPredict, Prediction};
use overdue_core::invoice::InvoiceKind;
use overdue_core::kpi::{self, MonthFigures, MonthSales, Receivables};
use overdue_core::{Currency, Money};
use overdue_store::{InvoiceFilter, InvoiceSummary, Organisation, Page, Store};
use std::collections::HashMap;

/// What each customer owed on `as_of`, per currency, by aging bucket (an instalment invoice by
/// each unpaid instalment's own due date), with the credit each held then in that currency; one
/// row per customer and currency, ordered by currency code, then customer code.
///
/// Errors: store errors.
pub fn aging(store: &mut dyn Store, organisation: &Organisation, as_of: NaiveDate) -> Result<Vec<AgingRow>, AppError> {
    crate::day("as_of", as_of)?;
    let invoices = open_invoices(store, organisation, None, as_of)?;
    let mut amounts = Vec::with_capacity(invoices.len());
    for invoice in &invoices {
        amounts.extend(open_amounts(store, organisation, invoice)?);
    }
    let credits = store
        .customers_on(organisation.id, as_of, None, None)?
        .into_iter()
        .flat_map(|c| c.credit.into_iter().map(move |money| (c.code.clone(), c.legal_name.clone(), money)));
    let mut rows = overdue_core::aging::with_credits(age(amounts, as_of), credits.collect::<Vec<_>>());
    // as a controller reads it: by currency, then by customer code
    rows.sort_by(|a, b| (a.credit.currency().code(), &a.customer).cmp(&(b.credit.currency().code(), &b.customer)));
    Ok(rows)
}

/// The invoices open on `as_of` (as the books stood that day), of one customer or all.
///
/// Errors: store errors.
pub fn open_invoices(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: Option<String>,
    as_of: NaiveDate,
) -> Result<Vec<InvoiceSummary>, AppError> {
    let filter = InvoiceFilter { open_only: true, customer, page: Page { limit: None, offset: 0 }, as_of: Some(as_of) };
    Ok(store.invoices(organisation.id, &filter)?.rows)
}

/// What is open on an invoice, by due date: one amount per unpaid instalment for instalment
/// terms (30/60/90), else the whole open amount at its due date.
///
/// Errors: store errors.
pub fn open_amounts(
    store: &mut dyn Store,
    organisation: &Organisation,
    invoice: &InvoiceSummary,
) -> Result<Vec<OpenAmount>, AppError> {
    let whole = || OpenAmount {
        customer: invoice.customer_code.clone(),
        name: invoice.customer_name.clone(),
        due_date: invoice.due_date,
        open: invoice.open,
    };
    let instalments = overdue_core::terms::PaymentTerms::parse(&invoice.terms).is_ok_and(|t| t.is_instalments());
    let detail =
        if instalments && invoice.open.is_positive() { store.invoice(organisation.id, &invoice.number)? } else { None };
    let Some(detail) = detail else { return Ok(vec![whole()]) };
    Ok(detail
        .invoice
        .unpaid_instalments(invoice.open)
        .into_iter()
        .map(|due| OpenAmount { due_date: due.due_date, open: due.amount, ..whole() })
        .collect())
}

/// How many months before a period DSO may count back.
const COUNTBACK_MONTHS: usize = 24;

/// DSO and CEI for the `months` months up to `as_of` (the month of `as_of` last, measured to that
/// day), one row per month and currency, oldest month first. Receivables are the books as they
/// stood at each month's end (the aging of that day, instalments by their own due dates).
///
/// Errors: [`AppError::Invalid`] for `months` outside 1..=36 or an impossible day; store errors.
pub fn collection_by_month(
    store: &mut dyn Store,
    organisation: &Organisation,
    as_of: NaiveDate,
    months: u32,
) -> Result<Vec<MonthFigures>, AppError> {
    crate::day("as_of", as_of)?;
    if !(1..=36).contains(&months) {
        return Err(AppError::Invalid { field: "months", reason: format!("{months} months: give 1 to 36").into() });
    }
    let ends = period_ends(as_of, months);
    let sales = sales_by_month(store, organisation, as_of)?;
    let mut receivables = Vec::with_capacity(ends.len());
    for end in &ends {
        receivables.push(receivables_on(store, organisation, *end)?);
    }
    let mut rows = Vec::new();
    for (k, end) in ends.iter().enumerate().skip(1) {
        let month = end.with_day(1).unwrap_or(*end);
        let currencies = receivables[k].keys().chain(receivables[k - 1].keys()).chain(sales.currencies(month));
        for currency in currencies.copied().collect::<std::collections::BTreeSet<_>>() {
            let zero = Money::zero(currency);
            let at =
                |k: usize| receivables[k].get(&currency).copied().unwrap_or(Receivables { total: zero, current: zero });
            let (begin, close) = (at(k - 1).total, at(k));
            let sold = sales.of(month, currency);
            let history: Vec<MonthSales> = (0..COUNTBACK_MONTHS)
                .map(|back| {
                    let first = month - chrono::Months::new(back as u32);
                    let days = if back == 0 { end.day() } else { days_in_month(first) };
                    MonthSales { days, sales: sales.of(first, currency) }
                })
                .collect();
            rows.push(MonthFigures {
                month,
                end: *end,
                sales: sold,
                begin,
                end_total: close.total,
                end_current: close.current,
                dso: kpi::dso_countback(close.total, &history),
                cei: kpi::collection_effectiveness(begin, sold, close),
            });
        }
    }
    Ok(rows)
}

/// The day before the first month, then each month's last day, the last being `as_of`.
fn period_ends(as_of: NaiveDate, months: u32) -> Vec<NaiveDate> {
    let first = as_of.with_day(1).unwrap_or(as_of) - chrono::Months::new(months - 1);
    let mut ends = vec![first.pred_opt().unwrap_or(first)];
    ends.extend((1..=months).map(|m| {
        let next = first + chrono::Months::new(m);
        next.pred_opt().unwrap_or(next).min(as_of)
    }));
    ends
}

fn days_in_month(first: NaiveDate) -> u32 {
    overdue_core::date::end_of_month(first).day()
}

/// Credit sales (invoices less credit notes) per month and currency.
struct Sales(HashMap<(NaiveDate, Currency), i64>);

impl Sales {
    fn of(&self, month: NaiveDate, currency: Currency) -> Money {
        Money::new(self.0.get(&(month, currency)).copied().unwrap_or(0), currency)
    }

    fn currencies(&self, month: NaiveDate) -> impl Iterator<Item = &Currency> {
        self.0.keys().filter(move |(m, _)| *m == month).map(|(_, c)| c)
    }
}

fn sales_by_month(store: &mut dyn Store, organisation: &Organisation, as_of: NaiveDate) -> Result<Sales, AppError> {
    let filter =
        InvoiceFilter { open_only: false, customer: None, page: Page { limit: None, offset: 0 }, as_of: Some(as_of) };
    let mut sales = HashMap::new();
    for invoice in store.invoices(organisation.id, &filter)?.rows {
        let gross = invoice.gross.amount_minor().abs();
        let signed = if invoice.kind == InvoiceKind::CreditNote { -gross } else { gross };
        let month = invoice.issue_date.with_day(1).unwrap_or(invoice.issue_date);
        *sales.entry((month, invoice.gross.currency())).or_insert(0i64) += signed;
    }
    Ok(Sales(sales))
}

/// Everything owed less the credit customers hold, and the part not yet due, on `day`, per
/// currency.
fn receivables_on(
    store: &mut dyn Store,
    organisation: &Organisation,
    day: NaiveDate,
) -> Result<HashMap<Currency, Receivables>, AppError> {
    let mut totals: HashMap<Currency, Receivables> = HashMap::new();
    for row in aging(store, organisation, day)? {
        let currency = row.credit.currency();
        let zero = Money::zero(currency);
        let sum = totals.entry(currency).or_insert(Receivables { total: zero, current: zero });
        // what the customer owes less the credit they hold: a credit note is a sale taken back
        sum.total = Money::new(sum.total.amount_minor() + row.net().amount_minor(), currency);
        let current = row.amount(AgingBucket::Current).amount_minor();
        sum.current = Money::new(sum.current.amount_minor() + current, currency);
    }
    Ok(totals)
}

/// The customers owing the most past due on `as_of`, at most `per_currency` in each currency.
///
/// Errors: as [`aging`].
pub fn top_overdue(
    store: &mut dyn Store,
    organisation: &Organisation,
    as_of: NaiveDate,
    per_currency: usize,
) -> Result<Vec<AgingRow>, AppError> {
    let rows = aging(store, organisation, as_of)?;
    Ok(overdue_core::aging::top_overdue(&rows, per_currency).into_iter().cloned().collect())
}

/// Expected cash on `as_of`: each open invoice (each unpaid instalment) with the day it is
/// expected and why, and the sums for `weeks` weeks from the Monday of `as_of`'s week. Credit
/// notes are left out (what they take off is not cash coming in).
///
/// Errors: [`AppError::Invalid`] for `weeks` outside 1..=52; store errors.
pub fn forecast(
    store: &mut dyn Store,
    organisation: &Organisation,
    as_of: NaiveDate,
    weeks: u32,
) -> Result<(Vec<Prediction>, CashForecast), AppError> {
    crate::day("as_of", as_of)?;
    if !(1..=52).contains(&weeks) {
        return Err(AppError::Invalid { field: "weeks", reason: format!("{weeks} weeks: give 1 to 52").into() });
    }
    let book = store.policy_book(organisation.id)?;
    let mut by_customer: Vec<(String, Vec<OpenAmountToPredict>)> = Vec::new();
    for invoice in open_invoices(store, organisation, None, as_of)? {
        if invoice.kind == InvoiceKind::CreditNote || !invoice.open.is_positive() {
            continue;
        }
        let amounts = open_amounts(store, organisation, &invoice)?.into_iter().map(|a| OpenAmountToPredict {
            customer: a.customer,
            invoice: invoice.number.clone(),
            due_date: a.due_date,
            open: a.open,
            disputed: false,
        });
        match by_customer.iter_mut().find(|(code, _)| *code == invoice.customer_code) {
            Some((_, list)) => list.extend(amounts),
            None => by_customer.push((invoice.customer_code.clone(), amounts.collect())),
        }
    }
    let mut predictions = Vec::new();
    for (code, amounts) in by_customer {
        let state = store.customer_state(organisation.id, &code, as_of)?;
        predictions.extend(overdue_core::forecast::for_customer(as_of, &state, &book, amounts));
    }
    let weekly = overdue_core::forecast::by_week(&predictions, as_of, weeks);
    Ok((predictions, weekly))
}
