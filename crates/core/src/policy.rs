//! Dunning policies as data: an ordered ladder of steps, each anchored on the invoice being sent,
//! its due date, or the previous step, with an offset in days, a channel, a tone and the template
//! to use, and conditions (minimum amount, customer segment, first lapse or repeat offender).
//! Cadence (the steps and their offsets) and tone (how firm the wording is) are set separately:
//! a policy's `tone_shift` makes every step softer or firmer without touching its dates.

use crate::contact::named_enum;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

named_enum! {
    /// What a step's offset counts from.
    Anchor {
        Sent = "sent",
        DueDate = "due_date" | "due",
        PreviousStep = "previous_step" | "previous",
    }
}

named_enum! {
    /// How a step reaches the customer.
    StepChannel {
        Email = "email",
        CallTask = "call",
        Letter = "letter",
        ApproverEscalation = "approver_escalation",
        FinalDemand = "final_demand",
        AgencyHandOff = "agency_hand_off" | "agency",
    }
}

named_enum! {
    /// How firm the wording is, from a first friendly note to the last word before an agency.
    Tone {
        Friendly = "friendly",
        Firm = "firm",
        Serious = "serious",
        Final = "final",
    }
}

named_enum! {
    /// Which customers a step is for, by their own record.
    Offender {
        Any = "any",
        FirstLapse = "first_lapse",
        RepeatOffender = "repeat_offender",
    }
}

impl Tone {
    /// This tone moved `shift` levels firmer (negative: softer), within the scale.
    pub fn shifted(self, shift: i8) -> Tone {
        let level = (Tone::ALL.iter().position(|t| *t == self).unwrap_or(0) as i64 + i64::from(shift))
            .clamp(0, Tone::ALL.len() as i64 - 1);
        Tone::ALL[level as usize]
    }

    /// One level firmer.
    pub fn firmer(self) -> Tone {
        self.shifted(1)
    }
}

/// When a step applies at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepConditions {
    /// Only when the customer owes at least this much, in whole units of the invoice's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<u32>,
    /// Only for customers in one of these segments (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    #[serde(default = "any_offender")]
    pub offender: Offender,
}

impl Default for StepConditions {
    fn default() -> Self {
        Self { min_amount: None, segments: Vec::new(), offender: Offender::Any }
    }
}

fn any_offender() -> Offender {
    Offender::Any
}

/// One rung of the ladder. Two adjacent steps, one for first lapses and one for repeat
/// offenders, are alternatives: a customer takes only one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique within the policy; recorded on each invoice the step was taken for.
    pub name: String,
    pub anchor: Anchor,
    /// Days after the anchor (negative: before it). From `sent` they are business days.
    pub offset_days: i32,
    pub channel: StepChannel,
    pub tone: Tone,
    /// The message or letter template to use.
    pub template: String,
    #[serde(default)]
    pub conditions: StepConditions,
    /// A late fee the business charges when the step is taken: at most once per invoice and step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<LateFee>,
    /// Whether its messages wait for a person's approval; unset: the shipped rule (final
    /// demands and agency hand-offs do, see `engine::approval_reason`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<bool>,
    /// For a final demand: the days it gives to pay, from its date; unset: the practice of the
    /// organisation's country (`legal::demand_deadline_days`). No later step comes before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_days: Option<u32>,
}

impl Step {
    /// The last day to pay that this step's message gives when taken on `on`, if it gives one (a
    /// final demand does); `country`: the organisation's.
    pub fn deadline(&self, on: chrono::NaiveDate, country: Option<crate::ids::Country>) -> Option<chrono::NaiveDate> {
        if self.channel != StepChannel::FinalDemand {
            return None;
        }
        let days = self
            .deadline_days
            .or_else(|| country.map(|c| crate::legal::demand_deadline_days(c, &self.template)))
            .unwrap_or(14);
        Some(crate::date::add_days(on, i64::from(days)))
    }
}

/// A late fee defined by the business for a dunning step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum LateFee {
    /// A fixed amount in the invoice's currency, as a decimal ("15.00").
    Fixed(String),
    /// A percentage of what is open on the invoice ("2.5"), at most two decimals.
    Percent(String),
}

impl LateFee {
    /// The fee on an invoice with `open` still owed; rounded half-up to the minor unit.
    pub fn amount(&self, open: Money) -> Result<Money, String> {
        match self {
            Self::Fixed(text) => Money::parse(text, open.currency())
                .ok()
                .filter(|m| m.amount_minor() >= 0)
                .ok_or_else(|| format!("fee {text:?} is not an amount such as 15.00")),
            Self::Percent(text) => {
                let rate = crate::rates::Rate::parse_percent(text)
                    .filter(|r| r.0 <= 10_000)
                    .ok_or_else(|| format!("fee {text:?} % is not a percentage between 0 and 100"))?;
                let base = i128::from(open.amount_minor().max(0)) * i128::from(rate.0);
                Ok(Money::new(((base * 2 + 10_000) / 20_000) as i64, open.currency()))
            }
        }
    }
}

/// A whole ladder and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub name: String,
    /// Every step this many tone levels firmer (negative: softer); dates are not affected.
    #[serde(default)]
    pub tone_shift: i8,
    /// Days after a promised date a payment still counts as keeping the promise.
    #[serde(default = "default_grace")]
    pub promise_grace_days: u32,
    /// Days after the invoice date with no contact that raise the alarm.
    #[serde(default = "default_alarm")]
    pub alarm_days: u32,
    /// One statement of account by e-mail early each month (in its first 7 days, on the first
    /// business day a run plans) instead of an e-mail reminder per invoice: the e-mail steps are
    /// left out; calls, letters, escalations and final demands stay.
    #[serde(default)]
    pub monthly_statement: bool,
    pub steps: Vec<Step>,
}

fn default_grace() -> u32 {
    3
}

fn default_alarm() -> u32 {
    60
}

/// When a customer's own history makes them a habitual late payer, to be switched to prepayment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HabitRule {
    /// Judge only customers with at least this many invoices paid in the last year.
    pub min_paid_invoices: u32,
    /// Flag when at least this share (percent) of them were paid after their due date…
    pub late_share_percent: u32,
    /// …and were on average at least this many days late (a day or two is not a habit)…
    #[serde(default = "default_min_days_late")]
    pub min_average_days_late: u32,
    /// …or when they broke at least this many promises to pay.
    pub broken_promises: u32,
}

fn default_min_days_late() -> u32 {
    10
}

impl Default for HabitRule {
    fn default() -> Self {
        Self {
            min_paid_invoices: 5,
            late_share_percent: 60,
            min_average_days_late: default_min_days_late(),
            broken_promises: 3,
        }
    }
}

/// Every policy of an organisation and who follows which: customers by segment, with a
/// per-customer override (kept on the customer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyBook {
    pub default_policy: String,
    /// Segment name → policy name.
    #[serde(default)]
    pub segments: BTreeMap<String, String>,
    #[serde(default)]
    pub prepayment: HabitRule,
    pub policies: Vec<Policy>,
    /// The organisation's country (set by the store when it reads the book, not part of it):
    /// the deadline a final demand gives follows its practice.
    #[serde(skip)]
    pub country: Option<crate::ids::Country>,
}

/// Why a policy book cannot be used, naming the policy and step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("policy {policy:?}: {reason}")]
    Policy { policy: String, reason: String },
    #[error("policy {policy:?}, step {position} ({step:?}): {reason}")]
    Step { policy: String, position: usize, step: String, reason: String },
    #[error("{0}")]
    Book(String),
}

impl PolicyBook {
    /// The policy for a customer: their own override, else their segment's, else the default.
    /// The book must be valid ([`Self::validate`]): it then has at least one policy.
    pub fn for_customer(&self, segment: Option<&str>, override_name: Option<&str>) -> &Policy {
        let by_segment = segment.and_then(|s| self.segments.get(s)).map(String::as_str);
        [override_name, by_segment, Some(self.default_policy.as_str())]
            .into_iter()
            .flatten()
            .find_map(|name| self.policy(name))
            .unwrap_or(&self.policies[0])
    }

    pub fn policy(&self, name: &str) -> Option<&Policy> {
        self.policies.iter().find(|p| p.name == name)
    }

    /// Every segment the book gives meaning to: those mapped to a policy and those a step's
    /// conditions name, sorted, each once.
    pub fn segment_names(&self) -> Vec<&str> {
        let mapped = self.segments.keys().map(String::as_str);
        let conditions = self.policies.iter().flat_map(|p| &p.steps).flat_map(|s| &s.conditions.segments);
        let mut names: Vec<&str> = mapped.chain(conditions.map(String::as_str)).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Every message template the book's steps name (calls need none), to check they exist
    /// before the book is used.
    pub fn message_templates(&self) -> Vec<&str> {
        let steps = self.policies.iter().flat_map(|p| &p.steps);
        let mut names: Vec<&str> =
            steps.filter(|s| s.channel != StepChannel::CallTask).map(|s| s.template.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Checks the whole book: names unique and known, every step usable.
    pub fn validate(&self) -> Result<(), PolicyError> {
        if self.policies.is_empty() {
            return Err(PolicyError::Book("a policy book needs at least one policy".into()));
        }
        if self.policy(&self.default_policy).is_none() {
            return Err(PolicyError::Book(format!("the default policy {:?} is not defined", self.default_policy)));
        }
        for (segment, name) in &self.segments {
            if self.policy(name).is_none() {
                return Err(PolicyError::Book(format!("segment {segment:?} follows {name:?}, which is not defined")));
            }
        }
        for (i, policy) in self.policies.iter().enumerate() {
            if self.policies[..i].iter().any(|p| p.name == policy.name) {
                return Err(PolicyError::Book(format!("policy {:?} is defined twice", policy.name)));
            }
            policy.validate()?;
        }
        Ok(())
    }
}

impl Policy {
    fn validate(&self) -> Result<(), PolicyError> {
        let policy_error = |reason: &str| PolicyError::Policy { policy: self.name.clone(), reason: reason.into() };
        if self.name.trim().is_empty() {
            return Err(policy_error("a policy needs a name"));
        }
        if self.steps.is_empty() {
            return Err(policy_error("a policy needs at least one step"));
        }
        if !(-3..=3).contains(&self.tone_shift) {
            return Err(policy_error("tone_shift must be between -3 and 3"));
        }
        // days are added to dates: a number beyond a year is a typo, and huge ones would
        // overflow the calendar
        if self.alarm_days == 0 || self.alarm_days > 365 {
            return Err(policy_error(&format!("alarm_days {} must be between 1 and 365", self.alarm_days)));
        }
        if self.promise_grace_days > 90 {
            return Err(policy_error(&format!("promise_grace_days {} must be at most 90", self.promise_grace_days)));
        }
        for (i, step) in self.steps.iter().enumerate() {
            let step_error = |reason: String| PolicyError::Step {
                policy: self.name.clone(),
                position: i + 1,
                step: step.name.clone(),
                reason,
            };
            if step.name.trim().is_empty() || step.template.trim().is_empty() {
                return Err(step_error("a step needs a name and a template".into()));
            }
            if self.steps[..i].iter().any(|s| s.name == step.name) {
                return Err(step_error("another step already has this name".into()));
            }
            if !(-365..=365).contains(&step.offset_days) {
                return Err(step_error(format!("offset_days {} is more than a year", step.offset_days)));
            }
            if step.deadline_days.is_some_and(|days| !(1..=90).contains(&days)) {
                return Err(step_error("deadline_days must be between 1 and 90".into()));
            }
            if step.anchor == Anchor::PreviousStep && step.offset_days < 0 {
                return Err(step_error("a step cannot come before the previous step".into()));
            }
            if let Some(fee) = &step.fee {
                fee.amount(Money::zero(crate::Currency::EUR)).map_err(step_error)?;
            }
        }
        Ok(())
    }

    /// The tone a step is written in under this policy.
    pub fn tone_of(&self, step: &Step) -> Tone {
        step.tone.shifted(self.tone_shift)
    }
}

impl StepConditions {
    /// Whether `owed` (what the customer owes in one currency) reaches the minimum.
    pub fn amount_reached(&self, owed: Money) -> bool {
        let Some(min) = self.min_amount else { return true };
        let scale = 10i64.pow(u32::from(owed.currency().exponent()));
        owed.amount_minor() >= i64::from(min).saturating_mul(scale)
    }
}

/// The ladder modelled on the seeds: a receipt check one business day after sending, a friendly
/// contact three days before the due date, then friendly (or, for repeat offenders, firm) e-mail,
/// firm e-mail, a call asking why, escalation to the invoice approver, a final demand with
/// interest and fees, and the hand-off to a collection agency.
pub fn default_book() -> PolicyBook {
    let step = |name: &str, anchor, offset_days, channel, tone, template: &str, offender| Step {
        name: name.into(),
        anchor,
        offset_days,
        channel,
        tone,
        template: template.into(),
        conditions: StepConditions { min_amount: None, segments: vec![], offender },
        fee: None,
        approval: None,
        deadline_days: None,
    };
    use Anchor::*;
    use StepChannel::*;
    use Tone::*;
    let mut agency = step("agency", PreviousStep, 14, AgencyHandOff, Final, "agency_hand_off", Offender::Any);
    agency.conditions.min_amount = Some(100);
    let standard = Policy {
        name: "standard".into(),
        tone_shift: 0,
        promise_grace_days: default_grace(),
        alarm_days: default_alarm(),
        monthly_statement: false,
        steps: vec![
            step("receipt_check", Sent, 1, CallTask, Friendly, "receipt_check", Offender::Any),
            step("pre_due", DueDate, -3, Email, Friendly, "pre_due_reminder", Offender::Any),
            step("first_reminder", DueDate, 3, Email, Friendly, "reminder", Offender::FirstLapse),
            step("first_reminder_firm", DueDate, 1, Email, Firm, "reminder", Offender::RepeatOffender),
            step("second_reminder", PreviousStep, 7, Email, Firm, "reminder", Offender::Any),
            step("ask_why", PreviousStep, 7, CallTask, Firm, "ask_why_call", Offender::Any),
            step("approver", PreviousStep, 7, ApproverEscalation, Serious, "approver_escalation", Offender::Any),
            step("final_demand", PreviousStep, 10, FinalDemand, Final, "final_demand", Offender::Any),
            agency,
        ],
    };
    PolicyBook {
        default_policy: "standard".into(),
        segments: BTreeMap::new(),
        prepayment: HabitRule::default(),
        policies: vec![standard],
        country: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_book_is_valid_and_chosen_by_override_then_segment() {
        let mut book = default_book();
        book.validate().unwrap();
        let mut gentle = book.policies[0].clone();
        gentle.name = "gentle".into();
        gentle.tone_shift = -1;
        book.policies.push(gentle);
        book.segments.insert("public_sector".into(), "gentle".into());
        book.validate().unwrap();
        assert_eq!(book.for_customer(None, None).name, "standard");
        assert_eq!(book.for_customer(Some("public_sector"), None).name, "gentle");
        assert_eq!(book.for_customer(Some("public_sector"), Some("standard")).name, "standard");
        assert_eq!(book.for_customer(Some("unknown"), Some("missing")).name, "standard");
    }

    #[test]
    fn late_fees_are_fixed_or_a_percentage_and_bad_ones_are_refused() {
        let eur = |minor| Money::new(minor, crate::Currency::EUR);
        assert_eq!(LateFee::Fixed("15.00".into()).amount(eur(1_000_00)), Ok(eur(15_00)));
        assert_eq!(LateFee::Percent("2".into()).amount(eur(1_234_50)), Ok(eur(24_69)));
        assert_eq!(LateFee::Percent("0.5".into()).amount(eur(1_01)), Ok(eur(1)), "0.505 rounds half-up");
        let step: Step = serde_json::from_str(
            r#"{"name":"late","anchor":"due_date","offset_days":10,"channel":"email","tone":"firm","template":"t",
                "fee":{"fixed":"15.00"}}"#,
        )
        .unwrap();
        assert_eq!(step.fee, Some(LateFee::Fixed("15.00".into())));
        let mut book = default_book();
        book.policies[0].steps[3].fee = Some(LateFee::Percent("150".into()));
        let err = book.validate().unwrap_err().to_string();
        assert!(err.contains("step 4") && err.contains("between 0 and 100"), "{err}");
        book.policies[0].steps[3].fee = Some(LateFee::Fixed("fifteen".into()));
        assert!(book.validate().is_err());
    }

    #[test]
    fn tone_shifts_stay_on_the_scale() {
        assert_eq!(Tone::Friendly.shifted(-1), Tone::Friendly);
        assert_eq!(Tone::Firm.shifted(1), Tone::Serious);
        assert_eq!(Tone::Serious.shifted(5), Tone::Final);
    }

    #[test]
    fn broken_books_are_refused_with_the_step_named() {
        let mut book = default_book();
        book.policies[0].steps[4].offset_days = -2;
        let error = book.validate().unwrap_err().to_string();
        assert!(error.contains("step 5 (\"second_reminder\")"), "{error}");
        let mut book = default_book();
        book.segments.insert("vip".into(), "nope".into());
        assert!(book.validate().unwrap_err().to_string().contains("\"nope\""));
    }
}
