//! Disputes: the customer contests one invoice (quality, quantity, price, never received). An
//! open dispute pauses the follow-up of that invoice only; its undisputed siblings are chased.

use crate::contact::NonPaymentReason;
use crate::ids::InvoiceNumber;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One invoice in dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub invoice: InvoiceNumber,
    pub reason: NonPaymentReason,
    pub note: Option<String>,
    pub opened_on: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
}

impl Dispute {
    /// Open on `as_of`: opened by then and not yet resolved by then.
    pub fn is_open(&self, as_of: NaiveDate) -> bool {
        self.opened_on <= as_of && self.resolved_on.is_none_or(|resolved| resolved > as_of)
    }
}
