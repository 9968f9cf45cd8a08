//! How the reports (统计报表) hold up in a large office: the sample office
//! grown to about 200,000 cases (or `REGDESK_BENCH_CASES`) as the `queues`
//! bench does, and — the worst case for the reports — every copy registered:
//! a ledger row per copy, its number given at a time spread evenly over the
//! two years before now (written behind the store, for the measurement only).
//! `REGDESK_BENCH_OFFICE=<folder>` keeps the office for later runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::Datelike;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use regdesk_domain::stats::Period;
use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{demo, LoginInput, StatsInput, Store, SystemClock};

/// Cases in the office when `REGDESK_BENCH_CASES` is not set.
const DEFAULT_CASES: u64 = 200_000;

fn keys() -> StationKeys {
    StationKeys::from_secret([0x24; 32], KeyHome::EnvFile("bench.key".into()))
}

fn bench(c: &mut Criterion) {
    let cases: u64 = std::env::var("REGDESK_BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let temp = tempfile::tempdir().unwrap();
    let dir = std::env::var_os("REGDESK_BENCH_OFFICE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join(regdesk_store::DB_FILE);
    {
        let store = Store::open_with_keys(&dir, Arc::new(SystemClock), keys()).unwrap();
        if store.office().unwrap().is_none() {
            demo::fill_office(&store, 24).unwrap();
        }
        let started = std::time::Instant::now();
        demo::grow_office(&store, cases, |n| {
            eprint!("\roffice of {n} cases ({:.0?})", started.elapsed())
        })
        .unwrap();
        eprintln!();
    }
    let now = chrono::Utc::now();
    {
        let conn = regdesk_store::connect(&db, &keys().database()).unwrap();
        let total: i64 = conn.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0)).unwrap();
        let span = 2 * 365 * 86_400_i64;
        let start = (now - chrono::Duration::seconds(span)).timestamp();
        conn.execute(
            "INSERT OR IGNORE INTO registration_numbers (number, prefix, year, letter, serial, case_id, state, issued_at,
                 issued_by)
             SELECT 'BENCH-' || c.rowid, 'BENCH', 2000, 'Z', c.rowid, c.id, 'used',
                    strftime('%Y-%m-%d %H:%M:%S+00:00', ?1 + (c.rowid * ?2) / ?3, 'unixepoch'),
                    (SELECT id FROM staff WHERE username = 'admin')
             FROM cases c WHERE instr(c.id, '.') > 0
               AND NOT EXISTS (SELECT 1 FROM registration_numbers r WHERE r.case_id = c.id)",
            rusqlite::params![start, span, total.max(1)],
        )
        .unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    }
    let store = Store::open_with_keys(&dir, Arc::new(SystemClock), keys()).unwrap();
    let boss = store
        .login(&LoginInput {
            username: "zhaomin".into(),
            password: demo::DEMO_PASSWORD.into(),
        })
        .unwrap();
    let today = regdesk_store::office_date(now);
    let month = StatsInput {
        period: Period::Month {
            year: today.year(),
            month: today.month(),
        },
        office: None,
        own_only: false,
    };
    let year = StatsInput {
        period: Period::Year { year: today.year() },
        ..month.clone()
    };
    eprintln!(
        "registrations this month: {}, this year: {}",
        store.monthly_form(&boss, &month).unwrap().total.total,
        store.monthly_form(&boss, &year).unwrap().total.total
    );

    let mut g = c.benchmark_group("stats");
    g.sample_size(10)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    g.bench_function("monthly form (a month)", |b| {
        b.iter(|| store.monthly_form(&boss, black_box(&month)).unwrap())
    });
    g.bench_function("monthly form (a year)", |b| {
        b.iter(|| store.monthly_form(&boss, black_box(&year)).unwrap())
    });
    g.bench_function("announcement list (a month)", |b| {
        b.iter(|| store.announcement(&boss, black_box(&month)).unwrap())
    });
    g.bench_function("yearly summary", |b| {
        b.iter(|| store.stats_summary(&boss, black_box(&year)).unwrap())
    });
    g.bench_function("supervisor's overview (a year)", |b| {
        b.iter(|| store.supervisor_stats(&boss, black_box(&year)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
