//! Office tree scope: which office each case of the record belongs to, which
//! offices a station sees, and which offices each accepted entry touches.
//!
//! - A row belongs to a case when it is a `cases` row or has a `case_id`
//!   column (review log, registration numbers, allocations, invoices, …);
//!   the case's office is its `office_code` (`''`: the top office's own).
//!   Every other row (staff, settings, calendar, office tree, applicants,
//!   files, transfers, …) is every station's.
//! - A station of the top office sees every office; a station of an office of
//!   the tree sees its office and every office under it (a city's supervisor
//!   station its counties'), and changes only its own office's cases.
//! - An accepted entry keeps the offices of each effect (`effect_offices`):
//!   a pull gives a station the entries with an effect it sees, with just
//!   those effects.

use std::collections::{BTreeSet, HashMap};

use regdesk_sync::protocol::RowEffect;
use tokio_postgres::GenericClient;

use super::rows::{parse_row, text};
use super::stmts::{Stmts, S};
use super::RecordError;

pub(crate) use regdesk_sync::scope::{case_of, office_of};

/// The record's office row and office tree rows.
const TREE: &str = "SELECT tbl, row FROM record_rows WHERE tbl IN ('office', 'office_tree')";

/// The office tree as the record holds it: code → (name, parent code).
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    pub top_code: String,
    pub top_name: String,
    pub offices: HashMap<String, (String, String)>,
}

impl Tree {
    /// Reads the record's `office` row and `office_tree` rows.
    pub async fn read(client: &impl GenericClient) -> Result<Tree, RecordError> {
        Tree::from_rows(client.query(TREE, &[]).await?)
    }

    /// [`Tree::read`] with the statement prepared once per pooled connection
    /// (every push and pull reads the tree).
    pub async fn read_cached(client: &deadpool_postgres::ClientWrapper) -> Result<Tree, RecordError> {
        let stmt = client.prepare_cached(TREE).await?;
        Tree::from_rows(client.query(&stmt, &[]).await?)
    }

    fn from_rows(rows: Vec<tokio_postgres::Row>) -> Result<Tree, RecordError> {
        let mut tree = Tree::default();
        for r in rows {
            let table: String = r.get(0);
            let row = parse_row(&table, &r, 1)?;
            if table == "office" {
                tree.top_code = text(&row, "office_code").unwrap_or("").to_string();
                tree.top_name = text(&row, "name").unwrap_or("").to_string();
            } else if let Some(code) = text(&row, "code") {
                tree.offices.insert(
                    code.to_string(),
                    (
                        text(&row, "name").unwrap_or("").to_string(),
                        text(&row, "parent_code").unwrap_or("").to_string(),
                    ),
                );
            }
        }
        Ok(tree)
    }

    /// An office code as cases hold it: the top office's own code is `''`.
    pub fn norm<'a>(&self, code: &'a str) -> &'a str {
        if code == self.top_code {
            ""
        } else {
            code
        }
    }

    /// Whether `code` names an office: the top office (`''` or its code) or one of the tree.
    pub fn knows(&self, code: &str) -> bool {
        self.norm(code).is_empty() || self.offices.contains_key(code)
    }

    /// How an office is named to people: `杭州市版权局（330100）`.
    pub fn label(&self, code: &str) -> String {
        let code = self.norm(code);
        if code.is_empty() {
            return format!("{}（{}）", self.top_name, self.top_code);
        }
        match self.offices.get(code) {
            Some((name, _)) if !name.is_empty() => format!("{name}（{code}）"),
            _ => format!("机构 {code}"),
        }
    }

    /// The offices a station of `office` sees: `None` (every office) for the
    /// top office, else the office and every office under it.
    pub fn scope(&self, office: Option<&str>) -> Option<Vec<String>> {
        let own = office.map(|o| self.norm(o)).filter(|o| !o.is_empty())?;
        let pairs: Vec<(String, String)> = self
            .offices
            .iter()
            .map(|(code, (_, parent))| (code.clone(), parent.clone()))
            .collect();
        Some(regdesk_sync::scope::subtree(own, &pairs))
    }
}

/// The scope a station acts in, read once per request.
#[derive(Debug, Clone)]
pub(crate) struct StationScope {
    pub tree: Tree,
    /// The station's own office (`''`: the top office).
    pub own: String,
    /// The offices it sees (`None`: every office).
    pub sees: Option<Vec<String>>,
}

impl StationScope {
    pub async fn read(client: &impl GenericClient, office: Option<&str>) -> Result<StationScope, RecordError> {
        Ok(StationScope::of(Tree::read(client).await?, office))
    }

    /// [`StationScope::read`] on a pooled connection, its statement prepared once.
    pub async fn read_cached(
        client: &deadpool_postgres::ClientWrapper,
        office: Option<&str>,
    ) -> Result<StationScope, RecordError> {
        Ok(StationScope::of(Tree::read_cached(client).await?, office))
    }

    fn of(tree: Tree, office: Option<&str>) -> StationScope {
        let own = office.map(|o| tree.norm(o).to_string()).unwrap_or_default();
        let sees = tree.scope(office);
        StationScope { tree, own, sees }
    }

    /// Whether the station sees the cases of `office`.
    pub fn sees(&self, office: &str) -> bool {
        match &self.sees {
            None => true,
            Some(list) => list.iter().any(|o| o == self.tree.norm(office)),
        }
    }
}

/// Whether an effect kept with `offices` reaches a station seeing `scope`.
pub(crate) fn visible(offices: &[String], scope: &[String]) -> bool {
    offices.is_empty() || offices.iter().any(|o| scope.contains(o))
}

/// The offices an accepted entry touches.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tags {
    /// Every office of the entry's effects, sorted.
    pub offices: Vec<String>,
    /// Whether it has an effect every station holds (or no effect at all).
    pub everyone: bool,
    /// Per effect, in order: the offices it belongs to (`[]`: every station's).
    pub per_effect: Vec<Vec<String>>,
}

/// The offices of each of `effects`, read from the record before they are applied.
pub(crate) async fn tag(
    client: &impl GenericClient,
    stmts: &Stmts,
    effects: &[RowEffect],
) -> Result<Tags, RecordError> {
    let mut cases: Vec<Option<String>> = Vec::with_capacity(effects.len());
    for e in effects {
        let case = match case_of(&e.table, &e.key, e.after.as_deref()) {
            Some(c) => Some(c),
            // A deleted row: the case the record kept it under.
            None if e.after.is_none() => client
                .query_opt(
                    "SELECT case_id FROM record_rows WHERE tbl = $1 AND key = $2",
                    &[&e.table, &e.key],
                )
                .await?
                .and_then(|r| r.get(0)),
            None => None,
        };
        cases.push(case);
    }
    let ids: Vec<&str> = cases
        .iter()
        .flatten()
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let held = held_offices(client, stmts, &ids).await?;
    // A case's office once the entry is applied.
    let mut after: HashMap<&str, String> = HashMap::new();
    for (e, c) in effects.iter().zip(&cases) {
        if let (true, Some(c), Some(row)) = (e.table == "cases", c, &e.after) {
            after.insert(c.as_str(), office_of(row));
        }
    }
    let mut tags = Tags {
        everyone: effects.is_empty(),
        ..Tags::default()
    };
    let mut all = BTreeSet::new();
    for (e, c) in effects.iter().zip(&cases) {
        let mut offices: Vec<String> = Vec::new();
        if let Some(c) = c {
            if e.table == "cases" {
                offices.extend(held.get(c.as_str()).cloned());
                offices.extend(e.after.as_deref().map(office_of));
            } else {
                offices.push(
                    after
                        .get(c.as_str())
                        .or_else(|| held.get(c.as_str()))
                        .cloned()
                        .unwrap_or_default(),
                );
            }
        }
        offices.sort();
        offices.dedup();
        tags.everyone |= offices.is_empty();
        all.extend(offices.iter().cloned());
        tags.per_effect.push(offices);
    }
    tags.offices = all.into_iter().collect();
    Ok(tags)
}

/// The rows every station holds that may name a stored file, and the column naming it.
const FILE_HOLDERS: &[(&str, &str)] = &[
    ("applicant_proofs", "file_id"),
    ("transfers", "receipt_file_id"),
    ("handovers", "loss_statement_file"),
    ("handovers", "power_of_attorney_file"),
];

/// Whether a station of `scope` may download the attachment `sha256`. Not
/// when each file stored under it is a party's identity scan of cases
/// (`case_identity_files`, kept from every filing's parties) none of which the
/// station sees, and no row every station holds (an applicant's proof, a
/// transfer's receipt, a handover's papers) names it. A station of the top
/// office sees every file; bytes no file row of the record names yet (an
/// upload whose entry is still on its way) tie to no case and are not refused.
pub(crate) async fn blob_visible(
    client: &impl GenericClient,
    scope: &StationScope,
    sha256: &str,
) -> Result<bool, RecordError> {
    if scope.sees.is_none() {
        return Ok(true);
    }
    let named = |column: &str, value: &str| serde_json::json!([{ "name": column, "value": { "T": value } }]);
    let files = client
        .query(
            "SELECT row FROM record_rows WHERE tbl = 'files' AND row @> $1",
            &[&named("sha256", sha256)],
        )
        .await?;
    let mut ids = Vec::with_capacity(files.len());
    for r in files {
        let row = parse_row("files", &r, 0)?;
        if let Some(id) = text(&row, "id") {
            ids.push(id.to_string());
        }
    }
    for id in &ids {
        for (table, column) in FILE_HOLDERS {
            let held = client
                .query_opt(
                    "SELECT 1 FROM record_rows WHERE tbl = $1 AND row @> $2 LIMIT 1",
                    &[table, &named(column, id)],
                )
                .await?;
            if held.is_some() {
                return Ok(true);
            }
        }
        let offices = client
            .query(
                "SELECT o.office FROM record_rows r JOIN record_case_office o ON o.case_id = r.case_id
                 WHERE r.tbl = 'case_identity_files' AND r.row @> $1",
                &[&named("file_id", id)],
            )
            .await?;
        if offices.is_empty() || offices.iter().any(|r| scope.sees(r.get::<_, &str>(0))) {
            return Ok(true);
        }
    }
    Ok(ids.is_empty())
}

/// The offices the record holds for `cases`.
pub(crate) async fn held_offices(
    client: &impl GenericClient,
    stmts: &Stmts,
    cases: &[&str],
) -> Result<HashMap<String, String>, RecordError> {
    if cases.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = client.query(stmts.get(S::HeldOffices), &[&cases]).await?;
    Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn tree() -> Tree {
        let mut t = Tree {
            top_code: "330000".into(),
            top_name: "浙江省版权局".into(),
            offices: HashMap::new(),
        };
        for (code, parent) in [
            ("330100", "330000"),
            ("330102", "330100"),
            ("330103", "330100"),
            ("330200", "330000"),
        ] {
            t.offices.insert(code.into(), (format!("局{code}"), parent.into()));
        }
        t
    }

    #[test]
    fn a_station_sees_its_office_and_every_office_under_it() {
        let t = tree();
        assert_eq!(t.scope(None), None);
        assert_eq!(t.scope(Some("330000")), None);
        assert_eq!(t.scope(Some("330102")), Some(vec!["330102".to_string()]));
        assert_eq!(
            t.scope(Some("330100")),
            Some(vec!["330100".to_string(), "330102".into(), "330103".into()])
        );
        assert!(t.knows("") && t.knows("330000") && t.knows("330103") && !t.knows("339999"));
        assert_eq!(t.label(""), "浙江省版权局（330000）");
        assert!(visible(&[], &["330102".into()]));
        assert!(!visible(&["330103".into()], &["330102".into()]));
        assert!(visible(&["330103".into(), "330102".into()], &["330102".into()]));
    }
}
