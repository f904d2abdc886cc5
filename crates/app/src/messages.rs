//! The message of an action, built from the books: who it goes to, in which language, with which
//! template and tone, the invoices it asks for (as the caller says they stand on the day), the
//! credit terms in words, every payment option, the late fee its step charges, how many
//! reminders really went before, and for a final demand the interest and costs claimed and the
//! deadline. `overdue preview` shows it; `overdue send` sends exactly this.

use crate::AppError;
use crate::claim;
use chrono::NaiveDate;
use overdue_core::customer::{ContactRole, Customer};
use overdue_core::engine::ActionInvoice;
use overdue_core::ids::Language;
use overdue_core::letterhead::Letterhead;
use overdue_core::money::{Amounts, Money};
use overdue_core::rates::RateTable;
use overdue_notify::{Draft, FileAttachment, Hold, InvoiceLine, Rendered, Templates};
use overdue_store::{Organisation, Store, StoredAction};

/// A message ready to go: to whom, and what it says.
pub struct Prepared {
    pub to: Option<String>,
    pub language: String,
    pub rendered: Rendered,
    /// The invoices' original documents, with the invoice e-mail.
    pub attachments: Vec<FileAttachment>,
    /// Why it must not go out as it stands (a claim whose interest could not be computed): a
    /// person decides.
    pub hold: Option<String>,
    /// The last day to pay it gives (a final demand).
    pub deadline: Option<NaiveDate>,
    /// The EPC QR code's text of what it asks, printed on its letter (`None`: no code can say
    /// it, e.g. no IBAN on the letterhead or not in euros).
    pub qr: Option<String>,
    /// Whom its letter is to and its date, set under the letterhead (`None`: its text writes
    /// its own, as a final demand's legal wording does).
    pub addressed: Option<overdue_notify::pdf::Addressed>,
}

/// The private link to the customer's own page a message carries, when the letterhead gives the
/// server's public address (`public_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageLink {
    /// None: a letter printed by a person, or no public address.
    None,
    /// A message shown before it goes: the link's place, its secret made only when it is sent.
    Placeholder,
    /// A message going out: the secret of the link made for it ([`crate::portal::make_link`]).
    Made(String),
}

impl PageLink {
    /// The link as the message prints it under `public_url`.
    fn under(&self, public_url: Option<&str>) -> Option<String> {
        let url = public_url?;
        match self {
            PageLink::None => None,
            PageLink::Placeholder => Some(format!("{url}/c/…")),
            PageLink::Made(secret) => Some(format!("{url}/c/{secret}")),
        }
    }
}

/// The template an action's message uses.
///
/// Errors: [`AppError::Refused`] for an action that is work for a person, not a message.
fn template_of(action: &StoredAction) -> Result<String, AppError> {
    if let Some(template) = &action.template {
        return Ok(template.clone());
    }
    Ok(match action.kind.as_str() {
        "send_invoice" => "invoice",
        "broken_promise" => "broken_promise",
        "prepayment" => "prepayment_notice",
        other => {
            return Err(AppError::Refused(
                format!("action {} ({}) is not a message: it is work for a person", action.id, other.replace('_', " "))
                    .into(),
            ));
        }
    }
    .to_owned())
}

/// Builds and renders the message of `action` as of `today`, asking for `listed` (the action's
/// invoices as they stand on `today`: see `outbox::for_sending`) and naming `also_overdue` (the
/// customer's other invoices overdue that day).
///
/// Errors: the action is not a message (a call, a flag); its customer is gone; a template
/// cannot be rendered; the books cannot be read.
pub fn prepare(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    rates: &RateTable,
    (action, listed, also_overdue): (&StoredAction, &[ActionInvoice], &[ActionInvoice]),
    (today, page): (NaiveDate, &PageLink),
) -> Result<Prepared, AppError> {
    let template = template_of(action)?;
    // a broken promise is followed up by a call and an e-mail; other calls send nothing
    if action.channel.as_deref() == Some("call") && action.kind != "broken_promise" {
        return Err(AppError::Refused(
            format!("action {} is a call: the work list gives the questions to ask", action.id).into(),
        ));
    }
    let customer = store
        .customer(organisation.id, &action.customer_code)?
        .ok_or_else(|| AppError::NotFound { what: "customer", key: action.customer_code.clone() })?;
    let role = ContactRole::parse(&action.address_to).unwrap_or(ContactRole::Billing);
    let (contact, to) = recipient(&customer, role);
    if template == "statement" {
        let period = (crate::statement::default_from(today), today);
        let draft = statement_draft(store, organisation, templates, (&customer, contact), period)?;
        return finish(store, organisation, templates, draft, (to, page), (&action.kind, listed));
    }
    let plan = match overdue_core::payment_plan::parse_instalment_key(&action.key) {
        Some(instalment) if template == "plan_instalment" => {
            crate::plans::notice(store, organisation, &action.customer_code, instalment, today)?
        }
        _ => None,
    };
    let invoices = invoice_lines(store, organisation, listed, today)?;
    let numbers: Vec<&str> = listed.iter().map(|i| i.number.as_str()).collect();
    let final_demand = template.starts_with("final_demand") || template == "agency_hand_off";
    let claim =
        if final_demand { Some(claim::for_invoices(store, organisation, rates, &numbers, today)?) } else { None };
    let tone = action.tone.clone().unwrap_or_else(|| default_tone(&action.kind).to_owned());
    let draft = Draft {
        addressee: addressee(contact),
        terms: terms(store, organisation, templates.language_for(customer.language, &template), listed)?,
        claim,
        promise: promise(store, organisation, action, today)?,
        deadline: final_demand.then(|| deadline(organisation, &template, (today, action.deadline))),
        invoices,
        reminders_sent: store.reminders_sent(organisation.id, action.id, &numbers)?,
        also_overdue: also_overdue.iter().map(overdue_line).collect(),
        credit: credit_held(store, organisation, &customer, today)?,
        fee: listed.iter().filter_map(|i| i.fee).collect::<Amounts>(),
        plan,
        ..base_draft(store, organisation, &customer, (templates, template), tone, today)?
    };
    finish(store, organisation, templates, draft, (to, page), (&action.kind, listed))
}

/// Who at the customer a message in `role` is written to, and the address it goes to. A message
/// to the invoice approver or the decision maker goes to that person or to nobody: written to
/// them, it would tell the accounts team what only they should read.
fn recipient(customer: &Customer, role: ContactRole) -> (Option<&overdue_core::customer::Contact>, Option<String>) {
    let contact = match role {
        ContactRole::Billing | ContactRole::Other => {
            customer.contact(role).or_else(|| customer.contact(ContactRole::Billing))
        }
        _ => customer.contact(role),
    };
    let to = match role {
        ContactRole::Billing | ContactRole::Other => {
            contact.and_then(|c| c.email.as_ref()).or_else(|| customer.contacts.iter().find_map(|c| c.email.as_ref()))
        }
        _ => contact.and_then(|c| c.email.as_ref()),
    }
    .map(|e| e.to_string());
    (contact, to)
}

/// The name a message greets: the contact's, never an e-mail address standing in for a name.
fn addressee(contact: Option<&overdue_core::customer::Contact>) -> Option<String> {
    contact.map(|c| c.name.clone()).filter(|name| overdue_core::ids::Email::parse(name).is_err())
}

/// The message of `draft` rendered, with its link to the customer's page, the QR code of what it
/// asks, its attachments (the invoices' documents with an invoice e-mail, the letter as PDF with
/// a final demand or a statement) and why it must be held, if it must.
fn finish(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    draft: Draft,
    (to, page): (Option<String>, &PageLink),
    (kind, listed): (&str, &[ActionInvoice]),
) -> Result<Prepared, AppError> {
    let draft = Draft { customer_page: page.under(draft.letterhead.public_url.as_deref()), ..draft };
    let rendered = templates.render(&draft.facts())?;
    let qr = letter_qr(organisation, &draft);
    let addressed = addressed(&draft);
    let final_demand = draft.template.starts_with("final_demand") || draft.template == "agency_hand_off";
    let attachments = match kind {
        "send_invoice" => documents(store, organisation, templates, &draft, listed)?,
        _ if final_demand || draft.statement.is_some() => vec![FileAttachment {
            file_name: format!("{}-{}.pdf", draft.template, draft.customer_code),
            content_type: "application/pdf".into(),
            content: letter_pdf(organisation, &draft.letterhead, &rendered, (qr.as_deref(), addressed.as_ref()))?,
        }],
        _ => Vec::new(),
    };
    let hold = draft.claim.as_ref().and_then(|c| c.interest_missing.clone()).map(|why| {
        format!("the interest it claims could not be computed ({why}): add the missing rate, or let it go as it is")
    });
    let language = draft.language.to_string();
    Ok(Prepared { to, language, rendered, attachments, hold, deadline: draft.deadline, qr, addressed })
}

/// A statement of account's message for `customer` over `period` (its last day the day of the
/// message): the movements, the invoices open at its end, the credit held, addressed to `contact`.
fn statement_draft(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    (customer, contact): (&Customer, Option<&overdue_core::customer::Contact>),
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Draft, AppError> {
    let code = customer.code.as_str();
    let statement = crate::statement::statement(store, organisation, code, (from, to))?;
    let open = crate::statement::open_items(store, organisation, code, to)?;
    let base = base_draft(store, organisation, customer, (templates, "statement".to_owned()), "friendly".into(), to)?;
    let mut invoices = invoice_lines(store, organisation, &open, to)?;
    let state = store.customer_state(organisation.id, code, to)?;
    let grace_days = state.policy(&store.policy_book(organisation.id)?).promise_grace_days;
    for line in &mut invoices {
        line.hold = hold(&state, &line.number, (to, grace_days));
    }
    Ok(Draft {
        addressee: addressee(contact),
        invoices,
        credit: credit_held(store, organisation, customer, to)?,
        statement: Some(statement),
        ..base
    })
}

/// Why invoice `number` is not asked for on `on` in `state`, if it is not: in dispute, in a
/// payment plan kept so far (under `grace_days`), or said paid while that pauses it.
fn hold(state: &overdue_core::engine::CustomerState, number: &str, (on, grace_days): (NaiveDate, u32)) -> Option<Hold> {
    let invoice = state.invoices.iter().find(|i| i.number.as_str() == number)?;
    if state.disputes.iter().any(|d| d.invoice == invoice.number && d.is_open(on)) {
        Some(Hold::Disputed)
    } else if crate::plans::in_plan_kept(state, &invoice.number, (on, grace_days)) {
        Some(Hold::InPlan)
    } else if state.claims.iter().any(|c| c.invoice == invoice.number && c.pauses_on(on)) {
        Some(Hold::SaidPaid)
    } else {
        None
    }
}

/// The statement of account of `customer` from `from` to `to` as a message to their billing
/// contact, with the statement as a PDF letter attached (and its QR code when it can say what
/// is owed), in their language.
///
/// Errors: an unknown customer; a period refused ([`crate::statement::statement`]); a template
/// that cannot be rendered.
pub fn statement_message(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    customer: &str,
    (period, page): ((NaiveDate, NaiveDate), &PageLink),
) -> Result<Prepared, AppError> {
    let customer = store
        .customer(organisation.id, customer)?
        .ok_or_else(|| AppError::NotFound { what: "customer", key: customer.to_owned() })?;
    let (contact, to) = recipient(&customer, ContactRole::Billing);
    let draft = statement_draft(store, organisation, templates, (&customer, contact), period)?;
    finish(store, organisation, templates, draft, (to, page), ("statement", &[]))
}

/// The invoices themselves: the original e-invoice file where the books keep one, else the
/// invoice rendered to PDF (what was supplied, when and where, the terms in words, every due
/// date and the payment options).
fn documents(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    message: &Draft,
    listed: &[ActionInvoice],
) -> Result<Vec<FileAttachment>, AppError> {
    let mut files = Vec::new();
    for listed in listed {
        let number = listed.number.as_str();
        if let Some(document) = store.invoice_document(organisation.id, number)? {
            files.push(FileAttachment {
                file_name: document.file_name,
                content_type: "application/xml".into(),
                content: document.content.into_bytes(),
            });
            continue;
        }
        let Some(detail) = store.invoice(organisation.id, number)? else { continue };
        let (_, content) = document_pdf(organisation, templates, message, detail.invoice)?;
        let safe: String = number.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).collect();
        files.push(FileAttachment {
            file_name: format!("{safe}.pdf"),
            content_type: "application/pdf".into(),
            content,
        });
    }
    Ok(files)
}

/// An invoice rendered to PDF in the language of `message`; its title and the file.
fn document_pdf(
    organisation: &Organisation,
    templates: &Templates,
    message: &Draft,
    invoice: overdue_core::invoice::Invoice,
) -> Result<(String, Vec<u8>), AppError> {
    let draft = Draft {
        template: "invoice_document".into(),
        terms: Some(invoice.terms.sentence(message.language)),
        document: Some(invoice),
        ..message.clone()
    };
    let rendered = templates.render(&draft.facts())?;
    // the invoice's own code asks for the total it states: only while nothing of it is paid (a
    // reminder's letter asks for what is left)
    let open = message.invoices.iter().find(|line| {
        Some(line.number.as_str()) == draft.document.as_ref().map(|i| i.number.as_str())
            && line.amount == Some(line.open)
    });
    let qr = open.and_then(|line| {
        let total: Amounts = std::iter::once(line.open).collect();
        crate::transfer::for_letter(
            organisation,
            &draft.letterhead,
            &[(&line.number, line.payment_reference.as_deref())],
            &total,
        )
    });
    let pdf = letter_pdf(organisation, &draft.letterhead, &rendered, (qr.as_deref(), addressed(&draft).as_ref()))?;
    Ok((rendered.subject.clone(), pdf))
}

/// Invoice `number`'s document to download: the original e-invoice as received (its file name,
/// `application/xml`), or else the invoice drawn as a PDF in its customer's language (its title
/// with `.pdf`, `application/pdf`).
///
/// Errors: as [`invoice_pdf`].
pub fn invoice_document(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    number: &str,
    today: NaiveDate,
) -> Result<(String, &'static str, Vec<u8>), AppError> {
    if let Some(original) = store.invoice_document(organisation.id, number)? {
        return Ok((original.file_name, "application/xml", original.content.into_bytes()));
    }
    let (title, pdf) = invoice_pdf(store, organisation, templates, number, today)?;
    Ok((format!("{title}.pdf"), "application/pdf", pdf))
}

/// Invoice `number` itself as a PDF, in its customer's language: its title and the file.
///
/// Errors: no such invoice or customer; a template cannot be rendered.
pub fn invoice_pdf(
    store: &mut dyn Store,
    organisation: &Organisation,
    templates: &Templates,
    number: &str,
    today: NaiveDate,
) -> Result<(String, Vec<u8>), AppError> {
    let detail = store
        .invoice(organisation.id, number)?
        .ok_or_else(|| AppError::NotFound { what: "invoice", key: number.into() })?;
    let customer = store
        .customer(organisation.id, detail.invoice.customer.as_str())?
        .ok_or_else(|| AppError::NotFound { what: "customer", key: detail.invoice.customer.to_string() })?;
    let line = InvoiceLine {
        number: number.to_owned(),
        issue_date: Some(detail.invoice.issue_date),
        due_date: detail.invoice.due_date(),
        amount: Some(detail.invoice.totals.gross),
        open: detail.open,
        credited: None,
        payment_reference: detail.invoice.payment_reference.clone(),
        instalments_due: Vec::new(),
        hold: None,
    };
    let document = (templates, "invoice_document".to_owned());
    let base = base_draft(store, organisation, &customer, document, "friendly".into(), today)?;
    let draft = Draft { invoices: vec![line], ..base };
    document_pdf(organisation, templates, &draft, detail.invoice)
}

/// A message to `customer` from the organisation, with nothing yet about invoices or claims, in
/// the customer's language when `template` exists in it, else in English (never English text
/// labelled and formatted as another language).
fn base_draft(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &Customer,
    (templates, template): (&Templates, String),
    tone: String,
    today: NaiveDate,
) -> Result<Draft, AppError> {
    Ok(Draft {
        language: templates.language_for(customer.language, &template),
        template,
        tone,
        today,
        sender_name: organisation.name.clone(),
        letterhead: store.letterhead(organisation.id)?,
        customer_code: customer.code.to_string(),
        customer_name: customer.legal_name.clone(),
        customer_address: customer.address.clone(),
        addressee: None,
        invoices: Vec::new(),
        terms: None,
        claim: None,
        promise: None,
        deadline: None,
        document: None,
        customer_tax_id: customer.tax_id.clone(),
        reminders_sent: 0,
        fee: Amounts::default(),
        also_overdue: Vec::new(),
        credit: Amounts::default(),
        customer_page: None,
        statement: None,
        plan: None,
    })
}

fn default_tone(kind: &str) -> &'static str {
    match kind {
        "broken_promise" => "firm",
        _ => "friendly",
    }
}

/// The invoices as the message lists them, each with what is owed on the sending day as the
/// caller read it from the books of that day (`outbox::still_asked`): the instalments due by
/// then (or the next one, before any is due), not instalments still to come.
fn invoice_lines(
    store: &mut dyn Store,
    organisation: &Organisation,
    listed: &[ActionInvoice],
    today: NaiveDate,
) -> Result<Vec<InvoiceLine>, AppError> {
    let mut lines = Vec::with_capacity(listed.len());
    for listed in listed {
        let detail = store.invoice(organisation.id, listed.number.as_str())?;
        let line = InvoiceLine {
            number: listed.number.to_string(),
            issue_date: detail.as_ref().map(|d| d.invoice.issue_date),
            due_date: listed.due_date,
            amount: detail.as_ref().map(|d| d.invoice.totals.gross),
            open: listed.open,
            credited: detail.as_ref().and_then(|d| credited(d, today)),
            payment_reference: detail.as_ref().and_then(|d| d.invoice.payment_reference.clone()),
            instalments_due: Vec::new(),
            hold: None,
        };
        let due = detail.as_ref().map(|d| due_instalments(d, today)).unwrap_or_default();
        lines.push(by_instalment(line, &due));
    }
    Ok(lines)
}

/// The unpaid instalments of an invoice due by `today`, oldest first.
fn due_instalments(detail: &overdue_store::InvoiceDetail, today: NaiveDate) -> Vec<overdue_core::terms::Instalment> {
    let unpaid = detail.invoice.unpaid_instalments(detail.open);
    unpaid.into_iter().filter(|i| i.due_date <= today).collect()
}

/// An invoice's line, listing each instalment due when several are, with its own due date and
/// amount (so each says how late it is: 46 days for one, 16 for the next — never the whole as late
/// as the oldest). The line lists none when the instalments do not make up what it asks.
fn by_instalment(line: InvoiceLine, due: &[overdue_core::terms::Instalment]) -> InvoiceLine {
    let asked: i64 = due.iter().map(|i| i.amount.amount_minor()).sum();
    if due.len() < 2 || asked != line.open.amount_minor() {
        return line;
    }
    InvoiceLine { instalments_due: due.iter().map(|i| (i.due_date, i.amount)).collect(), ..line }
}

/// Another overdue invoice, as a message names it.
fn overdue_line(invoice: &ActionInvoice) -> InvoiceLine {
    InvoiceLine {
        number: invoice.number.to_string(),
        issue_date: None,
        due_date: invoice.due_date,
        amount: None,
        open: invoice.open,
        credited: None,
        payment_reference: None,
        instalments_due: Vec::new(),
        hold: None,
    }
}

/// The credit the customer holds on `today`, per currency.
fn credit_held(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &Customer,
    today: NaiveDate,
) -> Result<Amounts, AppError> {
    let balance = store.customers_on(organisation.id, today, Some(customer.code.as_str()), None)?;
    Ok(balance.first().map(|b| b.credit.iter().copied().collect()).unwrap_or_default())
}

/// What credit notes took off an invoice, if any did.
fn credited(detail: &overdue_store::InvoiceDetail, today: NaiveDate) -> Option<Money> {
    let minor: i64 = detail
        .payments
        .iter()
        .filter(|p| p.method == overdue_core::payment::PaymentMethod::CreditNote && p.date <= today)
        .map(|p| p.amount.amount_minor())
        .sum();
    (minor > 0).then(|| Money::new(minor, detail.open.currency()))
}

/// The credit terms in words, as the listed invoices state them when they all share the same
/// terms; `None` when they differ (each invoice's due date is in the list), so a message never
/// names terms that some of the invoices it lists do not have.
fn terms(
    store: &mut dyn Store,
    organisation: &Organisation,
    language: Language,
    listed: &[ActionInvoice],
) -> Result<Option<String>, AppError> {
    let mut shared: Option<overdue_core::terms::PaymentTerms> = None;
    for item in listed {
        let Some(detail) = store.invoice(organisation.id, item.number.as_str())? else { return Ok(None) };
        match &shared {
            Some(terms) if *terms != detail.invoice.terms => return Ok(None),
            Some(_) => {}
            None => shared = Some(detail.invoice.terms),
        }
    }
    Ok(shared.map(|terms| terms.sentence(language)))
}

/// The broken promise an action follows up.
fn promise(
    store: &mut dyn Store,
    organisation: &Organisation,
    action: &StoredAction,
    today: NaiveDate,
) -> Result<Option<(NaiveDate, Money)>, AppError> {
    let Some(id) = action.promise_id else { return Ok(None) };
    let state = store.customer_state(organisation.id, &action.customer_code, today)?;
    Ok(state.promises.iter().find(|p| p.id == id).map(|p| (p.promise.promised_date, p.promise.amount)))
}

/// The last day to pay a final demand sent on `today`: the one fixed when it was planned, unless
/// it goes out later than planned — then the full period runs from `today` (the practice of the
/// organisation's country), and the action keeps that day once the message has gone.
fn deadline(
    organisation: &Organisation,
    template: &str,
    (today, planned): (NaiveDate, Option<NaiveDate>),
) -> NaiveDate {
    let days = overdue_core::legal::demand_deadline_days(organisation.country, template);
    let from_today = overdue_core::date::add_days(today, i64::from(days));
    planned.map_or(from_today, |planned| planned.max(from_today))
}

/// The message as a printed letter under the business's letterhead.
pub fn letter_pdf(
    organisation: &Organisation,
    letterhead: &Letterhead,
    rendered: &Rendered,
    (qr, addressed): (Option<&str>, Option<&overdue_notify::pdf::Addressed>),
) -> Result<Vec<u8>, AppError> {
    let lines =
        [letterhead.address.clone(), letterhead.tax_id.clone(), letterhead.phone.clone(), letterhead.email.clone()];
    let head = overdue_notify::pdf::Letterhead {
        name: organisation.name.clone(),
        lines: lines.into_iter().flatten().collect(),
    };
    // a letter that writes its own heading (a final demand, an invoice) takes no second title
    let title = if addressed.is_some() { rendered.subject.as_str() } else { "" };
    Ok(overdue_notify::pdf::letter((&head, addressed), title, &rendered.body, qr)?)
}

/// The templates whose text writes the sender, the recipient and the date itself (the legal
/// wording of a final demand, an invoice): their letters get no block of their own.
const SELF_ADDRESSED: [&str; 3] = ["final_demand", "final_demand_diffida", "invoice_document"];

/// Whom `draft`'s letter is to (the customer's name, the person it is for, the address) and its
/// date in the letter's language; `None` for a template that writes its own.
fn addressed(draft: &Draft) -> Option<overdue_notify::pdf::Addressed> {
    if SELF_ADDRESSED.contains(&draft.template.as_str()) {
        return None;
    }
    let mut recipient = vec![draft.customer_name.clone()];
    recipient.extend(draft.addressee.clone());
    recipient.extend(draft.customer_address.as_deref().map(overdue_notify::facts::address_lines).unwrap_or_default());
    Some(overdue_notify::pdf::Addressed { recipient, date: overdue_notify::facts::date(draft.today, draft.language) })
}

/// The EPC QR code's text for what a letter asks: the invoices it lists, what is open on them
/// and, on a claim, the interest, compensation and fees it adds (the total the letter states);
/// `None` when no code can say it (see [`crate::transfer::for_letter`]).
pub fn letter_qr(organisation: &Organisation, draft: &Draft) -> Option<String> {
    // a statement of a past period asks for nothing: what it closed on may have been paid since
    if draft.statement.as_ref().is_some_and(|s| s.to < crate::clock::today(organisation, chrono::Utc::now())) {
        return None;
    }
    // a statement asks for the balance it closes on (its open items less the credit held), but
    // for what is on hold (disputed, in a plan, said paid)
    let held = |currency| -> i64 {
        draft
            .invoices
            .iter()
            .filter(|l| l.hold.is_some() && l.open.currency() == currency)
            .map(|l| l.open.amount_minor())
            .sum()
    };
    let closing = draft.statement.as_ref().map(|statement| {
        statement
            .accounts
            .iter()
            .map(|account| Money::new(account.closing.amount_minor() - held(account.currency), account.currency))
            .filter(|owed| owed.is_positive())
            .collect::<Amounts>()
    });
    let mut total: Amounts = closing.unwrap_or_else(|| draft.invoices.iter().map(|line| line.open).collect());
    if let Some(claim) = &draft.claim {
        for part in [&claim.interest, &claim.compensation, &claim.fees] {
            total.add_all(part);
        }
    }
    let invoices: Vec<(&str, Option<&str>)> = draft
        .invoices
        .iter()
        .filter(|line| line.hold.is_none())
        .map(|line| (line.number.as_str(), line.payment_reference.as_deref()))
        .collect();
    crate::transfer::for_letter(organisation, &draft.letterhead, &invoices, &total)
}
