//! Identity proofs on applicant profiles (proofs.rs).

use chrono::Duration;
use regdesk_domain::applicant::ProofKind;

use super::fixtures::*;
use crate::*;

#[test]
fn proofs_are_scans_checked_by_a_named_clerk_and_removal_is_recorded() {
    let f = sample_office(1);
    let admin = sample_login(&f, "admin");
    let clerk = sample_login(&f, "wangli");
    let applicant = f
        .store
        .find_applicants(
            &clerk,
            &FindApplicantsInput {
                query: "湖光影像".into(),
                limit: 1,
            },
        )
        .unwrap()
        .remove(0);
    let scan = f.dir.path().join("营业执照.pdf");
    std::fs::write(&scan, b"%PDF-1.4 licence scan").unwrap();
    let video = f.dir.path().join("录像.mp4");
    std::fs::write(&video, b"not a scan").unwrap();
    let scan = f.store.add_file(&clerk, &scan).unwrap();
    let video = f.store.add_file(&clerk, &video).unwrap();
    let input = |file_id: &str| AddProofInput {
        applicant_id: applicant.id.clone(),
        file_id: file_id.into(),
        kind: ProofKind::Licence,
    };
    let e = f
        .store
        .add_identity_proof(&clerk, &input(&video.id))
        .unwrap_err()
        .to_api();
    assert_eq!(e.fields[0].code, "not_a_scan");
    // Only the counter keeps profiles.
    assert_eq!(
        f.store.add_identity_proof(&admin, &input(&scan.id)).unwrap_err().kind(),
        ErrorKind::Permission
    );
    let before = journal_count(&f);
    let p = f.store.add_identity_proof(&clerk, &input(&scan.id)).unwrap();
    assert_eq!(journal_count(&f), before + 1);
    assert_eq!(
        (p.kind_label.as_str(), p.file_name.as_str()),
        ("营业执照或信用代码证书", "营业执照.pdf")
    );
    assert_eq!(p.checked_by_name, None);
    f.clock.advance(Duration::minutes(3));
    let checked = f.store.check_identity_proof(&clerk, &p.id).unwrap();
    assert_eq!(checked.checked_by_name.as_deref(), Some("王丽"));
    assert_eq!(checked.checked_at, Some(f.clock.now()));
    let again = f.store.check_identity_proof(&clerk, &p.id).unwrap_err().to_api();
    assert!(again.message.contains("王丽"), "{}", again.message);
    assert_eq!(f.store.identity_proofs(&clerk, &applicant.id).unwrap(), vec![checked]);
    f.store.remove_identity_proof(&clerk, &p.id).unwrap();
    assert!(f.store.identity_proofs(&clerk, &applicant.id).unwrap().is_empty());
    let c = raw_db(f.store.path()).unwrap();
    let removed: Option<String> = c
        .query_row("SELECT removed_at FROM applicant_proofs WHERE id = ?1", [&p.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(removed.is_some());
    assert!(f.store.verify_audit().unwrap().ok);
}
