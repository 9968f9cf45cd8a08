//! The notices, the fee day report and the spreadsheets, read back the way a
//! user's tools would: PDF text through poppler's pdftotext/pdfinfo, xlsx
//! through calamine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Cursor, Write};
use std::process::{Command, Stdio};

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use regdesk_print::{
    correction_notice, day_report, day_report_xlsx, invoice_list_xlsx, refusal_notice, yuan, CorrectionNotice,
    DayReport, DayReportRow, InvoiceRow, PrintError, RefusalNotice, Reviewer,
};

// ---------------------------------------------------------------- samples

fn correction() -> CorrectionNotice {
    CorrectionNotice {
        office_name: "浙江省版权局".into(),
        notice_number: "浙作登补〔2026〕第0123号".into(),
        serial: "ZJ-01-20261125-0007".into(),
        applicant: "杭州湖光影像文化传媒有限公司".into(),
        work_title: "西湖十景（系列摄影作品之一：断桥残雪）".into(),
        category: "摄影作品".into(),
        submitted_on: "2026年11月25日".into(),
        reasons: vec![
            "请提交著作权人的身份证明文件（营业执照副本复印件，加盖公章）。".into(),
            "作品说明书中“创作经过及意图”一栏过于简略，请补充说明作品的创作时间、地点、创作过程以及作品的独创性所在，\
             并说明系列作品中本件作品与其他各件作品之间的关系；如作品曾在报刊或网络上发表，请一并提供首次发表的证明材料\
             （如刊登页面复印件或网页截图，须能显示发表日期）。"
                .into(),
            "样品照片须为原图，分辨率不低于 3000×2000 像素，文件格式 JPEG 或 TIFF（see attachment A-3 for details）。"
                .into(),
        ],
        deadline: "2026年12月25日".into(),
        contact: "王立 0571-85100000".into(),
        reviewer: "王立".into(),
        issued_on: "2026年11月28日".into(),
    }
}

fn refusal() -> RefusalNotice {
    RefusalNotice {
        office_name: "浙江省版权局".into(),
        notice_number: "浙作登不〔2026〕第0012号".into(),
        serial: "ZJ-01-20261120-0031".into(),
        applicant: "林晓燕".into(),
        work_title: "一种提高茶叶出芽率的种植方法".into(),
        category: "文字作品".into(),
        submitted_on: "2026年11月20日".into(),
        ground: "不属于著作权法保护的作品".into(),
        legal_basis: "《中华人民共和国著作权法》第三条、第五条；《作品自愿登记试行办法》第十一条。\
                      申请登记的内容为技术方案本身，著作权法不保护思想、方法和操作步骤。"
            .into(),
        note: "如对本决定不服，可自收到本通知书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。".into(),
        refund_fen: Some(15_000),
        reviewers: vec![
            Reviewer {
                role: "审查员".into(),
                name: "王立".into(),
            },
            Reviewer {
                role: "复核员".into(),
                name: "李娜".into(),
            },
        ],
        issued_on: "2026年11月28日".into(),
    }
}

const METHODS: [&str; 4] = ["银行转账", "微信支付", "支付宝", "现金"];

fn report(rows: usize) -> DayReport {
    let rows = (0..rows)
        .map(|i| {
            let day = i / METHODS.len() + 1;
            let n = i as u32;
            DayReportRow {
                date: format!("2026年11月{day:02}日"),
                method: METHODS[i % METHODS.len()].into(),
                received_count: n % 7 + 1,
                received_fen: i64::from(n % 7 + 1) * 15_000 + i64::from(n) * 135,
                confirmed_count: n % 5,
                confirmed_fen: i64::from(n % 5) * 15_000,
                pending_count: n % 3,
                pending_fen: i64::from(n % 3) * 30_050,
                rejected_count: n % 2,
                rejected_fen: i64::from(n % 2) * 12_345,
                refund_count: u32::from(i % 10 == 0),
                refund_fen: if i % 10 == 0 { 15_000 } else { 0 },
            }
        })
        .collect();
    DayReport {
        office_name: "浙江省版权局".into(),
        period_from: "2026年11月01日".into(),
        period_to: "2026年11月30日".into(),
        generated_by: "周明".into(),
        generated_at: "2026年11月30日 17:05".into(),
        audit_head: "审计链末条：第 1024 条，哈希 3f5a0c9e1b2d4f68".into(),
        rows,
    }
}

fn invoices() -> Vec<InvoiceRow> {
    vec![
        InvoiceRow {
            serial: "ZJ-01-20261125-0007".into(),
            paid_on: "2026年11月25日".into(),
            payer_name: "杭州湖光影像文化传媒有限公司".into(),
            tax_id: "91330106MA2KXXXX3Q".into(),
            amount_fen: 135_000,
            email: "finance@huguang-image.example.cn".into(),
            work_title: "西湖十景（系列摄影作品之一：断桥残雪）".into(),
            remark: "加急".into(),
        },
        InvoiceRow {
            serial: "ZJ-01-20261125-0008".into(),
            paid_on: "2026年11月25日".into(),
            payer_name: "林晓燕".into(),
            tax_id: String::new(),
            amount_fen: 30_050,
            email: "lin@example.cn".into(),
            work_title: "钱塘人家".into(),
            remark: String::new(),
        },
    ]
}

// ---------------------------------------------------------------- helpers

fn has_tool(name: &str) -> bool {
    Command::new(name)
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Writes the PDF to a temporary file and returns the file (kept while in scope).
fn pdf_file(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    f.write_all(pdf).unwrap();
    f.flush().unwrap();
    f
}

/// Text of every page (pdftotext separates pages with form feeds), or `None`
/// when poppler-utils is missing.
fn pages_text(pdf: &[u8]) -> Option<Vec<String>> {
    if !has_tool("pdftotext") {
        eprintln!("SKIPPED: pdftotext (poppler-utils) is not on PATH; text extraction not checked");
        return None;
    }
    let f = pdf_file(pdf);
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(f.path())
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Some(pages)
}

fn pdfinfo_pages(pdf: &[u8]) -> Option<usize> {
    if !has_tool("pdfinfo") {
        return None;
    }
    let f = pdf_file(pdf);
    let out = Command::new("pdfinfo").arg(f.path()).output().unwrap();
    assert!(out.status.success(), "pdfinfo failed");
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
}

/// Squeezes out the spaces and line breaks pdftotext puts between lines and
/// text sections.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn assert_pdf(pdf: &[u8], name: &str) {
    assert!(pdf.starts_with(b"%PDF"), "{name}: not a PDF");
    assert!(
        pdf.len() < 200 * 1024,
        "{name}: {} bytes, the font was not subset",
        pdf.len()
    );
    // Kept for a look (pdftoppm) after the run; not part of the project.
    let _ = std::fs::write(std::env::temp_dir().join(format!("regdesk-print-{name}.pdf")), pdf);
}

fn assert_contains_all(flat: &str, expected: &[&str], text: &str) {
    for e in expected {
        assert!(flat.contains(&squeeze(e)), "missing {e:?} in:\n{text}");
    }
}

fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    assert!(bytes.starts_with(b"PK"), "not a zip file");
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn number(range: &calamine::Range<Data>, row: u32, col: u32) -> f64 {
    match cell(range, row, col) {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    }
}

fn string(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match cell(range, row, col) {
        Data::String(s) => s,
        other => panic!("({row}, {col}) is not text: {other:?}"),
    }
}

// ---------------------------------------------------------------- notices

#[test]
fn correction_notice_reads_back_with_every_reason() {
    let n = correction();
    let pdf = correction_notice(&n).unwrap();
    assert_pdf(&pdf, "correction-notice");
    assert_eq!(pdfinfo_pages(&pdf).unwrap_or(1), 1);
    let Some(pages) = pages_text(&pdf) else { return };
    let text = pages.concat();
    let flat = squeeze(&text);
    assert_contains_all(
        &flat,
        &[
            "浙江省版权局",
            "作品登记补正通知书",
            "浙作登补〔2026〕第0123号",
            "ZJ-01-20261125-0007",
            "杭州湖光影像文化传媒有限公司：",
            "西湖十景（系列摄影作品之一：断桥残雪）",
            "摄影作品",
            "请于 2026年12月25日 前补正；逾期未补正的，视为撤回登记申请",
            "审查员：王立",
            "（登记机构盖章）",
            "2026年11月28日",
            "0571-85100000",
        ],
        &text,
    );
    // Every reason whole and numbered, in order, even the long wrapped one.
    let mut last = 0;
    for (i, r) in n.reasons.iter().enumerate() {
        let numbered = squeeze(&format!("{}. {r}", i + 1));
        let at = flat
            .find(&numbered)
            .unwrap_or_else(|| panic!("reason {} broken in:\n{text}", i + 1));
        assert!(at >= last, "reason {} out of order", i + 1);
        last = at;
    }
    // The long reason really was wrapped onto several lines.
    let long_lines = text
        .lines()
        .filter(|l| n.reasons[1].contains(squeeze(l).as_str()))
        .count();
    assert!(long_lines >= 2, "long reason not wrapped:\n{text}");
}

#[test]
fn correction_notice_with_many_reasons_continues_on_a_second_page() {
    let mut n = correction();
    n.reasons = (1..=40)
        .map(|i| format!("第{i}项补正事项：请补充提交与申请登记作品相关的权属证明材料，并逐页签名确认。"))
        .collect();
    let pdf = correction_notice(&n).unwrap();
    assert_pdf(&pdf, "correction-notice-long");
    let Some(pages) = pages_text(&pdf) else { return };
    assert!(pages.len() >= 2, "expected 2+ pages, got {}", pages.len());
    let flat = squeeze(&pages.concat());
    for i in 1..=40 {
        assert!(flat.contains(&format!("{i}.第{i}项补正事项")), "reason {i} missing");
    }
    assert!(squeeze(&pages[1]).contains("作品登记补正通知书（续）"));
    // The sign-off is whole, on the last page.
    let last = squeeze(pages.last().unwrap());
    assert!(last.contains("（登记机构盖章）") && last.contains("2026年11月28日"));
}

#[test]
fn refusal_notice_reads_back_with_ground_basis_and_refund() {
    let n = refusal();
    let pdf = refusal_notice(&n).unwrap();
    assert_pdf(&pdf, "refusal-notice");
    assert_eq!(pdfinfo_pages(&pdf).unwrap_or(1), 1);
    let Some(pages) = pages_text(&pdf) else { return };
    let text = pages.concat();
    let flat = squeeze(&text);
    assert_contains_all(
        &flat,
        &[
            "浙江省版权局",
            "作品不予登记通知书",
            "浙作登不〔2026〕第0012号",
            "ZJ-01-20261120-0031",
            "林晓燕：",
            "一种提高茶叶出芽率的种植方法",
            "文字作品",
            "不予登记理由：不属于著作权法保护的作品",
            &format!("法律依据：{}", n.legal_basis),
            &format!("说明：{}", n.note),
            "已缴登记费 150.00 元将予退还",
            "审查员：王立",
            "复核员：李娜",
            "（登记机构盖章）",
            "2026年11月28日",
        ],
        &text,
    );
}

#[test]
fn refusal_without_payment_says_nothing_about_a_refund() {
    let mut n = refusal();
    n.refund_fen = None;
    n.note.clear();
    let pdf = refusal_notice(&n).unwrap();
    let Some(pages) = pages_text(&pdf) else { return };
    let flat = squeeze(&pages.concat());
    assert!(!flat.contains("退还"));
    assert!(!flat.contains("说明："));
    assert!(flat.contains("不属于著作权法保护的作品"));
}

#[test]
fn notices_refuse_a_serial_the_barcode_cannot_carry() {
    let mut c = correction();
    c.serial.clear();
    assert_eq!(correction_notice(&c).unwrap_err().code(), "barcode_empty");
    let mut r = refusal();
    r.serial = "ZJ-流水".into();
    let err = refusal_notice(&r).unwrap_err();
    assert_eq!(err.code(), "barcode_unsupported_char");
    assert!(err.to_string().starts_with("流水号无法打印为条码"));
}

// ---------------------------------------------------------------- day report

#[test]
fn day_report_flows_over_pages_with_the_header_on_each() {
    let r = report(120);
    let pdf = day_report(&r).unwrap();
    assert_pdf(&pdf, "day-report");
    let Some(pages) = pages_text(&pdf) else { return };
    if let Some(n) = pdfinfo_pages(&pdf) {
        assert_eq!(n, pages.len());
    }
    assert!(pages.len() > 1, "120 rows on {} page(s)", pages.len());
    let last = pages.last().map(|p| squeeze(p)).unwrap_or_default();
    assert!(
        last.contains(&squeeze("审计链末条：第 1024 条，哈希 3f5a0c9e1b2d4f68")),
        "{last}"
    );
    let total = pages.len();
    for (i, p) in pages.iter().enumerate() {
        let flat = squeeze(p);
        for col in [
            "日期",
            "缴费方式",
            "到账笔数",
            "到账金额",
            "已确认笔数",
            "已确认金额",
            "待核笔数",
            "待核金额",
            "退回笔数",
            "退回金额",
            "退费笔数",
            "退费金额",
        ] {
            assert!(flat.contains(col), "page {}: header {col} missing:\n{p}", i + 1);
        }
        assert!(
            flat.contains(&format!("第{}页，共{total}页", i + 1)),
            "page {} footer",
            i + 1
        );
        if i > 0 {
            assert!(flat.contains("收费日报（续）"), "page {}: running header", i + 1);
        }
    }
    let first = squeeze(&pages[0]);
    assert_contains_all(
        &first,
        &[
            "收费日报",
            "浙江省版权局",
            "统计期间：2026年11月01日 至 2026年11月30日",
            "制表人：周明",
            "制表时间：2026年11月30日 17:05",
        ],
        &pages[0],
    );
    // Every row made it, in order, and the totals close the last page.
    let all = squeeze(&pages.concat());
    let mut last = 0;
    for row in &r.rows {
        let start = squeeze(&format!(
            "{} {} {} {}",
            row.date,
            row.method,
            row.received_count,
            yuan(row.received_fen)
        ));
        let at = last
            + all[last..]
                .find(&start)
                .unwrap_or_else(|| panic!("row {start} missing or out of order"));
        last = at + start.len();
    }
    // A whole row, rejected figures included, in the desk's column order.
    let row = &r.rows[1];
    assert_eq!((row.rejected_count, row.rejected_fen), (1, 12_345));
    let whole = squeeze(&format!(
        "{} {} {} {} {} {} {} {} {} {} {} {}",
        row.date,
        row.method,
        row.received_count,
        yuan(row.received_fen),
        row.confirmed_count,
        yuan(row.confirmed_fen),
        row.pending_count,
        yuan(row.pending_fen),
        row.rejected_count,
        yuan(row.rejected_fen),
        row.refund_count,
        yuan(row.refund_fen)
    ));
    assert!(all.contains(&whole), "row {whole} missing");
    let t = r.totals();
    let totals_line = squeeze(&format!(
        "合计 {} {} {} {} {} {} {} {} {} {}",
        t.received_count,
        yuan(t.received_fen),
        t.confirmed_count,
        yuan(t.confirmed_fen),
        t.pending_count,
        yuan(t.pending_fen),
        t.rejected_count,
        yuan(t.rejected_fen),
        t.refund_count,
        yuan(t.refund_fen)
    ));
    assert!(
        squeeze(pages.last().unwrap()).contains(&totals_line),
        "totals {totals_line} missing:\n{}",
        pages.last().unwrap()
    );
}

#[test]
fn day_report_totals_add_up() {
    let r = report(8);
    let t = r.totals();
    assert_eq!(t.date, "合计");
    assert_eq!(t.received_count, r.rows.iter().map(|x| x.received_count).sum::<u32>());
    assert_eq!(t.received_fen, r.rows.iter().map(|x| x.received_fen).sum::<i64>());
    assert_eq!(t.refund_fen, 15_000);
    assert_eq!((t.rejected_count, t.rejected_fen), (4, 4 * 12_345));
    let pdf = day_report(&r).unwrap();
    assert_pdf(&pdf, "day-report-short");
    assert_eq!(pdfinfo_pages(&pdf).unwrap_or(1), 1);
}

#[test]
fn empty_day_report_still_prints() {
    let mut r = report(0);
    r.rows.clear();
    let pdf = day_report(&r).unwrap();
    let Some(pages) = pages_text(&pdf) else { return };
    let flat = squeeze(&pages.concat());
    assert!(flat.contains("本期无收费记录"));
    assert!(flat.contains("合计00.0000.0000.0000.00"), "{flat}");
}

// ---------------------------------------------------------------- spreadsheets

#[test]
fn invoice_list_opens_with_text_and_numbers() {
    let rows = invoices();
    let bytes = invoice_list_xlsx(&rows).unwrap();
    let mut wb = workbook(&bytes);
    assert_eq!(wb.sheet_names(), vec!["开票清单".to_string()]);
    let range = wb.worksheet_range("开票清单").unwrap();
    let header: Vec<String> = (0..8).map(|c| string(&range, 0, c)).collect();
    assert_eq!(
        header,
        [
            "流水号",
            "缴费日期",
            "付款人/购买方名称",
            "纳税人识别号(统一社会信用代码)",
            "金额(元)",
            "发票接收邮箱",
            "作品名称",
            "备注"
        ]
    );
    assert_eq!(string(&range, 1, 0), "ZJ-01-20261125-0007");
    assert_eq!(string(&range, 1, 1), "2026年11月25日");
    assert_eq!(string(&range, 1, 2), "杭州湖光影像文化传媒有限公司");
    assert_eq!(string(&range, 1, 3), "91330106MA2KXXXX3Q");
    assert!((number(&range, 1, 4) - 1350.0).abs() < 1e-9);
    assert_eq!(string(&range, 1, 5), "finance@huguang-image.example.cn");
    assert_eq!(string(&range, 1, 6), "西湖十景（系列摄影作品之一：断桥残雪）");
    assert_eq!(string(&range, 1, 7), "加急");
    // A natural person has no tax number: the cell stays empty.
    assert_eq!(string(&range, 2, 2), "林晓燕");
    assert_eq!(cell(&range, 2, 3), Data::Empty);
    assert!((number(&range, 2, 4) - 300.5).abs() < 1e-9);
    assert_eq!(cell(&range, 3, 0), Data::Empty);
}

#[test]
fn invoice_list_may_be_empty() {
    let bytes = invoice_list_xlsx(&[]).unwrap();
    let mut wb = workbook(&bytes);
    let range = wb.worksheet_range("开票清单").unwrap();
    assert_eq!(string(&range, 0, 0), "流水号");
    assert_eq!(cell(&range, 1, 0), Data::Empty);
}

#[test]
fn day_report_sheet_has_rows_totals_and_formulas() {
    let r = report(120);
    let bytes = day_report_xlsx(&r).unwrap();
    let mut wb = workbook(&bytes);
    let range = wb.worksheet_range("收费日报").unwrap();
    assert_eq!(string(&range, 0, 0), "浙江省版权局 收费日报");
    assert!(string(&range, 1, 0).contains("2026年11月01日 至 2026年11月30日"));
    assert!(string(&range, 2, 0).contains("周明"));
    // The audit chain's head two rows under the totals (4 + 120 data rows, totals at 124).
    assert_eq!(string(&range, 126, 0), "审计链末条：第 1024 条，哈希 3f5a0c9e1b2d4f68");
    let header: Vec<String> = (0..12).map(|c| string(&range, 3, c)).collect();
    assert_eq!(
        header,
        [
            "日期",
            "缴费方式",
            "到账笔数",
            "到账金额",
            "已确认笔数",
            "已确认金额",
            "待核笔数",
            "待核金额",
            "退回笔数",
            "退回金额",
            "退费笔数",
            "退费金额"
        ]
    );
    // Data rows: text, counts and amounts in yuan.
    for (i, row) in r.rows.iter().enumerate() {
        let at = 4 + i as u32;
        assert_eq!(string(&range, at, 0), row.date);
        assert_eq!(string(&range, at, 1), row.method);
        assert!((number(&range, at, 2) - f64::from(row.received_count)).abs() < 1e-9);
        assert!((number(&range, at, 3) * 100.0 - row.received_fen as f64).abs() < 1e-6);
        assert!((number(&range, at, 8) - f64::from(row.rejected_count)).abs() < 1e-9);
        assert!((number(&range, at, 9) * 100.0 - row.rejected_fen as f64).abs() < 1e-6);
        assert!((number(&range, at, 11) * 100.0 - row.refund_fen as f64).abs() < 1e-6);
    }
    // Totals: SUM formulas with their values cached.
    let total_row = 4 + r.rows.len() as u32;
    let t = r.totals();
    assert_eq!(string(&range, total_row, 0), "合计");
    assert!((number(&range, total_row, 2) - f64::from(t.received_count)).abs() < 1e-9);
    assert!((number(&range, total_row, 3) * 100.0 - t.received_fen as f64).abs() < 1e-4);
    assert!((number(&range, total_row, 7) * 100.0 - t.pending_fen as f64).abs() < 1e-4);
    assert!((number(&range, total_row, 9) * 100.0 - t.rejected_fen as f64).abs() < 1e-4);
    let formulas = wb.worksheet_formula("收费日报").unwrap();
    let f = formulas.get_value((total_row, 3)).cloned().unwrap_or_default();
    assert_eq!(f.trim_start_matches('='), "SUM(D5:D124)");
}

#[test]
fn empty_day_report_sheet_has_zero_totals() {
    let mut r = report(0);
    r.rows.clear();
    let bytes = day_report_xlsx(&r).unwrap();
    let mut wb = workbook(&bytes);
    let range = wb.worksheet_range("收费日报").unwrap();
    assert_eq!(string(&range, 4, 0), "合计");
    assert!(number(&range, 4, 3).abs() < 1e-12);
}

#[test]
fn xlsx_failures_carry_a_code_and_a_chinese_message() {
    let e = PrintError::Xlsx("磁盘已满".into());
    assert_eq!(e.code(), "xlsx_write_failed");
    assert!(e.to_string().starts_with("电子表格"), "{e}");
}
