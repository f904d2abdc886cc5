//! What a file handed to `import-bank` looks like, from its first bytes and lines: an ISO 20022
//! XML message, a SWIFT MT940/MT942 statement, a CSV export, or something overdue does not read
//! (a PDF, a spreadsheet, OFX, QIF, CODA, BAI2…), named so the person knows what they gave it.

use crate::encoding::decode_text;

/// The kind of a bank file, as far as its bytes tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// XML (camt, or another XML document the camt reader will name).
    Xml,
    /// SWIFT MT940 or MT942: `:20:` and `:25:`/`:60F:`/`:61:` fields, bare or in SWIFT blocks.
    Mt940,
    /// Delimited text: read with a CSV mapping.
    Csv,
    /// A format overdue does not read, with what it looks like and why.
    Unreadable { looks_like: &'static str, why: &'static str },
}

/// What `bytes` look like. Checks the magic numbers of binary formats first, then the text.
pub fn sniff(bytes: &[u8]) -> FileKind {
    const BINARY: [(&[u8], &str, &str); 4] = [
        (
            b"%PDF",
            "a PDF document",
            "a bank statement printed as PDF has no machine-readable entries: ask the bank for camt.053, MT940 or a CSV export",
        ),
        (
            b"PK\x03\x04",
            "a ZIP archive or an Excel/OpenDocument spreadsheet (.xlsx, .ods)",
            "save the sheet as CSV, or unpack the archive and import the statements inside",
        ),
        (b"\xD0\xCF\x11\xE0", "an old Excel spreadsheet (.xls)", "save the sheet as CSV and import that"),
        (b"\x1F\x8B", "a gzip-compressed file", "unpack it and import the statement inside"),
    ];
    for (magic, looks_like, why) in BINARY {
        if bytes.starts_with(magic) {
            return FileKind::Unreadable { looks_like, why };
        }
    }
    let text = decode_text(&bytes[..bytes.len().min(64 * 1024)]);
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if start.starts_with('<') {
        if start.get(..200).unwrap_or(start).to_ascii_uppercase().contains("<OFX") {
            return ofx();
        }
        return FileKind::Xml;
    }
    if start.starts_with("OFXHEADER") {
        return ofx();
    }
    if start.starts_with("!Type:") || start.starts_with("!Account") {
        return FileKind::Unreadable {
            looks_like: "a QIF file (Quicken Interchange Format)",
            why: "QIF carries no account, balances or bank references: export camt.053, MT940 or CSV instead",
        };
    }
    if is_mt940(start) {
        return FileKind::Mt940;
    }
    if start.starts_with("0000") && start.lines().take(3).all(|l| l.trim_end().len() == 128) {
        return FileKind::Unreadable {
            looks_like: "a Belgian CODA statement (128-character records)",
            why: "overdue does not read CODA: ask the bank for the same statement as camt.053",
        };
    }
    if start.starts_with("01,") && start.lines().any(|l| l.starts_with("16,")) {
        return FileKind::Unreadable {
            looks_like: "a BAI2 file (US cash management)",
            why: "overdue does not read BAI2: export camt.053, MT940 or CSV instead",
        };
    }
    if start.starts_with('{') || start.starts_with('[') {
        return FileKind::Unreadable {
            looks_like: "a JSON document",
            why: "bank data as JSON has no standard layout overdue reads: export camt.053, MT940 or CSV instead",
        };
    }
    let delimited = start.lines().filter(|l| !l.trim().is_empty()).take(5).any(|l| l.contains([',', ';', '\t', '|']));
    if !delimited {
        return FileKind::Unreadable {
            looks_like: "plain text",
            why: "it has no columns (no comma, semicolon, tab or bar between fields), no MT940 fields (:20:, :61:) \
                  and no XML: export the statement as camt.053, MT940 or CSV",
        };
    }
    FileKind::Csv
}

fn ofx() -> FileKind {
    FileKind::Unreadable {
        looks_like: "an OFX/QFX file (Open Financial Exchange)",
        why: "overdue does not read OFX: export camt.053, MT940 or CSV instead",
    }
}

/// Whether the text is a SWIFT MT940/MT942 message: in SWIFT blocks (`{1:F01…}{2:O940…}`), or a
/// line starting `:20:` followed by a line starting with one of the statement's own tags.
fn is_mt940(text: &str) -> bool {
    if text.starts_with("{1:") && (text.contains("{2:O940") || text.contains("{2:O942") || text.contains(":20:")) {
        return true;
    }
    let mut reference = false;
    for line in text.lines().take(200) {
        let line = line.trim_start();
        if line.starts_with(":20:") {
            reference = true;
        } else if reference && [":25:", ":28C:", ":60F:", ":60M:", ":61:", ":34F:"].iter().any(|t| line.starts_with(t))
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_named() {
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><Document/>"), FileKind::Xml);
        assert_eq!(sniff(b":20:STARTUMS\r\n:25:10020030/1234567\r\n:28C:0\r\n"), FileKind::Mt940);
        assert_eq!(sniff(b"{1:F01BANKBEBBAXXX0000000000}{2:O9401200N}{4:\r\n:20:X\r\n"), FileKind::Mt940);
        assert_eq!(sniff(b"date,amount\n2026-01-02,10.00\n"), FileKind::Csv);
        assert!(matches!(sniff(b"hello world\nsecond line\n"), FileKind::Unreadable { looks_like: "plain text", .. }));
        for (bytes, looks) in [
            (&b"%PDF-1.7 ..."[..], "PDF"),
            (b"PK\x03\x04....", "spreadsheet"),
            (b"OFXHEADER:100\nDATA:OFXSGML\n", "OFX"),
            (b"!Type:Bank\nD01/02/2026\n", "QIF"),
        ] {
            match sniff(bytes) {
                FileKind::Unreadable { looks_like, .. } => assert!(looks_like.contains(looks), "{looks_like}"),
                other => panic!("{looks}: {other:?}"),
            }
        }
    }
}
