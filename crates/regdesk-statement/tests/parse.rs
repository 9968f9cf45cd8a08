//! Parsing the committed bank-statement fixtures (tests/fixtures/, invented data).
//!
//! `cargo test -p regdesk-statement -- --ignored write_fixtures` rewrites the
//! fixture files from the data in this file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveTime};
use regdesk_statement::{
    parse, SkipReason, Statement, StatementError, StatementField, StatementFormat, StatementLine, TextEncoding,
};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

fn parse_fixture(name: &str) -> Statement {
    parse(&fixture(name), name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn time(h: u32, m: u32, s: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, s).unwrap()
}

fn skipped(statement: &Statement) -> Vec<(u32, SkipReason)> {
    statement.skipped.iter().map(|s| (s.line, s.reason)).collect()
}

fn fingerprints(statement: &Statement) -> BTreeSet<String> {
    statement.lines.iter().map(|l| l.fingerprint.clone()).collect()
}

/// The lines without their line numbers, for comparing re-exports.
fn without_line_numbers(statement: &Statement) -> Vec<StatementLine> {
    statement
        .lines
        .iter()
        .map(|l| StatementLine { line: 0, ..l.clone() })
        .collect()
}

// ---------------------------------------------------------------------------
// Fixture data (invented: no real person, company or account).

/// One row of the ICBC export, cells as the bank writes them.
struct IcbcRow {
    date: &'static str,
    time: &'static str,
    payer: &'static str,
    account: &'static str,
    bank: &'static str,
    debit: &'static str,
    credit: &'static str,
    balance: &'static str,
    summary: &'static str,
    purpose: &'static str,
    reference: &'static str,
}

const ICBC_HEADER: [&str; 11] = [
    "交易日期",
    "交易时间",
    "对方户名",
    "对方账号",
    "对方开户行",
    "借方发生额（支出）",
    "贷方发生额（收入）",
    "余额",
    "摘要",
    "用途",
    "交易流水号",
];

#[rustfmt::skip]
const ICBC_ROWS: &[IcbcRow] = &[
    IcbcRow { date: "2026-11-20", time: "10:31:05", payer: "杭州星河文化传媒有限公司", account: "1202026209000123456", bank: "中国工商银行杭州西湖支行", debit: "0.00", credit: "1,350.00", balance: "51,350.00", summary: "转账", purpose: "ZJ-7F3A-20261120-0001 作品登记费", reference: "HZ2026112010310500011" },
    IcbcRow { date: "2026-11-20", time: "14:02:40", payer: "张伟", account: "6222021202004567890", bank: "中国工商银行宁波分行", debit: "", credit: "300.00", balance: "51,650.00", summary: "跨行汇款", purpose: "ZJ-7F3A-20261120-0002 作品登记费 张伟", reference: "HZ2026112014024000027" },
    IcbcRow { date: "2026-11-21", time: "09:15:00", payer: "中国电信股份有限公司杭州分公司", account: "33001616827053000123", bank: "中国建设银行杭州分行", debit: "580.00", credit: "0.00", balance: "51,070.00", summary: "代扣", purpose: "11月电话费", reference: "HZ2026112109150000003" },
    IcbcRow { date: "2026-11-23", time: "16:48:12", payer: "李娜", account: "6217001540012345678", bank: "中国建设银行温州分行", debit: "", credit: "150.00", balance: "51,220.00", summary: "手机银行转账", purpose: "ZJ-7F3A-20261123-0007 登记费 李娜", reference: "HZ2026112316481200045" },
    IcbcRow { date: "2026-11-24", time: "08:02:33", payer: "", account: "", bank: "", debit: "5.00", credit: "", balance: "51,215.00", summary: "收费", purpose: "跨行汇款手续费", reference: "HZ2026112408023300001" },
    IcbcRow { date: "2026-11-25", time: "11:20:08", payer: "宁波甬江软件科技有限公司", account: "39010188000123456", bank: "宁波银行江东支行", debit: "", credit: "3,000.00", balance: "54,215.00", summary: "转账", purpose: "ZJ-7F3A-20261125-0012,ZJ-7F3A-20261125-0013 作品登记费", reference: "HZ2026112511200800019" },
    IcbcRow { date: "2026-11-26", time: "15:05:51", payer: "王芳", account: "6228480322123456789", bank: "中国农业银行绍兴分行", debit: "", credit: "300.00", balance: "54,515.00", summary: "转账", purpose: "作品登记费 ZJ-7F3A-20261126-0003", reference: "HZ2026112615055100033" },
    IcbcRow { date: "2026-11-27", time: "10:00:00", payer: "浙江省财政厅", account: "19000101040012345", bank: "中国农业银行杭州分行", debit: "1,200.00", credit: "", balance: "53,315.00", summary: "上缴", purpose: "非税收入上缴", reference: "HZ2026112710000000008" },
    IcbcRow { date: "2026-11-30", time: "09:30:12", payer: "杭州之江动漫有限公司", account: "1202020109900034567", bank: "中国工商银行杭州之江支行", debit: "", credit: "1,350.00", balance: "54,665.00", summary: "转账", purpose: "ZJ-7F3A-20261130-0021 美术作品登记费", reference: "HZ2026113009301200012" },
    IcbcRow { date: "2026-11-30", time: "23:59:59", payer: "", account: "", bank: "", debit: "", credit: "12.37", balance: "54,677.37", summary: "结息", purpose: "活期利息", reference: "HZ2026113023595900001" },
];

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn icbc_cells(row: &IcbcRow) -> Vec<String> {
    let account = if row.account.is_empty() {
        String::new()
    } else {
        format!("=\"{}\"", row.account)
    };
    [
        row.date.to_owned(),
        row.time.to_owned(),
        row.payer.to_owned(),
        account,
        row.bank.to_owned(),
        row.debit.to_owned(),
        row.credit.to_owned(),
        row.balance.to_owned(),
        row.summary.to_owned(),
        row.purpose.to_owned(),
        row.reference.to_owned(),
    ]
    .iter()
    .map(|c| csv_field(c))
    .collect()
}

/// The ICBC export as text (CRLF line ends), before GBK encoding.
fn icbc_text() -> String {
    let mut lines: Vec<String> = vec![
        "中国工商银行账户历史明细（对公）".to_owned(),
        "账号,=\"1202021609006688123\"".to_owned(),
        "户名,浙江省版权保护中心".to_owned(),
        "币种,人民币".to_owned(),
        "起止日期,2026-11-01,至,2026-11-30".to_owned(),
        String::new(),
        ICBC_HEADER.join(","),
    ];
    for (i, row) in ICBC_ROWS.iter().enumerate() {
        if i == 4 {
            lines.push(String::new());
        }
        lines.push(icbc_cells(row).join(","));
    }
    lines.push("合计,,,,,\"1,785.00\",\"6,462.37\",,,,".to_owned());
    lines.push("以上数据仅供参考，以银行盖章对账单为准。打印时间：2026-12-01 09:12:45".to_owned());
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    text
}

fn to_gbk(text: &str) -> Vec<u8> {
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(text);
    assert!(!had_errors, "text not representable in GBK");
    bytes.into_owned()
}

/// CCB: UTF-8 with BOM, tab-delimited, CRLF, quoted amounts with separators.
fn ccb_bytes() -> Vec<u8> {
    let lines = [
        "中国建设银行单位客户账户交易明细",
        "账户名称\t浙江省版权保护中心",
        "账号\t33050161623500001234",
        "查询期间\t20261101\t至\t20261130",
        "记账日期\t付款人名称\t付款人账号\t收入金额（收入）\t支出金额（支出）\t附言\t凭证号",
        "20261120\t杭州星河文化传媒有限公司\t1202026209000123456\t\"1,350.00\"\t\tZJ-7F3A-20261120-0001 作品登记费\t0001120",
        "20261121\t陈静\t6217000010012345678\t150.00\t\tZJ-7F3A-20261121-0004 作品登记费（个人）\t0001121",
        "20261122\t浙江华数传媒网络有限公司\t33001617835059000567\t\"12,600.00\"\t\tZJ-7F3A-20261122-0009等42件 作品登记费\t0001122",
        "20261124\t中国移动通信集团浙江有限公司\t33001616735059000888\t\t\"80.00\"\t宽带费\t0001124",
        "20261125\t周杰\t6222081202001234567\t\"300.00\"\t\t登记费 ZJ-7F3A-20261125-0015\t0001125",
        "20261126\t刘洋\t6230520050012345678\t\"1,350.00\"\t\tZJ-7F3A-20261126-0018 作品登记费\t0001126",
        "20261128\t温州瓯越动漫设计有限公司\t33050162723600000345\t\"4,050.00\"\t\tZJ-7F3A-20261128-0002、0003、0004 美术作品登记费\t0001128",
        "20261130\t\t\t\t\"2.50\"\t账户管理费\t0001130",
        "合计\t\t\t\"19,800.00\"\t\"82.50\"\t\t",
        "笔数\t8",
    ];
    let mut text = String::from("\u{feff}");
    text.push_str(&lines.join("\r\n"));
    text.push_str("\r\n");
    text.into_bytes()
}

/// ABC: UTF-8, one 交易金额 column with 借贷标志, dates as 2026年11月20日.
fn abc_bytes() -> Vec<u8> {
    let lines = [
        "中国农业银行账户明细",
        "户名：浙江省版权保护中心,账号：19015101040066881,币种：人民币",
        "交易日期,交易时间,交易金额,借贷标志,对方户名,对方账号,对方开户行,摘要,附言,交易序号",
        "2026年11月20日,09:12:30,300.00,贷,赵磊,6228480398765432101,中国农业银行杭州城东支行,转账,ZJ-7F3A-20261120-0005 作品登记费,000123",
        "2026年11月21日,13:45:00,1350.00,贷,杭州星河文化传媒有限公司,1202026209000123456,中国工商银行杭州西湖支行,网银转账,ZJ-7F3A-20261121-0002 作品登记费,000124",
        "2026年11月22日,10:00:00,860.00,借,杭州西湖物业管理有限公司,33001616827053000999,中国建设银行杭州分行,转账,11月物业费,000125",
        "2026年11月23日,16:20:11,150.00,收,孙丽,6217001540098765432,中国建设银行金华分行,转账,登记费 ZJ-7F3A-20261123-0011,000126",
        "2026年11月24日,08:00:00,-20.00,,,,,手续费,网银年费,000127",
        "2026年11月25日,11:11:11,300.00,贷,钱晓东,6228480322987654321,中国农业银行湖州分行,转账,ZJ-7F3A-20261125-0016 作品登记费,000128",
        "2026年11月26日,14:30:00,4050.00,贷,温州瓯越动漫设计有限公司,33050162723600000345,中国建设银行温州分行,转账,\"ZJ-7F3A-20261126-0006, 0007, 0008 美术作品登记费\",000129",
        "收入合计：6150.00,支出合计：880.00",
        "合计笔数：7",
    ];
    let mut text = lines.join("\n");
    text.push('\n');
    text.into_bytes()
}

/// BOC: xlsx with a title, merged preamble, numeric amounts and date cells.
fn boc_bytes() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("交易明细").unwrap();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let plain = Format::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let datetime_fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let money = Format::new().set_num_format("#,##0.00");
    sheet
        .merge_range(0, 0, 0, 6, "中国银行交易流水明细清单", &title)
        .unwrap();
    sheet.merge_range(1, 0, 1, 2, "账号：356789012345", &plain).unwrap();
    sheet
        .merge_range(1, 3, 1, 6, "户名：浙江省版权保护中心", &plain)
        .unwrap();
    sheet
        .merge_range(2, 0, 2, 6, "起止日期：2026/11/01 — 2026/11/30    币种：人民币", &plain)
        .unwrap();
    let header = [
        "交易日期",
        "对方名称",
        "对方账号",
        "贷方金额",
        "借方金额",
        "备注",
        "流水号",
    ];
    for (col, text) in header.iter().enumerate() {
        sheet.write_string(4, col as u16, *text).unwrap();
    }
    struct BocRow {
        row: u32,
        date: Option<ExcelDateTime>,
        date_text: &'static str,
        payer: &'static str,
        account: &'static str,
        credit: Option<f64>,
        debit: Option<f64>,
        memo: &'static str,
        reference: &'static str,
    }
    let day = |d: u8| ExcelDateTime::from_ymd(2026, 11, d).unwrap();
    #[rustfmt::skip]
    let rows = [
        BocRow { row: 5, date: Some(day(20).and_hms(10, 31, 5).unwrap()), date_text: "", payer: "杭州星河文化传媒有限公司", account: "1202026209000123456", credit: Some(1350.0), debit: Some(0.0), memo: "ZJ-7F3A-20261120-0001 作品登记费", reference: "BOC20261120000118" },
        BocRow { row: 6, date: Some(day(21)), date_text: "", payer: "吴敏", account: "6216610200012345678", credit: Some(300.0), debit: None, memo: "ZJ-7F3A-20261121-0006 作品登记费", reference: "BOC20261121000042" },
        BocRow { row: 7, date: Some(day(22)), date_text: "", payer: "国网浙江省电力有限公司杭州供电公司", account: "33001616827050000111", credit: Some(0.0), debit: Some(1234.56), memo: "10月电费", reference: "BOC20261122000007" },
        BocRow { row: 9, date: None, date_text: "2026/11/25", payer: "郑浩", account: "6217856100012345678", credit: Some(150.0), debit: None, memo: "登记费 ZJ-7F3A-20261125-0008", reference: "BOC20261125000031" },
        BocRow { row: 10, date: Some(day(27)), date_text: "", payer: "浙江蓝海影视有限公司", account: "33050161623500007788", credit: Some(2700.0), debit: None, memo: "ZJ-7F3A-20261127-0010 ZJ-7F3A-20261127-0011 影视作品登记费", reference: "BOC20261127000015" },
        BocRow { row: 11, date: Some(day(30)), date_text: "", payer: "", account: "", credit: Some(0.0), debit: Some(10.0), memo: "短信服务费", reference: "BOC20261130000001" },
    ];
    for r in &rows {
        match &r.date {
            Some(dt) if r.row == 5 => sheet.write_datetime_with_format(r.row, 0, dt, &datetime_fmt).unwrap(),
            Some(dt) => sheet.write_datetime_with_format(r.row, 0, dt, &date_fmt).unwrap(),
            None => sheet.write_string(r.row, 0, r.date_text).unwrap(),
        };
        if !r.payer.is_empty() {
            sheet.write_string(r.row, 1, r.payer).unwrap();
        }
        if !r.account.is_empty() {
            sheet.write_string(r.row, 2, r.account).unwrap();
        }
        if let Some(v) = r.credit {
            sheet.write_number_with_format(r.row, 3, v, &money).unwrap();
        }
        if let Some(v) = r.debit {
            sheet.write_number_with_format(r.row, 4, v, &money).unwrap();
        }
        sheet.write_string(r.row, 5, r.memo).unwrap();
        sheet.write_string(r.row, 6, r.reference).unwrap();
    }
    sheet.write_string(12, 0, "合计").unwrap();
    sheet.write_number_with_format(12, 3, 4500.0, &money).unwrap();
    sheet.write_number_with_format(12, 4, 1244.56, &money).unwrap();
    sheet.write_string(13, 0, "制表：中国银行网上银行系统").unwrap();
    sheet.set_column_width(0, 20).unwrap();
    sheet.set_column_width(1, 32).unwrap();
    workbook.save_to_buffer().unwrap()
}

/// The ICBC data re-exported as xlsx: another preamble, numbers and date cells.
fn icbc_as_xlsx() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Sheet1").unwrap();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let time_fmt = Format::new().set_num_format("hh:mm:ss");
    sheet.write_string(0, 0, "账户明细查询结果（重新导出）").unwrap();
    for (col, text) in ICBC_HEADER.iter().enumerate() {
        sheet.write_string(2, col as u16, *text).unwrap();
    }
    let number = |s: &str| s.replace(',', "").parse::<f64>().unwrap();
    for (i, row) in ICBC_ROWS.iter().enumerate() {
        let r = 3 + i as u32;
        let d = NaiveDate::parse_from_str(row.date, "%Y-%m-%d").unwrap();
        let t = NaiveTime::parse_from_str(row.time, "%H:%M:%S").unwrap();
        use chrono::{Datelike, Timelike};
        let excel_date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).unwrap();
        let excel_time = ExcelDateTime::from_hms(t.hour() as u16, t.minute() as u8, t.second()).unwrap();
        sheet.write_datetime_with_format(r, 0, excel_date, &date_fmt).unwrap();
        sheet.write_datetime_with_format(r, 1, excel_time, &time_fmt).unwrap();
        for (col, text) in [(2, row.payer), (3, row.account), (4, row.bank)] {
            if !text.is_empty() {
                sheet.write_string(r, col, text).unwrap();
            }
        }
        for (col, text) in [(5, row.debit), (6, row.credit), (7, row.balance)] {
            if !text.is_empty() {
                sheet.write_number(r, col, number(text)).unwrap();
            }
        }
        for (col, text) in [(8, row.summary), (9, row.purpose), (10, row.reference)] {
            sheet.write_string(r, col, text).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
#[ignore = "rewrites tests/fixtures; run with --ignored write_fixtures"]
fn write_fixtures() {
    std::fs::create_dir_all(fixture_path("")).unwrap();
    std::fs::write(fixture_path("icbc_gbk.csv"), to_gbk(&icbc_text())).unwrap();
    std::fs::write(fixture_path("ccb_utf8_bom.csv"), ccb_bytes()).unwrap();
    std::fs::write(fixture_path("abc_direction.csv"), abc_bytes()).unwrap();
    std::fs::write(fixture_path("boc.xlsx"), boc_bytes()).unwrap();
}

// ---------------------------------------------------------------------------
// The committed fixtures.

#[test]
fn committed_text_fixtures_match_their_generators() {
    assert_eq!(fixture("icbc_gbk.csv"), to_gbk(&icbc_text()));
    assert_eq!(fixture("ccb_utf8_bom.csv"), ccb_bytes());
    assert_eq!(fixture("abc_direction.csv"), abc_bytes());
}

#[test]
fn icbc_gbk_csv() {
    let bytes = fixture("icbc_gbk.csv");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the ICBC fixture must be GBK, not UTF-8"
    );
    let s = parse_fixture("icbc_gbk.csv");
    assert_eq!(
        s.format,
        StatementFormat::Csv {
            encoding: TextEncoding::Gbk,
            delimiter: ','
        }
    );
    assert_eq!(s.header_line, 7);
    let fields: Vec<(u32, StatementField)> = s.columns.iter().map(|c| (c.column, c.field)).collect();
    assert_eq!(
        fields,
        vec![
            (1, StatementField::Date),
            (2, StatementField::Time),
            (3, StatementField::Payer),
            (4, StatementField::PayerAccount),
            (5, StatementField::PayerBank),
            (6, StatementField::Debit),
            (7, StatementField::Credit),
            (8, StatementField::Balance),
            (9, StatementField::Memo),
            (10, StatementField::Memo),
            (11, StatementField::Reference),
        ]
    );
    assert_eq!(s.columns[6].header, "贷方发生额（收入）");
    assert_eq!(s.lines.len(), 10);
    assert_eq!(s.lines.iter().filter(|l| l.is_credit()).count(), 7);

    let first = &s.lines[0];
    assert_eq!(first.line, 8);
    assert_eq!(first.date, date(2026, 11, 20));
    assert_eq!(first.time, Some(time(10, 31, 5)));
    assert_eq!(first.payer, "杭州星河文化传媒有限公司");
    assert_eq!(first.payer_account, "1202026209000123456");
    assert_eq!(first.payer_bank, "中国工商银行杭州西湖支行");
    assert_eq!(first.credit_fen, Some(135_000));
    assert_eq!(first.debit_fen, None);
    assert_eq!(first.memo, "转账 / ZJ-7F3A-20261120-0001 作品登记费");
    assert_eq!(first.reference, "HZ2026112010310500011");

    let phone = &s.lines[2];
    assert_eq!((phone.credit_fen, phone.debit_fen), (None, Some(58_000)));
    let fee = &s.lines[4];
    assert_eq!((fee.line, fee.payer.as_str(), fee.debit_fen), (13, "", Some(500)));
    assert_eq!(
        s.lines[5].memo,
        "转账 / ZJ-7F3A-20261125-0012,ZJ-7F3A-20261125-0013 作品登记费"
    );
    assert_eq!(s.lines[5].credit_fen, Some(300_000));

    let last = s.lines.last().unwrap();
    assert_eq!(last.line, 18);
    assert_eq!((last.date, last.time), (date(2026, 11, 30), Some(time(23, 59, 59))));
    assert_eq!(last.credit_fen, Some(1_237));
    assert_eq!(last.memo, "结息 / 活期利息");

    let credits: i64 = s.lines.iter().filter_map(|l| l.credit_fen).sum();
    let debits: i64 = s.lines.iter().filter_map(|l| l.debit_fen).sum();
    assert_eq!((credits, debits), (646_237, 178_500));
    assert_eq!(
        skipped(&s),
        vec![
            (12, SkipReason::Blank),
            (19, SkipReason::Totals),
            (20, SkipReason::NoDate)
        ]
    );
    assert!(s.skipped[2].text.starts_with("以上数据仅供参考"));
}

#[test]
fn ccb_utf8_bom_tab_csv() {
    let bytes = fixture("ccb_utf8_bom.csv");
    assert!(bytes.starts_with(b"\xef\xbb\xbf"));
    let s = parse_fixture("ccb_utf8_bom.csv");
    assert_eq!(
        s.format,
        StatementFormat::Csv {
            encoding: TextEncoding::Utf8,
            delimiter: '\t'
        }
    );
    assert_eq!(s.header_line, 5);
    assert_eq!(s.columns[0].header, "记账日期");
    assert_eq!(s.columns[3].header, "收入金额（收入）");
    assert_eq!(s.columns[3].field, StatementField::Credit);
    assert_eq!(s.lines.len(), 8);
    let first = &s.lines[0];
    assert_eq!((first.line, first.date, first.time), (6, date(2026, 11, 20), None));
    assert_eq!(first.payer, "杭州星河文化传媒有限公司");
    assert_eq!(first.payer_account, "1202026209000123456");
    assert_eq!(first.payer_bank, "");
    assert_eq!(first.credit_fen, Some(135_000));
    assert_eq!(first.memo, "ZJ-7F3A-20261120-0001 作品登记费");
    assert_eq!(first.reference, "0001120");
    assert_eq!(s.lines[2].credit_fen, Some(1_260_000));
    assert_eq!((s.lines[3].credit_fen, s.lines[3].debit_fen), (None, Some(8_000)));
    let last = s.lines.last().unwrap();
    assert_eq!((last.line, last.date), (13, date(2026, 11, 30)));
    assert_eq!((last.payer.as_str(), last.debit_fen), ("", Some(250)));
    let credits: i64 = s.lines.iter().filter_map(|l| l.credit_fen).sum();
    assert_eq!(credits, 1_980_000);
    assert_eq!(skipped(&s), vec![(14, SkipReason::Totals), (15, SkipReason::Totals)]);
}

#[test]
fn abc_amount_and_direction_csv() {
    let s = parse_fixture("abc_direction.csv");
    assert_eq!(
        s.format,
        StatementFormat::Csv {
            encoding: TextEncoding::Utf8,
            delimiter: ','
        }
    );
    assert_eq!(s.header_line, 3);
    let fields: Vec<StatementField> = s.columns.iter().map(|c| c.field).collect();
    assert_eq!(
        &fields[..4],
        &[
            StatementField::Date,
            StatementField::Time,
            StatementField::Amount,
            StatementField::Direction
        ]
    );
    assert_eq!(s.lines.len(), 7);
    let amounts: Vec<(Option<i64>, Option<i64>)> = s.lines.iter().map(|l| (l.credit_fen, l.debit_fen)).collect();
    assert_eq!(
        amounts,
        vec![
            (Some(30_000), None),
            (Some(135_000), None),
            (None, Some(86_000)),
            (Some(15_000), None),
            (None, Some(2_000)),
            (Some(30_000), None),
            (Some(405_000), None),
        ]
    );
    let first = &s.lines[0];
    assert_eq!(
        (first.line, first.date, first.time),
        (4, date(2026, 11, 20), Some(time(9, 12, 30)))
    );
    assert_eq!(first.payer, "赵磊");
    assert_eq!(first.memo, "转账 / ZJ-7F3A-20261120-0005 作品登记费");
    assert_eq!(first.reference, "000123");
    let last = s.lines.last().unwrap();
    assert_eq!((last.line, last.date), (10, date(2026, 11, 26)));
    assert_eq!(last.memo, "转账 / ZJ-7F3A-20261126-0006, 0007, 0008 美术作品登记费");
    assert_eq!(skipped(&s), vec![(11, SkipReason::Totals), (12, SkipReason::Totals)]);
}

#[test]
fn boc_xlsx() {
    let bytes = fixture("boc.xlsx");
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let s = parse_fixture("boc.xlsx");
    assert_eq!(
        s.format,
        StatementFormat::Xlsx {
            sheet: "交易明细".to_owned()
        }
    );
    assert_eq!(s.header_line, 5);
    let fields: Vec<StatementField> = s.columns.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        vec![
            StatementField::Date,
            StatementField::Payer,
            StatementField::PayerAccount,
            StatementField::Credit,
            StatementField::Debit,
            StatementField::Memo,
            StatementField::Reference,
        ]
    );
    assert_eq!(s.lines.len(), 6);
    let first = &s.lines[0];
    assert_eq!(first.line, 6);
    assert_eq!((first.date, first.time), (date(2026, 11, 20), Some(time(10, 31, 5))));
    assert_eq!(first.payer, "杭州星河文化传媒有限公司");
    assert_eq!(first.payer_account, "1202026209000123456");
    assert_eq!((first.credit_fen, first.debit_fen), (Some(135_000), None));
    assert_eq!(first.memo, "ZJ-7F3A-20261120-0001 作品登记费");
    assert_eq!(first.reference, "BOC20261120000118");
    assert_eq!((s.lines[1].date, s.lines[1].time), (date(2026, 11, 21), None));
    assert_eq!((s.lines[2].credit_fen, s.lines[2].debit_fen), (None, Some(123_456)));
    assert_eq!((s.lines[3].line, s.lines[3].date), (10, date(2026, 11, 25)));
    let last = s.lines.last().unwrap();
    assert_eq!(
        (last.line, last.date, last.debit_fen),
        (12, date(2026, 11, 30), Some(1_000))
    );
    assert_eq!(
        skipped(&s),
        vec![
            (9, SkipReason::Blank),
            (13, SkipReason::Totals),
            (14, SkipReason::NoDate)
        ]
    );
}

// ---------------------------------------------------------------------------
// Fingerprints.

#[test]
fn reparsing_gives_the_same_fingerprints() {
    for name in ["icbc_gbk.csv", "ccb_utf8_bom.csv", "abc_direction.csv", "boc.xlsx"] {
        let a = parse_fixture(name);
        let b = parse_fixture(name);
        assert_eq!(a, b, "{name}");
        assert_eq!(
            fingerprints(&a).len(),
            a.lines.len(),
            "{name}: fingerprints must be distinct"
        );
        for line in &a.lines {
            assert_eq!(line.fingerprint.len(), 64);
            assert!(line.fingerprint.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        }
    }
}

#[test]
fn gbk_csv_and_xlsx_re_export_give_equal_fingerprints() {
    let csv = parse_fixture("icbc_gbk.csv");
    let xlsx = parse(&icbc_as_xlsx(), "历史明细.xlsx").unwrap();
    assert_eq!(
        xlsx.format,
        StatementFormat::Xlsx {
            sheet: "Sheet1".to_owned()
        }
    );
    assert_eq!(xlsx.header_line, 3);
    assert_eq!(without_line_numbers(&csv), without_line_numbers(&xlsx));
    assert_eq!(fingerprints(&csv), fingerprints(&xlsx));
}

#[test]
fn utf8_re_encoding_and_another_preamble_keep_fingerprints() {
    let original = parse_fixture("icbc_gbk.csv");
    let utf8 = parse(icbc_text().as_bytes(), "icbc.csv").unwrap();
    assert_eq!(
        utf8.format,
        StatementFormat::Csv {
            encoding: TextEncoding::Utf8,
            delimiter: ','
        }
    );
    assert_eq!(fingerprints(&original), fingerprints(&utf8));

    let text = icbc_text();
    let body = &text[text.find("交易日期").unwrap()..];
    let shorter = format!("查询结果\n{}", body.replace("\r\n", "\n"));
    let shorter = parse(&to_gbk(&shorter), "icbc.csv").unwrap();
    assert_eq!(shorter.header_line, 2);
    assert_eq!(fingerprints(&original), fingerprints(&shorter));
}

#[test]
fn identical_lines_get_occurrence_indexes() {
    let text = "日期,对方户名,贷方金额,摘要\n\
                2026-11-20,张伟,150.00,作品登记费\n\
                2026-11-20,张伟,150.00,作品登记费\n\
                2026-11-20,李娜,150.00,作品登记费\n";
    let s = parse(text.as_bytes(), "a.csv").unwrap();
    assert_eq!(s.lines.len(), 3);
    assert_ne!(s.lines[0].fingerprint, s.lines[1].fingerprint);
    assert_eq!(fingerprints(&s).len(), 3);
    // Only the first of the pair survives in a statement that has it once,
    // and it gets the same fingerprint there.
    let once = "日期,对方户名,贷方金额,摘要\n2026-11-20,张伟,150.00,作品登记费\n";
    let once = parse(once.as_bytes(), "b.csv").unwrap();
    assert_eq!(once.lines[0].fingerprint, s.lines[0].fingerprint);
    // Whitespace differences do not change the fingerprint.
    let spaced = "日期,对方户名,贷方金额,摘要\n2026-11-20, 张伟 ,150.00,作品登记费  \n";
    let spaced = parse(spaced.as_bytes(), "c.csv").unwrap();
    assert_eq!(spaced.lines[0].fingerprint, s.lines[0].fingerprint);
}

// ---------------------------------------------------------------------------
// Errors.

#[test]
fn missing_credit_column() {
    let text = "账户明细\n交易日期,对方户名,借方发生额,摘要\n2026-11-20,张伟,150.00,x\n";
    let err = parse(text.as_bytes(), "a.csv").unwrap_err();
    assert_eq!(err.code(), "missing_column");
    let StatementError::MissingColumn { line, field, tried } = &err else {
        panic!("unexpected {err:?}");
    };
    assert_eq!((*line, field.as_str()), (2, "贷方金额（收入）"));
    assert!(tried.contains(&"贷方发生额".to_owned()) && tried.contains(&"交易金额".to_owned()));
    let message = err.to_string();
    assert!(
        message.starts_with("第 2 行看起来是表头，但缺少「贷方金额（收入）」列"),
        "{message}"
    );
    assert!(message.contains("贷方发生额、收入金额"), "{message}");
}

#[test]
fn missing_direction_and_date_columns() {
    let err = parse("交易日期,交易金额,对方户名\n".as_bytes(), "a.csv").unwrap_err();
    assert!(
        matches!(&err, StatementError::MissingColumn { field, .. } if field == "借贷标志"),
        "{err:?}"
    );
    assert!(err.to_string().contains("借贷标志、借贷方向"), "{err}");
    let err = parse("对方户名,贷方发生额,摘要\n".as_bytes(), "a.csv").unwrap_err();
    assert!(
        matches!(&err, StatementError::MissingColumn { field, .. } if field == "交易日期"),
        "{err:?}"
    );
}

#[test]
fn no_header() {
    let err = parse("这不是银行流水\n第二行,内容\n".as_bytes(), "notes.csv").unwrap_err();
    assert_eq!(err.code(), "no_header");
    let message = err.to_string();
    assert!(
        message.starts_with("未找到表头行：前 50 行中没有一行同时包含日期列（交易日期、记账日期"),
        "{message}"
    );
    assert!(
        message.contains("贷方发生额") && message.contains("借贷标志"),
        "{message}"
    );
}

#[test]
fn header_beyond_fifty_rows_is_not_found() {
    let mut text = "说明\n".repeat(50);
    text.push_str("交易日期,贷方发生额\n2026-11-20,150.00\n");
    assert_eq!(parse(text.as_bytes(), "a.csv").unwrap_err().code(), "no_header");
}

#[test]
fn other_errors() {
    assert_eq!(parse(b"", "a.csv").unwrap_err(), StatementError::Empty);
    assert_eq!(parse(b"  \r\n ", "a.csv").unwrap_err(), StatementError::Empty);
    assert_eq!(
        parse(&[0x81, 0x30, 0xff, 0xff], "a.csv").unwrap_err(),
        StatementError::Encoding
    );
    let ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0\0\0";
    assert_eq!(parse(ole, "流水.xls").unwrap_err().code(), "legacy_xls_unsupported");
    let err = parse(b"PK\x03\x04garbage", "a.xlsx").unwrap_err();
    assert_eq!(err.code(), "xlsx_unreadable");
    assert!(err.to_string().starts_with("Excel 文件无法读取"), "{err}");
    let err = parse("交易日期,贷方发生额\n".as_bytes(), "a.xlsx").unwrap_err();
    assert_eq!(err.code(), "xlsx_unreadable");
    for e in [
        StatementError::Empty,
        StatementError::Encoding,
        StatementError::LegacyXls,
    ] {
        assert!(!e.to_string().is_empty() && !e.code().is_empty());
    }
}

#[test]
fn xlsx_without_header_sheet_uses_the_next_sheet() {
    let mut workbook = Workbook::new();
    workbook
        .add_worksheet()
        .set_name("说明")
        .unwrap()
        .write_string(0, 0, "导出说明")
        .unwrap();
    let sheet = workbook.add_worksheet().set_name("明细").unwrap();
    sheet.write_string(0, 0, "记账日期").unwrap();
    sheet.write_string(0, 1, "收入").unwrap();
    sheet.write_string(1, 0, "20261120").unwrap();
    sheet.write_number(1, 1, 150).unwrap();
    sheet.write_number(2, 0, 20261121).unwrap();
    sheet.write_string(2, 1, "¥300.00").unwrap();
    let s = parse(&workbook.save_to_buffer().unwrap(), "x.xlsx").unwrap();
    assert_eq!(
        s.format,
        StatementFormat::Xlsx {
            sheet: "明细".to_owned()
        }
    );
    let got: Vec<(u32, NaiveDate, Option<i64>)> = s.lines.iter().map(|l| (l.line, l.date, l.credit_fen)).collect();
    assert_eq!(
        got,
        vec![
            (2, date(2026, 11, 20), Some(15_000)),
            (3, date(2026, 11, 21), Some(30_000))
        ]
    );
}

#[test]
fn other_delimiters_and_datetime_column() {
    let text = "交易时间;收入;支出;对方户名\n2026-11-20 10:31:05;150.00;;张伟\n";
    let s = parse(text.as_bytes(), "a.txt").unwrap();
    assert_eq!(
        s.format,
        StatementFormat::Csv {
            encoding: TextEncoding::Utf8,
            delimiter: ';'
        }
    );
    assert_eq!(
        (s.lines[0].date, s.lines[0].time),
        (date(2026, 11, 20), Some(time(10, 31, 5)))
    );
    let text = "交易日期|贷方金额|对方账号\n2026.11.20|1,350.00|'6222020200012345678\n";
    let s = parse(text.as_bytes(), "a.txt").unwrap();
    assert_eq!(s.lines[0].payer_account, "6222020200012345678");
    assert_eq!(s.lines[0].credit_fen, Some(135_000));
}

#[test]
fn serializes_dates_as_iso_strings() {
    let s = parse_fixture("abc_direction.csv");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json["format"],
        serde_json::json!({"kind": "csv", "encoding": "utf8", "delimiter": ","})
    );
    assert_eq!(json["lines"][0]["date"], "2026-11-20");
    assert_eq!(json["lines"][0]["time"], "09:12:30");
    assert_eq!(json["lines"][0]["credit_fen"], 30_000);
    assert_eq!(json["columns"][2]["field"], "amount");
    assert_eq!(json["skipped"][0]["reason"], "totals");
    let back: Statement = serde_json::from_value(json).unwrap();
    assert_eq!(back, s);
}
