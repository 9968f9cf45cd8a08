//! Office tree scope, end to end: the office's server with a tree of offices
//! (浙江省版权局 ZJ at the top; 杭州市版权局 ZJHZ under it with two county
//! points, 上城区受理点 ZJHZSC and 拱墅区受理点 ZJHZGS; 宁波市版权局 ZJNB),
//! kept by the province's admin and enrolled per office with
//! `station add --office CODE`. The real app is the city's supervisor
//! station, joined through its first-start screen (加入已有机构); the other
//! stations are stores in the test, synced as `regdesk sync` does.
//!
//! The county point's filing reaches the city's desk and its office tree, the
//! other city's does not; the city's clerk may open the county's case but a
//! change to it is refused, in Chinese; the city's admin moves the case to the
//! other county point with a reason (管理 → 案件移交), and that point's
//! station gets it with its next sync while the first may no longer change it.

use std::time::{Duration, Instant};

use regdesk_domain::category::WorkCategory;
use regdesk_domain::filing::{FilingDraft, WorkDraft};
use regdesk_domain::office::SubordinateOfficeInput;
use regdesk_domain::queue::Queue;
use regdesk_store::{QueueInput, SaveDraftInput, StoreError};

use crate::support::keys::CTRL_S;
use crate::support::office::{app, fresh_shots, Office};
use crate::support::server::Server;
use crate::support::station::Station;
use crate::support::steps::{open_desk, open_row, sign_in_at_desk, sign_out};
use crate::support::webdriver::Desk;

/// What the tests of this walk do at a station of the tree.
impl Station {
    /// The counter clerk saves a new filing's draft: its serial.
    fn file(&self, title: &str) -> String {
        let draft = FilingDraft {
            work: WorkDraft {
                title: title.into(),
                category: Some(WorkCategory::Photography),
                ..WorkDraft::default()
            },
            ..FilingDraft::default()
        };
        let made = self
            .store
            .save_draft(
                &self.login("wangli"),
                &SaveDraftInput {
                    case_id: None,
                    version: None,
                    applicant_id: None,
                    draft,
                },
            )
            .unwrap();
        made.serial
    }

    /// The draft whose title contains `title`: (id, serial).
    fn draft(&self, title: &str) -> Option<(String, String)> {
        let page = self
            .store
            .list_queue(&self.login("wangli"), &QueueInput::first(Queue::Drafts, 100))
            .unwrap();
        page.rows
            .into_iter()
            .find(|r| r.title.contains(title))
            .map(|r| (r.id, r.serial))
    }

    /// The clerk renames the case: what the store says.
    fn rename(&self, case_id: &str, title: &str) -> Result<(), StoreError> {
        let clerk = self.login("wangli");
        let detail = self.store.reveal_case(&clerk, case_id)?;
        let mut draft = detail.draft.clone();
        draft.work.title = title.into();
        self.store
            .save_draft(
                &clerk,
                &SaveDraftInput {
                    case_id: Some(case_id.into()),
                    version: Some(detail.version),
                    applicant_id: detail.applicant_id.clone(),
                    draft,
                },
            )
            .map(|_| ())
    }
}

/// The text of the office tree's row of `code` (name, code, counts).
fn tree_row(d: &Desk, code: &str) -> String {
    d.wait(&format!("[data-testid=office-{code}]"));
    d.js(
        "return document.querySelector(`[data-testid=office-${arguments[0]}]`).closest('tr').innerText;",
        serde_json::json!([code]),
    )
    .as_str()
    .unwrap_or_default()
    .replace(['\t', '\n'], " ")
}

/// Waits until the office tree's list of the chosen office's cases shows
/// `serial`; the row's text.
fn office_case_row(d: &Desk, serial: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let row = d.js(
            "const tr=[...document.querySelectorAll('[data-testid=office-cases] tbody tr')].find(r=>r.innerText.includes(arguments[0])); return tr ? tr.innerText : '';",
            serde_json::json!([serial]),
        );
        if let Some(text) = row.as_str().filter(|t| !t.is_empty()) {
            return text.to_string();
        }
        if Instant::now() > deadline {
            panic!("the office's cases never showed {serial}:\n{}", d.page_text());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Opens the select `css` and picks its option that reads `label`.
fn pick(d: &Desk, css: &str, label: &str) {
    d.click(css);
    d.wait(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option");
    let clicked = d.js(
        "const o=[...document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')].find(e=>e.innerText.includes(arguments[0])); if (o) { o.click(); return true; } return false;",
        serde_json::json!([label]),
    );
    assert_eq!(clicked, serde_json::json!(true), "no option “{label}” in {css}");
}

/// Waits until the header says everything went up: synced, nothing pending.
fn wait_synced(d: &Desk, limit: Duration) {
    d.wait_for("[data-testid=sync-state][data-state=synced]", limit);
}

#[test]
fn a_city_supervisor_sees_its_counties_cases_read_only_and_an_admin_moves_one_to_another_county() {
    let root = tempfile::tempdir().unwrap();
    let mut server = Server::init(&root.path().join("server"));
    server.start();

    // The province's station: its admin adds the office's people and keeps
    // the office tree (管理 → 机构树, `regdesk office add`: the same command).
    let province = Station::enrol(&server.url(), server.fingerprint(), &server.add_station("省局管理"));
    regdesk_store::demo::fill(&province.store, 0).unwrap();
    let admin = province.login("admin");
    for (code, name, parent) in [
        ("ZJHZ", "杭州市版权局", "ZJ"),
        ("ZJHZSC", "上城区受理点", "ZJHZ"),
        ("ZJHZGS", "拱墅区受理点", "ZJHZ"),
        ("ZJNB", "宁波市版权局", "ZJ"),
    ] {
        province
            .store
            .add_subordinate_office(
                &admin,
                &SubordinateOfficeInput {
                    code: code.into(),
                    name: name.into(),
                    parent_code: parent.into(),
                },
            )
            .unwrap();
    }
    province.synced();

    // A station per office, each with the code the server's administrator made for it.
    let county = Station::enrol(
        &server.url(),
        server.fingerprint(),
        &server.add_station_of("上城受理窗口", "ZJHZSC"),
    );
    let county2 = Station::enrol(
        &server.url(),
        server.fingerprint(),
        &server.add_station_of("拱墅受理窗口", "ZJHZGS"),
    );
    let ningbo = Station::enrol(
        &server.url(),
        server.fingerprint(),
        &server.add_station_of("宁波受理窗口", "ZJNB"),
    );
    let city_code = server.add_station_of("杭州市局主管", "ZJHZ");

    // The city's station is the real app, first start: 加入已有机构.
    let data = Office::empty();
    let shots = fresh_shots("scope");
    let mut d = Desk::start(&app(), &data, &shots);
    d.click("[data-testid=setup-join]");
    d.wait("[data-testid=enrol-form]");
    d.type_into("[data-testid=enrol-server]", &server.url());
    d.type_into("[data-testid=enrol-code]", &city_code);
    d.type_into("[data-testid=enrol-fingerprint]", server.fingerprint());
    d.click("[data-testid=enrol-submit]");
    d.wait_for("#login_username", Duration::from_secs(60));
    sign_in_at_desk(&d, "wangli");
    wait_synced(&d, Duration::from_secs(30));
    // The top bar names the station's own office, not the province.
    assert_eq!(d.text("[data-testid=office-station]"), "杭州市版权局 · 杭州市局主管");

    // 宁波 files a case, then the county point does; both sync.
    let ningbo_serial = ningbo.file("宁波·三江口晨光");
    ningbo.synced();
    let county_serial = county.file("上城·南宋御街夜色");
    county.synced();

    // 1. The city's counter queue shows the county's draft (it arrives
    // without a restart), never 宁波's.
    d.click("[data-testid=tab-drafts]");
    let row = crate::support::steps::row_text(&d, "drafts", &county_serial);
    assert!(row.contains("上城·南宋御街夜色"), "{row}");
    d.wait_gone(".ant-table .ant-spin-spinning");
    assert!(!d.page_text().contains(&ningbo_serial), "宁波's case shows at the city");
    assert!(!d.page_text().contains("三江口"), "宁波's case shows at the city");
    d.shot("city-counter-queue");
    // The global search (Ctrl+K) finds the county's case and not 宁波's.
    d.type_into("[data-testid=global-search]", "三江口晨光");
    d.wait("[data-testid=global-search-none]");
    d.shot("search-other-city-none");
    d.retype("[data-testid=global-search]", "南宋御街夜色");
    d.wait("[data-testid=global-search-option-0]");
    assert!(d.text("[data-testid=global-search-option-0]").contains(&county_serial));
    d.retype("[data-testid=global-search]", "");
    d.press("\u{E00C}");

    // 2. The clerk opens it: it shows, read-only, saying why in Chinese;
    // the desk offers no change (no 暂存, no 撤回, the fields locked, Ctrl+S
    // does nothing).
    open_row(&d, "drafts", &county_serial);
    // It opens on its summary (核对), as a filing that may not change does.
    d.wait("[data-testid=filing-summary]");
    assert!(d.text("[data-testid=filing-summary]").contains("上城·南宋御街夜色"));
    assert!(
        !d.page_text().contains("签章已完成"),
        "a locked filing's note on another office's case"
    );
    assert!(!d.visible("[data-testid=filing-submit]"));
    d.shot("county-case-summary");
    d.click("[data-testid=filing-step-0]");
    d.wait("#filing_work_title");
    let value = |css: &str| {
        d.js(
            &format!("return document.querySelector('{css}').value"),
            serde_json::json!([]),
        )
    };
    assert_eq!(value("#filing_work_title"), serde_json::json!("上城·南宋御街夜色"));
    let why = d.text("[data-testid=case-read-only]");
    assert!(
        why.contains("上城区受理点（ZJHZSC）")
            && why.contains("杭州市版权局（ZJHZ）")
            && why.contains("只能查看，不能更改"),
        "{why}"
    );
    let disabled = |css: &str| {
        d.js(
            &format!("return document.querySelector('{css}').disabled"),
            serde_json::json!([]),
        ) == serde_json::json!(true)
    };
    assert!(disabled("#filing_work_title") && disabled("[data-testid=filing-save]"));
    assert!(!d.visible("[data-testid=filing-withdraw]"));
    d.click("#filing_work_title");
    d.press("（改）");
    d.press(CTRL_S);
    crate::support::steps::pause();
    assert_eq!(value("#filing_work_title"), serde_json::json!("上城·南宋御街夜色"));
    assert!(!d.visible("[data-testid=filing-save-error]"));
    d.shot("county-case-read-only");
    d.click("[data-testid=filing-close]");
    d.wait_gone("[data-testid=filing-workspace]");
    // Nothing went up: the county's case is as the county left it.
    county.synced();
    let (county_case, _) = county.draft("上城·南宋御街夜色").unwrap();
    assert!(county.draft("（改）").is_none());
    sign_out(&d);

    // 3. The supervisor (统计 → 机构树): the city's tree with its two county
    // points, the county's case counted and listed; 宁波 is not in it.
    sign_in_at_desk(&d, "zhaomin");
    open_desk(&d, "reports");
    d.click("[data-testid=tab-offices]");
    let city = tree_row(&d, "ZJHZ");
    assert!(city.contains("杭州市版权局") && city.contains("本机构"), "{city}");
    let sc = tree_row(&d, "ZJHZSC");
    assert!(sc.contains("上城区受理点") && sc.contains(" 1 "), "{sc}");
    assert!(tree_row(&d, "ZJHZGS").contains("拱墅区受理点"));
    assert!(!d.visible("[data-testid=office-ZJNB]") && !d.visible("[data-testid=office-ZJ]"));
    d.click("[data-testid=office-ZJHZSC]");
    d.wait("[data-testid=office-cases]");
    pick(&d, "[data-testid=office-queue]", "待提交（含退回）");
    let listed = office_case_row(&d, &county_serial);
    assert!(listed.contains("上城·南宋御街夜色"), "{listed}");
    d.wait_gone(".ant-select-dropdown:not(.ant-select-dropdown-hidden)");
    d.shot("supervisor-office-tree");
    // Its statistics count the county's case under the county.
    d.click("[data-testid=tab-stats]");
    d.wait_gone(".ant-spin-spinning");
    d.shot("supervisor-stats");
    sign_out(&d);

    // 4. The admin moves the case to the other county point, with the reason.
    sign_in_at_desk(&d, "admin");
    open_desk(&d, "admin");
    d.click("[data-testid=admin-tab-transfer]");
    d.wait("[data-testid=transfer-key]");
    d.type_into("[data-testid=transfer-key]", &county_serial);
    d.click("[data-testid=transfer-find]");
    d.wait("[data-testid=transfer-open]");
    d.click("[data-testid=transfer-open]");
    d.wait("[data-testid=transfer-reason]");
    pick(&d, "[data-testid=transfer-office]", "拱墅区受理点");
    d.type_into("[data-testid=transfer-reason]", "申请人迁居拱墅区，由拱墅区受理点续办");
    d.shot("transfer-dialog");
    d.click("[data-testid=transfer-submit]");
    d.wait_text("已移交到拱墅区受理点");
    d.shot("transferred");
    wait_synced(&d, Duration::from_secs(30));
    // The tree counts it under 拱墅 now.
    d.click("[data-testid=admin-tab-offices]");
    let gs = tree_row(&d, "ZJHZGS");
    assert!(gs.contains(" 1 "), "{gs}");
    assert!(!tree_row(&d, "ZJHZSC").contains(" 1 "));
    d.shot("tree-after-transfer");

    // 拱墅's station gets the case with its next sync and may change it;
    // 上城's may not any more.
    let (moved, _) = county2.sync_until("the transferred case", |s| s.draft("上城·南宋御街夜色"));
    assert_eq!(moved, county_case);
    county.synced();
    let refused = county.rename(&county_case, "上城·改名").unwrap_err();
    let refused = refused.to_string();
    assert!(
        refused.contains("拱墅区受理点（ZJHZGS）") && refused.contains("不在本工作站的范围内"),
        "{refused}"
    );
    county2.rename(&moved, "拱墅·南宋御街夜色").unwrap();
    county2.synced();
    drop(d);
    server.stop();
}
