//! Office tree scope, shared by the server and the stations: which case a
//! row belongs to, a case's office, and the offices a station sees.
//!
//! A row belongs to a case when it is a `cases` row (its own id) or has a
//! `case_id` column (review log, registration numbers, allocations,
//! invoices, …); every other shared row (staff, settings, calendar, the
//! office tree, applicants, files, transfers, …) is every station's. A
//! case's office is its `office_code`: `''` (or NULL, or the top office's own
//! code) for the top office's own cases. A station of the top office sees
//! every office; a station of an office of the tree sees its office and
//! every office under it. `docs/SYNC.md` ("Scope").

use crate::protocol::{Cell, Column};

/// The case a row belongs to: a case's own id, else its `case_id` column.
pub fn case_of(table: &str, key: &str, row: Option<&[Column]>) -> Option<String> {
    if table == "cases" {
        row.and_then(|r| text(r, "id")).map(str::to_string).or_else(|| {
            serde_json::from_str::<Vec<String>>(key)
                .ok()
                .and_then(|k| k.into_iter().next())
        })
    } else {
        row.and_then(|r| text(r, "case_id")).map(str::to_string)
    }
}

/// The office of a `cases` row as it holds it (`''`: none, the top office's own).
pub fn office_of(case_row: &[Column]) -> String {
    text(case_row, "office_code").unwrap_or("").to_string()
}

fn text<'a>(row: &'a [Column], name: &str) -> Option<&'a str> {
    row.iter().find(|c| c.name == name).and_then(|c| match &c.value {
        Cell::Text(t) => Some(t.as_str()),
        _ => None,
    })
}

/// The offices a station of `own` sees: `own` and every office under it in
/// `tree` (`(code, parent code)` pairs), `own` first, then by level and code.
pub fn subtree(own: &str, tree: &[(String, String)]) -> Vec<String> {
    let mut out = vec![own.to_string()];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].clone();
        let mut children: Vec<&String> = tree
            .iter()
            .filter(|(code, p)| *p == parent && !out.contains(code))
            .map(|(code, _)| code)
            .collect();
        children.sort();
        children.dedup();
        out.extend(children.into_iter().cloned());
        i += 1;
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn col(name: &str, value: &str) -> Column {
        Column {
            name: name.into(),
            value: Cell::Text(value.into()),
        }
    }

    #[test]
    fn rows_belong_to_cases_and_stations_see_their_subtree() {
        let case = vec![col("id", "c1"), col("office_code", "330102")];
        assert_eq!(case_of("cases", "[\"c1\"]", Some(&case)).as_deref(), Some("c1"));
        assert_eq!(case_of("cases", "[\"c1\"]", None).as_deref(), Some("c1"));
        assert_eq!(office_of(&case), "330102");
        let log = vec![col("id", "r1"), col("case_id", "c1")];
        assert_eq!(case_of("review_log", "[\"r1\"]", Some(&log)).as_deref(), Some("c1"));
        assert_eq!(case_of("applicants", "[\"a1\"]", Some(&[col("id", "a1")])), None);
        let tree: Vec<(String, String)> = [
            ("330100", "330000"),
            ("330103", "330100"),
            ("330102", "330100"),
            ("330200", "330000"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(subtree("330100", &tree), ["330100", "330102", "330103"]);
        assert_eq!(subtree("330102", &tree), ["330102"]);
        assert_eq!(subtree("330000", &tree).len(), 5);
    }
}
