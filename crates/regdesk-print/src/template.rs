//! The batch-intake template (批量受理模板, .xlsx bytes): a sheet of works with
//! one column per field of the filing — pick-list columns validated against a
//! sheet of allowed values — and a sheet of instructions. Plain data in (the
//! store passes the domain's columns and lists), bytes out.

use rust_xlsxwriter::{Color, DataValidation, DataValidationErrorStyle, Format, FormatBorder, Formula, Workbook};

use crate::PrintError;

/// One column of the works sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateColumn {
    pub header: String,
    /// How to fill it in.
    pub hint: String,
    /// Index into the lists, when the column is a pick list.
    pub list: Option<usize>,
    /// Several values per cell (then the pick list is a hint, not a check).
    pub several: bool,
}

/// A list of allowed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateList {
    pub title: String,
    pub values: Vec<String>,
}

/// Rows of the works sheet validated and formatted as text.
const ROWS: u32 = 2000;

/// The template: sheets `works`, `values` and `help` (their names), the works sheet first.
pub fn intake_template(
    office: &str,
    sheets: [&str; 3],
    columns: &[TemplateColumn],
    lists: &[TemplateList],
) -> Result<Vec<u8>, PrintError> {
    let [works, values, help] = sheets;
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE6F4FF))
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let bold = Format::new().set_bold();

    // The works: one row per work. Every cell is text, so ID numbers keep their last digits.
    let ws = wb.add_worksheet().set_name(works)?;
    for (i, c) in columns.iter().enumerate() {
        let col = u16::try_from(i).map_err(|_| PrintError::Xlsx("模板的列过多".into()))?;
        ws.write_with_format(0, col, c.header.as_str(), &head)?;
        ws.set_column_width(col, (c.header.chars().count() as f64 * 2.2).max(12.0))?;
        ws.set_column_format(col, &text)?;
        if let (Some(l), false) = (c.list, c.several) {
            if let Some(list) = lists.get(l) {
                let letter = column_letter(l);
                let n = list.values.len().max(1);
                let v = DataValidation::new()
                    .allow_list_formula(Formula::new(format!("='{values}'!${letter}$2:${letter}${}", n + 1)))
                    .set_error_style(DataValidationErrorStyle::Stop)
                    .set_error_title("不是可选值")?
                    .set_error_message(format!("请从下拉列表中选择{}", list.title).as_str())?
                    .set_input_title(c.header.as_str())?
                    .set_input_message(c.hint.as_str())?;
                ws.add_data_validation(1, col, ROWS, col, &v)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;

    // The allowed values, one list per column.
    let vs = wb.add_worksheet().set_name(values)?;
    for (i, list) in lists.iter().enumerate() {
        let col = u16::try_from(i).map_err(|_| PrintError::Xlsx("可选值列表过多".into()))?;
        vs.write_with_format(0, col, list.title.as_str(), &head)?;
        vs.set_column_width(col, 18)?;
        for (r, v) in list.values.iter().enumerate() {
            let row = u32::try_from(r + 1).map_err(|_| PrintError::Xlsx("可选值过多".into()))?;
            vs.write(row, col, v.as_str())?;
        }
    }

    // The instructions.
    let hs = wb.add_worksheet().set_name(help)?;
    hs.set_column_width(0, 24)?;
    hs.set_column_width(1, 80)?;
    hs.write_with_format(0, 0, format!("{office} 作品登记批量受理模板").as_str(), &bold)?;
    let general = [
        format!("1. 在“{works}”工作表中每行填写一件作品，不要修改、增加或删除表头。"),
        "2. 带下拉列表的列请从列表中选择；可选值见“可选值”工作表。".to_string(),
        "3. 样本、证件扫描件等文件请放在同一个文件夹中，表格中填写文件名（含扩展名），多个用“；”分隔。".to_string(),
        "4. 证件号码请以文本填写（本模板已设为文本格式），避免末位变成 0 或变成科学计数法。".to_string(),
        "5. 窗口导入时逐行检查，每个问题都会指明行号、列名和改法；有问题的行不会生成草稿。".to_string(),
    ];
    for (i, line) in general.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        hs.write(row, 0, line.as_str())?;
    }
    let start = u32::try_from(general.len() + 2).unwrap_or(u32::MAX);
    hs.write_with_format(start, 0, "列", &head)?;
    hs.write_with_format(start, 1, "填写说明", &head)?;
    for (i, c) in columns.iter().enumerate() {
        let row = start + 1 + u32::try_from(i).unwrap_or(u32::MAX - start - 1);
        hs.write(row, 0, c.header.as_str())?;
        hs.write(row, 1, c.hint.as_str())?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The spreadsheet letter of a 0-based column (A, B, …, Z, AA, …).
fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
