//! The words of the pages in each language the pages speak (English, Spanish, Italian): one JSON
//! catalogue per language, embedded at build time; a word a catalogue lacks is said in English.

use axum::http::HeaderMap;
use overdue_core::ids::{Country, Language};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A language the pages speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
    It,
}

type Words = BTreeMap<String, String>;

fn catalogue(text: &str) -> Words {
    // the catalogues are the project's own files, checked by the tests: an unreadable one is empty
    serde_json::from_str(text).unwrap_or_default()
}

static ENGLISH: LazyLock<Words> = LazyLock::new(|| catalogue(include_str!("../../web/i18n/en.json")));
static SPANISH: LazyLock<Words> = LazyLock::new(|| with_english(include_str!("../../web/i18n/es.json")));
static ITALIAN: LazyLock<Words> = LazyLock::new(|| with_english(include_str!("../../web/i18n/it.json")));

fn with_english(text: &str) -> Words {
    let mut words = ENGLISH.clone();
    words.extend(catalogue(text));
    words
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::It];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::It => "it",
        }
    }

    /// Every word of the pages, by key, in this language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::En => &ENGLISH,
            Lang::Es => &SPANISH,
            Lang::It => &ITALIAN,
        }
    }

    /// The first language of the browser's `Accept-Language` the pages speak (the `overdue_lang`
    /// cookie, set by the language links in the page header, wins).
    pub fn asked(headers: &HeaderMap) -> Option<Lang> {
        if let Some(chosen) = crate::auth::cookie(headers, "overdue_lang").and_then(|c| Self::parse(&c)) {
            return Some(chosen);
        }
        let accepted = headers.get(axum::http::header::ACCEPT_LANGUAGE)?.to_str().ok()?;
        accepted.split(',').find_map(|part| Self::parse(part.split(';').next()?.trim().get(..2)?))
    }

    /// The usual language of the organisation's country, when the pages speak it; else English.
    pub fn of_country(country: &Country) -> Lang {
        Self::parse(Language::usual_in(*country).as_str()).unwrap_or(Lang::En)
    }

    /// An amount as a person types it in this language (`1.000,50` or `710,00` in Spanish and
    /// Italian, `1,000.50` in English) written the way the books read it (`1000.50`). Text that
    /// is not such a number is left for the books to refuse with their reason: a group mark only
    /// groups when every group after the first has three digits and the first one to three
    /// (`9999.999` is no Spanish number, never nine million).
    pub fn amount(self, typed: &str) -> String {
        let typed = typed.trim().replace([' ', '\u{a0}', '€', '£'], "");
        let (group, decimal) = match self {
            Lang::Es | Lang::It => ('.', ','),
            Lang::En => (',', '.'),
        };
        // "1.000" in Spanish is a thousand; "12.50" typed on a Spanish page is twelve and a half
        let whole_part = typed.split(decimal).next().unwrap_or_default();
        let mut groups = whole_part.split(group);
        let first = groups.next().unwrap_or_default().trim_start_matches('-');
        let grouped = (1..=3).contains(&first.len()) && groups.all(|part| part.len() == 3);
        let whole = if grouped && typed.contains(group) { typed.replace(group, "") } else { typed };
        whole.replace(decimal, ".")
    }

    /// An amount typed in a form, as the books read it ([`Lang::amount`]), or why it is none, in
    /// this language, for `field`. Whether the currency allows its decimals is the books' to say.
    ///
    /// Errors: a 400 naming `field` for text that is not a number.
    pub fn amount_typed(self, field: &'static str, typed: &str) -> Result<String, crate::error::ApiError> {
        let read = self.amount(typed);
        let digits = read.strip_prefix('-').unwrap_or(&read);
        let (whole, cents) = digits.split_once('.').unwrap_or((digits, "0"));
        let number = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
        if number(whole) && number(cents) {
            Ok(read)
        } else {
            Err(crate::error::ApiError::bad_request(field, self.word("not_an_amount").replace("{text}", typed.trim())))
        }
    }

    /// Why `typed` is no IBAN, in this language, or `None` when it is one (ISO 13616, checked by
    /// [`overdue_core::iban::check`]).
    pub fn iban_refused(self, typed: &str) -> Option<String> {
        let key = match overdue_core::iban::check(typed).err()? {
            overdue_core::iban::IbanError::NotAnIban(_) => "iban_not_one",
            overdue_core::iban::IbanError::CheckDigits(_) => "iban_check_digits",
        };
        Some(self.word(key).replace("{text}", typed.trim()))
    }

    /// One word of the pages by key; the key itself when no catalogue has it (never a panic).
    pub fn word(self, key: &str) -> String {
        self.words().get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    /// `key`'s words with each `{name}` replaced by its value.
    /// A value ending in a full stop (a name such as "Ruiz S.L.") takes the place of the one after
    /// it in the text, so no sentence ends in two.
    pub fn fill(self, key: &str, values: &[(&str, &str)]) -> String {
        values.iter().fold(self.word(key), |text, (name, value)| {
            let slot = format!("{{{name}}}");
            let text = if value.ends_with('.') { text.replace(&format!("{slot}."), value) } else { text };
            text.replace(&slot, value)
        })
    }

    /// A code's words (`method_transfer` for `method_` and `transfer`), or the code as written
    /// when the catalogue has none.
    pub fn term(self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}{code}");
        let said = self.word(&key);
        if said == key { code.replace('_', " ") } else { said }
    }

    /// A decimal figure written with a dot (`54.8`) as this language writes it (`54,8`).
    pub fn decimal(self, figure: &str) -> String {
        match self {
            Lang::Es | Lang::It => figure.replace('.', ","),
            Lang::En => figure.to_owned(),
        }
    }

    /// The language of messages and figures this page language writes in.
    pub fn language(self) -> Language {
        Language::parse(self.code()).unwrap_or(Language::EN)
    }

    /// An amount as this language writes it (`1.574,40 €`, `EUR 1,574.40`).
    pub fn money(self, money: overdue_core::Money) -> String {
        overdue_notify::facts::money(money, self.language())
    }

    /// A day as this language writes it (`29/11/2026`).
    pub fn day(self, day: chrono::NaiveDate) -> String {
        overdue_notify::facts::date(day, self.language())
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| lang.code().eq_ignore_ascii_case(code.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_ending_in_a_full_stop_ends_the_sentence_once() {
        let said = Lang::Es.fill("rf_not_their_invoice", &[("number", "F-1"), ("customer", "Ferretería Ruiz S.L.")]);
        assert!(said.ends_with("Ferretería Ruiz S.L."), "{said}");
        let said = Lang::En.fill("rf_invoice_settled", &[("number", "F-1")]);
        assert!(said.starts_with("Invoice F-1 is paid") && !said.contains(".."), "{said}");
    }

    #[test]
    fn every_catalogue_reads_and_says_every_word_the_english_one_says() {
        let english = catalogue(include_str!("../../web/i18n/en.json"));
        assert!(english.len() > 20, "the English catalogue reads");
        for (lang, text) in
            [(Lang::Es, include_str!("../../web/i18n/es.json")), (Lang::It, include_str!("../../web/i18n/it.json"))]
        {
            let own = catalogue(text);
            let missing: Vec<&String> = english.keys().filter(|key| !own.contains_key(*key)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            let unknown: Vec<&String> = own.keys().filter(|key| !english.contains_key(*key)).collect();
            assert!(unknown.is_empty(), "{} has words English has not: {unknown:?}", lang.code());
        }
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(Lang::Es.amount("710,00"), "710.00");
        assert_eq!(Lang::Es.amount("1.000,50 €"), "1000.50");
        assert_eq!(Lang::It.amount("1.000"), "1000");
        assert_eq!(Lang::Es.amount("12.50"), "12.50", "a decimal point is still understood");
        assert_eq!(Lang::En.amount("1,000.50"), "1000.50");
        assert_eq!(Lang::En.amount("abc"), "abc", "left for the books to refuse");
        assert_eq!(Lang::Es.amount("1.000.000,5"), "1000000.5");
        assert_eq!(Lang::Es.amount("-1.073,20"), "-1073.20");
        // no thousands grouping: left as typed, for the books to refuse its three decimals
        assert_eq!(Lang::Es.amount("9999.999"), "9999.999");
        assert_eq!(Lang::It.amount("1073.000"), "1073.000");
        assert_eq!(Lang::En.amount("12,34,5"), "12,34,5", "left for the books to refuse");
    }

    #[test]
    fn a_typed_amount_that_is_no_number_is_said_so_in_the_language() {
        assert_eq!(Lang::Es.amount_typed("amount", "1.234,56 €").unwrap(), "1234.56");
        assert_eq!(Lang::En.amount_typed("amount", "-12").unwrap(), "-12");
        for typed in ["mil", "", "12,3,4", "1.2.3,4", "12.", "€"] {
            let refused = Lang::It.amount_typed("amount", typed).unwrap_err();
            assert_eq!(refused.field.as_deref(), Some("amount"), "{typed:?}");
            assert!(refused.reason.contains("non è un importo"), "{typed:?}: {}", refused.reason);
        }
    }

    #[test]
    fn the_browser_language_or_the_country_chooses() {
        let mut headers = HeaderMap::new();
        headers.insert(axum::http::header::ACCEPT_LANGUAGE, "it-IT,it;q=0.9,en;q=0.8".parse().unwrap());
        assert_eq!(Lang::asked(&headers), Some(Lang::It));
        headers.insert(axum::http::header::ACCEPT_LANGUAGE, "de-DE,es;q=0.5".parse().unwrap());
        assert_eq!(Lang::asked(&headers), Some(Lang::Es));
        assert_eq!(Lang::of_country(&Country::parse("ES").unwrap()), Lang::Es);
        assert_eq!(Lang::of_country(&Country::parse("DE").unwrap()), Lang::En);
    }
}
