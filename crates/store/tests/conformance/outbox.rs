//! The outbox on both backends: the daily run queues e-mails with their actions; a sender claims
//! one at a time; delivered messages close their action and join the contact log; failures are
//! retried or recorded; a claim nobody reported on becomes uncertain, never sent again by itself.

use super::*;
use chrono::NaiveDateTime;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn the_daily_run_queues_each_email_once_and_a_delivered_one_closes_its_action(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    run(store, tenant, "2026-02-09");
    run(store, tenant, "2026-02-09");
    let queued = store.outbox(tenant, false, 50).unwrap();
    assert_eq!(queued.len(), 1, "one reminder e-mail, queued once: {queued:?}");
    assert_eq!(queued[0].status, OutboxStatus::Queued);
    assert!(
        store
            .claim_message(tenant, (at("2026-02-08 09:00:00"), at("2026-02-08 09:00:00").date()), "w1")
            .unwrap()
            .is_none(),
        "not due yet"
    );
    let claimed = store
        .claim_message(tenant, (at("2026-02-09 09:00:00"), at("2026-02-09 09:00:00").date()), "w1")
        .unwrap()
        .unwrap();
    assert_eq!((claimed.status, claimed.attempts), (OutboxStatus::Sending, 1));
    assert!(
        store
            .claim_message(tenant, (at("2026-02-09 09:00:01"), at("2026-02-09 09:00:01").date()), "w2")
            .unwrap()
            .is_none(),
        "claimed once"
    );
    store.prepare_message(tenant, claimed.id, "ap@x.example", "Friendly reminder", "<m1@overdue>").unwrap();
    store.message_delivered(tenant, claimed.id, at("2026-02-09 09:00:02")).unwrap();
    let sent = store.outbox_message(tenant, claimed.id).unwrap();
    assert_eq!(sent.status, OutboxStatus::Sent);
    assert_eq!(store.action(tenant, claimed.action_id).unwrap().status, "done");
    let timeline = store.timeline(tenant, "C1").unwrap();
    assert!(timeline.iter().any(|e| e.text.contains("<m1@overdue>")), "{timeline:?}");
    assert!(store.outbox(tenant, false, 50).unwrap().is_empty());
    assert_eq!(store.outbox(tenant, true, 50).unwrap().len(), 1);
}

fn failures_are_retried_later_or_recorded_and_a_lost_claim_waits_for_a_person(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    run(store, tenant, "2026-02-09");
    let first = store
        .claim_message(tenant, (at("2026-02-09 09:00:00"), at("2026-02-09 09:00:00").date()), "w1")
        .unwrap()
        .unwrap();
    let later = at("2026-02-09 09:05:00");
    store.message_failed(tenant, first.id, "421 try later", Some(later), at("2026-02-09 09:00:00")).unwrap();
    assert!(
        store
            .claim_message(tenant, (at("2026-02-09 09:01:00"), at("2026-02-09 09:01:00").date()), "w1")
            .unwrap()
            .is_none(),
        "not before the retry"
    );
    let again = store.claim_message(tenant, (later, later.date()), "w1").unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (first.id, 2));
    // the sender stops here: the claim is never reported on
    assert_eq!(store.flag_stale_messages(tenant, at("2026-02-09 09:04:00")).unwrap(), 0, "still fresh");
    assert_eq!(store.flag_stale_messages(tenant, at("2026-02-09 09:30:00")).unwrap(), 1);
    let uncertain = store.outbox_message(tenant, first.id).unwrap();
    assert_eq!(uncertain.status, OutboxStatus::Uncertain);
    assert!(
        store
            .claim_message(tenant, (at("2026-02-09 10:00:00"), at("2026-02-09 10:00:00").date()), "w1")
            .unwrap()
            .is_none(),
        "never resent by itself"
    );
    store.decide_message(tenant, first.id, OutboxDecision::Retry, "ana", at("2026-02-09 10:00:00")).unwrap();
    let retried = store
        .claim_message(tenant, (at("2026-02-09 10:00:00"), at("2026-02-09 10:00:00").date()), "w1")
        .unwrap()
        .unwrap();
    store.message_failed(tenant, retried.id, "550 no such user", None, at("2026-02-09 10:00:01")).unwrap();
    assert_eq!(store.outbox_message(tenant, first.id).unwrap().status, OutboxStatus::Failed);
    assert_eq!(store.action(tenant, first.action_id).unwrap().status, "open", "a person takes it from here");
    let timeline = store.timeline(tenant, "C1").unwrap();
    assert!(timeline.iter().any(|e| e.text.contains("550 no such user")), "{timeline:?}");
    let sent =
        store.decide_message(tenant, first.id, OutboxDecision::Cancel, "ana", at("2026-02-09 10:01:00")).unwrap();
    assert_eq!(sent.status, OutboxStatus::Cancelled);
    let closed = store.action(tenant, first.action_id).unwrap();
    assert_eq!((closed.status.as_str(), closed.done_by.as_deref()), ("done", Some("ana")), "no work list offers it");
}

fn an_action_done_by_hand_is_not_emailed_and_the_letterhead_is_kept(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    run(store, tenant, "2026-02-09");
    let queued = store.outbox(tenant, false, 50).unwrap();
    store.complete_action(tenant, queued[0].action_id, d("2026-02-09"), "ana", Some("phoned instead")).unwrap();
    assert_eq!(store.outbox_message(tenant, queued[0].id).unwrap().status, OutboxStatus::Cancelled);
    assert!(
        store
            .claim_message(tenant, (at("2026-02-09 09:00:00"), at("2026-02-09 09:00:00").date()), "w1")
            .unwrap()
            .is_none()
    );
    // done by hand while its e-mail was on its way: the e-mail is still recorded
    run(store, tenant, "2026-02-16");
    let claimed = store
        .claim_message(tenant, (at("2026-02-16 09:00:00"), at("2026-02-16 09:00:00").date()), "w1")
        .unwrap()
        .unwrap();
    store.complete_action(tenant, claimed.action_id, d("2026-02-16"), "ana", None).unwrap();
    store.prepare_message(tenant, claimed.id, "ap@x.example", "Second reminder", "<m2@overdue>").unwrap();
    store.message_delivered(tenant, claimed.id, at("2026-02-16 09:00:01")).unwrap();
    assert_eq!(store.outbox_message(tenant, claimed.id).unwrap().status, OutboxStatus::Sent);
    assert!(store.timeline(tenant, "C1").unwrap().iter().any(|e| e.text.contains("<m2@overdue>")));
    let mut letterhead = store.letterhead(tenant).unwrap();
    assert_eq!(letterhead, overdue_core::letterhead::Letterhead::default());
    letterhead.set("iban", "ES9121000418450200051332").unwrap();
    store.set_letterhead(tenant, &letterhead).unwrap();
    assert_eq!(store.letterhead(tenant).unwrap().payment.iban.as_deref(), Some("ES91 2100 0418 4502 0005 1332"));
}

conformance!(
    an_instalment_not_yet_due_is_not_chased,
    the_daily_run_queues_each_email_once_and_a_delivered_one_closes_its_action,
    failures_are_retried_later_or_recorded_and_a_lost_claim_waits_for_a_person,
    an_action_done_by_hand_is_not_emailed_and_the_letterhead_is_kept,
);

fn an_instalment_not_yet_due_is_not_chased(store: &mut dyn Store) {
    let tenant = books(store);
    let riba = invoice("R-1", "C1", "2026-01-05", 300_00, "30/60/90");
    store.import_invoices(tenant, &mut rows(vec![riba]), ImportOptions::default()).unwrap();
    let first = payment("P-R1", "C1", "2026-02-03", 100_00, Some("R-1"));
    store.import_payments(tenant, &mut rows(vec![first]), ImportOptions::default()).unwrap();
    let state = store.customer_state(tenant, "C1", d("2026-02-16")).unwrap();
    let r1 = state.invoices.iter().find(|i| i.number.as_str() == "R-1").unwrap();
    assert_eq!((r1.due_date, r1.open), (d("2026-03-06"), eur(100_00)), "the next instalment, not the paid one");
    run(store, tenant, "2026-02-16");
    assert!(steps_on(store, tenant, "2026-02-16").is_empty(), "nothing is overdue");
    let late = store.customer_state(tenant, "C1", d("2026-04-20")).unwrap();
    let r1 = late.invoices.iter().find(|i| i.number.as_str() == "R-1").unwrap();
    assert_eq!((r1.due_date, r1.open), (d("2026-03-06"), eur(200_00)), "two instalments have fallen due");
}
