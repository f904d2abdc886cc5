//! A collection history brought over from another system: the disputes, promises to pay and
//! conversations a business had before overdue, each the same record a person enters by hand.

use crate::contact::Interaction;
use crate::dispute::Dispute;
use crate::fingerprint::Fingerprint;
use crate::ids::CustomerCode;
use crate::promise::PromiseToPay;

/// One record of a collection history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryRecord {
    /// A dispute on an invoice, resolved when `resolved_on` is set (with how).
    Dispute {
        dispute: Dispute,
        resolution: Option<String>,
    },
    Promise {
        customer: CustomerCode,
        promise: PromiseToPay,
    },
    Interaction {
        customer: CustomerCode,
        interaction: Interaction,
    },
}

impl HistoryRecord {
    /// What identifies the record's content: the same row imported again has the same
    /// fingerprint (its `Debug` form covers every field).
    pub fn fingerprint(&self) -> i64 {
        Fingerprint::default().text(&format!("{self:?}")).finish()
    }
}
