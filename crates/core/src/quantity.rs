//! Quantities on invoice lines, exact to a thousandth (2.5 hours, 0.125 kg), and the one place
//! where quantity × unit price is rounded to the currency's minor unit.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A quantity in thousandths of a unit. Never negative: returns are credit notes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Quantity(i64);

/// Why text is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("quantity {0:?} is not a number like 2 or 2.5")]
    NotANumber(String),
    #[error("quantity {0:?} is negative: record returns as a credit note")]
    Negative(String),
    #[error("quantity {0:?} has more than 3 decimals")]
    TooPrecise(String),
}

const MILLI: i64 = 1000;

impl Quantity {
    pub const ONE: Quantity = Quantity(MILLI);

    pub fn from_milli(milli: i64) -> Result<Self, QuantityError> {
        if milli < 0 {
            return Err(QuantityError::Negative(format!("{}", milli as f64 / 1000.0)));
        }
        Ok(Self(milli))
    }

    pub fn milli(self) -> i64 {
        self.0
    }

    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        if text.starts_with('-') {
            return Err(QuantityError::Negative(text.to_owned()));
        }
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits_ok(whole) || !digits_ok(fraction) || whole.len() > 12 {
            return Err(QuantityError::NotANumber(text.to_owned()));
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > 3 {
            return Err(QuantityError::TooPrecise(text.to_owned()));
        }
        let whole: i64 = whole.parse().map_err(|_| QuantityError::NotANumber(text.to_owned()))?;
        let padded = format!("{fraction:0<3}");
        let milli: i64 = padded.parse().map_err(|_| QuantityError::NotANumber(text.to_owned()))?;
        Ok(Self(whole * MILLI + milli))
    }

    /// quantity × unit price in minor units, rounded half away from zero to the minor unit.
    /// `None` on overflow.
    pub fn times_minor(self, unit_price_minor: i64) -> Option<i64> {
        let product = i128::from(self.0) * i128::from(unit_price_minor);
        i64::try_from(round_half_up_div(product, i128::from(MILLI))).ok()
    }
}

/// `numerator / denominator` rounded half away from zero (denominator > 0).
pub fn round_half_up_div(numerator: i128, denominator: i128) -> i128 {
    let half = denominator / 2;
    if numerator >= 0 { (numerator + half) / denominator } else { (numerator - half) / denominator }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, milli) = (self.0 / MILLI, self.0 % MILLI);
        if milli == 0 {
            return write!(f, "{whole}");
        }
        let fraction = format!("{milli:03}");
        write!(f, "{whole}.{}", fraction.trim_end_matches('0'))
    }
}

impl fmt::Debug for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Quantity({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exact_quantities() {
        assert_eq!(Quantity::parse("2.5").unwrap().milli(), 2500);
        assert_eq!(Quantity::parse("3").unwrap().to_string(), "3");
        assert_eq!(Quantity::parse("0.125").unwrap().to_string(), "0.125");
        assert_eq!(Quantity::parse("1.2500").unwrap().milli(), 1250);
    }

    #[test]
    fn refuses_negative_or_vague_quantities() {
        assert!(matches!(Quantity::parse("-1"), Err(QuantityError::Negative(_))));
        assert!(matches!(Quantity::parse("0.0001"), Err(QuantityError::TooPrecise(_))));
        for bad in ["", "a", "1,5", ".5", "1e3"] {
            assert!(Quantity::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn line_amounts_round_half_up_to_the_cent() {
        // 0.333 × 1.50 = 0.4995 → 0.50
        assert_eq!(Quantity::parse("0.333").unwrap().times_minor(150), Some(50));
        assert_eq!(Quantity::parse("2.5").unwrap().times_minor(1999), Some(4998)); // 49.975 → 49.98
        assert_eq!(round_half_up_div(-5, 10), -1);
    }
}
