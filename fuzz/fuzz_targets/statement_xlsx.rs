//! Bank statements as Excel workbooks (.xlsx, a zip of XML parts).
//!
//! Properties: as for the text target (see `check_statement`), and an accepted workbook is reported
//! as xlsx with the name of a sheet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regdesk_fuzz::check_statement;
use regdesk_statement::{parse, StatementFormat};

fuzz_target!(|data: &[u8]| {
    let result = parse(data, "statement.xlsx");
    if let Ok(s) = &result {
        assert!(matches!(s.format, StatementFormat::Xlsx { .. }), "{:?}", s.format);
    }
    check_statement(data, "statement.xlsx", &result);
});
