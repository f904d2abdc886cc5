//! The customer's own page, opened by the private link in their messages (no account): what
//! they owe, invoice by invoice, in their language, and how to pay each (the EPC QR code, the
//! account and the reference). A link that opens nothing is answered the same whatever the
//! reason, and too many such tries from one address are refused for a while.

use super::i18n::Lang;
use super::{bare_problem, render};
use crate::api::session::ClientAddress;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;

/// The most invoices the page lists (the oldest due first).
const INVOICES_SHOWN: usize = 100;

/// One open invoice as the customer sees it.
#[derive(Debug, Serialize)]
struct Owed {
    number: String,
    due_date: String,
    days_overdue: i64,
    open: crate::api::Amount,
    disputed: bool,
    /// The EPC QR code (SVG) to pay it, its reference; none when no code can say it.
    qr: Option<String>,
    reference: Option<String>,
}

/// `GET /c/{secret}`: the customer's page.
pub async fn page(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Path(secret): Path<String>,
) -> Response {
    let asked = Lang::asked(&headers).unwrap_or(Lang::En);
    let key = format!("link|{}", client.map(|ip| ip.to_string()).unwrap_or_default());
    if state.login_blocked(&key).is_some() {
        return bare_problem(asked, StatusCode::TOO_MANY_REQUESTS, &asked.word("portal_too_many"));
    }
    let now = chrono::Utc::now().naive_utc();
    let read = state.with_store(move |store| read_page(store, &secret, now)).await;
    match read {
        Ok(page) => {
            let lang = page.lang;
            render("portal.html", lang, None, page)
        }
        Err(error) if error.status.is_client_error() => {
            state.login_failed(&key);
            bare_problem(asked, StatusCode::NOT_FOUND, &super::refusal::reason(asked, &error))
        }
        Err(error) => bare_problem(asked, error.status, &super::refusal::reason(asked, &error)),
    }
}

/// What the page shows.
#[derive(Debug, Serialize)]
struct PortalPage {
    #[serde(skip)]
    lang: Lang,
    organisation: String,
    customer: String,
    invoices: Vec<Owed>,
    more: usize,
    iban: Option<String>,
    payment_link: Option<String>,
}

fn read_page(
    store: &mut dyn overdue_store::Store,
    secret: &str,
    now: chrono::NaiveDateTime,
) -> Result<PortalPage, ApiError> {
    let (organisation, customer) = overdue_app::portal::open(store, secret, now)?;
    let lang = Lang::parse(customer.language.as_str()).unwrap_or(Lang::En);
    let today = overdue_app::clock::today(&organisation, chrono::Utc::now());
    let state = store.customer_state(organisation.id, customer.code.as_str(), today)?;
    let mut open: Vec<&overdue_core::engine::OpenInvoice> =
        state.invoices.iter().filter(|i| i.open.is_positive()).collect();
    open.sort_by_key(|i| (i.due_date, i.number.to_string()));
    let more = open.len().saturating_sub(INVOICES_SHOWN);
    let mut invoices = Vec::new();
    for invoice in open.into_iter().take(INVOICES_SHOWN) {
        let number = invoice.number.to_string();
        let transfer = overdue_app::transfer::for_invoice(store, &organisation, &number)?.ok();
        let label = lang.fill("portal_qr_label", &[("number", &number)]);
        let qr = transfer.as_ref().and_then(|asked| overdue_notify::qr::svg(&asked.payload, &label).ok());
        invoices.push(Owed {
            disputed: state.disputes.iter().any(|d| d.invoice == invoice.number && d.is_open(today)),
            due_date: invoice.due_date.to_string(),
            days_overdue: (today - invoice.due_date).num_days().max(0),
            open: invoice.open.into(),
            reference: transfer.map(|asked| asked.reference),
            qr,
            number,
        });
    }
    let letterhead = store.letterhead(organisation.id)?;
    Ok(PortalPage {
        lang,
        organisation: organisation.name.clone(),
        customer: customer.legal_name.clone(),
        invoices,
        more,
        iban: letterhead
            .payment
            .iban
            .as_deref()
            .map(|iban| overdue_core::iban::grouped(&overdue_core::iban::compact(iban))),
        payment_link: letterhead.payment.payment_link.clone(),
    })
}
