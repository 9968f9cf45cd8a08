//! The counter desk by keyboard alone: a corporate filing from the desk to 待缴费.

use crate::support::keys::{CLEAR, CTRL_ENTER, CTRL_S, ENTER, RIGHT, SPACE, TAB};
use crate::support::office::{app, fresh_shots, sample_office, scan};
use crate::support::steps::{pause, sign_in_at_desk};
use crate::support::webdriver::Desk;

fn uscc(body: &str) -> String {
    format!("{body}{}", regdesk_domain::identity::uscc_check_char(body).unwrap())
}

fn resident_id(body: &str) -> String {
    format!("{body}{}", regdesk_domain::identity::gb11643_check_char(body).unwrap())
}

/// Presses a radio choice: the group has the focus on its first option.
fn radio_right(d: &Desk, times: usize) {
    for _ in 0..times {
        d.press(RIGHT);
        pause();
    }
}

fn checked(d: &Desk, group: &str, value: &str) -> bool {
    d.js(
        "const e=document.querySelector(`#${arguments[0]} input[value=\"${arguments[1]}\"]`); return !!(e && e.checked);",
        serde_json::json!([group, value]),
    )
    .as_bool()
    .unwrap_or(false)
}

/// One organisation owner, from its kind to its licence, by keyboard.
fn owner_by_keyboard(d: &Desk, i: usize, name: &str, number: &str, handler: &str, licence: &str) {
    d.wait_focus(&format!("#filing_owners_{i}_kind"));
    radio_right(d, 1);
    assert!(checked(d, &format!("filing_owners_{i}_kind"), "organisation"));
    d.press(ENTER);
    d.wait_focus(&format!("#filing_owners_{i}_name"));
    d.press(name);
    d.press(ENTER);
    // The type follows the kind (统一社会信用代码); Enter keeps it.
    d.wait_focus(&format!("#filing_owners_{i}_id_type"));
    d.press(ENTER);
    d.wait_focus(&format!("#filing_owners_{i}_id_number"));
    d.press(number);
    d.press(ENTER);
    d.wait_focus(&format!("#filing_owners_{i}_handling_person"));
    d.press(handler);
    d.press(ENTER);
    d.press("浙江省杭州市");
    // The licence: Tab to the path field (the kind offered is the licence), Enter adds it.
    d.tab_to(&format!("[data-testid=path-party-file-owners-{i}]"), 6);
    d.press(licence);
    d.press(ENTER);
    let file = std::path::Path::new(licence).file_name().unwrap().to_str().unwrap();
    d.wait_text(file);
}

#[test]
fn counter_clerk_enters_a_corporate_filing_by_keyboard_alone() {
    let data = sample_office();
    let shots = fresh_shots("keyboard");
    let files = data.path().join("scans");
    std::fs::create_dir_all(&files).unwrap();
    let licence_a = scan(&files, "营业执照-湖光.png");
    let licence_b = scan(&files, "营业执照-西溪.png");
    let writer_id = scan(&files, "身份证-陈思远.png");
    let sample = scan(&files, "样本-天际线.png");
    let signed = scan(&files, "签章页.png");
    let (org_a, org_b) = (uscc("91330106MA2H0K7Q1"), uscc("91330110MA2KEY5B2"));
    let writer_ok = resident_id("33010619920202300");
    let last = writer_ok.chars().last().unwrap();
    let wrong_check = if last == '1' { '2' } else { '1' };
    let writer_bad = format!("{}{wrong_check}", &writer_ok[..17]);

    let mut d = Desk::start(&app(), &data, &shots);
    sign_in_at_desk(&d, "wangli");

    // From the desk to a new filing with Tab and Enter; the title has the focus.
    d.tab_to("[data-testid=filing-new]", 40);
    d.press(ENTER);
    d.wait_focus("#filing_work_title");

    // 作品信息
    d.press("钱塘江新城天际线");
    d.press(ENTER);
    d.wait_focus("#filing_work_category");
    d.press("摄影");
    pause();
    d.press(ENTER); // chooses 摄影作品 in the open list
    pause();
    d.press(ENTER); // next field
    d.wait_focus("#filing_work_completed_on");
    d.press("20260112");
    d.press(ENTER);
    d.wait_focus("#filing_work_completed_place");
    d.press("浙江省杭州市");
    d.press(ENTER);
    d.wait_focus("#filing_work_nature");
    d.press(SPACE); // 原创
    pause();
    d.press(ENTER);
    d.wait_focus("#filing_work_publication");
    radio_right(&d, 1); // 未发表
    assert!(checked(&d, "filing_work_nature", "original"));
    assert!(checked(&d, "filing_work_publication", "unpublished"));
    d.shot("work-by-keyboard");
    d.press(ENTER); // the last field: on to the next step

    // 权利信息: 法人作品, 原始取得, 全部权利
    d.wait_focus("#filing_work_attribution");
    radio_right(&d, 3);
    assert!(checked(&d, "filing_work_attribution", "corporate"), "法人作品 chosen");
    d.press(ENTER);
    d.wait_focus("#filing_work_acquisition");
    d.press(SPACE);
    pause();
    d.press(ENTER);
    d.wait_focus("#filing_work_ownership");
    d.press(SPACE);
    pause();
    d.shot("rights-by-keyboard");
    d.press(CTRL_ENTER);

    // 著作权人: two organisations, each with its licence
    owner_by_keyboard(&d, 0, "杭州湖光影像文化传媒有限公司", &org_a, "周明", &licence_a);
    d.tab_to("[data-testid=owner-add]", 12);
    d.press(ENTER);
    owner_by_keyboard(&d, 1, "杭州西溪数字科技有限公司", &org_b, "沈兰", &licence_b);
    // 作者: the two organisations, copied from the owners
    d.tab_to("[data-testid=author-copy-owners]", 12);
    d.press(ENTER);
    d.wait("#filing_authors_1_name");
    // 执笔者, first with a wrong check character
    d.tab_to("[data-testid=writer-add]", 30);
    d.press(ENTER);
    d.wait_focus("#filing_writer_name");
    d.press("陈思远");
    d.press(ENTER);
    d.wait_focus("#filing_writer_id_type");
    d.press(ENTER);
    d.wait_focus("#filing_writer_id_number");
    d.press(&writer_bad);
    d.tab_to("[data-testid=path-party-file-writer-0]", 8);
    d.press(&writer_id);
    d.press(ENTER);
    d.wait_text("身份证-陈思远.png");
    d.shot("parties-by-keyboard");

    // The wrong number blocks the step, with its precise message; the focus goes to it.
    d.press(CTRL_ENTER);
    d.wait_text("请按提示改正后再进入下一步");
    d.wait_focus("#filing_writer_id_number");
    // The precise message shows under the number (antd renders it a moment after the focus moves).
    let want = format!("校验码应为 {last}");
    let mut item = String::new();
    for _ in 0..40 {
        item = d
            .js(
                "return document.querySelector('#filing_writer_id_number').closest('.ant-form-item').innerText",
                serde_json::json!([]),
            )
            .as_str()
            .unwrap_or_default()
            .to_string();
        if item.contains(&want) {
            break;
        }
        pause();
    }
    assert!(item.contains(&want), "{item}");
    assert!(d.visible("[data-testid=filing-pane-2]"));
    d.shot("invalid-id-blocks-step");
    d.press(CLEAR);
    d.press(&writer_ok);
    d.press(CTRL_ENTER);

    // 样本与附件
    d.wait("[data-testid=filing-pane-3]");
    d.tab_to("[data-testid=path-sample]", 6);
    d.press(&sample);
    d.press(ENTER);
    d.wait_text("样本-天际线.png");
    d.press(CTRL_ENTER);

    // 作品说明
    d.wait_focus("#filing_description");
    d.press("以钱塘江北岸新城的天际线为主体，清晨逆光拍摄，层次分明。");
    d.press(TAB);
    d.wait_focus("#filing_creation_story");
    d.press("两家单位共同组织拍摄，由陈思远执笔整理创作说明。");
    d.press(CTRL_ENTER);

    // 领取与发票
    d.wait_focus("#filing_invoice_email");
    d.press("finance@huguang.cn");
    d.press(ENTER);
    d.wait_focus("#filing_delivery");
    d.press(SPACE); // 邮寄
    pause();
    d.press(ENTER);
    d.wait_focus("#filing_recipient_name");
    d.press("周明");
    d.press(ENTER);
    d.press("13905710002");
    d.press(ENTER);
    d.press("浙江省杭州市拱墅区大关路 100 号");
    d.shot("delivery-by-keyboard");
    d.press(CTRL_ENTER);

    // 核对提交: Ctrl+Enter submits; the signers are listed in order.
    d.wait("[data-testid=filing-pane-6]");
    d.shot("review-by-keyboard");
    d.press(CTRL_ENTER);
    d.wait("[data-testid=signing-panel]");
    let panel = d.text("[data-testid=signing-panel]");
    let (a, b, w) = (
        panel.find("杭州湖光影像").unwrap(),
        panel.find("杭州西溪数字").unwrap(),
        panel.find("陈思远").unwrap(),
    );
    assert!(a < b && b < w, "signers in order: {panel}");
    d.shot("signing-order");

    let sign = |d: &Desk, i: usize| {
        d.tab_to(&format!("[data-testid=sign-{i}]"), 80);
        d.press(ENTER);
        d.wait("[data-testid=sign-modal]");
        d.wait_focus("[data-testid=sign_scan_path]");
        d.press(&signed);
        d.press(ENTER);
        d.wait_gone("[data-testid=sign-modal]");
    };
    // The first owner signs; then the title is corrected: saving warns, then voids the signature.
    sign(&d, 0);
    d.wait_text("已签章");
    d.shot("first-signature");
    d.press("\u{E00A}1\u{E00A}"); // Alt+1
    d.wait_focus("#filing_work_title");
    d.press("\u{E010}（一）"); // End, then the added text
    d.press(CTRL_S);
    d.wait("[data-testid=void-confirm]");
    d.shot("void-warning");
    d.tab_to("[data-testid=void-confirm-ok]", 6);
    d.press(ENTER);
    d.wait_gone("[data-testid=void-confirm]");
    d.wait_text("草稿");
    d.shot("signatures-voided");

    // Submitted again, all three sign in order: 待缴费.
    d.press("\u{E00A}7\u{E00A}"); // Alt+7
    d.wait("[data-testid=filing-pane-6]");
    d.press(CTRL_ENTER);
    d.wait("[data-testid=signing-panel]");
    for i in 0..3 {
        sign(&d, i);
    }
    d.wait_text("全部签章完成");
    d.wait_text("待缴费");
    d.shot("all-signed");
    d.tab_to("[data-testid=filing-close]", 60);
    d.press(ENTER);
    d.click("[data-testid=tab-awaiting_payment]");
    d.wait_text("钱塘江新城天际线（一）");
    d.shot("found-in-awaiting-payment");
}
