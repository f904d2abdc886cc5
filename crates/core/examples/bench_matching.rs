//! Benchmark of payment matching: N statement lines against M open invoices, in memory (the
//! matcher as the store calls it). Prints figures; not a test.
//!   cargo run --release -p overdue-core --example bench_matching [LINES] [INVOICES]

use chrono::NaiveDate;
use overdue_core::bank::{BankLine, Direction};
use overdue_core::creditor_reference;
use overdue_core::currency::Currency;
use overdue_core::matching::{Matcher, OpenInvoice, Payer};
use overdue_core::money::Money;
use std::time::Instant;

/// A small deterministic generator (SplitMix64), so every run sees the same data.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn main() {
    let counts: Result<Vec<usize>, String> =
        std::env::args().skip(1).map(|a| a.parse().map_err(|_| format!("{a:?} is not a number"))).collect();
    let counts = match counts {
        Ok(counts) => counts,
        Err(why) => {
            eprintln!("bench_matching [LINES] [INVOICES]: {why}");
            std::process::exit(2);
        }
    };
    let lines_count = counts.first().copied().unwrap_or(100_000);
    let invoice_count = counts.get(1).copied().unwrap_or(1_000_000);
    let customers = (invoice_count / 10).max(1);
    let mut random = Random(1);
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let invoices: Vec<OpenInvoice> = (0..invoice_count)
        .map(|i| {
            OpenInvoice::new(
                i as i64,
                format!("F2026-{i:07}"),
                (i % customers) as i64,
                Money::new(1_00 + random.below(5_000_00) as i64, Currency::EUR),
                start + chrono::Days::new(random.below(330)),
            )
        })
        .collect();
    let payers: Vec<Payer> = (0..customers)
        .map(|c| Payer {
            customer_id: c as i64,
            name: format!("Cliente {c} S.L."),
            ibans: vec![format!("ES00{c:020}")],
            aliases: Vec::new(),
            promises: Vec::new(),
        })
        .collect();
    let lines: Vec<BankLine> = (0..lines_count).map(|n| line(n, &invoices, &mut random, customers)).collect();

    let started = Instant::now();
    let mut matcher = Matcher::new(invoices, &payers);
    let indexed = started.elapsed();
    let mut automatic = 0;
    let mut proposed = 0;
    for line in &lines {
        let proposal = matcher.propose(line);
        if proposal.is_automatic() {
            automatic += 1;
        } else if proposal.confidence > 0 {
            proposed += 1;
        }
    }
    let total = started.elapsed();
    println!("{lines_count} lines against {invoice_count} open invoices ({customers} customers)");
    println!("  index built in {:.3} s", indexed.as_secs_f64());
    println!(
        "  lines matched in {:.3} s ({:.0} lines/s)",
        (total - indexed).as_secs_f64(),
        lines_count as f64 / (total - indexed).as_secs_f64()
    );
    println!(
        "  total {:.3} s: {automatic} applied, {proposed} for review, {} unmatched",
        total.as_secs_f64(),
        lines_count - automatic - proposed
    );
}

/// A credit as payers really send them: with the invoice number in the text, a creditor
/// reference, only a known name, only the amount, or nothing useful.
fn line(n: usize, invoices: &[OpenInvoice], random: &mut Random, customers: usize) -> BankLine {
    let invoice = &invoices[random.below(invoices.len() as u64) as usize];
    let mut line = BankLine {
        account: "ES9121000418450200051332".into(),
        statement: "BENCH".into(),
        entry: n.to_string(),
        booking_date: invoice.due_date,
        value_date: None,
        amount: invoice.open,
        direction: Direction::Credit,
        counterparty_name: None,
        counterparty_iban: None,
        creditor_reference: None,
        remittance: None,
        end_to_end_id: None,
        bank_reference: None,
        reversal: None,
    };
    match n % 10 {
        0..=3 => line.remittance = Some(format!("Pago factura {} gracias", invoice.number)),
        4 | 5 => line.creditor_reference = creditor_reference::for_invoice(&invoice.number),
        6 => line.counterparty_name = Some(format!("CLIENTE {} SL", invoice.customer_id)),
        7 => line.counterparty_iban = Some(format!("ES00{:020}", invoice.customer_id)),
        8 => {}
        _ => {
            line.remittance = Some("transferencia".into());
            line.counterparty_name = Some(format!("Otro {}", random.below(customers as u64)));
        }
    }
    line
}
