//! The fee day report (收费日报): what came in, per day and payment method,
//! as a ruled table on A4 landscape pages with a totals row (合计).

use printpdf::PdfDocument;
use serde::{Deserialize, Serialize};

use crate::canvas::{save, Canvas, Col, Orientation, Table, MARGIN};
use crate::font::font;
use crate::money::yuan;
use crate::PrintError;

/// The fee day report (收费日报) for a period, already formatted by the store
/// except the amounts, which are in fen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DayReport {
    /// Name of the registering office (登记机构), e.g. "浙江省版权局".
    pub office_name: String,
    /// First day of the period (统计起始日期), e.g. "2026年11月01日".
    pub period_from: String,
    /// Last day of the period (统计截止日期), e.g. "2026年11月30日".
    pub period_to: String,
    /// Who produced the report (制表人).
    pub generated_by: String,
    /// When it was produced (制表时间), e.g. "2026年11月30日 17:05".
    pub generated_at: String,
    /// The audit chain's last entry when it was produced, printed under the
    /// table so that paper keeps the head too, e.g.
    /// "审计链末条：第 1024 条，哈希 3f5a0c9e1b2d4f68"; empty: not printed.
    pub audit_head: String,
    /// One row per day and payment method, in print order.
    pub rows: Vec<DayReportRow>,
}

/// One line of the fee day report (收费日报): a day and a payment method.
/// Its figures are the columns the payments desk shows, in the same order:
/// received, confirmed, pending, rejected, refunded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DayReportRow {
    /// The day (日期), e.g. "2026年11月25日".
    pub date: String,
    /// Payment method (缴费方式), e.g. 银行转账 / 微信支付 / 现金.
    pub method: String,
    /// Payments received (到账笔数).
    pub received_count: u32,
    /// Amount received (到账金额), in fen.
    pub received_fen: i64,
    /// Payments confirmed against a case (已确认笔数).
    pub confirmed_count: u32,
    /// Amount confirmed (已确认金额), in fen.
    pub confirmed_fen: i64,
    /// Payments still to be checked (待核笔数).
    pub pending_count: u32,
    /// Amount still to be checked (待核金额), in fen.
    pub pending_fen: i64,
    /// Payments rejected at checking (退回笔数).
    pub rejected_count: u32,
    /// Amount rejected at checking (退回金额), in fen.
    pub rejected_fen: i64,
    /// Refunds paid out (退费笔数).
    pub refund_count: u32,
    /// Amount refunded (退费金额), in fen, as a positive number.
    pub refund_fen: i64,
}

impl DayReport {
    /// The totals row (合计): every count and amount summed over the rows.
    /// Its `date` is "合计" and its `method` is empty.
    pub fn totals(&self) -> DayReportRow {
        let mut t = DayReportRow {
            date: "合计".to_string(),
            ..DayReportRow::default()
        };
        for r in &self.rows {
            t.received_count = t.received_count.saturating_add(r.received_count);
            t.received_fen = t.received_fen.saturating_add(r.received_fen);
            t.confirmed_count = t.confirmed_count.saturating_add(r.confirmed_count);
            t.confirmed_fen = t.confirmed_fen.saturating_add(r.confirmed_fen);
            t.pending_count = t.pending_count.saturating_add(r.pending_count);
            t.pending_fen = t.pending_fen.saturating_add(r.pending_fen);
            t.rejected_count = t.rejected_count.saturating_add(r.rejected_count);
            t.rejected_fen = t.rejected_fen.saturating_add(r.rejected_fen);
            t.refund_count = t.refund_count.saturating_add(r.refund_count);
            t.refund_fen = t.refund_fen.saturating_add(r.refund_fen);
        }
        t
    }
}

impl DayReportRow {
    /// The ten figures in column order (counts and fen alternating).
    pub(crate) fn figures(&self) -> [Figure; FIGURES] {
        [
            Figure::Count(self.received_count),
            Figure::Fen(self.received_fen),
            Figure::Count(self.confirmed_count),
            Figure::Fen(self.confirmed_fen),
            Figure::Count(self.pending_count),
            Figure::Fen(self.pending_fen),
            Figure::Count(self.rejected_count),
            Figure::Fen(self.rejected_fen),
            Figure::Count(self.refund_count),
            Figure::Fen(self.refund_fen),
        ]
    }

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![self.date.clone(), self.method.clone()];
        cells.extend(self.figures().iter().map(|f| match *f {
            Figure::Count(n) => n.to_string(),
            Figure::Fen(fen) => yuan(fen),
        }));
        cells
    }
}

/// A count or an amount of the day report.
#[derive(Clone, Copy)]
pub(crate) enum Figure {
    Count(u32),
    Fen(i64),
}

pub(crate) const DOC_TITLE: &str = "收费日报";

/// How many figures (counts and amounts) a row has: five pairs.
pub(crate) const FIGURES: usize = 10;

/// Column titles of the day report, shared by the PDF and the spreadsheet:
/// the columns of the payments desk's report, in its order.
pub(crate) const COLUMNS: [&str; 2 + FIGURES] = [
    "日期",
    "缴费方式",
    "到账笔数",
    "到账金额",
    "已确认笔数",
    "已确认金额",
    "待核笔数",
    "待核金额",
    "退回笔数",
    "退回金额",
    "退费笔数",
    "退费金额",
];

/// Body text size, in points.
const BODY: f32 = 9.0;

/// Renders the fee day report (收费日报) as PDF bytes: A4 landscape, the
/// table continuing over as many pages as needed with its header repeated.
pub fn day_report(r: &DayReport) -> Result<Vec<u8>, PrintError> {
    let font = font()?;
    let period = format!("{} 至 {}", r.period_from, r.period_to);
    let mut doc = PdfDocument::new(&format!("{DOC_TITLE} {period}"));
    let font_id = doc.add_font(font);
    let running = format!("{}　{}", r.office_name, period);
    let mut c = Canvas::with_orientation(font, font_id, DOC_TITLE, &running, Orientation::Landscape);

    let (x0, x1) = (c.left(), c.right());
    c.text_centered(x0, x1, MARGIN + 6.5, 18.0, DOC_TITLE);
    c.text_centered(x0, x1, MARGIN + 12.5, 11.0, &r.office_name);
    let mut base = MARGIN + 20.0;
    let left = format!("统计期间：{period}");
    let right = format!("制表人：{}　　制表时间：{}", r.generated_by, r.generated_at);
    c.text(x0, base, 10.0, &left);
    // Both on one line when they fit side by side, else one below the other.
    if c.width_mm(&left, 10.0) + c.width_mm(&right, 10.0) + 10.0 > c.content_w() {
        base += Canvas::line_h(10.0);
    }
    c.text_right(x1, base, 10.0, &right);
    c.y = base + 2.5;
    c.hline(x0, x1, c.y, 1.2);
    c.y += 1.0;
    c.text_right(x1, c.y + 3.2, 8.0, "金额单位：元");
    c.y += 4.5;

    // 28 + 28 + 5 × 19 + 5 × w = content width (261 mm in landscape, so w = 22 mm:
    // "1,234,567.89" fits, and so does a five-character title such as 已确认笔数).
    const DATE_W: f32 = 28.0;
    const METHOD_W: f32 = 28.0;
    const COUNT_W: f32 = 19.0;
    let pairs = (FIGURES / 2) as f32;
    let amount_w = (c.content_w() - DATE_W - METHOD_W - pairs * COUNT_W) / pairs;
    let mut cols = vec![Col::center(DATE_W), Col::center(METHOD_W)];
    for _ in 0..FIGURES / 2 {
        cols.push(Col::right(COUNT_W));
        cols.push(Col::right(amount_w));
    }
    let header = COLUMNS;
    let t = Table {
        cols: &cols,
        header: Some(&header),
        size: BODY,
        min_row_h: 0.0,
        v_center: false,
    };
    let mut rows: Vec<Vec<String>> = r.rows.iter().map(DayReportRow::cells).collect();
    if rows.is_empty() {
        let mut empty = vec![String::new(); COLUMNS.len()];
        if let Some(cell) = empty.get_mut(1) {
            *cell = "本期无收费记录".to_string();
        }
        rows.push(empty);
    }
    c.table_with_total(&t, &rows, &r.totals().cells());
    if !r.audit_head.is_empty() {
        c.ensure(Canvas::line_h(8.0) + 3.0);
        c.text(x0, c.y + 5.0, 8.0, &r.audit_head);
    }
    save(doc, c)
}
