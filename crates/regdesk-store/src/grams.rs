//! The short-search index (`case_grams`): what the full-text index's trigrams
//! cannot find, a search of one or two characters, found by an index all the
//! same, so no input reads the whole search text of the office.
//!
//! Each word (whitespace-separated) of a case's search text gives one token
//! per character and one per pair of neighbouring characters; a token is the
//! lower-case hex of the UTF-8 of its characters (ASCII letters folded to
//! lower case first, as `LIKE` folds them). UTF-8 is self-delimiting, so a
//! character's token never equals a pair's. A search of one or two
//! characters (never holding a space: the text is trimmed) is then the one
//! token of its text, and finds exactly the cases whose search text holds it.
//!
//! `regdesk_grams(text)` is the same function in SQL, registered on every
//! connection the store makes, so migrations and bulk loads fill the index
//! with the very tokens the store writes.
//!
//! A queue's own search box reads the queue search index
//! (`case_queue_search`, migration 023): the same tokens, each prefixed by
//! the case's queue, so the matches of one queue are a list of their own and
//! a search stops at its page whatever else the office holds. Its `grams`
//! column holds the characters and pairs above; its `tris` column one token
//! per three neighbouring characters of the whole search text, in order, so
//! a text of three or more characters is the phrase of its trigrams and
//! finds exactly what `LIKE '%text%'` finds. `regdesk_queue_grams(queue,
//! text)` and `regdesk_queue_trigrams(queue, text)` are the SQL twins, used
//! by the triggers that move a case's entry when its queue changes.

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use crate::error::Result;

/// The SQL name of [`grams`].
pub(crate) const SQL_FUNCTION: &str = "regdesk_grams";
/// The SQL name of [`queue_grams`].
const SQL_QUEUE_GRAMS: &str = "regdesk_queue_grams";
/// The SQL name of [`queue_trigrams`].
const SQL_QUEUE_TRIGRAMS: &str = "regdesk_queue_trigrams";

fn token(chars: &[char]) -> String {
    let mut out = String::with_capacity(chars.len() * 8);
    push_token(&mut out, chars);
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends the token of `chars` to `out`: each byte's two lower-case hex
/// digits, written in place.
fn push_token(out: &mut String, chars: &[char]) {
    let mut buf = [0u8; 4];
    for c in chars {
        push_hex(out, c.to_ascii_lowercase().encode_utf8(&mut buf).as_bytes());
    }
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
}

/// A token before its hex: the UTF-8 of one character or a pair (at most
/// eight bytes), ASCII letters folded. Ordered as the tokens' hex is (hex
/// keeps the order of the bytes it spells), so the tokens of a text are
/// sorted and made unique without a string per token.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Gram {
    bytes: [u8; 8],
    len: u8,
}

impl Gram {
    fn of(c: char) -> Gram {
        let mut bytes = [0u8; 8];
        let len = c.to_ascii_lowercase().encode_utf8(&mut bytes[..4]).len();
        Gram { bytes, len: len as u8 }
    }

    fn then(self, next: Gram) -> Gram {
        let mut g = self;
        let (at, n) = (usize::from(self.len), usize::from(next.len));
        g.bytes[at..at + n].copy_from_slice(&next.bytes[..n]);
        g.len += next.len;
        g
    }

    fn hex_into(&self, out: &mut String) {
        push_hex(out, &self.bytes[..usize::from(self.len)]);
    }
}

/// Each character and each pair of neighbouring characters of each word of
/// `text`, sorted, each once.
fn gram_set(text: &str) -> Vec<Gram> {
    let mut out = Vec::with_capacity(text.len() * 2);
    for word in text.split_whitespace() {
        let mut prev: Option<Gram> = None;
        for c in word.chars() {
            let one = Gram::of(c);
            out.push(one);
            if let Some(p) = prev {
                out.push(p.then(one));
            }
            prev = Some(one);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The tokens of `text`, space-separated, each once.
pub(crate) fn grams(text: &str) -> String {
    prefixed_grams("", text)
}

/// [`grams`] with `prefix` before each token.
fn prefixed_grams(prefix: &str, text: &str) -> String {
    let set = gram_set(text);
    let mut out = String::with_capacity(set.len() * (prefix.len() + 9));
    for (i, g) in set.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(prefix);
        g.hex_into(&mut out);
    }
    out
}

/// The prefix of a queue's tokens: its code without underscores and an `x`
/// (no queue code holds an `x`, no hex digit is one, so no token of one queue
/// is a token of another).
fn queue_prefix(queue: &str) -> String {
    let mut p: String = queue.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    p.push('x');
    p
}

/// [`grams`] of `text`, each prefixed by `queue` (a queue's code).
pub(crate) fn queue_grams(queue: &str, text: &str) -> String {
    prefixed_grams(&queue_prefix(queue), text)
}

/// One token per three neighbouring characters of the whole of `text`
/// (spaces included), in order, each prefixed by `queue`.
pub(crate) fn queue_trigrams(queue: &str, text: &str) -> String {
    let prefix = queue_prefix(queue);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(chars.len() * (prefix.len() + 20));
    for (i, w) in chars.windows(3).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&prefix);
        push_token(&mut out, w);
    }
    out
}

/// The match expression of a queue's own search for `text` in the queue
/// search index: one or two characters (after trimming) are one token of
/// the `grams` column, longer texts the phrase of their trigrams in the
/// `tris` column; `None` for an empty text.
pub(crate) fn queue_query(queue: &str, text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(q) = query(text) {
        let prefix = queue_prefix(queue);
        return Some(format!("grams : \"{prefix}{}\"", q.trim_matches('"')));
    }
    Some(format!("tris : \"{}\"", queue_trigrams(queue, text)))
}

/// The match expression of a search for `text` (one or two characters after
/// trimming), or `None` for a longer or empty one.
pub(crate) fn query(text: &str) -> Option<String> {
    let chars: Vec<char> = text.trim().chars().collect();
    if chars.is_empty() || chars.len() > 2 || chars.iter().any(|c| c.is_whitespace()) {
        return None;
    }
    Some(format!("\"{}\"", token(&chars)))
}

/// Indexes `text` as the short-search entry `rowid` (the case's row in
/// case_search), in place of what that row held, and as its queue search
/// entry ([`put_queue`]).
pub(crate) fn put(conn: &Connection, rowid: i64, text: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM case_grams WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached("INSERT INTO case_grams (rowid, grams) VALUES (?1, ?2)")?
        .execute(rusqlite::params![rowid, grams(text)])?;
    put_queue(conn, rowid, text)
}

/// Removes the short-search and queue search entries `rowid`, if there are any.
pub(crate) fn remove(conn: &Connection, rowid: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM case_grams WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached("DELETE FROM case_queue_search WHERE rowid = ?1")?
        .execute([rowid])?;
    Ok(())
}

/// Writes the queue search entry `rowid` from `text` anew, under the queue
/// of the case whose search entry it is (none yet: the triggers of migration
/// 023 write it when the case is pointed at it).
pub(crate) fn put_queue(conn: &Connection, rowid: i64, text: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM case_queue_search WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached(
        "INSERT INTO case_queue_search (rowid, grams, tris)
         SELECT ?1, regdesk_queue_grams(queue, ?2), regdesk_queue_trigrams(queue, ?2) FROM cases WHERE search_rowid = ?1",
    )?
    .execute(rusqlite::params![rowid, text])?;
    Ok(())
}

/// Registers `regdesk_grams`, `regdesk_queue_grams` and
/// `regdesk_queue_trigrams` on `conn`.
pub(crate) fn register(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function(SQL_FUNCTION, 1, flags, |ctx| {
        let text: Option<String> = ctx.get(0)?;
        Ok(grams(text.as_deref().unwrap_or("")))
    })?;
    conn.create_scalar_function(SQL_QUEUE_GRAMS, 2, flags, |ctx| {
        let queue: Option<String> = ctx.get(0)?;
        let text: Option<String> = ctx.get(1)?;
        Ok(queue_grams(
            queue.as_deref().unwrap_or(""),
            text.as_deref().unwrap_or(""),
        ))
    })?;
    conn.create_scalar_function(SQL_QUEUE_TRIGRAMS, 2, flags, |ctx| {
        let queue: Option<String> = ctx.get(0)?;
        let text: Option<String> = ctx.get(1)?;
        Ok(queue_trigrams(
            queue.as_deref().unwrap_or(""),
            text.as_deref().unwrap_or(""),
        ))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_word_gives_its_characters_and_neighbouring_pairs() {
        // 张 e5bca0, 伟 e4bc9f; "Z" folds to "z" (7a), "-" is 2d.
        assert_eq!(grams("张伟"), "e4bc9f e5bca0 e5bca0e4bc9f");
        assert_eq!(grams("Z- z"), "2d 7a 7a2d");
        assert_eq!(grams("  "), "");
        assert_eq!(query(" 张伟 ").as_deref(), Some("\"e5bca0e4bc9f\""));
        assert_eq!(query("张"), Some("\"e5bca0\"".into()));
        assert_eq!(query("张伟芳"), None);
        assert_eq!(query("   "), None);
    }

    /// The tokens as first written (a string per token in a sorted set).
    fn grams_by_strings(text: &str) -> String {
        let mut seen = std::collections::BTreeSet::new();
        for word in text.split_whitespace() {
            let chars: Vec<char> = word.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                seen.insert(token(std::slice::from_ref(c)));
                if let Some(pair) = chars.get(i..i + 2) {
                    seen.insert(token(pair));
                }
            }
        }
        seen.into_iter().collect::<Vec<_>>().join(" ")
    }

    proptest::proptest! {
        #[test]
        fn the_tokens_are_those_of_a_string_per_token(text in "[a-zA-Z0-9 \\-_%\\x00-\\x7f\\u{80}-\\u{7ff}张伟西湖😀𠀀 ]{0,40}") {
            proptest::prop_assert_eq!(grams(&text), grams_by_strings(&text));
            let prefixed: Vec<String> = grams_by_strings(&text)
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(|t| format!("firstreviewx{t}"))
                .collect();
            proptest::prop_assert_eq!(queue_grams("first_review", &text), prefixed.join(" "));
        }
    }

    #[test]
    fn a_queue_token_names_its_queue() {
        assert_eq!(
            queue_grams("first_review", "张伟"),
            "firstreviewxe4bc9f firstreviewxe5bca0 firstreviewxe5bca0e4bc9f"
        );
        // "Ab c": a b space, then b space c, ASCII folded to lower case.
        assert_eq!(
            queue_trigrams("registered", "Ab c"),
            "registeredx616220 registeredx622063"
        );
        assert_eq!(queue_trigrams("registered", "Ab"), "");
        assert_eq!(
            queue_query("drafts", " 张 ").as_deref(),
            Some("grams : \"draftsxe5bca0\"")
        );
        assert_eq!(
            queue_query("drafts", "Abc").as_deref(),
            Some("tris : \"draftsx616263\"")
        );
        assert_eq!(queue_query("drafts", "   "), None);
        // No queue code holds an x: no token of one queue is a token of another.
        for q in regdesk_domain::queue::Queue::ALL {
            assert!(!crate::codes::code(q).contains('x'), "{q:?}");
        }
    }

    /// The index finds exactly what `LIKE '%text%'` over the search text finds.
    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (body TEXT NOT NULL);
             CREATE VIRTUAL TABLE g USING fts5 (grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii');",
        )
        .unwrap();
        let bodies = [
            "ZJ-2026-000001 西湖春色 张伟 330106199001011234",
            "zj-2026-000002 钱塘潮声 李娜 Abc",
            "ZJ2026 张 伟 x",
            "😀😃 测试 a_b%c",
        ];
        for b in bodies {
            conn.execute("INSERT INTO t (body) VALUES (?1)", [b]).unwrap();
            conn.execute(
                "INSERT INTO g (rowid, grams) VALUES (last_insert_rowid(), regdesk_grams(?1))",
                [b],
            )
            .unwrap();
        }
        let mut probes: Vec<String> = Vec::new();
        for b in bodies {
            let chars: Vec<char> = b.chars().collect();
            for i in 0..chars.len() {
                probes.push(chars[i].to_string());
                if i + 1 < chars.len() {
                    probes.push(chars[i..i + 2].iter().collect());
                }
            }
        }
        probes.extend(["鑫淼", "zJ", "j-", "%", "_", "Ab", "aB"].map(String::from));
        for p in probes {
            let Some(q) = query(&p) else { continue };
            let like = format!(
                "%{}%",
                p.trim().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
            );
            let scanned: Vec<i64> = conn
                .prepare("SELECT rowid FROM t WHERE body LIKE ?1 ESCAPE '\\' ORDER BY rowid")
                .unwrap()
                .query_map([&like], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let indexed: Vec<i64> = conn
                .prepare("SELECT rowid FROM g WHERE g MATCH ?1 ORDER BY rowid")
                .unwrap()
                .query_map([&q], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert_eq!(indexed, scanned, "{p:?}");
        }
    }
}
