//! Load: N stations pushing and pulling at once against one `regdesk-server`
//! on loopback HTTPS with its embedded PostgreSQL.
//!
//! Each station is a real store that first does its desk work offline
//! (filings taken at the counter, paid and confirmed: about eight journal
//! entries per case) and sends its attachments; none of that is timed. Then
//! all stations start at once: each pushes its outbox in batches of
//! `REGDESK_LOAD_BATCH` entries (as a desk pushes what waits after its
//! commands) while a long-poll pull beside it takes the office's entries as
//! they are accepted (as `run::watch` does). What a station does with an
//! answer — recording the verdicts, applying the pulled entries — is its own
//! computer's work in an office; here every station shares the two cores
//! with the server and PostgreSQL, so it is done after the timed part, and
//! the run then checks that every station's state hash equals the server's.
//!
//! Printed per N: accepted entries per second (wall clock from the start to
//! the last verdict), the p50/p99 latency of one push request and of one
//! pull request that brought entries, and the CPU the stations' side used.
//!
//! ```sh
//! cargo run --release -p regdesk-testkit --example load            # N = 1, 2, 4, 8
//! REGDESK_LOAD_STATIONS=1,4 REGDESK_LOAD_CASES=50 REGDESK_LOAD_BATCH=20 \
//!   cargo run --release -p regdesk-testkit --example load
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use regdesk_sync::client::SyncClient;
use regdesk_sync::protocol::{EntryVerdict, PulledEntry, Verdict};
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
    /// When the last verdict came, from the start.
    pushed_at: Duration,
    push: Vec<Duration>,
    pull: Vec<Duration>,
    verdicts: Vec<EntryVerdict>,
    pulled: Vec<PulledEntry>,
}

/// The CPU time (user and system) this process has used, in seconds.
fn own_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
    ticks / 100.0
}

fn main() {
    let counts = env_list("REGDESK_LOAD_STATIONS", &[1, 2, 4, 8]);
    let cases = env_list("REGDESK_LOAD_CASES", &[60])[0] as u32;
    let batch = env_list("REGDESK_LOAD_BATCH", &[20])[0];
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

    println!("| stations | batch | entries | accepted/s | push p50 | push p99 | pull p50 | pull p99 | stations' CPU |");
    println!("|---|---|---|---|---|---|---|---|---|");
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
        // Attachments first, untimed: the load is the entries.
        for s in &stations {
            let client = SyncClient::new(&s.store.enrolment().unwrap().unwrap()).unwrap();
            let mut sent = std::collections::HashSet::new();
            for e in s.store.outbox(usize::MAX).unwrap() {
                for sha in e.blobs {
                    if sent.insert(sha.clone()) {
                        rt.block_on(regdesk_sync::run::upload_blob(&s.store, &client, &sha))
                            .unwrap();
                    }
                }
            }
        }
        let entries: u64 = stations.iter().map(|s| u64::from(s.store.outbox_len().unwrap())).sum();
        let start = Arc::new(Barrier::new(n + 1));
        let pushing = Arc::new(AtomicUsize::new(n));
        let cpu0 = own_cpu();
        let mut handles = Vec::new();
        for s in stations {
            let start = start.clone();
            let pushing = pushing.clone();
            handles.push(std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let client = SyncClient::new(&s.store.enrolment().unwrap().unwrap()).unwrap();
                let outbox = s.store.outbox(usize::MAX).unwrap();
                let cursor = StationRecord::pull_cursor(&s.store).unwrap();
                start.wait();
                let m = rt.block_on(station_load(&client, outbox, cursor, batch, &pushing));
                (s, m)
            }));
        }
        start.wait();
        // For a profiler started beside the run: the timed part begins.
        eprintln!("({n} stations: start)");
        let t0 = Instant::now();
        let results: Vec<(Station, Measured)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let cpu = own_cpu() - cpu0;
        let wall = results.iter().map(|(_, m)| m.pushed_at).max().unwrap_or_default();
        let all = t0.elapsed();
        let accepted: u64 = results.iter().map(|(_, m)| m.accepted).sum();
        let mut push: Vec<Duration> = results.iter().flat_map(|(_, m)| m.push.iter().copied()).collect();
        let mut pull: Vec<Duration> = results.iter().flat_map(|(_, m)| m.pull.iter().copied()).collect();
        push.sort();
        pull.sort();
        assert_eq!(accepted, entries, "every entry is accepted");
        println!(
            "| {n} | {batch} | {entries} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} s |",
            accepted as f64 / wall.as_secs_f64(),
            percentile(&push, 0.5).as_secs_f64() * 1e3,
            percentile(&push, 0.99).as_secs_f64() * 1e3,
            percentile(&pull, 0.5).as_secs_f64() * 1e3,
            percentile(&pull, 0.99).as_secs_f64() * 1e3,
            cpu,
        );
        eprintln!(
            "({n} stations: pushed in {:.2} s, everything pulled after {:.2} s)",
            wall.as_secs_f64(),
            all.as_secs_f64()
        );
        // Each station's own work, then the check that they all hold the record.
        for (s, m) in &results {
            s.store.record_verdicts(&m.verdicts).unwrap();
            for page in m.pulled.chunks(500) {
                s.store.apply_pulled(page).unwrap();
            }
        }
        for (s, _) in &results {
            let client = SyncClient::new(&s.store.enrolment().unwrap().unwrap()).unwrap();
            let out = rt.block_on(regdesk_sync::run::sync_once(&s.store, &client));
            assert_eq!(out.error, None, "{}: {out:?}", s.name);
            let state = rt.block_on(client.state()).unwrap();
            assert_eq!(
                s.store.state_hash().unwrap(),
                state.state_hash,
                "{} holds the record",
                s.name
            );
        }
    }
    server.stop();
}

/// Pushes the station's outbox in batches while a long-poll pull takes the
/// office's entries; the pull ends once every station has pushed and the
/// record has nothing more.
async fn station_load(
    client: &SyncClient,
    outbox: Vec<regdesk_sync::protocol::Entry>,
    mut cursor: i64,
    batch: usize,
    pushing: &AtomicUsize,
) -> Measured {
    let t0 = Instant::now();
    let pushes = async {
        let mut push = Vec::new();
        let mut verdicts = Vec::new();
        for chunk in outbox.chunks(batch.max(1)) {
            let t = Instant::now();
            let reply = client.push(chunk).await.unwrap();
            push.push(t.elapsed());
            for v in &reply.verdicts {
                assert!(matches!(v.verdict, Verdict::Accepted { .. }), "{v:?}");
            }
            assert_eq!(reply.verdicts.len(), chunk.len());
            verdicts.extend(reply.verdicts);
        }
        let at = t0.elapsed();
        pushing.fetch_sub(1, Ordering::SeqCst);
        (push, verdicts, at)
    };
    let pulls = async {
        let mut pull = Vec::new();
        let mut pulled = Vec::new();
        loop {
            let done = pushing.load(Ordering::SeqCst) == 0;
            let t = Instant::now();
            let reply = client.pull(cursor, 500, if done { 0 } else { 200 }).await.unwrap();
            if reply.entries.is_empty() {
                if done {
                    break;
                }
                continue;
            }
            pull.push(t.elapsed());
            cursor = reply.cursor;
            pulled.extend(reply.entries);
        }
        (pull, pulled)
    };
    let ((push, verdicts, pushed_at), (pull, pulled)) = tokio::join!(pushes, pulls);
    Measured {
        accepted: verdicts.len() as u64,
        pushed_at,
        push,
        pull,
        verdicts,
        pulled,
    }
}
