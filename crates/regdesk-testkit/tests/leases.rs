//! Leased registration numbers between two real stations and a real server.
//! Both final-review stations lease numbers of one prefix/year/letter, approve
//! offline and come back: every number is given once. One offline approval
//! is refused by the server alone (its first reviewer, decided at the other
//! station, is the same person): its number is voided with the server's
//! reason, its e-certificate withdrawn and the reviewer finds it in 需处理.
//! Revoking a station returns its unused numbers, the next lease takes them
//! first, and `regdesk-server numbers audit` balances throughout.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use regdesk_domain::lifecycle::CaseState;
use regdesk_store::{
    FinalDecision, FinalDecisionInput, NumberLeaseSettingsInput, ReviewDecision, ReviewDecisionInput,
    VerificationUrlInput,
};
use regdesk_testkit::station::Station;
use regdesk_testkit::{init_office, server_cli, ServerProcess};

/// `numbers audit --json` of the server in `dir`.
fn audit(dir: &Path) -> serde_json::Value {
    let out = server_cli(dir, &["numbers", "audit", "--json"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("numbers audit: {e}\n{text}\n{}", String::from_utf8_lossy(&out.stderr)))
}

fn balanced(dir: &Path) -> serde_json::Value {
    let a = audit(dir);
    assert_eq!(a["balanced"], true, "{a:#}");
    for line in a["series"].as_array().unwrap() {
        let n = |k: &str| line[k].as_u64().unwrap();
        assert_eq!(
            n("issued"),
            n("used") + n("voided") + n("returned") + n("outstanding"),
            "{line:#}"
        );
    }
    a
}

fn first_review(s: &mut Station, who: &str, case: &str) {
    let c = s.case(case).unwrap();
    let session = s.session(who);
    s.store
        .first_review(
            &session,
            &ReviewDecisionInput {
                case_id: c.id.clone(),
                version: c.version,
                decision: ReviewDecision::Pass,
            },
        )
        .unwrap_or_else(|e| panic!("{}: first review of {case} by {who}: {e}", s.name));
}

/// Approves `case` at `s` as `who`; its registration number.
fn approve(s: &mut Station, who: &str, case: &str) -> String {
    let c = s.case(case).unwrap();
    let session = s.session(who);
    let done = s
        .store
        .final_review(
            &session,
            &FinalDecisionInput {
                case_id: c.id.clone(),
                version: c.version,
                decision: FinalDecision::Approve,
            },
        )
        .unwrap_or_else(|e| panic!("{}: approval of {case} by {who}: {e}", s.name));
    assert_eq!(done.state, CaseState::Registered);
    done.registration_number
        .unwrap_or_else(|| panic!("{}: {case} approved with a leased number", s.name))
}

/// A filing taken, paid and checked at `s`: it waits for its first review.
fn paid_case(s: &mut Station) -> String {
    let id = s.intake().unwrap();
    let c = s.case(&id).unwrap();
    s.pay(&c, "chenxy", Some("hejun")).unwrap();
    assert_eq!(s.case(&id).unwrap().state, CaseState::AwaitingFirstReview);
    id
}

fn synced(s: &Station, rt: &tokio::runtime::Runtime) {
    let out = rt.block_on(s.sync());
    assert_eq!(out.error, None, "{}: {out:?}", s.name);
    assert_eq!(out.rejected, 0, "{}: {out:?}", s.name);
}

#[test]
fn two_stations_approve_offline_with_leased_numbers_and_every_number_is_accounted_for() {
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
    let mut a = rt.block_on(Station::join(
        root,
        "a",
        "审查室1",
        &srv,
        &server.url(),
        &server.fingerprint,
    ));
    regdesk_store::demo::fill(&a.store, 0).unwrap();
    // Small leases, so that refills and returned numbers come into play.
    let admin = a.session("admin");
    let version = a.store.settings(&admin).unwrap().version;
    a.store
        .set_number_leases(
            &admin,
            &NumberLeaseSettingsInput {
                version,
                lease_size: 3,
                refill_at: 1,
            },
        )
        .unwrap();
    // The e-certificates carry the office's verification address.
    let version = a.store.certificate_settings(&admin).unwrap().version;
    a.store
        .update_verification_url(
            &admin,
            &VerificationUrlInput {
                verification_url: "https://zj.example.cn/verify".into(),
                version,
            },
        )
        .unwrap();
    synced(&a, &rt);
    let mut b = rt.block_on(Station::join(
        root,
        "b",
        "审查室2",
        &srv,
        &server.url(),
        &server.fingerprint,
    ));

    // Six filings reach first review at A; five pass it (liwen); both stations take them.
    let cases: Vec<String> = (0..6).map(|_| paid_case(&mut a)).collect();
    for c in &cases[..5] {
        first_review(&mut a, "liwen", c);
    }
    synced(&a, &rt);
    // With cases waiting for final review, each station leases numbers of their series.
    for _ in 0..2 {
        synced(&b, &rt);
        synced(&a, &rt);
    }
    let held = audit(&srv);
    let holders: BTreeSet<&str> = held["leases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["station_name"].as_str().unwrap())
        .collect();
    assert_eq!(holders, BTreeSet::from(["审查室1", "审查室2"]), "{held:#}");
    balanced(&srv);

    // Offline: A approves two, B one; and the last case is first-reviewed at
    // both — by 钱芳 at A, by 李雯 at B, where 钱芳 then approves it.
    let mut numbers = vec![
        approve(&mut a, "zhangwei", &cases[0]),
        approve(&mut a, "zhangwei", &cases[1]),
        approve(&mut b, "zhangwei", &cases[2]),
    ];
    let clash = cases[5].clone();
    first_review(&mut a, "qianfang", &clash);
    first_review(&mut b, "liwen", &clash);
    let refused_number = approve(&mut b, "qianfang", &clash);
    numbers.push(refused_number.clone());
    let unique: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), numbers.len(), "leased numbers given twice: {numbers:?}");
    // The e-certificate of the offline approval exists at B for now.
    let desk = b.session("liuyang");
    b.store.certificate_pdf(&desk, &refused_number).unwrap();

    // Back online: A first, then B.
    synced(&a, &rt);
    let out = rt.block_on(b.sync());
    assert_eq!(out.error, None, "{out:?}");
    assert!(out.rejected >= 1, "{out:?}");
    let qian = b.session("qianfang");
    let inbox = b.store.sync_inbox(&qian).unwrap();
    let item = inbox
        .iter()
        .find(|i| i.command == "final_review" && i.case_id.as_deref() == Some(clash.as_str()))
        .unwrap_or_else(|| panic!("the refused approval waits in 需处理: {inbox:#?}"));
    assert_eq!(item.staff_name.as_deref(), Some("钱芳"), "{item:#?}");
    assert_eq!(item.code, "four_eyes", "{}", item.reason);
    assert!(item.reason.contains("钱芳"), "{}", item.reason);
    // Its number is void with the server's reason, and no certificate is made of it.
    let withdrawn = b.store.certificate_pdf(&desk, &refused_number).unwrap_err();
    assert!(
        !withdrawn.to_string().contains("查验地址"),
        "withdrawn for the refusal: {withdrawn}"
    );
    let at_b = b.case(&clash).unwrap();
    assert_ne!(at_b.state, CaseState::Registered);
    assert_ne!(at_b.registration_number.as_deref(), Some(refused_number.as_str()));
    for s in [&a, &b] {
        synced(s, &rt);
    }
    let after = balanced(&srv);
    let voided: u64 = after["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["voided"].as_u64().unwrap())
        .sum();
    assert_eq!(voided, 1, "{after:#}");
    // Every station holds the same numbers for the approved cases.
    for (case, number) in cases[..3].iter().zip(&numbers) {
        for s in [&mut a, &mut b] {
            assert_eq!(
                s.case(case).unwrap().registration_number.as_deref(),
                Some(number.as_str()),
                "{}",
                s.name
            );
        }
    }

    // B is revoked: its unused numbers go back, and the next lease takes them first.
    let out = server_cli(&srv, &["station", "revoke", "审查室2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let revoked = balanced(&srv);
    let returned: u64 = revoked["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["returned"].as_u64().unwrap())
        .sum();
    assert!(returned >= 1, "B's unused numbers returned: {revoked:#}");
    let totals = |audit: &serde_json::Value, k: &str| -> u64 {
        audit["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l[k].as_u64().unwrap())
            .sum()
    };
    let issued_before = totals(&revoked, "issued");
    // A approves the rest; when its lease runs low it is topped up with the
    // returned numbers first, lowest first: the series stays dense.
    synced(&a, &rt);
    numbers.push(approve(&mut a, "zhangwei", &cases[3]));
    synced(&a, &rt);
    numbers.push(approve(&mut a, "zhangwei", &cases[4]));
    synced(&a, &rt);
    let end = balanced(&srv);
    assert_eq!(totals(&end, "used"), 5, "{end:#}");
    assert_eq!(totals(&end, "voided"), 1, "{end:#}");
    assert!(
        totals(&end, "returned") < returned,
        "the top-up took returned numbers: {end:#}"
    );
    assert!(
        totals(&end, "returned") == 0 || totals(&end, "issued") == issued_before,
        "no new number while returned ones wait: {end:#}"
    );
    let unique: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), numbers.len(), "numbers given twice: {numbers:?}");
    for (case, number) in cases[3..5].iter().zip(&numbers[4..]) {
        assert_eq!(
            a.case(case).unwrap().registration_number.as_deref(),
            Some(number.as_str())
        );
    }
    server.stop();
}
