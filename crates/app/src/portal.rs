//! The customer's own page: a private link per customer (no account), unguessable (256 random
//! bits, kept only as its SHA-256), that expires and can be revoked; what the page shows and
//! what the customer may say there (a date they will pay by, a dispute on one invoice) go
//! through the same rules as a conversation recorded by a person.

use crate::AppError;
use chrono::{NaiveDateTime, TimeDelta};
use overdue_core::contact::NonPaymentReason;
use overdue_core::customer::Customer;
use overdue_core::refusal::Refusal;
use overdue_store::{Organisation, Store};

/// How long a link opens the page unless asked otherwise, in days.
pub const LINK_DAYS_DEFAULT: i64 = 60;
/// The longest a link may stay open, in days.
pub const LINK_DAYS_MAX: i64 = 366;
/// The reasons a customer may give on their page for disputing an invoice: each questions the
/// invoice itself (a delay is not a dispute).
pub const DISPUTE_REASONS: [NonPaymentReason; 5] = [
    NonPaymentReason::NotReceived,
    NonPaymentReason::DisputedQuality,
    NonPaymentReason::DisputedQuantity,
    NonPaymentReason::DisputedPrice,
    NonPaymentReason::Other,
];

/// Who the books say did what the customer did on their page.
pub const BY_CUSTOMER: &str = "the customer (their page)";

/// A link made: its secret (shown once, only ever in the link) and until when it opens the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkMade {
    pub secret: String,
    pub expires_at: NaiveDateTime,
}

/// Makes a link to `customer`'s page, open from `now` for `days` days.
///
/// Errors: [`AppError::Invalid`] for `days` outside 1..=[`LINK_DAYS_MAX`]; [`AppError::Store`]
/// for a customer the books do not hold; [`AppError::Refused`] without a random source.
pub fn make_link(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    (now, days): (NaiveDateTime, i64),
) -> Result<LinkMade, AppError> {
    if !(1..=LINK_DAYS_MAX).contains(&days) {
        return Err(AppError::Invalid {
            field: "days",
            reason: format!("{days} days: a link opens the page for 1 to {LINK_DAYS_MAX} days").into(),
        });
    }
    let secret = crate::tokens::random_hex()?;
    let expires_at = now + TimeDelta::days(days);
    store.create_customer_link(organisation.id, (customer, &crate::tokens::digest(&secret)), (now, expires_at))?;
    Ok(LinkMade { secret, expires_at })
}

/// The organisation and customer a link's `secret` opens at `now`.
///
/// Errors: [`AppError::Refused`] with one answer ([`Refusal::LinkClosed`]) for a secret that is
/// no link, or one expired or revoked (nothing says which); store errors.
pub fn open(store: &mut dyn Store, secret: &str, now: NaiveDateTime) -> Result<(Organisation, Customer), AppError> {
    let closed = || AppError::Refused(Refusal::LinkClosed);
    let link = store.customer_link(&crate::tokens::digest(secret.trim()))?.ok_or_else(closed)?;
    if link.revoked || link.expires_at <= now {
        return Err(closed());
    }
    let organisation = store.organisations()?.into_iter().find(|o| o.id == link.tenant).ok_or_else(closed)?;
    let customer = store.customer(organisation.id, &link.customer)?.ok_or_else(closed)?;
    Ok((organisation, customer))
}

/// Opens the page for `secret` at `now` as [`open`] does, and notes the visit on the customer's
/// timeline (one entry a day, counting the times).
///
/// Errors: as [`open`].
pub fn visit(store: &mut dyn Store, secret: &str, now: NaiveDateTime) -> Result<(Organisation, Customer), AppError> {
    let (organisation, customer) = open(store, secret, now)?;
    store.note_customer_page_visit(organisation.id, customer.code.as_str(), now)?;
    Ok((organisation, customer))
}

/// Revokes every link to `customer`'s page: none opens it any more. How many were open.
///
/// Errors: store errors (an unknown customer).
pub fn revoke(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &str,
    now: NaiveDateTime,
) -> Result<u64, AppError> {
    Ok(store.revoke_customer_links(organisation.id, customer, now)?)
}

/// The customer commits on their page to pay `amount` (as the books read it, e.g. `"1500.00"`)
/// by `date`: a promise to pay like any other, made by them today, covering their oldest debts
/// in their own currency as far as it reaches.
///
/// Errors: as [`crate::followup::record_promise`] (a date past or over a year ahead, an amount
/// of nothing or more than is owed).
pub fn promise(
    store: &mut dyn Store,
    (organisation, customer): (&Organisation, &Customer),
    today: chrono::NaiveDate,
    (date, amount): (chrono::NaiveDate, &str),
) -> Result<crate::followup::PromiseRecorded, AppError> {
    let stated = crate::followup::PromiseStated {
        customer: customer.code.to_string(),
        amount: amount.trim().to_owned(),
        promised_date: date,
        made_on: today,
        method: None,
        promised_by: Some(BY_CUSTOMER.to_owned()),
        invoices: Vec::new(),
        currency: None,
        within_pending: true,
    };
    let recorded = crate::followup::record_promise(store, organisation, &stated, BY_CUSTOMER)?;
    let promise = &recorded.promise;
    let said = format!(
        "{} promised on their page to pay {} by {}: the ladder waits until then.",
        customer.legal_name, promise.amount, promise.promised_date
    );
    answered(store, (organisation, customer), today, (&format!("promise-{}", recorded.id), said))?;
    Ok(recorded)
}

/// How far ahead the first instalment of a plan set up on the customer's page may fall, in days.
pub const PLAN_FIRST_DAYS_MAX: i64 = 30;

/// A payment plan the customer may set up on their page on a day: at most `max` monthly
/// instalments for `owed` (in their currency), covering `invoices`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOffer {
    pub max: usize,
    pub owed: overdue_core::Money,
    pub invoices: Vec<overdue_core::ids::InvoiceNumber>,
}

/// The plan `customer` may set up on their page on `today`: what they have overdue in their
/// currency, not disputed, not said paid, in no plan kept so far.
///
/// Errors: [`AppError::Invalid`] with [`Refusal::PlanNotOffered`] when the business offers none
/// (`page_plan_instalments` on the letterhead); [`Refusal::PlanBrokenBefore`] when a plan of
/// theirs broke (a new one is agreed with a person); [`Refusal::PlanAfterFinalDemand`] when a
/// final demand went, or waits to go, about what it would cover; [`Refusal::NothingToPlan`];
/// store errors.
pub fn plan_offer(
    store: &mut dyn Store,
    (organisation, customer): (&Organisation, &Customer),
    today: chrono::NaiveDate,
) -> Result<PlanOffer, AppError> {
    let refused = |reason: Refusal| AppError::Invalid { field: "count", reason };
    let max = store.letterhead(organisation.id)?.page_plan_instalments.map_or(0, usize::from);
    if max < overdue_core::payment_plan::PLAN_INSTALMENTS_MIN {
        return Err(refused(Refusal::PlanNotOffered { count: 0, max: 0 }));
    }
    let state = store.customer_state(organisation.id, customer.code.as_str(), today)?;
    let grace = state.policy(&store.policy_book(organisation.id)?).promise_grace_days;
    for plan in &state.plans {
        let open = crate::plans::open_of(&state, plan);
        if let overdue_core::payment_plan::PlanState::Broken { missed } = plan.state(today, grace, open) {
            return Err(refused(Refusal::PlanBrokenBefore {
                id: plan.id,
                on: plan.broken_on.unwrap_or(missed.due_date),
            }));
        }
    }
    let (free, _) = crate::plans::plannable(&state, (today, customer.currency, grace));
    let final_sent = |number: &overdue_core::ids::InvoiceNumber| {
        state.invoices.iter().any(|i| {
            i.number == *number && i.last_step.as_ref().is_some_and(|s| s.tone == overdue_core::policy::Tone::Final)
        })
    };
    if free.iter().any(|(number, _)| final_sent(number)) || final_demand_waiting(store, organisation, customer, today)?
    {
        return Err(refused(Refusal::PlanAfterFinalDemand));
    }
    if free.is_empty() {
        return Err(refused(Refusal::NothingToPlan));
    }
    let owed = overdue_core::Money::new(free.iter().map(|(_, open)| open.amount_minor()).sum(), customer.currency);
    Ok(PlanOffer { max, owed, invoices: free.into_iter().map(|(number, _)| number).collect() })
}

/// Whether a final demand to `customer` waits in the outbox.
fn final_demand_waiting(
    store: &mut dyn Store,
    organisation: &Organisation,
    customer: &Customer,
    today: chrono::NaiveDate,
) -> Result<bool, AppError> {
    for message in store.queued_messages(organisation.id, Some(customer.code.as_str()), today)? {
        let action = store.action(organisation.id, message.action_id)?;
        if action.tone.as_deref() == Some(overdue_core::policy::Tone::Final.as_str()) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The customer sets up on their page the payment plan offered there ([`plan_offer`]): `count`
/// equal monthly instalments from `first`.
///
/// Errors: as [`plan_offer`]; [`Refusal::PlanNotOffered`] for more instalments than offered;
/// [`Refusal::PlanFirstTooLate`] for a first instalment more than [`PLAN_FIRST_DAYS_MAX`] days
/// away; [`AppError::Invalid`] for a day past; as [`crate::plans::create`].
pub fn plan(
    store: &mut dyn Store,
    (organisation, customer): (&Organisation, &Customer),
    (today, now): (chrono::NaiveDate, NaiveDateTime),
    (count, first): (usize, chrono::NaiveDate),
) -> Result<overdue_core::payment_plan::PaymentPlan, AppError> {
    let offer = plan_offer(store, (organisation, customer), today)?;
    if !(overdue_core::payment_plan::PLAN_INSTALMENTS_MIN..=offer.max).contains(&count) {
        return Err(AppError::Invalid { field: "count", reason: Refusal::PlanNotOffered { count, max: offer.max } });
    }
    if first < today {
        return Err(AppError::Invalid { field: "first", reason: Refusal::DayPast { day: first, today } });
    }
    if (first - today).num_days() > PLAN_FIRST_DAYS_MAX {
        return Err(AppError::Invalid { field: "first", reason: Refusal::PlanFirstTooLate { first } });
    }
    let stated = crate::plans::PlanStated {
        customer: customer.code.to_string(),
        invoices: offer.invoices.iter().map(ToString::to_string).collect(),
        schedule: crate::plans::Schedule::Monthly { count, first },
        agreed_on: today,
    };
    let plan = crate::plans::create(store, organisation, &stated, (BY_CUSTOMER, now))?;
    let numbers: Vec<&str> = plan.invoices.iter().map(|n| n.as_str()).collect();
    let said = format!(
        "{} set up payment plan {} on their page: {} in {count} monthly instalments from {first} ({}).",
        customer.legal_name,
        plan.id,
        plan.principal,
        numbers.join(", ")
    );
    answered(store, (organisation, customer), today, (&format!("plan-{}", plan.id), said))?;
    Ok(plan)
}

/// Puts what the customer said on their page on the work list, once (`key_part`).
fn answered(
    store: &mut dyn Store,
    (organisation, customer): (&Organisation, &Customer),
    today: chrono::NaiveDate,
    (key_part, said): (&str, String),
) -> Result<(), AppError> {
    let action = overdue_core::engine::customer_answered(&customer.code, today, key_part, said);
    store.add_actions(organisation.id, customer.code.as_str(), &[action])?;
    // a reminder waiting to go about what they just answered is withdrawn now, not when sent
    crate::outbox::withdraw_stale(store, organisation, today, Some(customer.code.as_str()))?;
    Ok(())
}

/// The customer disputes one of their open invoices on their page, with a reason that questions
/// it (quality, quantity, price, not received…) and what they wrote: only that invoice pauses.
///
/// Errors: [`Refusal::NotAReason`] for a reason not in [`DISPUTE_REASONS`];
/// as [`crate::open_invoice`] for an invoice not open on their account; as
/// [`crate::followup::open_dispute`] (a delay given as the reason, a dispute already open).
pub fn dispute(
    store: &mut dyn Store,
    (organisation, customer): (&Organisation, &Customer),
    today: chrono::NaiveDate,
    (invoice, reason, note): (&str, &str, &str),
) -> Result<overdue_core::dispute::Dispute, AppError> {
    // a delay is answered as one (by the rule for disputes); any other reason not offered is none
    let offered = |why: NonPaymentReason| DISPUTE_REASONS.contains(&why) || !why.may_open_dispute();
    if !NonPaymentReason::parse(reason).is_some_and(offered) {
        return Err(AppError::Invalid {
            field: "reason",
            reason: Refusal::NotAReason { reason: reason.trim().to_owned() },
        });
    }
    let state = store.customer_state(organisation.id, customer.code.as_str(), today)?;
    crate::open_invoice(store, organisation, ("invoice", &state), invoice)?;
    let note = Some(note.trim().to_owned()).filter(|n| !n.is_empty());
    let dispute =
        crate::followup::open_dispute(store, organisation, (invoice.trim(), reason, note.clone()), today, BY_CUSTOMER)?;
    let wrote = note.map_or(String::new(), |n| format!(": {n:?}"));
    let said = format!(
        "{} disputed {} on their page ({}){wrote}. Look into it and resolve the dispute; only this invoice waits.",
        customer.legal_name,
        dispute.invoice,
        dispute.reason.as_str().replace('_', " ")
    );
    answered(store, (organisation, customer), today, (&format!("dispute-{}-{today}", dispute.invoice), said))?;
    Ok(dispute)
}

/// The customer says on their page that one of their open invoices is already paid: on
/// `paid_on`, `amount` (as the books read it, in the invoice's currency), quoting `reference`.
/// The invoice waits a few days and someone is asked to look for the money.
///
/// Errors: as [`crate::said_paid::record`].
pub fn said_paid(
    store: &mut dyn Store,
    (organisation, customer): (&Organisation, &Customer),
    (today, now): (chrono::NaiveDate, NaiveDateTime),
    (invoice, paid_on, amount, reference): (&str, chrono::NaiveDate, &str, &str),
) -> Result<overdue_core::payment_claim::PaymentClaim, AppError> {
    let stated = crate::said_paid::ClaimStated {
        customer: customer.code.to_string(),
        invoice: invoice.to_owned(),
        paid_on,
        amount: amount.to_owned(),
        reference: Some(reference.to_owned()),
        made_on: today,
    };
    let claim = crate::said_paid::record(store, organisation, &stated, (BY_CUSTOMER, now))?;
    crate::outbox::withdraw_stale(store, organisation, today, Some(customer.code.as_str()))?;
    Ok(claim)
}

/// The customer names on their page who approves invoices on their side (a name, and an e-mail
/// when given): their invoice approver contact, the change on their timeline as theirs. Returns
/// what changed.
///
/// Errors: [`AppError::Invalid`] for an empty name or an e-mail that is not one (nothing is
/// changed then); store errors.
pub fn name_approver(
    store: &mut dyn Store,
    (organisation, customer): (&Organisation, &Customer),
    (name, email): (&str, &str),
    now: NaiveDateTime,
) -> Result<Vec<overdue_core::customer_fields::Change>, AppError> {
    if name.trim().is_empty() {
        return Err(AppError::Invalid {
            field: "approver_name",
            reason: Refusal::Empty(overdue_core::refusal::Ask::WhoApproves),
        });
    }
    let email = email.trim();
    if !email.is_empty() && overdue_core::ids::Email::parse(email).is_err() {
        return Err(AppError::Invalid {
            field: "approver_email",
            reason: Refusal::NotAnEmail { email: email.to_owned() },
        });
    }
    // a new person comes with their own address, or none: never the one named before
    let fields = vec![
        ("approver_name".to_owned(), name.trim().to_owned()),
        ("approver_email".to_owned(), email.trim().to_owned()),
    ];
    let changes = crate::customers::set(store, organisation.id, customer.code.as_str(), &fields, (BY_CUSTOMER, now))?;
    let with = if email.is_empty() { String::new() } else { format!(" <{email}>") };
    let said = format!(
        "{} named {}{with} on their page as who approves their invoices: escalations go to them.",
        customer.legal_name,
        name.trim()
    );
    // once per person named at a time (two named within a second are two answers)
    let named = overdue_core::fingerprint::Fingerprint::default().text(name.trim()).text(email).finish();
    let key = format!("approver-{}-{named:016x}", now.format("%Y%m%d%H%M%S"));
    answered(store, (organisation, customer), now.date(), (&key, said))?;
    Ok(changes)
}
