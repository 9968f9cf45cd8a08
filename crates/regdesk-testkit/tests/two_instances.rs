//! Past one machine: two `regdesk-server` processes over one PostgreSQL
//! (the second with `--database-url`, the first's certificate and key, and
//! the first's blob directory), stations enrolled to either. Desk work at
//! both, a clash made offline, and an approval numbered by one instance for
//! a case filed through the other: every station and both instances end with
//! one state hash, and an attachment uploaded through one instance is whole
//! at the other.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use regdesk_store::{FinalDecision, FinalDecisionInput, ReviewDecision, ReviewDecisionInput};
use regdesk_sync::client::SyncClient;
use regdesk_testkit::station::Station;
use regdesk_testkit::{cluster, init_office, server_cli, ServerProcess};

#[test]
fn two_instances_over_one_database_serve_one_record() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let a_dir = root.join("instance-a");
    init_office(&a_dir);
    let a = ServerProcess::start(&a_dir);

    // The second instance: the first's database (here the first's embedded
    // cluster, by its socket), certificate and key, and blob directory.
    let b_dir = root.join("instance-b");
    std::fs::create_dir_all(&b_dir).unwrap();
    std::os::unix::fs::symlink(a_dir.join("blobs"), b_dir.join("blobs")).unwrap();
    let url = cluster(&a_dir).url();
    let cert = a_dir.join("tls/server.pem");
    let key = a_dir.join("tls/server.key");
    let shared = [
        "--database-url",
        url.as_str(),
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ];
    let b = ServerProcess::start_with(&b_dir, &shared);
    assert_eq!(a.fingerprint, b.fingerprint, "one office CA");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // Station codes from either instance's admin command.
    let mut counter = rt.block_on(Station::join(
        root,
        "counter",
        "受理窗口1",
        &a_dir,
        &a.url(),
        &a.fingerprint,
    ));
    regdesk_store::demo::fill(&counter.store, 0).unwrap();
    assert_eq!(rt.block_on(counter.sync()).error, None);
    let out = server_cli(&b_dir, &[&shared[..2], &["station", "list", "--json"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("受理窗口1"));
    let mut review = rt.block_on(join_b(root, &b_dir, &shared, &b));
    let mut finance = rt.block_on(Station::join(
        root,
        "finance",
        "核款窗口1",
        &a_dir,
        &b.url(),
        &b.fingerprint,
    ));

    // Intake at A's station; paid at a station of B; the review at B.
    let case_id = counter.intake().unwrap();
    let second = counter.intake().unwrap();
    assert_eq!(rt.block_on(counter.sync()).error, None);
    assert_eq!(rt.block_on(finance.sync()).error, None);
    for id in [&case_id, &second] {
        let case = finance.case(id).unwrap();
        finance.pay(&case, "chenxy", Some("hejun")).unwrap();
    }
    assert_eq!(rt.block_on(finance.sync()).error, None);
    assert_eq!(rt.block_on(review.sync()).error, None);
    let liwen = review.session("liwen");
    let case = review.case(&case_id).unwrap();
    review
        .store
        .first_review(
            &liwen,
            &ReviewDecisionInput {
                case_id: case.id.clone(),
                version: case.version,
                decision: ReviewDecision::Pass,
            },
        )
        .unwrap();
    // A clash made offline: the second case passed at B's station and at A's.
    let c2 = review.case(&second).unwrap();
    review
        .store
        .first_review(
            &liwen,
            &ReviewDecisionInput {
                case_id: c2.id.clone(),
                version: c2.version,
                decision: ReviewDecision::Pass,
            },
        )
        .unwrap();
    assert_eq!(rt.block_on(counter.sync()).error, None);
    let qian = counter.session("qianfang");
    let c2a = counter.case(&second).unwrap();
    counter
        .store
        .first_review(
            &qian,
            &ReviewDecisionInput {
                case_id: c2a.id.clone(),
                version: c2a.version,
                decision: ReviewDecision::ProposeRefusal {
                    ground: regdesk_domain::lifecycle::RefusalGround::NotAWork,
                    note: "不具独创性".into(),
                },
            },
        )
        .unwrap();
    let b_round = rt.block_on(review.sync());
    assert_eq!((b_round.accepted, b_round.rejected), (2, 0), "{b_round:?}");
    let a_round = rt.block_on(counter.sync());
    assert_eq!(a_round.rejected, 1, "the later decision is refused: {a_round:?}");
    let admin = counter.session("admin");
    assert_eq!(counter.store.sync_inbox(&admin).unwrap().len(), 1);

    // Approved online at A's station: instance A numbers it.
    let zhang = counter.session("zhangwei");
    let c = counter.case(&case_id).unwrap();
    counter
        .store
        .final_review(
            &zhang,
            &FinalDecisionInput {
                case_id: c.id.clone(),
                version: c.version,
                decision: FinalDecision::Approve,
            },
        )
        .unwrap();
    assert_eq!(rt.block_on(counter.sync()).error, None);
    for s in [&finance, &review, &counter] {
        assert_eq!(rt.block_on(s.sync()).error, None);
    }
    let number = review.case(&case_id).unwrap().registration_number;
    assert!(
        number.as_deref().is_some_and(|n| n.starts_with("浙作登字-")),
        "{number:?}"
    );
    assert_eq!(counter.case(&case_id).unwrap().registration_number, number);

    // One record: both instances and every station.
    let states: Vec<_> = [&counter, &finance, &review]
        .iter()
        .map(|s| {
            let client = SyncClient::new(&s.store.enrolment().unwrap().unwrap()).unwrap();
            let theirs = rt.block_on(client.state()).unwrap();
            assert_eq!(s.store.state_hash().unwrap(), theirs.state_hash, "{}", s.name);
            (theirs.state_hash, theirs.cursor)
        })
        .collect();
    assert!(states.windows(2).all(|w| w[0] == w[1]), "{states:?}");

    // The counter's attachments went up through A; B holds them whole.
    let via_b = SyncClient::new(&review.store.enrolment().unwrap().unwrap()).unwrap();
    let shas: Vec<String> = counter
        .store
        .journal_entries()
        .unwrap()
        .into_iter()
        .flat_map(|e| e.blobs)
        .collect();
    assert!(!shas.is_empty());
    for sha in shas {
        assert!(
            rt.block_on(via_b.blob_head(&sha)).unwrap().complete,
            "{sha} missing at B"
        );
    }
    drop(rt);
    b.stop();
    a.stop();
}

/// A station enrolled through instance B with a code made by B's admin command.
async fn join_b(root: &std::path::Path, b_dir: &std::path::Path, shared: &[&str], b: &ServerProcess) -> Station {
    // `Station::join` makes its code with the data directory alone; B needs its database.
    let out = server_cli(
        b_dir,
        &[&shared[..2], &["station", "add", "--name", "审查室1", "--json"]].concat(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Station::join_with_code(root, "review", v["code"].as_str().unwrap(), &b.url(), &b.fingerprint).await
}
