//! Statistical reports (统计报表): the national monthly form (作品登记情况月度统计表),
//! the announcement list (作品登记公告), the yearly summary and the tables
//! behind the supervisor's charts, each a titled table with the office, the
//! period and the unit above it — as xlsx (one sheet per table) and as PDF
//! (A4 landscape, one table after the other).

use printpdf::PdfDocument;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};
use serde::{Deserialize, Serialize};

use crate::canvas::{save, Canvas, Col, Orientation, Table, MARGIN, PAD_Y};
use crate::font::font;
use crate::PrintError;

/// One cell of a report table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    /// A count (件数).
    Count(u64),
    /// A figure with one decimal (a percentage); `None` prints as "—".
    Decimal(Option<f64>),
}

impl Cell {
    fn shown(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Decimal(Some(x)) => format!("{x:.1}"),
            Cell::Decimal(None) => "—".to_string(),
        }
    }
}

/// One table of a report: its title, the lines above it (填报单位, 统计期间, 单位),
/// the header, the rows, an optional totals row and notes below it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReportTable {
    /// The table's title, e.g. 作品登记情况月度统计表; also the sheet's name (cut to 31 characters).
    pub title: String,
    /// The sheet's name when it differs from the title (titles repeat across sheets).
    pub sheet: String,
    /// Lines printed under the title, e.g. "填报单位：浙江省版权局", "统计期间：2026年11月", "单位：件".
    pub lines: Vec<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// The totals row (合计), printed grey and bold.
    pub total: Option<Vec<Cell>>,
    /// Notes under the table, e.g. "本期登记后已撤销 1 件，未计入上表".
    pub notes: Vec<String>,
    /// Relative column widths (1.0 each when empty).
    pub widths: Vec<f32>,
}

fn sheet_name(t: &ReportTable, i: usize, used: &mut Vec<String>) -> String {
    let base = if t.sheet.is_empty() { &t.title } else { &t.sheet };
    // Excel forbids []:*?/\ in sheet names and allows 31 characters.
    let clean: String = base
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(28)
        .collect();
    let mut name = if clean.is_empty() {
        format!("表{}", i + 1)
    } else {
        clean
    };
    if used.contains(&name) {
        name = format!("{name}{}", i + 1);
    }
    used.push(name.clone());
    name
}

/// The report as .xlsx bytes: one sheet per table, the title bold over the
/// table's width, the lines under it, the header row grey and frozen, counts
/// as numbers, the totals row bold.
pub fn report_xlsx(tables: &[ReportTable]) -> Result<Vec<u8>, PrintError> {
    let mut wb = Workbook::new();
    let title_f = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let header_f = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0x00D9_D9D9))
        .set_border(FormatBorder::Thin);
    let text_f = Format::new().set_num_format("@").set_border(FormatBorder::Thin);
    let count_f = Format::new().set_num_format("0").set_border(FormatBorder::Thin);
    let decimal_f = Format::new().set_num_format("0.0").set_border(FormatBorder::Thin);
    let grey = Color::RGB(0x00ED_EDED);
    let bold = |f: &Format| f.clone().set_bold().set_background_color(grey);
    let mut used = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(t, i, &mut used))?;
        let last_col = u16::try_from(t.header.len().max(1) - 1).map_err(|_| PrintError::Xlsx("列数过多".into()))?;
        if last_col > 0 {
            ws.merge_range(0, 0, 0, last_col, &t.title, &title_f)?;
        } else {
            ws.write_string_with_format(0, 0, &t.title, &title_f)?;
        }
        let mut row: u32 = 1;
        for l in &t.lines {
            ws.write_string(row, 0, l)?;
            row += 1;
        }
        let header_row = row;
        let mut widths: Vec<f64> = t.header.iter().map(|h| display_width(h)).collect();
        for (c, h) in t.header.iter().enumerate() {
            ws.write_string_with_format(header_row, col(c)?, h, &header_f)?;
        }
        row += 1;
        let body = t.rows.iter().map(|r| (r, false));
        for (cells, is_total) in body.chain(t.total.iter().map(|r| (r, true))) {
            for (c, cell) in cells.iter().enumerate() {
                let (tf, cf, df) = if is_total {
                    (bold(&text_f), bold(&count_f), bold(&decimal_f))
                } else {
                    (text_f.clone(), count_f.clone(), decimal_f.clone())
                };
                match cell {
                    Cell::Text(s) => ws.write_string_with_format(row, col(c)?, s, &tf)?,
                    Cell::Count(n) => ws.write_number_with_format(row, col(c)?, *n as f64, &cf)?,
                    Cell::Decimal(Some(x)) => ws.write_number_with_format(row, col(c)?, *x, &df)?,
                    Cell::Decimal(None) => ws.write_string_with_format(row, col(c)?, "—", &tf)?,
                };
                if let Some(w) = widths.get_mut(c) {
                    *w = w.max(display_width(&cell.shown()));
                }
            }
            row += 1;
        }
        row += 1;
        for n in &t.notes {
            ws.write_string(row, 0, n)?;
            row += 1;
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(col(c)?, (w + 2.0).clamp(6.0, 60.0))?;
        }
        ws.set_freeze_panes(header_row + 1, 0)?;
    }
    if tables.is_empty() {
        wb.add_worksheet();
    }
    Ok(wb.save_to_buffer()?)
}

fn col(i: usize) -> Result<u16, PrintError> {
    u16::try_from(i).map_err(|_| PrintError::Xlsx(format!("列数过多（{i} 列）")))
}

fn display_width(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum()
}

/// Body text size, in points.
const BODY: f32 = 8.5;

/// Space between one table's notes and the next table's title on the same page, in mm.
const TABLE_GAP: f32 = 6.0;

/// The report as PDF bytes: A4 landscape, each table under its title and lines,
/// continuing over pages with its header repeated; a short table follows the one
/// before on the same page when it fits; `doc_title` names the document.
pub fn report_pdf(doc_title: &str, tables: &[ReportTable]) -> Result<Vec<u8>, PrintError> {
    let font = font()?;
    let mut doc = PdfDocument::new(doc_title);
    let font_id = doc.add_font(font);
    let mut c = Canvas::with_orientation(font, font_id, doc_title, doc_title, Orientation::Landscape);
    let (x0, x1) = (c.left(), c.right());
    let mut first = true;
    for t in tables {
        if !first {
            // A table follows the one before on the same page when it fits there whole
            // (or, too long for any page, when its title, header and first rows fit);
            // otherwise it starts a page of its own.
            let row_h = Canvas::line_h(BODY) + 2.0 * PAD_Y;
            let rows = (t.rows.len() + usize::from(t.total.is_some())).max(1) as f32;
            let above = TABLE_GAP + 13.0 + t.lines.len() as f32 * Canvas::line_h(10.0);
            let notes = t.notes.len() as f32 * (Canvas::line_h(9.0) + 2.0);
            let whole = above + row_h * (1.0 + rows) + notes;
            let head = above + row_h * (1.0 + rows.min(3.0));
            let page = c.room_on_new_page();
            if c.room() >= whole || (whole > page && c.room() >= head) {
                c.y += TABLE_GAP;
            } else {
                c.new_page();
            }
        }
        first = false;
        let top = if c.y < MARGIN + 1.0 { MARGIN } else { c.y };
        c.text_centered(x0, x1, top + 6.5, 16.0, &t.title);
        let mut base = top + 13.0;
        for l in &t.lines {
            c.text(x0, base, 10.0, l);
            base += Canvas::line_h(10.0);
        }
        c.y = base - 2.0;
        c.hline(x0, x1, c.y, 1.0);
        c.y += 2.0;
        let n = t.header.len().max(1);
        let weights: Vec<f32> = (0..n).map(|i| t.widths.get(i).copied().unwrap_or(1.0)).collect();
        let sum: f32 = weights.iter().sum();
        let cols: Vec<Col> = weights
            .iter()
            .zip(0..n)
            .map(|(w, i)| {
                let width = c.content_w() * w / sum;
                let numeric = t
                    .rows
                    .first()
                    .or(t.total.as_ref())
                    .and_then(|r| r.get(i))
                    .is_some_and(|cell| !matches!(cell, Cell::Text(_)));
                if numeric {
                    Col::right(width)
                } else {
                    Col::left(width)
                }
            })
            .collect();
        let header: Vec<&str> = t.header.iter().map(String::as_str).collect();
        let table = Table {
            cols: &cols,
            header: Some(&header),
            size: BODY,
            min_row_h: 0.0,
            v_center: false,
        };
        let mut rows: Vec<Vec<String>> = t.rows.iter().map(|r| r.iter().map(Cell::shown).collect()).collect();
        if rows.is_empty() && t.total.is_none() {
            let mut empty = vec![String::new(); n];
            if let Some(cell) = empty.get_mut(0) {
                *cell = "本期无记录".to_string();
            }
            rows.push(empty);
        }
        match &t.total {
            Some(total) => {
                let total: Vec<String> = total.iter().map(Cell::shown).collect();
                c.table_with_total(&table, &rows, &total);
            }
            None => c.table(&table, &rows),
        }
        for note in &t.notes {
            c.ensure(Canvas::line_h(9.0) + 2.0);
            c.y += Canvas::line_h(9.0);
            c.text(x0, c.y, 9.0, note);
        }
        c.y += 4.0;
    }
    save(doc, c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn short(title: &str, rows: usize) -> ReportTable {
        ReportTable {
            title: title.into(),
            lines: vec!["填报单位：浙江省版权局".into(), "单位：件".into()],
            header: vec!["月份".into(), "件数".into()],
            rows: (1..=rows)
                .map(|m| vec![Cell::Text(format!("{m}月")), Cell::Count(m as u64)])
                .collect(),
            ..ReportTable::default()
        }
    }

    fn pages(pdf: &[u8]) -> usize {
        let doc = PdfDocument::parse(pdf, &printpdf::PdfParseOptions::default(), &mut Vec::new()).unwrap();
        doc.pages.len()
    }

    #[test]
    fn short_tables_share_a_page_and_a_longer_one_that_does_not_fit_starts_its_own() {
        // Three short tables (the supervisor's stages, backlog, summary) on one landscape page.
        let three: Vec<ReportTable> = ["当前各环节案件数", "各月末审查中积压", "汇总"]
            .iter()
            .map(|t| short(t, 2))
            .collect();
        let pdf = report_pdf("统计概览", &three).unwrap();
        assert_eq!(pages(&pdf), 1);
        // A table of twenty rows does not fit under them: it starts the second page, whole.
        let mut four = three.clone();
        four.push(short("逐月登记数", 20));
        let pdf = report_pdf("统计概览", &four).unwrap();
        assert_eq!(pages(&pdf), 2);
    }
}
