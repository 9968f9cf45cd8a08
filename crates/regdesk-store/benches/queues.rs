//! How queues and the top bar's search hold up in a large office: the sample
//! office's 24 filings (every state), copied to about 200,000 cases (or
//! `REGDESK_BENCH_CASES`, e.g. 1000000) with varied titles, names and ID
//! numbers by `demo::grow_office`. Building a million-case office takes a
//! while: with `REGDESK_BENCH_OFFICE=<folder>` it is built there once and
//! reused by later runs (a folder with an office of another size is grown).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use regdesk_domain::queue::Queue;
use regdesk_domain::staff::Desk;
use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{
    demo, CaseSearchInput, CertificateQueueFilter, LoginInput, PaymentCasesInput, QueueInput, QueueSort, QueueSortKey,
    Session, Store, SystemClock,
};

/// Cases in the office when `REGDESK_BENCH_CASES` is not set.
const DEFAULT_CASES: u64 = 200_000;

fn sign_in(store: &Store, user: &str) -> Session {
    store
        .login(&LoginInput {
            username: user.into(),
            password: demo::DEMO_PASSWORD.into(),
        })
        .unwrap()
}

/// A fixed key: the bench's data directory is encrypted like any other.
fn keys() -> StationKeys {
    StationKeys::from_secret([0x24; 32], KeyHome::EnvFile("bench.key".into()))
}

fn bench(c: &mut Criterion) {
    let cases: u64 = std::env::var("REGDESK_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("REGDESK_BENCH_OFFICE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(regdesk_store::DB_FILE);
    {
        let store = Store::open_with_keys(&dir, Arc::new(SystemClock), keys()).unwrap();
        if store.office().unwrap().is_none() {
            demo::fill_office(&store, 24).unwrap();
        }
        let started = std::time::Instant::now();
        demo::grow_office(&store, cases, |n| {
            eprint!("\roffice of {n} cases ({:.0?})", started.elapsed())
        })
        .unwrap();
        eprintln!();
    }
    regdesk_store::connect(&db, &keys().database())
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    let store = Store::open_with_keys(&dir, Arc::new(SystemClock), keys()).unwrap();
    let zhaomin = sign_in(&store, "zhaomin");
    let liwen = sign_in(&store, "liwen");
    let first = store
        .list_queue(&zhaomin, &QueueInput::first(Queue::FirstReview, 1))
        .unwrap();
    // A whole serial (of a filing or of a copy: both are real serials).
    let serial = first.rows[0].serial.clone();

    let mut g = c.benchmark_group("queues");
    g.sample_size(10)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    g.bench_function("desk overview (counts and overdue)", |b| {
        b.iter(|| store.desk_overview(&zhaomin, Desk::Reports).unwrap())
    });
    g.bench_function("first page of 待初审", |b| {
        b.iter(|| {
            store
                .list_queue(&liwen, &QueueInput::first(Queue::FirstReview, 20))
                .unwrap()
        })
    });
    let in_queue = |queue: Queue| store.list_queue(&zhaomin, &QueueInput::first(queue, 1)).unwrap().total;
    let first_review = in_queue(Queue::FirstReview);
    let registered = in_queue(Queue::Registered);
    eprintln!("待初审 {first_review} cases, 已登记 {registered}");
    // The deepest pages: the middle of a queue is farthest from both ends.
    let pages = [
        ("page 500 of 待初审", Queue::FirstReview, 500, None, None),
        (
            "middle page of 待初审 (the deepest)",
            Queue::FirstReview,
            first_review / 40,
            None,
            None,
        ),
        (
            "last page of 待初审",
            Queue::FirstReview,
            first_review.div_ceil(20),
            None,
            None,
        ),
        (
            "middle page of 已登记 by title, descending",
            Queue::Registered,
            registered / 40,
            Some(QueueSort {
                key: QueueSortKey::Title,
                descending: true,
            }),
            None,
        ),
        (
            "middle page of 已登记 by applicant",
            Queue::Registered,
            registered / 40,
            Some(QueueSort {
                key: QueueSortKey::Applicant,
                descending: false,
            }),
            None,
        ),
        (
            "middle page of 已登记 by serial, descending",
            Queue::Registered,
            registered / 40,
            Some(QueueSort {
                key: QueueSortKey::Serial,
                descending: true,
            }),
            None,
        ),
        (
            "middle page of 已登记 by filing time",
            Queue::Registered,
            registered / 40,
            Some(QueueSort {
                key: QueueSortKey::Created,
                descending: false,
            }),
            None,
        ),
        (
            "middle page of 待初审 of one office (ZJHZ)",
            Queue::FirstReview,
            first_review / 400,
            None,
            Some("ZJHZ".to_string()),
        ),
    ];
    for (name, queue, page, sort, office) in pages {
        let input = QueueInput {
            queue,
            page: page.max(1),
            page_size: 20,
            search: None,
            sort,
            office,
            cursor: None,
        };
        g.bench_function(name, |b| {
            b.iter(|| store.list_queue(&zhaomin, black_box(&input)).unwrap())
        });
        // The page after (and before) a middle page, by the cursor it carries:
        // what a clerk paging on waits for, no OFFSET.
        if name.starts_with("middle page") {
            let shown = store.list_queue(&zhaomin, &input).unwrap();
            for (way, cursor) in [("next", shown.next), ("previous", shown.previous)] {
                if way == "previous" && !name.contains("deepest") {
                    continue;
                }
                let by_cursor = QueueInput {
                    cursor,
                    ..input.clone()
                };
                g.bench_function(format!("{name}: the {way} page by its cursor"), |b| {
                    b.iter(|| store.list_queue(&zhaomin, black_box(&by_cursor)).unwrap())
                });
            }
        }
    }
    for (name, text) in [
        ("a name", "张伟芳"),
        ("one character only other queues hold", "登"),
        ("what every serial holds", "ZJ-"),
        ("two characters no case holds", "鑫淼"),
        (
            "what only other queues hold (the registration numbers' prefix)",
            "浙作登字",
        ),
    ] {
        let mut input = QueueInput::first(Queue::FirstReview, 20);
        input.search = Some(text.into());
        g.bench_function(format!("待初审 searched for {name}"), |b| {
            b.iter(|| store.list_queue(&liwen, black_box(&input)).unwrap())
        });
    }
    // A queue limited to one office: its search reads the queue's matches
    // and keeps the office's, so the worst is a text many cases of the queue
    // hold and none of the office's (names beginning with 王 are never
    // ZJHZ's in the grown office).
    for (name, text) in [
        ("what every serial holds", "ZJ-"),
        ("a name none of its cases holds (王, 1 in 20 of the queue)", "王"),
    ] {
        let mut input = QueueInput::first(Queue::FirstReview, 20);
        input.search = Some(text.into());
        input.office = Some("ZJHZ".into());
        g.bench_function(format!("待初审 of one office (ZJHZ) searched for {name}"), |b| {
            b.iter(|| store.list_queue(&zhaomin, black_box(&input)).unwrap())
        });
    }
    for (name, text) in [
        ("search: a serial", serial.as_str()),
        ("search: a three-character name", "张伟芳"),
        ("search: a two-character name", "张伟"),
        ("search: one character", "张"),
        ("search: two characters no case holds", "鑫淼"),
        ("search: one character no case holds", "鑫"),
        ("search: a title word", "西湖小桥"),
        ("search: what every serial holds", "ZJ-"),
    ] {
        let input = CaseSearchInput {
            text: text.into(),
            limit: None,
        };
        g.bench_function(name, |b| {
            b.iter(|| store.search_cases(&zhaomin, black_box(&input)).unwrap())
        });
    }

    // The desks with lists of their own: 待制证 (the certificate desk's first
    // tab, a page from the kept list of the unprinted) and 待缴费 (the
    // payment desk's first tab, the longest waiting from its own index).
    let liuyang = sign_in(&store, "liuyang");
    let to_print = store
        .certificate_queue(&liuyang, &CertificateQueueFilter::default())
        .unwrap();
    eprintln!(
        "待制证: {} waiting, {} on the first page",
        to_print.total,
        to_print.rows.len()
    );
    for (name, filter) in [
        ("待制证: the first page", CertificateQueueFilter::default()),
        (
            "待制证: the next page by its cursor",
            CertificateQueueFilter {
                cursor: to_print.next.clone(),
                ..Default::default()
            },
        ),
        (
            "待制证: a common two-character name (counted to the cap)",
            CertificateQueueFilter {
                party: "张伟".into(),
                ..Default::default()
            },
        ),
        (
            "待制证: a name no case holds (the whole list read)",
            CertificateQueueFilter {
                party: "鑫淼".into(),
                ..Default::default()
            },
        ),
        (
            "待制证 with the printed (reprints): the first page",
            CertificateQueueFilter {
                include_printed: true,
                ..Default::default()
            },
        ),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| store.certificate_queue(&liuyang, black_box(&filter)).unwrap())
        });
    }
    let chenxy = sign_in(&store, "chenxy");
    for (name, search) in [
        ("待缴费: the longest waiting", None),
        (
            "待缴费 searched for a common two-character name",
            Some("张伟".to_string()),
        ),
    ] {
        let input = PaymentCasesInput { search };
        g.bench_function(name, |b| {
            b.iter(|| store.payment_cases(&chenxy, black_box(&input)).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
