//! What a message says, gathered from the books and written out in the customer's language:
//! amounts as the language writes them (`1.574,40 €`, `EUR 1,574.40`), dates likewise, the
//! credit terms in words, every payment option, and the claim (interest, compensation, fees) of a
//! final demand. Templates see only these facts, so a template can never reach into the books.

use chrono::{Datelike, NaiveDate};
use overdue_core::ids::Language;
use overdue_core::invoice::{Invoice, InvoiceKind};
use overdue_core::letterhead::Letterhead;
use overdue_core::money::{Amounts, Money};
use overdue_core::structured_reference;
use serde::Serialize;

/// One invoice as a message lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLine {
    pub number: String,
    pub issue_date: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub amount: Option<Money>,
    pub open: Money,
    /// What credit notes took off it (the open amount is after them).
    pub credited: Option<Money>,
    /// The structured reference the customer is asked to quote for it, when it has its own (from
    /// its e-invoice); otherwise messages print an ISO 11649 `RF` reference built from its number.
    pub payment_reference: Option<String>,
    /// When it asks for several instalments, each one due: its due date and what is unpaid of it
    /// (each is as late as its own date); empty otherwise.
    pub instalments_due: Vec<(NaiveDate, Money)>,
    /// Why it is not asked for now, when it is listed all the same (a statement lists the whole
    /// account).
    pub hold: Option<Hold>,
}

/// Why an open invoice a message lists is not asked for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    /// In dispute: not chased until it is resolved.
    Disputed,
    /// In a payment plan kept so far: paid by its instalments.
    InPlan,
    /// The customer says it is paid: the money is being looked for.
    SaidPaid,
}

/// Interest and costs claimed on a final demand, with the computation line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The rules the interest follows: `es` (Ley 3/2004), `it` (D.Lgs. 231/2002), `gb` (Late
    /// Payment of Commercial Debts (Interest) Act 1998) or `contract` (a rate agreed in the
    /// contract). A letter cites a national law only when it is the one applied.
    pub law: String,
    pub to: NaiveDate,
    /// Interest per currency (each invoice's in its own currency).
    pub interest: Amounts,
    /// Why the interest could not be computed on some invoice (e.g. a half-year whose
    /// reference rate is not known): the claim then states no interest figure at all, never 0.
    pub interest_missing: Option<String>,
    /// The fixed compensation in the currency the law sets (EUR 40 under the EU directive, also
    /// on a pound invoice; GBP 40/70/100 under the UK Act).
    pub compensation: Amounts,
    /// Late fees charged by dunning steps, per currency.
    pub fees: Amounts,
    /// (from, to, days, outstanding, rate in percent as text, interest)
    pub lines: Vec<(NaiveDate, NaiveDate, i64, Money, String, Money)>,
}

/// Everything a message is built from, as the books hold it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub template: String,
    pub tone: String,
    pub language: Language,
    pub today: NaiveDate,
    pub sender_name: String,
    pub letterhead: Letterhead,
    pub customer_code: String,
    pub customer_name: String,
    pub customer_address: Option<String>,
    /// The person addressed (billing contact, or the invoice approver for an escalation).
    pub addressee: Option<String>,
    pub invoices: Vec<InvoiceLine>,
    pub terms: Option<String>,
    pub claim: Option<Claim>,
    /// A promise to pay that was broken: its date and amount.
    pub promise: Option<(NaiveDate, Money)>,
    /// The last day to pay before the next step (final demands).
    pub deadline: Option<NaiveDate>,
    /// The invoice itself, when the message is the invoice document.
    pub document: Option<Invoice>,
    pub customer_tax_id: Option<String>,
    /// Reminders already sent to the customer about these invoices (0 for a first reminder):
    /// a message claims an earlier reminder only when there was one.
    pub reminders_sent: u32,
    /// The late fee this message's step charges, per currency.
    pub fee: Amounts,
    /// The customer's other invoices overdue on the day, not asked for by this message (in
    /// dispute, promised, or at another step): shown so that no message hides a debt.
    pub also_overdue: Vec<InvoiceLine>,
    /// Credit the customer holds with us (over-payments, credit notes not yet used), per currency.
    pub credit: Amounts,
    /// The private link to the customer's own page (what they owe, paying by QR code, a date
    /// they will pay by, a problem with an invoice), when the business gives a public address.
    pub customer_page: Option<String>,
    /// The statement of account a statement message sends (its open items are `invoices`).
    pub statement: Option<overdue_core::statement::Statement>,
    /// The payment plan whose next instalment a plan reminder announces.
    pub plan: Option<PlanNotice>,
}

/// A payment plan's next instalment, as its reminder states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanNotice {
    pub id: i64,
    /// The instalment announced: its date, and what is still to pay of it.
    pub due_date: NaiveDate,
    pub amount: Money,
    /// Principal plus interest.
    pub total: Money,
    /// Every instalment: its date, its amount, and whether it is paid.
    pub schedule: Vec<(NaiveDate, Money, bool)>,
}

/// The plan a template sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanFacts {
    pub id: i64,
    pub due_date: String,
    pub amount: String,
    pub total: String,
    pub schedule: Vec<PlanLineFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanLineFacts {
    pub due_date: String,
    pub amount: String,
    pub paid: bool,
}

/// The facts a template sees, every value already written out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub template: String,
    pub tone: String,
    pub language: String,
    pub today: String,
    pub sender: Sender,
    pub customer: CustomerFacts,
    pub invoices: Vec<InvoiceFacts>,
    /// What the listed invoices leave open, one amount per currency joined by " + ".
    pub total_open: String,
    /// Reminders already sent about these invoices (0: this is the first).
    pub reminders_sent: u32,
    /// The late fee this message charges, if any (per currency, joined by " + ").
    pub fee: Option<String>,
    /// The customer's other overdue invoices, not asked for by this message.
    pub also_overdue: Vec<InvoiceFacts>,
    /// Credit the customer holds with us, if any (per currency, joined by " + ").
    pub credit: Option<String>,
    /// What is asked now: the open amounts plus the fee (per currency, joined by " + ").
    pub total_due: String,
    pub terms: Option<String>,
    pub payment: PaymentFacts,
    pub claim: Option<ClaimFacts>,
    pub promise: Option<PromiseFacts>,
    pub deadline: Option<String>,
    pub document: Option<DocumentFacts>,
    pub statement: Option<crate::statement::StatementFacts>,
    pub plan: Option<PlanFacts>,
}

/// An invoice written out in full: what was supplied, when and where, the totals, the terms in
/// words and every due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentFacts {
    pub number: String,
    pub credit_note: bool,
    pub issue_date: String,
    pub customer_tax_id: Option<String>,
    pub supply_from: Option<String>,
    pub supply_to: Option<String>,
    pub delivery_place: Option<String>,
    pub lines: Vec<DocumentLine>,
    pub net: String,
    pub tax: String,
    pub total: String,
    pub instalments: Vec<InstalmentFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentLine {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub tax_rate: String,
    pub net: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstalmentFacts {
    pub due_date: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sender {
    pub name: String,
    pub address: Option<String>,
    pub tax_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub signed_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerFacts {
    pub code: String,
    pub name: String,
    pub address: Option<String>,
    /// The address as a letter's recipient block sets it, one line per part ([`address_lines`]).
    pub address_lines: Vec<String>,
    pub addressee: Option<String>,
}

/// An address kept on one line ("Via Roma 12, 20121 Milano MI") as the lines of a recipient
/// block: cut at its line breaks and commas, each part trimmed, none empty.
pub fn address_lines(address: &str) -> Vec<String> {
    address.split(['\n', ',']).map(str::trim).filter(|part| !part.is_empty()).map(str::to_owned).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceFacts {
    pub number: String,
    pub issue_date: Option<String>,
    pub due_date: String,
    pub amount: Option<String>,
    pub open: String,
    /// What credit notes took off it, when any did (the open amount is after them).
    pub credited: Option<String>,
    /// Days past the due date (0 while not yet due).
    pub days_overdue: i64,
    /// The instalments it asks for, when several are due.
    pub instalments: Vec<DueFacts>,
    /// Why it is not asked for now (`disputed`, `in_plan`, `said_paid`), when it is not.
    pub hold: Option<Hold>,
}

/// One instalment due, as a message lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueFacts {
    pub due_date: String,
    pub open: String,
    pub days_overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentFacts {
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// The reference to quote on a transfer: the ISO 11649 creditor reference of the invoice (of
    /// the first one when several are listed), else its number.
    pub reference: String,
    pub link: Option<String>,
    pub cheque_payable_to: Option<String>,
    pub direct_debit: bool,
    /// Whether the business stated any way to pay.
    pub any: bool,
    /// The private link to the customer's own page, when there is one.
    pub page: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimFacts {
    pub law: String,
    pub to: String,
    pub principal: String,
    /// The interest (per currency), or empty when it could not be computed.
    pub interest: String,
    /// Why the interest is not stated (the claim then gives no interest figure).
    pub interest_missing: Option<String>,
    /// Empty when no fixed compensation applies.
    pub compensation: String,
    /// Empty when no late fee was charged.
    pub fees: String,
    pub total: String,
    pub lines: Vec<ClaimLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimLine {
    pub from: String,
    pub to: String,
    pub days: i64,
    pub outstanding: String,
    pub rate: String,
    pub interest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromiseFacts {
    pub date: String,
    pub amount: String,
}

impl Draft {
    /// The facts, written out in the draft's language.
    pub fn facts(&self) -> Facts {
        let lang = self.language;
        let principal: Amounts = self.invoices.iter().map(|i| i.open).collect();
        let mut due = principal.clone();
        due.add_all(&self.fee);
        Facts {
            template: self.template.clone(),
            tone: self.tone.clone(),
            language: lang.as_str().to_owned(),
            today: date(self.today, lang),
            sender: self.sender(),
            customer: CustomerFacts {
                code: self.customer_code.clone(),
                name: self.customer_name.clone(),
                address: self.customer_address.clone(),
                address_lines: self.customer_address.as_deref().map(address_lines).unwrap_or_default(),
                addressee: self.addressee.clone(),
            },
            invoices: self.invoices.iter().map(|i| self.invoice(i)).collect(),
            total_open: amounts(&principal, lang),
            reminders_sent: self.reminders_sent,
            also_overdue: self.also_overdue.iter().map(|i| self.invoice(i)).collect(),
            credit: (!self.credit.non_zero().is_empty()).then(|| amounts(&self.credit.non_zero(), lang)),
            fee: (!self.fee.non_zero().is_empty()).then(|| amounts(&self.fee.non_zero(), lang)),
            total_due: amounts(&due, lang),
            terms: self.terms.clone(),
            payment: self.payment(),
            claim: self.claim.as_ref().map(|c| claim(c, &principal, lang)),
            promise: self
                .promise
                .map(|(on, amount)| PromiseFacts { date: date(on, lang), amount: money(amount, lang) }),
            deadline: self.deadline.map(|d| date(d, lang)),
            document: self.document.as_ref().map(|invoice| self.document(invoice)),
            statement: self.statement.as_ref().map(|s| crate::statement::StatementFacts::new(s, lang)),
            plan: self.plan.as_ref().map(|plan| PlanFacts {
                id: plan.id,
                due_date: date(plan.due_date, lang),
                amount: money(plan.amount, lang),
                total: money(plan.total, lang),
                schedule: plan
                    .schedule
                    .iter()
                    .map(|(due, amount, paid)| PlanLineFacts {
                        due_date: date(*due, lang),
                        amount: money(*amount, lang),
                        paid: *paid,
                    })
                    .collect(),
            }),
        }
    }

    fn document(&self, invoice: &Invoice) -> DocumentFacts {
        let lang = self.language;
        let amount = |minor: i64| money(Money::new(minor, invoice.currency), lang);
        DocumentFacts {
            number: invoice.number.to_string(),
            credit_note: invoice.kind == InvoiceKind::CreditNote,
            issue_date: date(invoice.issue_date, lang),
            customer_tax_id: self.customer_tax_id.clone(),
            supply_from: invoice.supply_from.map(|d| date(d, lang)),
            supply_to: invoice.supply_to.map(|d| date(d, lang)),
            delivery_place: invoice.delivery_place.clone(),
            lines: invoice
                .lines
                .iter()
                .map(|line| DocumentLine {
                    description: line.description.clone(),
                    quantity: line.quantity.to_string(),
                    unit_price: amount(line.unit_price_minor),
                    tax_rate: percent(
                        &format!("{}.{:02}", line.tax_rate_basis_points / 100, line.tax_rate_basis_points % 100),
                        lang,
                    ),
                    net: amount(line.net_minor().unwrap_or_default()),
                })
                .collect(),
            net: money(invoice.totals.net, lang),
            tax: money(invoice.totals.tax, lang),
            total: money(invoice.totals.gross, lang),
            instalments: invoice
                .instalments
                .iter()
                .map(|i| InstalmentFacts { due_date: date(i.due_date, lang), amount: money(i.amount, lang) })
                .collect(),
        }
    }

    fn sender(&self) -> Sender {
        let head = &self.letterhead;
        Sender {
            name: self.sender_name.clone(),
            address: head.address.clone(),
            tax_id: head.tax_id.clone(),
            email: head.email.clone(),
            phone: head.phone.clone(),
            signed_by: head.signed_by.clone().unwrap_or_else(|| self.sender_name.clone()),
        }
    }

    fn invoice(&self, invoice: &InvoiceLine) -> InvoiceFacts {
        let lang = self.language;
        InvoiceFacts {
            number: invoice.number.clone(),
            issue_date: invoice.issue_date.map(|d| date(d, lang)),
            due_date: date(invoice.due_date, lang),
            amount: invoice.amount.map(|m| money(m, lang)),
            open: money(invoice.open, lang),
            credited: invoice.credited.map(|m| money(m, lang)),
            days_overdue: (self.today - invoice.due_date).num_days().max(0),
            hold: invoice.hold,
            instalments: invoice
                .instalments_due
                .iter()
                .map(|(due_date, open)| DueFacts {
                    due_date: date(*due_date, lang),
                    open: money(*open, lang),
                    days_overdue: (self.today - *due_date).num_days().max(0),
                })
                .collect(),
        }
    }

    fn payment(&self) -> PaymentFacts {
        let options = &self.letterhead.payment;
        // the reference of the first invoice asked for (one on hold is not paid now)
        let asked = self.invoices.iter().find(|i| i.hold.is_none());
        let first = asked.map_or("", |i| i.number.as_str());
        let own = asked.and_then(|i| i.payment_reference.as_deref());
        let reference = structured_reference::to_quote(own, options.reference_scheme, first);
        PaymentFacts {
            iban: options.iban.clone(),
            bic: options.bic.clone(),
            reference,
            link: options.payment_link.as_ref().map(|link| link.replace("{invoice}", first)),
            cheque_payable_to: options.cheque_payable_to.clone(),
            direct_debit: options.direct_debit,
            any: !options.is_empty(),
            page: self.customer_page.clone(),
        }
    }
}

fn claim(claim: &Claim, principal: &Amounts, lang: Language) -> ClaimFacts {
    let mut total = principal.clone();
    for part in [&claim.interest, &claim.compensation, &claim.fees] {
        total.add_all(part);
    }
    let stated =
        |part: &Amounts| if part.non_zero().is_empty() { String::new() } else { amounts(&part.non_zero(), lang) };
    ClaimFacts {
        law: claim.law.clone(),
        to: date(claim.to, lang),
        principal: amounts(principal, lang),
        interest: if claim.interest_missing.is_some() { String::new() } else { amounts(&claim.interest, lang) },
        interest_missing: claim.interest_missing.clone(),
        compensation: stated(&claim.compensation),
        fees: stated(&claim.fees),
        total: amounts(&total, lang),
        lines: claim
            .lines
            .iter()
            .map(|(from, to, days, outstanding, rate, interest)| ClaimLine {
                from: date(*from, lang),
                to: date(*to, lang),
                days: *days,
                outstanding: money(*outstanding, lang),
                rate: percent(rate, lang),
                interest: money(*interest, lang),
            })
            .collect(),
    }
}

/// Amounts of several currencies as the language writes them, one per currency joined by
/// " + " (`EUR 2,000.00 + GBP 1,000.00`): never added into one figure.
pub fn amounts(sums: &Amounts, language: Language) -> String {
    let written: Vec<String> = sums.iter().map(|m| money(m, language)).collect();
    written.join(" + ")
}

/// Whether the language writes numbers with a decimal comma and the currency symbol after them
/// (Spanish, Italian, German, French).
pub(crate) fn continental(language: Language) -> bool {
    [Language::ES, Language::IT, Language::DE, Language::FR].contains(&language)
}

/// A rate written `10.15` or `10.15 %` as the language writes it: `10,15 %` (es, it, de, fr),
/// `10.15 %`.
fn percent(rate: &str, language: Language) -> String {
    let number = rate.trim().trim_end_matches('%').trim();
    if continental(language) { format!("{} %", number.replace('.', ",")) } else { format!("{number} %") }
}

/// An amount as the language writes it: `1.574,40 €` (es, it, de), `1 574,40 €` (fr),
/// `EUR 1,574.40` (others).
pub fn money(amount: Money, language: Language) -> String {
    let written = number(amount, language);
    let code = amount.currency().code();
    let symbol = match code {
        "EUR" => "€",
        "GBP" => "£",
        "USD" => "$",
        other => other,
    };
    match written.strip_prefix('-') {
        _ if continental(language) => format!("{written} {symbol}"),
        Some(positive) => format!("-{code} {positive}"),
        None => format!("{code} {written}"),
    }
}

/// An amount's number alone, as the language writes it: `-1.574,40` (es, it, de), `1 574,40`
/// (fr, a no-break space), `1,574.40` (others). For a table whose currency is said once.
pub fn number(amount: Money, language: Language) -> String {
    let plain = amount.to_decimal_string();
    let (sign, digits) = plain.strip_prefix('-').map_or(("", plain.as_str()), |rest| ("-", rest));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let (group, decimal) = match language {
        Language::FR => ('\u{a0}', ','),
        _ if continental(language) => ('.', ','),
        _ => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    if fraction.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped}{decimal}{fraction}") }
}

/// A date in a table's short form: `29/11/2026` (es, it, fr), `29.11.2026` (de), `2026-11-29`
/// (others: ISO 8601, which no reader takes for another day).
pub fn short_date(day: NaiveDate, language: Language) -> String {
    if language == Language::DE {
        day.format("%d.%m.%Y").to_string()
    } else if continental(language) {
        day.format("%d/%m/%Y").to_string()
    } else {
        day.format("%Y-%m-%d").to_string()
    }
}

/// A date as the language writes it: `29/11/2026` (es, it, fr), `29.11.2026` (de),
/// `29 November 2026` (en).
pub fn date(day: NaiveDate, language: Language) -> String {
    if language == Language::DE {
        day.format("%d.%m.%Y").to_string()
    } else if continental(language) {
        day.format("%d/%m/%Y").to_string()
    } else {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {} {}", day.day(), MONTHS[day.month0() as usize], day.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use overdue_core::Currency;

    #[test]
    fn amounts_and_dates_are_written_as_each_language_writes_them() {
        let amount = Money::new(1_234_567_89, Currency::EUR);
        assert_eq!(money(amount, Language::ES), "1.234.567,89 €");
        assert_eq!(money(amount, Language::IT), "1.234.567,89 €");
        assert_eq!(money(amount, Language::EN), "EUR 1,234,567.89");
        assert_eq!(money(Money::new(-5_00, Currency::GBP), Language::EN), "-GBP 5.00");
        assert_eq!(money(Money::new(500, Currency::JPY), Language::EN), "JPY 500");
        let day = NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
        assert_eq!(date(day, Language::ES), "09/11/2026");
        assert_eq!(date(day, Language::EN), "9 November 2026");
    }
}
