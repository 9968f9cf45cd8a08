//! A small page-flow layer over printpdf: absolute text lines, wrapped
//! paragraphs, rules, boxes, ruled tables that continue on the next page, and
//! barcodes.
//!
//! All positions are millimetres from the top-left corner of an A4 page
//! (portrait or landscape).

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, Rect, TextItem,
};

use crate::barcode::{Code128, QUIET_ZONE_MODULES};
use crate::font::Metrics;
use crate::PrintError;

pub(crate) const PAGE_W: f32 = 210.0;
pub(crate) const PAGE_H: f32 = 297.0;
pub(crate) const MARGIN: f32 = 18.0;
pub(crate) const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Top of the content on continuation pages (below the small header).
const CONTINUED_TOP: f32 = MARGIN + 4.0;

const PT_PER_MM: f32 = 72.0 / 25.4;
/// Line height as a multiple of the font size.
const LINE_FACTOR: f32 = 1.3;
const PAD_X: f32 = 1.5;
pub(crate) const PAD_Y: f32 = 0.85;
/// Rows up to this height (mm) are never split across pages.
const KEEP_WHOLE_MAX: f32 = 30.0;
/// Grey of label cells and header rows.
pub(crate) const LABEL_GREY: f32 = 0.93;

/// Converts a font size in points to millimetres.
pub(crate) fn pt_to_mm(pt: f32) -> f32 {
    pt / PT_PER_MM
}

/// Orientation of the A4 sheet.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Orientation {
    Portrait,
    Landscape,
}

/// Horizontal placement of text in a cell.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    /// Flush right, for amounts and counts.
    Right,
}

/// One table column.
#[derive(Clone, Copy)]
pub(crate) struct Col {
    pub width: f32,
    pub align: Align,
    /// Background of this column's body cells (label columns are grey).
    pub fill: Option<f32>,
}

impl Col {
    pub(crate) fn left(width: f32) -> Self {
        Self {
            width,
            align: Align::Left,
            fill: None,
        }
    }
    pub(crate) fn center(width: f32) -> Self {
        Self {
            width,
            align: Align::Center,
            fill: None,
        }
    }
    pub(crate) fn right(width: f32) -> Self {
        Self {
            width,
            align: Align::Right,
            fill: None,
        }
    }
    /// A grey label column.
    pub(crate) fn label(width: f32) -> Self {
        Self {
            width,
            align: Align::Left,
            fill: Some(LABEL_GREY),
        }
    }
}

/// A ruled table: optional header row, body rows of wrapped text.
pub(crate) struct Table<'a> {
    pub cols: &'a [Col],
    pub header: Option<&'a [&'a str]>,
    /// Font size of the body, in points.
    pub size: f32,
    /// Minimum height of each body row (room to sign), in mm.
    pub min_row_h: f32,
    /// Centre short rows vertically in taller cells.
    pub v_center: bool,
}

pub(crate) struct Canvas<'f> {
    metrics: Metrics<'f>,
    font_id: FontId,
    pages: Vec<Vec<Op>>,
    /// Current position (top of the next block), mm from the top.
    pub y: f32,
    page_w: f32,
    page_h: f32,
    /// Right-hand part of the running header on continuation pages
    /// (e.g. "流水号 ZJ-01-20261125-0007"); the page number follows it.
    running: String,
    doc_title: String,
    /// Page numbers at the foot of each page (off for labels).
    footer: bool,
}

impl<'f> Canvas<'f> {
    /// An A4 portrait canvas. `running` is printed, with the page number, at
    /// the top right of every continuation page.
    pub(crate) fn new(font: &'f ParsedFont, font_id: FontId, doc_title: &str, running: &str) -> Self {
        Self::with_orientation(font, font_id, doc_title, running, Orientation::Portrait)
    }

    pub(crate) fn with_orientation(
        font: &'f ParsedFont,
        font_id: FontId,
        doc_title: &str,
        running: &str,
        orientation: Orientation,
    ) -> Self {
        let (page_w, page_h) = match orientation {
            Orientation::Portrait => (PAGE_W, PAGE_H),
            Orientation::Landscape => (PAGE_H, PAGE_W),
        };
        let mut c = Self {
            metrics: Metrics::new(font),
            font_id,
            pages: Vec::new(),
            y: MARGIN,
            page_w,
            page_h,
            running: running.to_string(),
            doc_title: doc_title.to_string(),
            footer: true,
        };
        c.start_page();
        c
    }

    /// A canvas of `w`×`h` mm pages without running header or page numbers
    /// (labels): every position is absolute.
    pub(crate) fn sized(font: &'f ParsedFont, font_id: FontId, w: f32, h: f32) -> Self {
        let mut c = Self::new(font, font_id, "", "");
        c.page_w = w;
        c.page_h = h;
        c.footer = false;
        c
    }

    /// Starts a new page of a [`Canvas::sized`] canvas (no running header).
    pub(crate) fn blank_page(&mut self) {
        self.pages.push(vec![
            Op::SetOutlineColor { col: grey(0.0) },
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::SetFillColor { col: grey(0.0) },
        ]);
        self.y = 0.0;
    }

    /// Left edge of the content area.
    pub(crate) fn left(&self) -> f32 {
        MARGIN
    }

    /// Right edge of the content area.
    pub(crate) fn right(&self) -> f32 {
        self.page_w - MARGIN
    }

    /// Width of the content area.
    pub(crate) fn content_w(&self) -> f32 {
        self.page_w - 2.0 * MARGIN
    }

    /// Lowest point content may reach; the footer sits below it.
    fn content_bottom(&self) -> f32 {
        self.page_h - MARGIN
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn start_page(&mut self) {
        self.pages.push(vec![
            Op::SetOutlineColor { col: grey(0.0) },
            Op::SetOutlineThickness { pt: Pt(0.5) },
            Op::SetFillColor { col: grey(0.0) },
        ]);
        let n = self.pages.len();
        if n == 1 {
            self.y = MARGIN;
            return;
        }
        // Small running header on continuation pages.
        let size = 8.0;
        let base = MARGIN - 3.0;
        let left = format!("{}（续）", self.doc_title);
        self.text(MARGIN, base, size, &left);
        let right = if self.running.is_empty() {
            format!("第 {n} 页")
        } else {
            format!("{}　第 {} 页", self.running, n)
        };
        self.text_right(self.right(), base, size, &right);
        self.hline(MARGIN, self.right(), base + 1.5, 0.4);
        self.y = CONTINUED_TOP;
    }

    /// Starts a new page.
    pub(crate) fn new_page(&mut self) {
        self.start_page();
    }

    /// Room left on this page below `y`.
    pub(crate) fn room(&self) -> f32 {
        self.content_bottom() - self.y
    }

    /// Room a new (continuation) page offers below its running header.
    pub(crate) fn room_on_new_page(&self) -> f32 {
        self.content_bottom() - CONTINUED_TOP
    }

    /// Moves to a new page unless `h` mm still fit.
    pub(crate) fn ensure(&mut self, h: f32) {
        if self.room() < h {
            self.new_page();
        }
    }

    pub(crate) fn width_mm(&self, s: &str, size: f32) -> f32 {
        pt_to_mm(self.metrics.width_em(s) * size)
    }

    pub(crate) fn line_h(size: f32) -> f32 {
        pt_to_mm(size * LINE_FACTOR)
    }

    /// Wraps `text` to `width` mm at `size` pt.
    pub(crate) fn wrap(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        let em = width * PT_PER_MM / size;
        self.metrics.wrap(text, em)
    }

    /// One line of text with its baseline at `baseline` (mm from the top).
    pub(crate) fn text(&mut self, x: f32, baseline: f32, size: f32, s: &str) {
        if s.is_empty() {
            return;
        }
        let font = PdfFontHandle::External(self.font_id.clone());
        let pos = Point::new(Mm(x), Mm(self.page_h - baseline));
        let ops = self.ops();
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont { font, size: Pt(size) });
        ops.push(Op::SetTextCursor { pos });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(s.to_string())],
        });
        ops.push(Op::EndTextSection);
    }

    /// Text centred horizontally between `x0` and `x1`.
    pub(crate) fn text_centered(&mut self, x0: f32, x1: f32, baseline: f32, size: f32, s: &str) {
        let w = self.width_mm(s, size);
        self.text(x0 + ((x1 - x0) - w).max(0.0) / 2.0, baseline, size, s);
    }

    /// Text ending at `x1`.
    pub(crate) fn text_right(&mut self, x1: f32, baseline: f32, size: f32, s: &str) {
        let w = self.width_mm(s, size);
        self.text(x1 - w, baseline, size, s);
    }

    /// A wrapped paragraph at the current position, from `x` to the right
    /// margin, moving to a new page line by line when it runs out of room.
    ///
    /// `label` (e.g. "1．" or "依据：") is printed before the first line and
    /// the following lines are indented by its width (hanging indent); text
    /// that should start with a first-line indent simply begins with "　　".
    /// Advances `y` by the lines printed plus `gap` after them.
    pub(crate) fn paragraph(&mut self, x: f32, size: f32, label: &str, text: &str, gap: f32) {
        let indent = self.width_mm(label, size);
        self.hanging(x, size, label, indent, text, gap);
    }

    /// A numbered list item: like [`Canvas::paragraph`], but the label (e.g.
    /// "12. ") is set flush right in a column `label_w` mm wide, so that the
    /// text of items 1 to 99 lines up.
    pub(crate) fn list_item(&mut self, x: f32, size: f32, label: &str, label_w: f32, text: &str, gap: f32) {
        let w = self.width_mm(label, size);
        let indent = label_w.max(w);
        self.hanging(x + indent - w, size, label, w, text, gap);
    }

    /// The text's lines start at `x + indent`; `label` is printed at `x` on
    /// the first line.
    fn hanging(&mut self, x: f32, size: f32, label: &str, indent: f32, text: &str, gap: f32) {
        let width = (self.right() - x - indent).max(pt_to_mm(size));
        let lh = Self::line_h(size);
        for (i, line) in self.wrap(text, width, size).iter().enumerate() {
            self.ensure(lh);
            let base = Self::baseline_in(self.y, size);
            if i == 0 {
                self.text(x, base, size, label);
            }
            self.text(x + indent, base, size, line);
            self.y += lh;
        }
        self.y += gap;
    }

    /// Baseline of a line of `size` pt text whose line box starts at `top`.
    pub(crate) fn baseline_in(top: f32, size: f32) -> f32 {
        let lh = Self::line_h(size);
        let em = pt_to_mm(size);
        // Noto CJK: ascent 0.88 em, descent 0.12 em; centre the em box in the line.
        top + (lh - em) / 2.0 + 0.88 * em
    }

    pub(crate) fn hline(&mut self, x0: f32, x1: f32, y: f32, thickness: f32) {
        let y = self.page_h - y;
        let ops = self.ops();
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: Point::new(Mm(x0), Mm(y)),
                        bezier: false,
                    },
                    LinePoint {
                        p: Point::new(Mm(x1), Mm(y)),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
    }

    pub(crate) fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, mode: PaintMode) {
        let rect = Rect {
            x: Mm(x).into(),
            y: Mm(self.page_h - top - h).into(),
            width: Mm(w).into(),
            height: Mm(h).into(),
            mode: Some(mode),
            winding_order: None,
        };
        self.ops().push(Op::DrawRectangle { rectangle: rect });
    }

    pub(crate) fn fill_grey(&mut self, x: f32, top: f32, w: f32, h: f32, level: f32) {
        self.ops().push(Op::SetFillColor { col: grey(level) });
        self.rect(x, top, w, h, PaintMode::Fill);
        self.ops().push(Op::SetFillColor { col: grey(0.0) });
    }

    /// Draws a barcode with its top-left corner (quiet zone excluded) at
    /// (`x`, `top`).
    pub(crate) fn barcode(&mut self, code: &Code128, x: f32, top: f32, module: f32, h: f32) {
        for bar in &code.bars {
            self.rect(
                x + bar.start as f32 * module,
                top,
                bar.width as f32 * module,
                h,
                PaintMode::Fill,
            );
        }
    }

    /// Width of a barcode including both quiet zones, for a module width.
    pub(crate) fn barcode_width(code: &Code128, module: f32) -> f32 {
        (code.width_modules + 2 * QUIET_ZONE_MODULES) as f32 * module
    }

    /// A section heading: a grey band with the title, kept with at least
    /// `keep_with` mm of what follows.
    pub(crate) fn section(&mut self, title: &str, keep_with: f32) {
        let size = 11.0;
        let h = Self::line_h(size) + 1.2;
        self.y += 2.0;
        self.ensure(h + keep_with);
        let top = self.y;
        self.fill_grey(MARGIN, top, CONTENT_W, h, 0.82);
        self.text(MARGIN + PAD_X, Self::baseline_in(top + 0.6, size), size, title);
        self.y = top + h;
    }

    /// Draws a ruled table at the current position, continuing on new pages
    /// (with the header repeated) when it does not fit.
    pub(crate) fn table(&mut self, t: &Table<'_>, rows: &[Vec<String>]) {
        self.table_rows(t, rows.iter().map(|r| (r, None)));
    }

    /// Like [`Canvas::table`], with a grey totals row (合计) after the body;
    /// the totals row is never split and gets the header again when it has
    /// to move to a new page.
    pub(crate) fn table_with_total(&mut self, t: &Table<'_>, rows: &[Vec<String>], total: &[String]) {
        let total = total.to_vec();
        let body = rows.iter().map(|r| (r, None));
        self.table_rows(t, body.chain(std::iter::once((&total, Some(LABEL_GREY)))));
    }

    fn table_rows<'r>(&mut self, t: &Table<'_>, rows: impl Iterator<Item = (&'r Vec<String>, Option<f32>)>) {
        let x0 = MARGIN;
        let header_size = t.size;
        let header_lines: Option<Vec<Vec<String>>> = t.header.map(|h| {
            t.cols
                .iter()
                .zip(h.iter())
                .map(|(c, s)| self.wrap(s, c.width - 2.0 * PAD_X, header_size))
                .collect()
        });
        let lh = Self::line_h(t.size);
        let header_h = header_lines.as_ref().map_or(0.0, |hl| {
            hl.iter().map(Vec::len).max().unwrap_or(1) as f32 * Self::line_h(header_size) + 2.0 * PAD_Y
        });
        let mut need_header = true;

        for (row, fill) in rows {
            let mut cells: Vec<Vec<String>> = t
                .cols
                .iter()
                .zip(row.iter())
                .map(|(c, s)| self.wrap(s.trim_end(), c.width - 2.0 * PAD_X, t.size))
                .collect();
            let mut split = false;
            loop {
                let lines_left = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                let full_h = (lines_left as f32 * lh + 2.0 * PAD_Y).max(t.min_row_h);
                let head = if need_header { header_h } else { 0.0 };
                let page_room = self.content_bottom() - CONTINUED_TOP - header_h;
                // A short row moves to the next page whole; a long one is split,
                // as long as at least three of its lines fit here.
                let short = full_h <= KEEP_WHOLE_MAX.min(page_room);
                if self.room() < head + full_h && (short || self.room() < head + lh * 3.0 + 2.0 * PAD_Y) {
                    self.new_page();
                    need_header = true;
                    continue;
                }
                if need_header {
                    if let Some(hl) = header_lines.as_ref() {
                        let mut hl = hl.clone();
                        // A single-column block split over pages says so in its header.
                        if split && t.cols.len() == 1 {
                            if let Some(last) = hl.first_mut().and_then(|c| c.last_mut()) {
                                last.push_str("（续）");
                            }
                        }
                        self.draw_row(x0, t.cols, &hl, header_size, header_h, Some(LABEL_GREY), true, true);
                    }
                    need_header = false;
                }
                let fit = ((self.room() - 2.0 * PAD_Y) / lh).floor().max(1.0) as usize;
                let take = fit.min(lines_left);
                let part: Vec<Vec<String>> = cells
                    .iter_mut()
                    .map(|c| c.drain(..take.min(c.len())).collect())
                    .collect();
                let h = (take as f32 * lh + 2.0 * PAD_Y).max(if take == lines_left { t.min_row_h } else { 0.0 });
                self.draw_row(x0, t.cols, &part, t.size, h, fill, false, t.v_center);
                if cells.iter().all(Vec::is_empty) {
                    break;
                }
                self.new_page();
                need_header = true;
                split = true;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_row(
        &mut self,
        x0: f32,
        cols: &[Col],
        cells: &[Vec<String>],
        size: f32,
        h: f32,
        fill_all: Option<f32>,
        header: bool,
        v_center: bool,
    ) {
        let top = self.y;
        let lh = Self::line_h(size);
        let mut x = x0;
        for (col, lines) in cols.iter().zip(cells.iter()) {
            if let Some(level) = fill_all.or(if header { None } else { col.fill }) {
                self.fill_grey(x, top, col.width, h, level);
            }
            let text_h = lines.len() as f32 * lh;
            let first_top = if v_center {
                top + (h - text_h) / 2.0
            } else {
                top + PAD_Y
            };
            for (i, l) in lines.iter().enumerate() {
                let base = Self::baseline_in(first_top + i as f32 * lh, size);
                let align = match (header, cols.len()) {
                    (true, 1) => Align::Left,
                    (true, _) => Align::Center,
                    (false, _) => col.align,
                };
                match align {
                    Align::Left => self.text(x + PAD_X, base, size, l),
                    Align::Center => self.text_centered(x, x + col.width, base, size, l),
                    Align::Right => self.text_right(x + col.width - PAD_X, base, size, l),
                }
            }
            self.rect(x, top, col.width, h, PaintMode::Stroke);
            x += col.width;
        }
        self.y = top + h;
    }

    /// Finishes the document: adds the page footer ("第 N 页，共 M 页") and
    /// returns the pages' operations.
    pub(crate) fn finish(mut self) -> Vec<Vec<Op>> {
        if !self.footer {
            return std::mem::take(&mut self.pages);
        }
        let total = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        for (i, page) in pages.iter_mut().enumerate() {
            self.pages = vec![std::mem::take(page)];
            let footer = format!("第 {} 页，共 {} 页", i + 1, total);
            self.text_centered(MARGIN, self.right(), self.page_h - MARGIN + 7.0, 8.0, &footer);
            *page = self.pages.pop().unwrap_or_default();
        }
        pages
    }
}

/// Lays the canvas' pages into `doc` and writes the PDF file's bytes.
pub(crate) fn save(mut doc: PdfDocument, canvas: Canvas<'_>) -> Result<Vec<u8>, PrintError> {
    let (w, h) = (canvas.page_w, canvas.page_h);
    let pages = canvas
        .finish()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(w), Mm(h), ops))
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

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::font::font;

    #[test]
    fn paragraphs_wrap_inside_the_margins_and_flow_to_new_pages() {
        let f = font().unwrap();
        for orientation in [Orientation::Portrait, Orientation::Landscape] {
            let mut c = Canvas::with_orientation(f, FontId::new(), "测试", "", orientation);
            let text = "需补正事项：作品说明书过于简略，请补充创作过程（see attachment A-3）。".repeat(8);
            let x = c.left() + 7.0;
            let label = "10. ";
            let label_w = c.width_mm(label, 11.0);
            let lines = c.wrap(&text, c.right() - x - label_w, 11.0);
            assert!(lines.len() > 2);
            for l in &lines {
                assert!(x + label_w + c.width_mm(l, 11.0) <= c.right() + 1e-3, "{l}");
            }
            let y0 = c.y;
            c.list_item(x, 11.0, label, label_w, &text, 0.0);
            let advanced = c.y - y0;
            assert!((advanced - lines.len() as f32 * Canvas::line_h(11.0)).abs() < 1e-3);

            // A paragraph longer than the page carries on on the next one.
            let long = "著作权".repeat(3000);
            c.paragraph(c.left(), 11.0, "", &long, 0.0);
            assert!(c.pages.len() > 1);
            assert!(c.y <= c.content_bottom());
        }
    }
}
