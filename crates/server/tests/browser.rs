//! The pages in a real browser: headless Chromium driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`, which `scripts/test` installs when `OVERDUE_TEST_BROWSER=1`, as CI sets
//! it). A credit controller logs in, reads today's work and a message, skips an action with a
//! reason, approves a held reminder that the server then sends to a real SMTP server, records a
//! payment on a customer (bad input answered next to the form first), reads an invoice, logs a
//! call with a promise (the ladder pauses) and one disputing one invoice (its sibling is still
//! chased), uploads a bank statement and accepts the match it holds, and opens the reports. A
//! screenshot of every page is saved in `target/screenshots/`.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

mod common;

use common::{Backend, Books, Setup};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The chromedriver of this test, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Chromedriver on a free port, or `None` (said) when the environment has no browser and did not
/// ask for one.
fn driver() -> Option<(Driver, u16)> {
    let wanted = std::env::var_os("CI").is_some() || std::env::var("OVERDUE_TEST_BROWSER").is_ok_and(|v| v == "1");
    let Ok(path) = which("chromedriver") else {
        assert!(!wanted, "the browser tests must run here: install chromium and chromium-driver (scripts/test does)");
        eprintln!("no chromedriver (OVERDUE_TEST_BROWSER=1 scripts/test installs it): the browser test did not run");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child =
        Command::new(path).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let driver = Driver(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some((driver, port));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("chromedriver did not start on port {port}");
}

fn which(program: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
        .ok_or(())
}

async fn browser(port: u16) -> Client {
    let mut capabilities = serde_json::Map::new();
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=es",
    ];
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({ "args": args, "prefs": { "intl.accept_languages": "es-ES,es" } }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap()
}

async fn screenshot(client: &Client, name: &str) {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
}

async fn text(client: &Client) -> String {
    client.find(Locator::Css("body")).await.unwrap().text().await.unwrap()
}

async fn fill(client: &Client, css: &str, value: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

/// Clicks and waits for the next page to be there: one with the form's answer, or another page.
async fn submit(client: &Client, css: &str) {
    let before = client.current_url().await.unwrap();
    let said = |client: &Client| {
        let client = client.clone();
        async move {
            let answer = client.find(Locator::Css("[role=status], [role=alert]")).await.ok()?;
            answer.text().await.ok()
        }
    };
    let said_before = said(client).await;
    client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
    for _ in 0..200 {
        let now = said(client).await;
        let answered = now.is_some() && now != said_before;
        let moved = client.current_url().await.is_ok_and(|url| url.path() != before.path());
        if answered || moved {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    client.wait().for_element(Locator::Css("main")).await.unwrap();
}

async fn a_credit_controllers_morning(client: &Client, base: &str) {
    client.goto(&format!("{base}/today?as_of=2026-11-27")).await.unwrap();
    assert!(client.current_url().await.unwrap().path().ends_with("/login"), "a page needs a session");
    screenshot(client, "login").await;
    fill(client, "#email", "ana@acme.example").await;
    fill(client, "#password", "correct horse battery").await;
    submit(client, "#login button[type=submit]").await;
    let today = text(client).await;
    assert!(today.contains("Trabajo de hoy") && today.contains("Mensajes y cartas que enviar"), "{today}");
    screenshot(client, "today").await;
    // the exact message of the first e-mail, one click away
    let first = client.find(Locator::Css("#section-messages + ul .item")).await.unwrap();
    let id = first.attr("id").await.unwrap().unwrap().trim_start_matches("action-").to_owned();
    first.find(Locator::Css("a[href*='/message']")).await.unwrap().click().await.unwrap();
    client.wait().for_element(Locator::Css("pre.message")).await.unwrap();
    screenshot(client, "message").await;
    client.back().await.unwrap();
    client.wait().for_element(Locator::Css(&format!("#skip-{id}"))).await.unwrap();
    fill(client, &format!("#skip-{id}"), "el cliente está de vacaciones").await;
    submit(client, &format!("#action-{id} form[action$='/skip'] button")).await;
    let after = text(client).await;
    assert!(after.contains(&format!("Omitido #{id}")), "{after}");
    assert!(client.find(Locator::Css(&format!("#action-{id}"))).await.is_err(), "the skipped action left the list");
}

async fn a_payment_on_a_customer(client: &Client, base: &str) {
    client.goto(&format!("{base}/customers/C003?as_of=2026-11-27")).await.unwrap();
    client.wait().for_element(Locator::Css("#payment")).await.unwrap();
    let page = text(client).await;
    assert!(page.contains("3.074,40 €"), "{page}");
    screenshot(client, "customer").await;
    fill(client, "#pay-amount", "mil euros").await;
    submit(client, "#payment button[type=submit]").await;
    let error = client.find(Locator::Css("#payment-error")).await.unwrap().text().await.unwrap();
    assert!(!error.trim().is_empty(), "said next to the form");
    let invalid = client.find(Locator::Css("#pay-amount")).await.unwrap().attr("aria-invalid").await.unwrap();
    assert_eq!(invalid.as_deref(), Some("true"), "the field at fault is marked");
    assert!(text(client).await.contains("3.074,40 €"), "nothing changed");
    fill(client, "#pay-amount", "1074.40").await;
    submit(client, "#payment button[type=submit]").await;
    let page = text(client).await;
    assert!(page.contains("Cobro registrado") && page.contains("2.000,00 €"), "{page}");
    client.goto(&format!("{base}/invoices/F2026-0003?as_of=2026-11-27")).await.unwrap();
    let invoice = text(client).await;
    assert!(invoice.contains("2.000,00 €") && invoice.contains("No se pueden calcular los intereses"), "{invoice}");
    screenshot(client, "invoice").await;
}

/// A statement uploaded on the bank page, the part payment it holds accepted with its evidence in
/// view; then the reports, drawn as charts.
async fn the_bank_and_the_reports(client: &Client, base: &str) {
    client.goto(&format!("{base}/bank")).await.unwrap();
    client.wait().for_element(Locator::Css("#upload")).await.unwrap();
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("banco-noviembre.csv");
    std::fs::write(&file, "date,amount,currency,name,remittance\n2026-11-23,1000.00,EUR,Tessili Bianchi,acconto\n")
        .unwrap();
    let input = client.find(Locator::Css("#statement-file")).await.unwrap();
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    fill(client, "#statement-account", "ES9121000418450200051332").await;
    submit(client, "#upload button[type=submit]").await;
    let page = text(client).await;
    assert!(page.contains("banco-noviembre.csv (CSV): 1 líneas nuevas") && page.contains("1 por revisar"), "{page}");
    assert!(page.contains("un pago parcial: faltan") && page.contains("F2026-0003"), "the evidence in view: {page}");
    screenshot(client, "bank").await;
    let line = client.find(Locator::Css("li.item[id^='line-']")).await.unwrap();
    let id = line.attr("id").await.unwrap().unwrap();
    submit(client, &format!("#{id} form input[value=accept] ~ button")).await;
    assert!(text(client).await.contains("Registrado como cobro"));
    client.goto(&format!("{base}/invoices/F2026-0003?as_of=2026-11-27")).await.unwrap();
    assert!(text(client).await.contains("1.000,00 €"), "2,000.00 less the 1,000.00 accepted");
    for report in ["aging", "dso", "forecast"] {
        client.goto(&format!("{base}/reports/{report}?as_of=2026-11-27")).await.unwrap();
        client.wait().for_element(Locator::Css("figure.chart svg")).await.unwrap();
        screenshot(client, &format!("report-{report}")).await;
    }
}

/// A call logged in place with a promise: the ladder pauses (the invoice says so); then a call
/// disputing one of a customer's invoices, and today's work planned again: its sibling is still
/// chased, the disputed one is not.
async fn calls_a_promise_and_a_dispute(client: &Client, base: &str) {
    client.goto(&format!("{base}/today?as_of=2026-11-27")).await.unwrap();
    // Tessili Bianchi's alarm: they promise what F2026-0003 owes, a fortnight from now
    let call = client.find(Locator::XPath("//li[starts-with(@id,'action-')][.//a[contains(.,'C004')]]")).await.unwrap();
    let id = call.attr("id").await.unwrap().unwrap().trim_start_matches("action-").to_owned();
    call.find(Locator::Css("details.call summary")).await.unwrap().click().await.unwrap();
    let promised = chrono::Utc::now().date_naive() + chrono::Days::new(14);
    fill(client, &format!("#call-{id}-contact"), "Paolo Rossi").await;
    fill(client, &format!("#call-{id}-summary"), "Pagano il 15, bonifico").await;
    // a date field is typed in the browser's own order: its value is set as the form sends it
    let date = client.find(Locator::Css(&format!("#call-{id}-date"))).await.unwrap();
    let set = "arguments[0].value = arguments[1];";
    client.execute(set, vec![serde_json::to_value(&date).unwrap(), promised.to_string().into()]).await.unwrap();
    fill(client, &format!("#call-{id}-amount"), "6051.20").await;
    screenshot(client, "call").await;
    submit(client, &format!("#call-{id} button[type=submit]")).await;
    let said = text(client).await;
    assert!(said.contains("Llamada registrada") && said.contains("promesa de pago"), "{said}");
    client.goto(&format!("{base}/customers/C004")).await.unwrap();
    let customer = text(client).await;
    let promised = promised.format("%d/%m/%Y");
    assert!(customer.contains(&format!("prometida para el {promised}")), "the ladder pauses: {customer}");
    // Ferretería Ruiz disputes F2026-0001 on the alarm's call; F2026-0009 is theirs too
    client.goto(&format!("{base}/today?as_of=2026-11-27")).await.unwrap();
    let call = client
        .find(Locator::XPath("//li[starts-with(@id,'action-')][.//a[contains(.,'C001')]][.//details]"))
        .await
        .unwrap();
    let id = call.attr("id").await.unwrap().unwrap().trim_start_matches("action-").to_owned();
    call.find(Locator::Css("details.call summary")).await.unwrap().click().await.unwrap();
    fill(client, &format!("#call-{id}-summary"), "Dicen que la mercancía llegó dañada").await;
    let reason = client.find(Locator::Css(&format!("#call-{id}-reason"))).await.unwrap();
    reason.select_by_value("disputed_quality").await.unwrap();
    let dispute = client.find(Locator::Css(&format!("#call-{id}-dispute"))).await.unwrap();
    dispute.select_by_value("F2026-0001").await.unwrap();
    submit(client, &format!("#call-{id} button[type=submit]")).await;
    let said = text(client).await;
    assert!(said.contains("Llamada registrada") && said.contains("F2026-0001"), "{said}");
    // today's work planned now, from the page: the sibling is chased, the disputed invoice is not
    client.goto(&format!("{base}/today")).await.unwrap();
    submit(client, "#plan button[type=submit]").await;
    let today = text(client).await;
    assert!(today.contains("Planificado el"), "{today}");
    screenshot(client, "today-planned").await;
    let chased = client.find_all(Locator::Css("li.item[id^='action-']")).await.unwrap();
    let mut ruiz = Vec::new();
    for item in chased {
        let said = item.text().await.unwrap();
        if said.contains("C001") {
            ruiz.push(said);
        }
    }
    assert!(ruiz.iter().any(|s| s.contains("F2026-0009")), "the sibling is still chased: {ruiz:?}");
    assert!(!ruiz.iter().any(|s| s.contains("F2026-0001")), "the disputed one is not: {ruiz:?}");
}

/// Tessili Bianchi opens their own page by a private link, in Italian, without an account: they
/// commit to a payment date, dispute one invoice, name who approves invoices and say another is
/// already paid, and all of it is on their timeline as theirs.
async fn a_customer_on_their_own_page(client: &Client, books: &Books) {
    let controller = books.token(0, overdue_core::access::Role::Controller);
    let (status, made) = books.post("/api/v1/customers/C003/links", controller, None, "{}");
    assert_eq!(status, 201, "{made}");
    client.goto(&format!("{}{}", books.server.base, made["path"].as_str().unwrap())).await.unwrap();
    let page = text(client).await;
    assert!(page.contains("Fatture aperte") && page.contains("F2026-0003"), "{page}");
    assert!(page.contains("Ci chieda le nostre coordinate bancarie"), "no IBAN given: where to ask: {page}");
    let date = client.find(Locator::Css("#promise-date")).await.unwrap();
    let promised = chrono::Utc::now().date_naive() + chrono::Days::new(10);
    let set = "arguments[0].value = arguments[1];";
    client.execute(set, vec![serde_json::to_value(&date).unwrap(), promised.to_string().into()]).await.unwrap();
    fill(client, "#promise-amount", "300,00").await;
    screenshot(client, "customer-page").await;
    submit(client, "#promise button[type=submit]").await;
    let said = text(client).await;
    assert!(said.contains("Grazie: abbiamo preso nota di 300,00 €"), "{said}");
    client.find(Locator::Css("#dispute-invoice")).await.unwrap().select_by_value("F2026-0011").await.unwrap();
    client.find(Locator::Css("#dispute-reason")).await.unwrap().select_by_value("disputed_quantity").await.unwrap();
    fill(client, "#dispute-note", "Mancano due rotoli").await;
    submit(client, "#dispute button[type=submit]").await;
    let said = text(client).await;
    assert!(said.contains("abbiamo preso nota del problema con F2026-0011"), "{said}");
    // who approves invoices on their side
    fill(client, "#approver-name", "Marco Ferri").await;
    fill(client, "#approver-email", "marco@tessili.example").await;
    submit(client, "#approver button[type=submit]").await;
    let said = text(client).await;
    assert!(said.contains("Grazie: scriveremo a Marco Ferri"), "{said}");
    // F2026-0003 already paid, they say: it waits while the money is looked for
    client.find(Locator::Css("#paid-invoice")).await.unwrap().select_by_value("F2026-0003").await.unwrap();
    let today = chrono::Utc::now().date_naive().to_string();
    let date = client.find(Locator::Css("#paid-date")).await.unwrap();
    client.execute(set, vec![serde_json::to_value(&date).unwrap(), today.into()]).await.unwrap();
    fill(client, "#paid-amount", "1.574,40").await;
    fill(client, "#paid-reference", "CRO 0042").await;
    screenshot(client, "customer-page-paid").await;
    submit(client, "#paid button[type=submit]").await;
    let said = text(client).await;
    assert!(said.contains("Grazie: cerchiamo il suo pagamento di 1.574,40 €"), "{said}");
    let (_, timeline) = books.get("/api/v1/customers/C003/timeline", Some(controller));
    let timeline = timeline.to_string();
    assert!(timeline.contains("Promise to pay EUR 300.00") && timeline.contains("Mancano due rotoli"), "{timeline}");
    assert!(timeline.contains("approver_name") && timeline.contains("Said F2026-0003 is paid"), "{timeline}");
    assert!(timeline.contains("Opened their page"), "{timeline}");
}

/// A reminder held for approval is read, approved on Today and sent by the server's own scheduler
/// to a real SMTP server; the reminders still held are not sent.
async fn a_message_approved_and_sent(client: &Client, base: &str, smtp: &overdue_testkit::SmtpServer) {
    client.goto(&format!("{base}/today?as_of=2026-11-27")).await.unwrap();
    client.wait().for_element(Locator::Css("#waiting")).await.unwrap();
    let held =
        client.find(Locator::XPath("//li[starts-with(@id,'message-')][.//a[contains(.,'C003')]]")).await.unwrap();
    let id = held.attr("id").await.unwrap().unwrap().trim_start_matches("message-").to_owned();
    assert!(held.text().await.unwrap().contains("F2026-0003"), "the subject names the invoice");
    held.find(Locator::Css("a[href*='/message']")).await.unwrap().click().await.unwrap();
    let message = client.wait().for_element(Locator::Css("pre.message")).await.unwrap().text().await.unwrap();
    assert!(message.contains("F2026-0003"), "{message}");
    client.back().await.unwrap();
    client.wait().for_element(Locator::Css(&format!("#message-{id}"))).await.unwrap();
    submit(client, &format!("#message-{id} form[action$='/approve'] button")).await;
    assert!(client.find(Locator::Css(&format!("#message-{id}"))).await.is_err(), "no longer waiting");
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = smtp.received();
        if sent.iter().any(|m| m.contains("F2026-0003")) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let approved: Vec<&String> = sent.iter().filter(|m| m.contains("F2026-0003")).collect();
    assert_eq!(approved.len(), 1, "sent once: {sent:?}");
    assert!(approved[0].contains("To: ") && approved[0].contains("tessilibianchi"), "{}", approved[0]);
    for still_held in ["F2026-0001", "F2026-0002", "F2026-0004"] {
        assert!(!sent.iter().any(|m| m.contains(still_held)), "{still_held} waits for approval: {sent:?}");
    }
    client.goto(&format!("{base}/outbox?show=all")).await.unwrap();
    screenshot(client, "outbox").await;
}

/// The pages not seen in the scenarios, each drawn (a screenshot of every main page).
async fn every_other_page(client: &Client, base: &str) {
    for (path, name) in [("/customers", "customers"), ("/invoices?as_of=2026-11-27", "invoices"), ("/files", "files")] {
        client.goto(&format!("{base}{path}")).await.unwrap();
        client.wait().for_element(Locator::Css("main h1")).await.unwrap();
        screenshot(client, name).await;
    }
}

/// Before the day is planned: first reminders wait for a person's approval, and the letterhead has
/// the e-mail the scheduler sends from.
fn reminders_wait_for_approval(store: &mut dyn overdue_store::Store, organisation: &overdue_store::Organisation) {
    let mut book = store.policy_book(organisation.id).unwrap();
    for policy in &mut book.policies {
        for step in policy.steps.iter_mut().filter(|s| s.name == "first_reminder") {
            step.approval = Some(true);
        }
    }
    store.save_policy_book(organisation.id, &book).unwrap();
    let email = [("email".to_owned(), "cobros@ours.example".to_owned())];
    overdue_app::settings::set_letterhead(store, organisation, &email).unwrap();
}

#[test]
fn a_credit_controller_works_the_morning_in_a_real_browser() {
    let Some((_driver, port)) = driver() else { return };
    let mail = tempfile::tempdir().unwrap();
    let smtp = overdue_testkit::SmtpServer::start(mail.path());
    let setup = Setup { before_run: Some(reminders_wait_for_approval), smtp_url: Some(smtp.url()) };
    let books = Books::start_with(Backend::Sqlite, "browser", &setup).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = browser(port).await;
        let base = &books.server.base;
        a_credit_controllers_morning(&client, base).await;
        a_message_approved_and_sent(&client, base, &smtp).await;
        a_payment_on_a_customer(&client, base).await;
        calls_a_promise_and_a_dispute(&client, base).await;
        a_customer_on_their_own_page(&client, &books).await;
        the_bank_and_the_reports(&client, base).await;
        every_other_page(&client, base).await;
        client.close().await.unwrap();
    });
}
