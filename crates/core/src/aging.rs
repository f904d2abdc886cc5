//! Aging: what is owed, by customer and currency, in the buckets a credit controller reads —
//! not yet due, 1–30, 31–60, 61–90 and over 90 days past the due date on a given day.

use crate::money::Money;
use chrono::NaiveDate;

/// How late an amount is on the day of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgingBucket {
    Current,
    Days1To30,
    Days31To60,
    Days61To90,
    Over90,
}

impl AgingBucket {
    pub const ALL: [AgingBucket; 5] =
        [Self::Current, Self::Days1To30, Self::Days31To60, Self::Days61To90, Self::Over90];

    /// The bucket of an amount due on `due_date`, seen on `as_of`.
    pub fn of(due_date: NaiveDate, as_of: NaiveDate) -> Self {
        match (as_of - due_date).num_days() {
            ..=0 => Self::Current,
            1..=30 => Self::Days1To30,
            31..=60 => Self::Days31To60,
            61..=90 => Self::Days61To90,
            _ => Self::Over90,
        }
    }

    /// The column heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Days1To30 => "1-30",
            Self::Days31To60 => "31-60",
            Self::Days61To90 => "61-90",
            Self::Over90 => "90+",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One customer's open amounts in one currency, by bucket, and the credit they hold in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingRow {
    pub customer: String,
    pub name: String,
    pub buckets: [Money; 5],
    /// Credit the customer holds in this currency and has not used (an over-payment, a credit
    /// note larger than what was owed), as a positive amount: it is owed to them.
    pub credit: Money,
}

impl AgingRow {
    pub fn amount(&self, bucket: AgingBucket) -> Money {
        self.buckets[bucket.index()]
    }

    /// Everything the customer owes in this currency.
    pub fn total(&self) -> Money {
        let currency = self.buckets[0].currency();
        Money::new(self.buckets.iter().map(|m| m.amount_minor()).sum(), currency)
    }

    /// What is past its due date: everything owed but the current bucket.
    pub fn overdue(&self) -> Money {
        let current = self.amount(AgingBucket::Current);
        Money::new(self.total().amount_minor().saturating_sub(current.amount_minor()), current.currency())
    }

    /// What the customer owes less the credit they hold, in this currency (negative: we owe them).
    pub fn net(&self) -> Money {
        Money::new(self.total().amount_minor().saturating_sub(self.credit.amount_minor()), self.credit.currency())
    }
}

/// Adds the credit each customer holds (customer, name, amount per currency) to the aging: on
/// the customer's row in that currency, or on a row of its own when nothing is owed in it.
pub fn with_credits(
    mut rows: Vec<AgingRow>,
    credits: impl IntoIterator<Item = (String, String, Money)>,
) -> Vec<AgingRow> {
    for (customer, name, credit) in credits {
        if !credit.is_positive() {
            continue;
        }
        let currency = credit.currency();
        match rows.iter_mut().find(|r| r.customer == customer && r.credit.currency() == currency) {
            Some(row) => row.credit = credit,
            None => rows.push(AgingRow { customer, name, buckets: [Money::zero(currency); 5], credit }),
        }
    }
    rows
}

/// One total per currency of `rows` (in the order the rows first use each currency): every
/// bucket, the credit held, summed; named by `label` (e.g. "Total").
pub fn totals(rows: &[AgingRow], label: &str) -> Vec<AgingRow> {
    let mut totals: Vec<AgingRow> = Vec::new();
    for row in rows {
        let currency = row.credit.currency();
        let at = match totals.iter().position(|t| t.credit.currency() == currency) {
            Some(at) => at,
            None => {
                let zero = Money::zero(currency);
                totals.push(AgingRow {
                    customer: String::new(),
                    name: label.to_owned(),
                    buckets: [zero; 5],
                    credit: zero,
                });
                totals.len() - 1
            }
        };
        let total = &mut totals[at];
        for (sum, add) in total.buckets.iter_mut().zip(row.buckets) {
            *sum = Money::new(sum.amount_minor().saturating_add(add.amount_minor()), currency);
        }
        total.credit = Money::new(total.credit.amount_minor().saturating_add(row.credit.amount_minor()), currency);
    }
    totals
}

/// The customers owing the most past due, per currency: for each currency (in the order the
/// rows first use it), at most `per_currency` rows with something overdue, the largest first.
pub fn top_overdue(rows: &[AgingRow], per_currency: usize) -> Vec<&AgingRow> {
    let mut currencies: Vec<crate::Currency> = Vec::new();
    for row in rows {
        if !currencies.contains(&row.credit.currency()) {
            currencies.push(row.credit.currency());
        }
    }
    let mut top = Vec::new();
    for currency in currencies {
        let mut owing: Vec<&AgingRow> =
            rows.iter().filter(|r| r.credit.currency() == currency && r.overdue().is_positive()).collect();
        owing.sort_by(|a, b| {
            b.overdue().amount_minor().cmp(&a.overdue().amount_minor()).then(a.customer.cmp(&b.customer))
        });
        top.extend(owing.into_iter().take(per_currency));
    }
    top
}

/// One open amount to age: whose, due when, how much (a credit note's is negative).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAmount {
    pub customer: String,
    pub name: String,
    pub due_date: NaiveDate,
    pub open: Money,
}

/// Ages open amounts as of a day: one row per customer and currency, in the order the customers
/// first appear. Amounts never mix currencies.
pub fn age(amounts: impl IntoIterator<Item = OpenAmount>, as_of: NaiveDate) -> Vec<AgingRow> {
    let mut rows: Vec<AgingRow> = Vec::new();
    let mut positions: std::collections::HashMap<(String, crate::Currency), usize> = std::collections::HashMap::new();
    for amount in amounts {
        let currency = amount.open.currency();
        let at = *positions.entry((amount.customer.clone(), currency)).or_insert_with(|| {
            let buckets = [Money::zero(currency); 5];
            rows.push(AgingRow {
                customer: amount.customer,
                name: amount.name,
                buckets,
                credit: Money::zero(currency),
            });
            rows.len() - 1
        });
        let slot = &mut rows[at].buckets[AgingBucket::of(amount.due_date, as_of).index()];
        *slot = Money::new(slot.amount_minor().saturating_add(amount.open.amount_minor()), currency);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    fn d(day: u32, month: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    #[test]
    fn bucket_edges_fall_where_a_controller_expects() {
        let as_of = d(30, 11);
        assert_eq!(AgingBucket::of(d(30, 11), as_of), AgingBucket::Current, "due today is not late");
        assert_eq!(AgingBucket::of(d(29, 11), as_of), AgingBucket::Days1To30);
        assert_eq!(AgingBucket::of(d(31, 10), as_of), AgingBucket::Days1To30, "30 days late");
        assert_eq!(AgingBucket::of(d(30, 10), as_of), AgingBucket::Days31To60);
        assert_eq!(AgingBucket::of(d(1, 9), as_of), AgingBucket::Days61To90, "90 days late");
        assert_eq!(AgingBucket::of(d(31, 8), as_of), AgingBucket::Over90);
    }

    #[test]
    fn a_credit_held_shows_beside_what_is_owed_in_its_currency_and_alone_when_nothing_is() {
        let owed = OpenAmount {
            customer: "C1".into(),
            name: "C1 Ltd".into(),
            due_date: d(1, 11),
            open: Money::new(100_00, Currency::EUR),
        };
        let rows = age([owed], d(30, 11));
        let credits = [
            ("C1".to_owned(), "C1 Ltd".to_owned(), Money::new(30_00, Currency::EUR)),
            ("C1".to_owned(), "C1 Ltd".to_owned(), Money::new(5_00, Currency::GBP)),
        ];
        let rows = with_credits(rows, credits);
        assert_eq!(rows.len(), 2, "pounds stay pounds");
        assert_eq!(
            (rows[0].total(), rows[0].credit, rows[0].net()),
            (Money::new(100_00, Currency::EUR), Money::new(30_00, Currency::EUR), Money::new(70_00, Currency::EUR))
        );
        assert_eq!((rows[1].total(), rows[1].net()), (Money::zero(Currency::GBP), Money::new(-5_00, Currency::GBP)));
    }

    #[test]
    fn totals_add_every_bucket_and_credit_per_currency() {
        let owed = |customer: &str, due: NaiveDate, minor: i64, currency: Currency| OpenAmount {
            customer: customer.into(),
            name: customer.into(),
            due_date: due,
            open: Money::new(minor, currency),
        };
        let rows = age(
            [
                owed("A", d(1, 12), 100_00, Currency::EUR),
                owed("B", d(1, 11), 50_00, Currency::EUR),
                owed("C", d(1, 11), 7_00, Currency::GBP),
            ],
            d(30, 11),
        );
        let rows = with_credits(rows, [("A".to_owned(), "A".to_owned(), Money::new(30_00, Currency::EUR))]);
        let totals = totals(&rows, "Total");
        assert_eq!(totals.len(), 2);
        assert_eq!(
            (totals[0].total(), totals[0].credit, totals[0].net().amount_minor()),
            (Money::new(150_00, Currency::EUR), Money::new(30_00, Currency::EUR), 120_00)
        );
        assert_eq!(totals[0].amount(AgingBucket::Days1To30), Money::new(50_00, Currency::EUR));
        assert_eq!((totals[1].name.as_str(), totals[1].total()), ("Total", Money::new(7_00, Currency::GBP)));
    }

    #[test]
    fn top_overdue_ranks_within_each_currency_and_leaves_out_what_is_not_late() {
        let row = |customer: &str, current: i64, late: i64, currency: Currency| AgingRow {
            customer: customer.into(),
            name: customer.into(),
            buckets: [
                Money::new(current, currency),
                Money::new(late, currency),
                Money::zero(currency),
                Money::zero(currency),
                Money::zero(currency),
            ],
            credit: Money::zero(currency),
        };
        let rows = [
            row("A", 900_00, 10_00, Currency::EUR),
            row("B", 0, 50_00, Currency::EUR),
            row("C", 500_00, 0, Currency::EUR),
            row("D", 0, 5_00, Currency::GBP),
        ];
        let top: Vec<_> =
            top_overdue(&rows, 5).iter().map(|r| (r.customer.as_str(), r.overdue().amount_minor())).collect();
        assert_eq!(top, [("B", 50_00), ("A", 10_00), ("D", 5_00)]);
        assert_eq!(top_overdue(&rows, 1).len(), 2, "one per currency");
    }

    #[test]
    fn amounts_add_up_per_customer_and_currency() {
        let open = |customer: &str, due: NaiveDate, minor: i64, currency: Currency| OpenAmount {
            customer: customer.into(),
            name: format!("{customer} Ltd"),
            due_date: due,
            open: Money::new(minor, currency),
        };
        let rows = age(
            [
                open("C1", d(1, 12), 100_00, Currency::EUR),
                open("C1", d(1, 11), 50_00, Currency::EUR),
                open("C1", d(1, 11), -20_00, Currency::EUR),
                open("C1", d(1, 6), 70_00, Currency::GBP),
                open("C2", d(1, 8), 5_00, Currency::EUR),
            ],
            d(30, 11),
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].amount(AgingBucket::Current), Money::new(100_00, Currency::EUR));
        assert_eq!(rows[0].amount(AgingBucket::Days1To30), Money::new(30_00, Currency::EUR), "credit note nets");
        assert_eq!(rows[0].total(), Money::new(130_00, Currency::EUR));
        assert_eq!(rows[1].amount(AgingBucket::Over90), Money::new(70_00, Currency::GBP));
        assert_eq!((rows[2].customer.as_str(), rows[2].amount(AgingBucket::Over90).amount_minor()), ("C2", 5_00));
    }
}
