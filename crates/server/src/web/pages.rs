//! The pages a person reads: log in, today's work, a customer, an invoice, an action's message.
//! Each reads the books through the same use cases and shapes as the API, for the visitor's
//! organisation only.

use super::{Asked, Lang, Visitor, problem, render};
use crate::api::reports::{explain_body, interest_body};
use crate::api::{Amount, amounts, detail, invoice_body, local};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::NaiveDate;
use overdue_app::outbox::Sender;
use overdue_app::work::WorkSection;
use overdue_store::StoredAction;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A value of a page's context, from anything serialisable.
fn v<T: Serialize>(value: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(value))
}

/// What a page is asked for in its address: the day, and where to go after logging in.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub as_of: Option<NaiveDate>,
    pub next: Option<String>,
    /// Words to find a customer by (code or name).
    pub q: Option<String>,
    /// `all`: every row of a long list (a customer's open invoices and timeline), not the first.
    pub show: Option<String>,
    /// Today's work: one section only (`calls`, `messages`, …), paged with `from`.
    pub section: Option<String>,
    /// Today's work: the first row of the section's page (0-based).
    pub from: Option<usize>,
}

/// The answer of the form a page was sent back from, carried in a cookie that lives for one
/// page (never in the address, where a link could carry a made-up confirmation).
#[derive(Debug, Default, Deserialize)]
pub struct Flash {
    /// A form's success, in words.
    pub notice: Option<String>,
    /// A form's failure, in words.
    pub error: Option<String>,
    /// The id of the form the answer belongs next to (`skip-12`).
    pub at: Option<String>,
    /// The field of that form at fault.
    pub field: Option<String>,
    /// A secret made by the form (a new API token's), shown on this one page and never again.
    pub secret: Option<String>,
    /// The values a refused form was sent with, by field name, to show it again as it was sent.
    #[serde(flatten)]
    pub kept: std::collections::BTreeMap<String, String>,
}

/// The values a refused form was sent with, for a template: any field asked for is its value as
/// typed, or none when it was not sent (never an undefined value, which fails the page).
#[derive(Debug)]
struct Kept(std::collections::BTreeMap<String, String>);

impl minijinja::value::Object for Kept {
    fn get_value(self: &std::sync::Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let typed = key.as_str().and_then(|key| self.0.get(key));
        Some(typed.map_or(minijinja::Value::from(()), |text| minijinja::Value::from(text.as_str())))
    }
}

/// The cookie a form's answer travels in to the next page.
pub const FLASH_COOKIE: &str = "overdue_flash";

/// What a page was asked with: its query, and the answer of a form sent from it.
#[derive(Debug, Default)]
pub struct Shown {
    pub as_of: Option<NaiveDate>,
    pub next: Option<String>,
    pub q: Option<String>,
    pub show: Option<String>,
    pub section: Option<String>,
    pub from: Option<usize>,
    flash: Flash,
}

impl axum::extract::FromRequestParts<AppState> for Shown {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Response> {
        let Asked(query) = Asked::<PageQuery>::from_request_parts(parts, state).await?;
        let flash = crate::auth::cookie(&parts.headers, FLASH_COOKIE)
            .and_then(|text| serde_urlencoded::from_str::<Flash>(&text).ok())
            .unwrap_or_default();
        Ok(Shown {
            as_of: query.as_of,
            next: query.next,
            q: query.q,
            show: query.show,
            section: query.section,
            from: query.from,
            flash,
        })
    }
}

impl Shown {
    /// The answer of the form the page was sent back from, for the page's template.
    pub(super) fn answer(&self) -> minijinja::Value {
        let f = &self.flash;
        minijinja::context! {
            notice => f.notice.clone(), error => f.error.clone(), at => f.at.clone(), field => f.field.clone(),
            secret => f.secret.clone(), kept => minijinja::Value::from_object(Kept(f.kept.clone())),
            // for the other forms of a page than the one refused: nothing typed
            unkept => minijinja::Value::from_object(Kept(Default::default())),
        }
    }
}

/// The login page.
pub async fn login(headers: HeaderMap, shown: Shown) -> Response {
    let lang = Lang::asked(&headers).unwrap_or(Lang::En);
    let next = shown.next.clone().filter(|n| n.starts_with('/') && !n.starts_with("//"));
    render("login.html", lang, None, minijinja::context! { answer => shown.answer(), next => next })
}

/// The receipt check's yes-or-no questions, as the call form's field names.
const RECEIPT_QUESTIONS: [&str; 5] =
    ["goods_arrived", "quality_ok", "quantity_ok", "invoice_received", "approved_for_payment"];

/// One action of the work list as a page shows it.
#[derive(Debug, Serialize)]
struct WorkItem {
    id: i64,
    customer_code: String,
    customer_name: String,
    explanation: String,
    tone: Option<String>,
    due_on: NaiveDate,
    days_late: i64,
    to: String,
    questions: Vec<String>,
    /// What it asks for, as the engine names it (step, sixty_day_alarm, …), and why (pre_due,
    /// overdue, …): the page words it in the visitor's language.
    kind: String,
    reason: String,
    step: Option<String>,
    channel: Option<String>,
    /// What it asks for, in the visitor's words.
    what: String,
    /// Each invoice with what it owes now and how many days it is past its due date today (the
    /// first [`ACTION_INVOICES_SHOWN`]).
    invoices: Vec<(String, Amount, i64)>,
    /// How many more invoices the action is about.
    more_invoices: usize,
    /// It sends or prints a message (an e-mail or a letter) that can be read first.
    has_message: bool,
    /// It is a call to make: the page offers to log it in place.
    is_call: bool,
    /// It is the receipt-check call: the page asks its questions as fields.
    is_receipt_check: bool,
    /// Its message waits for a person's approval: it is approved or rejected, not "done".
    awaits_approval: bool,
}

/// The invoices an action lists on Today; the rest are counted, and on the customer's page (a
/// reminder to an account with 5,000 open invoices is one line of work, not 5,000).
const ACTION_INVOICES_SHOWN: usize = 12;

fn work_item(lang: Lang, action: StoredAction, as_of: NaiveDate) -> WorkItem {
    let what = super::timeline::action_said(
        lang,
        &action.kind,
        &action.reason,
        action.step.as_deref(),
        action.channel.as_deref(),
    );
    let is_call = action.channel.as_deref().is_some_and(|c| c == "call" || c == "approver_escalation")
        || matches!(action.kind.as_str(), "sixty_day_alarm" | "broken_promise" | "broken_plan" | "returned_payment");
    WorkItem {
        what,
        days_late: (as_of - action.due_on).num_days(),
        awaits_approval: false,
        is_receipt_check: action.reason == "receipt_check",
        is_call,
        // a call has a script, not a message: no link to a message that cannot be written
        has_message: action.template.is_some() && !is_call,
        invoices: action
            .invoices
            .iter()
            .take(ACTION_INVOICES_SHOWN)
            .map(|i| (i.number.to_string(), Amount::from(i.open), i.days_overdue))
            .collect(),
        more_invoices: action.invoices.len().saturating_sub(ACTION_INVOICES_SHOWN),
        kind: action.kind,
        reason: action.reason,
        step: action.step,
        channel: action.channel,
        id: action.id,
        customer_code: action.customer_code,
        customer_name: action.customer_name,
        explanation: action.explanation,
        tone: action.tone,
        due_on: action.due_on,
        to: action.address_to,
        questions: action.questions,
    }
}

/// A message that waits for a person's approval.
#[derive(Debug, Serialize)]
struct Waiting {
    id: i64,
    action_id: i64,
    customer_code: String,
    subject: String,
    why: String,
}

/// The actions of a section Today shows at once; the rest a page at a time (a page of 1,000 calls,
/// each with its forms, is megabytes no one works through at once).
const TODAY_ROWS: usize = 50;

/// Today's work, grouped as a credit controller works it, and the messages waiting for approval:
/// each section's first [`TODAY_ROWS`] actions with its count, or one section a page at a time
/// (`?section=calls&from=50`).
pub async fn today(State(state): State<AppState>, visitor: Visitor, shown: Shown) -> Response {
    let organisation = visitor.caller.organisation.clone();
    let as_of = shown.as_of.unwrap_or_else(|| overdue_app::clock::today(&organisation, chrono::Utc::now()));
    let read = state
        .with_store(move |store| {
            let actions = overdue_app::work::today(store, &organisation, as_of, 2000)?;
            let outbox = store.outbox(organisation.id, false, 500)?;
            Ok((actions, outbox))
        })
        .await;
    let (actions, outbox) = match read {
        Ok(read) => read,
        Err(error) => return problem(&visitor, error),
    };
    let words = visitor.lang.words();
    let count = actions.len();
    let held: Vec<i64> = outbox.iter().filter(|m| m.awaits_approval()).map(|m| m.action_id).collect();
    // the messages waiting for approval say what their action asks for, as the action does
    let named: HashMap<i64, String> = actions
        .iter()
        .filter(|a| held.contains(&a.id))
        .map(|a| (a.id, super::timeline::action_named(visitor.lang, a)))
        .collect();
    let mut grouped: HashMap<WorkSection, Vec<overdue_store::StoredAction>> = HashMap::new();
    for action in actions {
        grouped.entry(WorkSection::of(&action)).or_default().push(action);
    }
    // one section asked for: that section alone, a page of it from `from`; else each section's first page
    let only = shown.section.as_deref().and_then(|key| WorkSection::ALL.into_iter().find(|s| s.as_str() == key));
    let mut listed: Vec<i64> = Vec::new();
    let sections: Vec<minijinja::Value> = WorkSection::ALL
        .iter()
        .filter(|section| only.is_none_or(|only| only == **section))
        .filter_map(|section| {
            let actions = grouped.remove(section)?;
            let (total, from) = (actions.len(), if only.is_some() { shown.from.unwrap_or(0) } else { 0 });
            let items: Vec<WorkItem> = actions
                .into_iter()
                .skip(from)
                .take(TODAY_ROWS)
                .map(|action| {
                    let mut item = work_item(visitor.lang, action, as_of);
                    item.awaits_approval = held.contains(&item.id);
                    item
                })
                .collect();
            listed.extend(items.iter().map(|i| i.id));
            let key = format!("section_{}", section.as_str());
            let title = words.get(&key).cloned().unwrap_or(key);
            let next = (from + TODAY_ROWS < total).then_some(from + TODAY_ROWS);
            let previous = (from > 0).then(|| from.saturating_sub(TODAY_ROWS));
            Some(minijinja::context! {
                key => section.as_str(), title => title, items => v(&items),
                total => total, first => from + 1, last => from + items.len(), next => next, previous => previous,
            })
        })
        .collect();
    let waiting: Vec<Waiting> = outbox
        .into_iter()
        .filter(|m| m.awaits_approval())
        .map(|m| Waiting {
            id: m.id,
            action_id: m.action_id,
            customer_code: m.customer,
            subject: named.get(&m.action_id).cloned().or(m.subject).unwrap_or(m.what),
            why: super::timeline::approval_said(visitor.lang, &m.approval.unwrap_or_default()),
        })
        .collect();
    // an answer about a form no longer on the page (an action done meanwhile) is said at the top
    let placed = shown.flash.at.as_deref().is_some_and(|at| {
        let (kind, id) = at.split_once('-').unwrap_or_default();
        let id: i64 = id.parse().unwrap_or_default();
        match kind {
            "done" | "skip" | "call" => listed.contains(&id),
            "approve" | "reject" => waiting.iter().any(|m| m.id == id),
            _ => false,
        }
    });
    let loose_error = if placed { None } else { shown.flash.error.clone() };
    visitor.page(
        "today.html",
        minijinja::context! {
            as_of => v(&as_of),
            count => count,
            sections => sections,
            waiting => v(&waiting),
            answer => shown.answer(),
            loose_error => loose_error,
            // a day other than today shows today's open actions due by then: said, never implied
            section => only.map(|s| s.as_str()),
            from => shown.from.filter(|_| only.is_some()),
            day_note => match as_of.cmp(&overdue_app::clock::today(&visitor.caller.organisation, chrono::Utc::now())) {
                std::cmp::Ordering::Greater => Some("today_future_note"),
                std::cmp::Ordering::Less => Some("today_past_note"),
                std::cmp::Ordering::Equal => None,
            },
            reasons => overdue_core::contact::NonPaymentReason::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            methods => overdue_core::payment::PaymentMethod::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            receipt_questions => RECEIPT_QUESTIONS,
        },
    )
}

/// How a customer has paid in the last year, and how that compares with the year before.
#[derive(Debug, Serialize)]
struct Habits {
    invoices_paid: u32,
    paid_late: u32,
    late_share_percent: u32,
    average_days_late: i64,
    broken_promises: u32,
    /// `better`, `worse` or `same` than the year before (by average days late over every invoice
    /// paid); `None` when either year has no paid invoice.
    trend: Option<&'static str>,
}

impl Habits {
    fn of(now: &overdue_core::habits::PaymentHabits, before: &overdue_core::habits::PaymentHabits) -> Self {
        // days late per invoice paid (on time counts as 0), in tenths, to compare the two years
        let per_invoice =
            |h: &overdue_core::habits::PaymentHabits| (h.days_late_total * 10).checked_div(i64::from(h.invoices_paid));
        let trend = match (per_invoice(now), per_invoice(before)) {
            (Some(now), Some(before)) if now < before => Some("better"),
            (Some(now), Some(before)) if now > before => Some("worse"),
            (Some(_), Some(_)) => Some("same"),
            _ => None,
        };
        Habits {
            invoices_paid: now.invoices_paid,
            paid_late: now.paid_late,
            late_share_percent: now.late_share_percent(),
            average_days_late: now.average_days_late(),
            broken_promises: now.broken_promises,
            trend,
        }
    }
}

/// The rows of a customer's long lists (open invoices, timeline) shown before "show all".
const LONG_LIST_ROWS: usize = 200;

/// One open invoice on the customer page.
#[derive(Debug, Serialize)]
struct OpenInvoice {
    /// In dispute on the day: its reason (not chased meanwhile).
    disputed: Option<String>,
    /// A promise to pay covering it, still pending on the day: its date.
    promised: Option<NaiveDate>,
    number: String,
    kind: String,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    days_overdue: i64,
    total: Amount,
    open: Amount,
}

/// A customer: who they are, what they owe and hold per currency, the open invoices, the
/// timeline, and a form to record a payment.
pub async fn customer(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    shown: Shown,
) -> Response {
    let organisation = visitor.caller.organisation.clone();
    let as_of = shown.as_of.unwrap_or_else(|| overdue_app::clock::today(&organisation, chrono::Utc::now()));
    let zone = overdue_app::clock::time_zone(&organisation);
    let wanted = code.clone();
    // a long account shows its oldest open invoices and latest events first, and all on asking
    let all = shown.show.as_deref() == Some("all");
    let read = state
        .with_store(move |store| {
            let customer = store
                .customer(organisation.id, &wanted)?
                .ok_or_else(|| ApiError::not_found(format!("no customer {wanted:?}")))?;
            let summary = store.customers_on(organisation.id, as_of, Some(&wanted), Some(1))?.into_iter().next();
            let rows = if all { None } else { Some(LONG_LIST_ROWS as u32) };
            let filter = overdue_store::InvoiceFilter {
                open_only: true,
                customer: Some(wanted.clone()),
                page: overdue_store::Page { limit: rows, offset: 0 },
                as_of: Some(as_of),
            };
            let listing = store.invoices(organisation.id, &filter)?;
            let invoice_count = listing.total;
            let invoices = overdue_app::case::items_of(store, &organisation, &listing.rows)?;
            let timeline = if all {
                let whole = store.timeline(organisation.id, &wanted)?;
                let count = whole.len() as u64;
                (whole, count)
            } else {
                store.timeline_latest(organisation.id, &wanted, LONG_LIST_ROWS)?
            };
            let state = store.customer_state(organisation.id, &wanted, as_of)?;
            let year_before = overdue_core::date::add_days(as_of, -overdue_core::habits::HISTORY_DAYS);
            let earlier = store.customer_habits(organisation.id, &wanted, year_before)?;
            let book = store.policy_book(organisation.id)?;
            let grace = state.policy(&book).promise_grace_days;
            let mut now = state.habits;
            now.broken_promises = state
                .promises
                .iter()
                .filter(|p| p.promise.made_on <= as_of && p.promise.state(as_of, grace, &state.payments).is_broken())
                .count() as u32;
            let habits = Habits::of(&now, &earlier);
            // one mark per open item, in the same order
            let marks: Vec<(Option<String>, Option<NaiveDate>)> = invoices
                .iter()
                .map(|i| {
                    let number = overdue_core::ids::InvoiceNumber::parse(&i.number).ok();
                    let disputed = state
                        .disputes
                        .iter()
                        .find(|d| d.is_open(as_of) && Some(&d.invoice) == number.as_ref())
                        .map(|d| d.reason.as_str().to_owned());
                    let promised = state
                        .promises
                        .iter()
                        .map(|p| &p.promise)
                        .filter(|p| number.as_ref().is_some_and(|n| p.covers(n)) && p.made_on <= as_of)
                        .filter(|p| {
                            p.state(as_of, grace, &state.payments) == overdue_core::promise::PromiseState::Pending
                        })
                        .map(|p| p.promised_date)
                        .max();
                    (disputed, promised)
                })
                .collect();
            Ok((customer, summary, (invoices, invoice_count), timeline, (marks, habits)))
        })
        .await;
    let (customer, summary, (invoices, invoice_count), timeline, (marks, habits)) = match read {
        Ok(read) => read,
        Err(error) => return problem(&visitor, error),
    };
    let open: Vec<OpenInvoice> = invoices
        .into_iter()
        .zip(marks)
        .map(|(i, (disputed, promised))| OpenInvoice {
            disputed,
            promised,
            days_overdue: (as_of - i.due_date).num_days().max(0),
            number: i.number,
            kind: i.kind,
            issue_date: i.issue_date,
            due_date: i.due_date,
            total: i.total.into(),
            open: i.open.into(),
        })
        .collect();
    let (timeline, event_count) = timeline;
    let timeline: Vec<minijinja::Value> = timeline
        .into_iter()
        .rev()
        .map(|e| {
            let text = super::timeline::said(visitor.lang, &e);
            let (on, time) = local(&zone, e.on, e.time);
            minijinja::context! { on => v(&on), time => time, kind => super::timeline::kind(visitor.lang, &e.kind), text => text }
        })
        .collect();
    // messages go in the customer's language only where templates are written in it
    let speaks = customer.language;
    let written_in = state.templates.language_for(speaks, "reminder");
    let language_note = (written_in != speaks).then(|| {
        visitor
            .lang
            .word("messages_fall_back")
            .replace("{language}", speaks.as_str())
            .replace("{written}", written_in.as_str())
    });
    let fields: Vec<(&str, String)> = overdue_core::customer_fields::FIELDS
        .iter()
        .map(|field| (*field, overdue_core::customer_fields::value(&customer, field).unwrap_or_default()))
        .collect();
    let reports: Vec<minijinja::Value> = customer
        .credit
        .reports
        .iter()
        .map(|r| {
            minijinja::context! {
                source => r.source.clone(), rating => r.rating.clone(), date => v(&r.date),
                advised_limit => r.advised_limit.map(|m| v(&Amount::from(m))),
            }
        })
        .collect();
    // an answer about a form not on this page (a dispute resolved meanwhile) is said at the top
    let mut placed: Vec<String> = vec!["payment".into(), "edit".into(), "talk".into()];
    placed.extend(open.iter().filter(|i| i.disputed.is_some()).map(|i| format!("resolve-{}", i.number)));
    visitor.page(
        "customer.html",
        minijinja::context! {
            as_of => v(&as_of),
            customer => v(&detail(customer)),
            owed => v(&summary.as_ref().map(|s| amounts(&s.open)).unwrap_or_default()),
            credit => v(&summary.as_ref().map(|s| amounts(&s.credit)).unwrap_or_default()),
            invoices => v(&open),
            invoice_count => invoice_count,
            placed => placed,
            event_count => event_count,
            habits => v(&habits),
            reports => reports,
            fields => fields,
            timeline => timeline,
            language_note => language_note,
            answer => shown.answer(),
            reasons => overdue_core::contact::NonPaymentReason::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            methods => overdue_core::payment::PaymentMethod::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        },
    )
}

/// An invoice: its lines of money, due dates, payments and credits, where it stands on the
/// ladder and why, and its interest table (or why none can be computed).
pub async fn invoice(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(number): Path<String>,
    shown: Shown,
) -> Response {
    let organisation = visitor.caller.organisation.clone();
    let as_of = shown.as_of.unwrap_or_else(|| overdue_app::clock::today(&organisation, chrono::Utc::now()));
    let (wanted, rates, visitor_lang) = (number.clone(), state.rates.clone(), visitor.lang);
    let read = state
        .with_store(move |store| {
            let found = store
                .invoice(organisation.id, &wanted)?
                .ok_or_else(|| ApiError::not_found(format!("no invoice {wanted:?}")))?;
            let explained = overdue_app::work::explain(store, &organisation, &wanted, as_of)?;
            let options = overdue_app::claim::InterestOptions::default();
            let interest = overdue_app::claim::compute(store, &organisation, &wanted, &options, &rates, as_of);
            let charges = store.charges(organisation.id, &wanted)?;
            // what it owed on the day shown, when that is not what it owes now
            let on_day =
                store.invoices_open_on(organisation.id, &[wanted.as_str()], as_of)?.pop().map(|(_, open)| open);
            let on_day = on_day.filter(|open| *open != found.open && as_of >= found.invoice.issue_date);
            let interest = interest.map(|computed| (computed, charges)).map_err(|e| match e {
                overdue_app::AppError::Interest { reason, .. } => super::refusal::interest_said(visitor_lang, &reason),
                other => other.to_string(),
            });
            let transfer = overdue_app::transfer::for_invoice(store, &organisation, &wanted)?;
            Ok((found, explained, interest, on_day, transfer))
        })
        .await;
    let (found, explained, interest, on_day, transfer) = match read {
        Ok(read) => read,
        Err(error) => return problem(&visitor, error),
    };
    let (interest, no_interest) = match interest {
        Ok((computed, charges)) => (Some(interest_body(number.clone(), as_of, computed, charges)), None),
        Err(why) => (None, Some(why)),
    };
    visitor.page(
        "invoice.html",
        minijinja::context! {
            as_of => v(&as_of),
            invoice => v(&invoice_body(found)),
            open_on_day => on_day.map(|open| v(&Amount::from(open))),
            explained => v(&explain_body(number, as_of, explained)),
            interest => v(&interest),
            no_interest => no_interest,
            transfer => transfer_shown(visitor.lang, transfer),
            answer => shown.answer(),
        },
    )
}

/// The invoice's pay-by-transfer code as the page shows it (`qr`: the SVG, `iban`, `amount`,
/// `reference`), or why it has none (`no_code`); nothing when nothing is open.
fn transfer_shown(
    lang: super::i18n::Lang,
    transfer: Result<overdue_app::transfer::TransferAsked, overdue_app::transfer::NoCode>,
) -> minijinja::Value {
    use overdue_app::transfer::NoCode;
    let no_code = |why: String| minijinja::context! { qr => (), no_code => why };
    match transfer {
        Ok(asked) => match overdue_notify::qr::svg(&asked.payload, &lang.word("pay_by_transfer_qr")) {
            Ok(svg) => minijinja::context! {
                qr => minijinja::Value::from_safe_string(svg),
                iban => overdue_core::iban::grouped(&asked.iban),
                amount => v(&Amount::from(asked.amount)),
                reference => asked.reference,
            },
            Err(error) => no_code(error.to_string()),
        },
        Err(NoCode::NothingOpen) => minijinja::Value::from(()),
        Err(NoCode::NoIban) => no_code(lang.word("no_code_no_iban")),
        Err(NoCode::NotEuro(currency)) => no_code(lang.fill("no_code_not_euro", &[("currency", currency.code())])),
        Err(NoCode::Refused(why)) => no_code(lang.fill("no_code_refused", &[("why", &why.to_string())])),
    }
}

/// The exact message an action sends, as it would go out on the day (or why it would not).
pub async fn message(State(state): State<AppState>, visitor: Visitor, Path(id): Path<i64>, shown: Shown) -> Response {
    let organisation = visitor.caller.organisation.clone();
    let as_of = shown.as_of.unwrap_or_else(|| overdue_app::clock::today(&organisation, chrono::Utc::now()));
    let answer = shown.answer();
    let (templates, rates) = (state.templates.clone(), state.rates.clone());
    let read = state
        .with_store(move |store| {
            let action = store.action(organisation.id, id)?;
            let sender = Sender { organisation: &organisation, templates: &templates, rates: &rates };
            let shown = overdue_app::outbox::preview(store, &sender, &action, as_of)?;
            Ok((action, shown))
        })
        .await;
    let (action, shown) = match read {
        Ok(read) => read,
        Err(error) => return problem(&visitor, error),
    };
    let (verdict, mut why, prepared, waiting) = (shown.verdict, shown.why, shown.prepared, shown.waiting);
    if verdict == "done" {
        why = Some(closed_said(visitor.lang, &action));
    }
    visitor.page(
        "message.html",
        minijinja::context! {
            waiting => waiting,
            answer => answer,
            as_of => v(&as_of),
            action => v(&work_item(visitor.lang, action, as_of)),
            verdict => verdict,
            why => why,
            to => prepared.as_ref().and_then(|p| p.to.clone()),
            language => prepared.as_ref().map(|p| p.language.clone()),
            subject => prepared.as_ref().map(|p| p.rendered.subject.clone()),
            body => prepared.map(|p| p.rendered.body),
        },
    )
}

/// That a closed action sends nothing more, when and by whom it was closed, in the visitor's
/// words (the customer's timeline says how).
fn closed_said(lang: super::i18n::Lang, action: &overdue_store::StoredAction) -> String {
    let on = action.done_on.map_or_else(String::new, |day| lang.day(day));
    let by = action.done_by.clone().unwrap_or_default();
    lang.fill("message_closed", &[("on", &on), ("by", &by)])
}

/// One customer on the customers page.
#[derive(Debug, Serialize)]
struct CustomerRow {
    code: String,
    name: String,
    country: String,
    open_invoices: u64,
    owed: Vec<Amount>,
    credit: Vec<Amount>,
}

/// Every customer with what they owe and hold per currency today (the first 200 by code; `q`
/// finds by code or name among all).
pub async fn customers(State(state): State<AppState>, visitor: Visitor, shown: Shown) -> Response {
    let organisation = visitor.caller.organisation.clone();
    let as_of = shown.as_of.unwrap_or_else(|| overdue_app::clock::today(&organisation, chrono::Utc::now()));
    let wanted = shown.q.clone().unwrap_or_default().trim().to_lowercase();
    // today's balances in one query: all customers when searching, else the first page
    let page = overdue_store::Page { limit: wanted.is_empty().then_some(200), offset: 0 };
    let read = state.with_store(move |store| Ok(store.customers(organisation.id, page)?.rows)).await;
    let listed = match read {
        Ok(listed) => listed,
        Err(error) => return problem(&visitor, error),
    };
    let rows: Vec<CustomerRow> = listed
        .into_iter()
        .filter(|c| {
            wanted.is_empty()
                || c.code.to_lowercase().contains(&wanted)
                || c.legal_name.to_lowercase().contains(&wanted)
        })
        .take(200)
        .map(|c| CustomerRow {
            owed: amounts(&c.open),
            credit: amounts(&c.credit),
            code: c.code,
            name: c.legal_name,
            country: c.country.to_string(),
            open_invoices: c.open_invoices,
        })
        .collect();
    visitor.page(
        "customers.html",
        minijinja::context! {
            as_of => v(&as_of),
            q => shown.q.clone(),
            customers => v(&rows),
            answer => shown.answer(),
        },
    )
}

/// What the invoice list is asked for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvoicesQuery {
    pub as_of: Option<NaiveDate>,
    /// `all`: paid ones too (default: open only).
    pub show: Option<String>,
    /// Rows to skip (pages of 200).
    pub offset: Option<u64>,
}

/// One invoice in the list.
#[derive(Debug, Serialize)]
struct InvoiceRow {
    number: String,
    customer_code: String,
    customer_name: String,
    kind: String,
    issue_date: NaiveDate,
    due_date: NaiveDate,
    days_overdue: i64,
    total: Amount,
    open: Amount,
}

/// The invoices as the books stood on a day: open ones (oldest due first), or all, in pages of
/// 200 with the total said.
pub async fn invoices(State(state): State<AppState>, visitor: Visitor, Asked(query): Asked<InvoicesQuery>) -> Response {
    const PAGE_ROWS: u64 = 200;
    let organisation = visitor.caller.organisation.clone();
    let as_of = query.as_of.unwrap_or_else(|| overdue_app::clock::today(&organisation, chrono::Utc::now()));
    let open_only = query.show.as_deref() != Some("all");
    let offset = query.offset.unwrap_or(0);
    let filter = overdue_store::InvoiceFilter {
        open_only,
        customer: None,
        page: overdue_store::Page { limit: Some(PAGE_ROWS as u32), offset },
        as_of: Some(as_of),
    };
    let read = state.with_store(move |store| Ok(store.invoices(organisation.id, &filter)?)).await;
    let listing = match read {
        Ok(listing) => listing,
        Err(error) => return problem(&visitor, error),
    };
    let rows: Vec<InvoiceRow> = listing
        .rows
        .into_iter()
        .map(|i| InvoiceRow {
            days_overdue: if i.open.is_positive() { (as_of - i.due_date).num_days().max(0) } else { 0 },
            number: i.number,
            customer_code: i.customer_code,
            customer_name: i.customer_name,
            kind: i.kind.as_str().to_owned(),
            issue_date: i.issue_date,
            due_date: i.due_date,
            total: i.gross.into(),
            open: i.open.into(),
        })
        .collect();
    let next = (offset + PAGE_ROWS < listing.total).then_some(offset + PAGE_ROWS);
    visitor.page(
        "invoices.html",
        minijinja::context! {
            as_of => v(&as_of),
            all => !open_only,
            total => listing.total,
            from => offset + 1,
            invoices => v(&rows),
            next => next,
            previous => offset.checked_sub(PAGE_ROWS),
        },
    )
}
