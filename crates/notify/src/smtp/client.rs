//! The SMTP conversation itself (RFC 5321): greeting, EHLO, STARTTLS or TLS from the start, AUTH
//! PLAIN or LOGIN, then MAIL / RCPT / DATA for each message over one connection kept open. Every
//! command and the whole message body go out in one write with Nagle's algorithm off, so a
//! message costs a few round trips and never waits for a delayed acknowledgement.

use super::SendError;
use base64::Engine as _;
use rustls::pki_types::ServerName;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a server may take to answer one command.
const TIMEOUT: Duration = Duration::from_secs(60);
/// The longest reply accepted (a multi-line EHLO fits easily).
const REPLY_BYTES_MAX: usize = 64 * 1024;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS: only for a relay on the same machine or network.
    Plain,
    /// Plain connection upgraded with STARTTLS before anything else is said.
    StartTls,
    /// TLS from the first byte (`smtps://`, usually port 465).
    Tls,
}

/// Where and how to connect, from a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub credentials: Option<(String, String)>,
    /// A PEM file of certificate authorities to trust besides the web's (a company's own CA).
    pub ca_file: Option<String>,
}

impl Server {
    /// `smtp://[user:password@]host[:port][?tls=required][&ca=/path/ca.pem]` or `smtps://…`.
    pub fn parse(url: &str) -> Result<Self, SendError> {
        let bad = |why: &str| SendError::Settings(format!("SMTP server {url:?}: {why}"));
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("write it as smtp://host:port"))?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (user_info, host_port) = rest.rsplit_once('@').map_or((None, rest), |(u, h)| (Some(u), h));
        let host_port = host_port.trim_end_matches('/');
        let starttls = query.split('&').any(|pair| pair == "tls=required" || pair == "tls=starttls");
        let ca_file = query.split('&').find_map(|pair| pair.strip_prefix("ca=")).map(percent_decoded);
        let (security, default_port) = match scheme {
            "smtp" if starttls => (Security::StartTls, 587),
            "smtp" => (Security::Plain, 25),
            "smtps" => (Security::Tls, 465),
            _ => return Err(bad("the scheme must be smtp or smtps")),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) => (host, port.parse().map_err(|_| bad("the port is not a number"))?),
            None => (host_port, default_port),
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let credentials = user_info.map(|info| {
            let (user, password) = info.split_once(':').unwrap_or((info, ""));
            (percent_decoded(user), percent_decoded(password))
        });
        Ok(Server { host: host.to_owned(), port, security, credentials, ca_file })
    }
}

/// `%40` → `@` and the like, as URLs write user names and passwords.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The socket, plain or wrapped in TLS.
enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// An open, greeted (and authenticated) connection.
pub struct Connection {
    stream: Stream,
    buffer: Vec<u8>,
    /// When the server last answered: a connection idle for a while is checked before use.
    last_reply: Instant,
}

/// Idle time after which a kept connection is checked with NOOP before the next message.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// A reply: its code and its text.
type Reply = (u16, String);

impl Connection {
    pub fn open(server: &Server, client_name: &str) -> Result<Self, SendError> {
        let tcp = TcpStream::connect((server.host.as_str(), server.port))
            .map_err(|e| SendError::Temporary(format!("cannot connect to {}:{}: {e}", server.host, server.port)))?;
        let setup = |e: std::io::Error| SendError::Temporary(format!("connection to {}: {e}", server.host));
        tcp.set_nodelay(true).map_err(setup)?;
        tcp.set_read_timeout(Some(TIMEOUT)).map_err(setup)?;
        tcp.set_write_timeout(Some(TIMEOUT)).map_err(setup)?;
        let stream = match server.security {
            Security::Tls => Stream::Tls(Box::new(tls(tcp, server)?)),
            _ => Stream::Plain(tcp),
        };
        let mut connection = Connection { stream, buffer: Vec::new(), last_reply: Instant::now() };
        connection.expect(220)?;
        let mut features = connection.command(&format!("EHLO {client_name}"), 250)?;
        if server.security == Security::StartTls {
            connection.command("STARTTLS", 220)?;
            connection.stream = match connection.stream {
                Stream::Plain(tcp) => Stream::Tls(Box::new(tls(tcp, server)?)),
                tls @ Stream::Tls(_) => tls,
            };
            features = connection.command(&format!("EHLO {client_name}"), 250)?;
        }
        if let Some((user, password)) = &server.credentials {
            connection.authenticate(&features, user, password)?;
        }
        Ok(connection)
    }

    fn authenticate(&mut self, features: &str, user: &str, password: &str) -> Result<(), SendError> {
        let engine = base64::engine::general_purpose::STANDARD;
        let offers = |mechanism: &str| {
            features
                .lines()
                .any(|l| l.to_ascii_uppercase().starts_with("AUTH") && l.to_ascii_uppercase().contains(mechanism))
        };
        if offers("PLAIN") || !offers("LOGIN") {
            let token = engine.encode(format!("\0{user}\0{password}"));
            self.command(&format!("AUTH PLAIN {token}"), 235).map(|_| ())
        } else {
            self.command("AUTH LOGIN", 334)?;
            self.command(&engine.encode(user), 334)?;
            self.command(&engine.encode(password), 235).map(|_| ())
        }
    }

    /// Sends one message: envelope and the formatted message (CRLF line ends).
    pub fn send(&mut self, from: &str, to: &[String], message: &[u8]) -> Result<(), SendError> {
        self.command(&format!("MAIL FROM:<{from}>"), 250)?;
        for recipient in to {
            self.command(&format!("RCPT TO:<{recipient}>"), 250)?;
        }
        self.command("DATA", 354)?;
        let mut body = dot_stuffed(message);
        if !body.ends_with(b"\r\n") {
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(b".\r\n");
        self.write(&body)?;
        // from here the server may have the message: a lost connection leaves its fate unknown
        self.expect(250).map(|_| ()).map_err(|error| match error {
            SendError::Temporary(why) if why.starts_with("connection") || why.starts_with("the server closed") => {
                SendError::Uncertain(why)
            }
            other => other,
        })
    }

    /// Whether the connection can be used: it answered moments ago, or it answers NOOP now (a
    /// server closes connections left idle).
    pub fn is_fresh_or_alive(&mut self) -> bool {
        self.last_reply.elapsed() < IDLE_CHECK || self.command("NOOP", 250).is_ok()
    }

    /// Says goodbye (errors ignored: the connection is being dropped anyway).
    pub fn quit(mut self) {
        let _ = self.command("QUIT", 221);
    }

    /// Sends a command and checks the reply's code.
    fn command(&mut self, line: &str, expected: u16) -> Result<String, SendError> {
        self.write(format!("{line}\r\n").as_bytes())?;
        self.expect(expected)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), SendError> {
        let lost = |e: std::io::Error| SendError::Temporary(format!("connection lost while writing: {e}"));
        self.stream.write_all(bytes).map_err(lost)?;
        self.stream.flush().map_err(lost)
    }

    /// Reads a reply; a code other than `expected` is a failure, temporary for 4xx.
    fn expect(&mut self, expected: u16) -> Result<String, SendError> {
        let (code, text) = self.reply()?;
        match code {
            c if c == expected => Ok(text),
            400..=499 => Err(SendError::Temporary(format!("{code} {text}"))),
            _ => Err(SendError::Permanent(format!("{code} {text}"))),
        }
    }

    /// One reply, possibly of several lines (`250-…` then `250 …`).
    fn reply(&mut self) -> Result<Reply, SendError> {
        let mut text = Vec::new();
        loop {
            let line = self.line()?;
            let code = line.get(..3).and_then(|c| c.parse::<u16>().ok());
            let Some(code) = code else {
                return Err(SendError::Temporary(format!("the server said something that is not SMTP: {line:?}")));
            };
            text.push(line.get(4..).unwrap_or("").to_owned());
            if line.as_bytes().get(3) != Some(&b'-') {
                self.last_reply = Instant::now();
                return Ok((code, text.join("\n")));
            }
        }
    }

    fn line(&mut self) -> Result<String, SendError> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buffer.drain(..end + 2).take(end).collect();
                return Ok(String::from_utf8_lossy(&line).into_owned());
            }
            if self.buffer.len() > REPLY_BYTES_MAX {
                return Err(SendError::Temporary("the server's reply is too long".into()));
            }
            let mut chunk = [0u8; 4096];
            let read = self
                .stream
                .read(&mut chunk)
                .map_err(|e| SendError::Temporary(format!("connection lost while reading: {e}")))?;
            if read == 0 {
                return Err(SendError::Temporary("the server closed the connection".into()));
            }
            self.buffer.extend_from_slice(&chunk[..read]);
        }
    }
}

/// TLS over `tcp`, checked against the web's root certificates (and the server's own CA file).
fn tls(tcp: TcpStream, server: &Server) -> Result<rustls::StreamOwned<rustls::ClientConnection, TcpStream>, SendError> {
    let host = &server.host;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &server.ca_file {
        add_authorities(&mut roots, path)?;
    }
    let config = rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
    let name = ServerName::try_from(host.to_owned())
        .map_err(|e| SendError::Settings(format!("{host:?} is not a server name for TLS: {e}")))?;
    let connection = rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|e| SendError::Temporary(format!("TLS with {host}: {e}")))?;
    Ok(rustls::StreamOwned::new(connection, tcp))
}

/// The certificates of a PEM file, trusted as authorities.
fn add_authorities(roots: &mut rustls::RootCertStore, path: &str) -> Result<(), SendError> {
    use rustls::pki_types::pem::PemObject as _;
    let bad = |why: String| SendError::Settings(format!("certificate authorities {path}: {why}"));
    let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let mut added = 0;
    for certificate in rustls::pki_types::CertificateDer::pem_slice_iter(&bytes) {
        roots.add(certificate.map_err(|e| bad(e.to_string()))?).map_err(|e| bad(e.to_string()))?;
        added += 1;
    }
    if added == 0 {
        return Err(bad("no certificate in the file".into()));
    }
    Ok(())
}

/// A line starting with `.` gets a second one, so it cannot end the message early.
fn dot_stuffed(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 64);
    let mut line_start = true;
    for &byte in message {
        if line_start && byte == b'.' {
            out.push(b'.');
        }
        out.push(byte);
        line_start = byte == b'\n';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_say_host_port_security_and_credentials() {
        let plain = Server::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((plain.host.as_str(), plain.port, plain.security), ("127.0.0.1", 2525, Security::Plain));
        let submission = Server::parse("smtp://me%40acme.es:p%3Ass@mail.acme.es?tls=required").unwrap();
        assert_eq!((submission.port, submission.security), (587, Security::StartTls));
        assert_eq!(submission.credentials, Some(("me@acme.es".into(), "p:ss".into())));
        assert_eq!(Server::parse("smtps://mail.acme.es").unwrap().port, 465);
        let own_ca = Server::parse("smtp://relay.acme.es?tls=required&ca=/etc/acme%20ca.pem").unwrap();
        assert_eq!(own_ca.ca_file.as_deref(), Some("/etc/acme ca.pem"));
        assert!(Server::parse("http://mail.acme.es").is_err());
        assert!(Server::parse("smtp://:25").is_err());
    }

    #[test]
    fn a_line_starting_with_a_dot_is_stuffed() {
        assert_eq!(dot_stuffed(b".a\r\nb\r\n.\r\n..c"), b"..a\r\nb\r\n..\r\n...c".to_vec());
    }
}
