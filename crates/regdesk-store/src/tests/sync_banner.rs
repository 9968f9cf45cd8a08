//! A case with an entry the central server rejected says so in its view
//! (the screen's banner linking to 需处理) until the entry is discarded.

use regdesk_sync::protocol::{Cell, EntryVerdict, RejectCode, Verdict};

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

#[test]
fn the_inbox_shows_a_rejected_filing_in_words_with_numbers_masked() {
    let (f, admin) = office();
    f.store.save_enrolment(&admin, &enrolment("受理窗口1")).unwrap();
    let clerk = signed_in(&f, &admin, &CLERK);
    let case = new_draft(&f, &clerk, corporate(&f, &clerk, false));
    let outbox = f.store.outbox(100).unwrap();
    let entry = outbox
        .iter()
        .find(|e| e.entity == "case" && e.entity_id == case.id)
        .unwrap();
    // The server holds the case under another title, changed later.
    let mut server = entry.effects.iter().find(|e| e.table == "cases").unwrap().clone();
    for c in server.after.as_mut().unwrap() {
        match (c.name.as_str(), &mut c.value) {
            ("title", Cell::Text(t)) => *t = "西湖十景之平湖秋月".into(),
            ("draft", Cell::Text(t)) => *t = t.replace("断桥残雪", "平湖秋月"),
            ("updated_at", Cell::Text(t)) => *t = "2027-01-01T00:00:00Z".into(),
            ("version", Cell::Int(v)) => *v += 1,
            _ => {}
        }
    }
    f.store
        .record_verdicts(&[EntryVerdict {
            id: entry.id,
            verdict: Verdict::Rejected {
                code: RejectCode::Conflict,
                reason: "案件已在别的工作站被修改：请核对后重做".into(),
                current: vec![server],
            },
        }])
        .unwrap();

    let item = f.store.sync_inbox(&clerk).unwrap().remove(0);
    let row = item.rows.iter().find(|r| r.table == "cases").unwrap();
    // Named by its serial, not its key.
    assert_eq!(row.record, case.serial);
    let shown: Vec<(&str, &str, Option<&str>, Option<&str>)> = row
        .fields
        .iter()
        .map(|f| {
            (
                f.column.as_str(),
                f.label.as_str(),
                f.theirs.as_deref(),
                f.server.as_deref(),
            )
        })
        .collect();
    // Only what differs in what people enter, in words: the bookkeeping
    // (version, change time) differs too but is not shown.
    assert_eq!(
        shown,
        vec![
            (
                "title",
                "作品名称",
                Some("西湖十景之断桥残雪"),
                Some("西湖十景之平湖秋月")
            ),
            (
                "draft.work.title",
                "填报内容 · 作品名称",
                Some("西湖十景之断桥残雪"),
                Some("西湖十景之平湖秋月")
            ),
        ]
    );
    // Another row the entry touched, with no server row: every field, none of
    // the bookkeeping, the writer's ID number masked.
    let all: Vec<&InboxFieldView> = item.rows.iter().flat_map(|r| r.fields.iter()).collect();
    for hidden in ["updated_at", "search_rowid", "version", "draft_format"] {
        assert!(all.iter().all(|f| f.column != hidden), "{hidden} shown");
    }
    let text = serde_json::to_string(&item.rows).unwrap() + &serde_json::to_string(&item.entered).unwrap();
    assert!(!text.contains("11010519491231002X"), "an ID number unmasked: {text}");
    let line = |label: &str| {
        item.entered
            .iter()
            .find(|l| l.label == label)
            .map(|l| l.value.clone())
            .unwrap_or_else(|| panic!("no {label} in {:?}", item.entered))
    };
    assert_eq!(line("填报内容 · 执笔者 · 证件号码"), "110105********002X");
    assert_eq!(line("填报内容 · 执笔者 · 证件类型"), "居民身份证");
    assert_eq!(line("填报内容 · 作品名称"), "西湖十景之断桥残雪");
    // An organisation's code is public: it stays whole.
    assert!(line("填报内容 · 著作权人 1 · 证件号码").starts_with("91330106MA2H0K7Q1"));
    assert_eq!(line("填报内容 · 邮寄地址"), "浙江省杭州市******");
    // 重做 still gets the values as entered.
    assert!(item.payload.to_string().contains("11010519491231002X"));
}
