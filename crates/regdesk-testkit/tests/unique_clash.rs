//! One person walks into two offices that are both offline: each station
//! makes an applicant with the same ID number and files a work for them. The
//! server keeps the first station's applicant and refuses the later one's as
//! a clash (naming the ID number and the applicant it already holds), with
//! the filing that named it; the later station finds both in its 需处理
//! inbox, shows the server's applicant, and both stations go on pushing and
//! pulling with one state hash.
//!
//! When the refusal of the applicant comes back before the filing built on
//! it was pushed (a push cut short, one entry at a time here), the filing
//! is taken away with the applicant at once and its entries come back
//! refused later: recording the verdicts never stops on the waiting work.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use regdesk_store::FindApplicantsInput;
use regdesk_sync::client::SyncClient;
use regdesk_testkit::station::{walk_in_id, Station};
use regdesk_testkit::{init_office, ServerProcess};

/// A server with the sample office's people, its first station A (synced)
/// and a second station B that joined after.
struct Office {
    _tmp: tempfile::TempDir,
    server: ServerProcess,
    rt: tokio::runtime::Runtime,
    a: Station,
    b: Station,
}

impl Office {
    fn start() -> Office {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let srv = root.join("server");
        init_office(&srv);
        let server = ServerProcess::start(&srv);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let join = |name: &str, desk: &str| {
            rt.block_on(Station::join(
                root,
                name,
                desk,
                &srv,
                &server.url(),
                &server.fingerprint,
            ))
        };
        let a = join("a", "受理窗口1");
        regdesk_store::demo::fill(&a.store, 0).unwrap();
        assert_eq!(rt.block_on(a.sync()).error, None);
        let b = join("b", "受理窗口2");
        Office {
            _tmp: tmp,
            server,
            rt,
            a,
            b,
        }
    }
}

#[test]
fn one_id_number_made_an_applicant_at_two_offline_stations_is_kept_once() {
    let Office {
        _tmp,
        server,
        rt,
        mut a,
        mut b,
    } = Office::start();

    // Both offline: the same person made an applicant at each, and a filing at B names them.
    let theirs = a.walk_in(7).unwrap();
    let ours = b.walk_in(7).unwrap();
    assert_ne!(theirs, ours);
    let filing = b.intake().unwrap();

    // A syncs first and keeps the applicant.
    let out = rt.block_on(a.sync());
    assert_eq!(out.error, None, "{out:?}");
    assert_eq!(out.rejected, 0, "{out:?}");

    // B's applicant is a clash; its filing names an applicant the server refused.
    let out = rt.block_on(b.sync());
    assert_eq!(out.error, None, "{out:?}");
    assert!(out.rejected >= 2, "{out:?}");
    let admin = b.session("admin");
    let inbox = b.store.sync_inbox(&admin).unwrap();
    let clash = inbox
        .iter()
        .find(|i| i.command == "create_applicant")
        .unwrap_or_else(|| panic!("the clash is in the inbox: {inbox:#?}"));
    assert_eq!(clash.code, "conflict");
    assert!(clash.reason.contains("证件号码"), "{}", clash.reason);
    assert!(clash.reason.contains(&walk_in_id(7)), "{}", clash.reason);
    assert!(
        clash.reason.contains("周到7"),
        "names the applicant the server holds: {}",
        clash.reason
    );
    assert!(
        clash.rows.iter().any(|r| r.server_missing),
        "B's own applicant is not the server's: {:#?}",
        clash.rows
    );
    let draft = inbox
        .iter()
        .find(|i| i.command == "save_draft" || i.command == "create_draft")
        .unwrap_or_else(|| panic!("the filing naming the refused applicant is in the inbox: {inbox:#?}"));
    assert!(draft.reason.contains("申请人"), "{}", draft.reason);
    // B now shows the server's applicant for that ID number, and not its filing.
    let clerk = b.session("wangli");
    let found = b
        .store
        .find_applicants(
            &clerk,
            &FindApplicantsInput {
                query: walk_in_id(7),
                limit: 10,
            },
        )
        .unwrap();
    assert_eq!(
        found.iter().map(|f| f.id.clone()).collect::<Vec<_>>(),
        vec![theirs.clone()]
    );
    assert!(b.case(&filing).is_none(), "the refused filing is not the server's");

    // Both stations go on: new work at each is pushed and pulled by the other.
    let at_a = a.intake().unwrap();
    let at_b = b.intake().unwrap();
    for _ in 0..2 {
        for s in [&a, &b] {
            let out = rt.block_on(s.sync());
            assert_eq!(out.error, None, "{}: {out:?}", s.name);
            assert_eq!(out.rejected, 0, "{}: {out:?}", s.name);
        }
    }
    assert!(a.case(&at_b).is_some());
    assert!(b.case(&at_a).is_some());
    for s in [&a, &b] {
        let enrolment = s.store.enrolment().unwrap().unwrap();
        let state = rt.block_on(SyncClient::new(&enrolment).unwrap().state()).unwrap();
        assert_eq!(s.store.state_hash().unwrap(), state.state_hash, "{}", s.name);
        assert_eq!(s.store.outbox_len().unwrap(), 0, "{}", s.name);
    }
    server.stop();
}

#[test]
fn a_refused_applicant_takes_the_filing_still_waiting_on_it_away() {
    let Office {
        _tmp,
        server,
        rt,
        mut a,
        mut b,
    } = Office::start();
    a.walk_in(9).unwrap();
    b.walk_in(9).unwrap();
    let filing = b.intake().unwrap();
    assert_eq!(rt.block_on(a.sync()).error, None);

    // B pushes one entry at a time and records each verdict.
    let client = SyncClient::new(&b.store.enrolment().unwrap().unwrap()).unwrap();
    let mut refused = Vec::new();
    loop {
        let entries = b.store.outbox(1).unwrap();
        let Some(entry) = entries.first() else {
            break;
        };
        for sha in &entry.blobs {
            rt.block_on(regdesk_sync::run::upload_blob(&b.store, &client, sha))
                .unwrap();
        }
        let reply = rt.block_on(client.push(&entries)).unwrap();
        b.store
            .record_verdicts(&reply.verdicts)
            .unwrap_or_else(|e| panic!("verdicts of {} ({}) recorded: {e}", entry.command, entry.id));
        if matches!(
            reply.verdicts[0].verdict,
            regdesk_sync::protocol::Verdict::Rejected { .. }
        ) {
            refused.push(entry.command.clone());
        }
        if refused.len() == 1 {
            // The applicant was refused: the filing built on it is gone from B at once.
            assert!(b.case(&filing).is_none(), "the filing left with its applicant");
        }
    }
    assert_eq!(
        refused.first().map(String::as_str),
        Some("create_applicant"),
        "{refused:?}"
    );
    assert!(
        refused.len() >= 2,
        "the filing's entries came back refused: {refused:?}"
    );
    let admin = b.session("admin");
    let inbox = b.store.sync_inbox(&admin).unwrap();
    assert_eq!(
        inbox.len(),
        refused.len(),
        "every refused entry is in 需处理: {inbox:#?}"
    );
    assert!(inbox
        .iter()
        .any(|i| i.command == "save_draft" || i.command == "create_draft"));

    // Both stations converge and go on.
    for s in [&a, &b] {
        let out = rt.block_on(s.sync());
        assert_eq!(out.error, None, "{}: {out:?}", s.name);
    }
    let at_b = b.intake().unwrap();
    for s in [&b, &a] {
        let out = rt.block_on(s.sync());
        assert_eq!(out.error, None, "{}: {out:?}", s.name);
        assert_eq!(out.rejected, 0, "{}: {out:?}", s.name);
    }
    assert!(a.case(&at_b).is_some());
    for s in [&a, &b] {
        let enrolment = s.store.enrolment().unwrap().unwrap();
        let state = rt.block_on(SyncClient::new(&enrolment).unwrap().state()).unwrap();
        assert_eq!(s.store.state_hash().unwrap(), state.state_hash, "{}", s.name);
        assert_eq!(s.store.outbox_len().unwrap(), 0, "{}", s.name);
    }
    server.stop();
}
