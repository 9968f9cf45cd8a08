//! Checks shared by the fuzz targets.

use std::collections::HashSet;

use regdesk_statement::{parse, Statement, StatementError};

/// What every parsed statement must satisfy, and that parsing is deterministic.
pub fn check_statement(data: &[u8], file_name: &str, result: &Result<Statement, StatementError>) {
    let again = parse(data, file_name);
    assert_eq!(&again, result, "parse is not deterministic");
    let s = match result {
        Ok(s) => s,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let mut seen_lines = HashSet::new();
    let mut fingerprints = HashSet::new();
    for line in &s.lines {
        assert!(
            line.line > s.header_line,
            "line {} not below header {}",
            line.line,
            s.header_line
        );
        assert!(seen_lines.insert(line.line), "line {} twice", line.line);
        assert!(
            line.credit_fen.is_some() || line.debit_fen.is_some(),
            "line {} without amount",
            line.line
        );
        assert!(line.credit_fen.is_none_or(|v| v > 0), "credit {:?}", line.credit_fen);
        assert!(line.debit_fen.is_none_or(|v| v > 0), "debit {:?}", line.debit_fen);
        assert_eq!(line.fingerprint.len(), 64);
        assert!(line.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(fingerprints.insert(line.fingerprint.clone()), "fingerprint twice");
    }
    for skipped in &s.skipped {
        assert!(skipped.line > s.header_line);
        assert!(seen_lines.insert(skipped.line), "line {} twice", skipped.line);
    }
    let mut columns = HashSet::new();
    for c in &s.columns {
        assert!(columns.insert(c.column), "column {} mapped twice", c.column);
    }
}
