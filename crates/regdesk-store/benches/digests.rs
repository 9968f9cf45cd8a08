//! What the row digests cost a command, measured side by side: two copies of
//! the same sample office, one as the product runs it (each command notes the
//! rows it touches and records their digests), one with the capture turned
//! off (`bench_stop_row_capture`, feature `bench-internals`), each command
//! timed on both in turn so both sides run under the same load.
//!
//! `cargo bench -p regdesk-store --features bench-internals --bench digests`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{demo, LoginInput, SaveDraftInput, Session, Store, SystemClock, UpdateSettingsInput};

fn keys() -> StationKeys {
    StationKeys::from_secret([7; 32], KeyHome::EnvFile("bench.key".into()))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn sign_in(store: &Store, u: &str) -> Session {
    store
        .login(&LoginInput {
            username: u.into(),
            password: demo::DEMO_PASSWORD.into(),
        })
        .unwrap()
}

fn update_settings(store: &Store, admin: &Session) {
    let s = store.settings(admin).unwrap();
    store
        .update_settings(
            admin,
            &UpdateSettingsInput {
                version: s.version,
                idle_lock_minutes: i64::from(s.idle_lock_minutes),
                review_working_days: s.review_working_days,
                correction_notice_days: s.correction_notice_days,
                correction_period_days: s.correction_period_days,
                fee_per_work_fen: s.fee_per_work_fen,
            },
        )
        .unwrap();
}

/// Saves the filing again as it stands (read once, with its full numbers);
/// `version` follows each save.
fn save_draft(store: &Store, clerk: &Session, d: &regdesk_store::CaseDetail, version: &mut i64) {
    let saved = store
        .save_draft(
            clerk,
            &SaveDraftInput {
                case_id: Some(d.id.clone()),
                version: Some(*version),
                applicant_id: d.applicant_id.clone(),
                draft: d.draft.clone(),
            },
        )
        .unwrap();
    *version = saved.version;
}

fn bench(c: &mut Criterion) {
    let root = tempfile::tempdir().unwrap();
    let with = root.path().join("with");
    let without = root.path().join("without");
    {
        let store = Store::open_with_keys(&with, Arc::new(SystemClock), keys()).unwrap();
        demo::fill_office(&store, 24).unwrap();
    }
    copy_dir(&with, &without);
    let open = |dir: &Path| Store::open_with_keys(dir, Arc::new(SystemClock), keys()).unwrap();
    let stores = [("with digests", open(&with)), ("without digests", open(&without))];
    stores[1].1.bench_stop_row_capture().unwrap();
    let people: Vec<(Session, Session, String)> = stores
        .iter()
        .map(|(_, s)| {
            let clerk = sign_in(s, "wangli");
            let draft = s
                .list_queue(
                    &clerk,
                    &regdesk_store::QueueInput::first(regdesk_domain::queue::Queue::Drafts, 1),
                )
                .unwrap()
                .rows[0]
                .id
                .clone();
            (sign_in(s, "admin"), clerk, draft)
        })
        .collect();
    let mut g = c.benchmark_group("digests");
    g.sample_size(30);
    for ((side, store), (admin, _, _)) in stores.iter().zip(&people) {
        g.bench_function(format!("update_settings, {side}"), |b| {
            b.iter(|| update_settings(store, admin))
        });
    }
    for ((side, store), (_, clerk, draft)) in stores.iter().zip(&people) {
        let d = store.reveal_case(clerk, draft).unwrap();
        let mut version = d.version;
        g.bench_function(format!("save_draft of a whole filing, {side}"), |b| {
            b.iter(|| save_draft(store, clerk, &d, &mut version))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
