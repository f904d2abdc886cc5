//! The real `overdue` binary, run as a book-keeper would, each test in its own folder.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

struct Books {
    dir: tempfile::TempDir,
}

impl Books {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_overdue"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("OVERDUE_DATABASE_URL")
            .env_remove("OVERDUE_ORG")
            .env_remove("OVERDUE_RATES")
            .output()
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 0, "overdue {args:?} failed:\n{}\n{}", run.stdout, run.stderr);
        run.stdout
    }

    fn write(&self, name: &str, content: &str) -> String {
        std::fs::write(self.dir.path().join(name), content).unwrap();
        name.to_owned()
    }

    fn initialised() -> Self {
        let books = Self::new();
        books.ok(&["init", "--name", "Acme S.L.", "--country", "ES", "--currency", "EUR"]);
        for kind in ["customers", "invoices", "payments"] {
            books.ok(&["import", kind, example(kind).to_str().unwrap()]);
        }
        books
    }
}

fn example(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../examples/{kind}.csv"))
}

#[test]
fn init_then_import_the_examples_and_see_what_is_owed() {
    let books = Books::initialised();
    let open = books.ok(&["invoices", "--open"]);
    assert!(open.contains("F2026-0006"), "{open}");
    assert!(open.contains("2026-09-08"), "Net 60 from 10 July is due 8 September:\n{open}");
    assert!(!open.contains("F2026-0002 "), "paid in full, so not open:\n{open}");
    let customers = books.ok(&["customers"]);
    assert!(customers.contains("EUR 1574.40") || customers.contains("EUR 3243.36"), "{customers}");
}

#[test]
fn importing_the_same_file_again_changes_nothing_and_says_so() {
    let books = Books::initialised();
    let again = books.ok(&["import", "invoices", example("invoices").to_str().unwrap()]);
    assert!(again.contains("0 created, 0 updated, 13 unchanged, 0 rejected"), "{again}");
    let payments = books.ok(&["import", "payments", example("payments").to_str().unwrap()]);
    assert!(payments.contains("0 created, 0 updated, 4 unchanged"), "{payments}");
}

#[test]
fn bad_rows_are_listed_with_file_line_column_and_reason() {
    let books = Books::initialised();
    let file = books.write(
        "bad.csv",
        "number,customer,issue_date,currency,terms,description,unit_price\n\
         X-1,C001,2026-11-01,EUR,Net 30,Ok,10.00\n\
         X-2,C001,2026-13-01,EUR,Net 30,Bad date,10.00\n\
         X-3,C001,2026-11-01,EUR,,Its customer's terms,10.00\n\
         X-4,C009,2026-11-01,EUR,,No terms anywhere,10.00\n",
    );
    books.ok(&["customer", "set", "C001", "terms=Net 45"]);
    let customers = books.write("c9.csv", "code,name,country,currency\nC009,Nine Ltd,GB,EUR\n");
    books.ok(&["import", "customers", &customers]);
    let run = books.run(&["import", "invoices", &file]);
    assert_eq!(run.code, 1, "rejections give exit code 1");
    assert!(run.stdout.contains("2 created, 0 updated, 0 unchanged, 2 rejected"), "{}", run.stdout);
    assert!(run.stdout.contains("rejected bad.csv, line 3, column issue_date"), "{}", run.stdout);
    assert!(run.stdout.contains("rejected bad.csv, line 5, column terms"), "{}", run.stdout);
    assert!(run.stdout.contains("no terms on file either"), "{}", run.stdout);
    assert!(books.ok(&["show", "invoice", "X-3"]).contains("Terms: Net 45"), "the customer's terms on file");
}

#[test]
fn all_or_nothing_imports_nothing_when_one_row_is_bad() {
    let books = Books::initialised();
    let file = books.write(
        "mixed.csv",
        "number,customer,issue_date,currency,terms,description,unit_price\n\
         Y-1,C001,2026-11-01,EUR,Net 30,Ok,10.00\n\
         Y-2,C999,2026-11-01,EUR,Net 30,Unknown customer,10.00\n",
    );
    let run = books.run(&["import", "invoices", &file, "--all-or-nothing"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("Nothing was imported"), "{}", run.stdout);
    let shown = books.run(&["show", "invoice", "Y-1"]);
    assert_eq!(shown.code, 2);
    assert!(shown.stderr.contains("no invoice \"Y-1\""), "{}", shown.stderr);
}

#[test]
fn a_payment_lowers_the_balance_once_even_if_entered_twice() {
    let books = Books::initialised();
    let paid = books.ok(&["pay", "F2026-0009", "148.90", "--date", "2026-11-20"]);
    assert!(paid.contains("Still owed: EUR 1000.00"), "{paid}");
    let again = books.ok(&["pay", "F2026-0009", "148.90", "--date", "2026-11-20"]);
    assert!(again.contains("already recorded"), "{again}");
    let more = books.ok(&[
        "pay",
        "F2026-0009",
        "1100.00",
        "--date",
        "2026-11-21",
        "--reference",
        "CHQ-881",
        "--method",
        "cheque",
    ]);
    assert!(more.contains("Still owed: EUR 0.00"), "{more}");
    assert!(more.contains("EUR 100.00 more than was owed is kept as the customer's credit"), "{more}");
    let customer = books.ok(&["show", "customer", "C001"]);
    assert!(customer.contains("Credit (over-payments and credit notes not yet used): EUR 100.00"), "{customer}");
    let shown = books.ok(&["show", "invoice", "F2026-0009"]);
    assert!(shown.contains("Paid 2026-11-21 by cheque (CHQ-881): EUR 1000.00"), "{shown}");
}

#[test]
fn a_wrong_payment_is_refused_and_changes_nothing() {
    let books = Books::initialised();
    for (args, message) in [
        (vec!["pay", "F2026-0009", "10.001", "--date", "2026-11-20"], "decimals"),
        (vec!["pay", "F2026-0009", "10", "--date", "2026-11-31"], "not a date"),
        (vec!["pay", "F2026-0009", "10", "--date", "2026-11-20", "--method", "barter"], "--method"),
        (vec!["pay", "NOPE", "10", "--date", "2026-11-20"], "no invoice"),
    ] {
        let run = books.run(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
    }
    assert!(books.ok(&["show", "invoice", "F2026-0009"]).contains("Still owed: EUR 1148.90"));
}

#[test]
fn instalment_invoices_show_every_due_date() {
    let books = Books::initialised();
    let shown = books.ok(&["show", "invoice", "F2026-0004"]);
    for due in ["Due 2026-10-15: EUR 3025.60", "Due 2026-11-14: EUR 3025.60", "Due 2026-12-14: EUR 3025.60"] {
        assert!(shown.contains(due), "{due} missing:\n{shown}");
    }
}

#[test]
fn commands_before_init_explain_what_to_do() {
    let books = Books::new();
    let run = books.run(&["invoices"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("run `overdue init"), "{}", run.stderr);
    assert!(!books.dir.path().join("overdue.db").exists(), "a listing must not create the books");
}

#[test]
fn init_twice_refuses_and_keeps_the_books() {
    let books = Books::initialised();
    let run = books.run(&["init", "--name", "Other", "--country", "IT", "--currency", "EUR"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already holds the books of \"Acme S.L.\""), "{}", run.stderr);
    let bad = Books::new().run(&["init", "--name", "X", "--country", "ZZ", "--currency", "EUR"]);
    assert!(bad.stderr.contains("ISO 3166"), "{}", bad.stderr);
}

#[test]
fn a_generated_ledger_imports_cleanly_and_is_the_same_for_the_same_seed() {
    let books = Books::new();
    books.ok(&["init", "--name", "Bench", "--country", "ES", "--currency", "EUR"]);
    let args = ["gen", "--customers", "50", "--invoices", "400", "--seed", "7", "--as-of", "2026-11-23"];
    books.ok(&[&args[..], &["--out", "a"]].concat());
    books.ok(&[&args[..], &["--out", "b"]].concat());
    let read = |p: &str| std::fs::read(books.dir.path().join(p)).unwrap();
    assert_eq!(read("a/invoices.csv"), read("b/invoices.csv"));
    for kind in ["customers", "invoices", "payments"] {
        let out = books.ok(&["import", kind, &format!("a/{kind}.csv")]);
        assert!(out.contains(" 0 rejected"), "{out}");
    }
    let invoices = books.ok(&["invoices", "--limit", "1"]);
    assert!(invoices.contains("(showing 1 of 400 invoices"), "{invoices}");
}

#[test]
fn the_demo_runs_from_anywhere_and_can_run_again() {
    let books = Books::new();
    let first = books.ok(&["demo"]);
    assert!(first.contains("The engine planned"), "{first}");
    assert!(first.contains("Work list for Demo Distribuciones S.L."), "{first}");
    assert!(first.contains("Calls to make"), "{first}");
    books.ok(&["demo"]);
}

#[test]
fn a_credit_report_is_kept_and_shown_with_the_customer() {
    let books = Books::initialised();
    let out = books.ok(&[
        "credit-report",
        "C001",
        "--source",
        "Informa D&B",
        "--rating",
        "B2",
        "--date",
        "2026-11-01",
        "--advised-limit",
        "9000",
    ]);
    assert!(out.contains("below the credit limit of EUR 15000.00"), "{out}");
    let shown = books.ok(&["show", "customer", "C001"]);
    assert!(shown.contains("Credit report 2026-11-01 from Informa D&B: B2, advises a limit of EUR 9000.00"), "{shown}");
    let missing = books.run(&["credit-report", "C404", "--source", "X", "--rating", "A", "--date", "2026-11-01"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no customer \"C404\""), "{}", missing.stderr);
}

#[test]
fn a_second_organisation_is_added_only_on_purpose_and_chosen_with_org() {
    let books = Books::initialised();
    let added =
        books.ok(&["init", "--another", "--name", "Cliente Due S.r.l.", "--country", "IT", "--currency", "EUR"]);
    assert!(added.contains("organisation 2"), "{added}");
    let ambiguous = books.run(&["invoices"]);
    assert_eq!(ambiguous.code, 2);
    assert!(ambiguous.stderr.contains("choose one with --org ID"), "{}", ambiguous.stderr);
    let second = books.ok(&["--org", "2", "invoices"]);
    assert!(second.contains("(0 invoices)"), "the second organisation sees none of the first's books:\n{second}");
    assert!(books.ok(&["--org", "1", "invoices"]).contains("(13 invoices)"));
}

#[test]
fn a_listing_piped_into_a_reader_that_stops_early_ends_quietly() {
    let books = Books::new();
    books.ok(&["init", "--name", "Bench", "--country", "ES", "--currency", "EUR"]);
    books.ok(&["gen", "--customers", "20", "--invoices", "3000", "--as-of", "2026-11-23", "--into-store"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_overdue"))
        .args(["invoices", "--limit", "0"])
        .current_dir(books.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `| head` closing its end
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn the_day_is_planned_once_then_worked_and_explained() {
    let books = Books::initialised();
    let day = ["--as-of", "2026-11-23"];
    let first = books.ok(&[&["run"][..], &day].concat());
    assert!(first.contains("actions due") && !first.contains(" 0 new"), "{first}");
    let again = books.ok(&[&["run"][..], &day].concat());
    assert!(again.contains(" 0 new"), "running the same day twice creates nothing: {again}");
    let today = books.ok(&[&["today", "--limit", "0"][..], &day].concat());
    assert!(today.contains("ALARMS") && today.contains("F2026-0003"), "{today}");
    assert!(today.contains("? Who approves invoices for payment?"), "{today}");
    let explained = books.ok(&["explain", "F2026-0003", "--as-of", "2026-11-23"]);
    assert!(explained.contains("follows policy \"standard\""), "{explained}");
    assert!(explained.contains("Next, if nothing changes: step \"second_reminder\""), "{explained}");

    let logged = books.ok(&[
        "log",
        "call",
        "C003",
        "--summary",
        "Awaiting the director's signature",
        "--reason",
        "awaiting_approval",
        "--contact",
        "Giulia",
        "--at",
        "2026-11-23 10:15",
        "--invoice",
        "F2026-0003",
        "--by",
        "ana",
    ]);
    assert!(logged.contains("Logged #"), "{logged}");
    let promised = books.ok(&[
        "promise",
        "C003",
        "1574.40",
        "--date",
        "2026-12-01",
        "--made-on",
        "2026-11-23",
        "--invoice",
        "F2026-0003",
    ]);
    assert!(promised.contains("to pay EUR 1574.40 by 2026-12-01"), "{promised}");
    let timeline = books.ok(&["timeline", "C003"]);
    assert!(timeline.contains("2026-11-23 10:15  call"), "{timeline}");
    assert!(timeline.contains("Promise to pay EUR 1574.40 on 2026-12-01"), "{timeline}");
    let paused = books.ok(&["explain", "F2026-0003", "--as-of", "2026-11-24"]);
    assert!(paused.contains("a promise to pay pauses the ladder until 2026-12-04"), "{paused}");

    // the first action is C003's 60-day alarm: the call logged with C003 has cleared it
    let alarm = today.split('#').nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let cleared = books.run(&["done", &alarm, "--on", "2026-11-23"]);
    assert!(cleared.stderr.contains("already done on 2026-11-23 by ana"), "{}", cleared.stderr);
    assert!(books.ok(&["timeline", "C003"]).contains("cleared: a conversation with the customer was logged"));
    let id = today.split('#').nth(2).unwrap().split_whitespace().next().unwrap().to_owned();
    let done = books.ok(&["done", &id, "--on", "2026-11-23", "--by", "ana"]);
    assert!(done.contains(&format!("Done #{id}")), "{done}");
    let twice = books.run(&["done", &id, "--on", "2026-11-23"]);
    assert_eq!(twice.code, 2);
    assert!(twice.stderr.contains("already done on 2026-11-23 by ana"), "{}", twice.stderr);
    // the next one is skipped with a reason, said on the timeline
    let next = today.split('#').nth(3).unwrap().split_whitespace().next().unwrap().to_owned();
    let skipped = books.ok(&["done", &next, "--on", "2026-11-23", "--skip", "waiting for their accountant"]);
    assert!(skipped.contains(&format!("Skipped #{next}")), "{skipped}");
    let customer = skipped.split(" for ").nth(1).unwrap().split_whitespace().next().unwrap();
    let timeline = books.ok(&["timeline", customer]);
    assert!(timeline.contains("(waiting for their accountant)") && timeline.contains("Skipped by"), "{timeline}");
}

#[test]
fn wrong_follow_up_input_is_refused_and_says_why() {
    let books = Books::initialised();
    let reason = books.run(&["log", "call", "C003", "--summary", "x", "--reason", "because"]);
    assert_eq!(reason.code, 2);
    assert!(reason.stderr.contains("awaiting_approval"), "the accepted reasons are listed: {}", reason.stderr);
    let stranger = books.run(&["promise", "NOPE", "10", "--date", "2026-12-01"]);
    assert!(stranger.stderr.contains("no customer \"NOPE\""), "{}", stranger.stderr);
    // more than is owed is a slip: C003 owes EUR 1,574.40 on F2026-0003 that day
    let slip =
        ["promise", "C003", "99999", "--date", "2026-12-01", "--made-on", "2026-11-23", "--invoice", "F2026-0003"];
    let over = books.run(&slip);
    assert_eq!(over.code, 2);
    assert!(over.stderr.contains("EUR 99999.00 is more than the EUR 1574.40 open on F2026-0003"), "{}", over.stderr);
    assert!(!books.ok(&["timeline", "C003"]).contains("Promise to pay"), "nothing recorded");
    let foreign = books.run(&["log", "call", "C001", "--summary", "x", "--invoice", "F2026-0003"]);
    assert!(foreign.stderr.contains("F2026-0003 is not an invoice of customer C001"), "{}", foreign.stderr);
    books.ok(&["dispute", "open", "F2026-0003", "--reason", "disputed_quality", "--on", "2026-11-20"]);
    let twice = books.run(&["dispute", "open", "F2026-0003", "--reason", "disputed_price"]);
    assert!(twice.stderr.contains("already in dispute since 2026-11-20"), "{}", twice.stderr);
    let timeline = books.ok(&["timeline", "C003"]);
    assert!(!timeline.contains("disputed price"), "the refused dispute left no trace: {timeline}");
    books.write("bad-policy.json", r#"{"default_policy": "none", "policies": []}"#);
    let policy = books.run(&["policy", "load", "bad-policy.json"]);
    assert!(policy.stderr.contains("nothing was changed"), "{}", policy.stderr);
    assert!(books.ok(&["policy", "show"]).contains("\"default_policy\": \"standard\""));
}

/// An Italian business with a customer owing FT-1 (10,000.00, due 2024-06-15, paid 2024-07-15),
/// FT-2 (due Easter Monday 2024, paid the day after) and FT-3 (3,000.00 in 30/60/90 instalments).
fn italian_books() -> Books {
    let books = Books::new();
    books.ok(&["init", "--name", "Rossi S.r.l.", "--country", "IT", "--currency", "EUR"]);
    let customers = books.write(
        "c.csv",
        "code,name,tax_id,country,language,currency,address,terms,credit_limit,billing_name,billing_email,billing_phone,approver_name,approver_email,approver_phone\n\
         IT01,Bianchi S.p.A.,IT01234567890,IT,it,EUR,\"Via Roma 1, Milano\",Net 30,,Pagamenti,pagamenti@bianchi.example,,,,\n",
    );
    let invoices = books.write(
        "i.csv",
        "number,customer,issue_date,currency,terms,description,quantity,unit_price,tax_rate,supply_date,delivery_place,sent_date,kind\n\
         FT-1,IT01,2024-05-16,EUR,Net 30,Consulenza,1,10000.00,0,2024-05-16,Milano,2024-05-16,invoice\n\
         FT-2,IT01,2024-03-02,EUR,Net 30,Consulenza,1,10000.00,0,2024-03-02,Milano,2024-03-02,invoice\n\
         FT-3,IT01,2024-01-01,EUR,30/60/90,Forniture,1,3000.00,0,2024-01-01,Milano,2024-01-01,invoice\n",
    );
    let payments = books.write(
        "p.csv",
        "reference,customer,date,amount,currency,method,invoice\n\
         B-1,IT01,2024-07-15,10000.00,EUR,transfer,FT-1\n\
         B-2,IT01,2024-04-02,10000.00,EUR,transfer,FT-2\n",
    );
    for (kind, file) in [("customers", customers), ("invoices", invoices), ("payments", payments)] {
        books.ok(&["import", kind, &file]);
    }
    books
}

#[test]
fn interest_is_shown_day_range_by_day_range_to_the_cent() {
    let books = italian_books();
    let out = books.ok(&["interest", "FT-1", "--as-of", "2024-09-01"]);
    assert!(out.contains("2024-06-16  2024-06-30    15     10000.00  12.50 %     51.37"), "{out}");
    assert!(out.contains("2024-07-01  2024-07-15    15     10000.00  12.25 %     50.34"), "{out}");
    assert!(out.contains("EUR 101.71") && out.contains("recovery costs: EUR 40.00"), "{out}");
    let easter = books.ok(&["interest", "FT-2", "--as-of", "2024-09-01"]);
    assert!(easter.contains("moved to 2024-04-02") && easter.contains("No day bears interest"), "{easter}");
    let contract = books.ok(&["interest", "FT-3", "--as-of", "2024-03-05", "--regime", "1.5%/month cap 10%"]);
    assert!(contract.contains("capped at 10.00 %") && contract.contains("EUR 10.41"), "{contract}");
    assert!(!contract.contains("recovery costs"), "no compensation under a contractual rate: {contract}");
}

#[test]
fn the_customers_contract_chooses_the_italian_margin() {
    let books = italian_books();
    // ECB 4.50 % in 2024 H1: + 8 points by default, + 7 for a contract before 2013, + 12 agri-food
    books.ok(&["customer", "set", "IT01", "contract_date=2012-05-10"]);
    assert!(books.ok(&["show", "customer", "IT01"]).contains("Contract concluded: 2012-05-10"));
    let old = books.ok(&["interest", "FT-1", "--as-of", "2024-09-01"]);
    assert!(old.contains("contract before 2013") && old.contains("11.50 %"), "{old}");
    books.ok(&["customer", "set", "IT01", "agri_food=yes"]);
    let food = books.ok(&["interest", "FT-1", "--as-of", "2024-09-01"]);
    assert!(food.contains("agri-food") && food.contains("16.50 %"), "{food}");
    let bad = books.run(&["customer", "set", "IT01", "agri_food=maybe"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("say yes or no"), "{}", bad.stderr);
}

#[test]
fn interest_over_a_half_year_without_a_verified_rate_is_refused_until_the_user_adds_it() {
    let books = italian_books();
    let run = books.run(&["interest", "FT-3", "--as-of", "2026-11-23"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("no verified ecb_mro rate for 2026 H2 (2026-07-01 to 2026-12-31)"), "{}", run.stderr);
    let rates = books.write("rates.csv", "reference,from,to,rate_percent\necb_mro,2026-07-01,2026-12-31,2.15\n");
    let out = books.ok(&["--rates", &rates, "interest", "FT-3", "--as-of", "2026-11-23"]);
    assert!(out.contains("2026-07-01  2026-11-23   146      3000.00  10.15 %    121.80"), "{out}");
    let bad = books.write("bad.csv", "ecb_mro,2026-07-01,2026-12-30,2.15\n");
    let run = books.run(&["--rates", &bad, "rates"]);
    assert!(
        run.stderr.contains("bad.csv, line 1: the period 2026-07-01 to 2026-12-30 is not whole half-years"),
        "{}",
        run.stderr
    );
}

#[test]
fn charges_and_waivers_are_recorded_once_and_shown() {
    let books = italian_books();
    let out = books.ok(&["interest", "FT-3", "--as-of", "2024-06-30", "--charge", "--by", "ana"]);
    assert!(out.contains("EUR 123.63") && out.contains("Interest recorded as charged."), "{out}");
    let again = books.ok(&["interest", "FT-3", "--as-of", "2024-06-30", "--charge", "--by", "ana"]);
    assert!(again.contains("Compensation was already recorded."), "{again}");
    books.ok(&["waive", "FT-3", "compensation", "--reason", "buon cliente", "--as-of", "2024-07-01", "--by", "ana"]);
    let shown = books.ok(&["interest", "FT-3", "--as-of", "2024-07-01"]);
    // recorded on the day it was waived (today), not on the day the figures are for
    let today = chrono::Utc::now().date_naive();
    let recorded = |day: chrono::NaiveDate| format!("waived compensation: EUR 40.00, on {day} by ana — buon cliente");
    let near = [today.pred_opt().unwrap(), today, today.succ_opt().unwrap()];
    assert!(near.iter().any(|day| shown.contains(&recorded(*day))), "{shown}");
    assert!(shown.contains("charged interest: EUR 123.63 to 2024-06-30"), "{shown}");
    let timeline = books.ok(&["timeline", "IT01"]);
    assert!(timeline.contains("Invoice FT-3: EUR 40.00 compensation waived by ana (buon cliente)"), "{timeline}");
    let run = books.run(&["waive", "FT-1", "fee", "--step", "first_reminder", "--reason", "x"]);
    assert!(run.stderr.contains("no late fee for step \"first_reminder\""), "{}", run.stderr);
}

#[test]
fn spanish_terms_beyond_sixty_days_from_delivery_are_flagged_at_import() {
    let books = Books::initialised();
    let invoices = books.write(
        "long.csv",
        "number,customer,issue_date,currency,terms,description,quantity,unit_price,tax_rate,supply_date,delivery_place,sent_date,kind\n\
         L-1,C001,2026-03-02,EUR,Net 90,Tornillos,1,100.00,21,2026-03-02,Madrid,2026-03-02,invoice\n\
         L-2,C001,2026-03-02,EUR,Net 60,Tornillos,1,100.00,21,2026-03-02,Madrid,2026-03-02,invoice\n",
    );
    let out = books.ok(&["import", "invoices", &invoices]);
    assert!(out.contains("2 created"), "{out}");
    assert!(
        out.contains("warning: long.csv, line 2, invoice L-1: due 2026-05-31 is 90 days after delivery on 2026-03-02: Spanish law allows at most 60 days"),
        "{out}"
    );
    assert!(!out.contains("L-2"), "60 days is lawful: {out}");
}

#[test]
fn a_bank_export_pays_what_it_quotes_and_leaves_the_doubtful_for_review() {
    let books = Books::initialised();
    let export = books.write(
        "movimientos.csv",
        "Fecha;Importe;Ordenante;Concepto\n\
         10/11/2026;1.148,90;FERRETERIA HERMANOS RUIZ SL;Pago F2026-0009\n\
         11/11/2026;2.090,88;;transferencia\n\
         12/11/2026;-45,00;;comisión mantenimiento\n",
    );
    let map = "date=Fecha,amount=Importe,name=Ordenante,remittance=Concepto,default_currency=EUR,\
               date_format=%d/%m/%Y,decimal_comma=true,delimiter=;";
    let args = ["import-bank", export.as_str(), "--account", "ES9121000418450200051332", "--map", map];
    let first = books.ok(&args);
    assert!(first.contains("3 new lines, 0 already imported, 0 rejected; 1 payment recorded, 1 to review"), "{first}");
    let again = books.ok(&args);
    assert!(again.contains("0 new lines, 3 already imported"), "{again}");
    std::fs::copy(books.dir.path().join("movimientos.csv"), books.dir.path().join("movimientos (1).csv")).unwrap();
    let renamed =
        books.ok(&["import-bank", "movimientos (1).csv", "--account", "ES9121000418450200051332", "--map", map]);
    assert!(renamed.contains("0 new lines, 3 already imported"), "the same export downloaded twice:\n{renamed}");
    let open = books.ok(&["invoices", "--open"]);
    assert!(!open.contains("F2026-0009"), "paid by the quoted reference:\n{open}");
    let review = books.ok(&["matches"]);
    assert!(review.contains("EUR 2090.88") && review.contains("C002: F2026-0010 2090.88"), "{review}");
    let id = review.trim_start_matches('#').split_whitespace().next().unwrap().to_owned();
    let accepted = books.ok(&["matches", "accept", &id, "--by", "lucia"]);
    assert!(accepted.contains("F2026-0010 2090.88"), "{accepted}");
    assert!(!books.ok(&["invoices", "--open"]).contains("F2026-0010"));
    assert!(books.ok(&["matches"]).contains("No bank lines wait"));
    let twice = books.run(&["matches", "accept", &id]);
    assert_eq!(twice.code, 2);
    assert!(twice.stderr.contains("only lines waiting for review"), "{}", twice.stderr);
}

#[test]
fn a_real_camt053_statement_is_imported_once_and_a_hostile_one_refused() {
    let books = Books::initialised();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/bank/camt053/genkgo-camt__camt053.v4.xml");
    let fixture = fixture.to_str().unwrap();
    let first = books.ok(&["import-bank", fixture]);
    assert!(first.contains("(camt.053.001.04): 1 new line,"), "{first}");
    assert!(books.ok(&["import-bank", fixture]).contains("0 new lines, 1 already imported"));
    let hostile = books.write("evil.xml", "<!DOCTYPE x [<!ENTITY a \"a\">]><Document>&a;</Document>");
    let refused = books.run(&["import-bank", &hostile]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("evil.xml was not imported") && refused.stderr.contains("DTD"),
        "{}",
        refused.stderr
    );
}

#[test]
fn aging_open_items_and_an_agency_case_file_are_exported() {
    let books = Books::initialised();
    let aging = books.ok(&["export", "aging", "--as-of", "2026-11-29"]);
    assert!(aging.starts_with("customer,name,currency,current,1-30,31-60,61-90,90+,total,credit,net\n"), "{aging}");
    assert!(
        aging.contains("C003,Tessili Bianchi S.r.l.,EUR,1668.96,1574.40,0.00,0.00,0.00,3243.36,0.00,3243.36\n"),
        "{aging}"
    );
    // Ri.Ba. 30/60/90: each instalment in the bucket of its own due date
    assert!(
        aging.contains("C004,Cantine Rossi S.p.A.,EUR,3025.60,3025.60,3025.60,0.00,0.00,9076.80,0.00,9076.80\n"),
        "{aging}"
    );
    // a customer who paid too much holds a credit: the aging says so, beside what is owed
    books.ok(&["pay", "F2026-0001", "5000.00", "--date", "2026-11-28"]);
    let aging_after = books.ok(&["export", "aging", "--as-of", "2026-11-29"]);
    assert!(
        aging_after.contains("C001,Ferretería Hermanos Ruiz S.L.,EUR,0.00,0.00,0.00,0.00,0.00,0.00,3851.10,-3851.10\n"),
        "{aging_after}"
    );
    let items = books.ok(&["export", "open-items", "--customer", "C003", "--as-of", "2026-11-29"]);
    assert!(items.contains(
        "F2026-0003,C003,Tessili Bianchi S.r.l.,invoice,2026-09-05,2026-10-31,29,30 EOM,EUR,3074.40,1574.40"
    ));
    let rates = books.write("rates.csv", "reference,from,to,rate_percent\necb_mro,2026-07-01,2026-12-31,2.15\n");
    books.ok(&["letterhead", "tax_id=B12345678", "iban=ES9121000418450200051332"]);
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_overdue"))
            .args(args)
            .current_dir(books.dir.path())
            .env("OVERDUE_RATES", &rates)
            .env_remove("OVERDUE_DATABASE_URL")
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
    };
    assert_eq!(run(&["export", "case", "C003", "--as-of", "2026-11-29", "--out", "case"]).0, Some(0));
    let case: serde_json::Value =
        serde_json::from_slice(&std::fs::read(books.dir.path().join("case/case.json")).unwrap()).unwrap();
    assert_eq!(case["debtor"]["code"], "C003");
    assert_eq!(
        (case["creditor"]["tax_id"].as_str(), case["creditor"]["iban"].as_str()),
        (Some("B12345678"), Some("ES91 2100 0418 4502 0005 1332"))
    );
    assert_eq!(case["invoices"][0]["number"], "F2026-0003");
    assert_eq!(case["invoices"][0]["payments"][0]["amount"], "1500.00");
    // 1574.40 outstanding from 2026-11-01 to 2026-11-29 (29 days) at 2.15 + 8 = 10.15 %: 12.70
    assert_eq!(case["invoices"][0]["interest"]["interest"], "12.70", "{}", case["invoices"][0]["interest"]);
    assert_eq!(case["totals"][0]["compensation"], "40.00");
    assert!(case["history"].as_array().unwrap().iter().any(|e| e["kind"] == "payment"));
    assert!(books.dir.path().join("case/invoices.csv").exists());
    let (code, stderr) = run(&["export", "case", "C003", "--out", "case"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("already exists"), "{stderr}");
}

fn einvoice_fixture(path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/einvoice").join(path);
    file.to_str().unwrap().to_owned()
}

#[test]
fn e_invoices_bring_their_customers_once_and_keep_their_original_files() {
    let books = Books::initialised();
    let files = [
        einvoice_fixture("fatturapa/IT01234567890_FPA01.xml"),
        einvoice_fixture("facturae/omeuid-viewer__Facturae-3.2.2-valid.xml"),
    ];
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let first = books.ok(&args);
    assert!(
        first.contains("(FatturaPA): 1 invoices created, 0 unchanged, 0 rejected; 0 new customers"),
        "the buyer IT09876543210 is C004 already:\n{first}"
    );
    assert!(
        first.contains("(Facturae): 1 invoices created, 0 unchanged, 0 rejected; 1 new customers (ESB12345674)"),
        "{first}"
    );
    // with no tax id on the letterhead, nothing says these are ours: said for each, not silently taken
    assert!(first.contains("the letterhead has no tax id, so overdue cannot check this invoice is yours"), "{first}");
    let again = books.ok(&args);
    assert!(again.contains("0 invoices created, 1 unchanged") && !again.contains("new customers ("), "{again}");
    let invoice = books.ok(&["show", "invoice", "A1"]);
    assert!(invoice.contains("66.03"), "{invoice}");
    books.ok(&["export", "case", "ESB12345674", "--as-of", "2026-11-29", "--out", "case"]);
    let kept = std::fs::read_dir(books.dir.path().join("case/documents")).unwrap().count();
    assert_eq!(kept, 1, "the original Facturae file travels with the case");
    let broken =
        books.write("broken.xml", "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><cbc:ID");
    let refused = books.run(&["import", &broken]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("broken.xml was not imported"), "{}", refused.stderr);
    let unknown = books.write("notes.csv", "foo,bar\n1,2\n");
    assert!(books.run(&["import", &unknown]).stderr.contains("does not say what it holds"));
}

#[test]
fn a_final_demand_prints_as_a_pdf_letter_with_the_interest_table_and_deadline() {
    let books = Books::initialised();
    books.ok(&[
        "letterhead",
        "address=Calle Mayor 1, 28013 Madrid",
        "tax_id=B12345678",
        "iban=ES9121000418450200051332",
    ]);
    let policy = r#"{"default_policy":"demand","policies":[{"name":"demand","steps":[{"name":"demand","anchor":"due_date",
        "offset_days":1,"channel":"final_demand","tone":"final","template":"final_demand"}]}]}"#;
    let policy = books.write("policy.json", policy);
    books.ok(&["policy", "load", &policy]);
    books.ok(&["run", "--as-of", "2026-11-27", "-q"]);
    let today = books.ok(&["today", "--as-of", "2026-11-27", "--limit", "0"]);
    let letters = today.split("Messages and letters").nth(1).unwrap();
    let line = letters.lines().find(|l| l.contains(" C003 — ")).unwrap();
    let action = line.trim().trim_start_matches('#').split_whitespace().next().unwrap().to_owned();
    let rates = books.write("rates.csv", "reference,from,to,rate_percent\necb_mro,2026-07-01,2026-12-31,2.15\n");
    let output = Command::new(env!("CARGO_BIN_EXE_overdue"))
        .args(["letter", &action, "--out", "demand.pdf", "--as-of", "2026-11-29"])
        .current_dir(books.dir.path())
        .env("OVERDUE_RATES", &rates)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = Command::new("pdftotext")
        .args(["-layout", "demand.pdf", "-"])
        .current_dir(books.dir.path())
        .output()
        .expect("pdftotext (poppler-utils) must be installed: scripts/test installs it");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Acme S.L.") && text.contains("B12345678"), "letterhead:\n{text}");
    assert!(text.contains("Tessili Bianchi S.r.l."), "{text}");
    // the recipient block as a letter sets it, one part a line; the heading is the letter's own
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert!(lines.contains(&"Via Roma 8") && lines.contains(&"20121 Milano"), "{text}");
    assert!(!text.contains("Sollecito di pagamento e messa in mora:"), "no e-mail subject as its title:\n{text}");
    assert!(text.contains("Acme S.L. — 1 / 2") && text.contains("Acme S.L. — 2 / 2"), "numbered:\n{text}");
    assert!(text.contains("F2026-0003") && text.contains("1.574,40 €"), "{text}");
    assert!(text.contains("12,70 €") && text.contains("40,00 €") && text.contains("1.627,10 €"), "claim:\n{text}");
    assert!(text.contains("10,15 %"), "the rate of the interest table:\n{text}");
    assert!(text.contains("09/12/2026"), "ten days to pay (Spain):\n{text}");
    assert!(text.contains("ES91 2100 0418 4502 0005 1332"), "{text}");
    // the letter's EPC QR code asks for the total it claims, for its invoice, into the IBAN
    let codes: Vec<String> = overdue_testkit::qr_codes_in_pdf(&books.dir.path().join("demand.pdf")).concat();
    assert_eq!(codes.len(), 1, "one code: {codes:?}");
    let fields: Vec<&str> = codes[0].split('\n').collect();
    assert_eq!(&fields[..4], ["BCD", "002", "1", "SCT"], "{codes:?}");
    assert_eq!((fields[5], fields[6], fields[7]), ("Acme S.L.", "ES9121000418450200051332", "EUR1627.1"), "{codes:?}");
    assert_eq!(fields[9], overdue_core::creditor_reference::for_invoice("F2026-0003").unwrap(), "{codes:?}");
}

#[test]
fn a_statement_of_account_runs_from_the_opening_balance_to_the_closing_one_in_the_customers_language() {
    let books = Books::initialised();
    books.ok(&["letterhead", "iban=ES9121000418450200051332"]);
    books.ok(&["pay", "F2026-0009", "1200.00", "--date", "2026-11-20", "--reference", "TRF-77"]);
    let november = books.ok(&["statement", "C001", "--from", "2026-09-01", "--to", "2026-11-30"]);
    let table: Vec<&str> = november.lines().filter(|l| l.starts_with("  ") && l.contains("/20")).collect();
    let cells = |line: &str| line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" | ");
    assert_eq!(
        table.iter().map(|l| cells(l)).collect::<Vec<_>>(),
        [
            "01/09/2026 | Saldo anterior | 949,85",
            "02/09/2026 | Cobro BBVA-20260902-0041 | 949,85 | 0,00",
            "28/10/2026 | Factura F2026-0009 | 1.148,90 | 1.148,90",
            "20/11/2026 | Cobro TRF-77 | 1.200,00 | -51,10",
            "30/11/2026 | Saldo | -51,10",
        ],
        "{november}"
    );
    assert!(
        november.contains("El saldo en EUR es a su favor") && november.contains("no tiene nada pendiente"),
        "{november}"
    );
    assert!(!november.contains("Formas de pago") && !november.contains("referencia \n"), "nothing to pay: {november}");
    // a period before anything happened still shows its balance, at zero
    let before = books.ok(&["statement", "C001", "--from", "2020-01-01", "--to", "2020-01-31"]);
    assert!(before.contains("Saldo anterior") && before.matches("0,00").count() >= 2, "{before}");
    // the money taken back today is owed again; the letter's code asks for the balance it closes on
    books.ok(&["unpay", "TRF-77", "--reason", "devuelto por el banco"]);
    books.ok(&["statement", "C001", "--from", "2026-11-01", "--pdf", "statement.pdf"]);
    let text = Command::new("pdftotext")
        .args(["-layout", "statement.pdf", "-"])
        .current_dir(books.dir.path())
        .output()
        .expect("pdftotext (poppler-utils) must be installed: scripts/test installs it");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Extracto de cuenta del 01/11/2026") && text.contains("Devolución TRF-77"), "{text}");
    assert!(text.contains("Factura n.º F2026-0009") && text.contains("1.148,90 €"), "open at its end:\n{text}");
    let codes: Vec<String> = overdue_testkit::qr_codes_in_pdf(&books.dir.path().join("statement.pdf")).concat();
    let fields: Vec<&str> = codes.first().map(|c| c.split('\n').collect()).unwrap_or_default();
    assert_eq!(fields.get(7), Some(&"EUR1148.9"), "{codes:?}");
    // a disputed invoice is listed as such, and the code asks for nothing of it
    books.ok(&["dispute", "open", "F2026-0009", "--reason", "disputed_quality", "--note", "rotas"]);
    books.ok(&["statement", "C001", "--from", "2026-11-01", "--pdf", "disputed.pdf"]);
    let text = Command::new("pdftotext").args(["-layout", "disputed.pdf", "-"]).current_dir(books.dir.path()).output();
    let text = String::from_utf8_lossy(&text.expect("pdftotext").stdout).into_owned();
    assert!(text.contains("en disputa: no se reclama hasta resolverla"), "{text}");
    assert!(overdue_testkit::qr_codes_in_pdf(&books.dir.path().join("disputed.pdf")).concat().is_empty(), "{text}");
    let backwards = books.run(&["statement", "C001", "--from", "2026-11-30", "--to", "2026-11-01"]);
    assert_eq!(backwards.code, 2, "{}", backwards.stderr);
    assert!(backwards.stderr.contains("ends on 2026-11-01, before it begins on 2026-11-30"), "{}", backwards.stderr);
    assert_eq!(books.run(&["statement", "NOPE"]).code, 2);
    // sent by e-mail through the outbox, once a day
    assert!(books.ok(&["statement", "C001", "--send"]).contains("Queued"));
    assert!(books.ok(&["statement", "C001", "--send"]).contains("already queued"));
    let outbox = books.ok(&["send", "--dry-run"]);
    assert!(
        outbox.contains("Extracto de cuenta") && outbox.contains("administracion@ferreteriaruiz.example"),
        "{outbox}"
    );
}

#[test]
fn a_payment_plan_pauses_the_chasing_while_kept_and_a_missed_instalment_breaks_it_for_good() {
    let books = Books::initialised();
    let plan = [
        "plan",
        "create",
        "C003",
        "--invoice",
        "F2026-0003",
        "--instalment",
        "2026-11-10=574.40",
        "--instalment",
        "2026-11-20=1000.00",
        "--on",
        "2026-11-02",
    ];
    assert!(books.ok(&plan).contains("Payment plan 1 agreed for C003: EUR 1574.40 (F2026-0003)."));
    let twice = books.run(&plan);
    assert_eq!(twice.code, 2, "one plan at a time per invoice");
    assert!(twice.stderr.contains("F2026-0003 is in payment plan 1 already"), "{}", twice.stderr);
    let wrong = books.run(&[
        "plan",
        "create",
        "C001",
        "--instalment",
        "2026-11-30=500",
        "--instalment",
        "2026-12-30=100",
        "--on",
        "2026-11-28",
    ]);
    assert!(wrong.stderr.contains("add up to EUR 600.00, not the EUR 1148.90 owed"), "{}", wrong.stderr);
    // one payment on one day is a promise; a first instalment months away is no plan
    let single = books.run(&["plan", "create", "C001", "--split", "1", "--first", "2026-12-15", "--on", "2026-11-28"]);
    assert!(
        single.stderr.contains("2 to 36 instalments, not 1") && single.stderr.contains("promise"),
        "{}",
        single.stderr
    );
    let far = books.run(&["plan", "create", "C001", "--split", "3", "--first", "2028-01-15", "--on", "2026-11-28"]);
    assert!(far.stderr.contains("more than 92 days after the day the plan is agreed"), "{}", far.stderr);
    let past = books.run(&["plan", "create", "C001", "--split", "3", "--first", "2026-11-01", "--on", "2026-11-28"]);
    assert!(
        past.stderr.contains("falls on 2026-11-01, before the day the plan is agreed (2026-11-28)"),
        "{}",
        past.stderr
    );
    books.ok(&["pay", "F2026-0003", "574.40", "--date", "2026-11-09", "--reference", "TRF-1"]);
    // kept: F2026-0003 is not chased; the next instalment is reminded in the days before its date
    books.ok(&["run", "--as-of", "2026-11-17", "-q"]);
    let today = books.ok(&["today", "--as-of", "2026-11-17", "--limit", "0"]);
    assert!(today.contains("the instalment of EUR 1000.00 falls due on 2026-11-20"), "{today}");
    assert!(!today.contains("F2026-0003 (EUR"), "not chased while kept: {today}");
    let messages = today.split("Messages and letters").nth(1).unwrap();
    let line = messages.lines().find(|l| l.contains(" C003 — ")).unwrap();
    let id = line.trim().trim_start_matches('#').split_whitespace().next().unwrap().to_owned();
    let message = books.ok(&["preview", &id, "--as-of", "2026-11-17"]);
    assert!(message.contains("Piano di rientro: rata di 1.000,00 € in scadenza il 20/11/2026"), "{message}");
    assert!(message.contains("10/11/2026: 574,40 € — pagata, grazie"), "{message}");
    let shown = books.ok(&["plan", "show", "C003", "--as-of", "2026-11-17"]);
    assert!(
        shown.contains("kept; next instalment EUR 1000.00 on 2026-11-20") && shown.contains("EUR 574.40  paid"),
        "{shown}"
    );
    // 2026-11-20 passed with 3 days of grace: broken, one call, and the ladder resumes firmer
    books.ok(&["run", "--as-of", "2026-11-24", "-q"]);
    let broken = books.ok(&["today", "--as-of", "2026-11-24", "--limit", "0"]);
    let follow_up = broken.split("Broken promises and payment plans").nth(1).unwrap_or_default();
    assert!(follow_up.contains("missed the instalment of EUR 1000.00 due on 2026-11-20"), "{broken}");
    assert!(broken.contains("F2026-0003 (EUR 1000.00, 24 days overdue) reaches step \"first_reminder\""), "{broken}");
    assert!(broken.lines().any(|l| l.contains(" C003 — ") && l.contains("(firm)")), "{broken}");
    // the reminder of an instalment of a broken plan is withdrawn, not sent
    let later = books.ok(&["preview", &id, "--as-of", "2026-11-24"]);
    assert!(later.contains("withdrawn") && later.contains("payment plan 1"), "{later}");
    let again = books.ok(&["run", "--as-of", "2026-11-25", "-q"]);
    assert!(again.contains(", 0 new"), "broken once, called once: {again}");
    let shown = books.ok(&["plan", "show", "C003", "--as-of", "2026-11-30"]);
    assert!(shown.contains("BROKEN: the instalment of EUR 1000.00 due on 2026-11-20 was missed"), "{shown}");
    let cancelled = books.ok(&["plan", "cancel", "1", "--reason", "renegotiated by phone"]);
    assert!(cancelled.contains("Payment plan 1 of C003 cancelled"), "{cancelled}");
    assert_eq!(books.run(&["plan", "cancel", "1", "--reason", "again"]).code, 2, "cancelled once");
    let timeline = books.ok(&["timeline", "C003"]);
    assert!(
        timeline.contains("Payment plan 1 agreed: EUR 1574.40 in 2 instalment(s), 2026-11-10 to 2026-11-20"),
        "{timeline}"
    );
    assert!(timeline.contains("Payment plan 1 cancelled: renegotiated by phone"), "{timeline}");
}

#[test]
fn an_invoice_without_a_document_of_its_own_prints_with_its_terms_due_dates_and_payment_options() {
    let books = Books::initialised();
    books.ok(&["letterhead", "iban=ES9121000418450200051332", "tax_id=B12345678"]);
    books.ok(&["letter", "--invoice", "F2026-0004", "--out", "invoice.pdf"]);
    let text =
        Command::new("pdftotext").args(["-layout", "invoice.pdf", "-"]).current_dir(books.dir.path()).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("FATTURA n. F2026-0004 del 15/09/2026"), "in the customer's language:\n{text}");
    assert!(text.contains("Bottiglie 75 cl (pallet): 6 x 1.240,00 €, IVA 22,00 % = 7.440,00 €"), "{text}");
    assert!(text.contains("9.076,80 €") && text.contains("Luogo di consegna: Corso Italia 3, Firenze"), "{text}");
    assert!(
        text.contains("Scadenza 15/10/2026: 3.025,60 €") && text.contains("Scadenza 14/12/2026: 3.025,60 €"),
        "{text}"
    );
    assert!(text.contains("30, 60 e 90 gg"), "the terms in words:\n{text}");
    assert!(text.contains("IBAN ES91 2100 0418 4502 0005 1332"), "{text}");
    // its EPC QR code asks for what is open on it
    let codes: Vec<String> = overdue_testkit::qr_codes_in_pdf(&books.dir.path().join("invoice.pdf")).concat();
    let fields: Vec<&str> = codes.first().map(|c| c.split('\n').collect()).unwrap_or_default();
    assert_eq!(fields.get(7), Some(&"EUR9076.8"), "{codes:?}");
    assert_eq!(books.run(&["letter", "--invoice", "NOPE", "--out", "x.pdf"]).code, 2);
}

#[test]
fn a_signed_fatturapa_p7m_is_opened_and_imported_like_the_xml() {
    let books = Books::initialised();
    let openssl = |args: &[&str]| {
        let status = Command::new("openssl")
            .args(args)
            .current_dir(books.dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "openssl {args:?}");
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Cedente",
    ]);
    let xml = einvoice_fixture("fatturapa/IT01234567890_FPA01.xml");
    openssl(&[
        "cms",
        "-sign",
        "-nodetach",
        "-binary",
        "-in",
        &xml,
        "-signer",
        "cert.pem",
        "-inkey",
        "key.pem",
        "-outform",
        "DER",
        "-out",
        "IT01234567890_FPA01.xml.p7m",
    ]);
    openssl(&[
        "cms",
        "-sign",
        "-nodetach",
        "-binary",
        "-in",
        &xml,
        "-signer",
        "cert.pem",
        "-inkey",
        "key.pem",
        "-outform",
        "PEM",
        "-out",
        "base64.p7m",
    ]);
    let first = books.ok(&["import", "IT01234567890_FPA01.xml.p7m"]);
    assert!(first.contains("(FatturaPA): 1 invoices created"), "{first}");
    let again = books.ok(&["import", "base64.p7m", &xml]);
    assert_eq!(
        again.matches("0 invoices created, 1 unchanged").count(),
        2,
        "the same invoice, signed or not:\n{again}"
    );
    let broken = books.write("broken.p7m", "MIIBroken");
    let refused = books.run(&["import", &broken]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("broken.p7m was not imported"), "{}", refused.stderr);
}

#[test]
fn an_e_invoice_issued_by_someone_else_is_refused_once_the_letterhead_says_who_we_are() {
    let books = Books::initialised();
    books.ok(&["letterhead", "tax_id=IT 01234567890"]);
    let fattura = einvoice_fixture("fatturapa/IT01234567890_FPA01.xml");
    let facturae = einvoice_fixture("facturae/omeuid-viewer__Facturae-3.2.2-valid.xml");
    let run = books.run(&["import", &fattura, &facturae]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("(FatturaPA): 1 invoices created"), "ours (IT01234567890):\n{}", run.stdout);
    assert!(run.stdout.contains("only your own invoices are followed up"), "{}", run.stdout);
    assert!(!run.stdout.contains("the letterhead has no tax id"), "{}", run.stdout);
    assert!(books.run(&["show", "invoice", "A1"]).code != 0, "nothing of the other seller's was imported");
    books.ok(&["run", "--as-of", "2026-11-27", "-q"]);
    let today = books.ok(&["today", "--as-of", "2026-11-27", "--limit", "0"]);
    assert!(
        today.contains("Cantine Rossi") && !today.contains("send 123"),
        "an e-invoice was delivered when issued:\n{today}"
    );
}

#[test]
fn a_reminder_for_instalments_asks_for_what_is_due_not_what_is_still_to_come() {
    let books = Books::initialised();
    books.ok(&["run", "--as-of", "2026-11-27", "-q"]);
    let today = books.ok(&["today", "--as-of", "2026-11-27", "--limit", "0"]);
    let letters = today.split("Messages and letters").nth(1).unwrap();
    let line = letters.lines().find(|l| l.contains(" C004 — ") && l.contains("(friendly)")).unwrap();
    let action = line.trim().trim_start_matches('#').split_whitespace().next().unwrap().to_owned();
    let preview = books.ok(&["preview", &action, "--as-of", "2026-11-27"]);
    // 9,076.80 in three instalments of 3,025.60 due 15/10, 14/11 and 14/12: two are due
    assert!(preview.contains("6.051,20 €") && !preview.contains("9.076,80 € "), "{preview}");
    // each instalment due as late as its own date, not both as late as the first
    assert!(
        preview.contains("15/10/2026: 3.025,60 € (43 días de retraso)")
            || preview.contains("15/10/2026: 3.025,60 € (scaduta da 43 giorni)"),
        "{preview}"
    );
    assert!(preview.contains("14/11/2026: 3.025,60 € (scaduta da 13 giorni)"), "{preview}");
}

#[test]
fn planning_a_day_off_says_so_and_names_the_day_that_catches_up() {
    let books = Books::initialised();
    let saturday = books.ok(&["run", "--as-of", "2026-12-05", "-q"]);
    assert!(
        saturday.contains("2026-12-05 is not a working day") && saturday.contains("2026-12-07 catches up"),
        "{saturday}"
    );
    let monday = books.ok(&["run", "--as-of", "2026-12-07", "-q"]);
    assert!(!monday.contains("not a working day"), "{monday}");
}

#[test]
fn a_bank_csv_needs_its_account_and_lines_booked_after_today_are_refused() {
    let books = Books::initialised();
    let export =
        books.write("banco.csv", "date,amount,currency,remittance\n2026-11-10,10.00,EUR,a\n2999-01-01,20.00,EUR,b\n");
    let anonymous = books.run(&["import-bank", &export]);
    assert_eq!(anonymous.code, 2);
    assert!(anonymous.stderr.contains("--account"), "{}", anonymous.stderr);
    let future = books.run(&["import-bank", &export, "--account", "ES9121000418450200051332"]);
    assert_eq!(future.code, 1, "imported with a line refused");
    assert!(future.stdout.contains("1 new line, 0 already imported, 1 rejected"), "{}", future.stdout);
    assert!(future.stdout.contains("booked on 2999-01-01, after today"), "{}", future.stdout);
    // one unreadable file among several leaves the others to be imported
    let pdf = books.write("extracto.pdf", "%PDF-1.4 …");
    let both = books.run(&["import-bank", &pdf, &export, "--account", "ES9121000418450200051332"]);
    assert_eq!(both.code, 1);
    assert!(both.stderr.contains("extracto.pdf was not imported") && both.stderr.contains("PDF"), "{}", both.stderr);
    assert!(both.stdout.contains("banco.csv (CSV): 0 new lines, 1 already imported"), "{}", both.stdout);
}

#[test]
fn a_spreadsheet_export_of_invoices_payments_and_disputes_imports_with_one_map_each() {
    let books = Books::new();
    books.ok(&["init", "--name", "Acme Inc", "--country", "GB", "--currency", "GBP"]);
    let customers = books.write("clients.csv", "Client ID;Company;Country;Curr\nK1;Kestrel Ltd;GB;GBP\n");
    books.ok(&[
        "import",
        "customers",
        &customers,
        "--map",
        "code=Client ID,name=Company,country=Country,currency=Curr,delimiter=;",
    ]);
    // US dates, its own due date (it wins over the terms' 14 April), amounts with grouping commas
    let invoices = books.write(
        "invoices.csv",
        "Invoice #,Client,Date,Due,Curr,Terms,Item,Amount\nINV-7,K1,03/15/2026,04/30/2026,GBP,Net 30,Consulting,\"1,250.00\"\n",
    );
    let map = "number=Invoice #,customer=Client,issue_date=Date,due_date=Due,currency=Curr,terms=Terms,\
               description=Item,unit_price=Amount,date_format=%m/%d/%Y";
    books.ok(&["import", "invoices", &invoices, "--map", map]);
    let open = books.ok(&["invoices", "--open"]);
    assert!(open.contains("INV-7") && open.contains("2026-04-30") && open.contains("GBP 1250.00"), "{open}");
    let payments = books.write("paid.csv", "Ref,Client,Paid on,Sum,Curr\nP-1,K1,03/31/2026,\"250.00\",GBP\n");
    books.ok(&[
        "import",
        "payments",
        &payments,
        "--map",
        "reference=Ref,customer=Client,date=Paid on,amount=Sum,currency=Curr,date_format=%m/%d/%Y",
    ]);
    let disputes = books.write(
        "disputes.csv",
        "Invoice,Why,Opened,Note\nINV-7,price,03/20/2026,wrong rate\nINV-99,quality,03/21/2026,\n",
    );
    let map = "invoice=Invoice,reason=Why,opened_on=Opened,note=Note,date_format=%m/%d/%Y";
    let first = books.run(&["import", "disputes", &disputes, "--map", map]);
    assert_eq!(first.code, 1);
    assert!(first.stdout.contains("1 created") && first.stdout.contains("no invoice \"INV-99\""), "{}", first.stdout);
    let again = books.run(&["import", "disputes", &disputes, "--map", map]);
    assert!(again.stdout.contains("0 created, 0 updated, 1 unchanged"), "imported once:\n{}", again.stdout);
    let timeline = books.ok(&["timeline", "K1"]);
    assert!(timeline.contains("Dispute opened on INV-7 (disputed price): wrong rate"), "{timeline}");
    // the dispute shows the customer had the invoice: it is not sent again as new
    let shown = books.ok(&["show", "invoice", "INV-7"]);
    assert!(shown.contains("Sent 2026-03-20"), "{shown}");
    let bad = books.run(&["import", "disputes", &disputes, "--map", "invoice=Invoice,why=Why"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("\"why\" is not a column"), "{}", bad.stderr);
    // a two-digit year read by a four-digit format is refused, not booked in the year 26
    let short = books
        .write("short.csv", "Invoice #,Client,Date,Curr,Terms,Item,Amount\nINV-8,K1,03/15/26,GBP,Net 30,Fee,10.00\n");
    let map = "number=Invoice #,customer=Client,issue_date=Date,currency=Curr,terms=Terms,description=Item,\
               unit_price=Amount,date_format=%m/%d/%Y";
    let refused = books.run(&["import", "invoices", &short, "--map", map]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("line 2") && refused.stderr.contains("year 26"), "{}", refused.stderr);
    assert!(!books.ok(&["invoices"]).contains("INV-8"));
    // day and month the other way round: the dates that do read are not taken either
    let swapped = books.write(
        "swapped.csv",
        "Invoice #,Client,Date,Curr,Terms,Item,Amount\nINV-10,K1,05/10/2026,GBP,Net 30,Fee,10.00\n\
         INV-11,K1,10/25/2026,GBP,Net 30,Fee,10.00\n",
    );
    let map = map.replace("%m/%d/%Y", "%d/%m/%Y");
    let refused = books.run(&["import", "invoices", &swapped, "--map", &map]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("line 3") && refused.stderr.contains("say date_format=%m/%d/%Y"),
        "{}",
        refused.stderr
    );
    assert!(!books.ok(&["invoices"]).contains("INV-10"), "nothing imported");
    // columns the export does not have take one value for every row; a mapped header the file lacks
    // is named
    let plain = books.write("plain.csv", "Invoice #,Client,Date,Item,Amount\nINV-9,K1,2026-04-01,Fee,10.00\n");
    let map = "number=Invoice #,customer=Client,issue_date=Date,sent_date=Date,description=Item,unit_price=Amount,\
               default_currency=GBP,default_terms=Net 14";
    books.ok(&["import", "invoices", &plain, "--map", map]);
    let shown = books.ok(&["show", "invoice", "INV-9"]);
    assert!(shown.contains("Terms: Net 14") && shown.contains("GBP 10.00"), "{shown}");
    assert!(shown.contains("Sent 2026-04-01"), "one header read as two columns: {shown}");
    let typo = books.run(&["import", "invoices", &plain, "--map", &map.replace("=Invoice #", "=Invoice No")]);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("the map names the column \"Invoice No\" for number"), "{}", typo.stderr);
}

#[test]
fn an_e_invoice_without_a_due_date_takes_the_terms_on_file_for_its_customer() {
    let books = Books::new();
    books.ok(&["init", "--name", "Studio Bianchi", "--country", "IT", "--currency", "EUR"]);
    let customers = books.write(
        "clienti.csv",
        "code,name,tax_id,country,language,currency,terms\nPA1,Amministrazione Beta,09876543210,IT,it,EUR,Ri.Ba. 60 gg d.f.f.m.\n",
    );
    books.ok(&["import", "customers", &customers]);
    let xml = std::fs::read_to_string(einvoice_fixture("fatturapa/IT01234567890_FPA01.xml")).unwrap();
    let without_due = xml.replace("<DataScadenzaPagamento>2017-02-18</DataScadenzaPagamento>", "");
    let file = books.write("senza_scadenza.xml", &without_due);
    let imported = books.ok(&["import", &file, "--terms", "Net 10"]);
    assert!(imported.contains("60 EOM applied, the customer's terms on file"), "{imported}");
    assert!(imported.contains("the letterhead has no tax id"), "{imported}");
    let shown = books.ok(&["show", "invoice", "123"]);
    assert!(shown.contains("Terms: 60 EOM") && shown.contains("Due 2017-03-31"), "{shown}");
}

#[test]
fn a_number_used_again_by_another_document_says_which_document_holds_it() {
    let books = Books::new();
    books.ok(&["init", "--name", "Studio Bianchi", "--country", "IT", "--currency", "EUR"]);
    let xml = std::fs::read_to_string(einvoice_fixture("fatturapa/IT01234567890_FPA01.xml")).unwrap();
    books.ok(&["import", &books.write("2017.xml", &xml)]);
    // the next year's invoice 123, as Italian numbering restarts each year
    let next_year = xml.replace("<Data>2017-01-18</Data>", "<Data>2018-01-18</Data>");
    let refused = books.run(&["import", &books.write("2018.xml", &next_year)]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stdout.contains("number 123 is already an invoice of 2017-01-18")
            && refused.stdout.contains("this is an invoice of 2018-01-18")
            && refused.stdout.contains("2018/123"),
        "{}",
        refused.stdout
    );
}

#[test]
fn people_and_tokens_are_added_listed_and_ended() {
    let books = Books::initialised();
    let add = |email: &str, password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_overdue"))
            .args(["user", "add", email, "--role", "controller"])
            .current_dir(books.dir.path())
            .env_remove("OVERDUE_DATABASE_URL")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        let output = child.wait_with_output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, _, stderr) = add("ana@acme.example", "short");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("at least 12 characters"), "{stderr}");
    let (code, stdout, _) = add("ana@acme.example", "correct horse battery");
    assert_eq!(code, Some(0));
    assert!(stdout.contains("ana@acme.example (controller) can log in to Acme S.L."), "{stdout}");
    let (code, _, stderr) = add("ana@acme.example", "correct horse battery");
    assert_eq!(code, Some(2), "one account per e-mail: {stderr}");
    let listed = books.ok(&["user", "list"]);
    assert!(listed.contains("ana@acme.example") && listed.contains("active"), "{listed}");
    books.ok(&["user", "disable", "ana@acme.example"]);
    assert!(books.ok(&["user", "list"]).contains("disabled"));
    let made = books.ok(&["token", "create", "--name", "ERP", "--role", "read_only"]);
    let secret = made.lines().nth(1).unwrap();
    assert!(secret.starts_with("odt_") && secret.len() == 68, "{made}");
    let tokens = books.ok(&["token", "list"]);
    assert!(tokens.contains("ERP") && tokens.contains("read_only") && tokens.contains("never"), "{tokens}");
    assert!(!tokens.contains(secret), "the secret is never shown again");
    books.ok(&["token", "revoke", "1"]);
    assert!(books.ok(&["token", "list"]).contains("revoked"));
    assert_eq!(books.run(&["token", "revoke", "1"]).code, 2, "revoked once");
}

#[test]
fn a_settings_file_gives_the_defaults_and_flags_win() {
    let books = Books::new();
    books.write("overdue.env", "# the books of the test\nOVERDUE_DATABASE_URL=books-from-file.db\n");
    books.ok(&["--config", "overdue.env", "init", "--name", "Acme S.L.", "--country", "ES", "--currency", "EUR"]);
    assert!(books.dir.path().join("books-from-file.db").exists(), "the file named the books");
    let flag = books.ok(&[
        "--config",
        "overdue.env",
        "--database",
        "other.db",
        "init",
        "--name",
        "B",
        "--country",
        "ES",
        "--currency",
        "EUR",
    ]);
    assert!(books.dir.path().join("other.db").exists(), "the flag wins: {flag}");
    let missing = books.run(&["--config", "nope.env", "customers"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read the settings file nope.env"), "{}", missing.stderr);
}

#[test]
fn a_step_done_today_is_where_the_invoice_stands_today() {
    let books = Books::initialised();
    books.ok(&["run", "--as-of", "2026-11-27"]);
    let today = books.ok(&["today", "--as-of", "2026-11-27"]);
    // the first e-mail of the list: its action and its invoice
    let line = today.lines().skip_while(|l| !l.starts_with("Messages and letters")).nth(1).unwrap();
    let id = line.trim().trim_start_matches('#').split_whitespace().next().unwrap().to_owned();
    let explained_line = today.lines().skip_while(|l| !l.starts_with("Messages and letters")).nth(2).unwrap();
    let invoice = explained_line.split_whitespace().next().unwrap().to_owned();
    let before = books.ok(&["explain", &invoice, "--as-of", "2026-11-27"]);
    assert!(before.contains("it is taken today"), "{before}");
    books.ok(&["done", &id, "--on", "2026-11-27"]);
    let after = books.ok(&["explain", &invoice, "--as-of", "2026-11-27"]);
    assert!(after.contains("last step \"") && after.contains("\" on 2026-11-27;"), "{after}");
    assert!(!after.contains("no step taken yet"), "{after}");
}

/// `overdue report`: DSO by countback and CEI from the books' own sales and receivables, as a
/// table, CSV and SVG; a chart of two currencies is refused, one currency chosen is drawn.
#[test]
fn reports_count_dso_back_and_measure_collection_from_the_books() {
    let books = Books::new();
    books.ok(&["init", "--name", "Acme S.L.", "--country", "ES", "--currency", "EUR"]);
    books.ok(&["import", "customers", example("customers").to_str().unwrap()]);
    let invoices = books.write(
        "invoices.csv",
        "number,customer,issue_date,currency,terms,description,quantity,unit_price,tax_rate,kind\n\
         R-1,C001,2026-10-01,EUR,Net 30,Goods,1,1000.00,0,invoice\n\
         R-2,C001,2026-11-01,EUR,Net 30,Goods,1,1000.00,0,invoice\n\
         R-3,C005,2026-11-05,GBP,Net 30,Goods,1,300.00,0,invoice\n",
    );
    books.ok(&["import", "invoices", &invoices]);
    books.ok(&["promise", "C001", "1000.00", "--date", "2026-11-10", "--made-on", "2026-11-01", "--invoice", "R-1"]);
    books.ok(&["pay", "R-1", "500.00", "--date", "2026-11-10", "--method", "transfer"]);
    // 30 November: 1,500 owed = all November's 1,000 (30 days) + half October's (15.5 days)
    let csv = books.ok(&["report", "dso", "--as-of", "2026-11-30", "--months", "2", "--format", "csv"]);
    let november = csv.lines().find(|l| l.starts_with("2026-11,2026-11-30,EUR")).unwrap();
    // CEI: began 1,000, sold 1,000, ended owing 1,500 of which 1,000 not yet due: collected 500
    // of the 1,000 that could have been → 50.0 %
    assert_eq!(november, "2026-11,2026-11-30,EUR,1000.00,1000.00,1500.00,1000.00,45.5,50.0", "{csv}");
    let table = books.ok(&["report", "cei", "--as-of", "2026-11-30", "--months", "2", "--currency", "EUR"]);
    assert!(table.contains("2026-11") && table.contains("CEI %"), "{table}");
    let refused = books.run(&["report", "aging", "--as-of", "2026-11-30", "--format", "svg"]);
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("--currency") && refused.stderr.contains("(GBP)"), "{}", refused.stderr);
    let svg = books.ok(&["report", "aging", "--as-of", "2026-11-30", "--format", "svg", "--currency", "gbp"]);
    assert!(svg.starts_with("<svg") && svg.contains("<title>Aging (GBP)</title>"), "{svg}");
    let forecast = books.ok(&["report", "forecast", "--as-of", "2026-11-30", "--weeks", "2"]);
    assert!(forecast.contains("week of 2026-11-30") && forecast.contains("1000.00"), "R-2 due 1 December: {forecast}");
    let broken = forecast.lines().find(|l| l.contains("a promise the customer broke")).unwrap_or_default();
    assert!(broken.contains("EUR") && broken.contains("500.00"), "half of R-1's promise was kept: {forecast}");
    let bad = books.run(&["report", "dso", "--months", "0"]);
    assert!(bad.code != 0 && bad.stderr.contains("months"), "{}", bad.stderr);
}

/// A reminder about one invoice does not chase, among the customer's other overdue invoices, one
/// under a promise to pay still pending: the ladder is paused for it.
#[test]
fn a_reminder_does_not_list_as_overdue_an_invoice_the_customer_promised_to_pay() {
    let books = Books::new();
    books.ok(&["init", "--name", "Acme S.L.", "--country", "ES", "--currency", "EUR"]);
    books.ok(&["import", "customers", example("customers").to_str().unwrap()]);
    let invoices = books.write(
        "invoices.csv",
        "number,customer,issue_date,currency,terms,description,quantity,unit_price,tax_rate,sent_date,kind\n\
         P-1,C001,2026-09-01,EUR,Net 30,Goods,1,700.00,0,2026-09-01,invoice\n\
         P-2,C001,2026-10-20,EUR,Net 30,Goods,1,400.00,0,2026-10-20,invoice\n",
    );
    books.ok(&["import", "invoices", &invoices]);
    books.ok(&["promise", "C001", "700.00", "--date", "2026-12-05", "--made-on", "2026-11-20", "--invoice", "P-1"]);
    books.ok(&["run", "--as-of", "2026-11-23", "-q"]);
    let today = books.ok(&["today", "--as-of", "2026-11-23", "--limit", "0"]);
    let line =
        today.lines().find(|l| l.contains("P-2") && l.contains("reaches step")).unwrap_or_else(|| panic!("{today}"));
    let action = today.lines().rev().skip_while(|l| *l != line).find(|l| l.trim_start().starts_with('#')).unwrap();
    let action = action.trim().trim_start_matches('#').split_whitespace().next().unwrap().to_owned();
    let preview = books.ok(&["preview", &action, "--as-of", "2026-11-23"]);
    assert!(preview.contains("P-2") && !preview.contains("P-1"), "P-1 is promised for 5/12:\n{preview}");
}

/// The README's order — invoices and credit notes first, then the payments of the months before —
/// gives the books of the past as they were: a payment naming an invoice settles it on its day,
/// and a credit note issued later goes to what was open then, never making the payment credit.
#[test]
fn a_payment_entered_after_a_later_credit_note_pays_its_invoice_on_its_own_day() {
    let books = Books::initialised();
    // SAN-20261005-0112 paid F2026-0002 in full on 5 October; NC2026-0001 (6 November) came later
    let october = books.ok(&["show", "invoice", "F2026-0002", "--as-of", "2026-10-31"]);
    assert!(october.contains("Still owed: EUR 0.00"), "{october}");
    let aging = books.ok(&["report", "aging", "--as-of", "2026-10-31", "--format", "csv"]);
    let c002 = aging.lines().find(|l| l.starts_with("C002,")).unwrap_or_default().to_owned();
    assert!(c002.is_empty() || c002.ends_with(",0.00,0.00,0.00"), "nothing owed or held on 31 October: {c002}");
    let f10 = books.ok(&["show", "invoice", "F2026-0010"]);
    assert!(!f10.contains("SAN-20261005-0112"), "a payment of 5 October pays no invoice of November: {f10}");
    assert!(f10.contains("Credit note NC2026-0001 applied 2026-11-06"), "the credit note went to what was open: {f10}");
}
