//! Reports written as CSV for spreadsheets and agencies: the aging report, the open items, DSO
//! and CEI by month, and expected cash. Amounts are decimals with a dot and their currency in a
//! column of its own, dates ISO; a figure that could not be computed is an empty cell.

use chrono::NaiveDate;
use overdue_core::aging::{AgingBucket, AgingRow};
use overdue_core::forecast::Prediction;
use overdue_core::kpi::{MonthFigures, Tenths};
use overdue_core::money::Money;

/// One open invoice as the open-items report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    pub number: String,
    pub customer: String,
    pub name: String,
    pub kind: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub terms: String,
    pub total: Money,
    pub open: Money,
}

/// The aging report: one row per customer and currency, a column per bucket, the total owed,
/// the credit the customer holds (owed to them) and the net balance.
pub fn aging_csv(rows: &[AgingRow]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["customer", "name", "currency"];
    header.extend(AgingBucket::ALL.iter().map(|b| b.label()));
    header.extend(["total", "credit", "net"]);
    writer.write_record(&header)?;
    for row in rows {
        let mut record = vec![row.customer.clone(), row.name.clone(), row.total().currency().code().to_owned()];
        record.extend(AgingBucket::ALL.iter().map(|&b| row.amount(b).to_decimal_string()));
        record.extend([row.total(), row.credit, row.net()].iter().map(|m| m.to_decimal_string()));
        writer.write_record(&record)?;
    }
    into_bytes(writer)
}

/// The open items as of a day, with how many days each is past its due date (0 if not yet due).
pub fn open_items_csv(items: &[OpenItem], as_of: NaiveDate) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "number",
        "customer",
        "name",
        "kind",
        "issue_date",
        "due_date",
        "days_overdue",
        "terms",
        "currency",
        "total",
        "open",
    ])?;
    for item in items {
        let days_overdue = (as_of - item.due_date).num_days().max(0);
        writer.write_record([
            item.number.as_str(),
            &item.customer,
            &item.name,
            &item.kind,
            &item.issue_date.to_string(),
            &item.due_date.to_string(),
            &days_overdue.to_string(),
            &item.terms,
            item.open.currency().code(),
            &item.total.to_decimal_string(),
            &item.open.to_decimal_string(),
        ])?;
    }
    into_bytes(writer)
}

/// DSO and CEI by month: one row per month and currency, DSO in days and CEI in percent, each
/// with one decimal.
pub fn collection_csv(rows: &[MonthFigures]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "month",
        "end",
        "currency",
        "sales",
        "begin",
        "end_total",
        "end_current",
        "dso_days",
        "cei_percent",
    ])?;
    let tenths = |t: Option<Tenths>| t.map(|t| t.to_string()).unwrap_or_default();
    for row in rows {
        writer.write_record([
            row.month.format("%Y-%m").to_string(),
            row.end.to_string(),
            row.sales.currency().code().to_owned(),
            row.sales.to_decimal_string(),
            row.begin.to_decimal_string(),
            row.end_total.to_decimal_string(),
            row.end_current.to_decimal_string(),
            tenths(row.dso),
            tenths(row.cei),
        ])?;
    }
    into_bytes(writer)
}

/// Each open invoice (each unpaid instalment) with the day it is expected and why.
pub fn predictions_csv(predictions: &[Prediction]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["invoice", "customer", "due_date", "currency", "amount", "expected_on", "basis"])?;
    for p in predictions {
        writer.write_record([
            p.invoice.as_str(),
            &p.customer,
            &p.due_date.to_string(),
            p.amount.currency().code(),
            &p.amount.to_decimal_string(),
            &p.expected_on.map(|d| d.to_string()).unwrap_or_default(),
            p.basis.as_str(),
        ])?;
    }
    into_bytes(writer)
}

fn into_bytes(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, csv::Error> {
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use overdue_core::Currency;
    use overdue_core::aging::{OpenAmount, age};

    fn d(text: &str) -> NaiveDate {
        overdue_core::date::parse_iso(text).unwrap()
    }

    #[test]
    fn aging_is_one_row_per_customer_and_currency_with_a_total() {
        let rows = age(
            [OpenAmount {
                customer: "C1".into(),
                name: "Rossi, S.r.l.".into(),
                due_date: d("2026-10-01"),
                open: Money::new(1_234_50, Currency::EUR),
            }],
            d("2026-11-29"),
        );
        let text = String::from_utf8(aging_csv(&rows).unwrap()).unwrap();
        assert_eq!(
            text,
            "customer,name,currency,current,1-30,31-60,61-90,90+,total,credit,net\n\
             C1,\"Rossi, S.r.l.\",EUR,0.00,0.00,1234.50,0.00,0.00,1234.50,0.00,1234.50\n"
        );
    }

    #[test]
    fn open_items_say_how_late_each_is() {
        let item = OpenItem {
            number: "F-1".into(),
            customer: "C1".into(),
            name: "Acme".into(),
            kind: "invoice".into(),
            issue_date: d("2026-10-01"),
            due_date: d("2026-10-31"),
            terms: "Net 30".into(),
            total: Money::new(100_00, Currency::EUR),
            open: Money::new(40_00, Currency::EUR),
        };
        let text = String::from_utf8(open_items_csv(&[item], d("2026-11-29")).unwrap()).unwrap();
        assert!(text.ends_with("F-1,C1,Acme,invoice,2026-10-01,2026-10-31,29,Net 30,EUR,100.00,40.00\n"), "{text}");
    }
}
