//! Text exports (CSV / TXT): encoding (编码), delimiter (分隔符) and rows.

use crate::cell::Cell;
use crate::error::StatementError;
use crate::header::{find_header, HeaderSearch, Layout};
use crate::rows::RawRow;
use crate::TextEncoding;

/// Delimiters tried, in order of preference when several fit.
const DELIMITERS: [char; 4] = [',', '\t', ';', '|'];

/// Decodes the bytes: UTF-8 (a BOM is dropped) or else GBK/GB18030.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), StatementError> {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        // UTF-16 text ("Unicode 文本" from Excel) is not supported.
        return Err(StatementError::Encoding);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), TextEncoding::Utf8));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok((text.into_owned(), TextEncoding::Gbk)),
        None => Err(StatementError::Encoding),
    }
}

/// Splits `text` into rows with the csv reader (quotes, embedded delimiters
/// and line breaks are honoured; rows may have any number of fields).
///
/// Each row carries the 1-based line where it starts (`\n`, `\r\n` and a
/// lone `\r` each end a line). Empty lines, which the csv reader passes
/// over, come back as rows without cells. At most `limit` rows are read.
pub(crate) fn split_rows(text: &str, delimiter: char, limit: usize) -> Result<Vec<RawRow>, StatementError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(u8::try_from(delimiter).unwrap_or(b','))
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // Line number at byte `counted_to`, and the last line of the previous record.
    let mut counted_to = 0usize;
    let mut line_at: u64 = 1;
    let mut previous_end: u64 = 0;
    while rows.len() < limit {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| StatementError::Csv { detail: e.to_string() })?;
        if !more {
            break;
        }
        // The reader's position is where it began looking, before any empty
        // lines; the record itself starts after the line terminators.
        let parse_start = record
            .position()
            .map_or(counted_to, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let parse_start = parse_start.clamp(counted_to, text.len());
        let skipped = text
            .as_bytes()
            .get(parse_start..)
            .map_or(0, |rest| rest.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count());
        let start_byte = parse_start + skipped;
        line_at += line_breaks(text.as_bytes().get(counted_to..start_byte).unwrap_or(&[]));
        counted_to = start_byte;
        for blank in previous_end + 1..line_at {
            if rows.len() >= limit {
                break;
            }
            rows.push(RawRow {
                line: line_number(blank),
                cells: Vec::new(),
            });
        }
        let inner: u64 = record.iter().map(|f| line_breaks(f.as_bytes())).sum();
        previous_end = line_at + inner;
        if rows.len() < limit {
            rows.push(RawRow {
                line: line_number(line_at),
                cells: record.iter().map(Cell::from_text).collect(),
            });
        }
    }
    Ok(rows)
}

/// Counts line breaks: `\r\n`, a lone `\r` and a lone `\n` count one each.
fn line_breaks(bytes: &[u8]) -> u64 {
    let mut count = 0;
    let mut previous_cr = false;
    for &b in bytes {
        match b {
            b'\r' => count += 1,
            b'\n' if !previous_cr => count += 1,
            _ => {}
        }
        previous_cr = b == b'\r';
    }
    count
}

fn line_number(line: u64) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// Finds the delimiter and header: for each delimiter the first rows are
/// searched, and the delimiter whose header comes first (then the one with
/// most recognized columns, then the earlier in [`DELIMITERS`]) wins.
pub(crate) fn detect(text: &str) -> Result<(char, usize, Layout, Vec<RawRow>), StatementError> {
    let mut best: Option<(char, usize, Layout)> = None;
    let mut incomplete: Option<HeaderSearch> = None;
    for delimiter in DELIMITERS {
        let rows = split_rows(text, delimiter, crate::header::HEADER_SCAN_ROWS)?;
        match find_header(rows.iter().map(|r| (r.line, r.cells.as_slice()))) {
            HeaderSearch::Found { index, layout } => {
                let better = match &best {
                    None => true,
                    Some((_, best_index, best_layout)) => {
                        index < *best_index
                            || (index == *best_index && layout.columns.len() > best_layout.columns.len())
                    }
                };
                if better {
                    best = Some((delimiter, index, layout));
                }
            }
            found @ HeaderSearch::Incomplete { .. } => {
                if incomplete.is_none() {
                    incomplete = Some(found);
                }
            }
            HeaderSearch::NotFound => {}
        }
    }
    let Some((delimiter, index, layout)) = best else {
        return Err(crate::header::header_error(
            incomplete.unwrap_or(HeaderSearch::NotFound),
        ));
    };
    let rows = split_rows(text, delimiter, usize::MAX)?;
    Ok((delimiter, index, layout, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        let (text, enc) = decode("\u{feff}日期,收入".as_bytes()).unwrap();
        assert_eq!((text.as_str(), enc), ("日期,收入", TextEncoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode("日期,收入");
        let (text, enc) = decode(&gbk).unwrap();
        assert_eq!((text.as_str(), enc), ("日期,收入", TextEncoding::Gbk));
        assert_eq!(decode(&[0xff, 0xfe, 0x65, 0x66]), Err(StatementError::Encoding));
        assert_eq!(decode(&[0x81, 0x20, 0xff]), Err(StatementError::Encoding));
    }

    #[test]
    fn rows_keep_line_numbers_and_blank_lines() {
        let text = "a,b\n\n\"x\ny\",2\n,\n\nlast,1\n\n";
        let rows = split_rows(text, ',', usize::MAX).unwrap();
        let lines: Vec<(u32, usize)> = rows.iter().map(|r| (r.line, r.cells.len())).collect();
        assert_eq!(lines, vec![(1, 2), (2, 0), (3, 2), (5, 2), (6, 0), (7, 2)]);
        assert_eq!(rows[2].cells[0], Cell::Text("x\ny".to_owned()));
        assert!(rows[3].cells.iter().all(Cell::is_empty));
    }

    #[test]
    fn crlf_and_cr_line_numbers() {
        let rows = split_rows("a,b\r\n\r\nc,d\r\n", ',', usize::MAX).unwrap();
        let lines: Vec<(u32, usize)> = rows.iter().map(|r| (r.line, r.cells.len())).collect();
        assert_eq!(lines, vec![(1, 2), (2, 0), (3, 2)]);
        let rows = split_rows("\n\na,b\r\rc,\"d\r\ne\"\rf,g", ',', usize::MAX).unwrap();
        let lines: Vec<(u32, usize)> = rows.iter().map(|r| (r.line, r.cells.len())).collect();
        assert_eq!(lines, vec![(1, 0), (2, 0), (3, 2), (4, 0), (5, 2), (7, 2)]);
    }

    #[test]
    fn limit_is_respected() {
        let rows = split_rows("a\n\n\n\nb\nc\n", ',', 2).unwrap();
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn quoted_delimiters() {
        let rows = split_rows("2026-11-20,\"1,350.00\",\"张伟, 李娜\"\n", ',', usize::MAX).unwrap();
        assert_eq!(rows[0].cells[1], Cell::Text("1,350.00".to_owned()));
        assert_eq!(rows[0].cells[2], Cell::Text("张伟, 李娜".to_owned()));
    }
}
