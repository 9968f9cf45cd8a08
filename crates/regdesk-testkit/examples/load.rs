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
//! Two ways to push:
//!
//! - **As fast as the server answers** (the default): each station pushes its
//!   whole outbox back to back, `REGDESK_LOAD_BATCH` entries a request, and
//!   waits for each answer before the next. This finds the most the server
//!   accepts; the latency is then the queue the stations themselves keep
//!   full (N × batch entries always in flight).
//! - **At an offered rate** (`REGDESK_LOAD_RATE`, entries per second for the
//!   whole office): each outbox entry is made at a time drawn in advance
//!   (a Poisson process of rate/N per station, seeded), as desks' commands
//!   come, and the station pushes what has been made and is not yet pushed
//!   (at most the client's 500) as soon as its previous push is answered, as
//!   `run::watch` does when poked after a command. The latency that counts is
//!   then each entry's, from when it was made to its verdict: the time a
//!   clerk's work waits for the office's record, waiting for the push before
//!   it included.
//!
//! ```sh
//! cargo run --release -p regdesk-testkit --example load            # N = 1, 2, 4, 8
//! REGDESK_LOAD_STATIONS=1,4 REGDESK_LOAD_CASES=50 REGDESK_LOAD_BATCH=20 \
//!   cargo run --release -p regdesk-testkit --example load
//! REGDESK_LOAD_RATE=1000 REGDESK_LOAD_CASES=150 cargo run --release -p regdesk-testkit --example load
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use regdesk_sync::client::SyncClient;
use regdesk_sync::protocol::{EntryVerdict, PulledEntry, Verdict, MAX_PUSH_ENTRIES};
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
    /// Each entry's wait from when it was made to its verdict (offered rate only).
    waits: Vec<Duration>,
    /// When the station's last entry was made (offered rate only).
    last_made: Duration,
    pull: Vec<Duration>,
    /// The station's slowest push: when it was sent (wall clock), how long it took, its entries.
    slowest: Option<(chrono::DateTime<chrono::Utc>, Duration, usize)>,
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
    let rate = env_list("REGDESK_LOAD_RATE", &[0])[0];
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

    if rate > 0 {
        println!("| stations | offered/s | entries | made/s | accepted/s | entry wait p50 | entry wait p99 | entries a push | push p50 | push p99 | pull p50 | pull p99 | stations' CPU |");
        println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    } else {
        println!(
            "| stations | batch | entries | accepted/s | push p50 | push p99 | pull p50 | pull p99 | stations' CPU |"
        );
        println!("|---|---|---|---|---|---|---|---|---|");
    }
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
        for (k, s) in stations.into_iter().enumerate() {
            let start = start.clone();
            let pushing = pushing.clone();
            handles.push(std::thread::spawn(move || {
                // One thread, as a desk's sync runs: a push waits while the
                // pull beside it decodes an answer.
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let client = SyncClient::new(&s.store.enrolment().unwrap().unwrap()).unwrap();
                let outbox = s.store.outbox(usize::MAX).unwrap();
                let cursor = StationRecord::pull_cursor(&s.store).unwrap();
                let made = (rate > 0).then(|| arrivals(outbox.len(), rate as f64 / n as f64, (round * 100 + k) as u64));
                start.wait();
                let m = rt.block_on(station_load(&client, outbox, made, cursor, batch, &pushing));
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
        let mut waits: Vec<Duration> = results.iter().flat_map(|(_, m)| m.waits.iter().copied()).collect();
        // The slowest push of the run, to set beside the server's and PostgreSQL's logs.
        if let Some((at, took, count)) = results.iter().filter_map(|(_, m)| m.slowest).max_by_key(|s| s.1) {
            eprintln!(
                "({n} stations: the slowest push took {:.1} ms, {count} entries, sent at {})",
                took.as_secs_f64() * 1e3,
                at.format("%H:%M:%S%.3f")
            );
        }
        push.sort();
        pull.sort();
        waits.sort();
        assert_eq!(accepted, entries, "every entry is accepted");
        if rate > 0 {
            // Entries made per second as drawn (the draw's own spread), and accepted per second.
            let made = results.iter().map(|(_, m)| m.last_made).max().unwrap_or_default();
            println!(
                "| {n} | {rate} | {entries} | {:.0} | {:.0} | {:.1} ms | {:.1} ms | {:.1} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} s |",
                accepted as f64 / made.as_secs_f64(),
                accepted as f64 / wall.as_secs_f64(),
                percentile(&waits, 0.5).as_secs_f64() * 1e3,
                percentile(&waits, 0.99).as_secs_f64() * 1e3,
                accepted as f64 / push.len().max(1) as f64,
                percentile(&push, 0.5).as_secs_f64() * 1e3,
                percentile(&push, 0.99).as_secs_f64() * 1e3,
                percentile(&pull, 0.5).as_secs_f64() * 1e3,
                percentile(&pull, 0.99).as_secs_f64() * 1e3,
                cpu,
            );
        } else {
            println!(
                "| {n} | {batch} | {entries} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} s |",
                accepted as f64 / wall.as_secs_f64(),
                percentile(&push, 0.5).as_secs_f64() * 1e3,
                percentile(&push, 0.99).as_secs_f64() * 1e3,
                percentile(&pull, 0.5).as_secs_f64() * 1e3,
                percentile(&pull, 0.99).as_secs_f64() * 1e3,
                cpu,
            );
        }
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
    // What the record takes on disk, for sizing a server (docs/DEPLOY.md).
    let size = rt.block_on(async {
        let pg = regdesk_testkit::db(&srv).await;
        pg.query_one(
            "SELECT (SELECT count(*) FROM record_entries), pg_total_relation_size('record_entries'),
                    (SELECT count(*) FROM record_rows), pg_total_relation_size('record_rows')",
            &[],
        )
        .await
        .unwrap()
    });
    let (entries, entry_bytes, rows, row_bytes): (i64, i64, i64, i64) =
        (size.get(0), size.get(1), size.get(2), size.get(3));
    eprintln!(
        "(the record: {entries} entries in {:.1} MB, {} bytes an entry; {rows} rows in {:.1} MB, {} bytes a row; indexes and TOAST included)",
        entry_bytes as f64 / 1e6,
        entry_bytes / entries.max(1),
        row_bytes as f64 / 1e6,
        row_bytes / rows.max(1),
    );
    server.stop();
}

/// When each of `count` entries is made, from the start: a Poisson process
/// of `per_second`, drawn from `seed`.
fn arrivals(count: usize, per_second: f64, seed: u64) -> Vec<Duration> {
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut at = 0.0f64;
    (0..count)
        .map(|_| {
            // 1 - u is in (0, 1]: its logarithm is finite.
            let u: f64 = rng.random();
            at += -(1.0 - u).ln() / per_second;
            Duration::from_secs_f64(at)
        })
        .collect()
}

/// Pushes the station's outbox while a long-poll pull takes the office's
/// entries; the pull ends once every station has pushed and the record has
/// nothing more. Without `made`, the outbox goes in batches of `batch`, back
/// to back; with it, each entry waits until it is made and a push takes
/// every entry made and not yet pushed.
async fn station_load(
    client: &SyncClient,
    outbox: Vec<regdesk_sync::protocol::Entry>,
    made: Option<Vec<Duration>>,
    mut cursor: i64,
    batch: usize,
    pushing: &AtomicUsize,
) -> Measured {
    let t0 = Instant::now();
    let pushes = async {
        let mut push = Vec::new();
        let mut slowest: Option<(chrono::DateTime<chrono::Utc>, Duration, usize)> = None;
        let mut waits = Vec::new();
        let mut verdicts = Vec::new();
        let mut next = 0;
        while next < outbox.len() {
            let take = match &made {
                None => batch.max(1),
                Some(made) => {
                    let now = t0.elapsed();
                    if made[next] > now {
                        tokio::time::sleep(made[next] - now).await;
                        continue;
                    }
                    made[next..].partition_point(|at| *at <= now).min(MAX_PUSH_ENTRIES)
                }
            };
            let chunk = &outbox[next..(next + take).min(outbox.len())];
            let t = Instant::now();
            let sent = chrono::Utc::now();
            let reply = client.push(chunk).await.unwrap();
            let took = t.elapsed();
            push.push(took);
            if slowest.is_none_or(|s| s.1 < took) {
                slowest = Some((sent, took, chunk.len()));
            }
            if let Some(made) = &made {
                let answered = t0.elapsed();
                waits.extend(made[next..next + chunk.len()].iter().map(|at| answered - *at));
            }
            for v in &reply.verdicts {
                assert!(matches!(v.verdict, Verdict::Accepted { .. }), "{v:?}");
            }
            assert_eq!(reply.verdicts.len(), chunk.len());
            verdicts.extend(reply.verdicts);
            next += chunk.len();
        }
        let at = t0.elapsed();
        pushing.fetch_sub(1, Ordering::SeqCst);
        (push, slowest, waits, verdicts, at)
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
    let ((push, slowest, waits, verdicts, pushed_at), (pull, pulled)) = tokio::join!(pushes, pulls);
    let last_made = made.as_ref().and_then(|m| m.last().copied()).unwrap_or_default();
    Measured {
        last_made,
        accepted: verdicts.len() as u64,
        pushed_at,
        push,
        waits,
        pull,
        slowest,
        verdicts,
        pulled,
    }
}
