//! The station's side of sync: effects in the journal, the outbox, verdicts,
//! pulled entries, the state hash, the 需处理 inbox, joining an office by snapshot.

use chrono::{TimeZone, Utc};
use regdesk_sync::protocol::{
    Cell, Column, Entry, EntryVerdict, PulledEntry, RejectCode, RowEffect, SnapshotChunk, Verdict,
};
use regdesk_sync::station::StationRecord;

use super::fixtures::*;
use crate::*;

fn accept_all(f: &Fixture, entries: &[Entry], from: i64) -> Vec<PulledEntry> {
    let verdicts: Vec<EntryVerdict> = entries
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
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| PulledEntry {
            office_seq: from + i as i64,
            entry: e.clone(),
        })
        .collect()
}

fn digest_of(f: &Fixture, table: &str, key: &str) -> Option<String> {
    raw_db(f.store.path())
        .unwrap()
        .query_row(
            "SELECT digest FROM audit_rows WHERE tbl = ?1 AND key = ?2",
            [table, key],
            |r| r.get(0),
        )
        .ok()
}

fn last_effects(f: &Fixture) -> Vec<RowEffect> {
    let text: String = raw_db(f.store.path())
        .unwrap()
        .query_row("SELECT effects FROM journal ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn verify_ok(f: &Fixture) {
    let report = f.store.verify_audit().unwrap();
    assert!(report.ok, "{report:#?}");
}

/// A station that joined A's office: a new data directory enrolled, with A's rows as its snapshot.
fn joined(a: &Fixture, chunk_rows: usize) -> Fixture {
    let b = fixture();
    b.store.join_office(&enrolment("受理窗口2")).unwrap();
    let rows = a.store.shared_rows().unwrap();
    let total = rows.len() as u64;
    let chunks: Vec<_> = rows.chunks(chunk_rows).collect();
    for (i, c) in chunks.iter().enumerate() {
        let last = c.last().unwrap();
        b.store
            .apply_snapshot(&SnapshotChunk {
                snapshot_id: "snap-1".into(),
                cursor: a.store.pull_cursor().unwrap(),
                total_rows: total,
                total_bytes: 0,
                rows: c.to_vec(),
                next: (i + 1 < chunks.len()).then(|| (last.table.clone(), last.key.clone())),
            })
            .unwrap();
    }
    b
}

#[test]
fn the_sync_crate_digests_every_type_as_the_store_does() {
    let f = fixture();
    let conn = raw_db(f.store.path()).unwrap();
    let names: Vec<String> = ["b", "r", "n", "i", "t"].iter().map(|s| s.to_string()).collect();
    let (digest, row) = conn
        .query_row("SELECT x'00ff10', -2.5, NULL, 42, '作品'", [], |r| {
            let (d, _) = crate::rows::digest_row("t", "[1]", &names, r, 0, 5)?;
            Ok((d, crate::rows::columns_of(&names, r, 0)?))
        })
        .unwrap();
    assert_eq!(
        row.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
        vec![
            Cell::Blob(vec![0, 255, 16]),
            Cell::Real(-2.5),
            Cell::Null,
            Cell::Int(42),
            Cell::Text("作品".into())
        ]
    );
    assert_eq!(regdesk_sync::row_digest("t", "[1]", &row), digest);
}

#[test]
fn the_sync_crate_digests_every_row_of_the_sample_office_as_the_audit_recorded_it() {
    let f = sample_office(3);
    let admin = sample_login(&f, "admin");
    // Reals: a printer's offsets.
    f.store
        .save_certificate_printer(
            &admin,
            &PrinterInput {
                name: "证书打印机".into(),
                offset_x_mm: 1.26,
                offset_y_mm: -2.0,
                version: 0,
            },
        )
        .unwrap();
    let rows = f.store.shared_rows().unwrap();
    assert!(rows.iter().any(|r| r.table == "cases"));
    assert!(rows
        .iter()
        .any(|r| r.row.iter().any(|c| matches!(c.value, Cell::Real(_)))));
    assert!(rows.iter().any(|r| r.row.iter().any(|c| c.value == Cell::Null)));
    assert!(rows.iter().all(|r| regdesk_sync::is_shared_table(&r.table)));
    for r in &rows {
        assert_eq!(
            Some(regdesk_sync::row_digest(&r.table, &r.key, &r.row)),
            digest_of(&f, &r.table, &r.key),
            "{} {}",
            r.table,
            r.key
        );
    }
}

#[test]
fn a_command_records_its_effect_on_each_shared_row() {
    let (f, admin) = office();
    let settings = f.store.settings(&admin).unwrap();
    let before = digest_of(&f, "settings", "[1]").unwrap();
    f.store
        .update_settings(&admin, &settings_input(settings.version, 20))
        .unwrap();
    let effects = last_effects(&f);
    let s = effects.iter().find(|e| e.table == "settings").unwrap();
    assert_eq!(s.before.as_deref(), Some(before.as_str()));
    let after = s.after.as_ref().unwrap();
    assert!(after
        .iter()
        .any(|c| c.name == "idle_lock_minutes" && c.value == Cell::Int(20)));
    assert_eq!(
        Some(regdesk_sync::row_digest("settings", "[1]", after)),
        digest_of(&f, "settings", "[1]")
    );
    assert!(effects.iter().all(|e| regdesk_sync::is_shared_table(&e.table)));

    // The fields the command changed, each with its value before: the
    // setting, and the row's version and time.
    let changed = s.changed.as_ref().expect("an existing row names its fields");
    let names: Vec<&str> = changed.iter().map(|c| c.column.as_str()).collect();
    assert!(names.contains(&"idle_lock_minutes"), "{names:?}");
    assert!(names.iter().all(|n| after.iter().any(|c| c.name == *n)), "{names:?}");
    let idle = changed.iter().find(|c| c.column == "idle_lock_minutes").unwrap();
    assert_eq!(idle.before, Cell::Int(settings.idle_lock_minutes.into()));
    assert!(idle.path.is_empty());

    // A new row has no digest before it, and names no fields.
    add_staff(&f, &admin, &CLERK);
    let effects = last_effects(&f);
    let staff = effects.iter().find(|e| e.table == "staff").unwrap();
    assert_eq!(staff.before, None);
    assert!(staff.after.is_some());
    assert_eq!(staff.changed, None);
}

#[test]
fn only_entries_made_after_enrolment_with_shared_effects_are_pushed() {
    let (f, admin) = office();
    add_staff(&f, &admin, &CLERK);
    assert!(f.store.outbox(100).unwrap().is_empty(), "alone, nothing is pushed");
    f.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    assert!(f.store.outbox(100).unwrap().is_empty(), "work before enrolment stays");
    assert_eq!(f.store.sync_status().unwrap().pending, 0);

    let clerk = login(&f, CLERK.username, CLERK.password).unwrap();
    let draft = new_draft(&f, &clerk, corporate(&f, &clerk, true));
    let out = f.store.outbox(100).unwrap();
    assert!(out
        .iter()
        .any(|e| e.command == "create_draft" && e.entity_id == draft.id));
    let save = out.iter().find(|e| e.command == "create_draft").unwrap();
    assert!(save.effects.iter().any(|e| e.table == "cases"));
    assert!(out.iter().all(|e| e.station_id == f.store.station_id()));
    // Attachments the entries created are named by content hash.
    let added: Vec<&Entry> = out.iter().filter(|e| e.command == "add_file").collect();
    assert!(!added.is_empty());
    assert!(added.iter().all(|e| e.blobs.len() == 1 && e.blobs[0].len() == 64));
    assert!(out.windows(2).all(|w| w[0].station_seq < w[1].station_seq));
    assert_eq!(f.store.sync_status().unwrap().pending as usize, out.len());

    // A second enrolment is refused; a non-admin cannot enrol.
    let again = f.store.save_enrolment(&admin, &enrolment("x")).unwrap_err();
    assert!(again.to_string().contains("已加入服务器"), "{again}");
    let e = f.store.save_enrolment(&clerk, &enrolment("x")).unwrap_err();
    assert!(matches!(e, StoreError::Domain(_)), "{e:?}");
    verify_ok(&f);
}

#[test]
fn an_office_of_another_code_cannot_enrol_and_a_forged_fingerprint_is_refused() {
    let (f, admin) = office();
    let mut other = enrolment("受理窗口1");
    other.office.code = "SH".into();
    let e = f.store.save_enrolment(&admin, &other).unwrap_err();
    assert!(e.to_string().contains("不是同一个"), "{e}");
    let mut forged = enrolment("受理窗口1");
    forged.ca_fingerprint = regdesk_sync::fingerprint(b"another CA");
    assert!(matches!(
        f.store.save_enrolment(&admin, &forged),
        Err(StoreError::Invalid(_))
    ));
    assert!(!f.store.is_enrolled().unwrap());
    let e = f.store.join_office(&enrolment("受理窗口1")).unwrap_err();
    assert!(e.to_string().contains("已有自己的登记机构"), "{e}");
}

#[test]
fn two_stations_converge_through_pulled_entries() {
    let (a, admin) = office();
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let b = joined(&a, 1000);
    assert_eq!(a.store.state_hash().unwrap(), b.store.state_hash().unwrap());
    verify_ok(&b);

    // Counter work at A: a clerk, a filing with files.
    add_staff(&a, &admin, &CLERK);
    let clerk = login(&a, CLERK.username, CLERK.password).unwrap();
    let filing = corporate(&a, &clerk, true);
    let draft = new_draft(&a, &clerk, filing.clone());
    let sent = a.store.outbox(500).unwrap();
    assert!(sent.len() >= 5, "{}", sent.len());
    let pulled = accept_all(&a, &sent, 1);
    assert!(a.store.outbox(500).unwrap().is_empty());
    assert_ne!(a.store.state_hash().unwrap(), b.store.state_hash().unwrap());

    let applied = b.store.apply_pulled(&pulled).unwrap();
    assert_eq!(applied as usize, pulled.len());
    assert_eq!(a.store.state_hash().unwrap(), b.store.state_hash().unwrap());
    assert_eq!(b.store.pull_cursor().unwrap(), pulled.len() as i64);
    assert!(
        b.store.outbox(500).unwrap().is_empty(),
        "pulled entries never go back up"
    );
    verify_ok(&b);

    // The same entries again change nothing.
    let entries = journal_count(&b);
    assert_eq!(b.store.apply_pulled(&pulled).unwrap(), 0);
    assert_eq!(journal_count(&b), entries);
    assert_eq!(a.store.state_hash().unwrap(), b.store.state_hash().unwrap());

    // A pulls its own entries: nothing to change, the cursor moves.
    let entries = journal_count(&a);
    assert_eq!(a.store.apply_pulled(&pulled).unwrap(), 0);
    assert_eq!(journal_count(&a), entries);
    assert_eq!(a.store.pull_cursor().unwrap(), pulled.len() as i64);

    // At B the clerk signs in with the hash that came from A and edits the filing.
    let b_clerk = login(&b, CLERK.username, CLERK.password).unwrap();
    let case = b.store.case_detail(&b_clerk, &draft.id).unwrap();
    let mut changed = filing;
    changed.work.title = "西湖十景之平湖秋月".into();
    b.store
        .save_draft(
            &b_clerk,
            &SaveDraftInput {
                case_id: Some(case.id.clone()),
                version: Some(case.version),
                applicant_id: None,
                draft: changed,
            },
        )
        .unwrap();
    let from_b = b.store.outbox(500).unwrap();
    assert!(from_b.iter().any(|e| e.command == "save_draft"));
    let pulled_b = accept_all(&b, &from_b, pulled.len() as i64 + 1);
    a.store.apply_pulled(&pulled_b).unwrap();
    assert_eq!(a.store.state_hash().unwrap(), b.store.state_hash().unwrap());
    let at_a = a.store.case_detail(&clerk, &draft.id).unwrap();
    assert_eq!(at_a.draft.work.title, "西湖十景之平湖秋月");
    verify_ok(&a);
    verify_ok(&b);
}

#[test]
fn two_counters_file_on_one_day_each_with_its_own_count() {
    let (a, admin) = office();
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let b = joined(&a, 1000);
    add_staff(&a, &admin, &CLERK);
    let clerk = login(&a, CLERK.username, CLERK.password).unwrap();
    let staff = a.store.outbox(500).unwrap();
    let pulled = accept_all(&a, &staff, 1);
    b.store.apply_pulled(&pulled).unwrap();
    let b_clerk = login(&b, CLERK.username, CLERK.password).unwrap();

    // B files twice, A once, the same day, neither hearing of the other.
    let at_b = corporate(&b, &b_clerk, false);
    let b1 = new_draft(&b, &b_clerk, at_b.clone());
    let b2 = new_draft(&b, &b_clerk, at_b.clone());
    let a1 = new_draft(&a, &clerk, corporate(&a, &clerk, false));
    assert!(
        b1.serial.ends_with("-0001") && b2.serial.ends_with("-0002"),
        "{}",
        b2.serial
    );
    assert!(a1.serial.ends_with("-0001"), "{}", a1.serial);
    assert_ne!(a1.serial, b1.serial, "the station code tells them apart");

    // Neither entry carries the station's count: the server sees no clash.
    let from_a = a.store.outbox(500).unwrap();
    let from_b = b.store.outbox(500).unwrap();
    for e in from_a.iter().chain(&from_b) {
        assert!(
            e.effects.iter().all(|x| x.table != "serial_counters"),
            "{} carries the station's count",
            e.command
        );
    }

    // A's filing arrives at B; B's next filing continues B's own count.
    let next = pulled.len() as i64 + 1;
    let pulled_a = accept_all(&a, &from_a, next);
    let pulled_b = accept_all(&b, &from_b, next + pulled_a.len() as i64);
    b.store.apply_pulled(&pulled_a).unwrap();
    b.store.apply_pulled(&pulled_b).unwrap();
    a.store.apply_pulled(&pulled_a).unwrap();
    a.store.apply_pulled(&pulled_b).unwrap();
    assert_eq!(a.store.state_hash().unwrap(), b.store.state_hash().unwrap());
    let b3 = new_draft(&b, &b_clerk, at_b);
    assert!(b3.serial.ends_with("-0003"), "{}", b3.serial);
    verify_ok(&a);
    verify_ok(&b);
}

#[test]
fn the_server_adds_rows_to_a_stations_own_entry() {
    let (a, admin) = office();
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    add_staff(&a, &admin, &CLERK);
    let sent = a.store.outbox(10).unwrap();
    let mut pulled = accept_all(&a, &sent, 1);
    // The server's own addition to the entry (as it adds a registration number).
    let settings_key = "[1]".to_string();
    let mut row: Vec<Column> = a
        .store
        .shared_rows()
        .unwrap()
        .into_iter()
        .find(|r| r.table == "settings")
        .unwrap()
        .row;
    for c in &mut row {
        if c.name == "idle_lock_minutes" {
            c.value = Cell::Int(45);
        }
    }
    pulled[0].entry.effects.push(RowEffect {
        table: "settings".into(),
        key: settings_key,
        before: None,
        after: Some(row),
        changed: None,
    });
    assert_eq!(a.store.apply_pulled(&pulled).unwrap(), 1);
    assert_eq!(a.store.settings(&admin).unwrap().idle_lock_minutes, 45);
    assert_eq!(a.store.apply_pulled(&pulled).unwrap(), 0, "once only");
    verify_ok(&a);
}

#[test]
fn pulled_entries_wait_while_the_outbox_holds_work() {
    let (a, admin) = office();
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let b = joined(&a, 1000);
    add_staff(&a, &admin, &CLERK);
    let pulled = accept_all(&a, &a.store.outbox(10).unwrap(), 1);
    // B has work of its own not yet pushed.
    let b_admin = login(&b, "admin", "Banquan2026").unwrap();
    add_staff(&b, &b_admin, &REVIEWER);
    let before = b.store.state_hash().unwrap();
    let e = b.store.apply_pulled(&pulled).unwrap_err();
    assert!(e.to_string().contains("等待服务器的答复"), "{e}");
    assert_eq!(b.store.state_hash().unwrap(), before);
    assert_eq!(b.store.pull_cursor().unwrap(), 0);
}

#[test]
fn a_column_this_database_does_not_know_amid_its_own_is_refused_and_nothing_is_applied() {
    let (a, admin) = office();
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let b = joined(&a, 1000);
    add_staff(&a, &admin, &CLERK);
    let mut pulled = accept_all(&a, &a.store.outbox(10).unwrap(), 1);
    let eff = pulled[0].entry.effects.iter_mut().find(|e| e.table == "staff").unwrap();
    // Not after the table's last column: no newer schema writes it there.
    eff.after.as_mut().unwrap().insert(
        2,
        Column {
            name: "nickname".into(),
            value: Cell::Text("小王".into()),
        },
    );
    let before = b.store.state_hash().unwrap();
    let entries = journal_count(&b);
    let e = b.store.apply_pulled(&pulled).unwrap_err();
    assert!(e.to_string().contains("nickname"), "{e}");
    assert_eq!(b.store.state_hash().unwrap(), before);
    assert_eq!(journal_count(&b), entries);
    assert_eq!(b.store.pull_cursor().unwrap(), 0);
    // A station-local table is never written from a pull.
    pulled[0].entry.effects = vec![RowEffect {
        table: "sync_enrolment".into(),
        key: "[1]".into(),
        before: None,
        after: None,
        changed: None,
    }];
    let e = b.store.apply_pulled(&pulled).unwrap_err();
    assert!(e.to_string().contains("自己的表"), "{e}");
    assert!(b.store.is_enrolled().unwrap());
}

#[test]
fn a_rejected_entry_goes_to_the_inbox_with_everything_and_the_server_truth_comes_back() {
    let (f, admin) = office();
    f.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let server_settings = f
        .store
        .shared_rows()
        .unwrap()
        .into_iter()
        .find(|r| r.table == "settings")
        .unwrap();
    let v = f.store.settings(&admin).unwrap().version;
    f.store.update_settings(&admin, &settings_input(v, 20)).unwrap();
    add_staff(&f, &admin, &CLERK);
    let out = f.store.outbox(10).unwrap();
    assert_eq!(out.len(), 2);
    let verdicts = vec![
        EntryVerdict {
            id: out[0].id,
            verdict: Verdict::Rejected {
                code: RejectCode::Conflict,
                reason: "系统设置已在别的工作站被修改：请刷新后重新修改".into(),
                current: vec![RowEffect {
                    table: "settings".into(),
                    key: "[1]".into(),
                    before: None,
                    after: Some(server_settings.row.clone()),
                    changed: None,
                }],
            },
        },
        EntryVerdict {
            id: out[1].id,
            verdict: Verdict::RetryLater {
                reason: "服务器繁忙".into(),
            },
        },
    ];
    f.store.record_verdicts(&verdicts).unwrap();
    // The server's truth is back; the rejected entry left the outbox, the other waits.
    assert_eq!(f.store.settings(&admin).unwrap().idle_lock_minutes, 10);
    let left = f.store.outbox(10).unwrap();
    assert_eq!(left.iter().map(|e| e.id).collect::<Vec<_>>(), vec![out[1].id]);
    let status = f.store.sync_status().unwrap();
    assert_eq!((status.pending, status.inbox), (1, 1));
    verify_ok(&f);

    let inbox = f.store.sync_inbox(&admin).unwrap();
    assert_eq!(inbox.len(), 1);
    let item = &inbox[0];
    assert_eq!(item.entry_id, out[0].id.to_string());
    assert_eq!(item.command, "update_settings");
    assert_eq!(item.command_words, "修改系统设置");
    assert_eq!(item.staff_name.as_deref(), Some("周建国"));
    assert_eq!(item.code, "conflict");
    assert!(item.reason.contains("别的工作站"));
    assert_eq!(item.payload, out[0].payload);
    let row = &item.rows[0];
    let idle = row.fields.iter().find(|c| c.column == "idle_lock_minutes").unwrap();
    assert_eq!(
        (idle.theirs.as_deref(), idle.server.as_deref()),
        (Some("20"), Some("10"))
    );

    // The same verdicts again change nothing.
    let entries = journal_count(&f);
    f.store.record_verdicts(&verdicts).unwrap();
    assert_eq!(journal_count(&f), entries);
    assert_eq!(f.store.sync_inbox(&admin).unwrap().len(), 1);

    // 放弃: asked to confirm, only its maker or an admin, audited.
    let clerk = login(&f, CLERK.username, CLERK.password).unwrap();
    let discard = |confirm| DiscardInboxInput {
        entry_id: item.entry_id.clone(),
        confirm,
    };
    assert!(matches!(
        f.store.discard_inbox_item(&clerk, &discard(true)),
        Err(StoreError::Domain(_))
    ));
    assert!(matches!(
        f.store.discard_inbox_item(&admin, &discard(false)),
        Err(StoreError::Invalid(_))
    ));
    f.store.discard_inbox_item(&admin, &discard(true)).unwrap();
    assert!(f.store.sync_inbox(&admin).unwrap().is_empty());
    let last: String = raw_db(f.store.path())
        .unwrap()
        .query_row("SELECT command FROM journal ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(last, "discard_inbox_item");
    assert_eq!(f.store.outbox(10).unwrap().len(), 1, "discarding pushes nothing");
    verify_ok(&f);
}

#[test]
fn saving_the_redone_command_closes_its_inbox_item() {
    let (f, admin) = office();
    f.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let server_settings = f
        .store
        .shared_rows()
        .unwrap()
        .into_iter()
        .find(|r| r.table == "settings")
        .unwrap();
    let v = f.store.settings(&admin).unwrap().version;
    f.store.update_settings(&admin, &settings_input(v, 20)).unwrap();
    add_staff(&f, &admin, &CLERK);
    let out = f.store.outbox(10).unwrap();
    let rejected = EntryVerdict {
        id: out[0].id,
        verdict: Verdict::Rejected {
            code: RejectCode::Conflict,
            reason: "系统设置已在别的工作站被修改：请刷新后重新修改".into(),
            current: vec![RowEffect {
                table: "settings".into(),
                key: "[1]".into(),
                before: None,
                after: Some(server_settings.row.clone()),
                changed: None,
            }],
        },
    };
    let accepted = EntryVerdict {
        id: out[1].id,
        verdict: Verdict::Accepted { office_seq: 2 },
    };
    f.store.record_verdicts(&[rejected, accepted]).unwrap();
    let item = f.store.sync_inbox(&admin).unwrap().remove(0);
    let input = RedoneInboxInput {
        entry_id: item.entry_id.clone(),
    };
    // Not redone yet: it stays.
    match f.store.close_redone_inbox_item(&admin, &input) {
        Err(StoreError::Refused { code, message }) => {
            assert_eq!(code, "inbox_not_redone");
            assert!(message.contains("保存"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(f.store.sync_inbox(&admin).unwrap().len(), 1);

    // 重做: the form saved again over the server's truth.
    let v = f.store.settings(&admin).unwrap().version;
    f.store.update_settings(&admin, &settings_input(v, 20)).unwrap();
    // Someone else cannot close it for the person who redid it.
    let clerk = login(&f, CLERK.username, CLERK.password).unwrap();
    assert!(matches!(
        f.store.close_redone_inbox_item(&clerk, &input),
        Err(StoreError::Refused { .. })
    ));
    f.store.close_redone_inbox_item(&admin, &input).unwrap();
    assert!(f.store.sync_inbox(&admin).unwrap().is_empty());
    assert_eq!(f.store.sync_status().unwrap().inbox, 0);
    let (last, outcome): (String, String) = raw_db(f.store.path())
        .unwrap()
        .query_row(
            "SELECT (SELECT command FROM journal ORDER BY seq DESC LIMIT 1),
                    (SELECT outcome FROM sync_inbox WHERE entry_id = ?1)",
            [&item.entry_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((last.as_str(), outcome.as_str()), ("redo_inbox_item", "redone"));
    // Only the redone command goes to the server, not the closing.
    let pending = f.store.outbox(10).unwrap();
    assert_eq!(
        pending.iter().map(|e| e.command.as_str()).collect::<Vec<_>>(),
        vec!["update_settings"]
    );
    // Closed once: a second close finds nothing open.
    assert!(matches!(
        f.store.close_redone_inbox_item(&admin, &input),
        Err(StoreError::NotFound { .. })
    ));
    verify_ok(&f);
}

#[test]
fn a_joining_station_takes_the_office_in_chunks_and_resumes_after_an_interruption() {
    let a = sample_office(2);
    let admin = sample_login(&a, "admin");
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let rows = a.store.shared_rows().unwrap();
    let chunks: Vec<_> = rows.chunks(7).collect();
    assert!(chunks.len() >= 3);
    let chunk = |i: usize| {
        let c = chunks[i];
        let last = c.last().unwrap();
        SnapshotChunk {
            snapshot_id: "snap-9".into(),
            cursor: 12,
            total_rows: rows.len() as u64,
            total_bytes: 1000,
            rows: c.to_vec(),
            next: (i + 1 < chunks.len()).then(|| (last.table.clone(), last.key.clone())),
        }
    };
    let b = fixture();
    assert!(b.store.apply_snapshot(&chunk(0)).is_err(), "not enrolled");
    b.store.join_office(&enrolment("受理窗口2")).unwrap();
    assert_eq!(
        a.store.snapshot_request(7).unwrap(),
        None,
        "an office of its own needs none"
    );
    let start = StationRecord::snapshot_request(&b.store, 7).unwrap().unwrap();
    assert_eq!((start.snapshot_id, start.after, start.max_rows), (None, None, 7));
    assert!(b.store.apply_pulled(&[]).is_err(), "no pull before the office's rows");
    let p = b.store.apply_snapshot(&chunk(0)).unwrap();
    assert_eq!((p.rows_done, p.rows_total, p.done), (7, rows.len() as u64, false));
    b.store.apply_snapshot(&chunk(1)).unwrap();
    // Interrupted: the program closes and opens again.
    let Fixture { dir, clock, store } = b;
    drop(store);
    let store = open_store(dir.path(), clock.clone()).unwrap();
    let b = Fixture { dir, clock, store };
    let req = b.store.snapshot_request(7).unwrap().unwrap();
    assert_eq!(req.snapshot_id.as_deref(), Some("snap-9"));
    let last = chunks[1].last().unwrap();
    assert_eq!(req.after, Some((last.table.clone(), last.key.clone())));
    assert!(b.store.apply_pulled(&[]).is_err(), "no pull before the snapshot is in");
    // A chunk that came twice changes nothing.
    let entries = journal_count(&b);
    b.store.apply_snapshot(&chunk(1)).unwrap();
    assert_eq!(journal_count(&b), entries);
    for i in 2..chunks.len() {
        b.store.apply_snapshot(&chunk(i)).unwrap();
    }
    assert_eq!(b.store.snapshot_request(7).unwrap(), None);
    assert_eq!(b.store.pull_cursor().unwrap(), 12);
    assert_eq!(
        StationRecord::state_hash(&b.store).unwrap(),
        a.store.state_hash().unwrap()
    );
    assert!(b.store.outbox(10).unwrap().is_empty());
    assert_eq!(
        b.store.apply_pulled(&[]).unwrap(),
        0,
        "pulls go on from the snapshot's cursor"
    );
    verify_ok(&b);
    // The search entries, written once the last page is in, are the source's
    // though the pages came over two runs of the program.
    assert_eq!(search_index(&b), search_index(&a));
    // The office's staff sign in at the new station with their synced passwords.
    let clerk = sample_login(&b, "wangli");
    assert!(b.store.sync_inbox(&clerk).unwrap().is_empty());
    let status = b.store.sync_status().unwrap();
    assert!(status.enrolled && status.snapshot.is_none());
    assert_eq!(status.station_name.as_deref(), Some("受理窗口2"));
}

#[test]
fn a_joining_station_takes_the_name_the_server_gave_it_and_an_office_of_its_own_keeps_its_name() {
    let b = fixture();
    assert_eq!(b.store.app_status(None).unwrap().station_name, "");
    b.store.join_office(&enrolment("受理窗口2")).unwrap();
    // The sign-in screen and the header name the station before its first sync is done.
    assert_eq!(b.store.app_status(None).unwrap().station_name, "受理窗口2");

    let a = sample_office(0);
    let before = a.store.app_status(None).unwrap().station_name;
    assert!(!before.is_empty());
    let admin = sample_login(&a, "admin");
    a.store.save_enrolment(&admin, &enrolment("受理窗口9")).unwrap();
    assert_eq!(a.store.app_status(None).unwrap().station_name, before);
}

#[test]
fn the_sync_status_tells_the_last_round() {
    let (f, admin) = office();
    assert!(!f.store.sync_status().unwrap().enrolled);
    f.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap();
    let failed = regdesk_sync::station::SyncOutcome {
        error: Some("无法连接服务器".into()),
        ..Default::default()
    };
    StationRecord::note_sync(&f.store, at, &failed).unwrap();
    let s = f.store.sync_status().unwrap();
    assert!(s.offline);
    assert_eq!(s.last_error.as_deref(), Some("无法连接服务器"));
    assert_eq!(s.last_success, None);
    let later = at + chrono::Duration::minutes(1);
    StationRecord::note_sync(&f.store, later, &Default::default()).unwrap();
    let s = f.store.sync_status().unwrap();
    assert!(!s.offline);
    assert_eq!(s.last_success, Some(later));
    assert_eq!(s.ca_fingerprint, Some(enrolment("x").ca_fingerprint));
    verify_ok(&f);
}

#[test]
fn an_attachment_goes_by_hash_and_a_pulled_file_is_not_downloaded_until_fetched() {
    let (a, admin) = office();
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let b = joined(&a, 1000);
    add_staff(&a, &admin, &CLERK);
    let clerk = login(&a, CLERK.username, CLERK.password).unwrap();
    let sample: Vec<u8> = (0..(1 << 20) + 300).map(|i| (i % 253) as u8).collect();
    let added = file(&a, &clerk, "样品.pdf", &sample);
    assert!(added.downloaded);

    // The entry that added the file names its blob; the station gives its plaintext.
    let sent = a.store.outbox(500).unwrap();
    let naming: Vec<&Entry> = sent.iter().filter(|e| e.blobs.contains(&added.sha256)).collect();
    assert_eq!(naming.len(), 1);
    assert_eq!(
        StationRecord::blob(&a.store, &added.sha256).unwrap(),
        Some(sample.clone())
    );
    assert_eq!(StationRecord::blob(&a.store, &"0".repeat(64)).unwrap(), None);
    // Uploads read it as a stream, a sealed chunk at a time, in small reads.
    let (size, mut reader) = StationRecord::blob_reader(&a.store, &added.sha256).unwrap().unwrap();
    assert_eq!(size, sample.len() as u64);
    let mut streamed = Vec::new();
    let mut buf = [0u8; 4096 + 3];
    loop {
        let n = std::io::Read::read(&mut reader, &mut buf).unwrap();
        if n == 0 {
            break;
        }
        streamed.extend_from_slice(&buf[..n]);
    }
    assert_eq!(streamed, sample);
    assert!(StationRecord::blob_reader(&a.store, &"0".repeat(64)).unwrap().is_none());
    assert!(StationRecord::missing_blobs(&a.store).unwrap().is_empty());

    // At B the row arrives without the content: 未下载, and opening it says so.
    let pulled = accept_all(&a, &sent, 1);
    b.store.apply_pulled(&pulled).unwrap();
    let clerk_b = login(&b, CLERK.username, CLERK.password).unwrap();
    assert_eq!(
        StationRecord::missing_blobs(&b.store).unwrap(),
        vec![added.sha256.clone()]
    );
    assert!(!b.store.file(&clerk_b, &added.id).unwrap().downloaded);
    let e = b.store.verified_file_path(&clerk_b, &added.id).unwrap_err();
    assert!(e.to_string().contains("尚未下载"), "{e}");

    // Bytes that do not hash to the name are refused; the right ones are kept.
    let mut wrong = sample.clone();
    wrong[7] ^= 1;
    let e = StationRecord::save_blob(&b.store, &added.sha256, &wrong).unwrap_err();
    assert!(e.to_string().contains("摘要不符"), "{e}");
    assert!(!b.store.has_blob(&added.sha256));
    StationRecord::save_blob(&b.store, &added.sha256, &sample).unwrap();
    assert!(StationRecord::missing_blobs(&b.store).unwrap().is_empty());
    assert!(b.store.file(&clerk_b, &added.id).unwrap().downloaded);
    let opened = b.store.verified_file_path(&clerk_b, &added.id).unwrap();
    assert_eq!(std::fs::read(opened).unwrap(), sample);
    // Kept encrypted at rest, as the station's own attachments are.
    let at_rest = std::fs::read(
        b.dir
            .path()
            .join("files")
            .join(&added.sha256[0..2])
            .join(format!("{}.enc", added.sha256)),
    )
    .unwrap();
    assert_ne!(&at_rest[..64], &sample[..64]);
}

/// The search entries of an office, table by table, in rowid order (the
/// short and queue indexes keep no text: their row ids).
fn search_index(f: &Fixture) -> Vec<Vec<(i64, String, String)>> {
    let conn = raw_db(f.store.path()).unwrap();
    [
        "SELECT rowid, case_id, body FROM case_search ORDER BY rowid",
        "SELECT rowid, '', '' FROM case_grams ORDER BY rowid",
        "SELECT rowid, '', '' FROM case_queue_search ORDER BY rowid",
    ]
    .iter()
    .map(|sql| {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<std::result::Result<Vec<_>, _>>()
            .unwrap();
        rows
    })
    .collect()
}

#[test]
fn a_station_that_joined_by_snapshot_finds_the_same_cases_as_the_source() {
    let a = sample_office(12);
    let b = joined(&a, 5);
    let index = search_index(&a);
    assert!(index[0].len() >= 12, "{}", index[0].len());
    assert_eq!(search_index(&b), index, "the same search entries, rowid for rowid");
    // Whatever a desk types finds the same cases at both stations: whole
    // words, one and two characters (the short index), and within a queue.
    let mut texts: Vec<String> = Vec::new();
    for (_, _, body) in &index[0] {
        for word in body.split_whitespace().take(4) {
            let chars: Vec<char> = word.chars().collect();
            texts.push(word.to_string());
            texts.push(chars[..1].iter().collect());
            texts.push(chars[..chars.len().min(2)].iter().collect());
        }
    }
    texts.sort();
    texts.dedup();
    let (sa, sb) = (sample_login(&a, "admin"), sample_login(&b, "admin"));
    let hits = |f: &Fixture, s: &Session, text: &str| {
        let mut top: Vec<String> = f
            .store
            .search_cases(
                s,
                &CaseSearchInput {
                    text: text.into(),
                    limit: Some(50),
                },
            )
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.case.id)
            .collect();
        top.sort();
        let mut input = QueueInput::first(regdesk_domain::queue::Queue::FirstReview, 50);
        input.search = Some(text.into());
        let queue: Vec<String> = f
            .store
            .list_queue(s, &input)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect();
        (top, queue)
    };
    let mut found = 0;
    for text in &texts {
        let at_a = hits(&a, &sa, text);
        assert_eq!(hits(&b, &sb, text), at_a, "search “{text}”");
        found += at_a.0.len();
    }
    assert!(found > texts.len(), "the searches find cases: {found}");
}

#[test]
fn the_numbers_audit_shows_each_series_and_the_leases_per_station_to_who_may_view_the_audit() {
    use regdesk_domain::regno::{NumberAuditLine, SerialRun};
    use regdesk_sync::protocol::{LeaseHolding, NumbersAuditReply};
    let (f, admin) = office();
    let line = |unknown: Vec<SerialRun>| NumberAuditLine {
        prefix: "浙作登字".into(),
        year: 2026,
        letter: 'F',
        issued: 40,
        used: 12,
        voided: 1,
        returned: 2,
        outstanding: 25 - unknown.iter().map(SerialRun::len).sum::<u64>(),
        unknown,
    };
    let holding = |station_id: &str, name: &str, unused| LeaseHolding {
        station_id: station_id.into(),
        station_name: name.into(),
        prefix: "浙作登字".into(),
        year: 2026,
        letter: 'F',
        unused,
        numbers: vec!["浙作登字-2026-F-00000021–00000040".into()],
    };
    let reply = NumbersAuditReply {
        series: vec![line(vec![SerialRun { first: 7, last: 8 }])],
        leases: vec![
            holding(f.store.station_id(), "受理窗口1", 20),
            holding("another", "终审室", 3),
        ],
        balanced: false,
    };
    let view = f.store.numbers_audit(&admin, reply.clone()).unwrap();
    assert!(!view.balanced);
    let s = &view.series[0];
    assert_eq!(s.series, "浙作登字-2026-F");
    assert_eq!(
        (s.issued, s.used, s.voided, s.returned, s.outstanding),
        (40, 12, 1, 2, 23)
    );
    assert!(!s.balanced);
    assert_eq!(s.unknown, vec!["浙作登字-2026-F-00000007–00000008".to_string()]);
    let mine: Vec<(&str, bool, u64)> = view
        .leases
        .iter()
        .map(|l| (l.station_name.as_str(), l.this_station, l.unused))
        .collect();
    assert_eq!(mine, vec![("受理窗口1", true, 20), ("终审室", false, 3)]);

    let whole = NumbersAuditReply {
        series: vec![line(Vec::new())],
        balanced: true,
        ..reply.clone()
    };
    let view = f.store.numbers_audit(&admin, whole).unwrap();
    assert!(view.balanced && view.series[0].balanced && view.series[0].unknown.is_empty());

    add_staff(&f, &admin, &CLERK);
    let clerk = login(&f, CLERK.username, CLERK.password).unwrap();
    assert!(f.store.numbers_audit(&clerk, reply).is_err());
}

/// One pulled entry (made from `entry`) that writes `row` as the record's settings row.
fn pulled_row(entry: &Entry, office_seq: i64, table: &str, row: Vec<Column>) -> PulledEntry {
    let key = match table {
        "settings" => "[1]".to_string(),
        _ => unreachable!("{table}"),
    };
    let mut entry = entry.clone();
    entry.id = uuid::Uuid::now_v7();
    entry.effects = vec![RowEffect {
        table: table.into(),
        key,
        before: None,
        after: Some(row),
        changed: None,
    }];
    PulledEntry { office_seq, entry }
}

fn settings_cell(f: &Fixture, column: &str) -> rusqlite::types::Value {
    raw_db(f.store.path())
        .unwrap()
        .query_row(&format!("SELECT \"{column}\" FROM settings WHERE id = 1"), [], |r| {
            r.get(0)
        })
        .unwrap()
}

fn held(f: &Fixture) -> Vec<(String, String, String)> {
    raw_db(f.store.path())
        .unwrap()
        .prepare("SELECT tbl, key, columns FROM sync_held_columns ORDER BY tbl, key")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_row_of_an_older_or_a_newer_schema_fits_this_one_and_held_columns_land_after_an_upgrade() {
    use rusqlite::types::Value;
    let (a, admin) = office();
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let b = joined(&a, 1000);
    add_staff(&a, &admin, &CLERK);
    let pulled = accept_all(&a, &a.store.outbox(10).unwrap(), 1);
    b.store.apply_pulled(&pulled).unwrap();
    let template = pulled[0].entry.clone();
    let settings: Vec<Column> = a
        .store
        .shared_rows()
        .unwrap()
        .into_iter()
        .find(|r| r.table == "settings")
        .unwrap()
        .row;
    let last = settings.last().unwrap().name.clone();
    assert_eq!(last, "number_refill_at", "the test takes settings' last columns");

    // A station one schema ahead: a column after the table's last, and new values.
    let mut newer = settings.clone();
    for c in newer.iter_mut() {
        match c.name.as_str() {
            "number_lease_size" => c.value = Cell::Int(50),
            "number_refill_at" => c.value = Cell::Int(10),
            _ => {}
        }
    }
    newer.push(Column {
        name: "number_lease_days".into(),
        value: Cell::Int(30),
    });
    let seq = pulled.len() as i64;
    assert_eq!(
        b.store
            .apply_pulled(&[pulled_row(&template, seq + 1, "settings", newer)])
            .unwrap(),
        1
    );
    assert_eq!(settings_cell(&b, "number_lease_size"), Value::Integer(50));
    assert_eq!(settings_cell(&b, "number_refill_at"), Value::Integer(10));
    let kept = held(&b);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!((kept[0].0.as_str(), kept[0].1.as_str()), ("settings", "[1]"));
    let columns: Vec<Column> = serde_json::from_str(&kept[0].2).unwrap();
    assert_eq!(
        columns,
        vec![Column {
            name: "number_lease_days".into(),
            value: Cell::Int(30)
        }]
    );
    assert_eq!(b.store.pull_cursor().unwrap(), seq + 1);

    // A station one schema behind: the table's last two columns missing.
    // They take their defaults, and nothing is held for the row any more.
    let mut older = settings.clone();
    older.truncate(older.len() - 2);
    for c in older.iter_mut() {
        if c.name == "backup_keep" {
            c.value = Cell::Int(9);
        }
    }
    assert_eq!(
        b.store
            .apply_pulled(&[pulled_row(&template, seq + 2, "settings", older.clone())])
            .unwrap(),
        1
    );
    assert_eq!(settings_cell(&b, "backup_keep"), Value::Integer(9));
    assert_eq!(settings_cell(&b, "number_lease_size"), Value::Integer(20));
    assert_eq!(settings_cell(&b, "number_refill_at"), Value::Integer(5));
    assert!(held(&b).is_empty());
    verify_ok(&b);

    // A column missing in the middle, a key column missing, or a missing
    // column that has no default: refused, nothing applied.
    let entries = journal_count(&b);
    let mut gap = settings.clone();
    gap.retain(|c| c.name != "backup_keep");
    let e = b
        .store
        .apply_pulled(&[pulled_row(&template, seq + 3, "settings", gap)])
        .unwrap_err();
    assert!(e.to_string().contains("缺少字段 backup_keep"), "{e}");
    let mut keyless = settings.clone();
    keyless.retain(|c| c.name != "id");
    let e = b
        .store
        .apply_pulled(&[pulled_row(&template, seq + 3, "settings", keyless)])
        .unwrap_err();
    assert!(e.to_string().contains("缺少字段 id"), "{e}");
    let mut staff = pulled[0].entry.clone();
    staff.id = uuid::Uuid::now_v7();
    for eff in staff.effects.iter_mut() {
        if eff.table == "staff" {
            eff.key = "[\"0190a000-0000-7000-8000-000000000001\"]".into();
            let row = eff.after.as_mut().unwrap();
            for c in row.iter_mut() {
                match c.name.as_str() {
                    "id" => c.value = Cell::Text("0190a000-0000-7000-8000-000000000001".into()),
                    "username" => c.value = Cell::Text("zhaolei".into()),
                    _ => {}
                }
            }
            row.pop();
        }
    }
    staff.effects.retain(|e| e.table == "staff");
    let e = b
        .store
        .apply_pulled(&[PulledEntry {
            office_seq: seq + 3,
            entry: staff,
        }])
        .unwrap_err();
    assert!(
        e.to_string().contains("updated_at") && e.to_string().contains("必须有值"),
        "{e}"
    );
    assert_eq!(journal_count(&b), entries);
    assert_eq!(b.store.pull_cursor().unwrap(), seq + 2);

    // The newer row again, then B is upgraded to the schema that has the
    // column: on opening, the held value lands in the row (one local entry).
    let mut newer = older.clone();
    newer.extend(settings[settings.len() - 2..].iter().cloned());
    newer.push(Column {
        name: "number_lease_days".into(),
        value: Cell::Int(30),
    });
    b.store
        .apply_pulled(&[pulled_row(&template, seq + 3, "settings", newer)])
        .unwrap();
    assert_eq!(held(&b).len(), 1);
    let Fixture { dir, clock, store } = b;
    drop(store);
    raw_db(&dir.path().join(crate::DB_FILE))
        .unwrap()
        .execute_batch("ALTER TABLE settings ADD COLUMN number_lease_days INTEGER NOT NULL DEFAULT 7;")
        .unwrap();
    let store = open_store(dir.path(), clock.clone()).unwrap();
    let b = Fixture { dir, clock, store };
    assert_eq!(settings_cell(&b, "number_lease_days"), Value::Integer(30));
    assert!(held(&b).is_empty());
    assert!(
        b.store.outbox(10).unwrap().is_empty(),
        "the record has these values already"
    );
    let entries = journal_count(&b);
    // Opening again changes nothing.
    let Fixture { dir, clock, store } = b;
    drop(store);
    let store = open_store(dir.path(), clock.clone()).unwrap();
    let b = Fixture { dir, clock, store };
    assert_eq!(journal_count(&b), entries);
    verify_ok(&b);
}

#[test]
fn a_snapshot_page_writes_many_rows_to_a_statement_and_fits_rows_of_other_schemas() {
    use rusqlite::types::Value;
    let a = sample_office(70);
    let admin = sample_login(&a, "admin");
    a.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let rows = a.store.shared_rows().unwrap();
    let cases = rows.iter().filter(|r| r.table == "cases").count();
    assert!(cases > 64, "more cases than one statement writes: {cases}");
    let page = |rows: Vec<regdesk_sync::protocol::SnapshotRow>| SnapshotChunk {
        snapshot_id: "snap-2".into(),
        cursor: 3,
        total_rows: rows.len() as u64,
        total_bytes: 0,
        rows,
        next: None,
    };
    let settings_at = rows.iter().position(|r| r.table == "settings").unwrap();

    // One page of every row, the settings row from a station one schema
    // ahead (a column after its table's last): the rows land as the source
    // holds them, the new column is held.
    let mut newer = rows.clone();
    newer[settings_at].row.push(Column {
        name: "number_lease_days".into(),
        value: Cell::Int(30),
    });
    let b = fixture();
    b.store.join_office(&enrolment("受理窗口2")).unwrap();
    b.store.apply_snapshot(&page(newer)).unwrap();
    assert_eq!(
        StationRecord::state_hash(&b.store).unwrap(),
        a.store.state_hash().unwrap()
    );
    assert_eq!(search_index(&b), search_index(&a));
    let kept = held(&b);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!((kept[0].0.as_str(), kept[0].1.as_str()), ("settings", "[1]"));
    verify_ok(&b);

    // The same from a station one schema behind (the settings row without
    // its last two columns): they take their defaults, nothing is held.
    let mut older = rows.clone();
    let cols = &mut older[settings_at].row;
    cols.truncate(cols.len() - 2);
    let c = fixture();
    c.store.join_office(&enrolment("受理窗口3")).unwrap();
    c.store.apply_snapshot(&page(older)).unwrap();
    assert_eq!(settings_cell(&c, "number_lease_size"), Value::Integer(20));
    assert_eq!(settings_cell(&c, "number_refill_at"), Value::Integer(5));
    assert!(held(&c).is_empty());
    assert_eq!(search_index(&c), search_index(&a));
    verify_ok(&c);
}
