//! What keeps messages and figures true, on both backends: credit notes and credit used against
//! what is owed, the books as they stood on a past day, messages withdrawn, approved or
//! rejected (and never recorded as sent), reminders counted only when they went, and every
//! change of a customer recorded.

use super::*;
use overdue_core::customer_fields;

fn credit_note(number: &str, customer: &str, issued: &str, minor: i64) -> Invoice {
    let mut draft = invoice(number, customer, issued, minor, "Net 0");
    draft.kind = InvoiceKind::CreditNote;
    draft
}

fn a_credit_note_settles_the_oldest_open_invoice_and_the_rest_waits_for_the_next(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let note = credit_note("CN-1", "C1", "2026-01-20", 1500_00);
    store.import_invoices(tenant, &mut rows(vec![note]), ImportOptions::default()).unwrap();
    assert_eq!((open_of(store, tenant, "F-1"), open_of(store, tenant, "F-2")), (0, 500_00));
    assert_eq!(open_of(store, tenant, "CN-1"), 0, "its value now works as a settlement");
    let more = credit_note("CN-2", "C1", "2026-01-21", 700_00);
    store.import_invoices(tenant, &mut rows(vec![more]), ImportOptions::default()).unwrap();
    assert_eq!(open_of(store, tenant, "F-2"), 0);
    assert_eq!(store.customer_credit(tenant, "C1").unwrap(), vec![eur(200_00)]);
    let next = invoice("F-3", "C1", "2026-02-01", 300_00, "Net 30");
    store.import_invoices(tenant, &mut rows(vec![next]), ImportOptions::default()).unwrap();
    assert_eq!(open_of(store, tenant, "F-3"), 100_00, "the credit left pays the next invoice");
    assert!(store.customer_credit(tenant, "C1").unwrap().is_empty());
    // on a day before the credit notes, all was owed
    let before = store.customers_on(tenant, d("2026-01-19"), Some("C1"), None).unwrap();
    assert_eq!((before[0].open.clone(), before[0].open_invoices), (vec![eur(2000_00)], 2));
    let between = store.customers_on(tenant, d("2026-01-20"), Some("C1"), None).unwrap();
    assert_eq!(between[0].open, vec![eur(500_00)]);
    let timeline = store.timeline(tenant, "C1").unwrap();
    assert!(timeline.iter().any(|e| e.text.contains("Credit note CN-1 of EUR 1500.00")), "{timeline:?}");
}

fn a_queued_message_is_withdrawn_approved_or_rejected_and_never_recorded_as_sent(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    run(store, tenant, "2026-02-09");
    let message = store.outbox(tenant, false, 10).unwrap().remove(0);
    // planned with no approval needed, it may still be held when it is to go: a person may approve
    let noon = d("2026-02-09").and_time(Default::default());
    assert!(store.approve_message(tenant, message.id, "ana", noon).is_ok());
    assert!(store.approve_message(tenant, message.id, "ana", noon).is_err(), "approved once");
    store.withdraw_message(tenant, message.id, "nothing left to ask (2 paid)", d("2026-02-09"), true).unwrap();
    let withdrawn = store.outbox_message(tenant, message.id).unwrap();
    assert_eq!(withdrawn.status, OutboxStatus::Cancelled);
    let action = store.action(tenant, message.action_id).unwrap();
    assert_eq!(action.status, "done");
    let timeline = store.timeline(tenant, "C1").unwrap();
    assert!(timeline.iter().any(|e| e.text.starts_with("Message withdrawn before sending")), "{timeline:?}");
    assert!(!timeline.iter().any(|e| e.text.contains("Sent ")), "nothing was sent: {timeline:?}");
    assert_eq!(store.reminders_sent(tenant, message.action_id + 1, &["F-1"]).unwrap(), 0);
    assert!(store.withdraw_message(tenant, message.id, "again", d("2026-02-09"), true).is_err(), "once");
}

fn a_step_whose_message_was_withdrawn_unsent_is_planned_again_when_its_invoice_is_chased_again(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let steps_planned = |store: &mut dyn Store, step: &Option<String>| {
        let outbox = store.outbox(tenant, true, 50).unwrap();
        outbox.iter().filter(|m| store.action(tenant, m.action_id).unwrap().step == *step).count()
    };
    run(store, tenant, "2026-02-09");
    let message = store.outbox(tenant, false, 10).unwrap().remove(0);
    let step = store.action(tenant, message.action_id).unwrap().step;
    assert!(step.is_some(), "a ladder step: {message:?}");
    // everything it asked for was paid; then the payment was undone: it never went
    store.withdraw_message(tenant, message.id, "nothing left to ask (2 paid)", d("2026-02-09"), true).unwrap();
    run(store, tenant, "2026-02-10");
    assert_eq!(steps_planned(store, &step), 2, "the step that never went is planned again");
    // a message superseded by a later one keeps its step: the ladder has moved on
    let again = store.outbox(tenant, false, 10).unwrap().remove(0);
    store.withdraw_message(tenant, again.id, "a later message waits", d("2026-02-10"), false).unwrap();
    run(store, tenant, "2026-02-11");
    assert_eq!(steps_planned(store, &step), 2, "not planned a third time");
}

fn an_earlier_reminder_is_claimed_only_when_every_invoice_listed_had_one(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    run(store, tenant, "2026-02-09");
    let message = store.outbox(tenant, false, 10).unwrap().remove(0);
    store.complete_action(tenant, message.action_id, d("2026-02-09"), "ana", Some("sent by hand")).unwrap();
    let later = message.action_id + 1000;
    assert_eq!(store.reminders_sent(tenant, later, &["F-1", "F-2"]).unwrap(), 1, "both were reminded");
    let new = invoice("F-9", "C1", "2026-02-01", 100_00, "Net 0");
    store.import_invoices(tenant, &mut rows(vec![new]), ImportOptions::default()).unwrap();
    assert_eq!(store.reminders_sent(tenant, later, &["F-1"]).unwrap(), 1);
    assert_eq!(store.reminders_sent(tenant, later, &["F-1", "F-9"]).unwrap(), 0, "F-9 never was");
}

fn a_message_needing_approval_is_claimed_only_once_approved(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let dispute = Dispute {
        invoice: InvoiceNumber::parse("F-2").unwrap(),
        reason: NonPaymentReason::DisputedQuality,
        note: None,
        opened_on: d("2026-02-01"),
        resolved_on: None,
    };
    store.open_dispute(tenant, &dispute, "ana").unwrap();
    run(store, tenant, "2026-02-09");
    let message = store.outbox(tenant, false, 10).unwrap().remove(0);
    assert!(message.awaits_approval(), "a customer with an open dispute: {message:?}");
    let now = d("2026-02-09").and_hms_opt(9, 0, 0).unwrap();
    assert!(store.claim_message(tenant, (now, now.date()), "w1").unwrap().is_none(), "not before approval");
    let approved = store.approve_message(tenant, message.id, "ana", now).unwrap();
    assert_eq!(approved.approved_by.as_deref(), Some("ana"));
    let timeline = store.timeline(tenant, "C1").unwrap();
    assert!(
        timeline.iter().any(|e| e.kind == "approval" && e.text.starts_with("ana approved message")),
        "{timeline:?}"
    );
    assert!(store.claim_message(tenant, (now, now.date()), "w1").unwrap().is_some());
    store.hold_message(tenant, message.id, "the interest could not be computed").unwrap();
    let held = store.outbox_message(tenant, message.id).unwrap();
    assert!(held.awaits_approval() && held.approval.as_deref() == Some("the interest could not be computed"));
    let rejected = store.reject_message(tenant, message.id, "ana", "we spoke on the phone", d("2026-02-09")).unwrap();
    assert_eq!(rejected.status, OutboxStatus::Cancelled);
    assert_eq!(store.action(tenant, message.action_id).unwrap().status, "done");
}

fn every_change_of_a_customer_is_recorded_with_who_when_and_old_to_new(store: &mut dyn Store) {
    let tenant = books(store);
    let before = store.customer(tenant, "C1").unwrap().unwrap();
    let mut after = before.clone();
    customer_fields::set(&mut after, "approver_email", "marta@x.example").unwrap();
    customer_fields::set(&mut after, "address", "").unwrap();
    let changes = customer_fields::changes(&before, &after);
    let at = d("2026-02-09").and_hms_opt(10, 30, 0).unwrap();
    store.save_customer(tenant, &after, &changes, "ana", at).unwrap();
    let saved = store.customer(tenant, "C1").unwrap().unwrap();
    assert_eq!(saved, after);
    let timeline = store.timeline(tenant, "C1").unwrap();
    let shown: Vec<&str> = timeline.iter().filter(|e| e.kind == "change").map(|e| e.text.as_str()).collect();
    assert_eq!(
        shown,
        [
            "ana changed address: \"Calle Mayor 1, Madrid\" → (empty)",
            "ana changed approver_email: (empty) → \"marta@x.example\""
        ]
    );
    // a file importing the same customer again as it now is changes nothing
    let report = store.import_customers(tenant, &mut rows(vec![saved]), ImportOptions::default()).unwrap();
    assert_eq!(report.unchanged, 1);
}

fn a_person_moves_a_credit_and_it_stays_where_they_put_it(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let note = credit_note("CN-1", "C1", "2026-01-20", 300_00);
    store.import_invoices(tenant, &mut rows(vec![note]), ImportOptions::default()).unwrap();
    assert_eq!((open_of(store, tenant, "F-1"), open_of(store, tenant, "F-2")), (700_00, 1000_00));
    let at = d("2026-01-21").and_hms_opt(9, 0, 0).unwrap();
    assert_eq!(store.unapply_credit(tenant, "CN-1", "F-1", "ana", at).unwrap(), 300_00);
    assert_eq!(open_of(store, tenant, "F-1"), 1000_00);
    assert_eq!(store.customer_credit(tenant, "C1").unwrap(), vec![eur(300_00)]);
    store.settle_credits(tenant).unwrap();
    assert_eq!(open_of(store, tenant, "F-1"), 1000_00, "a credit taken back is not applied again by itself");
    assert_eq!(store.apply_credit(tenant, "CN-1", "F-2", Some(100_00), "ana", at).unwrap(), 100_00);
    assert_eq!(store.apply_credit(tenant, "CN-1", "F-2", None, "ana", at).unwrap(), 200_00, "all it has left");
    assert_eq!(open_of(store, tenant, "F-2"), 700_00);
    assert!(store.customer_credit(tenant, "C1").unwrap().is_empty());
    assert!(store.apply_credit(tenant, "CN-1", "F-1", None, "ana", at).is_err(), "nothing left to apply");
    assert!(store.unapply_credit(tenant, "CN-1", "F-1", "ana", at).is_err(), "it pays nothing of F-1 now");
    let moves = store.timeline(tenant, "C1").unwrap().into_iter().filter(|e| e.text.contains("changed credit")).count();
    assert_eq!(moves, 3);
}

fn a_dispute_or_promise_in_imported_history_shows_the_invoice_was_received(store: &mut dyn Store) {
    use overdue_core::dispute::Dispute;
    use overdue_core::history::HistoryRecord;
    use overdue_core::promise::PromiseToPay;
    let tenant = books(store);
    let unsent = |number: &str, customer: &str| {
        let mut invoice = invoice(number, customer, "2026-01-10", 100_00, "Net 30");
        invoice.sent_on = None;
        invoice.status = InvoiceStatus::Issued;
        invoice
    };
    let invoices = vec![unsent("F-1", "C1"), unsent("F-2", "C2"), unsent("F-3", "C2")];
    store.import_invoices(tenant, &mut rows(invoices), ImportOptions::default()).unwrap();
    let dispute = Dispute {
        invoice: InvoiceNumber::parse("F-1").unwrap(),
        reason: overdue_core::contact::NonPaymentReason::DisputedPrice,
        note: None,
        opened_on: d("2026-01-20"),
        resolved_on: None,
    };
    let promise = PromiseToPay {
        made_on: d("2026-02-01"),
        promised_date: d("2026-02-15"),
        amount: eur(200_00),
        method: None,
        promised_by: None,
        invoices: Vec::new(),
    };
    let history = vec![
        HistoryRecord::Dispute { dispute, resolution: None },
        HistoryRecord::Promise { customer: CustomerCode::parse("C2").unwrap(), promise },
    ];
    let report = store.import_history(tenant, &mut rows(history), ImportOptions::default()).unwrap();
    assert_eq!(report.created, 2, "{report:?}");
    for (number, sent) in [("F-1", "2026-01-20"), ("F-2", "2026-02-01"), ("F-3", "2026-02-01")] {
        let stored = store.invoice(tenant, number).unwrap().unwrap().invoice;
        assert_eq!((stored.status, stored.sent_on), (InvoiceStatus::Sent, Some(d(sent))), "{number}");
    }
}

fn a_payment_at_the_early_payment_price_in_time_settles_the_invoice(store: &mut dyn Store) {
    let tenant = books(store);
    let invoices = vec![
        invoice("F-1", "C1", "2026-01-10", 1000_00, "2/10 Net 30"),
        invoice("F-2", "C1", "2026-01-10", 1000_00, "2/10 Net 30"),
    ];
    store.import_invoices(tenant, &mut rows(invoices), ImportOptions::default()).unwrap();
    let gross = store.invoice(tenant, "F-1").unwrap().unwrap().invoice.totals.gross.amount_minor();
    let price = gross - (gross * 2 + 50) / 100;
    // a cent more than the price (the customer rounded the discount down), in time
    let in_time = payment("B-1", "C1", "2026-01-19", price + 1, Some("F-1"));
    // the price, but after the discount period
    let late = payment("B-2", "C1", "2026-01-21", price, Some("F-2"));
    store.import_payments(tenant, &mut rows(vec![in_time, late]), ImportOptions::default()).unwrap();
    let settled = store.invoice(tenant, "F-1").unwrap().unwrap();
    assert_eq!(settled.open.amount_minor(), 0);
    assert_eq!(settled.payments[0].written_off.amount_minor(), gross - price - 1, "the discount taken is written off");
    assert_eq!(open_of(store, tenant, "F-2"), gross - price, "too late for the discount: the rest is owed");
}

conformance!(
    a_payment_at_the_early_payment_price_in_time_settles_the_invoice,
    a_dispute_or_promise_in_imported_history_shows_the_invoice_was_received,
    a_person_moves_a_credit_and_it_stays_where_they_put_it,
    a_credit_note_settles_the_oldest_open_invoice_and_the_rest_waits_for_the_next,
    a_queued_message_is_withdrawn_approved_or_rejected_and_never_recorded_as_sent,
    a_message_needing_approval_is_claimed_only_once_approved,
    a_step_whose_message_was_withdrawn_unsent_is_planned_again_when_its_invoice_is_chased_again,
    an_earlier_reminder_is_claimed_only_when_every_invoice_listed_had_one,
    every_change_of_a_customer_is_recorded_with_who_when_and_old_to_new,
);
