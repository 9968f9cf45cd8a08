//! The reports desk's 统计报表 at 1280×800, as the supervisor 赵敏 uses it: a month's national
//! form and announcement list, the year's summary and the overview's charts, each exported as
//! xlsx and PDF; the figures agree with the queues and with what the office did (registrations
//! spread over 2026, some at the subordinate offices, one revoked, some still in review).
//! The exported PDFs are kept as PNG beside the screenshots.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use regdesk_domain::lifecycle::{CaseState, PaymentMethod, RevocationGround};
use regdesk_domain::payment::{TransferCommand, TransferInput};
use regdesk_domain::signature::SignatureMethod;
use regdesk_store::*;

use crate::support::documents;
use crate::support::office::{app, fresh_shots, scan, Office};
use crate::support::steps::{open_desk, sign_in_at_desk};
use crate::support::webdriver::Desk;

/// Registrations of each month, as (year, month, how many); the days are spread inside the month.
const REGISTERED: &[(i32, u32, usize)] = &[
    (2026, 3, 1),
    (2026, 4, 2),
    (2026, 5, 1),
    (2026, 6, 2),
    (2026, 7, 1),
    (2026, 8, 2),
    (2026, 9, 1),
    (2026, 10, 3),
    (2026, 11, 4),
];

/// What the office did, as the walk checks it.
struct Made {
    office: Office,
    /// Registrations still standing, per year.
    in_2025: usize,
    in_2026: usize,
    /// Of November 2026: standing registrations, those of 杭州, and the revoked one's number.
    november: usize,
    november_hangzhou: usize,
    revoked: String,
    first_review: usize,
    final_review: usize,
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// The sample office's filings made on 1 March 2026 (its works were completed in March 2026),
/// every one signed; then month by month
/// paid, passed two days later and registered the day after, on the office's clock
/// ([`REGISTERED`]), the last November registration revoked, three cases left in first review and two in final review. One
/// registration in four belongs to 杭州 and one in six to 宁波 (as sync brings them).
fn office_over_two_years() -> Made {
    let office = Office::empty();
    let clock = Arc::new(FixedClock::new(utc(2026, 3, 1, 1)));
    let store = Store::open_with_keys(office.path(), clock.clone(), office.keys()).unwrap();
    let registrations: usize = REGISTERED.iter().map(|r| r.2).sum();
    let (first_review, final_review) = (3, 2);
    let wanted = registrations + first_review + final_review;
    // A third of the sample filings are drafts and a third signed in part: all are signed below.
    regdesk_store::demo::fill(&store, wanted as u32).unwrap();
    let login = |u: &str| {
        store
            .login(&LoginInput {
                username: u.into(),
                password: "Banquan2026".into(),
            })
            .unwrap()
    };
    let admin = login("admin");
    for (code, name) in [("ZJHZ", "杭州市版权局"), ("ZJNB", "宁波市版权局")] {
        store
            .add_subordinate_office(
                &admin,
                &regdesk_domain::office::SubordinateOfficeInput {
                    code: code.into(),
                    name: name.into(),
                    parent_code: "ZJ".into(),
                },
            )
            .unwrap();
    }
    let db = || regdesk_store::connect(&office.path().join(DB_FILE), &store.keys().database()).unwrap();
    let ids = |states: &str| -> Vec<String> {
        let c = db();
        let mut stmt = c
            .prepare(&format!(
                "SELECT id FROM cases WHERE state IN ({states}) ORDER BY serial"
            ))
            .unwrap();
        let out = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        out
    };
    let clerk = login("wangli");
    let signed = store
        .add_file(
            &clerk,
            std::path::Path::new(&scan(office.path(), "签章页.png")),
            regdesk_domain::staff::FilePurpose::SignedForm,
        )
        .unwrap();
    for id in ids("'draft', 'awaiting_signatures'") {
        let mut d = store.case_detail(&clerk, &id).unwrap();
        if d.state == CaseState::Draft {
            d = store
                .submit_for_signing(
                    &clerk,
                    &CaseRef {
                        case_id: d.id.clone(),
                        version: d.version,
                    },
                )
                .unwrap();
        }
        let waiting: Vec<_> = d
            .signing
            .iter()
            .filter(|l| l.record.is_none())
            .map(|l| l.signer.party)
            .collect();
        for who in waiting {
            d = store
                .record_signature(
                    &clerk,
                    &RecordSignatureInput {
                        case_id: d.id.clone(),
                        version: d.version,
                        signer: who,
                        method: SignatureMethod::PaperScan {
                            scan_ref: signed.id.clone(),
                        },
                    },
                )
                .unwrap();
        }
    }
    let cases = ids("'awaiting_payment'");
    assert_eq!(cases.len(), wanted);

    // Accepted on `at` (paid and confirmed), first review three days later.
    let accept = |id: &str, at: DateTime<Utc>, i: usize| {
        clock.set(at);
        let t = store
            .record_transfer(
                &login("chenxy"),
                &RecordTransferInput {
                    transfer: TransferInput {
                        method: PaymentMethod::BankTransfer,
                        payer: "杭州某某版权代理有限公司".into(),
                        payer_account: "6222020200012345678".into(),
                        payer_bank: "工商银行杭州分行".into(),
                        amount_fen: 15_000,
                        received_at: (at - chrono::Duration::hours(2)).naive_utc(),
                        reference: format!("ICBC-E2E-STATS-{i:03}"),
                        purpose: "作品登记费".into(),
                    },
                    receipt_file_id: None,
                    shares: vec![ShareInput {
                        case_id: id.to_string(),
                        amount_fen: 15_000,
                    }],
                },
            )
            .unwrap();
        store
            .check_transfer(
                &login("hejun"),
                &CheckTransferInput {
                    id: t.id,
                    version: t.version,
                    command: TransferCommand::Confirm,
                },
            )
            .unwrap();
    };
    let pass = |id: &str, at: DateTime<Utc>| {
        clock.set(at);
        let li = login("liwen");
        let d = store.case_detail(&li, id).unwrap();
        store
            .first_review(
                &li,
                &ReviewDecisionInput {
                    case_id: d.id,
                    version: d.version,
                    decision: ReviewDecision::Pass,
                },
            )
            .unwrap();
    };
    let approve = |id: &str, at: DateTime<Utc>| -> CaseDetail {
        clock.set(at);
        let zhang = login("zhangwei");
        let d = store.case_detail(&zhang, id).unwrap();
        store
            .final_review(
                &zhang,
                &FinalDecisionInput {
                    case_id: d.id,
                    version: d.version,
                    decision: FinalDecision::Approve,
                },
            )
            .unwrap()
    };

    let mut next = cases.iter();
    let (mut in_2025, mut in_2026, mut november, mut november_hangzhou) = (0, 0, 0, 0);
    let mut revoked = String::new();
    let mut made = 0usize;
    for &(year, month, n) in REGISTERED {
        for k in 0..n {
            let id = next.next().unwrap();
            // Accepted, passed two days later and registered the day after, within the month.
            let accepted = utc(year, month, 1 + 6 * k as u32, 2);
            accept(id, accepted, made);
            pass(id, accepted + chrono::Duration::days(2));
            let c = approve(id, accepted + chrono::Duration::days(3));
            made += 1;
            // One in four to 杭州, one in six to 宁波 (cases that arrived by sync).
            let office_code = match made {
                m if m % 4 == 0 => Some("ZJHZ"),
                m if m % 6 == 0 => Some("ZJNB"),
                _ => None,
            };
            if let Some(code) = office_code {
                db().execute("UPDATE cases SET office_code = ?1 WHERE id = ?2", [code, id.as_str()])
                    .unwrap();
            }
            let last_of_november = (year, month, k) == (2026, 11, n - 1);
            if last_of_november {
                clock.set(accepted + chrono::Duration::days(3) + chrono::Duration::hours(2));
                let boss = login("admin");
                let c = store.case_detail(&boss, &c.id).unwrap();
                revoked = c.registration_number.clone().unwrap();
                store
                    .revoke_registration(
                        &boss,
                        &RevokeInput {
                            case_id: c.id,
                            version: c.version,
                            ground: RevocationGround::ApplicantRequest,
                            note: "申请人书面申请撤销".into(),
                        },
                    )
                    .unwrap();
                continue;
            }
            match year {
                2025 => in_2025 += 1,
                _ => in_2026 += 1,
            }
            if (year, month) == (2026, 11) {
                november += 1;
                if office_code == Some("ZJHZ") {
                    november_hangzhou += 1;
                }
            }
        }
    }
    // Still in review at the end of November.
    for (k, id) in next.by_ref().take(first_review).enumerate() {
        accept(id, utc(2026, 11, 23 + k as u32, 2), made + k);
    }
    let rest: Vec<&String> = next.collect();
    for (k, id) in rest.iter().enumerate() {
        accept(id, utc(2026, 11, 26, 2 + k as u32), made + 10 + k);
    }
    for (k, id) in rest.iter().enumerate() {
        pass(id, utc(2026, 11, 27, 2 + k as u32));
    }
    Made {
        office,
        in_2025,
        in_2026,
        november,
        november_hangzhou,
        revoked,
        first_review,
        final_review,
    }
}

/// The number in a queue tab's label (`已登记 24`).
fn tab_count(d: &Desk, queue: &str) -> usize {
    let t = d.text(&format!("[data-testid=tab-{queue}]"));
    t.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no count in the tab “{t}”"))
}

/// Scrolls `css` to the top of the window, then saves a screenshot.
fn shot_of(d: &mut Desk, css: &str, name: &str) {
    d.wait(css);
    d.js(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'start'})",
        serde_json::json!([css]),
    );
    d.shot(name);
}

/// Exports the report on screen in both formats: the xlsx and the PDF are written and opened.
fn export_both(d: &Desk, data: &Office, kind: &str) {
    for format in ["xlsx", "pdf"] {
        let before = data.opened_files().len();
        d.click(&format!("[data-testid=export-{kind}-{format}]"));
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while data.opened_files().len() == before {
            assert!(
                std::time::Instant::now() < deadline,
                "the {kind} {format} was not opened"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        d.wait_text("已导出：");
    }
}

/// Opens a report's tab and waits for its panel. Once in CI (2026-12-07) the
/// overview's tab was clicked right after an export's notice and the tab
/// stayed on the summary for 20 s; a person clicks again, and so does this
/// (at most three times, five seconds apart).
fn open_tab(d: &Desk, tab: &str, panel: &str) {
    for _ in 0..3 {
        d.click(&format!("[data-testid=stats-tab-{tab}]"));
        let until = std::time::Instant::now() + Duration::from_secs(5);
        while std::time::Instant::now() < until {
            if d.visible(panel) {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    d.wait(panel);
}

/// Picks a period as a person does: the kind, then the month or year typed into the picker.
fn pick(d: &Desk, kind: &str, typed: &str) {
    d.js(
        "[...document.querySelectorAll('[data-testid=stats-kind] .ant-segmented-item')].find(e=>e.innerText.trim()===arguments[0]).click()",
        serde_json::json!([kind]),
    );
    crate::support::steps::pause();
    let input = ".stats-controls .ant-picker input";
    d.retype(input, typed);
    d.keys(input, crate::support::keys::ENTER);
    crate::support::steps::pause();
    // The picker's panel closes as the person moves on to the next field.
    d.keys(input, crate::support::keys::TAB);
    crate::support::steps::pause();
    d.click("[data-testid=stats-load]");
}

#[test]
fn the_supervisor_reads_the_month_the_year_and_the_charts_and_exports_them() {
    let made = office_over_two_years();
    let data = made.office.with_print_service();
    let shots = fresh_shots("reports");
    let mut d = Desk::start(&app(), &data, &shots);
    let size = d.js("return [window.innerWidth, window.innerHeight]", serde_json::json!([]));
    eprintln!("window: {size}");

    sign_in_at_desk(&d, "zhaomin");
    open_desk(&d, "reports");
    // The queues the figures must agree with.
    let registered = tab_count(&d, "registered");
    assert_eq!(registered, made.in_2025 + made.in_2026);
    assert_eq!(tab_count(&d, "first_review"), made.first_review);
    assert_eq!(tab_count(&d, "final_review"), made.final_review);
    d.shot("reports-desk-queues");
    d.click("[data-testid=tab-stats]");
    d.wait("[data-testid=stats]");

    // 作品登记情况月度统计表 of November 2026.
    pick(&d, "月", "2026-11");
    d.wait_text("统计期间：2026年11月");
    d.wait("[data-testid=monthly-form]");
    let total_row = d.js(
        "const r=document.querySelector('[data-testid=monthly-form] tr.stats-total-row'); return r ? [...r.querySelectorAll('td')].map(c=>c.innerText) : []",
        serde_json::json!([]),
    );
    assert_eq!(
        total_row[1].as_str(),
        Some(made.november.to_string().as_str()),
        "{total_row}"
    );
    let hz_row = d.js(
        "const r=[...document.querySelectorAll('[data-testid=monthly-form] tbody tr')].find(r=>r.innerText.includes('杭州市版权局')); return r ? [...r.querySelectorAll('td')].map(c=>c.innerText) : []",
        serde_json::json!([]),
    );
    assert_eq!(
        hz_row[1].as_str(),
        Some(made.november_hangzhou.to_string().as_str()),
        "{hz_row}"
    );
    d.wait("[data-testid=form-revoked]");
    d.shot("monthly-form");
    export_both(&d, &data, "monthly_form");

    // 作品登记公告: the month's registrations, the revoked one apart.
    open_tab(&d, "announcement", "[data-testid=announcement]");
    d.wait_text(&format!("共 {} 件", made.november));
    d.wait("[data-testid=announcement-revoked]");
    assert!(d.text("[data-testid=announcement-revoked]").contains(&made.revoked));
    d.shot("announcement");
    export_both(&d, &data, "announcement");

    // The year's summary: 2026 against 2025.
    pick(&d, "年", "2026");
    open_tab(&d, "summary", "[data-testid=summary]");
    d.wait_text("统计期间：2026年");
    let figures = d.text("[data-testid=summary-figures]");
    assert!(figures.contains(&made.in_2026.to_string()), "{figures}");
    assert!(figures.contains(&made.in_2025.to_string()), "{figures}");
    d.shot("yearly-summary");
    shot_of(&mut d, "[data-testid=chart-category]", "yearly-summary-category");
    shot_of(&mut d, "[data-testid=chart-office]", "yearly-summary-office");
    export_both(&d, &data, "summary");

    // The overview's charts, each beside its table.
    open_tab(&d, "overview", "[data-testid=overview]");
    d.wait("[data-testid=chart-monthly] canvas");
    let monthly = d.js(
        "return [...document.querySelectorAll('[data-testid=chart-monthly] tbody tr')].map(r=>[...r.querySelectorAll('td')].map(c=>c.innerText))",
        serde_json::json!([]),
    );
    let sum = |col: usize| -> usize {
        monthly
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[col].as_str().unwrap().parse::<usize>().unwrap())
            .sum()
    };
    assert_eq!((sum(1), sum(2)), (made.in_2026, made.in_2025), "{monthly}");
    // This year and last together are the 已登记 queue.
    assert_eq!(sum(1) + sum(2), registered);
    let backlog = d.text("[data-testid=chart-backlog-now]");
    assert!(backlog.contains("待初审"), "{backlog}");
    for chart in [
        "chart-monthly",
        "chart-category",
        "chart-office",
        "chart-backlog-now",
        "chart-backlog",
        "chart-durations",
        "chart-workload",
    ] {
        d.wait(&format!("[data-testid={chart}] canvas"));
        shot_of(&mut d, &format!("[data-testid={chart}]"), &format!("overview-{chart}"));
    }
    export_both(&d, &data, "supervisor");

    // Every export exists, and the PDFs read back.
    let store = data.open();
    let exports = store.documents_dir(DocumentFolder::Exports).unwrap();
    let files: Vec<String> = std::fs::read_dir(&exports)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.iter().filter(|f| f.ends_with(".xlsx")).count(), 4, "{files:?}");
    let pdfs = documents::pdfs_in(&exports);
    assert_eq!(pdfs.len(), 4, "{files:?}");
    let texts: Vec<String> = pdfs.iter().map(|p| documents::text(p)).collect();
    let all = texts.join("\n");
    for needle in [
        "作品登记情况月度统计表",
        "作品登记公告",
        "单位：件",
        "杭州市版权局",
        made.revoked.as_str(),
        "逐月登记数",
    ] {
        assert!(all.contains(needle), "“{needle}” in no exported PDF:\n{all}");
    }
    for (i, pdf) in pdfs.iter().enumerate() {
        let pages = documents::info(pdf);
        eprintln!(
            "{}: {}",
            pdf.display(),
            pages.lines().find(|l| l.starts_with("Pages")).unwrap_or("")
        );
        documents::pages_as_png(pdf, &shots, &format!("export-{i}"), 100, 1, 3);
    }
}
