//! The server's PostgreSQL schema: numbered SQL files in `migrations/`,
//! applied in order, each in its own transaction with its row in
//! `schema_migrations`. Several server instances may start at once over one
//! database: an advisory lock lets one migrate while the others wait.

use tokio_postgres::Client;

/// Every migration, in order: `(name, sql)`. A migration is never edited
/// once released; a change is a new file.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_base", include_str!("../migrations/0001_base.sql")),
    ("0002_record", include_str!("../migrations/0002_record.sql")),
    ("0003_adopt", include_str!("../migrations/0003_adopt.sql")),
    ("0004_leases", include_str!("../migrations/0004_leases.sql")),
    ("0005_chain", include_str!("../migrations/0005_chain.sql")),
    (
        "0006_station_counters",
        include_str!("../migrations/0006_station_counters.sql"),
    ),
    ("0007_integrity", include_str!("../migrations/0007_integrity.sql")),
    ("0008_scope", include_str!("../migrations/0008_scope.sql")),
    ("0009_row_length", include_str!("../migrations/0009_row_length.sql")),
    ("0010_row_storage", include_str!("../migrations/0010_row_storage.sql")),
];

/// The advisory lock key the migrating instance holds (`regdesk` in ASCII).
const LOCK: i64 = 0x0072_6567_6465_736b;

#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("数据库结构升级失败（{name}）：{source}")]
    Migration {
        name: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("数据库结构比本程序新（已到 {found}，本程序只认识到 {known}）：请升级 regdesk-server")]
    TooNew { found: String, known: String },
    #[error(transparent)]
    Db(#[from] tokio_postgres::Error),
}

/// Applies the migrations the database does not have yet; returns how many.
pub async fn migrate(client: &mut Client) -> Result<usize, SchemaError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 name TEXT PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             )",
        )
        .await?;
    client.execute("SELECT pg_advisory_lock($1)", &[&LOCK]).await?;
    let result = apply(client).await;
    let unlock = client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK]).await;
    let applied = result?;
    unlock?;
    Ok(applied)
}

async fn apply(client: &mut Client) -> Result<usize, SchemaError> {
    let done: Vec<String> = client
        .query("SELECT name FROM schema_migrations ORDER BY name", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if let Some(last) = done.last() {
        if !MIGRATIONS.iter().any(|(name, _)| name == last) {
            return Err(SchemaError::TooNew {
                found: last.clone(),
                known: MIGRATIONS.last().map(|(n, _)| n.to_string()).unwrap_or_default(),
            });
        }
    }
    let mut applied = 0;
    for (name, sql) in MIGRATIONS {
        if done.iter().any(|d| d == name) {
            continue;
        }
        let tx = client.transaction().await?;
        let step = async {
            tx.batch_execute(sql).await?;
            tx.execute("INSERT INTO schema_migrations (name) VALUES ($1)", &[name])
                .await?;
            tx.commit().await
        };
        step.await.map_err(|source| SchemaError::Migration {
            name: name.to_string(),
            source,
        })?;
        applied += 1;
    }
    Ok(applied)
}
