//! ISO 4217 currencies: the code, numeric code, name and minor-unit exponent of every active
//! currency, so money is always exact in the right unit.
//!
//! The table follows ISO 4217 list one as amended up to amendment 180 (Bulgaria joins the euro on
//! 2026-01-01), without precious metals, testing codes and accounting units (XAU, XAG, XPT, XPD,
//! XTS, XXX, XDR, XSU, XUA, XAD, XBA-XBD): invoices are not issued in them. Withdrawn codes (ANG,
//! BGN, CUC, HRK, SLL, ZWL, ...) are not accepted.

use std::fmt;
use std::str::FromStr;

/// What ISO 4217 says about one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CurrencyInfo {
    /// The three-letter alphabetic code, upper case, e.g. `EUR`.
    pub code: &'static str,
    /// The three-digit numeric code, e.g. 978 for EUR.
    pub numeric: u16,
    /// Digits after the decimal point of the minor unit: 2 for EUR (cents), 0 for JPY, 3 for BHD.
    pub exponent: u8,
    /// The English name as ISO 4217 lists it.
    pub name: &'static str,
}

/// An active ISO 4217 currency. Only codes in the table can be built.
///
/// A one-byte index into the table, so it is `Copy` and compares in one instruction. The table is
/// sorted by code, so the ordering of currencies is the alphabetical ordering of their codes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(u8);

/// A text that is not the code of an active ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown currency {0:?}: expected an ISO 4217 code such as EUR, GBP or USD")]
pub struct UnknownCurrency(pub String);

impl Currency {
    /// Euro.
    pub const EUR: Currency = Currency::known("EUR");
    /// Pound sterling.
    pub const GBP: Currency = Currency::known("GBP");
    /// US dollar.
    pub const USD: Currency = Currency::known("USD");
    /// Japanese yen, without a minor unit.
    pub const JPY: Currency = Currency::known("JPY");
    /// Swiss franc.
    pub const CHF: Currency = Currency::known("CHF");
    /// Bahraini dinar, with three decimals.
    pub const BHD: Currency = Currency::known("BHD");

    /// The three-letter code, upper case, e.g. `"EUR"`.
    pub const fn code(self) -> &'static str {
        self.info().code
    }

    /// Digits after the decimal point of the minor unit (2 for EUR, 0 for JPY, 3 for BHD).
    pub const fn exponent(self) -> u8 {
        self.info().exponent
    }

    /// The ISO 4217 numeric code, e.g. 978 for EUR.
    pub const fn numeric(self) -> u16 {
        self.info().numeric
    }

    /// The English name, e.g. `"Pound Sterling"` for GBP.
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// Everything the table knows about this currency.
    pub const fn info(self) -> &'static CurrencyInfo {
        &TABLE[self.0 as usize]
    }

    /// Looks up a code of exactly three ASCII letters, in any case (`"eur"` works). Nothing is
    /// trimmed: `" EUR"` is an error. A binary search over the sorted table, no allocation on
    /// success.
    pub fn from_code(code: &str) -> Result<Currency, UnknownCurrency> {
        match code.as_bytes() {
            &[a, b, c] => position([a, b, c].map(|byte| byte.to_ascii_uppercase()))
                .map(Currency)
                .ok_or_else(|| UnknownCurrency(code.to_owned())),
            _ => Err(UnknownCurrency(code.to_owned())),
        }
    }

    /// Every active currency, in the order of their codes.
    pub fn all() -> impl Iterator<Item = Currency> {
        (0..=u8::MAX).take(TABLE.len()).map(Currency)
    }

    /// A currency that must be in the table; a missing one fails the build, not a run.
    const fn known(code: &str) -> Currency {
        let bytes = code.as_bytes();
        match position([bytes[0], bytes[1], bytes[2]]) {
            Some(index) => Currency(index),
            None => panic!("currency constant is missing from the ISO 4217 table"),
        }
    }
}

/// The index of an upper-case code in the table, by binary search.
const fn position(code: [u8; 3]) -> Option<u8> {
    let wanted = key(&code);
    let (mut low, mut high) = (0, TABLE.len());
    while low < high {
        let middle = low + (high - low) / 2;
        let probe = key(TABLE[middle].code.as_bytes());
        if probe == wanted {
            return Some(middle as u8);
        }
        if probe < wanted {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    None
}

/// Three code bytes packed into one number that sorts like the code.
const fn key(code: &[u8]) -> u32 {
    ((code[0] as u32) << 16) | ((code[1] as u32) << 8) | code[2] as u32
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.code())
    }
}

impl FromStr for Currency {
    type Err = UnknownCurrency;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Currency::from_code(code)
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(CodeVisitor)
    }
}

/// Reads a currency from its code string.
struct CodeVisitor;

impl serde::de::Visitor<'_> for CodeVisitor {
    type Value = Currency;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO 4217 currency code such as \"EUR\"")
    }

    fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Currency, E> {
        Currency::from_code(code).map_err(E::custom)
    }
}

const fn iso(code: &'static str, numeric: u16, exponent: u8, name: &'static str) -> CurrencyInfo {
    CurrencyInfo { code, numeric, exponent, name }
}

// A currency is a `u8` index.
const _: () = assert!(TABLE.len() <= 256);

/// Active ISO 4217 currencies and funds, sorted by code (the lookup relies on it).
const TABLE: &[CurrencyInfo] = &[
    iso("AED", 784, 2, "UAE Dirham"),
    iso("AFN", 971, 2, "Afghani"),
    iso("ALL", 8, 2, "Lek"),
    iso("AMD", 51, 2, "Armenian Dram"),
    iso("AOA", 973, 2, "Kwanza"),
    iso("ARS", 32, 2, "Argentine Peso"),
    iso("AUD", 36, 2, "Australian Dollar"),
    iso("AWG", 533, 2, "Aruban Florin"),
    iso("AZN", 944, 2, "Azerbaijan Manat"),
    iso("BAM", 977, 2, "Convertible Mark"),
    iso("BBD", 52, 2, "Barbados Dollar"),
    iso("BDT", 50, 2, "Taka"),
    iso("BHD", 48, 3, "Bahraini Dinar"),
    iso("BIF", 108, 0, "Burundi Franc"),
    iso("BMD", 60, 2, "Bermudian Dollar"),
    iso("BND", 96, 2, "Brunei Dollar"),
    iso("BOB", 68, 2, "Boliviano"),
    iso("BOV", 984, 2, "Mvdol"),
    iso("BRL", 986, 2, "Brazilian Real"),
    iso("BSD", 44, 2, "Bahamian Dollar"),
    iso("BTN", 64, 2, "Ngultrum"),
    iso("BWP", 72, 2, "Pula"),
    iso("BYN", 933, 2, "Belarusian Ruble"),
    iso("BZD", 84, 2, "Belize Dollar"),
    iso("CAD", 124, 2, "Canadian Dollar"),
    iso("CDF", 976, 2, "Congolese Franc"),
    iso("CHE", 947, 2, "WIR Euro"),
    iso("CHF", 756, 2, "Swiss Franc"),
    iso("CHW", 948, 2, "WIR Franc"),
    iso("CLF", 990, 4, "Unidad de Fomento"),
    iso("CLP", 152, 0, "Chilean Peso"),
    iso("CNY", 156, 2, "Yuan Renminbi"),
    iso("COP", 170, 2, "Colombian Peso"),
    iso("COU", 970, 2, "Unidad de Valor Real"),
    iso("CRC", 188, 2, "Costa Rican Colon"),
    iso("CUP", 192, 2, "Cuban Peso"),
    iso("CVE", 132, 2, "Cabo Verde Escudo"),
    iso("CZK", 203, 2, "Czech Koruna"),
    iso("DJF", 262, 0, "Djibouti Franc"),
    iso("DKK", 208, 2, "Danish Krone"),
    iso("DOP", 214, 2, "Dominican Peso"),
    iso("DZD", 12, 2, "Algerian Dinar"),
    iso("EGP", 818, 2, "Egyptian Pound"),
    iso("ERN", 232, 2, "Nakfa"),
    iso("ETB", 230, 2, "Ethiopian Birr"),
    iso("EUR", 978, 2, "Euro"),
    iso("FJD", 242, 2, "Fiji Dollar"),
    iso("FKP", 238, 2, "Falkland Islands Pound"),
    iso("GBP", 826, 2, "Pound Sterling"),
    iso("GEL", 981, 2, "Lari"),
    iso("GHS", 936, 2, "Ghana Cedi"),
    iso("GIP", 292, 2, "Gibraltar Pound"),
    iso("GMD", 270, 2, "Dalasi"),
    iso("GNF", 324, 0, "Guinean Franc"),
    iso("GTQ", 320, 2, "Quetzal"),
    iso("GYD", 328, 2, "Guyana Dollar"),
    iso("HKD", 344, 2, "Hong Kong Dollar"),
    iso("HNL", 340, 2, "Lempira"),
    iso("HTG", 332, 2, "Gourde"),
    iso("HUF", 348, 2, "Forint"),
    iso("IDR", 360, 2, "Rupiah"),
    iso("ILS", 376, 2, "New Israeli Sheqel"),
    iso("INR", 356, 2, "Indian Rupee"),
    iso("IQD", 368, 3, "Iraqi Dinar"),
    iso("IRR", 364, 2, "Iranian Rial"),
    iso("ISK", 352, 0, "Iceland Krona"),
    iso("JMD", 388, 2, "Jamaican Dollar"),
    iso("JOD", 400, 3, "Jordanian Dinar"),
    iso("JPY", 392, 0, "Yen"),
    iso("KES", 404, 2, "Kenyan Shilling"),
    iso("KGS", 417, 2, "Som"),
    iso("KHR", 116, 2, "Riel"),
    iso("KMF", 174, 0, "Comorian Franc"),
    iso("KPW", 408, 2, "North Korean Won"),
    iso("KRW", 410, 0, "Won"),
    iso("KWD", 414, 3, "Kuwaiti Dinar"),
    iso("KYD", 136, 2, "Cayman Islands Dollar"),
    iso("KZT", 398, 2, "Tenge"),
    iso("LAK", 418, 2, "Lao Kip"),
    iso("LBP", 422, 2, "Lebanese Pound"),
    iso("LKR", 144, 2, "Sri Lanka Rupee"),
    iso("LRD", 430, 2, "Liberian Dollar"),
    iso("LSL", 426, 2, "Loti"),
    iso("LYD", 434, 3, "Libyan Dinar"),
    iso("MAD", 504, 2, "Moroccan Dirham"),
    iso("MDL", 498, 2, "Moldovan Leu"),
    iso("MGA", 969, 2, "Malagasy Ariary"),
    iso("MKD", 807, 2, "Denar"),
    iso("MMK", 104, 2, "Kyat"),
    iso("MNT", 496, 2, "Tugrik"),
    iso("MOP", 446, 2, "Pataca"),
    iso("MRU", 929, 2, "Ouguiya"),
    iso("MUR", 480, 2, "Mauritius Rupee"),
    iso("MVR", 462, 2, "Rufiyaa"),
    iso("MWK", 454, 2, "Malawi Kwacha"),
    iso("MXN", 484, 2, "Mexican Peso"),
    iso("MXV", 979, 2, "Mexican Unidad de Inversion (UDI)"),
    iso("MYR", 458, 2, "Malaysian Ringgit"),
    iso("MZN", 943, 2, "Mozambique Metical"),
    iso("NAD", 516, 2, "Namibia Dollar"),
    iso("NGN", 566, 2, "Naira"),
    iso("NIO", 558, 2, "Cordoba Oro"),
    iso("NOK", 578, 2, "Norwegian Krone"),
    iso("NPR", 524, 2, "Nepalese Rupee"),
    iso("NZD", 554, 2, "New Zealand Dollar"),
    iso("OMR", 512, 3, "Rial Omani"),
    iso("PAB", 590, 2, "Balboa"),
    iso("PEN", 604, 2, "Sol"),
    iso("PGK", 598, 2, "Kina"),
    iso("PHP", 608, 2, "Philippine Peso"),
    iso("PKR", 586, 2, "Pakistan Rupee"),
    iso("PLN", 985, 2, "Zloty"),
    iso("PYG", 600, 0, "Guarani"),
    iso("QAR", 634, 2, "Qatari Rial"),
    iso("RON", 946, 2, "Romanian Leu"),
    iso("RSD", 941, 2, "Serbian Dinar"),
    iso("RUB", 643, 2, "Russian Ruble"),
    iso("RWF", 646, 0, "Rwanda Franc"),
    iso("SAR", 682, 2, "Saudi Riyal"),
    iso("SBD", 90, 2, "Solomon Islands Dollar"),
    iso("SCR", 690, 2, "Seychelles Rupee"),
    iso("SDG", 938, 2, "Sudanese Pound"),
    iso("SEK", 752, 2, "Swedish Krona"),
    iso("SGD", 702, 2, "Singapore Dollar"),
    iso("SHP", 654, 2, "Saint Helena Pound"),
    iso("SLE", 925, 2, "Leone"),
    iso("SOS", 706, 2, "Somali Shilling"),
    iso("SRD", 968, 2, "Surinam Dollar"),
    iso("SSP", 728, 2, "South Sudanese Pound"),
    iso("STN", 930, 2, "Dobra"),
    iso("SVC", 222, 2, "El Salvador Colon"),
    iso("SYP", 760, 2, "Syrian Pound"),
    iso("SZL", 748, 2, "Lilangeni"),
    iso("THB", 764, 2, "Baht"),
    iso("TJS", 972, 2, "Somoni"),
    iso("TMT", 934, 2, "Turkmenistan New Manat"),
    iso("TND", 788, 3, "Tunisian Dinar"),
    iso("TOP", 776, 2, "Pa'anga"),
    iso("TRY", 949, 2, "Turkish Lira"),
    iso("TTD", 780, 2, "Trinidad and Tobago Dollar"),
    iso("TWD", 901, 2, "New Taiwan Dollar"),
    iso("TZS", 834, 2, "Tanzanian Shilling"),
    iso("UAH", 980, 2, "Hryvnia"),
    iso("UGX", 800, 0, "Uganda Shilling"),
    iso("USD", 840, 2, "US Dollar"),
    iso("USN", 997, 2, "US Dollar (Next day)"),
    iso("UYI", 940, 0, "Uruguay Peso en Unidades Indexadas (UI)"),
    iso("UYU", 858, 2, "Peso Uruguayo"),
    iso("UYW", 927, 4, "Unidad Previsional"),
    iso("UZS", 860, 2, "Uzbekistan Sum"),
    iso("VED", 926, 2, "Bolivar Digital"),
    iso("VES", 928, 2, "Bolivar Soberano"),
    iso("VND", 704, 0, "Dong"),
    iso("VUV", 548, 0, "Vatu"),
    iso("WST", 882, 2, "Tala"),
    iso("XAF", 950, 0, "CFA Franc BEAC"),
    iso("XCD", 951, 2, "East Caribbean Dollar"),
    iso("XCG", 532, 2, "Caribbean Guilder"),
    iso("XOF", 952, 0, "CFA Franc BCEAO"),
    iso("XPF", 953, 0, "CFP Franc"),
    iso("YER", 886, 2, "Yemeni Rial"),
    iso("ZAR", 710, 2, "Rand"),
    iso("ZMW", 967, 2, "Zambian Kwacha"),
    iso("ZWG", 924, 2, "Zimbabwe Gold"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StrDeserializer};
    use std::collections::HashSet;

    #[test]
    fn from_code_ignores_case() {
        assert_eq!(Currency::from_code("EUR").unwrap(), Currency::EUR);
        assert_eq!(Currency::from_code("eur").unwrap(), Currency::EUR);
        assert_eq!(Currency::from_code("gBp").unwrap(), Currency::GBP);
        assert_eq!("usd".parse::<Currency>().unwrap(), Currency::USD);
    }

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(Currency::JPY.exponent(), 0);
        assert_eq!(Currency::EUR.exponent(), 2);
        assert_eq!(Currency::BHD.exponent(), 3);
        assert_eq!(Currency::from_code("CLF").unwrap().exponent(), 4);
        assert_eq!(Currency::from_code("UYW").unwrap().exponent(), 4);
        for code in ["KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "XPF", "PYG", "VUV"] {
            assert_eq!(Currency::from_code(code).unwrap().exponent(), 0, "{code}");
        }
        for code in ["IQD", "JOD", "KWD", "LYD", "OMR", "TND"] {
            assert_eq!(Currency::from_code(code).unwrap().exponent(), 3, "{code}");
        }
    }

    #[test]
    fn constants_have_their_codes() {
        let constants = [Currency::EUR, Currency::GBP, Currency::USD, Currency::JPY];
        let codes: Vec<_> = constants.iter().map(|c| c.code()).collect();
        assert_eq!(codes, ["EUR", "GBP", "USD", "JPY"]);
        assert_eq!(Currency::CHF.code(), "CHF");
        assert_eq!(Currency::BHD.numeric(), 48);
        assert_eq!(Currency::GBP.name(), "Pound Sterling");
    }

    #[test]
    fn unknown_codes_are_errors() {
        for code in ["XYZ", "EU", "EURO", "", " EUR", "EUR ", "E1R", "XAU", "XXX", "ANG", "HRK"] {
            let error = Currency::from_code(code).unwrap_err();
            assert_eq!(error, UnknownCurrency(code.to_owned()));
        }
        let message = Currency::from_code("XYZ").unwrap_err().to_string();
        assert!(message.contains("\"XYZ\""), "{message}");
    }

    #[test]
    fn table_is_sorted_with_unique_codes() {
        assert!(TABLE.windows(2).all(|pair| pair[0].code < pair[1].code));
        for info in TABLE {
            assert!(info.code.len() == 3 && info.code.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(info.exponent <= 4, "{}", info.code);
            assert!(!info.name.is_empty(), "{}", info.code);
        }
    }

    #[test]
    fn numeric_codes_are_unique() {
        let numerics: HashSet<u16> = TABLE.iter().map(|info| info.numeric).collect();
        assert_eq!(numerics.len(), TABLE.len());
        assert!(TABLE.iter().all(|info| (1..1000).contains(&info.numeric)));
    }

    #[test]
    fn all_round_trips_through_from_code() {
        assert_eq!(Currency::all().count(), TABLE.len());
        for currency in Currency::all() {
            assert_eq!(Currency::from_code(currency.code()).unwrap(), currency);
            let lower = currency.code().to_ascii_lowercase();
            assert_eq!(Currency::from_code(&lower).unwrap(), currency);
        }
        assert!(Currency::all().zip(Currency::all().skip(1)).all(|(a, b)| a < b));
    }

    #[test]
    fn display_and_debug() {
        assert_eq!(Currency::EUR.to_string(), "EUR");
        assert_eq!(format!("{:>5}", Currency::JPY), "  JPY");
        assert_eq!(format!("{:?}", Currency::EUR), "Currency(EUR)");
    }

    #[test]
    fn deserializes_from_code_string() {
        let de: StrDeserializer<'_, ValueError> = "chf".into_deserializer();
        assert_eq!(Currency::deserialize(de).unwrap(), Currency::CHF);
        let de: StrDeserializer<'_, ValueError> = "EURO".into_deserializer();
        assert!(Currency::deserialize(de).is_err());
    }
}
