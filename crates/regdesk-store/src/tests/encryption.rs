//! Encryption at rest (db.rs, files.rs, keys.rs): a copied data directory
//! shows no personal data; a plain database from before is converted.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::fixtures::*;
use crate::keys::{KeyError, KeyHome, StationKeys};
use crate::*;

const ID_NUMBER: &str = "11010519491231002X";
const ADDRESS: &str = "浙江省杭州市西湖区文三路 100 号";

/// Every file under `dir`, at any depth.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The files under `dir` whose bytes hold any of `needles`.
fn leaks(dir: &Path, needles: &[&[u8]]) -> Vec<String> {
    all_files(dir)
        .into_iter()
        .filter(|p| {
            // A temporary audit head may be renamed away between the listing
            // and the read (the head is written off the command's path).
            let bytes = match std::fs::read(p) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return false,
                other => other.unwrap(),
            };
            needles.iter().any(|n| contains(&bytes, n))
        })
        .map(|p| p.display().to_string())
        .collect()
}

/// An office with a filing naming 陈思远 (ID number, address) and an attachment
/// whose text holds both; the originals uploaded from outside the data directory.
fn office_with_personal_data() -> (Fixture, Session, CaseDetail, FileView, tempfile::TempDir) {
    let (f, admin) = office();
    let clerk = signed_in(&f, &admin, &CLERK);
    let draft = corporate(&f, &clerk, true);
    let case = new_draft(&f, &clerk, draft);
    let outside = tempfile::tempdir().unwrap();
    let scan = outside.path().join("身份证明.txt");
    std::fs::write(&scan, format!("居民身份证 {ID_NUMBER} 住址 {ADDRESS}")).unwrap();
    let attachment = f.store.add_file(&clerk, &scan, FilePurpose::IdentityProof).unwrap();
    // The fixture uploads its sample files from the data directory itself;
    // those are the applicant's originals, not the store's, so they go.
    for p in std::fs::read_dir(f.dir.path()).unwrap().map(|e| e.unwrap().path()) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        // The database and the signed audit head (whose loss the audit would report) stay.
        if p.is_file() && !name.starts_with(DB_FILE) && !name.starts_with("audit-head") {
            std::fs::remove_file(p).unwrap();
        }
    }
    (f, clerk, case, attachment, outside)
}

#[test]
fn a_copied_data_directory_shows_no_id_number_or_address() {
    let (f, clerk, case, attachment, _outside) = office_with_personal_data();
    // The data really holds them (so the scan below can fail).
    let detail = f.store.reveal_case(&clerk, &case.id).unwrap();
    assert!(serde_json::to_string(&detail).unwrap().contains(ID_NUMBER));
    let view = f.store.verified_file_path(&clerk, &attachment.id).unwrap();
    assert!(contains(&std::fs::read(&view).unwrap(), ID_NUMBER.as_bytes()));
    // Decrypted views live outside the data directory.
    assert!(!view.starts_with(f.dir.path()), "{}", view.display());
    let needles: [&[u8]; 3] = [ID_NUMBER.as_bytes(), ADDRESS.as_bytes(), "陈思远".as_bytes()];
    // While the store is open (the write-ahead log holds the latest pages) ...
    assert!(f.dir.path().join(format!("{DB_FILE}-wal")).exists());
    assert_eq!(leaks(f.dir.path(), &needles), Vec::<String>::new());
    // ... and after it closed.
    let Fixture { dir, store, .. } = f;
    drop(store);
    assert_eq!(leaks(dir.path(), &needles), Vec::<String>::new());
}

#[test]
fn a_plain_connection_cannot_read_the_database_and_a_wrong_key_is_a_clear_error() {
    let (f, _admin) = office();
    let path = f.store.path().to_path_buf();
    let head = std::fs::read(&path).unwrap();
    assert!(!head.starts_with(b"SQLite format 3"));
    let plain = Connection::open(&path).unwrap();
    let e = plain
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .unwrap_err();
    assert_eq!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::NotADatabase));
    drop(plain);
    let Fixture { dir, clock, store } = f;
    drop(store);
    let other = StationKeys::from_secret([1; 32], KeyHome::EnvFile("other.key".into()));
    let e = Store::open_with_keys(dir.path(), clock.clone(), other).err().unwrap();
    // At open a file the keys cannot decrypt is shown as damaged (the way back
    // is the last backup), naming the key as the other cause.
    assert!(matches!(e, StoreError::Damaged { .. }), "{e:?}");
    assert!(e.to_string().contains("数据库密钥不正确"), "{e}");
    assert!(e.to_string().contains("regdesk key import"), "{e}");
    assert_eq!(e.kind(), ErrorKind::Damaged);
    // The connection itself says which: the key.
    let raw = crate::db::connect(
        &dir.path().join(DB_FILE),
        &StationKeys::from_secret([1; 32], KeyHome::EnvFile("other.key".into())).database(),
    );
    assert!(matches!(raw, Err(StoreError::Key(KeyError::Wrong { .. }))));
    // The right key still opens it.
    assert!(open_store(dir.path(), clock).unwrap().office().unwrap().is_some());
}

#[test]
fn attachments_are_sealed_on_disk_and_a_changed_byte_is_refused() {
    let (f, admin) = office();
    let clerk = signed_in(&f, &admin, &CLERK);
    let text = "作品样本：西湖十景之断桥残雪 ".repeat(100_000); // about 2.3 MB, three chunks
    let a = file(&f, &clerk, "样本.txt", text.as_bytes());
    let blob = f
        .dir
        .path()
        .join("files")
        .join(&a.sha256[0..2])
        .join(format!("{}.enc", a.sha256));
    let stored = std::fs::read(&blob).unwrap();
    assert!(stored.starts_with(b"RDKF\x01"));
    assert!(!contains(&stored, "断桥残雪".as_bytes()));
    assert_eq!(
        std::fs::read(f.store.verified_file_path(&clerk, &a.id).unwrap()).unwrap(),
        text.as_bytes()
    );
    // An empty file and one of exactly one chunk round-trip too.
    for bytes in [Vec::new(), vec![7u8; 1 << 20]] {
        let e = file(&f, &clerk, "边界.bin", &bytes);
        assert_eq!(
            std::fs::read(f.store.verified_file_path(&clerk, &e.id).unwrap()).unwrap(),
            bytes
        );
    }
    // One changed byte in the middle chunk: refused, and no view is left.
    let mut altered = stored.clone();
    altered[24 + (1 << 20) + 100] ^= 1;
    std::fs::write(&blob, &altered).unwrap();
    let e = f.store.verified_file_path(&clerk, &a.id).unwrap_err();
    assert!(e.to_string().contains("内容与登记时不一致"), "{e}");
    // Cut short after the first chunk: refused too (the last chunk is marked).
    std::fs::write(&blob, &stored[..24 + (1 << 20) + 16]).unwrap();
    assert!(f.store.verified_file_path(&clerk, &a.id).is_err());
    let views = f.store.views_dir().unwrap();
    let left: Vec<_> = std::fs::read_dir(&views)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&a.id) || n.ends_with(".part"))
        .collect();
    assert_eq!(left, Vec::<String>::new());
}

/// Makes `dir`'s encrypted database and attachments plain again, byte for
/// byte what the version before encryption wrote.
fn make_plain(dir: &Path) {
    let path = dir.join(DB_FILE);
    let plain = dir.join("plain.db");
    {
        let c = raw_db(&path).unwrap();
        let version: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        c.execute("ATTACH DATABASE ?1 AS plain KEY ''", [plain.to_string_lossy()])
            .unwrap();
        c.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(())).unwrap();
        c.pragma_update(Some("plain"), "user_version", version).unwrap();
        c.execute_batch("DETACH DATABASE plain").unwrap();
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}")));
    }
    std::fs::rename(&plain, &path).unwrap();
    let key = test_keys().files();
    for p in all_files(&dir.join("files")) {
        if p.extension().is_some_and(|e| e == "enc") {
            let mut out = Vec::new();
            let sha = crate::files::decrypt_stream(&key, &mut std::fs::File::open(&p).unwrap(), &mut out)
                .unwrap()
                .unwrap();
            std::fs::write(p.with_file_name(sha), out).unwrap();
            std::fs::remove_file(p).unwrap();
        }
    }
}

#[test]
fn a_plain_database_and_its_attachments_are_converted_without_loss() {
    let (f, clerk, case, attachment, _outside) = office_with_personal_data();
    let before = f.store.case_detail(&clerk, &case.id).unwrap();
    let audit_before = f.store.verify_audit().unwrap();
    let Fixture { dir, clock, store } = f;
    drop(store);
    make_plain(dir.path());
    let path = dir.path().join(DB_FILE);
    assert!(std::fs::read(&path).unwrap().starts_with(b"SQLite format 3\0"));
    let needles: [&[u8]; 2] = [ID_NUMBER.as_bytes(), ADDRESS.as_bytes()];
    assert!(!leaks(dir.path(), &needles).is_empty());
    let counts = |c: &Connection| -> Vec<(String, i64)> {
        let names: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        names
            .into_iter()
            .map(|n| {
                let q = format!("SELECT count(*) FROM \"{n}\"");
                let k = c.query_row(&q, [], |r| r.get(0)).unwrap();
                (n, k)
            })
            .collect()
    };
    let plain_counts = counts(&Connection::open(&path).unwrap());
    assert!(plain_counts.iter().any(|(n, k)| n == "journal" && *k > 0));

    let store = open_store(dir.path(), clock.clone()).unwrap();
    assert!(!std::fs::read(&path).unwrap().starts_with(b"SQLite format 3"));
    assert_eq!(counts(&raw_db(&path).unwrap()), plain_counts);
    assert_eq!(store.verify_audit().unwrap(), audit_before);
    let clerk = login_with(&store, "wangli");
    assert_eq!(store.case_detail(&clerk, &case.id).unwrap(), before);
    let view = store.verified_file_path(&clerk, &attachment.id).unwrap();
    assert!(contains(&std::fs::read(view).unwrap(), ID_NUMBER.as_bytes()));
    // Nothing plain is left: no plain copy, no converted-file leftovers, no plain attachment.
    let names: Vec<String> = all_files(dir.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("encrypting")), "{names:?}");
    assert_eq!(leaks(dir.path(), &needles), Vec::<String>::new());
    drop(store);
    assert_eq!(leaks(dir.path(), &needles), Vec::<String>::new());
    // Opening again changes nothing.
    let again = open_store(dir.path(), clock).unwrap();
    let r = again.verify_audit().unwrap();
    assert!(r.ok, "{r:?}");
}

fn login_with(store: &Store, user: &str) -> Session {
    store
        .login(&LoginInput {
            username: user.into(),
            password: CLERK.password.into(),
        })
        .unwrap()
}

#[test]
fn a_plain_database_made_the_old_way_is_converted_and_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        // What the version before encryption did on first start: a plain
        // connection, the migrations, the workstation row.
        let mut c = Connection::open(&path).unwrap();
        c.pragma_update(None, "journal_mode", "WAL").unwrap();
        crate::db::migrate(&mut c).unwrap();
        crate::db::ensure_station(&c, chrono::Utc::now()).unwrap();
    }
    let clock = std::sync::Arc::new(FixedClock::new(chrono::Utc::now()));
    let store = open_store(dir.path(), clock).unwrap();
    assert!(!std::fs::read(&path).unwrap().starts_with(b"SQLite format 3"));
    let version: i64 = store
        .conn()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert!(store.setup_office(&setup_input()).is_ok());
}

/// `needle` as UTF-16LE too (what `strings -el` finds).
fn utf16(needle: &str) -> Vec<u8> {
    needle.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[test]
fn prints_and_exports_leave_no_id_number_in_the_data_directory() {
    let f = fixture();
    crate::demo::fill_office(&f.store, 12).unwrap();
    let data = f.dir.path().to_path_buf();
    let clerk = sample_login(&f, "wangli");
    let chen = sample_login(&f, "chenxy");
    // Every applicant's full ID number (the profiles the filings were made from).
    let ids: Vec<String> = {
        let applicants: Vec<String> = f
            .store
            .conn()
            .prepare("SELECT id FROM applicants")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        applicants
            .iter()
            .map(|a| f.store.reveal_applicant(&clerk, a).unwrap().id_number)
            .filter(|n| n.len() >= 15)
            .collect()
    };
    assert!(ids.len() >= 2, "{ids:?}");
    let cases: Vec<String> = f
        .store
        .conn()
        .prepare("SELECT id FROM cases")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    // Every print and export the desk makes.
    let mut written = Vec::new();
    for id in &cases {
        let (serial, pdf) = f.store.application_form_pdf(&clerk, id).unwrap();
        written.push(
            f.store
                .write_document(DocumentFolder::Prints, &format!("{serial}-申请表.pdf"), &pdf)
                .unwrap(),
        );
        if let Ok((name, pdf)) = f.store.notice_pdf(&clerk, id) {
            written.push(f.store.write_document(DocumentFolder::Prints, &name, &pdf).unwrap());
        }
    }
    let today = f.store.office_today();
    let period = DayReportInput { from: today, to: today };
    for (name, bytes) in [
        ("开票清单.xlsx", f.store.invoice_list_xlsx(&chen).unwrap()),
        ("收费日报.pdf", f.store.day_report_pdf(&chen, &period).unwrap()),
        ("收费日报.xlsx", f.store.day_report_xlsx(&chen, &period).unwrap()),
    ] {
        written.push(f.store.write_document(DocumentFolder::Exports, name, &bytes).unwrap());
    }
    // A document in plain text naming the ID numbers, so the scan below can fail.
    let plain = f
        .store
        .write_document(DocumentFolder::Exports, "证件号清单.csv", ids.join("\n").as_bytes())
        .unwrap();
    written.push(plain.clone());
    // An older version wrote prints inside the data directory: opening moves them out.
    std::fs::create_dir_all(data.join("prints")).unwrap();
    std::fs::write(data.join("prints").join("旧申请表.txt"), ids.join(",")).unwrap();
    let reopened = open_store(&data, f.clock.clone()).unwrap();
    let moved = reopened
        .documents_dir(DocumentFolder::Prints)
        .unwrap()
        .join("旧申请表.txt");
    assert!(moved.exists());
    assert!(!data.join("prints").exists());
    drop(reopened);
    for p in &written {
        assert!(p.exists(), "{}", p.display());
        assert!(
            !p.starts_with(&data),
            "written inside the data directory: {}",
            p.display()
        );
    }
    assert!(contains(&std::fs::read(&plain).unwrap(), ids[0].as_bytes()));
    let ascii: Vec<Vec<u8>> = ids.iter().map(|i| i.as_bytes().to_vec()).collect();
    let wide: Vec<Vec<u8>> = ids.iter().map(|i| utf16(i)).collect();
    let needles: Vec<&[u8]> = ascii.iter().chain(wide.iter()).map(Vec::as_slice).collect();
    assert_eq!(leaks(&data, &needles), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(f.store.documents_dir(DocumentFolder::Prints).unwrap().parent().unwrap());
}
