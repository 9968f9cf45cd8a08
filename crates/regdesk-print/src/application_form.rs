//! The application form (作品登记申请表) that the applicant signs at the counter.

use printpdf::PdfDocument;
use serde::{Deserialize, Serialize};

use crate::barcode::{encode_b, QUIET_ZONE_MODULES};
use crate::canvas::{save, Canvas, Col, Table, CONTENT_W, MARGIN, PAGE_W};
use crate::font::font;
use crate::PrintError;

/// Everything printed on the application form (作品登记申请表), already
/// formatted by the store (dates as "2026年11月25日").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ApplicationForm {
    /// Name of the registering office (登记机构), e.g. "浙江省版权局".
    pub office_name: String,
    /// Case serial (流水号), e.g. "ZJ-01-20261125-0007"; printed as text and as
    /// a Code 128 barcode, so printable ASCII only.
    pub serial: String,
    /// Print date (打印日期), e.g. "2026年11月25日".
    pub printed_on: String,
    /// Title of the work (作品名称).
    pub title: String,
    /// Category label (作品类别).
    pub category: String,
    /// Nature of creation (创作性质), with the note when it is not 原创.
    pub creation_nature: String,
    /// Completion date and place (创作完成日期及地点).
    pub completed: String,
    /// Publication status (发表状态), with first publication date and place.
    pub publication: String,
    /// How the rights are attributed (权利归属方式).
    pub attribution: String,
    /// How the rights were acquired (权利取得方式).
    pub acquisition: String,
    /// Which rights are held (权利拥有状况): 全部, or 部分 with the list.
    pub ownership: String,
    /// Copyright owners (著作权人).
    pub owners: Vec<PartyLine>,
    /// Authors (作者); `extra` carries the name as signed on the work.
    pub authors: Vec<PartyLine>,
    /// The person who wrote a legal-person work (执笔者), when there is one.
    pub writer: Option<PartyLine>,
    /// Synopsis and idea of the work (作品简介及创意); may be long.
    pub description: String,
    /// How and why it was created (创作经过及意图); may be long.
    pub creation_story: String,
    /// Certificate delivery (证书领取方式): 邮寄 with the address, or 自领.
    pub delivery: String,
    /// E-mail for the e-invoice (电子发票接收邮箱).
    pub invoice_email: String,
    /// Who signs, in signing order (签章顺序).
    pub signers: Vec<SignerLine>,
}

/// One party (著作权人, 作者 or 执笔者) as a table row.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartyLine {
    /// Type (类型), e.g. 自然人 / 法人.
    pub kind: String,
    /// Name (姓名或名称).
    pub name: String,
    /// ID document type (证件类型).
    pub id_type: String,
    /// ID number (证件号码).
    pub id_number: String,
    /// Anything else worth printing (署名方式, 经办人, 地区 …).
    pub extra: String,
}

/// One signer (签章人) in the signature block.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignerLine {
    /// Position in the signing order, from 1.
    pub order: u32,
    /// Signer's name.
    pub name: String,
    /// Role: 著作权人签章 / 执笔者签章.
    pub role: String,
    /// Status: 待签章 / 准备签章 / 已签章.
    pub status: String,
    /// "" or how and when it was signed, e.g. "2026年11月25日 纸质签字".
    pub signed: String,
}

const DOC_TITLE: &str = "作品登记申请表";
const BODY: f32 = 9.0;

/// Renders the application form as PDF bytes (A4 portrait, as many pages as
/// the content needs).
pub fn application_form(form: &ApplicationForm) -> Result<Vec<u8>, PrintError> {
    let code = encode_b(&form.serial)?;
    let font = font()?;
    let mut doc = PdfDocument::new(&format!("{DOC_TITLE} {}", form.serial));
    let font_id = doc.add_font(font);
    let mut c = Canvas::new(font, font_id, DOC_TITLE, &format!("流水号 {}", form.serial));

    // Heading: title, office, serial with its barcode.
    c.text_centered(MARGIN, PAGE_W - MARGIN, MARGIN + 6.5, 19.0, DOC_TITLE);
    c.text_centered(MARGIN, PAGE_W - MARGIN, MARGIN + 12.5, 11.0, &form.office_name);
    let top = MARGIN + 16.0;
    let bar_h = 10.0;
    let max_w = 78.0;
    let module = (max_w / (code.width_modules + 2 * QUIET_ZONE_MODULES) as f32).min(0.33);
    let bw = Canvas::barcode_width(&code, module);
    let bx = PAGE_W - MARGIN - bw + QUIET_ZONE_MODULES as f32 * module;
    c.barcode(&code, bx, top, module, bar_h);
    let code_w = code.width_modules as f32 * module;
    c.text_centered(bx, bx + code_w, top + bar_h + 3.6, 8.0, &form.serial);
    c.text(MARGIN, top + 4.0, 10.0, &format!("流水号：{}", form.serial));
    c.text(MARGIN, top + 10.0, 10.0, &format!("打印日期：{}", form.printed_on));
    c.y = top + bar_h + 5.0;
    c.hline(MARGIN, PAGE_W - MARGIN, c.y, 1.2);

    // 一、作品信息
    let label_cols = [Col::label(34.0), Col::left(CONTENT_W - 34.0)];
    let kv = Table {
        cols: &label_cols,
        header: None,
        size: BODY,
        min_row_h: 0.0,
        v_center: false,
    };
    c.section("一、作品信息", 20.0);
    let work_rows = [
        ("作品名称", &form.title),
        ("作品类别", &form.category),
        ("创作性质", &form.creation_nature),
        ("创作完成日期及地点", &form.completed),
        ("发表状态", &form.publication),
        ("权利归属方式", &form.attribution),
        ("权利取得方式", &form.acquisition),
        ("权利拥有状况", &form.ownership),
    ];
    c.table(&kv, &pairs(&work_rows));

    // 二、著作权人 / 三、作者
    let party_cols = [
        Col::center(15.0),
        Col::left(15.0),
        Col::left(48.0),
        Col::left(29.0),
        Col::left(38.0),
        Col::left(CONTENT_W - 145.0),
    ];
    let party_header = ["序号", "类型", "姓名或名称", "证件类型", "证件号码", "备注"];
    let parties = Table {
        cols: &party_cols,
        header: Some(&party_header),
        size: BODY,
        min_row_h: 0.0,
        v_center: false,
    };
    c.section("二、著作权人", 20.0);
    c.table(&parties, &party_rows(&form.owners, None));
    c.section("三、作者", 20.0);
    c.table(&parties, &party_rows(&form.authors, form.writer.as_ref()));

    // 四、作品说明
    let text_cols = [Col::left(CONTENT_W)];
    c.section("四、作品说明", 25.0);
    for (label, text) in [
        ("作品简介及创意", &form.description),
        ("创作经过及意图", &form.creation_story),
    ] {
        let header = [label];
        let t = Table {
            cols: &text_cols,
            header: Some(&header),
            size: BODY,
            min_row_h: 8.0,
            v_center: false,
        };
        c.table(&t, &[vec![text.clone()]]);
        c.y += 1.0;
    }

    // 五、证书领取与发票
    c.section("五、证书领取与发票", 15.0);
    c.table(
        &kv,
        &pairs(&[
            ("证书领取方式", &form.delivery),
            ("电子发票接收邮箱", &form.invoice_email),
        ]),
    );

    // 六、签章
    let sign_cols = [
        Col::center(15.0),
        Col::left(48.0),
        Col::center(27.0),
        Col::center(20.0),
        Col::left(CONTENT_W - 110.0),
    ];
    let sign_header = ["序号", "签章人", "类型", "状态", "签章/日期"];
    let signs = Table {
        cols: &sign_cols,
        header: Some(&sign_header),
        size: BODY,
        min_row_h: 13.0,
        v_center: true,
    };
    c.section("六、申请人签章", 40.0);
    let statement =
        "申请人声明：本表所填内容及所附材料真实、合法，如有不实，愿承担相应法律责任。签章人按序号顺序签章。";
    let lines = c.wrap(statement, CONTENT_W, BODY);
    c.y += 1.0;
    for l in &lines {
        let base = Canvas::baseline_in(c.y, BODY);
        c.text(MARGIN, base, BODY, l);
        c.y += Canvas::line_h(BODY);
    }
    c.y += 1.5;
    let mut rows: Vec<Vec<String>> = form
        .signers
        .iter()
        .map(|s| {
            vec![
                s.order.to_string(),
                s.name.clone(),
                s.role.clone(),
                s.status.clone(),
                s.signed.clone(),
            ]
        })
        .collect();
    if rows.is_empty() {
        rows.push(empty_row(sign_cols.len()));
    }
    c.table(&signs, &rows);

    save(doc, c)
}

fn pairs(rows: &[(&str, &String)]) -> Vec<Vec<String>> {
    rows.iter().map(|(k, v)| vec![(*k).to_string(), (*v).clone()]).collect()
}

fn party_row(first: &str, p: &PartyLine) -> Vec<String> {
    vec![
        first.to_string(),
        p.kind.clone(),
        p.name.clone(),
        p.id_type.clone(),
        p.id_number.clone(),
        p.extra.clone(),
    ]
}

/// Numbered party rows, the 执笔者 last; a placeholder row when there is nobody.
fn party_rows(parties: &[PartyLine], writer: Option<&PartyLine>) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = parties
        .iter()
        .enumerate()
        .map(|(i, p)| party_row(&(i + 1).to_string(), p))
        .collect();
    if rows.is_empty() {
        rows.push(empty_row(6));
    }
    if let Some(w) = writer {
        rows.push(party_row("执笔者", w));
    }
    rows
}

fn empty_row(cols: usize) -> Vec<String> {
    let mut row = vec![String::new(); cols];
    if let Some(cell) = row.get_mut(1) {
        *cell = "（未填写）".to_string();
    }
    row
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    fn party(kind: &str, name: &str, id_type: &str, id: &str, extra: &str) -> PartyLine {
        PartyLine {
            kind: kind.into(),
            name: name.into(),
            id_type: id_type.into(),
            id_number: id.into(),
            extra: extra.into(),
        }
    }

    fn signer(order: u32, name: &str, role: &str, status: &str, signed: &str) -> SignerLine {
        SignerLine {
            order,
            name: name.into(),
            role: role.into(),
            status: status.into(),
            signed: signed.into(),
        }
    }

    pub(crate) fn sample() -> ApplicationForm {
        ApplicationForm {
            office_name: "浙江省版权局".into(),
            serial: "ZJ-01-20261125-0007".into(),
            printed_on: "2026年11月25日".into(),
            title: "西湖十景（系列摄影作品之一：断桥残雪）".into(),
            category: "摄影作品".into(),
            creation_nature: "原创".into(),
            completed: "2026年1月12日，浙江省杭州市西湖区".into(),
            publication: "已发表：2026年3月1日首次发表于浙江省杭州市（《杭州日报》副刊）".into(),
            attribution: "法人作品".into(),
            acquisition: "原始".into(),
            ownership: "部分：发表权、署名权、修改权、保护作品完整权、复制权、发行权、信息网络传播权".into(),
            owners: vec![
                party(
                    "法人",
                    "杭州湖光影像文化传媒有限公司",
                    "统一社会信用代码",
                    "91330106MA2KXXXX3Q",
                    "经办人 周明",
                ),
                party("自然人", "林晓燕", "居民身份证", "330106199003071225", "浙江省杭州市"),
            ],
            authors: vec![party(
                "法人",
                "杭州湖光影像文化传媒有限公司",
                "统一社会信用代码",
                "91330106MA2KXXXX3Q",
                "署名：本名",
            )],
            writer: Some(party(
                "自然人",
                "陈思远",
                "居民身份证",
                "330102198805121718",
                "署名：别名 远山",
            )),
            description: "本作品以西湖断桥为主体，拍摄于雪后清晨。画面以桥身为中轴，远处保俶塔与宝石山构成背景，\
                          近处残雪与湖面倒影形成明暗对比。拍摄参数：Nikon Z7 II，24-70mm f/4，ISO 100，1/250 s。"
                .into(),
            creation_story: "作者连续三年在初雪后清晨守候，选取游人未至的时段完成拍摄，意在表现江南冬景的静谧。".into(),
            delivery: "邮寄（顺丰到付）：林晓燕 13800000000 浙江省杭州市西湖区文三路 100 号".into(),
            invoice_email: "finance@huguang-image.example.cn".into(),
            signers: vec![
                signer(
                    1,
                    "杭州湖光影像文化传媒有限公司",
                    "著作权人签章",
                    "已签章",
                    "2026年11月25日 纸质签字",
                ),
                signer(2, "林晓燕", "著作权人签章", "待签章", ""),
                signer(3, "陈思远", "执笔者签章", "准备签章", ""),
            ],
        }
    }

    fn long_sample() -> ApplicationForm {
        let mut f = sample();
        f.serial = "ZJ-01-20261125-0008".into();
        f.description = "本书为长篇小说，共三十二章，约二十八万字。小说以钱塘江畔一座小镇三代人的命运为线索，\
                         讲述了从上世纪五十年代到今天的社会变迁，人物众多而线索清晰，语言朴素而富有地方色彩。"
            .repeat(30);
        f.creation_story = "作者历时六年完成创作，其间走访了沿江二十余个村镇，收集口述史料百余份。\n".repeat(12);
        f
    }

    fn tool(name: &str) -> bool {
        Command::new(name)
            .arg("-v")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    }

    fn run_with_stdin(cmd: &str, args: &[&str], input: &[u8]) -> String {
        let mut child = Command::new(cmd)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{cmd} failed");
        String::from_utf8(out.stdout).unwrap()
    }

    fn pdftotext(pdf: &[u8]) -> Option<String> {
        if !tool("pdftotext") {
            eprintln!("SKIPPED: pdftotext (poppler-utils) is not on PATH; text extraction not checked");
            return None;
        }
        Some(run_with_stdin("pdftotext", &["-raw", "-", "-"], pdf))
    }

    /// Page count as read back by printpdf's own parser.
    fn page_count(pdf: &[u8]) -> usize {
        let doc = PdfDocument::parse(pdf, &printpdf::PdfParseOptions::default(), &mut Vec::new()).unwrap();
        doc.pages.len()
    }

    fn pdfinfo_pages(pdf: &[u8]) -> Option<usize> {
        if !tool("pdfinfo") {
            return None;
        }
        let info = run_with_stdin("pdfinfo", &["-"], pdf);
        info.lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .map(|n| n.trim().parse().unwrap())
    }

    /// Squeezes out the spaces pdftotext inserts when it lays out columns.
    fn squeeze(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn form_text_extracts_with_every_party_and_signer() {
        let form = sample();
        let pdf = application_form(&form).unwrap();
        std::fs::write(std::env::temp_dir().join("regdesk-application-form.pdf"), &pdf).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(page_count(&pdf), 1);
        let Some(text) = pdftotext(&pdf) else { return };
        let flat = squeeze(&text);
        let mut expected: Vec<&str> = vec![
            "作品登记申请表",
            "浙江省版权局",
            "ZJ-01-20261125-0007",
            "2026年11月25日",
            "作品名称",
            "作品类别",
            "摄影作品",
            "创作性质",
            "权利归属方式",
            "权利拥有状况",
            "著作权人",
            "作者",
            "执笔者",
            "作品简介及创意",
            "创作经过及意图",
            "证书领取方式",
            "finance@huguang-image.example.cn",
            "申请人签章",
            "待签章",
            "准备签章",
            "已签章",
            "纸质签字",
        ];
        expected.extend(form.owners.iter().map(|p| p.name.as_str()));
        expected.extend(form.authors.iter().map(|p| p.name.as_str()));
        expected.push("陈思远");
        for e in expected {
            assert!(flat.contains(&squeeze(e)), "missing {e:?} in:\n{text}");
        }
        // Signers appear in signing order, after the heading of the signature block.
        let block = &flat[flat.find("六、申请人签章").unwrap()..];
        let positions: Vec<usize> = form
            .signers
            .iter()
            .map(|s| block.find(&squeeze(&s.name)).unwrap())
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "signers out of order: {positions:?}"
        );
    }

    #[test]
    fn long_description_continues_on_more_pages() {
        let form = long_sample();
        let pdf = application_form(&form).unwrap();
        std::fs::write(std::env::temp_dir().join("regdesk-application-form-long.pdf"), &pdf).unwrap();
        let pages = page_count(&pdf);
        assert!(pages >= 2, "expected 2+ pages, got {pages}");
        if let Some(n) = pdfinfo_pages(&pdf) {
            assert_eq!(n, pages);
        }
        let Some(text) = pdftotext(&pdf) else { return };
        let flat = squeeze(&text);
        assert!(flat.contains("作品登记申请表（续）"));
        assert!(flat.contains(&format!("第{pages}页，共{pages}页")));
        assert!(flat.contains("第2页"));
        assert!(flat.contains("作品简介及创意（续）"));
        // Without the running header, footer and repeated block header, the
        // whole description reads on, in order, across the page break.
        let body: String = text
            .lines()
            .filter(|l| !(l.contains("页，共") || l.contains("（续）")))
            .map(squeeze)
            .collect();
        assert!(
            body.contains(&squeeze(&form.description)),
            "description broken:\n{text}"
        );
        assert!(
            body.contains(&squeeze(&form.creation_story)),
            "creation story broken:\n{text}"
        );
        // Every signer still made it to the end.
        for s in &form.signers {
            assert!(flat.contains(&squeeze(&s.name)));
        }
    }

    #[test]
    fn subset_font_keeps_the_file_small() {
        let pdf = application_form(&sample()).unwrap();
        assert!(
            pdf.len() < 200 * 1024,
            "one page is {} bytes: the font was not subset",
            pdf.len()
        );
    }

    #[test]
    fn refusals_carry_codes_and_chinese_messages() {
        let cases: &[(&str, &str)] = &[("", "barcode_empty"), ("ZJ-01-流水", "barcode_unsupported_char")];
        for &(serial, code) in cases {
            let mut f = sample();
            f.serial = serial.into();
            let err = application_form(&f).unwrap_err();
            assert_eq!(err.code(), code);
            assert!(err.to_string().starts_with("流水号无法打印为条码"), "{err}");
        }
    }

    #[test]
    fn many_parties_and_signers_flow_over_pages_in_order() {
        let mut f = sample();
        f.serial = "ZJ-01-20261125-0009".into();
        f.owners = (1..=25)
            .map(|i| {
                party(
                    "自然人",
                    &format!("著作权人{i:02}号"),
                    "居民身份证",
                    "330106199003071225",
                    "",
                )
            })
            .collect();
        f.signers = (1..=25)
            .map(|i| signer(i, &format!("著作权人{i:02}号"), "著作权人签章", "准备签章", ""))
            .collect();
        let pdf = application_form(&f).unwrap();
        std::fs::write(std::env::temp_dir().join("regdesk-application-form-many.pdf"), &pdf).unwrap();
        assert!(page_count(&pdf) >= 3);
        let Some(text) = pdftotext(&pdf) else { return };
        let flat = squeeze(&text);
        // Every owner once in the owner table and once in the signature block, in order.
        let sign_block = &flat[flat.find("六、申请人签章").unwrap()..];
        let mut last = 0;
        for i in 1..=25 {
            let name = format!("著作权人{i:02}号");
            assert_eq!(flat.matches(&name).count(), 2, "{name}");
            let at = sign_block.find(&name).unwrap();
            assert!(at > last || i == 1, "{name} out of order");
            last = at;
        }
    }

    #[test]
    fn empty_lists_still_render() {
        let mut f = sample();
        f.owners.clear();
        f.authors.clear();
        f.writer = None;
        f.signers.clear();
        let pdf = application_form(&f).unwrap();
        let Some(text) = pdftotext(&pdf) else { return };
        assert!(squeeze(&text).contains("（未填写）"));
        assert!(!squeeze(&text).contains("陈思远"));
    }
}
