//! Messages that go out: the facts of a message written in the customer's language, templates
//! the business can edit (English, Spanish and Italian shipped), and the rendered text.

pub mod facts;
pub mod pdf;
pub mod qr;
pub mod smtp;
pub mod statement;
pub mod templates;

pub use facts::{Claim, Draft, Facts, Hold, InvoiceLine, PlanNotice};
pub use smtp::{FileAttachment, Mailer, Outgoing, SendError};
pub use templates::{Rendered, TemplateError, Templates};
