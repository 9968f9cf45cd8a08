//! Stored and journaled payloads (存储格式): the JSON shapes of the filing
//! draft, the case facts and journal payloads carry a format number, and
//! whatever an older program wrote is read through an upgrade chain that
//! takes its JSON, one format at a time, to today's shape.
//!
//! The drafts and facts are kept as JSON in the database, copied into journal
//! entries that sync ships to stations running other versions, and sent to
//! the screens. Renaming or reshaping a field is therefore a new format: bump
//! the constant and append a step that turns the previous format's JSON into
//! the new one. A format newer than this program knows is refused, never
//! guessed at. Adding a field that an older program may drop when it saves
//! the payload again (unknown fields are ignored on reading) is harmless only
//! if losing it is; otherwise it is a new format too. The JSON paths the store
//! queries in SQL (`$.correction`, `refund_owed_fen`) are part of the shape.
//!
//! Pure: JSON in, typed values out, no I/O.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::filing::FilingDraft;
use crate::lifecycle::CaseFacts;

/// The format of [`FilingDraft`] JSON this program writes.
pub const DRAFT_FORMAT: i64 = 1;
/// The format of [`CaseFacts`] JSON this program writes.
pub const FACTS_FORMAT: i64 = 1;
/// The format of journal entries this program writes. Format 2: the
/// payload's shape is format 1's, and the entry's row effects name each field
/// the command changed with its value before (`regdesk_sync::fields`), so the
/// server merges edits of different fields of one row; entries of format 1
/// carry whole rows only and a row changed meanwhile is a conflict.
pub const JOURNAL_FORMAT: i64 = 2;

/// One link of an upgrade chain: a payload in format `n` to the same payload in format `n + 1`.
pub type Step = fn(Value) -> Value;

/// `DRAFT_STEPS[n - 1]` takes draft format `n` to `n + 1`. Format 1 is the first: none yet.
const DRAFT_STEPS: &[Step] = &[];
/// `FACTS_STEPS[n - 1]` takes facts format `n` to `n + 1`.
const FACTS_STEPS: &[Step] = &[];
/// `JOURNAL_STEPS[n - 1]` takes journal payload format `n` to `n + 1`.
/// 1 → 2: the payload is the same; only the entry's effects gained their fields.
const JOURNAL_STEPS: &[Step] = &[same_payload];

fn same_payload(v: Value) -> Value {
    v
}

// Each chain ends at the format this program writes.
const _: () = assert!(DRAFT_STEPS.len() as i64 + 1 == DRAFT_FORMAT);
const _: () = assert!(FACTS_STEPS.len() as i64 + 1 == FACTS_FORMAT);
const _: () = assert!(JOURNAL_STEPS.len() as i64 + 1 == JOURNAL_FORMAT);

/// Which stored payload (存储内容).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// 填报内容（[`FilingDraft`]）
    Draft,
    /// 案件办理记录（[`CaseFacts`]）
    Facts,
    /// 日志条目内容
    Journal,
}

impl Payload {
    pub fn label(self) -> &'static str {
        match self {
            Payload::Draft => "案件填报内容",
            Payload::Facts => "案件办理记录",
            Payload::Journal => "日志条目内容",
        }
    }

    /// The format this program writes.
    pub fn current(self) -> i64 {
        match self {
            Payload::Draft => DRAFT_FORMAT,
            Payload::Facts => FACTS_FORMAT,
            Payload::Journal => JOURNAL_FORMAT,
        }
    }

    fn steps(self) -> &'static [Step] {
        match self {
            Payload::Draft => DRAFT_STEPS,
            Payload::Facts => FACTS_STEPS,
            Payload::Journal => JOURNAL_STEPS,
        }
    }
}

/// A payload that cannot be read as today's shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// Written by a newer program: refused, never misread.
    #[error(
        "{}（格式 {found}）由较新版本写入，本程序只能读到格式 {known}。请升级本程序后再打开，切勿用旧版本修改这些数据。",
        .payload.label()
    )]
    TooNew { payload: Payload, found: i64, known: i64 },
    /// A format number no program writes (below 1).
    #[error("数据已损坏：{}的格式编号 {found} 无效（最早的格式是 1）", .payload.label())]
    Invalid { payload: Payload, found: i64 },
    /// The JSON does not fit the shape its format names.
    #[error("数据已损坏：{}无法读取：{message}", .payload.label())]
    Malformed { payload: Payload, message: String },
}

/// Takes `value`, written in `format`, through `steps` to the chain's last format.
fn lift(payload: Payload, steps: &[Step], format: i64, value: Value) -> Result<Value, FormatError> {
    let known = i64::try_from(steps.len()).unwrap_or(i64::MAX).saturating_add(1);
    if format > known {
        return Err(FormatError::TooNew {
            payload,
            found: format,
            known,
        });
    }
    // `format - 1` on its own overflows for i64::MIN (a corrupt row); every format below 1 is invalid.
    let from = format
        .checked_sub(1)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(FormatError::Invalid { payload, found: format })?;
    Ok(steps
        .get(from..)
        .unwrap_or_default()
        .iter()
        .fold(value, |v, step| step(v)))
}

/// Any payload's JSON, written in `format`, in today's shape.
pub fn upgrade(payload: Payload, format: i64, value: Value) -> Result<Value, FormatError> {
    lift(payload, payload.steps(), format, value)
}

fn decode<T: DeserializeOwned>(payload: Payload, format: i64, value: Value) -> Result<T, FormatError> {
    serde_json::from_value(upgrade(payload, format, value)?).map_err(|e| FormatError::Malformed {
        payload,
        message: e.to_string(),
    })
}

/// Stored text in `format`: today's format decodes directly (the chain is the
/// identity there), an older one goes through the chain.
fn read<T: DeserializeOwned>(payload: Payload, format: i64, text: &str) -> Result<T, FormatError> {
    let malformed = |e: serde_json::Error| FormatError::Malformed {
        payload,
        message: e.to_string(),
    };
    if format == payload.current() {
        return serde_json::from_str(text).map_err(malformed);
    }
    // Refuse a newer format before looking at its text.
    upgrade(payload, format, Value::Null)?;
    decode(payload, format, serde_json::from_str(text).map_err(malformed)?)
}

/// A filing draft's JSON, written in `format`, as today's [`FilingDraft`].
pub fn upgrade_draft(format: i64, value: Value) -> Result<FilingDraft, FormatError> {
    decode(Payload::Draft, format, value)
}

/// A case's facts JSON, written in `format`, as today's [`CaseFacts`].
pub fn upgrade_facts(format: i64, value: Value) -> Result<CaseFacts, FormatError> {
    decode(Payload::Facts, format, value)
}

/// A journal payload, written in `format`, in today's shape (journal payloads
/// differ by command, so they stay JSON).
pub fn upgrade_journal(format: i64, value: Value) -> Result<Value, FormatError> {
    upgrade(Payload::Journal, format, value)
}

/// [`upgrade_draft`] from stored text.
pub fn read_draft(format: i64, text: &str) -> Result<FilingDraft, FormatError> {
    read(Payload::Draft, format, text)
}

/// [`upgrade_facts`] from stored text.
pub fn read_facts(format: i64, text: &str) -> Result<CaseFacts, FormatError> {
    read(Payload::Facts, format, text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    // Format 1 exactly as the store writes it today (copied from the `cases`
    // table of the sample office, `demo::fill_office`): every key of the
    // draft, a writer, a delivery choice, files on the parties.
    const DRAFT_V1: &str = r#"{"work":{"title":"良渚文明图解（24）","category":"schematic","nature":"original","nature_note":"","completed_on":"2026-3","completed_place":"浙江省杭州市","publication":"unpublished","first_published_on":"","first_published_place":"","attribution":"corporate","acquisition":"original","ownership":"full","rights":[],"other_rights_note":""},"owners":[{"kind":"organisation","name":"杭州湖光影像文化传媒有限公司","id_type":"uscc","id_number":"91330106MA2H0K7Q18","handling_person":"周明","region":"浙江省杭州市","guardian_name":"","guardian_id_type":null,"guardian_id_number":"","files":[{"file_id":"01a21052-edc0-7327-a02f-37f7dd990153","kind":"business_licence"}]}],"authors":[{"kind":"organisation","name":"杭州湖光影像文化传媒有限公司","signed_as":"real_name","signed_name":""}],"writer":{"name":"陈思远","id_type":"resident_id","id_number":"330106199202023464","guardian_name":"","guardian_id_type":null,"guardian_id_number":"","files":[{"file_id":"01a21052-edc0-7327-a02f-37f7dd990153","kind":"identity_proof"}]},"samples":["01a21052-edc0-7bbb-b82c-ad3f93592145"],"other_files":[],"description":"作品以杭州风物为题材，构图简洁，色调清雅。","creation_story":"作者多次实地采风后独立完成。","delivery":"mail","recipient_name":"周明","recipient_phone":"13905710002","postal_address":"浙江省杭州市拱墅区大关路 100 号","invoice_email":"invoice@example.cn"}"#;

    // The facts of three sample cases, as stored: registered then revoked;
    // refused with a refund owed; returned for correction.
    const FACTS_V1_REVOKED: &str = r#"{"state":"revoked","signers":[{"party":{"role":"owner","index":0},"name":"杭州湖光影像文化传媒有限公司","id_number":"91330106MA2H0K7Q18","guardian_name":null},{"party":{"role":"writer"},"name":"陈思远","id_number":"330106199202023464","guardian_name":null}],"fingerprint":"9a8bc3437d418a92","signatures":[{"signer":{"role":"owner","index":0},"name":"杭州湖光影像文化传媒有限公司","method":{"kind":"paper_scan","scan_ref":"01a21052-edc0-7bbb-b82c-ad3f93592145"},"signed_at":"2026-11-25T01:30:00Z","fingerprint":"9a8bc3437d418a92"},{"signer":{"role":"writer"},"name":"陈思远","method":{"kind":"paper_scan","scan_ref":"01a21052-edc0-7bbb-b82c-ad3f93592145"},"signed_at":"2026-11-25T01:30:00Z","fingerprint":"9a8bc3437d418a92"}],"payment_method":"bank_transfer","offline_payment":{"method":"bank_transfer","amount_fen":15000,"payer":"杭州湖光影像文化传媒有限公司","reference":"DEMO-ZJ-KMWP-20261125-0024-8","paid_on":"2026-11-25","recorded_by":"01a21052-edc0-7515-9606-947253b20625","recorded_at":"2026-11-25T01:30:00Z"},"paid_fen":15000,"payment_reference":null,"accepted_at":"2026-11-25T01:30:00Z","clock_started_at":"2026-11-25T01:30:00Z","first_reviewers":["01a21052-edc0-704b-b884-36ae5dec222f"],"final_reviewers":["01a21052-edc0-702f-a4cc-bc093409580a"],"correction":null,"corrections":0,"refusal_proposal":null,"registration_number":"浙作登字-2026-O-00000001","registered_at":"2026-11-25T01:30:00Z","refund_owed_fen":0,"withdrawal":null,"revocation":{"ground":"applicant_request","note":"申请人书面申请撤销"},"tracking_number":null}"#;
    const FACTS_V1_REFUSED: &str = r#"{"state":"refused","signers":[{"party":{"role":"owner","index":0},"name":"林晓雨","id_number":"330106198810101409","guardian_name":null}],"fingerprint":"96a609c1bc73d223","signatures":[{"signer":{"role":"owner","index":0},"name":"林晓雨","method":{"kind":"paper_scan","scan_ref":"01a21052-edc0-776b-ae63-9adb0786a57b"},"signed_at":"2026-11-25T01:30:00Z","fingerprint":"96a609c1bc73d223"}],"payment_method":"bank_transfer","offline_payment":{"method":"bank_transfer","amount_fen":15000,"payer":"林晓雨","reference":"DEMO-ZJ-KMWP-20261125-0021-7","paid_on":"2026-11-25","recorded_by":"01a21052-edc0-7515-9606-947253b20625","recorded_at":"2026-11-25T01:30:00Z"},"paid_fen":15000,"payment_reference":null,"accepted_at":"2026-11-25T01:30:00Z","clock_started_at":"2026-11-25T01:30:00Z","first_reviewers":["01a21052-edc0-704b-b884-36ae5dec222f"],"final_reviewers":["01a21052-edc0-702f-a4cc-bc093409580a"],"correction":null,"corrections":0,"refusal_proposal":{"ground":"not_a_work","note":"提交的内容为通用图案，不具独创性"},"registration_number":null,"registered_at":null,"refund_owed_fen":15000,"withdrawal":null,"revocation":null,"tracking_number":null}"#;
    const FACTS_V1_CORRECTION: &str = r#"{"state":"returned_for_correction","signers":[{"party":{"role":"owner","index":0},"name":"杭州湖光影像文化传媒有限公司","id_number":"91330106MA2H0K7Q18","guardian_name":null},{"party":{"role":"writer"},"name":"陈思远","id_number":"330106199202023341","guardian_name":null}],"fingerprint":"5c448ebd0ee328eb","signatures":[{"signer":{"role":"owner","index":0},"name":"杭州湖光影像文化传媒有限公司","method":{"kind":"paper_scan","scan_ref":"01a21052-edc0-7433-93c7-3cc6bb906a41"},"signed_at":"2026-11-25T01:30:00Z","fingerprint":"5c448ebd0ee328eb"},{"signer":{"role":"writer"},"name":"陈思远","method":{"kind":"paper_scan","scan_ref":"01a21052-edc0-7433-93c7-3cc6bb906a41"},"signed_at":"2026-11-25T01:30:00Z","fingerprint":"5c448ebd0ee328eb"}],"payment_method":"bank_transfer","offline_payment":{"method":"bank_transfer","amount_fen":15000,"payer":"杭州湖光影像文化传媒有限公司","reference":"DEMO-ZJ-KMWP-20261125-0018-6","paid_on":"2026-11-25","recorded_by":"01a21052-edc0-7515-9606-947253b20625","recorded_at":"2026-11-25T01:30:00Z"},"paid_fen":15000,"payment_reference":null,"accepted_at":"2026-11-25T01:30:00Z","clock_started_at":"2026-11-25T01:30:00Z","first_reviewers":["01a21052-edc0-704b-b884-36ae5dec222f"],"final_reviewers":[],"correction":{"reasons":["作品样本无法识别或与类别不符","请补充作品创作过程的说明"],"deadline":"2026-12-25T15:59:59Z","returned_at":"2026-11-25T01:30:00Z"},"corrections":1,"refusal_proposal":null,"registration_number":null,"registered_at":null,"refund_owed_fen":0,"withdrawal":null,"revocation":null,"tracking_number":null}"#;

    fn value(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn format_1_as_written_today_reads_back_to_the_same_json() {
        // A renamed or reshaped field makes the written JSON differ from the
        // stored one: that is a new format and needs a step in the chain.
        let draft = upgrade_draft(1, value(DRAFT_V1)).unwrap();
        assert_eq!(serde_json::to_value(&draft).unwrap(), value(DRAFT_V1));
        assert_eq!(read_draft(1, DRAFT_V1).unwrap(), draft);
        assert_eq!(draft.work.title, "良渚文明图解（24）");
        assert_eq!(draft.writer.as_ref().map(|w| w.name.as_str()), Some("陈思远"));
        for text in [FACTS_V1_REVOKED, FACTS_V1_REFUSED, FACTS_V1_CORRECTION] {
            let facts = upgrade_facts(1, value(text)).unwrap();
            assert_eq!(serde_json::to_value(&facts).unwrap(), value(text));
            assert_eq!(read_facts(1, text).unwrap(), facts);
        }
        assert_eq!(
            read_facts(1, FACTS_V1_REFUSED).unwrap().refund_owed_fen,
            15000,
            "the field the refunds list reads"
        );
    }

    #[test]
    fn today_writes_the_format_the_chain_ends_at() {
        for p in [Payload::Draft, Payload::Facts, Payload::Journal] {
            assert_eq!(i64::try_from(p.steps().len()).unwrap() + 1, p.current());
            let v = json!({ "any": "thing" });
            assert_eq!(upgrade(p, p.current(), v.clone()).unwrap(), v);
        }
        assert_eq!(
            upgrade_journal(1, json!({ "serial": "ZJ-1" })).unwrap(),
            json!({ "serial": "ZJ-1" })
        );
    }

    #[test]
    fn a_newer_format_is_refused_with_a_clear_message_never_misread() {
        for (p, e) in [
            (Payload::Draft, read_draft(2, DRAFT_V1).map(|_| ()).unwrap_err()),
            (
                Payload::Draft,
                upgrade_draft(2, value(DRAFT_V1)).map(|_| ()).unwrap_err(),
            ),
            (Payload::Facts, read_facts(9, FACTS_V1_REVOKED).map(|_| ()).unwrap_err()),
            (
                Payload::Facts,
                upgrade_facts(2, value(FACTS_V1_REVOKED)).map(|_| ()).unwrap_err(),
            ),
            (
                Payload::Journal,
                upgrade_journal(JOURNAL_FORMAT + 1, json!({})).map(|_| ()).unwrap_err(),
            ),
        ] {
            assert!(matches!(e, FormatError::TooNew { payload, known, .. } if payload == p && known == p.current()));
            let m = e.to_string();
            assert!(m.contains("由较新版本写入") && m.contains("请升级本程序"), "{m}");
            assert!(m.contains(p.label()), "{m}");
        }
        // Even text this program could not parse is refused for its format first.
        assert!(matches!(
            read_draft(2, "not json"),
            Err(FormatError::TooNew { found: 2, .. })
        ));
    }

    #[test]
    fn the_lowest_format_number_is_invalid_not_an_overflow() {
        // i64::MIN - 1 overflowed: a panic with overflow checks, and without them it wrapped to
        // a huge index, skipped the chain and read the payload as today's format.
        for format in [i64::MIN, i64::MIN + 1, -1] {
            assert_eq!(
                read_draft(format, DRAFT_V1).map(|_| ()),
                Err(FormatError::Invalid {
                    payload: Payload::Draft,
                    found: format
                })
            );
            assert_eq!(
                upgrade_facts(format, value(FACTS_V1_REVOKED)).map(|_| ()),
                Err(FormatError::Invalid {
                    payload: Payload::Facts,
                    found: format
                })
            );
            assert_eq!(
                upgrade_journal(format, json!({})),
                Err(FormatError::Invalid {
                    payload: Payload::Journal,
                    found: format
                })
            );
        }
    }

    #[test]
    fn a_format_below_1_is_invalid_and_bad_json_is_malformed() {
        assert!(matches!(
            read_draft(0, DRAFT_V1),
            Err(FormatError::Invalid { found: 0, .. })
        ));
        assert!(matches!(
            upgrade_facts(-1, value(FACTS_V1_REFUSED)),
            Err(FormatError::Invalid { found: -1, .. })
        ));
        let e = read_facts(1, r#"{"state":"no_such_state"}"#).unwrap_err();
        assert!(matches!(
            e,
            FormatError::Malformed {
                payload: Payload::Facts,
                ..
            }
        ));
        assert!(e.to_string().starts_with("数据已损坏：案件办理记录无法读取"), "{e}");
    }

    #[test]
    fn unknown_fields_from_a_newer_writer_are_ignored_as_before() {
        // Neither FilingDraft nor CaseFacts denies unknown fields; the draft
        // also fills missing ones with their defaults (#[serde(default)]).
        let mut d = value(DRAFT_V1);
        d["future_field"] = json!("x");
        d["work"]["future_note"] = json!(1);
        d["owners"][0]["future_flag"] = json!(true);
        assert_eq!(upgrade_draft(1, d.clone()).unwrap(), read_draft(1, DRAFT_V1).unwrap());
        assert_eq!(read_draft(1, &d.to_string()).unwrap(), read_draft(1, DRAFT_V1).unwrap());
        assert_eq!(
            read_draft(1, r#"{"work":{"title":"半稿"}}"#).unwrap().work.title,
            "半稿"
        );
        let mut f = value(FACTS_V1_CORRECTION);
        f["future_field"] = json!([1, 2]);
        f["correction"]["future_note"] = json!("x");
        assert_eq!(
            upgrade_facts(1, f.clone()).unwrap(),
            read_facts(1, FACTS_V1_CORRECTION).unwrap()
        );
        assert_eq!(
            read_facts(1, &f.to_string()).unwrap(),
            read_facts(1, FACTS_V1_CORRECTION).unwrap()
        );
        // CaseFacts has no defaults: a missing field is malformed, as before.
        assert!(matches!(read_facts(1, "{}"), Err(FormatError::Malformed { .. })));
    }

    #[test]
    fn the_chain_takes_each_older_format_step_by_step_to_the_newest() {
        // A chain of two hypothetical steps (test only): format 1 named the
        // title `name`, format 2 kept it at the top, format 3 is today's shape.
        fn rename(mut v: Value) -> Value {
            if let Some(o) = v.as_object_mut() {
                if let Some(t) = o.remove("name") {
                    o.insert("title".into(), t);
                }
            }
            v
        }
        fn nest(mut v: Value) -> Value {
            let title = v.as_object_mut().and_then(|o| o.remove("title")).unwrap_or_default();
            json!({ "work": { "title": title }, "owners": v.get("owners").cloned().unwrap_or(json!([])) })
        }
        let steps: &[Step] = &[rename, nest];
        let today = json!({ "work": { "title": "断桥残雪" }, "owners": [] });
        for (format, old) in [
            (1, json!({ "name": "断桥残雪", "owners": [] })),
            (2, json!({ "title": "断桥残雪", "owners": [] })),
            (3, today.clone()),
        ] {
            let v = lift(Payload::Draft, steps, format, old).unwrap();
            assert_eq!(v, today, "from format {format}");
            let d: FilingDraft = serde_json::from_value(v).unwrap();
            assert_eq!(d.work.title, "断桥残雪");
        }
        assert!(matches!(
            lift(Payload::Draft, steps, 4, today.clone()),
            Err(FormatError::TooNew { found: 4, known: 3, .. })
        ));
        assert!(matches!(
            lift(Payload::Draft, steps, 0, today),
            Err(FormatError::Invalid { found: 0, .. })
        ));
    }
}
