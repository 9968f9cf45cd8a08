//! The compiled-in CJK font and text measurement.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::PrintError;

/// Noto Sans CJK (OFL 1.1, see assets/fonts/LICENSE-OFL.txt).
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJK-Regular.ttc");
/// Face index of "Noto Sans CJK SC" inside the collection.
const FACE_SC: usize = 2;

static FONT: OnceLock<Option<ParsedFont>> = OnceLock::new();

/// The parsed font, parsed on first use and kept for the life of the process.
pub(crate) fn font() -> Result<&'static ParsedFont, PrintError> {
    FONT.get_or_init(|| ParsedFont::from_bytes(FONT_BYTES, FACE_SC, &mut Vec::new()))
        .as_ref()
        .ok_or(PrintError::FontLoad)
}

/// Text measurement with the font's own advance widths.
pub(crate) struct Metrics<'f> {
    font: &'f ParsedFont,
    units_per_em: f32,
}

impl<'f> Metrics<'f> {
    pub(crate) fn new(font: &'f ParsedFont) -> Self {
        let upem = font.pdf_font_metrics.units_per_em;
        Self {
            font,
            units_per_em: if upem == 0 { 1000.0 } else { f32::from(upem) },
        }
    }

    /// Advance of one character, in em.
    pub(crate) fn advance_em(&self, c: char) -> f32 {
        match self.font.lookup_glyph_index(u32::from(c)) {
            Some(g) => {
                let adv = f32::from(self.font.get_horizontal_advance(g)) / self.units_per_em;
                if adv > 0.0 {
                    adv
                } else {
                    fallback_em(c)
                }
            }
            None => fallback_em(c),
        }
    }

    /// Width of a string, in em.
    pub(crate) fn width_em(&self, s: &str) -> f32 {
        s.chars().map(|c| self.advance_em(c)).sum()
    }

    /// Breaks `text` into lines no wider than `max_em` em. Explicit line breaks
    /// are kept; CJK text breaks between any two characters, Latin words break
    /// at spaces when they can, and closing punctuation never starts a line.
    pub(crate) fn wrap(&self, text: &str, max_em: f32) -> Vec<String> {
        let mut out = Vec::new();
        for para in text.split('\n') {
            let para = para.trim_end_matches('\r');
            let mut line: Vec<char> = Vec::new();
            let mut width = 0.0f32;
            for c in para.chars() {
                let adv = self.advance_em(c);
                if width + adv > max_em && !line.is_empty() {
                    if c == ' ' {
                        // Break at the space and drop it.
                        out.push(line.iter().collect::<String>().trim_end().to_string());
                        line.clear();
                        width = 0.0;
                        continue;
                    }
                    let carried = self.break_point(&mut line, c);
                    out.push(line.iter().collect::<String>().trim_end().to_string());
                    line = carried;
                    width = line.iter().map(|&ch| self.advance_em(ch)).sum();
                }
                line.push(c);
                width += adv;
            }
            out.push(line.iter().collect::<String>().trim_end().to_string());
        }
        out
    }

    /// Decides where a full line breaks before `next`; returns the characters
    /// moved to the next line (removed from `line`).
    fn break_point(&self, line: &mut Vec<char>, next: char) -> Vec<char> {
        // Keep a Latin word together when it started after a space on this line.
        if is_word_char(next) && line.last().is_some_and(|&c| is_word_char(c)) {
            if let Some(space) = line.iter().rposition(|&c| c == ' ' || !is_word_char(c)) {
                if space > 0 {
                    return line.split_off(space + 1);
                }
            }
        }
        // Closing punctuation may not begin a line: carry the last character along.
        if is_closing(next) && line.len() > 1 {
            return line.split_off(line.len() - 1);
        }
        Vec::new()
    }
}

fn fallback_em(c: char) -> f32 {
    if c.is_ascii() {
        0.6
    } else {
        1.0
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '/' | '\'')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '》'
            | '〉'
            | '】'
            | '”'
            | '’'
            | '…'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn font_loads_and_measures() {
        let m = Metrics::new(font().unwrap());
        // Ideographs are full-width; Latin letters are narrower.
        assert!((m.advance_em('作') - 1.0).abs() < 0.01);
        assert!(m.advance_em('i') < 0.5);
        assert!(m.advance_em('W') > m.advance_em('i'));
    }

    #[test]
    fn wraps_by_measured_width() {
        let m = Metrics::new(font().unwrap());
        let cases: &[(&str, f32, &[&str])] = &[
            ("作品登记申请表", 3.0, &["作品登", "记申请", "表"]),
            ("第一段\n第二段", 10.0, &["第一段", "第二段"]),
            // Closing punctuation pulls the previous character down with it.
            ("作品简介。完", 4.0, &["作品简", "介。完"]),
            ("", 5.0, &[""]),
        ];
        for &(text, max, expected) in cases {
            assert_eq!(m.wrap(text, max), expected, "{text}");
        }
        // Latin words stay whole when there is a space to break at.
        let lines = m.wrap("hello world again", 6.0);
        assert!(
            lines.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')),
            "{lines:?}"
        );
        assert_eq!(lines.concat().replace(' ', ""), "helloworldagain");
        assert!(
            lines
                .iter()
                .all(|l| l == "hello" || l == "world" || l == "again" || l.contains(' ')),
            "{lines:?}"
        );
        // No line is wider than the limit.
        let long = "浙江省版权局作品自愿登记，ABC-123 测试。".repeat(20);
        for l in m.wrap(&long, 12.0) {
            assert!(m.width_em(&l) <= 12.0 + 1e-3, "{l}");
        }
    }
}
