//! The delivery documents read back as a person and a scanner would: text through
//! pdftotext, page size through pdfinfo, each Code 128 through zbarimg after pdftoppm at
//! 300 dpi.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

use regdesk_print::{
    acceptance_notice, handover_receipt, labels, shipping_list, text_sheet_xlsx, AcceptanceNotice, HandoverReceipt,
    ReceiptLine, ShippingLabel, ShippingList, ShippingListRow,
};

fn pdf_file(dir: &Path, name: &str, pdf: &[u8]) -> std::path::PathBuf {
    // REGDESK_KEEP_PRINTS=dir keeps a copy to look at.
    if let Some(keep) = std::env::var_os("REGDESK_KEEP_PRINTS") {
        std::fs::write(Path::new(&keep).join(name), pdf).unwrap();
    }
    let p = dir.join(name);
    let mut f = std::fs::File::create(&p).unwrap();
    f.write_all(pdf).unwrap();
    p
}

fn text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Page sizes in points, from pdfinfo -f 1 -l N.
fn page_sizes(pdf: &Path) -> Vec<(f32, f32)> {
    let out = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "9999"])
        .arg(pdf)
        .output()
        .expect("pdfinfo is needed");
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .map(|l| {
            let after = l.split("size:").nth(1).unwrap();
            let nums: Vec<f32> = after.split_whitespace().filter_map(|w| w.parse::<f32>().ok()).collect();
            (nums[0], nums[1])
        })
        .collect()
}

/// Every barcode zbarimg finds on each page (rendered at 300 dpi), page by page.
fn barcodes(dir: &Path, pdf: &Path) -> Vec<Vec<String>> {
    let prefix = dir.join(format!("{}-page", pdf.file_stem().unwrap().to_string_lossy()));
    let st = Command::new("pdftoppm")
        .args(["-r", "300", "-gray", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm is needed");
    assert!(st.success());
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&*prefix.file_name().unwrap().to_string_lossy())
        })
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|png| {
            let out = Command::new("zbarimg")
                .args(["--quiet", "--raw"])
                .arg(png)
                .output()
                .expect("zbarimg (zbar-tools) is needed");
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn label(i: usize, n: usize) -> ShippingLabel {
    ShippingLabel {
        code: format!("YJ-7KQ2-261206{:03}", i + 1),
        recipient_name: format!("周明{i}"),
        recipient_phone: "13800000000".into(),
        recipient_address: "浙江省杭州市西湖区文三路 477 号华星科技大厦 12 楼 1203 室（杭州湖光影像文化传媒有限公司）"
            .into(),
        sender_name: "浙江省版权局".into(),
        sender_phone: "0571-85100000".into(),
        sender_address: "浙江省杭州市西湖区文二路 1 号 浙江版权服务中心".into(),
        numbers: (0..n)
            .map(|k| format!("浙作登字-2026-F-{:08}", 100 + i * 10 + k))
            .collect(),
    }
}

const MM_PT: f32 = 72.0 / 25.4;

#[test]
fn labels_are_100_by_150_mm_read_back_and_each_code_128_scans() {
    let dir = tempfile::tempdir().unwrap();
    let ls = vec![label(0, 1), label(1, 3), label(2, 40)];
    let pdf = labels(100.0, 150.0, &ls).unwrap();
    let path = pdf_file(dir.path(), "labels.pdf", &pdf);
    let sizes = page_sizes(&path);
    assert_eq!(sizes.len(), 3, "one page per recipient");
    for (w, h) in sizes {
        assert!(
            (w - 100.0 * MM_PT).abs() < 0.5 && (h - 150.0 * MM_PT).abs() < 0.5,
            "{w}×{h} pt"
        );
    }
    let t = text(&path);
    let pages: Vec<String> = t.split('\u{c}').map(squeeze).collect();
    for (i, l) in ls.iter().enumerate() {
        let p = &pages[i];
        for want in [
            "到付",
            "收件人",
            &l.recipient_name,
            "13800000000",
            "浙江省杭州市西湖区文三路477号",
            "寄件人：浙江省版权局0571-85100000",
            &format!("内件：作品登记证书×{}", l.numbers.len()),
            &l.code,
        ] {
            assert!(p.contains(&squeeze(want)), "page {i} lacks {want}: {p}");
        }
        assert!(p.contains(&l.numbers[0]), "{p}");
    }
    // A number is never split across lines: pdftotext reads each whole, line by line.
    let raw = text(&path);
    let second = raw.split('\u{c}').nth(1).unwrap();
    for n in &ls[1].numbers {
        assert!(
            second.lines().any(|line| line.contains(n.as_str())),
            "{n} split: {second}"
        );
    }
    // The long list is cut with a note, never run into the barcode.
    assert!(pages[2].contains("共40件"), "{}", pages[2]);
    let codes = barcodes(dir.path(), &path);
    assert_eq!(codes.len(), 3);
    for (i, l) in ls.iter().enumerate() {
        assert_eq!(codes[i], vec![l.code.clone()], "label {i}");
    }
}

#[test]
fn every_sf_stock_size_gives_its_page_and_a_scannable_code() {
    let dir = tempfile::tempdir().unwrap();
    for (w, h) in [(100.0, 180.0), (100.0, 210.0), (76.0, 130.0)] {
        let pdf = labels(w, h, &[label(5, 2)]).unwrap();
        let path = pdf_file(dir.path(), &format!("l{w}x{h}.pdf"), &pdf);
        let (pw, ph) = page_sizes(&path)[0];
        assert!((pw - w * MM_PT).abs() < 0.5 && (ph - h * MM_PT).abs() < 0.5, "{w}×{h}");
        assert_eq!(barcodes(dir.path(), &path), vec![vec![label(5, 2).code]], "{w}×{h}");
        assert!(squeeze(&text(&path)).contains("到付"));
    }
}

#[test]
fn a_label_with_a_non_ascii_code_is_refused() {
    let mut l = label(0, 1);
    l.code = "邮件1".into();
    assert_eq!(
        labels(100.0, 150.0, &[l]).unwrap_err().code(),
        "barcode_unsupported_char"
    );
}

#[test]
fn the_acceptance_notice_reads_in_order_and_its_serial_scans() {
    let dir = tempfile::tempdir().unwrap();
    let n = AcceptanceNotice {
        office_name: "浙江省版权局".into(),
        serial: "ZJ-7KQ2-20261125-0007".into(),
        work_title: "西湖十景（系列摄影作品之一：断桥残雪）".into(),
        category: "摄影作品".into(),
        applicant: "杭州湖光影像文化传媒有限公司".into(),
        accepted_on: "2026年11月25日".into(),
        working_days: 30,
        due_on: "2027年01月08日".into(),
        delivery: "自领".into(),
        issued_on: "2026年11月25日".into(),
    };
    let pdf = acceptance_notice(&n).unwrap();
    let path = pdf_file(dir.path(), "notice.pdf", &pdf);
    let t = squeeze(&text(&path));
    let mut at = 0;
    for want in [
        "浙江省版权局",
        "作品登记受理通知书",
        "杭州湖光影像文化传媒有限公司：",
        "予以受理",
        "流水号ZJ-7KQ2-20261125-0007",
        "作品名称西湖十景（系列摄影作品之一：断桥残雪）",
        "作品类别摄影作品",
        "受理日期2026年11月25日",
        "办结时限30个工作日（2027年01月08日前办结）",
        "遗失说明",
        "授权委托书",
    ] {
        let w = squeeze(want);
        let pos = t[at..]
            .find(&w)
            .unwrap_or_else(|| panic!("{want} not after byte {at}: {t}"));
        at += pos;
    }
    let (w, h) = page_sizes(&path)[0];
    assert!((w - 595.3).abs() < 1.0 && (h - 841.9).abs() < 1.0, "A4");
    assert_eq!(barcodes(dir.path(), &path), vec![vec![n.serial.clone()]]);
}

#[test]
fn the_receipt_lists_each_certificate_and_the_collector() {
    let dir = tempfile::tempdir().unwrap();
    let r = HandoverReceipt {
        office_name: "浙江省版权局".into(),
        number: "LQ-7KQ2-261206001".into(),
        lines: (0..12)
            .map(|i| ReceiptLine {
                registration_number: format!("浙作登字-2026-F-{:08}", 200 + i),
                work_title: format!("山水长卷之{i}"),
                serial: format!("ZJ-7KQ2-20261125-{:04}", i + 1),
            })
            .collect(),
        collector_kind: "代理人".into(),
        collector_name: "李代理".into(),
        id_type: "居民身份证".into(),
        id_number: "110105********002X".into(),
        documents: "身份证件、受理通知书、授权委托书".into(),
        at: "2026年12月06日 10:35".into(),
        clerk: "刘洋".into(),
    };
    let pdf = handover_receipt(&r).unwrap();
    let path = pdf_file(dir.path(), "receipt.pdf", &pdf);
    let t = squeeze(&text(&path));
    for want in [
        "作品登记证书签收单",
        "领取登记号：LQ-7KQ2-261206001",
        "共12本",
        "浙作登字-2026-F-00000200",
        "浙作登字-2026-F-00000211",
        "李代理（代理人）",
        "居民身份证110105********002X",
        "身份证件、受理通知书、授权委托书",
        "领取人签字",
        "刘洋",
    ] {
        assert!(t.contains(&squeeze(want)), "{want}: {t}");
    }
    assert!(!t.contains("11010519491231002X"));
    assert!(!t.contains("流水号：LQ"), "the handover number is not a case serial");
    assert_eq!(barcodes(dir.path(), &path)[0], vec![r.number.clone()]);
}

#[test]
fn the_shipping_list_and_the_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let l = ShippingList {
        office_name: "浙江省版权局".into(),
        day: "2026年12月06日".into(),
        printed_at: "2026年12月06日 16:00".into(),
        rows: (0..30)
            .map(|i| ShippingListRow {
                waybill: format!("SF{:013}", 1_234_567_890_000u64 + i),
                code: format!("YJ-7KQ2-261206{:03}", i + 1),
                recipient_name: format!("收件人{i}"),
                recipient_phone: "138****0000".into(),
                recipient_address: "浙江省杭州市西湖区******".into(),
                numbers: vec![format!("浙作登字-2026-F-{:08}", 300 + i)],
                clerk: "刘洋".into(),
            })
            .collect(),
    };
    let pdf = shipping_list(&l).unwrap();
    let path = pdf_file(dir.path(), "list.pdf", &pdf);
    let t = squeeze(&text(&path));
    assert!(t.contains("证书邮寄清单"));
    assert!(t.contains("共30件邮件，30本证书"));
    assert!(t.contains("SF1234567890000") && t.contains("SF1234567890029"), "{t}");

    let xlsx = text_sheet_xlsx(
        "邮寄清单",
        &["运单号".to_string(), "收件人".to_string()],
        &[vec!["SF1234567890123".into(), "周明".into()]],
    )
    .unwrap();
    assert!(xlsx.starts_with(b"PK"));
}
