//! Excel workbooks (.xlsx): the first worksheet (工作表) with a header row.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, Reader, Xlsx};

use crate::cell::{clean_text, Cell};
use crate::datetime::from_excel_cell;
use crate::error::StatementError;
use crate::header::{find_header, header_error, HeaderSearch, Layout};
use crate::rows::RawRow;

/// The chosen worksheet: its name, the header's index in `rows`, the layout
/// and all rows of the sheet.
pub(crate) struct Sheet {
    pub name: String,
    pub header_index: usize,
    pub layout: Layout,
    pub rows: Vec<RawRow>,
}

/// Reads the workbook and returns the first worksheet that has a header.
pub(crate) fn read(bytes: &[u8]) -> Result<Sheet, StatementError> {
    // The workbook reader works on untrusted archives; a panic inside it
    // must not take the desk down, so it is turned into an error.
    catch_unwind(AssertUnwindSafe(|| read_inner(bytes))).unwrap_or_else(|_| {
        Err(StatementError::Xlsx {
            detail: "工作簿结构异常".to_owned(),
        })
    })
}

fn read_inner(bytes: &[u8]) -> Result<Sheet, StatementError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| StatementError::Xlsx { detail: e.to_string() })?;
    let mut incomplete: Option<HeaderSearch> = None;
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| StatementError::Xlsx { detail: e.to_string() })?;
        let first_row = range.start().map_or(0, |(row, _)| row);
        let first_col = range.start().map_or(0, |(_, col)| col) as usize;
        let rows: Vec<RawRow> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                // Leading empty columns keep their place so that column
                // numbers in the mapping match the sheet.
                let mut row = vec![Cell::Empty; first_col];
                row.extend(cells.iter().map(to_cell));
                RawRow {
                    line: first_row
                        .saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
                        .saturating_add(1),
                    cells: row,
                }
            })
            .collect();
        match find_header(rows.iter().map(|r| (r.line, r.cells.as_slice()))) {
            HeaderSearch::Found { index, layout } => {
                return Ok(Sheet {
                    name,
                    header_index: index,
                    layout,
                    rows,
                })
            }
            found @ HeaderSearch::Incomplete { .. } => {
                if incomplete.is_none() {
                    incomplete = Some(found);
                }
            }
            HeaderSearch::NotFound => {}
        }
    }
    Err(header_error(incomplete.unwrap_or(HeaderSearch::NotFound)))
}

pub(crate) fn to_cell(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::from_text(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(x) => Cell::Number(*x),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_owned()),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match from_excel_cell(dt.as_f64(), (y, m, d)) {
                Some((date, time)) => Cell::DateTime(date, time),
                None => Cell::from_text(clean_text(&dt.as_f64().to_string())),
            }
        }
    }
}
