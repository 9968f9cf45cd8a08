//! Stored files (files.rs): content-addressed, deduplicated, verified on reading.

use super::fixtures::*;

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
    std::fs::write(&p, b"tampered").unwrap();
    let e = f.store.verified_file_path(&c, &b.id).unwrap_err();
    assert!(e.to_string().contains("内容与登记时不一致"), "{e}");
    // A missing source names the field.
    let e = f
        .store
        .add_file(&c, &f.dir.path().join("nope.jpg"))
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].field, "path");
}
