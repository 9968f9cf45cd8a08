//! A small page-flow layer over printpdf: absolute text lines, rules, boxes,
//! ruled tables that continue on the next page, and barcodes.
//!
//! All positions are millimetres from the top-left corner of an A4 page.

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfFontHandle, Point, Pt, Rect, TextItem,
};

use crate::barcode::{Code128, QUIET_ZONE_MODULES};
use crate::font::Metrics;

pub(crate) const PAGE_W: f32 = 210.0;
pub(crate) const PAGE_H: f32 = 297.0;
pub(crate) const MARGIN: f32 = 18.0;
pub(crate) const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Lowest point content may reach; the footer sits below it.
const CONTENT_BOTTOM: f32 = PAGE_H - MARGIN;
/// Top of the content on continuation pages (below the small header).
const CONTINUED_TOP: f32 = MARGIN + 4.0;

const PT_PER_MM: f32 = 72.0 / 25.4;
/// Line height as a multiple of the font size.
const LINE_FACTOR: f32 = 1.3;
const PAD_X: f32 = 1.5;
const PAD_Y: f32 = 0.85;
/// Rows up to this height (mm) are never split across pages.
const KEEP_WHOLE_MAX: f32 = 30.0;
/// Grey of label cells and header rows.
pub(crate) const LABEL_GREY: f32 = 0.93;

/// Converts a font size in points to millimetres.
pub(crate) fn pt_to_mm(pt: f32) -> f32 {
    pt / PT_PER_MM
}

/// Horizontal placement of text in a cell.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
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
    serial: String,
    doc_title: String,
}

impl<'f> Canvas<'f> {
    pub(crate) fn new(font: &'f ParsedFont, font_id: FontId, doc_title: &str, serial: &str) -> Self {
        let mut c = Self {
            metrics: Metrics::new(font),
            font_id,
            pages: Vec::new(),
            y: MARGIN,
            serial: serial.to_string(),
            doc_title: doc_title.to_string(),
        };
        c.start_page();
        c
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
        let right = format!("流水号 {}　第 {} 页", self.serial, n);
        let w = self.width_mm(&right, size);
        self.text(PAGE_W - MARGIN - w, base, size, &right);
        self.hline(MARGIN, PAGE_W - MARGIN, base + 1.5, 0.4);
        self.y = CONTINUED_TOP;
    }

    /// Starts a new page.
    pub(crate) fn new_page(&mut self) {
        self.start_page();
    }

    /// Room left on this page below `y`.
    pub(crate) fn room(&self) -> f32 {
        CONTENT_BOTTOM - self.y
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
        let pos = Point::new(Mm(x), Mm(PAGE_H - baseline));
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

    /// Baseline of a line of `size` pt text whose line box starts at `top`.
    pub(crate) fn baseline_in(top: f32, size: f32) -> f32 {
        let lh = Self::line_h(size);
        let em = pt_to_mm(size);
        // Noto CJK: ascent 0.88 em, descent 0.12 em; centre the em box in the line.
        top + (lh - em) / 2.0 + 0.88 * em
    }

    pub(crate) fn hline(&mut self, x0: f32, x1: f32, y: f32, thickness: f32) {
        let y = PAGE_H - y;
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
            y: Mm(PAGE_H - top - h).into(),
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

        for row in rows {
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
                let page_room = CONTENT_BOTTOM - CONTINUED_TOP - header_h;
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
                self.draw_row(x0, t.cols, &part, t.size, h, None, false, t.v_center);
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
        let total = self.pages.len();
        let mut pages = std::mem::take(&mut self.pages);
        for (i, page) in pages.iter_mut().enumerate() {
            self.pages = vec![std::mem::take(page)];
            let footer = format!("第 {} 页，共 {} 页", i + 1, total);
            self.text_centered(MARGIN, PAGE_W - MARGIN, PAGE_H - MARGIN + 7.0, 8.0, &footer);
            *page = self.pages.pop().unwrap_or_default();
        }
        pages
    }
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale::new(level, None))
}
