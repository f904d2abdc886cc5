//! What a letter claims: the late-payment interest and the fixed compensation on an invoice
//! under the regime that applies (the one asked for, else the customer's agreed clause, else the
//! law of the organisation's country), and the claim of a final demand or agency case over
//! several invoices — kept per currency, with the compensation in the currency the law sets,
//! and interest that cannot be computed said so, never stated as zero.

use crate::AppError;
use chrono::NaiveDate;
use overdue_core::customer::Agreement;
use overdue_core::holidays::DueDateShift;
use overdue_core::interest::{self, Claim, InterestStatement, PaymentOrder, Regime};
use overdue_core::money::{Amounts, Money};
use overdue_core::rates::RateTable;
use overdue_core::refusal::{Ask, Refusal};
use overdue_store::{ChargeKind, ChargeStatus, InvoiceDetail, Organisation, Store};

/// How to compute interest on one invoice; the defaults are the law's.
#[derive(Debug, Clone, Default)]
pub struct InterestOptions {
    /// A regime by name (`es`, `it`, `gb`, `8%`, `1.5%/month`, `18% cap 10%`…).
    pub regime: Option<String>,
    /// Payments pay costs first, then interest, then principal (Italy c.c. 1194, Spain CC 1173).
    pub legal_order: bool,
    /// Move due dates off non-working days by contract (`stay`, `past_sundays_and_holidays`,
    /// `next_business_day`).
    pub due_date_shift: Option<String>,
}

/// The interest on one invoice, with what it was computed from.
pub struct Computed {
    pub detail: InvoiceDetail,
    pub statement: InterestStatement,
    /// Where the regime came from, in words (`--regime`, the customer's agreement, the law).
    pub regime_source: &'static str,
    /// The customer's written agreement states credit terms.
    pub terms_agreed: bool,
}

/// The regime: the one asked for, else the customer's agreed late-interest clause when it names
/// one, else the statutory regime of the organisation's country for the customer's contract (its
/// date and whether it is an agri-food supply, [`Regime::statutory_for_contract`]).
///
/// Errors: [`AppError::Refused`] for an unknown regime name, or a country with no statutory
/// regime known and nothing agreed.
pub fn regime(
    asked: Option<&str>,
    agreement: Option<&Agreement>,
    organisation: &Organisation,
) -> Result<(Regime, &'static str), AppError> {
    let clause = agreement.and_then(|a| a.late_interest_clause.as_deref());
    if let Some(text) = asked {
        let regime =
            Regime::parse(text).ok_or_else(|| {
                AppError::Refused(format!(
                "regime {text:?} is not known: use es, it, it-before-2013, it-agrifood, gb, a rate such as 8% or \
                 1.5%/month, optionally with \"cap 10%\""
            ).into())
            })?;
        return Ok((regime, "--regime"));
    }
    if let Some(regime) = clause.and_then(Regime::parse) {
        return Ok((regime, "the customer's agreement"));
    }
    let (contract_date, agri_food) = agreement.map_or((None, false), |a| (a.contract_date, a.agri_food));
    let statutory = Regime::statutory_for_contract(organisation.country, contract_date, agri_food);
    let source = match statutory {
        Some(regime) if Regime::statutory(organisation.country) != Some(regime) => {
            "the law of the organisation's country, for the customer's contract"
        }
        _ => "the law of the organisation's country",
    };
    statutory.map(|regime| (regime, source)).ok_or_else(|| {
        AppError::Refused(
            format!(
                "overdue knows no statutory late-payment regime for {}: pass --regime (e.g. \"1.5%/month\" as agreed \
                 in the contract), or record the rate in the customer's agreement",
                organisation.country.as_str()
            )
            .into(),
        )
    })
}

/// The regime for a customer's invoices: their agreed clause when it names one, else the law.
fn customer_regime(
    store: &mut dyn Store,
    organisation: &Organisation,
    code: &str,
) -> Result<(Regime, &'static str), AppError> {
    let customer = store.customer(organisation.id, code)?;
    regime(None, customer.as_ref().map(|c| &c.agreement), organisation)
}

/// The interest and compensation on invoice `number` as of `as_of`.
///
/// Errors: the invoice is not in the books; the regime cannot be chosen; a half-year whose
/// reference rate `rates` does not hold ([`AppError::Interest`]).
pub fn compute(
    store: &mut dyn Store,
    organisation: &Organisation,
    number: &str,
    options: &InterestOptions,
    rates: &RateTable,
    as_of: NaiveDate,
) -> Result<Computed, AppError> {
    let detail = store
        .invoice(organisation.id, number)?
        .ok_or_else(|| AppError::NotFound { what: "invoice", key: number.to_owned() })?;
    let customer = store.customer(organisation.id, detail.invoice.customer.as_str())?;
    let terms_agreed = customer.as_ref().is_some_and(|c| c.agreement.payment_terms.is_some());
    let (regime, regime_source) =
        regime(options.regime.as_deref(), customer.as_ref().map(|c| &c.agreement), organisation)?;
    let shift = match &options.due_date_shift {
        Some(text) => Some((
            DueDateShift::parse(text).ok_or_else(|| {
                AppError::Refused(
                    format!("due-date shift {text:?}: use stay, past_sundays_and_holidays or next_business_day").into(),
                )
            })?,
            organisation.country,
        )),
        None => None,
    };
    let payments: Vec<(NaiveDate, Money)> = detail.payments.iter().map(|p| (p.date, p.amount)).collect();
    let claim = Claim {
        regime,
        instalments: &detail.invoice.instalments,
        payments: &payments,
        order: if options.legal_order { PaymentOrder::CostsInterestPrincipal } else { PaymentOrder::PrincipalFirst },
        due_date_shift: shift,
    };
    let statement = interest::compute(&claim, as_of, rates)
        .map_err(|reason| AppError::Interest { invoice: number.to_owned(), reason })?;
    Ok(Computed { detail, statement, regime_source, terms_agreed })
}

/// The fixed compensation for recovery costs on invoice `number` as of `today`, with its regime,
/// when the interest cannot be computed: it needs no rate — the regime alone (the customer's
/// agreed clause, else the law) says what it is, once the invoice is overdue (Directive
/// 2011/7/EU art. 6; Ley 3/2004 art. 8; D.Lgs. 231/2002 art. 6; Late Payment Act 1998 s. 5A).
///
/// Errors: store errors.
fn compensation_without_rate(
    store: &mut dyn Store,
    organisation: &Organisation,
    number: &str,
    today: NaiveDate,
) -> Result<Option<(Regime, Money)>, AppError> {
    let Some(detail) = store.invoice(organisation.id, number)? else { return Ok(None) };
    let Ok((regime, _)) = customer_regime(store, organisation, detail.invoice.customer.as_str()) else {
        return Ok(None);
    };
    if detail.invoice.due_date() >= today {
        return Ok(None);
    }
    Ok(regime.compensation(detail.invoice.totals.gross).map(|compensation| (regime, compensation)))
}

/// The claim of a final demand or agency case over `invoices` as of `today`: interest per
/// currency (each invoice's in its own), the fixed compensation in the currency the law sets,
/// the late fees charged by dunning steps. When the interest of any invoice cannot be computed
/// (a half-year whose rate is not known), the claim says why and states no interest at all —
/// never a zero — while the compensation, which needs no rate, is still claimed.
pub fn for_invoices(
    store: &mut dyn Store,
    organisation: &Organisation,
    rates: &RateTable,
    invoices: &[&str],
    today: NaiveDate,
) -> Result<overdue_notify::Claim, AppError> {
    let mut claim = overdue_notify::Claim {
        law: String::new(),
        to: today,
        interest: Amounts::default(),
        interest_missing: None,
        compensation: Amounts::default(),
        fees: Amounts::default(),
        lines: Vec::new(),
    };
    for number in invoices {
        match compute(store, organisation, number, &InterestOptions::default(), rates, today) {
            Ok(computed) => add_statement(&mut claim, &computed.statement),
            Err(AppError::Interest { invoice, reason }) => {
                claim.interest_missing.get_or_insert(format!("invoice {invoice}: {reason}"));
                if let Some((regime, compensation)) = compensation_without_rate(store, organisation, number, today)? {
                    claim.law = law(regime).to_owned();
                    claim.compensation.add(compensation);
                }
            }
            Err(other) => return Err(other),
        }
        for charge in store.charges(organisation.id, number)? {
            if charge.kind == ChargeKind::StepFee && charge.status == ChargeStatus::Charged {
                claim.fees.add(charge.amount);
            }
        }
    }
    if claim.interest_missing.is_some() {
        claim.lines.clear();
    }
    Ok(claim)
}

fn add_statement(claim: &mut overdue_notify::Claim, statement: &InterestStatement) {
    claim.law = law(statement.regime).to_owned();
    claim.interest.add(statement.interest);
    if let Some(compensation) = statement.compensation {
        claim.compensation.add(compensation);
    }
    for l in &statement.lines {
        claim.lines.push((l.from, l.to, l.days, l.outstanding, l.rate.to_string(), l.interest));
    }
}

/// The short name of the rules a claim follows, for the templates.
fn law(regime: Regime) -> &'static str {
    match regime {
        Regime::Spain => "es",
        Regime::Italy(_) => "it",
        Regime::UnitedKingdom => "gb",
        Regime::Contractual { .. } => "contract",
    }
}

/// What a person waives on an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waived<'a> {
    /// The late-payment interest as of the day.
    Interest,
    /// The fixed compensation for recovery costs.
    Compensation,
    /// The late fee of a dunning step, by the step's name.
    Fee(&'a str),
}

/// Waives interest, compensation or a step's late fee on invoice `number` as of `as_of`, with a
/// reason, recorded by `by` on day `on` (never claimed again); the amount waived, and whether it was new
/// (false: waived already, nothing changed).
///
/// Errors: [`AppError::Invalid`] for an empty reason or one that breaks the rule for text;
/// [`AppError::Refused`] when there is no such fee or no compensation owed; the interest's own
/// errors (a half-year without its rate); store errors.
pub fn waive(
    store: &mut dyn Store,
    organisation: &Organisation,
    (number, what): (&str, Waived<'_>),
    (reason, by, as_of, on): (&str, &str, NaiveDate, NaiveDate),
    (options, rates): (&InterestOptions, &RateTable),
) -> Result<(Money, bool), AppError> {
    crate::text("reason", reason)?;
    if reason.trim().is_empty() {
        return Err(AppError::Invalid { field: "reason", reason: Refusal::Empty(Ask::WhyWaived) });
    }
    crate::day("as_of", as_of)?;
    let (kind, step, amount) = match what {
        Waived::Fee(step) => {
            let charged = store.charges(organisation.id, number)?;
            let fee = charged.iter().find(|c| c.kind == ChargeKind::StepFee && c.step.as_deref() == Some(step));
            let fee = fee.ok_or_else(|| {
                AppError::Refused(format!("invoice {number} has no late fee for step {step:?} to waive").into())
            })?;
            (ChargeKind::StepFee, Some(step.to_owned()), fee.amount)
        }
        Waived::Interest => {
            let computed = compute(store, organisation, number, options, rates, as_of)?;
            (ChargeKind::Interest, None, computed.statement.interest)
        }
        Waived::Compensation => {
            let owed = match compute(store, organisation, number, options, rates, as_of) {
                Ok(computed) => computed.statement.compensation,
                Err(AppError::Interest { .. }) => {
                    compensation_without_rate(store, organisation, number, as_of)?.map(|(_, money)| money)
                }
                Err(other) => return Err(other),
            };
            let amount = owed.ok_or_else(|| {
                AppError::Refused(
                    format!("no compensation for recovery costs is owed on {number} as of {as_of}").into(),
                )
            })?;
            (ChargeKind::Compensation, None, amount)
        }
    };
    let waiver = overdue_store::NewCharge {
        kind,
        step,
        amount,
        computed_to: as_of,
        status: ChargeStatus::Waived,
        recorded_on: on,
        recorded_by: by.to_owned(),
        note: Some(reason.trim().to_owned()),
        detail: None,
    };
    let new = store.record_charge(organisation.id, number, &waiver)?;
    Ok((amount, new))
}
