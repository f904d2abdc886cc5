//! QR codes drawn for pages and letters: the modules of a code (the `qrcode` crate, ISO/IEC
//! 18004) at error-correction level M, as an EPC QR code asks (EPC069-12 §3.1), with the quiet
//! zone of four modules the standard requires around it.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of blank margin on each side (ISO/IEC 18004 §6.3.8).
pub const QUIET_MODULES: usize = 4;

/// Why text cannot be drawn as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the text cannot be drawn as a QR code: {0}")]
pub struct QrError(String);

/// The code for `text`: its dark modules, row by row, `width` modules a side (quiet zone not
/// included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modules {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Modules {
    /// Whether the module at column `x`, row `y` is dark (outside the code: light).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }
}

/// The modules of `text`'s code, level M.
///
/// Errors: [`QrError`] when the text is too long for any QR code version.
pub fn modules(text: &str) -> Result<Modules, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| QrError(e.to_string()))?;
    let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
    Ok(Modules { width: code.width(), dark })
}

/// `text`'s code as an SVG image, one unit a module with the quiet zone, sized by its
/// container; `label` is what a screen reader says of it.
///
/// Errors: [`QrError`] when the text is too long for any QR code version.
pub fn svg(text: &str, label: &str) -> Result<String, QrError> {
    let modules = modules(text)?;
    let side = modules.width + 2 * QUIET_MODULES;
    let mut path = String::new();
    for y in 0..modules.width {
        for x in 0..modules.width {
            if modules.is_dark(x, y) {
                path.push_str(&format!("M{} {}h1v1h-1z", x + QUIET_MODULES, y + QUIET_MODULES));
            }
        }
    }
    let label = label.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img" aria-label="{label}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a code back with an independent decoder (`rqrr`), drawn at 4 pixels a module.
    fn decoded(modules: &Modules) -> String {
        let scale = 4;
        let side = (modules.width + 2 * QUIET_MODULES) * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = ((x / scale).wrapping_sub(QUIET_MODULES), (y / scale).wrapping_sub(QUIET_MODULES));
            if modules.is_dark(mx, my) { 0 } else { 255 }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one code");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn a_code_reads_back_as_its_text_accents_and_line_breaks_included() {
        let text = "BCD\n002\n1\nSCT\n\nFerretería Sol S.L.\nES9121000418450200051332\nEUR1520.4";
        assert_eq!(decoded(&modules(text).unwrap()), text);
    }

    #[test]
    fn the_svg_draws_each_dark_module_once_inside_the_quiet_zone() {
        let modules = modules("BCD").unwrap();
        let svg = svg("BCD", "Pay <by> \"QR\"").unwrap();
        let side = modules.width + 2 * QUIET_MODULES;
        assert!(svg.contains(&format!(r#"viewBox="0 0 {side} {side}""#)), "{svg}");
        assert!(svg.contains(r#"aria-label="Pay &lt;by> &quot;QR&quot;""#), "{svg}");
        assert_eq!(svg.matches("h1v1h-1z").count(), modules.dark.iter().filter(|d| **d).count());
        assert!(!svg.contains("M0 0h1"), "the quiet zone is blank");
    }

    #[test]
    fn text_too_long_for_any_code_is_refused() {
        assert!(modules(&"x".repeat(5000)).is_err());
    }
}
