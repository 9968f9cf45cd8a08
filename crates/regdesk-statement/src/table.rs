//! Plain tables (表格) an office fills in itself — the batch-intake sheet, an
//! old register export: the cells of one worksheet (or CSV file) as text,
//! row by row, with the same decoding as statements (UTF-8 or GBK/GB18030,
//! any of `,` tab `;` `|`, the Excel text trick, date cells as ISO dates).
//! Pure: bytes in, rows out.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Reader, Xlsx};

use crate::TextEncoding;

/// Why a table file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// Nothing in the file.
    #[error("文件为空：没有读取到任何内容，请检查所选文件")]
    Empty,
    /// Neither UTF-8 nor GBK text.
    #[error(
        "文件编码无法识别：既不是 UTF-8 也不是 GBK（GB18030）编码的文本，请在 Excel 中另存为 .xlsx 或 CSV 后再导入"
    )]
    Encoding,
    /// An Excel 97–2003 workbook.
    #[error("暂不支持旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 或 CSV 格式后再导入")]
    LegacyXls,
    /// The workbook could not be opened.
    #[error("Excel 文件无法读取（{detail}），请确认文件没有损坏，或在 Excel 中重新保存为 .xlsx 后再导入")]
    Xlsx {
        /// Technical detail from the workbook reader.
        detail: String,
    },
    /// The CSV text could not be split into rows.
    #[error("CSV 文件无法读取（{detail}），请在 Excel 中重新另存为 CSV 后再导入")]
    Csv {
        /// Technical detail from the CSV reader.
        detail: String,
    },
    /// The workbook has no worksheet of that name.
    #[error("工作簿中没有名为“{0}”的工作表，请使用本机构下载的模板填写")]
    NoSheet(String),
}

impl TableError {
    /// Stable snake_case code of the failure.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "empty_file",
            Self::Encoding => "unknown_encoding",
            Self::LegacyXls => "legacy_xls_unsupported",
            Self::Xlsx { .. } => "xlsx_unreadable",
            Self::Csv { .. } => "csv_unreadable",
            Self::NoSheet(_) => "no_sheet",
        }
    }
}

/// One row of a table: its 1-based line (CSV) or row number (sheet) and its cells as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub line: u32,
    /// Cleaned cell texts (empty for an empty cell); trailing empty cells are kept as the sheet has them.
    pub cells: Vec<String>,
}

impl TableRow {
    /// Whether every cell is empty.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}

/// A table read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The worksheet read, or `None` for a CSV file.
    pub sheet: Option<String>,
    /// The encoding of a CSV file.
    pub encoding: Option<TextEncoding>,
    pub rows: Vec<TableRow>,
}

/// Reads a table: an xlsx workbook (by its zip signature or a `.xlsx` name) —
/// the worksheet named `sheet` when given and present, else the first — or CSV text.
pub fn read_table(bytes: &[u8], file_name: &str, sheet: Option<&str>) -> Result<Table, TableError> {
    if bytes.is_empty() {
        return Err(TableError::Empty);
    }
    if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Err(TableError::LegacyXls);
    }
    let name = file_name.trim().to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") || name.ends_with(".xlsx") {
        // The workbook reader works on untrusted archives: a panic in it is an error here.
        return catch_unwind(AssertUnwindSafe(|| read_xlsx(bytes, sheet))).unwrap_or_else(|_| {
            Err(TableError::Xlsx {
                detail: "工作簿结构异常".to_owned(),
            })
        });
    }
    let (text, encoding) = crate::text::decode(bytes).map_err(|_| TableError::Encoding)?;
    if text.trim().is_empty() {
        return Err(TableError::Empty);
    }
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = [',', '\t', ';', '|']
        .into_iter()
        .max_by_key(|d| first_line.matches(*d).count())
        .filter(|d| first_line.contains(*d))
        .unwrap_or(',');
    let rows =
        crate::text::split_rows(&text, delimiter, usize::MAX).map_err(|e| TableError::Csv { detail: e.to_string() })?;
    Ok(Table {
        sheet: None,
        encoding: Some(encoding),
        rows: rows
            .into_iter()
            .map(|r| TableRow {
                line: r.line,
                cells: r.cells.iter().map(|c| c.text().into_owned()).collect(),
            })
            .collect(),
    })
}

fn read_xlsx(bytes: &[u8], wanted: Option<&str>) -> Result<Table, TableError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| TableError::Xlsx { detail: e.to_string() })?;
    let names = workbook.sheet_names();
    let name = match wanted {
        Some(w) if names.iter().any(|n| n == w) => w.to_owned(),
        _ => names
            .first()
            .cloned()
            .ok_or(TableError::NoSheet(wanted.unwrap_or("").to_owned()))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| TableError::Xlsx { detail: e.to_string() })?;
    let first_row = range.start().map_or(0, |(row, _)| row);
    let first_col = range.start().map_or(0, |(_, col)| col) as usize;
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row = vec![String::new(); first_col];
            row.extend(cells.iter().map(|c| crate::xlsx::to_cell(c).text().into_owned()));
            TableRow {
                line: first_row
                    .saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
                    .saturating_add(1),
                cells: row,
            }
        })
        .collect();
    Ok(Table {
        sheet: Some(name),
        encoding: None,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_csv_is_read_with_its_delimiter() {
        let (bytes, _, _) = encoding_rs::GBK.encode("作品名称;作品类别\n春江花月夜;美术作品\n");
        let t = read_table(&bytes, "批量.csv", None).unwrap();
        assert_eq!(t.encoding, Some(TextEncoding::Gbk));
        assert_eq!(t.rows[0].cells, vec!["作品名称", "作品类别"]);
        assert_eq!(t.rows[1].cells, vec!["春江花月夜", "美术作品"]);
        assert_eq!(t.rows[1].line, 2);
    }

    #[test]
    fn the_named_sheet_of_a_workbook_is_read() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet()
            .set_name("说明")
            .unwrap()
            .write(0, 0, "填写说明")
            .unwrap();
        let ws = wb.add_worksheet().set_name("作品").unwrap();
        ws.write(0, 0, "作品名称").unwrap();
        ws.write(1, 0, "春江花月夜").unwrap();
        ws.write(1, 1, 2026).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = read_table(&bytes, "x.xlsx", Some("作品")).unwrap();
        assert_eq!(t.sheet.as_deref(), Some("作品"));
        assert_eq!(t.rows[1].cells, vec!["春江花月夜", "2026"]);
        assert_eq!(
            read_table(&bytes, "x.xlsx", None).unwrap().sheet.as_deref(),
            Some("说明")
        );
    }

    #[test]
    fn old_and_empty_files_are_refused_by_name() {
        assert_eq!(read_table(b"", "a.csv", None), Err(TableError::Empty));
        assert_eq!(
            read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.xls", None),
            Err(TableError::LegacyXls)
        );
    }
}
