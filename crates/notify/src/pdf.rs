//! Letters as PDF, ready to print or to send by burofax, PEC or registered mail: A4, the
//! business's letterhead at the top (its name large, its details small, a rule), the title, then
//! the letter's text; indented lines (invoice lists, the interest table, a statement's table) in
//! a monospaced face so their columns and right-aligned amounts stay where the template put them;
//! an amount is never split across lines; every page numbered at its foot. The file is written by
//! krilla with DejaVu Sans and DejaVu Sans Mono embedded (subset), which cover every Latin letter
//! (€, ñ, è, ß, ł…), so any reader shows and copies the text as written.

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;

/// A4 in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
/// The width text may take.
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const BODY_SIZE: f32 = 10.0;
/// The monospaced face is set smaller: 80 columns fit the text width.
const FIXED_SIZE: f32 = 9.0;
const LEADING: f32 = 13.5;
/// Where the page number sits, from the top.
const FOOTER_Y: f32 = PAGE_HEIGHT - 30.0;
/// The lowest a line's baseline may be.
const BOTTOM: f32 = PAGE_HEIGHT - MARGIN;
/// The side of a QR code on a letter, in points (about 35 mm: scanned easily from paper).
const QR_SIDE: f32 = 100.0;

/// Why a letter could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the letter could not be written as PDF: {0}")]
pub struct PdfError(String);

/// What the top of the letter says: the sender's name and its details, one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    pub name: String,
    pub lines: Vec<String>,
}

/// Whom a letter is to and the day it is dated, set under the letterhead (left out for a text
/// that writes its own, as a final demand's legal wording does).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addressed {
    /// The recipient's name, then their address, one line each.
    pub recipient: Vec<String>,
    /// The day as the letter's language writes it.
    pub date: String,
}

/// The faces a letter is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
    Mono,
}

impl Face {
    fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => dejavu::sans::regular(),
            Face::Bold => dejavu::sans::bold(),
            Face::Mono => dejavu::sans_mono::regular(),
        }
    }
}

/// One line of a page: text in a face and size, a rule, a QR code, or space.
#[derive(Debug, Clone, PartialEq)]
enum Line {
    Text { face: Face, size: f32, grey: bool, text: String },
    Rule,
    Qr(crate::qr::Modules),
    Space(f32),
}

impl Line {
    /// The height it takes on the page.
    fn height(&self) -> f32 {
        match self {
            Line::Text { size, .. } => (size * 1.35).max(LEADING * size / BODY_SIZE),
            Line::Rule => LEADING / 2.0,
            Line::Qr(_) => QR_SIDE + LEADING,
            Line::Space(height) => *height,
        }
    }

    fn text(face: Face, size: f32, text: String) -> Self {
        Line::Text { face, size, grey: false, text }
    }
}

/// Text widths, from each face's own glyph advances.
struct Measure {
    faces: Vec<(Face, skrifa::FontRef<'static>)>,
}

impl Measure {
    fn new() -> Result<Self, PdfError> {
        let faces = [Face::Regular, Face::Bold, Face::Mono]
            .into_iter()
            .map(|face| skrifa::FontRef::new(face.data()).map(|font| (face, font)).map_err(|e| PdfError(e.to_string())))
            .collect::<Result<_, _>>()?;
        Ok(Measure { faces })
    }

    /// The width of `text` in `face` at `size` points (kerning left out: never narrower).
    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let Some((_, font)) = self.faces.iter().find(|(f, _)| *f == face) else { return 0.0 };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(skrifa::instance::Size::new(size), skrifa::instance::LocationRef::default());
        text.chars().filter_map(|c| charmap.map(c).and_then(|glyph| metrics.advance_width(glyph))).sum()
    }
}

/// A letter: the letterhead, whom it is to and its date (when `addressed`), a title (the
/// subject) and the text, as a PDF file; with `qr`, the text of a QR code drawn after the text
/// (an EPC QR code to pay by; text too long for any code is left out).
///
/// Errors: [`PdfError`] if the file cannot be written (a font the writer refuses).
pub fn letter(
    (head, addressed): (&Letterhead, Option<&Addressed>),
    title: &str,
    text: &str,
    qr: Option<&str>,
) -> Result<Vec<u8>, PdfError> {
    let measure = Measure::new()?;
    let mut lines = vec![Line::text(Face::Bold, 14.0, head.name.clone())];
    for detail in &head.lines {
        lines.push(Line::Text { face: Face::Regular, size: 8.5, grey: true, text: detail.clone() });
    }
    lines.push(Line::Rule);
    lines.push(Line::Space(LEADING));
    if let Some(addressed) = addressed {
        for line in &addressed.recipient {
            lines.extend(wrapped(&measure, (Face::Regular, BODY_SIZE), line));
        }
        lines.push(Line::Space(LEADING));
        lines.push(Line::text(Face::Regular, BODY_SIZE, addressed.date.clone()));
        lines.push(Line::Space(LEADING));
    }
    if !title.is_empty() {
        lines.extend(wrapped(&measure, (Face::Bold, 11.0), title));
        lines.push(Line::Space(LEADING / 2.0));
    }
    for paragraph in text.lines() {
        lines.extend(paragraph_lines(&measure, paragraph));
    }
    if let Some(modules) = qr.and_then(|text| crate::qr::modules(text).ok()) {
        lines.push(Line::Space(LEADING / 2.0));
        lines.push(Line::Qr(modules));
    }
    document(&head.name, &pages(lines))
}

/// One line of the template's text: an indented one (a list, a table) in the monospaced face,
/// as laid out; any other in the proportional face, wrapped to the width.
fn paragraph_lines(measure: &Measure, paragraph: &str) -> Vec<Line> {
    if paragraph.trim().is_empty() {
        return vec![Line::Space(LEADING)];
    }
    if paragraph.starts_with("  ") {
        return wrapped(measure, (Face::Mono, FIXED_SIZE), paragraph.trim_end());
    }
    wrapped(measure, (Face::Regular, BODY_SIZE), paragraph)
}

/// `paragraph` as lines no wider than the text width, broken between words only, never inside
/// an amount (`1.574,40 €`, `EUR 1,574.40`); a continued indented line keeps its indent and two
/// more spaces.
fn wrapped(measure: &Measure, (face, size): (Face, f32), paragraph: &str) -> Vec<Line> {
    if measure.width(face, size, paragraph) <= TEXT_WIDTH {
        return vec![Line::text(face, size, paragraph.trim_end().to_owned())];
    }
    let indent: String = paragraph.chars().take_while(|c| *c == ' ').collect();
    let continued = if indent.is_empty() { String::new() } else { format!("{indent}  ") };
    let mut out: Vec<String> = Vec::new();
    let mut current = indent.clone();
    for word in unbreakable(paragraph) {
        if current.trim().is_empty() {
            current.push_str(&word);
            continue;
        }
        let candidate = format!("{current} {word}");
        if measure.width(face, size, &candidate) > TEXT_WIDTH {
            out.push(std::mem::replace(&mut current, format!("{continued}{word}")));
        } else {
            current = candidate;
        }
    }
    out.push(current);
    out.into_iter().map(|text| Line::text(face, size, text)).collect()
}

/// The words of `text`, an amount and its currency (a symbol after it, a code before it) kept
/// as one.
fn unbreakable(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let joins = words.last().is_some_and(|last| {
            let symbol_after = matches!(word.trim_end_matches(['.', ',', ';', ':', ')']), "€" | "£" | "$")
                && last.ends_with(|c: char| c.is_ascii_digit());
            let code_before = last.len() == 3
                && last.chars().all(|c| c.is_ascii_uppercase())
                && word.starts_with(|c: char| c.is_ascii_digit() || c == '-');
            symbol_after || code_before
        });
        match words.last_mut() {
            Some(last) if joins => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
    }
    words
}

/// Lines cut into pages, a QR code never split from the page it starts on.
fn pages(lines: Vec<Line>) -> Vec<Vec<Line>> {
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut y = MARGIN;
    for line in lines {
        let height = line.height();
        if y + height > BOTTOM && pages.last().is_some_and(|page| !page.is_empty()) {
            pages.push(Vec::new());
            y = MARGIN;
            if matches!(line, Line::Space(_)) {
                continue;
            }
        }
        y += height;
        if let Some(page) = pages.last_mut() {
            page.push(line);
        }
    }
    pages
}

/// The whole file: each page drawn and numbered at its foot ("1 / 1" too: a letter shows it is whole).
fn document(sender: &str, pages: &[Vec<Line>]) -> Result<Vec<u8>, PdfError> {
    let fonts: Vec<(Face, Font)> = [Face::Regular, Face::Bold, Face::Mono]
        .into_iter()
        .map(|face| Font::new(face.data().into(), 0).map(|font| (face, font)))
        .collect::<Option<_>>()
        .ok_or_else(|| PdfError("a font could not be read".into()))?;
    let font = |face: Face| fonts.iter().find(|(f, _)| *f == face).map(|(_, font)| font.clone());
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or_else(|| PdfError("page size".into()))?;
    let mut document = Document::new();
    for (number, lines) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut y = MARGIN;
        for line in lines {
            let height = line.height();
            match line {
                Line::Text { face, size, grey, text } => {
                    let Some(font) = font(*face) else { continue };
                    let shade = if *grey { 90 } else { 0 };
                    surface.set_fill(Some(Fill {
                        paint: krilla::color::rgb::Color::new(shade, shade, shade).into(),
                        ..Fill::default()
                    }));
                    surface.draw_text(Point::from_xy(MARGIN, y + size), font, *size, text, false, TextDirection::Auto);
                }
                Line::Rule => {
                    let mut rule = PathBuilder::new();
                    rule.move_to(MARGIN, y + height / 2.0);
                    rule.line_to(PAGE_WIDTH - MARGIN, y + height / 2.0);
                    if let Some(path) = rule.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke { width: 0.5, ..Stroke::default() }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Line::Qr(modules) => draw_qr(&mut surface, modules, y),
                Line::Space(_) => {}
            }
            y += height;
        }
        if let Some(font) = font(Face::Regular) {
            let footer = format!("{sender} — {} / {}", number + 1, pages.len());
            surface.set_fill(Some(Fill::default()));
            surface.draw_text(Point::from_xy(MARGIN, FOOTER_Y), font, 8.0, &footer, false, TextDirection::Auto);
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError(format!("{e:?}")))
}

/// A QR code's dark modules as filled squares (each row's runs as one rectangle), its top at
/// `top`, the quiet zone included in [`QR_SIDE`].
fn draw_qr(surface: &mut krilla::surface::Surface<'_>, modules: &crate::qr::Modules, top: f32) {
    let side = modules.width + 2 * crate::qr::QUIET_MODULES;
    let unit = QR_SIDE / side as f32;
    let mut builder = PathBuilder::new();
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
            let upper = top + (row + crate::qr::QUIET_MODULES) as f32 * unit;
            if let Some(rect) = Rect::from_xywh(left, upper, (x - start) as f32 * unit, unit) {
                builder.push_rect(rect);
            }
        }
    }
    if let Some(path) = builder.finish() {
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
        surface.draw_path(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .filter_map(|line| match line {
                Line::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn long_paragraphs_wrap_within_the_width_and_never_inside_an_amount() {
        let measure = Measure::new().expect("the fonts");
        let long = "Le rogamos que abone 1.574,40 € sin demora. ".repeat(12);
        let lines = texts(&paragraph_lines(&measure, &long));
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(measure.width(Face::Regular, BODY_SIZE, line) <= TEXT_WIDTH, "{line}");
            assert!(!line.trim_end().ends_with("1.574,40") && !line.trim_start().starts_with('€'), "{line:?}");
        }
        assert_eq!(unbreakable("pay EUR 1,574.40 now or 12,00 €."), ["pay", "EUR 1,574.40", "now", "or", "12,00 €."]);
        let fixed = paragraph_lines(&measure, "  - F1 100,00 €");
        assert!(matches!(&fixed[0], Line::Text { face: Face::Mono, text, .. } if text == "  - F1 100,00 €"));
        // a long indented line keeps its indent, and its continuation two more
        let dates = "scadenza 31/10/2026 ".repeat(3);
        let item = format!("  - Fattura n. F2026-0003 del 05/09/2026, {dates}: da saldare 1.574,40 €");
        let lines = texts(&paragraph_lines(&measure, &item));
        assert!(lines[0].starts_with("  - Fattura") && lines[1].starts_with("    "), "{lines:?}");
    }

    #[test]
    fn a_long_letter_takes_several_pages_and_a_code_is_never_split() {
        let head = Letterhead { name: "Acme".into(), lines: vec!["Calle Mayor 1".into()] };
        let pdf = letter((&head, None), "Título", &"línea\n".repeat(200), Some("BCD\n002")).expect("a letter");
        assert!(pdf.starts_with(b"%PDF-"));
        let lines: Vec<Line> = std::iter::repeat_n(Line::Space(LEADING), 55)
            .chain([Line::Qr(crate::qr::modules("x").expect("a code"))])
            .collect();
        let pages = pages(lines);
        assert_eq!(pages.len(), 2, "the code starts the next page");
        assert!(matches!(pages[1][0], Line::Qr(_)));
    }
}
