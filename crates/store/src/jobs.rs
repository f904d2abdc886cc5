//! The scheduler's jobs, written once for both backends: a job of an organisation for a day is
//! claimed by one worker at a time — an upsert that takes the row only when it is not done and
//! its lease has run out, so two servers on one database never both run it — then finished with
//! its outcome.

use crate::StoreError;
use crate::model::{Job, JobState, TenantId};
use crate::rows::Sql;
use chrono::{NaiveDate, NaiveDateTime};

/// Claims job `job` of `tenant` for `day` for `worker` until `lease_until`; whether it was taken
/// (false: done already, or another worker holds a live lease).
pub(crate) fn claim(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (job, day): (&str, NaiveDate),
    worker: &str,
    (now, lease_until): (NaiveDateTime, NaiveDateTime),
) -> Result<bool, StoreError> {
    let taken = sql.rows(
        "INSERT INTO jobs (tenant_id, job, day, state, worker, lease_until, started_at)
         VALUES ($1, $2, $3, 'running', $4, $5, $6)
         ON CONFLICT (tenant_id, job, day) DO UPDATE
            SET state = 'running', worker = excluded.worker, lease_until = excluded.lease_until,
                started_at = excluded.started_at, finished_at = NULL, outcome = NULL, attempts = jobs.attempts + 1
          WHERE jobs.state <> 'done' AND jobs.lease_until < excluded.started_at
         RETURNING attempts",
        &[tenant.into(), job.into(), day.into(), worker.into(), lease_until.into(), now.into()],
    )?;
    Ok(!taken.is_empty())
}

/// Records how a claimed job ended; a failed one may be claimed again once `retry_after` passed.
pub(crate) fn finish(
    sql: &mut dyn Sql,
    tenant: TenantId,
    (job, day): (&str, NaiveDate),
    worker: &str,
    (state, outcome): (JobState, &str),
    (at, retry_after): (NaiveDateTime, NaiveDateTime),
) -> Result<(), StoreError> {
    sql.execute(
        "UPDATE jobs SET state = $5, outcome = $6, finished_at = $7, lease_until = $8
          WHERE tenant_id = $1 AND job = $2 AND day = $3 AND worker = $4",
        &[
            tenant.into(),
            job.into(),
            day.into(),
            worker.into(),
            state.as_str().into(),
            outcome.into(),
            at.into(),
            retry_after.into(),
        ],
    )?;
    Ok(())
}

/// The last day job `job` of `tenant` was done for.
pub(crate) fn last_done(sql: &mut dyn Sql, tenant: TenantId, job: &str) -> Result<Option<NaiveDate>, StoreError> {
    let mut rows = sql.rows(
        "SELECT MAX(day) FROM jobs WHERE tenant_id = $1 AND job = $2 AND state = 'done'",
        &[tenant.into(), job.into()],
    )?;
    match rows.pop() {
        Some(mut row) => row.opt_date(),
        None => Ok(None),
    }
}

/// The newest `limit` jobs of `tenant`, newest day first.
pub(crate) fn list(sql: &mut dyn Sql, tenant: TenantId, limit: i64) -> Result<Vec<Job>, StoreError> {
    let rows = sql.rows(
        "SELECT job, day, state, worker, attempts, started_at, finished_at, outcome FROM jobs
          WHERE tenant_id = $1 ORDER BY day DESC, started_at DESC LIMIT $2",
        &[tenant.into(), limit.into()],
    )?;
    rows.into_iter()
        .map(|mut row| {
            let (job, day, state) = (row.text(), row.date()?, row.text());
            Ok(Job {
                job,
                day,
                state: JobState::parse(&state).ok_or_else(|| StoreError::corrupt("job state", &state))?,
                worker: row.text(),
                attempts: row.int(),
                started_at: row.timestamp()?,
                finished_at: match row.opt_text() {
                    None => None,
                    Some(text) => Some(
                        NaiveDateTime::parse_from_str(&text, crate::rows::TIMESTAMP)
                            .map_err(|_| StoreError::corrupt("timestamp", &text))?,
                    ),
                },
                outcome: row.opt_text(),
            })
        })
        .collect()
}
