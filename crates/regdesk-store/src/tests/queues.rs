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
