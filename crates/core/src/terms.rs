//! Payment terms: the credit terms printed on every invoice ("Net 30", "2/10 Net 30", "30 EOM",
//! "21 MFI", "PIA", "COD", "30/60/90"), parsed from the usual English, Spanish and Italian
//! notations, printed back in one canonical form, and turned into due dates and instalments.

use crate::date::{add_days, day_of_next_month, end_of_month};
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest term accepted, in days: anything longer is a typo, not a credit term.
pub const TERM_DAYS_MAX: u16 = 999;

/// How "N days end of month" is counted; both are in use, (a) is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EndOfMonthConvention {
    /// (a) invoice date + N days, then to the end of that month (26 May + 30 → 30 June).
    AddDaysThenMonthEnd,
    /// (b) end of the invoice month, then + N days (26 May → 31 May + 30 → 30 June).
    MonthEndThenAddDays,
}

/// The agreed credit terms of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PaymentTerms {
    /// Net N: due N days after the invoice date.
    Net { days: u16 },
    /// x/D Net N: x % off if paid within D days, otherwise the full amount N days after.
    EarlyPaymentDiscount { discount_basis_points: u16, discount_days: u16, net_days: u16 },
    /// Net EOM: the last day of the invoice month.
    EndOfMonth,
    /// N days end of month, counted by the given convention.
    DaysEndOfMonth { days: u16, convention: EndOfMonthConvention },
    /// A fixed day of the month after the invoice (21 MFI, 10 Prox).
    DayOfNextMonth { day: u8 },
    /// Payment in advance (CIA / CWO / PIA): due on the invoice date, before supply.
    Prepayment,
    /// Cash on delivery: due on the delivery date.
    CashOnDelivery,
    /// Equal instalments due the given numbers of days after the invoice date (30/60/90).
    Instalments { days: Vec<u16> },
    /// Equal instalments, each due at the end of the month reached by its number of days after
    /// the invoice date (Italy's "Ri.Ba. 30/60/90 gg d.f.f.m.", Spain's "30, 60 y 90 días fecha
    /// factura fin de mes"): add the days, then go to that month's end
    /// (`../shared/LATE-PAYMENT.md`, convention (a)).
    InstalmentsEndOfMonth { days: Vec<u16> },
}

/// How far from the early-payment price a payment may be and still take the discount: a customer
/// who rounds the discount down (4.25 % of 226.00 is 9.605: 9.60) pays a minor unit more than the
/// price rounded half-up, one who rounds it up a minor unit less.
pub const EARLY_PRICE_ROUNDING_MINOR: i64 = 1;

/// Why text is not a payment term we know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermsError {
    #[error("payment terms are missing: every invoice must state its credit terms (e.g. \"Net 30\")")]
    Missing,
    #[error(
        "payment terms {0:?} are not recognised: use e.g. \"Net 30\", \"2/10 Net 30\", \"EOM\", \
         \"30 EOM\", \"EOM+30\", \"21 MFI\", \"PIA\", \"COD\", \"30/60/90\", \"30 días fecha factura\", \
         \"Ri.Ba. 30/60 gg d.f.f.m.\" or \"10 Tage 2% Skonto, 30 Tage netto\""
    )]
    Unrecognised(String),
    #[error("payment terms {text:?}: {days} days is longer than the {max} days accepted")]
    TooLong { text: String, days: u32, max: u16 },
    #[error("payment terms {0:?}: instalments must be in increasing order of days")]
    InstalmentsOutOfOrder(String),
}

/// One due date of an invoice and the amount due on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    pub due_date: NaiveDate,
    pub amount: Money,
}

impl PaymentTerms {
    /// Parses the usual notations, case-insensitively.
    pub fn parse(text: &str) -> Result<Self, TermsError> {
        let normalised = normalise(text);
        if normalised.is_empty() {
            return Err(TermsError::Missing);
        }
        let terms = parse_normalised(&normalised)
            .or_else(|| parse_discount_sentence(text))
            .ok_or_else(|| TermsError::Unrecognised(text.to_owned()))?;
        terms.check_bounds(text)?;
        Ok(terms)
    }

    fn check_bounds(&self, text: &str) -> Result<(), TermsError> {
        let longest = match self {
            Self::Net { days } | Self::DaysEndOfMonth { days, .. } => u32::from(*days),
            Self::EarlyPaymentDiscount { discount_days, net_days, .. } => {
                if discount_days > net_days || *net_days == 0 {
                    return Err(TermsError::Unrecognised(text.to_owned()));
                }
                u32::from(*net_days)
            }
            Self::Instalments { days } | Self::InstalmentsEndOfMonth { days } => {
                if days.windows(2).any(|w| w[0] >= w[1]) {
                    return Err(TermsError::InstalmentsOutOfOrder(text.to_owned()));
                }
                days.last().map_or(0, |d| u32::from(*d))
            }
            _ => 0,
        };
        if longest > u32::from(TERM_DAYS_MAX) {
            return Err(TermsError::TooLong { text: text.to_owned(), days: longest, max: TERM_DAYS_MAX });
        }
        Ok(())
    }

    /// The due dates and amounts for an invoice of `total` issued on `issue_date` and delivered
    /// on `delivery_date` (if known). Instalments split the total equally; a minor unit left
    /// over goes to the first instalment.
    pub fn schedule(&self, issue_date: NaiveDate, delivery_date: Option<NaiveDate>, total: Money) -> Vec<Instalment> {
        let single = |due_date| vec![Instalment { due_date, amount: total }];
        match self {
            Self::Net { days } => single(add_days(issue_date, i64::from(*days))),
            Self::EarlyPaymentDiscount { net_days, .. } => single(add_days(issue_date, i64::from(*net_days))),
            Self::EndOfMonth => single(end_of_month(issue_date)),
            Self::DaysEndOfMonth { days, convention } => single(days_end_of_month(issue_date, *days, *convention)),
            Self::DayOfNextMonth { day } => single(day_of_next_month(issue_date, u32::from(*day))),
            Self::Prepayment => single(issue_date),
            Self::CashOnDelivery => single(delivery_date.unwrap_or(issue_date)),
            Self::Instalments { days } => split_instalments(issue_date, days, total, add_days),
            Self::InstalmentsEndOfMonth { days } => {
                split_instalments(issue_date, days, total, |date, days| end_of_month(add_days(date, days)))
            }
        }
    }

    /// Whether the invoice is paid in several instalments.
    pub fn is_instalments(&self) -> bool {
        matches!(self, Self::Instalments { .. } | Self::InstalmentsEndOfMonth { .. })
    }

    /// The discount deadline and rate of early-payment terms, if any.
    pub fn early_payment_discount(&self, issue_date: NaiveDate) -> Option<(NaiveDate, u16)> {
        match self {
            Self::EarlyPaymentDiscount { discount_basis_points, discount_days, .. } => {
                Some((add_days(issue_date, i64::from(*discount_days)), *discount_basis_points))
            }
            _ => None,
        }
    }

    /// What settles an invoice of `total` paid by the discount deadline: the total less the
    /// discount, rounded half-up to the minor unit (a customer who rounds the discount otherwise
    /// pays within [`EARLY_PRICE_ROUNDING_MINOR`] of it).
    pub fn early_payment_price(&self, issue_date: NaiveDate, total: Money) -> Option<(NaiveDate, Money)> {
        let (until, basis_points) = self.early_payment_discount(issue_date)?;
        let discount = (i128::from(total.amount_minor()) * i128::from(basis_points) + 5_000) / 10_000;
        let price = total.amount_minor() - i64::try_from(discount).ok()?;
        Some((until, Money::new(price, total.currency())))
    }
}

fn days_end_of_month(issue_date: NaiveDate, days: u16, convention: EndOfMonthConvention) -> NaiveDate {
    match convention {
        EndOfMonthConvention::AddDaysThenMonthEnd => end_of_month(add_days(issue_date, i64::from(days))),
        EndOfMonthConvention::MonthEndThenAddDays => add_days(end_of_month(issue_date), i64::from(days)),
    }
}

/// Equal shares of `total` (a minor unit left over to the first), due on `due(issue_date, days)`.
fn split_instalments(
    issue_date: NaiveDate,
    days: &[u16],
    total: Money,
    due: fn(NaiveDate, i64) -> NaiveDate,
) -> Vec<Instalment> {
    let count = days.len().max(1) as i64;
    let share = total.amount_minor() / count;
    let leftover = total.amount_minor() - share * count;
    days.iter()
        .enumerate()
        .map(|(index, day)| {
            let amount_minor = if index == 0 { share + leftover } else { share };
            Instalment {
                due_date: due(issue_date, i64::from(*day)),
                amount: Money::new(amount_minor, total.currency()),
            }
        })
        .collect()
}

/// Lower case, accents folded, punctuation that carries no meaning dropped, single spaces.
fn normalise(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'Á' | 'À' => 'a',
            'é' | 'è' | 'É' | 'È' => 'e',
            'í' | 'ì' | 'Í' | 'Ì' => 'i',
            'ó' | 'ò' | 'Ó' | 'Ò' => 'o',
            'ú' | 'ù' | 'Ú' | 'Ù' => 'u',
            _ => c.to_ascii_lowercase(),
        })
        .collect();
    folded.replace(['.', ','], " ").replace(" + ", "+").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn parse_normalised(text: &str) -> Option<PaymentTerms> {
    parse_notation(text).or_else(|| parse_notation(&from_sentence(text)))
}

/// One tier of a cash discount (*Skonto*) as XRechnung writes it in the payment terms (BT-20,
/// KoSIT "Spezifikation XRechnung", the `#SKONTO#` convention): `#SKONTO#TAGE=14#PROZENT=2.00#`,
/// optionally `BASISBETRAG=…#` for the amount the percentage applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkontoTier {
    pub days: u16,
    pub discount_basis_points: u16,
}

/// Every `#SKONTO#` tier in a payment-terms text, shortest period first; empty when it has none.
/// A tier with a missing or unreadable day count or percentage is left out.
pub fn skonto_tiers(text: &str) -> Vec<SkontoTier> {
    let mut tiers: Vec<SkontoTier> = text
        .split("#SKONTO#")
        .skip(1)
        .filter_map(|tier| {
            let field = |name: &str| {
                tier.split('#').find_map(|part| part.trim().strip_prefix(name)?.strip_prefix('=').map(str::trim))
            };
            let days = field("TAGE")?.parse().ok()?;
            let percent = normalise(field("PROZENT")?);
            let discount_basis_points = parse_percent_basis_points(&percent)?;
            Some(SkontoTier { days, discount_basis_points })
        })
        .collect();
    tiers.sort_by_key(|tier| tier.days);
    tiers
}

/// The short notation inside the usual sentences: "pago a 30 dias fecha factura",
/// "pagamento a 60 gg data fattura fine mese", "payment due 30 days after the invoice date".
fn from_sentence(text: &str) -> String {
    let text = [
        "payment due ",
        "pago a ",
        "pagamento a ",
        "pago ",
        "pagamento ",
        "payment within ",
        "payable within ",
        "due within ",
        "within ",
        "zahlungsziel ",
        "netto ",
        "zahlbar innerhalb von ",
        "zahlbar innerhalb ",
        "zahlbar in ",
        "zahlbar ",
        "paiement a ",
        "payable a ",
        "reglement a ",
    ]
    .iter()
    .find_map(|prefix| text.strip_prefix(prefix))
    .unwrap_or(text);
    if let Some(days) = text.strip_prefix("at the end of the month that is ") {
        return format!("{} eom", days.replace(" days after the invoice date", ""));
    }
    text.replace("days after the invoice date", "days")
        .replace("tagen ohne abzug", "days")
        .replace("tage ohne abzug", "days")
        .replace("tagen netto", "days")
        .replace("tage netto", "days")
        .replace("tagen", "days")
        .replace("tage", "days")
        .replace("tage rein netto", "days")
        .replace("days net", "days")
        .replace("jours fin de mois", "eom")
        .replace("jours date de facture", "days")
        .replace("jours nets", "days")
        .replace("jours net", "days")
        .replace("jours", "days")
        .replace("gg data fattura fine mese", "gg dffm")
        .replace("giorni data fattura fine mese", "gg dffm")
        .replace("gg data fattura", "gg df")
        .replace("giorni data fattura", "gg df")
        .replace("gg fine mese", "gg dffm")
        .replace("dias f f", "dias fecha factura")
}

fn parse_notation(text: &str) -> Option<PaymentTerms> {
    parse_keyword(text)
        .or_else(|| parse_keyword(strip_method(text)))
        .or_else(|| parse_discount(text))
        .or_else(|| parse_instalments_end_of_month(text))
        .or_else(|| parse_instalments(text))
        .or_else(|| parse_end_of_month(text))
        .or_else(|| parse_next_month(text))
        .or_else(|| parse_net(text))
}

fn parse_keyword(text: &str) -> Option<PaymentTerms> {
    Some(match text {
        "eom" | "net eom" | "n eom" | "fin de mes" | "fine mese" => PaymentTerms::EndOfMonth,
        "cia"
        | "cwo"
        | "pia"
        | "prepayment"
        | "payment in advance"
        | "cash in advance"
        | "pago anticipado"
        | "pagamento anticipato"
        | "anticipato"
        | "anticipado"
        | "vorkasse"
        | "vorauskasse"
        | "paiement anticipe"
        | "paiement d avance" => PaymentTerms::Prepayment,
        "cod" | "cash on delivery" | "contra reembolso" | "contrareembolso" | "contrassegno" => {
            PaymentTerms::CashOnDelivery
        }
        "due on receipt"
        | "immediate"
        | "contado"
        | "al contado"
        | "rimessa diretta"
        | "vista fattura"
        | "a la vista"
        | "a vista"
        | "vista"
        | "sofort"
        | "sofort ohne abzug"
        | "sofort netto"
        | "ohne abzug"
        | "a reception"
        | "reception"
        | "reception de facture"
        | "a reception de facture"
        | "des reception"
        | "comptant"
        | "au comptant"
        | "net" => PaymentTerms::Net { days: 0 },
        _ => return None,
    })
}

/// "2/10 net 30", "2.5/10 n30", "2/10 n 30".
fn parse_discount(text: &str) -> Option<PaymentTerms> {
    let (discount, rest) = text.split_once('/')?;
    let (discount_days, rest) = rest.split_once(' ')?;
    let net_days = net_days(rest.trim())?;
    Some(PaymentTerms::EarlyPaymentDiscount {
        discount_basis_points: parse_percent_basis_points(discount.trim())?,
        discount_days: discount_days.parse().ok()?,
        net_days,
    })
}

/// A percentage as written ("2", "2.5", "2,50", "3.000") in basis points; `None` unless it is
/// more than 0 and less than 100 with at most two decimals that matter.
pub fn percent_basis_points(text: &str) -> Option<u16> {
    let text = text.trim();
    let text = if text.contains(['.', ',']) { text.trim_end_matches('0').trim_end_matches(['.', ',']) } else { text };
    parse_percent_basis_points(&normalise(text))
}

/// "2" → 200, "2 5" (from "2.5" after normalising) → 250.
fn parse_percent_basis_points(text: &str) -> Option<u16> {
    let (whole, fraction) = text.split_once(' ').unwrap_or((text, ""));
    let whole: u16 = whole.parse().ok()?;
    let fraction: u16 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u16>().ok()? * 10,
        2 => fraction.parse().ok()?,
        _ => return None,
    };
    let basis_points = whole.checked_mul(100)?.checked_add(fraction)?;
    (basis_points > 0 && basis_points < 10_000).then_some(basis_points)
}

/// "30/60/90", "30-60-90", "ri ba 30/60/90", "riba 30-60-90 gg df", "30 60 y 90 dias fecha
/// factura" (the commas gone when normalised), "rd 30/60".
fn parse_instalments(text: &str) -> Option<PaymentTerms> {
    let text = strip_method(text);
    let text = strip_suffixes(text, &["gg d f", "gg df", "gg", "giorni", "dias fecha factura", "dias", "days", "d"]);
    instalment_days(text).map(|days| PaymentTerms::Instalments { days })
}

/// "ri ba 30/60/90 gg d f f m", "riba 60-90 dffm", "30 60 y 90 dias fecha factura fin de mes",
/// "30/60 eom".
fn parse_instalments_end_of_month(text: &str) -> Option<PaymentTerms> {
    let text = strip_method(text);
    let head = [
        "gg d f f m",
        "gg dffm",
        "ggdffm",
        "gg df fm",
        "df fm",
        "gg fm",
        "gg fine mese",
        "gg data fattura fine mese",
        "d f f m",
        "dffm",
        "fine mese",
        "dias fecha factura fin de mes",
        "dias fin de mes",
        "fecha factura fin de mes",
        "fin de mes",
        "days end of month",
        "end of month",
        "eom",
    ]
    .iter()
    .find_map(|suffix| text.strip_suffix(suffix))?;
    instalment_days(head.trim()).map(|days| PaymentTerms::InstalmentsEndOfMonth { days })
}

/// The payment method some write before the days: Ri.Ba. (bank receipt), RID/SDD (direct debit),
/// RD (rimessa diretta), bonifico, recibo, pagaré, transferencia, virement, Überweisung.
fn strip_method(text: &str) -> &str {
    [
        "ri ba ",
        "riba ",
        "rb ",
        "r b ",
        "rid/sdd ",
        "rid ",
        "sdd ",
        "sepa dd ",
        "rd ",
        "r d ",
        "rimessa diretta ",
        "bonifico bancario ",
        "bonifico ",
        "bb ",
        "b b ",
        "recibo domiciliado ",
        "domiciliacion bancaria ",
        "domiciliacion ",
        "recibo ",
        "giro ",
        "transferencia bancaria ",
        "transferencia ",
        "pagare ",
        "confirming ",
        "virement bancaire ",
        "virement ",
        "bank transfer ",
        "uberweisung ",
        "überweisung ",
    ]
    .iter()
    .find_map(|prefix| text.strip_prefix(prefix))
    .unwrap_or(text)
}

/// Two or more day counts separated by `/`, `-`, spaces or "y"/"e"/"and".
fn instalment_days(text: &str) -> Option<Vec<u16>> {
    let days: Vec<u16> = text
        .split(['/', '-', ' '])
        .filter(|part| !part.is_empty() && !matches!(*part, "y" | "e" | "and"))
        .map(|part| part.parse().ok())
        .collect::<Option<_>>()?;
    (days.len() >= 2).then_some(days)
}

/// "30 eom", "net 30 eom", "30 days end of month", "30 dias fecha factura fin de mes",
/// "30 gg d f f m", "30 gg dffm", "eom+30" (convention b).
fn parse_end_of_month(text: &str) -> Option<PaymentTerms> {
    let after_month_end = ["days from end of month", "days after end of month", "days after the end of the month"]
        .iter()
        .find_map(|suffix| text.strip_suffix(suffix));
    if let Some(days) = after_month_end {
        let days = net_days(days.trim())?;
        return Some(PaymentTerms::DaysEndOfMonth { days, convention: EndOfMonthConvention::MonthEndThenAddDays });
    }
    if let Some(days) = text.strip_prefix("eom+").or_else(|| text.strip_prefix("eom +")) {
        let days = days.trim().parse().ok()?;
        return Some(PaymentTerms::DaysEndOfMonth { days, convention: EndOfMonthConvention::MonthEndThenAddDays });
    }
    let head = [
        "eom",
        "end of month",
        "fecha factura fin de mes",
        "fin de mes",
        "gg d f f m",
        "d f f m",
        "dffm",
        "ffm",
        "gg f m",
        "f m",
        "fm",
    ]
    .iter()
    .find_map(|suffix| text.strip_suffix(suffix))?;
    let days = net_days(strip_method(head.trim()))?;
    Some(PaymentTerms::DaysEndOfMonth { days, convention: EndOfMonthConvention::AddDaysThenMonthEnd })
}

/// The percentage of a cash discount named in a text ("Zahlbar mit 2% Skonto bis", "sconto 2,5 %",
/// "3 % escompte"), in basis points, and the text with the percentage taken out; `None` when the
/// text names no discount or not exactly one percentage.
pub fn discount_percent_in(text: &str) -> Option<(u16, String)> {
    percent_with(text, &DISCOUNT_WORDS)
}

/// Words that name a cash discount.
const DISCOUNT_WORDS: [&str; 6] = ["skonto", "sconto", "descuento", "pronto pago", "escompte", "discount"];

/// The one percentage in a text holding one of `words`, and the text without it.
fn percent_with(text: &str, words: &[&str]) -> Option<(u16, String)> {
    let lower = text.to_lowercase();
    if !words.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let (before, after) = lower.split_once('%')?;
    if after.contains('%') {
        return None;
    }
    let before = before.trim_end();
    let words = before.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    let basis_points = parse_percent_basis_points(&normalise(&before[words.len()..]))?;
    Some((basis_points, format!("{words} {after}")))
}

/// A cash discount written out: "30 Tage netto, 10 Tage 2% Skonto", "2,5% sconto entro 10 giorni,
/// 60 giorni netto", "3 % Skonto innerhalb 14 Tagen, 30 Tage netto": one discount percentage and
/// two day counts, the shorter being the discount period and the longer the net period.
fn parse_discount_sentence(text: &str) -> Option<PaymentTerms> {
    // "2% 10 days, net 30" names no discount but has a net period beside the percentage
    let words: Vec<&str> = DISCOUNT_WORDS.iter().copied().chain(["net"]).collect();
    let (discount_basis_points, rest) = percent_with(text, &words)?;
    let rest = normalise(&rest);
    let tokens: Vec<&str> = rest.split(' ').collect();
    let day_words = ["tage", "tagen", "days", "day", "giorni", "gg", "dias", "jours", "dagen"];
    // each number once: followed by a word for days, or following "net"
    let days: Vec<u16> = tokens
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            tokens.get(i + 1).is_some_and(|next| day_words.contains(next))
                || i.checked_sub(1)
                    .and_then(|before| tokens.get(before))
                    .is_some_and(|before| matches!(*before, "net" | "netto" | "n"))
        })
        .filter_map(|(_, token)| token.parse().ok())
        .collect();
    let [a, b] = days[..] else { return None };
    let (discount_days, net_days) = (a.min(b), a.max(b));
    (discount_days < net_days).then_some(PaymentTerms::EarlyPaymentDiscount {
        discount_basis_points,
        discount_days,
        net_days,
    })
}

/// "21 mfi", "10 prox", "10th prox".
fn parse_next_month(text: &str) -> Option<PaymentTerms> {
    let head = text.strip_suffix(" mfi").or_else(|| text.strip_suffix(" prox"))?;
    let head = strip_suffixes(head, &["st", "nd", "rd", "th"]);
    let day: u8 = head.parse().ok()?;
    (1..=31).contains(&day).then_some(PaymentTerms::DayOfNextMonth { day })
}

fn parse_net(text: &str) -> Option<PaymentTerms> {
    net_days(strip_method(text)).map(|days| PaymentTerms::Net { days })
}

/// The day count of "net 30", "n30", "30", "30 days", "a 30 dias", "30 dias fecha factura",
/// "30 gg", "30 gg d f", "30 gg df".
fn net_days(text: &str) -> Option<u16> {
    let text = text.strip_prefix("net").or_else(|| text.strip_prefix("n")).unwrap_or(text).trim();
    let text = text.strip_prefix("a ").unwrap_or(text);
    let text = strip_suffixes(text, &["days", "day", "dias fecha factura", "dias", "gg d f", "gg df", "gg", "giorni"]);
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 4 {
        return None;
    }
    text.parse().ok()
}

fn strip_suffixes<'a>(text: &'a str, suffixes: &[&str]) -> &'a str {
    suffixes.iter().find_map(|s| text.strip_suffix(s)).map_or(text, str::trim)
}

impl fmt::Display for PaymentTerms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Net { days } => write!(f, "Net {days}"),
            Self::EarlyPaymentDiscount { discount_basis_points: bp, discount_days, net_days } => {
                let percent = if bp % 100 == 0 {
                    format!("{}", bp / 100)
                } else {
                    format!("{}.{}", bp / 100, format!("{:02}", bp % 100).trim_end_matches('0'))
                };
                write!(f, "{percent}/{discount_days} Net {net_days}")
            }
            Self::EndOfMonth => f.write_str("EOM"),
            Self::DaysEndOfMonth { days, convention: EndOfMonthConvention::AddDaysThenMonthEnd } => {
                write!(f, "{days} EOM")
            }
            Self::DaysEndOfMonth { days, convention: EndOfMonthConvention::MonthEndThenAddDays } => {
                write!(f, "EOM+{days}")
            }
            Self::DayOfNextMonth { day } => write!(f, "{day} MFI"),
            Self::Prepayment => f.write_str("PIA"),
            Self::CashOnDelivery => f.write_str("COD"),
            Self::Instalments { days } => {
                let parts: Vec<String> = days.iter().map(u16::to_string).collect();
                f.write_str(&parts.join("/"))
            }
            Self::InstalmentsEndOfMonth { days } => {
                let parts: Vec<String> = days.iter().map(u16::to_string).collect();
                write!(f, "{} EOM", parts.join("/"))
            }
        }
    }
}

impl TryFrom<String> for PaymentTerms {
    type Error = TermsError;
    fn try_from(text: String) -> Result<Self, TermsError> {
        Self::parse(&text)
    }
}

impl From<PaymentTerms> for String {
    fn from(terms: PaymentTerms) -> String {
        terms.to_string()
    }
}

#[cfg(test)]
mod tests;

/// The words an invoice or a reminder prints for its credit terms.
mod sentence;
pub use sentence::TermsLanguage;
