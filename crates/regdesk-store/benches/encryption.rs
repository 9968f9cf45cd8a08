//! What SQLCipher costs, measured side by side on the same data: the sample
//! office grown to about 10,000 full filings, once encrypted (as the product
//! keeps it, opened with `regdesk_store::connect`) and once exported to a
//! plain SQLite file, both with the store's settings (WAL,
//! `synchronous=FULL`) and the same small page cache, so that a scan reads
//! (and, encrypted, decrypts and authenticates) every page again:
//!
//! - a scan of every filing (what a search without an index does);
//! - one small write transaction (a commit with its fsync).
//!
//! `cargo bench -p regdesk-store --bench encryption`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{demo, Store, SystemClock};
use rusqlite::Connection;

/// Copies of each sample filing, with its whole draft.
const COPIES: u32 = 400;

const COPY_CASES: &str = "
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?1)
INSERT INTO cases (id, serial, title, category, state, applicant_name, created_at, accepted_on, due_on,
                   registration_number, version, updated_at, applicant_id, draft, facts, created_by,
                   fee_fen, awaiting_payment_since, office_code)
SELECT c.id || '-' || k.i, c.serial || '-' || k.i, c.title || '（' || k.i || '）', c.category, c.state,
       c.applicant_name, c.created_at, c.accepted_on, c.due_on,
       CASE WHEN c.registration_number IS NULL THEN NULL ELSE c.registration_number || '-' || k.i END,
       c.version, c.updated_at, c.applicant_id, c.draft, c.facts, c.created_by,
       c.fee_fen, c.awaiting_payment_since, c.office_code
FROM cases c CROSS JOIN k";

fn keys() -> StationKeys {
    StationKeys::from_secret([0x31; 32], KeyHome::EnvFile("bench.key".into()))
}

/// The same settings on both sides; a 2 MB page cache.
fn tune(conn: &Connection) {
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -2000;")
        .unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let encrypted = dir.path().join(regdesk_store::DB_FILE);
    let plain = dir.path().join("plain.db");
    {
        let store = Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys()).unwrap();
        demo::fill_office(&store, 24).unwrap();
    }
    {
        let conn = regdesk_store::connect(&encrypted, &keys().database()).unwrap();
        conn.execute(COPY_CASES, [COPIES]).unwrap();
        conn.execute("ATTACH DATABASE ?1 AS plain KEY ''", [plain.to_string_lossy()])
            .unwrap();
        conn.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))
            .unwrap();
        conn.execute_batch("DETACH DATABASE plain; PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let sides = [
        (
            "encrypted",
            regdesk_store::connect(&encrypted, &keys().database()).unwrap(),
        ),
        ("plain", Connection::open(&plain).unwrap()),
    ];
    for (name, conn) in &sides {
        tune(conn);
        let (cases, bytes): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM cases), (SELECT page_count * page_size FROM pragma_page_count, pragma_page_size)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        eprintln!("{name}: {cases} cases, {:.1} MB", bytes as f64 / 1e6);
    }
    let mut g = c.benchmark_group("encryption");
    g.sample_size(20);
    for (name, conn) in &sides {
        g.bench_function(format!("scan every filing, {name}"), |b| {
            b.iter(|| {
                conn.query_row(
                    "SELECT count(*) FROM cases WHERE draft LIKE '%不存在的词%'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap()
            })
        });
    }
    let id: String = sides[0]
        .1
        .query_row("SELECT id FROM cases ORDER BY rowid LIMIT 1", [], |r| r.get(0))
        .unwrap();
    for (name, conn) in &sides {
        g.bench_function(format!("one write transaction, {name}"), |b| {
            b.iter(|| {
                conn.execute_batch("BEGIN IMMEDIATE").unwrap();
                conn.execute(
                    "UPDATE cases SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
                    [&id],
                )
                .unwrap();
                conn.execute_batch("COMMIT").unwrap();
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
