//! Desks and their queues (queues.rs).

use regdesk_domain::staff::Desk;

use super::fixtures::*;
use crate::*;

#[test]
fn desks_show_their_queues_to_those_who_hold_them() {
    let (f, admin) = office();
    let reviewer = signed_in(&f, &admin, &REVIEWER);
    let o = f.store.desk_overview(&reviewer, Desk::FirstReview).unwrap();
    assert_eq!(o.queues.len(), 1);
    assert_eq!((o.queues[0].label.as_str(), o.queues[0].count), ("待初审", 0));
    assert_eq!(
        f.store.desk_overview(&reviewer, Desk::Admin).unwrap_err().kind(),
        ErrorKind::Permission
    );
    use regdesk_domain::queue::Queue;
    let page = f
        .store
        .list_queue(&reviewer, &QueueInput::first(Queue::FirstReview, 20))
        .unwrap();
    assert_eq!((page.total, page.rows.len()), (0, 0));
    let e = f
        .store
        .list_queue(&reviewer, &QueueInput::first(Queue::Registered, 20))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Permission);
}

#[test]
fn queues_list_cases_by_state_oldest_deadline_first() {
    let (f, admin) = office();
    let reviewer = signed_in(&f, &admin, &REVIEWER);
    {
        let c = f.store.conn();
        for (i, (state, due)) in [
            ("awaiting_first_review", Some("2026-12-20")),
            ("awaiting_first_review", Some("2026-12-05")),
            ("awaiting_final_review", Some("2026-12-01")),
            ("draft", None),
        ]
        .iter()
        .enumerate()
        {
            c.execute(
                "INSERT INTO cases (id, serial, title, category, state, applicant_name, created_at, due_on, version, updated_at)
                 VALUES (?1, ?2, ?3, 'fine_art', ?4, '杭州某某文化有限公司', '2026-11-20T01:00:00Z', ?5, 1, '2026-11-20T01:00:00Z')",
                rusqlite::params![format!("c{i}"), format!("ZJ01-20261120-000{i}"), format!("作品{i}"), state, due],
            )
            .unwrap();
        }
    }
    let page = f
        .store
        .list_queue(
            &reviewer,
            &QueueInput::first(regdesk_domain::queue::Queue::FirstReview, 20),
        )
        .unwrap();
    let titles: Vec<&str> = page.rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, vec!["作品1", "作品0"]);
    assert_eq!(page.rows[0].state_label, "待初审");
    assert_eq!(page.rows[0].stage, regdesk_domain::queue::Stage::WaitingOffice);
    assert_eq!(page.rows[0].category_label, "美术");
    let o = f.store.desk_overview(&reviewer, Desk::FirstReview).unwrap();
    assert_eq!(o.queues[0].count, 2);
    // Sorted by a column the clerk clicks: title, newest deadline first, ...
    let sorted = |key, descending| {
        f.store
            .list_queue(
                &reviewer,
                &QueueInput {
                    queue: regdesk_domain::queue::Queue::FirstReview,
                    page: 1,
                    page_size: 20,
                    search: None,
                    sort: Some(QueueSort { key, descending }),
                    office: None,
                    cursor: None,
                },
            )
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.title)
            .collect::<Vec<_>>()
    };
    assert_eq!(sorted(QueueSortKey::Title, false), vec!["作品0", "作品1"]);
    assert_eq!(sorted(QueueSortKey::Due, true), vec!["作品0", "作品1"]);
    assert_eq!(sorted(QueueSortKey::Serial, true), vec!["作品1", "作品0"]);
}

// ---- The office at its design volume (migration 019) ----

use regdesk_domain::lifecycle::CaseState;
use regdesk_domain::queue::{queue_of, Queue};

/// A small deterministic generator for the random sequences below.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn state_code(s: CaseState) -> String {
    crate::codes::code(s)
}

/// Inserts a bare case (what the queues read) straight into the table.
fn put_case(conn: &rusqlite::Connection, i: usize, state: &str, due: Option<&str>, office: Option<&str>) {
    conn.execute(
        "INSERT INTO cases (id, serial, title, category, state, applicant_name, created_at, due_on, office_code, version, updated_at)
         VALUES (?1, ?2, ?3, 'fine_art', ?4, ?5, ?6, ?7, ?8, 1, '2026-11-20T01:00:00Z')",
        rusqlite::params![
            format!("r{i}"),
            format!("ZJ01-20261120-{i:05}"),
            format!("作品{}", (i * 7) % 13),
            state,
            format!("申请人{}", (i * 5) % 11),
            format!("2026-11-{:02}T01:00:00Z", 1 + (i * 3) % 28),
            due,
            office
        ],
    )
    .unwrap();
}

fn count_problems(f: &Fixture) -> Vec<String> {
    crate::audit::count_problems(&f.store.conn())
        .unwrap()
        .into_iter()
        .map(|p| p.message)
        .collect()
}

#[test]
fn every_state_sits_in_the_queue_the_domain_gives_it() {
    let (f, _admin) = office();
    let conn = f.store.conn();
    for (i, s) in CaseState::ALL.into_iter().enumerate() {
        put_case(&conn, i, &state_code(s), None, None);
        let queue: String = conn
            .query_row("SELECT queue FROM cases WHERE id = ?1", [format!("r{i}")], |r| r.get(0))
            .unwrap();
        assert_eq!(queue, crate::codes::code(queue_of(s)), "{s:?}");
    }
}

#[test]
fn kept_counts_equal_full_counts_after_random_command_sequences() {
    // Real commands first: the sample office takes filings through every state.
    let f = sample_office(24);
    assert_eq!(count_problems(&f), Vec::<String>::new());
    let zhaomin = sample_login(&f, "zhaomin");
    let before = f.store.desk_overview(&zhaomin, Desk::Reports).unwrap();
    assert!(before.queues.iter().map(|q| q.count).sum::<u32>() >= 24);

    // Then every kind of write to the cases, in random order, some rolled back.
    let states: Vec<String> = CaseState::ALL.into_iter().map(state_code).collect();
    let dues = [None, Some("2026-01-05"), Some("2026-12-01"), Some("2099-01-01")];
    let offices = [None, Some("ZJHZ"), Some("ZJNB")];
    let mut rng = Lcg(17);
    let mut next_id = 1000;
    for step in 0..400 {
        let conn = f.store.conn();
        let rollback = rng.next(10) == 0;
        conn.execute_batch("BEGIN").unwrap();
        let ids: Vec<String> = conn
            .prepare("SELECT id FROM cases ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let pick = ids[rng.next(ids.len())].clone();
        match rng.next(7) {
            0 | 1 => {
                next_id += 1;
                put_case(
                    &conn,
                    next_id,
                    &states[rng.next(states.len())],
                    dues[rng.next(dues.len())],
                    offices[rng.next(offices.len())],
                );
            }
            2 => {
                conn.execute(
                    "UPDATE cases SET state = ?2 WHERE id = ?1",
                    rusqlite::params![pick, states[rng.next(states.len())]],
                )
                .unwrap();
            }
            3 => {
                conn.execute(
                    "UPDATE cases SET due_on = ?2, office_code = ?3 WHERE id = ?1",
                    rusqlite::params![pick, dues[rng.next(dues.len())], offices[rng.next(offices.len())]],
                )
                .unwrap();
            }
            4 => {
                // A write that leaves every counted column as it was.
                conn.execute("UPDATE cases SET title = title || '·' WHERE id = ?1", [&pick])
                    .unwrap();
            }
            5 => {
                // Many rows in one statement.
                conn.execute(
                    "UPDATE cases SET state = ?1 WHERE rowid % 5 = ?2",
                    rusqlite::params![states[rng.next(states.len())], rng.next(5) as i64],
                )
                .unwrap();
            }
            _ => {
                // A case made by commands has rows that refer to it; a bare one does not.
                if pick.starts_with('r') {
                    conn.execute("DELETE FROM cases WHERE id = ?1", [&pick]).unwrap();
                }
            }
        }
        conn.execute_batch(if rollback { "ROLLBACK" } else { "COMMIT" })
            .unwrap();
        drop(conn);
        assert_eq!(count_problems(&f), Vec::<String>::new(), "after step {step}");
    }
    // The desks read the kept counts: the same as a full count by queue.
    let o = f.store.desk_overview(&zhaomin, Desk::Reports).unwrap();
    let conn = f.store.conn();
    for q in o.queues {
        let full: u32 = conn
            .query_row(
                "SELECT COUNT(*) FROM cases WHERE queue = ?1",
                [crate::codes::code(q.queue)],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(q.count, full, "{:?}", q.queue);
    }
}

#[test]
fn audit_verify_names_a_kept_count_that_differs_from_a_full_count() {
    let f = sample_office(4);
    assert!(f.store.verify_audit().unwrap().ok);
    f.store
        .conn()
        .execute_batch(
            "UPDATE case_counts SET n = n + 3
             WHERE (queue, state, office, due_on) =
                   (SELECT queue, state, office, due_on FROM case_counts ORDER BY 1, 2, 3, 4 LIMIT 1)",
        )
        .unwrap();
    let report = f.store.verify_audit().unwrap();
    assert!(!report.ok);
    let p = report
        .problems
        .iter()
        .find(|p| p.kind == AuditProblemKind::CountDiffers)
        .unwrap();
    assert!(p.message.starts_with("案件计数（"), "{}", p.message);
    assert!(p.message.contains("逐件清点为"), "{}", p.message);
    assert_eq!(p.table.as_deref(), Some("case_counts"));
}

#[test]
fn the_overdue_count_follows_the_calendar_without_a_write() {
    let (f, admin) = office();
    let reviewer = signed_in(&f, &admin, &REVIEWER);
    {
        let conn = f.store.conn();
        let today = crate::office_date(f.clock.now());
        for (i, days) in [-3i64, -1, 0, 2, 10].into_iter().enumerate() {
            let due = (today + chrono::Duration::days(days)).to_string();
            put_case(&conn, i, "awaiting_first_review", Some(&due), None);
        }
    }
    let overdue = |s: &Session| f.store.desk_overview(s, Desk::FirstReview).unwrap().queues[0].overdue;
    assert_eq!(overdue(&reviewer), 2);
    f.clock.advance(chrono::Duration::days(3));
    let reviewer = login(&f, REVIEWER.username, REVIEWER.password).unwrap();
    assert_eq!(overdue(&reviewer), 4);
}

/// Every page of every order equals the same order worked out in memory,
/// from both ends of the queue, for every office and for one.
#[test]
fn every_page_of_every_order_is_the_queue_in_that_order() {
    let (f, admin) = office();
    let reviewer = signed_in(&f, &admin, &REVIEWER);
    {
        let conn = f.store.conn();
        let dues = [None, Some("2026-12-01"), Some("2026-12-03"), Some("2026-11-30")];
        for i in 0..47 {
            let office = if i % 3 == 0 { Some("ZJHZ") } else { None };
            put_case(&conn, i, "awaiting_first_review", dues[i % 4], office);
        }
        put_case(&conn, 100, "awaiting_final_review", None, None);
    }
    type Key = (String, String, String, String, Option<String>);
    let all: Vec<(Key, Option<String>)> = {
        let conn = f.store.conn();
        let rows = conn
            .prepare(
                "SELECT serial, title, applicant_name, created_at, due_on, office_code FROM cases
             WHERE state = 'awaiting_first_review' ORDER BY rowid",
            )
            .unwrap()
            .query_map([], |r| {
                Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?), r.get(5)?))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows
    };
    for office in [None, Some("ZJHZ"), Some("ZJ")] {
        let mine: Vec<&Key> = all
            .iter()
            .filter(|(_, o)| match office {
                None => true,
                Some("ZJ") => o.is_none(),
                Some(code) => o.as_deref() == Some(code),
            })
            .map(|(k, _)| k)
            .collect();
        for key in [
            QueueSortKey::Due,
            QueueSortKey::Serial,
            QueueSortKey::Title,
            QueueSortKey::Applicant,
            QueueSortKey::Created,
        ] {
            for descending in [false, true] {
                // In memory: the rows are in insertion (row id) order already.
                let mut expected: Vec<&Key> = mine.clone();
                expected.sort_by(|a, b| {
                    let ord = match key {
                        QueueSortKey::Due => (a.4.is_none(), &a.4, &a.3).cmp(&(b.4.is_none(), &b.4, &b.3)),
                        QueueSortKey::Serial => a.0.cmp(&b.0),
                        QueueSortKey::Title => (&a.1, &a.0).cmp(&(&b.1, &b.0)),
                        QueueSortKey::Applicant => (&a.2, &a.0).cmp(&(&b.2, &b.0)),
                        QueueSortKey::Created => (&a.3, &a.0).cmp(&(&b.3, &b.0)),
                    };
                    if descending {
                        ord.reverse()
                    } else {
                        ord
                    }
                });
                if key == QueueSortKey::Due && descending {
                    // Ties (same deadline and filing time) in reverse row order.
                    expected = {
                        let mut asc = mine.clone();
                        asc.sort_by(|a, b| (a.4.is_none(), &a.4, &a.3).cmp(&(b.4.is_none(), &b.4, &b.3)));
                        asc.reverse();
                        asc
                    };
                }
                let expected: Vec<String> = expected.iter().map(|k| k.0.clone()).collect();
                let mut got = Vec::new();
                let mut page = 1;
                loop {
                    let p = f
                        .store
                        .list_queue(
                            &reviewer,
                            &QueueInput {
                                queue: Queue::FirstReview,
                                page,
                                page_size: 10,
                                search: None,
                                sort: Some(QueueSort { key, descending }),
                                office: office.map(String::from),
                                cursor: None,
                            },
                        )
                        .unwrap();
                    assert_eq!(p.total as usize, expected.len());
                    if p.rows.is_empty() {
                        break;
                    }
                    got.extend(p.rows.into_iter().map(|r| r.serial));
                    page += 1;
                }
                assert_eq!(got, expected, "{office:?} {key:?} {descending}");
                // The same by cursors: forward from the first page, backward from the last.
                let by_cursor = |page: u32, cursor: Option<String>| {
                    f.store
                        .list_queue(
                            &reviewer,
                            &QueueInput {
                                queue: Queue::FirstReview,
                                page,
                                page_size: 10,
                                search: None,
                                sort: Some(QueueSort { key, descending }),
                                office: office.map(String::from),
                                cursor,
                            },
                        )
                        .unwrap()
                };
                let mut p = by_cursor(1, None);
                assert!(p.previous.is_none());
                let (mut forward, mut pages) = (Vec::new(), Vec::new());
                loop {
                    pages.push(p.page);
                    forward.extend(p.rows.iter().map(|r| r.serial.clone()));
                    match p.next.take() {
                        Some(c) => p = by_cursor(1, Some(c)),
                        None => break,
                    }
                }
                assert_eq!(forward, expected, "forward {office:?} {key:?} {descending}");
                let last = expected.len().div_ceil(10).max(1) as u32;
                assert_eq!(pages, (1..=last).collect::<Vec<_>>());
                let mut p = by_cursor(last, None);
                assert!(p.next.is_none());
                let mut chunks = Vec::new();
                loop {
                    assert_eq!(p.page, last - chunks.len() as u32);
                    chunks.push(p.rows.iter().map(|r| r.serial.clone()).collect::<Vec<_>>());
                    match p.previous.take() {
                        Some(c) => p = by_cursor(last, Some(c)),
                        None => break,
                    }
                }
                chunks.reverse();
                assert_eq!(chunks.concat(), expected, "backward {office:?} {key:?} {descending}");
            }
        }
    }
}

/// Each page query, in each order and from each end, for every office or
/// one: a walk of an index in its order (no sorting, no scan of the table).
#[test]
fn every_queue_page_reads_an_index_in_its_own_order() {
    let f = sample_office(24);
    let conn = f.store.conn();
    let plan = |sql: &str, params: &[String]| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.join(" | ")
    };
    for office in [None, Some("ZJHZ")] {
        for key in [
            QueueSortKey::Due,
            QueueSortKey::Serial,
            QueueSortKey::Title,
            QueueSortKey::Applicant,
            QueueSortKey::Created,
        ] {
            for descending in [false, true] {
                for reverse in [false, true] {
                    let (filter, params) = crate::queues::queue_filter("", Queue::FirstReview, office);
                    let order = crate::queues::page_order(QueueSort { key, descending }, reverse);
                    let p = plan(&crate::queues::page_sql(&filter, &order, 20, 9980), &params);
                    assert!(p.contains("USING INDEX cases_"), "{p}");
                    assert!(
                        !p.contains("TEMP B-TREE"),
                        "{office:?} {key:?} {descending} {reverse}: {p}"
                    );
                    assert!(!p.contains("SCAN"), "{p}");
                }
            }
        }
    }
    // A page from a cursor: each walk from the row it names is a walk of an
    // index in its order, ties of deadline and filing time by row id.
    for office in [None, Some("ZJHZ")] {
        for key in [
            QueueSortKey::Due,
            QueueSortKey::Serial,
            QueueSortKey::Title,
            QueueSortKey::Applicant,
            QueueSortKey::Created,
        ] {
            for descending in [false, true] {
                for after in [false, true] {
                    for due in [None, Some("2026-12-01".to_string())] {
                        let at = crate::queues::Boundary::for_test(
                            vec![due.clone(), Some("2026-11-20T01:00:00Z".into())],
                            7,
                        );
                        let walks = crate::queues::keyset_walks(
                            Queue::FirstReview,
                            office,
                            QueueSort { key, descending },
                            &at,
                            after,
                        );
                        for (i, (cond, order, values)) in walks.iter().enumerate() {
                            let sql = crate::queues::page_sql(cond, order, 20, 0);
                            assert!(!sql.contains("OFFSET"), "{sql}");
                            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
                            let p: Vec<String> = stmt
                                .query_map(rusqlite::params_from_iter(values.iter()), |r| r.get::<_, String>(3))
                                .unwrap()
                                .collect::<rusqlite::Result<_>>()
                                .unwrap();
                            let p = p.join(" | ");
                            let what = format!("{office:?} {key:?} {descending} {after} {due:?} walk {i}: {p}");
                            assert!(p.contains("USING INDEX cases_"), "{what}");
                            assert!(!p.contains("TEMP B-TREE"), "{what}");
                            assert!(!p.contains("SCAN"), "{what}");
                            if key == QueueSortKey::Due && i == 0 {
                                assert!(p.contains("rowid>?") || p.contains("rowid<?"), "{what}");
                            } else if key != QueueSortKey::Due {
                                let range = if key == QueueSortKey::Serial {
                                    "serial"
                                } else {
                                    "serial)"
                                };
                                assert!(
                                    p.contains(&format!("{range}>")) || p.contains(&format!("{range}<")),
                                    "{what}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    // The counts a desk and a page read: the kept counts, by their key.
    let p = plan(
        "SELECT COALESCE(SUM(n), 0) FROM case_counts WHERE queue = ?1 AND office = ?2",
        &["first_review".into(), "".into()],
    );
    assert!(!p.contains("SCAN"), "{p}");
    assert!(!p.contains(" cases"), "{p}");
}

#[test]
fn a_queue_search_counts_up_to_the_cap_and_short_texts_use_their_index() {
    let (f, admin) = office();
    let reviewer = signed_in(&f, &admin, &REVIEWER);
    {
        let conn = f.store.conn();
        for i in 0..230 {
            let state = if i % 10 == 0 {
                "awaiting_final_review"
            } else {
                "awaiting_first_review"
            };
            put_case(&conn, i, state, Some("2026-12-01"), None);
        }
        conn.execute_batch(
            "INSERT INTO case_search (case_id, body) SELECT id, serial || ' ' || title || ' ' || applicant_name FROM cases;
             INSERT INTO case_grams (rowid, grams) SELECT rowid, regdesk_grams(body) FROM case_search;
             UPDATE cases SET search_rowid = (SELECT rowid FROM case_search WHERE case_id = cases.id);",
        )
        .unwrap();
    }
    let search = |text: &str, page: u32| {
        let mut input = QueueInput::first(Queue::FirstReview, 20);
        input.search = Some(text.into());
        input.page = page;
        f.store.list_queue(&reviewer, &input).unwrap()
    };
    // What every serial holds: 207 in the queue, counted to 200.
    let p = search("ZJ01", 1);
    assert_eq!((p.total, p.more, p.rows.len()), (200, true, 20));
    assert_eq!(search("ZJ01", 10).rows.len(), 20);
    assert!(search("ZJ01", 11).rows.is_empty());
    // Two characters (the short-search index): every case whose names hold them.
    let p = search("人1", 1);
    let expected = (0..230)
        .filter(|i| i % 10 != 0 && ((i * 5) % 11).to_string().starts_with('1'))
        .count();
    assert_eq!((p.total as usize, p.more), (expected, false));
    assert!(p.rows.iter().all(|r| r.applicant_name.contains("人1")));
    // One character, in lower case: what the serials hold.
    assert_eq!(search("j", 1).total, 200);
    assert_eq!(search("鑫淼", 1).total, 0);
    // The top bar finds the same through the same index.
    let hits = f
        .store
        .search_cases(
            &reviewer,
            &CaseSearchInput {
                text: "人1".into(),
                limit: None,
            },
        )
        .unwrap();
    assert_eq!(
        hits.total as usize,
        (0..230).filter(|i| ((i * 5) % 11).to_string().starts_with('1')).count()
    );
}

/// A cursor goes only with the page it came from: another order, queue,
/// office, search or page size, or a damaged cursor, is refused by name.
#[test]
fn a_cursor_is_refused_for_another_order_or_when_damaged() {
    let (f, admin) = office();
    let reviewer = signed_in(&f, &admin, &REVIEWER);
    {
        let conn = f.store.conn();
        for i in 0..30 {
            put_case(&conn, i, "awaiting_first_review", Some("2026-12-01"), None);
        }
    }
    let mut input = QueueInput::first(Queue::FirstReview, 10);
    input.sort = Some(QueueSort {
        key: QueueSortKey::Title,
        descending: false,
    });
    let first = f.store.list_queue(&reviewer, &input).unwrap();
    let next = first.next.clone().unwrap();
    let second = f
        .store
        .list_queue(
            &reviewer,
            &QueueInput {
                cursor: Some(next.clone()),
                ..input.clone()
            },
        )
        .unwrap();
    assert_eq!(second.page, 2);
    assert!(second.previous.is_some());
    let refused = |i: QueueInput| {
        let e = f.store.list_queue(&reviewer, &i).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{e}");
        assert!(e.to_string().contains("翻页位置"), "{e}");
    };
    let mut other = input.clone();
    other.cursor = Some(next.clone());
    other.sort = None;
    refused(other.clone());
    other.sort = input.sort;
    other.page_size = 20;
    refused(other.clone());
    other.page_size = 10;
    other.search = Some("作品".into());
    refused(other.clone());
    other.search = None;
    other.office = Some("ZJHZ".into());
    refused(other.clone());
    other.office = None;
    other.cursor = Some("not a cursor".into());
    refused(other.clone());
    other.cursor = Some(next[..next.len() - 2].to_string());
    refused(other);
}

/// Puts `state` cases with search entries (serial, title, name, and for a
/// registered one its number) the way the store writes them.
fn put_searchable(conn: &rusqlite::Connection, n: usize, states: &[&str]) {
    for i in 0..n {
        put_case(
            conn,
            i,
            states[i % states.len()],
            Some("2026-12-01"),
            if i % 4 == 0 { Some("ZJHZ") } else { None },
        );
    }
    conn.execute_batch(
        "INSERT INTO case_search (case_id, body)
           SELECT id, serial || ' ' || title || ' ' || applicant_name
                  || CASE WHEN state = 'registered' THEN ' 浙作登字-2026-F-' || substr(id, 2) ELSE '' END
           FROM cases ORDER BY rowid;
         INSERT INTO case_grams (rowid, grams) SELECT rowid, regdesk_grams(body) FROM case_search;
         UPDATE cases SET search_rowid = (SELECT rowid FROM case_search WHERE case_id = cases.id);",
    )
    .unwrap();
}

/// A queue's own search reads the queue search index (migration 023): the
/// queue's own matches, newest first, so it stops at the cap whatever the
/// other queues hold; what it finds is what `LIKE` finds in the queue.
#[test]
fn a_queue_search_reads_its_own_queue_and_finds_what_like_finds() {
    let (f, admin) = office();
    const SUPERVISOR: Staff = Staff {
        username: "zhaomin",
        display_name: "赵敏",
        roles: &[
            regdesk_domain::staff::Role::Supervisor,
            regdesk_domain::staff::Role::FinalReviewer,
        ],
        password: "Zhuguan2026",
    };
    let admin = signed_in(&f, &admin, &SUPERVISOR);
    let states = [
        "awaiting_first_review",
        "awaiting_final_review",
        "registered",
        "awaiting_first_review",
    ];
    put_searchable(&f.store.conn(), 120, &states);
    let search = |queue: Queue, text: &str, office: Option<&str>| {
        let mut input = QueueInput::first(queue, 200);
        input.search = Some(text.into());
        input.office = office.map(String::from);
        let mut got: Vec<String> = f
            .store
            .list_queue(&admin, &input)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.serial)
            .collect();
        got.sort();
        got
    };
    let like = |queue: Queue, text: &str, office: Option<&str>| {
        let pattern = format!(
            "%{}%",
            text.trim()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let conn = f.store.conn();
        let mut got: Vec<String> = conn
            .prepare(
                "SELECT c.serial FROM cases c JOIN case_search s ON s.rowid = c.search_rowid
                 WHERE c.queue = ?1 AND s.body LIKE ?2 ESCAPE '\\' AND (?3 IS NULL OR c.office_key = ?3)",
            )
            .unwrap()
            .query_map(rusqlite::params![crate::codes::code(queue), pattern, office], |r| {
                r.get(0)
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        got.sort();
        got
    };
    let probes = [
        "ZJ01",
        "zj01-2026",
        "浙作登字",
        "作品1",
        "人1",
        "1",
        "作",
        "j",
        "01-2026",
        "品1 申",
        "鑫淼",
        "20261120-0000",
        "-F-3",
        "登字",
        "%",
        "1_",
        " 作品12 ",
        "ZJ01-20261120-00042",
    ];
    for queue in [Queue::FirstReview, Queue::FinalReview, Queue::Registered] {
        for probe in probes {
            for office in [None, Some("ZJHZ")] {
                assert_eq!(
                    search(queue, probe, office),
                    like(queue, probe, office),
                    "{queue:?} {probe:?} {office:?}"
                );
            }
        }
    }
    assert!(!search(Queue::Registered, "浙作登字", None).is_empty());
    assert!(search(Queue::FirstReview, "浙作登字", None).is_empty());
    // A case that changes queue is searched in its new queue only.
    let serial = "ZJ01-20261120-00000";
    assert_eq!(search(Queue::FirstReview, serial, None), vec![serial.to_string()]);
    f.store
        .conn()
        .execute("UPDATE cases SET state = 'awaiting_final_review' WHERE id = 'r0'", [])
        .unwrap();
    assert!(search(Queue::FirstReview, serial, None).is_empty());
    assert_eq!(search(Queue::FinalReview, serial, None), vec![serial.to_string()]);
    assert_eq!(search(Queue::FinalReview, "00000", None), vec![serial.to_string()]);
    // The plan: the queue search index, each match looked up by its row id, nothing sorted.
    let conn = f.store.conn();
    for text in ["浙作登字", "ZJ-", "人1", "j"] {
        for office in [None, Some("ZJHZ")] {
            let (sql, params) = crate::queues::queue_search_sql(Queue::FirstReview, office, text);
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(rusqlite::params_from_iter(params.iter()), |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let plan = plan.join(" | ");
            assert!(plan.contains("VIRTUAL TABLE INDEX"), "{plan}");
            assert!(
                plan.contains("case_queue_search") || plan.starts_with("SCAN s"),
                "{plan}"
            );
            assert!(plan.contains("USING INDEX cases_search"), "{plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{plan}");
            assert!(sql.contains("FROM case_queue_search s"), "{sql}");
        }
    }
}

/// A search's pages go by cursor too: the cap's rows, page after page.
#[test]
fn a_queue_search_pages_by_cursor_up_to_the_cap() {
    let (f, admin) = office();
    let reviewer = signed_in(&f, &admin, &REVIEWER);
    put_searchable(&f.store.conn(), 230, &["awaiting_first_review"]);
    let mut input = QueueInput::first(Queue::FirstReview, 20);
    input.search = Some("ZJ01".into());
    let mut p = f.store.list_queue(&reviewer, &input).unwrap();
    assert_eq!((p.total, p.more), (200, true));
    let mut seen = Vec::new();
    loop {
        seen.extend(p.rows.iter().map(|r| r.serial.clone()));
        match p.next.take() {
            Some(c) => {
                p = f
                    .store
                    .list_queue(
                        &reviewer,
                        &QueueInput {
                            cursor: Some(c),
                            ..input.clone()
                        },
                    )
                    .unwrap()
            }
            None => break,
        }
    }
    assert_eq!(p.page, 10);
    let unique: std::collections::BTreeSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (200, 200));
}
