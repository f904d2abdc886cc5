//! Payment plans on both backends: kept and read back, loaded into the customer's state, found
//! broken once by the run (and broken from then on), cancelled once, on the timeline.

use super::*;
use chrono::NaiveDateTime;
use overdue_core::payment_plan::{PaymentPlan, PlanInstalment, PlanState};

fn plan() -> PaymentPlan {
    PaymentPlan {
        id: 0,
        agreed_on: d("2026-02-10"),
        invoices: vec![InvoiceNumber::parse("F-1").unwrap()],
        principal: eur(1000_00),
        instalments: vec![
            PlanInstalment { due_date: d("2026-02-20"), amount: eur(400_00) },
            PlanInstalment { due_date: d("2026-03-20"), amount: eur(600_00) },
        ],
        cancelled_on: None,
        broken_on: None,
    }
}

fn a_plan_is_kept_found_broken_once_and_cancelled_once(store: &mut dyn Store) {
    let tenant = follow_up_books(store);
    let at = NaiveDateTime::parse_from_str("2026-02-10 10:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
    let id = store.create_payment_plan(tenant, ("C1", &plan()), ("ana", at)).unwrap();
    assert_eq!(store.payment_plans(tenant, "C1").unwrap(), vec![PaymentPlan { id, ..plan() }]);
    let state = store.customer_state(tenant, "C1", d("2026-02-16")).unwrap();
    assert_eq!(state.plans.len(), 1);
    run(store, tenant, "2026-02-16");
    assert_eq!(steps_on(store, tenant, "2026-02-16"), [("first_reminder".to_owned(), vec!["F-2".to_owned()])]);
    // nothing paid by 2026-02-20 and its grace: the run finds it broken, once
    run(store, tenant, "2026-02-24");
    let broken: Vec<StoredAction> = store
        .work_list(tenant, d("2026-02-24"), 100)
        .unwrap()
        .into_iter()
        .filter(|a| a.kind == "broken_plan")
        .collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(run(store, tenant, "2026-02-25").created, 0);
    let read = store.payment_plans(tenant, "C1").unwrap().remove(0);
    assert_eq!(read.broken_on, Some(d("2026-02-24")));
    assert!(matches!(read.state(d("2026-02-25"), 3, eur(1)), PlanState::Broken { .. }), "broken for good");
    assert_eq!(store.cancel_payment_plan(tenant, id, (d("2026-02-26"), "renegotiated", "ana")).unwrap(), "C1");
    assert!(store.cancel_payment_plan(tenant, id, (d("2026-02-27"), "again", "ana")).is_err(), "once");
    assert!(store.cancel_payment_plan(tenant, id + 100, (d("2026-02-27"), "none", "ana")).is_err());
    let timeline = store.timeline(tenant, "C1").unwrap();
    let plans: Vec<&str> = timeline.iter().filter(|e| e.kind == "plan").map(|e| e.text.as_str()).collect();
    assert_eq!(
        plans,
        [
            "Payment plan 1 agreed: EUR 1000.00 in 2 instalment(s), 2026-02-20 to 2026-03-20 (ana)",
            "Payment plan 1 cancelled: renegotiated (ana)",
        ]
        .map(|t| t.replace("plan 1", &format!("plan {id}")))
    );
}

conformance!(a_plan_is_kept_found_broken_once_and_cancelled_once);
