//! Letters as PDF, ready to print or to send by burofax, PEC or registered mail: A4, the
//! business's letterhead at the top, then the letter's text. Written directly in PDF 1.4 with the
//! standard Helvetica and Courier fonts every PDF reader has (nothing embedded, nothing
//! downloaded), in WinAnsi encoding, which holds the Spanish and Italian letters and the euro
//! sign. Indented lines (invoice lists, the interest table) are set in Courier so their columns
//! stay aligned.

use std::fmt::Write as _;

/// A4 in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
const FONT_SIZE: f32 = 10.0;
const LEADING: f32 = 13.5;
/// Characters per line: Helvetica at 10 pt averages about 5 pt a character over 483 pt.
const WRAP_PROPORTIONAL: usize = 92;
/// Courier at 10 pt is 6 pt a character.
const WRAP_FIXED: usize = 80;

/// One line of a page, in a font.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Regular(String),
    Bold(String),
    Fixed(String),
    Rule,
    /// A QR code drawn from here down over [`QR_LINES`] lines, at the left margin.
    Qr(crate::qr::Modules),
}

/// The side of a QR code on a letter, in points (about 35 mm: scanned easily from paper).
const QR_SIDE: f32 = 100.0;
/// How many lines a QR code takes on the page.
const QR_LINES: usize = (QR_SIDE / LEADING) as usize + 2;

/// What the top of the letter says: the sender's name and its details, one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    pub name: String,
    pub lines: Vec<String>,
}

/// A letter: the letterhead, a title (the subject) and the text, as a PDF file; with `qr`, the
/// text of a QR code drawn after the text (an EPC QR code to pay by; text too long for any code
/// is left out).
pub fn letter(head: &Letterhead, title: &str, text: &str, qr: Option<&str>) -> Vec<u8> {
    let mut lines = vec![Line::Bold(head.name.clone())];
    lines.extend(head.lines.iter().map(|l| Line::Regular(l.clone())));
    lines.push(Line::Rule);
    lines.push(Line::Regular(String::new()));
    lines.push(Line::Bold(title.to_owned()));
    lines.push(Line::Regular(String::new()));
    for paragraph in text.lines() {
        lines.extend(wrapped(paragraph));
    }
    if let Some(modules) = qr.and_then(|text| crate::qr::modules(text).ok()) {
        // never split across pages: start a new one when it does not fit
        let left = lines_per_page() - lines.len() % lines_per_page();
        if left < QR_LINES + 1 {
            lines.extend(std::iter::repeat_n(Line::Regular(String::new()), left));
        } else {
            lines.push(Line::Regular(String::new()));
        }
        lines.push(Line::Qr(modules));
        lines.extend(std::iter::repeat_n(Line::Regular(String::new()), QR_LINES - 1));
    }
    document(&pages(lines))
}

/// A line of text as one or more printed lines.
fn wrapped(paragraph: &str) -> Vec<Line> {
    let fixed = paragraph.starts_with("  ");
    let width = if fixed { WRAP_FIXED } else { WRAP_PROPORTIONAL };
    if paragraph.chars().count() <= width {
        // as written: the columns of a table stay where the template put them
        let line = paragraph.trim_end().to_owned();
        return vec![if fixed { Line::Fixed(line) } else { Line::Regular(line) }];
    }
    let indent: String = paragraph.chars().take_while(|c| *c == ' ').collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for word in paragraph.split_whitespace() {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut current));
        }
        if current.is_empty() {
            current = if out.is_empty() || !fixed { indent.clone() } else { format!("{indent}  ") };
        } else {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(current);
    out.into_iter().map(|l| if fixed { Line::Fixed(l) } else { Line::Regular(l) }).collect()
}

/// Lines cut into pages.
fn lines_per_page() -> usize {
    (((PAGE_HEIGHT - 2.0 * MARGIN) / LEADING) as usize).max(1)
}

fn pages(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let mut pages: Vec<Vec<Line>> = lines.chunks(lines_per_page()).map(<[Line]>::to_vec).collect();
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    pages
}

/// The content stream of one page, with its number at the foot when there are several.
fn content(page: &[Line], number: usize, count: usize) -> String {
    let mut stream = String::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    for line in page {
        let (font, text) = match line {
            Line::Regular(t) => ("F1", t),
            Line::Bold(t) => ("F2", t),
            Line::Fixed(t) => ("F3", t),
            Line::Rule => {
                let _ = writeln!(stream, "0.5 w {MARGIN} {y:.2} m {:.2} {y:.2} l S", PAGE_WIDTH - MARGIN);
                y -= LEADING / 2.0;
                continue;
            }
            Line::Qr(modules) => {
                draw_qr(&mut stream, modules, y);
                y -= LEADING;
                continue;
            }
        };
        let _ = writeln!(stream, "BT /{font} {FONT_SIZE} Tf {MARGIN} {y:.2} Td ({}) Tj ET", escape(text));
        y -= LEADING;
    }
    if count > 1 {
        let _ = writeln!(stream, "BT /F1 8 Tf {:.2} 30 Td ({number} / {count}) Tj ET", PAGE_WIDTH / 2.0 - 10.0);
    }
    stream
}

/// A QR code's dark modules as filled squares (each row's runs as one rectangle), its top at
/// `top`, the quiet zone included in [`QR_SIDE`].
fn draw_qr(stream: &mut String, modules: &crate::qr::Modules, top: f32) {
    let side = modules.width + 2 * crate::qr::QUIET_MODULES;
    let unit = QR_SIDE / side as f32;
    let _ = writeln!(stream, "0 g");
    for row in 0..modules.width {
        let mut x = 0;
        while x < modules.width {
            if !modules.is_dark(x, row) {
                x += 1;
                continue;
            }
            let start = x;
            while x < modules.width && modules.is_dark(x, row) {
                x += 1;
            }
            let left = MARGIN + (start + crate::qr::QUIET_MODULES) as f32 * unit;
            let bottom = top - (row + 1 + crate::qr::QUIET_MODULES) as f32 * unit;
            let _ = writeln!(stream, "{left:.3} {bottom:.3} {:.3} {unit:.3} re", (x - start) as f32 * unit);
        }
    }
    let _ = writeln!(stream, "f");
}

/// Text in a PDF string: WinAnsi bytes, with `(`, `)` and `\` escaped and the rest of the
/// upper half as octal escapes; a character WinAnsi lacks becomes `?`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let byte = win_ansi(c).unwrap_or(b'?');
        match byte {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(byte as char);
            }
            32..=126 => out.push(byte as char),
            _ => {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
    out
}

/// The WinAnsi (Windows-1252) byte of a character.
fn win_ansi(c: char) -> Option<u8> {
    let code = c as u32;
    match code {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(code).ok(),
        _ => Some(match c {
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '™' => 0x99,
            '\t' => b' ',
            _ => return None,
        }),
    }
}

/// The whole file: catalogue, page tree, fonts, pages and their contents, cross-reference table.
fn document(pages: &[Vec<Line>]) -> Vec<u8> {
    let fonts = ["Helvetica", "Helvetica-Bold", "Courier"];
    let first_page = 3 + fonts.len();
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", first_page + 2 * i)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()),
    ];
    for font in fonts {
        objects.push(format!("<< /Type /Font /Subtype /Type1 /BaseFont /{font} /Encoding /WinAnsiEncoding >>"));
    }
    for (i, page) in pages.iter().enumerate() {
        let contents = first_page + 2 * i + 1;
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents {contents} 0 R >>"
        ));
        let stream = content(page, i + 1, pages.len());
        objects.push(format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()));
    }
    let mut file = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(file.len());
        file.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = file.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(table, "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    file.extend_from_slice(table.as_bytes());
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_in_win_ansi() {
        assert_eq!(escape("a (b) \\ c"), "a \\(b\\) \\\\ c");
        assert_eq!(escape("1.574,40 €"), "1.574,40 \\200");
        assert_eq!(escape("Año"), "A\\361o");
        assert_eq!(escape("日本"), "??");
    }

    #[test]
    fn long_paragraphs_wrap_and_indented_lines_stay_fixed() {
        let long = "word ".repeat(60);
        let lines = wrapped(&long);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(matches!(&wrapped("  - F1 100,00 €")[0], Line::Fixed(t) if t == "  - F1 100,00 €"));
    }

    #[test]
    fn the_file_has_a_cross_reference_table_pointing_at_each_object() {
        let pdf = letter(&Letterhead { name: "Acme".into(), lines: vec![] }, "Title", &"x\n".repeat(200), None);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.contains("/Count 4"), "200 lines need several pages");
        let xref: usize = text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        assert!(pdf[xref..].starts_with(b"xref"));
        let table = String::from_utf8_lossy(&pdf[xref..]).into_owned();
        for (number, line) in table.lines().skip(3).take(3).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(pdf[offset..].starts_with(format!("{} 0 obj", number + 1).as_bytes()), "object {}", number + 1);
        }
    }
}
