//! Plain-text tables for the terminal: columns padded to their widest cell, each cell shown as a
//! terminal may show it (no control characters) and cut at [`CELL_CHARS_MAX`] characters.

/// The widest a cell is shown (the whole text stays in the books and in exports).
pub const CELL_CHARS_MAX: usize = 80;

/// A cell as the table shows it.
fn shown(cell: &str) -> String {
    let printable = overdue_core::text::printable(cell);
    if printable.chars().count() <= CELL_CHARS_MAX {
        return printable.into_owned();
    }
    let mut cut: String = printable.chars().take(CELL_CHARS_MAX - 1).collect();
    cut.push('…');
    cut
}

/// Prints `rows` under `headers`; columns listed in `right` are right-aligned (amounts).
pub fn print(headers: &[&str], rows: &[Vec<String>], right: &[usize]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = rows.iter().map(|row| row.iter().map(|cell| shown(cell)).collect()).collect();
    let rows = rows.as_slice();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (cell, w))| if right.contains(&i) { format!("{cell:>w$}") } else { format!("{cell:<w$}") })
            .collect();
        outln!("{}", padded.join("  ").trim_end())
    };
    line(headers.to_vec())?;
    for row in rows {
        line(row.iter().map(String::as_str).collect())?;
    }
    Ok(())
}
