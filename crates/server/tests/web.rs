//! The web pages from outside, as a browser without scripts uses them: log in with a form, read
//! today's work, a customer, an invoice and a message, and send the forms (done, skip, a payment)
//! with the session's anti-forgery token — bad input answered next to its form, nothing changed.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::Books;
use overdue_core::access::Role;

/// A person's browser: the session cookie it holds and the language it asks for.
struct Browser<'a> {
    books: &'a Books,
    cookie: String,
    language: &'static str,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into()
}

/// A response: status, where it sends the browser, the cookie it sets, and the page.
struct Answer {
    status: u16,
    location: String,
    cookie: String,
    page: String,
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (location, cookie) = (header("location"), header("set-cookie"));
    let status = response.status().as_u16();
    // a download (a PDF) is read as text too: its bytes outside UTF-8 replaced
    let page = String::from_utf8_lossy(&response.body_mut().read_to_vec().unwrap()).into_owned();
    Answer { status, location, cookie, page }
}

impl<'a> Browser<'a> {
    fn new(books: &'a Books, language: &'static str) -> Self {
        Browser { books, cookie: String::new(), language }
    }

    fn get(&self, path: &str) -> Answer {
        let request = agent()
            .get(format!("{}{path}", self.books.server.base))
            .header("Accept-Language", self.language)
            .header("Cookie", &self.cookie);
        read(request.call().unwrap())
    }

    /// Follows a redirect as a browser does, with the cookie it set (a form's answer).
    fn follow(&self, answer: &Answer) -> Answer {
        let flash = answer.cookie.split(';').next().unwrap_or_default();
        let cookies =
            [self.cookie.as_str(), flash].iter().filter(|c| !c.is_empty()).copied().collect::<Vec<_>>().join("; ");
        let request = agent()
            .get(format!("{}{}", self.books.server.base, answer.location))
            .header("Accept-Language", self.language)
            .header("Cookie", &cookies);
        read(request.call().unwrap())
    }

    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = agent()
            .post(format!("{}{path}", self.books.server.base))
            .header("Accept-Language", self.language)
            .header("Cookie", &self.cookie)
            .header("Content-Type", "application/x-www-form-urlencoded");
        read(request.send(body).unwrap())
    }

    /// Sends a form with a file (multipart/form-data): `fields`, then the file as `file`.
    fn upload(&self, path: &str, fields: &[(&str, &str)], file: (&str, &str)) -> Answer {
        self.upload_files(path, fields, "file", &[file])
    }

    /// Sends a form with files (multipart/form-data): `fields`, then each file under `field`.
    fn upload_files(&self, path: &str, fields: &[(&str, &str)], field: &str, files: &[(&str, &str)]) -> Answer {
        let boundary = "----overdue-test-boundary";
        let mut body = String::new();
        for (name, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        for (name, content) in files {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let request = agent()
            .post(format!("{}{path}", self.books.server.base))
            .header("Accept-Language", self.language)
            .header("Cookie", &self.cookie)
            .header("Content-Type", &format!("multipart/form-data; boundary={boundary}"));
        read(request.send(body).unwrap())
    }

    /// Logs in as Ana, controller of the first organisation.
    fn log_in(self) -> Self {
        self.log_in_as("ana@acme.example")
    }

    /// Logs in as someone of the first organisation.
    fn log_in_as(mut self, email: &str) -> Self {
        let answer = self.post("/login", &[("email", email), ("password", "correct horse battery")]);
        assert_eq!((answer.status, answer.location.as_str()), (303, "/today"), "{}", answer.page);
        self.cookie = answer.cookie.split(';').next().unwrap().to_owned();
        self
    }

    /// The anti-forgery token the page's forms carry.
    fn csrf(&self, page: &str) -> String {
        let field = r#"name="csrf_token" value=""#;
        let at = page.find(field).expect("a form with the token") + field.len();
        unescape(page[at..].split('"').next().unwrap())
    }
}

/// Text as a browser reads it from HTML (the entities minijinja writes).
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The first action of a section on today's page, by its id.
fn first_action(page: &str, section: &str) -> String {
    let start = page.find(&format!(r#"id="section-{section}""#)).unwrap_or_else(|| panic!("no {section} in {page}"));
    let at = page[start..].find(r#"id="action-"#).unwrap() + start + 11;
    page[at..].split('"').next().unwrap().to_owned()
}

fn a_person_logs_in_and_works_today_in_their_language(books: &Books) {
    let stranger = Browser::new(books, "es-ES,es;q=0.9");
    let sent = stranger.get("/today");
    assert_eq!((sent.status, sent.location.as_str()), (303, "/login?next=%2Ftoday"));
    let wrong = stranger.post("/login", &[("email", "ana@acme.example"), ("password", "not her password")]);
    assert_eq!(wrong.status, 303);
    let again = stranger.follow(&wrong);
    assert!(again.page.contains("El correo o la contraseña no son correctos."), "{}", again.page);
    assert!(again.page.contains(r#"value="ana@acme.example""#), "the e-mail as typed: {}", again.page);
    assert!(!again.page.contains("not her password"), "never the password");
    let ana = Browser::new(books, "es-ES,es;q=0.9").log_in();
    let today = ana.get("/today?as_of=2026-11-27");
    assert_eq!(today.status, 200, "{}", today.page);
    assert!(today.page.contains("Trabajo de hoy") && today.page.contains(r#"<html lang="es">"#), "{}", today.page);
    assert!(today.page.contains("Mensajes y cartas que enviar"), "{}", today.page);
    assert!(unescape(&today.page).contains("Un día pasado"), "a day other than today is said to be one");
    // what each action asks, and the questions of a call, in Spanish, with today's figures
    let said = unescape(&today.page);
    for spanish in ["ALARMA: abierta más de 60 días", "¿Hay algún problema con estas facturas", "días de retraso)"]
    {
        assert!(said.contains(spanish), "{spanish} missing: {said}");
    }
    // a call has no message to read: no link to one; nor the English sentence of its planning
    let call = first_action(&today.page, "alarms");
    assert!(!today.page.contains(&format!("/actions/{call}/message")), "{}", today.page);
    assert!(!said.contains("still open 60+ days"), "{said}");
    // one section alone, a page at a time: its count, what it shows, and the way back
    let messages = unescape(&ana.get("/today?as_of=2026-11-27&section=messages").page);
    let items = messages.matches(r#"class="item" id="action-"#).count();
    assert!(items > 1, "{messages}");
    assert!(messages.contains(&format!("Mensajes y cartas que enviar ({items})")), "{messages}");
    assert!(!messages.contains("ALARMA") && messages.contains("Todo el trabajo de hoy"), "{messages}");
    let later = unescape(&ana.get("/today?as_of=2026-11-27&section=messages&from=1").page);
    assert_eq!(later.matches(r#"class="item" id="action-"#).count(), items - 1, "{later}");
    assert!(later.contains(&format!("2–{items} de {items}")) && later.contains("← Anteriores"), "{later}");
    // a form's answer never comes from the address: a link cannot show a made-up confirmation
    let crafted = ana.get("/today?as_of=2026-11-27&notice=Cobro+registrado+GBP+0.00&error=x");
    assert!(crafted.status == 200 && !crafted.page.contains("Cobro registrado"), "{}", crafted.page);
    // the language links choose for this browser from then on
    let chosen = ana.get("/language/it");
    assert_eq!((chosen.status, chosen.location.as_str()), (303, "/today"));
    // pressed on a page, the switch goes back to it (the path only: never another site)
    let from = format!("{}/customers/C001?as_of=2026-11-27", books.server.base);
    let back = read(agent().get(format!("{}/language/en", books.server.base)).header("Referer", &from).call().unwrap());
    assert_eq!(back.location, "/customers/C001?as_of=2026-11-27");
    let elsewhere = read(
        agent()
            .get(format!("{}/language/en", books.server.base))
            .header("Referer", "https://evil.example//x")
            .call()
            .unwrap(),
    );
    assert!(elsewhere.location.starts_with('/') && !elsewhere.location.starts_with("//"), "{}", elsewhere.location);
    let italian =
        Browser { cookie: format!("{}; {}", ana.cookie, chosen.cookie.split(';').next().unwrap()), ..ana.get_as() };
    assert!(
        italian.get("/today?as_of=2026-11-27").page.contains("Lavoro di oggi"),
        "Italian though the browser asks for Spanish"
    );
    // English when asked
    let english = Browser { language: "en-GB", ..ana.get_as() };
    assert!(english.get("/today?as_of=2026-11-27").page.contains("Today&#x27;s work"));
}

impl Browser<'_> {
    fn get_as(&self) -> Self {
        Browser { books: self.books, cookie: self.cookie.clone(), language: self.language }
    }
}

fn skipping_needs_the_token_and_a_reason_answered_next_to_the_form(books: &Books) {
    let ana = Browser::new(books, "it-IT").log_in();
    let back = "/today?as_of=2026-11-27";
    let today = ana.get(back).page;
    let id = first_action(&today, "messages");
    let skip = format!("/actions/{id}/skip");
    let forged = ana.post(&skip, &[("csrf_token", "not-the-token"), ("reason", "x"), ("back", back)]);
    assert_eq!(forged.status, 403, "{}", forged.page);
    let token = ana.csrf(&today);
    let empty = ana.post(&skip, &[("csrf_token", &token), ("reason", " "), ("back", back)]);
    assert_eq!(empty.status, 303, "{token}: {}", empty.page);
    let shown = ana.follow(&empty).page;
    assert!(shown.contains(&format!(r#"id="skip-{id}-error""#)), "the error is next to its form: {shown}");
    assert!(shown.contains("Indichi perché viene saltato."), "said in the page's language: {shown}");
    assert!(shown.contains(&format!(r#"id="action-{id}""#)), "nothing changed: the action is still there");
    let skipped = ana.post(&skip, &[("csrf_token", &token), ("reason", "cliente in ferie"), ("back", back)]);
    let shown = ana.follow(&skipped).page;
    assert!(shown.contains("Saltata #"), "{shown}");
    let done = ana.post(&format!("/actions/{id}/done"), &[("csrf_token", &token), ("back", back)]);
    assert!(ana.follow(&done).page.contains("Questo è già stato saltato da"), "a skipped action is not called done");
    assert!(!shown.contains(&format!(r#"id="action-{id}""#)), "the skipped action left the list");
    // another organisation's action is not there for this session
    let theirs = ana.post("/actions/999999/skip", &[("csrf_token", &token), ("reason", "x"), ("back", back)]);
    assert!(ana.follow(&theirs).page.contains("role=\"alert\""), "refused");
}

fn a_customer_an_invoice_and_a_message_read_true_and_a_payment_is_recorded(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let customer = ana.get("/customers/C003?as_of=2026-11-27");
    assert_eq!(customer.status, 200, "{}", customer.page);
    assert!(customer.page.contains("Tessili Bianchi") && customer.page.contains("3.074,40 €"), "{}", customer.page);
    let token = ana.csrf(&customer.page);
    let back = "/customers/C003";
    let bad = ana.post(
        "/customers/C003/payments",
        &[("csrf_token", &token), ("back", back), ("invoice", "F2026-0003"), ("amount", "100"), ("date", "27/11/2026")],
    );
    let shown = ana.follow(&bad).page;
    assert!(shown.contains(r#"id="payment-error""#) && shown.contains("AAAA-MM-DD"), "{shown}");
    assert!(shown.contains("3.074,40 €"), "nothing changed");
    // the form comes back as it was sent: the same invoice chosen, the amount typed
    assert!(shown.contains(r#"<option value="F2026-0003" selected>"#), "{shown}");
    assert!(shown.contains(r#"id="pay-amount" name="amount" type="text" value="100""#), "{shown}");
    let words = ana.post(
        "/customers/C003/payments",
        &[("csrf_token", &token), ("back", back), ("invoice", "F2026-0003"), ("amount", "mil"), ("date", "2026-11-20")],
    );
    let words = unescape(&ana.follow(&words).page);
    assert!(words.contains("«mil» no es un importe: escríbalo como 1.234,56"), "in Spanish, at its field: {words}");
    assert!(words.contains(r#"id="pay-amount" name="amount" type="text" value="mil""#), "as typed: {words}");
    // a form without its anti-forgery token gets a page that says so, not a bare text answer
    let tokenless = ana.post("/customers/C003/payments", &[("invoice", "F2026-0003"), ("amount", "1.00")]);
    assert!(tokenless.status == 400 && tokenless.page.contains("<html"), "{}", tokenless.page);
    let paid = ana.post(
        "/customers/C003/payments",
        &[
            ("csrf_token", &token),
            ("back", back),
            ("invoice", "F2026-0003"),
            ("amount", "1.000,00"),
            ("date", "2026-11-20"),
        ],
    );
    let shown = ana.follow(&paid).page;
    assert!(shown.contains("Cobro registrado") && shown.contains("2.074,40 €"), "{shown}");
    let twice = ana.post(
        "/customers/C003/payments",
        &[
            ("csrf_token", &token),
            ("back", back),
            ("invoice", "F2026-0003"),
            ("amount", "1000.00"),
            ("date", "2026-11-20"),
        ],
    );
    assert!(ana.follow(&twice).page.contains("ya registrado"), "a second click records nothing");
    let foreign = ana.post(
        "/customers/C003/payments",
        &[
            ("csrf_token", &token),
            ("back", back),
            ("invoice", "F2026-0001"),
            ("amount", "1.00"),
            ("date", "2026-11-20"),
        ],
    );
    assert!(unescape(&ana.follow(&foreign).page).contains("F2026-0001 no es una factura pendiente de C003"));
    // the invoice: what is open, and interest never shown as 0.00 when it cannot be computed
    let invoice = ana.get("/invoices/F2026-0003?as_of=2026-11-27").page;
    assert!(invoice.contains("2.074,40 €") && invoice.contains("No se pueden calcular los intereses"), "{invoice}");
    assert!(
        invoice.contains("no tiene un tipo de las operaciones principales de financiación del BCE"),
        "why: {invoice}"
    );
    assert!(invoice.contains("<dd>Pago a 30 días fecha factura fin de mes</dd>"), "terms in words: {invoice}");
    assert!(!invoice.contains(r#"id="open-on-day""#), "on 27/11 it owed what it owes now: {invoice}");
    // before the payment of 20/11 it owed the whole 3,074.40: said beside what it owes now
    let before = unescape(&ana.get("/invoices/F2026-0003?as_of=2026-11-19").page);
    assert!(before.contains(r#"Pendiente el 19/11/2026</dt><dd class="num" id="open-on-day">3.074,40 €"#), "{before}");
    // what was sold: 350 m of cotton at 7.20, 22 % VAT, 2,520.00 net
    assert!(
        invoice.contains("<td>Tessuto di cotone (m)</td><td class=\"num\">350</td><td class=\"num\">7,20 €</td><td class=\"num\">22 %</td><td class=\"num\">2.520,00 €</td>"),
        "{invoice}"
    );
    // the exact message of an e-mail action, in the customer's language
    let today = ana.get("/today?as_of=2026-11-27").page;
    // the work list says what each invoice owes now, after the payment, not when it was planned
    assert!(today.contains(r#"F2026-0003</a> (Pendiente 2.074,40 €, 27 días de retraso)"#), "{today}");
    let id = first_action(&today, "messages");
    let message = ana.get(&format!("/actions/{id}/message?as_of=2026-11-27")).page;
    assert!(message.contains(r#"<pre class="message""#), "{message}");
    assert_eq!(ana.get("/customers/C404").status, 404);
    // every customer can be found, with what they owe per currency
    let list = ana.get("/customers?q=bianchi").page;
    assert!(list.contains("C003 — Tessili Bianchi S.r.l.") && list.contains("3.743,36 €"), "2074.40 + 1668.96: {list}");
    assert!(!list.contains("C001 —"), "only those found: {list}");
    // more than the invoice owes: said where the rest went, and only that
    let over = ana.post(
        "/customers/C003/payments",
        &[
            ("csrf_token", &token),
            ("back", back),
            ("invoice", "F2026-0011"),
            ("amount", "1700.00"),
            ("date", "2026-11-21"),
        ],
    );
    let said = unescape(&ana.follow(&over).page);
    assert!(said.contains("31,04 € de más sobre la factura se aplicó a otras facturas abiertas"), "{said}");
    assert!(!said.contains("queda como saldo a su favor"), "F2026-0003 took all of it: {said}");
    // recorded by mistake: undone from the invoice, with why; what it paid is open again
    let (_, before) = books.get("/api/v1/invoices/F2026-0011", Some(books.token(0, Role::ReadOnly)));
    let invoice = unescape(&ana.get("/invoices/F2026-0011").page);
    assert!(invoice.contains("cobrada por completo"), "paid in full, said so: {invoice}");
    let form = invoice.split(r#"action="/invoices/F2026-0011/payments/undo""#).nth(1).unwrap();
    let reference = form.split(r#"name="reference" value=""#).nth(1).unwrap().split('"').next().unwrap().to_owned();
    let undo = |reason: &str| {
        let fields = [
            ("csrf_token", token.as_str()),
            ("back", "/invoices/F2026-0011"),
            ("reference", &reference),
            ("reason", reason),
        ];
        unescape(&ana.follow(&ana.post("/invoices/F2026-0011/payments/undo", &fields)).page)
    };
    let bare = undo(" ");
    assert!(bare.contains(r#"id="undo-1-error""#), "said next to its form: {bare}");
    let (_, unchanged) = books.get("/api/v1/invoices/F2026-0011", Some(books.token(0, Role::ReadOnly)));
    assert_eq!(unchanged["open"], before["open"], "a refused undo changes nothing");
    let undone = undo("importe equivocado");
    assert!(undone.contains(&format!("Cobro deshecho, vuelve a estar pendiente: {reference}")), "{undone}");
    let (_, after) = books.get("/api/v1/invoices/F2026-0011", Some(books.token(0, Role::ReadOnly)));
    assert_eq!(after["open"], after["gross"], "open again in full: {after}");
    let (_, f3) = books.get("/api/v1/invoices/F2026-0003", Some(books.token(0, Role::ReadOnly)));
    assert_eq!(f3["open"]["amount"], "2074.40", "the excess it put on F2026-0003 is taken back too: {f3}");
}

/// A conversation logged from the customer page, not from an action: a call that came in, with a
/// dispute on one invoice (refused first without its reason, as typed, nothing written), then on
/// the timeline in the page's language; an e-mail with a promise for what the customer owes.
fn a_conversation_is_logged_from_the_customer_page(books: &Books) {
    let ana = Browser::new(books, "it").log_in();
    let page = ana.get("/customers/C001");
    let token = ana.csrf(&page.page);
    let back = "/customers/C001#talk";
    let talk = |fields: &[(&str, &str)]| {
        let mut all = vec![("csrf_token", token.as_str()), ("back", back)];
        all.extend_from_slice(fields);
        unescape(&ana.follow(&ana.post("/customers/C001/conversations", &all)).page)
    };
    let call =
        [("channel", "call"), ("direction", "inbound"), ("contact", "Lucía"), ("summary", "La merce è arrivata rotta")];
    let refused = talk(&[&call[..], &[("dispute", "F2026-0001")]].concat());
    assert!(
        refused.contains(r#"id="talk-error""#)
            && refused.contains(r#"id="talk-reason" name="reason" aria-invalid="true""#),
        "{refused}"
    );
    assert!(refused.contains(r#"value="La merce è arrivata rotta""#), "as typed: {refused}");
    // a delay is no dispute: refused before anything is written, the promise with it included
    let promised = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    let delay =
        [("dispute", "F2026-0001"), ("reason", "liquidità"), ("promised_date", &promised), ("promised_amount", "10")];
    let refused = talk(&[&call[..], &delay[..]].concat());
    assert!(refused.contains("«problemi di liquidità» è un ritardo, non una contestazione"), "{refused}");
    let (_, timeline) = books.get("/api/v1/customers/C001/timeline", Some(books.token(0, Role::ReadOnly)));
    assert!(!timeline.to_string().contains("arrivata rotta"), "nothing written: {timeline}");
    assert!(!timeline.to_string().contains("Promise to pay EUR 10.00"), "no promise written: {timeline}");
    let disputed = talk(&[&call[..], &[("dispute", "F2026-0001"), ("reason", "disputed_quality")]].concat());
    assert!(disputed.contains("Conversazione registrata (C001)") && disputed.contains("F2026-0001"), "{disputed}");
    let shown = disputed.split(r#"<ol class="timeline""#).nth(1).unwrap_or_default();
    assert!(shown.contains("Chiamata in entrata con Lucía (ana@acme.example): La merce è arrivata rotta"), "{shown}");
    assert!(shown.contains("Contestazione aperta su F2026-0001 (qualità)"), "{shown}");
    let (_, state) =
        books.get("/api/v1/invoices/F2026-0001/explain?as_of=2026-12-31", Some(books.token(0, Role::ReadOnly)));
    assert!(state.to_string().contains("dispute"), "the disputed invoice is paused: {state}");
    let promised = (chrono::Utc::now().date_naive() + chrono::Days::new(10)).to_string();
    let email = [("channel", "email"), ("direction", "inbound"), ("summary", "Pagheranno la prossima settimana")];
    let said = talk(&[&email[..], &[("promised_date", promised.as_str()), ("promised_amount", "1.148,90")]].concat());
    assert!(said.contains("promessa di pagamento registrata 1.148,90 €") && said.contains("(F2026-0009)"), "{said}");
    let (_, timeline) = books.get("/api/v1/customers/C001/timeline", Some(books.token(0, Role::ReadOnly)));
    assert!(timeline.to_string().contains("Promise to pay EUR 1148.90"), "{timeline}");
    // the promise speaks for F2026-0009, which its amount pays, not for F2026-0001 in dispute
    let rows = said.split(r#"<a href="/invoices/"#).skip(1).map(|row| row.split("</tr>").next().unwrap_or_default());
    let marks: Vec<(bool, bool)> = rows
        .filter(|row| row.starts_with("F2026-0001") || row.starts_with("F2026-0009"))
        .map(|row| (row.starts_with("F2026-0009"), row.contains("promessa")))
        .collect();
    assert_eq!(marks, [(false, false), (true, true)], "{said}");
}

on_both_backends!(
    a_conversation_is_logged_from_the_customer_page,
    a_person_logs_in_and_works_today_in_their_language,
    skipping_needs_the_token_and_a_reason_answered_next_to_the_form,
    a_customer_an_invoice_and_a_message_read_true_and_a_payment_is_recorded,
    a_call_is_logged_in_place_with_a_promise_that_pauses_the_ladder,
    the_reports_show_the_books_figures_as_charts_tables_and_csv,
    a_bank_statement_is_uploaded_and_its_lines_decided_on_the_bank_page,
    a_customer_is_edited_on_its_page_and_a_bad_value_is_answered_at_its_field,
    the_receipt_check_is_logged_with_its_answers_as_fields,
    files_are_uploaded_and_each_refused_row_is_said,
    settings_are_changed_on_their_page_each_checked_as_when_loaded,
    the_outbox_lists_what_waits_to_go_and_a_message_is_cancelled,
    a_dispute_is_resolved_from_the_customer_page_and_its_invoice_chased_again,
    the_invoice_list_shows_what_is_open_on_a_day_in_pages,
    an_invoice_page_offers_what_is_open_as_an_epc_qr_code,
    a_message_held_since_it_was_planned_is_approved_on_its_page,
    a_customer_opens_their_own_page_by_its_private_link,
);

/// An ISO day as the English pages write it (`14 December 2026`).
fn books_day(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap().format("%-d %B %Y").to_string()
}

/// The customer of an action on today's page.
fn customer_of(page: &str, id: &str) -> String {
    let at = page.find(&format!(r#"id="action-{id}""#)).unwrap();
    let link = page[at..].find("/customers/").unwrap() + at + 11;
    page[link..].split('"').next().unwrap().to_owned()
}

fn a_call_is_logged_in_place_with_a_promise_that_pauses_the_ladder(books: &Books) {
    let ana = Browser::new(books, "en").log_in();
    let back = "/today?as_of=2026-11-27";
    let today = ana.get(back).page;
    let id = first_action(&today, "alarms");
    let customer = customer_of(&today, &id);
    let token = ana.csrf(&today);
    let call = format!("/actions/{id}/call");
    // a dispute without its reason is refused before anything is written
    let invoice = today[today.find(&format!(r#"id="call-{id}-dispute""#)).unwrap()..]
        .split(r#"<option value=""#)
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let refused =
        ana.post(&call, &[("csrf_token", &token), ("back", back), ("summary", "They will pay"), ("dispute", &invoice)]);
    let shown = ana.follow(&refused).page;
    assert!(shown.contains(&format!(r#"id="call-{id}-error""#)), "next to the call form: {shown}");
    assert!(
        shown.contains(&format!(r#"id="call-{id}-summary" name="summary" required value="They will pay""#)),
        "what was typed comes back: {shown}"
    );
    let (_, timeline) =
        books.get(&format!("/api/v1/customers/{customer}/timeline"), Some(books.token(0, Role::ReadOnly)));
    assert!(!timeline.to_string().contains("They will pay"), "nothing written: {timeline}");
    // only one of this customer's open invoices can be disputed on its call, whatever is sent
    let (_, others) = books.get("/api/v1/invoices?open=true&limit=500", Some(books.token(0, Role::ReadOnly)));
    let theirs = others["rows"].as_array().unwrap().iter().find(|i| i["customer_code"] != customer.as_str()).unwrap();
    let foreign = theirs["number"].as_str().unwrap();
    let sent = [("csrf_token", token.as_str()), ("back", back), ("summary", "Wrong one"), ("reason", "quality")];
    let wrong = ana.follow(&ana.post(&call, &[&sent[..], &[("dispute", foreign)]].concat())).page;
    assert!(wrong.contains(&format!("{foreign} is not an open invoice of {customer}")), "{wrong}");
    // the call with a promise of what the invoice owes: on the timeline, the action done, the
    // ladder paused
    // the promise is made today (the form's day is the real one), for a fortnight later
    let now = chrono::Utc::now().date_naive();
    let promised = (now + chrono::Days::new(14)).to_string();
    let owed = today[today.find(&format!("{invoice}</a> (Open EUR ")).unwrap()..]
        .split("(Open EUR ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .split(", ")
        .next()
        .unwrap()
        .replace(',', "");
    let logged = ana.post(
        &call,
        &[
            ("csrf_token", &token),
            ("back", back),
            ("contact", "Giulia"),
            ("summary", "They will pay on the 15th"),
            ("reason", "cash_flow"),
            ("promised_date", &promised),
            ("promised_amount", &owed),
        ],
    );
    let shown = ana.follow(&logged).page;
    assert!(shown.contains("Call logged") && shown.contains("promise to pay recorded"), "{shown}");
    assert!(!shown.contains(&format!(r#"id="action-{id}""#)), "the call is done");
    let (_, timeline) =
        books.get(&format!("/api/v1/customers/{customer}/timeline"), Some(books.token(0, Role::ReadOnly)));
    let text = timeline.to_string();
    assert!(text.contains("They will pay on the 15th") && text.contains("Giulia"), "{text}");
    // the same form sent again (the back button, a second click) records nothing twice
    let again = ana.post(
        &call,
        &[
            ("csrf_token", &token),
            ("back", back),
            ("summary", "They will pay on the 15th"),
            ("promised_date", &promised),
            ("promised_amount", &owed),
        ],
    );
    assert!(ana.follow(&again).page.contains("already closed"), "refused");
    let (_, after) = books.get(&format!("/api/v1/customers/{customer}/timeline"), Some(books.token(0, Role::ReadOnly)));
    assert_eq!(
        after.to_string().matches("They will pay on the 15th").count(),
        text.matches("They will pay on the 15th").count()
    );
    let page = ana.get(&format!("/customers/{customer}")).page;
    assert!(
        page.contains(&format!("promised for {}", books_day(&promised))),
        "the invoice says it is promised: {page}"
    );
    let after = now + chrono::Days::new(1);
    let (_, explained) =
        books.get(&format!("/api/v1/invoices/{invoice}/explain?as_of={after}"), Some(books.token(0, Role::ReadOnly)));
    assert!(explained["now"].as_str().unwrap_or_default().contains("promise to pay pauses the ladder"), "{explained}");
}

/// The reports' pages draw a chart per currency and a table, offer the same CSV as the API, follow
/// the books (a dispute takes an invoice out of the expected cash), and refuse what they cannot show.
fn the_reports_show_the_books_figures_as_charts_tables_and_csv(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let aging = ana.get("/reports/aging?as_of=2026-11-27");
    assert_eq!(aging.status, 200, "{}", aging.page);
    let page = unescape(&aging.page);
    for shown in
        ["<svg", "<title>Antigüedad de saldos — EUR</title>", "<title>Antigüedad de saldos — GBP</title>", "no vencido"]
    {
        assert!(page.contains(shown), "{shown} missing: {page}");
    }
    // the CSV offered is the API's aging, figure for figure, and each net figure is on the page
    let csv = ana.get("/reports/aging/csv?as_of=2026-11-27");
    let bearer = format!("Bearer {}", books.token(0, Role::ReadOnly));
    let (_, api, _) =
        books.call("GET", "/api/v1/reports/aging?as_of=2026-11-27&format=csv", &[("Authorization", &bearer)], None);
    assert_eq!(serde_json::Value::String(csv.page.clone()), api);
    let mut lines = csv.page.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let net = header.iter().position(|h| *h == "net").unwrap();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let (currency, minor) = (cells[2], overdue_core::money::parse_scaled(cells[net], 2).unwrap());
        let money = overdue_core::Money::new(minor, overdue_core::Currency::from_code(currency).unwrap());
        let written = overdue_notify::facts::money(money, overdue_core::ids::Language::parse("es").unwrap());
        assert!(page.contains(&written), "{} owes {written} net: not on the page", cells[0]);
    }
    // an invoice in dispute is not expected cash
    let expected = |csv: &str| csv.lines().find(|l| l.starts_with("F2026-0011,")).unwrap().to_owned();
    let before = expected(&ana.get("/reports/forecast/csv?as_of=2026-11-27").page);
    assert!(before.ends_with(",2026-12-31,due_date"), "due at the end of December, no history: {before}");
    let token = books.token(0, Role::Controller);
    let dispute = r#"{"invoice":"F2026-0011","reason":"disputed_quality","opened_on":"2026-11-27"}"#;
    assert_eq!(books.post("/api/v1/disputes", token, None, dispute).0, 201);
    let after = expected(&ana.get("/reports/forecast/csv?as_of=2026-11-27").page);
    assert!(after.ends_with(",,disputed"), "{after}");
    let forecast = unescape(&ana.get("/reports/forecast?as_of=2026-11-27").page);
    assert!(forecast.contains("Semana del 23/11/2026") && forecast.contains("en disputa"), "{forecast}");
    // DSO month by month, in the asked number of months
    let dso = unescape(&ana.get("/reports/dso?as_of=2026-11-27&months=3").page);
    for month in ["09/2026 EUR", "10/2026 EUR", "11/2026 EUR", "11/2026 GBP"] {
        assert!(dso.contains(month), "{month} missing: {dso}");
    }
    assert!(!dso.contains("08/2026 EUR"), "three months only");
    // what cannot be shown is said, with the field
    let too_many = ana.get("/reports/cei?as_of=2026-11-27&months=99");
    assert_eq!(too_many.status, 400);
    assert!(too_many.page.contains("99 months"), "{}", too_many.page);
    assert_eq!(ana.get("/reports/nonsense").status, 404);
    assert_eq!(ana.get("/reports/aging?as_of=2026-13-01").status, 400);
    assert_eq!(ana.get("/reports/aging?colour=red").status, 400, "an unknown parameter is refused");
}

/// The bank page: a statement uploaded as a file is imported once and said in words; a line the
/// matcher was not sure of is accepted with its evidence in view; one that is no customer's money
/// is set aside with a reason; what is refused is said next to its form and changes nothing.
fn a_bank_statement_is_uploaded_and_its_lines_decided_on_the_bank_page(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let empty = ana.get("/bank");
    assert_eq!(empty.status, 200);
    assert!(unescape(&empty.page).contains("Nada que revisar"), "{}", empty.page);
    let token = ana.csrf(&empty.page);
    let statement = "date,amount,currency,name,remittance\r\n\
                     2026-11-20,949.85,EUR,Ferreteria Hermanos Ruiz,Factura F2026-0001\r\n\
                     2026-11-21,12.34,EUR,Someone,a gift\r\n\
                     2026-11-23,1000.00,EUR,Tessili Bianchi,acconto\r\n\
                     2026-11-24,-12.50,EUR,Banco,comisión de mantenimiento\r\n";
    // forged, not a statement, a CSV without its account: refused, nothing imported
    assert_eq!(ana.upload("/bank/statements", &[("csrf_token", "forged")], ("banco.csv", statement)).status, 403);
    let junk = ana.upload("/bank/statements", &[("csrf_token", &token)], ("notes.txt", "just some text"));
    let shown = unescape(&ana.follow(&junk).page);
    assert!(shown.contains("notes.txt: ") && shown.contains(r#"aria-invalid="true""#), "{shown}");
    let unnamed = ana.upload("/bank/statements", &[("csrf_token", &token)], ("banco.csv", statement));
    let said = unescape(&ana.follow(&unnamed).page);
    let error = said.split(r#"id="upload-error">"#).nth(1).unwrap_or_default().split("</p>").next().unwrap();
    assert!(error.starts_with("banco.csv: ") && error.contains("account"), "a bank CSV needs its account: {error}");
    assert!(unescape(&ana.get("/bank").page).contains("Nada que revisar"), "nothing was imported");
    // the statement with its account
    let account = [("csrf_token", token.as_str()), ("account", "ES9121000418450200051332")];
    let imported = ana.upload("/bank/statements", &account, ("banco.csv", statement));
    assert_eq!((imported.status, imported.location.as_str()), (303, "/bank"));
    let page = unescape(&ana.follow(&imported).page);
    assert!(page.contains("banco.csv (CSV): 4 líneas nuevas (0 ya importadas); 1 registradas como cobros, 1 por revisar, 1 sin conciliar, 1 salidas de dinero"), "{page}");
    assert!(
        page.contains("1.000,00 €") && page.contains("F2026-0003") && page.contains("un pago parcial: faltan"),
        "evidence: {page}"
    );
    let again = ana.upload("/bank/statements", &account, ("banco.csv", statement));
    assert!(unescape(&ana.follow(&again).page).contains("0 líneas nuevas (4 ya importadas)"), "imported once");
    // the same account however it is typed; an IBAN with a typo refused at its field
    let spaced = [("csrf_token", token.as_str()), ("account", "es91 2100 0418 4502 0005 1332")];
    let same = ana.upload("/bank/statements", &spaced, ("banco.csv", statement));
    assert!(unescape(&ana.follow(&same).page).contains("0 líneas nuevas (4 ya importadas)"), "one account");
    let typo = [("csrf_token", token.as_str()), ("account", "ES91 2100 0418 4502 0005 1333")];
    let wrong = unescape(&ana.follow(&ana.upload("/bank/statements", &typo, ("banco.csv", statement))).page);
    assert!(wrong.contains("«ES91 2100 0418 4502 0005 1333» tiene mal los dígitos de control"), "in Spanish: {wrong}");
    let account_field = wrong.split(r#"id="statement-account""#).nth(1).unwrap().split('>').next().unwrap();
    assert!(account_field.contains(r#"aria-invalid="true""#), "the account is marked: {account_field}");
    let file_field = wrong.split(r#"id="statement-file""#).nth(1).unwrap().split('>').next().unwrap();
    assert!(!file_field.contains("aria-invalid"), "not the file: {file_field}");
    // accept the proposal for the part payment: F2026-0003 owes 1,000 less
    let reviewer = books.token(0, Role::ReadOnly);
    let id = |amount: &str| {
        let (_, lines) = books.get("/api/v1/bank/lines", Some(reviewer));
        lines.as_array().unwrap().iter().find(|l| l["amount"]["amount"] == amount).unwrap()["id"].as_i64().unwrap()
    };
    let (part, gift) = (id("1000.00"), id("12.34"));
    let decide = |line: i64, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf_token", token.as_str()), ("back", "/bank")];
        all.extend_from_slice(fields);
        ana.post(&format!("/bank/lines/{line}/decide"), &all)
    };
    let accepted = decide(part, &[("decision", "accept")]);
    assert!(unescape(&ana.follow(&accepted).page).contains("Registrado como cobro"));
    let (_, invoice) = books.get("/api/v1/invoices/F2026-0003", Some(reviewer));
    assert_eq!(invoice["open"]["amount"], "2074.40", "3,074.40 less the 1,000 accepted: {invoice}");
    // euros are not a pounds customer's to pay with
    let pounds = ana.follow(&decide(gift, &[("decision", "assign"), ("customer", "C008")]));
    assert!(unescape(&pounds.page).contains("A C008 nunca se le ha facturado en EUR"), "{}", pounds.page);
    // set the gift aside: without a reason it is refused next to its form
    let bare = ana.follow(&decide(gift, &[("decision", "ignore"), ("reason", " ")]));
    let bare = unescape(&bare.page);
    assert!(bare.contains(&format!(r#"id="line-{gift}-error""#)), "the refusal is next to the line: {bare}");
    let aside = decide(gift, &[("decision", "ignore"), ("reason", "un regalo, no es un cobro")]);
    let aside = unescape(&ana.follow(&aside).page);
    assert!(aside.contains("Apartado") && aside.contains("Nada que revisar"), "{aside}");
    // both decisions are listed as decided, and each can be undone: with a reason, else refused there
    assert!(aside.contains("un regalo, no es un cobro") && aside.contains(&format!(r#"id="undo-{part}""#)), "{aside}");
    let bare = unescape(&ana.follow(&decide(part, &[("decision", "undo"), ("reason", "")])).page);
    assert!(bare.contains(&format!(r#"id="line-{part}-error""#)), "the refusal is next to the line: {bare}");
    let (_, invoice) = books.get("/api/v1/invoices/F2026-0003", Some(reviewer));
    assert_eq!(invoice["open"]["amount"], "2074.40", "a refused undo changes nothing: {invoice}");
    let undone = ana.follow(&decide(part, &[("decision", "undo"), ("reason", "era de otra factura")]));
    assert!(unescape(&undone.page).contains("Deshecho"), "{}", undone.page);
    let (_, invoice) = books.get("/api/v1/invoices/F2026-0003", Some(reviewer));
    assert_eq!(invoice["open"]["amount"], "3074.40", "the payment is undone: {invoice}");
    decide(gift, &[("decision", "undo"), ("reason", "sí era un cobro")]);
    let (_, waiting) = books.get("/api/v1/bank/lines", Some(reviewer));
    assert_eq!(waiting.as_array().unwrap().len(), 2, "both wait again: {waiting}");
    let (_, decided) = books.get("/api/v1/bank/lines?decided=true", Some(reviewer));
    assert!(decided.as_array().unwrap().iter().all(|l| l["id"] != part && l["id"] != gift), "{decided}");
    // a bank's own CSV layout, said in the page's field as `--map` says it; a bad one at its field
    let spanish = "Fecha;Concepto;Ordenante;Importe\n20/11/2026;Pago F2026-0001;Ferreteria Ruiz;949,85\n";
    let account = ("account", "ES9121000418450200051332");
    let bad = [("csrf_token", token.as_str()), account, ("map", "fecha=Fecha")];
    let refused = unescape(&ana.follow(&ana.upload("/bank/statements", &bad, ("movimientos.csv", spanish))).page);
    let field = refused.split(r#"id="statement-map""#).nth(1).unwrap().split('>').next().unwrap();
    assert!(field.contains(r#"value="fecha=Fecha""#) && field.contains(r#"aria-invalid="true""#), "{refused}");
    assert!(refused.contains(r#"value="ES9121000418450200051332""#), "the account as typed: {refused}");
    let map = "date=Fecha,amount=Importe,name=Ordenante,remittance=Concepto,default_currency=EUR,date_format=%d/%m/%Y,decimal_comma=true,delimiter=;";
    let mapped = [("csrf_token", token.as_str()), account, ("map", map)];
    let read = unescape(&ana.follow(&ana.upload("/bank/statements", &mapped, ("movimientos.csv", spanish))).page);
    assert!(read.contains("movimientos.csv (CSV): 1 líneas nuevas"), "{read}");
    let (_, f1) = books.get("/api/v1/invoices/F2026-0001", Some(reviewer));
    assert_eq!(f1["open"]["amount"], "0.00", "paid in full by the line its remittance names: {f1}");
}

/// The customer page says how the customer pays and edits the customer: a value that does not
/// parse is answered at its field and changes nothing; a good one is saved and on the timeline.
fn a_customer_is_edited_on_its_page_and_a_bad_value_is_answered_at_its_field(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let page = ana.get("/customers/C003?as_of=2026-11-27");
    let shown = unescape(&page.page);
    assert!(shown.contains("Hábitos de pago") && shown.contains("Ninguna factura pagada"), "{shown}");
    assert!(shown.contains(r#"id="field-approver_name""#) && shown.contains("Quién aprueba las facturas: nombre"));
    let token = ana.csrf(&page.page);
    let back = "/customers/C003";
    let bad = ana.post(
        "/customers/C003/edit",
        &[("csrf_token", &token), ("back", back), ("approver_name", "Marco Ferri"), ("credit_limit", "mucho")],
    );
    let answered = unescape(&ana.follow(&bad).page);
    assert!(answered.contains(r#"id="edit-error""#), "{answered}");
    assert!(
        answered.contains(r#"name="credit_limit" value="mucho" aria-invalid="true""#),
        "the field at fault is marked, as typed: {answered}"
    );
    assert!(answered.contains(r#"name="approver_name" value="Marco Ferri""#), "the rest as typed: {answered}");
    let (_, customer) = books.get("/api/v1/customers/C003", Some(books.token(0, Role::ReadOnly)));
    assert!(!customer.to_string().contains("Marco Ferri"), "nothing changed: {customer}");
    let good = ana.post(
        "/customers/C003/edit",
        &[
            ("csrf_token", &token),
            ("back", back),
            ("approver_name", "Marco Ferri"),
            ("approver_email", "marco@tessilibianchi.example"),
        ],
    );
    let saved = unescape(&ana.follow(&good).page);
    assert!(
        saved.contains("Guardado: «Quién aprueba las facturas: nombre», «Quién aprueba las facturas: e-mail»"),
        "{saved}"
    );
    // the timeline in Spanish: what changed, by whom, and the invoices' history
    let change = saved.split("<ol class=\"timeline\"").nth(1).unwrap_or_default();
    assert!(
        change.contains("ana@acme.example cambió «Quién aprueba las facturas: nombre»: Giulia Bianchi → Marco Ferri"),
        "{change}"
    );
    assert!(saved.contains("Factura F2026-0003 emitida: 3.074,40 €, vence el"), "{saved}");
    assert!(saved.contains(r#"<span class="tag">factura</span>"#), "{saved}");
    for english in ["Invoice F2026", "Planned:", "changed approver_name", "reaches step"] {
        assert!(!saved.contains(english), "{english} on a Spanish page: {saved}");
    }
    let (_, timeline) = books.get("/api/v1/customers/C003/timeline", Some(books.token(0, Role::ReadOnly)));
    assert!(timeline.to_string().contains("Marco Ferri"), "the change is on the timeline: {timeline}");
    let again =
        ana.post("/customers/C003/edit", &[("csrf_token", &token), ("back", back), ("approver_name", "Marco Ferri")]);
    assert!(unescape(&ana.follow(&again).page).contains("No ha cambiado nada"));
    // a language no template is written in: accepted, and said to make its messages go in English
    assert!(!unescape(&ana.get("/customers/C003").page).contains(r#"id="language-note""#));
    let basque = ana.post("/customers/C003/edit", &[("csrf_token", &token), ("back", back), ("language", "eu")]);
    let basque = unescape(&ana.follow(&basque).page);
    assert!(basque.contains("El idioma del cliente es «eu»") && basque.contains("salen en «en»"), "{basque}");
    let unknown = ana.post("/customers/C003/edit", &[("csrf_token", &token), ("back", back), ("colour", "red")]);
    assert!(unescape(&ana.follow(&unknown).page).contains("\"colour\" is not a customer field"));
}

/// The receipt-check call asks its questions as fields; the answers are kept with the call and
/// said on the timeline; a scheduled day that is not a date is answered at its field.
fn the_receipt_check_is_logged_with_its_answers_as_fields(books: &Books) {
    // an invoice sent on the 25th: its receipt check is on the 26th's work, still there on the 27th
    let bearer = format!("Bearer {}", books.token(0, Role::Controller));
    let auth = [("Authorization", bearer.as_str())];
    let invoice = "number,customer,issue_date,currency,terms,description,quantity,unit_price,tax_rate,sent_date,kind\n\
                   R-7,C007,2026-11-25,EUR,Net 30,Goods,1,100.00,0,2026-11-25,invoice\n";
    assert_eq!(books.call("POST", "/api/v1/imports?kind=invoices", &auth, Some(invoice)).0, 200);
    assert_eq!(books.call("POST", "/api/v1/runs", &auth, Some(r#"{"as_of":"2026-11-27"}"#)).0, 200);
    let ana = Browser::new(books, "en").log_in();
    let back = "/today?as_of=2026-11-27";
    let today = ana.get(back).page;
    let field = today.find("-goods_arrived\"").expect("a receipt check on today's work");
    let id = today[..field].rsplit("\"call-").next().unwrap().to_owned();
    let customer = customer_of(&today, &id);
    let token = ana.csrf(&today);
    let call = format!("/actions/{id}/call");
    let answers = |scheduled: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("back", back.to_owned()),
            ("summary", "Spoke to accounts".to_owned()),
            ("goods_arrived", "yes".to_owned()),
            ("quality_ok", "no".to_owned()),
            ("invoice_received", "yes".to_owned()),
            ("approved_for_payment", String::new()),
            ("scheduled_payment_on", scheduled.to_owned()),
        ]
    };
    let borrowed = |fields: &[(&'static str, String)]| fields.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let bad: Vec<(&str, String)> = borrowed(&answers("10/12"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = ana.follow(&ana.post(&call, &bad)).page;
    assert!(refused.contains(&format!(r#"id="call-{id}-error""#)), "{refused}");
    assert!(
        refused.contains(&format!(
            r#"id="call-{id}-scheduled" name="scheduled_payment_on" type="date" aria-invalid="true""#
        )),
        "{refused}"
    );
    let timeline = |books: &Books| {
        books.get(&format!("/api/v1/customers/{customer}/timeline"), Some(books.token(0, Role::ReadOnly))).1.to_string()
    };
    assert!(!timeline(books).contains("Spoke to accounts"), "nothing written");
    let good: Vec<(&str, String)> = borrowed(&answers("2026-12-10"));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert!(ana.follow(&ana.post(&call, &good)).page.contains("Call logged"));
    let said = timeline(books);
    assert!(
        said.contains("receipt check: goods arrived: yes; quality right: no; invoice received: yes; payment scheduled for 2026-12-10"),
        "{said}"
    );
}

/// The files page imports several CSV files at once, or an e-invoice, and says what became of each
/// file and each refused row; a forged form or no file changes nothing.
fn files_are_uploaded_and_each_refused_row_is_said(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let page = ana.get("/files");
    assert_eq!(page.status, 200, "{}", page.page);
    let token = ana.csrf(&page.page);
    let header = "number,customer,issue_date,currency,terms,description,quantity,unit_price,tax_rate,kind\r\n";
    let good = format!("{header}W-1,C001,2026-11-20,EUR,Net 30,Goods,1,100.00,21,invoice\r\n");
    let bad = format!(
        "{header}W-2,C001,2026-11-21,EUR,Net 30,Goods,1,50.00,21,invoice\r\nW-3,C001,2026-13-01,EUR,Net 30,Goods,1,50.00,21,invoice\r\n"
    );
    let forged =
        ana.upload_files("/files", &[("csrf_token", "forged"), ("kind", "invoices")], "files", &[("a.csv", &good)]);
    assert_eq!(forged.status, 403);
    let none =
        unescape(&ana.upload_files("/files", &[("csrf_token", &token), ("kind", "invoices")], "files", &[]).page);
    assert!(none.contains("elija al menos un fichero"), "{none}");
    let (status, _) = books.get("/api/v1/invoices/W-1", Some(books.token(0, Role::ReadOnly)));
    assert_eq!(status, 404, "nothing imported yet");
    let fields = [("csrf_token", token.as_str()), ("kind", "invoices")];
    let done = ana.upload_files("/files", &fields, "files", &[("buenas.csv", &good), ("malas.csv", &bad)]);
    assert_eq!(done.status, 200, "{}", done.page);
    let said = unescape(&done.page);
    assert!(
        said.contains("buenas.csv") && said.contains("CSV: 1 creados, 0 actualizados, 0 ya estaban, 0 rechazados"),
        "{said}"
    );
    assert!(
        said.contains("malas.csv") && said.contains("CSV: 1 creados, 0 actualizados, 0 ya estaban, 1 rechazados"),
        "{said}"
    );
    assert!(said.contains("<td class=\"num\">3</td><td>issue_date</td>"), "line 3's date, said: {said}");
    let (status, _) = books.get("/api/v1/invoices/W-1", Some(books.token(0, Role::ReadOnly)));
    assert_eq!(status, 200);
    // all or nothing: a file with a refused row imports nothing, and says so
    let strict = [("csrf_token", token.as_str()), ("kind", "invoices"), ("all_or_nothing", "yes")];
    let bad_again = bad.replace("W-2", "W-4").replace("W-3", "W-5");
    let refused = unescape(&ana.upload_files("/files", &strict, "files", &[("estricto.csv", &bad_again)]).page);
    assert!(refused.contains("no se importó nada de este fichero") && refused.contains("CSV: 0 creados"), "{refused}");
    assert_eq!(books.get("/api/v1/invoices/W-4", Some(books.token(0, Role::ReadOnly))).0, 404);
    let again = unescape(&ana.upload_files("/files", &fields, "files", &[("buenas.csv", &good)]).page);
    assert!(again.contains("0 creados, 0 actualizados, 1 ya estaban"), "imported once: {again}");
    // an e-invoice, recognised by its content
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/einvoice/fatturapa/IT01234567890_FPA01.xml");
    let xml = std::fs::read_to_string(fixture).unwrap();
    let einvoice = [("csrf_token", token.as_str()), ("kind", "")];
    let imported = unescape(&ana.upload_files("/files", &einvoice, "files", &[("IT01234567890_FPA01.xml", &xml)]).page);
    assert!(imported.contains("FatturaPA: 1 creados"), "{imported}");
    // a Facturae with an IRPF withholding: the page says why the total is not net + tax
    let facturae = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/einvoice/facturae/omeuid-viewer__Facturae-3.2.2-valid.xml");
    let xml = std::fs::read_to_string(facturae).unwrap();
    let spanish = unescape(&ana.upload_files("/files", &einvoice, "files", &[("factura.xml", &xml)]).page);
    assert!(spanish.contains("Facturae: 1 creados"), "{spanish}");
    let a1 = unescape(&ana.get("/invoices/A1").page);
    assert!(a1.contains("Retenciones y otros ajustes del documento") && a1.contains("-2,39 €"), "{a1}");
    let junk = unescape(&ana.upload_files("/files", &einvoice, "files", &[("notas.txt", "just text")]).page);
    assert!(junk.contains("notas.txt") && junk.contains("No importado"), "{junk}");
}

/// The settings page: the letterhead and closing days changed by a controller, the policy book and
/// the people by an admin only; every bad value answered at its field, nothing changed; a
/// template previewed in a tone.
fn settings_are_changed_on_their_page_each_checked_as_when_loaded(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let page = ana.get("/settings");
    assert_eq!(page.status, 200, "{}", page.page);
    let shown = unescape(&page.page);
    assert!(shown.contains("IBAN para transferencias") && shown.contains("<caption>standard</caption>"), "{shown}");
    // each step in Spanish: when, how firmly, how, and whether a person approves it
    assert!(
        shown.contains(
            "<td>primer recordatorio</td><td>3 días después del vencimiento</td><td>amable</td><td>enviar un correo</td><td>según la regla</td>"
        ),
        "{shown}"
    );
    assert!(!shown.contains(r#"id="policy-book""#), "the policy book is an admin's to change");
    assert!(
        shown.contains("ana@acme.example · gestor de cobros") && shown.contains("los cambia un administrador"),
        "said"
    );
    let token = ana.csrf(&page.page);
    let reader = books.token(0, Role::ReadOnly);
    let post = |who: &Browser, path: &str, fields: &[(&str, &str)]| {
        let token = if who.cookie == ana.cookie { token.clone() } else { who.csrf(&who.get("/settings").page) };
        let mut all = vec![("csrf_token", token.as_str()), ("back", "/settings")];
        all.extend_from_slice(fields);
        unescape(&who.follow(&who.post(path, &all)).page)
    };
    // the letterhead: not Ana's to change; her manager's, a bad IBAN at its field, nothing saved
    let boss = Browser::new(books, "es").log_in_as("boss@acme.example");
    let hers = post(&ana, "/settings/letterhead", &[("signed_by", "Ana")]);
    assert!(hers.contains("solo un administrador"), "{hers}");
    let refused = post(&boss, "/settings/letterhead", &[("signed_by", "Ana"), ("iban", "ES00 1234")]);
    assert!(
        refused.contains(r#"id="letterhead-iban" name="iban" value="ES00 1234" aria-invalid="true""#),
        "kept as typed, marked: {refused}"
    );
    assert!(refused.contains(r#"name="signed_by" value="Ana""#), "{refused}");
    assert!(refused.contains("«ES00 1234» no es un IBAN"), "in Spanish: {refused}");
    let (_, letterhead) = books.get("/api/v1/letterhead", Some(reader));
    assert!(!letterhead.to_string().contains("Ana"), "nothing saved: {letterhead}");
    let saved = post(&boss, "/settings/letterhead", &[("signed_by", "Ana"), ("iban", "ES9121000418450200051332")]);
    assert!(saved.contains("Guardado"), "{saved}");
    let (_, letterhead) = books.get("/api/v1/letterhead", Some(reader));
    assert!(letterhead.to_string().contains("ES91 2100 0418 4502 0005 1332"), "{letterhead}");
    // a closing day
    let bad_day = post(&ana, "/settings/closing-days", &[("day", "24/12"), ("name", "Nochebuena")]);
    assert!(
        bad_day.contains(r#"id="closing-day" name="day" type="date" required value="24/12" aria-invalid="true""#),
        "{bad_day}"
    );
    assert!(bad_day.contains(r#"name="name" required value="Nochebuena""#), "{bad_day}");
    let closed = post(&ana, "/settings/closing-days", &[("day", "2026-12-24"), ("name", "Nochebuena")]);
    assert!(closed.contains("24/12/2026 — Nochebuena"), "{closed}");
    let reopened = post(&ana, "/settings/closing-days/remove", &[("day", "2026-12-24")]);
    assert!(
        reopened.contains("Ya no es día de cierre: 24/12/2026") && !reopened.contains("— Nochebuena"),
        "{reopened}"
    );
    let none = post(&ana, "/settings/closing-days/remove", &[("day", "2026-12-24")]);
    assert!(none.contains(r#"id="closing-error""#), "not one any more: {none}");
    // the policy book: not Ana's to change
    let (_, book) = books.get("/api/v1/policy", Some(reader));
    let book_text = book["book"].to_string();
    let not_hers = post(&ana, "/settings/policy", &[("book", &book_text)]);
    assert!(not_hers.contains("solo un administrador"), "{not_hers}");
    // her manager: a book that is not one, one naming a template nobody has, then the book itself
    let admin_page = boss.get("/settings");
    assert!(admin_page.page.contains(r#"id="policy-book""#));
    let not_json = post(&boss, "/settings/policy", &[("book", "{ not json")]);
    assert!(not_json.contains("not a policy book") && not_json.contains(r#"aria-invalid="true""#), "{not_json}");
    assert!(not_json.contains(r#"aria-describedby="policy-error">{ not json</textarea>"#), "kept: {not_json}");
    let missing = book_text.replacen("\"reminder\"", "\"no_such_template\"", 1);
    assert_ne!(missing, book_text, "the shipped book uses the reminder template");
    let refused = post(&boss, "/settings/policy", &[("book", &missing)]);
    assert!(refused.contains("no_such_template"), "{refused}");
    let (_, unchanged) = books.get("/api/v1/policy", Some(reader));
    assert_eq!(unchanged["book"].to_string(), book_text, "nothing changed");
    assert!(post(&boss, "/settings/policy", &[("book", &book_text)]).contains("Guardado"));
    // people: a short password refused, then a new controller
    let short = post(
        &boss,
        "/settings/users",
        &[("email", "luis@acme.example"), ("role", "controller"), ("password", "short")],
    );
    assert!(short.contains(r#"id="users-error""#), "{short}");
    assert!(short.contains(r#"value="luis@acme.example""#) && !short.contains(r#"value="short""#), "{short}");
    let added = post(
        &boss,
        "/settings/users",
        &[("email", "luis@acme.example"), ("role", "controller"), ("password", "a long enough password")],
    );
    assert!(added.contains("luis@acme.example (gestor de cobros)"), "{added}");
    // his access stopped by the admin, who has no such button for herself
    assert!(!added.contains(r#"value="boss@acme.example"><button"#), "not for oneself: {added}");
    let stopped = post(&boss, "/settings/users/disable", &[("email", "luis@acme.example")]);
    assert!(stopped.contains("Ya no puede entrar (sesiones cerradas): luis@acme.example"), "{stopped}");
    assert!(stopped.contains("luis@acme.example (gestor de cobros) — "), "{stopped}");
    let herself = post(&boss, "/settings/users/disable", &[("email", "boss@acme.example")]);
    assert!(herself.contains("no puede quitarse el acceso a sí mismo"), "{herself}");
    let luis = Browser::new(books, "es");
    let refused = luis.post("/login", &[("email", "luis@acme.example"), ("password", "a long enough password")]);
    assert!(luis.follow(&refused).page.contains("no son correctos"), "he can no longer log in");
    // twelve spaces are no password; added again, his access comes back with the new password
    let blank = [("email", "luis@acme.example"), ("role", "read_only"), ("password", "            ")];
    assert!(post(&boss, "/settings/users", &blank).contains(r#"id="users-error""#), "spaces refused");
    let back = [("email", "luis@acme.example"), ("role", "read_only"), ("password", "another long password")];
    assert!(post(&boss, "/settings/users", &back).contains("luis@acme.example (solo lectura)"), "access given back");
    let again = luis.post("/login", &[("email", "luis@acme.example"), ("password", "another long password")]);
    assert!(!luis.follow(&again).page.contains("no son correctos"), "he logs in again");
    // a template previewed in a tone
    let preview = ana.get("/settings/templates/es/reminder?tone=firm");
    assert_eq!(preview.status, 200, "{}", preview.page);
    assert!(unescape(&preview.page).contains(r#"<option value="firm" selected>"#));
    assert_eq!(ana.get("/settings/templates/es/reminder?tone=shouting").status, 400);
    assert_eq!(ana.get("/settings/templates/es/nothing").status, 404);
    a_token_is_made_shown_once_and_revoked(books, &ana, &boss);
}

/// Tokens on the settings page: an admin's to make; the secret shown on the next page only, and
/// it opens the API until it is revoked.
fn a_token_is_made_shown_once_and_revoked(books: &Books, ana: &Browser, boss: &Browser) {
    let post = |who: &Browser, path: &str, fields: &[(&str, &str)]| {
        let token = who.csrf(&who.get("/settings").page);
        let mut all = vec![("csrf_token", token.as_str()), ("back", "/settings#tokens")];
        all.extend_from_slice(fields);
        unescape(&who.follow(&who.post(path, &all)).page)
    };
    let hers = post(ana, "/settings/tokens", &[("name", "ERP"), ("role", "read_only")]);
    assert!(hers.contains("solo un administrador") && !hers.contains(">ERP<"), "{hers}");
    let unnamed = post(boss, "/settings/tokens", &[("name", " "), ("role", "controller")]);
    assert!(unnamed.contains(r#"id="token-name" name="name" required value=" " aria-invalid="true""#), "{unnamed}");
    assert!(unnamed.contains(r#"<option value="controller" selected>"#), "the role kept: {unnamed}");
    let made = post(boss, "/settings/tokens", &[("name", "ERP"), ("role", "read_only")]);
    let secret = made.split(r#"<code id="token-secret">"#).nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(secret.starts_with("odt_") && made.contains("Token creado: ERP"), "{made}");
    let (status, _) = books.get("/api/v1/customers", Some(&secret));
    assert_eq!(status, 200, "the new token opens the API");
    let again = unescape(&boss.get("/settings").page);
    assert!(!again.contains(&secret), "the secret is shown once");
    let row = again.split(r#"<tr id="token-"#).find(|row| row.contains("<td>ERP</td>")).unwrap();
    let id = row.split('"').next().unwrap().to_owned();
    let revoked = post(boss, &format!("/settings/tokens/{id}/revoke"), &[]);
    assert!(revoked.contains("Token revocado") && revoked.contains("Revocado "), "{revoked}");
    assert_eq!(books.get("/api/v1/customers", Some(&secret)).0, 401, "revoked: it opens nothing");
}

/// The outbox page lists the messages waiting for the next send; one is cancelled (never sent),
/// and a decision that is not one is refused.
fn the_outbox_lists_what_waits_to_go_and_a_message_is_cancelled(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let page = ana.get("/outbox");
    assert_eq!(page.status, 200, "{}", page.page);
    let shown = unescape(&page.page);
    assert!(shown.contains("esperando al próximo envío") && shown.contains(">C006</a>"), "{shown}");
    let (_, listed) = books.get("/api/v1/messages", Some(books.token(0, Role::ReadOnly)));
    let first = listed.as_array().unwrap().first().unwrap()["id"].as_i64().unwrap();
    let token = ana.csrf(&page.page);
    assert!(shown.contains(&format!(r#"id="cancel-{first}""#)), "a waiting message may be cancelled");
    let cancel = ana.post(
        &format!("/outbox/{first}/decide"),
        &[("csrf_token", &token), ("back", "/outbox"), ("decision", "cancel")],
    );
    assert!(unescape(&ana.follow(&cancel).page).contains(&format!("#{first}: cancelado")));
    let (_, after) = books.get("/api/v1/messages?all=true", Some(books.token(0, Role::ReadOnly)));
    let cancelled = after.as_array().unwrap().iter().find(|m| m["id"] == first).unwrap();
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
    let bogus = ana.post(
        &format!("/outbox/{first}/decide"),
        &[("csrf_token", &token), ("back", "/outbox"), ("decision", "shred")],
    );
    assert!(unescape(&ana.follow(&bogus).page).contains("retry or cancel"));
    a_paid_invoice_s_message_is_said_not_to_go_and_withdrawn_when_the_day_is_planned(books, &ana);
}

/// C007 disputes F2026-0007 through the API while its reminder waits: the outbox says it will not
/// go, in the visitor's words, and planning today's work from the page withdraws it. C006 pays
/// F2026-0006 in full on its page: its reminder is withdrawn at once.
fn a_paid_invoice_s_message_is_said_not_to_go_and_withdrawn_when_the_day_is_planned(books: &Books, ana: &Browser) {
    let today = chrono::Utc::now().date_naive();
    assert!(ana.get("/today").page.contains(r#"href="/invoices/F2026-0007""#), "chased before its dispute");
    let dispute = format!(r#"{{"invoice":"F2026-0007","reason":"calidad","opened_on":"{today}"}}"#);
    assert_eq!(books.post("/api/v1/disputes", books.token(0, Role::Controller), None, &dispute).0, 201);
    // in dispute, it is no longer chased on today's list, as its message would leave it out
    let listed = ana.get("/today").page;
    assert!(!listed.contains(r#"href="/invoices/F2026-0007""#), "{listed}");
    let outbox = unescape(&ana.get("/outbox").page);
    let row = outbox.split("<tr id=\"message-").find(|row| row.contains(">C007</a>")).unwrap().to_owned();
    assert!(row.contains("no saldrá: ya no reclama nada") && row.contains("Paso «primer recordatorio»"), "{row}");
    assert!(row.contains("No queda nada que reclamar desde que se planificó: 1 en disputa."), "{row}");
    let page = ana.get("/customers/C006");
    let token = ana.csrf(&page.page);
    let planned = ana.post("/today/plan", &[("csrf_token", token.as_str()), ("back", "/today")]);
    let said = unescape(&ana.follow(&planned).page);
    assert!(said.contains("1 mensajes en espera retirados"), "{said}");
    assert!(!unescape(&ana.get("/outbox").page).contains(">C007</a>"), "withdrawn: no longer waiting");
    assert!(unescape(&ana.get("/customers/C007").page).contains("Mensaje no enviado"));
    assert!(unescape(&ana.get("/outbox").page).contains(">C006</a>"), "C006's reminder waits");
    let paid = [
        ("csrf_token", token.as_str()),
        ("back", "/customers/C006"),
        ("invoice", "F2026-0006"),
        ("amount", "2129.60"),
        ("date", "2026-11-28"),
    ];
    assert!(unescape(&ana.follow(&ana.post("/customers/C006/payments", &paid)).page).contains("Cobro registrado"));
    assert!(!unescape(&ana.get("/outbox").page).contains(">C006</a>"), "paid: withdrawn at once");
}

/// A dispute is resolved from the customer page, with how: its invoice is no longer marked, and
/// the expected cash counts it again; an empty resolution is answered next to its form.
fn a_dispute_is_resolved_from_the_customer_page_and_its_invoice_chased_again(books: &Books) {
    let token = books.token(0, Role::Controller);
    let dispute = r#"{"invoice":"F2026-0011","reason":"disputed_quality","opened_on":"2026-11-27"}"#;
    assert_eq!(books.post("/api/v1/disputes", token, None, dispute).0, 201);
    let ana = Browser::new(books, "es").log_in();
    let page = ana.get("/customers/C003");
    assert!(unescape(&page.page).contains("Resolver la disputa"), "{}", page.page);
    let csrf = ana.csrf(&page.page);
    let path = "/customers/C003/disputes/F2026-0011/resolve";
    let empty = ana.follow(&ana.post(path, &[("csrf_token", &csrf), ("back", "/customers/C003"), ("resolution", " ")]));
    assert!(unescape(&empty.page).contains("Indique cómo se resolvió la disputa."), "{}", empty.page);
    let (_, before) = books.get("/api/v1/reports/forecast?format=json", Some(books.token(0, Role::ReadOnly)));
    let basis = |forecast: &serde_json::Value| {
        let found = forecast["invoices"].as_array().unwrap().iter().find(|p| p["invoice"] == "F2026-0011").cloned();
        found.map(|p| p["basis"].as_str().unwrap_or_default().to_owned()).unwrap_or_default()
    };
    assert_eq!(basis(&before), "disputed");
    let done = ana.post(path, &[("csrf_token", &csrf), ("back", "/customers/C003"), ("resolution", "abono acordado")]);
    let shown = unescape(&ana.follow(&done).page);
    assert!(
        shown.contains("Disputa resuelta: se reclama de nuevo: F2026-0011") && !shown.contains("Resolver la disputa"),
        "{shown}"
    );
    let (_, after) = books.get("/api/v1/reports/forecast?format=json", Some(books.token(0, Role::ReadOnly)));
    assert_ne!(basis(&after), "disputed", "{after}");
    let other = ana.follow(&ana.post(
        "/customers/C001/disputes/F2026-0011/resolve",
        &[("csrf_token", &csrf), ("back", "/customers/C001"), ("resolution", "x")],
    ));
    assert!(unescape(&other.page).contains("not an invoice of C001"));
}

/// The invoice list: the open invoices as the books stood on a day, oldest due first, with their
/// days overdue; paid ones on asking; an offset past the end is an empty page, not an error.
fn the_invoice_list_shows_what_is_open_on_a_day_in_pages(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let open = ana.get("/invoices?as_of=2026-11-27");
    assert_eq!(open.status, 200, "{}", open.page);
    let shown = unescape(&open.page);
    let (_, listed) = books.get("/api/v1/invoices?open=true", Some(books.token(0, Role::ReadOnly)));
    let count = listed["total"].as_u64().unwrap_or(0);
    assert!(count > 0 && shown.contains(&format!("{count} facturas y abonos abiertos")), "{count}: {shown}");
    assert!(shown.contains(r#"<a href="/invoices/F2026-0003?as_of=2026-11-27">F2026-0003</a>"#), "{shown}");
    let all = unescape(&ana.get("/invoices?as_of=2026-11-27&show=all").page);
    assert!(all.contains("facturas y abonos") && all.contains(r#"name="show" value="all" checked"#), "{all}");
    assert!(unescape(&ana.get("/invoices?offset=5000").page).contains("Ninguna."));
    assert_eq!(ana.get("/invoices?colour=red").status, 400);
}

/// The text of the QR code an SVG of the pages draws (`M{x} {y}h1v1h-1z` a dark module), read
/// back with an independent decoder.
fn qr_text(svg: &str) -> String {
    let side: usize = svg.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
    let mut dark = vec![false; side * side];
    for module in path.split('M').filter(|m| !m.is_empty()) {
        let (x, rest) = module.split_once(' ').unwrap();
        let y = rest.split('h').next().unwrap();
        dark[y.parse::<usize>().unwrap() * side + x.parse::<usize>().unwrap()] = true;
    }
    let scale = 4;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(side * scale, side * scale, |x, y| {
        if dark[(y / scale) * side + x / scale] { 0 } else { 255 }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one code in {svg}");
    grids[0].decode().unwrap().1
}

/// An invoice's page offers what is open on it as an EPC QR code once the letterhead gives an
/// IBAN: the code read back holds the account, the open amount and the creditor reference; an
/// invoice in pounds has none, and says why.
fn an_invoice_page_offers_what_is_open_as_an_epc_qr_code(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let before = unescape(&ana.get("/invoices/F2026-0003").page);
    assert!(before.contains("el membrete no indica un IBAN") && !before.contains("<svg"), "{before}");
    let admin = format!("Bearer {}", books.token(0, Role::Admin));
    let change = r#"{"settings":{"iban":"ES91 2100 0418 4502 0005 1332","bic":"CAIXESBBXXX"}}"#;
    assert_eq!(books.call("PATCH", "/api/v1/letterhead", &[("Authorization", &admin)], Some(change)).0, 200);
    let page = ana.get("/invoices/F2026-0003").page;
    let svg = page.split(r#"<figure class="qr" id="pay-by-transfer">"#).nth(1).unwrap().split("</svg>").next().unwrap();
    let (_, invoice) = books.get("/api/v1/invoices/F2026-0003", Some(books.token(0, Role::ReadOnly)));
    let open = invoice["open"]["amount"].as_str().unwrap().trim_end_matches('0').trim_end_matches('.').to_owned();
    let text = qr_text(svg);
    let fields: Vec<&str> = text.split('\n').collect();
    assert_eq!(&fields[..5], ["BCD", "002", "1", "SCT", "CAIXESBBXXX"], "{text}");
    assert_eq!(fields[6], "ES9121000418450200051332", "{text}");
    assert_eq!(fields[7], format!("EUR{open}"), "the amount open now: {text}");
    let reference = overdue_core::creditor_reference::for_invoice("F2026-0003").unwrap();
    assert_eq!(fields[9], reference, "{text}");
    assert!(unescape(&page).contains(&format!("Referencia: {reference}")), "said beside the code");
    let pounds = unescape(&ana.get("/invoices/F2026-0005").page);
    assert!(pounds.contains("solo pide euros y esta factura está en GBP"), "{pounds}");
}

/// C003's reminder was planned with no approval needed; a dispute opened since on another of
/// its invoices holds it when it is to go. Its page says so and offers the approval, and once
/// approved it says the message goes.
fn a_message_held_since_it_was_planned_is_approved_on_its_page(books: &Books) {
    let ana = Browser::new(books, "es").log_in();
    let controller = books.token(0, Role::Controller);
    let (_, queued) = books.get("/api/v1/messages", Some(controller));
    let message = queued.as_array().unwrap().iter().find(|m| m["customer_code"] == "C003").unwrap().clone();
    let (id, action) = (message["id"].as_i64().unwrap(), message["action_id"].as_i64().unwrap());
    let page = format!("/actions/{action}/message");
    assert!(!ana.get(&page).page.contains(r#"id="decide-held""#), "nothing holds it yet");
    let today = chrono::Utc::now().date_naive();
    let dispute = format!(r#"{{"invoice":"F2026-0011","reason":"calidad","opened_on":"{today}"}}"#);
    assert_eq!(books.post("/api/v1/disputes", controller, None, &dispute).0, 201);
    let held = ana.get(&page).page;
    assert!(held.contains(r#"id="decide-held""#) && held.contains("Aprobar: enviarlo de todos modos"), "{held}");
    let approve = ana.post(&format!("/messages/{id}/approve"), &[("csrf_token", &ana.csrf(&held)), ("back", &page)]);
    let approved = unescape(&ana.follow(&approve).page);
    assert!(approved.contains("Aprobado") && !approved.contains(r#"id="decide-held""#), "{approved}");
    let (_, preview) = books.get(&format!("/api/v1/actions/{action}/preview"), Some(controller));
    assert_eq!(preview["verdict"], "send", "approved, it goes: {preview}");
}

/// A private link opens C003's own page without an account, in the customer's language
/// (Italian): what is open, invoice by invoice, and the EPC QR code to pay each, read back. A
/// forged link and a revoked one open nothing, said the same way; too many tries are refused.
fn a_customer_opens_their_own_page_by_its_private_link(books: &Books) {
    let admin = format!("Bearer {}", books.token(0, Role::Admin));
    let change = r#"{"settings":{"iban":"ES91 2100 0418 4502 0005 1332","public_url":"https://portal.ours.example"}}"#;
    assert_eq!(books.call("PATCH", "/api/v1/letterhead", &[("Authorization", &admin)], Some(change)).0, 200);
    let controller = books.token(0, Role::Controller);
    // a message shown before it goes says where its link will be; the secret is made when it goes
    let (_, queued) = books.get("/api/v1/messages", Some(controller));
    let action = queued.as_array().unwrap().iter().find(|m| m["customer_code"] == "C003").unwrap()["action_id"].clone();
    let (_, preview) = books.get(&format!("/api/v1/actions/{action}/preview"), Some(controller));
    assert!(preview["body"].as_str().unwrap().contains("https://portal.ours.example/c/…"), "{preview}");
    let (status, made) = books.post("/api/v1/customers/C003/links", controller, None, r#"{"days":30}"#);
    assert_eq!(status, 201, "{made}");
    let path = made["path"].as_str().unwrap().to_owned();
    assert_eq!(made["url"].as_str(), Some(format!("https://portal.ours.example{path}").as_str()), "{made}");
    assert!(path.starts_with("/c/") && path.len() > 60, "an unguessable secret: {path}");
    let stranger = Browser::new(books, "en");
    let page = stranger.get(&path);
    assert_eq!(page.status, 200, "{}", page.page);
    let shown = unescape(&page.page);
    assert!(shown.contains(r#"<html lang="it">"#) && shown.contains("Fatture aperte"), "their language: {shown}");
    assert!(shown.contains("Ours S.L.") && !shown.contains("Theirs S.L."), "{shown}");
    assert!(shown.contains("F2026-0003") && !shown.contains("F2026-0001"), "their invoices only: {shown}");
    assert!(!shown.contains("/today") && !shown.contains("csrf_token"), "nothing of the team's pages: {shown}");
    assert!(shown.contains("Inquadri il codice"), "a code to scan is offered: {shown}");
    let not_due = shown.split("F2026-0011</a>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(not_due.contains(r#"<td class="num">—</td>"#), "not late before its due date: {not_due}");
    let svg = shown.split(r#"<figure class="qr" id="qr-1">"#).nth(1).unwrap().split("</svg>").next().unwrap();
    let text = qr_text(svg);
    let fields: Vec<&str> = text.split('\n').collect();
    assert_eq!((fields[5], fields[6]), ("Ours S.L.", "ES9121000418450200051332"), "{text}");
    assert_eq!(fields[9], overdue_core::creditor_reference::for_invoice("F2026-0003").unwrap(), "{text}");
    // a date they will pay by: refused as typed when it owes less, noted when true
    let later = (chrono::Utc::now().date_naive() + chrono::Days::new(12)).to_string();
    let too_much =
        stranger.follow(&stranger.post(&format!("{path}/promise"), &[("date", &later), ("amount", "99.999,00")]));
    let refused = unescape(&too_much.page);
    assert!(refused.contains(r#"id="promise-error""#) && refused.contains("è più dei"), "{refused}");
    assert!(refused.contains(r#"value="99.999,00""#), "as typed: {refused}");
    let promised = unescape(
        &stranger.follow(&stranger.post(&format!("{path}/promise"), &[("date", &later), ("amount", "500,00")])).page,
    );
    assert!(promised.contains("Grazie: abbiamo preso nota di 500,00 €"), "{promised}");
    // the form sent twice keeps one promise; more than is owed with the one pending is refused
    stranger.post(&format!("{path}/promise"), &[("date", &later), ("amount", "500,00")]);
    let owed = promised.split(r#"id="promise-amount" name="amount" inputmode="decimal" required value=""#).nth(1);
    let owed = owed.unwrap().split('"').next().unwrap().to_owned();
    let beyond = unescape(
        &stranger.follow(&stranger.post(&format!("{path}/promise"), &[("date", &later), ("amount", &owed)])).page,
    );
    assert!(beyond.contains("Si è già impegnato a pagare 500,00 €"), "{beyond}");
    // the reminder waiting to go about what they promised is withdrawn at once, not when sent
    let (_, queued) = books.get("/api/v1/messages", Some(controller));
    let theirs: Vec<&serde_json::Value> =
        queued.as_array().unwrap().iter().filter(|m| m["customer_code"] == "C003").collect();
    assert!(theirs.is_empty(), "nothing waits to go to them: {theirs:?}");
    // a problem with one of their invoices only, for a reason that questions it
    let post_dispute = |invoice: &str, reason: &str| {
        let fields = [("invoice", invoice), ("reason", reason), ("note", "colore sbagliato")];
        unescape(&stranger.follow(&stranger.post(&format!("{path}/dispute"), &fields)).page)
    };
    assert!(post_dispute("F2026-0001", "disputed_quality").contains(r#"id="dispute-error""#), "not theirs");
    assert!(post_dispute("F2026-0011", "cash_flow").contains("è un ritardo, non una contestazione"));
    let made_up = post_dispute("F2026-0011", "weather");
    assert!(made_up.contains("«weather» non è uno dei motivi proposti") && !made_up.contains("cash_flow"), "{made_up}");
    let disputed = post_dispute("F2026-0011", "disputed_quality");
    assert!(disputed.contains("abbiamo preso nota del problema con F2026-0011"), "{disputed}");
    // who approves invoices on their side: an e-mail that is none refused as typed, then noted
    let name_approver = |email: &str| {
        let fields = [("name", "Marco Ferri"), ("email", email)];
        unescape(&stranger.follow(&stranger.post(&format!("{path}/approver"), &fields)).page)
    };
    let bad = name_approver("marco(at)tessili");
    assert!(bad.contains(r#"id="approver-error""#) && bad.contains(r#"value="marco(at)tessili""#), "{bad}");
    assert!(bad.contains("«marco(at)tessili» non è un indirizzo e-mail"), "in their language: {bad}");
    assert!(name_approver("marco@tessili.example").contains("Grazie: scriveremo a Marco Ferri"));
    let (_, customer) = books.get("/api/v1/customers/C003", Some(books.token(0, Role::ReadOnly)));
    assert!(customer.to_string().contains("marco@tessili.example"), "{customer}");
    // instalments, when the business offers them here: at most as many as it allows
    assert!(!disputed.contains(r#"id="plan""#), "not offered yet");
    let offer = r#"{"settings":{"page_plan_instalments":"6"}}"#;
    assert_eq!(books.call("PATCH", "/api/v1/letterhead", &[("Authorization", &admin)], Some(offer)).0, 200);
    let first = (chrono::Utc::now().date_naive() + chrono::Days::new(7)).to_string();
    let set_up = |count: &str| {
        let fields = [("count", count), ("first", first.as_str())];
        unescape(&stranger.follow(&stranger.post(&format!("{path}/plan"), &fields)).page)
    };
    let too_many = set_up("9");
    assert!(too_many.contains(r#"id="plan-error""#) && too_many.contains("da 2 a 6 rate mensili, non 9"), "{too_many}");
    let planned = set_up("3");
    // every instalment with its own amount: the cents left over fall on the last
    assert!(planned.contains("Grazie: abbiamo registrato il suo piano di pagamento di "), "{planned}");
    assert!(!planned.contains("· overdue</title>"), "the customer's tab names the business only: {planned}");
    let schedule = planned.split(r#"<section class="plan""#).nth(1).unwrap().split("</section>").next().unwrap();
    assert_eq!(schedule.matches("da pagare").count(), 3, "the plan's instalments on the page: {schedule}");
    let again = set_up("2");
    assert!(again.contains("Non resta nulla di scaduto per un piano"), "one plan for what is overdue: {again}");
    let row = planned.split("F2026-0003</a>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("in un piano di rientro"), "{row}");
    // already paid: a day to come refused as typed, then noted once; the invoice waits meanwhile
    let today = chrono::Utc::now().date_naive();
    let say_paid = |date: &str| {
        let fields = [("invoice", "F2026-0003"), ("date", date), ("amount", "120,00"), ("reference", "CRO 0042")];
        unescape(&stranger.follow(&stranger.post(&format!("{path}/paid"), &fields)).page)
    };
    let ahead = say_paid(&later);
    assert!(ahead.contains(r#"id="paid-error""#) && ahead.contains(r#"value="CRO 0042""#), "{ahead}");
    let noted = say_paid(&today.to_string());
    assert!(noted.contains("Grazie: cerchiamo il suo pagamento di 120,00 € per la fattura F2026-0003"), "{noted}");
    let checking = noted.split("F2026-0003</a>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(checking.contains("stiamo verificando"), "{checking}");
    assert!(say_paid(&today.to_string()).contains("Ci ha già indicato il"), "said once");
    let fields = [("invoice", "F2026-0011"), ("date", &today.to_string()), ("amount", "99.999,00"), ("reference", "")];
    let above = unescape(&stranger.follow(&stranger.post(&format!("{path}/paid"), &fields)).page);
    assert!(above.contains("99.999,00 € è più dei") && above.contains("sulla fattura F2026-0011"), "{above}");
    // someone else named without an address never inherits the one before
    let fields = [("name", "Giulia Bianchi"), ("email", "")];
    stranger.post(&format!("{path}/approver"), &fields);
    let (_, customer) = books.get("/api/v1/customers/C003", Some(books.token(0, Role::ReadOnly)));
    let customer = customer.to_string();
    assert!(customer.contains("Giulia Bianchi") && !customer.contains("marco@tessili.example"), "{customer}");
    let (_, timeline) = books.get("/api/v1/customers/C003/timeline", Some(books.token(0, Role::ReadOnly)));
    let timeline = timeline.to_string();
    assert!(timeline.contains("approver_name"), "the change is on the timeline: {timeline}");
    assert!(
        timeline.matches("Promise to pay EUR 500.00").count() == 1 && timeline.contains("the customer (their page)"),
        "{timeline}"
    );
    assert!(timeline.contains("F2026-0011"), "{timeline}");
    assert!(timeline.contains("Said F2026-0003 is paid: EUR 120.00"), "{timeline}");
    // what they said is on the work list too, for someone to read and act on today
    let (_, work) = books.get("/api/v1/work", Some(books.token(0, Role::ReadOnly)));
    let answers: Vec<String> = work
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "customer_answered")
        .map(|a| a["explanation"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(answers.iter().any(|a| a.contains("promised on their page to pay EUR 500.00")), "{answers:?}");
    assert!(answers.iter().any(|a| a.contains("disputed F2026-0011 on their page")), "{answers:?}");
    assert!(answers.iter().any(|a| a.contains("named Giulia Bianchi on their page")), "{answers:?}");
    assert!(
        answers.iter().any(|a| a.contains("set up payment plan") && a.contains("in 3 monthly instalments")),
        "{answers:?}"
    );
    assert!(work.to_string().contains("check_claimed_payment"), "the money said paid is looked for: {work}");
    assert!(timeline.contains("Opened their page") && timeline.contains("A link to their page made"), "{timeline}");
    let (_, other) = books.get("/api/v1/customers/C001/timeline", Some(books.token(0, Role::ReadOnly)));
    assert!(!other.to_string().contains("the customer (their page)"), "nothing on another customer");
    // their own invoice's document and their statement to download; another customer's invoice opens nothing
    let own = stranger.get(&format!("{path}/invoices/F2026-0003"));
    assert!(own.status == 200 && own.page.starts_with("%PDF"), "{}", own.status);
    let statement = stranger.get(&format!("{path}/statement"));
    assert!(statement.status == 200 && statement.page.starts_with("%PDF"), "{}", statement.status);
    assert_eq!(stranger.get(&format!("{path}/invoices/F2026-0001")).status, 404, "not theirs");
    // mistakes made on a page the link opened never lock its holder out
    for _ in 0..10 {
        stranger.get(&format!("{path}/invoices/NOPE"));
    }
    assert_eq!(stranger.get(&path).status, 200, "their own link still opens");
    let reader = books.token(0, Role::ReadOnly);
    let (status, pdf) = books.get("/api/v1/customers/C003/statement?from=2026-01-01", Some(reader));
    assert!(status == 200 && pdf.as_str().is_some_and(|p| p.starts_with("%PDF")), "{status}");
    let (status, backwards) = books.get("/api/v1/customers/C003/statement?from=2026-11-30&to=2026-11-01", Some(reader));
    assert_eq!(status, 400, "{backwards}");
    let (status, queued) = books.post("/api/v1/customers/C003/statement", controller, None, "");
    assert_eq!((status, queued["queued"].as_bool()), (201, Some(true)), "{queued}");
    let (status, again) = books.post("/api/v1/customers/C003/statement", controller, None, "");
    assert_eq!((status, again["queued"].as_bool()), (200, Some(false)), "once a day: {again}");
    let forged = stranger.get("/c/0000000000000000000000000000000000000000000000000000000000000000");
    assert_eq!(forged.status, 404);
    assert!(unescape(&forged.page).contains("This link opens no page"), "{}", forged.page);
    assert!(!forged.page.contains(r#"href="/today""#), "no way into the team's pages: {}", forged.page);
    let bearer = format!("Bearer {controller}");
    let (status, revoked, _) =
        books.call("DELETE", "/api/v1/customers/C003/links", &[("Authorization", &bearer)], None);
    assert_eq!((status, revoked["revoked"].as_u64()), (200, Some(1)), "{revoked}");
    let closed = stranger.get(&path);
    assert_eq!(closed.status, 404, "revoked: {}", closed.page);
    // guessing is cut short: after enough links that open nothing, even a good one waits
    let (status, fresh) = books.post("/api/v1/customers/C003/links", controller, None, "");
    assert_eq!(status, 201, "no body: the defaults: {fresh}");
    for _ in 0..10 {
        stranger.get("/c/guess");
    }
    let waits = stranger.get(fresh["path"].as_str().unwrap());
    assert_eq!(waits.status, 429);
    assert!(unescape(&waits.page).contains("try again in 15 minutes"), "when to try again: {}", waits.page);
}
