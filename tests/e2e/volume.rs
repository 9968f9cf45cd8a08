//! The real app at the design volume (docs/DOMAIN.md §1: a million cases in one
//! office): every desk opened as its people open it, a queue paged (the next
//! page, a deep page by its number, the last page), sorted by each sortable
//! column and searched with the worst inputs, and the top bar searched with
//! the same inputs. Every step is timed from the click or the last keystroke
//! to the first frame painted with the new rows, measured in the page
//! (`performance.now()` at the `mousedown`/`keydown`/`input` event, then the
//! animation frame after the table shows the expected rows with no spinner),
//! and written to `target/e2e-timings/volume.json` and `volume.md`. Nothing is
//! asserted about the times; what is asserted is that the rows the app paints
//! are the ones the store gives for the same question, and that the counts on
//! the tabs and under the tables are the store's counts.
//!
//! The office: `REGDESK_E2E_VOLUME_OFFICE=<data dir>` walks a copy of an office
//! built elsewhere (`regdesk demo --cases 1000000 --data-dir …`; its key from
//! `REGDESK_E2E_VOLUME_KEY`, a file with its recovery code, or where the store
//! finds it); otherwise the sample office grown by `demo::grow_office` to
//! `REGDESK_E2E_VOLUME_CASES` cases ([`DEFAULT_CASES`], small enough for every
//! CI run).

use std::time::{Duration, Instant};

use regdesk_domain::queue::Queue;
use regdesk_domain::staff::Desk as DeskKind;
use regdesk_store::{
    CasePage, CaseSearchInput, CaseSearchResult, LoginInput, QueueInput, QueueSort, QueueSortKey, Session, Store,
};
use serde_json::{json, Value};

use crate::support::keys::ENTER;
use crate::support::office::{app, fresh_shots, Office};
use crate::support::steps::{sign_out, PASSWORD};
use crate::support::webdriver::Desk;

/// Cases in the office grown for the walk when no size or office is given.
const DEFAULT_CASES: u64 = 5_000;

/// Rows a queue page shows (`PAGE_SIZE` in `ui/src/shared/QueueTable.tsx`).
const PAGE: u32 = 20;

/// Rows a page of 待制证 shows (`PAGE_SIZE` in `ui/src/certificates/ToPrintTab.tsx`).
const CERTIFICATE_PAGE: u32 = 50;

/// The worst inputs of a search box, with what they stand for.
fn worst_inputs(serial: &str) -> Vec<(&'static str, String)> {
    vec![
        ("two characters no case holds", "鑫淼".to_string()),
        ("a common two-character name", "张伟".to_string()),
        ("a whole serial", serial.to_string()),
        ("a title word", "西湖".to_string()),
        ("what every serial holds", "ZJ-".to_string()),
    ]
}

/// Arms the page's stopwatch: the time of the last click or keystroke from now
/// on, then, each animation frame, whether `root` shows what `want` says (no
/// spinner, the expected first row, row count and total, or the expected empty
/// state) and differs from what it showed before (or a spinner came and went);
/// the frame after that is the one painted with the new rows.
const ARM: &str = r#"
const [css, want] = arguments;
const v = window.__vol = { last: null, done: null, spun: false, rows: 0, painted: null };
const evs = ['mousedown', 'keydown', 'input'];
const onEv = () => { v.last = performance.now(); };
evs.forEach((e) => document.addEventListener(e, onEv, true));
const seen = (e) => e.getClientRects().length > 0;
const roots = () => [...document.querySelectorAll(css)].filter(seen);
// Rows on screen: a tab's hidden pane keeps its table's rows.
const rowsOf = (el) => [...el.querySelectorAll(want.row)].filter(seen);
const sig = () => roots().map((el) => {
  const rows = rowsOf(el).map((r) => r.innerText).join('\n');
  const total = el.querySelector('.ant-pagination-total-text');
  return rows + '|' + (total ? total.innerText : '') + '|' + (el.querySelector(want.empty_sel) ? 'empty' : '');
}).join('#');
v.before = sig();
const spinning = (el) => [...el.querySelectorAll('.ant-spin-spinning')].some((s) => s.getClientRects().length > 0);
const shows = (el) => {
  if (spinning(el)) { v.spun = true; return false; }
  const rows = rowsOf(el);
  if (want.empty) {
    if (rows.length > 0 || !el.querySelector(want.empty_sel)) return false;
  } else {
    if (rows.length === 0) return false;
    if (want.first && !rows[0].innerText.includes(want.first)) return false;
    if (want.rows && rows.length !== want.rows) return false;
  }
  if (want.total && !el.innerText.includes(want.total)) return false;
  v.rows = rows.length;
  return true;
};
// Checked at every animation frame and, should the window get no frames, every 8 ms;
// done at the next frame (painted), or 3 s after without one (not painted).
let ready = null;
const finish = (painted) => {
  if (v.done !== null) return;
  v.done = (painted ? performance.now() : ready) - v.last;
  v.painted = painted;
  clearInterval(timer);
  evs.forEach((e) => document.removeEventListener(e, onEv, true));
};
const check = () => {
  if (ready !== null || v.last === null) return;
  if (roots().some(shows) && (v.spun || sig() !== v.before)) {
    ready = performance.now();
    requestAnimationFrame(() => finish(true));
    setTimeout(() => finish(false), 3000);
  }
};
const timer = setInterval(check, 8);
v.frames = 0;
const frame = () => {
  v.frames++;
  check();
  if (ready === null) requestAnimationFrame(frame);
};
requestAnimationFrame(frame);
"#;

/// What a step must paint before it counts as done.
struct Want {
    /// The rows (or lines) the step paints.
    row: &'static str,
    /// The empty state, when no rows are expected.
    empty_sel: &'static str,
    /// The text the first row shows (a serial).
    first: Option<String>,
    rows: Option<usize>,
    /// Text the area shows (the total under a table, the count of a search).
    total: Option<String>,
    empty: bool,
}

impl Want {
    /// Any rows of a table.
    fn rows() -> Want {
        Want {
            row: ".ant-table-row",
            empty_sel: ".ant-empty",
            first: None,
            rows: None,
            total: None,
            empty: false,
        }
    }

    /// The page of a queue the store gives.
    fn page(p: &CasePage) -> Want {
        Want {
            row: ".ant-table-row",
            empty_sel: ".ant-table-placeholder .ant-empty",
            first: p.rows.first().map(|r| r.serial.clone()),
            rows: Some(p.rows.len()),
            // An empty table has no pagination, so no total under it.
            total: (!p.rows.is_empty()).then(|| {
                if p.more {
                    format!("{}+ 件", p.total)
                } else {
                    format!("共 {} 件", p.total)
                }
            }),
            empty: p.rows.is_empty(),
        }
    }

    /// The top bar's answer the store gives: its first hit (the list shows the
    /// lines that fit and draws the rest when scrolled to; [`top_bar_count`] reads its count).
    fn hits(r: &CaseSearchResult) -> Want {
        Want {
            row: "[data-testid^=global-search-option-]",
            empty_sel: "[data-testid=global-search-none]",
            first: r.hits.first().map(|h| h.case.serial.clone()),
            rows: None,
            total: None,
            empty: r.hits.is_empty() && r.historic.is_empty(),
        }
    }

    fn json(&self) -> Value {
        json!({
            "row": self.row,
            "empty_sel": self.empty_sel,
            "first": self.first,
            "rows": self.rows,
            "total": self.total,
            "empty": self.empty,
        })
    }
}

/// One timed step.
struct Timing {
    who: String,
    desk: String,
    what: String,
    input: String,
    /// Last click or keystroke → first frame painted with the new rows (in the page).
    painted_ms: f64,
    /// The window painted a frame after the rows were there (else: the rows were there, no frame came).
    painted: bool,
    /// The WebDriver command sent → the test saw the rows (includes finding the element).
    driver_ms: f64,
    rows: u64,
}

struct Walk {
    d: Desk,
    log: Vec<Timing>,
    who: String,
}

impl Walk {
    /// Runs `act` and waits until `root` paints what `want` says; records the time.
    fn timed(&mut self, desk: &str, what: &str, input: &str, root: &str, want: &Want, act: impl FnOnce(&Desk)) {
        self.d.js(ARM, json!([root, want.json()]));
        let sent = Instant::now();
        act(&self.d);
        let deadline = sent + Duration::from_secs(90);
        let (ms, rows, painted) = loop {
            let v = self.d.js(
                "return window.__vol && window.__vol.done !== null ? [window.__vol.done, window.__vol.rows, window.__vol.painted] : null",
                json!([]),
            );
            if let Some(a) = v.as_array() {
                break (
                    a[0].as_f64().unwrap(),
                    a[1].as_u64().unwrap_or(0),
                    a[2].as_bool() == Some(true),
                );
            }
            if sent.elapsed() > Duration::from_secs(10)
                && self
                    .d
                    .js("return !!window.__vol && window.__vol.last === null", json!([]))
                    .as_bool()
                    == Some(true)
            {
                panic!("{desk} · {what} {input}: the click or keystroke never reached the page");
            }
            if Instant::now() > deadline {
                let state = self.d.js(
                    "const v=window.__vol||{}; return JSON.stringify({last:v.last, spun:v.spun, frames:v.frames, \
                     spinners:[...document.querySelectorAll('.ant-spin-spinning')].map((s)=>s.getClientRects().length), \
                     before:(v.before||'').slice(0,300), \
                     roots:[...document.querySelectorAll(arguments[0])].map((e)=>({vis:e.getClientRects().length, \
                       rows:e.querySelectorAll(arguments[1].row).length, first:((e.querySelector(arguments[1].row)||{}).innerText||'').slice(0,80), \
                       total:arguments[1].total ? e.innerText.includes(arguments[1].total) : null}))})",
                    json!([root, want.json()]),
                );
                panic!(
                    "{desk} · {what} {input}: `{root}` never showed {}\nstopwatch: {state}\nthe page says:\n{}",
                    want.json(),
                    self.d.page_text()
                );
            }
            std::thread::sleep(Duration::from_millis(40));
        };
        let driver_ms = sent.elapsed().as_secs_f64() * 1000.0;
        eprintln!(
            "volume: {desk} · {what} {input}: {ms:.0} ms{} ({driver_ms:.0} ms by WebDriver), {rows} rows",
            if painted { " painted" } else { ", no frame" }
        );
        self.log.push(Timing {
            who: self.who.clone(),
            desk: desk.into(),
            what: what.into(),
            input: input.into(),
            painted_ms: ms,
            painted,
            driver_ms,
            rows,
        });
    }

    /// Signs in as `user` and times the first desk to its rows.
    fn sign_in(&mut self, user: &str, first_desk: &str, want: &Want) {
        self.who = user.into();
        self.d.wait("#login_username");
        self.d.retype("#login_username", user);
        self.d.retype("#login_password", PASSWORD);
        self.timed(
            first_desk,
            "sign in → first desk",
            "",
            &format!("[data-desk={first_desk}]"),
            want,
            |d| d.click_checked("[data-testid=login-submit]"),
        );
        self.shot(&format!("{user}-{first_desk}"));
    }

    /// Opens a desk from the menu, timed to its rows.
    fn open_desk(&mut self, desk: &str, want: &Want) {
        self.timed(desk, "open the desk", "", &format!("[data-desk={desk}]"), want, |d| {
            d.click_checked(&format!("[data-testid=menu-{desk}]"))
        });
        self.shot(&format!("{}-{desk}", self.who));
    }

    fn shot(&mut self, name: &str) {
        self.d.shot(name);
    }

    /// The tab badges (and overdue tags) of a desk equal the store's kept counts.
    fn check_counts(&self, desk: &str, overview: &regdesk_store::DeskOverview) -> usize {
        let mut seen = 0;
        for q in &overview.queues {
            let badge = self.d.js(
                "const t=document.querySelector(`[data-desk=${arguments[0]}] [data-testid=tab-${arguments[1]}]`); \
                 if(!t) return null; const s=t.querySelector('.ant-scroll-number'); \
                 const o=document.querySelector(`[data-desk=${arguments[0]}] [data-testid=overdue-${arguments[1]}]`); \
                 return [s ? s.getAttribute('title') : null, o ? o.innerText : ''];",
                json!([desk, q.queue]),
            );
            let Some(b) = badge.as_array() else { continue };
            seen += 1;
            assert_eq!(
                b[0].as_str(),
                Some(q.count.to_string().as_str()),
                "{desk}: the badge of {} shows the store's count",
                q.label
            );
            if q.overdue > 0 {
                assert_eq!(
                    b[1].as_str(),
                    Some(format!("超期 {}", q.overdue).as_str()),
                    "{desk}: overdue of {}",
                    q.label
                );
            } else {
                assert_eq!(b[1].as_str(), Some(""), "{desk}: no overdue tag on {}", q.label);
            }
        }
        seen
    }
}

/// The count line at the end of the top bar's list, as the store counts it.
fn top_bar_count(r: &CaseSearchResult) -> Option<String> {
    if r.more {
        Some(format!("{} 件以上", r.total))
    } else if r.total as usize > r.hits.len() {
        Some(format!("共 {} 件", r.total))
    } else {
        None
    }
}

fn sign_in(store: &Store, user: &str) -> Session {
    store
        .login(&LoginInput {
            username: user.into(),
            password: PASSWORD.into(),
        })
        .unwrap()
}

fn page(
    store: &Store,
    who: &Session,
    queue: Queue,
    page: u32,
    sort: Option<QueueSort>,
    search: Option<&str>,
) -> CasePage {
    store
        .list_queue(
            who,
            &QueueInput {
                queue,
                page,
                page_size: PAGE,
                search: search.map(String::from),
                sort,
                office: None,
                cursor: None,
            },
        )
        .unwrap()
}

/// The office the walk runs on, and how it was made.
fn volume_office() -> (Office, String) {
    if let Some(dir) = std::env::var_os("REGDESK_E2E_VOLUME_OFFICE") {
        let key = std::env::var_os("REGDESK_E2E_VOLUME_KEY").map(std::path::PathBuf::from);
        let started = Instant::now();
        let office = Office::copy_of(std::path::Path::new(&dir), key.as_deref());
        let made = format!(
            "a copy of {} (copied in {:.0} s)",
            std::path::Path::new(&dir).display(),
            started.elapsed().as_secs_f64()
        );
        return (office, made);
    }
    let cases: u64 = std::env::var("REGDESK_E2E_VOLUME_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let office = Office::empty();
    let started = Instant::now();
    {
        let store = office.open();
        regdesk_store::demo::fill_office(&store, 24).unwrap();
        regdesk_store::demo::grow_office(&store, cases, |_| {}).unwrap();
    }
    let made = format!(
        "the sample office grown by demo::grow_office in this build (built in {:.0} s)",
        started.elapsed().as_secs_f64()
    );
    (office, made)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

#[test]
fn every_desk_pages_sorts_and_searches_a_large_office_and_the_times_are_recorded() {
    let (data, made) = volume_office();
    let load_before = load_average();
    let store = data.open();
    let who = |u: &str| sign_in(&store, u);
    let (sunhao, chenxy, liwen, zhangwei, zhaomin, admin) = (
        who("sunhao"),
        who("chenxy"),
        who("liwen"),
        who("zhangwei"),
        who("zhaomin"),
        who("admin"),
    );
    let cases: u64 = {
        let all = store.desk_overview(&zhaomin, DeskKind::Reports).unwrap();
        all.queues.iter().map(|q| u64::from(q.count)).sum()
    };
    let overview = |s: &Session, d| store.desk_overview(s, d).unwrap();
    let first = |s: &Session, q| page(&store, s, q, 1, None, None);

    // What the app must paint, from the store, before the app starts.
    let counter = overview(&sunhao, DeskKind::Counter);
    let counter_first = first(&sunhao, counter.queues[0].queue);
    let reports_first_queue = overview(&zhaomin, DeskKind::Reports).queues[0].queue;
    let reports_chenxy = first(&chenxy, reports_first_queue);
    let reports_zhaomin = first(&zhaomin, reports_first_queue);
    let review = overview(&liwen, DeskKind::FirstReview);
    let review_total = review.queues[0].count;
    let pages = review_total.div_ceil(PAGE);
    assert!(
        pages >= 6,
        "the walk pages a queue of at least 6 pages; 待初审 has {review_total} cases"
    );
    let deep = pages / 2;
    let review_pages: Vec<(&str, u32, CasePage)> = [("page 1", 1), ("the next page", 2)]
        .into_iter()
        .chain([
            ("a deep page by its number", deep),
            ("the page after it", deep + 1),
            ("the last page", pages),
        ])
        .map(|(what, n)| (what, n, page(&store, &liwen, Queue::FirstReview, n, None, None)))
        .collect();
    for (_, n, p) in &review_pages {
        assert_eq!(
            p.total, review_total,
            "page {n}: the queue's total is the desk's kept count"
        );
        assert!(!p.rows.is_empty(), "page {n} has rows");
    }
    let serial = review_pages[2].2.rows[0].serial.clone();
    let sort = |key, descending| Some(QueueSort { key, descending });
    // Each header click: (column title, the order it gives).
    let sorts = [
        ("流水号", "serial ascending", sort(QueueSortKey::Serial, false)),
        ("流水号", "serial descending", sort(QueueSortKey::Serial, true)),
        ("作品名称", "title", sort(QueueSortKey::Title, false)),
        ("申请人", "applicant", sort(QueueSortKey::Applicant, false)),
        ("填报日期", "filing date", sort(QueueSortKey::Created, false)),
        ("办结期限", "deadline", sort(QueueSortKey::Due, false)),
    ];
    let sorted: Vec<CasePage> = sorts
        .iter()
        .map(|(_, _, s)| page(&store, &liwen, Queue::FirstReview, 1, *s, None))
        .collect();
    let last_sort = sorts[sorts.len() - 1].2;
    let inputs = worst_inputs(&serial);
    let queue_searches: Vec<CasePage> = inputs
        .iter()
        .map(|(_, text)| page(&store, &liwen, Queue::FirstReview, 1, last_sort, Some(text)))
        .collect();
    let top_searches: Vec<CaseSearchResult> = inputs
        .iter()
        .map(|(_, text)| {
            store
                .search_cases(
                    &zhaomin,
                    &CaseSearchInput {
                        text: text.clone(),
                        limit: None,
                    },
                )
                .unwrap()
        })
        .collect();
    // The worst inputs are what they say at this volume.
    assert_eq!(top_searches[0].total, 0, "no case holds 鑫淼");
    assert!(
        top_searches[4].more,
        "every serial holds ZJ-: the count stops at its cap"
    );
    assert!(queue_searches[4].more, "the queue's search stops at the cap too");
    let counts = [
        ("counter", counter.clone()),
        ("payments", overview(&chenxy, DeskKind::Payments)),
        ("reports", overview(&zhaomin, DeskKind::Reports)),
        ("first_review", review.clone()),
        ("final_review", overview(&zhangwei, DeskKind::FinalReview)),
        ("certificates", overview(&sunhao, DeskKind::Certificates)),
    ];
    let final_first = first(&zhangwei, Queue::FinalReview);
    // 待制证, the certificate desk's first tab: its first two pages as the store gives them.
    let certificates = |cursor: Option<String>| {
        store
            .certificate_queue(
                &sunhao,
                &regdesk_store::CertificateQueueFilter {
                    cursor,
                    page_size: Some(CERTIFICATE_PAGE),
                    ..Default::default()
                },
            )
            .unwrap()
    };
    let to_print = certificates(None);
    let to_print_next = to_print.next.clone().map(|c| certificates(Some(c)));
    let _ = admin;
    drop(store);

    let shots = fresh_shots("volume");
    let mut w = Walk {
        d: Desk::start(&app(), &data, &shots),
        log: Vec::new(),
        who: String::new(),
    };
    let counted = |w: &Walk, desk: &str| {
        let (_, o) = counts.iter().find(|(d, _)| *d == desk).unwrap();
        w.check_counts(desk, o)
    };

    // 孙浩: the counter (drafts first), then the certificate desk.
    w.sign_in("sunhao", "counter", &Want::page(&counter_first));
    assert_eq!(
        counted(&w, "counter"),
        counter.queues.len(),
        "every counter tab has its badge"
    );
    let certificate_rows = "[data-testid=cert-queue] .ant-table-row";
    w.open_desk(
        "certificates",
        &Want {
            row: certificate_rows,
            first: to_print.rows.first().map(|r| r.registration_number.clone()),
            rows: Some(to_print.rows.len()),
            total: Some(format!("共 {} 份", to_print.total)),
            empty: to_print.rows.is_empty(),
            ..Want::rows()
        },
    );
    if let Some(next) = &to_print_next {
        w.timed(
            "certificates",
            "待制证: the next page",
            "",
            "[data-desk=certificates] [data-testid=cert-to-print]",
            &Want {
                row: certificate_rows,
                first: next.rows.first().map(|r| r.registration_number.clone()),
                rows: Some(next.rows.len()),
                ..Want::rows()
            },
            |d| d.click_checked("[data-testid=cert-page-next]"),
        );
        w.shot("sunhao-certificates-next");
    }
    assert!(
        counted(&w, "certificates") >= 1,
        "the certificate desk shows 已登记 with its count"
    );
    sign_out(&w.d);

    // 陈晓燕: payments, then the reports desk's queues and its statistics.
    w.sign_in("chenxy", "payments", &Want::rows());
    w.open_desk("reports", &Want::page(&reports_chenxy));
    assert_eq!(counted(&w, "reports"), counts[2].1.queues.len());
    let stats = Want {
        row: "[data-testid=monthly-form] .ant-table-row",
        ..Want::rows()
    };
    w.timed(
        "reports",
        "统计: this month's form",
        "",
        "[data-desk=reports] [data-testid=stats]",
        &stats,
        |d| d.click_checked("[data-desk=reports] [data-testid=tab-stats]"),
    );
    w.shot("chenxy-stats-month");
    let summary = Want {
        row: "[data-testid=summary-figures]",
        ..Want::rows()
    };
    w.timed(
        "reports",
        "统计: the yearly summary",
        "",
        "[data-desk=reports] [data-testid=stats]",
        &summary,
        |d| d.click_checked("[data-desk=reports] [data-testid=stats-tab-summary]"),
    );
    w.shot("chenxy-stats-summary");
    sign_out(&w.d);

    // 李雯: 待初审 paged, sorted by each column, searched.
    let root = "[data-desk=first_review] [data-testid=queue-first_review]";
    w.sign_in("liwen", "first_review", &Want::page(&review_pages[0].2));
    assert_eq!(counted(&w, "first_review"), 1);
    let (what, _, p) = &review_pages[1];
    w.timed("first_review", what, "2", root, &Want::page(p), |d| {
        d.click_checked("[data-desk=first_review] .ant-pagination-next")
    });
    w.shot("liwen-next-page");
    let (what, n, p) = &review_pages[2];
    let jumper = "[data-desk=first_review] .ant-pagination-options-quick-jumper input";
    w.d.type_into(jumper, &n.to_string());
    w.timed("first_review", what, &n.to_string(), root, &Want::page(p), |d| {
        d.keys(jumper, ENTER)
    });
    w.shot("liwen-deep-page");
    let (what, n, p) = &review_pages[3];
    w.timed("first_review", what, &n.to_string(), root, &Want::page(p), |d| {
        d.click_checked("[data-desk=first_review] .ant-pagination-next")
    });
    let (what, n, p) = &review_pages[4];
    let keyed = std::cell::Cell::new(false);
    w.timed("first_review", what, &n.to_string(), root, &Want::page(p), |d| {
        let item = format!("[data-desk=first_review] .ant-pagination-item-{n}");
        if let Err(e) = d.try_click(&item) {
            // The keyboard reaches a page number too; the table says which way it went.
            eprintln!("volume: {e}; pressing Enter on it instead");
            keyed.set(true);
            d.js("document.querySelector(arguments[0]).focus()", json!([item]));
            d.press(ENTER);
        }
    });
    if keyed.get() {
        if let Some(t) = w.log.last_mut() {
            t.what.push_str(" (Enter on its number: the click was intercepted)");
        }
    }
    w.shot("liwen-last-page");
    let mut before = review_pages[4].2.rows.clone();
    for ((title, what, _), p) in sorts.iter().zip(&sorted) {
        assert_ne!(
            before, p.rows,
            "sorting by {what} changes the page, so its rows can be told from the old ones"
        );
        w.d.js(
            "document.querySelectorAll('[data-vol-target]').forEach(e=>e.removeAttribute('data-vol-target')); \
             const th=[...document.querySelectorAll(arguments[0] + ' th.ant-table-column-has-sorters')].find(e=>e.innerText.trim()===arguments[1]); \
             th.setAttribute('data-vol-target','1');",
            json!([root, title]),
        );
        w.timed(
            "first_review",
            &format!("sort by {what}"),
            "",
            root,
            &Want::page(p),
            |d| d.click_checked("[data-vol-target]"),
        );
        w.shot(&format!("liwen-sort-{}", what.replace(' ', "-")));
        before = p.rows.clone();
    }
    let search = "[data-desk=first_review] input[data-testid=queue-search-first_review]";
    for ((what, text), p) in inputs.iter().zip(&queue_searches) {
        w.d.retype(search, text);
        w.timed(
            "first_review",
            &format!("queue search: {what}"),
            text,
            root,
            &Want::page(p),
            |d| d.keys(search, ENTER),
        );
        w.shot(&format!("liwen-search-{}", what.replace(' ', "-")));
    }
    assert!(
        w.d.visible("[data-desk=first_review] [data-testid=queue-total-many]"),
        "ZJ-: 200+"
    );
    sign_out(&w.d);

    // 张伟: 终审.
    w.sign_in("zhangwei", "final_review", &Want::page(&final_first));
    assert_eq!(counted(&w, "final_review"), 1);
    sign_out(&w.d);

    // 赵敏: the reports desk, then the top bar with the same inputs.
    w.sign_in("zhaomin", "reports", &Want::page(&reports_zhaomin));
    let popup = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)";
    for ((what, text), r) in inputs.iter().zip(&top_searches) {
        w.d.retype("input[data-testid=global-search]", "");
        std::thread::sleep(Duration::from_millis(400));
        w.timed(
            "top bar",
            &format!("top bar: {what}"),
            text,
            popup,
            &Want::hits(r),
            |d| d.type_into("input[data-testid=global-search]", text),
        );
        if let Some(count) = top_bar_count(r) {
            // Scrolled to the end of the list: the count the store gives (with "以上" where it stops).
            w.d.js(
                "const l=document.querySelector(arguments[0] + ' .rc-virtual-list-holder'); if (l) l.scrollTop = l.scrollHeight;",
                json!([popup]),
            );
            w.d.wait_text(&count);
        }
        w.shot(&format!("zhaomin-top-{}", what.replace(' ', "-")));
    }
    w.d.retype("input[data-testid=global-search]", "");
    sign_out(&w.d);

    // The administrator (also a supervisor: the reports desk comes first in the menu), then 管理.
    w.sign_in("admin", "reports", &Want::rows());
    w.open_desk("admin", &Want::rows());

    // The table: docs/BENCHMARKS.md takes it from here.
    let load_after = load_average();
    let out = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-timings");
    std::fs::create_dir_all(&out).unwrap();
    let build = if cfg!(debug_assertions) { "debug" } else { "release" };
    let report = json!({
        "cases": cases,
        "office": made,
        "build": build,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "steps": w.log.iter().map(|t| json!({
            "who": t.who,
            "desk": t.desk,
            "what": t.what,
            "input": t.input,
            "painted_ms": t.painted_ms,
            "painted": t.painted,
            "driver_ms": t.driver_ms,
            "rows": t.rows,
        })).collect::<Vec<_>>(),
    });
    std::fs::write(out.join("volume.json"), serde_json::to_string_pretty(&report).unwrap()).unwrap();
    let mut md = format!(
        "Office of {cases} cases ({made}); {build} build; load average (1/5/15 min) {load_before} before, {load_after} after.\n\n\
         | who | desk | what | input | click/keystroke → rows painted | WebDriver | rows |\n|---|---|---|---|---|---|---|\n"
    );
    for t in &w.log {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {:.0} ms{} | {:.0} ms | {} |\n",
            t.who,
            t.desk,
            t.what,
            if t.input.is_empty() { "" } else { &t.input },
            t.painted_ms,
            if t.painted { "" } else { " (no frame)" },
            t.driver_ms,
            t.rows
        ));
    }
    std::fs::write(out.join("volume.md"), md).unwrap();
}
