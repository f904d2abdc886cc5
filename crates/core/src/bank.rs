//! Lines of a bank statement as overdue sees them, whatever file they came from (camt.053,
//! camt.054, a bank's CSV export): money in or out of one of the business's accounts, with what
//! the payer wrote, so payments can be matched to open invoices.

use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Money in (a credit to the business's account) or out (a debit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Credit,
    Debit,
}

/// One booked movement on an account: a camt entry, or one transaction detail of an entry that
/// batches several, or one row of a CSV export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankLine {
    /// The account the statement is for (IBAN, or the bank's own account id).
    pub account: String,
    /// The statement's id (camt `Stmt/Id`, or the file's own when a CSV has none).
    pub statement: String,
    /// The entry's reference, unique within the account and statement (bank's reference, entry
    /// reference, or the position when the file gives none): with `account` and `statement` it
    /// is what makes a re-import of the same line recognisable.
    pub entry: String,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    /// Always positive; `direction` says which way it went.
    pub amount: Money,
    pub direction: Direction,
    /// Who paid (for a credit) or was paid (for a debit), as the bank reports them.
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    /// A structured creditor reference (ISO 11649 `RF…`, or a national one) if the payer gave one.
    pub creditor_reference: Option<String>,
    /// The free remittance text, lines joined with a space.
    pub remittance: Option<String>,
    /// The payer's end-to-end id, when not `NOTPROVIDED`.
    pub end_to_end_id: Option<String>,
    /// The bank's own reference for the booking (camt `AcctSvcrRef`, MT940 `:61:` reference of
    /// the account servicing institution), when it gives one: the same booking reported in a
    /// camt.054 and again in a camt.053 shares it.
    pub bank_reference: Option<String>,
    /// Set when the line undoes an earlier movement the other way: camt `RvslInd`, MT940
    /// `RC`/`RD`, or a SEPA return, refund or reject (camt `RtrInf`).
    pub reversal: Option<Reversal>,
}

/// What the bank says of a line that undoes an earlier one: a debit taking back a customer's
/// credit (a returned direct debit, a recalled transfer), or a credit giving back one of the
/// business's own payments.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reversal {
    /// The ISO 20022 return reason (External Code Sets, `ExternalReturnReason1Code`: AC04, AM04,
    /// MD06, MS02…), from camt `RtrInf/Rsn/Cd` or the German `:86:` `?nn` SEPA return code.
    pub reason_code: Option<String>,
    /// The bank's words on why, when it gives any (camt `RtrInf/AddtlInf`).
    pub reason_text: Option<String>,
    /// A charge the bank took for the return, when it names one (camt `Chrgs`, MT940 `/CHGS/`).
    pub charges: Option<Money>,
}

impl BankLine {
    /// The day the money was the creditor's, which says whether it came late: the value date when
    /// the bank gives one (ISO 20022 `ValDt`, MT940 `:61:` value date), else the booking date.
    pub fn paid_on(&self) -> NaiveDate {
        self.value_date.unwrap_or(self.booking_date)
    }

    /// Whether the line takes back money a customer paid: a debit that reverses or returns an
    /// earlier credit.
    pub fn reverses_a_credit(&self) -> bool {
        self.direction == Direction::Debit && self.reversal.is_some()
    }

    /// The idempotency key of the line: account, statement and entry.
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.account, self.statement, self.entry)
    }
}

impl Reversal {
    /// In words: "returned by the bank: AC04 account closed (Konto erloschen); bank charges
    /// EUR 3.00".
    pub fn describe(&self) -> String {
        let mut words = "returned by the bank".to_owned();
        if let Some(code) = &self.reason_code {
            words.push_str(": ");
            words.push_str(code);
            if let Some(meaning) = return_reason_text(code) {
                words.push(' ');
                words.push_str(meaning);
            }
        }
        if let Some(text) = &self.reason_text {
            words.push_str(&format!(" ({text})"));
        }
        if let Some(charges) = self.charges {
            words.push_str(&format!("; bank charges {charges}"));
        }
        words
    }
}

/// The meaning of the ISO 20022 return reasons banks put on returned and reversed payments
/// (External Code Sets, `ExternalReturnReason1Code`), for the work list and the timeline; `None`
/// for a code not listed here (the code itself is still shown).
pub fn return_reason_text(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_uppercase().as_str() {
        "AC01" => "incorrect account number",
        "AC04" => "account closed",
        "AC06" => "account blocked",
        "AC13" => "the debtor's account is a consumer account",
        "AG01" => "transaction forbidden on this account",
        "AG02" => "invalid bank operation code",
        "AM04" => "insufficient funds",
        "AM05" => "duplicate payment",
        "BE05" => "creditor not recognised",
        "CNOR" => "the creditor's bank is not reachable",
        "DNOR" => "the debtor's bank is not reachable",
        "FF01" => "invalid file format",
        "FOCR" => "returned after a cancellation request",
        "MD01" => "no valid mandate",
        "MD02" => "mandate data missing or incorrect",
        "MD06" => "refund requested by the debtor (authorised direct debit)",
        "MD07" => "the debtor has died",
        "MS02" => "refused by the debtor",
        "MS03" => "reason not given",
        "RC01" => "bank identifier incorrect",
        "RR01" | "RR02" | "RR03" | "RR04" => "regulatory reason",
        "SL01" => "specific service of the debtor's bank",
        "TM01" => "received after the cut-off time",
        _ => return None,
    })
}

/// A balance the bank states (opening or closing), signed: negative when the account is
/// overdrawn (camt `CdtDbtInd` DBIT, MT940 `D`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub date: NaiveDate,
    pub amount: Money,
}

/// Why a statement's balances do not agree with its entries: opening + credits − debits must
/// equal closing, in the statement's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceMismatch {
    pub opening: Money,
    pub credits: Money,
    pub debits: Money,
    pub closing: Money,
    /// closing − (opening + credits − debits).
    pub difference: Money,
}

impl std::fmt::Display for BalanceMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "opening {} + credits {} − debits {} = {}, but the closing balance is {} (difference {})",
            self.opening,
            self.credits,
            self.debits,
            self.expected(),
            self.closing,
            self.difference
        )
    }
}

impl BalanceMismatch {
    /// What the closing balance should have been: opening + credits − debits.
    pub fn expected(&self) -> Money {
        Money::new(
            self.opening.amount_minor() + self.credits.amount_minor() - self.debits.amount_minor(),
            self.opening.currency(),
        )
    }
}

/// Checks opening + credits − debits = closing over the lines in the balances' currency (lines
/// in another currency cannot be counted in it). `Err` names the figures and the difference.
/// Sums are exact (`i128`), so no statement can overflow them.
pub fn check_balances(opening: Money, closing: Money, lines: &[&BankLine]) -> Result<(), BalanceMismatch> {
    let currency = opening.currency();
    let (mut credits, mut debits) = (0i128, 0i128);
    for line in lines.iter().filter(|l| l.amount.currency() == currency) {
        match line.direction {
            Direction::Credit => credits += i128::from(line.amount.amount_minor()),
            Direction::Debit => debits += i128::from(line.amount.amount_minor()),
        }
    }
    let expected = i128::from(opening.amount_minor()) + credits - debits;
    let closing_minor = i128::from(closing.amount_minor());
    if closing.currency() == currency && expected == closing_minor {
        return Ok(());
    }
    let clamp = |value: i128| Money::new(value.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64, currency);
    Err(BalanceMismatch {
        opening,
        credits: clamp(credits),
        debits: clamp(debits),
        closing,
        difference: clamp(closing_minor - expected),
    })
}

/// How a statement's opening balance follows the account's last closing balance on record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Continuity {
    /// It opens where the last one closed.
    Continues,
    /// It opens at another balance on a later day: a statement in between is missing.
    Gap,
    /// It opens at another balance on a day already covered: it overlaps what was imported (or
    /// comes out of order).
    Overlap,
}

/// Compares a statement's opening balance with the account's previous closing balance (the
/// statements of one account chain: ISO 20022 `OPBD` = the previous `CLBD`, MT940 `:60F:` = the
/// previous `:62F:`).
pub fn continuity(previous_closing: Balance, opening: Balance) -> Continuity {
    if previous_closing.amount == opening.amount {
        Continuity::Continues
    } else if opening.date < previous_closing.date {
        Continuity::Overlap
    } else {
        Continuity::Gap
    }
}

/// The key under which each line's booking is recognised when another file reports it again
/// (the booking in a camt.054 and in the day's camt.053; two statements that overlap): the
/// bank's reference with the amount, direction and end-to-end id when the bank gives one, else
/// the line's content (account, dates, amount, direction, payer, texts) and how many identical
/// lines came before it in the same statement. `lines` are one file's, in order.
pub fn booking_keys(lines: &[&BankLine]) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    lines
        .iter()
        .map(|line| {
            let sign = match line.direction {
                Direction::Credit => '+',
                Direction::Debit => '-',
            };
            let amount = format!("{sign}{}", line.amount);
            let id = line.end_to_end_id.as_deref().unwrap_or("");
            if let Some(reference) = &line.bank_reference {
                return format!("ref|{}|{reference}|{amount}|{id}", line.account);
            }
            let content = format!(
                "fp|{}|{}|{}|{amount}|{}|{}|{}|{id}",
                line.account,
                line.booking_date,
                line.value_date.map(|d| d.to_string()).unwrap_or_default(),
                line.counterparty_iban.as_deref().unwrap_or(""),
                line.creditor_reference.as_deref().unwrap_or(""),
                line.remittance.as_deref().unwrap_or(""),
            );
            let occurrence = seen.entry(format!("{}|{content}", line.statement)).or_default();
            *occurrence += 1;
            let key = format!("{content}#{occurrence}");
            let hash = crate::fingerprint::Fingerprint::default().text(&key).finish();
            format!("fp|{}|{hash:016x}", line.account)
        })
        .collect()
}
