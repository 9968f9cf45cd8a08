//! Bank statements as text (CSV / TSV / other delimiters, UTF-8 with or without BOM, GBK).
//!
//! Properties: no panic; workbook bytes never reach the text path; an accepted statement has a header
//! line above every data or skipped line, no line number twice, each line an amount > 0 on at least one
//! side, distinct 64-hex fingerprints, and parsing is deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regdesk_fuzz::check_statement;
use regdesk_statement::{parse, StatementFormat};

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK\x03\x04") || data.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return; // the workbook paths have their own target
    }
    let result = parse(data, "statement.csv");
    if let Ok(s) = &result {
        assert!(matches!(s.format, StatementFormat::Csv { .. }), "{:?}", s.format);
    }
    check_statement(data, "statement.csv", &result);
});
