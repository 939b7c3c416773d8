//! XLSX workbooks as text cells (calamine), for the command line and the card-reading package
//! (pkg/cards/); the interpretation of the cells is the parent module's.

/// One sheet: its name and its rows from row 1 and column A, as text (empty cells are empty).
pub struct SheetCells {
    /// Sheet name.
    pub name: String,
    /// Rows of text cells; `rows[0]` is row 1 of the sheet.
    pub rows: Vec<Vec<String>>,
}

/// Why a workbook cannot be read: a reason (docs/errors.md), a message and, for a bad cell, its
/// sheet and A1 reference.
pub struct XlsxFailure {
    /// The reason of the `xlsx_error`: `not_a_spreadsheet`, `unreadable_sheet` or
    /// `too_many_cells`.
    pub reason: &'static str,
    /// The limit exceeded (`too_many_cells`).
    pub limit: Option<u64>,
    /// Sheet name, when one is at fault.
    pub sheet: Option<String>,
    /// A1 reference, when one cell is at fault.
    pub cell: Option<String>,
    /// Lowercase message.
    pub message: String,
}

/// Largest number of cells read from one workbook.
pub const MAX_CELLS: usize = 20_000_000;

/// Reads every sheet of an XLSX (or XLS/ODS) workbook. Numbers are written in their shortest
/// exact decimal form (`0.0411`), dates as `YYYY-MM-DD`.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<SheetCells>, XlsxFailure> {
    read_workbook_within(bytes, MAX_CELLS)
}

/// [`read_workbook`] with at most `max_cells` cells.
pub(super) fn read_workbook_within(
    bytes: &[u8],
    max_cells: usize,
) -> Result<Vec<SheetCells>, XlsxFailure> {
    use calamine::{Data, Reader};
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            XlsxFailure {
                reason: "not_a_spreadsheet",
                limit: None,
                sheet: None,
                cell: None,
                message: format!("the file cannot be read as a spreadsheet: {e}"),
            }
        })?;
    let mut out = Vec::new();
    let mut cells = 0usize;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| XlsxFailure {
            reason: "unreadable_sheet",
            limit: None,
            sheet: Some(name.clone()),
            cell: None,
            message: format!("sheet {name:?} cannot be read: {e}"),
        })?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); row0 as usize];
        for r in range.rows() {
            cells = cells.saturating_add(r.len() + col0 as usize);
            if cells > max_cells {
                return Err(XlsxFailure {
                    reason: "too_many_cells",
                    limit: Some(max_cells as u64),
                    sheet: Some(name.clone()),
                    cell: None,
                    message: format!("the workbook has more than {max_cells} cells"),
                });
            }
            let mut row = vec![String::new(); col0 as usize];
            row.extend(r.iter().map(|c| match c {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                Data::Int(i) => i.to_string(),
                // Rust prints the shortest decimal that reads back as the same f64: 0.0411 stays
                // "0.0411" (what the sheet shows), never 0.041099999999999998.
                Data::Float(f) => f.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => excel_date(d.as_f64()),
                Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
                Data::Error(e) => format!("#{e:?}"),
            }));
            rows.push(row);
        }
        out.push(SheetCells { name, rows });
    }
    Ok(out)
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    if !(1.0..2_958_466.0).contains(&serial) {
        return serial.to_string();
    }
    // Civil-from-days (Howard Hinnant's algorithm), days counted from 1970-01-01.
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn excel_serial_dates() {
        assert_eq!(super::excel_date(45_078.0), "2023-06-01");
        assert_eq!(super::excel_date(46_296.0), "2026-10-01");
    }
}
