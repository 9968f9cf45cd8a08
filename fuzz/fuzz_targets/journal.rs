//! Stored payloads (存储格式): filing drafts, case facts and journal payloads in any format number.
//!
//! Input: the first byte picks the payload (draft, facts, journal) and the format number (today's,
//! one newer, zero, negative, or 8 more bytes read as any i64); the rest is the stored text.
//! Properties: no panic; a format newer than this program is refused as too new and one below 1 as
//! invalid, whatever the text; a decoded draft or facts value written out again by today's encoder
//! reads back to the same value, from text and from JSON; today's journal format passes unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use regdesk_domain::stored::{
    read_draft, read_facts, upgrade_draft, upgrade_facts, upgrade_journal, FormatError, Payload,
};
use serde::Serialize;

fn check_kind<T: Serialize>(result: &Result<T, FormatError>, format: i64, current: i64) {
    match result {
        Err(FormatError::TooNew { found, known, .. }) => {
            assert!(format > current);
            assert_eq!((*found, *known), (format, current));
        }
        Err(FormatError::Invalid { found, .. }) => {
            assert!(format < 1);
            assert_eq!(*found, format);
        }
        Err(e @ FormatError::Malformed { .. }) => {
            assert!((1..=current).contains(&format), "{format}: {e}");
            assert!(!e.to_string().is_empty());
        }
        Ok(_) => assert!((1..=current).contains(&format)),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else {
        return;
    };
    let payload = [Payload::Draft, Payload::Facts, Payload::Journal][usize::from(head % 3)];
    let current = payload.current();
    let (format, rest) = match (head / 3) % 6 {
        0 | 1 => (current, rest),
        2 => (current + 1, rest),
        3 => (0, rest),
        4 => (-1, rest),
        _ => match rest.split_first_chunk::<8>() {
            Some((bytes, tail)) => (i64::from_le_bytes(*bytes), tail),
            None => return,
        },
    };
    let text = String::from_utf8_lossy(rest);
    let value: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    match payload {
        Payload::Draft => {
            let read = read_draft(format, &text);
            check_kind(&read, format, current);
            if let Ok(draft) = &read {
                let written = serde_json::to_string(draft).expect("serialise");
                assert_eq!(read_draft(current, &written).as_ref(), Ok(draft), "{written}");
                let as_value = serde_json::to_value(draft).expect("to value");
                assert_eq!(upgrade_draft(current, as_value).as_ref(), Ok(draft));
            }
            if let Some(v) = value {
                check_kind(&upgrade_draft(format, v), format, current);
            }
        }
        Payload::Facts => {
            let read = read_facts(format, &text);
            check_kind(&read, format, current);
            if let Ok(facts) = &read {
                let written = serde_json::to_string(facts).expect("serialise");
                assert_eq!(read_facts(current, &written).as_ref(), Ok(facts), "{written}");
                let as_value = serde_json::to_value(facts).expect("to value");
                assert_eq!(upgrade_facts(current, as_value).as_ref(), Ok(facts));
            }
            if let Some(v) = value {
                check_kind(&upgrade_facts(format, v), format, current);
            }
        }
        Payload::Journal => {
            let Some(v) = value else {
                return;
            };
            let up = upgrade_journal(format, v.clone());
            check_kind(&up, format, current);
            if format == current {
                assert_eq!(up, Ok(v));
            }
        }
    }
});
