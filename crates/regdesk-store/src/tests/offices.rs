//! The office tree (offices.rs): subordinate offices and their cases.

use regdesk_domain::office::SubordinateOfficeInput;
use regdesk_domain::queue::Queue;

use super::fixtures::*;
use crate::*;

#[test]
fn the_supervisor_sees_the_office_tree_with_counts_and_each_offices_cases() {
    let f = sample_office(6);
    let admin = sample_login(&f, "admin");
    let boss = sample_login(&f, "zhaomin");
    let clerk = sample_login(&f, "wangli");
    let add = |code: &str, name: &str, parent: &str| {
        f.store.add_subordinate_office(
            &admin,
            &SubordinateOfficeInput {
                code: code.into(),
                name: name.into(),
                parent_code: parent.into(),
            },
        )
    };
    add("ZJHZ", "杭州市版权局", "ZJ").unwrap();
    add("ZJNB", "宁波市版权局", "zj").unwrap();
    add("ZJHZXH", "杭州市西湖区文化和广电旅游体育局", "ZJHZ").unwrap();
    let e = add("ZJWZ", "温州市版权局", "XX").unwrap_err().to_api();
    assert_eq!(e.fields[0].field, "parent_code");
    assert_eq!(add("ZJHZ", "重复", "ZJ").unwrap_err().to_api().fields[0].code, "taken");
    assert_eq!(
        f.store
            .add_subordinate_office(
                &boss,
                &SubordinateOfficeInput {
                    code: "ZJJX".into(),
                    name: "嘉兴".into(),
                    parent_code: "ZJ".into()
                }
            )
            .unwrap_err()
            .kind(),
        ErrorKind::Permission
    );
    // Cases of a subordinate office arrive by sync; here one is marked so by hand.
    {
        let c = f.store.conn();
        c.execute(
            "UPDATE cases SET office_code = 'ZJHZ' WHERE id = (SELECT id FROM cases ORDER BY serial LIMIT 1)",
            [],
        )
        .unwrap();
    }
    let tree = f.store.office_tree(&boss).unwrap();
    let codes: Vec<(&str, u32)> = tree.iter().map(|n| (n.code.as_str(), n.depth)).collect();
    assert_eq!(codes, [("ZJ", 0), ("ZJHZ", 1), ("ZJHZXH", 2), ("ZJNB", 1)]);
    let total =
        |n: &OfficeNode| n.counts.counter + n.counts.payment + n.counts.review + n.counts.registered + n.counts.other;
    assert_eq!((total(&tree[0]), total(&tree[1]), total(&tree[3])), (5, 1, 0));
    assert!(tree[0].own && !tree[1].own);
    // The supervisor lists one office's cases; a clerk may not see the tree.
    let page = f
        .store
        .list_queue(
            &boss,
            &QueueInput {
                queue: Queue::Drafts,
                page: 1,
                page_size: 20,
                search: None,
                sort: None,
                office: Some("zjhz".into()),
                cursor: None,
            },
        )
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(f.store.office_tree(&clerk).unwrap_err().kind(), ErrorKind::Permission);
}
