//! Plain-text tables for the terminal: columns padded to their widest cell.

/// Prints `rows` under `headers`; columns listed in `right` are right-aligned (amounts).
pub fn print(headers: &[&str], rows: &[Vec<String>], right: &[usize]) -> std::io::Result<()> {
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
