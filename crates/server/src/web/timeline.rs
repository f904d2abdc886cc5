//! A customer's history in the visitor's words: each timeline entry's facts (amounts, days,
//! codes, what people typed) worded from the page catalogues, and what an action asks for worded
//! the same way on the timeline, today's work and the approval list. An entry without facts of
//! its own is said as the books wrote it.

use super::Lang;
use overdue_store::{ActionFacts, TimelineEntry, TimelineFacts};

/// The invoices an action names on the timeline before "+N".
const INVOICES_NAMED: usize = 5;

/// What an action asks for: the ladder step, why and how, or what the alarm or flag is.
pub(super) fn action_said(lang: Lang, kind: &str, reason: &str, step: Option<&str>, channel: Option<&str>) -> String {
    if kind != "step" {
        return lang.term("action_", kind);
    }
    let mut said = format!("{} «{}»", lang.word("step"), lang.term("step_name_", step.unwrap_or_default()));
    if !reason.is_empty() {
        said.push_str(&format!(" ({})", lang.term("why_", reason)));
    }
    if let Some(channel) = channel {
        said.push_str(&format!(": {}", lang.term("channel_", channel)));
    }
    said
}

/// An action on the timeline: what it asked for, and the invoices it named (the first few).
fn action(lang: Lang, facts: &ActionFacts) -> String {
    let what = action_said(lang, &facts.kind, &facts.reason, facts.step.as_deref(), facts.channel.as_deref());
    let mut numbers: Vec<&str> = facts.invoices.iter().take(INVOICES_NAMED).map(String::as_str).collect();
    let more = facts.invoices.len().saturating_sub(INVOICES_NAMED);
    let more = (more > 0).then(|| format!("+{more}"));
    numbers.extend(more.as_deref());
    if numbers.is_empty() { what } else { format!("{what} — {}", numbers.join(", ")) }
}

/// The receipt check's answers, each question with its yes or no.
fn receipt_check(lang: Lang, check: &overdue_core::contact::ReceiptCheck) -> String {
    let mut said: Vec<String> = check
        .answers()
        .iter()
        .filter_map(|(question, answer)| {
            answer.map(|yes| {
                format!("{} {}", lang.word(&format!("receipt_{question}")), lang.word(if yes { "yes" } else { "no" }))
            })
        })
        .collect();
    if let Some(day) = check.scheduled_payment_on {
        said.push(format!("{} {}", lang.word("receipt_scheduled_payment_on"), lang.day(day)));
    }
    format!(" — {}: {}", lang.word("receipt_check"), said.join("; "))
}

/// A conversation: who talked to whom, how, what was said, and why they do not pay.
fn conversation(lang: Lang, facts: &TimelineFacts) -> Option<String> {
    let TimelineFacts::Conversation {
        direction,
        channel,
        contact,
        by,
        summary,
        outcome,
        reason,
        note,
        receipt_check: check,
    } = facts
    else {
        return None;
    };
    let with = contact.as_ref().map(|c| lang.fill("tl_with", &[("contact", c)])).unwrap_or_default();
    let mut said = lang.fill(
        "tl_conversation",
        &[
            ("direction", &lang.term("tl_direction_", direction)),
            ("channel", &lang.term("tl_channel_", channel)),
            ("with", &with),
            ("by", by),
            ("summary", summary),
        ],
    );
    if let Some(outcome) = outcome {
        said.push_str(&format!(" — {}: {outcome}", lang.word("tl_outcome")));
    }
    if let Some(reason) = reason {
        said.push_str(&format!(" — {}: {}", lang.word("tl_reason"), lang.term("reason_", reason)));
    }
    if let Some(note) = note {
        said.push_str(&format!(" ({note})"));
    }
    if let Some(check) = check {
        said.push_str(&receipt_check(lang, check));
    }
    Some(said)
}

/// One timeline entry in the visitor's words.
pub(super) fn said(lang: Lang, entry: &TimelineEntry) -> String {
    // what the customer did on their own page is said as theirs, in the visitor's words
    worded(lang, entry).replace(overdue_app::portal::BY_CUSTOMER, &lang.word("by_customer_page"))
}

fn worded(lang: Lang, entry: &TimelineEntry) -> String {
    let money = |m: &overdue_core::Money| lang.money(*m);
    match &entry.facts {
        TimelineFacts::InvoiceIssued { number, gross, due_date } => lang
            .fill("tl_invoice_issued", &[("number", number), ("amount", &money(gross)), ("due", &lang.day(*due_date))]),
        TimelineFacts::CreditNoteIssued { number, gross } => {
            lang.fill("tl_credit_note_issued", &[("number", number), ("amount", &money(gross))])
        }
        TimelineFacts::InvoiceSent { number } => lang.fill("tl_invoice_sent", &[("number", number)]),
        TimelineFacts::InvoicePaid { number } => lang.fill("tl_invoice_paid", &[("number", number)]),
        TimelineFacts::Payment { amount, payer, method, reference, remittance } => {
            let mut said = lang.fill(
                "tl_payment",
                &[("amount", &money(amount)), ("method", &lang.term("method_", method)), ("reference", reference)],
            );
            if let Some(payer) = payer {
                said.push_str(&format!(" — {payer}"));
            }
            if let Some(remittance) = remittance {
                said.push_str(&format!(" «{remittance}»"));
            }
            said
        }
        TimelineFacts::CreditNoteUsed { note, amount } => {
            lang.fill("tl_credit_note_used", &[("note", note), ("amount", &money(amount))])
        }
        TimelineFacts::PaymentTakenBack { amount, reference, why } => {
            lang.fill("tl_payment_taken_back", &[("amount", &money(amount)), ("reference", reference), ("why", why)])
        }
        facts @ TimelineFacts::Conversation { .. } => conversation(lang, facts).unwrap_or_else(|| entry.text.clone()),
        TimelineFacts::Promise { amount, method, promised_date, promised_by } => {
            let mut said = lang.fill("tl_promise", &[("amount", &money(amount)), ("date", &lang.day(*promised_date))]);
            if let Some(method) = method {
                said.push_str(&format!(" — {}", lang.term("method_", method)));
            }
            if let Some(who) = promised_by {
                said.push_str(&format!(" ({who})"));
            }
            said
        }
        TimelineFacts::DisputeOpened { number, reason, note } => {
            let said = lang.fill("tl_dispute_opened", &[("number", number), ("reason", &lang.term("reason_", reason))]);
            note.as_ref().map_or(said.clone(), |note| format!("{said}: {note}"))
        }
        TimelineFacts::DisputeResolved { number, resolution } => {
            let said = lang.fill("tl_dispute_resolved", &[("number", number)]);
            resolution.as_ref().map_or(said.clone(), |how| format!("{said}: {how}"))
        }
        TimelineFacts::ActionPlanned { action: facts } => {
            lang.fill("tl_action_planned", &[("what", &action(lang, facts))])
        }
        TimelineFacts::ActionDone { action: facts, by, note } => {
            let said = lang.fill("tl_action_done", &[("by", by), ("what", &action(lang, facts))]);
            // an alarm closed by the contact it asked for says which, in the visitor's words
            let note = note.as_deref().map(|note| match overdue_store::AlarmCleared::of_note(note) {
                Some(cleared) => lang.word(&format!("tl_cleared_{}", cleared.as_str())),
                None => note.to_owned(),
            });
            note.map_or(said.clone(), |note| format!("{said} ({note})"))
        }
        TimelineFacts::ActionSkipped { action: facts, by, reason } => {
            lang.fill("tl_action_skipped", &[("by", by), ("what", &action(lang, facts)), ("reason", reason)])
        }
        TimelineFacts::MessageWithdrawn { action: facts, note } => {
            lang.fill("tl_message_withdrawn", &[("what", &action(lang, facts)), ("note", note)])
        }
        TimelineFacts::MessageApproved { action: facts, by } => {
            lang.fill("tl_message_approved", &[("by", by), ("what", &action(lang, facts))])
        }
        TimelineFacts::CustomerChanged { by, field, old, new } => {
            let shown = |value: &Option<String>| value.clone().unwrap_or_else(|| lang.word("tl_empty"));
            let field = lang.term("field_", field);
            lang.fill(
                "tl_customer_changed",
                &[("by", by), ("field", &field), ("old", &shown(old)), ("new", &shown(new))],
            )
        }
        TimelineFacts::CreditReport { source, rating } => {
            lang.fill("tl_credit_report", &[("source", source), ("rating", rating)])
        }
        TimelineFacts::SaidPaid { number, amount, paid_on, reference, by } => {
            let said = lang.fill(
                "tl_said_paid",
                &[("number", number), ("amount", &money(amount)), ("date", &lang.day(*paid_on)), ("by", by)],
            );
            reference.as_ref().map_or(said.clone(), |quoted| format!("{said} — {} «{quoted}»", lang.word("reference")))
        }
        TimelineFacts::PageLinkMade { until } => lang.fill("tl_page_link_made", &[("until", &lang.day(*until))]),
        TimelineFacts::PageLinkRevoked => lang.word("tl_page_link_revoked"),
        TimelineFacts::PlanAgreed { id, total, instalments, first, last, by } => lang.fill(
            "tl_plan_agreed",
            &[
                ("id", &id.to_string()),
                ("total", &money(total)),
                ("count", &instalments.to_string()),
                ("first", &lang.day(*first)),
                ("last", &lang.day(*last)),
                ("by", by),
            ],
        ),
        TimelineFacts::PlanCancelled { id, reason, by } => {
            lang.fill("tl_plan_cancelled", &[("id", &id.to_string()), ("reason", reason), ("by", by)])
        }
        TimelineFacts::PageVisited { times: 1 } => lang.word("tl_page_visited_once"),
        TimelineFacts::PageVisited { times } => lang.fill("tl_page_visited", &[("times", &times.to_string())]),
        TimelineFacts::Other => entry.text.clone(),
    }
}

/// What kind of entry it is, as a tag (`invoice`, `payment`, `call`, …) in the visitor's words.
pub(super) fn kind(lang: Lang, kind: &str) -> String {
    lang.term("tl_kind_", kind)
}

/// Why a message waits for approval, in the visitor's words (the books keep the engine's reason,
/// [`overdue_core::engine::approval_reason`]); an unknown reason as written.
pub(super) fn approval_said(lang: Lang, reason: &str) -> String {
    use overdue_core::engine::{AGENCY_HAND_OFF, FINAL_DEMAND, OPEN_DISPUTE, PREPAYMENT, step_asking};
    if let Some(step) = step_asking(reason) {
        return lang.fill("approval_step", &[("step", &step)]);
    }
    let key = match reason {
        FINAL_DEMAND => "approval_final_demand",
        AGENCY_HAND_OFF => "approval_agency_hand_off",
        PREPAYMENT => "approval_prepayment",
        OPEN_DISPUTE => "approval_open_dispute",
        _ => return reason.to_owned(),
    };
    lang.word(key)
}

/// An action named on the approval list: what it asks for and its invoices.
pub(super) fn action_named(lang: Lang, action: &overdue_store::StoredAction) -> String {
    let facts = ActionFacts {
        kind: action.kind.clone(),
        reason: action.reason.clone(),
        step: action.step.clone(),
        channel: action.channel.clone(),
        invoices: action.invoices.iter().map(|i| i.number.to_string()).collect(),
    };
    self::action(lang, &facts)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use overdue_core::Money;
    use overdue_core::currency::Currency;

    fn entry(facts: TimelineFacts) -> TimelineEntry {
        let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        TimelineEntry { on, time: None, kind: "action".into(), text: "in English".into(), facts }
    }

    fn every_kind() -> Vec<TimelineFacts> {
        let eur = Money::new(1234_50, Currency::EUR);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 15).unwrap();
        let action = ActionFacts {
            kind: "step".into(),
            reason: "overdue".into(),
            step: Some("first_reminder".into()),
            channel: Some("email".into()),
            invoices: (1..=7).map(|n| format!("F-{n}")).collect(),
        };
        let check = overdue_core::contact::ReceiptCheck {
            goods_arrived: Some(true),
            invoice_received: Some(false),
            ..Default::default()
        };
        vec![
            TimelineFacts::InvoiceIssued { number: "F-1".into(), gross: eur, due_date: day },
            TimelineFacts::CreditNoteIssued { number: "NC-1".into(), gross: eur },
            TimelineFacts::InvoiceSent { number: "F-1".into() },
            TimelineFacts::InvoicePaid { number: "F-1".into() },
            TimelineFacts::Payment {
                amount: eur,
                payer: Some("Rossi".into()),
                method: "direct_debit".into(),
                reference: "P-1".into(),
                remittance: Some("F-1".into()),
            },
            TimelineFacts::CreditNoteUsed { note: "NC-1".into(), amount: eur },
            TimelineFacts::PaymentTakenBack { amount: eur, reference: "P-1".into(), why: "AM04".into() },
            TimelineFacts::Conversation {
                direction: "outbound".into(),
                channel: "call".into(),
                contact: Some("Giulia".into()),
                by: "ana".into(),
                summary: "pagano il 15".into(),
                outcome: Some("promise".into()),
                reason: Some("cash_flow".into()),
                note: Some("nota".into()),
                receipt_check: Some(check),
            },
            TimelineFacts::Promise {
                amount: eur,
                method: Some("transfer".into()),
                promised_date: day,
                promised_by: Some("Giulia".into()),
            },
            TimelineFacts::DisputeOpened {
                number: "F-1".into(),
                reason: "disputed_quality".into(),
                note: Some("rotto".into()),
            },
            TimelineFacts::DisputeResolved { number: "F-1".into(), resolution: Some("credit note".into()) },
            TimelineFacts::ActionPlanned { action: action.clone() },
            TimelineFacts::ActionDone { action: action.clone(), by: "ana".into(), note: None },
            TimelineFacts::ActionDone {
                action: action.clone(),
                by: "ana".into(),
                note: Some(format!("cleared: {}", overdue_store::AlarmCleared::Promise.note())),
            },
            TimelineFacts::ActionSkipped { action: action.clone(), by: "ana".into(), reason: "ferie".into() },
            TimelineFacts::MessageWithdrawn { action: action.clone(), note: "withdrawn: paid".into() },
            TimelineFacts::MessageApproved { action, by: "ana".into() },
            TimelineFacts::CustomerChanged {
                by: "ana".into(),
                field: "credit_limit".into(),
                old: None,
                new: Some("5000".into()),
            },
            TimelineFacts::CreditReport { source: "Cerved".into(), rating: "A2".into() },
            TimelineFacts::SaidPaid {
                number: "F-1".into(),
                amount: eur,
                paid_on: day,
                reference: Some("TRF 778".into()),
                by: overdue_app::portal::BY_CUSTOMER.into(),
            },
            TimelineFacts::PageLinkMade { until: day },
            TimelineFacts::PageLinkRevoked,
            TimelineFacts::PlanAgreed { id: 3, total: eur, instalments: 3, first: day, last: day, by: "ana".into() },
            TimelineFacts::PlanCancelled { id: 3, reason: "rinegoziato".into(), by: "ana".into() },
            TimelineFacts::PageVisited { times: 3 },
        ]
    }

    /// Every kind of entry is worded in every language: no placeholder or key left, the amount in
    /// the language's own way, and never the English text of the books.
    #[test]
    fn every_entry_is_worded_in_each_language() {
        for lang in Lang::ALL {
            for facts in every_kind() {
                let said = said(lang, &entry(facts.clone()));
                assert!(
                    !said.contains('{') && !said.contains("tl_") && said != "in English",
                    "{lang:?} {facts:?}: {said}"
                );
            }
        }
        let paid = said(Lang::It, &entry(every_kind().swap_remove(4)));
        assert_eq!(paid, "Incasso di 1.234,50 € tramite Addebito diretto (RID/SDD), riferimento P-1 — Rossi «F-1»");
        let planned = said(Lang::Es, &entry(every_kind().swap_remove(11)));
        let cleared = said(Lang::It, &entry(every_kind().swap_remove(13)));
        assert!(cleared.ends_with("(l'allarme si chiude: è stata registrata una promessa di pagamento)"), "{cleared}");
        assert_eq!(
            planned,
            "Planificado: Paso «primer recordatorio» (vencida): enviar un correo — F-1, F-2, F-3, F-4, F-5, +2"
        );
    }

    #[test]
    fn an_approval_reason_is_worded_and_an_unknown_one_kept() {
        let step = overdue_core::engine::step_asks("final_demand");
        assert_eq!(approval_said(Lang::It, &step), "il passo «final_demand» chiede l'approvazione");
        assert_eq!(
            approval_said(Lang::Es, overdue_core::engine::OPEN_DISPUTE),
            "el cliente tiene una factura en disputa"
        );
        assert_eq!(approval_said(Lang::Es, "something new"), "something new");
    }
}
