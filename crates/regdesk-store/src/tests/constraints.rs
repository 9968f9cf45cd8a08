//! The server checks the store's UNIQUE and FOREIGN KEY constraints of the
//! shared tables against its record from the lists in `regdesk-sync`
//! (`UNIQUE_KEYS`, `REFERENCES`): they must name every one of them.

use std::collections::BTreeSet;

use regdesk_sync::{is_shared_table, REFERENCES, STATION_UNIQUE_COLUMNS, UNIQUE_KEYS};

use super::fixtures::*;

fn shared_tables(c: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = c
        .prepare(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
               AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .unwrap();
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    names.into_iter().filter(|t| is_shared_table(t)).collect()
}

#[test]
fn every_unique_constraint_of_a_shared_table_is_checked_by_the_server() {
    let f = fixture();
    let c = raw_db(f.store.path()).unwrap();
    let mut schema = BTreeSet::new();
    for table in shared_tables(&c) {
        let mut list = c
            .prepare("SELECT name, origin, partial FROM pragma_index_list(?1) WHERE \"unique\" = 1")
            .unwrap();
        let indexes: Vec<(String, String, bool)> = list
            .query_map([&table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (index, origin, partial) in indexes {
            if origin == "pk" {
                continue;
            }
            let mut info = c
                .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                .unwrap();
            let columns: Vec<String> = info
                .query_map([&index], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            if columns.len() == 1 && STATION_UNIQUE_COLUMNS.contains(&(table.as_str(), columns[0].as_str())) {
                continue;
            }
            let condition = if partial {
                let sql: String = c
                    .query_row("SELECT sql FROM sqlite_master WHERE name = ?1", [&index], |r| r.get(0))
                    .unwrap();
                let at = sql.to_uppercase().rfind(" WHERE ").unwrap();
                let cond = sql[at + 7..].split_whitespace().collect::<Vec<_>>().join(" ");
                // A condition that only leaves NULLs out is what SQLite does anyway.
                let not_null = columns.iter().map(|c| format!("{c} IS NOT NULL")).collect::<Vec<_>>();
                if not_null.contains(&cond) {
                    None
                } else {
                    Some(cond)
                }
            } else {
                None
            };
            schema.insert((table.clone(), columns, condition));
        }
    }
    let listed: BTreeSet<(String, Vec<String>, Option<String>)> = UNIQUE_KEYS
        .iter()
        .map(|k| {
            (
                k.table.to_string(),
                k.columns.iter().map(|c| c.to_string()).collect(),
                k.sql_condition(),
            )
        })
        .collect();
    assert_eq!(
        listed, schema,
        "regdesk_sync::UNIQUE_KEYS must list the schema's UNIQUE constraints"
    );
}

#[test]
fn every_reference_between_shared_tables_is_checked_by_the_server() {
    let f = fixture();
    let c = raw_db(f.store.path()).unwrap();
    let mut schema = BTreeSet::new();
    for table in shared_tables(&c) {
        let mut list = c
            .prepare("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1)")
            .unwrap();
        let fks: Vec<(String, String, Option<String>)> = list
            .query_map([&table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (column, target, to) in fks {
            assert!(
                is_shared_table(&target),
                "{table}.{column} refers to the station's own {target}"
            );
            // The row referred to is named by its primary key, one column.
            let pk: Vec<String> = c
                .prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0")
                .unwrap()
                .query_map([&target], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert_eq!(pk.len(), 1, "{target} has a one-column primary key");
            assert_eq!(
                to.as_ref().unwrap_or(&pk[0]),
                &pk[0],
                "{table}.{column} refers to {target}'s key"
            );
            schema.insert((table.clone(), column, target));
        }
    }
    let listed: BTreeSet<(String, String, String)> = REFERENCES
        .iter()
        .map(|r| (r.table.to_string(), r.column.to_string(), r.target.to_string()))
        .collect();
    assert_eq!(
        listed, schema,
        "regdesk_sync::REFERENCES must list the schema's foreign keys"
    );
}
