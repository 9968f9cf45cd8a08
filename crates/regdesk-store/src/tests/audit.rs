//! The hash-chained audit (audit.rs): tampering behind the store's back is found.

use super::fixtures::*;
use crate::*;

#[test]
fn tampering_behind_the_stores_back_is_found_at_that_entry() {
    let (f, admin) = office();
    signed_in(&f, &admin, &REVIEWER);
    assert!(f.store.verify_audit().unwrap().ok);
    let c = raw_db(f.store.path()).unwrap();
    c.execute(
        "UPDATE journal SET payload = replace(payload, 'first_reviewer', 'admin') WHERE seq = 2",
        [],
    )
    .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert_eq!(r.first_broken, Some(2));
    assert!(r.message.contains("第 2 条"), "{}", r.message);
}

#[test]
fn deleting_an_entry_breaks_the_chain_after_it() {
    let (f, admin) = office();
    signed_in(&f, &admin, &REVIEWER);
    let c = raw_db(f.store.path()).unwrap();
    c.execute_batch("PRAGMA foreign_keys=OFF; DELETE FROM audit WHERE seq = 2; DELETE FROM journal WHERE seq = 2;")
        .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert_eq!(r.first_broken, Some(2));
}

#[test]
fn a_rewritten_hash_is_caught_by_the_next_entry() {
    let (f, admin) = office();
    signed_in(&f, &admin, &REVIEWER);
    let c = raw_db(f.store.path()).unwrap();
    c.execute(
        // Always a change (a hash may already start with 00).
        "UPDATE audit SET entry_hash = CASE WHEN entry_hash LIKE '00%' THEN 'ff' ELSE '00' END || substr(entry_hash, 3)
         WHERE seq = 1",
        [],
    )
    .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert_eq!(r.first_broken, Some(1), "{r:?}");
}

// ---- The chain covers the rows, and a deleted tail is found (row digests, anchor) ----

fn raw(f: &crate::tests::fixtures::Fixture) -> Connection {
    raw_db(f.store.path()).unwrap()
}

fn head_seq(f: &crate::tests::fixtures::Fixture) -> i64 {
    raw(f)
        .query_row("SELECT MAX(seq) FROM journal", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_case_state_changed_with_sql_is_named_by_case_and_field() {
    let f = sample_office(3);
    let before = f.store.verify_audit().unwrap();
    assert!(before.ok, "{before:?}");
    assert!(before.rows_checked > 20, "{before:?}");
    let serial: String = raw(&f)
        .query_row(
            "SELECT serial FROM cases WHERE state <> 'registered' ORDER BY serial LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    raw(&f)
        .execute("UPDATE cases SET state = 'registered' WHERE serial = ?1", [&serial])
        .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert_eq!(r.problems_total, 1, "{r:?}");
    let p = &r.problems[0];
    assert_eq!(p.kind, AuditProblemKind::RowChanged);
    assert_eq!(p.table.as_deref(), Some("cases"));
    assert_eq!(p.record.as_deref(), Some(serial.as_str()));
    assert_eq!(p.columns, vec!["state".to_string()]);
    assert_eq!(
        p.message,
        format!("案件 {serial} 的 state 与审计记录不符（在本程序之外被改动）")
    );
    assert_eq!(r.message, p.message);
}

#[test]
fn each_entry_records_the_rows_its_command_left() {
    let (f, admin) = office();
    let v = f.store.settings(&admin).unwrap().version;
    f.store.update_settings(&admin, &settings_input(v, 20)).unwrap();
    let digests: String = raw(&f)
        .query_row("SELECT row_digests FROM journal ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let rows: Vec<(String, String, Option<String>)> = serde_json::from_str(&digests).unwrap();
    assert_eq!(rows.len(), 1, "{digests}");
    assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), ("settings", "[1]"));
    assert_eq!(rows[0].2.as_ref().map(String::len), Some(64));
    // The first entry of a new database recorded every row, the station's too.
    let first: String = raw(&f)
        .query_row("SELECT row_digests FROM journal WHERE seq = 1", [], |r| r.get(0))
        .unwrap();
    assert!(first.contains("\"station\""), "{first}");
    // Editing the recorded digest in the journal breaks the chain at that entry.
    let seq = head_seq(&f);
    raw(&f)
        .execute(
            "UPDATE journal SET row_digests = replace(row_digests, 'settings', 'office') WHERE seq = ?1",
            [seq],
        )
        .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert_eq!(r.first_broken, u32::try_from(seq).ok(), "{r:?}");
}

#[test]
fn rows_written_or_deleted_behind_the_stores_back_are_reported() {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    assert!(f.store.verify_audit().unwrap().ok);
    let c = raw(&f);
    c.execute(
        "INSERT INTO staff (id, username, display_name, roles, password_hash, version, created_at, updated_at)
         SELECT 'intruder', 'ghost', '鬼', 'admin', password_hash, 1, created_at, updated_at FROM staff
         WHERE username = 'admin'",
        [],
    )
    .unwrap();
    c.execute_batch("PRAGMA foreign_keys = OFF; DELETE FROM staff WHERE username = 'liwen';")
        .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert_eq!(r.problems_total, 2, "{r:?}");
    let added = r
        .problems
        .iter()
        .find(|p| p.kind == AuditProblemKind::RowAdded)
        .unwrap();
    assert_eq!(added.record.as_deref(), Some("ghost"));
    assert!(
        added.message.contains("工作人员 ghost 不在审计记录中"),
        "{}",
        added.message
    );
    let gone = r
        .problems
        .iter()
        .find(|p| p.kind == AuditProblemKind::RowMissing)
        .unwrap();
    assert_eq!(gone.table.as_deref(), Some("staff"));
    assert!(gone.message.contains("已不在数据库中"), "{}", gone.message);
}

#[test]
fn deleting_the_last_entries_is_found_and_their_numbers_are_not_given_again() {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    add_staff(&f, &admin, &CLERK);
    let last = head_seq(&f);
    // Someone with sqlite3 removes the last two entries, lowers the database's
    // own mark, and puts the rows back as they were before them.
    raw(&f)
        .execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             DELETE FROM audit WHERE seq >= {n}; DELETE FROM journal WHERE seq >= {n};
             UPDATE audit_state SET high_seq = {k};
             DELETE FROM audit_rows WHERE seq >= {n};
             DELETE FROM staff WHERE username IN ('liwen', 'wangli');",
            n = last - 1,
            k = last - 2
        ))
        .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert_eq!(r.first_broken, u32::try_from(last - 1).ok(), "{r:?}");
    let tail = &r.problems[0];
    assert_eq!(tail.kind, AuditProblemKind::TailDeleted);
    assert!(
        tail.message.contains(&format!("签名锚点记到第 {last} 条")),
        "{}",
        tail.message
    );
    // The next command takes the number after the last one ever given.
    let v = f.store.settings(&admin).unwrap().version;
    f.store.update_settings(&admin, &settings_input(v, 20)).unwrap();
    assert_eq!(head_seq(&f), last + 1);
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert_eq!(r.first_broken, u32::try_from(last - 1).ok(), "{r:?}");
    assert!(r.message.contains("缺失"), "{}", r.message);
}

#[test]
fn a_missing_or_forged_anchor_is_reported_until_an_admin_resets_it() {
    let (f, admin) = office();
    let head = f.dir.path().join(crate::HEAD_FILE);
    assert_eq!(f.store.flush_audit_anchor(), None);
    assert!(head.exists());
    assert_eq!(f.store.verify_audit().unwrap().anchored_seq, Some(1));
    // Forged: a later seq written into the file without the key.
    let text = std::fs::read_to_string(&head).unwrap();
    std::fs::write(&head, text.replace("\"seq\": 1", "\"seq\": 9")).unwrap();
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert!(r.message.contains("签名不符"), "{}", r.message);
    // Missing.
    std::fs::remove_file(&head).unwrap();
    let r = f.store.verify_audit().unwrap();
    assert!(r.message.contains("审计锚点缺失"), "{}", r.message);
    // The next command does not paper over it: its head says the anchor was lost.
    add_staff(&f, &admin, &REVIEWER);
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert_eq!(r.problems[0].kind, AuditProblemKind::Anchor);
    assert!(r.message.contains("写第 2 条时审计锚点缺失或无效"), "{}", r.message);
    // Only an admin, with a reason, resets it; the reset is journaled.
    let reviewer = login(&f, REVIEWER.username, REVIEWER.password).unwrap();
    let no = f
        .store
        .reset_audit_anchor(
            &reviewer,
            &ResetAnchorInput {
                reason: "核查".into()
            },
        )
        .unwrap_err();
    assert!(matches!(no, StoreError::Domain(_)), "{no:?}");
    let blank = f
        .store
        .reset_audit_anchor(&admin, &ResetAnchorInput { reason: " ".into() })
        .unwrap_err();
    assert!(matches!(blank, StoreError::Invalid(_)), "{blank:?}");
    let r = f
        .store
        .reset_audit_anchor(
            &admin,
            &ResetAnchorInput {
                reason: "锚点文件被误删，已核对纸面日报".into(),
            },
        )
        .unwrap();
    assert!(r.ok, "{r:?}");
    let command: String = raw(&f)
        .query_row("SELECT command FROM journal ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(command, "audit_anchor_reset");
}

/// The head as the file beside the database holds it.
fn head_in_file(dir: &std::path::Path) -> crate::anchor::SignedHead {
    serde_json::from_str(&std::fs::read_to_string(dir.join(crate::HEAD_FILE)).unwrap()).unwrap()
}

#[test]
fn a_saves_head_is_in_the_file_once_the_store_is_closed() {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    add_staff(&f, &admin, &CLERK);
    let last = head_seq(&f);
    let Fixture { dir, clock: _, store } = f;
    // The head is written off the command's path; closing the store writes it.
    drop(store);
    assert_eq!(head_in_file(dir.path()).seq, last);
}

#[test]
fn two_stores_on_one_directory_never_put_an_older_head_back() {
    let (f, _) = office();
    let second = open_store(f.dir.path(), f.clock.clone()).unwrap();
    std::thread::scope(|s| {
        for store in [&f.store, &second] {
            s.spawn(move || {
                for _ in 0..12 {
                    store
                        .login(&LoginInput {
                            username: "admin".into(),
                            password: "Banquan2026".into(),
                        })
                        .unwrap();
                }
            });
        }
    });
    // The store that wrote the last entry closes first; the other's older heads stay out.
    let last = head_seq(&f);
    drop(second);
    assert_eq!(f.store.flush_audit_anchor(), None);
    assert_eq!(head_in_file(f.dir.path()).seq, last);
    let r = f.store.verify_audit().unwrap();
    assert!(r.ok, "{r:?}");
    assert_eq!(r.anchored_seq, u32::try_from(last).ok());
}

#[test]
fn a_head_that_cannot_be_written_does_not_fail_the_save_and_is_reported() {
    let (f, admin) = office();
    assert_eq!(f.store.flush_audit_anchor(), None);
    // Something that is not a file where the head goes: the head cannot be renamed over it.
    let head = f.dir.path().join(crate::HEAD_FILE);
    std::fs::remove_file(&head).unwrap();
    std::fs::create_dir_all(head.join("占位")).unwrap();
    add_staff(&f, &admin, &REVIEWER);
    let why = f.store.flush_audit_anchor().expect("the failed write is reported");
    assert!(why.contains("写不进审计锚点文件"), "{why}");
    let r = f.store.verify_audit().unwrap();
    assert!(!r.ok);
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == AuditProblemKind::Anchor && p.message.contains("审计锚点没有写进")),
        "{r:?}"
    );
    // Once the directory takes the file again, the next command writes its head.
    std::fs::remove_dir_all(&head).unwrap();
    add_staff(&f, &admin, &CLERK);
    assert_eq!(f.store.flush_audit_anchor(), None);
    assert_eq!(head_in_file(f.dir.path()).seq, head_seq(&f));
    let r = f.store.verify_audit().unwrap();
    assert!(!r.problems.iter().any(|p| p.message.contains("没有写进")), "{r:?}");
}

#[test]
fn a_restore_from_backup_is_accepted_after_a_deliberate_reset_and_skips_the_lost_numbers() {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    let backup = f.dir.path().join("backup.db");
    raw(&f).execute("VACUUM INTO ?1", [backup.to_str().unwrap()]).unwrap();
    let backed_up = head_seq(&f);
    add_staff(&f, &admin, &CLERK);
    let lost = head_seq(&f);
    drop(f.store);
    // The restore puts the backup's database back and keeps the current head file.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(f.dir.path().join(format!("{}{suffix}", crate::DB_FILE)));
    }
    std::fs::copy(&backup, f.dir.path().join(crate::DB_FILE)).unwrap();
    let store = open_store(f.dir.path(), f.clock.clone()).unwrap();
    let r = store.verify_audit().unwrap();
    assert_eq!(r.problems[0].kind, AuditProblemKind::TailDeleted, "{r:?}");
    let admin = store
        .login(&LoginInput {
            username: "admin".into(),
            password: "Banquan2026".into(),
        })
        .unwrap();
    let r = store
        .reset_audit_anchor(
            &admin,
            &ResetAnchorInput {
                reason: "从备份恢复".into(),
            },
        )
        .unwrap();
    assert!(r.ok, "{r:?}");
    let (seq, payload): (i64, String) = raw_db(store.path())
        .unwrap()
        .query_row(
            "SELECT seq, payload FROM journal WHERE command = 'audit_anchor_reset'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The sign-in after the restore took the number after the lost ones.
    assert_eq!(seq, lost + 2);
    let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
    // The numbers given since the backup, after the backup's own last entry.
    assert_eq!(payload["skipped"], serde_json::json!([[backed_up + 1, lost]]));
    assert_eq!(payload["reason"], "从备份恢复");
}

/// The chain head as the server records it at a push.
fn recorded(f: &Fixture) -> regdesk_sync::protocol::RecordedHead {
    use regdesk_sync::station::StationRecord;
    let h = f.store.chain_head().unwrap().unwrap();
    regdesk_sync::protocol::RecordedHead {
        seq: h.seq,
        entry_hash: h.entry_hash,
        recorded_at: chrono::Utc::now(),
    }
}

#[test]
fn the_servers_chain_heads_name_a_rewritten_journal_even_with_every_hash_recomputed() {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    let first = recorded(&f);
    add_staff(&f, &admin, &CLERK);
    let second = recorded(&f);
    let heads = vec![first.clone(), second.clone()];
    assert!(f.store.verify_audit_with_server(&heads).unwrap().ok);
    // The reviewer's entry rewritten, and the chain recomputed from it.
    let c = raw(&f);
    c.execute(
        "UPDATE journal SET payload = '{\"rewritten\":true}' WHERE seq = ?1",
        [first.seq],
    )
    .unwrap();
    crate::audit::rehash_all(&c).unwrap();
    assert!(
        crate::audit::verify_chain(&c).unwrap().ok,
        "the chain itself holds again"
    );
    let r = f.store.verify_audit_with_server(&heads).unwrap();
    assert!(!r.ok);
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == AuditProblemKind::Chain && p.message.contains("服务器"))
        .unwrap_or_else(|| panic!("{r:?}"));
    assert_eq!(p.seq, u32::try_from(first.seq).ok());
    assert!(
        p.message.contains(&format!("第 {} 条或其之前", first.seq)),
        "{}",
        p.message
    );
    assert!(p.message.contains("改写"), "{}", p.message);
    assert!(r.first_broken <= u32::try_from(first.seq).ok(), "{r:?}");
}

#[test]
fn the_servers_chain_heads_name_a_deleted_tail() {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    let first = recorded(&f);
    add_staff(&f, &admin, &CLERK);
    let second = recorded(&f);
    let heads = vec![first.clone(), second.clone()];
    raw(&f)
        .execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             DELETE FROM audit WHERE seq >= {n}; DELETE FROM journal WHERE seq >= {n};
             UPDATE audit_state SET high_seq = {k};
             DELETE FROM audit_rows WHERE seq >= {n};
             DELETE FROM staff WHERE username = 'wangli';",
            n = second.seq,
            k = second.seq - 1
        ))
        .unwrap();
    let r = f.store.verify_audit_with_server(&heads).unwrap();
    assert!(!r.ok);
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == AuditProblemKind::TailDeleted && p.message.contains("服务器"))
        .unwrap_or_else(|| panic!("{r:?}"));
    assert_eq!(p.seq, u32::try_from(second.seq).ok());
    assert!(p.message.contains(&format!("第 {} 条", second.seq)), "{}", p.message);
    // The entry before it still agrees with the server.
    assert!(!r
        .problems
        .iter()
        .any(|p| p.seq == u32::try_from(first.seq).ok() && p.message.contains("服务器")));
}

/// 管理 → 审计 on an enrolled station: the check says how it stood against
/// the server, or that the server could not be asked; only for who may view
/// the audit.
#[test]
fn the_audit_screen_check_says_how_the_chain_stands_against_the_server() {
    let (f, admin) = office();
    add_staff(&f, &admin, &REVIEWER);
    let first = recorded(&f);
    add_staff(&f, &admin, &CLERK);
    let second = recorded(&f);

    let alone = f.store.verify_audit_against(&admin, Ok(None)).unwrap();
    assert!(alone.ok && alone.server.is_none(), "{alone:?}");

    let agreed = f
        .store
        .verify_audit_against(&admin, Ok(Some(vec![first.clone(), second.clone()])))
        .unwrap();
    let s = agreed.server.clone().unwrap();
    assert!(agreed.ok && s.compared, "{agreed:?}");
    assert_eq!(s.heads, 2);
    assert!(s.message.contains("一致"), "{}", s.message);

    let offline = f.store.verify_audit_against(&admin, Err("连接被拒绝".into())).unwrap();
    let s = offline.server.clone().unwrap();
    assert!(offline.ok && !s.compared, "{offline:?}");
    assert!(
        s.message.contains("连接被拒绝") && s.message.contains("只是本机"),
        "{}",
        s.message
    );

    let clerk = login(&f, CLERK.username, CLERK.password).unwrap();
    assert!(f.store.verify_audit_against(&clerk, Ok(None)).is_err());

    // The tail deleted: named in the comparison's words too.
    raw(&f)
        .execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             DELETE FROM audit WHERE seq >= {n}; DELETE FROM journal WHERE seq >= {n};
             UPDATE audit_state SET high_seq = {k};
             DELETE FROM audit_rows WHERE seq >= {n};
             DELETE FROM staff WHERE username = 'wangli';",
            n = second.seq,
            k = second.seq - 1
        ))
        .unwrap();
    let r = f
        .store
        .verify_audit_against(&admin, Ok(Some(vec![first, second.clone()])))
        .unwrap();
    let s = r.server.clone().unwrap();
    assert!(!r.ok && s.compared, "{r:?}");
    assert!(
        s.message.contains("被删除") && s.message.contains(&format!("第 {} 条", second.seq)),
        "{}",
        s.message
    );
}

/// A grown sample office (`regdesk demo --cases N`): each batch of copies is
/// one entry in the chain with the digest of every row it made, but no sync
/// effects (a batch's would be every column of its 50,000 cases), so it is
/// never pushed; the chain and every row still verify.
#[test]
fn a_grown_office_records_its_copies_in_the_chain_without_sync_effects() {
    let f = fixture();
    crate::demo::fill_office(&f.store, 4).unwrap();
    let made = crate::demo::grow_office(&f.store, 40, |_| {}).unwrap();
    assert!(made >= 40, "{made}");
    let c = raw_db(f.store.path()).unwrap();
    let (entries, effects, digests): (i64, i64, String) = c
        .query_row(
            "SELECT COUNT(*), COUNT(effects), MAX(row_digests) FROM journal WHERE command = 'demo_copy_cases'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((entries, effects), (1, 0));
    let copies: i64 = c
        .query_row("SELECT COUNT(*) FROM cases WHERE instr(id, '.') > 0", [], |r| r.get(0))
        .unwrap();
    assert!(copies > 0);
    assert_eq!(
        crate::rows::parse_recorded(&digests)
            .unwrap()
            .iter()
            .filter(|r| r.table == "cases" && r.key.contains('.'))
            .count() as i64,
        copies
    );
    let pushable: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM journal WHERE command = 'demo_copy_cases' AND push_seq IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pushable, 0);
    assert!(f.store.verify_audit().unwrap().ok);
}
