//! Stored files (files.rs): content-addressed, deduplicated, verified on reading.

use regdesk_domain::staff::Role;

use super::fixtures::*;
use crate::*;

#[test]
fn files_are_content_addressed_deduplicated_and_verified() {
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    // A 12 MB file goes through in 1 MB chunks.
    let big: Vec<u8> = (0..12 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let a = file(&f, &c, "录像.mp4", &big);
    let b = file(&f, &c, "录像副本.mp4", &big);
    assert_eq!(a.sha256, b.sha256);
    assert_ne!(a.id, b.id);
    assert_eq!((a.size, a.mime.as_str()), (12 * 1024 * 1024, "video/mp4"));
    let blobs = std::fs::read_dir(f.dir.path().join("files").join(&a.sha256[0..2]))
        .unwrap()
        .count();
    assert_eq!(blobs, 1);
    let p = f.store.verified_file_path(&c, &a.id).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), big);
    // Altered on disk: reading it fails with a clear message.
    let blob = f
        .dir
        .path()
        .join("files")
        .join(&a.sha256[0..2])
        .join(format!("{}.enc", a.sha256));
    std::fs::write(&blob, b"tampered").unwrap();
    let e = f.store.verified_file_path(&c, &b.id).unwrap_err();
    assert!(e.to_string().contains("内容与登记时不一致"), "{e}");
    // A missing source names the field.
    let e = f
        .store
        .add_file(&c, &f.dir.path().join("nope.jpg"), FilePurpose::Sample)
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].field, "path");
}

#[cfg(unix)]
#[test]
fn stored_files_and_their_folder_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let (f, admin) = office();
    let c = signed_in(&f, &admin, &CLERK);
    file(&f, &c, "说明.txt", b"hello");
    let files = f.dir.path().join("files");
    assert_eq!(mode(&files), 0o700);
    let blobs: Vec<_> = std::fs::read_dir(&files)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "tmp"))
        .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
        .collect();
    assert!(!blobs.is_empty());
    for b in blobs {
        assert_eq!(mode(&b), 0o600, "{}", b.display());
    }
}

#[test]
fn old_prints_and_exports_are_swept_and_recent_ones_kept() {
    use std::time::{Duration, SystemTime};
    let f = fixture();
    let data = f.dir.path();
    let day = Duration::from_secs(24 * 3600);
    let age = |path: &std::path::Path, days: u32| {
        let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        file.set_modified(SystemTime::now() - day * days).unwrap();
    };
    let put = |folder: DocumentFolder, name: &str, age_days: u32| {
        let path = f.store.write_document(folder, name, b"%PDF").unwrap();
        age(&path, age_days);
        path
    };
    let old_print = put(DocumentFolder::Prints, "受理通知书.pdf", 40);
    let new_print = put(DocumentFolder::Prints, "补正通知书.pdf", 2);
    let old_export = put(DocumentFolder::Exports, "台账.csv", 31);
    let new_export = put(DocumentFolder::Exports, "日结.csv", 29);
    // A file elsewhere in the data directory is never touched.
    std::fs::create_dir_all(data.join("files")).unwrap();
    let elsewhere = data.join("files").join("keep.bin");
    std::fs::write(&elsewhere, b"x").unwrap();
    age(&elsewhere, 400);
    assert_eq!(
        f.store.sweep_documents(crate::DEFAULT_DOCUMENT_MAX_AGE_DAYS).unwrap(),
        2
    );
    assert!(!old_print.exists() && !old_export.exists());
    assert!(new_print.exists() && new_export.exists() && elsewhere.exists());
    // Opening the store sweeps too; an old export an older version left in
    // the data directory is moved out first, then swept by its age, and a
    // recent one moved out and kept.
    let legacy = data.join("exports");
    std::fs::create_dir_all(&legacy).unwrap();
    std::fs::write(legacy.join("旧导出.csv"), b"x").unwrap();
    age(&legacy.join("旧导出.csv"), 60);
    std::fs::write(legacy.join("上周导出.csv"), b"x").unwrap();
    age(&legacy.join("上周导出.csv"), 7);
    let reopened = open_store(data, f.clock.clone()).unwrap();
    assert!(!legacy.exists(), "the old exports folder in the data directory is gone");
    let exports = reopened.documents_dir(DocumentFolder::Exports).unwrap();
    assert!(!exports.join("旧导出.csv").exists());
    assert!(exports.join("上周导出.csv").exists());
    assert!(new_export.exists());
    let _ = std::fs::remove_dir_all(exports.parent().unwrap());
    drop(reopened);
}

/// Who may attach a file for which purpose: every purpose × every role, in the store.
#[test]
fn each_purpose_is_attached_by_its_role_only() {
    let (f, admin) = office();
    let src = f.dir.path().join("材料.pdf");
    std::fs::write(&src, b"%PDF-1.4 material").unwrap();
    let people: Vec<(Role, Session)> = Role::ALL
        .into_iter()
        .enumerate()
        .map(|(i, role)| {
            let username: &'static str = Box::leak(format!("staff{i}").into_boxed_str());
            let roles: &'static [Role] = Box::leak(vec![role].into_boxed_slice());
            let who = Staff {
                username,
                display_name: "测试人员",
                roles,
                password: "Ceshi2026ab",
            };
            (role, signed_in(&f, &admin, &who))
        })
        .collect();
    let may = |p: FilePurpose| -> &'static [Role] {
        match p {
            FilePurpose::Sample | FilePurpose::IdentityProof | FilePurpose::SignedForm => &[Role::CounterClerk],
            FilePurpose::Receipt => &[Role::Finance],
            FilePurpose::LossStatement | FilePurpose::PowerOfAttorney => &[Role::CertificateDesk],
        }
    };
    for purpose in FilePurpose::ALL {
        for (role, s) in &people {
            let before = journal_count(&f);
            let got = f.store.add_file(s, &src, purpose);
            if may(purpose).contains(role) {
                let v = got.unwrap_or_else(|e| panic!("{purpose:?} by {role:?}: {e}"));
                assert_eq!(v.purpose, Some(purpose));
                assert_eq!(f.store.file(s, &v.id).unwrap().purpose, Some(purpose));
                assert_eq!(journal_count(&f), before + 1);
            } else {
                let e = got.unwrap_err();
                assert_eq!(e.kind(), ErrorKind::Permission, "{purpose:?} by {role:?}");
                assert!(
                    e.to_string().contains(&format!("“上传{}”", purpose.label())),
                    "{purpose:?} by {role:?}: {e}"
                );
                assert_eq!(journal_count(&f), before, "a refused file is not recorded");
            }
        }
    }
    // The session tells the screens what each person may attach.
    for (role, s) in &people {
        let view = f.store.session_view(s).unwrap();
        let want: Vec<FilePurpose> = FilePurpose::ALL
            .into_iter()
            .filter(|p| may(*p).contains(role))
            .collect();
        assert_eq!(view.attachable, want, "{role:?}");
    }
}
