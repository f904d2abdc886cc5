//! What a customer is asked to pay by transfer for one invoice: the open amount, the account and
//! the reference to quote, as the EPC QR code a banking app reads (`overdue_core::epc_qr`).

use crate::AppError;
use overdue_core::Money;
use overdue_core::currency::Currency;
use overdue_core::epc_qr::{self, CreditTransfer, EpcQrError, Remittance};
use overdue_core::letterhead::Letterhead;
use overdue_core::money::Amounts;
use overdue_core::structured_reference;
use overdue_store::{Organisation, Store};

/// A transfer asked for: the code's text and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferAsked {
    /// The EPC QR code's text (EPC069-12, `BCD` version 002).
    pub payload: String,
    /// The organisation's account, compact.
    pub iban: String,
    pub amount: Money,
    /// The reference the customer quotes.
    pub reference: String,
}

/// Why an invoice has no pay-by-transfer code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoCode {
    /// Nothing is open on it.
    NothingOpen,
    /// The letterhead gives no IBAN to pay into.
    NoIban,
    /// The code asks for euros only.
    NotEuro(Currency),
    /// The letterhead's details cannot be put in a code, and why.
    Refused(EpcQrError),
}

/// The transfer that pays what invoice `number` has open now into the letterhead's account.
///
/// Errors: [`AppError::NotFound`] for an invoice the books do not hold; store errors.
pub fn for_invoice(
    store: &mut dyn Store,
    organisation: &Organisation,
    number: &str,
) -> Result<Result<TransferAsked, NoCode>, AppError> {
    let detail = store
        .invoice(organisation.id, number)?
        .ok_or_else(|| AppError::NotFound { what: "invoice", key: number.to_owned() })?;
    let letterhead = store.letterhead(organisation.id)?;
    let options = &letterhead.payment;
    let Some(iban) = options.iban.clone() else { return Ok(Err(NoCode::NoIban)) };
    if !detail.open.is_positive() {
        return Ok(Err(NoCode::NothingOpen));
    }
    if detail.open.currency() != Currency::EUR {
        return Ok(Err(NoCode::NotEuro(detail.open.currency())));
    }
    let own = detail.invoice.payment_reference.as_deref();
    let reference = structured_reference::to_quote(own, options.reference_scheme, number);
    let transfer = CreditTransfer {
        beneficiary: organisation.name.clone(),
        iban,
        bic: options.bic.clone(),
        amount: Some(detail.open),
        remittance: Some(Remittance::quoting(&reference)),
    };
    Ok(match epc_qr::payload(&transfer) {
        Ok(payload) => Ok(TransferAsked {
            payload,
            iban: overdue_core::iban::compact(&transfer.iban),
            amount: detail.open,
            reference,
        }),
        Err(why) => Err(NoCode::Refused(why)),
    })
}

/// The EPC QR code's text for a letter asking for `total` (one amount in euros) for the
/// invoices it lists, each with its own reference when it has one: one invoice's reference to
/// quote, or the invoice numbers as remittance text when it lists several (what the bank line
/// then names). `None` when the letterhead gives no IBAN, the total is not one positive amount
/// in euros, or the code cannot carry it (the letter then says how to pay in words only).
pub fn for_letter(
    organisation: &Organisation,
    letterhead: &Letterhead,
    invoices: &[(&str, Option<&str>)],
    total: &Amounts,
) -> Option<String> {
    let options = &letterhead.payment;
    let amounts: Vec<Money> = total.non_zero().iter().collect();
    let [amount] = amounts.as_slice() else { return None };
    let remittance = match invoices {
        [] => return None,
        [(number, own)] => Remittance::quoting(&structured_reference::to_quote(*own, options.reference_scheme, number)),
        several => {
            // as many whole numbers as the field holds
            let mut text = String::new();
            for (number, _) in several {
                let next = if text.is_empty() { (*number).to_owned() } else { format!("{text} {number}") };
                if next.chars().count() > epc_qr::REMITTANCE_CHARS_MAX {
                    break;
                }
                text = next;
            }
            Remittance::Unstructured(text)
        }
    };
    let transfer = CreditTransfer {
        beneficiary: organisation.name.clone(),
        iban: options.iban.clone()?,
        bic: options.bic.clone(),
        amount: Some(*amount),
        remittance: Some(remittance),
    };
    epc_qr::payload(&transfer).ok()
}

/// The reference a customer quotes when paying invoice `number` by transfer, whatever its
/// currency ([`structured_reference::to_quote`]).
///
/// Errors: [`AppError::NotFound`] for an invoice the books do not hold; store errors.
pub fn reference(store: &mut dyn Store, organisation: &Organisation, number: &str) -> Result<String, AppError> {
    let detail = store
        .invoice(organisation.id, number)?
        .ok_or_else(|| AppError::NotFound { what: "invoice", key: number.to_owned() })?;
    let scheme = store.letterhead(organisation.id)?.payment.reference_scheme;
    Ok(structured_reference::to_quote(detail.invoice.payment_reference.as_deref(), scheme, number))
}
