//! What the tests of several crates share: a real SMTP server on 127.0.0.1 (Python's aiosmtpd,
//! which `scripts/test` installs) writing each message it receives to a Maildir, read back as text.

#![allow(clippy::unwrap_used)] // test support: a failed unwrap is a failed test

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A real SMTP server process on 127.0.0.1, stopped when dropped.
pub struct SmtpServer {
    pub child: Child,
    pub port: u16,
    /// Where it writes what it receives (`new/` holds one file per message).
    pub maildir: PathBuf,
}

impl SmtpServer {
    /// aiosmtpd on a free port, writing to `dir/maildir`; waits until it answers.
    ///
    /// Panics when python3 or aiosmtpd is missing, or it does not start within 20 s.
    pub fn start(dir: &Path) -> Self {
        let port = free_port();
        let maildir = dir.join("maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 must be installed (scripts/test installs aiosmtpd)");
        Self::started(child, port, maildir)
    }

    /// A server already spawned (a script of the test's own, on `port`): waits until it answers.
    pub fn started(child: Child, port: u16, maildir: PathBuf) -> Self {
        let mut server = SmtpServer { child, port, maildir };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("the SMTP server stopped ({status}): is aiosmtpd installed? `bash scripts/test` installs it");
            }
            assert!(started.elapsed() < Duration::from_secs(20), "the SMTP server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// `smtp://127.0.0.1:PORT`, as `overdue send --smtp` takes it.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, as its raw text (headers and body).
    pub fn received(&self) -> Vec<String> {
        let Ok(files) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        files.map(|f| String::from_utf8_lossy(&std::fs::read(f.unwrap().path()).unwrap()).into_owned()).collect()
    }

    /// The messages received, waiting up to `within` for at least `count` of them.
    pub fn wait_for(&self, count: usize, within: Duration) -> Vec<String> {
        let started = Instant::now();
        loop {
            let received = self.received();
            if received.len() >= count || started.elapsed() > within {
                return received;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port free on 127.0.0.1 a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The text of every QR code on each page of the PDF at `pdf`, printed at 150 dpi in grey by
/// `pdftoppm` (Debian's poppler-utils, as a printer or scanner would see it) and read with an
/// independent decoder (`rqrr`): one list per page.
///
/// # Panics
/// When `pdftoppm` is missing or fails, or prints a page that is not a PGM image.
pub fn qr_codes_in_pdf(pdf: &std::path::Path) -> Vec<Vec<String>> {
    let folder = pdf.parent().unwrap_or(std::path::Path::new("."));
    let prefix = folder.join("qr-page");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-gray"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils) must be installed: scripts/test installs it");
    assert!(status.success(), "pdftoppm failed on {}", pdf.display());
    let mut pages: Vec<std::path::PathBuf> = std::fs::read_dir(folder)
        .expect("the PDF's folder reads")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("qr-page")))
        .collect();
    pages.sort();
    pages.iter().map(|page| codes_in_pgm(&std::fs::read(page).expect("the printed page reads"))).collect()
}

/// The QR codes in a binary PGM image (`P5`, 8-bit grey).
fn codes_in_pgm(image: &[u8]) -> Vec<String> {
    // header: P5, width, height, maximum grey, each after white space; then the pixels
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while image[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !image[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&image[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5", "a binary grey image");
    let (width, height): (usize, usize) = (fields[1].parse().expect("width"), fields[2].parse().expect("height"));
    let pixels = &image[at + 1..];
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    prepared.detect_grids().iter().filter_map(|grid| grid.decode().ok().map(|(_, text)| text)).collect()
}
