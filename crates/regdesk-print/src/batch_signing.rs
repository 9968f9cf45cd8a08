//! The batch signing form (作品登记申请签章表（一人一表）): where the office
//! allows it, one signer signs one paper form for every work of a batch they
//! sign (docs/DOMAIN.md §5). A4 portrait: the office and the title, the
//! applicant and the signer, the declaration, a ruled table of every case
//! (serial, title, category, how the signer signs it) and the signature line.
//! Long batches flow onto more pages with the table's header repeated.

use printpdf::PdfDocument;
use serde::{Deserialize, Serialize};

use crate::canvas::{save, Canvas, Col, Table, MARGIN};
use crate::font::font;
use crate::PrintError;

/// Everything printed on one signer's batch form, already formatted by the store.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BatchSigningForm {
    /// Name of the registering office (登记机构).
    pub office_name: String,
    /// The applicant who submitted the batch together (申请人).
    pub applicant: String,
    /// The signer's name as on the signing sheets (签章人).
    pub signer_name: String,
    /// The signer's ID number as the store chooses to print it.
    pub signer_id: String,
    /// The guardian who signs for a minor, if any (监护人).
    pub guardian_name: Option<String>,
    /// Every case the signer signs on this form, in the batch's order.
    pub cases: Vec<BatchSigningCase>,
    /// Date printed (打印日期), e.g. "2026年11月25日".
    pub printed_on: String,
}

/// One work on the batch form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BatchSigningCase {
    /// 流水号
    pub serial: String,
    /// 作品名称
    pub title: String,
    /// 作品类别
    pub category: String,
    /// How the signer signs this case, e.g. 著作权人（第 1 位）/ 执笔者.
    pub role: String,
}

const TITLE: &str = "作品登记申请签章表（一人一表）";
const BODY: f32 = 11.0;

/// Renders one signer's batch signing form as PDF bytes (A4 portrait).
pub fn batch_signing_form(f: &BatchSigningForm) -> Result<Vec<u8>, PrintError> {
    let font = font()?;
    let mut doc = PdfDocument::new(&format!("{TITLE} {}", f.signer_name));
    let font_id = doc.add_font(font);
    let mut c = Canvas::new(font, font_id, TITLE, &format!("签章人 {}", f.signer_name));
    let (x0, x1) = (c.left(), c.right());
    c.text_centered(x0, x1, MARGIN + 6.0, 15.0, &f.office_name);
    c.text_centered(x0, x1, MARGIN + 15.5, 18.0, TITLE);
    c.y = MARGIN + 19.0;
    c.hline(x0, x1, c.y, 1.2);
    c.y += 6.0;

    c.paragraph(MARGIN, BODY, "申请人：", f.applicant.trim(), 1.5);
    let signer = match &f.guardian_name {
        Some(g) => format!("{}（由监护人 {} 代为签章）", f.signer_name.trim(), g.trim()),
        None => f.signer_name.trim().to_string(),
    };
    c.paragraph(MARGIN, BODY, "签章人：", &signer, 1.5);
    c.paragraph(MARGIN, BODY, "签章所用证件号码：", f.signer_id.trim(), 1.5);
    c.paragraph(
        MARGIN,
        BODY,
        "",
        &format!(
            "　　本人确认：下列 {} 件作品由申请人一并提交登记，各作品登记申请表所填内容及所附材料真实、合法，\
             如有不实，愿承担相应法律责任。本表一次签章，对下列每件作品有效。",
            f.cases.len()
        ),
        3.0,
    );

    let w = c.content_w();
    let cols = [
        Col::center(12.0),
        Col::left(48.0),
        Col::left(w - 12.0 - 48.0 - 26.0 - 38.0),
        Col::left(26.0),
        Col::left(38.0),
    ];
    let header = ["序号", "流水号", "作品名称", "作品类别", "签章身份"];
    let t = Table {
        cols: &cols,
        header: Some(&header),
        size: 9.5,
        min_row_h: 0.0,
        v_center: false,
    };
    let rows: Vec<Vec<String>> = f
        .cases
        .iter()
        .enumerate()
        .map(|(i, k)| {
            vec![
                (i + 1).to_string(),
                k.serial.clone(),
                k.title.clone(),
                k.category.clone(),
                k.role.clone(),
            ]
        })
        .collect();
    c.table(&t, &rows);

    // The signature line, kept together.
    let lh = Canvas::line_h(BODY);
    c.y += 10.0;
    c.ensure(3.0 * (lh + 6.0));
    let base = Canvas::baseline_in(c.y, BODY);
    c.text(x0, base, BODY, "签章人签字（盖章）：");
    c.hline(x0 + 42.0, x0 + 110.0, base + 1.0, 0.4);
    c.text(x0 + 118.0, base, BODY, "日期：");
    c.hline(x0 + 131.0, x1, base + 1.0, 0.4);
    c.y += lh + 8.0;
    c.text(
        x0,
        Canvas::baseline_in(c.y, 9.0),
        9.0,
        &format!("打印日期：{}　　共 {} 件作品", f.printed_on, f.cases.len()),
    );
    c.y += lh;
    save(doc, c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn pdftotext(pdf: &[u8]) -> Option<String> {
        let mut child = Command::new("pdftotext")
            .args(["-raw", "-", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        child.stdin.take()?.write_all(pdf).ok()?;
        let out = child.wait_with_output().ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn form(n: usize) -> BatchSigningForm {
        BatchSigningForm {
            office_name: "浙江省版权局".into(),
            applicant: "杭州湖光影像文化传媒有限公司".into(),
            signer_name: "林晓雨".into(),
            signer_id: "330106********1225".into(),
            guardian_name: None,
            cases: (1..=n)
                .map(|i| BatchSigningCase {
                    serial: format!("ZJ-7F3A-20261206-{i:04}"),
                    title: format!("西湖写生第{i}号"),
                    category: "美术".into(),
                    role: "著作权人（第 1 位）".into(),
                })
                .collect(),
            printed_on: "2026年12月06日".into(),
        }
    }

    #[test]
    fn the_form_lists_every_case_in_order_and_reads_back() {
        let pdf = batch_signing_form(&form(3)).unwrap();
        std::fs::write(std::env::temp_dir().join("regdesk-batch-signing-form.pdf"), &pdf).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let Some(t) = pdftotext(&pdf) else {
            eprintln!("SKIPPED: pdftotext (poppler-utils) is not on PATH; text extraction not checked");
            return;
        };
        let flat: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        let mut at = 0;
        for want in [
            TITLE,
            "杭州湖光影像文化传媒有限公司",
            "林晓雨",
            "下列3件作品",
            "ZJ-7F3A-20261206-0001",
            "西湖写生第1号",
            "ZJ-7F3A-20261206-0002",
            "ZJ-7F3A-20261206-0003",
            "签章人签字（盖章）：",
        ] {
            let found = flat[at..]
                .find(want)
                .unwrap_or_else(|| panic!("{want} after {at} in {flat}"));
            at += found + want.len();
        }
    }

    #[test]
    fn a_long_batch_flows_onto_more_pages() {
        let pdf = batch_signing_form(&form(120)).unwrap();
        let Some(t) = pdftotext(&pdf) else {
            return;
        };
        assert!(t.contains("ZJ-7F3A-20261206-0120"), "{t}");
        assert!(t.matches('\u{c}').count() >= 2, "several pages");
    }
}
