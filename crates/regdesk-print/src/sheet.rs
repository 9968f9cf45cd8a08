//! Exported spreadsheets (.xlsx bytes): the invoice list for the e-invoicing
//! system (开票清单) and the fee day report (收费日报).
//!
//! Amounts are written as numbers in yuan, text as text (so tax numbers and
//! serials keep their exact spelling); the header row is bold and frozen.

use rust_xlsxwriter::{
    ColNum, Color, Format, FormatAlign, FormatBorder, Formula, RowNum, Workbook, Worksheet, XlsxError,
};
use serde::{Deserialize, Serialize};

use crate::day_report::{DayReport, DayReportRow, Figure, COLUMNS, DOC_TITLE};
use crate::money::yuan_number;
use crate::PrintError;

/// One paid case for the e-invoicing system's import (开票清单), already
/// formatted by the store except the amount, which is in fen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InvoiceRow {
    /// Case serial (流水号).
    pub serial: String,
    /// Day of payment (缴费日期), e.g. "2026年11月25日".
    pub paid_on: String,
    /// Payer, who is also the buyer on the invoice (付款人/购买方名称).
    pub payer_name: String,
    /// Taxpayer number or unified social credit code
    /// (纳税人识别号/统一社会信用代码); "" for natural persons.
    pub tax_id: String,
    /// Amount (金额), in fen.
    pub amount_fen: i64,
    /// Where the e-invoice goes (发票接收邮箱).
    pub email: String,
    /// Title of the work (作品名称).
    pub work_title: String,
    /// Remark (备注).
    pub remark: String,
}

const INVOICE_SHEET: &str = "开票清单";
const INVOICE_COLUMNS: [&str; 8] = [
    "流水号",
    "缴费日期",
    "付款人/购买方名称",
    "纳税人识别号(统一社会信用代码)",
    "金额(元)",
    "发票接收邮箱",
    "作品名称",
    "备注",
];
/// Column of the amount in the invoice list.
const INVOICE_AMOUNT_COL: usize = 4;

/// Number format of amounts in the invoice list (no separators, for import).
const PLAIN_AMOUNT: &str = "0.00";
/// Number format of amounts in reports.
const REPORT_AMOUNT: &str = "#,##0.00";

impl From<XlsxError> for PrintError {
    fn from(e: XlsxError) -> Self {
        Self::Xlsx(e.to_string())
    }
}

/// The invoice list (开票清单) for the e-invoicing system as .xlsx bytes: one
/// sheet, one header row, one row per payment.
pub fn invoice_list_xlsx(rows: &[InvoiceRow]) -> Result<Vec<u8>, PrintError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(INVOICE_SHEET)?;
    let header = header_format();
    let amount = Format::new().set_num_format(PLAIN_AMOUNT);
    let text = Format::new().set_num_format("@");

    let mut widths = Widths::new(&INVOICE_COLUMNS);
    write_header(ws, 0, &INVOICE_COLUMNS, &header)?;
    for (i, r) in rows.iter().enumerate() {
        let row = row_num(i + 1)?;
        let texts = [
            &r.serial,
            &r.paid_on,
            &r.payer_name,
            &r.tax_id,
            &String::new(),
            &r.email,
            &r.work_title,
            &r.remark,
        ];
        for (col, s) in texts.iter().enumerate() {
            if col == INVOICE_AMOUNT_COL {
                ws.write_number_with_format(row, col_num(col)?, yuan_number(r.amount_fen), &amount)?;
                widths.see(col, &format!("{:.2}", yuan_number(r.amount_fen)));
            } else if !s.is_empty() {
                ws.write_string_with_format(row, col_num(col)?, s.as_str(), &text)?;
                widths.see(col, s);
            }
        }
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row_num(rows.len())?, col_num(INVOICE_COLUMNS.len() - 1)?)?;
    Ok(wb.save_to_buffer()?)
}

/// The fee day report (收费日报) as .xlsx bytes: three lines naming the
/// office, period and author, then the same columns as the printed report,
/// amounts as numbers in yuan ("#,##0.00"), and a totals row (合计) of SUM
/// formulas that also carry their computed values.
pub fn day_report_xlsx(r: &DayReport) -> Result<Vec<u8>, PrintError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(DOC_TITLE)?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = header_format();
    let text = Format::new().set_border(FormatBorder::Thin);
    let count = Format::new().set_num_format("0").set_border(FormatBorder::Thin);
    let amount = Format::new()
        .set_num_format(REPORT_AMOUNT)
        .set_border(FormatBorder::Thin);
    let total_fill = Color::RGB(0x00ED_EDED);
    let total_text = text.clone().set_bold().set_background_color(total_fill);
    let total_count = count.clone().set_bold().set_background_color(total_fill);
    let total_amount = amount.clone().set_bold().set_background_color(total_fill);

    ws.write_string_with_format(0, 0, format!("{} {}", r.office_name, DOC_TITLE), &title)?;
    ws.write_string(1, 0, format!("统计期间：{} 至 {}", r.period_from, r.period_to))?;
    ws.write_string(
        2,
        0,
        format!("制表人：{}　制表时间：{}　金额单位：元", r.generated_by, r.generated_at),
    )?;
    let header_row: RowNum = 3;
    write_header(ws, header_row, &COLUMNS, &header)?;

    let mut widths = Widths::new(&COLUMNS);
    let first = header_row + 1;
    for (i, line) in r.rows.iter().enumerate() {
        let row = first + row_num(i)?;
        write_report_row(ws, row, line, (&text, &count, &amount), &mut widths)?;
    }

    // Totals: SUM over the data rows, with the value computed here cached so
    // that readers that do not calculate still see it.
    let totals = r.totals();
    let total_row = first + row_num(r.rows.len())?;
    ws.write_string_with_format(total_row, 0, totals.date.as_str(), &total_text)?;
    ws.write_string_with_format(total_row, 1, "", &total_text)?;
    for (i, f) in totals.figures().iter().enumerate() {
        let col = col_num(i + 2)?;
        let (value, format) = match *f {
            Figure::Count(n) => (f64::from(n), &total_count),
            Figure::Fen(fen) => (yuan_number(fen), &total_amount),
        };
        if r.rows.is_empty() {
            ws.write_number_with_format(total_row, col, value, format)?;
        } else {
            let letter = column_letter(col);
            let formula = Formula::new(format!("=SUM({letter}{}:{letter}{})", first + 1, total_row))
                .set_result(value.to_string());
            ws.write_formula_with_format(total_row, col, formula, format)?;
        }
        widths.see(i + 2, &format!("{value:.2}"));
    }

    if !r.audit_head.is_empty() {
        ws.write_string(total_row + 2, 0, r.audit_head.as_str())?;
    }
    widths.apply(ws)?;
    ws.set_freeze_panes(header_row + 1, 0)?;
    Ok(wb.save_to_buffer()?)
}

fn write_report_row(
    ws: &mut Worksheet,
    row: RowNum,
    line: &DayReportRow,
    (text, count, amount): (&Format, &Format, &Format),
    widths: &mut Widths,
) -> Result<(), PrintError> {
    ws.write_string_with_format(row, 0, line.date.as_str(), text)?;
    ws.write_string_with_format(row, 1, line.method.as_str(), text)?;
    widths.see(0, &line.date);
    widths.see(1, &line.method);
    for (i, f) in line.figures().iter().enumerate() {
        let col = col_num(i + 2)?;
        match *f {
            Figure::Count(n) => ws.write_number_with_format(row, col, f64::from(n), count)?,
            Figure::Fen(fen) => ws.write_number_with_format(row, col, yuan_number(fen), amount)?,
        };
    }
    Ok(())
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0x00D9_D9D9))
        .set_border(FormatBorder::Thin)
}

fn write_header(ws: &mut Worksheet, row: RowNum, titles: &[&str], format: &Format) -> Result<(), PrintError> {
    for (col, t) in titles.iter().enumerate() {
        ws.write_string_with_format(row, col_num(col)?, *t, format)?;
    }
    Ok(())
}

/// Column widths that fit the longest entry of each column, in Excel's
/// character units (a CJK character counts two).
struct Widths(Vec<f64>);

impl Widths {
    const MIN: f64 = 8.0;
    const MAX: f64 = 60.0;

    fn new(headers: &[&str]) -> Self {
        Self(headers.iter().map(|h| display_width(h)).collect())
    }

    fn see(&mut self, col: usize, s: &str) {
        if let Some(w) = self.0.get_mut(col) {
            *w = w.max(display_width(s));
        }
    }

    fn apply(&self, ws: &mut Worksheet) -> Result<(), PrintError> {
        for (col, w) in self.0.iter().enumerate() {
            ws.set_column_width(col_num(col)?, (w + 2.0).clamp(Self::MIN, Self::MAX))?;
        }
        Ok(())
    }
}

fn display_width(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum()
}

fn row_num(i: usize) -> Result<RowNum, PrintError> {
    RowNum::try_from(i).map_err(|_| PrintError::Xlsx(format!("行数过多（{i} 行）")))
}

fn col_num(i: usize) -> Result<ColNum, PrintError> {
    ColNum::try_from(i).map_err(|_| PrintError::Xlsx(format!("列数过多（{i} 列）")))
}

/// "A" for column 0, "J" for column 9 (the reports have fewer than 26 columns).
fn column_letter(col: ColNum) -> char {
    char::from(b'A' + u8::try_from(col % 26).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_and_widths() {
        assert_eq!(column_letter(0), 'A');
        assert_eq!(column_letter(9), 'J');
        assert!((display_width("金额(元)") - 8.0).abs() < 1e-9);
    }
}
