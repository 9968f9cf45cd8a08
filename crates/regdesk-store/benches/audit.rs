//! What the audit chain's row digests and signed head cost: one command
//! (which now digests the rows it touched and writes the signed head), and
//! `audit verify` over the sample office (every row compared).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use regdesk_store::{demo, HeadKey, LoginInput, SaveDraftInput, Store, SystemClock, UpdateSettingsInput};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let open = |anchored: bool| {
        if anchored {
            Store::open_anchored(dir.path(), Arc::new(SystemClock), HeadKey::new([7; 32])).unwrap()
        } else {
            Store::open(dir.path(), Arc::new(SystemClock)).unwrap()
        }
    };
    demo::fill_office(&open(true), 24).unwrap();
    let mut g = c.benchmark_group("audit");
    g.sample_size(20);
    for anchored in [false, true] {
        let store = open(anchored);
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
        let head = if anchored { "with the signed head" } else { "digests only" };
        g.bench_function(format!("update_settings ({head})"), |b| {
            b.iter(|| {
                let s = store.settings(&admin).unwrap();
                store
                    .update_settings(
                        &admin,
                        &UpdateSettingsInput {
                            version: s.version,
                            idle_lock_minutes: s.idle_lock_minutes,
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
        g.bench_function(format!("save_draft of a whole filing ({head})"), |b| {
            b.iter(|| {
                let d = store.case_detail(&clerk, &draft).unwrap();
                store
                    .save_draft(
                        &clerk,
                        &SaveDraftInput {
                            case_id: Some(draft.clone()),
                            version: Some(d.version),
                            applicant_id: d.applicant_id.clone(),
                            draft: d.draft.clone(),
                        },
                    )
                    .unwrap()
            })
        });
    }
    let store = open(true);
    let r = store.verify_audit().unwrap();
    eprintln!("{} entries, {} rows", r.entries, r.rows_checked);
    g.bench_function("verify, sample office", |b| b.iter(|| store.verify_audit().unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
