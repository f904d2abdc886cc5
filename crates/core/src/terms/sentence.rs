//! Credit terms in words, in English, Spanish or Italian, as invoices and reminders print them
//! ("Payment due 30 days after the invoice date", "Pago a 30 días fecha factura fin de mes",
//! "Pagamento a 30 gg data fattura fine mese").

use super::{EndOfMonthConvention, PaymentTerms};
use crate::ids::Language;

/// The languages credit terms are written in; any other falls back to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermsLanguage {
    English,
    Spanish,
    Italian,
}

impl TermsLanguage {
    pub fn of(language: Language) -> Self {
        match language.as_str() {
            "es" => Self::Spanish,
            "it" => Self::Italian,
            _ => Self::English,
        }
    }
}

fn percent(basis_points: u16) -> String {
    let whole = basis_points / 100;
    match basis_points % 100 {
        0 => format!("{whole}"),
        fraction => format!("{whole}.{}", format!("{fraction:02}").trim_end_matches('0')),
    }
}

fn list(days: &[u16], and: &str) -> String {
    let parts: Vec<String> = days.iter().map(u16::to_string).collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
        _ => parts.join(""),
    }
}

impl PaymentTerms {
    /// The terms as a sentence in `language`.
    pub fn sentence(&self, language: Language) -> String {
        match TermsLanguage::of(language) {
            TermsLanguage::English => self.english(),
            TermsLanguage::Spanish => self.spanish(),
            TermsLanguage::Italian => self.italian(),
        }
    }

    fn english(&self) -> String {
        use EndOfMonthConvention::*;
        match self {
            Self::Net { days: 0 } => "Payment due on receipt of the invoice".into(),
            Self::Net { days } => format!("Payment due {days} days after the invoice date"),
            Self::EarlyPaymentDiscount { discount_basis_points, discount_days, net_days } => format!(
                "{} % discount if paid within {discount_days} days of the invoice date; otherwise the full amount is \
                 due {net_days} days after the invoice date",
                percent(*discount_basis_points)
            ),
            Self::EndOfMonth => "Payment due at the end of the month of the invoice".into(),
            Self::DaysEndOfMonth { days, convention: AddDaysThenMonthEnd } => {
                format!("Payment due at the end of the month that is {days} days after the invoice date")
            }
            Self::DaysEndOfMonth { days, convention: MonthEndThenAddDays } => {
                format!("Payment due {days} days after the end of the month of the invoice")
            }
            Self::DayOfNextMonth { day } => format!("Payment due on day {day} of the month after the invoice"),
            Self::Prepayment => "Payment in advance, before supply".into(),
            Self::CashOnDelivery => "Payment on delivery".into(),
            Self::Instalments { days } => format!(
                "Payment in {} equal instalments, due {} days after the invoice date",
                days.len(),
                list(days, "and")
            ),
            Self::InstalmentsEndOfMonth { days } => format!(
                "Payment in {} equal instalments, each due at the end of the month that is {} days after the \
                 invoice date",
                days.len(),
                list(days, "and")
            ),
        }
    }

    fn spanish(&self) -> String {
        use EndOfMonthConvention::*;
        match self {
            Self::Net { days: 0 } => "Pago al contado, a la recepción de la factura".into(),
            Self::Net { days } => format!("Pago a {days} días fecha factura"),
            Self::EarlyPaymentDiscount { discount_basis_points, discount_days, net_days } => format!(
                "Descuento del {} % por pronto pago dentro de {discount_days} días fecha factura; si no, pago del \
                 importe íntegro a {net_days} días fecha factura",
                percent(*discount_basis_points)
            ),
            Self::EndOfMonth => "Pago a fin de mes de la fecha de factura".into(),
            Self::DaysEndOfMonth { days, convention: AddDaysThenMonthEnd } => {
                format!("Pago a {days} días fecha factura fin de mes")
            }
            Self::DaysEndOfMonth { days, convention: MonthEndThenAddDays } => {
                format!("Pago a {days} días desde el fin del mes de la factura")
            }
            Self::DayOfNextMonth { day } => format!("Pago el día {day} del mes siguiente a la fecha de factura"),
            Self::Prepayment => "Pago anticipado, antes del suministro".into(),
            Self::CashOnDelivery => "Pago contra reembolso, a la entrega".into(),
            Self::Instalments { days } => {
                format!("Pago en {} plazos iguales a {} días fecha factura", days.len(), list(days, "y"))
            }
            Self::InstalmentsEndOfMonth { days } => {
                format!("Pago en {} plazos iguales a {} días fecha factura fin de mes", days.len(), list(days, "y"))
            }
        }
    }

    fn italian(&self) -> String {
        use EndOfMonthConvention::*;
        match self {
            Self::Net { days: 0 } => "Pagamento a vista fattura (rimessa diretta)".into(),
            Self::Net { days } => format!("Pagamento a {days} gg data fattura"),
            Self::EarlyPaymentDiscount { discount_basis_points, discount_days, net_days } => format!(
                "Sconto del {} % per pagamento entro {discount_days} gg data fattura; altrimenti pagamento \
                 dell'intero importo a {net_days} gg data fattura",
                percent(*discount_basis_points)
            ),
            Self::EndOfMonth => "Pagamento a fine mese data fattura".into(),
            Self::DaysEndOfMonth { days, convention: AddDaysThenMonthEnd } => {
                format!("Pagamento a {days} gg data fattura fine mese")
            }
            Self::DaysEndOfMonth { days, convention: MonthEndThenAddDays } => {
                format!("Pagamento a {days} gg dalla fine del mese della fattura")
            }
            Self::DayOfNextMonth { day } => format!("Pagamento il giorno {day} del mese successivo alla data fattura"),
            Self::Prepayment => "Pagamento anticipato, prima della fornitura".into(),
            Self::CashOnDelivery => "Pagamento in contrassegno, alla consegna".into(),
            Self::Instalments { days } => {
                format!("Pagamento in {} rate uguali a {} gg data fattura", days.len(), list(days, "e"))
            }
            Self::InstalmentsEndOfMonth { days } => {
                format!("Pagamento in {} rate uguali a {} gg data fattura fine mese", days.len(), list(days, "e"))
            }
        }
    }
}
