//! Exact money: integer minor units that always carry their currency. Different currencies never
//! add up silently, and decimal text is parsed without ever going through a float.

use crate::currency::Currency;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest amount, in minor units, that one figure entering the books may have (an
/// invoice, a payment, a line, a bank movement: EUR 100,000,000,000.00, JPY 10,000,000,000,000).
/// Far beyond any real invoice, and small enough that the sums of a whole ledger (millions of
/// such amounts) stay exact in 64 bits.
pub const AMOUNT_MINOR_MAX: i64 = 10_000_000_000_000;

/// An amount of money in the minor unit of its currency (cents for EUR, yen for JPY).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    amount_minor: i64,
    currency: Currency,
}

/// Why an amount could not be built or combined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {left} with {right}: amounts in different currencies never add up")]
    CurrencyMismatch { left: Currency, right: Currency },
    #[error("amount {text:?} is not a number like 1234.56")]
    NotANumber { text: String },
    #[error("amount {text:?} has more decimals than {currency} allows ({exponent})")]
    TooManyDecimals { text: String, currency: Currency, exponent: u8 },
    #[error(
        "amount {text:?} is too large: one amount may be at most {} in minor units (100 billion euros)",
        AMOUNT_MINOR_MAX
    )]
    TooLarge { text: String },
    #[error("amount overflow")]
    Overflow,
}

impl Money {
    pub const fn new(amount_minor: i64, currency: Currency) -> Self {
        Self { amount_minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    pub const fn amount_minor(self) -> i64 {
        self.amount_minor
    }

    pub const fn currency(self) -> Currency {
        self.currency
    }

    pub const fn is_zero(self) -> bool {
        self.amount_minor == 0
    }

    pub const fn is_positive(self) -> bool {
        self.amount_minor > 0
    }

    pub const fn is_negative(self) -> bool {
        self.amount_minor < 0
    }

    /// Parses decimal text such as `1234.56`, `-0.5` or `1,234.56` (thousands separators are
    /// accepted only as commas before a dot) in the given currency. More decimals than the
    /// currency has is an error, never a rounding.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        parse_minor(text, currency.exponent())
            .and_then(|minor| if minor.abs() > AMOUNT_MINOR_MAX { Err(ParseFailure::TooLarge) } else { Ok(minor) })
            .map(|amount_minor| Self::new(amount_minor, currency))
            .map_err(|kind| kind.into_error(text, currency))
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let sum = self.amount_minor.checked_add(other.amount_minor).ok_or(MoneyError::Overflow)?;
        Ok(Self::new(sum, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.checked_add(other.negate())
    }

    pub const fn negate(self) -> Money {
        Self::new(-self.amount_minor, self.currency)
    }

    pub fn min(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(if other.amount_minor < self.amount_minor { other } else { self })
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch { left: self.currency, right: other.currency })
        }
    }

    /// The amount as plain decimal text without currency, e.g. `-1234.50`.
    pub fn to_decimal_string(self) -> String {
        format_minor(self.amount_minor, self.currency.exponent())
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.to_decimal_string())
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

/// Amounts kept one per currency, in the order each currency first appeared: what a customer
/// owes, or what a message claims, when it spans several currencies. Amounts of different
/// currencies are never added together; an amount in a currency already held is added to it
/// (saturating at the limits of `i64` minor units, which input checks keep far away).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amounts(Vec<Money>);

impl Amounts {
    /// Adds `amount` to the sum of its currency.
    pub fn add(&mut self, amount: Money) {
        match self.0.iter_mut().find(|m| m.currency == amount.currency) {
            Some(sum) => sum.amount_minor = sum.amount_minor.saturating_add(amount.amount_minor),
            None => self.0.push(amount),
        }
    }

    /// Adds every amount of `other`, currency by currency.
    pub fn add_all(&mut self, other: &Amounts) {
        other.0.iter().for_each(|m| self.add(*m));
    }

    /// The sum in `currency` (zero when none was added).
    pub fn of(&self, currency: Currency) -> Money {
        self.0.iter().copied().find(|m| m.currency == currency).unwrap_or(Money::zero(currency))
    }

    /// One amount per currency.
    pub fn iter(&self) -> impl Iterator<Item = Money> + '_ {
        self.0.iter().copied()
    }

    /// The amounts that are not zero.
    pub fn non_zero(&self) -> Amounts {
        Amounts(self.0.iter().copied().filter(|m| !m.is_zero()).collect())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Money> for Amounts {
    fn from_iter<I: IntoIterator<Item = Money>>(amounts: I) -> Self {
        let mut sums = Amounts::default();
        amounts.into_iter().for_each(|m| sums.add(m));
        sums
    }
}

/// Sums amounts that must all be in `currency`.
pub fn sum(currency: Currency, amounts: impl IntoIterator<Item = Money>) -> Result<Money, MoneyError> {
    amounts.into_iter().try_fold(Money::zero(currency), Money::checked_add)
}

/// Parses decimal text into an integer scaled by 10^`exponent` (`"21.5"`, 2 → 2150): for rates
/// and percentages that are exact decimals but not money. `None` if it is not such a number.
pub fn parse_scaled(text: &str, exponent: u8) -> Option<i64> {
    parse_minor(text, exponent).ok()
}

/// Formats minor units as decimal text with `exponent` decimals.
pub fn format_minor(amount_minor: i64, exponent: u8) -> String {
    let sign = if amount_minor < 0 { "-" } else { "" };
    let abs = amount_minor.unsigned_abs();
    if exponent == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(u32::from(exponent));
    let width = usize::from(exponent);
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale)
}

enum ParseFailure {
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

impl ParseFailure {
    fn into_error(self, text: &str, currency: Currency) -> MoneyError {
        let text = text.to_owned();
        match self {
            Self::NotANumber => MoneyError::NotANumber { text },
            Self::TooManyDecimals => MoneyError::TooManyDecimals { text, currency, exponent: currency.exponent() },
            Self::TooLarge => MoneyError::TooLarge { text },
        }
    }
}

/// Parses decimal text into an integer scaled by 10^`exponent`; the one place where text
/// becomes minor units. Trailing zeros beyond the exponent are accepted (`10.500` EUR).
fn parse_minor(text: &str, exponent: u8) -> Result<i64, ParseFailure> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty() {
        return Err(ParseFailure::NotANumber);
    }
    let whole_value = parse_whole(whole)?;
    let fraction_value = parse_fraction(fraction, exponent)?;
    let scale = 10i64.pow(u32::from(exponent));
    let magnitude =
        whole_value.checked_mul(scale).and_then(|v| v.checked_add(fraction_value)).ok_or(ParseFailure::TooLarge)?;
    Ok(if negative { -magnitude } else { magnitude })
}

fn parse_whole(whole: &str) -> Result<i64, ParseFailure> {
    let grouped = whole.contains(',');
    if grouped && !valid_grouping(whole) {
        return Err(ParseFailure::NotANumber);
    }
    let mut value: i64 = 0;
    for byte in whole.bytes().filter(|b| *b != b',') {
        if !byte.is_ascii_digit() {
            return Err(ParseFailure::NotANumber);
        }
        value =
            value.checked_mul(10).and_then(|v| v.checked_add(i64::from(byte - b'0'))).ok_or(ParseFailure::TooLarge)?;
    }
    Ok(value)
}

/// `1,234,567` is fine; `12,34` is not (it is a decimal comma, which we refuse to guess).
fn valid_grouping(whole: &str) -> bool {
    let mut groups = whole.split(',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    first_ok && groups.all(|g| g.len() == 3)
}

fn parse_fraction(fraction: &str, exponent: u8) -> Result<i64, ParseFailure> {
    let mut value: i64 = 0;
    for (position, byte) in fraction.bytes().enumerate() {
        if !byte.is_ascii_digit() {
            return Err(ParseFailure::NotANumber);
        }
        if position >= usize::from(exponent) {
            // Even zeros: "1.500" is more likely 1,500 written the Spanish way than 1.50.
            return Err(ParseFailure::TooManyDecimals);
        }
        value = value * 10 + i64::from(byte - b'0');
    }
    let missing = u32::from(exponent).saturating_sub(fraction.len() as u32);
    Ok(value * 10i64.pow(missing))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur(text: &str) -> Result<Money, MoneyError> {
        Money::parse(text, Currency::EUR)
    }

    #[test]
    fn parses_decimal_text_into_minor_units() {
        assert_eq!(eur("1234.56").unwrap().amount_minor(), 123_456);
        assert_eq!(eur("0.5").unwrap().amount_minor(), 50);
        assert_eq!(eur("-12").unwrap().amount_minor(), -1200);
        assert_eq!(eur("1,234,567.89").unwrap().amount_minor(), 123_456_789);
        assert!(matches!(eur("1.500"), Err(MoneyError::TooManyDecimals { .. })), "1.500 could mean 1,500");
        assert_eq!(eur(".25").unwrap().amount_minor(), 25);
    }

    #[test]
    fn each_currency_uses_its_own_exponent() {
        assert_eq!(Money::parse("1500", Currency::JPY).unwrap().amount_minor(), 1500);
        assert!(Money::parse("1500.5", Currency::JPY).is_err());
        assert_eq!(Money::parse("1.234", Currency::BHD).unwrap().amount_minor(), 1234);
    }

    #[test]
    fn rejects_what_is_not_an_exact_amount() {
        for bad in ["", "-", "abc", "1.2.3", "12,34", "1e5", "1.234", " 1", "NaN", "1,23,456"] {
            assert!(eur(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(matches!(eur("99999999999999999999"), Err(MoneyError::TooLarge { .. })));
        assert!(matches!(eur("50000000000000000.00"), Err(MoneyError::TooLarge { .. })), "fits i64, not the books");
        assert_eq!(eur("100000000000.00").map(Money::amount_minor), Ok(AMOUNT_MINOR_MAX));
        assert!(matches!(eur("-100000000000.01"), Err(MoneyError::TooLarge { .. })));
    }

    #[test]
    fn different_currencies_never_add() {
        let a = eur("1").unwrap();
        let b = Money::parse("1", Currency::GBP).unwrap();
        assert!(matches!(a.checked_add(b), Err(MoneyError::CurrencyMismatch { .. })));
        assert_eq!(a.checked_add(a).unwrap().amount_minor(), 200);
    }

    #[test]
    fn prints_with_the_currency_exponent() {
        assert_eq!(eur("-1234.5").unwrap().to_string(), "EUR -1234.50");
        assert_eq!(Money::new(5, Currency::JPY).to_string(), "JPY 5");
        assert_eq!(Money::new(-5, Currency::EUR).to_decimal_string(), "-0.05");
    }

    proptest::proptest! {
        #[test]
        fn printing_then_parsing_gives_back_the_amount(minor in -10_000_000_000i64..10_000_000_000) {
            let money = Money::new(minor, Currency::EUR);
            proptest::prop_assert_eq!(eur(&money.to_decimal_string()).unwrap(), money);
        }
    }
}
