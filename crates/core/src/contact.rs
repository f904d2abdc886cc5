//! The contact log: every conversation with a customer, as an append-only fact. Who spoke, how,
//! what was said, the reason given for not paying (from a fixed list plus free text), and the
//! answers of the receipt check as structured fields rather than prose.

use crate::ids::InvoiceNumber;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// The stored name, case-insensitively, with `-` or spaces for `_`, or a known synonym.
            pub fn parse(text: &str) -> Option<Self> {
                let text = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
                match text.as_str() {
                    $($text $(| $alias)* => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// Every accepted name, for error messages.
            pub fn names() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named_enum;

named_enum! {
    /// How a conversation happened (with the words Spanish, Italian, German and French exports use).
    Channel {
        Call = "call" | "phone" | "telephone" | "phone_call" | "llamada" | "llamada_telefonica"
            | "llamada_telefónica" | "telefono" | "teléfono" | "chiamata" | "chiamata_telefonica"
            | "telefonata" | "anruf" | "telefon" | "appel" | "téléphone",
        Email = "email" | "e_mail" | "mail" | "correo" | "correo_electronico" | "correo_electrónico" | "pec"
            | "posta_elettronica" | "courriel",
        Letter = "letter" | "carta" | "burofax" | "lettera" | "raccomandata" | "brief" | "lettre",
        Sms = "sms" | "text" | "text_message" | "mensaje" | "messaggio",
        Meeting = "meeting" | "visit" | "reunion" | "reunión" | "visita" | "riunione" | "incontro" | "besuch"
            | "termin" | "rendez_vous" | "réunion",
        Portal = "portal" | "portale" | "portail" | "web",
    }
}

named_enum! {
    /// Who started it (with the words Spanish, Italian, German and French exports use).
    Direction {
        Outbound = "outbound" | "out" | "outgoing" | "saliente" | "enviada" | "uscita" | "in_uscita" | "ausgehend"
            | "sortant",
        Inbound = "inbound" | "in" | "incoming" | "entrante" | "recibida" | "entrata" | "in_entrata" | "ricevuta"
            | "eingehend" | "entrant",
    }
}

named_enum! {
    /// Why the customer has not paid, as they said it. `Other` goes with free text.
    NonPaymentReason {
        NotReceived = "not_received" | "no_recibida" | "no_recibido" | "factura_no_recibida" | "non_ricevuta"
            | "fattura_non_ricevuta" | "nicht_erhalten" | "non_recue" | "non_reçue",
        DisputedQuality = "disputed_quality" | "quality" | "calidad" | "mercancia_defectuosa" | "mercancía_defectuosa"
            | "defectuosa" | "defectuoso" | "qualita" | "qualità" | "merce_difettosa" | "difettosa" | "mangel"
            | "mängel" | "qualite" | "qualité",
        DisputedQuantity = "disputed_quantity" | "quantity" | "cantidad" | "quantita" | "quantità" | "menge"
            | "quantite" | "quantité",
        DisputedPrice = "disputed_price" | "price" | "precio" | "prezzo" | "preis" | "prix",
        AwaitingApproval = "awaiting_approval" | "approval" | "pendiente_de_aprobacion" | "pendiente_de_aprobación"
            | "in_approvazione" | "freigabe",
        MissingPurchaseOrder = "missing_po" | "missing_purchase_order" | "po" | "falta_pedido" | "sin_pedido"
            | "manca_ordine",
        CashFlow = "cash_flow" | "cashflow" | "liquidez" | "tesoreria" | "tesorería" | "liquidita" | "liquidità"
            | "liquiditat" | "liquidität" | "tresorerie" | "trésorerie",
        WillPayOnDate = "will_pay_on_date" | "will_pay",
        NoAnswer = "no_answer" | "no_contesta" | "sin_respuesta" | "non_risponde" | "keine_antwort",
        Other = "other" | "otro" | "otros" | "altro" | "sonstiges" | "autre",
    }
}

impl NonPaymentReason {
    /// Reasons that put the invoice itself in question (a dispute, not a delay).
    pub fn is_dispute(self) -> bool {
        matches!(self, Self::DisputedQuality | Self::DisputedQuantity | Self::DisputedPrice | Self::NotReceived)
    }

    /// Whether a dispute may be opened for this reason: not for a delay (cash flow, a date to
    /// pay on, no answer), which questions nothing of the invoice and must not stop its chasing.
    pub fn may_open_dispute(self) -> bool {
        !matches!(self, Self::CashFlow | Self::WillPayOnDate | Self::NoAnswer)
    }
}

/// The answers of the receipt-check call, one or two business days after sending. `None` is
/// "not asked" or "did not know".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptCheck {
    pub goods_arrived: Option<bool>,
    pub quality_ok: Option<bool>,
    pub quantity_ok: Option<bool>,
    pub invoice_received: Option<bool>,
    pub approved_for_payment: Option<bool>,
    pub scheduled_payment_on: Option<NaiveDate>,
}

impl ReceiptCheck {
    /// Each yes-or-no question by its code (`goods_arrived`, `quality_ok`, `quantity_ok`,
    /// `invoice_received`, `approved_for_payment`) with its answer, `None` when not asked.
    pub fn answers(&self) -> [(&'static str, Option<bool>); 5] {
        [
            ("goods_arrived", self.goods_arrived),
            ("quality_ok", self.quality_ok),
            ("quantity_ok", self.quantity_ok),
            ("invoice_received", self.invoice_received),
            ("approved_for_payment", self.approved_for_payment),
        ]
    }

    /// A "no" to any question: something stands between this invoice and its payment.
    pub fn has_problem(&self) -> bool {
        [self.goods_arrived, self.quality_ok, self.quantity_ok, self.invoice_received].contains(&Some(false))
    }
}

/// One conversation with a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// When it happened (UTC).
    pub at: NaiveDateTime,
    pub channel: Channel,
    pub direction: Direction,
    /// The customer's person spoken to, by name.
    pub contact: Option<String>,
    /// The user of overdue who recorded it.
    pub recorded_by: String,
    pub summary: String,
    pub outcome: Option<String>,
    pub reason: Option<NonPaymentReason>,
    /// Free text beside the reason ("waiting for the director to sign").
    pub reason_note: Option<String>,
    pub receipt_check: Option<ReceiptCheck>,
    /// Where a recording or document is kept (a path or URL).
    pub attachment: Option<String>,
    /// The invoices this conversation was about (none: the account as a whole).
    pub invoices: Vec<InvoiceNumber>,
}

impl Interaction {
    /// A conversation with the customer: a call, a meeting, an answer on their page, or anything
    /// they sent us. A message we sent (an automated e-mail, a letter) is not one: it says
    /// nothing about whether the customer is engaged (the guide's 60-day alarm counts only
    /// conversations). A call nobody answered is not one either.
    pub fn is_conversation(&self) -> bool {
        is_conversation(self.channel, self.direction) && self.reason != Some(NonPaymentReason::NoAnswer)
    }
}

/// Whether contact on `channel` in `direction` is a conversation (see
/// [`Interaction::is_conversation`]). The store's query for the last conversation mirrors it.
pub fn is_conversation(channel: Channel, direction: Direction) -> bool {
    matches!(channel, Channel::Call | Channel::Meeting | Channel::Portal) || direction == Direction::Inbound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_talking_with_the_customer_is_a_conversation() {
        assert!(is_conversation(Channel::Call, Direction::Outbound));
        assert!(is_conversation(Channel::Email, Direction::Inbound), "their reply");
        assert!(!is_conversation(Channel::Email, Direction::Outbound), "our reminder");
        assert!(!is_conversation(Channel::Letter, Direction::Outbound), "our final demand");
        assert!(is_conversation(Channel::Portal, Direction::Inbound));
    }

    #[test]
    fn names_round_trip_and_synonyms_are_understood() {
        for reason in NonPaymentReason::ALL {
            assert_eq!(NonPaymentReason::parse(reason.as_str()), Some(*reason));
        }
        assert_eq!(NonPaymentReason::parse("Missing PO"), Some(NonPaymentReason::MissingPurchaseOrder));
        assert_eq!(Channel::parse("Phone"), Some(Channel::Call));
        assert_eq!(Channel::parse("fax"), None);
        for (word, channel) in [("Teléfono", Channel::Call), ("chiamata", Channel::Call), ("PEC", Channel::Email)] {
            assert_eq!(Channel::parse(word), Some(channel), "{word}");
        }
        for (word, direction) in [("Saliente", Direction::Outbound), ("entrata", Direction::Inbound)] {
            assert_eq!(Direction::parse(word), Some(direction), "{word}");
        }
        assert!(NonPaymentReason::names().contains("cash_flow"));
    }

    #[test]
    fn a_receipt_check_with_a_no_is_a_problem() {
        let fine = ReceiptCheck { goods_arrived: Some(true), invoice_received: Some(true), ..ReceiptCheck::default() };
        assert!(!fine.has_problem());
        let missing = ReceiptCheck { invoice_received: Some(false), ..fine };
        assert!(missing.has_problem());
    }
}
