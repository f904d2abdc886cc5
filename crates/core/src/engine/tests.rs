//! Scenarios from the seeds, one per rule, and properties every plan must keep.

use super::*;
use crate::contact::NonPaymentReason;
use crate::currency::Currency;
const EUR: Currency = Currency::EUR;
use crate::date::{add_days, parse_iso};
use crate::policy::default_book;
use proptest::prelude::*;

fn day(text: &str) -> NaiveDate {
    parse_iso(text).unwrap()
}

fn eur(minor: i64) -> Money {
    Money::new(minor, EUR)
}

fn number(text: &str) -> InvoiceNumber {
    InvoiceNumber::parse(text).unwrap()
}

/// A customer with no history.
fn customer() -> CustomerState {
    CustomerState {
        customer: CustomerFacts {
            code: CustomerCode::parse("ACME").unwrap(),
            name: "Acme SL".into(),
            segment: None,
            policy: None,
            in_collection: false,
            prepayment_required: false,
            credit_limit: None,
            invoice_approver: None,
        },
        invoices: vec![],
        last_contact: None,
        promises: vec![],
        payments: vec![],
        disputes: vec![],
        claims: vec![],
        plans: vec![],
        habits: PaymentHabits::default(),
    }
}

/// Invoice `n` issued and sent on `issued`, due 30 days later, 1,000.00 EUR open.
fn invoice(n: &str, issued: &str) -> OpenInvoice {
    let issue_date = day(issued);
    OpenInvoice {
        number: number(n),
        issue_date,
        sent_on: Some(issue_date),
        due_date: add_days(issue_date, 30),
        open: eur(1000_00),
        overdue_part: None,
        prepayment_terms: false,
        last_step: None,
        payment_returned_on: None,
    }
}

fn taken(name: &str, on: &str) -> Option<StepTaken> {
    let tone = default_book().policies[0].steps.iter().find(|s| s.name == name).unwrap().tone;
    Some(StepTaken { name: name.into(), on: day(on), tone, deadline: None })
}

fn plan_on(on: &str, state: &CustomerState) -> Vec<PlannedAction> {
    plan(day(on), state, &default_book(), &BusinessCalendar::default())
}

fn steps(actions: &[PlannedAction]) -> Vec<(String, Option<Tone>, Vec<String>)> {
    actions
        .iter()
        .filter(|a| a.kind == ActionKind::Step)
        .map(|a| (a.step.clone().unwrap(), a.tone, a.invoices.iter().map(|i| i.number.to_string()).collect()))
        .collect()
}

fn kinds(actions: &[PlannedAction]) -> Vec<ActionKind> {
    actions.iter().map(|a| a.kind).collect()
}

#[test]
fn an_invoice_issued_but_not_sent_is_sent_the_same_day() {
    let mut state = customer();
    let mut unsent = invoice("F-1", "2026-03-02");
    unsent.sent_on = None;
    state.invoices.push(unsent);
    let actions = plan_on("2026-03-04", &state);
    assert_eq!(kinds(&actions), [ActionKind::SendInvoice]);
    assert_eq!(actions[0].reason, Reason::IssuedNotSent);
    assert!(actions[0].explanation.contains("issued up to 2 days ago"), "{}", actions[0].explanation);
}

#[test]
fn the_receipt_check_call_comes_one_business_day_after_sending() {
    let mut state = customer();
    state.invoices.push(invoice("F-1", "2026-03-06")); // a Friday
    assert!(plan_on("2026-03-06", &state).is_empty(), "not on the day it was sent");
    assert!(plan_on("2026-03-07", &state).is_empty(), "not on Saturday");
    let monday = plan_on("2026-03-09", &state);
    assert_eq!(steps(&monday), [("receipt_check".into(), Some(Tone::Friendly), vec!["F-1".into()])]);
    assert_eq!(monday[0].channel, Some(StepChannel::CallTask));
    assert_eq!(monday[0].reason, Reason::ReceiptCheck);
    assert!(monday[0].questions.iter().any(|q| q.contains("approved and passed to accounts payable")));
}

#[test]
fn the_contact_before_the_due_date_is_a_friendly_email_three_days_before() {
    let mut state = customer();
    let mut f1 = invoice("F-1", "2026-03-02"); // due Wednesday 2026-04-01
    f1.last_step = taken("receipt_check", "2026-03-03");
    state.invoices.push(f1);
    assert!(plan_on("2026-03-27", &state).is_empty());
    let actions = plan_on("2026-03-30", &state);
    assert_eq!(steps(&actions), [("pre_due".into(), Some(Tone::Friendly), vec!["F-1".into()])]);
    assert_eq!(actions[0].reason, Reason::PreDue);
    // books first planned on the due date itself: a note asking to pay before it is not sent
    assert!(plan_on("2026-04-01", &state).is_empty(), "on the due date: {:?}", steps(&plan_on("2026-04-01", &state)));
}

#[test]
fn a_new_customers_first_lapse_gets_a_friendly_email() {
    let mut state = customer();
    let mut f1 = invoice("F-1", "2026-03-02"); // due 2026-04-01
    f1.last_step = taken("pre_due", "2026-03-29");
    state.invoices.push(f1);
    assert!(plan_on("2026-04-03", &state).is_empty(), "two days late: not yet");
    let actions = plan_on("2026-04-06", &state); // due + 3 is Saturday 04-04: Monday
    assert_eq!(steps(&actions), [("first_reminder".into(), Some(Tone::Friendly), vec!["F-1".into()])]);
    assert_eq!(actions[0].channel, Some(StepChannel::Email));
    assert_eq!(actions[0].invoices[0].days_overdue, 5);
}

#[test]
fn an_invoice_in_instalments_says_which_part_is_late_not_its_whole_amount() {
    let mut state = customer();
    let mut f1 = invoice("F-1", "2026-03-02"); // due 2026-04-01
    f1.last_step = taken("pre_due", "2026-03-29");
    // 500.00 of the 1,000.00 owed by the day was due on the 1st; the other 500.00 falls due later
    f1.overdue_part = Some(eur(500_00));
    state.invoices.push(f1);
    let actions = plan_on("2026-04-06", &state);
    assert!(
        actions[0].explanation.contains("F-1 (EUR 500.00 5 days overdue, EUR 1000.00 due in all)"),
        "{}",
        actions[0].explanation
    );
}

#[test]
fn a_payment_the_bank_returned_makes_the_next_step_firmer() {
    let mut state = customer();
    let mut f1 = invoice("F-1", "2026-03-02"); // due 2026-04-01
    f1.last_step = taken("pre_due", "2026-03-29");
    f1.payment_returned_on = Some(day("2026-04-02")); // a direct debit paid it, then came back
    state.invoices.push(f1);
    let actions = plan_on("2026-04-06", &state);
    assert_eq!(steps(&actions), [("first_reminder".into(), Some(Tone::Firm), vec!["F-1".into()])]);
    // a return before the last step taken has been followed up already
    state.invoices[0].payment_returned_on = Some(day("2026-03-20"));
    let actions = plan_on("2026-04-06", &state);
    assert_eq!(steps(&actions), [("first_reminder".into(), Some(Tone::Friendly), vec!["F-1".into()])]);
}

#[test]
fn a_step_with_a_late_fee_lists_the_fee_on_each_invoice() {
    let mut book = default_book();
    let first = book.policies[0].steps.iter_mut().find(|s| s.name == "first_reminder").unwrap();
    first.fee = Some(crate::policy::LateFee::Percent("2.5".into()));
    let mut state = customer();
    let mut f1 = invoice("F-1", "2026-03-02");
    f1.last_step = taken("pre_due", "2026-03-29");
    f1.open = eur(333_33);
    state.invoices.push(f1);
    let actions = plan(day("2026-04-06"), &state, &book, &BusinessCalendar::default());
    assert_eq!(actions[0].invoices[0].fee, Some(eur(8_33)), "2.5 % of 333.33 = 8.333");
    let plain = plan_on("2026-04-06", &state);
    assert_eq!(plain[0].invoices[0].fee, None, "the default ladder charges no fee");
}

#[test]
fn a_repeat_offender_gets_a_firm_reminder_the_day_after_the_due_date() {
    let mut state = customer();
    state.habits.record_paid(day("2026-01-31"), day("2026-02-20"));
    state.invoices.push(invoice("F-1", "2026-03-02"));
    let actions = plan_on("2026-04-02", &state);
    assert_eq!(steps(&actions), [("first_reminder_firm".into(), Some(Tone::Firm), vec!["F-1".into()])]);
}

#[test]
fn the_ladder_climbs_one_step_at_a_time_up_to_the_agency_and_then_stops() {
    let mut state = customer();
    state.customer.invoice_approver = Some("Lucía Gómez".into());
    state.invoices.push(invoice("F-1", "2026-01-05")); // due 2026-02-04
    let mut day_ = day("2026-01-05");
    let mut taken_steps = Vec::new();
    while day_ < day("2026-06-30") {
        for action in plan(day_, &state, &default_book(), &BusinessCalendar::default()) {
            if action.kind == ActionKind::Step {
                let step = action.step.clone().unwrap();
                if step == "approver" {
                    assert_eq!(action.address_to, ContactRole::InvoiceApprover);
                    assert!(action.explanation.contains("write to Lucía Gómez"), "{}", action.explanation);
                }
                taken_steps.push((step.clone(), day_.to_string()));
                state.invoices[0].last_step =
                    Some(StepTaken { name: step, on: day_, tone: action.tone.unwrap(), deadline: action.deadline });
            }
        }
        day_ = day_.succ_opt().unwrap();
    }
    let expected = [
        ("receipt_check", "2026-01-06"),
        ("pre_due", "2026-02-02"),
        ("first_reminder", "2026-02-09"), // due + 3 = Saturday 02-07
        ("second_reminder", "2026-02-16"),
        ("ask_why", "2026-02-23"),
        ("approver", "2026-03-02"),
        ("final_demand", "2026-03-12"),
        ("agency", "2026-03-27"), // the day after the final demand's 14-day deadline
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(s, d)| ((*s).into(), (*d).into())).collect();
    assert_eq!(taken_steps, expected);
    state.customer.in_collection = true;
    assert!(plan_on("2026-04-15", &state).is_empty(), "handed to the agency: no automatic reminders");
}

#[test]
fn an_old_invoice_never_chased_starts_at_the_first_overdue_step_not_the_final_demand() {
    let mut state = customer();
    state.last_contact = Some(day("2026-05-01"));
    state.invoices.push(invoice("F-1", "2026-01-05"));
    assert_eq!(steps(&plan_on("2026-06-01", &state))[0].0, "first_reminder");
}

#[test]
fn a_policy_of_monthly_statements_sends_one_early_each_month_instead_of_email_reminders() {
    let mut book = default_book();
    book.policies[0].monthly_statement = true;
    let mut state = customer();
    state.invoices.push(invoice("F-1", "2026-03-02"));
    state.invoices.push(invoice("F-2", "2026-03-20"));
    let on = |text: &str| plan(day(text), &state, &book, &BusinessCalendar::default());
    // 2026-04-06: the first reminder of F-1 would go by e-mail; no e-mail step is taken
    assert!(steps(&on("2026-04-06")).is_empty(), "{:?}", on("2026-04-06"));
    // early in May (the 1st is a Friday) one statement lists both, once a month by its key
    let may = on("2026-05-01");
    let statement = may.iter().find(|a| a.kind == ActionKind::Statement).expect("a statement");
    assert_eq!((statement.key.as_str(), statement.template.as_deref()), ("ACME:statement:2026-05", Some("statement")));
    assert_eq!(statement.invoices.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(), ["F-1", "F-2"]);
    assert!(statement.explanation.contains("2 open invoice(s), EUR 2000.00"), "{}", statement.explanation);
    assert!(!kinds(&on("2026-05-11")).contains(&ActionKind::Statement), "only in the month's first days");
    // the calls of the ladder stay: the call 21 days after the due date of F-1 (2026-04-22)
    let calls: Vec<String> = on("2026-04-22").iter().filter_map(|a| a.step.clone()).collect();
    assert_eq!(calls, ["ask_why"]);
}

#[test]
fn a_promise_made_on_day_20_pauses_the_ladder_until_the_promised_date() {
    let mut state = customer();
    let mut f1 = invoice("F-1", "2026-01-05"); // due 2026-02-04
    f1.last_step = taken("first_reminder", "2026-02-09");
    state.invoices.push(f1);
    state.promises.push(PromiseRecord {
        id: 7,
        promise: PromiseToPay {
            made_on: day("2026-02-13"), // day 9 overdue, day ~20 of the ladder
            promised_date: day("2026-02-27"),
            amount: eur(1000_00),
            method: None,
            promised_by: Some("Marta".into()),
            invoices: vec![],
        },
        followed_up: false,
    });
    assert!(steps(&plan_on("2026-02-16", &state)).is_empty(), "second reminder paused");
    let due_day = plan_on("2026-02-27", &state);
    assert_eq!(kinds(&due_day), [ActionKind::PromiseDue]);
    assert!(steps(&plan_on("2026-03-02", &state)).is_empty(), "inside the 3-day grace");
    let explanation = explain(day("2026-02-16"), &state, &default_book(), &BusinessCalendar::default(), &number("F-1"));
    let explanation = explanation.unwrap();
    assert!(explanation.now.contains("pauses the ladder until 2026-03-02"), "{}", explanation.now);
    assert_eq!(explanation.next, Some(("second_reminder".into(), day("2026-03-03"))));
}

#[test]
fn a_broken_promise_escalates_the_next_day() {
    let mut state = customer();
    let mut f1 = invoice("F-1", "2026-01-05");
    f1.last_step = taken("first_reminder", "2026-02-09");
    state.invoices.push(f1);
    state.promises.push(PromiseRecord {
        id: 7,
        promise: PromiseToPay {
            made_on: day("2026-02-13"),
            promised_date: day("2026-02-27"),
            amount: eur(1000_00),
            method: None,
            promised_by: Some("Marta".into()),
            invoices: vec![number("F-1")],
        },
        followed_up: false,
    });
    let actions = plan_on("2026-03-03", &state); // deadline 03-02 passed with nothing paid
    let broken = actions.iter().find(|a| a.kind == ActionKind::BrokenPromise).unwrap();
    assert_eq!(broken.reason, Reason::PromiseBroken);
    assert_eq!(broken.tone, Some(Tone::Firm));
    assert_eq!(broken.promise_id, Some(7));
    assert!(broken.explanation.contains("Marta promised EUR 1000.00"), "{}", broken.explanation);
    assert_eq!(steps(&actions), [("second_reminder".into(), Some(Tone::Firm), vec!["F-1".into()])]);
    state.promises[0].followed_up = true;
    assert!(!kinds(&plan_on("2026-03-04", &state)).contains(&ActionKind::BrokenPromise), "followed up once");
}

#[test]
fn a_partly_kept_promise_is_followed_up_for_the_rest() {
    let mut state = customer();
    state.invoices.push(invoice("F-1", "2026-01-05"));
    state.promises.push(PromiseRecord {
        id: 1,
        promise: PromiseToPay {
            made_on: day("2026-02-13"),
            promised_date: day("2026-02-20"),
            amount: eur(1000_00),
            method: None,
            promised_by: None,
            invoices: vec![],
        },
        followed_up: false,
    });
    state.payments.push((day("2026-02-19"), eur(400_00)));
    state.invoices[0].open = eur(600_00);
    let actions = plan_on("2026-02-24", &state);
    let broken = actions.iter().find(|a| a.kind == ActionKind::BrokenPromise).unwrap();
    assert_eq!(broken.reason, Reason::PromisePartlyKept);
    assert!(broken.explanation.contains("only EUR 400.00 arrived"), "{}", broken.explanation);
}

#[test]
fn a_disputed_invoice_is_not_chased_but_its_undisputed_sibling_is() {
    let mut state = customer();
    state.invoices.push(invoice("F-1", "2026-03-02"));
    state.invoices.push(invoice("F-2", "2026-03-02"));
    state.disputes.push(Dispute {
        invoice: number("F-1"),
        reason: NonPaymentReason::DisputedQuality,
        note: Some("two pallets damaged".into()),
        opened_on: day("2026-03-20"),
        resolved_on: None,
    });
    let actions = plan_on("2026-04-06", &state);
    assert_eq!(steps(&actions), [("first_reminder".into(), Some(Tone::Friendly), vec!["F-2".into()])]);
    state.disputes[0].resolved_on = Some(day("2026-04-05"));
    assert_eq!(steps(&plan_on("2026-04-06", &state))[0].2, ["F-1", "F-2"], "resolved: chased again");
}

#[test]
fn an_invoice_said_paid_waits_a_week_with_a_task_to_find_the_money_and_is_chased_again_after() {
    let mut state = customer();
    state.invoices.push(invoice("F-1", "2026-03-02"));
    state.invoices.push(invoice("F-2", "2026-03-02"));
    state.claims.push(crate::payment_claim::PaymentClaim {
        id: 7,
        invoice: number("F-1"),
        paid_on: day("2026-04-01"),
        amount: eur(1000_00),
        reference: Some("TRF 778".into()),
        made_on: day("2026-04-02"),
    });
    // the first reminder falls due on 2026-04-06 for both: only the sibling is chased
    let actions = plan_on("2026-04-06", &state);
    assert_eq!(steps(&actions), [("first_reminder".into(), Some(Tone::Friendly), vec!["F-2".into()])]);
    let task = actions.iter().find(|a| a.kind == ActionKind::CheckClaimedPayment).expect("a task to find the money");
    assert_eq!((task.reason, task.key.as_str()), (Reason::CustomerSaysPaid, "ACME:check_claimed_payment:claim-7"));
    assert_eq!(task.invoices.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(), ["F-1"]);
    assert!(
        task.explanation.contains("F-1 is paid: EUR 1000.00 on 2026-04-01, reference \"TRF 778\""),
        "{}",
        task.explanation
    );
    assert!(task.explanation.contains("not chased until 2026-04-09"), "{}", task.explanation);
    // the day the week is over (a Friday) the invoice is chased again, and nobody is asked to look any more
    state.invoices[1].last_step = taken("first_reminder", "2026-04-06");
    let after = plan_on("2026-04-10", &state);
    assert_eq!(steps(&after), [("first_reminder".into(), Some(Tone::Friendly), vec!["F-1".into()])]);
    assert!(!kinds(&after).contains(&ActionKind::CheckClaimedPayment));
    // a claim on an invoice settled since asks nothing
    state.invoices.remove(0);
    assert!(!kinds(&plan_on("2026-04-06", &state)).contains(&ActionKind::CheckClaimedPayment));
}

#[test]
fn a_plan_agreed_after_a_cancelled_one_pauses_the_invoice() {
    use crate::payment_plan::{PaymentPlan, monthly};
    let mut state = customer();
    state.invoices.push(invoice("F-1", "2026-03-02"));
    let plan = |id, agreed: &str, cancelled: Option<&str>| PaymentPlan {
        id,
        agreed_on: day(agreed),
        invoices: vec![number("F-1")],
        principal: eur(1000_00),
        instalments: monthly(eur(1000_00), 2, day("2026-05-15")),
        cancelled_on: cancelled.map(day),
        broken_on: None,
    };
    state.plans = vec![plan(1, "2026-04-01", Some("2026-04-03")), plan(2, "2026-04-04", None)];
    assert!(steps(&plan_on("2026-04-06", &state)).is_empty(), "plan 2 is kept: nothing chased");
    state.plans.pop();
    assert_eq!(steps(&plan_on("2026-04-06", &state)).len(), 1, "with only the cancelled plan, chased");
}

#[test]
fn several_invoices_due_the_same_day_go_in_one_message() {
    let mut state = customer();
    for n in ["F-1", "F-2", "F-3"] {
        state.invoices.push(invoice(n, "2026-03-02"));
    }
    state.invoices[2].last_step = taken("first_reminder", "2026-04-06");
    let actions = plan_on("2026-04-06", &state);
    assert_eq!(steps(&actions), [("first_reminder".into(), Some(Tone::Friendly), vec!["F-1".into(), "F-2".into()])]);
    assert!(actions[0].explanation.contains("F-1") && actions[0].explanation.contains("F-2"));
}

#[test]
fn sixty_days_with_no_contact_raises_the_alarm_and_a_contact_silences_it() {
    let mut state = customer();
    state.invoices.push(invoice("F-1", "2026-01-05"));
    assert!(!kinds(&plan_on("2026-03-05", &state)).contains(&ActionKind::Alarm), "day 59");
    let actions = plan_on("2026-03-06", &state);
    let alarm = actions.iter().find(|a| a.kind == ActionKind::Alarm).unwrap();
    assert!(alarm.explanation.starts_with("ALARM: F-1"), "{}", alarm.explanation);
    assert_eq!(alarm.reason, Reason::NoContact);
    // a dispute raised (and resolved) since the invoice was issued was contact with the customer
    let mut disputed = state.clone();
    disputed.disputes.push(Dispute {
        invoice: number("F-1"),
        reason: NonPaymentReason::DisputedQuantity,
        note: None,
        opened_on: day("2026-02-20"),
        resolved_on: Some(day("2026-02-25")),
    });
    assert!(!kinds(&plan_on("2026-03-06", &disputed)).contains(&ActionKind::Alarm));
    state.last_contact = Some(day("2026-02-10"));
    assert!(!kinds(&plan_on("2026-03-06", &state)).contains(&ActionKind::Alarm));
}

#[test]
fn a_customer_who_paid_8_of_the_last_10_invoices_late_is_switched_to_prepayment() {
    let mut state = customer();
    for i in 0..10 {
        let due = add_days(day("2025-06-30"), i * 20);
        state.habits.record_paid(due, add_days(due, if i < 8 { 25 } else { 0 }));
    }
    let actions = plan_on("2026-03-02", &state);
    let flag = actions.iter().find(|a| a.kind == ActionKind::Prepayment).unwrap();
    assert!(flag.explanation.contains("paid 8 of their last 10 invoices late"), "{}", flag.explanation);
    state.customer.prepayment_required = true;
    assert!(!kinds(&plan_on("2026-03-02", &state)).contains(&ActionKind::Prepayment), "already switched");
}

#[test]
fn invoicing_on_credit_a_prepayment_customer_or_over_the_limit_is_warned() {
    let mut state = customer();
    state.customer.prepayment_required = true;
    state.customer.credit_limit = Some(eur(1500_00));
    state.invoices.push(invoice("F-1", "2026-03-02"));
    state.invoices.push(invoice("F-2", "2026-03-03"));
    let actions = plan_on("2026-03-04", &state);
    let over = actions.iter().find(|a| a.kind == ActionKind::OverCreditLimit).unwrap();
    assert!(
        over.explanation.contains("owes EUR 2000.00 against a credit limit of EUR 1500.00"),
        "{}",
        over.explanation
    );
    assert_eq!(over.invoices[0].number, number("F-2"));
    assert!(kinds(&actions).contains(&ActionKind::CreditToPrepaymentCustomer));
}

#[test]
fn nothing_is_planned_on_a_closing_day_and_the_next_business_day_catches_up() {
    let mut state = customer();
    state.invoices.push(invoice("F-1", "2026-03-02"));
    let holiday = BusinessCalendar::new([day("2026-04-06")]);
    let book = default_book();
    assert!(plan(day("2026-04-06"), &state, &book, &holiday).is_empty());
    assert_eq!(steps(&plan(day("2026-04-07"), &state, &book, &holiday))[0].0, "first_reminder");
}

#[test]
fn softer_tone_keeps_the_dates() {
    let mut book = default_book();
    book.policies[0].tone_shift = -1;
    let mut state = customer();
    let mut f1 = invoice("F-1", "2026-01-05");
    f1.last_step = taken("first_reminder", "2026-02-09");
    state.invoices.push(f1);
    let actions = plan(day("2026-02-16"), &state, &book, &BusinessCalendar::default());
    assert_eq!(steps(&actions), [("second_reminder".into(), Some(Tone::Friendly), vec!["F-1".into()])]);
}

fn arbitrary_state() -> impl Strategy<Value = (CustomerState, u32)> {
    let one = (0i64..200, 0i64..90, -5_00i64..5000_00, any::<bool>(), proptest::option::of(0usize..9), 0i64..60);
    (proptest::collection::vec(one, 0..8), 0u32..400, proptest::option::of(0i64..200)).prop_map(
        |(invoices, day_offset, contact)| {
            let start = day("2026-01-01");
            let mut state = customer();
            for (i, (issued, terms, open, disputed, step, step_ago)) in invoices.into_iter().enumerate() {
                let mut inv = invoice(&format!("F-{i}"), "2026-01-01");
                inv.issue_date = add_days(start, issued);
                inv.sent_on = Some(inv.issue_date);
                inv.due_date = add_days(inv.issue_date, terms);
                inv.open = eur(open);
                inv.last_step = step.map(|s| StepTaken {
                    name: default_book().policies[0].steps[s].name.clone(),
                    on: add_days(start, issued + step_ago),
                    tone: Tone::Friendly,
                    deadline: None,
                });
                if disputed {
                    state.disputes.push(Dispute {
                        invoice: inv.number.clone(),
                        reason: NonPaymentReason::DisputedPrice,
                        note: None,
                        opened_on: inv.issue_date,
                        resolved_on: None,
                    });
                }
                state.invoices.push(inv);
            }
            state.last_contact = contact.map(|c| add_days(start, c));
            (state, day_offset)
        },
    )
}

proptest! {
    #[test]
    fn plans_are_deterministic_and_never_chase_paid_or_disputed_amounts((state, offset) in arbitrary_state()) {
        let as_of = add_days(day("2026-01-01"), i64::from(offset));
        let book = default_book();
        let calendar = BusinessCalendar::default();
        let first = plan(as_of, &state, &book, &calendar);
        prop_assert_eq!(&first, &plan(as_of, &state, &book, &calendar));
        let mut keys: Vec<&str> = first.iter().map(|a| a.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        prop_assert_eq!(keys.len(), first.len(), "one key per action");
        for action in first.iter().filter(|a| matches!(a.kind, ActionKind::Step | ActionKind::Alarm)) {
            for listed in &action.invoices {
                prop_assert!(listed.open.is_positive(), "{} chased with nothing open", listed.number);
                let disputed = state.disputes.iter().any(|d| d.invoice == listed.number);
                prop_assert!(!disputed, "{} chased while disputed", listed.number);
            }
        }
    }

    #[test]
    fn taking_todays_steps_plans_no_step_twice((state, offset) in arbitrary_state()) {
        let as_of = add_days(day("2026-01-01"), i64::from(offset));
        let book = default_book();
        let calendar = BusinessCalendar::default();
        let mut after = state.clone();
        for action in plan(as_of, &state, &book, &calendar).iter().filter(|a| a.kind == ActionKind::Step) {
            for listed in &action.invoices {
                let invoice = after.invoices.iter_mut().find(|i| i.number == listed.number).unwrap();
                let step = listed.step.clone().unwrap();
                invoice.last_step =
                    Some(StepTaken { name: step, on: as_of, tone: action.tone.unwrap(), deadline: action.deadline });
            }
        }
        let tomorrow = plan(as_of, &after, &book, &calendar);
        prop_assert!(tomorrow.iter().all(|a| a.kind != ActionKind::Step), "a step planned twice on one day");
    }
}

#[test]
fn an_invoice_first_chased_months_after_its_due_date_is_not_written_to_as_if_just_late() {
    let mut state = customer();
    // issued 2026-01-05, due 02-04: first seen on 2026-06-01, 117 days late, nothing ever sent
    state.invoices.push(invoice("F-1", "2026-01-05"));
    let late = steps(&plan_on("2026-06-01", &state));
    assert_eq!(late.len(), 1, "{late:?}");
    assert_eq!(late[0].1, Some(Tone::Firm), "not 'perhaps your payment is on its way': {late:?}");
    // a few days late it stays friendly
    let mut fresh = customer();
    fresh.invoices.push(invoice("F-2", "2026-05-01"));
    let friendly = steps(&plan_on("2026-06-05", &fresh));
    assert_eq!(friendly[0].1, Some(Tone::Friendly), "{friendly:?}");
}
