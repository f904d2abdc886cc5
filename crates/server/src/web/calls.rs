//! Conversations logged from the pages: a call from today's work (its action then done), or any
//! conversation from the customer's page (a call that came in, an e-mail, a meeting). What was
//! said, the reason given, a promise to pay, a dispute on one of the customer's open invoices,
//! and the receipt check's answers. Everything the form can refuse is refused before anything is
//! written, and a refused form comes back as it was typed.

use super::forms::{Common, answered};
use super::{Lang, Sent, Visitor};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use overdue_core::contact::{Channel, Direction, NonPaymentReason, ReceiptCheck};
use overdue_core::ids::InvoiceNumber;
use overdue_core::payment::PaymentMethod;
use serde::Deserialize;

/// A conversation as its form sends it: what was said, and what came of it.
#[derive(Debug, Deserialize)]
pub struct CallForm {
    #[serde(flatten)]
    pub common: Common,
    /// call (default), email, letter, sms, meeting or portal.
    pub channel: Option<String>,
    /// outbound (default: we called) or inbound (they called).
    pub direction: Option<String>,
    pub contact: Option<String>,
    pub summary: String,
    pub reason: Option<String>,
    pub promised_date: Option<String>,
    pub promised_amount: Option<String>,
    /// How they will pay: transfer, card, cheque, cash, direct_debit or other.
    pub promised_method: Option<String>,
    pub dispute: Option<String>,
    /// The receipt check's answers: `yes`, `no`, or empty when not asked.
    pub goods_arrived: Option<String>,
    pub quality_ok: Option<String>,
    pub quantity_ok: Option<String>,
    pub invoice_received: Option<String>,
    pub approved_for_payment: Option<String>,
    /// The day they have scheduled the payment for (YYYY-MM-DD).
    pub scheduled_payment_on: Option<String>,
}

/// A conversation checked, nothing written yet.
struct Talk {
    channel: Channel,
    direction: Direction,
    contact: Option<String>,
    summary: String,
    /// The reason code as sent, and as read.
    reason: Option<(String, NonPaymentReason)>,
    /// The day promised and the amount as the visitor typed it.
    promise: Option<(NaiveDate, String)>,
    method: Option<PaymentMethod>,
    dispute: Option<String>,
    receipt_check: Option<ReceiptCheck>,
}

/// The words a conversation's answers and refusals are said in.
struct Words {
    lang: Lang,
    said: [String; 3],
    bad_date: String,
    needs_reason: String,
    missing_amount: String,
    missing_date: String,
    needs_summary: String,
    already_disputed: String,
    not_theirs: String,
}

impl Words {
    fn of(lang: Lang) -> Self {
        let word = |key: &str| lang.word(key);
        Words {
            lang,
            said: [word("call_logged"), word("promise_recorded"), word("dispute_opened")],
            bad_date: word("bad_date"),
            needs_reason: word("dispute_needs_reason"),
            missing_amount: word("promise_needs_amount"),
            missing_date: word("promise_needs_date"),
            needs_summary: word("call_needs_summary"),
            already_disputed: word("already_disputed"),
            not_theirs: word("not_their_open_invoice"),
        }
    }
}

fn filled(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

fn day(text: &str, field: &'static str, words: &Words) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| ApiError::bad_request(field, format!("{}: {text:?}", words.bad_date)))
}

impl CallForm {
    /// What was typed, to send a refused form back as it was.
    fn typed(&self) -> Vec<(&'static str, String)> {
        let typed = |text: &Option<String>| text.clone().unwrap_or_default();
        vec![
            ("channel", typed(&self.channel)),
            ("direction", typed(&self.direction)),
            ("contact", typed(&self.contact)),
            ("summary", self.summary.clone()),
            ("reason", typed(&self.reason)),
            ("promised_date", typed(&self.promised_date)),
            ("promised_amount", typed(&self.promised_amount)),
            ("promised_method", typed(&self.promised_method)),
            ("dispute", typed(&self.dispute)),
        ]
    }

    /// The receipt check's answers, `None` when no question was answered.
    ///
    /// Errors: a scheduled payment day that is not a date (field `scheduled_payment_on`).
    fn receipt_check(&self, words: &Words) -> Result<Option<ReceiptCheck>, ApiError> {
        let answer = |text: &Option<String>| match text.as_deref().map(str::trim) {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        };
        let scheduled =
            filled(&self.scheduled_payment_on).map(|text| day(&text, "scheduled_payment_on", words)).transpose()?;
        let check = ReceiptCheck {
            goods_arrived: answer(&self.goods_arrived),
            quality_ok: answer(&self.quality_ok),
            quantity_ok: answer(&self.quantity_ok),
            invoice_received: answer(&self.invoice_received),
            approved_for_payment: answer(&self.approved_for_payment),
            scheduled_payment_on: scheduled,
        };
        Ok((check != ReceiptCheck::default()).then_some(check))
    }

    /// The form read and checked on its own (the books not asked yet).
    fn checked(&self, words: &Words) -> Result<Talk, ApiError> {
        let promise = match (filled(&self.promised_date), filled(&self.promised_amount)) {
            (Some(date), Some(amount)) => {
                words.lang.amount_typed("amount", &amount)?;
                Some((day(&date, "promised_date", words)?, amount))
            }
            (Some(_), None) => return Err(ApiError::bad_request("amount", words.missing_amount.clone())),
            (None, Some(_)) => return Err(ApiError::bad_request("promised_date", words.missing_date.clone())),
            (None, None) => None,
        };
        let (reason, dispute) = (filled(&self.reason), filled(&self.dispute));
        if dispute.is_some() && reason.is_none() {
            return Err(ApiError::bad_request("reason", words.needs_reason.clone()));
        }
        if self.summary.trim().is_empty() {
            return Err(ApiError::bad_request("summary", words.needs_summary.clone()));
        }
        let reason = match (reason, &dispute) {
            (Some(text), Some(_)) => Some((text.clone(), overdue_app::followup::dispute_reason(&text)?)),
            (Some(text), None) => Some((text.clone(), overdue_app::followup::reason(&text)?)),
            (None, _) => None,
        };
        let method = filled(&self.promised_method)
            .map(|text| {
                PaymentMethod::parse(&text)
                    .ok_or_else(|| ApiError::bad_request("method", format!("{text:?}: not a payment method")))
            })
            .transpose()?;
        let channel = filled(&self.channel).unwrap_or_else(|| "call".to_owned());
        let channel = Channel::parse(&channel)
            .ok_or_else(|| ApiError::bad_request("channel", format!("{channel:?}: one of {}", Channel::names())))?;
        let direction = filled(&self.direction).unwrap_or_else(|| "outbound".to_owned());
        let direction = Direction::parse(&direction).ok_or_else(|| {
            ApiError::bad_request("direction", format!("{direction:?}: one of {}", Direction::names()))
        })?;
        Ok(Talk {
            channel,
            direction,
            contact: filled(&self.contact),
            summary: self.summary.trim().to_owned(),
            reason,
            promise,
            method,
            dispute,
            receipt_check: self.receipt_check(words)?,
        })
    }
}

/// Records a conversation with customer `code` about `invoices` (a promise covers them; none:
/// the customer's open invoices in the promise's currency): the dispute is checked against the
/// books first, then the promise, the dispute and the conversation are written. The answer, in
/// words.
fn record(
    store: &mut dyn overdue_store::Store,
    caller: &crate::auth::Caller,
    (code, invoices): (&str, &[InvoiceNumber]),
    talk: Talk,
    words: &Words,
) -> Result<String, ApiError> {
    let organisation = &caller.organisation;
    let today = overdue_app::clock::today(organisation, chrono::Utc::now());
    let mut notice = String::new();
    if let Some(invoice) = &talk.dispute {
        let state = store.customer_state(organisation.id, code, today)?;
        // only one of this customer's open invoices (the field is typed when the list is long)
        if !state.invoices.iter().any(|i| i.number.as_str() == invoice && i.open.is_positive()) {
            let theirs = words.not_theirs.replace("{invoice}", invoice).replace("{customer}", code);
            return Err(ApiError::bad_request("invoice", theirs));
        }
        if state.disputes.iter().any(|d| d.invoice.as_str() == invoice && d.is_open(today)) {
            return Err(ApiError::bad_request("invoice", format!("{invoice}: {}", words.already_disputed)));
        }
    }
    if let Some((promised_date, amount)) = &talk.promise {
        let stated = overdue_app::followup::PromiseStated {
            customer: code.to_owned(),
            amount: words.lang.amount(amount),
            promised_date: *promised_date,
            made_on: today,
            method: talk.method.map(|m| m.as_str().to_owned()),
            promised_by: talk.contact.clone(),
            invoices: invoices.iter().map(ToString::to_string).collect(),
            currency: None,
            within_pending: false,
        };
        let recorded = overdue_app::followup::record_promise(store, organisation, &stated, &caller.name)?;
        let (amount, covered) = (words.lang.money(recorded.promise.amount), &recorded.promise.invoices);
        let covered: Vec<String> = covered.iter().map(ToString::to_string).collect();
        let day = words.lang.day(*promised_date);
        notice.push_str(&format!("; {} {amount} {day} ({})", words.said[1], covered.join(", ")));
    }
    if let Some(invoice) = &talk.dispute {
        let why = talk.reason.as_ref().map(|(text, _)| text.clone()).unwrap_or_default();
        let note = Some(talk.summary.clone());
        overdue_app::followup::open_dispute(store, organisation, (invoice, &why, note), today, &caller.name)?;
        notice.push_str(&format!("; {} {invoice}", words.said[2]));
    }
    let interaction = overdue_core::contact::Interaction {
        at: chrono::Utc::now().naive_utc(),
        channel: talk.channel,
        direction: talk.direction,
        contact: talk.contact,
        recorded_by: caller.name.clone(),
        summary: talk.summary,
        outcome: None,
        reason: talk.reason.map(|(_, reason)| reason),
        reason_note: None,
        receipt_check: talk.receipt_check,
        attachment: None,
        invoices: invoices.to_vec(),
    };
    overdue_app::followup::record_conversation(store, organisation, code, &interaction)?;
    // what a promise or a dispute stops asking for leaves the work list and the outbox now
    overdue_app::outbox::withdraw_stale(store, organisation, today, Some(code))?;
    Ok(notice)
}

/// Logs a call for action `id` from today's work: the conversation (as [`record`] does), then the
/// action done. A form sent again for an action already closed records nothing.
pub async fn log_call(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Sent(form): Sent<CallForm>,
) -> Response {
    let words = Words::of(visitor.lang);
    let closed = visitor.lang.word("action_closed");
    let talk = form.checked(&words);
    let typed = form.typed();
    let kept: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    answered(&state, &visitor, (&form.common, &format!("call-{id}"), &kept), move |store, caller| {
        let organisation = &caller.organisation;
        let action = store.action(organisation.id, id)?;
        // a form sent again (a second click, the back button) records nothing twice
        if action.status != "open" {
            return Err(ApiError::new(StatusCode::CONFLICT, None, format!("#{id}: {closed}")));
        }
        let talk = talk?;
        let summary = talk.summary.clone();
        let invoices: Vec<InvoiceNumber> = action.invoices.iter().map(|i| i.number.clone()).collect();
        let said = record(store, caller, (&action.customer_code, &invoices), talk, &words)?;
        // a promise or a dispute may have closed it already (a 60-day alarm is cleared by contact)
        if store.action(organisation.id, id)?.status == "open" {
            let today = overdue_app::clock::today(organisation, chrono::Utc::now());
            let done = (today, caller.name.as_str(), Some(summary.as_str()));
            overdue_app::followup::complete_action(store, organisation, id, done)?;
        }
        Ok(format!("{} #{id} ({}){said}", words.said[0], action.customer_code))
    })
    .await
}

/// `POST /customers/{code}/conversations`: a conversation logged from the customer's page — a
/// call that came in, an e-mail, a meeting — with what came of it (a promise for what the
/// customer owes, a dispute on one of their open invoices).
pub async fn log_conversation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    Sent(form): Sent<CallForm>,
) -> Response {
    let words = Words::of(visitor.lang);
    let logged = visitor.lang.word("conversation_logged");
    let talk = form.checked(&words);
    let typed = form.typed();
    let kept: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    answered(&state, &visitor, (&form.common, "talk", &kept), move |store, caller| {
        let customer = store
            .customer(caller.organisation.id, &code)?
            .ok_or_else(|| ApiError::not_found(format!("no customer {code:?}")))?;
        let said = record(store, caller, (customer.code.as_str(), &[]), talk?, &words)?;
        Ok(format!("{logged} ({code}){said}"))
    })
    .await
}
