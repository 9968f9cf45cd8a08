//! A case with an entry the central server rejected says so in its view
//! (the screen's banner linking to 需处理) until the entry is discarded.

use regdesk_sync::protocol::{EntryVerdict, RejectCode, Verdict};

use super::fixtures::*;
use crate::*;

#[test]
fn a_case_with_a_rejected_entry_says_so_until_it_is_discarded() {
    let (f, admin) = office();
    f.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let clerk = signed_in(&f, &admin, &CLERK);
    let draft = corporate(&f, &clerk, false);
    let case = new_draft(&f, &clerk, draft);
    let other = new_draft(&f, &clerk, corporate(&f, &clerk, false));
    assert_eq!(case.sync_inbox, 0);
    assert_eq!(f.store.case_detail(&clerk, &case.id).unwrap().sync_inbox, 0);

    let outbox = f.store.outbox(100).unwrap();
    let entry = outbox
        .iter()
        .find(|e| e.entity == "case" && e.entity_id == case.id)
        .unwrap();
    f.store
        .record_verdicts(&[EntryVerdict {
            id: entry.id,
            verdict: Verdict::Rejected {
                code: RejectCode::Conflict,
                reason: "案件已在别的工作站被修改：请核对后重做".into(),
                current: Vec::new(),
            },
        }])
        .unwrap();

    assert_eq!(f.store.case_detail(&clerk, &case.id).unwrap().sync_inbox, 1);
    assert_eq!(f.store.case_detail(&clerk, &case.serial).unwrap().sync_inbox, 1);
    assert_eq!(f.store.reveal_case(&clerk, &case.id).unwrap().sync_inbox, 1);
    assert_eq!(f.store.case_detail(&clerk, &other.id).unwrap().sync_inbox, 0);

    f.store
        .discard_inbox_item(
            &clerk,
            &DiscardInboxInput {
                entry_id: entry.id.to_string(),
                confirm: true,
            },
        )
        .unwrap();
    assert_eq!(f.store.case_detail(&clerk, &case.id).unwrap().sync_inbox, 0);
}
