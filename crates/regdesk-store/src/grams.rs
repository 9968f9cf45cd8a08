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

use rusqlite::functions::FunctionFlags;
use rusqlite::Connection;

use crate::error::Result;

/// The SQL name of [`grams`].
pub(crate) const SQL_FUNCTION: &str = "regdesk_grams";

fn token(chars: &[char]) -> String {
    let mut buf = [0u8; 4];
    let mut out = String::with_capacity(chars.len() * 6);
    for c in chars {
        out.push_str(&hex::encode(c.to_ascii_lowercase().encode_utf8(&mut buf).as_bytes()));
    }
    out
}

/// The tokens of `text`, space-separated, each once.
pub(crate) fn grams(text: &str) -> String {
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
/// case_search), in place of what that row held.
pub(crate) fn put(conn: &Connection, rowid: i64, text: &str) -> Result<()> {
    remove(conn, rowid)?;
    conn.prepare_cached("INSERT INTO case_grams (rowid, grams) VALUES (?1, ?2)")?
        .execute(rusqlite::params![rowid, grams(text)])?;
    Ok(())
}

/// Removes the short-search entry `rowid`, if there is one.
pub(crate) fn remove(conn: &Connection, rowid: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM case_grams WHERE rowid = ?1")?
        .execute([rowid])?;
    Ok(())
}

/// Registers `regdesk_grams` on `conn`.
pub(crate) fn register(conn: &Connection) -> Result<()> {
    conn.create_scalar_function(
        SQL_FUNCTION,
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let text: Option<String> = ctx.get(0)?;
            Ok(grams(text.as_deref().unwrap_or("")))
        },
    )?;
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
