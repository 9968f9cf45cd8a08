//! The certificate read back the way a person and a scanner would: the text
//! through poppler's pdftotext, the page size through pdfinfo, the QR code
//! through pdftoppm at 300 dpi and zbarimg, positions through pdftotext -bbox.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};

use regdesk_print::{
    calibration_page, certificate, certificate_batch, Certificate, CertificateMode, PrintError, SheetLayout,
};

const LINK: &str =
    "https://zb.example.cn/verify?no=%E6%B5%99%E4%BD%9C%E7%99%BB%E5%AD%97-2026-F-00000012&code=7K3M9QXT2D";

fn sample() -> Certificate {
    Certificate {
        office_name: "浙江省版权局".into(),
        registration_number: "浙作登字-2026-F-00000012".into(),
        work_title: "西湖十景之断桥残雪".into(),
        category: "美术作品".into(),
        authors: vec!["林晓燕".into(), "王立".into()],
        owners: vec!["杭州湖光影像文化传媒有限公司".into()],
        completed_on: "2026年03月07日".into(),
        published_on: None,
        applicant: "杭州湖光影像文化传媒有限公司".into(),
        registered_on: "2026年11月25日".into(),
        verification_link: LINK.into(),
    }
}

fn has_tool(name: &str) -> bool {
    let ok = Command::new(name)
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !ok {
        eprintln!("SKIPPED: {name} is not on PATH");
    }
    ok
}

fn pdf_file(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    f.write_all(pdf).unwrap();
    f.flush().unwrap();
    f
}

fn text_of(pdf: &[u8]) -> String {
    let f = pdf_file(pdf);
    let out = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(f.path())
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Asserts that every piece occurs in `flat`, each after the one before.
fn assert_in_order(text: &str, pieces: &[&str]) {
    let flat = squeeze(text);
    let mut at = 0;
    for p in pieces {
        let p = squeeze(p);
        match flat[at..].find(&p) {
            Some(i) => at += i + p.len(),
            None => panic!("{p:?} missing or out of order in:\n{text}"),
        }
    }
}

fn pdfinfo(pdf: &[u8]) -> String {
    let f = pdf_file(pdf);
    let out = Command::new("pdfinfo").arg(f.path()).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Positions (xMin, yMin) in pt of the words pdftotext -bbox finds, with their text.
fn words(pdf: &[u8]) -> Vec<(String, f32, f32)> {
    let f = pdf_file(pdf);
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(f.path())
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f32 {
        let key = format!("{name}=\"");
        let start = tag.find(&key).unwrap() + key.len();
        let end = tag[start..].find('"').unwrap() + start;
        tag[start..end].parse().unwrap()
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap().to_string();
            (text, attr(tag, "xMin"), attr(tag, "yMin"))
        })
        .collect()
}

#[test]
fn the_certificate_reads_back_field_by_field_in_the_national_order() {
    let pdf = certificate(&sample()).unwrap();
    assert!(pdf.len() <= 150 * 1024, "{} bytes: more than 150 KB", pdf.len());
    let _ = std::fs::write(std::env::temp_dir().join("regdesk-print-certificate.pdf"), &pdf);
    if !has_tool("pdftotext") {
        return;
    }
    let text = text_of(&pdf);
    assert_in_order(
        &text,
        &[
            "作品登记证书",
            "登记号：浙作登字-2026-F-00000012",
            "作品名称：西湖十景之断桥残雪",
            "作品类别：美术作品",
            "作者：林晓燕、王立",
            "著作权人：杭州湖光影像文化传媒有限公司",
            "创作完成日期：2026年03月07日",
            "首次发表日期：未发表",
            "以上事项，由杭州湖光影像文化传媒有限公司申请，经浙江省版权局审核，根据《作品自愿登记试行办法》规定，予以登记。",
            "登记日期：2026年11月25日",
            "中华人民共和国国家版权局统一监制",
            "作品自愿登记",
            "专用章",
        ],
    );
    let info = pdfinfo(&pdf);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
}

#[test]
fn a_published_work_shows_its_date_and_long_names_wrap_whole() {
    let mut c = sample();
    c.published_on = Some("2026年04月01日".into());
    c.authors = (1..=24).map(|i| format!("作者姓名第{i}号")).collect();
    c.work_title = "一部名字非常非常长的系列美术作品：江南水乡四季风物图卷（共十二幅）之第三幅《春雨杏花》".into();
    let pdf = certificate(&c).unwrap();
    if !has_tool("pdftotext") {
        return;
    }
    let text = text_of(&pdf);
    let flat = squeeze(&text);
    assert!(flat.contains("首次发表日期：2026年04月01日"), "{text}");
    assert!(!flat.contains("未发表"), "{text}");
    assert!(flat.contains(&squeeze(&c.work_title)), "title cut: {text}");
    let authors = c.authors.join("、");
    assert!(flat.contains(&authors), "authors cut: {text}");
}

#[test]
fn the_qr_code_scans_to_the_verification_link() {
    let pdf = certificate(&sample()).unwrap();
    if !has_tool("pdftoppm") || !has_tool("zbarimg") {
        return;
    }
    let f = pdf_file(&pdf);
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let st = Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile"])
        .arg(f.path())
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(st.success());
    let out = Command::new("zbarimg")
        .args(["--raw", "-q", "-Sdisable", "-Sqrcode.enable"])
        .arg(dir.path().join("page.png"))
        .output()
        .unwrap();
    assert!(out.status.success(), "zbarimg found no QR code");
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), LINK);
}

#[test]
fn overprint_prints_the_data_only_moved_by_the_printers_offset() {
    let plain = SheetLayout {
        mode: CertificateMode::Overprint,
        offset_x_mm: 0.0,
        offset_y_mm: 0.0,
    };
    let moved = SheetLayout {
        offset_x_mm: 3.0,
        offset_y_mm: -2.5,
        ..plain
    };
    let a = certificate_batch(&[sample()], &plain, &mut |_, _| true).unwrap();
    let b = certificate_batch(&[sample()], &moved, &mut |_, _| true).unwrap();
    if !has_tool("pdftotext") {
        return;
    }
    let text = text_of(&a);
    let flat = squeeze(&text);
    for absent in ["作品登记证书", "登记号：", "作品名称：", "统一监制", "专用章"] {
        assert!(!flat.contains(absent), "overprint printed {absent:?}: {text}");
    }
    assert_in_order(
        &text,
        &[
            "浙作登字-2026-F-00000012",
            "西湖十景之断桥残雪",
            "美术作品",
            "2026年11月25日",
        ],
    );

    let (wa, wb) = (words(&a), words(&b));
    assert_eq!(wa.len(), wb.len());
    assert!(!wa.is_empty());
    let pt = 72.0 / 25.4;
    for ((ta, xa, ya), (tb, xb, yb)) in wa.iter().zip(wb.iter()) {
        assert_eq!(ta, tb);
        assert!((xb - xa - 3.0 * pt).abs() < 0.05, "{ta}: x {xa} → {xb}");
        assert!((yb - ya + 2.5 * pt).abs() < 0.05, "{ta}: y {ya} → {yb}");
    }
}

#[test]
fn a_batch_is_one_pdf_with_a_page_per_certificate_in_the_order_given() {
    let items: Vec<Certificate> = (1..=3)
        .map(|i| Certificate {
            registration_number: format!("浙作登字-2026-F-0000001{i}"),
            ..sample()
        })
        .collect();
    let mut seen = 0;
    let pdf = certificate_batch(&items, &SheetLayout::default(), &mut |done, total| {
        seen = done;
        assert_eq!(total, 3);
        true
    })
    .unwrap();
    assert_eq!(seen, 3);
    if !has_tool("pdftotext") {
        return;
    }
    let text = text_of(&pdf);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(pages.len(), 3);
    for (i, p) in pages.iter().enumerate() {
        assert!(squeeze(p).contains(&format!("浙作登字-2026-F-0000001{}", i + 1)), "{p}");
    }
    assert!(pdfinfo(&pdf).contains("Pages:           3"));
}

#[test]
fn cancelling_a_batch_gives_no_pdf() {
    let items = vec![sample(); 4];
    let r = certificate_batch(&items, &SheetLayout::default(), &mut |done, _| done < 3);
    assert_eq!(r, Err(PrintError::Cancelled));
    assert_eq!(PrintError::Cancelled.code(), "cancelled");
}

#[test]
fn the_calibration_page_names_the_printer_and_its_offset() {
    let layout = SheetLayout {
        mode: CertificateMode::Overprint,
        offset_x_mm: 1.5,
        offset_y_mm: -2.0,
    };
    let pdf = calibration_page(&layout, "证书打印机-1").unwrap();
    let _ = std::fs::write(std::env::temp_dir().join("regdesk-print-calibration.pdf"), &pdf);
    if !has_tool("pdftotext") {
        return;
    }
    let text = text_of(&pdf);
    assert_in_order(
        &text,
        &[
            "证书打印校准页",
            "打印机：证书打印机-1",
            "套打",
            "水平 +1.5 mm",
            "垂直 -2.0 mm",
        ],
    );
    assert!(pdfinfo(&pdf).contains("(A4)"));
}
