//! E-mail delivery through a real SMTP server process (Python's aiosmtpd, installed by
//! scripts/test, writing what it receives to a Maildir): the messages received are parsed and
//! asserted, and a sender killed at random points never delivers a message twice nor loses one
//! without flagging it.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use overdue_testkit::SmtpServer;

fn overdue(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_overdue"))
        .args(args)
        .current_dir(dir)
        .env_remove("OVERDUE_DATABASE_URL")
        .env_remove("OVERDUE_TEMPLATES")
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (output.status.code().unwrap_or(-1), text(&output.stdout), text(&output.stderr))
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = overdue(dir, args);
    assert_eq!(code, 0, "overdue {args:?}:\n{stdout}\n{stderr}");
    stdout
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name).to_str().unwrap().to_owned()
}

/// The example books with a letterhead, planned for 2026-11-27.
fn books(dir: &Path) {
    ok(dir, &["init", "--name", "Acme S.L.", "--country", "ES", "--currency", "EUR"]);
    for kind in ["customers", "invoices", "payments"] {
        ok(dir, &["import", kind, &example(&format!("{kind}.csv"))]);
    }
    ok(
        dir,
        &[
            "letterhead",
            "email=cobros@acme.example",
            "iban=ES9121000418450200051332",
            "payment_link=https://pay.acme.example/{invoice}",
            "cheque_payable_to=Acme S.L.",
            "public_url=https://portal.acme.example/",
        ],
    );
    ok(dir, &["run", "--as-of", "2026-11-27", "-q"]);
}

/// The header's value in a raw message (unfolded; encoded words left as they are).
fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")))
}

/// The body decoded from quoted-printable.
fn body(message: &str) -> String {
    let raw = message.split_once("\n\n").map_or("", |(_, b)| b).replace("=\n", "");
    let bytes = raw.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&raw[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn reminders_reach_the_smtp_server_in_the_customers_language_with_amounts_and_payment_options() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(dir.path());
    books(dir.path());
    let dry = ok(dir.path(), &["send", "--dry-run", "--as-of", "2026-11-27"]);
    assert!(
        dry.contains(
            "6 messages would be sent, 0 withdrawn, 0 wait for approval, 0 could not be (see above); nothing was sent"
        ),
        "{dry}"
    );
    assert!(server.received().is_empty());
    let sent = ok(dir.path(), &["send", "--smtp", &server.url(), "--as-of", "2026-11-27"]);
    assert!(
        sent.starts_with(
            "6 sent, 0 withdrawn (nothing left to ask), 0 held for approval, 0 to try again later, 0 failed"
        ),
        "{sent}"
    );
    let received = server.received();
    // F2026-0009 falls due on the 27th itself: no note asking to pay before it goes that day
    assert_eq!(received.len(), 6);
    assert!(!received.iter().any(|m| m.contains("F2026-0009")), "no pre-due note on the due date");
    let by_recipient: HashMap<&str, &String> = received.iter().map(|m| (header(m, "To").unwrap(), m)).collect();
    let atlantico = by_recipient["admin@atlantico.example"];
    assert_eq!(header(atlantico, "Content-Language"), Some("es"));
    let text = body(atlantico);
    assert!(text.contains("F2026-0006") && text.contains("2.129,60 €") && text.contains("días de retraso"), "{text}");
    assert!(text.contains("IBAN ES91 2100 0418 4502 0005 1332") && text.contains("RF71F20260006"), "{text}");
    assert!(text.contains("https://pay.acme.example/F2026-0006") && text.contains("Acme S.L."), "{text}");
    // a private link to their own page, made for this message (64 hex digits of secret)
    let link = text
        .split("https://portal.acme.example/c/")
        .nth(1)
        .map(|rest| rest.chars().take_while(char::is_ascii_hexdigit).count());
    assert_eq!(link, Some(64), "{text}");
    assert!(text.contains("en su propia página"), "said in Spanish: {text}");
    let northwind = by_recipient["accounts@northwind.example"];
    assert_eq!(header(northwind, "Subject"), Some("Friendly reminder: invoice F2026-0008"));
    // days overdue are counted to the day the message goes out
    assert!(body(northwind).contains("GBP 1,530.00 outstanding ("), "{}", body(northwind));
    let verdi = by_recipient["anna@otticaverdi.example"];
    assert_eq!(header(verdi, "Content-Language"), Some("it"));
    assert!(body(verdi).contains("1.159,00 €"), "{}", body(verdi));
    let timeline = ok(dir.path(), &["timeline", "C006"]);
    assert!(timeline.contains("Message-ID <overdue.1."), "every sent message is in the contact log:\n{timeline}");
    // at the time the mail server took it, never at a midnight made up for the day
    let sent = timeline.lines().find(|l| l.contains("Message-ID <overdue.1.") && l.contains("outbound")).unwrap();
    let hour = chrono::Timelike::hour(&chrono::Utc::now());
    if (3..22).contains(&hour) {
        assert!(!sent.contains(" 00:00") && !sent.contains(" 01:00"), "{sent}");
    }
    assert!(
        ok(dir.path(), &["send", "--smtp", &server.url(), "--as-of", "2026-11-27"]).starts_with("0 sent"),
        "nothing twice"
    );
}

#[test]
fn an_unreachable_server_is_a_temporary_failure_and_nothing_is_marked_sent() {
    let dir = tempfile::tempdir().unwrap();
    books(dir.path());
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (_, stdout, _) = overdue(
        dir.path(),
        &["send", "--smtp", &format!("smtp://127.0.0.1:{port}"), "--limit", "3", "--as-of", "2026-11-27"],
    );
    assert!(stdout.contains("0 sent, ") && stdout.contains(", 3 to try again later, 0 failed"), "{stdout}");
    let outbox = ok(dir.path(), &["outbox"]);
    let sent = outbox.lines().skip(1).any(|l| l.split_whitespace().nth(1) == Some("sent"));
    assert!(outbox.contains("Connection refused") && !sent, "{outbox}");
}

/// A small deterministic generator for the kill delays.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    *state >> 33
}

#[test]
fn a_sender_killed_at_random_points_never_delivers_twice_and_never_loses_a_message_silently() {
    let dir = tempfile::tempdir().unwrap();
    let server = SmtpServer::start(dir.path());
    ok(dir.path(), &["init", "--name", "Acme S.L.", "--country", "ES", "--currency", "EUR"]);
    ok(
        dir.path(),
        &["gen", "--customers", "150", "--invoices", "1500", "--seed", "3", "--as-of", "2026-11-27", "--into-store"],
    );
    ok(dir.path(), &["letterhead", "email=cobros@acme.example"]);
    ok(dir.path(), &["run", "--as-of", "2026-11-27", "-q"]);
    // how long a sender takes to start (open the books, load and check the templates): kills are
    // timed after that, so that they land while messages go out
    let started = Instant::now();
    ok(dir.path(), &["send", "--smtp", &server.url(), "--limit", "0"]);
    let startup = started.elapsed().as_micros() as u64;
    let mut seed = 7;
    for _ in 0..100 {
        let mut sender = Command::new(env!("CARGO_BIN_EXE_overdue"))
            // paced, so that a kill lands while a message is being handed over as often as between two
            .args(["send", "--smtp", &server.url(), "--stale-after", "0", "--rate", "300", "--as-of", "2026-11-27"])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(startup + next(&mut seed) % 20_000));
        let _ = sender.kill();
        sender.wait().unwrap();
    }
    ok(dir.path(), &["send", "--smtp", &server.url(), "--stale-after", "0", "--as-of", "2026-11-27"]);
    let outbox = ok(dir.path(), &["outbox", "--all", "--limit", "100000"]);
    let mut statuses: HashMap<i64, String> = HashMap::new();
    for line in outbox.lines().skip(1) {
        let mut cells = line.split_whitespace();
        let (id, status) = (cells.next().unwrap().parse().unwrap(), cells.next().unwrap().to_owned());
        // a final demand or a prepayment notice waits for a person's approval: never sent by itself
        let status = if line.contains("waits for approval") { format!("{status}:approval") } else { status };
        statuses.insert(id, status);
    }
    let mut deliveries: HashMap<i64, usize> = HashMap::new();
    for message in server.received() {
        let id = header(&message, "Message-ID").unwrap();
        let outbox_id: i64 = id.split('.').nth(2).unwrap().parse().unwrap();
        *deliveries.entry(outbox_id).or_default() += 1;
    }
    assert!(statuses.len() > 50, "enough messages to kill senders among: {}", statuses.len());
    for (id, count) in &deliveries {
        assert_eq!(*count, 1, "message {id} was delivered {count} times");
    }
    for (id, status) in &statuses {
        match status.as_str() {
            "sent" => assert!(deliveries.contains_key(id), "message {id} is marked sent but never arrived"),
            "uncertain" | "failed" | "queued:approval" => {}
            other => panic!("message {id} is {other} after the last sender drained the outbox"),
        }
        if !deliveries.contains_key(id) {
            assert_ne!(status, "sent");
        }
    }
    let uncertain = statuses.values().filter(|s| *s == "uncertain").count();
    eprintln!("{} messages: {} delivered, {uncertain} uncertain", statuses.len(), deliveries.len());
    assert!(uncertain > 0, "the kills should have left some messages uncertain");
}

/// aiosmtpd requiring STARTTLS (a certificate of a test CA for `localhost`) and AUTH (ana / s3cret).
const TLS_SERVER: &str = r#"
import ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult
port, maildir, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
def check(server, session, envelope, mechanism, auth):
    return AuthResult(success=(auth.login == b"ana" and auth.password == b"s3cret"), handled=False)
Controller(Mailbox(maildir), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
           authenticator=check, auth_required=True, auth_require_tls=True).start()
while True:
    time.sleep(1)
"#;

fn openssl(dir: &Path, args: &[&str]) {
    let status = Command::new("openssl").args(args).current_dir(dir).stderr(Stdio::null()).status().unwrap();
    assert!(status.success(), "openssl {args:?}");
}

/// A test CA and a certificate it signed for `localhost`: (ca.pem, server.pem, server.key).
fn certificates(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=overdue test CA",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
}

#[test]
fn mail_goes_over_starttls_with_authentication_and_a_wrong_password_or_certificate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    std::fs::write(dir.path().join("server.py"), TLS_SERVER).unwrap();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let maildir = dir.path().join("maildir");
    let child = Command::new("python3")
        .arg("server.py")
        .arg(port.to_string())
        .arg(&maildir)
        .args(["server.pem", "server.key"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = SmtpServer::started(child, port, maildir);
    books(dir.path());
    let ca = dir.path().join("ca.pem").to_str().unwrap().replace(' ', "%20");
    let url = |auth: &str, trusted: bool| {
        let ca = if trusted { format!("&ca={ca}") } else { String::new() };
        format!("smtp://{auth}@localhost:{port}?tls=required{ca}")
    };
    let untrusted =
        overdue(dir.path(), &["send", "--smtp", &url("ana:s3cret", false), "--limit", "1", "--as-of", "2026-11-27"]);
    assert!(untrusted.1.starts_with("0 sent, ") && untrusted.1.contains(", 1 to try again later"), "{untrusted:?}");
    assert!(ok(dir.path(), &["outbox"]).contains("certificate"), "the certificate is not trusted without the CA");
    ok(dir.path(), &["outbox", "retry", "1"]);
    let wrong =
        overdue(dir.path(), &["send", "--smtp", &url("ana:guess", true), "--limit", "1", "--as-of", "2026-11-27"]);
    assert!(wrong.1.contains("1 failed"), "535 is permanent: {wrong:?}");
    let outbox = ok(dir.path(), &["outbox"]);
    let failed = outbox.lines().find(|l| l.contains(" failed ")).unwrap();
    assert!(failed.contains("535"), "{failed}");
    ok(dir.path(), &["outbox", "retry", failed.split_whitespace().next().unwrap()]);
    let sent = ok(dir.path(), &["send", "--smtp", &url("ana:s3cret", true), "--as-of", "2026-11-27"]);
    assert!(sent.starts_with("6 sent"), "{sent}");
    assert_eq!(server.received().len(), 6);
}

#[test]
fn a_reminder_waits_while_money_from_its_customer_waits_in_the_matches() {
    let dir = tempfile::tempdir().unwrap();
    books(dir.path());
    // Construcciones Atlántico (C006) pays 500.00 without a word: a part payment for a person to place
    std::fs::write(
        dir.path().join("banco.csv"),
        "date,amount,currency,name,remittance\n2026-11-26,500.00,EUR,CONSTRUCCIONES ATLANTICO SL,transferencia\n",
    )
    .unwrap();
    let imported = ok(dir.path(), &["import-bank", "banco.csv", "--account", "ES9121000418450200051332"]);
    assert!(imported.contains("1 to review"), "{imported}");
    let dry = ok(dir.path(), &["send", "--dry-run", "--as-of", "2026-11-27"]);
    assert!(
        dry.contains("5 messages would be sent, 0 withdrawn, 1 wait for approval"),
        "C006's reminder waits for the 500.00 to be placed:\n{dry}"
    );
    assert!(dry.contains("EUR 500.00 received from this customer waits among the bank lines to decide"), "{dry}");
}

/// `overdue serve` in the background on `database`, scheduler on, stopped (SIGTERM) when dropped.
struct Serving(Child);

impl Serving {
    fn start(dir: &Path, database: &str, smtp: &str) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_overdue"))
            .args(["--database", database, "serve", "--bind", "127.0.0.1:0", "--run-at", "00:00"])
            .args(["--tick-seconds", "1", "--smtp", smtp])
            .current_dir(dir)
            .env_remove("OVERDUE_DATABASE_URL")
            .env_remove("OVERDUE_TEMPLATES")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Serving(child)
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let _ = self.0.wait();
    }
}

/// Two servers with the scheduler on over one database: today is run once and each message
/// reaches the mail server once.
fn two_servers_run_the_day_once_and_send_each_message_once(database: &str) {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path());
    let db = ["--database", database];
    ok(dir.path(), &[&db[..], &["init", "--name", "Acme S.L.", "--country", "ES", "--currency", "EUR"]].concat());
    for kind in ["customers", "invoices"] {
        ok(dir.path(), &[&db[..], &["import", kind, &example(&format!("{kind}.csv"))]].concat());
    }
    ok(dir.path(), &[&db[..], &["letterhead", "email=cobros@acme.example"]].concat());
    let servers =
        [Serving::start(dir.path(), database, &smtp.url()), Serving::start(dir.path(), database, &smtp.url())];
    let started = Instant::now();
    let mut jobs = String::new();
    while !jobs.contains(" done ") && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(500));
        jobs = ok(dir.path(), &[&db[..], &["jobs"]].concat());
    }
    std::thread::sleep(Duration::from_secs(3)); // both servers tick again: nothing more happens
    drop(servers);
    assert_eq!(jobs.lines().filter(|l| l.contains("daily_run")).count(), 1, "one run of today:\n{jobs}");
    let received = smtp.received();
    assert!(!received.is_empty(), "the outbox went out by itself");
    let mut seen = HashMap::new();
    for message in &received {
        let key = (header(message, "To").unwrap_or("").to_owned(), header(message, "Subject").unwrap_or("").to_owned());
        *seen.entry(key).or_insert(0) += 1;
    }
    assert!(seen.values().all(|n| *n == 1), "a message sent twice: {seen:?}");
    let outbox = ok(dir.path(), &[&db[..], &["outbox", "--all"]].concat());
    let sent = outbox.lines().filter(|l| l.split_whitespace().nth(1) == Some("sent")).count();
    assert_eq!(sent, received.len(), "{outbox}");
}

#[test]
fn sqlite_two_servers_run_the_day_once_and_send_each_message_once() {
    let dir = tempfile::tempdir().unwrap();
    two_servers_run_the_day_once_and_send_each_message_once(dir.path().join("books.db").to_str().unwrap());
}

#[test]
fn postgres_two_servers_run_the_day_once_and_send_each_message_once() {
    let Ok(url) = std::env::var("OVERDUE_TEST_POSTGRES_URL") else {
        assert!(std::env::var_os("CI").is_none(), "CI must run the servers on PostgreSQL too");
        eprintln!("PostgreSQL not configured (OVERDUE_TEST_POSTGRES_URL): ran on SQLite only");
        return;
    };
    let schema = format!("overdue_serve_{}", std::process::id());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client.batch_execute(&format!("CREATE SCHEMA \"{schema}\"")).unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    two_servers_run_the_day_once_and_send_each_message_once(&format!(
        "{url}{separator}options=-csearch_path%3D{schema}"
    ));
    client.batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE")).unwrap();
}
