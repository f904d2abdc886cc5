//! A collection history brought over from another system: the disputes, promises to pay and
//! conversations a business had before overdue, each the same record a person enters by hand.

use crate::contact::Interaction;
use crate::dispute::Dispute;
use crate::fingerprint::Fingerprint;
use crate::ids::{CustomerCode, InvoiceNumber};
use crate::promise::PromiseToPay;
use chrono::NaiveDate;

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

/// Which invoices a record shows the customer had received, and by when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptEvidence {
    /// These invoices, by this day.
    Invoices(NaiveDate, Vec<InvoiceNumber>),
    /// Every invoice of the customer issued by this day (a promise to pay the balance).
    IssuedBy(NaiveDate, CustomerCode),
}

impl HistoryRecord {
    /// What the record proves was received: a dispute on an invoice, a promise to pay (its
    /// invoices, or the whole balance when it names none), and a conversation with the customer
    /// about named invoices (`contact::is_conversation`) all show that the customer had them. An
    /// invoice imported without a sent date is then taken as sent, so it is never sent again as
    /// new and its reminders follow.
    pub fn receipt_evidence(&self) -> Option<ReceiptEvidence> {
        match self {
            Self::Dispute { dispute, .. } => {
                Some(ReceiptEvidence::Invoices(dispute.opened_on, vec![dispute.invoice.clone()]))
            }
            Self::Promise { customer, promise } if promise.invoices.is_empty() => {
                Some(ReceiptEvidence::IssuedBy(promise.made_on, customer.clone()))
            }
            Self::Promise { promise, .. } => Some(ReceiptEvidence::Invoices(promise.made_on, promise.invoices.clone())),
            Self::Interaction { interaction, .. }
                if !interaction.invoices.is_empty()
                    && crate::contact::is_conversation(interaction.channel, interaction.direction) =>
            {
                Some(ReceiptEvidence::Invoices(interaction.at.date(), interaction.invoices.clone()))
            }
            Self::Interaction { .. } => None,
        }
    }

    /// What identifies the record's content: the same row imported again has the same
    /// fingerprint (its `Debug` form covers every field).
    pub fn fingerprint(&self) -> i64 {
        Fingerprint::default().text(&format!("{self:?}")).finish()
    }
}
