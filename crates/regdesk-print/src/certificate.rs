//! The certificate of registration (作品登记证书), after the national design
//! (国版函〔2016〕1号, docs/DOMAIN.md §9).
//!
//! One A4 portrait page per certificate: a double frame, the title
//! 作品登记证书, a QR code at the top right (the office's verification
//! address with the registration number and the case's check code), the
//! fields in the national order with their labels (登记号, 作品名称,
//! 作品类别, 作者, 著作权人, 创作完成日期, 首次发表日期), the approval
//! sentence, the registration date under the office's round seal (drawn as
//! vector: the office's name on the upper arc, a star, 作品自愿登记 and
//! 专用章), and the footer 中华人民共和国国家版权局统一监制.
//!
//! Every field has a fixed place on the sheet, so the same layout serves the
//! office's pre-printed blanks: in overprint mode (套打) only the data is
//! printed (the values, the sentence, the date and the QR code), and the
//! frame, title, labels, seal and footer are left to the blank. Each printer
//! has its own offset in mm, applied to everything on the sheet; the
//! calibration page ([`calibration_page`]) shows where the printer puts it.
//!
//! A value too long for its place is set smaller and wrapped, down to a
//! minimum size, then given more lines: never cut.

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rect, Rgb, TextItem, TextMatrix,
    WindingOrder,
};
use qrcode::{EcLevel, QrCode};
use serde::{Deserialize, Serialize};

use crate::font::{font, Metrics};
use crate::PrintError;

/// Everything printed on one certificate, already formatted by the store
/// (dates as "2026年03月07日").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Certificate {
    /// The registering office (登记机构), in the sentence and on the seal's arc.
    pub office_name: String,
    /// 登记号, e.g. "浙作登字-2026-F-00000012".
    pub registration_number: String,
    /// 作品名称.
    pub work_title: String,
    /// 作品类别, e.g. "美术作品".
    pub category: String,
    /// 作者, in order; printed joined with 、.
    pub authors: Vec<String>,
    /// 著作权人, in order; printed joined with 、.
    pub owners: Vec<String>,
    /// 创作完成日期, e.g. "2026年03月07日" (or "2026年03月" when the day is unknown).
    pub completed_on: String,
    /// 首次发表日期; `None` prints 未发表.
    pub published_on: Option<String>,
    /// The applicant named in the sentence (申请人).
    pub applicant: String,
    /// 登记日期.
    pub registered_on: String,
    /// What the QR code carries: the office's verification address with the
    /// number and the check code. Empty leaves the QR code out.
    pub verification_link: String,
}

/// Full sheet on plain paper, or the data alone on a pre-printed blank (套打).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateMode {
    /// 整页打印（白纸）
    #[default]
    Full,
    /// 套打（仅打印数据）
    Overprint,
}

/// How a sheet is laid on the paper of one printer.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct SheetLayout {
    pub mode: CertificateMode,
    /// Moves everything to the right (negative: left), in mm.
    pub offset_x_mm: f32,
    /// Moves everything down (negative: up), in mm.
    pub offset_y_mm: f32,
}

/// Labels of the fields, in the national order.
pub const FIELD_LABELS: [&str; 7] = [
    "登记号",
    "作品名称",
    "作品类别",
    "作者",
    "著作权人",
    "创作完成日期",
    "首次发表日期",
];
/// Title of the certificate.
pub const TITLE: &str = "作品登记证书";
/// Footer of the national design.
pub const FOOTER: &str = "中华人民共和国国家版权局统一监制";
/// Printed for a work not published.
pub const UNPUBLISHED: &str = "未发表";

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const PT_PER_MM: f32 = 72.0 / 25.4;
const LINE_FACTOR: f32 = 1.3;

/// Left edge of the labels.
const LABEL_X: f32 = 30.0;
/// Left edge of the values.
const VALUE_X: f32 = 68.0;
/// Right edge of the text.
const TEXT_RIGHT: f32 = 180.0;
/// Top of the first field's place.
const FIELDS_TOP: f32 = 80.0;
/// Height of each field's place.
const FIELD_H: f32 = 15.0;
/// Size of the field text, and the smallest a long value is set in.
const FIELD_SIZE: f32 = 14.0;
const MIN_SIZE: f32 = 9.0;
/// Lines a value may take at the normal size before it is set smaller.
const FIELD_LINES: usize = 2;
/// Top of the sentence.
const SENTENCE_TOP: f32 = FIELDS_TOP + 7.0 * FIELD_H + 4.0;
/// Place of the sentence: its lines before it is set smaller.
const SENTENCE_LINES: usize = 4;
/// Baseline of the registration date; the seal sits to its right.
const DATE_BASELINE: f32 = 246.0;
const SEAL_CX: f32 = 152.0;
const SEAL_R: f32 = 21.0;
/// The QR code's square and its top-right corner.
const QR_SIZE: f32 = 26.0;
const QR_RIGHT: f32 = 186.0;
const QR_TOP: f32 = 20.0;
const FOOTER_BASELINE: f32 = 276.0;

/// Renders one certificate as a one-page PDF (the electronic certificate:
/// the full design, no printer offset).
pub fn certificate(c: &Certificate) -> Result<Vec<u8>, PrintError> {
    certificate_batch(std::slice::from_ref(c), &SheetLayout::default(), &mut |_, _| true)
}

/// Renders many certificates into one PDF, one page each, in the order
/// given (the store sorts them by registration number). `progress` is told
/// (done, total) after each page and stops the work by returning `false`
/// ([`PrintError::Cancelled`]).
pub fn certificate_batch(
    items: &[Certificate],
    layout: &SheetLayout,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<u8>, PrintError> {
    let font = font()?;
    let title = match items {
        [one] => format!("{TITLE} {}", one.registration_number),
        _ => format!("{TITLE}（{} 份）", items.len()),
    };
    let mut doc = PdfDocument::new(&title);
    let font_id = doc.add_font(font);
    let mut pages = Vec::with_capacity(items.len());
    let total = items.len();
    for (i, item) in items.iter().enumerate() {
        let mut s = Sheet::new(font, font_id.clone(), layout);
        s.certificate(item, layout.mode)?;
        pages.push(s.ops);
        if !progress(i + 1, total) {
            return Err(PrintError::Cancelled);
        }
    }
    save(doc, pages)
}

/// The calibration page (校准页) for a printer: a millimetre grid, corner
/// marks 10 mm in from each edge and the places of the fields, all moved by
/// the printer's offset. Printed on a blank sheet (or held over a
/// pre-printed one), the corner marks should sit exactly 10 mm from the edges.
pub fn calibration_page(layout: &SheetLayout, printer: &str) -> Result<Vec<u8>, PrintError> {
    let font = font()?;
    let mut doc = PdfDocument::new("证书打印校准页");
    let font_id = doc.add_font(font);
    let mut s = Sheet::new(font, font_id, layout);
    s.calibration(layout, printer);
    save(doc, vec![s.ops])
}

fn save(doc: PdfDocument, pages: Vec<Vec<Op>>) -> Result<Vec<u8>, PrintError> {
    let mut doc = doc;
    let pages = pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
        .collect();
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut warnings);
    let errors: Vec<String> = warnings
        .into_iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| w.msg)
        .collect();
    if !errors.is_empty() {
        return Err(PrintError::PdfWrite(errors.join("；")));
    }
    if !bytes.starts_with(b"%PDF") {
        return Err(PrintError::PdfWrite("输出不是有效的 PDF 文件".to_string()));
    }
    Ok(bytes)
}

fn pt_to_mm(pt: f32) -> f32 {
    pt / PT_PER_MM
}

fn line_h(size: f32) -> f32 {
    pt_to_mm(size * LINE_FACTOR)
}

/// Baseline of a line whose line box starts at `top` (Noto CJK: ascent 0.88 em).
fn baseline_in(top: f32, size: f32) -> f32 {
    let em = pt_to_mm(size);
    top + (line_h(size) - em) / 2.0 + 0.88 * em
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

/// The seal's red.
fn seal_red() -> Color {
    Color::Rgb(Rgb::new(0.84, 0.09, 0.12, None))
}

/// One page's drawing operations, in mm from the top-left corner, moved by
/// the printer's offset.
struct Sheet<'f> {
    metrics: Metrics<'f>,
    font_id: FontId,
    ops: Vec<Op>,
    dx: f32,
    dy: f32,
}

impl<'f> Sheet<'f> {
    fn new(font: &'f ParsedFont, font_id: FontId, layout: &SheetLayout) -> Self {
        Self {
            metrics: Metrics::new(font),
            font_id,
            ops: vec![
                Op::SetOutlineColor { col: grey(0.0) },
                Op::SetFillColor { col: grey(0.0) },
            ],
            dx: layout.offset_x_mm,
            dy: layout.offset_y_mm,
        }
    }

    /// A point in PDF space (pt, from the bottom left) of a sheet position.
    fn point(&self, x: f32, y: f32) -> Point {
        Point::new(Mm(x + self.dx), Mm(PAGE_H - (y + self.dy)))
    }

    fn width_mm(&self, s: &str, size: f32) -> f32 {
        pt_to_mm(self.metrics.width_em(s) * size)
    }

    fn wrap(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        self.metrics.wrap(text, width * PT_PER_MM / size)
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, s: &str) {
        if s.is_empty() {
            return;
        }
        let pos = self.point(x, baseline);
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont {
            font: PdfFontHandle::External(self.font_id.clone()),
            size: Pt(size),
        });
        self.ops.push(Op::SetTextCursor { pos });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(s.to_string())],
        });
        self.ops.push(Op::EndTextSection);
    }

    fn text_centered(&mut self, x0: f32, x1: f32, baseline: f32, size: f32, s: &str) {
        let w = self.width_mm(s, size);
        self.text(x0 + ((x1 - x0) - w) / 2.0, baseline, size, s);
    }

    fn line(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, thickness_pt: f32) {
        let (a, b) = (self.point(x0, y0), self.point(x1, y1));
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![LinePoint { p: a, bezier: false }, LinePoint { p: b, bezier: false }],
                is_closed: false,
            },
        });
    }

    fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, mode: PaintMode) {
        let rectangle = Rect {
            x: Mm(x + self.dx).into(),
            y: Mm(PAGE_H - (top + self.dy) - h).into(),
            width: Mm(w).into(),
            height: Mm(h).into(),
            mode: Some(mode),
            winding_order: None,
        };
        self.ops.push(Op::DrawRectangle { rectangle });
    }

    // ------------------------------------------------------------ the certificate

    fn certificate(&mut self, c: &Certificate, mode: CertificateMode) -> Result<(), PrintError> {
        let full = mode == CertificateMode::Full;
        if full {
            self.frame();
            self.text_centered(0.0, PAGE_W, 62.0, 30.0, TITLE);
        }
        if !c.verification_link.trim().is_empty() {
            self.qr(c.verification_link.trim())?;
        }
        let published = c.published_on.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let values = [
            c.registration_number.trim().to_string(),
            c.work_title.trim().to_string(),
            c.category.trim().to_string(),
            joined(&c.authors),
            joined(&c.owners),
            c.completed_on.trim().to_string(),
            published.unwrap_or(UNPUBLISHED).to_string(),
        ];
        for (i, (label, value)) in FIELD_LABELS.iter().zip(values.iter()).enumerate() {
            let top = FIELDS_TOP + i as f32 * FIELD_H;
            if full {
                let base = baseline_in(top, FIELD_SIZE);
                self.text(LABEL_X, base, FIELD_SIZE, &format!("{label}："));
            }
            self.fitted(VALUE_X, TEXT_RIGHT, top, value, FIELD_LINES);
        }
        let sentence = format!(
            "\u{3000}\u{3000}以上事项，由{}申请，经{}审核，根据《作品自愿登记试行办法》规定，予以登记。",
            c.applicant.trim(),
            c.office_name.trim()
        );
        self.fitted(LABEL_X, TEXT_RIGHT, SENTENCE_TOP, &sentence, SENTENCE_LINES);

        // 登记日期 as a last field line, the seal to its right.
        if full {
            self.text(LABEL_X, DATE_BASELINE, FIELD_SIZE, "登记日期：");
        }
        self.text(VALUE_X, DATE_BASELINE, FIELD_SIZE, c.registered_on.trim());
        if full {
            self.text_centered(0.0, PAGE_W, FOOTER_BASELINE, 11.0, FOOTER);
            // Last, so the seal's letters never come between the fields when the text is read out.
            self.seal(SEAL_CX, DATE_BASELINE - 6.0, &c.office_name);
        }
        Ok(())
    }

    /// A value in its place: at the field size when it fits in `lines`
    /// lines, else smaller (down to the minimum size), else on more lines.
    fn fitted(&mut self, x0: f32, x1: f32, top: f32, text: &str, lines: usize) {
        let width = x1 - x0;
        let mut size = FIELD_SIZE;
        let mut wrapped = self.wrap(text, width, size);
        while wrapped.len() > lines && size > MIN_SIZE {
            size = (size - 0.5).max(MIN_SIZE);
            wrapped = self.wrap(text, width, size);
        }
        let lh = line_h(size);
        for (i, line) in wrapped.iter().enumerate() {
            self.text(x0, baseline_in(top + i as f32 * lh, size), size, line);
        }
    }

    /// The double frame of the national design.
    fn frame(&mut self) {
        self.rect(12.0, 12.0, PAGE_W - 24.0, PAGE_H - 24.0, PaintMode::Stroke);
        self.ops.push(Op::SetOutlineThickness { pt: Pt(2.2) });
        self.rect(12.0, 12.0, PAGE_W - 24.0, PAGE_H - 24.0, PaintMode::Stroke);
        self.ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
        self.rect(15.0, 15.0, PAGE_W - 30.0, PAGE_H - 30.0, PaintMode::Stroke);
        // A rule under the title.
        self.line(60.0, 68.0, PAGE_W - 60.0, 68.0, 0.8);
    }

    /// The QR code at the top right, dark modules as filled squares (runs
    /// of a row merged into one rectangle).
    fn qr(&mut self, link: &str) -> Result<(), PrintError> {
        let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M)
            .map_err(|e| PrintError::QrCode(e.to_string()))?;
        let n = code.width();
        let colors = code.to_colors();
        let module = QR_SIZE / n as f32;
        let left = QR_RIGHT - QR_SIZE;
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if colors.get(row * n + col) == Some(&qrcode::Color::Dark) {
                    let start = col;
                    while col < n && colors.get(row * n + col) == Some(&qrcode::Color::Dark) {
                        col += 1;
                    }
                    // A hair wider than the module, so neighbouring squares never leave a seam.
                    self.rect(
                        left + start as f32 * module,
                        QR_TOP + row as f32 * module,
                        (col - start) as f32 * module + 0.01,
                        module + 0.01,
                        PaintMode::Fill,
                    );
                } else {
                    col += 1;
                }
            }
        }
        Ok(())
    }

    /// The office's round seal, in red: the ring, the office's name along the
    /// upper arc, a five-pointed star, and 作品自愿登记 / 专用章 below.
    fn seal(&mut self, cx: f32, cy: f32, office: &str) {
        self.ops.push(Op::SaveGraphicsState);
        self.ops.push(Op::SetOutlineColor { col: seal_red() });
        self.ops.push(Op::SetFillColor { col: seal_red() });
        self.circle(cx, cy, SEAL_R - 0.6, 3.4);

        // The name on the upper arc, each character upright towards the rim.
        let name: Vec<char> = office.trim().chars().collect();
        if !name.is_empty() {
            let size: f32 = if name.len() > 12 { 11.0 } else { 14.0 };
            let em = pt_to_mm(size);
            let r = SEAL_R - 1.8 - em * 0.62;
            let span = (name.len() as f32 * (em * 1.12) / r).min(std::f32::consts::PI * 1.35);
            let step = if name.len() > 1 {
                span / (name.len() - 1) as f32
            } else {
                0.0
            };
            let start = -span / 2.0;
            for (i, ch) in name.iter().enumerate() {
                let theta = start + step * i as f32;
                let (s, c) = theta.sin_cos();
                // Sheet coordinates (y down): up = (sin θ, -cos θ), right = (cos θ, sin θ).
                let w = pt_to_mm(self.metrics.advance_em(*ch) * size);
                let centre = (cx + r * s, cy - r * c);
                let ox = centre.0 - w / 2.0 * c - 0.38 * em * s;
                let oy = centre.1 - w / 2.0 * s + 0.38 * em * c;
                let p = self.point(ox, oy);
                self.ops.push(Op::StartTextSection);
                self.ops.push(Op::SetFont {
                    font: PdfFontHandle::External(self.font_id.clone()),
                    size: Pt(size),
                });
                self.ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Raw([c, -s, s, c, p.x.0, p.y.0]),
                });
                self.ops.push(Op::ShowText {
                    items: vec![TextItem::Text(ch.to_string())],
                });
                self.ops.push(Op::EndTextSection);
            }
        }
        self.star(cx, cy - 1.0, 6.0);
        self.text_centered(cx - SEAL_R, cx + SEAL_R, cy + 10.0, 10.5, "作品自愿登记");
        self.text_centered(cx - SEAL_R, cx + SEAL_R, cy + 15.5, 10.5, "专用章");
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// A circle of radius `r` mm as four Bézier arcs.
    fn circle(&mut self, cx: f32, cy: f32, r: f32, thickness_pt: f32) {
        const K: f32 = 0.552_284_8;
        let k = r * K;
        let pts = [
            (cx + r, cy, false),
            (cx + r, cy + k, true),
            (cx + k, cy + r, true),
            (cx, cy + r, false),
            (cx - k, cy + r, true),
            (cx - r, cy + k, true),
            (cx - r, cy, false),
            (cx - r, cy - k, true),
            (cx - k, cy - r, true),
            (cx, cy - r, false),
            (cx + k, cy - r, true),
            (cx + r, cy - k, true),
            (cx + r, cy, false),
        ];
        let points = pts
            .iter()
            .map(|&(x, y, bezier)| LinePoint {
                p: self.point(x, y),
                bezier,
            })
            .collect();
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness_pt) });
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::Stroke,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// A filled five-pointed star, point up.
    fn star(&mut self, cx: f32, cy: f32, outer: f32) {
        let inner = outer * 0.382;
        let points = (0..10)
            .map(|i| {
                let r = if i % 2 == 0 { outer } else { inner };
                let a = std::f32::consts::PI / 5.0 * i as f32;
                LinePoint {
                    p: self.point(cx + r * a.sin(), cy - r * a.cos()),
                    bezier: false,
                }
            })
            .collect();
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing { points }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    // ------------------------------------------------------------ calibration

    fn calibration(&mut self, layout: &SheetLayout, printer: &str) {
        // The grid: every millimetre faint, every 5 mm darker, every 10 mm with its number.
        for mm in 0..=(PAGE_W as i32) {
            let x = mm as f32;
            let (level, thick) = grid_style(mm);
            self.ops.push(Op::SetOutlineColor { col: grey(level) });
            self.line(x, 0.0, x, PAGE_H, thick);
        }
        for mm in 0..=(PAGE_H as i32) {
            let y = mm as f32;
            let (level, thick) = grid_style(mm);
            self.ops.push(Op::SetOutlineColor { col: grey(level) });
            self.line(0.0, y, PAGE_W, y, thick);
        }
        self.ops.push(Op::SetOutlineColor { col: grey(0.0) });
        for mm in (10..PAGE_W as i32).step_by(10) {
            self.text(mm as f32 + 0.5, 4.0, 6.0, &mm.to_string());
        }
        for mm in (10..PAGE_H as i32).step_by(10) {
            self.text(0.8, mm as f32 - 0.6, 6.0, &mm.to_string());
        }
        // Corner marks, 10 mm in from each edge, 10 mm long.
        for (x, y, sx, sy) in [
            (10.0, 10.0, 1.0, 1.0),
            (PAGE_W - 10.0, 10.0, -1.0, 1.0),
            (10.0, PAGE_H - 10.0, 1.0, -1.0),
            (PAGE_W - 10.0, PAGE_H - 10.0, -1.0, -1.0),
        ] {
            self.line(x, y, x + 10.0 * sx, y, 1.2);
            self.line(x, y, x, y + 10.0 * sy, 1.2);
        }
        // The places of the data, as on a certificate.
        self.ops.push(Op::SetOutlineColor { col: grey(0.35) });
        for (i, label) in FIELD_LABELS.iter().enumerate() {
            let top = FIELDS_TOP + i as f32 * FIELD_H;
            self.ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
            self.rect(
                VALUE_X,
                top,
                TEXT_RIGHT - VALUE_X,
                line_h(FIELD_SIZE),
                PaintMode::Stroke,
            );
            self.text(LABEL_X, baseline_in(top, 10.0), 10.0, label);
        }
        self.rect(QR_RIGHT - QR_SIZE, QR_TOP, QR_SIZE, QR_SIZE, PaintMode::Stroke);
        self.ops.push(Op::SetOutlineColor { col: grey(0.0) });

        let mode = match layout.mode {
            CertificateMode::Full => "整页打印",
            CertificateMode::Overprint => "套打",
        };
        let lines = [
            "证书打印校准页".to_string(),
            format!("打印机：{}　方式：{mode}", printer.trim()),
            format!(
                "当前偏移：水平 {:+.1} mm（正数向右），垂直 {:+.1} mm（正数向下）",
                layout.offset_x_mm, layout.offset_y_mm
            ),
            "四角的角标应距纸边正好 10 mm：量出的距离比 10 mm 多几毫米，就把该方向的偏移减去几毫米；".to_string(),
            "少几毫米就加上几毫米。套打时把本页叠在空白证书上对光检查各栏位置。".to_string(),
        ];
        let mut y = 44.0;
        for (i, l) in lines.iter().enumerate() {
            let size = if i == 0 { 16.0 } else { 10.0 };
            self.fill_white_behind(30.0, y - pt_to_mm(size) * 0.95, self.width_mm(l, size), line_h(size));
            self.text(30.0, y, size, l);
            y += line_h(size) + 1.5;
        }
    }

    /// A white patch behind a line of text on the grid, so it stays legible.
    fn fill_white_behind(&mut self, x: f32, top: f32, w: f32, h: f32) {
        self.ops.push(Op::SetFillColor { col: grey(1.0) });
        self.rect(x - 0.5, top, w + 1.0, h, PaintMode::Fill);
        self.ops.push(Op::SetFillColor { col: grey(0.0) });
    }
}

fn grid_style(mm: i32) -> (f32, f32) {
    if mm % 10 == 0 {
        (0.45, 0.5)
    } else if mm % 5 == 0 {
        (0.65, 0.3)
    } else {
        (0.85, 0.15)
    }
}

/// Names joined with 、, blanks left out.
fn joined(names: &[String]) -> String {
    names
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn names_are_joined_with_the_enumeration_comma() {
        assert_eq!(joined(&["张三".into(), " ".into(), "李四 ".into()]), "张三、李四");
        assert_eq!(joined(&[]), "");
    }

    #[test]
    fn a_batch_stops_when_told() {
        let c = Certificate {
            registration_number: "浙作登字-2026-F-00000001".into(),
            ..Certificate::default()
        };
        let items = vec![c; 5];
        let mut seen = Vec::new();
        let r = certificate_batch(&items, &SheetLayout::default(), &mut |done, total| {
            seen.push((done, total));
            done < 2
        });
        assert_eq!(r, Err(PrintError::Cancelled));
        assert_eq!(seen, vec![(1, 5), (2, 5)]);
    }
}
