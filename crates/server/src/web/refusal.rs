//! The books' refusals said in the visitor's language (`rf_*` words): the pages' side of
//! [`overdue_core::refusal`], whose English the CLI and the API keep.

use super::i18n::Lang;
use crate::error::ApiError;
use overdue_core::interest::InterestError;
use overdue_core::refusal::{Ask, MessageStates, Refusal};
use overdue_core::text::TextError;

/// Why a request was refused, as the visitor reads it: the books' refusal in their language, or
/// the error's own text when it carries none.
pub fn reason(lang: Lang, error: &ApiError) -> String {
    error.refusal.as_ref().map_or_else(|| error.reason.clone(), |refusal| said(lang, refusal))
}

/// One refusal in `lang`'s words; a reason kept only as English text reads as written.
pub fn said(lang: Lang, refusal: &Refusal) -> String {
    let day = |d: &chrono::NaiveDate| lang.day(*d);
    let money = |m: &overdue_core::Money| lang.money(*m);
    match refusal {
        Refusal::Empty(ask) => lang.word(ask_key(*ask)),
        Refusal::AfterToday { day: d, today } => {
            lang.fill("rf_after_today", &[("day", &day(d)), ("today", &day(today))])
        }
        Refusal::DayPast { day: d, today } => lang.fill("rf_day_past", &[("day", &day(d)), ("today", &day(today))]),
        Refusal::Text(TextError::ControlCharacter { position, .. }) => {
            lang.fill("rf_text_control", &[("position", &position.to_string())])
        }
        Refusal::Text(TextError::TooLong { chars }) => lang.fill(
            "rf_text_too_long",
            &[("chars", &chars.to_string()), ("max", &overdue_core::text::TEXT_CHARS_MAX.to_string())],
        ),
        Refusal::OutsideYears { day: d } => lang.fill("rf_outside_years", &[("day", &d.to_string())]),
        Refusal::PasswordTooShort { min_chars } => {
            lang.fill("rf_password_too_short", &[("min", &min_chars.to_string())])
        }
        Refusal::WrongLogin => lang.word("rf_wrong_login"),
        Refusal::CannotDisableSelf { email } => lang.fill("rf_cannot_disable_self", &[("email", email)]),
        Refusal::CannotLogInAlready { email, organisation } => {
            lang.fill("rf_cannot_log_in_already", &[("email", email), ("organisation", organisation)])
        }
        Refusal::CanAlreadyLogIn { email } => lang.fill("rf_can_already_log_in", &[("email", email)]),
        Refusal::NotTheirInvoice { number, customer } => {
            lang.fill("rf_not_their_invoice", &[("number", number), ("customer", customer)])
        }
        Refusal::OwesNothingIn { customer, currency, on } => {
            lang.fill("rf_owes_nothing_in", &[("customer", customer), ("currency", currency.code()), ("on", &day(on))])
        }
        Refusal::PromiseAboveOwed { amount, owed, customer, on, invoices } => lang.fill(
            if invoices.is_empty() { "rf_promise_above_owed" } else { "rf_promise_above_owed_named" },
            &[
                ("amount", &money(amount)),
                ("owed", &money(owed)),
                ("customer", customer),
                ("on", &day(on)),
                ("invoices", &invoices.join(", ")),
            ],
        ),
        Refusal::PromiseOfNothing { amount } => lang.fill("rf_promise_of_nothing", &[("amount", &money(amount))]),
        Refusal::PromiseBeforeMade { promised_date } => {
            lang.fill("rf_promise_before_made", &[("date", &day(promised_date))])
        }
        Refusal::PromiseTooFar { promised_date } => lang.fill("rf_promise_too_far", &[("date", &day(promised_date))]),
        Refusal::AlreadyInDispute { number, since } => {
            let since =
                chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d").map_or_else(|_| since.clone(), |d| day(&d));
            lang.fill("rf_already_in_dispute", &[("number", number), ("since", &since)])
        }
        Refusal::NotADispute { reason } => lang.fill("rf_not_a_dispute", &[("reason", &lang.term("reason_", reason))]),
        Refusal::NoOpenDispute { number, on } => {
            lang.fill("rf_no_open_dispute", &[("number", number), ("on", &day(on))])
        }
        Refusal::PaidBeforeIssued { paid_on, number, issued_on } => lang.fill(
            "rf_paid_before_issued",
            &[("paid_on", &day(paid_on)), ("number", number), ("issued_on", &day(issued_on))],
        ),
        Refusal::NotAReason { reason } => lang.fill("rf_not_a_reason", &[("reason", reason)]),
        Refusal::NotAnEmail { email } => lang.fill("rf_not_an_email", &[("email", email)]),
        Refusal::AlreadySaidPaid { number, on } => {
            lang.fill("rf_already_said_paid", &[("number", number), ("on", &day(on))])
        }
        Refusal::PlanNotOffered { count, max: 0 } => lang.fill("rf_plan_not_offered", &[("count", &count.to_string())]),
        Refusal::PlanNotOffered { count, max } => {
            lang.fill("rf_plan_too_many", &[("count", &count.to_string()), ("max", &max.to_string())])
        }
        Refusal::PlanFirstTooLate { first } => lang.fill("portal_plan_first_late", &[("date", &day(first))]),
        Refusal::PlanAfterFinalDemand => lang.word("rf_plan_after_final_demand"),
        Refusal::PlanBrokenBefore { id, on } => {
            lang.fill("rf_plan_broken_before", &[("id", &id.to_string()), ("on", &day(on))])
        }
        Refusal::NothingToPlan => lang.word("rf_nothing_to_plan"),
        Refusal::InvoiceSettled { number } => lang.fill("rf_invoice_settled", &[("number", number)]),
        Refusal::PaidAboveOpen { amount, open, number } => {
            lang.fill("rf_paid_above_open", &[("amount", &money(amount)), ("open", &money(open)), ("number", number)])
        }
        Refusal::PromisedAlready { amount, promised, by, owed } => lang.fill(
            "rf_promised_already",
            &[("amount", &money(amount)), ("promised", &money(promised)), ("by", &day(by)), ("owed", &money(owed))],
        ),
        Refusal::PlanCancelled { id, day: d } => {
            lang.fill("rf_plan_cancelled", &[("id", &id.to_string()), ("day", &day(d))])
        }
        Refusal::PeriodBackwards { from, to } => {
            lang.fill("rf_period_backwards", &[("from", &day(from)), ("to", &day(to))])
        }
        Refusal::PaidNothing { amount } => lang.fill("rf_paid_nothing", &[("amount", &money(amount))]),
        Refusal::PaymentAlreadyUndone { reference, day: d } => {
            lang.fill("rf_payment_already_undone", &[("reference", reference), ("day", &day(d))])
        }
        Refusal::PaymentFromBankLine { reference, line } => {
            lang.fill("rf_payment_from_bank_line", &[("reference", reference), ("line", &line.to_string())])
        }
        Refusal::ActionClosed { skipped, on, by, .. } => lang.fill(
            if *skipped { "rf_action_skipped" } else { "rf_action_done" },
            &[("on", &on.as_ref().map_or_else(|| "?".into(), day)), ("by", by)],
        ),
        Refusal::ActionNotYetDue { due_on, .. } => lang.fill("rf_action_not_yet_due", &[("due_on", &day(due_on))]),
        Refusal::MessageNotWaiting { status, allowed, .. } => lang.fill(
            message_key(*allowed),
            &[("status", &lang.term("outbox_status_", status.split(' ').next().unwrap_or_default()))],
        ),
        Refusal::BankLineDecided { status, .. } => {
            lang.fill("rf_bank_line_decided", &[("status", &lang.term("bank_line_status_", status))])
        }
        Refusal::BankLineNotUndoable { status, .. } => {
            lang.fill("rf_bank_line_not_undoable", &[("status", &lang.term("bank_line_status_", status))])
        }
        Refusal::BankLinePaymentUndone { .. } => lang.word("rf_bank_line_payment_undone"),
        Refusal::BankLineTakenBack { .. } => lang.word("rf_bank_line_taken_back"),
        Refusal::BankLineNoProposal { .. } => lang.word("rf_bank_line_no_proposal"),
        Refusal::NeverInvoicedIn { customer, currency, amount } => lang.fill(
            "rf_never_invoiced_in",
            &[("customer", customer), ("currency", currency.code()), ("amount", &money(amount))],
        ),
        Refusal::NotOpenInvoiceOfCustomer { number, currency } => {
            lang.fill("rf_not_open_invoice_of_customer", &[("number", number), ("currency", currency.code())])
        }
        Refusal::ProposalOutOfDate { number, then, now, .. } => {
            lang.fill("rf_proposal_out_of_date", &[("number", number), ("then", &money(then)), ("now", &money(now))])
        }
        Refusal::LinkClosed => lang.word("rf_link_closed"),
        Refusal::Said(text) => text.clone(),
    }
}

/// Why interest cannot be computed on a day, in `lang`'s words.
pub fn interest_said(lang: Lang, error: &InterestError) -> String {
    let day = |d: &chrono::NaiveDate| lang.day(*d);
    match error {
        InterestError::NoRate { reference, half_year, from, to } => lang.fill(
            "ie_no_rate",
            &[
                ("reference", &lang.term("rate_", reference)),
                ("half_year", half_year),
                ("from", &day(from)),
                ("to", &day(to)),
            ],
        ),
        InterestError::RuleNotInForce { rule, from, day: d } => {
            lang.fill("ie_rule_not_in_force", &[("rule", rule), ("from", &day(from)), ("day", &day(d))])
        }
        InterestError::NothingDue => lang.word("ie_nothing_due"),
        InterestError::CurrencyMismatch { expected, found } => {
            lang.fill("ie_currency_mismatch", &[("expected", expected.code()), ("found", found.code())])
        }
        InterestError::NotInPounds(currency) => lang.fill("ie_not_in_pounds", &[("currency", currency.code())]),
    }
}

fn ask_key(ask: Ask) -> &'static str {
    match ask {
        Ask::WhyPaymentUndone => "rf_ask_why_payment_undone",
        Ask::WhyMessageStopped => "rf_ask_why_message_stopped",
        Ask::WhyActionSkipped => "rf_ask_why_action_skipped",
        Ask::WhatWasSaid => "rf_ask_what_was_said",
        Ask::HowDisputeResolved => "rf_ask_how_dispute_resolved",
        Ask::WhatClosingDayIs => "rf_ask_what_closing_day_is",
        Ask::WhatTokenIsFor => "rf_ask_what_token_is_for",
        Ask::WhyWaived => "rf_ask_why_waived",
        Ask::WhyLineSetAside => "rf_ask_why_line_set_aside",
        Ask::WhoApproves => "rf_ask_who_approves",
        Ask::WhyPlanCancelled => "rf_ask_why_plan_cancelled",
    }
}

fn message_key(allowed: MessageStates) -> &'static str {
    match allowed {
        MessageStates::RetryOrCancel => "rf_message_not_retryable",
        MessageStates::Withdraw => "rf_message_not_withdrawable",
        MessageStates::Approve => "rf_message_not_awaiting_approval",
        MessageStates::Reject => "rf_message_not_rejectable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use overdue_core::{Currency, Money};

    fn every_refusal() -> Vec<Refusal> {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let eur = Currency::from_code("EUR").unwrap_or_else(|_| unreachable!());
        let money = Money::new(152_040, eur);
        let asks = [
            Ask::WhyPaymentUndone,
            Ask::WhyMessageStopped,
            Ask::WhyActionSkipped,
            Ask::WhatWasSaid,
            Ask::HowDisputeResolved,
            Ask::WhatClosingDayIs,
            Ask::WhatTokenIsFor,
            Ask::WhyWaived,
            Ask::WhyLineSetAside,
            Ask::WhoApproves,
            Ask::WhyPlanCancelled,
        ];
        let states =
            [MessageStates::RetryOrCancel, MessageStates::Withdraw, MessageStates::Approve, MessageStates::Reject];
        let (number, customer, email) = ("F2026-0001".to_owned(), "C001".to_owned(), "ana@example.es".to_owned());
        let mut all: Vec<Refusal> = asks.into_iter().map(Refusal::Empty).collect();
        all.extend(states.into_iter().map(|allowed| Refusal::MessageNotWaiting {
            id: 4,
            status: "sent".into(),
            allowed,
        }));
        all.extend([
            Refusal::AfterToday { day, today: day },
            Refusal::DayPast { day, today: day },
            Refusal::Text(TextError::ControlCharacter { code: 27, position: 3 }),
            Refusal::Text(TextError::TooLong { chars: 5000 }),
            Refusal::OutsideYears { day },
            Refusal::PasswordTooShort { min_chars: 12 },
            Refusal::WrongLogin,
            Refusal::CannotDisableSelf { email: email.clone() },
            Refusal::CannotLogInAlready { email: email.clone(), organisation: "Ferretería Sol".into() },
            Refusal::CanAlreadyLogIn { email },
            Refusal::NotTheirInvoice { number: number.clone(), customer: customer.clone() },
            Refusal::OwesNothingIn { customer: customer.clone(), currency: eur, on: day },
            Refusal::PromiseAboveOwed {
                amount: money,
                owed: money,
                customer: customer.clone(),
                on: day,
                invoices: vec![],
            },
            Refusal::PromiseAboveOwed {
                amount: money,
                owed: money,
                customer: customer.clone(),
                on: day,
                invoices: vec![number.clone()],
            },
            Refusal::PromiseOfNothing { amount: money },
            Refusal::PromiseBeforeMade { promised_date: day },
            Refusal::PromiseTooFar { promised_date: day },
            Refusal::AlreadyInDispute { number: number.clone(), since: "2026-11-02".into() },
            Refusal::NoOpenDispute { number: number.clone(), on: day },
            Refusal::NotADispute { reason: "cash_flow".into() },
            Refusal::LinkClosed,
            Refusal::PaidBeforeIssued { paid_on: day, number: number.clone(), issued_on: day },
            Refusal::AlreadySaidPaid { number: number.clone(), on: day },
            Refusal::NotAReason { reason: "weather".into() },
            Refusal::NotAnEmail { email: "marco(at)example".into() },
            Refusal::PaidNothing { amount: money },
            Refusal::PeriodBackwards { from: day, to: day },
            Refusal::PlanCancelled { id: 4, day },
            Refusal::PlanNotOffered { count: 3, max: 0 },
            Refusal::PlanNotOffered { count: 13, max: 6 },
            Refusal::PlanFirstTooLate { first: day },
            Refusal::PlanAfterFinalDemand,
            Refusal::PlanBrokenBefore { id: 4, on: day },
            Refusal::NothingToPlan,
            Refusal::InvoiceSettled { number: number.clone() },
            Refusal::PaidAboveOpen { amount: money, open: money, number: number.clone() },
            Refusal::PromisedAlready { amount: money, promised: money, by: day, owed: money },
            Refusal::PaymentAlreadyUndone { reference: "TR-1".into(), day },
            Refusal::PaymentFromBankLine { reference: "TR-1".into(), line: 7 },
            Refusal::ActionClosed { id: 1, skipped: true, on: Some(day), by: "ana".into() },
            Refusal::ActionClosed { id: 1, skipped: false, on: None, by: "ana".into() },
            Refusal::ActionNotYetDue { id: 1, due_on: day, on: day },
            Refusal::BankLineDecided { id: 7, status: "applied".into() },
            Refusal::BankLineNotUndoable { id: 7, status: "review".into() },
            Refusal::BankLinePaymentUndone { id: 7 },
            Refusal::BankLineTakenBack { id: 7 },
            Refusal::BankLineNoProposal { id: 7 },
            Refusal::NeverInvoicedIn { customer, currency: eur, amount: money },
            Refusal::NotOpenInvoiceOfCustomer { number: number.clone(), currency: eur },
            Refusal::ProposalOutOfDate { line: 7, number, then: money, now: money },
        ]);
        all
    }

    #[test]
    fn every_refusal_is_said_in_every_language_with_its_facts_filled_in() {
        for lang in Lang::ALL {
            for refusal in every_refusal() {
                let text = said(lang, &refusal);
                assert!(!text.contains('{') && !text.starts_with("rf_"), "{lang:?} {refusal:?}: {text}");
                assert!(!text.contains("bank_line_status_") && !text.contains("outbox_status_"), "{text}");
                if lang != Lang::En {
                    assert_ne!(text, refusal.to_string(), "{lang:?} says {refusal:?} in English");
                }
            }
        }
    }

    #[test]
    fn why_interest_cannot_be_computed_is_said_in_every_language() {
        let day = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default();
        let eur = Currency::from_code("EUR").unwrap_or_else(|_| unreachable!());
        let errors = [
            InterestError::NoRate { reference: "ecb_mro", half_year: "2026 H2".into(), from: day, to: day },
            InterestError::RuleNotInForce { rule: "Ley 15/2010", from: day, day },
            InterestError::NothingDue,
            InterestError::CurrencyMismatch { expected: eur, found: eur },
            InterestError::NotInPounds(eur),
        ];
        for lang in Lang::ALL {
            for error in &errors {
                let text = interest_said(lang, error);
                assert!(!text.contains('{') && !text.starts_with("ie_") && !text.contains("rate_ecb"), "{text}");
            }
        }
        let spanish = interest_said(Lang::Es, &errors[0]);
        assert!(spanish.contains("BCE") && spanish.contains("01/07/2026"), "{spanish}");
    }

    #[test]
    fn a_refusal_names_its_amounts_and_days_as_the_language_writes_them() {
        let eur = Currency::from_code("EUR").unwrap_or_else(|_| unreachable!());
        let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
        let refusal = Refusal::PromiseAboveOwed {
            amount: Money::new(200_000, eur),
            owed: Money::new(152_040, eur),
            customer: "C001".into(),
            on,
            invoices: vec!["F2026-0101".into()],
        };
        let spanish = said(Lang::Es, &refusal);
        assert!(spanish.contains("1.520,40") && spanish.contains("30/11/2026"), "{spanish}");
        assert!(
            spanish.contains("pendientes de F2026-0101"),
            "what it covers owes, not all the customer owes: {spanish}"
        );
        let english = said(Lang::En, &refusal);
        assert!(english.contains("1,520.40"), "{english}");
        assert_eq!(said(Lang::It, &Refusal::Said("kept as written".into())), "kept as written");
    }
}
