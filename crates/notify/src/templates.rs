//! The message templates: one file per template and language (`es/reminder.txt`), each with a
//! `subject` and a `body` block, rendered with minijinja. The shipped defaults (English, Spanish,
//! Italian, German, French) are built in; a business edits its own copies in a folder it owns (`overdue
//! templates init DIR`), which take precedence file by file. Every template is rendered against
//! sample facts when loaded, with undefined values an error, so a template that names a missing
//! field fails then — never when a customer is waiting for the message.

use crate::facts::{Claim, Draft, Facts, InvoiceLine};
use chrono::NaiveDate;
use minijinja::{Environment, UndefinedBehavior};
use overdue_core::ids::Language;
use overdue_core::letterhead::{Letterhead, PaymentOptions};
use overdue_core::money::Money;
use std::path::{Path, PathBuf};

macro_rules! shipped {
    ($($path:literal),* $(,)?) => { &[$(($path, include_str!(concat!("../templates/", $path)))),*] };
}

/// The templates that ship with overdue, by path.
pub const SHIPPED: &[(&str, &str)] = shipped!(
    "en/_invoices.txt",
    "en/_payment.txt",
    "en/_signature.txt",
    "en/invoice.txt",
    "en/pre_due_reminder.txt",
    "en/reminder.txt",
    "en/approver_escalation.txt",
    "en/final_demand.txt",
    "en/broken_promise.txt",
    "en/prepayment_notice.txt",
    "en/agency_hand_off.txt",
    "en/invoice_document.txt",
    "en/receipt_check.txt",
    "en/statement.txt",
    "en/plan_instalment.txt",
    "es/_invoices.txt",
    "es/_payment.txt",
    "es/_signature.txt",
    "es/invoice.txt",
    "es/pre_due_reminder.txt",
    "es/reminder.txt",
    "es/approver_escalation.txt",
    "es/final_demand.txt",
    "es/broken_promise.txt",
    "es/prepayment_notice.txt",
    "es/agency_hand_off.txt",
    "es/invoice_document.txt",
    "es/receipt_check.txt",
    "es/statement.txt",
    "es/plan_instalment.txt",
    "it/_invoices.txt",
    "it/_payment.txt",
    "it/_signature.txt",
    "it/invoice.txt",
    "it/pre_due_reminder.txt",
    "it/reminder.txt",
    "it/approver_escalation.txt",
    "it/final_demand.txt",
    "it/final_demand_diffida.txt",
    "it/broken_promise.txt",
    "it/prepayment_notice.txt",
    "it/agency_hand_off.txt",
    "it/invoice_document.txt",
    "it/receipt_check.txt",
    "it/statement.txt",
    "it/plan_instalment.txt",
    "de/_invoices.txt",
    "de/_payment.txt",
    "de/_signature.txt",
    "de/invoice.txt",
    "de/pre_due_reminder.txt",
    "de/reminder.txt",
    "de/approver_escalation.txt",
    "de/final_demand.txt",
    "de/broken_promise.txt",
    "de/prepayment_notice.txt",
    "de/agency_hand_off.txt",
    "de/invoice_document.txt",
    "de/receipt_check.txt",
    "de/statement.txt",
    "de/plan_instalment.txt",
    "fr/_invoices.txt",
    "fr/_payment.txt",
    "fr/_signature.txt",
    "fr/invoice.txt",
    "fr/pre_due_reminder.txt",
    "fr/reminder.txt",
    "fr/approver_escalation.txt",
    "fr/final_demand.txt",
    "fr/broken_promise.txt",
    "fr/prepayment_notice.txt",
    "fr/agency_hand_off.txt",
    "fr/invoice_document.txt",
    "fr/receipt_check.txt",
    "fr/statement.txt",
    "fr/plan_instalment.txt",
);

/// The laws a claim is checked under (one per sample, varied across tones and templates).
const CHECKED_LAWS: [&str; 4] = ["es", "it", "gb", "contract"];

/// The tones a template is checked in.
const TONES: [&str; 4] = ["friendly", "firm", "serious", "final"];

/// Why templates cannot be loaded or a message rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "no template {template:?} in {language} or English: add {language}/{template}.txt to your templates folder"
    )]
    NotFound { template: String, language: String },
    #[error("template {file}: {reason}")]
    Invalid { file: String, reason: String },
    #[error("cannot read the templates folder {folder}: {reason}")]
    Folder { folder: String, reason: String },
}

/// A message ready to send: its subject line and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// The loaded and checked templates.
pub struct Templates {
    env: Environment<'static>,
    names: Vec<String>,
}

impl Templates {
    /// The shipped templates only.
    pub fn shipped() -> Result<Self, TemplateError> {
        Self::load(SHIPPED.iter().map(|(p, t)| ((*p).to_owned(), (*t).to_owned())).collect())
    }

    /// The shipped templates with the business's own files from `folder` in their place.
    pub fn with_folder(folder: &Path) -> Result<Self, TemplateError> {
        let mut files: Vec<(String, String)> =
            SHIPPED.iter().map(|(p, t)| ((*p).to_owned(), (*t).to_owned())).collect();
        for (name, text) in read_folder(folder)? {
            files.retain(|(p, _)| *p != name);
            files.push((name, text));
        }
        Self::load(files)
    }

    fn load(files: Vec<(String, String)>) -> Result<Self, TemplateError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_fuel(Some(200_000));
        // a table's columns: text padded to a width in characters, on the right or on the left
        env.add_filter("ljust", |text: String, width: usize| format!("{text:<width$}"));
        env.add_filter("rjust", |text: String, width: usize| format!("{text:>width$}"));
        let mut names = Vec::new();
        for (name, text) in files {
            env.add_template_owned(name.clone(), text)
                .map_err(|e| TemplateError::Invalid { file: name.clone(), reason: describe(&e) })?;
            names.push(name);
        }
        let templates = Templates { env, names };
        templates.check()?;
        Ok(templates)
    }

    /// Renders every message template against full and sparse sample facts in every tone.
    fn check(&self) -> Result<(), TemplateError> {
        for name in self.names.iter().filter(|n| !is_partial(n)) {
            let (language, template) = name.split_once('/').unwrap_or(("en", name));
            let template = template.trim_end_matches(".txt");
            let language = Language::parse(language).unwrap_or(Language::EN);
            for tone in TONES {
                for full in [true, false] {
                    let one = sample(template, tone, language, full);
                    let several = several_invoices(&one);
                    for draft in [one, several] {
                        self.render_file(name, &draft.facts())?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether a message template of this name exists (in English, the language every template
    /// falls back to, or in any language).
    pub fn has(&self, template: &str) -> bool {
        let file = format!("/{template}.txt");
        self.names.iter().any(|n| n.ends_with(&file))
    }

    /// The language a message `template` is written in for a customer speaking `language`: theirs
    /// when the template exists in it, else English.
    pub fn language_for(&self, language: Language, template: &str) -> Language {
        let own = format!("{language}/{template}.txt");
        if self.names.contains(&own) { language } else { Language::EN }
    }

    /// Every template file loaded, as `language/name.txt` (partials start with `_`), in load order.
    pub fn files(&self) -> &[String] {
        &self.names
    }

    /// The text of template file `file` (`es/reminder.txt`) as loaded: the business's own copy
    /// when it has one, else the shipped one.
    pub fn source(&self, file: &str) -> Option<String> {
        self.env.get_template(file).ok().map(|t| t.source().to_owned())
    }

    /// Message `template` (`reminder`) in `language` rendered against sample facts whose figures
    /// add up (a customer, an invoice partly credited with two instalments, a claim with interest,
    /// compensation and a fee, a deadline after the letter's date), in `tone` (`friendly`, `firm`,
    /// `serious` or `final`); English when the language has none.
    ///
    /// Errors: [`TemplateError::NotFound`] for a template that does not exist; a rendering error.
    pub fn preview(&self, template: &str, language: Language, tone: &str) -> Result<Rendered, TemplateError> {
        // one invoice in one currency whose figures add up: what a person checks a template with
        self.render(&sample(template, tone, language, true).facts())
    }

    /// The message for these facts, in their language (English when the language has no such
    /// template).
    pub fn render(&self, facts: &Facts) -> Result<Rendered, TemplateError> {
        let own = format!("{}/{}.txt", facts.language, facts.template);
        let english = format!("en/{}.txt", facts.template);
        let name = [own, english].into_iter().find(|n| self.names.contains(n)).ok_or_else(|| {
            TemplateError::NotFound { template: facts.template.clone(), language: facts.language.clone() }
        })?;
        self.render_file(&name, facts)
    }

    fn render_file(&self, name: &str, facts: &Facts) -> Result<Rendered, TemplateError> {
        let invalid = |e: minijinja::Error| TemplateError::Invalid { file: name.to_owned(), reason: describe(&e) };
        let template = self.env.get_template(name).map_err(invalid)?;
        let mut captured = template.render_captured(minijinja::value::Serde(facts)).map_err(invalid)?;
        let subject = captured.with_state_mut(|state| state.render_block("subject")).map_err(invalid)?;
        let body = captured.with_state_mut(|state| state.render_block("body")).map_err(invalid)?;
        Ok(Rendered { subject: subject.split_whitespace().collect::<Vec<_>>().join(" "), body: tidy(&body) })
    }
}

/// Writes the shipped templates into `folder` for the business to edit; files already there are
/// left alone. The paths written.
pub fn write_defaults(folder: &Path) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut written = Vec::new();
    for (name, text) in SHIPPED {
        let path = folder.join(name);
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// `LANG/NAME.txt` files of a folder.
fn read_folder(folder: &Path) -> Result<Vec<(String, String)>, TemplateError> {
    let failed =
        |e: std::io::Error| TemplateError::Folder { folder: folder.display().to_string(), reason: e.to_string() };
    let mut files = Vec::new();
    for language in std::fs::read_dir(folder).map_err(failed)? {
        let language = language.map_err(failed)?;
        if !language.path().is_dir() {
            continue;
        }
        let lang = language.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(language.path()).map_err(failed)? {
            let path = file.map_err(failed)?.path();
            if path.extension().is_some_and(|e| e == "txt") {
                let name = format!("{lang}/{}", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default());
                files.push((name, std::fs::read_to_string(&path).map_err(failed)?));
            }
        }
    }
    Ok(files)
}

fn is_partial(name: &str) -> bool {
    name.rsplit('/').next().is_some_and(|file| file.starts_with('_'))
}

/// minijinja's error with its line, and the cause (an undefined value names itself).
fn describe(error: &minijinja::Error) -> String {
    let mut text = match error.line() {
        Some(line) => format!("line {line}: {error}"),
        None => error.to_string(),
    };
    if let Some(detail) = error.detail() {
        text = format!("{text} ({detail})");
    }
    text
}

/// Blank lines collapsed to one, trailing spaces gone: templates can stay readable.
fn tidy(body: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in body.trim().lines() {
        let line = line.trim_end();
        blank = if line.is_empty() { blank + 1 } else { 0 };
        if blank <= 1 {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The sample with a second invoice (the wording for several), and its document a credit note.
fn several_invoices(one: &Draft) -> Draft {
    let mut several = one.clone();
    if let Some(first) = one.invoices.first() {
        // in another currency, as a customer billed in two currencies is
        let pounds = Money::new(first.open.amount_minor(), overdue_core::Currency::GBP);
        let second = InvoiceLine {
            number: "F2026-0002".into(),
            due_date: first.due_date + chrono::Days::new(10),
            amount: first.amount.map(|_| pounds),
            open: pounds,
            ..first.clone()
        };
        several.invoices.push(second);
    }
    if let Some(claim) = &mut several.claim {
        // and a half-year whose reference rate is not known
        claim.interest_missing = Some("no reference rate is known for 2026 H2".into());
    }
    if let Some(document) = &mut several.document {
        document.kind = overdue_core::invoice::InvoiceKind::CreditNote;
    }
    several
}

/// Facts to check a template against: every optional value present (`full`) or absent.
fn sample(template: &str, tone: &str, language: Language, full: bool) -> Draft {
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
    let eur = |minor| Money::new(minor, overdue_core::Currency::EUR);
    let invoice = InvoiceLine {
        number: "F2026-0001".into(),
        issue_date: full.then(|| day(1)),
        due_date: day(10),
        amount: full.then(|| eur(1_331_00)),
        open: eur(1_210_00),
        credited: full.then(|| eur(121_00)),
        payment_reference: None,
        // the full sample asks for two instalments, each with its own lateness
        instalments_due: if full { vec![(day(1), eur(605_00)), (day(10), eur(605_00))] } else { Vec::new() },
        hold: None,
    };
    let payment = PaymentOptions {
        iban: full.then(|| "ES91 2100 0418 4502 0005 1332".into()),
        bic: full.then(|| "CAIXESBBXXX".into()),
        payment_link: full.then(|| "https://pay.example/{invoice}".into()),
        cheque_payable_to: full.then(|| "Sample S.L.".into()),
        direct_debit: full,
        reference_scheme: None,
    };
    Draft {
        template: template.into(),
        tone: tone.into(),
        language,
        today: day(29),
        sender_name: "Sample S.L.".into(),
        letterhead: Letterhead { payment, ..Letterhead::default() },
        customer_code: "C1".into(),
        customer_name: "Customer S.A.".into(),
        customer_address: full.then(|| "Calle Mayor 1, Madrid".into()),
        addressee: full.then(|| "Ana".into()),
        invoices: vec![invoice.clone()],
        terms: full.then(|| "Net 30".into()),
        claim: full.then(|| Claim {
            law: CHECKED_LAWS[(tone.len() + template.len()) % CHECKED_LAWS.len()].into(),
            to: day(29),
            interest: [eur(7_90)].into_iter().collect(),
            interest_missing: None,
            compensation: [eur(40_00)].into_iter().collect(),
            fees: [eur(15_00)].into_iter().collect(),
            // each instalment late from the day after its due date, days counted inclusive:
            // 605.00 × 10.15 % × 9 / 365 = 1.51, then 1,210.00 × 10.15 % × 19 / 365 = 6.39
            lines: vec![
                (day(2), day(10), 9, eur(605_00), "10.15".into(), eur(1_51)),
                (day(11), day(29), 19, eur(1_210_00), "10.15".into(), eur(6_39)),
            ],
        }),
        promise: full.then(|| (day(20), eur(1_210_00))),
        // a deadline comes after the day the message is written
        deadline: full.then(|| day(29) + chrono::Days::new(8)),
        // the invoice document is always about one invoice
        document: (template == "invoice_document").then(|| sample_invoice(full)).flatten(),
        customer_tax_id: full.then(|| "B12345678".into()),
        reminders_sent: u32::from(full),
        also_overdue: if full {
            vec![InvoiceLine { number: "F2025-0099".into(), ..invoice.clone() }]
        } else {
            Vec::new()
        },
        credit: if full { [eur(50_00)].into_iter().collect() } else { Default::default() },
        customer_page: full.then(|| "https://pay.example.com/c/…".to_owned()),
        statement: (template == "statement").then(|| sample_statement(full)),
        plan: (template == "plan_instalment").then(|| crate::facts::PlanNotice {
            id: 7,
            due_date: day(30),
            amount: eur(605_00),
            total: eur(1_210_00),
            schedule: vec![(day(15), eur(605_00), full), (day(30), eur(605_00), false)],
        }),
        fee: if full { [eur(15_00)].into_iter().collect() } else { Default::default() },
    }
}

/// A statement to check the statement template against: November, an invoice, a credit note, a
/// payment; with `full` a returned payment and an account in pounds in credit too.
fn sample_statement(full: bool) -> overdue_core::statement::Statement {
    use overdue_core::statement::{Movement, MovementKind};
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
    let moved =
        |on, kind, document: &str, amount| Movement { on, kind, document: document.into(), due_date: None, amount };
    let eur = |minor| Money::new(minor, overdue_core::Currency::EUR);
    let mut movements = vec![
        moved(day(1) - chrono::Days::new(20), MovementKind::Invoice, "F2026-0000", eur(400_00)),
        Movement { due_date: Some(day(10)), ..moved(day(1), MovementKind::Invoice, "F2026-0001", eur(1_331_00)) },
        moved(day(5), MovementKind::CreditNote, "NC2026-0001", eur(121_00)),
        moved(day(20), MovementKind::Payment, "TRF 778", eur(400_00)),
    ];
    if full {
        let gbp = |minor| Money::new(minor, overdue_core::Currency::GBP);
        movements.push(moved(day(21), MovementKind::PaymentReturned, "TRF 778", eur(400_00)));
        movements.push(moved(day(22), MovementKind::Payment, "TRF 779", eur(400_00)));
        movements.push(moved(day(2), MovementKind::Payment, "BACS 12", gbp(50_00)));
    }
    overdue_core::statement::statement(&movements, (day(1), day(29)), overdue_core::Currency::EUR)
        .unwrap_or_else(|_| overdue_core::statement::Statement { from: day(1), to: day(29), accounts: Vec::new() })
}

/// An invoice to check the invoice document against (its constant parts always parse).
fn sample_invoice(full: bool) -> Option<overdue_core::invoice::Invoice> {
    use overdue_core::ids::{CustomerCode, InvoiceNumber};
    use overdue_core::invoice::{InvoiceDraft, InvoiceKind};
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
    let draft = InvoiceDraft {
        number: InvoiceNumber::parse("F2026-0001").ok()?,
        customer: CustomerCode::parse("C1").ok()?,
        kind: InvoiceKind::Invoice,
        issue_date: day(1),
        supply_from: full.then(|| day(1)),
        supply_to: full.then(|| day(2)),
        delivery_place: full.then(|| "Calle Mayor 1, Madrid".into()),
        currency: overdue_core::Currency::EUR,
        lines: vec![overdue_core::invoice::InvoiceLine {
            description: "Goods".into(),
            quantity: overdue_core::quantity::Quantity::ONE,
            unit_price_minor: 1_000_00,
            tax_rate_basis_points: 2100,
        }],
        terms: overdue_core::terms::PaymentTerms::parse("Net 30").ok(),
        sent_on: None,
    };
    draft.issue().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_claim_every_preview_shows_adds_up() {
        let draft = sample("final_demand", "final", Language::ES, true);
        let claim = draft.claim.expect("the full sample has a claim");
        let mut total = 0;
        for (from, to, days, outstanding, rate, interest) in &claim.lines {
            assert_eq!((*to - *from).num_days() + 1, *days, "days counted inclusive");
            let rate_hundredths = overdue_core::money::parse_scaled(rate, 2).unwrap();
            // outstanding × rate % × days / 365, rounded half up to the cent
            let exact = i128::from(outstanding.amount_minor()) * i128::from(rate_hundredths) * i128::from(*days);
            let cents = (exact * 2 + 365 * 100 * 100) / (365 * 100 * 100 * 2);
            assert_eq!(i128::from(interest.amount_minor()), cents, "{from}..{to}");
            total += interest.amount_minor();
        }
        assert_eq!(claim.interest.of(overdue_core::Currency::EUR).amount_minor(), total);
    }

    #[test]
    fn interest_not_yet_computable_keeps_the_claims_table_narrow_and_says_why_below_it() {
        let templates = Templates::shipped().expect("the shipped templates");
        for (language, row) in [("en", "Late-payment interest"), ("es", "Intereses de demora"), ("de", "Verzugszinsen")]
        {
            let language = Language::parse(language).expect("a language");
            let draft = several_invoices(&sample("final_demand", "final", language, true));
            let rendered = templates.render(&draft.facts()).expect("a final demand");
            let line = rendered.body.lines().find(|l| l.trim_start().starts_with(row)).expect("the interest row");
            assert!(line.chars().count() < 60, "a table row, not a sentence: {line:?}");
            let said = rendered.body.lines().filter(|l| !l.starts_with("  ")).any(|l| l.contains("eferen"));
            assert!(said, "why, in a sentence of its own:\n{}", rendered.body);
        }
    }
}
