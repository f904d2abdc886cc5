//! Credit terms in words, in English, Spanish, Italian, German or French — every language
//! overdue writes messages in — as invoices and reminders print them ("Payment due 30 days after
//! the invoice date", "Pago a 30 días fecha factura fin de mes", "Pagamento a 30 gg data fattura
//! fine mese", "Zahlbar innerhalb von 30 Tagen ab Rechnungsdatum", "Paiement à 30 jours date de
//! facture").

use super::{EndOfMonthConvention, PaymentTerms};
use crate::ids::Language;

/// The languages credit terms are written in; any other falls back to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermsLanguage {
    English,
    Spanish,
    Italian,
    German,
    French,
}

impl TermsLanguage {
    pub fn of(language: Language) -> Self {
        match language.as_str() {
            "es" => Self::Spanish,
            "it" => Self::Italian,
            "de" => Self::German,
            "fr" => Self::French,
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
            TermsLanguage::German => self.german(),
            TermsLanguage::French => self.french(),
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
    fn german(&self) -> String {
        use EndOfMonthConvention::*;
        match self {
            Self::Net { days: 0 } => "Zahlbar sofort nach Erhalt der Rechnung".into(),
            Self::Net { days } => format!("Zahlbar innerhalb von {days} Tagen ab Rechnungsdatum"),
            Self::EarlyPaymentDiscount { discount_basis_points, discount_days, net_days } => format!(
                "{} % Skonto bei Zahlung innerhalb von {discount_days} Tagen ab Rechnungsdatum, sonst {net_days} Tage \
                 netto",
                percent(*discount_basis_points).replace('.', ",")
            ),
            Self::EndOfMonth => "Zahlbar zum Ende des Rechnungsmonats".into(),
            Self::DaysEndOfMonth { days, convention: AddDaysThenMonthEnd } => {
                format!("Zahlbar zum Ende des Monats, der {days} Tage nach dem Rechnungsdatum liegt")
            }
            Self::DaysEndOfMonth { days, convention: MonthEndThenAddDays } => {
                format!("Zahlbar {days} Tage nach Ende des Rechnungsmonats")
            }
            Self::DayOfNextMonth { day } => format!("Zahlbar am {day}. des auf die Rechnung folgenden Monats"),
            Self::Prepayment => "Vorauskasse, vor der Lieferung".into(),
            Self::CashOnDelivery => "Zahlung bei Lieferung (Nachnahme)".into(),
            Self::Instalments { days } => format!(
                "Zahlbar in {} gleichen Raten, fällig {} Tage nach Rechnungsdatum",
                days.len(),
                list(days, "und")
            ),
            Self::InstalmentsEndOfMonth { days } => format!(
                "Zahlbar in {} gleichen Raten, jeweils zum Monatsende {} Tage nach Rechnungsdatum",
                days.len(),
                list(days, "und")
            ),
        }
    }

    fn french(&self) -> String {
        use EndOfMonthConvention::*;
        match self {
            Self::Net { days: 0 } => "Paiement à réception de la facture".into(),
            Self::Net { days } => format!("Paiement à {days} jours date de facture"),
            Self::EarlyPaymentDiscount { discount_basis_points, discount_days, net_days } => format!(
                "Escompte de {} % pour paiement sous {discount_days} jours date de facture ; sinon paiement de \
                 l'intégralité à {net_days} jours date de facture",
                percent(*discount_basis_points).replace('.', ",")
            ),
            Self::EndOfMonth => "Paiement en fin de mois de la date de facture".into(),
            Self::DaysEndOfMonth { days, convention: AddDaysThenMonthEnd } => {
                format!("Paiement à {days} jours fin de mois")
            }
            Self::DaysEndOfMonth { days, convention: MonthEndThenAddDays } => {
                format!("Paiement à fin de mois + {days} jours")
            }
            Self::DayOfNextMonth { day } => format!("Paiement le {day} du mois suivant la date de facture"),
            Self::Prepayment => "Paiement d'avance, avant la livraison".into(),
            Self::CashOnDelivery => "Paiement à la livraison".into(),
            Self::Instalments { days } => {
                format!("Paiement en {} échéances égales à {} jours date de facture", days.len(), list(days, "et"))
            }
            Self::InstalmentsEndOfMonth { days } => {
                format!("Paiement en {} échéances égales à {} jours fin de mois", days.len(), list(days, "et"))
            }
        }
    }
}
