//! Conflicts by field, not by row: stations working offline on one case, the
//! real `regdesk-server` with its private PostgreSQL deciding. Edits of
//! different fields both land and every station holds the same merged row;
//! the same field edited twice, two finance people confirming one transfer,
//! two reviewers deciding one case and a payment on a case another station
//! withdrew each end in one outcome on every station, the later party finding
//! the reason (in Chinese) in its 需处理 inbox.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use regdesk_domain::payment::TransferCommand;
use regdesk_domain::staff::Role;
use regdesk_store::{
    CheckTransferInput, NewStaffInput, ReviewDecision, ReviewDecisionInput, SaveDraftInput, TransfersInput,
    WithdrawInput,
};
use regdesk_sync::client::SyncClient;
use regdesk_testkit::station::Station;
use regdesk_testkit::{init_office, ServerProcess, PASSWORD};

/// Every station ends with the server's state hash.
fn converged(rt: &tokio::runtime::Runtime, stations: &[&Station]) {
    for _ in 0..2 {
        for s in stations {
            let out = rt.block_on(s.sync());
            assert_eq!(out.error, None, "{}: {out:?}", s.name);
        }
    }
    for s in stations {
        let client = SyncClient::new(&s.store.enrolment().unwrap().unwrap()).unwrap();
        let server = rt.block_on(client.state()).unwrap();
        assert_eq!(s.store.state_hash().unwrap(), server.state_hash, "{}", s.name);
    }
}

/// The reasons in a station's 需处理 inbox.
fn inbox(s: &mut Station) -> Vec<String> {
    let admin = s.session("admin");
    s.store
        .sync_inbox(&admin)
        .unwrap()
        .into_iter()
        .map(|i| i.reason)
        .collect()
}

#[test]
fn offline_edits_land_by_field_and_clashes_resolve_to_one_outcome_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let server_dir = root.join("server");
    init_office(&server_dir);
    let server = ServerProcess::start(&server_dir);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let url = server.url();
    let fp = server.fingerprint.clone();
    let mut a = rt.block_on(Station::join(root, "a", "受理窗口1", &server_dir, &url, &fp));
    regdesk_store::demo::fill(&a.store, 0).unwrap();
    // A third finance person, so two can check one transfer recorded by a first.
    let admin = a.session("admin");
    a.store
        .add_staff(
            &admin,
            &NewStaffInput {
                username: "zhouli".into(),
                display_name: "周丽".into(),
                roles: vec![Role::Finance],
                password: PASSWORD.into(),
            },
        )
        .unwrap();
    assert_eq!(rt.block_on(a.sync()).error, None);
    let mut b = rt.block_on(Station::join(root, "b", "受理窗口2", &server_dir, &url, &fp));

    // 1. Different fields of one filing, edited at two stations offline.
    let draft_case = {
        let clerk = a.session("wangli");
        let id = a.intake().unwrap();
        // A case still in 填报中: a fresh draft of the same filing.
        let shown = a.store.reveal_case(&clerk, &id).unwrap();
        let d = a
            .store
            .save_draft(
                &clerk,
                &SaveDraftInput {
                    case_id: None,
                    version: None,
                    applicant_id: shown.applicant_id.clone(),
                    draft: shown.draft.clone(),
                },
            )
            .unwrap();
        d.id
    };
    assert_eq!(rt.block_on(a.sync()).error, None);
    assert_eq!(rt.block_on(b.sync()).error, None);
    let edit = |s: &mut Station, f: &dyn Fn(&mut regdesk_domain::filing::FilingDraft)| {
        let clerk = s.session("wangli");
        let c = s.store.reveal_case(&clerk, &draft_case).unwrap();
        let mut draft = c.draft.clone();
        f(&mut draft);
        s.store
            .save_draft(
                &clerk,
                &SaveDraftInput {
                    case_id: Some(c.id.clone()),
                    version: Some(c.version),
                    applicant_id: c.applicant_id.clone(),
                    draft,
                },
            )
            .unwrap();
    };
    edit(&mut a, &|d| d.work.title = "断桥残雪·冬".into());
    edit(&mut b, &|d| d.description = "作品以西湖雪景为题材，构图简洁。".into());
    let ra = rt.block_on(a.sync());
    let rb = rt.block_on(b.sync());
    assert_eq!((ra.accepted, ra.rejected), (1, 0), "{ra:?}");
    assert_eq!((rb.accepted, rb.rejected), (1, 0), "both land: {rb:?}");
    converged(&rt, &[&a, &b]);
    for s in [&mut a, &mut b] {
        let c = s.case(&draft_case).unwrap();
        assert_eq!(c.draft.work.title, "断桥残雪·冬", "{}", s.name);
        assert_eq!(c.draft.description, "作品以西湖雪景为题材，构图简洁。", "{}", s.name);
    }
    assert!(inbox(&mut a).is_empty() && inbox(&mut b).is_empty());

    // 2. The same field at two stations: the later is refused with both values.
    edit(&mut a, &|d| d.work.title = "断桥残雪·甲".into());
    edit(&mut b, &|d| d.work.title = "断桥残雪·乙".into());
    let ra = rt.block_on(a.sync());
    let rb = rt.block_on(b.sync());
    assert_eq!((ra.accepted, ra.rejected), (1, 0), "{ra:?}");
    assert_eq!((rb.accepted, rb.rejected), (0, 1), "{rb:?}");
    converged(&rt, &[&a, &b]);
    let reasons = inbox(&mut b);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].contains("断桥残雪·乙") && reasons[0].contains("断桥残雪·甲"),
        "both values: {}",
        reasons[0]
    );
    // The inbox shows the field with both values, and nothing the person did not change.
    let admin_b = b.session("admin");
    let item = b.store.sync_inbox(&admin_b).unwrap().remove(0);
    let fields: Vec<_> = item.rows.iter().flat_map(|r| r.fields.iter()).collect();
    let title = fields.iter().find(|f| f.column == "draft.work.title").unwrap();
    assert_eq!(
        (title.theirs.as_deref(), title.server.as_deref()),
        (Some("断桥残雪·乙"), Some("断桥残雪·甲"))
    );
    assert!(
        fields
            .iter()
            .all(|f| f.column != "version" && !f.column.starts_with("draft.description")),
        "{fields:?}"
    );
    for s in [&mut a, &mut b] {
        assert_eq!(
            s.case(&draft_case).unwrap().draft.work.title,
            "断桥残雪·甲",
            "{}",
            s.name
        );
    }

    // 3. Two finance people check one transfer at two stations offline.
    let paid_case = a.intake().unwrap();
    let case = a.case(&paid_case).unwrap();
    a.pay(&case, "chenxy", None).unwrap();
    assert_eq!(rt.block_on(a.sync()).error, None);
    assert_eq!(rt.block_on(b.sync()).error, None);
    let serial = case.serial.clone();
    let check = |s: &mut Station, who: &str, command: TransferCommand| {
        let person = s.session(who);
        let t = s
            .store
            .transfers(&person, &TransfersInput { state: None })
            .unwrap()
            .into_iter()
            .find(|t| t.purpose.contains(&serial))
            .unwrap();
        s.store
            .check_transfer(
                &person,
                &CheckTransferInput {
                    id: t.id,
                    version: t.version,
                    command,
                },
            )
            .unwrap();
    };
    check(&mut a, "hejun", TransferCommand::Confirm);
    check(
        &mut b,
        "zhouli",
        TransferCommand::Reject {
            reason: "金额与银行流水不符".into(),
        },
    );
    let ra = rt.block_on(a.sync());
    let rb = rt.block_on(b.sync());
    assert_eq!((ra.accepted, ra.rejected), (1, 0), "{ra:?}");
    assert_eq!(rb.rejected, 1, "the later check is refused: {rb:?}");
    converged(&rt, &[&a, &b]);
    let reasons = inbox(&mut b);
    assert_eq!(reasons.len(), 2);
    // In the office's words: the transfer's state by its name, the checker by theirs.
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("转账记录") && r.contains("“已确认”") && r.contains("“何军”")),
        "{reasons:#?}"
    );
    for s in [&mut a, &mut b] {
        assert_eq!(
            s.case(&paid_case).unwrap().state,
            regdesk_domain::lifecycle::CaseState::AwaitingFirstReview,
            "{}",
            s.name
        );
    }

    // 4. Two reviewers decide one case at two stations offline.
    let liwen = a.session("liwen");
    let qian = b.session("qianfang");
    let c = a.case(&paid_case).unwrap();
    a.store
        .first_review(
            &liwen,
            &ReviewDecisionInput {
                case_id: c.id.clone(),
                version: c.version,
                decision: ReviewDecision::Pass,
            },
        )
        .unwrap();
    let c = b.case(&paid_case).unwrap();
    b.store
        .first_review(
            &qian,
            &ReviewDecisionInput {
                case_id: c.id.clone(),
                version: c.version,
                decision: ReviewDecision::ProposeRefusal {
                    ground: regdesk_domain::lifecycle::RefusalGround::NotAWork,
                    note: "不具独创性".into(),
                },
            },
        )
        .unwrap();
    // This time the second station reaches the server first.
    let rb = rt.block_on(b.sync());
    let ra = rt.block_on(a.sync());
    assert_eq!((rb.accepted, rb.rejected), (1, 0), "{rb:?}");
    assert_eq!((ra.accepted, ra.rejected), (0, 1), "{ra:?}");
    converged(&rt, &[&a, &b]);
    let reasons = inbox(&mut a);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].contains("办理状态"), "{}", reasons[0]);
    let state = a.case(&paid_case).unwrap().state;
    assert_eq!(state, b.case(&paid_case).unwrap().state);
    assert_ne!(state, regdesk_domain::lifecycle::CaseState::AwaitingFinalReview);

    // 5. A payment recorded on a case another station withdrew meanwhile.
    let gone = a.intake().unwrap();
    assert_eq!(rt.block_on(a.sync()).error, None);
    assert_eq!(rt.block_on(b.sync()).error, None);
    let clerk = a.session("wangli");
    let c = a.case(&gone).unwrap();
    a.store
        .withdraw(
            &clerk,
            &WithdrawInput {
                case_id: c.id.clone(),
                version: c.version,
                reason: "申请人书面申请撤回".into(),
            },
        )
        .unwrap();
    let c = b.case(&gone).unwrap();
    b.pay(&c, "chenxy", Some("hejun")).unwrap();
    let ra = rt.block_on(a.sync());
    let rb = rt.block_on(b.sync());
    assert_eq!((ra.accepted, ra.rejected), (1, 0), "{ra:?}");
    assert!(rb.rejected >= 1, "the payment on a withdrawn case is refused: {rb:?}");
    converged(&rt, &[&a, &b]);
    let reasons = inbox(&mut b);
    println!("需处理 at {}: {reasons:#?}", b.name);
    assert!(reasons.len() >= 3, "{reasons:?}");
    for s in [&mut a, &mut b] {
        assert_eq!(
            s.case(&gone).unwrap().state,
            regdesk_domain::lifecycle::CaseState::Withdrawn,
            "{}",
            s.name
        );
    }
    drop(rt);
    server.stop();
}
