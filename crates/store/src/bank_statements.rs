//! The statements of each account, written once for both backends: the balances each states are
//! kept, and a statement whose opening balance does not follow the account's last closing balance
//! on record is reported (a statement missing in between, or one overlapping what was imported).

use crate::error::StoreError;
use crate::model::{StatementBreak, StatementRecord, TenantId};
use crate::rows::Sql;
use overdue_core::Currency;
use overdue_core::bank::{Balance, Continuity, continuity};
use overdue_core::money::Money;

/// Records each statement once (by account and id) and returns those that do not follow the
/// account's last closing balance. A statement imported before is neither recorded nor checked
/// again; a statement without an opening balance is recorded but not checked.
pub(crate) fn record(
    sql: &mut dyn Sql,
    tenant: TenantId,
    statements: &[StatementRecord],
    source: &str,
) -> Result<Vec<StatementBreak>, StoreError> {
    let mut breaks = Vec::new();
    for statement in statements {
        let Some(currency) = statement.opening.or(statement.closing).map(|b| b.amount.currency()) else { continue };
        let previous = last_closing(sql, tenant, &statement.account, currency)?;
        let inserted = sql.rows(
            "INSERT INTO bank_statements (tenant_id, account, statement, currency, opening_date, opening_minor,
                 closing_date, closing_minor, source)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id",
            &[
                tenant.into(),
                statement.account.as_str().into(),
                statement.statement.as_str().into(),
                currency.code().into(),
                statement.opening.map(|b| b.date).into(),
                statement.opening.map(|b| b.amount.amount_minor()).into(),
                statement.closing.map(|b| b.date).into(),
                statement.closing.map(|b| b.amount.amount_minor()).into(),
                source.into(),
            ],
        )?;
        if inserted.is_empty() {
            continue;
        }
        if let (Some((previous_statement, previous_closing)), Some(opening)) = (previous, statement.opening) {
            let kind = continuity(previous_closing, opening);
            if kind != Continuity::Continues {
                breaks.push(StatementBreak {
                    account: statement.account.clone(),
                    statement: statement.statement.clone(),
                    opening,
                    previous_statement,
                    previous_closing,
                    kind,
                });
            }
        }
    }
    Ok(breaks)
}

/// The account's last statement with a closing balance in `currency`: the latest closing day,
/// the last recorded on that day.
fn last_closing(
    sql: &mut dyn Sql,
    tenant: TenantId,
    account: &str,
    currency: Currency,
) -> Result<Option<(String, Balance)>, StoreError> {
    let mut rows = sql.rows(
        "SELECT statement, closing_date, closing_minor FROM bank_statements
          WHERE tenant_id = $1 AND account = $2 AND currency = $3 AND closing_date IS NOT NULL
          ORDER BY closing_date DESC, id DESC LIMIT 1",
        &[tenant.into(), account.into(), currency.code().into()],
    )?;
    let Some(mut row) = rows.pop() else { return Ok(None) };
    let (statement, date, minor) = (row.text(), row.date()?, row.int());
    Ok(Some((statement, Balance { date, amount: Money::new(minor, currency) })))
}
