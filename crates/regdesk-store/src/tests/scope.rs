//! Office tree scope on enrolled stations (scope.rs): a county point opens
//! cases under its own office, a city's supervisor station receives them and
//! may only look, the supervisor's tree counts them, and a transfer moves a
//! case out of a station's scope.

use regdesk_domain::office::{SubordinateOfficeInput, TransferCaseInput};
use regdesk_sync::protocol::{EntryVerdict, PulledEntry, SnapshotChunk, Verdict};

use super::fixtures::*;
use crate::*;

/// A new data directory enrolled as a station of `office`, with `a`'s rows as its snapshot.
fn station_of(a: &Fixture, name: &str, office: &str) -> Fixture {
    let f = fixture();
    let mut e = enrolment(name);
    e.station_office = Some(office.into());
    f.store.join_office(&e).unwrap();
    let rows = a.store.shared_rows().unwrap();
    f.store
        .apply_snapshot(&SnapshotChunk {
            snapshot_id: format!("snap-{name}"),
            cursor: a.store.pull_cursor().unwrap(),
            total_rows: rows.len() as u64,
            total_bytes: 0,
            rows,
            next: None,
        })
        .unwrap();
    f
}

/// Accepts `f`'s outbox at the office's places from `from`; the pulled entries.
fn accepted(f: &Fixture, from: i64) -> Vec<PulledEntry> {
    let sent = f.store.outbox(500).unwrap();
    let verdicts: Vec<EntryVerdict> = sent
        .iter()
        .enumerate()
        .map(|(i, e)| EntryVerdict {
            id: e.id,
            verdict: Verdict::Accepted {
                office_seq: from + i as i64,
            },
        })
        .collect();
    f.store.record_verdicts(&verdicts).unwrap();
    sent.into_iter()
        .enumerate()
        .map(|(i, entry)| PulledEntry {
            office_seq: from + i as i64,
            entry,
        })
        .collect()
}

fn office_code_of(f: &Fixture, case_id: &str) -> Option<String> {
    raw_db(f.store.path())
        .unwrap()
        .query_row("SELECT office_code FROM cases WHERE id = ?1", [case_id], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_county_opens_its_cases_the_city_sees_them_read_only_and_a_transfer_moves_one() {
    let (a, admin) = office();
    add_staff(&a, &admin, &CLERK);
    for (code, name, parent) in [
        ("ZJHZ", "杭州市版权局", "ZJ"),
        ("ZJHZXH", "西湖区受理点", "ZJHZ"),
        ("ZJNB", "宁波市版权局", "ZJ"),
    ] {
        a.store
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
    a.store.save_enrolment(&admin, &enrolment("省局工作站")).unwrap();
    let county = station_of(&a, "西湖受理窗口", "ZJHZXH");
    let city = station_of(&a, "杭州主管", "ZJHZ");

    // The county point opens a case: under its own office's code.
    let clerk = login(&county, CLERK.username, CLERK.password).unwrap();
    let filing = corporate(&county, &clerk, false);
    let case = new_draft(&county, &clerk, filing.clone());
    assert_eq!(office_code_of(&county, &case.id).as_deref(), Some("ZJHZXH"));
    let pulled = accepted(&county, 1);
    assert!(pulled.iter().any(|p| p.entry.command == "create_draft"));

    // The city's supervisor station receives it; its tree counts it under the county.
    city.store.apply_pulled(&pulled).unwrap();
    a.store.apply_pulled(&pulled).unwrap();
    let city_admin = login(&city, "admin", "Banquan2026").unwrap();
    let tree = city.store.office_tree(&city_admin).unwrap();
    let xh = tree.iter().find(|n| n.code == "ZJHZXH").unwrap();
    assert_eq!(xh.counts.counter, 1, "{tree:#?}");
    assert_eq!(county.store.state_hash().unwrap(), city.store.state_hash().unwrap());

    // … and may not change it: the case opens read-only, saying why (the
    // desk offers no change) …
    let city_clerk = login(&city, CLERK.username, CLERK.password).unwrap();
    for seen in [
        city.store.case_detail(&city_clerk, &case.serial).unwrap(),
        city.store.reveal_case(&city_clerk, &case.id).unwrap(),
    ] {
        let why = seen.read_only.clone().unwrap_or_default();
        assert!(
            why.contains("西湖区受理点（ZJHZXH）") && why.contains("杭州市版权局（ZJHZ）") && why.contains("只能查看"),
            "{why}"
        );
        assert!(!seen.editable && !seen.withdrawable && seen.decided_at.is_none());
    }
    // … while the county's own station opens it as its own.
    let own = county.store.case_detail(&clerk, &case.id).unwrap();
    assert_eq!((own.read_only, own.editable), (None, true));
    // … and a change is refused in Chinese, nothing journaled.
    let mut changed = filing.clone();
    changed.work.title = "钱江观潮".into();
    let save = |f: &Fixture, s: &Session, version: i64| {
        f.store.save_draft(
            s,
            &SaveDraftInput {
                case_id: Some(case.id.clone()),
                version: Some(version),
                applicant_id: None,
                draft: changed.clone(),
            },
        )
    };
    let before = journal_count(&city);
    let e = save(&city, &city_clerk, case.version).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    let text = e.to_string();
    assert!(
        text.contains("西湖区受理点（ZJHZXH）") && text.contains("只能查看"),
        "{text}"
    );
    assert_eq!(journal_count(&city), before);
    assert!(city.store.outbox(500).unwrap().is_empty());

    // A transfer: an admin only, to an office of the tree, another than its own, with a reason.
    let transfer = |s: &Session, to: &str, reason: &str, version: i64| {
        a.store.transfer_case(
            s,
            &TransferCaseInput {
                case_id: case.id.clone(),
                version,
                office_code: to.into(),
                reason: reason.into(),
            },
        )
    };
    let a_clerk = login(&a, CLERK.username, CLERK.password).unwrap();
    assert_eq!(
        transfer(&a_clerk, "ZJNB", "迁居", case.version).unwrap_err().kind(),
        ErrorKind::Permission
    );
    let fields = |e: StoreError| e.to_api().fields.into_iter().map(|f| f.field).collect::<Vec<_>>();
    assert_eq!(
        fields(transfer(&admin, "ZJXX", "迁居", case.version).unwrap_err()),
        ["office_code"]
    );
    assert_eq!(
        fields(transfer(&admin, "ZJHZXH", "迁居", case.version).unwrap_err()),
        ["office_code"]
    );
    assert_eq!(
        fields(transfer(&admin, "ZJNB", " ", case.version).unwrap_err()),
        ["reason"]
    );
    let moved = transfer(&admin, "zjnb", "申请人迁居宁波", case.version).unwrap();
    assert_eq!(moved.version, case.version + 1);
    assert_eq!(office_code_of(&a, &case.id).as_deref(), Some("ZJNB"));
    let sent = a.store.outbox(500).unwrap();
    let entry = sent.iter().find(|e| e.command == "transfer_case").unwrap();
    assert_eq!(entry.payload["reason"], "申请人迁居宁波");
    assert_eq!(entry.payload["from_office"], "ZJHZXH");
    assert!(entry.effects.iter().all(|e| e.table == "cases"));

    // The county pulls it: the case leaves its scope (its hash leaves it out) and it can no longer change it.
    let moved_in = accepted(&a, pulled.len() as i64 + 1);
    let hash_before = county.store.state_hash().unwrap();
    county.store.apply_pulled(&moved_in).unwrap();
    assert_eq!(office_code_of(&county, &case.id).as_deref(), Some("ZJNB"));
    assert_ne!(county.store.state_hash().unwrap(), hash_before);
    let e = save(&county, &clerk, moved.version).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert!(e.to_string().contains("宁波市版权局（ZJNB）"), "{e}");
    let gone = county.store.case_detail(&clerk, &case.id).unwrap();
    assert!(gone.read_only.is_some_and(|w| w.contains("不在本工作站的范围内")) && !gone.editable);
    // A county station may not move a case it does not see.
    let county_admin = login(&county, "admin", "Banquan2026").unwrap();
    let e = county
        .store
        .transfer_case(
            &county_admin,
            &TransferCaseInput {
                case_id: case.id.clone(),
                version: moved.version,
                office_code: "ZJHZXH".into(),
                reason: "退回".into(),
            },
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
    assert!(e.to_string().contains("不能由本工作站移交"), "{e}");
}

/// 赵敏, a supervisor (统计).
const SUPERVISOR: Staff = Staff {
    username: "zhaomin",
    display_name: "赵敏",
    roles: &[regdesk_domain::staff::Role::Supervisor],
    password: "Tongji2026",
};

#[test]
fn a_subordinate_stations_tree_and_statistics_are_rooted_at_its_own_office() {
    use regdesk_domain::stats::Period;
    let (a, admin) = office();
    add_staff(&a, &admin, &SUPERVISOR);
    for (code, name, parent) in [
        ("ZJHZ", "杭州市版权局", "ZJ"),
        ("ZJHZXH", "西湖区受理点", "ZJHZ"),
        ("ZJNB", "宁波市版权局", "ZJ"),
    ] {
        a.store
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
    a.store.save_enrolment(&admin, &enrolment("省局工作站")).unwrap();
    let city = station_of(&a, "杭州主管", "ZJHZ");
    let county = station_of(&a, "西湖受理窗口", "ZJHZXH");
    let shape = |f: &Fixture| {
        let boss = login(f, SUPERVISOR.username, SUPERVISOR.password).unwrap();
        f.store
            .office_tree(&boss)
            .unwrap()
            .into_iter()
            .map(|n| (n.code, n.parent_code, n.depth, n.own))
            .collect::<Vec<_>>()
    };
    let s = |c: &str| c.to_string();
    // The province sees its whole tree.
    assert_eq!(
        shape(&a),
        vec![
            (s("ZJ"), None, 0, true),
            (s("ZJHZ"), Some(s("ZJ")), 1, false),
            (s("ZJHZXH"), Some(s("ZJHZ")), 2, false),
            (s("ZJNB"), Some(s("ZJ")), 1, false),
        ]
    );
    // The city's station: its office and the county under it.
    assert_eq!(
        shape(&city),
        vec![(s("ZJHZ"), None, 0, true), (s("ZJHZXH"), Some(s("ZJHZ")), 1, false)]
    );
    // The county's station: its own office alone.
    assert_eq!(shape(&county), vec![(s("ZJHZXH"), None, 0, true)]);
    // Each station's top bar names its own office; the province's, the office.
    let named = |f: &Fixture| f.store.app_status(None).unwrap().station_office_name;
    assert_eq!(named(&city).as_deref(), Some("杭州市版权局"));
    assert_eq!(named(&county).as_deref(), Some("西湖区受理点"));
    assert_eq!(named(&a), None);

    // Statistics without an office are the station's own office's; an office
    // outside the station's scope is refused, naming the field.
    let input = |office: Option<&str>| StatsInput {
        period: Period::Year { year: 2026 },
        office: office.map(String::from),
        own_only: false,
    };
    let boss = login(&city, SUPERVISOR.username, SUPERVISOR.password).unwrap();
    let v = city.store.stats_summary(&boss, &input(None)).unwrap();
    assert_eq!(
        (v.office_code.as_str(), v.office_name.as_str()),
        ("ZJHZ", "杭州市版权局")
    );
    let v = city.store.stats_summary(&boss, &input(Some("ZJHZXH"))).unwrap();
    assert_eq!(v.office_code, "ZJHZXH");
    for outside in ["ZJ", "ZJNB"] {
        let e = city.store.stats_summary(&boss, &input(Some(outside))).unwrap_err();
        let api = e.to_api();
        assert_eq!(
            api.fields
                .iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect::<Vec<_>>(),
            [("office", "out_of_scope")],
            "{outside}"
        );
        assert!(
            api.fields[0].message.contains("不在本工作站的范围内"),
            "{}",
            api.fields[0].message
        );
    }
    let boss = login(&a, SUPERVISOR.username, SUPERVISOR.password).unwrap();
    assert_eq!(a.store.stats_summary(&boss, &input(None)).unwrap().office_code, "ZJ");
    assert_eq!(
        a.store.stats_summary(&boss, &input(Some("ZJNB"))).unwrap().office_code,
        "ZJNB"
    );
}
