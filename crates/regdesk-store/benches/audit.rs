//! What the audit chain's row digests and signed head cost: one command
//! (which now digests the rows it touched and writes the signed head), and
//! `audit verify` over the sample office (every row compared).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{demo, LoginInput, SaveDraftInput, Store, SystemClock, UpdateSettingsInput};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let keys = StationKeys::from_secret([7; 32], KeyHome::EnvFile("bench.key".into()));
    let open = || Store::open_with_keys(dir.path(), Arc::new(SystemClock), keys.clone()).unwrap();
    demo::fill_office(&open(), 24).unwrap();
    let mut g = c.benchmark_group("audit");
    g.sample_size(20);
    {
        let store = open();
        let sign_in = |u: &str| {
            store
                .login(&LoginInput {
                    username: u.into(),
                    password: demo::DEMO_PASSWORD.into(),
                })
                .unwrap()
        };
        let admin = sign_in("admin");
        let clerk = sign_in("wangli");
        g.bench_function("update_settings", |b| {
            b.iter(|| {
                let s = store.settings(&admin).unwrap();
                store
                    .update_settings(
                        &admin,
                        &UpdateSettingsInput {
                            version: s.version,
                            idle_lock_minutes: i64::from(s.idle_lock_minutes),
                            review_working_days: s.review_working_days,
                            correction_notice_days: s.correction_notice_days,
                            correction_period_days: s.correction_period_days,
                            fee_per_work_fen: s.fee_per_work_fen,
                        },
                    )
                    .unwrap()
            })
        });
        let draft = store
            .list_queue(
                &clerk,
                &regdesk_store::QueueInput::first(regdesk_domain::queue::Queue::Drafts, 1),
            )
            .unwrap()
            .rows[0]
            .id
            .clone();
        // Read once with the full numbers (a masked filing cannot be saved back).
        let d = store.reveal_case(&clerk, &draft).unwrap();
        let mut version = d.version;
        g.bench_function("save_draft of a whole filing", |b| {
            b.iter(|| {
                let saved = store
                    .save_draft(
                        &clerk,
                        &SaveDraftInput {
                            case_id: Some(draft.clone()),
                            version: Some(version),
                            applicant_id: d.applicant_id.clone(),
                            draft: d.draft.clone(),
                        },
                    )
                    .unwrap();
                version = saved.version;
            })
        });
    }
    let store = open();
    let r = store.verify_audit().unwrap();
    eprintln!("{} entries, {} rows", r.entries, r.rows_checked);
    g.bench_function("verify, sample office", |b| b.iter(|| store.verify_audit().unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
