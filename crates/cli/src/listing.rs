//! `overdue customers`, `overdue invoices`, `overdue show …`: what is owed, by whom, since when.

use crate::args::{
    CreditArgs, CreditWhat, CustomerArgs, CustomerWhat, CustomersArgs, InvoicesArgs, ShowArgs, ShowWhat,
};
use crate::setup::open_books;
use crate::table;
use crate::work::day_or_today;
use anyhow::bail;
use overdue_core::money::Money;
use overdue_store::{InvoiceDetail, InvoiceFilter, Listing, Page};
use std::process::ExitCode;

fn page(limit: u32) -> Page {
    Page { limit: (limit > 0).then_some(limit), offset: 0 }
}

fn amounts(open: &[Money]) -> String {
    if open.is_empty() {
        return "-".to_owned();
    }
    open.iter().map(ToString::to_string).collect::<Vec<_>>().join(" + ")
}

fn showing(shown: usize, total: u64, what: &str) -> std::io::Result<()> {
    if (shown as u64) < total {
        outln!("(showing {shown} of {total} {what}; --limit 0 shows all)")?;
    } else {
        outln!("({total} {what})")?;
    }
    Ok(())
}

pub fn customers(database: &str, organisation: Option<i64>, args: &CustomersArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let listing = match &args.as_of {
        None => store.customers(organisation.id, page(args.limit))?,
        Some(_) => {
            let day = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
            let rows = store.customers_on(organisation.id, day, None, page(args.limit).limit)?;
            let total = store.customers(organisation.id, Page { limit: Some(1), offset: 0 })?.total;
            Listing { rows, total }
        }
    };
    let rows: Vec<Vec<String>> = listing
        .rows
        .iter()
        .map(|c| {
            vec![
                c.code.clone(),
                c.legal_name.clone(),
                c.country.to_string(),
                c.open_invoices.to_string(),
                amounts(&c.open),
                amounts(&c.credit),
            ]
        })
        .collect();
    table::print(&["CODE", "CUSTOMER", "COUNTRY", "OPEN INVOICES", "OWES", "CREDIT"], &rows, &[3, 4, 5])?;
    showing(rows.len(), listing.total, "customers")?;
    Ok(ExitCode::SUCCESS)
}

pub fn customer(database: &str, organisation: Option<i64>, args: &CustomerArgs) -> anyhow::Result<ExitCode> {
    let CustomerWhat::Set { code, settings, by } = &args.what;
    let settings = settings
        .iter()
        .map(|s| s.split_once('=').map(|(k, v)| (k.trim().to_owned(), v.to_owned())))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| anyhow::anyhow!("write each setting as field=value (field= clears it); nothing was changed"))?;
    let (mut store, organisation) = open_books(database, organisation)?;
    let by = crate::work::user(by.as_ref());
    let at = chrono::Utc::now().naive_utc();
    let changes = overdue_app::customers::set(store.as_mut(), organisation.id, code, &settings, (&by, at))?;
    if changes.is_empty() {
        outln!("{code}: nothing changed.")?;
    }
    for change in changes {
        let shown = |value: Option<String>| value.map_or("(empty)".to_owned(), |v| format!("{v:?}"));
        outln!("{code}: {} {} → {}", change.field, shown(change.before), shown(change.after))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn credit(database: &str, organisation: Option<i64>, args: &CreditArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let at = chrono::Utc::now().naive_utc();
    match &args.what {
        CreditWhat::Apply { credit, invoice, amount, by } => {
            let by = crate::work::user(by.as_ref());
            let moved = (credit.as_str(), invoice.as_str(), amount.as_deref());
            let applied = overdue_app::credits::apply(store.as_mut(), organisation.id, moved, (&by, at))?;
            outln!("{credit}: {applied} applied to {invoice} (on the customer's timeline).")?;
        }
        CreditWhat::Unapply { credit, invoice, by } => {
            let by = crate::work::user(by.as_ref());
            let taken = overdue_app::credits::unapply(store.as_mut(), organisation.id, (credit, invoice), (&by, at))?;
            outln!(
                "{credit}: {taken} taken back from {invoice}, which owes it again; the credit waits until you apply \
                 it (`overdue credit apply {credit} --invoice …`)."
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn invoices(database: &str, organisation: Option<i64>, args: &InvoicesArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let as_of = args.as_of.as_ref().map(|_| day_or_today(args.as_of.as_ref(), "--as-of", &organisation)).transpose()?;
    let filter = InvoiceFilter { open_only: args.open, customer: args.customer.clone(), page: page(args.limit), as_of };
    let listing = store.invoices(organisation.id, &filter)?;
    let rows: Vec<Vec<String>> = listing
        .rows
        .iter()
        .map(|i| {
            vec![
                i.number.clone(),
                i.customer_code.clone(),
                i.customer_name.clone(),
                i.issue_date.to_string(),
                i.terms.clone(),
                i.due_date.to_string(),
                // a credit note is a credit: its total shown as one
                if i.kind == overdue_core::invoice::InvoiceKind::CreditNote { i.gross.negate() } else { i.gross }
                    .to_string(),
                i.open.to_string(),
            ]
        })
        .collect();
    table::print(&["INVOICE", "CUSTOMER", "NAME", "ISSUED", "TERMS", "DUE", "TOTAL", "OPEN"], &rows, &[6, 7])?;
    showing(rows.len(), listing.total, if args.open { "open invoices" } else { "invoices" })?;
    Ok(ExitCode::SUCCESS)
}

pub fn show(database: &str, organisation: Option<i64>, args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let day = day_or_today(args.as_of.as_ref(), "--as-of", &organisation)?;
    match &args.what {
        ShowWhat::Invoice { number } => match store.invoice(organisation.id, number)? {
            Some(detail) if detail.invoice.issue_date > day => {
                bail!("invoice {number} was issued on {}: it did not exist on {day}", detail.invoice.issue_date)
            }
            Some(detail) => print_invoice(&as_of(detail, day))?,
            None => bail!("no invoice {number:?} in the books of {}", organisation.name),
        },
        ShowWhat::Customer { code } => match store.customer(organisation.id, code)? {
            Some(customer) => {
                print_customer(&customer)?;
                let on = if args.as_of.is_some() { format!(" on {day}") } else { String::new() };
                if let Some(balance) = store.customers_on(organisation.id, day, Some(code), None)?.first() {
                    let invoices = if balance.open_invoices == 1 { "invoice" } else { "invoices" };
                    outln!("Owes{on}: {} ({} open {invoices})", amounts(&balance.open), balance.open_invoices)?;
                    if !balance.credit.is_empty() {
                        outln!(
                            "Credit{on} (over-payments and credit notes not yet used): {}",
                            amounts(&balance.credit)
                        )?;
                    }
                }
            }
            None => bail!("no customer {code:?} in the books of {}", organisation.name),
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// The invoice as it stood on `day`: payments and credits dated after it left out.
fn as_of(mut detail: InvoiceDetail, day: chrono::NaiveDate) -> InvoiceDetail {
    let later: i64 = detail.payments.iter().filter(|p| p.date > day).map(|p| p.amount.amount_minor()).sum();
    detail.payments.retain(|p| p.date <= day);
    detail.open = Money::new(detail.open.amount_minor() + later, detail.open.currency());
    detail
}

fn print_invoice(detail: &InvoiceDetail) -> std::io::Result<()> {
    let invoice = &detail.invoice;
    let kind = match invoice.kind {
        overdue_core::invoice::InvoiceKind::Invoice => "Invoice",
        overdue_core::invoice::InvoiceKind::CreditNote => "Credit note",
    };
    outln!("{kind} {} to {} ({})", invoice.number, detail.customer_name, invoice.customer)?;
    outln!("Issued {}, status {}", invoice.issue_date, invoice.status.as_str())?;
    if let Some(sent_on) = invoice.sent_on {
        outln!("Sent {sent_on}")?;
    }
    match (invoice.supply_from, invoice.supply_to) {
        (Some(from), Some(to)) if from != to => outln!("Supplied {from} to {to}")?,
        (Some(day), _) | (None, Some(day)) => outln!("Supplied {day}")?,
        _ => {}
    }
    if let Some(place) = &invoice.delivery_place {
        outln!("Delivered to {place}")?;
    }
    outln!("Terms: {}", invoice.terms)?;
    let lines: Vec<Vec<String>> = invoice
        .lines
        .iter()
        .map(|l| {
            let net = Money::new(l.net_minor().unwrap_or(0), invoice.currency);
            let rate = format!("{}%", overdue_core::money::format_minor(i64::from(l.tax_rate_basis_points), 2));
            vec![
                l.description.clone(),
                l.quantity.to_string(),
                Money::new(l.unit_price_minor, invoice.currency).to_string(),
                rate,
                net.to_string(),
            ]
        })
        .collect();
    table::print(&["WHAT", "QTY", "UNIT PRICE", "TAX", "NET"], &lines, &[1, 2, 3, 4])?;
    let totals = &invoice.totals;
    match totals.adjustment() {
        None => outln!("Net {}  Tax {}  Total {}", totals.net, totals.tax, totals.gross)?,
        Some(less) => {
            let (word, amount) = if less.is_negative() { ("Plus", less.negate()) } else { ("Less", less) };
            outln!(
                "Net {}  Tax {}  {word} {amount} (prepaid, withheld, paid by the buyer to the state, or rounding, \
                 as the document states)  Total payable {}",
                totals.net,
                totals.tax,
                totals.gross
            )?;
        }
    }
    if invoice.kind == overdue_core::invoice::InvoiceKind::Invoice {
        for instalment in &invoice.instalments {
            outln!("Due {}: {}", instalment.due_date, instalment.amount)?;
        }
    }
    for payment in &detail.payments {
        match payment.reference.strip_prefix(overdue_store::CREDIT_NOTE_REFERENCE) {
            Some(note) => outln!("Credit note {note} applied {}: {}", payment.date, payment.amount)?,
            None => outln!(
                "Paid {} by {} ({}): {}",
                payment.date,
                payment.method.as_str().replace('_', " "),
                payment.reference,
                payment.amount
            )?,
        }
        if payment.written_off.is_positive() {
            outln!(
                "  Written off with it: {} (an early-payment discount taken in time, or bank charges the payer's bank kept)",
                payment.written_off
            )?;
        }
    }
    match invoice.kind {
        overdue_core::invoice::InvoiceKind::Invoice => outln!("Still owed: {}", detail.open)?,
        // a credit note's value is used against what the customer owes (see their invoices)
        overdue_core::invoice::InvoiceKind::CreditNote => {
            outln!("A credit of {} in the customer's favour, used against what they owe.", invoice.totals.gross)?
        }
    }
    Ok(())
}

fn print_customer(customer: &overdue_core::customer::Customer) -> std::io::Result<()> {
    outln!("{} ({})", customer.legal_name, customer.code)?;
    if let Some(tax_id) = &customer.tax_id {
        outln!("Tax id {tax_id}")?;
    }
    outln!("Country {}, writes in {}, currency {}", customer.country, customer.language, customer.currency)?;
    if let Some(address) = &customer.address {
        outln!("Address: {address}")?;
    }
    if let Some(terms) = &customer.agreement.payment_terms {
        outln!("Agreed terms: {terms}")?;
    }
    let agreement = &customer.agreement;
    for (label, value) in [
        ("Dispute procedure", agreement.dispute_procedure.clone()),
        ("Late-interest clause", agreement.late_interest_clause.clone()),
        ("Deliverables", agreement.deliverables.clone()),
        ("Contract concluded", agreement.contract_date.map(|d| d.to_string())),
        ("Agri-food supplies", agreement.agri_food.then(|| "yes".to_owned())),
    ] {
        if let Some(value) = value {
            outln!("{label}: {value}")?;
        }
    }
    if let Some(limit) = customer.credit.credit_limit {
        outln!("Credit limit: {limit}")?;
    }
    for report in &customer.credit.reports {
        let advised = report.advised_limit.map_or(String::new(), |limit| format!(", advises a limit of {limit}"));
        outln!("Credit report {} from {}: {}{advised}", report.date, report.source, report.rating)?;
    }
    for contact in &customer.contacts {
        let email = contact.email.as_ref().map_or(String::new(), |e| format!(" <{e}>"));
        let phone = contact.phone.as_ref().map_or(String::new(), |p| format!(" {p}"));
        outln!("{}: {}{email}{phone}", contact.role.as_str().replace('_', " "), contact.name)?;
    }
    Ok(())
}
