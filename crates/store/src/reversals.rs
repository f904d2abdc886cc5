//! Payments undone, written once for both backends: the bank took a customer's payment back (a
//! returned direct debit, a reversed credit) or a person undid a wrong match. The payment stays
//! on record with the day and why; its allocations go, so the invoices it paid are open again
//! (and no longer paid on a day), and any credit it left is gone. A returned payment is a broken
//! payment: a task goes on the work list for the customer.

use crate::error::StoreError;
use crate::model::TenantId;
use crate::rows::Sql;
use chrono::NaiveDate;
use overdue_core::bank::BankLine;
use overdue_core::matching::payer_name_key;
use overdue_core::refusal::Refusal;

/// A payment undone: its reference and the invoices (numbers) it had paid.
pub(crate) struct Undone {
    pub payment: String,
    pub invoices: Vec<String>,
}

/// Why a payment is undone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Undo {
    /// The bank took it back: a broken payment, the invoices remember the day.
    ReturnedByTheBank,
    /// A person corrected a wrong match: it never paid those invoices.
    Corrected,
}

/// Undoes payment `payment`: its allocations removed (each invoice's open amount restored and
/// its paid day cleared, and for a bank return the day it came back), its unused credit
/// cleared, and `reversed_on` / `reversal_note` set.
pub(crate) fn undo_payment(
    sql: &mut dyn Sql,
    tenant: TenantId,
    payment: i64,
    (on, why): (NaiveDate, Undo),
    note: &str,
) -> Result<Undone, StoreError> {
    let rows = sql.rows(
        "SELECT a.invoice_id, a.amount_minor + a.discount_minor, i.number
           FROM allocations a JOIN invoices i ON i.tenant_id = a.tenant_id AND i.id = a.invoice_id
          WHERE a.tenant_id = $1 AND a.payment_id = $2 ORDER BY i.due_date, i.id",
        &[tenant.into(), payment.into()],
    )?;
    let mut invoices = Vec::with_capacity(rows.len());
    for mut row in rows {
        let (invoice, settled, number) = (row.int(), row.int(), row.text());
        let returned_on = (why == Undo::ReturnedByTheBank).then_some(on);
        sql.execute(
            "UPDATE invoices SET open_minor = open_minor + $3, paid_on = NULL, returned_on = COALESCE($4, returned_on)
              WHERE tenant_id = $1 AND id = $2",
            &[tenant.into(), invoice.into(), settled.into(), returned_on.into()],
        )?;
        invoices.push(number);
    }
    sql.execute("DELETE FROM allocations WHERE tenant_id = $1 AND payment_id = $2", &[tenant.into(), payment.into()])?;
    let mut rows = sql.rows(
        "UPDATE payments SET unallocated_minor = 0, reversed_on = $3, reversal_note = $4
          WHERE tenant_id = $1 AND id = $2 RETURNING reference",
        &[tenant.into(), payment.into(), on.into(), note.into()],
    )?;
    let reference = rows.pop().map(|mut row| row.text()).ok_or_else(|| StoreError::corrupt("payment", payment))?;
    Ok(Undone { payment: reference, invoices })
}

/// A payment a person recorded by mistake, undone by its reference (see
/// [`crate::Store::reverse_payment`]).
pub(crate) fn reverse_by_hand(
    sql: &mut dyn Sql,
    tenant: TenantId,
    reference: &str,
    (on, note): (NaiveDate, &str),
) -> Result<Vec<String>, StoreError> {
    let mut rows = sql.rows(
        "SELECT p.id, p.reversed_on, p.payment_date, (SELECT b.id FROM bank_lines b WHERE b.tenant_id = p.tenant_id
                AND b.payment_id = p.id LIMIT 1)
           FROM payments p WHERE p.tenant_id = $1 AND p.reference = $2",
        &[tenant.into(), reference.into()],
    )?;
    let Some(mut row) = rows.pop() else {
        return Err(StoreError::NotFound { what: "payment", key: reference.to_owned() });
    };
    let (payment, reversed_on, paid_on, line) = (row.int(), row.opt_date()?, row.date()?, row.opt_int());
    if let Some(day) = reversed_on {
        return Err(StoreError::Refused(Refusal::PaymentAlreadyUndone { reference: reference.to_owned(), day }));
    }
    if let Some(line) = line {
        return Err(StoreError::Refused(Refusal::PaymentFromBankLine { reference: reference.to_owned(), line }));
    }
    let undone = undo_payment(sql, tenant, payment, (on.max(paid_on), Undo::Corrected), note)?;
    Ok(undone.invoices)
}

/// A credit line a reversal takes back: its id, the payment it became (if applied), whose it
/// is (if known) and its status.
pub(crate) struct OriginalCredit {
    pub id: i64,
    pub payment: Option<i64>,
    pub customer: Option<i64>,
    pub status: String,
}

/// The applied credit line `line` (a debit that returns or reverses a credit) takes back: same
/// account, currency and amount (or the amount less the charges the bank added), booked on or
/// before it, not reversed yet; the one with the same end-to-end id first, else from the same
/// payer account, else with the same creditor reference, else from the same payer name or with
/// the same remittance text; latest first.
pub(crate) fn original_credit(
    sql: &mut dyn Sql,
    tenant: TenantId,
    line: &BankLine,
) -> Result<Option<OriginalCredit>, StoreError> {
    let charges = line.reversal.as_ref().and_then(|r| r.charges).map_or(0, |c| c.amount_minor());
    let amount = line.amount.amount_minor();
    let rows = sql.rows(
        "SELECT id, payment_id, customer_id, status, end_to_end_id, counterparty_iban, creditor_reference,
                counterparty_name, remittance
           FROM bank_lines
          WHERE tenant_id = $1 AND account = $2 AND direction = 'credit' AND currency = $3
            AND amount_minor IN ($4, $5) AND booking_date <= $6 AND reversed_by IS NULL
            AND status IN ('applied', 'review', 'unmatched')
          ORDER BY booking_date DESC, id DESC LIMIT 200",
        &[
            tenant.into(),
            line.account.as_str().into(),
            line.amount.currency().code().into(),
            amount.into(),
            (amount - charges).into(),
            line.booking_date.into(),
        ],
    )?;
    let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
    let mut best: Option<(u8, OriginalCredit)> = None;
    for mut row in rows {
        let (id, payment, customer, status) = (row.int(), row.opt_int(), row.opt_int(), row.text());
        let (e2e, iban, reference) = (row.opt_text(), row.opt_text(), row.opt_text());
        let (name, remittance) = (row.opt_text(), row.opt_text());
        let same_payer = name.is_some()
            && name.as_deref().map(payer_name_key) == line.counterparty_name.as_deref().map(payer_name_key);
        let rank = if same(&e2e, &line.end_to_end_id) {
            4
        } else if same(&iban, &line.counterparty_iban) {
            3
        } else if same(&reference, &line.creditor_reference) {
            2
        } else if same_payer || same(&remittance, &line.remittance) {
            1
        } else {
            continue;
        };
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, OriginalCredit { id, payment, customer, status }));
        }
    }
    Ok(best.map(|(_, found)| found))
}
