//! Load: N stations pushing and pulling at once against one `regdesk-server`
//! on loopback HTTPS with its embedded PostgreSQL.
//!
//! Each station is a real store that first does its desk work offline
//! (filings taken at the counter, paid and confirmed: about eleven journal
//! entries per case, attachments included); then all stations push at once
//! in batches of `REGDESK_LOAD_BATCH` entries and pull the office's entries
//! back. Printed per N: accepted entries per second (all pushes, wall clock
//! from the first push to the last verdict) and the p50/p99 latency of one
//! push request and of one pull request.
//!
//! ```sh
//! cargo run --release -p regdesk-testkit --example load            # N = 1, 2, 4, 8
//! REGDESK_LOAD_STATIONS=1,4 REGDESK_LOAD_CASES=50 cargo run --release -p regdesk-testkit --example load
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use regdesk_sync::client::SyncClient;
use regdesk_sync::protocol::Verdict;
use regdesk_sync::station::StationRecord;
use regdesk_testkit::station::Station;
use regdesk_testkit::{init_office, ServerProcess};

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Measured {
    accepted: u64,
    push: Vec<Duration>,
    pull: Vec<Duration>,
    pulled: u64,
}

fn main() {
    let counts = env_list("REGDESK_LOAD_STATIONS", &[1, 2, 4, 8]);
    let cases = env_list("REGDESK_LOAD_CASES", &[60])[0] as u32;
    let batch = env_list("REGDESK_LOAD_BATCH", &[50])[0];
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let srv = root.join("server");
    init_office(&srv);
    let server = ServerProcess::start(&srv);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // The office's people, from a first desk.
    let first = rt.block_on(Station::join(
        root,
        "people",
        "人员录入",
        &srv,
        &server.url(),
        &server.fingerprint,
    ));
    regdesk_store::demo::fill(&first.store, 0).unwrap();
    assert_eq!(rt.block_on(first.sync()).error, None);
    drop(first);

    println!("| stations | entries | accepted/s | push p50 | push p99 | pull p50 | pull p99 |");
    println!("|---|---|---|---|---|---|---|");
    for (round, &n) in counts.iter().enumerate() {
        let mut stations = Vec::new();
        for k in 0..n {
            let mut s = rt.block_on(Station::join(
                root,
                &format!("r{round}s{k}"),
                &format!("压测{round}-{k}"),
                &srv,
                &server.url(),
                &server.fingerprint,
            ));
            // The desk work, offline: nothing is pushed until the start.
            for _ in 0..cases {
                let id = s.intake().unwrap();
                let case = s.case(&id).unwrap();
                s.pay(&case, "chenxy", Some("hejun")).unwrap();
            }
            stations.push(s);
        }
        let entries: u64 = stations.iter().map(|s| u64::from(s.store.outbox_len().unwrap())).sum();
        let start = Arc::new(Barrier::new(n + 1));
        let mut handles = Vec::new();
        for s in stations {
            let start = start.clone();
            handles.push(std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let client = SyncClient::new(&s.store.enrolment().unwrap().unwrap()).unwrap();
                start.wait();
                rt.block_on(station_load(&s, &client, batch))
            }));
        }
        start.wait();
        let t0 = Instant::now();
        let results: Vec<Measured> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let wall = t0.elapsed();
        let accepted: u64 = results.iter().map(|m| m.accepted).sum();
        let mut push: Vec<Duration> = results.iter().flat_map(|m| m.push.iter().copied()).collect();
        let mut pull: Vec<Duration> = results.iter().flat_map(|m| m.pull.iter().copied()).collect();
        push.sort();
        pull.sort();
        let pulled: u64 = results.iter().map(|m| m.pulled).sum();
        assert_eq!(accepted, entries, "every entry is accepted");
        println!(
            "| {n} | {entries} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
            accepted as f64 / wall.as_secs_f64(),
            percentile(&push, 0.5).as_secs_f64() * 1e3,
            percentile(&push, 0.99).as_secs_f64() * 1e3,
            percentile(&pull, 0.5).as_secs_f64() * 1e3,
            percentile(&pull, 0.99).as_secs_f64() * 1e3,
        );
        eprintln!(
            "({n} stations: {pulled} entries pulled, {:.1} s wall)",
            wall.as_secs_f64()
        );
    }
    server.stop();
}

/// Pushes the station's outbox in batches (attachments first), then pulls
/// until the office's record is in.
async fn station_load(s: &Station, client: &SyncClient, batch: usize) -> Measured {
    let mut m = Measured {
        accepted: 0,
        push: Vec::new(),
        pull: Vec::new(),
        pulled: 0,
    };
    let mut sent: HashSet<String> = HashSet::new();
    loop {
        let entries = s.store.outbox(batch).unwrap();
        if entries.is_empty() {
            break;
        }
        for sha in entries.iter().flat_map(|e| e.blobs.iter()) {
            if sent.insert(sha.clone()) {
                regdesk_sync::run::upload_blob(&s.store, client, sha).await.unwrap();
            }
        }
        let t = Instant::now();
        let reply = client.push(&entries).await.unwrap();
        m.push.push(t.elapsed());
        s.store.record_verdicts(&reply.verdicts).unwrap();
        for v in &reply.verdicts {
            match &v.verdict {
                Verdict::Accepted { .. } => m.accepted += 1,
                other => panic!("{}: {other:?}", s.name),
            }
        }
    }
    loop {
        let cursor = StationRecord::pull_cursor(&s.store).unwrap();
        let t = Instant::now();
        let reply = client.pull(cursor, 500, 0).await.unwrap();
        m.pull.push(t.elapsed());
        if reply.entries.is_empty() {
            break;
        }
        m.pulled += reply.entries.len() as u64;
        s.store.apply_pulled(&reply.entries).unwrap();
    }
    m
}
