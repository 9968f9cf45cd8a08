//! Notices the office sends to the applicant: the correction notice
//! (作品登记补正通知书) and the refusal notice (作品不予登记通知书).
//!
//! Both are one-page A4 letters (longer ones flow onto more pages): the office
//! and the document title, the notice number and the case serial with its
//! Code 128 barcode, the addressee, the work concerned, the body, and the
//! sign-off with the reviewer, the seal placeholder and the date.

use printpdf::PdfDocument;
use serde::{Deserialize, Serialize};

use crate::barcode::{encode_b, Code128, QUIET_ZONE_MODULES};
use crate::canvas::{save, Canvas, Col, Table, MARGIN};
use crate::font::font;
use crate::money::yuan;
use crate::PrintError;

/// Everything printed on the correction notice (作品登记补正通知书), already
/// formatted by the store (dates as "2026年11月25日").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CorrectionNotice {
    /// Name of the registering office (登记机构), printed as the first title
    /// line and above the seal, e.g. "浙江省版权局".
    pub office_name: String,
    /// Number of the notice (通知书编号), e.g. "浙作登补〔2026〕第0123号".
    pub notice_number: String,
    /// Case serial (流水号); printed as text and as a Code 128 barcode, so
    /// printable ASCII only.
    pub serial: String,
    /// The applicant the notice is addressed to (申请人).
    pub applicant: String,
    /// Title of the work (作品名称).
    pub work_title: String,
    /// Category label (作品类别).
    pub category: String,
    /// When the application was filed (申请日期); "" leaves it out.
    pub submitted_on: String,
    /// What must be corrected (需补正事项), in order; each is a full sentence,
    /// from a template or typed by the reviewer, and may be long.
    pub reasons: Vec<String>,
    /// Last day to correct (补正期限), e.g. "2026年12月25日".
    pub deadline: String,
    /// Who to ask (联系人及电话), e.g. "王立 0571-85100000"; "" leaves it out.
    pub contact: String,
    /// The reviewer's name (审查员).
    pub reviewer: String,
    /// Date of the notice (通知日期).
    pub issued_on: String,
}

/// Everything printed on the refusal notice (作品不予登记通知书), already
/// formatted by the store, except the refund, which is in fen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RefusalNotice {
    /// Name of the registering office (登记机构), e.g. "浙江省版权局".
    pub office_name: String,
    /// Number of the notice (通知书编号), e.g. "浙作登不〔2026〕第0012号".
    pub notice_number: String,
    /// Case serial (流水号); printable ASCII only (it is also a barcode).
    pub serial: String,
    /// The applicant the notice is addressed to (申请人).
    pub applicant: String,
    /// Title of the work (作品名称).
    pub work_title: String,
    /// Category label (作品类别).
    pub category: String,
    /// When the application was filed (申请日期); "" leaves it out.
    pub submitted_on: String,
    /// Why the work is not registered (不予登记理由), e.g.
    /// "不属于著作权法保护的作品".
    pub ground: String,
    /// The legal basis (法律依据), quoted as the store has it.
    pub legal_basis: String,
    /// Further explanation or the applicant's remedies (说明); "" leaves it out.
    pub note: String,
    /// Registration fee paid and to be refunded (已缴登记费), in fen; `None`
    /// when nothing was paid, which leaves the refund statement out.
    pub refund_fen: Option<i64>,
    /// Who reviewed the case (审查人员), in order.
    pub reviewers: Vec<Reviewer>,
    /// Date of the notice (通知日期).
    pub issued_on: String,
}

/// One reviewer in the sign-off of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reviewer {
    /// The role, e.g. 审查员 / 复核员.
    pub role: String,
    /// The reviewer's name.
    pub name: String,
}

const CORRECTION_TITLE: &str = "作品登记补正通知书";
const REFUSAL_TITLE: &str = "作品不予登记通知书";
/// Body text size, in points.
const BODY: f32 = 11.0;
/// Size of the table with the work's details, in points.
const TABLE: f32 = 10.0;
/// Indent of numbered items below a heading, in mm.
const ITEM_INDENT: f32 = 7.0;

/// Renders the correction notice (作品登记补正通知书) as PDF bytes (A4 portrait).
pub fn correction_notice(n: &CorrectionNotice) -> Result<Vec<u8>, PrintError> {
    let (doc, mut c) = opening(
        CORRECTION_TITLE,
        &Case {
            office_name: &n.office_name,
            notice_number: &n.notice_number,
            serial: &n.serial,
            applicant: &n.applicant,
            work_title: &n.work_title,
            category: &n.category,
            submitted_on: &n.submitted_on,
        },
        "经审查，该申请存在下列需要补正的事项：",
    )?;

    c.y += 3.0;
    c.ensure(3.0 * Canvas::line_h(BODY));
    c.paragraph(MARGIN, BODY, "", "需要补正的事项：", 1.0);
    if n.reasons.is_empty() {
        c.paragraph(MARGIN + ITEM_INDENT, BODY, "", "（未列明）", 1.0);
    }
    let label_w = c.width_mm(&format!("{}. ", n.reasons.len()), BODY);
    for (i, reason) in n.reasons.iter().enumerate() {
        c.list_item(
            MARGIN + ITEM_INDENT,
            BODY,
            &format!("{}. ", i + 1),
            label_w,
            reason.trim(),
            1.0,
        );
    }

    c.y += 2.0;
    c.paragraph(
        MARGIN,
        BODY,
        "",
        &format!("　　请于 {} 前补正；逾期未补正的，视为撤回登记申请。", n.deadline),
        1.0,
    );
    if !n.contact.trim().is_empty() {
        c.paragraph(
            MARGIN,
            BODY,
            "",
            &format!("　　联系人及电话：{}", n.contact.trim()),
            1.0,
        );
    }

    let reviewer = format!("审查员：{}", n.reviewer);
    sign_off(&mut c, &[reviewer], &n.office_name, &n.issued_on);
    save(doc, c)
}

/// Renders the refusal notice (作品不予登记通知书) as PDF bytes (A4 portrait).
pub fn refusal_notice(n: &RefusalNotice) -> Result<Vec<u8>, PrintError> {
    let (doc, mut c) = opening(
        REFUSAL_TITLE,
        &Case {
            office_name: &n.office_name,
            notice_number: &n.notice_number,
            serial: &n.serial,
            applicant: &n.applicant,
            work_title: &n.work_title,
            category: &n.category,
            submitted_on: &n.submitted_on,
        },
        "经审查，该申请不符合登记条件，决定不予登记。",
    )?;

    c.y += 3.0;
    c.ensure(3.0 * Canvas::line_h(BODY));
    c.paragraph(MARGIN, BODY, "不予登记理由：", n.ground.trim(), 1.5);
    if !n.legal_basis.trim().is_empty() {
        c.paragraph(MARGIN, BODY, "法律依据：", n.legal_basis.trim(), 1.5);
    }
    if !n.note.trim().is_empty() {
        c.paragraph(MARGIN, BODY, "说明：", n.note.trim(), 1.5);
    }
    if let Some(fen) = n.refund_fen {
        c.y += 1.0;
        c.paragraph(
            MARGIN,
            BODY,
            "",
            &format!("　　已缴登记费 {} 元将予退还。", yuan(fen)),
            1.0,
        );
    }

    let reviewers: Vec<String> = n.reviewers.iter().map(|r| format!("{}：{}", r.role, r.name)).collect();
    sign_off(&mut c, &reviewers, &n.office_name, &n.issued_on);
    save(doc, c)
}

/// "于2026年11月25日" when the filing date is known.
/// What both notices say of the case at their head.
struct Case<'a> {
    office_name: &'a str,
    notice_number: &'a str,
    serial: &'a str,
    applicant: &'a str,
    work_title: &'a str,
    category: &'a str,
    submitted_on: &'a str,
}

/// The document and its first lines, shared by both notices: heading with the barcode,
/// the addressee, the opening sentence ending in `verdict`, the table of the work.
fn opening(title: &str, k: &Case<'_>, verdict: &str) -> Result<(PdfDocument, Canvas<'static>), PrintError> {
    let code = encode_b(k.serial)?;
    let font = font()?;
    let mut doc = PdfDocument::new(&format!("{title} {}", k.serial));
    let font_id = doc.add_font(font);
    let mut c = Canvas::new(font, font_id, title, &format!("流水号 {}", k.serial));
    heading(&mut c, &code, k.office_name, title, k.notice_number, k.serial);
    c.paragraph(MARGIN, BODY, "", &format!("{}：", k.applicant), 1.5);
    let filed = filed_phrase(k.submitted_on);
    c.paragraph(
        MARGIN,
        BODY,
        "",
        &format!("　　你（单位）{filed}提交的作品登记申请已收悉。{verdict}"),
        2.0,
    );
    work_table(&mut c, k.work_title, k.category, k.applicant, k.submitted_on);
    Ok((doc, c))
}

fn filed_phrase(submitted_on: &str) -> String {
    let d = submitted_on.trim();
    if d.is_empty() {
        String::new()
    } else {
        format!("于{d}")
    }
}

/// Office, document title, notice number and serial with its barcode, and a
/// heavy rule; leaves `y` below the rule.
pub(crate) fn heading(c: &mut Canvas<'_>, code: &Code128, office: &str, title: &str, number: &str, serial: &str) {
    let (x0, x1) = (c.left(), c.right());
    c.text_centered(x0, x1, MARGIN + 6.0, 15.0, office);
    c.text_centered(x0, x1, MARGIN + 15.5, 20.0, title);

    let top = MARGIN + 21.0;
    let bar_h = 10.0;
    let max_w = 70.0;
    let module = (max_w / (code.width_modules + 2 * QUIET_ZONE_MODULES) as f32).min(0.33);
    let bw = Canvas::barcode_width(code, module);
    let bx = x1 - bw + QUIET_ZONE_MODULES as f32 * module;
    c.barcode(code, bx, top, module, bar_h);
    let code_w = code.width_modules as f32 * module;
    c.text_centered(bx, bx + code_w, top + bar_h + 3.6, 8.0, serial);

    // Long notice numbers wrap rather than run into the barcode.
    let room = bx - x0 - 4.0;
    let mut y = top + 0.5;
    for label in [format!("编号：{number}"), format!("流水号：{serial}")] {
        for line in c.wrap(&label, room, 10.0) {
            c.text(x0, Canvas::baseline_in(y, 10.0), 10.0, &line);
            y += Canvas::line_h(10.0);
        }
        y += 1.0;
    }
    c.y = (top + bar_h + 5.0).max(y + 1.0);
    c.hline(x0, x1, c.y, 1.2);
    c.y += 6.0;
}

/// The work concerned, as a small ruled table.
fn work_table(c: &mut Canvas<'_>, title: &str, category: &str, applicant: &str, submitted_on: &str) {
    let cols = [Col::label(26.0), Col::left(c.content_w() - 26.0)];
    let t = Table {
        cols: &cols,
        header: None,
        size: TABLE,
        min_row_h: 0.0,
        v_center: false,
    };
    let mut rows = vec![
        vec!["作品名称".to_string(), title.to_string()],
        vec!["作品类别".to_string(), category.to_string()],
        vec!["申请人".to_string(), applicant.to_string()],
    ];
    if !submitted_on.trim().is_empty() {
        rows.push(vec!["申请日期".to_string(), submitted_on.to_string()]);
    }
    c.table(&t, &rows);
}

/// The sign-off, kept together on one page: the reviewers on the left, and on
/// the right the office, the seal placeholder and the date.
pub(crate) fn sign_off(c: &mut Canvas<'_>, reviewers: &[String], office: &str, date: &str) {
    let lh = Canvas::line_h(BODY);
    let gap = 2.5;
    let block = 3.0 * (lh + gap);
    c.y += 10.0;
    c.ensure(block.max(reviewers.len() as f32 * (lh + 1.0)));
    let top = c.y;

    let mut y = top;
    for r in reviewers {
        c.text(c.left(), Canvas::baseline_in(y, BODY), BODY, r);
        y += lh + 1.0;
    }

    let x1 = c.right();
    let x0 = x1 - 62.0;
    let mut y = top;
    for line in [office, "（登记机构盖章）", date] {
        c.text_centered(x0, x1, Canvas::baseline_in(y, BODY), BODY, line);
        y += lh + gap;
    }
    c.y = top + block.max(reviewers.len() as f32 * (lh + 1.0));
}
