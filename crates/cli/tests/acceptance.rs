//! The acceptance cases (`tests/acceptance/`, from the team's shared cases): each builds small
//! books with the real `overdue` binary and checks what must hold, with the cases' own runner
//! (bash). Each case is one instance of a kind of fault that must never come back.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::Path;
use std::process::Command;

/// Runs one case and fails with its report unless it passes.
fn case(name: &str) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/acceptance");
    let output = Command::new("bash")
        .arg(folder.join("run"))
        .arg(name)
        .env("OVERDUE", env!("CARGO_BIN_EXE_overdue"))
        .env_remove("OVERDUE_DATABASE_URL")
        .env_remove("OVERDUE_TEMPLATES")
        .env_remove("OVERDUE_RATES")
        .output()
        .expect("bash runs the acceptance cases");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success() && report.contains(&format!("PASS {name}")), "{report}");
}

macro_rules! cases {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                case($name);
            }
        )*
    };
}

cases! {
    a_reminder_queued_in_the_morning_is_withdrawn_once_paid_promised_or_disputed => "truth-01-queued-reminder-withdrawn",
    currencies_are_never_added_in_a_message => "truth-02-currencies-never-added",
    a_customer_in_credit_is_not_chased => "truth-03-customer-in-credit-not-chased",
    a_credit_note_offsets_the_open_invoice => "truth-04-credit-note-offsets-invoice",
    a_final_demand_never_states_zero_interest_for_an_unknown_rate => "truth-05-final-demand-unknown-rate",
    the_eu_compensation_stays_eur_on_a_pound_invoice => "truth-06-eu-compensation-stays-eur",
    aging_as_of_a_past_day_counts_later_payments_as_open => "truth-07-aging-as-of-past-day",
    a_first_reminder_claims_no_earlier_one => "truth-08-first-reminder-claims-no-earlier",
    instalments_paid_on_time_make_no_late_payer => "truth-09-instalments-paid-on-time",
    the_reminder_that_charges_a_late_fee_states_it => "truth-10-late-fee-stated",
    a_partial_customers_file_leaves_other_fields_as_they_were => "truth-11-partial-customer-reimport",
    a_cancelled_message_is_never_recorded_as_sent => "truth-12-cancelled-message-not-sent",
    a_reversed_direct_debit_reopens_the_invoice_it_paid => "files-13-camt-debit-reversal-reopens",
    a_batch_entry_without_detail_amounts_is_one_line_keeping_its_references => "files-14-camt-batch-without-detail-amounts",
    a_statement_in_latin1_is_read_in_its_declared_encoding => "files-15-camt-latin1",
    a_belgian_structured_communication_names_its_invoice => "files-16-belgian-structured-reference",
    a_coincidental_number_with_an_amount_that_does_not_fit_is_not_applied => "files-17-coincidental-number-not-applied",
    assigning_a_line_to_several_invoices_pays_their_due_instalments => "files-18-assign-several-invoices",
    end_of_month_instalment_terms_fall_at_each_months_end => "files-22-riba-end-of-month-instalments",
    an_xrechnung_cash_discount_paid_in_time_settles_the_invoice => "files-21-xrechnung-skonto",
    a_fatturapa_with_a_pension_fund_contribution_owes_its_total_less_withholding => "files-19-fatturapa-cassa-previdenziale",
    a_fatturapa_rounded_on_its_total_owes_the_rounded_total => "files-20-fatturapa-arrotondamento",
}
