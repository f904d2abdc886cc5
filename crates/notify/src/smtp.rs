//! Delivery over SMTP: one connection pool per run (connections are reused from message to
//! message), STARTTLS or TLS and authentication as the URL says, and every failure classed as
//! temporary (try again later: a 4xx reply, a dropped connection) or permanent (a 5xx reply: the
//! address does not exist, the message is refused), so the outbox knows what to do with it.

mod client;

use crate::templates::Rendered;
use client::{Connection, Server};
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};

/// Why a message was not handed over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Will fail again: a person must act (fix the address, reach the customer another way).
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// The connection was lost after the whole message was handed over: it may have been
    /// delivered. Never retried by itself.
    #[error(
        "fate unknown (the connection was lost after the message was handed over: check before sending it again): {0}"
    )]
    Uncertain(String),
    /// The sender's own settings are wrong (server URL, From address).
    #[error("{0}")]
    Settings(String),
}

/// A file sent with a message (the invoice, a letter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileAttachment {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// One message to send.
#[derive(Debug, Clone)]
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub message: &'a Rendered,
    /// Without the angle brackets: `outbox-1-42@example.com`.
    pub message_id: &'a str,
    pub language: &'a str,
    pub attachments: &'a [FileAttachment],
}

/// An SMTP server to send through, with the sender's address; one connection kept open from
/// message to message.
pub struct Mailer {
    server: Server,
    from: Mailbox,
    client_name: String,
    connection: Option<Connection>,
}

impl Drop for Mailer {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            connection.quit();
        }
    }
}

impl Mailer {
    /// `smtp://host:port` (plain, for a local relay), `smtp://user:password@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:password@host` (TLS); `from` is `Name <address>` or an address.
    pub fn new(url: &str, from: &str) -> Result<Self, SendError> {
        let server = Server::parse(url)?;
        let from: Mailbox = from.parse().map_err(|e| SendError::Settings(format!("sender address {from:?}: {e}")))?;
        let client_name = from.email.domain().to_owned();
        Ok(Mailer { server, from, client_name, connection: None })
    }

    /// The domain of the sender's address, for Message-IDs.
    pub fn domain(&self) -> String {
        self.from.email.domain().to_owned()
    }

    /// Hands one message to the server. Any failure closes the connection; the next message
    /// opens a new one.
    pub fn send(&mut self, outgoing: &Outgoing) -> Result<(), SendError> {
        let email = self.build(outgoing)?;
        let envelope = email.envelope();
        let from = envelope.from().map(ToString::to_string).unwrap_or_default();
        let to: Vec<String> = envelope.to().iter().map(ToString::to_string).collect();
        let reused = self.connection.take().and_then(|mut open| open.is_fresh_or_alive().then_some(open));
        let mut connection = match reused {
            Some(open) => open,
            None => Connection::open(&self.server, &self.client_name)?,
        };
        connection.send(&from, &to, &email.formatted())?;
        self.connection = Some(connection);
        Ok(())
    }

    fn build(&self, outgoing: &Outgoing) -> Result<Message, SendError> {
        let to: Mailbox = outgoing.to.parse().map_err(|e| {
            SendError::Permanent(format!("the address {:?} is not an e-mail address: {e}", outgoing.to))
        })?;
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .header(ContentLanguage(outgoing.language.to_owned()))
            .body(outgoing.message.body.clone());
        let builder = Message::builder()
            .from(self.from.clone())
            .reply_to(self.from.clone())
            .to(to)
            .subject(outgoing.message.subject.clone())
            .message_id(Some(format!("<{}>", outgoing.message_id)));
        let built = if outgoing.attachments.is_empty() {
            builder.singlepart(text)
        } else {
            let mut mixed = MultiPart::mixed().singlepart(text);
            for file in outgoing.attachments {
                let kind = ContentType::parse(&file.content_type)
                    .map_err(|e| SendError::Settings(format!("{}: {e}", file.file_name)))?;
                mixed = mixed.singlepart(Attachment::new(file.file_name.clone()).body(file.content.clone(), kind));
            }
            builder.multipart(mixed)
        };
        built.map_err(|e| SendError::Permanent(format!("the message cannot be built: {e}")))
    }
}

/// The `Content-Language` header, so mail programs know the message's language.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(text.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}
