//! Field-level intents: what a command changed in a row, and how the server
//! lands it on a row that changed meanwhile.
//!
//! A station records, for each existing row a command changed, the fields it
//! changed with their values before ([`changes`]): a column, or — for a text
//! column holding a JSON object (a case's `draft`, its `facts`) — each value
//! inside it, named by its keys (arrays count as one value). When the
//! server's row is no longer the one the command was decided against, it
//! [`merge`]s: if every field the command changed still has, on the server,
//! the value the command saw, the command's values are put onto the server's
//! row and every other field stays as the server has it; a field that
//! changed on both sides is a [`Clash`].
//!
//! Bookkeeping columns change with every command and are never a clash:
//! `version` (the server's plus what the command added, so it keeps
//! growing), `updated_at` and `search_rowid` (the later of the two).
//! Columns one side does not know (added by a newer schema on the other) are
//! kept as the side that has them wrote them: a column the station does not
//! know stays as the server has it.

use serde_json::{Map, Value};

use crate::protocol::{Cell, Column, FieldChange, Row};

/// Columns every command of a table moves on; merged, never a clash.
pub const BOOKKEEPING: &[&str] = &["version", "updated_at", "search_rowid"];

/// The fields that differ between a row before and after a command, each with
/// its value before. A column missing from `before` had no value (NULL).
pub fn changes(before: &[Column], after: &[Column]) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for col in after {
        let old = before
            .iter()
            .find(|c| c.name == col.name)
            .map_or(&Cell::Null, |c| &c.value);
        if *old == col.value {
            continue;
        }
        match (json_object(old), json_object(&col.value)) {
            (Some(a), Some(b)) => {
                let mut path = Vec::new();
                diff(&col.name, &mut path, Some(&a), Some(&b), &mut out);
            }
            _ => out.push(FieldChange {
                column: col.name.clone(),
                path: Vec::new(),
                before: old.clone(),
            }),
        }
    }
    out
}

fn json_object(cell: &Cell) -> Option<Value> {
    match cell {
        Cell::Text(t) if t.trim_start().starts_with('{') => {
            serde_json::from_str::<Value>(t).ok().filter(Value::is_object)
        }
        _ => None,
    }
}

fn diff(column: &str, path: &mut Vec<String>, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<FieldChange>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                path.push(k.clone());
                diff(column, path, x.get(k), y.get(k), out);
                path.pop();
            }
        }
        _ if a == b => {}
        _ => out.push(FieldChange {
            column: column.to_string(),
            path: path.clone(),
            before: json_cell(a),
        }),
    }
}

fn json_cell(v: Option<&Value>) -> Cell {
    match v {
        None => Cell::Null,
        Some(v) => Cell::Text(v.to_string()),
    }
}

/// A field changed both by the command and, since the command's station read
/// the row, on the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    pub column: String,
    pub path: Vec<String>,
    /// The value the command's station saw.
    pub before: Cell,
    /// The value the command gave it.
    pub theirs: Cell,
    /// The value on the server now.
    pub server: Cell,
}

/// The value of a field in `row`: the column's cell (absent: `None`), or the
/// JSON text of the value at `path` inside it (`Cell::Null` when there is none).
pub fn value_at(row: &[Column], column: &str, path: &[String]) -> Option<Cell> {
    let cell = row.iter().find(|c| c.name == column).map(|c| &c.value)?;
    if path.is_empty() {
        return Some(cell.clone());
    }
    let Some(mut v) = json_object(cell) else {
        // Not a JSON object here: the field is the whole column, changed.
        return Some(cell.clone());
    };
    for k in path {
        match v {
            Value::Object(mut m) => match m.remove(k) {
                Some(x) => v = x,
                None => return Some(Cell::Null),
            },
            _ => return Some(Cell::Null),
        }
    }
    Some(Cell::Text(v.to_string()))
}

/// Whether two values of a field are the same (JSON compared as values, so
/// the spelling of a JSON text does not count).
fn same(a: &Cell, b: &Cell, in_json: bool) -> bool {
    if a == b {
        return true;
    }
    match (a, b, in_json) {
        (Cell::Text(x), Cell::Text(y), true) => {
            matches!((serde_json::from_str::<Value>(x), serde_json::from_str::<Value>(y)), (Ok(p), Ok(q)) if p == q)
        }
        _ => false,
    }
}

/// The command's fields put onto the server's row `current`: `after` is the
/// row as the command left it on its station, `changes` what it changed.
/// Every other column stays as the server has it (a column the station does
/// not know included); a column only the station knows is added as the
/// station wrote it. `Err` lists every field changed on both sides.
pub fn merge(current: &[Column], after: &[Column], changes: &[FieldChange]) -> Result<Row, Vec<Clash>> {
    let mut clashes = Vec::new();
    for ch in changes.iter().filter(|c| !BOOKKEEPING.contains(&c.column.as_str())) {
        let server = value_at(current, &ch.column, &ch.path);
        let theirs = value_at(after, &ch.column, &ch.path).unwrap_or(Cell::Null);
        let unchanged = match &server {
            Some(s) => same(s, &ch.before, !ch.path.is_empty()),
            // A column the server does not keep yet: nobody else changed it.
            None => true,
        };
        // Both sides giving the field the same value is no clash.
        let agreed = server.as_ref().is_some_and(|s| same(s, &theirs, !ch.path.is_empty()));
        if !unchanged && !agreed {
            clashes.push(Clash {
                column: ch.column.clone(),
                path: ch.path.clone(),
                before: ch.before.clone(),
                theirs,
                server: server.unwrap_or(Cell::Null),
            });
        }
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    let mut merged: Row = current.to_vec();
    for ch in changes {
        let Some(theirs) = after.iter().find(|c| c.name == ch.column) else {
            continue;
        };
        let slot = match merged.iter().position(|c| c.name == ch.column) {
            Some(i) => i,
            None => {
                merged.push(theirs.clone());
                continue;
            }
        };
        if BOOKKEEPING.contains(&ch.column.as_str()) {
            merged[slot].value = bookkeeping(&ch.column, &merged[slot].value, &ch.before, &theirs.value);
        } else if ch.path.is_empty() {
            merged[slot].value = theirs.value.clone();
        } else {
            merged[slot].value = set_path(&merged[slot].value, &ch.path, &theirs.value);
        }
    }
    // Columns only the station knows (a newer schema), as it wrote them.
    for col in after {
        if !merged.iter().any(|c| c.name == col.name) {
            merged.push(col.clone());
        }
    }
    Ok(merged)
}

fn bookkeeping(column: &str, server: &Cell, before: &Cell, theirs: &Cell) -> Cell {
    match (column, server, before, theirs) {
        ("version", Cell::Int(s), Cell::Int(b), Cell::Int(t)) => {
            Cell::Int(s.saturating_add(t.saturating_sub(*b).max(1)))
        }
        (_, Cell::Int(s), _, Cell::Int(t)) => Cell::Int(*s.max(t)),
        (_, Cell::Text(s), _, Cell::Text(t)) => Cell::Text(s.max(t).clone()),
        (_, Cell::Null, _, t) => t.clone(),
        (_, s, _, Cell::Null) => s.clone(),
        (_, _, _, t) => t.clone(),
    }
}

/// `column` (a JSON object's text) with the value at `path` taken from the
/// same place in `source` (removed when `source` has none there).
fn set_path(column: &Cell, path: &[String], source: &Cell) -> Cell {
    let Some(Value::Object(mut root)) = json_object(column) else {
        return source.clone();
    };
    let wanted: Option<Value> = json_object(source).and_then(|mut v| {
        for k in path {
            v = v.as_object_mut()?.remove(k)?;
        }
        Some(v)
    });
    put(&mut root, path, wanted);
    Cell::Text(Value::Object(root).to_string())
}

fn put(map: &mut Map<String, Value>, path: &[String], value: Option<Value>) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        match value {
            Some(v) => {
                map.insert(first.clone(), v);
            }
            None => {
                map.remove(first);
            }
        }
        return;
    }
    let child = map.entry(first.clone()).or_insert_with(|| Value::Object(Map::new()));
    if !child.is_object() {
        *child = Value::Object(Map::new());
    }
    if let Value::Object(m) = child {
        put(m, rest, value);
    }
}

/// How a field is named in a message: the column's name as the office says
/// it, and the keys inside it.
pub fn field_label(column: &str, path: &[String]) -> String {
    let col = match column {
        "title" => "作品名称",
        "category" => "作品类别",
        "state" => "办理状态",
        "applicant_name" => "申请人名称",
        "applicant_id" => "申请人",
        "draft" => "填报内容",
        "facts" => "办理记录",
        "fee_fen" => "应缴费用",
        "registration_number" => "登记号",
        "checked_by" => "核对人",
        "checked_at" => "核对时间",
        "status" => "状态",
        "name" => "名称",
        "handler_mobile" => "经办人手机",
        "postal_address" => "邮寄地址",
        "display_name" => "姓名",
        "roles" => "岗位",
        "disabled" => "停用",
        other => other,
    };
    if path.is_empty() {
        col.to_string()
    } else {
        format!("{col}（{}）", path.join("."))
    }
}

/// A field's value for a message.
pub fn value_words(cell: &Cell) -> String {
    let text = match cell {
        Cell::Null => return "（空）".to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Real(f) => f.to_string(),
        Cell::Text(t) => match serde_json::from_str::<Value>(t) {
            Ok(Value::String(s)) => s,
            Ok(Value::Null) => return "（空）".to_string(),
            _ => t.clone(),
        },
        Cell::Blob(b) => format!("（二进制数据 {} 字节）", b.len()),
    };
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("“{short}…”")
    } else {
        format!("“{short}”")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn row(cols: &[(&str, Cell)]) -> Row {
        cols.iter()
            .map(|(n, v)| Column {
                name: n.to_string(),
                value: v.clone(),
            })
            .collect()
    }

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn case(title: &str, draft: &str, version: i64, at: &str) -> Row {
        row(&[
            ("id", t("c1")),
            ("title", t(title)),
            ("draft", t(draft)),
            ("version", Cell::Int(version)),
            ("updated_at", t(at)),
        ])
    }

    #[test]
    fn changes_name_columns_and_values_inside_json() {
        let before = case(
            "甲",
            r#"{"work":{"title":"甲","date":"2026-01-01"},"owners":[1]}"#,
            3,
            "2026-05-01",
        );
        let after = case(
            "乙",
            r#"{"work":{"title":"乙","date":"2026-01-01"},"owners":[1]}"#,
            4,
            "2026-05-02",
        );
        let ch = changes(&before, &after);
        let named: Vec<(String, Vec<String>)> = ch.iter().map(|c| (c.column.clone(), c.path.clone())).collect();
        assert_eq!(
            named,
            vec![
                ("title".to_string(), vec![]),
                ("draft".to_string(), vec!["work".to_string(), "title".to_string()]),
                ("version".to_string(), vec![]),
                ("updated_at".to_string(), vec![]),
            ]
        );
        assert_eq!(ch[1].before, t("\"甲\""));
        assert!(changes(&before, &before).is_empty());
    }

    #[test]
    fn disjoint_changes_merge_onto_the_server_row() {
        let base = case(
            "甲",
            r#"{"work":{"title":"甲","date":"2026-01-01"}}"#,
            3,
            "2026-05-01T08:00",
        );
        // The server already holds another station's change of the date.
        let server = case(
            "甲",
            r#"{"work":{"title":"甲","date":"2026-02-02"}}"#,
            4,
            "2026-05-01T09:00",
        );
        // This station changed the title.
        let mine = case(
            "乙",
            r#"{"work":{"title":"乙","date":"2026-01-01"}}"#,
            4,
            "2026-05-01T08:30",
        );
        let merged = merge(&server, &mine, &changes(&base, &mine)).expect("no clash");
        let draft: Value = match value_at(&merged, "draft", &[]) {
            Some(Cell::Text(s)) => serde_json::from_str(&s).expect("json"),
            other => panic!("{other:?}"),
        };
        assert_eq!(draft["work"]["title"], "乙");
        assert_eq!(draft["work"]["date"], "2026-02-02");
        assert_eq!(value_at(&merged, "title", &[]), Some(t("乙")));
        assert_eq!(value_at(&merged, "version", &[]), Some(Cell::Int(5)));
        assert_eq!(value_at(&merged, "updated_at", &[]), Some(t("2026-05-01T09:00")));
    }

    #[test]
    fn the_same_field_changed_on_both_sides_clashes_with_both_values() {
        let base = case("甲", "{}", 3, "a");
        let server = case("丙", "{}", 4, "b");
        let mine = case("乙", "{}", 4, "c");
        let clashes = merge(&server, &mine, &changes(&base, &mine)).expect_err("clash");
        assert_eq!(clashes.len(), 1);
        assert_eq!(clashes[0].column, "title");
        assert_eq!(clashes[0].theirs, t("乙"));
        assert_eq!(clashes[0].server, t("丙"));
        assert_eq!(clashes[0].before, t("甲"));
        // The same value given on both sides is no clash.
        let same_change = case("乙", "{}", 4, "b");
        assert!(merge(&same_change, &mine, &changes(&base, &mine)).is_ok());
    }

    #[test]
    fn columns_one_side_does_not_know_stay_as_the_other_wrote_them() {
        // The server's row has a column added by a newer schema.
        let mut server = case("甲", "{}", 4, "b");
        server.push(Column {
            name: "office_key".into(),
            value: t("ZJ-01"),
        });
        let base = case("甲", "{}", 3, "a");
        let mine = case("乙", "{}", 4, "c");
        let merged = merge(&server, &mine, &changes(&base, &mine)).expect("no clash");
        assert_eq!(value_at(&merged, "office_key", &[]), Some(t("ZJ-01")));
        assert_eq!(value_at(&merged, "title", &[]), Some(t("乙")));
        // The station's row has a column the server does not keep yet.
        let server = case("甲", "{}", 4, "b");
        let mut base = case("甲", "{}", 3, "a");
        base.push(Column {
            name: "note".into(),
            value: Cell::Null,
        });
        let mut mine = case("乙", "{}", 4, "c");
        mine.push(Column {
            name: "note".into(),
            value: t("新"),
        });
        let merged = merge(&server, &mine, &changes(&base, &mine)).expect("no clash");
        assert_eq!(value_at(&merged, "note", &[]), Some(t("新")));
    }
}
