//! Letters as PDF read back by poppler (`pdftotext`, `pdffonts`): every Latin letter a customer's
//! name or address may hold comes back as written, from fonts embedded in the file.

use overdue_notify::pdf::{Addressed, Letterhead, letter};
use std::process::Command;

fn poppler(tool: &str, pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("letter.pdf");
    std::fs::write(&path, pdf).expect("the letter written");
    let mut command = Command::new(tool);
    if tool == "pdftotext" {
        command.args(["-layout", "-enc", "UTF-8"]).arg(&path).arg("-");
    } else {
        command.arg(&path);
    }
    let output = command.output().unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by scripts/test): {e}"));
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn every_latin_letter_comes_back_as_written_from_embedded_fonts() {
    let head = Letterhead {
        name: "Żółć Hurtownia sp. z o.o.".into(),
        lines: vec!["ul. Łódzka 12, 90-001 Łódź".into()],
    };
    let text = "Sehr geehrte Frau Weiß,\nPeña, città, garçon, Ærøskøbing, Œuvre: 1.574,40 € — £ 12.00\n  - Rechnung F-1 (Straße)      1.574,40 €";
    let addressed = Addressed {
        recipient: vec!["Łukasz Müller".into(), "Straße 1, 10115 Berlin".into()],
        date: "01.12.2026".into(),
    };
    let pdf = letter((&head, Some(&addressed)), "Zahlungserinnerung: Łukasz Müller", text, None).expect("a letter");
    let read = poppler("pdftotext", &pdf);
    for written in [
        "Żółć Hurtownia sp. z o.o.",
        "ul. Łódzka 12, 90-001 Łódź",
        "Straße 1, 10115 Berlin",
        "01.12.2026",
        "Zahlungserinnerung: Łukasz Müller",
        "Sehr geehrte Frau Weiß,",
        "Peña, città, garçon, Ærøskøbing, Œuvre: 1.574,40 € — £ 12.00",
    ] {
        assert!(read.contains(written), "{written:?} in:\n{read}");
    }
    let row = read.lines().find(|l| l.contains("Rechnung F-1 (Straße)")).unwrap_or_default();
    assert!(row.trim_end().ends_with("1.574,40 €"), "the table's row as set: {row:?}");
    let fonts = poppler("pdffonts", &pdf);
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(embedded.len() >= 3, "sans, bold and mono: {fonts}");
    assert!(
        embedded.iter().all(|line| line.contains("DejaVu") && line.contains(" yes ")),
        "every font embedded:\n{fonts}"
    );
}

#[test]
fn a_long_letter_is_numbered_page_by_page() {
    let head = Letterhead { name: "Acme S.L.".into(), lines: vec![] };
    let pdf = letter((&head, None), "Extracto", &"Factura pendiente de pago.\n".repeat(120), None).expect("a letter");
    let read = poppler("pdftotext", &pdf);
    assert!(read.contains("Acme S.L. — 1 / 3") && read.contains("Acme S.L. — 3 / 3"), "{read}");
    let short = letter((&head, None), "", "Factura pendiente de pago.\n", None).expect("a letter");
    let read = poppler("pdftotext", &short);
    assert!(read.contains("Acme S.L. — 1 / 1"), "one page is numbered too: {read}");
}
