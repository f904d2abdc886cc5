//! What the customer says on their own page, on both backends: an invoice said paid pauses it
//! and puts a task on the work list (once), and is on the timeline with the visits to the page
//! and the links made and revoked.

use super::*;
use chrono::NaiveDateTime;
use overdue_core::payment_claim::PaymentClaim;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn claim(invoice: &str, made_on: &str) -> PaymentClaim {
    PaymentClaim {
        id: 0,
        invoice: InvoiceNumber::parse(invoice).unwrap(),
        paid_on: d("2026-02-06"),
        amount: eur(1000_00),
        reference: Some("TRF 778".into()),
        made_on: d(made_on),
    }
}

fn an_invoice_said_paid_waits_with_one_task_to_find_the_money(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let by = ("the customer (their page)", at("2026-02-08 18:30:00"));
    let id = store.record_payment_claim(tenant, ("C1", &claim("F-1", "2026-02-08")), by).unwrap();
    assert!(id > 0);
    let state = store.customer_state(tenant, "C1", d("2026-02-09")).unwrap();
    assert_eq!(state.claims, vec![PaymentClaim { id, ..claim("F-1", "2026-02-08") }]);
    run(store, tenant, "2026-02-09");
    assert_eq!(steps_on(store, tenant, "2026-02-09"), [("first_reminder".to_owned(), vec!["F-2".to_owned()])]);
    let tasks: Vec<StoredAction> = store
        .work_list(tenant, d("2026-02-09"), 100)
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == "check_claimed_payment")
        .collect();
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(tasks[0].invoices[0].number.as_str(), "F-1");
    assert_eq!(run(store, tenant, "2026-02-10").created, 0, "asked once");
    // a week after it was said, the claim is forgotten by the run: F-1 is chased again
    assert!(store.customer_state(tenant, "C1", d("2026-02-16")).unwrap().claims.is_empty());
    // another customer's invoice is not theirs to say paid
    let refused = store.record_payment_claim(tenant, ("C2", &claim("F-1", "2026-02-08")), by);
    assert!(refused.is_err(), "{refused:?}");
    let timeline = store.timeline(tenant, "C1").unwrap();
    let said = timeline.iter().find(|e| e.kind == "said_paid").expect("on the timeline");
    assert_eq!(
        said.text,
        "Said F-1 is paid: EUR 1000.00 on 2026-02-06, reference \"TRF 778\" (the customer (their page))"
    );
    assert_eq!((said.on, said.time.as_deref()), (d("2026-02-08"), Some("18:30")));
}

fn visits_to_the_page_and_its_links_are_on_the_timeline(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    store.create_customer_link(tenant, ("C1", "ab12"), (at("2026-02-01 09:00:00"), at("2026-04-02 09:00:00"))).unwrap();
    for time in ["2026-02-03 08:00:00", "2026-02-03 12:15:00", "2026-02-04 07:30:00"] {
        store.note_customer_page_visit(tenant, "C1", at(time)).unwrap();
    }
    assert_eq!(store.revoke_customer_links(tenant, "C1", at("2026-02-05 10:00:00")).unwrap(), 1);
    assert!(store.note_customer_page_visit(tenant, "NOBODY", at("2026-02-04 07:30:00")).is_err());
    let timeline = store.timeline(tenant, "C1").unwrap();
    let page: Vec<(NaiveDate, String)> =
        timeline.iter().filter(|e| e.kind == "page").map(|e| (e.on, e.text.clone())).collect();
    assert_eq!(
        page,
        [
            (d("2026-02-01"), "A link to their page made, open until 2026-04-02".to_owned()),
            (d("2026-02-03"), "Opened their page (2 times that day)".to_owned()),
            (d("2026-02-04"), "Opened their page".to_owned()),
            (d("2026-02-05"), "A link to their page revoked".to_owned()),
        ]
    );
}

conformance!(
    an_invoice_said_paid_waits_with_one_task_to_find_the_money,
    visits_to_the_page_and_its_links_are_on_the_timeline,
);
