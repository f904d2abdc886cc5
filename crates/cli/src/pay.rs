//! `overdue pay INVOICE AMOUNT --date D`: record money received against an invoice.

use crate::args::PayArgs;
use crate::setup::open_books;
use anyhow::{Context, bail};
use overdue_core::date::parse_iso;
use overdue_core::ids::{InvoiceNumber, PaymentReference};
use overdue_core::import::Located;
use overdue_core::money::Money;
use overdue_core::payment::{Payment, PaymentMethod};
use overdue_store::ImportOptions;
use std::process::ExitCode;

pub fn run(database: &str, organisation: Option<i64>, args: &PayArgs) -> anyhow::Result<ExitCode> {
    let (mut store, organisation) = open_books(database, organisation)?;
    let Some(detail) = store.invoice(organisation.id, &args.invoice)? else {
        bail!("no invoice {:?} in the books of {}", args.invoice, organisation.name);
    };
    let invoice = &detail.invoice;
    let amount = Money::parse(&args.amount, invoice.currency).with_context(|| format!("amount {:?}", args.amount))?;
    if !amount.is_positive() {
        bail!("the amount must be positive: {amount}");
    }
    let date = parse_iso(&args.date).context("--date")?;
    let method = PaymentMethod::parse(&args.method).with_context(|| {
        format!("--method {:?}: use transfer, card, cheque, cash, direct_debit or other", args.method)
    })?;
    let reference = match &args.reference {
        Some(reference) => reference.clone(),
        None => format!("{}/{date}/{}", invoice.number, amount.to_decimal_string()),
    };
    let payment = Payment {
        reference: PaymentReference::parse(&reference)?,
        customer: invoice.customer.clone(),
        date,
        amount,
        method,
        invoice: Some(InvoiceNumber::parse(&args.invoice)?),
    };
    let mut rows = std::iter::once(Ok(Located { line: 1, value: payment }));
    let report = store.import_payments(organisation.id, &mut rows, ImportOptions { all_or_nothing: true })?;
    if let Some(rejection) = report.rejected.first() {
        bail!("payment not recorded: {}", rejection.reason);
    }
    if report.created == 0 {
        outln!(
            "This payment ({reference}) was already recorded: nothing changed. Give --reference to record another."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let after = store.invoice(organisation.id, &args.invoice)?.context("invoice vanished")?;
    let applied = detail.open.amount_minor() - after.open.amount_minor();
    let credit = amount.amount_minor() - applied;
    outln!(
        "Recorded {amount} from {} on {date} against {}. Still owed: {}.",
        detail.customer_name,
        invoice.number,
        after.open
    )?;
    if credit > 0 {
        let excess = Money::new(credit, amount.currency());
        let held = store.customer_credit(organisation.id, invoice.customer.as_str())?;
        let left = held.iter().find(|m| m.currency() == amount.currency()).copied();
        match left {
            Some(left) if left.amount_minor() >= credit => {
                outln!("{excess} more than was owed is kept as the customer's credit.")?
            }
            Some(left) => outln!(
                "{excess} more than was owed went to the customer's other open invoices in {} (oldest first); \
                 {left} of it is kept as credit.",
                amount.currency()
            )?,
            None => outln!(
                "{excess} more than was owed went to the customer's other open invoices in {} (oldest first).",
                amount.currency()
            )?,
        }
    }
    Ok(ExitCode::SUCCESS)
}
