//! Backups, verification, pruning and restores (backup.rs); the integrity checks at open (db.rs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::OptionalExtension;

use super::fixtures::*;
use crate::backup::*;
use crate::*;

/// Every table's rows as text, read behind the store's back; the journal and
/// audit only up to `head` when given; when this database last passed a full
/// integrity check is left out (it is the workstation's, not the office's).
fn contents(db: &Path, head: Option<i64>) -> BTreeMap<String, Vec<String>> {
    let c = raw_db(db).unwrap();
    let tables: Vec<String> = c
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT IN ('integrity_checks', 'audit_rows', 'audit_state') ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let filter = match (t.as_str(), head) {
            ("journal" | "audit", Some(h)) => format!(" WHERE seq <= {h}"),
            _ => String::new(),
        };
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"{filter} ORDER BY 1")).unwrap();
        let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
        let rows = stmt
            .query_map([], |r| {
                let mut line = Vec::new();
                for (i, n) in names.iter().enumerate() {
                    let v: rusqlite::types::Value = r.get(i)?;
                    line.push(format!("{n}={v:?}"));
                }
                Ok(line.join("|"))
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<String>>>()
            .unwrap();
        out.insert(t, rows);
    }
    out
}

fn journal_head(db: &Path) -> i64 {
    raw_db(db)
        .unwrap()
        .query_row("SELECT MAX(seq) FROM journal", [], |r| r.get(0))
        .unwrap()
}

/// Every attachment's bytes under the data directory, by path.
fn attachments(data: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let files = data.join("files");
    for sub in std::fs::read_dir(&files).unwrap() {
        let sub = sub.unwrap().path();
        if sub.file_name().unwrap() == "tmp" || !sub.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&sub).unwrap() {
            let p = f.unwrap().path();
            out.insert(p.strip_prefix(data).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
        }
    }
    out
}

fn folder_setting(f: &Fixture, admin: &Session, folder: &Path, keep: u32) {
    let v = f.store.backup_settings(admin).unwrap();
    f.store
        .update_backup_settings(
            admin,
            &BackupSettingsInput {
                version: v.version,
                folder: folder.display().to_string(),
                keep,
                every_hours: 24,
            },
        )
        .unwrap();
}

/// A backup by the admin.
fn backup(f: &Fixture, admin: &Session) -> BackupRecord {
    let mut stages = Vec::new();
    let r = f.store.backup_now(admin, None, &mut |p| stages.push(p.stage)).unwrap();
    if r.ok {
        assert!(stages.contains(&BackupStage::Database) && stages.contains(&BackupStage::Verifying));
    }
    r
}

/// A damaged byte range in a file.
fn damage(path: &Path, at: u64, len: usize) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(at)).unwrap();
    f.write_all(&vec![0xA5; len]).unwrap();
}

#[test]
fn a_restore_round_trips_the_sample_office() {
    let f = sample_office(12);
    crate::demo::fill_office(&f.store, 0).unwrap();
    let admin = sample_login(&f, "admin");
    let out = tempfile::tempdir().unwrap();
    folder_setting(&f, &admin, out.path(), 7);
    let data = f.dir.path().to_path_buf();
    let db = f.store.path().to_path_buf();
    let before = contents(&db, None);
    let files_before = attachments(&data);
    assert!(files_before.len() >= 2, "the sample office has attachments");
    let head = journal_head(&db);
    let made = backup(&f, &admin);
    assert!(made.ok, "{}", made.message);
    assert_eq!(made.journal_seq, head);
    assert_eq!(made.staff_name.as_deref(), Some("周建国"));
    let gen = out.path().join(&made.generation);
    assert!(verify_generation(&gen, &test_keys()).unwrap().ok);

    // Work goes on after the backup: a new filing with a new attachment.
    f.clock.advance(chrono::Duration::hours(2));
    let clerk = sample_login(&f, "wangli");
    let scan = file(&f, &clerk, "新样本.png", b"after the backup");
    let mut draft = corporate(&f, &clerk, false);
    draft.samples = vec![scan.id.clone()];
    let case = new_draft(&f, &clerk, draft);

    let Fixture { dir, clock, store } = f;
    drop(store);
    // The backup's own record (head + 1) is no work lost; the rest is.
    let now_head = journal_head(&db);
    let lost = now_head - head - 1;
    assert!(lost >= 2);
    // Refused without --force, naming what would be lost.
    let e = restore(&data, &gen, false, clock.clone(), &test_keys()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains(&format!("丢失备份之后的 {lost} 条")) && msg.contains("涉及 1 件案件"),
        "{msg}"
    );
    assert!(msg.contains(&case.serial) && msg.contains("--force"), "{msg}");
    let plan = restore_plan(&data, &gen, &test_keys()).unwrap();
    assert_eq!(
        (i64::from(plan.lost_entries), plan.lost_cases, plan.needs_force),
        (lost, 1, true)
    );
    // Nothing moved.
    assert_eq!(journal_head(&db), now_head);

    let report = restore(&data, &gen, true, clock.clone(), &test_keys()).unwrap();
    assert!(report.audit.ok, "{}", report.audit.message);
    let side = PathBuf::from(report.side_copy.clone().unwrap());
    assert_eq!(
        journal_head(&side.join(DB_FILE)),
        now_head,
        "the replaced database is kept aside"
    );
    // Byte for byte in what it holds: every table as it was, the journal and audit
    // up to the backup plus the restore's entries (the chain's own bookkeeping aside).
    assert_eq!(contents(&db, Some(head)), before);
    let c = raw_db(&db).unwrap();
    let extra: Vec<(String, Option<String>)> = c
        .prepare("SELECT command, staff_id FROM journal WHERE seq > ?1")
        .unwrap()
        .query_map([head], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    // The signed head re-set to the restored chain, then the restore itself.
    assert_eq!(
        extra,
        vec![
            ("audit_anchor_reset".to_string(), None),
            (RESTORE_COMMAND.to_string(), None)
        ]
    );
    let files_after = attachments(&data);
    for (p, bytes) in &files_before {
        assert_eq!(files_after.get(p), Some(bytes), "{}", p.display());
    }
    let store = open_store(&data, clock).unwrap();
    assert!(store.verify_audit().unwrap().ok);
    drop(dir);
}

#[test]
fn a_restore_that_loses_nothing_needs_no_force_and_keeps_no_side_copy() {
    let (f, admin) = office();
    let out = tempfile::tempdir().unwrap();
    folder_setting(&f, &admin, out.path(), 3);
    let made = backup(&f, &admin);
    // Only another backup happened since (the schedule's): no work is lost.
    f.clock.advance(chrono::Duration::hours(24));
    assert!(f.store.backup_if_due(&mut |_| {}).unwrap().unwrap().ok);
    let data = f.dir.path().to_path_buf();
    let Fixture { dir, clock, store } = f;
    drop(store);
    let r = restore(&data, &out.path().join(&made.generation), false, clock, &test_keys()).unwrap();
    assert_eq!(r.plan.lost_entries, 0);
    assert!(r.side_copy.is_none());
    let left: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("before-restore"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    drop(dir);
}

#[test]
fn generations_are_pruned_to_the_setting() {
    let (f, admin) = office();
    let out = tempfile::tempdir().unwrap();
    folder_setting(&f, &admin, out.path(), 2);
    let mut names = Vec::new();
    let mut admin = admin;
    for _ in 0..4 {
        let r = backup(&f, &admin);
        assert!(r.ok, "{}", r.message);
        names.push(r.generation);
        f.clock.advance(chrono::Duration::hours(1));
        admin = login(&f, "admin", "Banquan2026").unwrap();
    }
    // Something of the admin's own in the folder is never touched.
    std::fs::create_dir(out.path().join("regdesk-notes")).unwrap();
    let r = backup(&f, &admin);
    assert!(r.message.contains("删去较早的 1 代"), "{}", r.message);
    names.push(r.generation);
    let status = f.store.backup_status(&admin).unwrap();
    let listed: Vec<&str> = status.generations.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(listed, vec![names[4].as_str(), names[3].as_str()]);
    assert!(status.generations.iter().all(|g| g.verified == Some(true)));
    assert!(out.path().join("regdesk-notes").is_dir());
    assert_eq!(names[0], "regdesk-20261125-093000", "named in office time");
    assert_eq!(
        status.last_ok.as_ref().map(|b| b.generation.as_str()),
        Some(names[4].as_str())
    );
}

#[test]
fn verification_catches_a_damaged_copy() {
    let (f, admin) = office();
    let clerk = signed_in(
        &f,
        &admin,
        &Staff {
            username: "wangli",
            display_name: "王丽",
            roles: &[regdesk_domain::staff::Role::CounterClerk],
            password: "Chuangkou2026",
        },
    );
    let scan = file(&f, &clerk, "样本.png", b"sample bytes");
    let out = tempfile::tempdir().unwrap();
    folder_setting(&f, &admin, out.path(), 3);
    let gen = out.path().join(backup(&f, &admin).generation);
    // Opening the copy to verify it leaves it as it was.
    assert!(verify_generation(&gen, &test_keys()).unwrap().ok);
    assert!(verify_generation(&gen, &test_keys()).unwrap().ok);

    damage(
        &gen.join("files")
            .join(&scan.sha256[..2])
            .join(format!("{}.enc", scan.sha256)),
        40,
        4,
    );
    let r = verify_generation(&gen, &test_keys()).unwrap();
    assert!(!r.ok);
    assert!(r.message.contains(&scan.sha256), "{}", r.message);

    let gen2 = out.path().join({
        f.clock.advance(chrono::Duration::hours(1));
        backup(&f, &login(&f, "admin", "Banquan2026").unwrap()).generation
    });
    damage(&gen2.join(DB_FILE), 4096 + 100, 64);
    let r = verify_generation(&gen2, &test_keys()).unwrap();
    assert!(!r.ok);
    assert!(r.problems[0].contains("校验和不符"), "{:?}", r.problems);
    // A damaged generation cannot be restored.
    let e = restore_plan(f.dir.path(), &gen2, &test_keys()).unwrap_err();
    assert!(e.to_string().contains("不能用这代备份恢复"), "{e}");
    // Nor a folder that is not a generation: the newest one is named.
    let e = restore_plan(f.dir.path(), out.path(), &test_keys()).unwrap_err();
    assert!(
        e.to_string().contains(gen2.file_name().unwrap().to_str().unwrap()),
        "{e}"
    );
}

#[test]
fn a_failed_backup_is_recorded_and_shown() {
    let (f, admin) = office();
    let out = tempfile::tempdir().unwrap();
    let usb = out.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    folder_setting(&f, &admin, &usb, 3);
    std::fs::remove_dir(&usb).unwrap();
    let r = backup(&f, &admin);
    assert!(!r.ok);
    assert!(r.message.contains("不存在或未连接"), "{}", r.message);
    let status = f.store.backup_status(&admin).unwrap();
    assert_eq!(status.last.as_ref().map(|b| b.ok), Some(false));
    assert!(status.last_ok.is_none());
    assert!(status.folder_problem.is_some());
    // The schedule keeps trying while no verified backup exists.
    std::fs::create_dir(&usb).unwrap();
    let made = f.store.backup_if_due(&mut |_| {}).unwrap().unwrap();
    assert!(made.ok && made.trigger == BackupTrigger::Scheduled && made.staff_name.is_none());
    // ... and then waits for the interval.
    f.clock.advance(chrono::Duration::hours(23));
    assert!(f.store.backup_if_due(&mut |_| {}).unwrap().is_none());
    f.clock.advance(chrono::Duration::hours(1));
    assert!(f.store.backup_if_due(&mut |_| {}).unwrap().is_some());
}

#[test]
fn a_schedule_failing_for_the_same_reason_journals_the_first_failure_only() {
    let (f, admin) = office();
    let out = tempfile::tempdir().unwrap();
    let usb = out.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    folder_setting(&f, &admin, &usb, 3);
    std::fs::remove_dir(&usb).unwrap();
    let before = journal_count(&f);
    let first = f.store.backup_if_due(&mut |_| {}).unwrap().unwrap();
    assert!(!first.ok);
    assert_eq!(journal_count(&f), before + 1);
    // Hour after hour the same reason: still told, never journaled again, counted.
    for n in 1..=3 {
        f.clock.advance(chrono::Duration::hours(1));
        let again = f.store.backup_if_due(&mut |_| {}).unwrap().unwrap();
        assert!(!again.ok);
        assert!(again.message.contains("不存在或未连接"), "{}", again.message);
        assert!(
            again.message.contains(&format!("已又连续失败 {n} 次")),
            "{}",
            again.message
        );
        assert_eq!(again.finished_at, f.store.now());
        assert_eq!(journal_count(&f), before + 1);
    }
    let admin = login(&f, "admin", "Banquan2026").unwrap();
    let status = f.store.backup_status(&admin).unwrap();
    assert_eq!(status.last.as_ref().map(|b| b.id.as_str()), Some(first.id.as_str()));
    // An admin's own attempt is always journaled.
    let before = journal_count(&f);
    let manual = backup(&f, &admin);
    assert!(!manual.ok);
    assert_eq!(journal_count(&f), before + 1);
    // The disk comes back: journaled; it goes again: the first failure after
    // a good backup is journaled again.
    std::fs::create_dir(&usb).unwrap();
    f.clock.advance(chrono::Duration::hours(1));
    assert!(f.store.backup_if_due(&mut |_| {}).unwrap().unwrap().ok);
    assert_eq!(journal_count(&f), before + 2);
    std::fs::remove_dir_all(&usb).unwrap();
    f.clock.advance(chrono::Duration::hours(24));
    let later = f.store.backup_if_due(&mut |_| {}).unwrap().unwrap();
    assert!(!later.ok && !later.message.contains("连续失败"), "{}", later.message);
    assert_eq!(journal_count(&f), before + 3);
    assert!(f.store.verify_audit().unwrap().ok);
}

#[test]
fn partial_folders_an_interrupted_backup_left_are_cleaned_by_the_next() {
    use std::time::{Duration, SystemTime};
    let (f, admin) = office();
    let out = tempfile::tempdir().unwrap();
    folder_setting(&f, &admin, out.path(), 3);
    let put = |name: &str, age: Duration| {
        let dir = out.path().join(name);
        std::fs::create_dir_all(dir.join("files").join("ab")).unwrap();
        let file = dir.join("files").join("ab").join("blob.enc");
        std::fs::write(&file, b"half").unwrap();
        for p in [
            file.clone(),
            dir.join("files").join("ab"),
            dir.join("files"),
            dir.clone(),
        ] {
            std::fs::File::open(&p)
                .unwrap()
                .set_modified(SystemTime::now() - age)
                .unwrap();
        }
        dir
    };
    let left = put("regdesk-20261120-030000.partial", Duration::from_secs(3 * 3600));
    // One being written right now (by another program) and one not ours stay.
    let busy = put("regdesk-20261125-092900.partial", Duration::from_secs(60));
    let theirs = put("照片.partial", Duration::from_secs(30 * 24 * 3600));
    let r = backup(&f, &admin);
    assert!(r.ok, "{}", r.message);
    assert!(
        r.message.contains("已清理上次中断留下的 1 个未完成备份"),
        "{}",
        r.message
    );
    assert!(!left.exists());
    assert!(busy.exists() && theirs.exists());
}

#[test]
fn no_folder_no_schedule_and_a_manual_backup_says_where_to_set_it() {
    let (f, admin) = office();
    assert!(f.store.backup_if_due(&mut |_| {}).unwrap().is_none());
    let e = f.store.backup_now(&admin, None, &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("管理 → 备份"), "{e}");
    let out = tempfile::tempdir().unwrap();
    let r = f.store.backup_now(&admin, Some(out.path()), &mut |_| {}).unwrap();
    assert!(r.ok, "{}", r.message);
}

#[test]
fn backup_settings_are_checked_and_admin_only() {
    let (f, admin) = office();
    let v = f.store.backup_settings(&admin).unwrap();
    assert_eq!((v.folder.as_str(), v.keep, v.every_hours), ("", 7, 24));
    let e = f
        .store
        .update_backup_settings(
            &admin,
            &BackupSettingsInput {
                version: v.version,
                folder: f.dir.path().join("files").display().to_string(),
                keep: 0,
                every_hours: 500,
            },
        )
        .unwrap_err()
        .to_api();
    let fields: Vec<(&str, &str)> = e.fields.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
    std::fs::create_dir_all(f.dir.path().join("files")).unwrap();
    assert_eq!(fields[1..], [("keep", "range"), ("every_hours", "range")]);
    let e = f
        .store
        .update_backup_settings(
            &admin,
            &BackupSettingsInput {
                version: v.version,
                folder: f.dir.path().display().to_string(),
                keep: 3,
                every_hours: 24,
            },
        )
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].code, "inside_data");
    let clerk = signed_in(
        &f,
        &admin,
        &Staff {
            username: "wangli",
            display_name: "王丽",
            roles: &[regdesk_domain::staff::Role::CounterClerk],
            password: "Chuangkou2026",
        },
    );
    assert_eq!(f.store.backup_status(&clerk).unwrap_err().kind(), ErrorKind::Permission);
}

#[test]
fn a_damaged_database_is_refused_at_open_with_the_way_back() {
    let (f, admin) = office();
    let out = tempfile::tempdir().unwrap();
    folder_setting(&f, &admin, out.path(), 3);
    let gen = out.path().join(backup(&f, &admin).generation);
    let Fixture { dir, clock, store } = f;
    let db = store.path().to_path_buf();
    drop(store);
    // A page in the middle of the file overwritten.
    let size = std::fs::metadata(&db).unwrap().len();
    assert!(size > 3 * 4096);
    damage(&db, 2 * 4096, 4096);
    let e = open_store(dir.path(), clock.clone()).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::Damaged, "{e}");
    assert!(e.to_string().contains("regdesk restore"), "{e}");
    // What was found, in words the screen can show (SQLite's own message only in brackets).
    let StoreError::Damaged { detail } = &e else {
        panic!("{e:?}")
    };
    assert!(
        detail.starts_with("数据库文件读不出") || detail.starts_with("完整性检查发现"),
        "{detail}"
    );
    let info = damaged_database(dir.path(), &e.to_string());
    assert_eq!(
        info.last_backup.as_ref().map(|b| PathBuf::from(&b.path)),
        Some(gen.clone())
    );
    assert_eq!(
        info.restore_command.as_deref(),
        Some(
            format!(
                "regdesk --data-dir \"{}\" restore \"{}\"",
                dir.path().display(),
                gen.display()
            )
            .as_str()
        )
    );
    // The way back: restoring over a damaged database needs no --force and keeps it aside.
    let r = restore(dir.path(), &gen, false, clock.clone(), &test_keys()).unwrap();
    assert!(r.plan.live_problem.is_some() && r.side_copy.is_some());
    open_store(dir.path(), clock.clone()).unwrap();

    // The file's header destroyed: not a database at all.
    damage(&db, 0, 16);
    assert_eq!(open_store(dir.path(), clock).err().unwrap().kind(), ErrorKind::Damaged);
}

#[test]
fn the_full_check_runs_weekly_and_is_remembered() {
    let (f, _admin) = office();
    let checked = |db: &Path| -> Option<String> {
        raw_db(db)
            .unwrap()
            .query_row("SELECT checked_at FROM integrity_checks", [], |r| r.get(0))
            .optional()
            .unwrap()
    };
    let db = f.store.path().to_path_buf();
    let first = checked(&db).unwrap();
    let Fixture { dir, clock, store } = f;
    drop(store);
    clock.advance(chrono::Duration::days(6));
    drop(open_store(dir.path(), clock.clone() as Arc<dyn Clock>).unwrap());
    assert_eq!(checked(&db).unwrap(), first);
    clock.advance(chrono::Duration::days(2));
    drop(open_store(dir.path(), clock.clone() as Arc<dyn Clock>).unwrap());
    assert_ne!(checked(&db).unwrap(), first);
}

#[test]
fn a_large_database_opens_at_once_and_is_checked_after() {
    let (f, _admin) = office();
    // A small file is checked while it opens: nothing is left for later.
    assert!(f.store.deferred_check().is_none());
    let Fixture { dir, clock, store } = f;
    let db = store.path().to_path_buf();
    drop(store);
    // Past the size checked at open (here: any size), the checks are left for after.
    let store = Store::open_checking(dir.path(), clock.clone() as Arc<dyn Clock>, test_keys(), 0).unwrap();
    let check = store.deferred_check().unwrap();
    // The week's full check passed at the office's first open: only the quick check is due.
    assert!(!check.run(clock.now()).unwrap());
    clock.advance(chrono::Duration::days(8));
    assert!(check.run(clock.now()).unwrap(), "the full check is due after a week");
    assert!(!check.run(clock.now()).unwrap(), "and remembered");
    // Damage found by the check, on its own connection, while the store is open.
    damage(&db, 2 * 4096, 4096);
    let e = check.run(clock.now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Damaged, "{e}");
}
