//! Saves one whole filing as a new case, again and again, in an office grown
//! to a given size, and prints the p50/p95/p99 of one save: the intake
//! bench's save without criterion, small enough to run under `strace` and
//! count what a save costs in fsyncs.
//!
//! ```sh
//! cargo run -p regdesk-store --example saves -- SAVES CASES
//! strace -f -c -e trace=fsync,fdatasync,sync_file_range target/debug/examples/saves 100 200
//! ```
//!
//! `SAVES` (default 100) saves in an office of `CASES` cases (default 200),
//! in a fresh temporary data directory. Running it with 0 saves gives what
//! opening and growing the office cost, to subtract.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use regdesk_store::keys::{KeyHome, StationKeys};
use regdesk_store::{demo, LoginInput, SaveDraftInput, Store, SystemClock};

fn main() {
    let mut args = std::env::args().skip(1);
    let saves: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let cases: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let temp = tempfile::tempdir().unwrap();
    let keys = StationKeys::from_secret([0x24; 32], KeyHome::EnvFile("bench.key".into()));
    let store = Store::open_with_keys(temp.path(), Arc::new(SystemClock), keys).unwrap();
    demo::fill_office(&store, 24).unwrap();
    let total = demo::grow_office(&store, cases, |_| {}).unwrap();
    let clerk = store
        .login(&LoginInput {
            username: "wangli".into(),
            password: demo::DEMO_PASSWORD.into(),
        })
        .unwrap();
    let first = store
        .search_cases(
            &clerk,
            &regdesk_store::CaseSearchInput {
                text: "湖光影像".into(),
                limit: Some(1),
            },
        )
        .unwrap();
    let source = store.reveal_case(&clerk, &first.hits[0].case.id).unwrap();
    let input = SaveDraftInput {
        case_id: None,
        version: None,
        applicant_id: source.applicant_id.clone(),
        draft: source.draft.clone(),
    };
    // Everything before the saves is written and synced, so a count under
    // strace with 0 saves is what to subtract.
    assert_eq!(store.flush_audit_anchor(), None);
    let mut times: Vec<Duration> = (0..saves)
        .map(|_| {
            let t = Instant::now();
            store.save_draft(&clerk, &input).unwrap();
            t.elapsed()
        })
        .collect();
    drop(store);
    times.sort();
    if times.is_empty() {
        println!("office of {total} cases, no saves");
        return;
    }
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "save one filing at {total} cases, {saves} saves: p50 {:.2?}, p95 {:.2?}, p99 {:.2?}",
        at(0.5),
        at(0.95),
        at(0.99)
    );
}
