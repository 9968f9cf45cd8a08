//! Two desks and the office's central server. The server is the built
//! `regdesk-server` with its own PostgreSQL; desk A is the real app, joined
//! to the office through its first-start screen (加入已有机构); station B is
//! another workstation's store, synced as `regdesk sync` does. Work made at
//! one desk shows at the other without a restart; a server that stops and
//! comes back is caught up with by itself; a clash made offline lands in A's
//! 需处理 inbox with the case's banner, and 重做 opens what A entered.

use std::time::{Duration, Instant};

use regdesk_domain::queue::Queue;
use regdesk_store::{QueueInput, SaveDraftInput};

use crate::support::keys::{CTRL_S, ENTER};
use crate::support::office::{app, fresh_shots, Office};
use crate::support::server::{Network, Server};
use crate::support::station::Station;
use crate::support::steps::{open_row, pause, row_text, sign_in_at_desk};
use crate::support::webdriver::Desk;

impl Station {
    /// The case of `queue` whose title contains `title`: (id, serial).
    fn case(&self, queue: Queue, title: &str) -> Option<(String, String)> {
        let page = self
            .store
            .list_queue(&self.login("wangli"), &QueueInput::first(queue, 100))
            .unwrap();
        page.rows
            .into_iter()
            .find(|r| r.title.contains(title))
            .map(|r| (r.id, r.serial))
    }
}

/// Waits until the queue `queue` shows the row of `serial`; its text.
fn queue_row(d: &Desk, queue: &str, serial: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let row = row_text(d, queue, serial);
        if !row.is_empty() {
            return row;
        }
        if Instant::now() > deadline {
            panic!("the queue {queue} never showed {serial}:\n{}", d.page_text());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits until the field `css` (the last one matching) holds `want`.
fn wait_value(d: &Desk, css: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = d.js(
            "const f=[...document.querySelectorAll(arguments[0])].pop(); return f ? f.value : null;",
            serde_json::json!([css]),
        );
        if got.as_str() == Some(want) {
            return;
        }
        if Instant::now() > deadline {
            panic!("`{css}` holds {got} instead of “{want}”");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Waits until the header's sync state is `state` (单机 alone, synced,
/// syncing, offline), within `limit`.
fn wait_state(d: &Desk, state: &str, limit: Duration) -> String {
    d.wait_for(&format!("[data-testid=sync-state][data-state={state}]"), limit);
    d.text("[data-testid=sync-state]")
}

/// Waits until the header says everything went up: synced, nothing pending.
fn wait_synced(d: &Desk, limit: Duration) {
    let text = wait_state(d, "synced", limit);
    assert_eq!(text, "已同步", "{text}");
}

#[test]
fn two_desks_share_the_office_through_the_server_and_catch_up_after_it_stops() {
    let root = tempfile::tempdir().unwrap();
    let mut server = Server::init(&root.path().join("server"));
    server.start();
    let code_a = server.add_station("受理窗口1");
    let code_b = server.add_station("受理窗口2");
    // Each desk's way to the server (the server's address changes when it
    // starts again; A's cable can be pulled).
    let network = Network::new(server.addr());
    let network_b = Network::new(server.addr());

    // Station B joins first; its admin adds the office's staff, who each
    // sign in once and choose their password (the sample office's people).
    let b = Station::enrol(&network_b.url(), server.fingerprint(), &code_b);
    regdesk_store::demo::fill(&b.store, 0).unwrap();
    let out = b.sync();
    assert_eq!((out.rejected, out.error.clone()), (0, None), "{out:?}");

    // Desk A, first start: 加入已有机构 with the code and fingerprint the
    // server's administrator gave; its first sync; then the sign-in.
    let a = Office::empty();
    let shots = fresh_shots("sync");
    let mut d = Desk::start(&app(), &a, &shots);
    d.click("[data-testid=setup-join]");
    d.wait("[data-testid=enrol-form]");
    d.type_into("[data-testid=enrol-server]", &network.url());
    d.type_into("[data-testid=enrol-code]", &code_a);
    d.type_into("[data-testid=enrol-fingerprint]", server.fingerprint());
    d.shot("join-form");
    d.click("[data-testid=enrol-submit]");
    d.wait_for("#login_username", Duration::from_secs(60));
    d.shot("joined-sign-in");
    sign_in_at_desk(&d, "wangli");
    wait_synced(&d, Duration::from_secs(20));
    assert!(d.text("[data-testid=office-station]").contains("受理窗口1"));
    d.shot("counter-synced");

    // 1. A filing saved and one submitted at B show in A's queues, without a restart.
    regdesk_store::demo::fill(&b.store, 2).unwrap();
    let (draft_id, draft_serial) = b.case(Queue::Drafts, "（1）").expect("B's draft");
    let (_, submitted) = b.case(Queue::AwaitingSignature, "（2）").expect("B's submitted filing");
    let out = b.sync();
    assert_eq!((out.rejected, out.error.clone()), (0, None), "{out:?}");
    let seen = Instant::now();
    d.click("[data-testid=tab-drafts]");
    assert!(queue_row(&d, "drafts", &draft_serial).contains("（1）"));
    d.click("[data-testid=tab-awaiting_signature]");
    assert!(queue_row(&d, "awaiting_signature", &submitted).contains("待签章"));
    assert!(
        seen.elapsed() < Duration::from_secs(10),
        "B's filings took {:?} to show at A",
        seen.elapsed()
    );
    d.wait_gone(".ant-table .ant-spin-spinning");
    d.shot("b-filings-at-a");

    // 2. A's new filing reaches B with B's next sync.
    d.click("[data-testid=filing-new]");
    d.wait_focus("#filing_work_title");
    d.press("西溪湿地四季");
    d.press(ENTER);
    d.press("摄影");
    pause();
    d.press(ENTER);
    pause();
    d.press(ENTER);
    d.press("2026-10-01");
    d.press(CTRL_S);
    d.wait("[data-testid=filing-serial]");
    let a_serial = d.text("[data-testid=filing-serial]");
    wait_synced(&d, Duration::from_secs(20));
    let (a_case, at_b) = b.sync_until("A's filing", |b| b.case(Queue::Drafts, "西溪湿地四季"));
    assert!(a_serial.contains(&at_b), "{a_serial} / {at_b}");

    // 3. The server stops. A keeps working: the header says 离线 · N 条待同步.
    server.stop();
    d.click("[data-testid=filing-step-2]");
    d.wait("#filing_owners_0_name");
    d.type_into("#filing_owners_0_name", "林晓雨");
    d.press(CTRL_S);
    d.wait_text("已暂存");
    let offline = wait_state(&d, "offline", Duration::from_secs(30));
    assert!(
        offline.starts_with("离线 · ") && offline.ends_with("条待同步"),
        "{offline}"
    );
    assert!(!offline.contains("· 0 条"), "A's work waits: {offline}");
    d.shot("offline-pending");
    // The server comes back on the same data directory: A catches up by itself.
    server.start();
    network.route_to(server.addr());
    network_b.route_to(server.addr());
    wait_synced(&d, Duration::from_secs(45));
    d.shot("back-online");
    b.sync_until("A's offline work", |b| {
        let owners = b.store.case_detail(&b.login("wangli"), &a_case).unwrap().draft.owners;
        owners.first().filter(|o| o.name == "林晓雨").map(|_| ())
    });
    d.click("[data-testid=filing-close]");
    d.wait_gone("[data-testid=filing-workspace]");

    // 4. A clash: A's cable is pulled, A renames B's draft; B renames it too
    // and its change reaches the server first. A's entry is rejected.
    network.cut();
    d.click("[data-testid=tab-drafts]");
    open_row(&d, "drafts", &draft_serial);
    d.wait("#filing_work_title");
    d.retype("#filing_work_title", "西湖十景·苏堤春晓");
    d.press(CTRL_S);
    d.wait_text("已暂存");
    wait_state(&d, "offline", Duration::from_secs(30));
    let clerk = b.login("wangli");
    let detail = b.store.reveal_case(&clerk, &draft_id).unwrap();
    let mut draft = detail.draft.clone();
    draft.work.title = "西湖十景·断桥残雪".into();
    b.store
        .save_draft(
            &clerk,
            &SaveDraftInput {
                case_id: Some(draft_id.clone()),
                version: Some(detail.version),
                applicant_id: detail.applicant_id.clone(),
                draft,
            },
        )
        .unwrap();
    let out = b.sync();
    assert!(out.accepted >= 1 && out.rejected == 0 && out.error.is_none(), "{out:?}");
    network.mend();
    d.wait_for("[data-testid=sync-inbox-badge]", Duration::from_secs(45));
    wait_synced(&d, Duration::from_secs(20));
    assert_eq!(d.text("[data-testid=sync-inbox-badge]"), "需处理 1");
    // The open case shows the server's truth, and says why.
    d.wait("[data-testid=case-sync-banner]");
    wait_value(&d, "#filing_work_title", "西湖十景·断桥残雪");
    d.shot("case-banner");

    // The banner opens 需处理: who, the reason, their values and the server's.
    d.click("[data-testid=case-sync-open]");
    d.wait("[data-testid=inbox-item]");
    let reason = d.text("[data-testid=inbox-reason]");
    assert!(!reason.trim().is_empty());
    let compare = d.text("[data-testid=inbox-row]");
    assert!(
        compare.contains("西湖十景·苏堤春晓") && compare.contains("西湖十景·断桥残雪"),
        "{compare}"
    );
    // In words: the fields' names, no bookkeeping columns.
    assert!(compare.contains("作品名称"), "{compare}");
    for raw in ["updated_at", "search_rowid", "draft_format", "draft.work"] {
        assert!(!compare.contains(raw), "{raw} shown: {compare}");
    }
    d.shot("inbox");
    // The sync page around it: the server, this station, the pinned CA, the
    // last sync, what waits; 立即同步 runs a round and says how it went.
    assert_eq!(d.text("[data-testid=sync-server]"), network.url());
    assert!(d.text("[data-testid=sync-station]").contains("受理窗口1"));
    assert!(d.text("[data-testid=sync-fingerprint]").contains(server.fingerprint()));
    assert_ne!(d.text("[data-testid=sync-last-success]"), "从未");
    assert!(d.text("[data-testid=sync-pending]").ends_with("条"));
    d.click("[data-testid=sync-now]");
    d.wait_for("[data-testid=sync-outcome]", Duration::from_secs(30));
    let outcome = d.text("[data-testid=sync-outcome]");
    assert!(outcome.starts_with("上传 "), "{outcome}");
    d.shot("sync-screen");
    // 重做 opens the filing prefilled with what A entered.
    d.click("[data-testid=inbox-redo]");
    wait_value(&d, ".ant-drawer #filing_work_title", "西湖十景·苏堤春晓");
    d.shot("inbox-redo");
    drop(d);
    server.stop();
}
