//! Documents of the certificate's delivery (证书发放): the acceptance notice (受理通知书)
//! the applicant brings back at pickup, the mailing labels (邮寄面单, SF Express freight
//! collect 到付), the day's shipping list (邮寄清单), the pickup receipt (证书签收单), and the
//! spreadsheets: SF's bulk-order upload (批量下单) with the office's column mapping and the
//! shipping list.

use printpdf::{PaintMode, PdfDocument};
use rust_xlsxwriter::{Format, Workbook};
use serde::{Deserialize, Serialize};

use crate::barcode::{encode_b, Code128, QUIET_ZONE_MODULES};
use crate::canvas::{save, Align, Canvas, Col, Orientation, Table, MARGIN};
use crate::font::font;
use crate::notice::{heading, sign_off};
use crate::PrintError;

// ---------------------------------------------------------------- acceptance notice

/// Everything printed on the acceptance notice (作品登记受理通知书), formatted by the store.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AcceptanceNotice {
    /// 登记机构，e.g. "浙江省版权局".
    pub office_name: String,
    /// Case serial (流水号): text and Code 128, so printable ASCII only.
    pub serial: String,
    /// 作品名称
    pub work_title: String,
    /// 作品类别
    pub category: String,
    /// 申请人
    pub applicant: String,
    /// 受理日期, e.g. "2026年11月25日".
    pub accepted_on: String,
    /// 办结时限 in working days (e.g. 30).
    pub working_days: u32,
    /// The last working day, e.g. "2027年01月08日"; "" when the calendar of that year is not
    /// loaded yet (the notice then states the period only).
    pub due_on: String,
    /// 纸质证书发放方式, e.g. "自领".
    pub delivery: String,
    /// Date printed (通知日期).
    pub issued_on: String,
}

const ACCEPTANCE_TITLE: &str = "作品登记受理通知书";
const BODY: f32 = 11.0;

/// Renders the acceptance notice (作品登记受理通知书) as PDF bytes (A4 portrait).
pub fn acceptance_notice(n: &AcceptanceNotice) -> Result<Vec<u8>, PrintError> {
    let code = encode_b(&n.serial)?;
    let font = font()?;
    let mut doc = PdfDocument::new(&format!("{ACCEPTANCE_TITLE} {}", n.serial));
    let font_id = doc.add_font(font);
    let mut c = Canvas::new(font, font_id, ACCEPTANCE_TITLE, &format!("流水号 {}", n.serial));
    heading(
        &mut c,
        &code,
        &n.office_name,
        ACCEPTANCE_TITLE,
        &format!("受理〔{}〕", n.serial),
        &n.serial,
    );
    c.paragraph(MARGIN, BODY, "", &format!("{}：", n.applicant.trim()), 1.5);
    c.paragraph(
        MARGIN,
        BODY,
        "",
        &format!(
            "　　你（单位）提交的作品登记申请及登记费已收到，经核对，予以受理。本机构将自{}起 {} 个工作日内办结。",
            n.accepted_on, n.working_days
        ),
        2.0,
    );
    let deadline = if n.due_on.trim().is_empty() {
        format!("{} 个工作日", n.working_days)
    } else {
        format!("{} 个工作日（{}前办结）", n.working_days, n.due_on.trim())
    };
    let cols = [Col::label(26.0), Col::left(c.content_w() - 26.0)];
    let t = Table {
        cols: &cols,
        header: None,
        size: 10.0,
        min_row_h: 0.0,
        v_center: false,
    };
    let rows: Vec<Vec<String>> = [
        ("流水号", n.serial.as_str()),
        ("作品名称", n.work_title.trim()),
        ("作品类别", n.category.trim()),
        ("申请人", n.applicant.trim()),
        ("受理日期", n.accepted_on.trim()),
        ("办结时限", deadline.as_str()),
        ("证书发放", n.delivery.trim()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(l, v)| vec![l.to_string(), v.to_string()])
    .collect();
    c.table(&t, &rows);
    c.y += 4.0;
    c.paragraph(MARGIN, BODY, "", "领取证书须知：", 1.0);
    for (i, line) in [
        "自领证书的，须在电子发票发送后，凭本通知书及领取人身份证件原件到登记机构领取。",
        "本通知书遗失的，请提交写明作品名称和流水号的遗失说明。",
        "委托他人领取的，代理人另须提交申请人签署的授权委托书。",
        "选择邮寄的，证书以顺丰速运到付方式寄送至申请时填写的收件地址。",
    ]
    .iter()
    .enumerate()
    {
        let label = format!("{}. ", i + 1);
        let w = c.width_mm("9. ", BODY);
        c.list_item(MARGIN + 7.0, BODY, &label, w, line, 0.8);
    }
    sign_off(&mut c, &[], &n.office_name, &n.issued_on);
    save(doc, c)
}

// ---------------------------------------------------------------- labels

/// One mailing label (邮寄面单): one recipient, one envelope.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShippingLabel {
    /// Our shipment code (邮件编号): text and Code 128, printable ASCII.
    pub code: String,
    pub recipient_name: String,
    pub recipient_phone: String,
    /// Full postal address.
    pub recipient_address: String,
    /// The office as sender.
    pub sender_name: String,
    pub sender_phone: String,
    pub sender_address: String,
    /// Registration numbers (or serials) of the certificates inside.
    pub numbers: Vec<String>,
}

/// The labels as one PDF, one `width`×`height` mm page each (SF thermal stock).
pub fn labels(width: f32, height: f32, labels: &[ShippingLabel]) -> Result<Vec<u8>, PrintError> {
    let codes: Vec<Code128> = labels.iter().map(|l| encode_b(&l.code)).collect::<Result<_, _>>()?;
    let font = font()?;
    let mut doc = PdfDocument::new("邮寄面单");
    let font_id = doc.add_font(font);
    let mut c = Canvas::sized(font, font_id, width, height);
    for (i, (l, code)) in labels.iter().zip(&codes).enumerate() {
        if i > 0 {
            c.blank_page();
        }
        draw_label(&mut c, width, height, l, code);
    }
    save(doc, c)
}

fn draw_label(c: &mut Canvas<'_>, w: f32, h: f32, l: &ShippingLabel, code: &Code128) {
    let m = 4.0;
    let scale = (w / 100.0).min(1.0);
    let (x0, x1) = (m, w - m);
    let inner = x1 - x0;
    c.rect(x0 - 1.5, m - 1.5, inner + 3.0, h - 2.0 * m + 3.0, PaintMode::Stroke);

    // 到付 in a box, top right; the document's name top left.
    let box_w = 26.0 * scale;
    let box_h = 13.0 * scale;
    let top = m + 1.0;
    c.rect(x1 - box_w, top, box_w, box_h, PaintMode::Stroke);
    c.rect(x1 - box_w + 0.8, top + 0.8, box_w - 1.6, box_h - 1.6, PaintMode::Stroke);
    let pay = 20.0 * scale;
    c.text_centered(
        x1 - box_w,
        x1,
        top + box_h / 2.0 + 0.35 * crate::canvas::pt_to_mm(pay) * 1.0,
        pay,
        "到付",
    );
    c.text(x0 + 1.0, top + 5.0 * scale, 9.0 * scale, "作品登记证书 邮件");
    c.text(
        x0 + 1.0,
        top + 10.5 * scale,
        9.0 * scale,
        &format!("邮件编号 {}", l.code),
    );
    let mut y = top + box_h + 2.5;
    c.hline(x0, x1, y, 1.0);
    y += 2.0;

    // Recipient, large.
    let big = 13.0 * scale;
    c.text(x0 + 1.0, Canvas::baseline_in(y, 9.0 * scale), 9.0 * scale, "收件人");
    y += Canvas::line_h(9.0 * scale);
    let who = format!("{}　{}", l.recipient_name.trim(), l.recipient_phone.trim());
    for line in c.wrap(&who, inner - 2.0, big) {
        c.text(x0 + 1.0, Canvas::baseline_in(y, big), big, &line);
        y += Canvas::line_h(big);
    }
    let addr = 11.0 * scale;
    for line in c.wrap(l.recipient_address.trim(), inner - 2.0, addr) {
        c.text(x0 + 1.0, Canvas::baseline_in(y, addr), addr, &line);
        y += Canvas::line_h(addr);
    }
    y += 1.5;
    c.hline(x0, x1, y, 0.6);
    y += 1.5;

    // Sender: the office.
    let small = 8.0 * scale;
    let sender = format!("寄件人：{}　{}", l.sender_name.trim(), l.sender_phone.trim());
    for text in [sender, l.sender_address.trim().to_string()] {
        for line in c.wrap(&text, inner - 2.0, small) {
            c.text(x0 + 1.0, Canvas::baseline_in(y, small), small, &line);
            y += Canvas::line_h(small);
        }
    }
    y += 1.5;
    c.hline(x0, x1, y, 0.6);
    y += 1.5;

    // Contents and numbers, above the barcode.
    let bar_h = 14.0 * scale.max(0.8);
    let text_below = 4.0;
    let bar_top = h - m - 2.0 - text_below - bar_h;
    let mid = 11.0 * scale;
    c.text(
        x0 + 1.0,
        Canvas::baseline_in(y, mid),
        mid,
        &format!("内件：作品登记证书 × {}", l.numbers.len()),
    );
    y += Canvas::line_h(mid) + 0.5;
    let num = 8.0 * scale;
    let lh = Canvas::line_h(num);
    // Whole numbers per line (a number is never split), as many as fit.
    let room_w = inner - 2.0;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::from("登记号：");
    for n in &l.numbers {
        let candidate = if line.ends_with('：') {
            format!("{line}{n}")
        } else {
            format!("{line}  {n}")
        };
        if c.width_mm(&candidate, num) <= room_w || line.ends_with('：') {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = n.clone();
        }
    }
    lines.push(line);
    let lines: Vec<String> = lines.iter().flat_map(|l| c.wrap(l, room_w, num)).collect();
    let room = ((bar_top - 1.5 - y) / lh).floor().max(0.0) as usize;
    let fits = lines.len() <= room;
    let shown = if fits { lines.len() } else { room.saturating_sub(1) };
    for line in lines.iter().take(shown) {
        c.text(x0 + 1.0, Canvas::baseline_in(y, num), num, line);
        y += lh;
    }
    if !fits && room > 0 {
        c.text(
            x0 + 1.0,
            Canvas::baseline_in(y, num),
            num,
            &format!("……共 {} 件，完整清单见邮件内签收联", l.numbers.len()),
        );
    }

    // Our Code 128 of the shipment.
    let module = ((inner - 2.0) / (code.width_modules + 2 * QUIET_ZONE_MODULES) as f32).min(0.33);
    let bw = code.width_modules as f32 * module;
    let bx = x0 + (inner - bw) / 2.0;
    c.barcode(code, bx, bar_top, module, bar_h);
    c.text_centered(bx, bx + bw, bar_top + bar_h + 3.2, 8.0, &l.code);
}

// ---------------------------------------------------------------- shipping list

/// One shipment on the day's shipping list (邮寄清单).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShippingListRow {
    /// SF waybill number.
    pub waybill: String,
    /// Our shipment code.
    pub code: String,
    pub recipient_name: String,
    /// Masked phone (138****1234).
    pub recipient_phone: String,
    /// Masked address.
    pub recipient_address: String,
    /// Registration numbers inside.
    pub numbers: Vec<String>,
    /// Who scanned the waybill.
    pub clerk: String,
}

/// The day's shipping list (邮寄清单) as one PDF (A4 landscape).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShippingList {
    pub office_name: String,
    /// "2026年12月06日".
    pub day: String,
    pub rows: Vec<ShippingListRow>,
    /// Printed on (打印时间).
    pub printed_at: String,
}

const LIST_TITLE: &str = "证书邮寄清单";
const LIST_COLUMNS: [&str; 8] = [
    "序号",
    "顺丰运单号",
    "邮件编号",
    "收件人",
    "电话",
    "地址",
    "件数",
    "登记号",
];

/// Renders the shipping list of one day as PDF bytes.
pub fn shipping_list(l: &ShippingList) -> Result<Vec<u8>, PrintError> {
    let font = font()?;
    let mut doc = PdfDocument::new(&format!("{LIST_TITLE} {}", l.day));
    let font_id = doc.add_font(font);
    let mut c = Canvas::with_orientation(font, font_id, LIST_TITLE, &l.day, Orientation::Landscape);
    let (x0, x1) = (c.left(), c.right());
    c.text_centered(x0, x1, MARGIN + 6.0, 15.0, &l.office_name);
    c.text_centered(x0, x1, MARGIN + 15.0, 18.0, LIST_TITLE);
    let total: usize = l.rows.iter().map(|r| r.numbers.len()).sum();
    c.text(
        x0,
        MARGIN + 23.0,
        10.0,
        &format!(
            "寄出日期：{}　　共 {} 件邮件，{} 本证书　　（顺丰到付）",
            l.day,
            l.rows.len(),
            total
        ),
    );
    c.text_right(x1, MARGIN + 23.0, 9.0, &format!("打印时间：{}", l.printed_at));
    c.y = MARGIN + 26.0;
    let w = c.content_w();
    let cols = [
        Col::center(10.0),
        Col::left(34.0),
        Col::left(32.0),
        Col::left(22.0),
        Col::left(24.0),
        Col::left(w - 10.0 - 34.0 - 32.0 - 22.0 - 24.0 - 12.0 - 60.0),
        Col {
            width: 12.0,
            align: Align::Right,
            fill: None,
        },
        Col::left(60.0),
    ];
    let t = Table {
        cols: &cols,
        header: Some(&LIST_COLUMNS),
        size: 8.5,
        min_row_h: 0.0,
        v_center: false,
    };
    let rows: Vec<Vec<String>> = l
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                r.waybill.clone(),
                r.code.clone(),
                r.recipient_name.clone(),
                r.recipient_phone.clone(),
                r.recipient_address.clone(),
                r.numbers.len().to_string(),
                r.numbers.join("\n"),
            ]
        })
        .collect();
    if rows.is_empty() {
        c.paragraph(x0, 10.0, "", "当日没有寄出的邮件。", 1.0);
    } else {
        c.table(&t, &rows);
    }
    c.y += 8.0;
    c.ensure(10.0);
    let y = c.y;
    c.text(
        x0,
        y,
        10.0,
        "交接人（发证）：＿＿＿＿＿＿　　揽件人（顺丰）：＿＿＿＿＿＿　　交接时间：＿＿＿＿＿＿",
    );
    save(doc, c)
}

// ---------------------------------------------------------------- pickup receipt

/// One certificate handed over.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReceiptLine {
    pub registration_number: String,
    pub work_title: String,
    pub serial: String,
}

/// The pickup receipt (作品登记证书签收单) the collector signs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HandoverReceipt {
    pub office_name: String,
    /// Handover number (领取登记号), printable ASCII (also a Code 128).
    pub number: String,
    pub lines: Vec<ReceiptLine>,
    /// 本人 / 代理人
    pub collector_kind: String,
    pub collector_name: String,
    /// 证件类型
    pub id_type: String,
    /// Masked ID number.
    pub id_number: String,
    /// 查验材料, e.g. "身份证件、受理通知书、授权委托书".
    pub documents: String,
    /// When (领取时间), e.g. "2026年12月06日 10:35".
    pub at: String,
    /// The clerk (经办人).
    pub clerk: String,
}

const RECEIPT_TITLE: &str = "作品登记证书签收单";

/// Renders the pickup receipt as PDF bytes (A4 portrait).
pub fn handover_receipt(r: &HandoverReceipt) -> Result<Vec<u8>, PrintError> {
    let code = encode_b(&r.number)?;
    let font = font()?;
    let mut doc = PdfDocument::new(&format!("{RECEIPT_TITLE} {}", r.number));
    let font_id = doc.add_font(font);
    let mut c = Canvas::new(font, font_id, RECEIPT_TITLE, &format!("领取登记 {}", r.number));
    receipt_heading(&mut c, &code, &r.office_name, &r.number);
    c.paragraph(
        MARGIN,
        BODY,
        "",
        &format!(
            "　　今领到下列作品登记证书共 {} 本，证书内容已当面核对无误。",
            r.lines.len()
        ),
        2.0,
    );
    let w = c.content_w();
    let cols = [
        Col::center(12.0),
        Col::left(58.0),
        Col::left(w - 12.0 - 58.0 - 44.0),
        Col::left(44.0),
    ];
    let header = ["序号", "登记号", "作品名称", "流水号"];
    let t = Table {
        cols: &cols,
        header: Some(&header),
        size: 10.0,
        min_row_h: 0.0,
        v_center: false,
    };
    let rows: Vec<Vec<String>> = r
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                (i + 1).to_string(),
                l.registration_number.clone(),
                l.work_title.clone(),
                l.serial.clone(),
            ]
        })
        .collect();
    c.table(&t, &rows);
    c.y += 5.0;
    let cols = [Col::label(26.0), Col::left(w - 26.0)];
    let t = Table {
        cols: &cols,
        header: None,
        size: 10.0,
        min_row_h: 0.0,
        v_center: false,
    };
    let facts: Vec<Vec<String>> = [
        ("领取人", format!("{}（{}）", r.collector_name, r.collector_kind)),
        ("证件", format!("{} {}", r.id_type, r.id_number)),
        ("查验材料", r.documents.clone()),
        ("领取时间", r.at.clone()),
        ("经办人", r.clerk.clone()),
    ]
    .into_iter()
    .map(|(l, v)| vec![l.to_string(), v])
    .collect();
    c.table(&t, &facts);
    c.y += 16.0;
    c.ensure(20.0);
    let y = c.y;
    c.text(MARGIN, y, BODY, "领取人签字：＿＿＿＿＿＿＿＿＿＿");
    c.text_right(c.right(), y, BODY, "日期：＿＿＿＿年＿＿月＿＿日");
    c.y = y + 10.0;
    save(doc, c)
}

/// Office, title, the handover number with its barcode, and a heavy rule.
fn receipt_heading(c: &mut Canvas<'_>, code: &Code128, office: &str, number: &str) {
    let (x0, x1) = (c.left(), c.right());
    c.text_centered(x0, x1, MARGIN + 6.0, 15.0, office);
    c.text_centered(x0, x1, MARGIN + 15.5, 20.0, RECEIPT_TITLE);
    let top = MARGIN + 21.0;
    let bar_h = 10.0;
    let module = (70.0 / (code.width_modules + 2 * QUIET_ZONE_MODULES) as f32).min(0.33);
    let bw = Canvas::barcode_width(code, module);
    let bx = x1 - bw + QUIET_ZONE_MODULES as f32 * module;
    c.barcode(code, bx, top, module, bar_h);
    let code_w = code.width_modules as f32 * module;
    c.text_centered(bx, bx + code_w, top + bar_h + 3.6, 8.0, number);
    c.text(
        x0,
        Canvas::baseline_in(top + 0.5, 10.0),
        10.0,
        &format!("领取登记号：{number}"),
    );
    c.y = top + bar_h + 5.0;
    c.hline(x0, x1, c.y, 1.2);
    c.y += 6.0;
}

// ---------------------------------------------------------------- spreadsheets

/// A sheet of text cells: one header row, then rows (SF's bulk order; the shipping list).
/// Every cell is written as text, so phone numbers and waybills keep their spelling.
pub fn text_sheet_xlsx(sheet: &str, header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, PrintError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count() * 2 + 2).collect();
    for (col, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col_num(col)?, h, &bold)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).map_err(|_| PrintError::Xlsx("行数过多".into()))?;
        for (col, v) in row.iter().enumerate() {
            ws.write_string_with_format(r, col_num(col)?, v, &text)?;
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(v.chars().map(|ch| if ch.is_ascii() { 1 } else { 2 }).sum::<usize>() + 2);
            }
        }
    }
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col_num(col)?, (*w).min(60) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(wb.save_to_buffer()?)
}

fn col_num(i: usize) -> Result<u16, PrintError> {
    u16::try_from(i).map_err(|_| PrintError::Xlsx("列数过多".into()))
}
