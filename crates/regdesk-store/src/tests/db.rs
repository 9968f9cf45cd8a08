//! Opening the database (db.rs): pragmas, migrations, the workstation, the data directory.

use regdesk_domain::queue::Queue;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::fixtures::*;
use crate::*;

#[test]
fn pragmas_are_set() {
    let f = fixture();
    let c = f.store.conn();
    let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
    let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
}

#[test]
fn the_full_text_indexes_merge_only_when_a_level_is_full() {
    // Migration 033: no merging after each save; FTS5's crisis merge at 16 segments a level.
    let f = fixture();
    let c = f.store.conn();
    for table in ["case_search", "case_grams", "case_queue_search"] {
        let automerge: i64 = c
            .query_row(
                &format!("SELECT v FROM {table}_config WHERE k = 'automerge'"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(automerge, 0, "{table}");
        let crisis: Option<i64> = c
            .query_row(
                &format!("SELECT v FROM {table}_config WHERE k = 'crisismerge'"),
                [],
                |r| r.get(0),
            )
            .optional()
            .unwrap();
        assert_eq!(crisis, None, "{table} keeps FTS5's own crisis merge (16)");
    }
}

#[test]
fn the_log_is_checkpointed_by_the_stores_thread_not_by_a_command() {
    let (f, admin) = office();
    let auto: i64 = f
        .store
        .conn()
        .pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))
        .unwrap();
    assert_eq!(auto, crate::checkpoint::SAFETY_AUTOCHECKPOINT_PAGES);
    let digest = || Sha256::digest(std::fs::read(f.store.path()).unwrap()).to_vec();
    let mut version = f.store.settings(&admin).unwrap().version;
    let mut commit = || {
        version = f
            .store
            .update_settings(&admin, &settings_input(version, 15 + version % 7))
            .unwrap()
            .version;
    };
    // Far fewer pages than the command connection's own threshold: only the
    // thread writes them into the database file.
    for _ in 0..crate::checkpoint::COMMITS_PER_CHECKPOINT {
        commit();
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let before = digest();
    for _ in 0..crate::checkpoint::COMMITS_PER_CHECKPOINT {
        commit();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while digest() == before {
        assert!(
            std::time::Instant::now() < deadline,
            "the database file did not change: nothing checkpointed the log"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn a_newer_database_is_refused_with_a_clear_message() {
    let f = fixture();
    let path = f.store.path().to_path_buf();
    drop(f.store);
    raw_db(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let e = open_store(f.dir.path(), f.clock.clone()).err().unwrap();
    assert!(matches!(e, StoreError::DatabaseTooNew { found: 99, .. }));
    assert!(e.to_string().contains("请安装新版"));
}

#[test]
fn a_version_9_database_links_its_search_index_when_opened() {
    // A database from before the search link: cases and their index rows, no
    // search_rowid. Opening it fills the link; search and edits then use it.
    let f = sample_office(6);
    let clerk = sample_login(&f, "wangli");
    let draft = f
        .store
        .list_queue(&clerk, &QueueInput::first(Queue::Drafts, 1))
        .unwrap()
        .rows[0]
        .clone();
    let path = f.store.path().to_path_buf();
    drop(f.store);
    {
        let conn = raw_db(&path).unwrap();
        as_version_11(&conn);
        conn.execute_batch(
            "DROP INDEX cases_search; ALTER TABLE cases DROP COLUMN search_rowid; PRAGMA user_version = 9;",
        )
        .unwrap();
    }
    let store = open_store(f.dir.path(), f.clock.clone()).unwrap();
    let unlinked: i64 = raw_db(&path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM cases WHERE search_rowid IS NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(unlinked, 0);
    let clerk = store
        .login(&LoginInput {
            username: "wangli".into(),
            password: crate::demo::DEMO_PASSWORD.into(),
        })
        .unwrap();
    let search = |text: &str| {
        store
            .list_queue(
                &clerk,
                &QueueInput {
                    search: Some(text.into()),
                    ..QueueInput::first(Queue::Drafts, 20)
                },
            )
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.serial)
            .collect::<Vec<_>>()
    };
    assert_eq!(search(&draft.title), vec![draft.serial.clone()]);
    // Saved again, the case is indexed once, under its new words only.
    let detail = store.reveal_case(&clerk, &draft.serial).unwrap();
    let mut changed = detail.draft.clone();
    changed.work.title = "断桥残雪新编".into();
    store
        .save_draft(
            &clerk,
            &crate::SaveDraftInput {
                case_id: Some(detail.id.clone()),
                version: Some(detail.version),
                applicant_id: detail.applicant_id.clone(),
                draft: changed,
            },
        )
        .unwrap();
    assert_eq!(search("断桥残雪新编"), vec![draft.serial.clone()]);
    assert!(search(&draft.title).is_empty());
    let rows: i64 = raw_db(&path)
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM case_search WHERE case_id = ?1",
            [&detail.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 1);
}

/// Undoes the migrations after 012, newest first: the database as a version-12
/// program left it (no backups, no row digests, no identity-file index, files
/// without their purpose).
pub(super) fn as_version_12(conn: &Connection) {
    // 033: the full-text indexes' merging (those of 019 and 023 go below).
    conn.execute_batch("INSERT INTO case_search (case_search, rank) VALUES ('automerge', 4);")
        .unwrap();
    // 032: the certificate desk's list and the payment desk's index.
    conn.execute_batch(
        "DROP INDEX cases_awaiting_payment; DROP INDEX transfers_applicant;
         DROP TRIGGER certificate_waiting_case_insert; DROP TRIGGER certificate_waiting_case_update;
         DROP TRIGGER certificate_waiting_case_delete; DROP TRIGGER certificate_waiting_sheet_insert;
         DROP TRIGGER certificate_waiting_sheet_update; DROP TRIGGER certificate_waiting_sheet_delete;
         DROP TRIGGER certificate_waiting_number_insert; DROP TRIGGER certificate_waiting_number_update;
         DROP TRIGGER certificate_waiting_number_delete;
         DROP TABLE certificate_waiting;",
    )
    .unwrap();
    // 031: the correction deadlines' index.
    conn.execute_batch("DROP INDEX cases_correction_due;").unwrap();
    // 030: the held columns of a newer schema.
    conn.execute_batch("DROP TABLE sync_held_columns;").unwrap();
    // 027: the station's office, a column of sync_enrolment (dropped with 021 below).
    // 025: leased registration numbers.
    conn.execute_batch("DROP TABLE sync_number_leases;").unwrap();
    // 021: sync.
    conn.execute_batch(
        "DROP TABLE sync_inbox; DROP TABLE sync_state; DROP TABLE sync_enrolment;
         DROP INDEX journal_origin; DROP INDEX journal_push; ALTER TABLE journal DROP COLUMN push_seq; ALTER TABLE journal DROP COLUMN origin_id; ALTER TABLE journal DROP COLUMN origin_station;
         ALTER TABLE journal DROP COLUMN office_seq; ALTER TABLE journal DROP COLUMN effects;",
    )
    .unwrap();
    // 022: the reports' indexes.
    conn.execute_batch("DROP INDEX registration_numbers_issued; DROP INDEX review_log_at; DROP INDEX cases_accepted;")
        .unwrap();
    // 023: the queue search index.
    conn.execute_batch(
        "DROP TRIGGER case_queue_search_insert; DROP TRIGGER case_queue_search_update;
         DROP TRIGGER case_queue_search_delete; DROP TABLE case_queue_search;",
    )
    .unwrap();
    // 026: the kept registration counts.
    conn.execute_batch(
        "DROP TRIGGER registration_counts_insert; DROP TRIGGER registration_counts_delete;
         DROP TRIGGER registration_counts_update; DROP TRIGGER registration_counts_case_update;
         DROP TRIGGER registration_counts_case_insert; DROP TRIGGER registration_counts_case_delete;
         DROP TABLE registration_counts; DROP INDEX cases_state_accepted;",
    )
    .unwrap();
    // 029: the number lease settings.
    conn.execute_batch(
        "ALTER TABLE settings DROP COLUMN number_lease_size; ALTER TABLE settings DROP COLUMN number_refill_at;",
    )
    .unwrap();
    // 024: the office's 一人一表 setting.
    conn.execute_batch("ALTER TABLE settings DROP COLUMN batch_signing_form;")
        .unwrap();
    // 019: kept counts, queue indexes, the short-search index.
    conn.execute_batch(
        "DROP TRIGGER case_counts_insert; DROP TRIGGER case_counts_delete; DROP TRIGGER case_counts_update;
         DROP TABLE case_counts; DROP TABLE case_grams;
         DROP INDEX cases_queue_due; DROP INDEX cases_queue_serial; DROP INDEX cases_queue_title;
         DROP INDEX cases_queue_applicant; DROP INDEX cases_queue_created;
         DROP INDEX cases_office_queue_due; DROP INDEX cases_office_queue_serial; DROP INDEX cases_office_queue_title;
         DROP INDEX cases_office_queue_applicant; DROP INDEX cases_office_queue_created;
         ALTER TABLE cases DROP COLUMN queue; ALTER TABLE cases DROP COLUMN office_key;",
    )
    .unwrap();
    conn.execute_batch(
        "DROP TABLE historic_registrations;
         DROP TABLE delivery_settings; DROP TABLE handover_cases; DROP TABLE handovers;
         DROP TABLE shipment_cases; DROP TABLE shipments;
         DROP TABLE category_letter_tables; DROP TABLE certificate_sheets; DROP TABLE certificate_prints;
         DROP TABLE certificate_printers; DROP TABLE certificate_settings;
         ALTER TABLE registration_numbers DROP COLUMN check_code;
         DROP TABLE backups; DROP TABLE integrity_checks; ALTER TABLE settings DROP COLUMN backup_dir;
         ALTER TABLE settings DROP COLUMN backup_keep; ALTER TABLE settings DROP COLUMN backup_every_hours;
         DROP INDEX journal_row_digests; ALTER TABLE journal DROP COLUMN row_digests;
         DROP TABLE audit_rows; DROP TABLE audit_state;
         DROP TABLE case_identity_files; DROP INDEX journal_command_at;
         ALTER TABLE files DROP COLUMN purpose; PRAGMA user_version = 12;",
    )
    .unwrap();
}

/// Undoes migration 012 as well: the database as a version-11 program left it.
fn as_version_11(conn: &Connection) {
    as_version_12(conn);
    conn.execute_batch(
        "ALTER TABLE cases DROP COLUMN draft_format; ALTER TABLE cases DROP COLUMN facts_format;
         ALTER TABLE journal DROP COLUMN payload_format; PRAGMA user_version = 11;",
    )
    .unwrap();
    // The chain as a version-11 program wrote it: ten fields per entry, and no
    // signed head beside the database.
    let entries: Vec<(i64, String)> = conn
        .prepare(
            "SELECT seq, json_array(seq, id, station_id, staff_id, at, command, entity, entity_id,
                    entity_version, payload) FROM journal ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut prev = "0".repeat(64);
    for (seq, content) in entries {
        // SQLite's json_array and serde_json agree on these fields' text.
        let content: serde_json::Value = serde_json::from_str(&content).unwrap();
        let content_hash = hex::encode(Sha256::digest(content.to_string()));
        let entry = hex::encode(Sha256::digest(format!("{prev}{content_hash}")));
        conn.execute(
            "UPDATE audit SET prev_hash = ?2, content_hash = ?3, entry_hash = ?4 WHERE seq = ?1",
            rusqlite::params![seq, prev, content_hash, entry],
        )
        .unwrap();
        prev = entry;
    }
    let dir = std::path::Path::new(conn.path().unwrap())
        .parent()
        .unwrap()
        .to_path_buf();
    let _ = std::fs::remove_file(dir.join(crate::HEAD_FILE));
}

#[test]
fn a_version_12_database_keeps_its_files_without_a_purpose() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    let old = file(&f, &c, "样本.png", b"\x89PNG sample");
    let path = f.store.path().to_path_buf();
    let Fixture { dir, clock, store } = f;
    drop(store);
    as_version_12(&raw_db(&path).unwrap());
    let store = open_store(dir.path(), clock.clone()).unwrap();
    let f = Fixture { dir, clock, store };
    let c = login(&f, CLERK.username, CLERK.password).unwrap();
    let read = f.store.file(&c, &old.id).unwrap();
    assert_eq!((read.sha256.as_str(), read.purpose), (old.sha256.as_str(), None));
    let new = file(&f, &c, "样本2.png", b"\x89PNG sample 2");
    assert_eq!(f.store.file(&c, &new.id).unwrap().purpose, Some(FilePurpose::Sample));
}

type StoredCase = (
    String,
    regdesk_domain::filing::FilingDraft,
    regdesk_domain::lifecycle::CaseFacts,
);

/// Every case's draft and facts, read the way the store reads them.
fn stored_cases(conn: &Connection) -> Vec<StoredCase> {
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM cases ORDER BY serial")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    ids.into_iter()
        .map(|id| {
            let r = crate::cases::load(conn, &id).unwrap();
            (id, r.draft, r.facts)
        })
        .collect()
}

#[test]
fn a_version_11_database_gets_payload_formats_and_its_cases_read_back() {
    // Rows written before payload formats had none: opening records them as
    // format 1, and drafts, facts and the audit chain read back unchanged.
    use regdesk_domain::stored::{DRAFT_FORMAT, FACTS_FORMAT, JOURNAL_FORMAT};
    let f = fixture();
    crate::demo::fill_office(&f.store, 12).unwrap();
    let before = stored_cases(&f.store.conn());
    assert!(before.len() >= 12);
    let raw = |c: &Connection| -> Vec<(String, String)> {
        c.prepare("SELECT draft, facts FROM cases ORDER BY serial")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let path = f.store.path().to_path_buf();
    drop(f.store);
    let (raw_before, entries_before) = {
        let conn = raw_db(&path).unwrap();
        as_version_11(&conn);
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM journal", [], |r| r.get(0))
            .unwrap();
        (raw(&conn), n)
    };
    let store = open_store(f.dir.path(), f.clock.clone()).unwrap();
    let conn = raw_db(&path).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT COUNT(*) FROM cases WHERE draft_format = 1 AND facts_format = 1"),
        count("SELECT COUNT(*) FROM cases")
    );
    // The entries made before are of format 1; any made since are of today's.
    assert_eq!(
        count("SELECT COUNT(*) FROM journal WHERE payload_format = 1"),
        entries_before
    );
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) FROM journal WHERE seq > {entries_before} AND payload_format <> {JOURNAL_FORMAT}"
        )),
        0
    );
    assert_eq!(raw(&conn), raw_before, "the stored text is not rewritten");
    assert_eq!(stored_cases(&store.conn()), before);
    // The audit chain is whole, each entry hashed as a version-11 program
    // hashed it: its ten fields, no format.
    assert!(store.verify_audit().unwrap().ok);
    let old_hashes: Vec<(String, String)> = conn
        .prepare(
            "SELECT j.seq, j.id, j.station_id, j.staff_id, j.at, j.command, j.entity, j.entity_id,
                    j.entity_version, j.payload, a.content_hash
             FROM journal j JOIN audit a ON a.seq = j.seq WHERE j.row_digests IS NULL ORDER BY j.seq",
        )
        .unwrap()
        .query_map([], |r| {
            let content = serde_json::json!([
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, String>(9)?,
            ]);
            Ok((hex::encode(Sha256::digest(content.to_string())), r.get(10)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(old_hashes.len() > 20);
    for (computed, stored) in &old_hashes {
        assert_eq!(computed, stored);
    }
    // Commands after the upgrade write today's formats.
    let clerk = store
        .login(&LoginInput {
            username: "wangli".into(),
            password: crate::demo::DEMO_PASSWORD.into(),
        })
        .unwrap();
    let (id, draft, _) = before
        .iter()
        .find(|(_, _, facts)| facts.state == regdesk_domain::lifecycle::CaseState::Draft)
        .unwrap();
    let detail = store.case_detail(&clerk, id).unwrap();
    store
        .save_draft(
            &clerk,
            &SaveDraftInput {
                case_id: Some(id.clone()),
                version: Some(detail.version),
                applicant_id: detail.applicant_id.clone(),
                draft: draft.clone(),
            },
        )
        .unwrap();
    let formats: (i64, i64) = conn
        .query_row(
            "SELECT draft_format, facts_format FROM cases WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(formats, (DRAFT_FORMAT, FACTS_FORMAT));
    let last: i64 = conn
        .query_row(
            "SELECT payload_format FROM journal ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, JOURNAL_FORMAT);
    assert!(store.verify_audit().unwrap().ok);
}

#[test]
fn a_case_written_in_a_newer_format_is_refused_not_misread() {
    let f = fixture();
    crate::demo::fill(&f.store, 3).unwrap();
    let clerk = f
        .store
        .login(&LoginInput {
            username: "wangli".into(),
            password: crate::demo::DEMO_PASSWORD.into(),
        })
        .unwrap();
    let conn = raw_db(f.store.path()).unwrap();
    let (id, version): (String, i64) = conn
        .query_row("SELECT id, version FROM cases WHERE state = 'draft' LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let detail = f.store.reveal_case(&clerk, &id).unwrap();
    for (column, label) in [("draft_format", "案件填报内容"), ("facts_format", "案件办理记录")] {
        conn.execute(&format!("UPDATE cases SET {column} = 2 WHERE id = ?1"), [&id])
            .unwrap();
        let e = f.store.case_detail(&clerk, &id).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Storage);
        let m = e.to_string();
        assert!(
            m.contains(label) && m.contains("由较新版本写入") && m.contains("请升级本程序"),
            "{m}"
        );
        // Nor can this program overwrite it.
        let saved = f.store.save_draft(
            &clerk,
            &SaveDraftInput {
                case_id: Some(id.clone()),
                version: Some(version),
                applicant_id: detail.applicant_id.clone(),
                draft: detail.draft.clone(),
            },
        );
        assert!(matches!(saved, Err(StoreError::PayloadFormat(_))), "{saved:?}");
        conn.execute(&format!("UPDATE cases SET {column} = 1 WHERE id = ?1"), [&id])
            .unwrap();
    }
    assert_eq!(f.store.reveal_case(&clerk, &id).unwrap(), detail);
}

#[test]
fn a_journal_entrys_payload_format_is_covered_by_the_chain() {
    let f = fixture();
    let admin = set_up(&f);
    add_staff(&f, &admin, &REVIEWER);
    let c = raw_db(f.store.path()).unwrap();
    let formats: Vec<i64> = c
        .prepare("SELECT payload_format FROM journal ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(formats, vec![regdesk_domain::stored::JOURNAL_FORMAT; 2]);
    assert!(f.store.verify_audit().unwrap().ok);
    c.execute(
        "UPDATE journal SET payload_format = ?1 WHERE seq = 2",
        [regdesk_domain::stored::JOURNAL_FORMAT + 1],
    )
    .unwrap();
    let r = f.store.verify_audit().unwrap();
    assert_eq!(r.first_broken, Some(2), "{}", r.message);
}

#[test]
fn reopening_keeps_station_and_data() {
    let (f, _) = office();
    let station = f.store.station_id().to_string();
    drop(f.store);
    let again = open_store(f.dir.path(), f.clock.clone()).unwrap();
    assert_eq!(again.station_id(), station);
    assert!(again.app_status(None).unwrap().setup_done);
}

#[test]
fn data_dir_prefers_the_explicit_path() {
    let p = std::path::Path::new("/tmp/regdesk-explicit");
    assert_eq!(data_dir(Some(p)).unwrap(), p);
}

#[cfg(unix)]
#[test]
fn data_directory_and_database_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("data");
    let clock = std::sync::Arc::new(FixedClock::new(chrono::Utc::now()));
    let store = open_store(&dir, clock.clone()).unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(store.path()), 0o600);
    let wal = dir.join(format!("{DB_FILE}-wal"));
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
    // An existing, too-open directory is tightened on the next open.
    drop(store);
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(dir.join(DB_FILE), std::fs::Permissions::from_mode(0o644)).unwrap();
    let _store = open_store(&dir, clock).unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(DB_FILE)), 0o600);
    // The folders the shell writes documents into.
    private_dir(&dir.join("prints")).unwrap();
    assert_eq!(mode(&dir.join("prints")), 0o700);
}
