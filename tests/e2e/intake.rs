//! Batch intake (批量受理) at the counter: an agency's sheet of works with its
//! folder of files, previewed with a bad row named by row and column, then
//! imported as drafts for one applicant; and the admin's 登记簿: the old
//! register imported, the counters after it.

use crate::support::office::{app, fresh_shots, sample_office, scan};
use crate::support::steps::{open_desk, sign_in_as, sign_in_at_desk, sign_out};
use crate::support::webdriver::Desk;

/// A resident ID of Hangzhou born 1990-01-01 with sequence `seq`, with its check digit.
fn resident_id(seq: u32) -> String {
    let body = format!("33010619900101{seq:03}");
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// The agency's sheet (CSV of the template's columns): `(title, painter, category)` per row.
fn sheet(rows: &[(&str, &str, &str)]) -> String {
    let columns = regdesk_domain::intake::columns();
    let mut text = columns.iter().map(|c| c.header.clone()).collect::<Vec<_>>().join(",") + "\n";
    for (i, (title, painter, category)) in rows.iter().enumerate() {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| match c.key.as_str() {
                "work.title" => title.to_string(),
                "work.category" => category.to_string(),
                "work.nature" => "原创".into(),
                "work.completed_on" => "2026-03-01".into(),
                "work.completed_place" => "浙江省杭州市".into(),
                "work.publication" => "未发表".into(),
                "work.attribution" => "个人作品".into(),
                "work.acquisition" => "原始".into(),
                "work.ownership" => "全部".into(),
                "owners[0].kind" | "authors.kind" => "自然人".into(),
                "owners[0].name" | "authors.names" => painter.to_string(),
                "owners[0].id_type" => "居民身份证".into(),
                "owners[0].id_number" => resident_id(100 + i as u32),
                "owners[0].region" => "浙江省杭州市".into(),
                "owners[0].files.identity" => format!("{painter}身份证.png"),
                "authors.signed_as" => "本名".into(),
                "samples" => format!("{title}.png"),
                "description" => "以西湖为题的水彩画。".into(),
                "creation_story" => "写生三个月完成。".into(),
                "delivery" => "自领".into(),
                "invoice_email" => "agency@example.cn".into(),
                _ => String::new(),
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

#[test]
fn an_agency_sheet_becomes_drafts_and_the_old_register_comes_in() {
    let data = sample_office();
    let folder = data.path().join("青山代理-样本");
    std::fs::create_dir(&folder).unwrap();
    for name in [
        "西湖春晓.png",
        "张伟身份证.png",
        "断桥残雪.png",
        "李娜身份证.png",
        "王芳身份证.png",
    ] {
        scan(&folder, name);
    }
    // Row 3's category is not in the list; row 4's sample is not in the folder.
    let sheet_path = data.path().join("青山代理-12月.csv");
    std::fs::write(
        &sheet_path,
        sheet(&[
            ("西湖春晓", "张伟", "美术"),
            ("断桥残雪", "李娜", "油画"),
            ("平湖秋月", "王芳", "美术"),
        ]),
    )
    .unwrap();
    let shots = fresh_shots("intake");
    let mut d = Desk::start(&app(), &data, &shots);

    sign_in_at_desk(&d, "wangli");
    d.click("[data-testid=tab-intake]");
    d.wait("[data-testid=intake-template]");
    d.shot("intake-empty");
    d.type_into("[data-testid=intake-applicant] input", "林晓雨");
    d.wait(".ant-select-item-option");
    d.js(
        "const o=[...document.querySelectorAll('.ant-select-item-option')].find(e=>e.innerText.includes('林晓雨')); o && o.click();",
        serde_json::json!([]),
    );
    d.type_into("[data-testid=intake-sheet]", sheet_path.to_str().unwrap());
    d.type_into("[data-testid=intake-folder]", folder.to_str().unwrap());
    d.click("[data-testid=intake-preview]");
    d.wait("[data-testid=intake-summary]");
    let summary = d.text("[data-testid=intake-summary]");
    assert!(summary.contains("共 3 行，可导入 1 行，有问题 2 行"), "{summary}");
    let bad = d.text("[data-testid=problems-3]");
    assert!(bad.contains("“作品类别”"), "{bad}");
    let missing = d.text("[data-testid=problems-4]");
    assert!(
        missing.contains("“作品样本”") && missing.contains("平湖秋月.png"),
        "{missing}"
    );
    d.shot("intake-preview-with-errors");

    d.click("[data-testid=intake-import]");
    d.wait_text("已为林晓雨生成草稿 1 件");
    let made = d.text("[data-testid=made-2]");
    assert!(made.contains("已生成 ZJ-"), "{made}");
    d.shot("intake-imported");
    // The batch goes to signing together.
    d.click("[data-testid=intake-submit-all]");
    d.wait_text("已提交签章 1 件，未能提交 0 件");
    d.wait("[data-testid=submitted-2]");
    // 一人一表 is the office's choice, off by default: the tab says so.
    d.wait("[data-testid=batch-sign-problem]");
    let why = d.text("[data-testid=batch-sign-problem]");
    assert!(why.contains("未开启"), "{why}");
    d.shot("intake-submitted-for-signing");
    d.click("[data-testid=tab-awaiting_signature]");
    d.wait_text("西湖春晓");
    d.shot("awaiting-signature-with-the-imported-work");
    sign_out(&d);

    // The admin brings in the old register: one bad row named, the counter after the highest.
    let old = data.path().join("旧平台登记簿.csv");
    std::fs::write(
        &old,
        "登记号,登记日期,作品名称,作品类别,著作权人,作者,创作完成日期,首次发表日期\n\
         浙作登字-2026-F-00000300,2026-04-01,雷峰夕照,美术,周明,周明,2025,\n\
         浙作登字-2026-F-00000301,2026-04-02,三潭印月,美术,林娜,林娜,2025-08,2025-10-01\n\
         沪作登字-2026-F-00000999,2026-04-02,外地作品,美术,某人,,2025,\n",
    )
    .unwrap();
    sign_in_as(&d, "admin");
    open_desk(&d, "admin");
    d.click("[data-testid=admin-tab-register]");
    d.wait("[data-testid=register-path]");
    d.type_into("[data-testid=register-path]", old.to_str().unwrap());
    d.click("[data-testid=register-preview]");
    d.wait("[data-testid=register-problems]");
    assert!(d.text("[data-testid=register-problems]").contains("第 4 行“登记号”"));
    d.shot("register-checked");
    d.click("[data-testid=register-import]");
    d.wait_text("已导入 2 条");
    d.wait_text("00000301");
    d.shot("register-imported-counters");
    // The top bar finds the old registration.
    d.type_into("[data-testid=global-search]", "雷峰夕照");
    d.wait("[data-testid=global-search-historic-0]");
    d.shot("search-finds-the-old-register");
}
