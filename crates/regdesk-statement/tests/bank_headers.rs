//! The header rows of the big banks' and Zhejiang's local banks' corporate
//! statement exports (hand-written fixtures in tests/fixtures/headers/,
//! invented data): every export's date, payer, account, amounts and bank
//! reference columns are found, the reference never comes out empty.
//!
//! The header names follow the banks' exports as far as we know them; where
//! we are unsure it says so at the bank's entry below. The fixtures are UTF-8
//! (GBK decoding is covered by tests/parse.rs); their rows are invented.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use regdesk_statement::{parse, Statement, StatementField};

/// What one statement line must parse to.
struct Line {
    date: (i32, u32, u32),
    time: Option<(u32, u32, u32)>,
    payer: &'static str,
    account: &'static str,
    credit_fen: Option<i64>,
    debit_fen: Option<i64>,
    reference: &'static str,
}

/// One bank's export.
struct Export {
    file: &'static str,
    header_line: u32,
    /// The header cell taken for the reference column.
    reference_header: &'static str,
    lines: &'static [Line],
}

#[rustfmt::skip]
const EXPORTS: &[Export] = &[
    // 工商银行 对公 历史明细. The reference is 凭证号; 借/贷 beside the two
    // amount columns is not needed. Unsure: whether the export also carries a
    // 交易日期 column besides 交易时间, and whether 对方单位名称 is named 对方户名
    // in newer exports (both are recognized).
    Export { file: "icbc.csv", header_line: 4, reference_header: "凭证号", lines: &[
        Line { date: (2026, 11, 20), time: Some((10, 31, 5)), payer: "杭州星河文化传媒有限公司", account: "1202026209000123456", credit_fen: Some(135_000), debit_fen: None, reference: "HZ2026112010310500011" },
        Line { date: (2026, 11, 21), time: Some((9, 15, 0)), payer: "中国电信股份有限公司杭州分公司", account: "33001616827053000123", credit_fen: None, debit_fen: Some(58_000), reference: "HZ2026112109150000003" },
        Line { date: (2026, 11, 22), time: Some((14, 2, 40)), payer: "张伟", account: "6222021202004567890", credit_fen: Some(30_000), debit_fen: None, reference: "HZ2026112214024000027" },
    ]},
    // 建设银行 单位账户交易明细: the reference is 账户明细编号-交易流水号 (a
    // compound name), preferred to 凭证号 (often empty) because 交易流水号 is
    // the better name. 记账日期 is the date, 交易时间 the time. Unsure: the
    // exact spelling of the amount headers (`借方发生额/元(支取)` here,
    // `借方发生额（支取）` elsewhere) and the format of 交易时间's values.
    Export { file: "ccb.csv", header_line: 4, reference_header: "账户明细编号-交易流水号", lines: &[
        Line { date: (2026, 11, 20), time: Some((10, 5, 12)), payer: "杭州星河文化传媒有限公司", account: "1202026209000123456", credit_fen: Some(135_000), debit_fen: None, reference: "33050161623500001234-0001" },
        Line { date: (2026, 11, 21), time: Some((16, 40, 0)), payer: "中国移动通信集团浙江有限公司", account: "33001616735059000888", credit_fen: None, debit_fen: Some(8_000), reference: "33050161623500001234-0002" },
        Line { date: (2026, 11, 22), time: Some((9, 0, 31)), payer: "陈静", account: "6217000010012345678", credit_fen: Some(15_000), debit_fen: None, reference: "33050161623500001234-0003" },
    ]},
    // 农业银行 账户明细: 交易时间 carries the date. Unsure: whether the
    // reference column is headed `交易流水号/凭证号` in one cell (as here) or
    // as two columns, and the names of the memo columns.
    Export { file: "abc.csv", header_line: 3, reference_header: "交易流水号/凭证号", lines: &[
        Line { date: (2026, 11, 20), time: Some((9, 12, 30)), payer: "赵磊", account: "6228480398765432101", credit_fen: Some(30_000), debit_fen: None, reference: "ABC2026112000123" },
        Line { date: (2026, 11, 21), time: Some((13, 45, 0)), payer: "杭州西湖物业管理有限公司", account: "33001616827053000999", credit_fen: None, debit_fen: Some(86_000), reference: "ABC2026112100124" },
        Line { date: (2026, 11, 22), time: Some((11, 11, 11)), payer: "温州瓯越动漫设计有限公司", account: "33050162723600000345", credit_fen: Some(405_000), debit_fen: None, reference: "ABC2026112200125" },
    ]},
    // 中国银行 交易流水明细: bilingual headers (`交易日期[ Transaction Date ]`),
    // one 交易金额 column; the payer is 付款人名称 (for a debit that is the
    // office itself). Unsure: how the export marks the direction (a 借贷标识
    // column here; it may rather be the sign or 来账/往账 in 交易类型, which the
    // parser would not recognize as a direction column).
    Export { file: "boc.csv", header_line: 3, reference_header: "交易流水号[ Transaction reference number ]", lines: &[
        Line { date: (2026, 11, 20), time: Some((10, 31, 5)), payer: "杭州星河文化传媒有限公司", account: "1202026209000123456", credit_fen: Some(135_000), debit_fen: None, reference: "BOC0000000000001" },
        Line { date: (2026, 11, 21), time: Some((9, 15, 0)), payer: "浙江省版权保护中心", account: "356789012345", credit_fen: None, debit_fen: Some(58_000), reference: "BOC0000000000002" },
        Line { date: (2026, 11, 23), time: Some((16, 48, 12)), payer: "李娜", account: "6217001540012345678", credit_fen: Some(15_000), debit_fen: None, reference: "BOC0000000000003" },
    ]},
    // 交通银行 对公账户交易明细. Unsure: whether the reference is headed 流水号
    // or 会计流水号 (the latter would not be recognized).
    Export { file: "bocom.csv", header_line: 3, reference_header: "流水号", lines: &[
        Line { date: (2026, 11, 20), time: Some((10, 20, 30)), payer: "杭州之江动漫有限公司", account: "1202020109900034567", credit_fen: Some(135_000), debit_fen: None, reference: "BCM202611200001" },
        Line { date: (2026, 11, 21), time: Some((8, 0, 0)), payer: "", account: "", credit_fen: None, debit_fen: Some(500), reference: "BCM202611210002" },
        Line { date: (2026, 11, 23), time: Some((15, 30, 0)), payer: "王芳", account: "6228480322123456789", credit_fen: Some(30_000), debit_fen: None, reference: "BCM202611230003" },
    ]},
    // 浙商银行. Unsure: the whole layout is a plausible guess (借方金额/贷方金额,
    // 对方行名, 交易流水号).
    Export { file: "czbank.csv", header_line: 3, reference_header: "交易流水号", lines: &[
        Line { date: (2026, 11, 20), time: Some((11, 20, 8)), payer: "宁波甬江软件科技有限公司", account: "39010188000123456", credit_fen: Some(300_000), debit_fen: None, reference: "CZB20261120112008019" },
        Line { date: (2026, 11, 21), time: Some((10, 0, 0)), payer: "浙江省财政厅", account: "19000101040012345", credit_fen: None, debit_fen: Some(120_000), reference: "CZB20261121100000008" },
        Line { date: (2026, 11, 24), time: Some((14, 14, 14)), payer: "李娜", account: "6217001540012345678", credit_fen: Some(15_000), debit_fen: None, reference: "CZB20261124141414020" },
    ]},
    // 杭州银行. Unsure: the whole layout is a plausible guess (收入金额（元）,
    // 业务流水号, times as 093012).
    Export { file: "hzbank.csv", header_line: 4, reference_header: "业务流水号", lines: &[
        Line { date: (2026, 11, 20), time: Some((9, 30, 12)), payer: "杭州之江动漫有限公司", account: "1202020109900034567", credit_fen: Some(135_000), debit_fen: None, reference: "HZB0001120" },
        Line { date: (2026, 11, 21), time: Some((10, 10, 10)), payer: "", account: "", credit_fen: None, debit_fen: Some(1_200), reference: "HZB0001121" },
        Line { date: (2026, 11, 25), time: Some((16, 0, 0)), payer: "周杰", account: "6222081202001234567", credit_fen: Some(30_000), debit_fen: None, reference: "HZB0001125" },
    ]},
    // 宁波银行: no time column. Unsure: the whole layout is a plausible guess.
    Export { file: "nbcb.csv", header_line: 3, reference_header: "交易流水号", lines: &[
        Line { date: (2026, 11, 20), time: None, payer: "宁波甬江软件科技有限公司", account: "39010188000123456", credit_fen: Some(300_000), debit_fen: None, reference: "NB2026112000000019" },
        Line { date: (2026, 11, 21), time: None, payer: "钱晓东", account: "6228480322987654321", credit_fen: Some(15_000), debit_fen: None, reference: "NB2026112100000020" },
        Line { date: (2026, 11, 22), time: None, payer: "杭州西湖物业管理有限公司", account: "33001616827053000999", credit_fen: None, debit_fen: Some(200_000), reference: "NB2026112200000021" },
    ]},
    // 浙江农商银行 / 浙江农信: one 交易金额 column with 借贷标志. Unsure: the
    // whole layout is a plausible guess; the 81 local banks' systems share one
    // provincial core, so one layout is assumed for all.
    Export { file: "zjrcu.csv", header_line: 3, reference_header: "交易流水号", lines: &[
        Line { date: (2026, 11, 20), time: Some((10, 0, 0)), payer: "赵磊", account: "6228480398765432101", credit_fen: Some(30_000), debit_fen: None, reference: "ZJRC202611200001" },
        Line { date: (2026, 11, 21), time: Some((11, 0, 0)), payer: "", account: "", credit_fen: None, debit_fen: Some(5_000), reference: "ZJRC202611210002" },
        Line { date: (2026, 11, 26), time: Some((15, 5, 51)), payer: "杭州星河文化传媒有限公司", account: "1202026209000123456", credit_fen: Some(135_000), debit_fen: None, reference: "ZJRC202611260003" },
    ]},
];

fn parse_export(file: &str) -> Statement {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("headers")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse(&bytes, file).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Parses one export and checks it against its entry in [`EXPORTS`].
fn check(file: &str) {
    let export = EXPORTS.iter().find(|e| e.file == file).unwrap();
    {
        let s = parse_export(export.file);
        let file = export.file;
        assert_eq!(s.header_line, export.header_line, "{file}");
        let references: Vec<&str> = s
            .columns
            .iter()
            .filter(|c| c.field == StatementField::Reference)
            .map(|c| c.header.as_str())
            .collect();
        assert_eq!(references, vec![export.reference_header], "{file}");
        assert_eq!(s.lines.len(), export.lines.len(), "{file}: {:?}", s.skipped);
        for (got, want) in s.lines.iter().zip(export.lines) {
            let (y, m, d) = want.date;
            assert_eq!(
                got.date,
                NaiveDate::from_ymd_opt(y, m, d).unwrap(),
                "{file} line {}",
                got.line
            );
            let time = want.time.map(|(h, m, s)| NaiveTime::from_hms_opt(h, m, s).unwrap());
            assert_eq!(got.time, time, "{file} line {}", got.line);
            assert_eq!(got.payer, want.payer, "{file} line {}", got.line);
            assert_eq!(got.payer_account, want.account, "{file} line {}", got.line);
            assert_eq!(got.credit_fen, want.credit_fen, "{file} line {}", got.line);
            assert_eq!(got.debit_fen, want.debit_fen, "{file} line {}", got.line);
            assert_eq!(got.reference, want.reference, "{file} line {}", got.line);
            assert!(!got.reference.is_empty(), "{file} line {}", got.line);
        }
    }
}

macro_rules! bank_tests {
    ($($name:ident => $file:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check($file);
            }
        )*
    };
}

bank_tests! {
    icbc_corporate => "icbc.csv",
    ccb_corporate_compound_reference => "ccb.csv",
    abc_corporate => "abc.csv",
    boc_bilingual_headers => "boc.csv",
    bocom_corporate => "bocom.csv",
    czbank => "czbank.csv",
    hzbank => "hzbank.csv",
    nbcb => "nbcb.csv",
    zjrcu => "zjrcu.csv",
}

#[test]
fn every_fixture_is_in_the_table() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("headers");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".csv"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = EXPORTS.iter().map(|e| e.file.to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed);
}
