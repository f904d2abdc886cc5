//! The text of the European Payments Council's QR code for a SEPA credit transfer ("EPC QR",
//! "GiroCode"): what a customer's banking app reads to fill a transfer in. Source: EPC069-12
//! "Quick Response Code: Guidelines to Enable Data Capture for the Initiation of a SEPA Credit
//! Transfer", version 3.0, §3.2–3.4, service tag `BCD`, version `002`, character set `1` (UTF-8).
//!
//! Only the text is made here (pure); drawing the code is an edge's work, at error-correction
//! level M as §3.1 asks.

use crate::Money;
use crate::currency::Currency;

/// The most bytes the text may hold (§3.4: 331).
pub const PAYLOAD_BYTES_MAX: usize = 331;
/// The most characters of the beneficiary's name (§3.4, field 6).
pub const NAME_CHARS_MAX: usize = 70;
/// The most characters of a structured creditor reference (field 10).
pub const REFERENCE_CHARS_MAX: usize = 35;
/// The most characters of an unstructured remittance text (field 11).
pub const REMITTANCE_CHARS_MAX: usize = 140;
/// The largest amount a transfer in the code may ask (field 8: EUR 999,999,999.99).
pub const AMOUNT_MINOR_MAX: i64 = 99_999_999_999;

/// What the customer is asked to quote: a structured creditor reference (ISO 11649, `RF…`) or,
/// for any other reference, remittance text (the two are exclusive, §3.4 fields 10 and 11).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remittance {
    Structured(String),
    Unstructured(String),
}

impl Remittance {
    /// The reference a customer is asked to quote, in the field the code has for it: an ISO 11649
    /// creditor reference as structured, any other (a national scheme's, an invoice number) as
    /// text.
    pub fn quoting(reference: &str) -> Remittance {
        if crate::creditor_reference::parse(reference).is_some() {
            Remittance::Structured(reference.to_owned())
        } else {
            Remittance::Unstructured(reference.to_owned())
        }
    }
}

/// A transfer to ask for: to whom, which account, how much (none: the payer types it), and the
/// reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditTransfer {
    pub beneficiary: String,
    /// The account, any spacing or case: written compact in the code.
    pub iban: String,
    /// Optional within the EEA since version 002.
    pub bic: Option<String>,
    pub amount: Option<Money>,
    pub remittance: Option<Remittance>,
}

/// Why a transfer cannot be put in an EPC QR code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpcQrError {
    #[error("an EPC QR code asks for euros only, not {0}")]
    NotEuro(Currency),
    #[error("an EPC QR code asks for EUR 0.01 to EUR 999,999,999.99, not {0}")]
    AmountOutOfRange(Money),
    #[error("the beneficiary's name is empty or longer than {NAME_CHARS_MAX} characters: {0:?}")]
    Beneficiary(String),
    #[error("the account is not an IBAN: {0}")]
    Iban(#[from] crate::iban::IbanError),
    #[error("{0:?} is not a BIC (8 or 11 letters and digits, the country in letters 5 and 6)")]
    Bic(String),
    #[error(
        "the reference {0:?} is too long for the code ({REFERENCE_CHARS_MAX} characters structured, {REMITTANCE_CHARS_MAX} as text)"
    )]
    Remittance(String),
    #[error("a structured reference in an EPC QR code is an ISO 11649 creditor reference (RF…): {0:?} is not one")]
    NotCreditorReference(String),
    #[error("the text holds a line break or control character, which would shift the code's fields")]
    ControlCharacter,
    #[error("the code's text is {0} bytes: at most {PAYLOAD_BYTES_MAX} fit")]
    TooLong(usize),
}

/// The code's text: twelve fields a line each (LF), the last filled one not followed by a break
/// (§3.2). Fields: `BCD`, `002`, `1`, `SCT`, BIC, name, IBAN, `EUR` and the amount (`EUR1520.4`
/// style with at most two decimals, §3.4 field 8), purpose (empty), structured reference,
/// remittance text.
///
/// Errors: [`EpcQrError`] for a currency other than the euro, an amount outside the range, a
/// name, IBAN, BIC or reference the code cannot carry, or text over 331 bytes.
pub fn payload(transfer: &CreditTransfer) -> Result<String, EpcQrError> {
    let name = transfer.beneficiary.trim();
    if name.is_empty() || name.chars().count() > NAME_CHARS_MAX {
        return Err(EpcQrError::Beneficiary(name.to_owned()));
    }
    let iban = crate::iban::check(&transfer.iban)?;
    let bic = match &transfer.bic {
        Some(bic) => bic_checked(bic)?,
        None => String::new(),
    };
    let amount = match transfer.amount {
        Some(money) => amount_field(money)?,
        None => String::new(),
    };
    let (structured, text) = match &transfer.remittance {
        Some(Remittance::Structured(reference)) => (structured_checked(reference)?, String::new()),
        Some(Remittance::Unstructured(text)) if text.trim().chars().count() <= REMITTANCE_CHARS_MAX => {
            (String::new(), text.trim().to_owned())
        }
        Some(Remittance::Unstructured(text)) => return Err(EpcQrError::Remittance(text.clone())),
        None => (String::new(), String::new()),
    };
    let fields = ["BCD", "002", "1", "SCT", &bic, name, &iban, &amount, "", &structured, &text];
    if fields.iter().any(|f| f.chars().any(char::is_control)) {
        return Err(EpcQrError::ControlCharacter);
    }
    let filled = fields.iter().rposition(|f| !f.is_empty()).unwrap_or(0);
    let text = fields[..=filled].join("\n");
    if text.len() > PAYLOAD_BYTES_MAX {
        return Err(EpcQrError::TooLong(text.len()));
    }
    Ok(text)
}

/// `EUR` and the amount with a dot and no trailing zeros after it (`EUR1520.4`, `EUR12`).
fn amount_field(money: Money) -> Result<String, EpcQrError> {
    if money.currency() != Currency::EUR {
        return Err(EpcQrError::NotEuro(money.currency()));
    }
    if !(1..=AMOUNT_MINOR_MAX).contains(&money.amount_minor()) {
        return Err(EpcQrError::AmountOutOfRange(money));
    }
    let decimal = money.to_decimal_string();
    let trimmed = decimal.trim_end_matches('0').trim_end_matches('.');
    Ok(format!("EUR{trimmed}"))
}

fn bic_checked(bic: &str) -> Result<String, EpcQrError> {
    let compact: String = bic.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
    let shaped = matches!(compact.len(), 8 | 11)
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && compact[..6].chars().all(|c| c.is_ascii_alphabetic());
    if shaped { Ok(compact) } else { Err(EpcQrError::Bic(bic.to_owned())) }
}

fn structured_checked(reference: &str) -> Result<String, EpcQrError> {
    let compact: String = reference.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if compact.len() > REFERENCE_CHARS_MAX {
        return Err(EpcQrError::Remittance(reference.to_owned()));
    }
    if crate::creditor_reference::parse(&compact).is_none() {
        return Err(EpcQrError::NotCreditorReference(reference.to_owned()));
    }
    Ok(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer() -> CreditTransfer {
        CreditTransfer {
            beneficiary: "Ferretería Sol S.L.".into(),
            iban: "ES91 2100 0418 4502 0005 1332".into(),
            bic: Some("caixesbbxxx".into()),
            amount: Some(Money::new(152_040, Currency::EUR)),
            remittance: crate::creditor_reference::for_invoice("F2026-0003").map(Remittance::Structured),
        }
    }

    #[test]
    fn the_text_has_the_twelve_fields_in_order_and_stops_at_the_last_filled_one() {
        let text = payload(&transfer()).unwrap();
        let reference = crate::creditor_reference::for_invoice("F2026-0003").unwrap();
        assert_eq!(
            text,
            format!(
                "BCD\n002\n1\nSCT\nCAIXESBBXXX\nFerretería Sol S.L.\nES9121000418450200051332\nEUR1520.4\n\n{reference}"
            )
        );
        let no_amount = CreditTransfer { amount: None, remittance: None, bic: None, ..transfer() };
        assert_eq!(payload(&no_amount).unwrap(), "BCD\n002\n1\nSCT\n\nFerretería Sol S.L.\nES9121000418450200051332");
    }

    #[test]
    fn amounts_are_written_with_a_dot_and_no_trailing_zeros() {
        let with = |minor| payload(&CreditTransfer { amount: Some(Money::new(minor, Currency::EUR)), ..transfer() });
        assert!(with(1200).unwrap().contains("\nEUR12\n"));
        assert!(with(1).unwrap().contains("\nEUR0.01\n"));
        assert!(with(123_405).unwrap().contains("\nEUR1234.05\n"));
        assert_eq!(with(0), Err(EpcQrError::AmountOutOfRange(Money::new(0, Currency::EUR))));
        assert!(matches!(with(-5), Err(EpcQrError::AmountOutOfRange(_))));
        assert!(matches!(with(AMOUNT_MINOR_MAX + 1), Err(EpcQrError::AmountOutOfRange(_))));
        let pounds = Currency::from_code("GBP").unwrap();
        let gbp = CreditTransfer { amount: Some(Money::new(100, pounds)), ..transfer() };
        assert_eq!(payload(&gbp), Err(EpcQrError::NotEuro(pounds)));
    }

    #[test]
    fn what_the_code_cannot_carry_is_refused_with_why() {
        let bad_iban = CreditTransfer { iban: "ES00 2100 0418 4502 0005 1332".into(), ..transfer() };
        assert!(matches!(payload(&bad_iban), Err(EpcQrError::Iban(_))));
        let bad_bic = CreditTransfer { bic: Some("CAIX1".into()), ..transfer() };
        assert!(matches!(payload(&bad_bic), Err(EpcQrError::Bic(_))));
        let long_name = CreditTransfer { beneficiary: "x".repeat(71), ..transfer() };
        assert!(matches!(payload(&long_name), Err(EpcQrError::Beneficiary(_))));
        let not_rf = CreditTransfer { remittance: Some(Remittance::Structured("F2026-0003".into())), ..transfer() };
        assert!(matches!(payload(&not_rf), Err(EpcQrError::NotCreditorReference(_))));
        let broken = CreditTransfer { remittance: Some(Remittance::Unstructured("a\nb".into())), ..transfer() };
        assert_eq!(payload(&broken), Err(EpcQrError::ControlCharacter));
        let text =
            CreditTransfer { remittance: Some(Remittance::Unstructured("Factura F2026-0003".into())), ..transfer() };
        assert!(payload(&text).unwrap().ends_with("\nEUR1520.4\n\n\nFactura F2026-0003"));
    }
}
