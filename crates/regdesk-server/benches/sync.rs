//! Sync speed with a real PostgreSQL: the `regdesk-server` binary (its own
//! private cluster, TLS 1.3 on 127.0.0.1) and workstations' stores in this
//! process, speaking through the station's own client (`regdesk_sync`).
//!
//! * `sync/first sync of the office`: a new data directory joins an office of
//!   N cases (`REGDESK_BENCH_CASES`, default 100,000: the sample office grown
//!   by `demo::grow_office` on a workstation that `regdesk-server adopt` then
//!   takes up) and takes all its rows: snapshot pages over HTTPS, applied to
//!   its store (`run::first_sync`). Throughput in rows.
//! * `sync/push`: the adopted workstation saves `REGDESK_BENCH_PUSH` filings
//!   (default 1,000; untimed) and pushes them (`run::push_all`'s steps: the
//!   outbox in batches, the server's verdicts recorded). Throughput in
//!   accepted entries.
//! * `sync/change at A seen at B`: A (the adopted workstation) saves a
//!   filing and is poked, as the app does; B (the station of the first sync)
//!   is in `run::watch`; the time until B has applied it. The bench prints
//!   p50/p95/p99 of all changes measured.
//!
//! `REGDESK_BENCH_SYNC_DIR=<folder>` keeps the grown workstation there
//! (`station/`, built once) for later runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use regdesk_store::keys::{KeyHome, StationKeys, KEY_FILE_ENV};
use regdesk_store::{demo, LoginInput, SaveDraftInput, Session, Store, SystemClock};
use regdesk_sync::client::SyncClient;
use regdesk_sync::protocol::{Verdict, MAX_PUSH_ENTRIES};
use regdesk_sync::run::{first_sync, watch, WatchConfig};
use regdesk_sync::station::StationRecord;
use serde_json::Value;
use tokio::sync::Notify;

const BIN: &str = env!("CARGO_BIN_EXE_regdesk-server");

struct Server {
    child: Child,
    url: String,
    fingerprint: String,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let mut child = Command::new(BIN)
            .arg("--data-dir")
            .arg(dir)
            .args(["--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut fingerprint = None;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.contains("CA fingerprint") {
                    fingerprint = line.split_whitespace().last().map(str::to_string);
                }
                if let Some(at) = line.find("listening on https://") {
                    let addr: SocketAddr = line[at + "listening on https://".len()..].trim().parse().unwrap();
                    let _ = tx.send((addr, fingerprint.clone()));
                }
            }
        });
        let Ok((addr, fingerprint)) = rx.recv_timeout(Duration::from_secs(120)) else {
            let _ = child.kill();
            panic!(
                "the server did not start: {}",
                std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
            );
        };
        Server {
            child,
            url: format!("https://{addr}"),
            fingerprint: fingerprint.unwrap(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM, so the server stops its PostgreSQL too.
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(self.child.id().to_string())
                .status();
            let _ = self.child.wait();
        }
    }
}

fn server_cli(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(BIN)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn login(store: &Store, username: &str) -> Session {
    store
        .login(&LoginInput {
            username: username.into(),
            password: demo::DEMO_PASSWORD.into(),
        })
        .unwrap()
}

/// The server, the adopted workstation A (enrolled again) and the office's size.
struct World {
    tmp: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
    server: Option<Server>,
    server_dir: PathBuf,
    scratch: PathBuf,
    a: Arc<Store>,
    a_client: SyncClient,
    clerk: Session,
    draft: SaveDraftInput,
    cases: u64,
    stations: usize,
}

impl World {
    fn build() -> World {
        let cases: u64 = std::env::var("REGDESK_BENCH_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100_000);
        let tmp = tempfile::Builder::new()
            .prefix("regdesk-syncbench")
            .tempdir_in("/var/tmp")
            .unwrap();
        let key = tmp.path().join("station.key");
        std::fs::write(
            &key,
            StationKeys::from_secret([0x5a; 32], KeyHome::KeyStore).recovery_code(),
        )
        .unwrap();
        std::env::set_var(KEY_FILE_ENV, &key);

        // The grown workstation, kept between runs when asked.
        let kept = std::env::var_os("REGDESK_BENCH_SYNC_DIR").map(PathBuf::from);
        let grown = kept.clone().unwrap_or_else(|| tmp.path().join("grown")).join("station");
        if !grown.join(regdesk_store::DB_FILE).exists() {
            std::fs::create_dir_all(&grown).unwrap();
            let t = Instant::now();
            let store = Store::open(&grown, Arc::new(SystemClock)).unwrap();
            demo::fill_office(&store, 24).unwrap();
            let have = demo::grow_office(&store, cases, |_| {}).unwrap();
            println!("office of {have} cases grown in {:.0?}", t.elapsed());
        }
        // Each run adopts a copy: the adoption and the pushes change it.
        let station_dir = tmp.path().join("a");
        copy_dir(&grown, &station_dir);

        let server_dir = tmp.path().join("server");
        std::fs::create_dir_all(&server_dir).unwrap();
        let t = Instant::now();
        let summary = server_cli(
            &server_dir,
            &[
                "adopt",
                "--station-data-dir",
                station_dir.to_str().unwrap(),
                "--station-name",
                "受理窗口",
                "--json",
            ],
        );
        let cases = summary["cases"].as_u64().unwrap();
        println!(
            "adopted: {} cases, {} rows in {:.1?}",
            cases,
            summary["rows"],
            t.elapsed()
        );
        let code = summary["code"]["code"].as_str().unwrap().to_string();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = Server::start(&server_dir);
        let a = Arc::new(Store::open(&station_dir, Arc::new(SystemClock)).unwrap());
        let admin = login(&a, "admin");
        let clerk = login(&a, "wangli");
        let enrolment = rt
            .block_on(SyncClient::enrol(
                &server.url,
                &code,
                &server.fingerprint,
                a.station_id(),
            ))
            .unwrap();
        a.save_enrolment(&admin, &enrolment).unwrap();
        let a_client = SyncClient::new(&enrolment).unwrap();
        // A whole filing of the sample office, saved again as a new case.
        let hit = a
            .search_cases(
                &clerk,
                &regdesk_store::CaseSearchInput {
                    text: "湖光影像".into(),
                    limit: Some(1),
                },
            )
            .unwrap();
        let source = a.reveal_case(&clerk, &hit.hits[0].case.id).unwrap();
        let draft = SaveDraftInput {
            case_id: None,
            version: None,
            applicant_id: source.applicant_id.clone(),
            draft: source.draft.clone(),
        };
        // Sign-ins and reads so far go up now: the measured pushes are the filings.
        push_outbox(&rt, &a, &a_client);
        let scratch = tmp.path().join("scratch");
        std::fs::create_dir_all(&scratch).unwrap();
        World {
            server_dir,
            scratch,
            tmp,
            rt,
            server: Some(server),
            a,
            a_client,
            clerk,
            draft,
            cases,
            stations: 0,
        }
    }

    /// A new, empty data directory enrolled to the office (not yet synced).
    fn new_station(&mut self) -> (PathBuf, Store, SyncClient) {
        self.stations += 1;
        let name = format!("工作站{}", self.stations);
        let code = server_cli(&self.server_dir, &["station", "add", "--name", &name, "--json"]);
        let code = code["code"].as_str().unwrap().to_string();
        let dir = self.scratch.join(format!("s{}", self.stations));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir, Arc::new(SystemClock)).unwrap();
        let server = self.server.as_ref().unwrap();
        let enrolment = self
            .rt
            .block_on(SyncClient::enrol(
                &server.url,
                &code,
                &server.fingerprint,
                store.station_id(),
            ))
            .unwrap();
        store.join_office(&enrolment).unwrap();
        let client = SyncClient::new(&enrolment).unwrap();
        (dir, store, client)
    }
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

/// The steps of a round's push: the outbox in batches, each batch's verdicts
/// recorded; returns the accepted entries.
fn push_outbox(rt: &tokio::runtime::Runtime, store: &Store, client: &SyncClient) -> u64 {
    rt.block_on(async {
        let mut accepted = 0;
        loop {
            let batch = StationRecord::outbox(store, MAX_PUSH_ENTRIES).unwrap();
            if batch.is_empty() {
                return accepted;
            }
            let reply = client.push(&batch).await.unwrap();
            store.record_verdicts(&reply.verdicts).unwrap();
            for v in &reply.verdicts {
                match &v.verdict {
                    Verdict::Accepted { .. } => accepted += 1,
                    other => panic!("not accepted: {other:?}"),
                }
            }
        }
    })
}

/// Pulls and applies until the station is up to date.
fn pull_all(rt: &tokio::runtime::Runtime, store: &Store, client: &SyncClient) {
    rt.block_on(async {
        loop {
            let reply = client.pull(store.pull_cursor().unwrap(), 1000, 0).await.unwrap();
            StationRecord::apply_pulled(store, &reply.entries).unwrap();
            if !reply.more {
                return;
            }
        }
    })
}

/// A station's store that adds up the time spent applying snapshot pages:
/// the rest of a first sync is the server's answer and the trip.
struct Timed<'a> {
    store: &'a Store,
    applying: std::cell::Cell<Duration>,
}

impl StationRecord for Timed<'_> {
    type Error = regdesk_store::StoreError;
    fn enrolment(&self) -> Result<Option<regdesk_sync::station::Enrolment>, Self::Error> {
        StationRecord::enrolment(self.store)
    }
    fn outbox(&self, limit: usize) -> Result<Vec<regdesk_sync::protocol::Entry>, Self::Error> {
        StationRecord::outbox(self.store, limit)
    }
    fn record_verdicts(&self, verdicts: &[regdesk_sync::protocol::EntryVerdict]) -> Result<(), Self::Error> {
        StationRecord::record_verdicts(self.store, verdicts)
    }
    fn pull_cursor(&self) -> Result<i64, Self::Error> {
        StationRecord::pull_cursor(self.store)
    }
    fn apply_pulled(&self, entries: &[regdesk_sync::protocol::PulledEntry]) -> Result<(), Self::Error> {
        StationRecord::apply_pulled(self.store, entries)
    }
    fn note_sync(
        &self,
        at: chrono::DateTime<chrono::Utc>,
        outcome: &regdesk_sync::station::SyncOutcome,
    ) -> Result<(), Self::Error> {
        StationRecord::note_sync(self.store, at, outcome)
    }
    fn snapshot_request(&self, max_rows: u32) -> Result<Option<regdesk_sync::protocol::SnapshotRequest>, Self::Error> {
        StationRecord::snapshot_request(self.store, max_rows)
    }
    fn apply_snapshot(&self, chunk: &regdesk_sync::protocol::SnapshotChunk) -> Result<(), Self::Error> {
        let t = Instant::now();
        let out = StationRecord::apply_snapshot(self.store, chunk);
        self.applying.set(self.applying.get() + t.elapsed());
        out
    }
    fn state_hash(&self) -> Result<String, Self::Error> {
        StationRecord::state_hash(self.store)
    }
    fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>, Self::Error> {
        StationRecord::blob(self.store, sha256)
    }
    fn save_blob(&self, sha256: &str, bytes: &[u8]) -> Result<(), Self::Error> {
        StationRecord::save_blob(self.store, sha256, bytes)
    }
    fn missing_blobs(&self) -> Result<Vec<String>, Self::Error> {
        StationRecord::missing_blobs(self.store)
    }
}

/// CPU time this process (the station: its store and its client; the server
/// and PostgreSQL are processes of their own) has used so far, from
/// `/proc/self/stat` (user + system, in clock ticks of 10 ms); zero where
/// there is none.
fn station_cpu() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    let Some(after_name) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return Duration::ZERO;
    };
    // Fields 14 and 15 (utime, stime); the text after the name starts at field 3.
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

fn world() -> &'static Mutex<World> {
    static WORLD: std::sync::OnceLock<Mutex<World>> = std::sync::OnceLock::new();
    WORLD.get_or_init(|| Mutex::new(World::build()))
}

fn first(c: &mut Criterion) {
    let mut w = world().lock().unwrap();
    // The office's rows as the server holds them.
    let (rows, hash) = {
        let (dir, store, client) = w.new_station();
        println!("first sync starts");
        let timed = Timed {
            store: &store,
            applying: std::cell::Cell::new(Duration::ZERO),
        };
        let t = Instant::now();
        let cpu = station_cpu();
        let mut rows = 0;
        w.rt.block_on(first_sync(&timed, &client, |chunk| rows = chunk.total_rows))
            .unwrap();
        let took = t.elapsed();
        let cpu = station_cpu().saturating_sub(cpu);
        println!(
            "first sync of {} cases: {rows} rows in {took:.2?} ({:.0} rows/s; pages applied by the station in {:.2?}; \
             the station's CPU {cpu:.2?}, {:.1} s per 100,000 rows)",
            w.cases,
            rows as f64 / took.as_secs_f64(),
            timed.applying.get(),
            cpu.as_secs_f64() * 100_000.0 / (rows.max(1) as f64)
        );
        let state = w.rt.block_on(client.state()).unwrap();
        let hash = store.state_hash().unwrap();
        assert_eq!(hash, state.state_hash, "the new station holds the server's record");
        drop(store);
        std::fs::remove_dir_all(dir).unwrap();
        (rows, hash)
    };
    let mut g = c.benchmark_group("sync");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_millis(1));
    g.measurement_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(rows));
    let cases = w.cases;
    g.bench_function(format!("first sync of the office ({cases} cases)"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (dir, store, client) = w.new_station();
                let t = Instant::now();
                w.rt.block_on(first_sync(&store, &client, |_| {})).unwrap();
                total += t.elapsed();
                assert_eq!(store.state_hash().unwrap(), hash);
                drop(store);
                std::fs::remove_dir_all(dir).unwrap();
            }
            total
        })
    });
    g.finish();
}

fn push(c: &mut Criterion) {
    let n: u64 = std::env::var("REGDESK_BENCH_PUSH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let once: u64 = std::env::var("REGDESK_BENCH_PUSH_ONCE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let w = world().lock().unwrap();
    if once > 0 {
        let t = Instant::now();
        for _ in 0..once {
            w.a.save_draft(&w.clerk, &w.draft).unwrap();
        }
        let saved = t.elapsed();
        println!("push starts");
        let t = Instant::now();
        let accepted = push_outbox(&w.rt, &w.a, &w.a_client);
        let took = t.elapsed();
        assert_eq!(accepted, once);
        println!(
            "push of {once} entries (saved in {saved:.1?}): {took:.2?} ({:.0} accepted entries/s)",
            once as f64 / took.as_secs_f64()
        );
        let t = Instant::now();
        pull_all(&w.rt, &w.a, &w.a_client);
        println!("their pull back to the same station: {:.2?}", t.elapsed());
    }
    let mut g = c.benchmark_group("sync");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_millis(1));
    g.measurement_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(n));
    g.bench_function(format!("push {n} entries"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                for _ in 0..n {
                    w.a.save_draft(&w.clerk, &w.draft).unwrap();
                }
                let t = Instant::now();
                let accepted = push_outbox(&w.rt, &w.a, &w.a_client);
                total += t.elapsed();
                assert_eq!(accepted, n);
                // Their own entries come back (untimed), as the next pull does.
                pull_all(&w.rt, &w.a, &w.a_client);
            }
            total
        })
    });
    g.finish();
}

fn live(c: &mut Criterion) {
    let mut w = world().lock().unwrap();
    let (_dir, b_store, b_client) = w.new_station();
    w.rt.block_on(first_sync(&b_store, &b_client, |_| {})).unwrap();
    let b_store = Arc::new(b_store);
    let config = WatchConfig::default();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let a_poke = Arc::new(Notify::new());
    let b_poke = Arc::new(Notify::new());
    let tasks = {
        let (a, a_client, a_poke) = (w.a.clone(), w.a_client.clone(), a_poke.clone());
        let (b, b_poke) = (b_store.clone(), b_poke.clone());
        let (a_stop, b_stop) = (stop_rx.clone(), stop_rx);
        let ta = w.rt.spawn(async move {
            watch(&*a, &a_client, &a_poke, a_stop, config, |_| {}).await;
        });
        let tb = w.rt.spawn(async move {
            watch(&*b, &b_client, &b_poke, b_stop, config, |_| {}).await;
        });
        (ta, tb)
    };
    // Both in their long-poll.
    std::thread::sleep(Duration::from_secs(2));
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let change = |latencies: &Mutex<Vec<Duration>>| {
        let before = b_store.pull_cursor().unwrap();
        let t = Instant::now();
        w.a.save_draft(&w.clerk, &w.draft).unwrap();
        a_poke.notify_one();
        while b_store.pull_cursor().unwrap() == before {
            assert!(t.elapsed() < Duration::from_secs(30), "B never saw the change");
            std::thread::sleep(Duration::from_millis(2));
        }
        let took = t.elapsed();
        latencies.lock().unwrap().push(took);
        took
    };
    let changes: usize = std::env::var("REGDESK_BENCH_CHANGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    for _ in 0..changes {
        change(&latencies);
        // Changes a person makes, not a stream: B is back in its long-poll.
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut g = c.benchmark_group("sync");
    g.sample_size(10);
    g.sampling_mode(SamplingMode::Flat);
    g.warm_up_time(Duration::from_millis(1));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("change at A seen at B", |bench| {
        bench.iter_custom(|iters| (0..iters).map(|_| change(&latencies)).sum())
    });
    g.finish();
    stop_tx.send(true).unwrap();
    w.rt.block_on(async {
        let _ = tasks.0.await;
        let _ = tasks.1.await;
    });
    let mut all = latencies.lock().unwrap().clone();
    all.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| ms(all[((all.len() as f64 * q) as usize).min(all.len() - 1)]);
    println!(
        "change at A seen at B, {} changes: p50 {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        all.len(),
        at(0.5),
        at(0.95),
        at(0.99),
        ms(all[all.len() - 1])
    );
    drop(w.server.take());
    // The world lives in a static, never dropped: its folder goes now (the
    // grown workstation kept in REGDESK_BENCH_SYNC_DIR stays).
    let _ = std::fs::remove_dir_all(w.tmp.path());
}

criterion_group!(benches, first, push, live);
criterion_main!(benches);
